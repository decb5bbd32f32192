/* test-app-pages.c: the window's pages and what they show; windows as views
 * of the application's one account
 *
 * Runs under Xvfb (see tests/meson.build) without a keyring daemon or a
 * session bus: each test's application holds an account over a memory-only
 * keyring, which a test fills as a sign-in would. The profiles live in a
 * temporary XDG_CONFIG_HOME emptied before each test.
 * (G_TEST_OPTION_ISOLATE_DIRS would also hide XDG_DATA_DIRS, and with it the
 * MIME database GdkPixbuf needs to recognise SVG icons.) Screenshots of the
 * pages go to $GK_BUILD_ROOT/test-artifacts/ for people to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "gk-app-hints.h"
#include "gk-application.h"
#include "gk-browser-item.h"
#include "gk-preferences-window.h"
#include "gk-profile-store.h"
#include "gk-s3-browser.h"
#include "gk-signed-in-page.h"
#include "gk-signing-in-page.h"
#include "gk-welcome-page.h"
#include "gk-window.h"
#include "gk-test.h"

#define LAB_CONFIG \
  "{\n" \
  "  \"client_id\": \"4abc5def6ghi\",\n" \
  "  \"auth_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize\",\n" \
  "  \"token_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token\",\n" \
  "  \"scope\": \"email%20openid%20profile\",\n" \
  "  \"aws_region\": \"eu-west-2\",\n" \
  "  \"aws_cognito_pool_id\": \"eu-west-2_AbCdEf123\",\n" \
  "  \"aws_cognito_fed_pool_id\": \"eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789\"\n" \
  "}\n"

static char *config_home;

/* Every message any library logs during the tests (debug included), for
 * tests that check a secret never reached one. */
static GString *logged;

static GLogWriterOutput
record_log_cb (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (logged, "%s\n", (const char *) fields[i].value);
  /* Only what the default writer would print without G_MESSAGES_DEBUG. */
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Each test's application, over an account whose keyring is memory only. */
static GkApplication *app;
static GkKeyring *keyring;

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

/* Every test starts without profiles. */
static void
reset_profiles (void)
{
  g_autofree char *path = g_build_filename (config_home, "genokey", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (path);

  remove_tree (dir);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   guint         *painted)
{
  (*painted)++;
}

/* Waits until @widget's window has drawn a frame after what the test just
 * changed, so sizes are known and a screenshot shows the change. */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock;
  guint painted = 0;
  gulong handler;

  gk_test_wait_until_msg (gtk_widget_get_mapped (widget), "the window to be mapped");
  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  gk_test_wait_until_msg (painted > 0, "the window to draw a frame");
  g_signal_handler_disconnect (clock, handler);
}

/* Renders the window as the user would see it into a PNG artifact. */
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *root = g_getenv ("GK_BUILD_ROOT");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  if (root == NULL)
    return;
  wait_for_paint (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  if (width <= 0 || height <= 0)
    return;
  dir = g_build_filename (root, "test-artifacts", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/app-%s.png", dir, name);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean
page_is (GtkWidget  *window,
         const char *name)
{
  return g_str_equal (gk_window_get_visible_page (GK_WINDOW (window)), name);
}

/* Waits until the session has read the keyring and a real page shows. */
static void
wait_settled (GtkWidget *window)
{
  gk_test_wait_until_msg (!page_is (window, "loading"), "a page other than “loading”");
}

/* A fresh application (not unique, so no session bus is needed) over a
 * fresh account, which reads the profiles as at start-up. */
static void
start_app (void)
{
  g_autoptr(GkAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (app);
  if (keyring == NULL)
    keyring = gk_test_keyring_new ();
  account = gk_account_new (NULL, keyring);
  app = g_object_new (GK_TYPE_APPLICATION,
                      "application-id", APP_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "account", account,
                      NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
}

static void
stop_app (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  g_clear_object (&app);
  g_clear_object (&keyring);
}

static GtkWidget *
present_window (void)
{
  GkWindow *window;

  if (app == NULL)
    start_app ();
  window = gk_window_new (GTK_APPLICATION (app), gk_application_get_account (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  gtk_window_present (GTK_WINDOW (window));
  wait_settled (GTK_WIDGET (window));
  return GTK_WIDGET (window);
}

static void
import_lab_profile (const char *name)
{
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static (LAB_CONFIG, strlen (LAB_CONFIG));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;

  profiles = gk_profile_store_import_bytes (store, bytes, name, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 1);
}

static void
test_window_welcome_without_profile (void)
{
  GtkWidget *window;

  reset_profiles ();
  window = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "welcome");
  save_screenshot (window, "welcome");
  stop_app ();
}

static void
test_window_signed_out_with_profile (void)
{
  GtkWidget *window;

  reset_profiles ();
  import_lab_profile ("genome-lab");
  window = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-out");
  save_screenshot (window, "signed-out");
  stop_app ();
}

/* The first widget of @type under @root, depth first. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every widget of @type under @root, in depth-first order. */
static void
find_widgets (GtkWidget *root,
              GType      type,
              GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_widgets (child, type, found);
}

/* Pastes @text into the welcome page and presses Import. */
static GkWelcomePage *
paste_and_import (GtkWidget  *window,
                  const char *text)
{
  GkWelcomePage *page = GK_WELCOME_PAGE (find_widget (window, GK_TYPE_WELCOME_PAGE));
  GtkTextView *view = GTK_TEXT_VIEW (find_widget (GTK_WIDGET (page), GTK_TYPE_TEXT_VIEW));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "welcome.import-pasted", NULL));
  wait_settled (window);
  return page;
}

static gboolean
shortcuts_window_exists (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window))
        return TRUE;
    }
  return FALSE;
}

/* Start-up builds what the first frame shows and nothing else: the pages
 * of the other states, the file list and the shortcuts window come when
 * first needed. */
static void
test_window_builds_pages_when_shown (void)
{
  GtkWidget *window;

  reset_profiles ();
  window = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "welcome");
  g_assert_nonnull (find_widget (window, GK_TYPE_WELCOME_PAGE));
  g_assert_null (find_widget (window, GK_TYPE_SIGNED_IN_PAGE));
  g_assert_null (find_widget (window, GK_TYPE_S3_BROWSER));
  g_assert_null (find_widget (window, GK_TYPE_SIGNING_IN_PAGE));
  g_assert_false (shortcuts_window_exists ());

  g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
  g_assert_true (shortcuts_window_exists ());
  /* It goes with its window. */
  stop_app ();
  gk_test_wait_until_msg (!shortcuts_window_exists (), "the shortcuts window to go with its window");
}

