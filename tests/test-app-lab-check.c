/* test-app-lab-check.c: the window's Lab Check page
 *
 * Runs under Xvfb (see tests/meson.build) without a keyring daemon or a
 * session bus: the application holds an account over a memory-only
 * keyring, and the lab is a fake HTTP server on a loopback port whose
 * hosted login refuses the profile's callback URL until the test registers
 * it. The page must show what core found (the problem first, open, with
 * its fix), copy the fix, check again, and give the window back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gk-application.h"
#include "gk-lab-check-page.h"
#include "gk-profile-store.h"
#include "gk-window.h"
#include "gk-test.h"

typedef struct
{
  GkTestServer *server;
  gboolean callback_registered;
  guint authorize_requests;
} FakeLab;

static char *config_home;
static GkApplication *app;

/* The hosted login, as Cognito answers an authorization request. */
static void
handle_authorize_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  FakeLab *lab = user_data;

  lab->authorize_requests++;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                lab->callback_registered
                                ? "/login?client_id=client"
                                : "/error?error=redirect_mismatch&client_id=client");
  gk_test_respond (msg, 302, NULL, NULL);
}

/* The identity pool, refusing identities without a sign-in. */
static void
handle_identity_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  gk_test_respond (msg, 400, "application/x-amz-json-1.1",
                   "{\"__type\":\"NotAuthorizedException\","
                   "\"message\":\"Unauthenticated access is not supported for this identity pool.\"}");
}

static void
fake_lab_start (FakeLab    *lab,
                const char *name)
{
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *origin;
  char *json;

  lab->server = gk_test_server_new ();
  gk_test_server_add_handler (lab->server, "/oauth2/authorize", handle_authorize_cb, lab);
  gk_test_server_add_handler (lab->server, "/identity", handle_identity_cb, lab);
  origin = gk_test_server_get_origin (lab->server);
  json = g_strdup_printf ("{\"client_id\":\"client\","
                          "\"authorization_endpoint\":\"%1$s/oauth2/authorize\","
                          "\"token_endpoint\":\"%1$s/oauth2/token\","
                          "\"issuer\":\"%1$s/eu-west-2_AbCdEf123\",\"jwks_uri\":\"%1$s/jwks\","
                          "\"cognito_identity_endpoint\":\"%1$s/identity\",\"sts_endpoint\":\"%1$s/sts\","
                          "\"endpoint_url\":\"%1$s\",\"buckets\":[\"demo-lab\"],"
                          "\"redirect_uri\":\"http://localhost:%2$u/oauthCallback\","
                          "\"aws_region\":\"eu-west-2\",\"aws_cognito_pool_id\":\"eu-west-2_AbCdEf123\","
                          "\"aws_cognito_fed_pool_id\":\"eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789\"}",
                          origin, gk_test_free_port ());
  bytes = g_bytes_new_take (json, strlen (json));
  profiles = gk_profile_store_import_bytes (store, bytes, name, TRUE, &error);
  g_assert_no_error (error);
}

