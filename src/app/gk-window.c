/* gk-window.c: the main window — which page shows, and the window's actions
 *
 * The pages follow the profile store and the session: no profile → welcome;
 * otherwise the session's state picks signed-out, signing-in or signed-in.
 * Every decision about tokens, links and listings is core's; this file only
 * shows core's state and forwards the user's clicks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-keyring.h"
#include "gk-loopback.h"
#include "gk-profile-store.h"
#include "gk-s3-browser.h"
#include "gk-session.h"
#include "gk-signed-in-page.h"
#include "gk-signed-out-page.h"
#include "gk-signing-in-page.h"
#include "gk-welcome-page.h"
#include "gk-window.h"

struct _GkWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  GkProfileStore *store;
  GPtrArray *profiles;
  GkProfile *profile;
  GkKeyring *keyring;
  GkSession *session;
  GkS3Client *client;
  GCancellable *session_cancellable;
  GCancellable *sign_in_cancellable;
  gboolean restoring;
  gboolean sign_in_failed;
  gboolean renewal_notified;
  gboolean expiry_notified;
  guint expiry_warning_id;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *back_button;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkStack *stack;
  GkWelcomePage *welcome_page;
  GkSignedOutPage *signed_out_page;
  GkSigningInPage *signing_in_page;
  GkSignedInPage *signed_in_page;
  GkS3Browser *browser;
};

G_DEFINE_FINAL_TYPE (GkWindow, gk_window, ADW_TYPE_APPLICATION_WINDOW)

static void set_session (GkWindow *self);
static void update_view (GkWindow *self);

static void
show_page (GkWindow   *self,
           const char *name)
{
  gboolean adding = g_str_equal (name, "welcome") && self->profiles != NULL && self->profiles->len > 0;

  /* Pages start hidden, because GTK styles and measures hidden stack pages
   * too, loading their icons and fonts before the first frame. A page
   * joins when first shown. */
  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->stack, name), TRUE);
  gtk_stack_set_visible_child_name (self->stack, name);
  /* The window list (and assistive tools) say who is signed in. */
  if (g_str_equal (name, "signed-in") && self->session != NULL && gk_session_get_email (self->session) != NULL)
    {
      /* Translators: the window title when signed in; %s is an e-mail address */
      g_autofree char *title = g_strdup_printf (_("%s — Genokey"), gk_session_get_email (self->session));
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Genokey"));
  /* The welcome page doubles as "add another lab": then there is a way back. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), adding);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", adding);
  adw_window_title_set_subtitle (self->window_title,
                                 self->profile != NULL && !g_str_equal (name, "welcome")
                                 ? gk_profile_get_name (self->profile) : NULL);
}

static void
select_profile (GkWindow   *self,
                const char *name)
{
  GkProfile *found = NULL;

  for (guint i = 0; self->profiles != NULL && i < self->profiles->len; i++)
    if (g_strcmp0 (gk_profile_get_name (self->profiles->pdata[i]), name) == 0)
      found = self->profiles->pdata[i];
  if (found == NULL && self->profiles != NULL && self->profiles->len > 0)
    found = self->profiles->pdata[0];
  if (found == self->profile)
    return;

  g_set_object (&self->profile, found);
  set_session (self);
  if (found != NULL)
    {
      g_settings_set_string (self->settings, "last-profile", gk_profile_get_name (found));
      /* The command line follows the window's choice too. */
      gk_profile_store_set_last_used (self->store, gk_profile_get_name (found));
    }
}

static void
reload_profiles (GkWindow   *self,
                 const char *select)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GPtrArray) profiles = NULL;

  profiles = gk_profile_store_list (self->store, &error);
  if (profiles == NULL)
    {
      gk_window_show_error (self, error);
      profiles = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&profiles);

  if (select == NULL)
    {
      last = g_settings_get_string (self->settings, "last-profile");
      if (last[0] == '\0')
        {
          g_free (last);
          last = gk_profile_store_dup_last_used (self->store);
        }
      select = last;
    }
  select_profile (self, select);
  gk_signed_out_page_set_profiles (self->signed_out_page, self->profiles,
                                   self->profile ? gk_profile_get_name (self->profile) : NULL);
}