static void
test_welcome_not_json_inline (void)
{
  GtkWidget *window;
  GkWelcomePage *page;

  reset_profiles ();
  window = present_window ();
  page = paste_and_import (window, "client_id: abc");
  g_assert_nonnull (gk_welcome_page_get_error (page));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "welcome");
  save_screenshot (window, "welcome-error");
  stop_app ();
}

static void
test_welcome_missing_key_named (void)
{
  GtkWidget *window;
  g_autofree char *config = g_strdup (LAB_CONFIG);
  GkWelcomePage *page;
  char *p;

  reset_profiles ();
  window = present_window ();
  /* Drop client_id: rename the key so the JSON stays valid. */
  p = strstr (config, "\"client_id\"");
  g_assert_nonnull (p);
  memcpy (p, "\"clientXid\"", strlen ("\"clientXid\""));
  page = paste_and_import (window, config);
  g_assert_nonnull (gk_welcome_page_get_error (page));
  g_assert_nonnull (strstr (gk_welcome_page_get_error (page), "client_id"));
  stop_app ();
}

static void
test_welcome_import_goes_to_sign_in (void)
{
  GtkWidget *window;
  GkWelcomePage *page;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GPtrArray) profiles = NULL;

  reset_profiles ();
  window = present_window ();
  page = paste_and_import (window, LAB_CONFIG);
  g_assert_null (gk_welcome_page_get_error (page));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-out");
  profiles = gk_profile_store_list (store, NULL);
  g_assert_cmpuint (profiles->len, ==, 1);
  stop_app ();
}

static void
test_welcome_duplicate_name_explained (void)
{
  GtkWidget *window;
  GkWelcomePage *page;

  reset_profiles ();
  import_lab_profile ("default");
  window = present_window ();
  g_assert_true (gtk_widget_activate_action (window, "win.add-profile", NULL));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "welcome");
  page = paste_and_import (window, LAB_CONFIG);
  g_assert_nonnull (gk_welcome_page_get_error (page));
  /* Core says what is wrong; the window, not the command line's "--name",
   * says where to type another name. */
  g_assert_nonnull (strstr (gk_welcome_page_get_error (page), "A profile called “default” exists already."));
  g_assert_nonnull (strstr (gk_welcome_page_get_error (page), "“Profile Name”"));
  g_assert_null (strstr (gk_welcome_page_get_error (page), "--"));
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  wait_settled (window);
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-out");
  stop_app ();
}


/* ---- profiles that are not a lab sign-in ----------------------------------- */

#define PARTNER_KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define PARTNER_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

/* A preferences row of the welcome page, by its title as shown (the
 * mnemonic's underscore left out). */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root))
    {
      g_autoptr(GString) shown = g_string_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)));

      g_string_replace (shown, "_", "", 0);
      if (g_str_equal (shown->str, title))
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *row = find_row (root, title);

  g_assert_nonnull (row);
  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Scrolls the first scrolled window under @root to its end. */
