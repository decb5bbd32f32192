/* test-igv.c: the IGV port client against a scripted fake IGV, session XML,
 * session files, the launcher and link checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <utime.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sys/stat.h>

#include "gk-http.h"
#include "gk-igv.h"
#include "gk-test.h"

#define SIGNED_LINK "http://127.0.0.1:9/demo-lab/a%20b.bam?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=deadbeef"
#define SIGNED_INDEX "http://127.0.0.1:9/demo-lab/a%20b.bam.bai?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=cafef00d"

typedef enum
{
  FAKE_OK,          /* answers like IGV */
  FAKE_SLOW,        /* reads, never answers (until the test is done with it) */
  FAKE_UNKNOWN,     /* answers every command but echo with UNKOWN COMMAND */
  FAKE_DROP,        /* answers echo, closes the connection on the next command */
  FAKE_LOAD_ERROR,  /* answers load with an error quoting the link */
  FAKE_NOT_IGV,     /* answers like a web server */
} FakeMode;

typedef struct
{
  GSocketService *service;
  guint16 port;
  FakeMode mode;
  GMutex lock;
  GPtrArray *commands;     /* what arrived, in order */
  gboolean pipelined;      /* a command arrived before the previous reply */
  int active;              /* connections being served */
  int released;            /* FAKE_SLOW: the test let go of the connection */
  int refs;                /* the test and the service's handler */
} FakeIgv;

static void
fake_igv_unref (gpointer data,
                GClosure *closure)
{
  FakeIgv *fake = data;

  if (!g_atomic_int_dec_and_test (&fake->refs))
    return;
  g_ptr_array_unref (fake->commands);
  g_mutex_clear (&fake->lock);
  g_free (fake);
}

static gboolean
on_fake_run_cb (GThreadedSocketService *service,
                GSocketConnection      *connection,
                GObject                *source,
                gpointer                user_data)
{
  FakeIgv *fake = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);
  GSocket *socket = g_socket_connection_get_socket (connection);

  g_atomic_int_inc (&fake->active);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (data, NULL, NULL, NULL);
      const char *reply;

      if (line == NULL)
        break;
      g_mutex_lock (&fake->lock);
      g_ptr_array_add (fake->commands, g_strdup (line));
      g_mutex_unlock (&fake->lock);

      if (fake->mode == FAKE_SLOW)
        {
          /* Holds the connection without a word until the test ends. */
          while (!g_atomic_int_get (&fake->released))
            g_usleep (10 * 1000);
          break;
        }
      if (fake->mode == FAKE_NOT_IGV)
        reply = "HTTP/1.1 400 Bad Request\r\n";
      else if (g_str_equal (line, "echo"))
        reply = "echo\n";
      else if (fake->mode == FAKE_UNKNOWN)
        reply = "UNKOWN COMMAND: load\n";
      else if (fake->mode == FAKE_DROP)
        break;
      else if (fake->mode == FAKE_LOAD_ERROR && g_str_has_prefix (line, "load "))
        reply = "Error loading " SIGNED_LINK ": file not found\n";
      else if (g_str_equal (line, "version"))
        reply = "2.16.0\n";
      else
        reply = "OK\n";

      /* Take our time: a client that does not wait for the reply sends its
       * next command meanwhile. */
      g_usleep (50 * 1000);
      if (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (data)) > 0
          || g_socket_condition_check (socket, G_IO_IN) & G_IO_IN)
        fake->pipelined = TRUE;
      if (!g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL))
        break;
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_dec_and_test (&fake->active);
  return TRUE;
}

static FakeIgv *
fake_igv_new (FakeMode mode)
{
  FakeIgv *fake = g_new0 (FakeIgv, 1);
  g_autoptr(GError) error = NULL;

  fake->mode = mode;
  fake->commands = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&fake->lock);
  fake->service = g_threaded_socket_service_new (4);
  fake->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (fake->service), NULL, &error);
  g_assert_no_error (error);
  /* The handler keeps the fake alive as long as the service, which a
   * connection still queued in its thread pool may outlive the test by. */
  fake->refs = 2;
  g_signal_connect_data (fake->service, "run", G_CALLBACK (on_fake_run_cb), fake,
                         fake_igv_unref, 0);
  g_socket_service_start (fake->service);
  return fake;
}