/* Notifications: only while renewal needs the user, withdrawn after. */
#define RENEWAL_NOTIFICATION "renewal-needs-sign-in"
#define EXPIRY_NOTIFICATION  "credentials-expiring"
#define EXPIRY_WARNING_SECONDS (5 * 60)

static void
send_notification (GkWindow   *self,
                   const char *id,
                   const char *title,
                   const char *body)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL)
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button (notification, _("Sign In Again"), "app.sign-in-again");
  g_notification_set_default_action (notification, "app.sign-in-again");
  g_application_send_notification (G_APPLICATION (app), id, notification);
}

static void
withdraw_notifications (GkWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_clear_handle_id (&self->expiry_warning_id, g_source_remove);
  if (app != NULL && (self->renewal_notified || self->expiry_notified))
    {
      g_application_withdraw_notification (G_APPLICATION (app), RENEWAL_NOTIFICATION);
      g_application_withdraw_notification (G_APPLICATION (app), EXPIRY_NOTIFICATION);
    }
  self->renewal_notified = FALSE;
  self->expiry_notified = FALSE;
}

static gboolean
on_expiry_warning_cb (gpointer user_data)
{
  GkWindow *self = user_data;

  self->expiry_warning_id = 0;
  self->expiry_notified = TRUE;
  send_notification (self, EXPIRY_NOTIFICATION,
                     _("Your Lab Credentials Run Out Soon"),
                     _("Links and transfers stop working in a few minutes. Sign in again to keep working."));
  return G_SOURCE_REMOVE;
}

static void
update_renewal_problem (GkWindow *self,
                        gint64    now)
{
  gboolean needs_user = self->session != NULL
    && gk_session_get_state (self->session) == GK_SESSION_STATE_NEEDS_SIGN_IN;
  gint64 expiration;
  gboolean notified_now = FALSE;

  gtk_revealer_set_reveal_child (self->banner_revealer, needs_user);
  if (!needs_user)
    {
      withdraw_notifications (self);
      return;
    }

  gtk_label_set_label (self->banner_label,
                       _("Genokey can no longer renew your credentials. Sign in again to keep working."));
  if (!self->renewal_notified)
    {
      const GError *error = gk_session_get_renewal_error (self->session);

      self->renewal_notified = TRUE;
      notified_now = TRUE;
      send_notification (self, RENEWAL_NOTIFICATION, _("Sign In Again to Keep Working"),
                         error != NULL ? error->message
                         : _("Genokey can no longer renew your credentials."));
    }
  /* Credentials that cannot be renewed: warn a few minutes before the end. */
  expiration = gk_session_get_credentials_expiration (self->session);
  if (!self->expiry_notified && self->expiry_warning_id == 0 && expiration > now)
    {
      gint64 delay = expiration - EXPIRY_WARNING_SECONDS - now;

      /* Within the last minutes already: the notification just sent asks
       * for the sign-in, and a second one at the same moment would only
       * repeat it. */
      if (delay <= 0 && notified_now)
        self->expiry_notified = TRUE;
      else if (delay <= 0)
        on_expiry_warning_cb (self);
      else
        self->expiry_warning_id = g_timeout_add_seconds ((guint) MIN (delay, G_MAXUINT),
                                                         on_expiry_warning_cb, self);
    }
}

static void
set_client (GkWindow   *self,
            GkS3Client *client)
{
  if (!g_set_object (&self->client, client))
    return;
  gk_s3_browser_set_client (self->browser, client);
}