static void
scroll_to_end (GtkWidget *root)
{
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (find_widget (root, GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

  /* Let the expanded rows take their size first. */
  gk_test_wait_until_msg (gtk_widget_get_mapped (root) && gtk_widget_get_height (root) > 0,
                          "the welcome page on screen");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

/* The first button under @root that activates @action. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether @text is in any label the window shows. */
static gboolean
shown_anywhere (GtkWidget  *root,
                const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shown_anywhere (child, text))
      return TRUE;
  return FALSE;
}

static char *
profile_file (const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/genokey/profiles/%s.json", config_home, name);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

/* The S3 endpoint of the tests' profiles: a server on loopback that only
 * counts, so no request ever leaves the machine. */
static void
on_s3_request_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  GPtrArray *authorizations = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  g_ptr_array_add (authorizations, g_strdup (auth != NULL ? auth : ""));
  soup_server_message_set_status (msg, 403, NULL);
}

static void
test_welcome_access_key_added (void)
{
  g_autoptr(GkTestServer) s3 = gk_test_server_new ();
  g_autoptr(GPtrArray) authorizations = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *endpoint = NULL;
  g_autofree char *file = NULL;
  g_autofree char *stored = NULL;
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *secret_row;
  GtkWidget *text;

  gk_test_server_add_handler (s3, NULL, on_s3_request_cb, authorizations);
  endpoint = g_strdup (gk_test_server_get_origin (s3));
  reset_profiles ();
  window = present_window ();
  page = find_widget (window, GK_TYPE_WELCOME_PAGE);
  g_string_truncate (logged, 0);

  type_into (page, "Profile Name", "partner");
  type_into (page, "Access Key ID", PARTNER_KEY_ID);
  type_into (page, "Secret Access Key", PARTNER_SECRET);
  type_into (page, "Region", "eu-west-2");
  type_into (page, "Buckets, Separated by Commas", "lab-data");
  type_into (page, "S3 Endpoint", endpoint);
  /* a password field: what is typed is not shown */
  secret_row = find_row (page, "Secret Access Key");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (secret_row));
  text = find_widget (secret_row, GTK_TYPE_TEXT);
  g_assert_false (gtk_text_get_visibility (GTK_TEXT (text)));
  /* as a person sees it: the access key opened, scrolled down to it */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (page, "Access Key")), TRUE);
  scroll_to_end (page);
  save_screenshot (window, "welcome-access-key");

  g_assert_true (gtk_widget_activate_action (page, "welcome.add-access-key", NULL));
  gk_test_wait_until_msg (page_is (window, "signed-in") || gk_welcome_page_get_error (GK_WELCOME_PAGE (page)),
                          "the access-key profile added, or an error");
  g_assert_null (gk_welcome_page_get_error (GK_WELCOME_PAGE (page)));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-in");

  /* the same profile `genokey profile add` makes; the key ID in its file,
   * the secret in the keyring item and nowhere in the file */
  file = profile_file ("partner");
  g_assert_nonnull (file);
  g_assert_nonnull (strstr (file, "\"access-key\""));
  g_assert_nonnull (strstr (file, PARTNER_KEY_ID));
  g_assert_nonnull (strstr (file, endpoint));
  g_assert_null (strstr (file, PARTNER_SECRET));
  stored = gk_test_keyring_get (keyring, "partner", GK_KEYRING_KIND_ACCESS_KEY_SECRET);
  g_assert_cmpstr (stored, ==, PARTNER_SECRET);

  /* the file list reads the bucket with the key, at the loopback endpoint */
  gk_test_wait_until_msg (authorizations->len > 0, "the file list's first S3 request");
  g_assert_nonnull (strstr (g_ptr_array_index (authorizations, 0), "Credential=" PARTNER_KEY_ID "/"));

  /* never shown, never logged, and not left in the field */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ==, "");
  g_assert_false (shown_anywhere (window, PARTNER_SECRET));
  g_assert_null (strstr (logged->str, PARTNER_SECRET));
  g_assert_cmpuint (logged->len, >, 0);   /* debug messages were recorded at all */
  stop_app ();

  /* the next start opens on the profile, as a sign-in's would */
  keyring = gk_test_keyring_new ();
  gk_test_keyring_put (keyring, "partner", GK_KEYRING_KIND_ACCESS_KEY_SECRET, PARTNER_SECRET);
  window = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-in");
  /* where a sign-in shows who and until when: the key, and that it does
   * not expire; no sign-in to end */
  {
    GkSignedInPage *signed_in = GK_SIGNED_IN_PAGE (find_widget (window, GK_TYPE_SIGNED_IN_PAGE));
    g_autofree char *status = gk_signed_in_page_dup_status_text (signed_in, g_get_real_time () / G_USEC_PER_SEC);

    g_assert_true (shown_anywhere (window, PARTNER_KEY_ID));
    g_assert_nonnull (strstr (status, "does not expire"));
    g_assert_false (gtk_widget_get_visible (find_action_button (window, "app.sign-out")));
  }
  save_screenshot (window, "signed-in-access-key");
  stop_app ();
}

/* The instance's metadata service, IMDSv2, on loopback: a token, then the
 * role and its credentials with it. */
static void
on_imds_request_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *credentials =
    "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAWINDOWINSTANCE01\",\"SecretAccessKey\":\"i-secret\","
    "\"Token\":\"i-token\",\"Expiration\":\"2099-01-01T00:00:00Z\"}";

  if (g_str_equal (path, "/latest/api/token"))
    gk_test_respond (msg, 200, "text/plain", "imds-token");
  else if (g_strcmp0 (soup_message_headers_get_one (headers, "X-aws-ec2-metadata-token"), "imds-token") != 0)
    gk_test_respond (msg, 401, "text/plain", "");
  else if (g_str_equal (path, "/latest/meta-data/iam/security-credentials/"))
    gk_test_respond (msg, 200, "text/plain", "LabInstanceRole");
  else
    gk_test_respond (msg, 200, "application/json", credentials);
}

/* STS's AssumeRole: the role's credentials, for whoever signs. */
static void
on_sts_request_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  GPtrArray *signers = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  g_ptr_array_add (signers, g_strdup (auth != NULL ? auth : ""));
  gk_test_respond (msg, 200, "text/xml",
                   "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
                   "<AccessKeyId>ASIAWINDOWROLE000001</AccessKeyId><SecretAccessKey>r-secret</SecretAccessKey>"
                   "<SessionToken>r-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
                   "</Credentials></AssumeRoleResult></AssumeRoleResponse>");
}

