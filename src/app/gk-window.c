/* gk-window.c: the main window — which page shows, and the window's actions
 *
 * A window is a view over the application's GkAccount: no profile →
 * welcome; otherwise the account's state picks signed-out, signing-in or
 * signed-in. Signing in and out are the application's actions, so every
 * window shows the same sign-in. Every decision about tokens, links and
 * listings is core's; this file only shows core's state and forwards the
 * user's clicks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-account.h"
#include "gk-app-hints.h"
#include "gk-doctor.h"
#include "gk-loopback.h"
#include "gk-lab-check-page.h"
#include "gk-s3-browser.h"
#include "gk-signed-in-page.h"
#include "gk-signed-out-page.h"
#include "gk-signing-in-page.h"
#include "gk-welcome-page.h"
#include "gk-window.h"
#include "gk-test-hooks.h"

struct _GkWindow
{
  AdwApplicationWindow parent_instance;

  GkAccount *account;
  GSettings *settings;
  gboolean adding_profile;  /* the welcome page shown to add another lab */
  gboolean checking_lab;    /* the Lab Check page shown, over any state */
  gboolean files_marked;    /* GENOKEY_BENCH: the files were shown once */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *back_button;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkStack *stack;
  GtkSpinner *loading_spinner;
  guint loading_spinner_id;
  /* Pages are made when first shown (ensure_page ()): what the first frame
   * does not show costs neither start-up time nor memory. NULL until then. */
  GkWelcomePage *welcome_page;
  GkSignedOutPage *signed_out_page;
  GkSigningInPage *signing_in_page;
  GkSignedInPage *signed_in_page;
  GkS3Browser *browser;
  GkLabCheckPage *lab_check_page;
};

G_DEFINE_FINAL_TYPE (GkWindow, gk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void on_welcome_page_imported_cb     (GkWindow  *self,
                                             GkProfile *profile);
static void on_signed_out_page_selected_cb  (GkWindow  *self);
static void on_account_profiles_cb          (GkWindow  *self);
static void on_browser_show_error_cb        (GkWindow     *self,
                                             const GError *error);
static void on_browser_show_message_cb      (GkWindow   *self,
                                             const char *message);
static void on_browser_loading_cb           (GkWindow  *self);

/* Makes the page @name the first time it is needed. */
static GtkWidget *
ensure_page (GkWindow   *self,
             const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, name);

  if (page != NULL)
    return page;

  if (g_str_equal (name, "loading"))
    g_return_val_if_reached (NULL);
  if (g_str_equal (name, "welcome"))
    {
      self->welcome_page = gk_welcome_page_new ();
      gk_welcome_page_set_store (self->welcome_page, gk_account_get_store (self->account));
      gk_welcome_page_set_keyring (self->welcome_page, gk_account_get_keyring (self->account));
      g_signal_connect_swapped (self->welcome_page, "imported", G_CALLBACK (on_welcome_page_imported_cb), self);
      page = GTK_WIDGET (self->welcome_page);
    }
  else if (g_str_equal (name, "signed-out"))
    {
      self->signed_out_page = gk_signed_out_page_new ();
      page = GTK_WIDGET (self->signed_out_page);
      on_account_profiles_cb (self);
      g_signal_connect_swapped (self->signed_out_page, "notify::selected",
                                G_CALLBACK (on_signed_out_page_selected_cb), self);
    }
  else if (g_str_equal (name, "signing-in"))
    {
      self->signing_in_page = gk_signing_in_page_new ();
      page = GTK_WIDGET (self->signing_in_page);
    }
  else if (g_str_equal (name, "lab-check"))
    {
      self->lab_check_page = gk_lab_check_page_new ();
      g_signal_connect_swapped (self->lab_check_page, "show-message",
                                G_CALLBACK (on_browser_show_message_cb), self);
      page = GTK_WIDGET (self->lab_check_page);
    }
  else if (g_str_equal (name, "signed-in"))
    {
      self->signed_in_page = gk_signed_in_page_new ();
      self->browser = gk_s3_browser_new ();
      g_signal_connect_swapped (self->browser, "show-error", G_CALLBACK (on_browser_show_error_cb), self);
      g_signal_connect_swapped (self->browser, "show-message", G_CALLBACK (on_browser_show_message_cb), self);
      if (gk_test_hook ("GENOKEY_BENCH") != NULL)
        g_signal_connect_swapped (self->browser, "notify::loading", G_CALLBACK (on_browser_loading_cb), self);
      gk_signed_in_page_set_content (self->signed_in_page, GTK_WIDGET (self->browser));
      /* The viewers read through the account's gateway. */
      gk_s3_browser_set_link_minter (self->browser, GK_LINK_MINTER (gk_account_get_gateway (self->account)));
      page = GTK_WIDGET (self->signed_in_page);
    }
  else
    g_return_val_if_reached (NULL);

  gtk_stack_add_named (self->stack, page, name);
  return page;
}