static void
fake_igv_free (FakeIgv *fake)
{
  g_atomic_int_set (&fake->released, 1);
  g_socket_service_stop (fake->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fake->service));
  /* A handler may still be reading (the client gave up first). */
  while (g_atomic_int_get (&fake->active) > 0)
    g_usleep (10 * 1000);
  g_clear_object (&fake->service);
  fake_igv_unref (fake, NULL);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeIgv, fake_igv_free)

static guint
fake_command_count (FakeIgv *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->commands->len;
  g_mutex_unlock (&fake->lock);
  return n;
}

static guint16
unused_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);

  g_socket_listener_close (listener);
  return port;
}

static GPtrArray *
demo_tracks (void)
{
  GPtrArray *tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);

  g_ptr_array_add (tracks, gk_igv_track_new (SIGNED_LINK, SIGNED_INDEX, "tumour sample.bam", "bam"));
  g_ptr_array_add (tracks, gk_igv_track_new (SIGNED_LINK, NULL, "calls.bedpe", "bedpe"));
  return tracks;
}

static GError *
run_load (guint16  port,
          guint    timeout_ms)
{
  g_autoptr(GkIgvClient) client = gk_igv_client_new (port);
  g_autoptr(GPtrArray) tracks = demo_tracks ();
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;

  gk_igv_client_set_timeout (client, timeout_ms);
  gk_igv_client_load_async (client, "hg38", "chr1:1-1000", tracks, NULL, gk_test_store_result_cb, &result);
  if (!gk_igv_client_load_finish (client, gk_test_wait_for_result (&result), &error))
    return error;
  return NULL;
}

static void
assert_no_link (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "X-Amz"));
  g_assert_null (strstr (error->message, "deadbeef"));
  g_assert_null (strstr (error->message, "127.0.0.1:9"));
}

static void
test_port_no_igv (void)
{
  g_autoptr(GError) error = run_load (unused_port (), 2000);

  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_RUNNING);
}

static void
test_port_replies_in_order (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_OK);
  g_autoptr(GkIgvClient) client = gk_igv_client_new (fake->port);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) replies = NULL;
  const char * const commands[] = { "echo", "version", "goto chr2", "echo", NULL };

  gk_igv_client_send_async (client, commands, NULL, gk_test_store_result_cb, &result);
  replies = gk_igv_client_send_finish (client, gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (replies), ==, 4);
  g_assert_cmpstr (replies[0], ==, "echo");
  g_assert_cmpstr (replies[1], ==, "2.16.0");
  g_assert_cmpstr (replies[2], ==, "OK");
  g_assert_cmpstr (replies[3], ==, "echo");
  g_assert_false (fake->pipelined);
}

static void
test_port_load_sequence (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_OK);
  g_autoptr(GError) error = run_load (fake->port, 5000);

  g_assert_no_error (error);
  g_assert_false (fake->pipelined);
  g_assert_cmpuint (fake->commands->len, ==, 6);
  g_assert_cmpstr (fake->commands->pdata[0], ==, "echo");
  g_assert_cmpstr (fake->commands->pdata[1], ==, "genome \"hg38\"");
  g_assert_cmpstr (fake->commands->pdata[2], ==,
                   "load \"" SIGNED_LINK "\" index=\"" SIGNED_INDEX "\" name=\"tumour sample.bam\" format=bam");
  g_assert_cmpstr (fake->commands->pdata[3], ==, "load \"" SIGNED_LINK "\" name=\"calls.bedpe\" format=bedpe");
  g_assert_cmpstr (fake->commands->pdata[4], ==, "goto \"chr1:1-1000\"");
  g_assert_cmpstr (fake->commands->pdata[5], ==, "tofront");
}

static void
test_port_slow (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_SLOW);
  g_autoptr(GError) error = run_load (fake->port, 300);

  /* The fake holds the connection without a word until the test ends, so
   * only the client's own timeout can have ended the load. */
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_TIMEOUT);
  g_assert_cmpuint (fake->commands->len, ==, 1);
}

static void
test_port_unknown_command (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_UNKNOWN);
  g_autoptr(GError) error = run_load (fake->port, 5000);

  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_UNKNOWN_COMMAND);
  g_assert_nonnull (strstr (error->message, "“genome”"));
  /* Nothing after the refused command. */
  g_assert_cmpuint (fake->commands->len, ==, 2);
}

static void
test_port_dropped (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_DROP);
  g_autoptr(GError) error = run_load (fake->port, 5000);

  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_DISCONNECTED);
}

