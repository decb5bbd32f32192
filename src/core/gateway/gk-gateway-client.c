/* gk-gateway-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-gateway-capability.h"
#include "gk-gateway-client.h"
#include "gk-gateway-dbus.h"
#include "gk-gateway-error.h"

struct _GkGatewayClient
{
  GObject parent_instance;

  GDBusConnection *connection;
  char *app_id;
  char *object_path;
  char *profile;
};

static void gk_gateway_client_iface_init (GkLinkMinterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkGatewayClient, gk_gateway_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_LINK_MINTER,
                                                      gk_gateway_client_iface_init))

/* D-Bus's own failures, said in terms of what the user can do. */
static GError *
explain (GkGatewayClient *self,
         GError          *error)
{
  GError *explained = NULL;

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    explained = g_error_new_literal (GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_RUNNING,
                                     _("The gateway is not running. Opening Genokey starts it."));
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN))
    explained = g_error_new (GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_CANNOT_START,
                             _("Genokey cannot start in the background: no D-Bus service is installed for %s. Open Genokey, or install it so that its D-Bus service is found."),
                             self->app_id);
  else if (error->domain == G_DBUS_ERROR &&
           (error->code == G_DBUS_ERROR_SPAWN_EXEC_FAILED || error->code == G_DBUS_ERROR_SPAWN_FAILED ||
            error->code == G_DBUS_ERROR_SPAWN_CHILD_EXITED || error->code == G_DBUS_ERROR_SPAWN_CHILD_SIGNALED))
    {
      g_dbus_error_strip_remote_error (error);
      explained = g_error_new (GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_CANNOT_START,
                               _("Genokey could not start in the background: %s"), error->message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT))
    explained = g_error_new_literal (GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_CANNOT_START,
                                     _("Genokey’s background service did not answer in time. Try again, or open Genokey to see what holds it up."));
  if (explained != NULL)
    {
      g_error_free (error);
      return explained;
    }
  g_dbus_error_strip_remote_error (error);
  return error;
}

static void
on_called_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkGatewayClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  GVariant *reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  if (reply == NULL)
    g_task_return_error (task, explain (self, error));
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) g_variant_unref);
}

/**
 * gk_gateway_client_call_async:
 * @parameters: (transfer floating) (nullable): the method's arguments
 * @start: let D-Bus start the application when it is not running
 *   (otherwise a gateway that is not running is an error)
 */
void
gk_gateway_client_call_async (GkGatewayClient     *self,
                              const char          *method,
                              GVariant            *parameters,
                              gboolean             start,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_GATEWAY_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_gateway_client_call_async);
  g_dbus_connection_call (self->connection, self->app_id, self->object_path,
                          GK_GATEWAY_DBUS_INTERFACE, method, parameters, NULL,
                          start ? G_DBUS_CALL_FLAGS_NONE : G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          start ? GK_GATEWAY_DBUS_START_TIMEOUT_MS : GK_GATEWAY_DBUS_TIMEOUT_MS,
                          cancellable, on_called_cb, task);
}

/**
 * gk_gateway_client_call_finish:
 *
 * Returns: (transfer full): the reply's tuple, or %NULL with @error set
 *   (the service's own error, %GK_GATEWAY_ERROR_NOT_RUNNING or
 *   %GK_GATEWAY_ERROR_CANNOT_START)
 */
GVariant *
gk_gateway_client_call_finish (GkGatewayClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GkLinkMinter ---------------------------------------------------------- */

static void
on_links_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;
  GStrv links = NULL;

  reply = gk_gateway_client_call_finish (GK_GATEWAY_CLIENT (object), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(^as)", &links);
  g_task_return_pointer (task, links, (GDestroyNotify) g_strfreev);
}

static void
gk_gateway_client_mint_async (GkLinkMinter        *minter,
                              const char * const  *uris,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GkGatewayClient *self = GK_GATEWAY_CLIENT (minter);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, gk_gateway_client_mint_async);
  gk_gateway_client_call_async (self, "Links", g_variant_new ("(s^as)", self->profile, uris), TRUE,
                                cancellable, on_links_cb, task);
}

static GStrv
gk_gateway_client_mint_finish (GkLinkMinter  *minter,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, minter), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;
  char *link = NULL;

  reply = gk_gateway_client_call_finish (GK_GATEWAY_CLIENT (object), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(s)", &link);
  g_task_return_pointer (task, link, g_free);
}

static void
gk_gateway_client_publish_config_async (GkLinkMinter        *minter,
                                        const char          *name,
                                        GBytes              *json,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GkGatewayClient *self = GK_GATEWAY_CLIENT (minter);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GVariant *bytes = g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, json, TRUE);

  g_task_set_source_tag (task, gk_gateway_client_publish_config_async);
  gk_gateway_client_call_async (self, "PublishConfig",
                                g_variant_new ("(ss@ay)", self->profile, name, bytes), TRUE,
                                cancellable, on_published_cb, task);
}

static char *
gk_gateway_client_publish_config_finish (GkLinkMinter  *minter,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, minter), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Keys a browser would rewrite cannot have a gateway link; said locally. */
static gboolean
gk_gateway_client_check_key (GkLinkMinter  *minter,
                             const char    *bucket,
                             const char    *key,
                             GError       **error)
{
  return gk_gateway_key_is_servable (bucket, key, error);
}

static void
gk_gateway_client_iface_init (GkLinkMinterInterface *iface)
{
  iface->check_key = gk_gateway_client_check_key;
  iface->mint_async = gk_gateway_client_mint_async;
  iface->mint_finish = gk_gateway_client_mint_finish;
  iface->publish_config_async = gk_gateway_client_publish_config_async;
  iface->publish_config_finish = gk_gateway_client_publish_config_finish;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
gk_gateway_client_dispose (GObject *object)
{
  GkGatewayClient *self = GK_GATEWAY_CLIENT (object);

  g_clear_object (&self->connection);
  G_OBJECT_CLASS (gk_gateway_client_parent_class)->dispose (object);
}

static void
gk_gateway_client_finalize (GObject *object)
{
  GkGatewayClient *self = GK_GATEWAY_CLIENT (object);

  g_free (self->app_id);
  g_free (self->object_path);
  g_free (self->profile);
  G_OBJECT_CLASS (gk_gateway_client_parent_class)->finalize (object);
}

static void
gk_gateway_client_class_init (GkGatewayClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_gateway_client_dispose;
  object_class->finalize = gk_gateway_client_finalize;
}

static void
gk_gateway_client_init (GkGatewayClient *self)
{
}

/**
 * gk_gateway_client_new:
 * @app_id: the application whose gateway to ask (its well-known name)
 * @profile: whose links to mint
 */
GkGatewayClient *
gk_gateway_client_new (GDBusConnection *connection,
                       const char      *app_id,
                       const char      *profile)
{
  GkGatewayClient *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (app_id != NULL && profile != NULL, NULL);

  gk_gateway_dbus_ensure_errors ();
  self = g_object_new (GK_TYPE_GATEWAY_CLIENT, NULL);
  self->connection = g_object_ref (connection);
  self->app_id = g_strdup (app_id);
  self->object_path = gk_gateway_dbus_object_path (app_id);
  self->profile = g_strdup (profile);
  return self;
}

const char *
gk_gateway_client_get_profile (GkGatewayClient *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY_CLIENT (self), NULL);
  return self->profile;
}
