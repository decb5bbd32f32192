/* gk-test-home.h: a throw-away home for tests that open things
 *
 * HOME and the XDG folders in a temporary directory, no session bus, and
 * a default web browser that only notes the addresses it is given, so a
 * test can check what was opened without opening anything:
 *
 *   home = gk_test_home_new ("test-app-browser");   (before gtk_init ())
 *   opened_file = gk_test_home_install_browser (home);
 *   …
 *   gk_test_home_remove (home);
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *gk_test_home_new             (const char *name);
char *gk_test_home_install_browser (const char *home);
void  gk_test_home_remove          (const char *home);

G_END_DECLS
