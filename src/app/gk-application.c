/* gk-application.c: the GApplication — the account, app-wide actions,
 * notifications, About, Preferences
 *
 * The application holds the one GkAccount every window shows, so the
 * sign-in outlives any window and a second window shares it. Signing in
 * and out are its actions, and it tells the user through notifications
 * when renewal needs them, whichever window is open, or none. As the
 * primary instance it runs the account's gateway, answers for it on D-Bus,
 * and stays alive while the gateway serves someone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-app-hints.h"
#include "gk-application.h"
#include "gk-gateway-service-dbus.h"
#include "gk-resources.h"
#include "gk-preferences-window.h"
#include "gk-window.h"
#include "gk-test-hooks.h"

struct _GkApplication
{
  AdwApplication parent_instance;

  GkAccount *account;
  GSettings *settings;
  GkGatewayServiceDBus *gateway_dbus; /* while the primary instance is registered */
  gboolean held;               /* for the gateway, while it serves someone */
  gboolean renewal_notified;
  gboolean expiry_notified;
};

G_DEFINE_FINAL_TYPE (GkApplication, gk_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Notifications: only while renewal needs the user, withdrawn after. */
#define RENEWAL_NOTIFICATION "renewal-needs-sign-in"
#define EXPIRY_NOTIFICATION  "credentials-expiring"

static GkWindow *
get_window (GkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL || !GK_IS_WINDOW (window))
    window = GTK_WINDOW (gk_window_new (GTK_APPLICATION (self),
                                        gk_application_get_account (self)));
  return GK_WINDOW (window);
}

/* The window the user looks at, if any: where a toast goes. */
static GkWindow *
peek_window (GkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return window != NULL && GK_IS_WINDOW (window) ? GK_WINDOW (window) : NULL;
}

static void
show_error (GkApplication *self,
            const GError  *error)
{
  GkWindow *window = peek_window (self);

  if (window != NULL)
    gk_window_show_error (window, error);
}

static void
show_toast (GkApplication *self,
            const char    *message)
{
  GkWindow *window = peek_window (self);

  if (window != NULL)
    gk_window_show_toast (window, message);
}

static void
send_notification (GkApplication *self,
                   const char    *id,
                   const char    *title,
                   const char    *body)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button (notification, _("Sign In Again"), "app.sign-in-again");
  g_notification_set_default_action (notification, "app.sign-in-again");
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* The account says when the user is needed; notifications say it outside
 * the window, once each, and go away when it no longer holds. */
static void
update_notifications (GkApplication *self)
{
  GkSession *session = gk_account_get_session (self->account);

  if (!gk_account_get_needs_sign_in (self->account))
    {
      if (self->renewal_notified || self->expiry_notified)
        {
          g_application_withdraw_notification (G_APPLICATION (self), RENEWAL_NOTIFICATION);
          g_application_withdraw_notification (G_APPLICATION (self), EXPIRY_NOTIFICATION);
        }
      self->renewal_notified = FALSE;
      self->expiry_notified = FALSE;
      return;
    }
  if (!self->renewal_notified)
    {
      const GError *error = session ? gk_session_get_renewal_error (session) : NULL;
      g_autofree char *body = error != NULL ? gk_app_dup_error_text (error) : NULL;

      self->renewal_notified = TRUE;
      send_notification (self, RENEWAL_NOTIFICATION, _("Sign In Again to Keep Working"),
                         body != NULL ? body : _("Genokey can no longer renew your credentials."));
    }
  if (gk_account_get_expiry_warning (self->account) && !self->expiry_notified)
    {
      self->expiry_notified = TRUE;
      send_notification (self, EXPIRY_NOTIFICATION,
                         _("Your Lab Credentials Run Out Soon"),
                         _("Links and transfers stop working in a few minutes. Sign in again to keep working."));
    }
}

static void
on_account_attention_cb (GkApplication *self)
{
  update_notifications (self);
}

static void
on_account_profile_cb (GkApplication *self)
{
  GkProfile *profile = gk_account_get_profile (self->account);

  if (profile != NULL && self->settings != NULL)
    g_settings_set_string (self->settings, "last-profile", gk_profile_get_name (profile));
}

static void
on_account_authorization_pending_cb (GkAccount     *account,
                                     const char    *uri,
                                     gboolean       browser_opened,
                                     GkApplication *self)
{
  if (!browser_opened)
    show_toast (self, _("No web browser opened. Use “Copy Link” and open it in a browser on this computer."));
}

static void
on_account_failed_cb (GkAccount     *account,
                      const GError  *error,
                      GkApplication *self)
{
  show_error (self, error);
}