static void
test_port_error_reply_redacted (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_LOAD_ERROR);
  g_autoptr(GError) error = run_load (fake->port, 5000);

  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_FAILED);
  assert_no_link (error);
  g_assert_nonnull (strstr (error->message, "file not found"));
}

/* Found by fuzzing: bytes that are not UTF-8 in a reply went into the
 * error as they were, which the window cannot show. */
static void
test_reply_error_readable (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (gk_igv_check_reply ("load \"https://x/S1.bam?X-Amz-Signature=1\"",
                                      "ERROR \xff\xfe cannot read https://x/S1.bam?X-Amz-Signature=1", &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_FAILED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_no_link (error);
}

static void
test_port_not_igv (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_NOT_IGV);
  g_autoptr(GError) error = run_load (fake->port, 5000);

  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_IGV);
  /* The links were never sent to a program that is not IGV. */
  g_assert_cmpuint (fake->commands->len, ==, 1);
  g_assert_cmpstr (fake->commands->pdata[0], ==, "echo");
}

static void
test_port_probe (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_OK);
  g_autoptr(GkIgvClient) client = gk_igv_client_new (fake->port);
  g_autoptr(GkIgvClient) nobody = gk_igv_client_new (unused_port ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;

  gk_igv_client_probe_async (client, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_igv_client_probe_finish (client, gk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);

  gk_igv_client_probe_async (nobody, NULL, gk_test_store_result_cb, &result2);
  g_assert_false (gk_igv_client_probe_finish (nobody, gk_test_wait_for_result (&result2), &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_RUNNING);
}

static void
test_port_cancel (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_SLOW);
  g_autoptr(GkIgvClient) client = gk_igv_client_new (fake->port);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) tracks = demo_tracks ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_igv_client_set_timeout (client, 10000);
  gk_igv_client_load_async (client, NULL, NULL, tracks, cancellable, gk_test_store_result_cb, &result);
  /* Cancelled while IGV is busy with the first command. */
  gk_test_wait_until_msg (fake_command_count (fake) > 0, "the first command to reach the fake IGV");
  g_cancellable_cancel (cancellable);
  g_assert_false (gk_igv_client_load_finish (client, gk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_reply_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_igv_check_reply ("echo", "echo", NULL));
  g_assert_true (gk_igv_check_reply ("load x", "OK", NULL));
  g_assert_true (gk_igv_check_reply ("version", "2.16.0", NULL));
  g_assert_false (gk_igv_check_reply ("load x", "UNKNOWN COMMAND: load", &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_UNKNOWN_COMMAND);
  g_clear_error (&error);
  g_assert_false (gk_igv_check_reply ("goto x", "Error: locus not found", &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (gk_igv_check_reply ("genome x", "", &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_FAILED);
}

/* IGV URL-decodes unquoted values and splits them on commas; quoted ones it
 * takes as they are. */
static void
test_load_command (void)
{
  g_autoptr(GkIgvTrack) plain = gk_igv_track_new ("https://b.s3.amazonaws.com/k.vcf.gz?a=1&b=2",
                                                   "https://b.s3.amazonaws.com/k.vcf.gz.tbi?a=1&b=2",
                                                   "my calls, v2.vcf.gz", "vcf");
  g_autoptr(GkIgvTrack) odd = gk_igv_track_new ("https://b/run%201%20%282024%29/S%2B1%23%C3%A9%2Cx.bam?a=1",
                                                 NULL, "S+1#é,x \"q\"\nexit.bam", "bam");
  g_autoptr(GkIgvTrack) quoted = gk_igv_track_new ("https://b/a\"b.bam", NULL, "x", NULL);
  g_autoptr(GkIgvTrack) broken = gk_igv_track_new ("https://b/a.bam", "https://b/a.bai\nexit", "x", NULL);
  g_autofree char *command = gk_igv_load_command (plain);
  g_autofree char *odd_command = gk_igv_load_command (odd);

  g_assert_cmpstr (command, ==,
                   "load \"https://b.s3.amazonaws.com/k.vcf.gz?a=1&b=2\" "
                   "index=\"https://b.s3.amazonaws.com/k.vcf.gz.tbi?a=1&b=2\" "
                   "name=\"my calls, v2.vcf.gz\" format=vcf");
  /* The link goes as it is; the name keeps its commas and spaces but not
   * what would end the quote or the line. */
  g_assert_cmpstr (odd_command, ==,
                   "load \"https://b/run%201%20%282024%29/S%2B1%23%C3%A9%2Cx.bam?a=1\" "
                   "name=\"S+1#é,x 'q'_exit.bam\" format=bam");
  g_assert_null (gk_igv_load_command (quoted));
  g_assert_null (gk_igv_load_command (broken));
}

/* A line break in --locus would be a command of its own. */
static void
test_locus_and_genome_refused (void)
{
  const char *bad[] = { "chr1:1-100\nsaveSession /tmp/x.xml", "chr1\r", "chr1\t2", "a\"b", "chr1\x7f", "" };
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_OK);
  g_autoptr(GkIgvClient) client = gk_igv_client_new (fake->port);
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);

  g_ptr_array_add (tracks, gk_igv_track_new (SIGNED_LINK, NULL, "x.bed", "bed"));
  g_assert_true (gk_igv_argument_is_valid ("chr1:1,000-2,000", "locus", NULL));
  g_assert_true (gk_igv_argument_is_valid ("/home/ana/.cache/my genomes/g.json", "genome", NULL));
  g_assert_true (gk_igv_argument_is_valid (NULL, "genome", NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GAsyncResult) by_locus = NULL;
      g_autoptr(GAsyncResult) by_genome = NULL;
      g_autoptr(GError) e1 = NULL, e2 = NULL;

      g_assert_false (gk_igv_argument_is_valid (bad[i], "locus", NULL));
      gk_igv_client_load_async (client, NULL, bad[i], tracks, NULL, gk_test_store_result_cb, &by_locus);
      g_assert_false (gk_igv_client_load_finish (client, gk_test_wait_for_result (&by_locus), &e1));
      g_assert_error (e1, GK_IGV_ERROR, GK_IGV_ERROR_INVALID);
      gk_igv_client_load_async (client, bad[i], NULL, tracks, NULL, gk_test_store_result_cb, &by_genome);
      g_assert_false (gk_igv_client_load_finish (client, gk_test_wait_for_result (&by_genome), &e2));
      g_assert_error (e2, GK_IGV_ERROR, GK_IGV_ERROR_INVALID);
    }
  /* Nothing reached IGV. */
  g_assert_cmpuint (fake->commands->len, ==, 0);
}

/* IGV opens its port only with the preference on, or with --port. */
static void
test_launch_always_passes_port (void)
{
  g_auto(GStrv) plain = gk_igv_launch_argv (NULL, NULL, 0, NULL);
  g_auto(GStrv) custom = gk_igv_launch_argv ("/opt/IGV 2.19/igv.sh' -Xmx4g", "/tmp/s.xml", 60152, NULL);
  g_auto(GStrv) own = gk_igv_launch_argv ("\"/opt/IGV 2.19/igv.sh\" --batch", "/c/my s.xml", 60151, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstrv (plain, ((const char *[]) { "igv", "--port", "60151", NULL }));
  g_assert_null (custom);
  g_assert_cmpstrv (own, ((const char *[]) { "/opt/IGV 2.19/igv.sh", "--batch", "--port", "60151", "/c/my s.xml", NULL }));
  g_assert_null (gk_igv_launch_argv ("igv '", NULL, 0, &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_LAUNCH_FAILED);
}

static void
test_session_xml_escaping (void)
{
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);
  g_autofree char *xml = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (tracks, gk_igv_track_new ("https://h/k.bam?X-Amz-Date=1&X-Amz-Signature=ab",
                                             "https://h/k.bam.bai?X-Amz-Date=1&X-Amz-Signature=cd",
                                             "T \"1\" <a>", "bam"));
  xml = gk_igv_session_xml ("/data/ref genome & co.fa", "chr1:1-1000", tracks);

  g_assert_nonnull (strstr (xml, "<Session genome=\"/data/ref genome &amp; co.fa\" "
                                 "locus=\"chr1:1-1000\" version=\"8\">"));
  g_assert_nonnull (strstr (xml, "<Resources>"));
  g_assert_nonnull (strstr (xml, "path=\"https://h/k.bam?X-Amz-Date=1&amp;X-Amz-Signature=ab\""));
  g_assert_nonnull (strstr (xml, "index=\"https://h/k.bam.bai?X-Amz-Date=1&amp;X-Amz-Signature=cd\""));
  g_assert_nonnull (strstr (xml, "name=\"T &quot;1&quot; &lt;a&gt;\""));
  /* IGV's session reader takes the format from "type" and ignores "format". */
  g_assert_nonnull (strstr (xml, " type=\"bam\""));
  g_assert_null (strstr (xml, "format="));
  /* No raw & anywhere, and it parses as XML. */
  for (const char *p = strchr (xml, '&'); p != NULL; p = strchr (p + 1, '&'))
    g_assert_true (g_str_has_prefix (p, "&amp;") || g_str_has_prefix (p, "&quot;")
                   || g_str_has_prefix (p, "&lt;") || g_str_has_prefix (p, "&gt;"));
  {
    static const GMarkupParser parser = { NULL };

    context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
    g_assert_true (g_markup_parse_context_parse (context, xml, -1, &error));
    g_assert_true (g_markup_parse_context_end_parse (context, &error));
    g_assert_no_error (error);
  }
}

static void
test_session_file_private (void)
{
  g_autofree char *base = g_dir_make_tmp ("gk-test-igv-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (base, "sessions", NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_true (gk_igv_write_session_file ("<Session/>\n", dir, &path, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_true (g_str_has_suffix (path, ".xml"));
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "<Session/>\n");

  g_remove (path);
  g_rmdir (dir);
  g_rmdir (base);
}

static char *
write_aged (const char *dir,
            const char *name,
            gint64      age)
{
  char *path = g_build_filename (dir, name, NULL);
  struct utimbuf times;

  g_assert_true (g_file_set_contents (path, "x", -1, NULL));
  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - age);
  g_assert_cmpint (utime (path, &times), ==, 0);
  return path;
}

/* Old sessions and genome files (links, dead or capabilities) do not pile
 * up: the next write removes those older than a week, nothing else. */
static void
test_session_files_cleaned_after_a_week (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gk-test-igv-XXXXXX", NULL);
  const gint64 week = GK_IGV_CACHE_MAX_AGE_SECONDS;
  g_autofree char *old_session = write_aged (dir, "genokey-session-AAAAAA.xml", week + 3600);
  g_autofree char *old_genome = write_aged (dir, "genokey-genome-BBBBBB.json", week + 60);
  g_autofree char *recent = write_aged (dir, "genokey-session-CCCCCC.xml", week - 3600);
  g_autofree char *foreign = write_aged (dir, "my-notes.xml", week * 4);
  g_autofree char *path = NULL;

  g_assert_true (gk_igv_write_session_file ("<Session/>\n", dir, &path, NULL));
  g_assert_false (g_file_test (old_session, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_genome, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (recent, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (foreign, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_remove (recent);
  g_remove (foreign);
  g_remove (path);
  g_rmdir (dir);
}

static void
test_genome_file (void)
{
  g_autofree char *base = g_dir_make_tmp ("gk-test-igv-XXXXXX", NULL);
  g_autofree char *json = gk_igv_genome_json ("ref.fa", "https://h/ref.fa?a=1&b=2", "https://h/ref.fa.fai?a=1&b=3");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *genome;
  struct stat st;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  genome = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (genome, "id"), ==, "ref.fa");
  g_assert_cmpstr (json_object_get_string_member (genome, "fastaURL"), ==, "https://h/ref.fa?a=1&b=2");
  g_assert_cmpstr (json_object_get_string_member (genome, "indexURL"), ==, "https://h/ref.fa.fai?a=1&b=3");

  /* IGV recognises a genome definition by its .json name. */
  g_assert_true (gk_igv_write_genome_file (json, base, &path, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, ".json"));
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_remove (path);
  g_rmdir (base);
}

static GError *
run_launch (const char *command,
            guint16     port,
            gboolean    sign_in_active,
            guint       timeout_ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;

  gk_igv_launch_async (command, "/nonexistent/session.xml", port, sign_in_active, timeout_ms,
                       NULL, gk_test_store_result_cb, &result);
  if (!gk_igv_launch_finish (gk_test_wait_for_result (&result), &error))
    return error;
  return NULL;
}

static void
test_launch (void)
{
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_OK);
  g_autoptr(GError) ok = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) crashed = NULL;
  g_autoptr(GError) sign_in = NULL;
  g_autoptr(GError) silent = NULL;

  if (gk_igv_is_sandboxed ())
    {
      g_test_skip ("inside Flatpak");
      return;
    }

  /* A wrapper that exits 0 while "IGV" (the fake) answers on the port. */
  ok = run_launch ("true", fake->port, FALSE, 5000);
  g_assert_no_error (ok);
  g_assert_cmpstr (fake->commands->pdata[0], ==, "echo");

  missing = run_launch ("/nonexistent/igv.sh", fake->port, FALSE, 5000);
  g_assert_error (missing, GK_IGV_ERROR, GK_IGV_ERROR_LAUNCH_FAILED);

  crashed = run_launch ("sh -c 'exit 3' igv", unused_port (), FALSE, 5000);
  g_assert_error (crashed, GK_IGV_ERROR, GK_IGV_ERROR_LAUNCH_FAILED);
  g_assert_nonnull (strstr (crashed->message, "3"));

  sign_in = run_launch ("true", fake->port, TRUE, 5000);
  g_assert_error (sign_in, GK_IGV_ERROR, GK_IGV_ERROR_SIGN_IN_ACTIVE);

  silent = run_launch ("sh -c 'sleep 5' igv", unused_port (), FALSE, 700);
  g_assert_error (silent, GK_IGV_ERROR, GK_IGV_ERROR_TIMEOUT);
}

static void
on_server_request_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  const char *range = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Range");

  if (g_str_equal (path, "/good.bam") && g_strcmp0 (range, "bytes=0-0") == 0)
    {
      soup_server_message_set_status (msg, 206, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Range", "bytes 0-0/100");
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC, "B", 1);
      return;
    }
  soup_server_message_set_status (msg, 403, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC,
                                    "<Error><Code>SignatureDoesNotMatch</Code></Error>", 48);
}

static void
test_check_link (void)
{
  g_autoptr(GkTestServer) server = gk_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) good = NULL;
  g_autoptr(GAsyncResult) bad = NULL;
  g_autofree char *good_url = NULL;
  g_autofree char *bad_url = NULL;
  g_autofree char *base = NULL;

  gk_test_server_add_handler (server, NULL, on_server_request_cb, NULL);
  base = gk_test_server_url (server, NULL);
  good_url = g_strconcat (base, "good.bam?X-Amz-Signature=aa", NULL);
  bad_url = g_strconcat (base, "bad.bam?X-Amz-Signature=deadbeef", NULL);

  gk_igv_check_link_async (session, good_url, "good.bam", NULL, gk_test_store_result_cb, &good);
  g_assert_true (gk_igv_check_link_finish (gk_test_wait_for_result (&good), &error));
  g_assert_no_error (error);

  gk_igv_check_link_async (session, bad_url, "bad.bam", NULL, gk_test_store_result_cb, &bad);
  g_assert_false (gk_igv_check_link_finish (gk_test_wait_for_result (&bad), &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_LINK_BROKEN);
  g_assert_nonnull (strstr (error->message, "bad.bam"));
  g_assert_nonnull (strstr (error->message, "403"));
  g_assert_nonnull (strstr (error->message, "SignatureDoesNotMatch"));
  assert_no_link (error);
}

static char *
start_link_server (GkTestServer *server)
{
  gk_test_server_add_handler (server, NULL, on_server_request_cb, NULL);
  return gk_test_server_url (server, NULL);
}

static void
test_open_checks_links_first (void)
{
  g_autoptr(GkTestServer) server = gk_test_server_new ();
  g_autofree char *base = start_link_server (server);
  g_autofree char *good = g_strconcat (base, "good.bam?X-Amz-Signature=aa", NULL);
  g_autofree char *bad = g_strconcat (base, "bad.bam.bai?X-Amz-Signature=deadbeef", NULL);
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_OK);
  g_autoptr(GkIgvClient) client = gk_igv_client_new (fake->port);
  g_autoptr(GPtrArray) good_tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);
  g_autoptr(GPtrArray) bad_tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;

  g_ptr_array_add (good_tracks, gk_igv_track_new (good, NULL, "good.bam", "bam"));
  gk_igv_open_tracks_async (client, NULL, "chr1", good_tracks, "true", FALSE, 5000, NULL, gk_test_store_result_cb, &sent);
  g_assert_cmpint (gk_igv_open_tracks_finish (client, gk_test_wait_for_result (&sent), &session, &error), ==, GK_IGV_OPENED_SENT);
  g_assert_no_error (error);
  g_assert_null (session);
  g_assert_cmpuint (fake->commands->len, ==, 5); /* probe echo; echo, load, goto, tofront */

  /* The index answers 403: nothing reaches IGV, and the error names the
   * files, not the links. */
  g_ptr_array_add (bad_tracks, gk_igv_track_new (good, bad, "good.bam", "bam"));
  gk_igv_open_tracks_async (client, NULL, NULL, bad_tracks, "true", FALSE, 5000, NULL, gk_test_store_result_cb, &refused);
  g_assert_cmpint (gk_igv_open_tracks_finish (client, gk_test_wait_for_result (&refused), NULL, &error), ==, GK_IGV_OPENED_NONE);
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_LINK_BROKEN);
  g_assert_nonnull (strstr (error->message, "bad.bam.bai"));
  assert_no_link (error);
  g_assert_cmpuint (fake->commands->len, ==, 5);
}