static GtkWidget *
present_window (void)
{
  g_autoptr(GkKeyring) keyring = gk_test_keyring_new ();
  g_autoptr(GkAccount) account = gk_account_new (NULL, keyring);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GkWindow *window;

  /* The gateway's port: one nobody holds, not the shared default. */
  g_settings_set_value (settings, "gateway-port", g_variant_new_uint16 (gk_test_free_port ()));
  app = g_object_new (GK_TYPE_APPLICATION,
                      "application-id", APP_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "account", account,
                      NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = gk_window_new (GTK_APPLICATION (app), gk_application_get_account (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  gtk_window_present (GTK_WINDOW (window));
  gk_test_wait_until_msg (!g_str_equal (gk_window_get_visible_page (window), "loading"),
                          "a page other than “loading”");
  return GTK_WIDGET (window);
}

static void
stop_app (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  g_clear_object (&app);
}

/* Every widget of @type under @root, depth first. */
static void
collect_widgets (GtkWidget *root,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_widgets (root, type, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

static gboolean
page_has_label (GtkWidget  *page,
                const char *prefix)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (page, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (g_ptr_array_index (labels, i))
        && g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), prefix))
      return TRUE;
  return FALSE;
}

/* The expander row titled @title, if shown. */
static AdwExpanderRow *
find_row (GtkWidget  *page,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (page, ADW_TYPE_EXPANDER_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title))
      return g_ptr_array_index (rows, i);
  return NULL;
}

static const GkDoctorFinding *
find_finding (GkLabCheckPage *page,
              const char     *check,
              guint          *index)
{
  GPtrArray *findings = gk_lab_check_page_get_findings (page);

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    if (g_str_equal (gk_doctor_finding_get_check (g_ptr_array_index (findings, i)), check))
      {
        if (index != NULL)
          *index = i;
        return g_ptr_array_index (findings, i);
      }
  return NULL;
}

static gboolean
check_finished (GkLabCheckPage *page)
{
  return !gk_lab_check_page_get_running (page) && gk_lab_check_page_get_findings (page) != NULL;
}

static void
test_lab_check_shows_copies_and_checks_again (void)
{
  FakeLab lab = { 0 };
  GtkWidget *window;
  GkLabCheckPage *page;
  AdwExpanderRow *row;
  const GkDoctorFinding *problem, *note;
  g_autoptr(GAsyncResult) read = NULL;
  g_autofree char *copied = NULL;
  guint index = 0;

  fake_lab_start (&lab, "genome-lab");
  window = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-out");

  g_assert_true (gtk_widget_activate_action (window, "win.lab-check", NULL));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "lab-check");
  page = GK_LAB_CHECK_PAGE (find_widget (window, GK_TYPE_LAB_CHECK_PAGE));
  g_assert_nonnull (page);
  gk_test_wait_until_msg (check_finished (page), "the lab check to finish");
  g_assert_cmpuint (lab.authorize_requests, ==, 1);

  /* Core's findings, as core worded them. */
  problem = find_finding (page, "callback-url", &index);
  g_assert_nonnull (problem);
  g_assert_cmpint (gk_doctor_finding_get_severity (problem), ==, GK_DOCTOR_PROBLEM);
  note = find_finding (page, "sign-in", NULL);
  g_assert_nonnull (note);
  g_assert_cmpint (gk_doctor_finding_get_severity (note), ==, GK_DOCTOR_NOTE);
  g_assert_true (page_has_label (GTK_WIDGET (page), "Something Does Not Work"));
  g_assert_true (page_has_label (GTK_WIDGET (page), "1 problem, 0 warnings, 1 note; "));

  /* The problem is shown open, with what it means and its fix. */
  row = find_row (GTK_WIDGET (page), "The callback URL is not registered");
  g_assert_nonnull (row);
  g_assert_true (adw_expander_row_get_expanded (row));
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (row), "Problem · http://localhost:"));
  g_assert_true (page_has_label (GTK_WIDGET (page), "The hosted login refuses sign-ins that return to"));
  g_assert_true (page_has_label (GTK_WIDGET (page), "# update-user-pool-client resets"));
  g_assert_nonnull (find_row (GTK_WIDGET (page), "Not signed in: the checks that need a sign-in were skipped"));

  /* Copy Fix puts the fix, exactly, on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lab-check.copy-fix", "u", index));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (window), NULL, gk_test_store_result_cb, &read);
  copied = gdk_clipboard_read_text_finish (gtk_widget_get_clipboard (window),
                                           gk_test_wait_for_result (&read), NULL);
  g_assert_cmpstr (copied, ==, gk_doctor_finding_get_fix (problem));

  /* The admin registers the callback; Check Again finds nothing wrong. */
  lab.callback_registered = TRUE;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lab-check.run", NULL));
  g_assert_true (gk_lab_check_page_get_running (page));
  gk_test_wait_until_msg (check_finished (page), "the second lab check to finish");
  g_assert_cmpuint (lab.authorize_requests, ==, 2);
  g_assert_cmpint (gk_doctor_finding_get_severity (find_finding (page, "callback-url", NULL)), ==, GK_DOCTOR_OK);
  g_assert_null (find_row (GTK_WIDGET (page), "The callback URL is not registered"));
  g_assert_true (page_has_label (GTK_WIDGET (page), "0 problems, 0 warnings, 1 note; "));

  /* Back gives the window its page again. */
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-out");

  stop_app ();
  gk_test_server_free (lab.server);
}

/* A check cancelled by Back leaves nothing running behind the window. */
static void
test_lab_check_back_cancels (void)
{
  FakeLab lab = { 0 };
  GtkWidget *window;
  GkLabCheckPage *page;

  fake_lab_start (&lab, "genome-lab");
  window = present_window ();
  g_assert_true (gtk_widget_activate_action (window, "win.lab-check", NULL));
  page = GK_LAB_CHECK_PAGE (find_widget (window, GK_TYPE_LAB_CHECK_PAGE));
  g_assert_true (gk_lab_check_page_get_running (page));
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  g_assert_false (gk_lab_check_page_get_running (page));
  g_assert_null (gk_lab_check_page_get_findings (page));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-out");
  stop_app ();
  gk_test_server_free (lab.server);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime_dir = NULL;

  config_home = g_dir_make_tmp ("gk-test-lab-check-XXXXXX", &error);
  g_assert_no_error (error);
  runtime_dir = g_dir_make_tmp ("gk-test-lab-check-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  /* No session bus: the application is not unique. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  gk_application_ensure_resources ();

  g_test_add_func ("/app/lab-check/shows-copies-and-checks-again", test_lab_check_shows_copies_and_checks_again);
  g_test_add_func ("/app/lab-check/back-cancels-the-check", test_lab_check_back_cancels);

  return g_test_run ();
}