/* Reading the sign-in from the keyring takes a moment; a spinner that
 * flashed for it would only cost frames (and, with GL, shaders). It shows
 * when the wait gets long enough to notice. */
#define LOADING_SPINNER_DELAY_MS 400

static gboolean
on_loading_spinner_delay_cb (gpointer user_data)
{
  GkWindow *self = user_data;

  self->loading_spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), TRUE);
  gtk_spinner_start (self->loading_spinner);
  return G_SOURCE_REMOVE;
}

static void
show_page (GkWindow   *self,
           const char *name)
{
  GkProfile *profile = gk_account_get_profile (self->account);
  GkSession *session = gk_account_get_session (self->account);
  /* The welcome page doubles as "add another lab", and the Lab Check is
   * a look aside: both have a way back. */
  gboolean aside = (g_str_equal (name, "welcome") && profile != NULL) || g_str_equal (name, "lab-check");

  ensure_page (self, name);
  if (g_str_equal (name, "loading") && self->loading_spinner_id == 0
      && !gtk_widget_get_visible (GTK_WIDGET (self->loading_spinner)))
    self->loading_spinner_id = g_timeout_add (LOADING_SPINNER_DELAY_MS, on_loading_spinner_delay_cb, self);
  else if (!g_str_equal (name, "loading"))
    {
      g_clear_handle_id (&self->loading_spinner_id, g_source_remove);
      gtk_spinner_stop (self->loading_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), FALSE);
    }
  /* Leaving the spinner of start-up is no change the user made: no
   * crossfade, which would paint the whole window twice offscreen. */
  gtk_stack_set_visible_child_full (self->stack, name,
                                    g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "loading") == 0
                                    ? GTK_STACK_TRANSITION_TYPE_NONE
                                    : gtk_stack_get_transition_type (self->stack));
  /* The window list (and assistive tools) say who is signed in. */
  if (g_str_equal (name, "signed-in") && session != NULL && gk_session_get_email (session) != NULL)
    {
      /* Translators: the window title when signed in; %s is an e-mail address */
      g_autofree char *title = g_strdup_printf (_("%s — Genokey"), gk_session_get_email (session));
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Genokey"));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), aside);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", aside);
  adw_window_title_set_subtitle (self->window_title,
                                 profile != NULL && !g_str_equal (name, "welcome")
                                 ? gk_profile_get_name (profile) : NULL);
}

static void
show_sign_in_error (GkWindow     *self,
                    const GError *error)
{
  const char *title;

  if (g_error_matches (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_IGV_HOLDS_PORT))
    title = _("IGV Is Using the Sign-In Port");
  else if (g_error_matches (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_PORT_IN_USE))
    title = _("The Sign-In Port Is Busy");
  else if (g_error_matches (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_TIMED_OUT))
    title = _("The Sign-In Timed Out");
  else
    title = _("Sign-In Did Not Finish");
  ensure_page (self, "signing-in");
  gk_signing_in_page_show_error (self->signing_in_page, title, error->message);
  show_page (self, "signing-in");
}

/* What a profile that is not a lab sign-in shows where a sign-in shows
 * who and until when. */
