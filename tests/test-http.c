/* test-http.c: answers are read up to a limit, never past it
 *
 * A SoupServer on a loopback port sends bodies of known size, a declared
 * Content-Length past the limit, and a chunked body that never ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gk-http.h"
#include "gk-test.h"

#define LIMIT (100 * 1024)

typedef struct
{
  GkTestServer *server;
  gsize endless_sent;     /* bytes the endless handler has written */
  gboolean endless_stopped;
} Fixture;

static void
on_sized_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  gsize size = (gsize) g_ascii_strtoull (path + strlen ("/sized/"), NULL, 10);
  const char *status = query ? g_hash_table_lookup (query, "status") : NULL;
  char *body = g_malloc (size);

  memset (body, 'x', size);
  /* Chunked: no Content-Length warns the reader, it has to count. */
  if (query != NULL && g_hash_table_contains (query, "chunked"))
    soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                       SOUP_ENCODING_CHUNKED);
  soup_server_message_set_status (msg, status ? (guint) g_ascii_strtoull (status, NULL, 10) : 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, body, size);
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

/* A chunked answer whose writer never runs out. */
static void
on_endless_chunk_written_cb (SoupServerMessage *msg,
                             gpointer           user_data)
{
  Fixture *fixture = user_data;
  static char chunk[16 * 1024];

  if (fixture->endless_sent > 64 * 1024 * 1024)
    {
      fixture->endless_stopped = TRUE;
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      return;
    }
  memset (chunk, 'y', sizeof chunk);
  fixture->endless_sent += sizeof chunk;
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            chunk, sizeof chunk);
  soup_server_message_unpause (msg);
}

static void
on_endless_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_endless_chunk_written_cb), user_data);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_endless_chunk_written_cb), user_data);
}

/* Declares a huge body and sends a few bytes of it. */
static void
on_declared_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg),
                                           (goffset) 10 * 1024 * 1024 * 1024);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, "zz", 2);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = gk_test_server_new ();
  gk_test_server_add_handler (fixture->server, "/sized", on_sized_cb, fixture);
  gk_test_server_add_handler (fixture->server, "/endless", on_endless_cb, fixture);
  gk_test_server_add_handler (fixture->server, "/declared", on_declared_cb, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->server, gk_test_server_free);
}

static GBytes *
fetch (Fixture     *fixture,
       const char  *path,
       guint       *status,
       GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = gk_test_server_url (fixture->server, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *body;

  gk_http_send_and_read_async (session, msg, LIMIT, G_PRIORITY_DEFAULT, NULL, gk_test_store_result_cb, &result);
  body = gk_http_send_and_read_finish (gk_test_wait_for_result (&result), error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  return body;
}

static void
test_body_at_the_limit_is_read_whole (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/sized/%u?chunked=1", LIMIT);
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  body = fetch (fixture, path, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (body), ==, LIMIT);
  g_assert_cmpint (((const char *) g_bytes_get_data (body, NULL))[LIMIT - 1], ==, 'x');
}

static void
test_error_status_still_gives_the_body (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  body = fetch (fixture, "/sized/31?status=500", &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 500);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 31);
}

static void
test_one_byte_too_many_is_refused (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/sized/%u?chunked=1", LIMIT + 1);
  g_autoptr(GBytes) body = NULL;

  body = fetch (fixture, path, NULL, &error);
  g_assert_error (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE);
  g_assert_null (body);
}

static void
test_declared_length_is_refused_unread (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = fetch (fixture, "/declared", NULL, &error);
  g_assert_error (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE);
  g_assert_null (body);
}

static void
test_endless_body_is_cut_off (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = fetch (fixture, "/endless", NULL, &error);
  g_assert_error (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE);
  g_assert_null (body);
  /* The client stopped reading near the limit: the server never got to
   * its own 64 MiB stop (socket buffers let it run a little ahead). */
  g_assert_false (fixture->endless_stopped);
  g_test_message ("server wrote %" G_GSIZE_FORMAT " KiB before the client hung up",
                  fixture->endless_sent / 1024);
}

static void
test_stream_read_stops_past_the_limit (void)
{
  g_autoptr(GInputStream) small = NULL;
  g_autoptr(GInputStream) large = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  char *text = g_strnfill (LIMIT + 1, 'a');

  small = g_memory_input_stream_new_from_data (g_strdup ("{}"), 2, g_free);
  gk_http_read_all_async (small, LIMIT, G_PRIORITY_DEFAULT, NULL, gk_test_store_result_cb, &result);
  body = gk_http_read_all_finish (gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "{}", 2);
  g_assert_true (g_input_stream_is_closed (small));

  g_clear_object (&result);
  large = g_memory_input_stream_new_from_data (text, LIMIT + 1, g_free);
  gk_http_read_all_async (large, LIMIT, G_PRIORITY_DEFAULT, NULL, gk_test_store_result_cb, &result);
  g_assert_null (gk_http_read_all_finish (gk_test_wait_for_result (&result), &error));
  g_assert_error (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE);
}

static void
test_cancelled_read_says_so (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("abc", 3, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  gk_http_read_all_async (stream, LIMIT, G_PRIORITY_DEFAULT, cancellable, gk_test_store_result_cb, &result);
  g_assert_null (gk_http_read_all_finish (gk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/http/body-at-the-limit-is-read-whole", Fixture, NULL,
              fixture_set_up, test_body_at_the_limit_is_read_whole, fixture_tear_down);
  g_test_add ("/http/error-status-still-gives-the-body", Fixture, NULL,
              fixture_set_up, test_error_status_still_gives_the_body, fixture_tear_down);
  g_test_add ("/http/one-byte-too-many-is-refused", Fixture, NULL,
              fixture_set_up, test_one_byte_too_many_is_refused, fixture_tear_down);
  g_test_add ("/http/declared-length-is-refused-unread", Fixture, NULL,
              fixture_set_up, test_declared_length_is_refused_unread, fixture_tear_down);
  g_test_add ("/http/endless-body-is-cut-off", Fixture, NULL,
              fixture_set_up, test_endless_body_is_cut_off, fixture_tear_down);
  g_test_add_func ("/http/stream-read-stops-past-the-limit", test_stream_read_stops_past_the_limit);
  g_test_add_func ("/http/cancelled-read-says-so", test_cancelled_read_says_so);

  return g_test_run ();
}
