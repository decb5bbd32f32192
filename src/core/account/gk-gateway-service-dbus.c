/* gk-gateway-service-dbus.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-gateway-dbus.h"
#include "gk-gateway-service-dbus.h"

struct _GkGatewayServiceDBus
{
  GObject parent_instance;

  GkGatewayService *service;
  GDBusConnection *connection;
  guint registration_id;
};

G_DEFINE_FINAL_TYPE (GkGatewayServiceDBus, gk_gateway_service_dbus, G_TYPE_OBJECT)

static void
on_dbus_links_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  GError *error = NULL;
  g_auto(GStrv) links = gk_gateway_service_links_finish (GK_GATEWAY_SERVICE (object), result, &error);

  if (links == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(^as)", links));
}

static void
on_dbus_published_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  GError *error = NULL;
  g_autofree char *link = gk_gateway_publish_config_finish (GK_GATEWAY (object), result, &error);

  if (link == NULL)
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", link));
}

typedef struct
{
  GDBusMethodInvocation *invocation;
  char *name;
  GBytes *json;
} PublishData;

static void
publish_data_free (PublishData *data)
{
  g_free (data->name);
  g_bytes_unref (data->json);
  g_free (data);
}

static void
on_dbus_publish_ready_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  PublishData *data = user_data;
  GkGatewayService *service = GK_GATEWAY_SERVICE (object);
  GError *error = NULL;
  g_auto(GStrv) none = gk_gateway_service_links_finish (service, result, &error);
  const char *profile;

  if (none == NULL)
    {
      g_dbus_method_invocation_take_error (data->invocation, error);
      publish_data_free (data);
      return;
    }
  g_variant_get_child (g_dbus_method_invocation_get_parameters (data->invocation), 0, "&s", &profile);
  gk_gateway_publish_config_async (gk_gateway_service_get_gateway (service), profile, data->name,
                                   data->json, NULL,
                                   on_dbus_published_cb, data->invocation);
  publish_data_free (data);
}

static void
on_dbus_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  GkGatewayService *service = GK_GATEWAY_SERVICE (object);
  GError *error = NULL;

  if (!gk_gateway_service_start_finish (service, result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(q)",
                                                          gk_gateway_get_port (gk_gateway_service_get_gateway (service))));
}

static void
on_dbus_revoked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  GError *error = NULL;

  if (!gk_gateway_revoke_finish (GK_GATEWAY (object), result, &error))
    g_dbus_method_invocation_take_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_method_call_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  GkGatewayServiceDBus *self = user_data;
  GkGatewayService *service = self->service;

  if (g_str_equal (method_name, "Links"))
    {
      const char *profile;
      g_auto(GStrv) uris = NULL;

      g_variant_get (parameters, "(&s^as)", &profile, &uris);
      gk_gateway_service_links_async (service, profile, (const char * const *) uris, NULL,
                                      on_dbus_links_cb, invocation);
    }
  else if (g_str_equal (method_name, "PublishConfig"))
    {
      PublishData *data = g_new0 (PublishData, 1);
      const char *profile;
      const char *none[] = { NULL };
      g_autoptr(GVariant) json = NULL;

      g_variant_get (parameters, "(&ss@ay)", &profile, &data->name, &json);
      data->invocation = invocation;
      data->json = g_variant_get_data_as_bytes (json);
      /* Served and running first, as for links. */
      gk_gateway_service_links_async (service, profile, none, NULL, on_dbus_publish_ready_cb, data);
    }
  else if (g_str_equal (method_name, "Status"))
    {
      GVariant *status = gk_gateway_service_dup_status (service);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", status));
      g_variant_unref (status);
    }
  else if (g_str_equal (method_name, "Start"))
    gk_gateway_service_start_async (service, NULL, on_dbus_started_cb, invocation);
  else if (g_str_equal (method_name, "Stop"))
    {
      gk_gateway_service_stop (service);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "Revoke"))
    {
      const char *profile;

      g_variant_get (parameters, "(&s)", &profile);
      gk_gateway_revoke_async (gk_gateway_service_get_gateway (service), profile, NULL, on_dbus_revoked_cb, invocation);
    }
  else if (g_str_equal (method_name, "Forget"))
    {
      const char *profile;

      g_variant_get (parameters, "(&s)", &profile);
      /* Signed out elsewhere: whoever shows the sign-in reads it again. */
      gk_gateway_service_forget_signed_out (service, profile);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "no method %s", method_name);
}

static const GDBusInterfaceVTable vtable = { on_method_call_cb, NULL, NULL, { 0 } };

/**
 * gk_gateway_service_dbus_export:
 * @object_path: the application's object path
 *
 * Answers the gateway's D-Bus interface there until
 * gk_gateway_service_dbus_unexport() (or until @self goes).
 */
gboolean
gk_gateway_service_dbus_export (GkGatewayServiceDBus  *self,
                                GDBusConnection       *connection,
                                const char            *object_path,
                                GError               **error)
{
  g_return_val_if_fail (GK_IS_GATEWAY_SERVICE_DBUS (self), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  gk_gateway_dbus_ensure_errors ();
  self->registration_id = g_dbus_connection_register_object (connection, object_path,
                                                             gk_gateway_dbus_get_interface_info (),
                                                             &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;
  self->connection = g_object_ref (connection);
  return TRUE;
}

void
gk_gateway_service_dbus_unexport (GkGatewayServiceDBus *self)
{
  g_return_if_fail (GK_IS_GATEWAY_SERVICE_DBUS (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

static void
gk_gateway_service_dbus_dispose (GObject *object)
{
  GkGatewayServiceDBus *self = GK_GATEWAY_SERVICE_DBUS (object);

  gk_gateway_service_dbus_unexport (self);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (gk_gateway_service_dbus_parent_class)->dispose (object);
}

static void
gk_gateway_service_dbus_class_init (GkGatewayServiceDBusClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_gateway_service_dbus_dispose;
}

static void
gk_gateway_service_dbus_init (GkGatewayServiceDBus *self)
{
}

/**
 * gk_gateway_service_dbus_new:
 *
 * The D-Bus face of @service, not yet exported.
 */
GkGatewayServiceDBus *
gk_gateway_service_dbus_new (GkGatewayService *service)
{
  GkGatewayServiceDBus *self;

  g_return_val_if_fail (GK_IS_GATEWAY_SERVICE (service), NULL);

  self = g_object_new (GK_TYPE_GATEWAY_SERVICE_DBUS, NULL);
  self->service = g_object_ref (service);
  return self;
}