/* A server that takes connections and never finishes an answer: before
 * the headers, or (with @headers) after a 403's headers and the start of
 * its body. The connections stay open until the test frees it. */
typedef struct
{
  GSocketService *service;
  guint16 port;
  const char *headers;
  GPtrArray *connections;
} StalledServer;

static gboolean
on_stalled_incoming_cb (GSocketService    *service,
                        GSocketConnection *connection,
                        GObject           *source,
                        gpointer           user_data)
{
  StalledServer *stalled = user_data;

  g_ptr_array_add (stalled->connections, g_object_ref (connection));
  if (stalled->headers != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                               stalled->headers, strlen (stalled->headers), NULL, NULL, NULL);
  return TRUE;
}

static StalledServer *
stalled_server_new (const char *headers)
{
  StalledServer *stalled = g_new0 (StalledServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  stalled->headers = headers;
  stalled->connections = g_ptr_array_new_with_free_func (g_object_unref);
  stalled->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (stalled->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  stalled->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (stalled->service, "incoming", G_CALLBACK (on_stalled_incoming_cb), stalled);
  g_socket_service_start (stalled->service);
  return stalled;
}

static void
stalled_server_free (StalledServer *stalled)
{
  g_socket_service_stop (stalled->service);
  g_socket_listener_close (G_SOCKET_LISTENER (stalled->service));
  g_clear_object (&stalled->service);
  g_ptr_array_unref (stalled->connections);
  g_free (stalled);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StalledServer, stalled_server_free)

/* IGV answers OK to a load that failed, so every link is read before it
 * is handed over; a server that takes the connection and then says nothing
 * must end that check, not hang it. The check runs with the client's
 * session, which has Genokey's timeouts (30 s); the test shortens that
 * session's timeout to 2 s so it need not wait as long. Nothing reaches
 * IGV, and the error names the file, not the link. */
static void
test_check_link_stalled_gives_up (void)
{
  g_autoptr(StalledServer) stalled = stalled_server_new (NULL);
  g_autoptr(FakeIgv) fake = fake_igv_new (FAKE_OK);
  g_autoptr(GkIgvClient) client = gk_igv_client_new (fake->port);
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/lab/stalled.bam?X-Amz-Signature=deadbeef",
                                          stalled->port);
  SoupSession *session = gk_igv_client_get_http_session (client);

  g_assert_cmpuint (soup_session_get_timeout (session), ==, GK_HTTP_TIMEOUT_SECONDS);
  g_assert_cmpuint (soup_session_get_idle_timeout (session), ==, GK_HTTP_IDLE_TIMEOUT_SECONDS);
  soup_session_set_timeout (session, 2);

  g_ptr_array_add (tracks, gk_igv_track_new (url, NULL, "stalled.bam", "bam"));
  gk_igv_open_tracks_async (client, NULL, NULL, tracks, "true", FALSE, 5000, NULL,
                            gk_test_store_result_cb, &result);
  g_assert_cmpint (gk_igv_open_tracks_finish (client, gk_test_wait_for_result (&result), NULL, &error),
                   ==, GK_IGV_OPENED_NONE);
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_LINK_BROKEN);
  g_assert_nonnull (strstr (error->message, "stalled.bam"));
  assert_no_link (error);
  g_test_message ("gave up with: %s", error->message);
  g_assert_cmpuint (stalled->connections->len, >=, 1);
  g_assert_cmpuint (fake->commands->len, ==, 0);
}

