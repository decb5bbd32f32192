/* gk-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gk-account.h"

G_BEGIN_DECLS

#define GK_TYPE_WINDOW (gk_window_get_type ())

G_DECLARE_FINAL_TYPE (GkWindow, gk_window, GK, WINDOW, AdwApplicationWindow)

GkWindow   *gk_window_new                  (GtkApplication *application,
                                            GkAccount      *account);
GkAccount  *gk_window_get_account          (GkWindow      *self);
const char *gk_window_get_visible_page     (GkWindow      *self);
void        gk_window_show_toast           (GkWindow      *self,
                                            const char    *message);
void        gk_window_show_error           (GkWindow      *self,
                                            const GError  *error);

G_END_DECLS
