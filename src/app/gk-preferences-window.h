/* gk-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gk-gateway-service.h"

G_BEGIN_DECLS

#define GK_TYPE_PREFERENCES_WINDOW (gk_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (GkPreferencesWindow, gk_preferences_window, GK, PREFERENCES_WINDOW, AdwPreferencesWindow)

GkPreferencesWindow *gk_preferences_window_new         (GtkWindow           *parent);
void                 gk_preferences_window_set_gateway (GkPreferencesWindow *self,
                                                        GkGatewayService    *gateway);

G_END_DECLS