/* The same when the answer's headers came and its body stalls: S3 says
 * why a link fails in its body, which is read with the same timeout. */
static void
test_check_link_stalled_body_gives_up (void)
{
  g_autoptr(StalledServer) stalled =
    stalled_server_new ("HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\n"
                        "Content-Length: 200\r\n\r\n<Error><Co");
  g_autoptr(GkIgvClient) client = gk_igv_client_new (0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/lab/stalled.bam?X-Amz-Signature=deadbeef",
                                          stalled->port);
  SoupSession *session = gk_igv_client_get_http_session (client);

  soup_session_set_timeout (session, 2);
  gk_igv_check_link_async (session, url, "stalled.bam", NULL, gk_test_store_result_cb, &result);
  g_assert_false (gk_igv_check_link_finish (gk_test_wait_for_result (&result), &error));
  g_assert_error (error, GK_IGV_ERROR, GK_IGV_ERROR_LINK_BROKEN);
  g_assert_nonnull (strstr (error->message, "stalled.bam"));
  assert_no_link (error);
  g_test_message ("gave up with: %s", error->message);
}

/* IGV's own default genome comes from its preferences, read as Java
 * properties; without them there is none to name. */
static void
test_default_genome_from_prefs (void)
{
  g_autofree char *home = g_dir_make_tmp ("gk-igv-prefs-XXXXXX", NULL);
  g_autofree char *igv_dir = g_build_filename (home, "igv", NULL);
  g_autofree char *prefs = g_build_filename (igv_dir, "prefs.properties", NULL);
  g_autofree char *old_home = g_strdup (g_getenv ("HOME"));
  g_autofree char *none = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;

  g_setenv ("HOME", home, TRUE);
  none = gk_igv_default_genome ();
  g_assert_null (none);

  g_assert_cmpint (g_mkdir_with_parents (igv_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (prefs, "PORT_ENABLED=true\n"
                                             "DEFAULT_GENOME_KEY = /data/ref\\:v1.fa\n", -1, NULL));
  path = gk_igv_default_genome ();
  g_assert_cmpstr (path, ==, "/data/ref:v1.fa");

  g_assert_true (g_file_set_contents (prefs, "DEFAULT_GENOME_KEY=hg38\n", -1, NULL));
  id = gk_igv_default_genome ();
  g_assert_cmpstr (id, ==, "hg38");

  g_assert_true (g_file_set_contents (prefs, "DEFAULT_GENOME_KEY=\n", -1, NULL));
  g_clear_pointer (&none, g_free);
  none = gk_igv_default_genome ();
  g_assert_null (none);

  g_unlink (prefs);
  g_rmdir (igv_dir);
  g_rmdir (home);
  if (old_home != NULL)
    g_setenv ("HOME", old_home, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/igv/port/no-igv-is-not-running", test_port_no_igv);
  g_test_add_func ("/igv/port/replies-read-in-order", test_port_replies_in_order);
  g_test_add_func ("/igv/port/load-sends-echo-genome-load-goto-tofront", test_port_load_sequence);
  g_test_add_func ("/igv/port/slow-igv-times-out", test_port_slow);
  g_test_add_func ("/igv/port/unknown-command-stops", test_port_unknown_command);
  g_test_add_func ("/igv/port/dropped-connection", test_port_dropped);
  g_test_add_func ("/igv/port/error-reply-never-shows-link", test_port_error_reply_redacted);
  g_test_add_func ("/igv/port/error-reply-readable", test_reply_error_readable);
  g_test_add_func ("/igv/port/not-igv-gets-no-links", test_port_not_igv);
  g_test_add_func ("/igv/port/probe", test_port_probe);
  g_test_add_func ("/igv/port/cancel", test_port_cancel);
  g_test_add_func ("/igv/reply/check", test_reply_check);
  g_test_add_func ("/igv/load-command/values-quoted", test_load_command);
  g_test_add_func ("/igv/load/locus-and-genome-control-characters-refused", test_locus_and_genome_refused);
  g_test_add_func ("/igv/launch/always-passes-port", test_launch_always_passes_port);
  g_test_add_func ("/igv/session/xml-escaping", test_session_xml_escaping);
  g_test_add_func ("/igv/session/file-is-private", test_session_file_private);
  g_test_add_func ("/igv/session/files-cleaned-after-a-week", test_session_files_cleaned_after_a_week);
  g_test_add_func ("/igv/genome/json-file", test_genome_file);
  g_test_add_func ("/igv/launch/waits-for-port-and-refuses", test_launch);
  g_test_add_func ("/igv/link-check/range-get", test_check_link);
  g_test_add_func ("/igv/link-check/stalled-server-gives-up", test_check_link_stalled_gives_up);
  g_test_add_func ("/igv/link-check/stalled-body-gives-up", test_check_link_stalled_body_gives_up);
  g_test_add_func ("/igv/open/checks-links-before-sending", test_open_checks_links_first);
  g_test_add_func ("/igv/launch/default-genome-from-igv-prefs", test_default_genome_from_prefs);

  return g_test_run ();
}
