/* test-app-cohort.c: the window with cohorts, against the local AWS
 * stand-in (run by tests/integration/window-cohort.test.mjs, which starts
 * it, fills it and sets its latency)
 *
 * - A 100,000-key folder pages in while the list is scrolled to its end
 *   and filtered, and the main loop never stalls long.
 * - A Chromoscope build (a folder of sample folders, or the set) shows its
 *   progress and can be cancelled while listing, signing or uploading; a
 *   cancelled build opens nothing and leaves no config in S3.
 *
 * Environment: the standard AWS variables (credentials, AWS_REGION,
 * AWS_ENDPOINT_URL_S3), GK_TEST_BUCKET, GK_TEST_BIG_PREFIX (the big
 * folder), GK_TEST_BIG_KEYS (how many keys it holds), GK_TEST_COHORT_PREFIX
 * (a folder of sample folders).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "gk-application.h"
#include "gk-env-credentials.h"
#include "gk-s3-browser.h"
#include "gk-test.h"

/* Waits longer than any healthy run needs, for a loaded machine under
 * the sanitizers; when it gives up it says what it waited for. */
#define TIMEOUT_S 240

static char *test_home;
static char *opened_file;

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL)
    g_error ("%s is not set: run this through tests/integration/window-cohort.test.mjs", name);
  return value;
}

static GkS3Client *
client_from_env (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkEnvCredentials) source = gk_env_credentials_new (NULL, &error);

  g_assert_no_error (error);
  return gk_s3_client_new (GK_CREDENTIAL_SOURCE (source), gk_env_credentials_get_region (source),
                           gk_env_credentials_get_endpoint (source), NULL);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* A descendant of @widget of @type, depth first. */
static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
      if ((found = find_child (c, type)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget *window;
  GkS3Browser *browser;
  GkS3Client *client;
} Window;

static gboolean
listing_done (gpointer data)
{
  GkS3Browser *browser = data;

  return !gk_s3_browser_is_loading (browser) && gk_s3_browser_get_pages_loaded (browser) > 0;
}

static void
window_open (Window     *w,
             const char *prefix)
{
  w->client = client_from_env ();
  w->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (w->window), 900, 600);
  w->browser = gk_s3_browser_new ();
  gtk_window_set_child (GTK_WINDOW (w->window), GTK_WIDGET (w->browser));
  gtk_window_present (GTK_WINDOW (w->window));
  gk_s3_browser_set_client (w->browser, w->client);
  gk_s3_browser_open (w->browser, env ("GK_TEST_BUCKET"), prefix);
}

static void
window_close (Window *w)
{
  gtk_window_destroy (GTK_WINDOW (w->window));
  g_clear_object (&w->client);
}

/* ---- a 100,000-key folder ---------------------------------------------- */

typedef struct
{
  gint64 last;
  gint64 longest;
} Ticker;

static gboolean
on_tick_cb (gpointer data)
{
  Ticker *ticker = data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last != 0)
    ticker->longest = MAX (ticker->longest, now - ticker->last);
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
filter_done (gpointer data)
{
  return gtk_filter_list_model_get_pending (data) == 0;
}

