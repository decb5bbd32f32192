/* loopback-resolver.h: made-up host names that resolve to 127.0.0.1
 *
 * Tests of "not this computer" must not send traffic off this machine: a
 * name under .example.test answers 127.0.0.1 from this resolver, set as the
 * process's default, so code that judges by the name sees another host
 * while the bytes stay on loopback. Every other name fails to resolve.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Makes the resolver the default for the rest of the process. */
void loopback_resolver_install (void);

G_END_DECLS
