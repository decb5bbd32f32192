/* gk-app-hints.h: an error as the window words it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char *gk_app_dup_hint       (const GError *error);
char *gk_app_dup_error_text (const GError *error);

G_END_DECLS
