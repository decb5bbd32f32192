/* gk-gateway-service.h: the account's gateway
 *
 * The primary instance of the application (the window, or the windowless
 * service) runs one gateway for the account. It serves the selected
 * profile while it is signed in, starts when a profile is signed in (so
 * yesterday's links work again after a restart), forgets a profile at its
 * sign-out, and serves other profiles the command line asks links for,
 * opening their credential sources itself. It is "active" while it runs and
 * serves someone: the application stays alive for as long.
 *
 * Its D-Bus face (gk-gateway-service-dbus.h), exported on the application's
 * object path, is what `genokey link`, `igv`, `igv-web`, `chromoscope` and
 * `gateway` ask. For the window it is the GkLinkMinter of the selected
 * profile.
 *
 * It knows nothing of #GkAccount: the account owns it, hands it the
 * profile store and keyring, and tells it what is selected and signed in
 * (gk_gateway_service_follow()); it answers with #GkGatewayService::forgotten.
 * So the dependency points one way, from the account down to its service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-gateway.h"
#include "gk-link-minter.h"
#include "gk-profile-store.h"
#include "gk-s3.h"
#include "gk-session.h"

G_BEGIN_DECLS

#define GK_TYPE_GATEWAY_SERVICE (gk_gateway_service_get_type ())

G_DECLARE_FINAL_TYPE (GkGatewayService, gk_gateway_service, GK, GATEWAY_SERVICE, GObject)

GkGatewayService *gk_gateway_service_new              (GkProfileStore      *store,
                                                       GkKeyring           *keyring,
                                                       const char          *config_dir);
void              gk_gateway_service_follow           (GkGatewayService    *self,
                                                       GkProfile           *selected,
                                                       GkSession           *session,
                                                       GkS3Client          *client,
                                                       gboolean             loading);
GkGateway        *gk_gateway_service_get_gateway      (GkGatewayService    *self);
gboolean          gk_gateway_service_get_active       (GkGatewayService    *self);
guint             gk_gateway_service_get_port         (GkGatewayService    *self);
void              gk_gateway_service_set_port         (GkGatewayService    *self,
                                                       guint                port);
const GError     *gk_gateway_service_get_error        (GkGatewayService    *self);
void              gk_gateway_service_bind_settings    (GkGatewayService    *self,
                                                       GSettings           *settings);

void              gk_gateway_service_links_async      (GkGatewayService    *self,
                                                       const char          *profile,
                                                       const char * const  *uris,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GStrv             gk_gateway_service_links_finish     (GkGatewayService    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void              gk_gateway_service_start_async      (GkGatewayService    *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          gk_gateway_service_start_finish     (GkGatewayService    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void              gk_gateway_service_stop             (GkGatewayService    *self);
void              gk_gateway_service_forget           (GkGatewayService    *self,
                                                       const char          *profile);
void              gk_gateway_service_forget_signed_out (GkGatewayService   *self,
                                                       const char          *profile);
GVariant         *gk_gateway_service_dup_status       (GkGatewayService    *self);

G_END_DECLS
