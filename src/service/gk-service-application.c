/* gk-service-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-account.h"
#include "gk-gateway-service-dbus.h"
#include "gk-service-application.h"

/* After the gateway stops serving (sign-out, `genokey gateway stop`), the
 * process lingers this long for a quick next call, then exits. */
#define INACTIVITY_TIMEOUT_MS 10000

struct _GkServiceApplication
{
  GApplication parent_instance;

  GkAccount *account;
  GSettings *settings;
  GkGatewayServiceDBus *gateway_dbus; /* while the primary instance is registered */
  gboolean held;
};

G_DEFINE_FINAL_TYPE (GkServiceApplication, gk_service_application, G_TYPE_APPLICATION)

static GkAccount *
get_account (GkServiceApplication *self)
{
  if (self->account == NULL)
    self->account = gk_account_new (NULL, NULL);
  return self->account;
}

static void
on_gateway_active_cb (GkServiceApplication *self)
{
  gboolean active = gk_gateway_service_get_active (gk_account_get_gateway (self->account));

  if (active == self->held)
    return;
  self->held = active;
  if (active)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static gboolean
gk_service_application_dbus_register (GApplication     *app,
                                      GDBusConnection  *connection,
                                      const char       *object_path,
                                      GError          **error)
{
  GkServiceApplication *self = GK_SERVICE_APPLICATION (app);

  if (!G_APPLICATION_CLASS (gk_service_application_parent_class)->dbus_register (app, connection,
                                                                                 object_path, error))
    return FALSE;
  self->gateway_dbus = gk_gateway_service_dbus_new (gk_account_get_gateway (get_account (self)));
  return gk_gateway_service_dbus_export (self->gateway_dbus, connection, object_path, error);
}

static void
gk_service_application_dbus_unregister (GApplication    *app,
                                        GDBusConnection *connection,
                                        const char      *object_path)
{
  GkServiceApplication *self = GK_SERVICE_APPLICATION (app);

  if (self->gateway_dbus != NULL)
    gk_gateway_service_dbus_unexport (self->gateway_dbus);
  g_clear_object (&self->gateway_dbus);
  G_APPLICATION_CLASS (gk_service_application_parent_class)->dbus_unregister (app, connection,
                                                                              object_path);
}

static void
gk_service_application_startup (GApplication *app)
{
  GkServiceApplication *self = GK_SERVICE_APPLICATION (app);
  GkAccount *account = get_account (self);
  GkGatewayService *gateway = gk_account_get_gateway (account);
  g_autofree char *last = NULL;
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (gk_service_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  last = g_settings_get_string (self->settings, "last-profile");
  gk_account_set_auto_renew (account, TRUE);
  gk_gateway_service_bind_settings (gateway, self->settings);
  g_signal_connect_object (gateway, "notify::active", G_CALLBACK (on_gateway_active_cb), self,
                           G_CONNECT_SWAPPED);
  if (!gk_account_reload_profiles (account, last[0] != '\0' ? last : NULL, &error))
    g_warning ("%s", error->message);
  on_gateway_active_cb (self);
}

static void
gk_service_application_activate (GApplication *app)
{
  /* Someone opened Genokey's window while this windowless service (started
   * without a display) answers for it: no window can open from here. */
  g_message ("%s", _("Genokey runs without a display here, so it cannot open its window. Stop it with “genokey gateway stop” and open Genokey again from the desktop."));
}

static void
gk_service_application_dispose (GObject *object)
{
  GkServiceApplication *self = GK_SERVICE_APPLICATION (object);

  g_clear_object (&self->gateway_dbus);
  g_clear_object (&self->account);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (gk_service_application_parent_class)->dispose (object);
}

static void
gk_service_application_class_init (GkServiceApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gk_service_application_dispose;
  app_class->startup = gk_service_application_startup;
  app_class->activate = gk_service_application_activate;
  app_class->dbus_register = gk_service_application_dbus_register;
  app_class->dbus_unregister = gk_service_application_dbus_unregister;
}

static void
gk_service_application_init (GkServiceApplication *self)
{
}

GkServiceApplication *
gk_service_application_new (void)
{
  GkServiceApplication *self = g_object_new (GK_TYPE_SERVICE_APPLICATION,
                                             "application-id", APP_ID,
                                             /* --gapplication-service makes it a
                                              * service; GApplication knows that
                                              * option only without the flag. */
                                             "flags", G_APPLICATION_DEFAULT_FLAGS,
                                             NULL);

  g_application_set_inactivity_timeout (G_APPLICATION (self), INACTIVITY_TIMEOUT_MS);
  return self;
}

/**
 * gk_service_application_wanted:
 *
 * Whether this run is D-Bus starting the service (`--gapplication-service`)
 * where no display is to be had: then GTK cannot start and this
 * application answers instead.
 */
gboolean
gk_service_application_wanted (int    argc,
                               char **argv)
{
  if (argc != 2 || !g_str_equal (argv[1], "--gapplication-service"))
    return FALSE;
  return g_getenv ("WAYLAND_DISPLAY") == NULL && g_getenv ("DISPLAY") == NULL;
}