static void
show_source (GkWindow  *self,
             GkProfile *profile)
{
  g_autofree char *status = NULL;
  const char *title = NULL;

  switch (gk_profile_get_source (profile))
    {
    case GK_PROFILE_SOURCE_ACCESS_KEY:
      title = gk_profile_get_access_key_id (profile);
      status = g_strdup (_("An IAM user’s access key, from the keyring; it does not expire"));
      break;
    case GK_PROFILE_SOURCE_ASSUME_ROLE:
      title = gk_profile_get_assume_role_arn (profile);
      /* Translators: %s is the name of the profile whose credentials assume the role */
      status = g_strdup_printf (_("A role assumed with profile “%s”, renewed automatically"),
                                gk_profile_get_source_profile (profile));
      break;
    case GK_PROFILE_SOURCE_INSTANCE_PROFILE:
      title = _("This EC2 instance’s role");
      status = g_strdup (_("Credentials from the instance, renewed by EC2"));
      break;
    case GK_PROFILE_SOURCE_COGNITO:
    default:
      g_return_if_reached ();
    }
  gk_signed_in_page_set_source (self->signed_in_page, title, status);
}

static void
show_signed_in (GkWindow *self)
{
  GkSession *session = gk_account_get_session (self->account);
  GkProfile *profile = gk_account_get_profile (self->account);
  GkSessionState state = session ? gk_session_get_state (session) : GK_SESSION_STATE_SIGNED_IN;
  const GError *renewal_error = session ? gk_session_get_renewal_error (session) : NULL;

  ensure_page (self, "signed-in");
  if (session == NULL && profile != NULL && !gk_profile_is_sign_in (profile))
    show_source (self, profile);
  else
    gk_signed_in_page_set_account (self->signed_in_page,
                                   session ? gk_session_get_email (session) : NULL,
                                   session ? gk_session_get_credentials_expiration (session) : 0,
                                   state == GK_SESSION_STATE_RENEWING,
                                   state == GK_SESSION_STATE_NEEDS_SIGN_IN
                                   ? (renewal_error ? renewal_error->message
                                      : _("Genokey can no longer renew your credentials."))
                                   : NULL);
  if (gk_s3_browser_get_client (self->browser) != gk_account_get_s3_client (self->account))
    {
      gk_s3_browser_set_client (self->browser, gk_account_get_s3_client (self->account));
      gk_s3_browser_set_chromoscope_prefix (self->browser, gk_profile_get_chromoscope_prefix (profile));
    }
  show_page (self, "signed-in");
}

/* The page follows the account: no profile → welcome, then the sign-in's
 * state; a failed sign-in stays explained until it is retried or
 * cancelled. */
static void
update_view (GkWindow *self)
{
  const GError *sign_in_error = gk_account_get_sign_in_error (self->account);
  GkAccountState state = gk_account_get_state (self->account);

  gtk_revealer_set_reveal_child (self->banner_revealer, gk_account_get_needs_sign_in (self->account));
  if (state != GK_ACCOUNT_STATE_SIGNED_IN && self->browser != NULL)
    gk_s3_browser_set_client (self->browser, NULL);

  if (self->adding_profile || state == GK_ACCOUNT_STATE_NO_PROFILE)
    {
      show_page (self, "welcome");
      return;
    }
  if (self->checking_lab)
    {
      show_page (self, "lab-check");
      return;
    }
  if (sign_in_error != NULL && state != GK_ACCOUNT_STATE_SIGNING_IN)
    {
      show_sign_in_error (self, sign_in_error);
      return;
    }

  switch (state)
    {
    case GK_ACCOUNT_STATE_LOADING:
      show_page (self, "loading");
      break;
    case GK_ACCOUNT_STATE_SIGNING_IN:
      ensure_page (self, "signing-in");
      gk_signing_in_page_show_waiting (self->signing_in_page);
      show_page (self, "signing-in");
      break;
    case GK_ACCOUNT_STATE_SIGNED_IN:
      show_signed_in (self);
      break;
    case GK_ACCOUNT_STATE_SIGNED_OUT:
    case GK_ACCOUNT_STATE_NO_PROFILE:
    default:
      show_page (self, "signed-out");
      break;
    }
}

