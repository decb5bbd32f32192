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
#include "loopback-resolver.h"

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

/* ---- redirects --------------------------------------------------------- */

typedef struct
{
  SoupServer *server;
  guint port;
  GPtrArray *paths;   /* every path asked for */
} Redirector;

static void
on_redirector_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Redirector *r = user_data;
  g_autofree char *target = NULL;

  g_ptr_array_add (r->paths, g_strdup (path));
  /* /to/HOST/PATH redirects to http://HOST:PORT/PATH (307 keeps a POST a POST). */
  if (g_str_has_prefix (path, "/to/"))
    {
      const char *rest = path + 4;
      const char *slash = strchr (rest, '/');

      target = g_strdup_printf ("http://%.*s:%u%s", (int) (slash - rest), rest, r->port, slash);
      soup_server_message_set_redirect (msg, g_str_equal (soup_server_message_get_method (msg), "POST") ? 307 : 302, target);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static Redirector *
redirector_new (void)
{
  Redirector *r = g_new0 (Redirector, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  r->paths = g_ptr_array_new_with_free_func (g_free);
  r->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (r->server, NULL, on_redirector_cb, r, NULL);
  soup_server_listen_local (r->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (r->server);
  r->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return r;
}

static void
redirector_free (Redirector *r)
{
  g_object_unref (r->server);
  g_ptr_array_unref (r->paths);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Redirector, redirector_free)

static GBytes *
send_via (Redirector  *r,
          const char  *method,
          const char  *path,
          GError     **error)
{
  g_autoptr(SoupSession) session = gk_http_session_new ();
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s", r->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GAsyncResult) result = NULL;

  if (g_str_equal (method, "POST"))
    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                              g_bytes_new_static ("refresh_token=secret", 20));
  gk_http_send_and_read_async (session, msg, LIMIT, G_PRIORITY_DEFAULT, NULL, gk_test_store_result_cb, &result);
  return gk_http_send_and_read_finish (gk_test_wait_for_result (&result), error);
}

/* A name that is not "localhost" or a loopback literal is another host,
 * even when it resolves to 127.0.0.1 (here through the test's resolver):
 * a redirect to plain http there is refused before anything is sent. */
static void
test_redirect_to_plain_http_elsewhere_refused (void)
{
  g_autoptr(Redirector) r = redirector_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = send_via (r, "GET", "/to/config.example.test/oauth-config.json", &error);

  g_assert_null (body);
  g_assert_error (error, GK_HTTP_ERROR, GK_HTTP_ERROR_REDIRECT_REFUSED);
  g_assert_nonnull (strstr (error->message, "config.example.test"));
  g_assert_cmpuint (r->paths->len, ==, 1);
}

static void
test_redirect_on_this_computer_followed (void)
{
  g_autoptr(Redirector) r = redirector_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = send_via (r, "GET", "/to/127.0.0.1/oauth-config.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpuint (r->paths->len, ==, 2);
  g_assert_cmpstr (r->paths->pdata[1], ==, "/oauth-config.json");
}

/* A 307 would send a token request's body again, elsewhere. */
static void
test_redirect_of_a_post_refused (void)
{
  g_autoptr(Redirector) r = redirector_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = send_via (r, "POST", "/to/127.0.0.1/oauth2/token", &error);

  g_assert_null (body);
  g_assert_error (error, GK_HTTP_ERROR, GK_HTTP_ERROR_REDIRECT_REFUSED);
  g_assert_cmpuint (r->paths->len, ==, 1);
}

static void
test_redirect_rules (void)
{
  struct { const char *method, *from, *to; gboolean allowed; } cases[] = {
    { "GET", "https://lab.example.org/c.json", "https://cdn.example.org/c.json", TRUE },
    { "GET", "https://lab.example.org/c.json", "http://lab.example.org/c.json", FALSE },
    { "GET", "https://lab.example.org/c.json", "http://127.0.0.1:9/c.json", FALSE },
    { "GET", "http://127.0.0.1:9/c.json", "http://[::1]:9/c.json", TRUE },
    { "GET", "http://127.0.0.1:9/c.json", "http://config.example.test:9/c.json", FALSE },
    { "GET", "http://localhost:9/c.json", "http://localhost:10/c.json", TRUE },
    { "HEAD", "http://127.0.0.1:9/c.json", "https://s3.example.org/c", TRUE },
    { "POST", "https://lab.example.org/oauth2/token", "https://lab.example.org/oauth2/token2", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) from = g_uri_parse (cases[i].from, SOUP_HTTP_URI_FLAGS, NULL);
      g_autoptr(GUri) to = g_uri_parse (cases[i].to, SOUP_HTTP_URI_FLAGS, NULL);

      g_test_message ("%s %s → %s", cases[i].method, cases[i].from, cases[i].to);
      g_assert_cmpint (gk_http_redirect_is_allowed (cases[i].method, from, to), ==, cases[i].allowed);
    }
}

/* libsoup waits forever by default. */
static void
test_sessions_have_timeouts (void)
{
  g_autoptr(SoupSession) session = gk_http_session_new ();

  g_assert_cmpuint (soup_session_get_timeout (session), ==, GK_HTTP_TIMEOUT_SECONDS);
  g_assert_cmpuint (soup_session_get_idle_timeout (session), ==, GK_HTTP_IDLE_TIMEOUT_SECONDS);
  g_assert_cmpuint (GK_HTTP_TIMEOUT_SECONDS, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  loopback_resolver_install ();

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
  g_test_add_func ("/http/redirect/plain-http-elsewhere-refused", test_redirect_to_plain_http_elsewhere_refused);
  g_test_add_func ("/http/redirect/on-this-computer-followed", test_redirect_on_this_computer_followed);
  g_test_add_func ("/http/redirect/post-refused", test_redirect_of_a_post_refused);
  g_test_add_func ("/http/redirect/rules", test_redirect_rules);
  g_test_add_func ("/http/session/has-timeouts", test_sessions_have_timeouts);

  return g_test_run ();
}