static void
update_view (GkWindow *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GkSessionState state;
  const GError *renewal_error;

  if (self->profile == NULL || self->session == NULL)
    {
      set_client (self, NULL);
      update_renewal_problem (self, now);
      show_page (self, self->profile == NULL ? "welcome" : "signed-out");
      return;
    }
  if (self->restoring)
    {
      show_page (self, "loading");
      return;
    }

  state = gk_session_get_state (self->session);
  update_renewal_problem (self, now);
  if (self->sign_in_failed)
    {
      show_page (self, "signing-in");
      return;
    }

  switch (state)
    {
    case GK_SESSION_STATE_SIGNING_IN:
      gk_signing_in_page_show_waiting (self->signing_in_page);
      show_page (self, "signing-in");
      break;

    case GK_SESSION_STATE_SIGNED_IN:
    case GK_SESSION_STATE_RENEWING:
    case GK_SESSION_STATE_NEEDS_SIGN_IN:
      /* Needing a sign-in does not end the work: the credentials in hand
       * stay good until they expire. */
      if (state == GK_SESSION_STATE_NEEDS_SIGN_IN
          && gk_session_get_credentials_expiration (self->session) <= now)
        {
          set_client (self, NULL);
          show_page (self, "signed-out");
          break;
        }
      renewal_error = gk_session_get_renewal_error (self->session);
      gk_signed_in_page_set_account (self->signed_in_page,
                                     gk_session_get_email (self->session),
                                     gk_session_get_credentials_expiration (self->session),
                                     state == GK_SESSION_STATE_RENEWING,
                                     state == GK_SESSION_STATE_NEEDS_SIGN_IN
                                     ? (renewal_error ? renewal_error->message
                                        : _("Genokey can no longer renew your credentials."))
                                     : NULL);
      if (self->client == NULL)
        {
          g_autoptr(GkS3Client) client =
            gk_s3_client_new_for_profile (self->profile, GK_CREDENTIAL_SOURCE (self->session));

          set_client (self, client);
          gk_s3_browser_set_chromoscope_prefix (self->browser,
                                                gk_profile_get_chromoscope_prefix (self->profile));
        }
      show_page (self, "signed-in");
      break;

    case GK_SESSION_STATE_SIGNED_OUT:
    default:
      set_client (self, NULL);
      show_page (self, "signed-out");
      break;
    }
}

static void
on_session_changed_cb (GkWindow *self)
{
  update_view (self);
}

static void
on_authorization_pending_cb (GkSession  *session,
                             const char *uri,
                             gboolean    browser_opened,
                             GkWindow   *self)
{
  if (!browser_opened)
    gk_window_show_toast (self, _("No web browser opened. Use “Copy Link” and open it in a browser on this computer."));
}

static void
on_restore_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_session_restore_finish (GK_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gk_window_show_error (self, error);
    }
  if (GK_SESSION (object) != self->session)
    return;
  self->restoring = FALSE;
  update_view (self);
}