static gboolean
signed_with (GPtrArray  *authorizations,
             const char *access_key_id)
{
  g_autofree char *credential = g_strdup_printf ("Credential=%s/", access_key_id);

  for (guint i = 0; i < authorizations->len; i++)
    if (strstr (g_ptr_array_index (authorizations, i), credential) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_welcome_instance_profile_and_role_added (void)
{
  g_autoptr(GkTestServer) s3 = gk_test_server_new ();
  g_autoptr(GkTestServer) imds = gk_test_server_new ();
  g_autoptr(GkTestServer) sts = gk_test_server_new ();
  g_autoptr(GPtrArray) s3_signers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sts_signers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ec2_file = NULL;
  g_autofree char *role_file = NULL;
  GtkWidget *window;
  GtkWidget *page;
  AdwComboRow *source_row;

  gk_test_server_add_handler (s3, NULL, on_s3_request_cb, s3_signers);
  gk_test_server_add_handler (imds, NULL, on_imds_request_cb, NULL);
  gk_test_server_add_handler (sts, NULL, on_sts_request_cb, sts_signers);
  /* This test's instance has a metadata service, on loopback. */
  g_unsetenv ("AWS_EC2_METADATA_DISABLED");
  g_setenv ("AWS_EC2_METADATA_SERVICE_ENDPOINT", gk_test_server_get_origin (imds), TRUE);
  reset_profiles ();
  window = present_window ();
  page = find_widget (window, GK_TYPE_WELCOME_PAGE);

  /* no profile yet to assume a role with */
  source_row = ADW_COMBO_ROW (find_row (page, "Source Profile"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (source_row)));

  type_into (page, "Profile Name", "ec2");
  type_into (page, "S3 Endpoint", gk_test_server_get_origin (s3));
  g_assert_true (gtk_widget_activate_action (page, "welcome.add-instance-profile", NULL));
  gk_test_wait_until_msg (page_is (window, "signed-in") || gk_welcome_page_get_error (GK_WELCOME_PAGE (page)),
                          "the instance profile added, or an error");
  g_assert_null (gk_welcome_page_get_error (GK_WELCOME_PAGE (page)));
  ec2_file = profile_file ("ec2");
  g_assert_nonnull (strstr (ec2_file, "\"instance-profile\""));
  /* the file list asks S3 with the instance's credentials */
  gk_test_wait_until_msg (signed_with (s3_signers, "ASIAWINDOWINSTANCE01"),
                          "an S3 request signed with the instance profile's credentials");

  /* another one through Add Lab…: the role over the instance profile */
  g_assert_true (gtk_widget_activate_action (window, "win.add-profile", NULL));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "welcome");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (source_row)));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (source_row)), ==, 1);
  adw_combo_row_set_selected (source_row, 0);
  type_into (page, "Profile Name", "seqera");
  type_into (page, "Role ARN", "arn:aws:iam::123456789012:role/SeqeraAccess");
  type_into (page, "External ID", "seqera-7f3a");
  type_into (page, "STS Endpoint", gk_test_server_get_origin (sts));
  type_into (page, "S3 Endpoint", gk_test_server_get_origin (s3));
  g_assert_true (gtk_widget_activate_action (page, "welcome.add-role", NULL));
  gk_test_wait_until_msg (page_is (window, "signed-in") || gk_welcome_page_get_error (GK_WELCOME_PAGE (page)),
                          "the role profile added, or an error");
  g_assert_null (gk_welcome_page_get_error (GK_WELCOME_PAGE (page)));
  role_file = profile_file ("seqera");
  g_assert_nonnull (strstr (role_file, "\"assume-role\""));
  g_assert_nonnull (strstr (role_file, "\"source_profile\" : \"ec2\""));
  g_assert_nonnull (strstr (role_file, "\"external_id\" : \"seqera-7f3a\""));
  /* the role is assumed with the instance's credentials, and the file
   * list asks S3 with the role's */
  gk_test_wait_until_msg (signed_with (s3_signers, "ASIAWINDOWROLE000001"),
                          "an S3 request signed with the role's credentials");
  g_assert_true (signed_with (sts_signers, "ASIAWINDOWINSTANCE01"));
  stop_app ();
  g_unsetenv ("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  g_setenv ("AWS_EC2_METADATA_DISABLED", "true", TRUE);
}

static void
test_welcome_source_errors_named (void)
{
  GtkWidget *window;
  GtkWidget *page;
  const char *error;
  g_autofree char *file = NULL;

  reset_profiles ();
  window = present_window ();
  page = find_widget (window, GK_TYPE_WELCOME_PAGE);

  /* no name */
  type_into (page, "Access Key ID", PARTNER_KEY_ID);
  type_into (page, "Secret Access Key", PARTNER_SECRET);
  g_assert_true (gtk_widget_activate_action (page, "welcome.add-access-key", NULL));
  error = gk_welcome_page_get_error (GK_WELCOME_PAGE (page));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "Profile Name"));

  /* a key ID that cannot be one: core's words, and the field to correct */
  type_into (page, "Profile Name", "partner");
  type_into (page, "Access Key ID", "my key");
  g_assert_true (gtk_widget_activate_action (page, "welcome.add-access-key", NULL));
  error = gk_welcome_page_get_error (GK_WELCOME_PAGE (page));
  g_assert_nonnull (strstr (error, "access_key_id"));
  g_assert_nonnull (strstr (error, "“Access Key ID”"));
  g_assert_null (strstr (error, "--"));

  /* a secret that cannot be one: refused without being repeated, and no
   * profile saved without its secret */
  type_into (page, "Access Key ID", PARTNER_KEY_ID);
  type_into (page, "Secret Access Key", "typed wrong here");
  g_assert_true (gtk_widget_activate_action (page, "welcome.add-access-key", NULL));
  gk_test_wait_until_msg (gk_welcome_page_get_error (GK_WELCOME_PAGE (page)) != NULL
                          && strstr (gk_welcome_page_get_error (GK_WELCOME_PAGE (page)), "secret access key"),
                          "the secret refused");
  g_assert_null (strstr (gk_welcome_page_get_error (GK_WELCOME_PAGE (page)), "typed wrong"));
  file = profile_file ("partner");
  g_assert_null (file);

  /* a role needs a profile to assume it with */
  type_into (page, "Role ARN", "arn:aws:iam::123456789012:role/R");
  g_assert_true (gtk_widget_activate_action (page, "welcome.add-role", NULL));
  g_assert_nonnull (strstr (gk_welcome_page_get_error (GK_WELCOME_PAGE (page)), "Source Profile"));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "welcome");
  save_screenshot (window, "welcome-source-error");
  stop_app ();
}