static void
test_big_folder_pages_in_while_scrolling (void)
{
  Window w = { 0 };
  Ticker ticker = { 0 };
  guint n_keys = (guint) g_ascii_strtoull (env ("GK_TEST_BIG_KEYS"), NULL, 10);
  GtkWidget *column_view;
  GtkAdjustment *scroll;
  GtkEditable *filter;
  GListModel *rows;
  GListModel *filtered;
  guint tick_id, scrolled_pages = 0, pages_at_filter = 0;
  double bottom_seen = 0;
  gint64 deadline;

  window_open (&w, env ("GK_TEST_BIG_PREFIX"));
  column_view = find_child (GTK_WIDGET (w.browser), GTK_TYPE_COLUMN_VIEW);
  filter = GTK_EDITABLE (find_child (GTK_WIDGET (w.browser), GTK_TYPE_SEARCH_ENTRY));
  g_assert_nonnull (column_view);
  g_assert_nonnull (filter);
  scroll = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  rows = gk_s3_browser_get_items (w.browser);
  filtered = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (rows));
  g_assert_true (GTK_IS_FILTER_LIST_MODEL (filtered));

  tick_id = g_timeout_add (10, on_tick_cb, &ticker);
  deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  while (gk_s3_browser_is_loading (w.browser) || gk_s3_browser_get_pages_loaded (w.browser) == 0)
    {
      guint pages = gk_s3_browser_get_pages_loaded (w.browser);

      if (g_get_monotonic_time () > deadline)
        g_error ("gave up waiting for the folder's %u keys (%u pages so far)", n_keys, pages);
      /* The user scrolls to the end of what is there, page after page,
       * then filters. (Not both at once: GTK 4.8's list warns when told to
       * scroll to a row the filter has just taken away.) */
      if (pages_at_filter == 0 && pages > scrolled_pages
          && gtk_adjustment_get_upper (scroll) > gtk_adjustment_get_page_size (scroll))
        {
          gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll) - gtk_adjustment_get_page_size (scroll));
          bottom_seen = MAX (bottom_seen, gtk_adjustment_get_upper (scroll));
          scrolled_pages = pages;
        }
      /* …and, a few pages in, types a filter. */
      if (pages_at_filter == 0 && pages >= 5)
        {
          gtk_editable_set_text (filter, "k00999");
          pages_at_filter = pages;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  /* The filter goes over the last rows too. */
  gk_test_wait_until_full (filter_done (filtered), "the filter to finish", TIMEOUT_S);
  g_source_remove (tick_id);

  g_test_message ("%u keys in %u pages; scrolled to the end while %u pages had come; filter typed "
                  "at page %u; longest main-loop stall %" G_GINT64_FORMAT " ms",
                  n_keys, gk_s3_browser_get_pages_loaded (w.browser), scrolled_pages,
                  pages_at_filter, ticker.longest / 1000);
  g_assert_cmpuint (gk_s3_browser_get_pages_loaded (w.browser), ==, (n_keys + 999) / 1000);
  /* Pages came in while the list was scrolled and filtered. */
  g_assert_cmpuint (pages_at_filter, >=, 5);
  g_assert_cmpuint (pages_at_filter, <, gk_s3_browser_get_pages_loaded (w.browser));
  g_assert_cmpfloat (bottom_seen, >, 0);
  /* k0099900 … k0099999 */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 100);
  gtk_editable_set_text (filter, "");
  gk_test_wait_until_full (filter_done (filtered), "the filter to clear", TIMEOUT_S);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_keys);
  /* A freeze the user would notice fails; the first rows' one-time costs
   * (widgets, icons) do not. */
  g_assert_cmpint (ticker.longest, <, 1000 * 1000);

  window_close (&w);
}

/* ---- Chromoscope builds ------------------------------------------------ */