static void
set_session (GkWindow *self)
{
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  g_cancellable_cancel (self->session_cancellable);
  g_clear_object (&self->session_cancellable);
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_failed = FALSE;
  set_client (self, NULL);
  withdraw_notifications (self);

  if (self->profile == NULL)
    return;

  if (self->keyring == NULL)
    self->keyring = gk_keyring_new ();
  self->session = gk_session_new (self->profile, self->keyring);
  gk_session_set_auto_renew (self->session, TRUE);
  g_signal_connect_swapped (self->session, "notify::state", G_CALLBACK (on_session_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::email", G_CALLBACK (on_session_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::credentials-expiration", G_CALLBACK (on_session_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::renewal-error", G_CALLBACK (on_session_changed_cb), self);
  g_signal_connect (self->session, "authorization-pending", G_CALLBACK (on_authorization_pending_cb), self);

  self->restoring = TRUE;
  self->session_cancellable = g_cancellable_new ();
  gk_session_restore_async (self->session, self->session_cancellable, on_restore_cb, g_object_ref (self));
}

static void
on_welcome_page_imported_cb (GkWindow  *self,
                             GkProfile *profile)
{
  g_autofree char *message = NULL;

  reload_profiles (self, gk_profile_get_name (profile));
  /* Translators: %s is the profile name */
  message = g_strdup_printf (_("Added “%s”"), gk_profile_get_name (profile));
  gk_window_show_toast (self, message);
  update_view (self);
}

static void
on_signed_out_page_selected_cb (GkWindow *self)
{
  const char *name = gk_signed_out_page_get_selected (self->signed_out_page);

  if (name != NULL && (self->profile == NULL || g_strcmp0 (name, gk_profile_get_name (self->profile)) != 0))
    {
      select_profile (self, name);
      update_view (self);
    }
}

static void
on_sign_in_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gk_session_sign_in_finish (GK_SESSION (object), result, &error))
    {
      if (GK_SESSION (object) != self->session)
        return;
      /* The browser had the focus; the account line says who signed in. */
      gtk_window_present (GTK_WINDOW (self));
      update_view (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || GK_SESSION (object) != self->session)
    return;

  self->sign_in_failed = TRUE;
  if (g_error_matches (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_IGV_HOLDS_PORT))
    gk_signing_in_page_show_error (self->signing_in_page,
                                   _("IGV Is Using the Sign-In Port"), error->message);
  else if (g_error_matches (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_PORT_IN_USE))
    gk_signing_in_page_show_error (self->signing_in_page,
                                   _("The Sign-In Port Is Busy"), error->message);
  else if (g_error_matches (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_TIMED_OUT))
    gk_signing_in_page_show_error (self->signing_in_page,
                                   _("The Sign-In Timed Out"), error->message);
  else
    gk_signing_in_page_show_error (self->signing_in_page,
                                   _("Sign-In Did Not Finish"), error->message);
  update_view (self);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  if (self->session == NULL || gk_session_get_state (self->session) == GK_SESSION_STATE_SIGNING_IN)
    return;
  self->sign_in_failed = FALSE;
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  gk_signing_in_page_show_waiting (self->signing_in_page);
  show_page (self, "signing-in");
  /* GENOKEY_NO_BROWSER: a remote or kiosk desktop where no browser should
   * open; the page's Copy Link hands the address over instead. */
  gk_session_sign_in_async (self->session,
                            g_getenv ("GENOKEY_NO_BROWSER") ? GK_SIGN_IN_FLAGS_NO_BROWSER
                                                            : GK_SIGN_IN_FLAGS_NONE,
                            self->sign_in_cancellable, on_sign_in_cb, g_object_ref (self));
}

static void
cancel_sign_in_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  self->sign_in_failed = FALSE;
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  update_view (self);
}

static void
copy_sign_in_link_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);
  const char *uri = self->session ? gk_session_get_authorization_uri (self->session) : NULL;

  if (uri == NULL)
    {
      gk_window_show_toast (self, _("The login link is not ready yet. Try again in a moment."));
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), uri);
  /* The browser must redirect back to this computer's port. */
  gk_window_show_toast (self, _("Link copied. Open it in a web browser on this computer."));
}

static void
on_sign_out_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_session_sign_out_finish (GK_SESSION (object), result, &error))
    gk_window_show_error (self, error);
  else
    gk_window_show_toast (self, _("Signed out"));
  update_view (self);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  if (self->session == NULL)
    return;
  set_client (self, NULL);
  gk_session_sign_out_async (self->session, NULL, on_sign_out_cb, g_object_ref (self));
}

/* The file actions live on the browser; the window's accelerators reach
 * them only while the files are shown. */
static void
browser_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);
  g_autofree char *name = NULL;

  if (!g_str_equal (gk_window_get_visible_page (self), "signed-in"))
    return;
  if (g_str_equal (action_name, "win.filter"))
    {
      gk_s3_browser_focus_filter (self->browser);
      return;
    }
  name = g_strconcat ("browser.", action_name + strlen ("win."), NULL);
  gtk_widget_activate_action (GTK_WIDGET (self->browser), name, NULL);
}

/* "s3://bucket/key": shows that file, e.g. from a link someone sent, or
 * from `gapplication action` in tests. */
static void
show_location_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  if (!gk_s3_parse_uri (g_variant_get_string (parameter, NULL), &bucket, &key, &error))
    {
      gk_window_show_error (self, error);
      return;
    }
  if (!g_str_equal (gk_window_get_visible_page (self), "signed-in"))
    {
      gk_window_show_toast (self, _("Sign in first to open files."));
      return;
    }
  gk_s3_browser_reveal (self->browser, bucket, key ? key : "");
}

static void
on_browser_show_error_cb (GkWindow     *self,
                          const GError *error)
{
  gk_window_show_error (self, error);
}

static void
on_browser_show_message_cb (GkWindow   *self,
                            const char *message)
{
  gk_window_show_toast (self, message);
}

