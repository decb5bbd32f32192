/* test-app-browser.c: the file list fills page by page and stays responsive;
 * web hand-offs warn about a bucket's CORS
 *
 * A SoupServer on a loopback port plays S3's ListObjectsV2 for a folder of
 * 20,000 objects in pages of 1,000, each answered 50 ms late. The browser
 * must show the first page while later ones are still on their way, reach
 * all 20,000 rows, and keep the main loop turning meanwhile.
 *
 * The same server has no CORS configuration: Open in IGV-Web must still
 * open igv.org (through the desktop's default browser, a test handler that
 * notes the address) and tell the user what the admin must allow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <zlib.h>

#include "gk-application.h"
#include "gk-env-credentials.h"
#include "gk-igv-web.h"
#include "gk-s3-browser.h"
#include "gk-test.h"

#include <glib/gstdio.h>

#define N_OBJECTS 20000
#define PAGE 1000
#define DELAY_MS 50

typedef struct
{
  GkTestServer *server;
  guint requests;
  guint pages_served;
  guint cors_requests;
} FakeS3;

static char *
list_page_xml (const char *prefix,
               guint       page)
{
  GString *xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                               "<Name>demo-lab</Name>");
  gboolean more = (page + 1) * PAGE < N_OBJECTS;

  g_string_append_printf (xml, "<Prefix>%s</Prefix><Delimiter>/</Delimiter><MaxKeys>%u</MaxKeys>"
                          "<KeyCount>%u</KeyCount><IsTruncated>%s</IsTruncated>",
                          prefix, PAGE, PAGE, more ? "true" : "false");
  if (more)
    g_string_append_printf (xml, "<NextContinuationToken>page-%u</NextContinuationToken>", page + 1);
  if (page == 0)
    g_string_append_printf (xml, "<CommonPrefixes><Prefix>%sqc/</Prefix></CommonPrefixes>", prefix);
  for (guint i = page * PAGE; i < (page + 1) * PAGE; i++)
    g_string_append_printf (xml, "<Contents><Key>%ssample-%05u.bam</Key>"
                            "<LastModified>2026-11-20T10:00:00.000Z</LastModified>"
                            "<ETag>\"0\"</ETag><Size>%u</Size><StorageClass>STANDARD</StorageClass></Contents>",
                            prefix, i, 1000 + i);
  g_string_append (xml, "</ListBucketResult>");
  return g_string_free (xml, FALSE);
}

typedef struct
{
  FakeS3 *s3;
  SoupServerMessage *msg;
} Delayed;

static gboolean
on_delay_done_cb (gpointer data)
{
  Delayed *delayed = data;

  delayed->s3->pages_served++;
  soup_server_message_unpause (delayed->msg);
  g_object_unref (delayed->msg);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  FakeS3 *s3 = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *token = query ? g_hash_table_lookup (query, "continuation-token") : NULL;
  const char *prefix = query ? g_hash_table_lookup (query, "prefix") : NULL;
  g_autofree char *xml = NULL;
  Delayed *delayed;
  guint page = 0;

  s3->requests++;
  if (query != NULL && g_hash_table_contains (query, "cors"))
    {
      static const char no_cors[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchCORSConfiguration</Code>"
        "<Message>The CORS configuration does not exist</Message></Error>";

      s3->cors_requests++;
      gk_test_respond (msg, 404, "application/xml", no_cors);
      return;
    }
  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "x-amz-bucket-region", "us-east-1");
  if (g_str_equal (method, "HEAD") || query == NULL || g_hash_table_lookup (query, "list-type") == NULL)
    {
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }
  if (token != NULL)
    page = (guint) g_ascii_strtoull (token + strlen ("page-"), NULL, 10);
  xml = list_page_xml (prefix ? prefix : "", page);
  gk_test_respond (msg, 200, "application/xml", xml);

  /* S3 takes its time; the window must not wait for it. */
  delayed = g_new0 (Delayed, 1);
  delayed->s3 = s3;
  delayed->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  g_timeout_add (DELAY_MS, on_delay_done_cb, delayed);
}

/* Starts @s3 on a loopback port; returns an S3 client that talks to it. */
static GkS3Client *
fake_s3_start (FakeS3 *s3)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkEnvCredentials) credentials = NULL;
  const char *envp[] = {
    "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "AWS_REGION=us-east-1",
    NULL
  };

  s3->server = gk_test_server_new ();
  gk_test_server_add_handler (s3->server, NULL, on_request_cb, s3);
  credentials = gk_env_credentials_new (envp, &error);
  g_assert_no_error (error);
  return gk_s3_client_new (GK_CREDENTIAL_SOURCE (credentials), "us-east-1",
                           gk_test_server_get_origin (s3->server), NULL);
}