static char *
read_opened (void)
{
  char *text = NULL;

  if (!g_file_get_contents (opened_file, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static gboolean
something_opened (gpointer data)
{
  g_autofree char *opened = read_opened ();

  return *opened != '\0';
}

static gboolean
not_building (gpointer data)
{
  return !gk_s3_browser_is_building (data);
}

typedef struct
{
  GkS3Browser *browser;
  const char *prefix;
} StatusWait;

static gboolean
status_starts_with (gpointer data)
{
  StatusWait *wait = data;
  const char *status = gk_s3_browser_get_build_status (wait->browser);

  return status != NULL && g_str_has_prefix (status, wait->prefix);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static guint
configs_in_bucket (GkS3Client *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  gk_s3_client_list_objects_async (client, env ("GK_TEST_BUCKET"), env ("GK_TEST_COHORT_PREFIX"),
                                   NULL, NULL, on_listed_cb, &result);
  gk_test_wait_until_full (have_result (&result), "the check listing", TIMEOUT_S);
  page = gk_s3_client_list_objects_finish (client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->objects->len; i++)
    if (strstr (((GkS3Object *) page->objects->pdata[i])->key, "chromoscope-") != NULL)
      n++;
  return n;
}

/* Starts a build of the cohort folder (or the set), cancels it once its
 * status starts with @stage (and, with @marker, once the driver has seen
 * S3 receive the upload, so S3 stores it although the answer never
 * arrives), and checks nothing was opened or left. */
static void
cancel_at (const char *action,
           const char *stage,
           const char *marker)
{
  Window w = { 0 };
  StatusWait wait = { NULL, stage };
  g_autofree char *opened = NULL;
  g_autofree char *what = g_strdup_printf ("the build to reach “%s”", stage);

  window_open (&w, env ("GK_TEST_COHORT_PREFIX"));
  gk_test_wait_until_full (listing_done (w.browser), "the cohort folder's listing", TIMEOUT_S);
  if (g_str_equal (action, "browser.open-chromoscope"))
    {
      /* A set of one sample's BAM and VCF, whose indexes are looked up. */
      gk_s3_browser_open (w.browser, env ("GK_TEST_BUCKET"), env ("GK_TEST_SET_PREFIX"));
      gk_test_wait_until_full (listing_done (w.browser), "the sample folder's listing", TIMEOUT_S);
      for (const char *const *name = (const char *const[]) { "S00001.bam", "S00001.vcf.gz",
                                                             "S00001.sv.bedpe", NULL };
           *name != NULL; name++)
        {
          gk_s3_browser_select_name (w.browser, *name);
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.browser), "browser.add-to-chromoscope", NULL));
        }
    }
  g_assert_false (gk_s3_browser_is_building (w.browser));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.browser), action, NULL));
  g_assert_true (gk_s3_browser_is_building (w.browser));
  wait.browser = w.browser;
  gk_test_wait_until_full (status_starts_with (&wait), what, TIMEOUT_S);
  if (marker != NULL)
    gk_test_wait_until_full (file_exists ((gpointer) marker), "S3 to receive the upload", TIMEOUT_S);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.browser), "browser.cancel-build", NULL));
  gk_test_wait_until_full (not_building (w.browser), "the cancelled build to end", TIMEOUT_S);

  opened = read_opened ();
  g_assert_cmpstr (opened, ==, "");
  g_assert_cmpuint (configs_in_bucket (w.client), ==, 0);
  window_close (&w);
}

static void
test_cancel_while_listing (void)
{
  cancel_at ("browser.open-folder-in-chromoscope", "Listing the folder", NULL);
}

static void
test_cancel_while_signing (void)
{
  cancel_at ("browser.open-chromoscope", "Signing", NULL);
}

static void
test_cancel_while_uploading (void)
{
  cancel_at ("browser.open-folder-in-chromoscope", "Uploading", env ("GK_TEST_UPLOAD_MARKER"));
}

static void
test_build_opens_chromoscope (void)
{
  Window w = { 0 };
  g_autofree char *opened = NULL;

  window_open (&w, env ("GK_TEST_COHORT_PREFIX"));
  gk_test_wait_until_full (listing_done (w.browser), "the cohort folder's listing", TIMEOUT_S);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.browser), "browser.open-folder-in-chromoscope", NULL));
  gk_test_wait_until_full (not_building (w.browser), "the build to end", TIMEOUT_S);
  /* The desktop's browser is started asynchronously. */
  gk_test_wait_until_full (something_opened (NULL), "Chromoscope to be opened in the browser", TIMEOUT_S);
  opened = read_opened ();
  /* Without a cancel the same build opens Chromoscope and leaves its config. */
  g_assert_true (g_str_has_prefix (opened, "https://chromoscope.bio/app/?external="));
  g_assert_cmpuint (configs_in_bucket (w.client), ==, 1);
  window_close (&w);
}

/* ---- set-up ------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  int status;

  test_home = gk_test_home_new ("test-app-cohort");
  opened_file = gk_test_home_install_browser (test_home);
  g_test_init (&argc, &argv, NULL);
  /* Xvfb has no GPU; GTK's cairo path draws the same widgets. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  gk_application_ensure_resources ();

  g_test_add_func ("/app/cohort/big-folder-pages-in-while-scrolling-and-filtering", test_big_folder_pages_in_while_scrolling);
  g_test_add_func ("/app/cohort/build-cancelled-while-listing-uploads-nothing", test_cancel_while_listing);
  g_test_add_func ("/app/cohort/build-cancelled-while-signing-uploads-nothing", test_cancel_while_signing);
  g_test_add_func ("/app/cohort/build-cancelled-while-uploading-uploads-nothing", test_cancel_while_uploading);
  g_test_add_func ("/app/cohort/build-opens-chromoscope", test_build_opens_chromoscope);

  status = g_test_run ();
  gk_test_home_remove (test_home);
  g_free (test_home);
  g_free (opened_file);
  return status;
}