static void
on_account_changed_cb (GkWindow *self)
{
  update_view (self);
}

static void
on_account_profiles_cb (GkWindow *self)
{
  GkProfile *profile = gk_account_get_profile (self->account);

  if (self->signed_out_page == NULL)
    return;
  gk_signed_out_page_set_profiles (self->signed_out_page, gk_account_get_profiles (self->account),
                                   profile ? gk_profile_get_name (profile) : NULL);
}

static void
on_welcome_page_imported_cb (GkWindow  *self,
                             GkProfile *profile)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  self->adding_profile = FALSE;
  if (!gk_account_reload_profiles (self->account, gk_profile_get_name (profile), &error))
    gk_window_show_error (self, error);
  /* Translators: %s is the profile name */
  message = g_strdup_printf (_("Added “%s”"), gk_profile_get_name (profile));
  gk_window_show_toast (self, message);
  update_view (self);
}

static void
on_signed_out_page_selected_cb (GkWindow *self)
{
  const char *name = gk_signed_out_page_get_selected (self->signed_out_page);

  if (name != NULL)
    gk_account_select_profile (self->account, name);
}

static void
copy_sign_in_link_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);
  GkSession *session = gk_account_get_session (self->account);
  const char *uri = session ? gk_session_get_authorization_uri (session) : NULL;

  if (uri == NULL)
    {
      gk_window_show_toast (self, _("The login link is not ready yet. Try again in a moment."));
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), uri);
  /* The browser must redirect back to this computer's port. */
  gk_window_show_toast (self, _("Link copied. Open it in a web browser on this computer."));
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

/* Keyboard Shortcuts: built when first asked for, not with every window
 * (GtkApplication would build gtk/help-overlay.ui for each one). */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (APP_PATH "/gk-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_set_destroy_with_parent (shortcuts, TRUE);
  gtk_window_present (shortcuts);
}

static void
add_profile_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  ensure_page (self, "welcome");
  gk_welcome_page_reset (self->welcome_page);
  self->adding_profile = TRUE;
  update_view (self);
}

/* A check of the selected profile as the account has it: its credential
 * source, and the account's gateway, which this process runs. */
static GkDoctor *
new_doctor (GkWindow  *self,
            GkProfile *profile)
{
  GkGatewayService *service = gk_account_get_gateway (self->account);
  GkGateway *gateway = gk_gateway_service_get_gateway (service);
  GkDoctor *doctor = gk_doctor_new (profile, gk_account_get_source (self->account));
  GkDoctorGateway info = {
    .running = gk_gateway_is_running (gateway),
    .origins = gk_gateway_get_allowed_origins (gateway),
  };

  info.port = info.running ? gk_gateway_get_port (gateway) : gk_gateway_service_get_port (service);
  gk_doctor_set_gateway (doctor, &info);
  return doctor;
}

static void
lab_check_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);
  GkProfile *profile = gk_account_get_profile (self->account);
  g_autoptr(GkDoctor) doctor = NULL;

  if (profile == NULL)
    {
      gk_window_show_toast (self, _("Add the lab’s configuration first: the check needs a profile."));
      return;
    }
  ensure_page (self, "lab-check");
  doctor = new_doctor (self, profile);
  gk_lab_check_page_run (self->lab_check_page, doctor);
  self->adding_profile = FALSE;
  self->checking_lab = TRUE;
  update_view (self);
}

