/* gk-gateway-service-dbus.h: the gateway service's D-Bus face
 *
 * Exported on the application's object path (the interface and its errors
 * are in gk-gateway-dbus.h), it is what `genokey link`, `igv`, `igv-web`,
 * `chromoscope` and `gateway` ask the primary instance. Each method is one
 * call of the GkGatewayService it holds; it holds the service, and the
 * service knows nothing of it, so the application that exports it decides
 * how long it answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-gateway-service.h"

G_BEGIN_DECLS

#define GK_TYPE_GATEWAY_SERVICE_DBUS (gk_gateway_service_dbus_get_type ())

G_DECLARE_FINAL_TYPE (GkGatewayServiceDBus, gk_gateway_service_dbus, GK, GATEWAY_SERVICE_DBUS, GObject)

GkGatewayServiceDBus *gk_gateway_service_dbus_new      (GkGatewayService      *service);
gboolean              gk_gateway_service_dbus_export   (GkGatewayServiceDBus  *self,
                                                        GDBusConnection       *connection,
                                                        const char            *object_path,
                                                        GError               **error);
void                  gk_gateway_service_dbus_unexport (GkGatewayServiceDBus  *self);

G_END_DECLS