static void
add_profile_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  gk_welcome_page_reset (self->welcome_page);
  show_page (self, "welcome");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  gk_welcome_page_reset (self->welcome_page);
  update_view (self);
}

static void
save_window_size (GkWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
gk_window_close_request (GtkWindow *window)
{
  save_window_size (GK_WINDOW (window));

  return GTK_WINDOW_CLASS (gk_window_parent_class)->close_request (window);
}

/* GENOKEY_BENCH=1: tests/bench/startup.sh reads these marks (wall-clock
 * microseconds) from stderr to time start-up against the process start. */
static void
bench_mark (const char *what)
{
  if (g_getenv ("GENOKEY_BENCH") != NULL)
    g_printerr ("genokey-bench: %s %" G_GINT64_FORMAT "\n", what, g_get_real_time ());
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   GkWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint_cb, self);
  bench_mark ("first-frame");
}

static void
on_browser_loading_cb (GkWindow *self)
{
  static gboolean marked;

  if (!marked && !gk_s3_browser_is_loading (self->browser)
      && gk_s3_browser_get_pages_loaded (self->browser) > 0)
    {
      marked = TRUE;
      bench_mark ("files-shown");
    }
}

static void
gk_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gk_window_parent_class)->realize (widget);

  if (g_getenv ("GENOKEY_BENCH") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                      G_CALLBACK (on_first_paint_cb), widget);
}

static void
gk_window_dispose (GObject *object)
{
  GkWindow *self = GK_WINDOW (object);

  g_clear_object (&self->profile);
  set_session (self);
  g_clear_object (&self->keyring);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gk_window_parent_class)->dispose (object);
}

static void
gk_window_class_init (GkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gk_window_dispose;
  window_class->close_request = gk_window_close_request;
  widget_class->realize = gk_window_realize;

  g_type_ensure (GK_TYPE_WELCOME_PAGE);
  g_type_ensure (GK_TYPE_SIGNED_OUT_PAGE);
  g_type_ensure (GK_TYPE_SIGNING_IN_PAGE);
  g_type_ensure (GK_TYPE_SIGNED_IN_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, signed_out_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, signing_in_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, signed_in_page);
  gtk_widget_class_bind_template_callback (widget_class, on_welcome_page_imported_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_out_page_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-sign-in", NULL, cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.copy-sign-in-link", NULL, copy_sign_in_link_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.filter", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.go-up", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.copy-link", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.open-in-igv", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.show-location", "s", show_location_action);
  gtk_widget_class_install_action (widget_class, "win.add-profile", NULL, add_profile_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
}

static void
gk_window_init (GkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_str_equal (PROFILE, "Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->browser = gk_s3_browser_new ();
  g_signal_connect_swapped (self->browser, "show-error", G_CALLBACK (on_browser_show_error_cb), self);
  g_signal_connect_swapped (self->browser, "show-message", G_CALLBACK (on_browser_show_message_cb), self);
  if (g_getenv ("GENOKEY_BENCH") != NULL)
    g_signal_connect_swapped (self->browser, "notify::loading", G_CALLBACK (on_browser_loading_cb), self);
  gk_signed_in_page_set_content (self->signed_in_page, GTK_WIDGET (self->browser));

  self->store = gk_profile_store_new (NULL);
  gk_welcome_page_set_store (self->welcome_page, self->store);

  reload_profiles (self, NULL);
  update_view (self);
}

GkWindow *
gk_window_new (GkApplication *application)
{
  return g_object_new (GK_TYPE_WINDOW, "application", application, NULL);
}

/**
 * gk_window_get_visible_page:
 *
 * Returns: the name of the page shown: "welcome", "signed-out",
 *   "signing-in", "signed-in" or "loading"
 */
const char *
gk_window_get_visible_page (GkWindow *self)
{
  g_return_val_if_fail (GK_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
gk_window_show_toast (GkWindow   *self,
                      const char *message)
{
  AdwToast *toast;

  g_return_if_fail (GK_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Core's messages already say what to do; show them as they are. */
void
gk_window_show_error (GkWindow     *self,
                      const GError *error)
{
  AdwToast *toast;

  g_return_if_fail (GK_IS_WINDOW (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  toast = adw_toast_new (error->message);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
