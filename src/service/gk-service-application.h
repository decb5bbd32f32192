/* gk-service-application.h: the windowless service, when there is no display
 *
 * D-Bus starts Genokey with --gapplication-service when the command line
 * asks the gateway for links and no Genokey runs. With a display that is
 * the window application, which shows no window until asked; without one
 * (an SSH session, a server) GTK cannot start, and this application, which
 * needs no display, answers instead: the same account, the same gateway,
 * the same D-Bus interface, alive while the gateway serves someone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_TYPE_SERVICE_APPLICATION (gk_service_application_get_type ())

G_DECLARE_FINAL_TYPE (GkServiceApplication, gk_service_application, GK, SERVICE_APPLICATION,
                      GApplication)

GkServiceApplication *gk_service_application_new      (void);
gboolean              gk_service_application_wanted   (int    argc,
                                                       char **argv);

G_END_DECLS