/* A lab profile whose callback port is @port, so tests need not touch 60151. */
static void
import_lab_profile_on_port (const char *name,
                            guint16     port)
{
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autofree char *config = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  gsize len;

  config = g_strdup_printf ("{\"redirect_uris\": [\"http://localhost:%u/oauthCallback\"],%s",
                            port, strchr (LAB_CONFIG, '{') + 1);
  len = strlen (config);
  bytes = g_bytes_new_take (g_steal_pointer (&config), len);
  profiles = gk_profile_store_import_bytes (store, bytes, name, FALSE, &error);
  g_assert_no_error (error);
}

/* Presses Copy Link; TRUE once the clipboard holds a link. Until the
 * listener is up there is no link yet, and the window says so instead. */
static gboolean
copy_sign_in_link (GtkWidget  *window,
                   char      **copied)
{
  GdkContentProvider *content;
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (gtk_widget_activate_action (window, "win.copy-sign-in-link", NULL));
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (window));
  if (content == NULL)
    return FALSE;
  g_value_init (&value, G_TYPE_STRING);
  if (!gdk_content_provider_get_value (content, &value, NULL))
    return FALSE;
  g_free (*copied);
  *copied = g_value_dup_string (&value);
  return *copied != NULL;
}

static void
test_sign_in_waits_for_browser (void)
{
  GtkWidget *window;
  g_autofree char *copied = NULL;

  reset_profiles ();
  import_lab_profile_on_port ("genome-lab", gk_test_free_port ());
  window = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-out");

  g_assert_true (gtk_widget_activate_action (window, "app.sign-in", NULL));
  gk_test_wait_until_msg (page_is (window, "signing-in"), "the signing-in page");

  /* Copy Link hands over the lab's login page (never printed here). */
  gk_test_wait_until_msg (copy_sign_in_link (window, &copied), "Copy Link to put the sign-in link on the clipboard");
  g_assert_true (g_str_has_prefix (copied, "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize?"));
  save_screenshot (window, "signing-in");

  g_assert_true (gtk_widget_activate_action (window, "app.cancel-sign-in", NULL));
  gk_test_wait_until_msg (page_is (window, "signed-out"), "the signed-out page after Cancel");
  stop_app ();
}

/* Stands in for IGV on its batch port: `echo` is answered with `echo`. It
 * runs in its own thread with blocking sockets, because the sign-in probes
 * the port while the main loop waits. */
typedef struct
{
  GSocket *listener;
  gboolean stop;
} FakeIgv;

static gpointer
fake_igv_thread (gpointer data)
{
  FakeIgv *igv = data;

  while (!igv->stop)
    {
      g_autoptr(GSocket) client = g_socket_accept (igv->listener, NULL, NULL);
      char buf[64];
      gssize n;

      if (client == NULL)
        break;
      g_socket_set_timeout (client, 2);
      while ((n = g_socket_receive (client, buf, sizeof buf - 1, NULL, NULL)) > 0)
        {
          buf[n] = '\0';
          if (strstr (buf, "echo") != NULL)
            g_socket_send (client, "echo\n", 5, NULL, NULL);
        }
    }
  return NULL;
}

static void
test_sign_in_explains_igv_on_port (void)
{
  GtkWidget *window;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = gk_test_free_port ();
  FakeIgv igv = { NULL, FALSE };
  GThread *thread;
  GtkWidget *page, *error_page;

  reset_profiles ();
  igv.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, port);
  g_assert_true (g_socket_bind (igv.listener, address, TRUE, &error));
  g_assert_true (g_socket_listen (igv.listener, &error));
  thread = g_thread_new ("fake-igv", fake_igv_thread, &igv);

  import_lab_profile_on_port ("genome-lab", port);
  window = present_window ();
  g_assert_true (gtk_widget_activate_action (window, "app.sign-in", NULL));
  gk_test_wait_until_msg (page_is (window, "signing-in"), "the signing-in page");
  /* The port probe asks IGV's `echo` before any browser opens. */
  page = find_widget (window, GK_TYPE_SIGNING_IN_PAGE);
  gk_test_wait_until_msg (gk_signing_in_page_has_error (GK_SIGNING_IN_PAGE (page)),
                          "the signing-in page to show why the port is taken");
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signing-in");
  /* The error page names IGV; its Try Again is app.sign-in. */
  error_page = gtk_stack_get_visible_child (GTK_STACK (find_widget (page, GTK_TYPE_STACK)));
  g_assert_true (ADW_IS_STATUS_PAGE (error_page));
  g_test_message ("%s: %s", adw_status_page_get_title (ADW_STATUS_PAGE (error_page)),
                  adw_status_page_get_description (ADW_STATUS_PAGE (error_page)));
  g_assert_nonnull (strstr (adw_status_page_get_title (ADW_STATUS_PAGE (error_page)), "IGV"));
  save_screenshot (window, "signing-in-igv-holds-port");

  igv.stop = TRUE;
  g_socket_shutdown (igv.listener, TRUE, TRUE, NULL);
  g_socket_close (igv.listener, NULL);
  g_thread_join (thread);
  g_object_unref (igv.listener);
  stop_app ();
}

/* ---- Windows share the application's account ---------------------------
 * The lab's token and revocation endpoints are a SoupServer on a loopback
 * port; the sign-in is put into the memory keyring as a sign-in leaves it. */

typedef struct
{
  GkTestServer *server;
  guint revocations;
} FakeLab;