/* Another profile selected: a check of the one before would mislead. */
static void
on_account_profile_cb (GkWindow *self)
{
  GkDoctor *doctor = self->lab_check_page != NULL
    ? gk_lab_check_page_get_doctor (self->lab_check_page) : NULL;

  if (!self->checking_lab || doctor == NULL
      || gk_doctor_get_profile (doctor) == gk_account_get_profile (self->account))
    return;
  gk_lab_check_page_stop (self->lab_check_page);
  self->checking_lab = FALSE;
  update_view (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  if (self->welcome_page != NULL)
    gk_welcome_page_reset (self->welcome_page);
  if (self->lab_check_page != NULL)
    gk_lab_check_page_stop (self->lab_check_page);
  self->adding_profile = FALSE;
  self->checking_lab = FALSE;
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

/* Test hook GENOKEY_BENCH=1: tests/bench/startup.sh reads these marks
 * (wall-clock microseconds) from stderr to time start-up against the
 * process start, and the window's end-to-end test waits for the first. */
static void
bench_mark (const char *what)
{
  if (gk_test_hook ("GENOKEY_BENCH") != NULL)
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
  if (!self->files_marked && !gk_s3_browser_is_loading (self->browser)
      && gk_s3_browser_get_pages_loaded (self->browser) > 0)
    {
      self->files_marked = TRUE;
      bench_mark ("files-shown");
    }
}

static void
gk_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gk_window_parent_class)->realize (widget);

  if (gk_test_hook ("GENOKEY_BENCH") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                      G_CALLBACK (on_first_paint_cb), widget);
}

static void
gk_window_dispose (GObject *object)
{
  GkWindow *self = GK_WINDOW (object);

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_handle_id (&self->loading_spinner_id, g_source_remove);
  g_clear_object (&self->account);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gk_window_parent_class)->dispose (object);
}

static void
gk_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GkWindow *self = GK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GkWindow *self = GK_WINDOW (object);

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
gk_window_constructed (GObject *object)
{
  GkWindow *self = GK_WINDOW (object);

  G_OBJECT_CLASS (gk_window_parent_class)->constructed (object);

  g_return_if_fail (GK_IS_ACCOUNT (self->account));
  g_signal_connect_object (self->account, "changed", G_CALLBACK (on_account_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::needs-sign-in", G_CALLBACK (on_account_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::profiles", G_CALLBACK (on_account_profiles_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::profile", G_CALLBACK (on_account_profiles_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::profile", G_CALLBACK (on_account_profile_cb),
                           self, G_CONNECT_SWAPPED);
  update_view (self);
}

static void
gk_window_class_init (GkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gk_window_constructed;
  object_class->dispose = gk_window_dispose;
  object_class->get_property = gk_window_get_property;
  object_class->set_property = gk_window_set_property;
  window_class->close_request = gk_window_close_request;
  widget_class->realize = gk_window_realize;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, GK_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, loading_spinner);

  gtk_widget_class_install_action (widget_class, "win.copy-sign-in-link", NULL, copy_sign_in_link_action);
  gtk_widget_class_install_action (widget_class, "win.filter", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.go-up", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.copy-link", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.open-in-igv", NULL, browser_action);
  gtk_widget_class_install_action (widget_class, "win.show-location", "s", show_location_action);
  gtk_widget_class_install_action (widget_class, "win.add-profile", NULL, add_profile_action);
  gtk_widget_class_install_action (widget_class, "win.lab-check", NULL, lab_check_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
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
}

/**
 * gk_window_new:
 * @application: the application the window belongs to
 * @account: what it shows: the application's account
 *
 * The application makes its windows and hands each its account; a window
 * knows nothing of the application beyond GtkApplication.
 */
GkWindow *
gk_window_new (GtkApplication *application,
               GkAccount      *account)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GK_IS_ACCOUNT (account), NULL);

  return g_object_new (GK_TYPE_WINDOW,
                       "application", application,
                       "account", account,
                       NULL);
}

GkAccount *
gk_window_get_account (GkWindow *self)
{
  g_return_val_if_fail (GK_IS_WINDOW (self), NULL);

  return self->account;
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
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (GK_IS_WINDOW (self));

  /* A toast's title is Pango markup; messages quote S3 keys and servers'
   * words, and "<a href=…>" in a key must stay text, not become a link. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Core's message says what is wrong; the window adds its own way on. */
void
gk_window_show_error (GkWindow     *self,
                      const GError *error)
{
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (GK_IS_WINDOW (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = gk_app_dup_error_text (error);
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
