/* gk-gateway-client.h: the gateway of the running Genokey, asked over D-Bus
 *
 * The command line does not run a gateway of its own: links must outlive
 * the command. It asks the application's primary instance (the window, or
 * the windowless service D-Bus starts when none runs) for links, and for
 * the gateway's status. As a GkLinkMinter it hands GkLinker the links of
 * one profile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-link-minter.h"

G_BEGIN_DECLS

#define GK_TYPE_GATEWAY_CLIENT (gk_gateway_client_get_type ())

G_DECLARE_FINAL_TYPE (GkGatewayClient, gk_gateway_client, GK, GATEWAY_CLIENT, GObject)

GkGatewayClient *gk_gateway_client_new         (GDBusConnection      *connection,
                                                const char           *app_id,
                                                const char           *profile);
const char      *gk_gateway_client_get_profile (GkGatewayClient      *self);

void             gk_gateway_client_call_async  (GkGatewayClient      *self,
                                                const char           *method,
                                                GVariant             *parameters,
                                                gboolean              start,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GVariant        *gk_gateway_client_call_finish (GkGatewayClient      *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