static void
handle_revoke_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  FakeLab *lab = user_data;

  lab->revocations++;
  gk_test_respond (msg, 200, NULL, NULL);
}

/* Starts @lab and saves a profile @name whose endpoints (S3's too) are it. */
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
  gk_test_server_add_handler (lab->server, "/oauth2/revoke", handle_revoke_cb, lab);
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
  profiles = gk_profile_store_import_bytes (store, bytes, name, FALSE, &error);
  g_assert_no_error (error);
}

/* What a sign-in of ana@lab.org leaves in the keyring, an hour of
 * credentials included, before the application starts, as after a restart. */
static void
put_sign_in (const char *profile)
{
  g_assert_null (app);
  if (keyring == NULL)
    keyring = gk_test_keyring_new ();
  gk_test_keyring_put_signed_in (keyring, profile, "ana@lab.org", 3600);
}

static gboolean
both_show (GtkWidget  **windows,
           const char  *page)
{
  return page_is (windows[0], page) && page_is (windows[1], page);
}

static void
test_second_window_shares_sign_in (void)
{
  FakeLab lab = { 0 };
  GtkWidget *windows[2];
  GkS3Browser *browsers[2];
  GkAccount *account;

  reset_profiles ();
  fake_lab_start (&lab, "genome-lab");
  put_sign_in ("genome-lab");
  start_app ();
  account = gk_application_get_account (app);
  windows[0] = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (windows[0])), ==, "signed-in");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (windows[0])), ==, "ana@lab.org — Genokey");

  /* A second window reads nothing again: the same account, at once. */
  windows[1] = GTK_WIDGET (gk_window_new (GTK_APPLICATION (app), gk_application_get_account (app)));
  gtk_window_present (GTK_WINDOW (windows[1]));
  g_assert_true (gk_window_get_account (GK_WINDOW (windows[1])) == account);
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (windows[1])), ==, "signed-in");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (windows[1])), ==, "ana@lab.org — Genokey");
  for (guint i = 0; i < 2; i++)
    {
      browsers[i] = GK_S3_BROWSER (find_widget (windows[i], GK_TYPE_S3_BROWSER));
      g_assert_true (gk_s3_browser_get_client (browsers[i]) == gk_account_get_s3_client (account));
    }
  save_screenshot (windows[1], "second-window-signed-in");

  /* Signing out in one window signs out both, revoked once. */
  g_assert_true (gtk_widget_activate_action (windows[1], "app.sign-out", NULL));
  gk_test_wait_until_msg (both_show (windows, "signed-out"), "both windows to show the signed-out page");
  g_assert_cmpuint (lab.revocations, ==, 1);
  g_assert_null (gk_s3_browser_get_client (browsers[0]));
  g_assert_null (gk_s3_browser_get_client (browsers[1]));

  stop_app ();
  gk_test_server_free (lab.server);
}

static void
test_sign_in_shown_in_every_window (void)
{
  GtkWidget *windows[2];

  reset_profiles ();
  import_lab_profile_on_port ("genome-lab", gk_test_free_port ());
  windows[0] = present_window ();
  windows[1] = present_window ();

  /* Started from one window, waited for in both, cancelled from the other. */
  g_assert_true (gtk_widget_activate_action (windows[0], "app.sign-in", NULL));
  gk_test_wait_until_msg (both_show (windows, "signing-in"), "both windows to show the signing-in page");
  g_assert_true (gtk_widget_activate_action (windows[1], "app.cancel-sign-in", NULL));
  gk_test_wait_until_msg (both_show (windows, "signed-out"), "both windows to show the signed-out page");
  stop_app ();
}

