/* gk-secret.h: strings that hold secrets, wiped before they are freed
 *
 * A token or a key in freed memory can outlive its use: in a core dump, in
 * the next allocation. Every string that held one goes through here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void gk_secret_free (gpointer secret);

G_END_DECLS