typedef struct
{
  gint64 last;
  gint64 longest;
  GkS3Browser *browser;
} Ticker;

static gboolean
on_tick_cb (gpointer data)
{
  Ticker *ticker = data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last != 0 && now - ticker->last > 60000)
    g_test_message ("stall of %" G_GINT64_FORMAT " ms after page %u",
                    (now - ticker->last) / 1000, gk_s3_browser_get_pages_loaded (ticker->browser));
  if (ticker->last != 0)
    ticker->longest = MAX (ticker->longest, now - ticker->last);
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gboolean      *painted)
{
  *painted = TRUE;
}

/* Presents @window and waits for its first frame. */
static void
present_and_wait_for_paint (GtkWidget *window)
{
  gboolean painted = FALSE;
  gulong handler;

  gtk_window_present (GTK_WINDOW (window));
  gk_test_wait_until_msg (gtk_widget_get_mapped (window), "the window to be mapped");
  handler = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                              G_CALLBACK (on_after_paint_cb), &painted);
  gk_test_wait_until_msg (painted, "the window's first frame");
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (window), handler);
}

static gboolean
listing_is_complete (GkS3Browser *browser)
{
  return !gk_s3_browser_is_loading (browser) && gk_s3_browser_get_pages_loaded (browser) > 0;
}

/* Notes at which page the first rows showed; TRUE once the listing ended. */
static gboolean
watch_listing (GkS3Browser *browser,
               guint       *first_seen_at_page)
{
  guint rows = g_list_model_get_n_items (gk_s3_browser_get_items (browser));

  if (listing_is_complete (browser))
    return TRUE;
  if (*first_seen_at_page == 0 && rows > 0)
    {
      /* The first rows are on screen while S3 still has pages to send. */
      *first_seen_at_page = gk_s3_browser_get_pages_loaded (browser);
      g_assert_true (gk_s3_browser_is_loading (browser));
      g_assert_cmpuint (rows, <, N_OBJECTS);
    }
  return FALSE;
}

static void
test_list_fills_page_by_page (void)
{
  FakeS3 s3 = { 0 };
  g_autoptr(GkS3Client) client = NULL;
  GtkWidget *window;
  GkS3Browser *browser;
  Ticker ticker = { 0 };
  guint tick_id;
  guint first_seen_at_page = 0;

  client = fake_s3_start (&s3);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  browser = gk_s3_browser_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (browser));
  /* The first frame (fonts, theme) is start-up's cost, not the listing's. */
  present_and_wait_for_paint (window);
  gk_s3_browser_set_client (browser, client);
  gk_s3_browser_open (browser, "demo-lab", "cohort/");

  ticker.browser = browser;
  tick_id = g_timeout_add (10, on_tick_cb, &ticker);
  gk_test_wait_until_full (watch_listing (browser, &first_seen_at_page),
                           "all 20 pages of the listing", 120);
  g_source_remove (tick_id);

  g_assert_cmpuint (first_seen_at_page, ==, 1);
  g_assert_cmpuint (gk_s3_browser_get_pages_loaded (browser), ==, N_OBJECTS / PAGE);
  /* 20,000 objects and the qc/ folder. */
  g_assert_cmpuint (g_list_model_get_n_items (gk_s3_browser_get_items (browser)), ==, N_OBJECTS + 1);
  g_test_message ("longest main-loop stall while listing: %" G_GINT64_FORMAT " ms",
                  ticker.longest / 1000);
  /* One-time costs (first row widgets, icons) land here too; a freeze
   * the user would notice does not. */
  g_assert_cmpint (ticker.longest, <, 1000 * 1000);

  gtk_window_destroy (GTK_WINDOW (window));
  gk_test_server_free (s3.server);
}

static void
on_message_cb (GkS3Browser *browser,
               const char  *message,
               gpointer     user_data)
{
  GPtrArray *messages = user_data;

  g_ptr_array_add (messages, g_strdup (message));
}

/* The test's own HOME and XDG folders (see main ()). */
static char *test_home;

/* What igv.js does with a blob: session: undo the alphabet, base64, raw
 * inflate. */
static char *
decode_session_blob (const char *blob)
{
  g_autofree char *b64 = g_strdup (blob);
  g_autofree guchar *compressed = NULL;
  GString *out = g_string_new (NULL);
  z_stream stream = { 0 };
  gsize length = 0;
  guchar buffer[4096];
  int status;

  g_strstrip (b64);
  for (char *p = b64; *p != '\0'; p++)
    *p = *p == '.' ? '+' : *p == '_' ? '/' : *p == '-' ? '=' : *p;
  compressed = g_base64_decode (b64, &length);
  g_assert_cmpint (inflateInit2 (&stream, -15), ==, Z_OK);
  stream.next_in = compressed;
  stream.avail_in = length;
  do
    {
      stream.next_out = buffer;
      stream.avail_out = sizeof buffer;
      status = inflate (&stream, Z_NO_FLUSH);
      g_assert_true (status == Z_OK || status == Z_STREAM_END);
      g_string_append_len (out, (char *) buffer, sizeof buffer - stream.avail_out);
    }
  while (status != Z_STREAM_END);
  inflateEnd (&stream);
  return g_string_free (out, FALSE);
}