static void
test_sign_in_outlives_windows (void)
{
  FakeLab lab = { 0 };
  GtkWidget *window;
  GList *windows;

  reset_profiles ();
  fake_lab_start (&lab, "genome-lab");
  put_sign_in ("genome-lab");
  window = present_window ();
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-in");

  /* With every window closed the application still holds the sign-in, and
   * the next window shows it without reading the keyring again. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  g_assert_cmpint (gk_account_get_state (gk_application_get_account (app)), ==, GK_ACCOUNT_STATE_SIGNED_IN);
  window = GTK_WIDGET (gk_window_new (GTK_APPLICATION (app), gk_application_get_account (app)));
  g_assert_cmpstr (gk_window_get_visible_page (GK_WINDOW (window)), ==, "signed-in");

  stop_app ();
  gk_test_server_free (lab.server);
}

static void
test_window_size_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window;

  reset_profiles ();
  window = present_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  wait_for_paint (window);
  gtk_window_close (GTK_WINDOW (window));
  stop_app ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
test_preferences_bound_to_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GkPreferencesWindow *preferences = gk_preferences_window_new (NULL);
  GtkWidget *spin_button;
  AdwEntryRow *command_row;
  g_autofree char *command = NULL;

  gtk_window_present (GTK_WINDOW (preferences));
  save_screenshot (GTK_WIDGET (preferences), "preferences");

  /* The first spin button is the link lifetime, in minutes; the key is seconds. */
  spin_button = find_widget (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin_button);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin_button)), ==, 60.0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 30.0);
  g_assert_cmpuint (g_settings_get_uint (settings, "link-lifetime"), ==, 1800);

  command_row = ADW_ENTRY_ROW (find_widget (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (command_row)), ==, "igv");
  gtk_editable_set_text (GTK_EDITABLE (command_row), "/opt/igv/igv.sh");
  command = g_settings_get_string (settings, "igv-command");
  g_assert_cmpstr (command, ==, "/opt/igv/igv.sh");

  /* The gateway's port and web origins: the origins as one line, a
   * trailing slash dropped (browsers send origins without one). */
  {
    g_autoptr(GPtrArray) spins = g_ptr_array_new ();
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    GtkWidget *origins_row;
    g_auto(GStrv) origins = NULL;

    find_widgets (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON, spins);
    g_assert_cmpuint (spins->len, ==, 3);
    g_assert_cmpfloat (gtk_spin_button_get_value (spins->pdata[2]), ==, 28151.0);
    gtk_spin_button_set_value (spins->pdata[2], 29000.0);
    {
      g_autoptr(GVariant) port = g_settings_get_value (settings, "gateway-port");

      g_assert_cmpuint (g_variant_get_uint16 (port), ==, 29000);
    }

    find_widgets (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, rows);
    g_assert_cmpuint (rows->len, ==, 2);
    origins_row = rows->pdata[1];
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (origins_row)), ==,
                     "https://igv.org, https://chromoscope.bio");
    gtk_editable_set_text (GTK_EDITABLE (origins_row), "https://igv.org, https://viewer.lab.org/");
    origins = g_settings_get_strv (settings, "gateway-origins");
    g_assert_cmpuint (g_strv_length (origins), ==, 2);
    g_assert_cmpstr (origins[1], ==, "https://viewer.lab.org");
  }

  g_settings_reset (settings, "link-lifetime");
  g_settings_reset (settings, "igv-command");
  g_settings_reset (settings, "gateway-port");
  g_settings_reset (settings, "gateway-origins");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_signed_in_status_text (void)
{
  GkSignedInPage *page = g_object_ref_sink (gk_signed_in_page_new ());
  gint64 now = 1800000000;
  g_autofree char *fine = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *renewing = NULL;

  gk_signed_in_page_set_account (page, "ana@lab.org", now + 3000, FALSE, NULL);
  fine = gk_signed_in_page_dup_status_text (page, now);
  g_assert_nonnull (strstr (fine, "renewed automatically"));

  gk_signed_in_page_set_account (page, "ana@lab.org", now + 3000, FALSE, "The sign-in expired.");
  problem = gk_signed_in_page_dup_status_text (page, now);
  g_assert_nonnull (strstr (problem, "sign in again"));

  expired = gk_signed_in_page_dup_status_text (page, now + 3001);
  g_assert_nonnull (strstr (expired, "expired"));

  gk_signed_in_page_set_account (page, "ana@lab.org", now + 3000, TRUE, NULL);
  renewing = gk_signed_in_page_dup_status_text (page, now);
  g_assert_nonnull (strstr (renewing, "Renewing"));
  g_object_unref (page);
}

/* Status pages take markup: a key or an IdP's error_description with
 * "<a href=…>" must show as text, not become a link in Genokey's own
 * error. */
static void
test_outside_text_is_not_markup (void)
{
  const char *hostile = "No index for s3://lab/<a href=\"https://evil.example.test\">x</a>.bam & more";
  GkSigningInPage *page = g_object_ref_sink (gk_signing_in_page_new ());
  GtkWidget *error_page;
  g_autofree char *escaped = g_markup_escape_text (hostile, -1);

  gk_signing_in_page_show_error (page, "Sign-in failed", hostile);
  error_page = gtk_stack_get_visible_child (GTK_STACK (find_widget (GTK_WIDGET (page), GTK_TYPE_STACK)));
  g_assert_true (ADW_IS_STATUS_PAGE (error_page));
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), ==, escaped);
  g_assert_null (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "<a "));
  g_object_unref (page);
}