static void
on_sign_in_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkApplication) self = user_data;
  GkWindow *window;

  /* A failure is on the account (sign-in-error) for every window. */
  if (!gk_account_sign_in_finish (GK_ACCOUNT (object), result, NULL))
    return;
  /* The browser had the focus; the account line says who signed in. */
  window = peek_window (self);
  if (window != NULL)
    gtk_window_present (GTK_WINDOW (window));
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GkApplication *self = user_data;

  if (gk_account_get_session (self->account) == NULL
      || gk_account_get_state (self->account) == GK_ACCOUNT_STATE_SIGNING_IN)
    return;
  /* Test hook GENOKEY_NO_BROWSER: the window's tests must never start a
   * real browser; the page's Copy Link hands the address over instead. */
  gk_account_sign_in_async (self->account,
                            gk_test_hook ("GENOKEY_NO_BROWSER") ? GK_SIGN_IN_FLAGS_NO_BROWSER
                                                                : GK_SIGN_IN_FLAGS_NONE,
                            NULL, on_sign_in_cb, g_object_ref (self));
}

static void
cancel_sign_in_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GkApplication *self = user_data;

  gk_account_cancel_sign_in (self->account);
}

static void
on_sign_out_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GkApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_account_sign_out_finish (GK_ACCOUNT (object), result, &error))
    show_error (self, error);
  else
    show_toast (self, _("Signed out"));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GkApplication *self = user_data;

  if (gk_account_get_session (self->account) == NULL)
    return;
  gk_account_sign_out_async (self->account, NULL, on_sign_out_cb, g_object_ref (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GkApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows first lets each save its size. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GkApplication *self = user_data;
  static const char *developers[] = { "The Genokey developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Genokey"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Genokey developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/genokey/genokey",
                        "issue-url", "https://github.com/genokey/genokey/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Sign in to your lab once, keep the sign-in in the keyring, and open private S3 genomics data in IGV, IGV-Web and Chromoscope."),
                        /* Translators: your name and e-mail, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GkApplication *self = user_data;
  GkPreferencesWindow *preferences;

  preferences = gk_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)));
  gk_preferences_window_set_gateway (preferences, gk_account_get_gateway (gk_application_get_account (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

/* The notification's button: bring the window up and start the sign-in. */
static void
sign_in_again_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GkApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (get_window (self)));
  g_action_group_activate_action (G_ACTION_GROUP (self), "sign-in", NULL);
}

/* "s3://bucket/key" from outside (a link handler, `gapplication action`). */
static void
show_location_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GkApplication *self = user_data;
  GkWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-location", parameter);
}

/* Links handed out must keep working when the last window closes: the
 * application stays alive while its gateway serves someone. */
static void
on_gateway_active_cb (GkApplication *self)
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

/* Follows the account from start-up on, and selects the profile the
 * window showed last (else the one the command line used last). */
static void
account_start (GkApplication *self)
{
  GkAccount *account = gk_application_get_account (self);
  g_autofree char *last = NULL;
  g_autoptr(GError) error = NULL;

  self->settings = g_settings_new (APP_ID);
  last = g_settings_get_string (self->settings, "last-profile");

  gk_account_set_auto_renew (account, TRUE);
  g_signal_connect_swapped (account, "notify::needs-sign-in", G_CALLBACK (on_account_attention_cb), self);
  g_signal_connect_swapped (account, "notify::expiry-warning", G_CALLBACK (on_account_attention_cb), self);
  g_signal_connect_swapped (account, "notify::profile", G_CALLBACK (on_account_profile_cb), self);
  g_signal_connect (account, "authorization-pending", G_CALLBACK (on_account_authorization_pending_cb), self);
  g_signal_connect (account, "failed", G_CALLBACK (on_account_failed_cb), self);

  gk_gateway_service_bind_settings (gk_account_get_gateway (account), self->settings);
  /* Main Menu › Presigned Links for Viewers: links for another computer. */
  {
    g_autoptr(GAction) presigned = g_settings_create_action (self->settings, "presigned-links");

    g_action_map_add_action (G_ACTION_MAP (self), presigned);
  }
  g_signal_connect_object (gk_account_get_gateway (account), "notify::active",
                           G_CALLBACK (on_gateway_active_cb), self, G_CONNECT_SWAPPED);

  if (!gk_account_reload_profiles (account, last[0] != '\0' ? last : NULL, &error))
    g_warning ("%s", error->message);
  update_notifications (self);
  on_gateway_active_cb (self);
}