static gboolean
has_cors_warning (GPtrArray *messages)
{
  for (guint i = 0; i < messages->len; i++)
    if (strstr (messages->pdata[i], GK_IGV_WEB_ORIGIN) != NULL &&
        strstr (messages->pdata[i], "“demo-lab”") != NULL &&
        strstr (messages->pdata[i], "no CORS configuration") != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
read_opened (const char  *path,
             char       **opened)
{
  g_clear_pointer (opened, g_free);
  if (!g_file_get_contents (path, opened, NULL, NULL) || !g_str_has_suffix (*opened, "\n"))
    g_clear_pointer (opened, g_free);
  return *opened != NULL;
}

/* The window says why IGV-Web's links live shorter. */
static gboolean
has_expiry_notice (GPtrArray *messages)
{
  for (guint i = 0; i < messages->len; i++)
    if (strstr (messages->pdata[i], "Opened in IGV-Web") != NULL
        && strstr (messages->pdata[i], "at most an hour") != NULL)
      return TRUE;
  return FALSE;
}

static void
test_igv_web_warns_about_cors (void)
{
  FakeS3 s3 = { 0 };
  g_autoptr(GkS3Client) client = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *opened_file = gk_test_home_install_browser (test_home);
  g_autofree char *opened = NULL;
  GtkWidget *window;
  GkS3Browser *browser;
  GkBrowserItem *selected;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* Links for desktop IGV may live 12 h; IGV-Web's still only an hour. */
  g_settings_set_uint (settings, "link-lifetime", 43200);
  client = fake_s3_start (&s3);

  window = gtk_window_new ();
  browser = gk_s3_browser_new ();
  g_signal_connect (browser, "show-message", G_CALLBACK (on_message_cb), messages);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (browser));
  gtk_window_present (GTK_WINDOW (window));
  gk_s3_browser_set_client (browser, client);
  gk_s3_browser_open (browser, "demo-lab", "cohort/");
  gk_test_wait_until_full (listing_is_complete (browser), "all 20 pages of the listing", 120);
  gk_s3_browser_select_name (browser, "sample-00007.bam");
  selected = gk_s3_browser_get_selected (browser);
  g_assert_nonnull (selected);
  g_assert_cmpstr (gk_browser_item_get_name (selected), ==, "sample-00007.bam");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (browser), "browser.open-in-igv-web", NULL));
  gk_test_wait_until_msg (has_cors_warning (messages),
                          "a message that igv.org is kept out by demo-lab's missing CORS rules");
  /* The handler is another process: it writes the file when it ran. */
  gk_test_wait_until_msg (read_opened (opened_file, &opened), "the test browser to be handed igv.org");
  gk_test_wait_until_msg (has_expiry_notice (messages),
                          "a message that IGV-Web's links work for at most an hour, and why");
  g_assert_cmpuint (s3.cors_requests, ==, 1);
  /* igv.org opened with a session (its tracks are checked by the igv-web
   * tests); the signed links inside are not printed. */
  g_assert_true (g_str_has_prefix (opened, "https://igv.org/app/?sessionURL=blob:"));
  g_assert_cmpuint (strlen (opened), >, 200);
  {
    /* Inside the session: the link signed for an hour, not the 12 h set. */
    g_autofree char *session = decode_session_blob (opened + strlen ("https://igv.org/app/?sessionURL=blob:"));

    g_assert_nonnull (strstr (session, "X-Amz-Expires=3600&"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gk_test_server_free (s3.server);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Its own HOME and XDG folders, so the browser handler installed there
   * is the only one GIO sees; no session bus. */
  test_home = gk_test_home_new ("test-app-browser");
  g_test_init (&argc, &argv, NULL);
  /* Xvfb has no GPU: Mesa's software GL is slow and, under the sanitizers,
   * slower still; GTK's cairo path draws the same widgets. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  gk_application_ensure_resources ();

  g_test_add_func ("/app/browser/list-fills-page-by-page", test_list_fills_page_by_page);
  g_test_add_func ("/app/browser/igv-web-warns-about-cors", test_igv_web_warns_about_cors);

  status = g_test_run ();
  gk_test_home_remove (test_home);
  g_free (test_home);
  return status;
}