/* The label under @root whose visible text is @text, if any. */
static GtkLabel *
find_label_showing (GtkWidget  *root,
                    const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_showing (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A toast's title is markup too. An error quoting a key that holds
 * "<a href=…>" (valid markup, so unescaped it would silently turn into a
 * link) shows the key as the user's bucket has it, character for
 * character, in a label without links. */
static void
assert_toast_shows_text (gboolean error_toast)
{
  const char *hostile = "No index found for s3://lab/run1/<a href=\"https://evil.example.test/\">"
                        "open me</a>.bam. Add a .bai next to it.";
  GtkWidget *window;
  GtkLabel *label = NULL;

  reset_profiles ();
  window = present_window ();
  if (error_toast)
    {
      g_autoptr(GError) error = g_error_new_literal (GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_KEY, hostile);

      gk_window_show_error (GK_WINDOW (window), error);
    }
  else
    gk_window_show_toast (GK_WINDOW (window), hostile);
  gk_test_wait_until_msg ((label = find_label_showing (window, hostile)) != NULL,
                          "a toast showing the message as written");
  g_assert_null (strstr (gtk_label_get_label (label), "<a "));
  g_assert_null (gtk_label_get_current_uri (label));
  stop_app ();
}

static void
test_error_toast_shows_outside_text (void)
{
  assert_toast_shows_text (TRUE);
}

static void
test_toast_shows_outside_text (void)
{
  assert_toast_shows_text (FALSE);
}

/* Core's message says what is wrong; the window adds where to click, in
 * its own words, never the command line's. */
static void
test_hints_in_window_words (void)
{
  g_autoptr(GError) exists = g_error_new (GK_PROFILE_ERROR, GK_PROFILE_ERROR_EXISTS,
                                          "A profile called “lab” exists already.");
  g_autoptr(GError) ended = g_error_new (GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN,
                                         "Your sign-in for profile “lab” has ended.");
  g_autoptr(GError) other = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "Something else.");
  g_autofree char *exists_text = gk_app_dup_error_text (exists);
  g_autofree char *ended_text = gk_app_dup_error_text (ended);
  g_autofree char *other_text = gk_app_dup_error_text (other);

  g_assert_cmpstr (exists_text, ==, "A profile called “lab” exists already. Type another name under “Profile Name”.");
  g_assert_cmpstr (ended_text, ==, "Your sign-in for profile “lab” has ended. Choose “Sign In Again” to keep working.");
  g_assert_cmpstr (other_text, ==, "Something else.");
}

static void
test_browser_item_marks (void)
{
  g_autoptr(GkBrowserItem) bam = gk_browser_item_new_file ("s/a.bam", "a.bam", 10, 0);
  g_autoptr(GkBrowserItem) bai = gk_browser_item_new_file ("s/a.bam.bai", "a.bam.bai", 10, 0);
  g_autoptr(GkBrowserItem) vcf = gk_browser_item_new_file ("s/b.vcf.gz", "b.vcf.gz", 10, 0);
  g_autoptr(GkBrowserItem) txt = gk_browser_item_new_file ("s/notes.txt", "notes.txt", 10, 0);
  g_autoptr(GkBrowserItem) cnv = gk_browser_item_new_file ("s/a.cnv.tsv", "a.cnv.tsv", 10, 0);
  g_autoptr(GkBrowserItem) dir = gk_browser_item_new_folder ("s/x/", "x");

  /* The marks are core's labels for the formats (gk-genomic-file.c). */
  g_assert_cmpstr (gk_browser_item_get_mark (bam), ==, "BAM");
  g_assert_cmpstr (gk_browser_item_get_mark_kind (bam), ==, "alignments");
  g_assert_cmpstr (gk_browser_item_get_mark_kind (bai), ==, "index");
  g_assert_cmpstr (gk_browser_item_get_mark_kind (vcf), ==, "variants");
  g_assert_null (gk_browser_item_get_mark (txt));
  g_assert_cmpstr (gk_browser_item_get_mark (cnv), ==, "CNV");
  g_assert_cmpstr (gk_browser_item_get_mark_kind (cnv), ==, "structural");
  g_assert_true (gk_browser_item_is_folder (dir));
  g_assert_null (gk_browser_item_get_mark (dir));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime_dir = NULL;
  int status;

  /* Before anything logs: every message is kept, debug ones too. */
  logged = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (record_log_cb, NULL, NULL);

  config_home = g_dir_make_tmp ("gk-test-app-XXXXXX", &error);
  g_assert_no_error (error);
  runtime_dir = g_dir_make_tmp ("gk-test-app-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  /* The renewal lock lives here. */
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  /* No session bus (not even one X11 autolaunch would start): the
   * application is not unique and keeps its sign-ins in memory. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  /* Never start a real browser from a test. */
  g_setenv ("GENOKEY_NO_BROWSER", "1", TRUE);
  /* An instance profile never asks the link-local metadata address. */
  g_setenv ("AWS_EC2_METADATA_DISABLED", "true", TRUE);
  g_test_init (&argc, &argv, NULL);
  /* Xvfb has no GPU: Mesa's software GL is slow and, under the sanitizers,
   * slower still; GTK's cairo path draws the same widgets. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  gk_application_ensure_resources ();

  g_test_add_func ("/app/pages/outside-text-is-not-markup", test_outside_text_is_not_markup);
  g_test_add_func ("/app/window/error-toast-shows-outside-text", test_error_toast_shows_outside_text);
  g_test_add_func ("/app/window/toast-shows-outside-text", test_toast_shows_outside_text);
  g_test_add_func ("/app/window/welcome-without-profile", test_window_welcome_without_profile);
  g_test_add_func ("/app/window/signed-out-with-profile", test_window_signed_out_with_profile);
  g_test_add_func ("/app/window/builds-pages-when-shown", test_window_builds_pages_when_shown);
  g_test_add_func ("/app/welcome/not-json-shown-inline", test_welcome_not_json_inline);
  g_test_add_func ("/app/welcome/missing-key-named", test_welcome_missing_key_named);
  g_test_add_func ("/app/welcome/import-goes-to-sign-in", test_welcome_import_goes_to_sign_in);
  g_test_add_func ("/app/welcome/duplicate-name-explained", test_welcome_duplicate_name_explained);
  g_test_add_func ("/app/welcome/access-key-secret-only-in-the-keyring", test_welcome_access_key_added);
  g_test_add_func ("/app/welcome/instance-profile-and-role-added", test_welcome_instance_profile_and_role_added);
  g_test_add_func ("/app/welcome/source-errors-named", test_welcome_source_errors_named);
  g_test_add_func ("/app/sign-in/waits-for-browser", test_sign_in_waits_for_browser);
  g_test_add_func ("/app/sign-in/explains-igv-on-port", test_sign_in_explains_igv_on_port);
  g_test_add_func ("/app/account/second-window-shares-sign-in", test_second_window_shares_sign_in);
  g_test_add_func ("/app/account/sign-in-shown-in-every-window", test_sign_in_shown_in_every_window);
  g_test_add_func ("/app/account/sign-in-outlives-windows", test_sign_in_outlives_windows);
  g_test_add_func ("/app/signed-in/status-text", test_signed_in_status_text);
  g_test_add_func ("/app/window/size-saved", test_window_size_saved);
  g_test_add_func ("/app/preferences/bound-to-settings", test_preferences_bound_to_settings);
  g_test_add_func ("/app/hints/in-the-window-s-words", test_hints_in_window_words);
  g_test_add_func ("/app/browser/item-marks", test_browser_item_marks);

  status = g_test_run ();
  reset_profiles ();
  g_rmdir (config_home);
  g_rmdir (runtime_dir);
  g_free (config_home);
  return status;
}