static gboolean
gk_application_dbus_register (GApplication     *app,
                              GDBusConnection  *connection,
                              const char       *object_path,
                              GError          **error)
{
  GkApplication *self = GK_APPLICATION (app);
  GkAccount *account;

  if (!G_APPLICATION_CLASS (gk_application_parent_class)->dbus_register (app, connection, object_path,
                                                                         error))
    return FALSE;
  /* Only the primary instance gets here: it runs the gateway. */
  account = gk_application_get_account (self);
  self->gateway_dbus = gk_gateway_service_dbus_new (gk_account_get_gateway (account));
  return gk_gateway_service_dbus_export (self->gateway_dbus, connection, object_path, error);
}

static void
gk_application_dbus_unregister (GApplication    *app,
                                GDBusConnection *connection,
                                const char      *object_path)
{
  GkApplication *self = GK_APPLICATION (app);

  if (self->gateway_dbus != NULL)
    gk_gateway_service_dbus_unexport (self->gateway_dbus);
  g_clear_object (&self->gateway_dbus);
  G_APPLICATION_CLASS (gk_application_parent_class)->dbus_unregister (app, connection, object_path);
}

static const GActionEntry app_actions[] = {
  { "show-location", show_location_action, "s" },
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "sign-in", sign_in_action },
  { "cancel-sign-in", cancel_sign_in_action },
  { "sign-out", sign_out_action },
  { "sign-in-again", sign_in_again_action },
};

static void
gk_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (GK_APPLICATION (app))));
}

static void
gk_application_startup (GApplication *app)
{
  GkApplication *self = GK_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.filter", { "<Control>f", NULL } },
    { "win.reload", { "<Control>r", "F5", NULL } },
    { "win.go-up", { "<Alt>Up", NULL } },
    { "win.copy-link", { "<Control><Shift>c", NULL } },
    { "win.open-in-igv", { "<Control>i", NULL } },
    { "app.sign-in", { "<Control>Return", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (gk_application_parent_class)->startup (app);

  /* Follow the system's light/dark preference (AdwStyleManager's default),
   * stated here so nobody "fixes" it to force light. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  account_start (self);
}

static void
gk_application_dispose (GObject *object)
{
  GkApplication *self = GK_APPLICATION (object);

  g_clear_object (&self->gateway_dbus);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gk_application_parent_class)->dispose (object);
}

static void
gk_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GkApplication *self = GK_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, gk_application_get_account (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GkApplication *self = GK_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_application_class_init (GkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  gk_application_ensure_resources ();
  /* Notification servers without desktop-file lookups show this name. It
   * belongs to the process, so it is set once, with the class. */
  g_set_application_name (_("Genokey"));

  object_class->dispose = gk_application_dispose;
  object_class->get_property = gk_application_get_property;
  object_class->set_property = gk_application_set_property;
  app_class->activate = gk_application_activate;
  app_class->startup = gk_application_startup;
  app_class->dbus_register = gk_application_dbus_register;
  app_class->dbus_unregister = gk_application_dbus_unregister;

  /**
   * GkApplication:account:
   *
   * What the application is signed in to. %NULL at construction makes the
   * user's own (their profiles, the desktop's keyring); tests give one
   * over a memory keyring.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, GK_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_application_init (GkApplication *self)
{
}

/**
 * gk_application_get_account:
 *
 * Returns: (transfer none): what the application is signed in to
 */
GkAccount *
gk_application_get_account (GkApplication *self)
{
  g_return_val_if_fail (GK_IS_APPLICATION (self), NULL);

  if (self->account == NULL)
    self->account = gk_account_new (NULL, NULL);
  return self->account;
}

GkApplication *
gk_application_new (void)
{
  return g_object_new (GK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", APP_PATH,
                       NULL);
}

/**
 * gk_application_schema_is_installed:
 *
 * Whether GSettings can find the application's schema (installed, or named
 * by GSETTINGS_SCHEMA_DIR as `meson devenv` does). Without it the first
 * g_settings_new() aborts the process.
 */
gboolean
gk_application_schema_is_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return FALSE;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL;
}

/**
 * gk_application_ensure_resources:
 *
 * Registers the window's templates, style and icons. Called before any
 * widget class is made; widget tests call it too.
 */
void
gk_application_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      GdkDisplay *display;

      gk_register_resource ();
      /* Without a GkApplication (widget tests) nobody else loads the
       * style sheet and the icons from the bundle. */
      display = gdk_display_get_default ();
      if (display != NULL)
        {
          g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

          gtk_css_provider_load_from_resource (css, APP_PATH "/style.css");
          gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
          gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                            APP_PATH "/icons");
        }
      g_once_init_leave (&registered, 1);
    }
}
