/* test-gateway.c: the gateway over real loopback sockets, in front of an S3
 * stand-in (a SoupServer on a random loopback port that checks each
 * request's token and serves ranges the way S3 does), with clients in a
 * thread speaking raw HTTP/1.1, so malformed and hostile requests reach the
 * gateway exactly as written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-gateway.h"
#include "gk-gateway-minter.h"
#include "gk-test.h"

#define LAB "lab"
#define BUCKET  "demo-lab"
#define BIG_SIZE (8 * 1024 * 1024)

/* ---- a credential source that renews on demand ------------------------------ */

#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, GObject)

struct _TestSource
{
  GObject parent_instance;
  GkCredentials *current;
  guint serial;
  guint calls;
  gint64 lifetime;   /* of the next credentials */
  GError *fail;      /* every call fails with this, when set */
};

static void test_source_iface_init (GkCredentialSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSource, test_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_CREDENTIAL_SOURCE, test_source_iface_init))

static void
test_source_get_credentials_async (GkCredentialSource  *source,
                                   gint64               min_valid,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  TestSource *self = TEST_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  self->calls++;
  if (self->fail != NULL)
    {
      g_task_return_error (task, g_error_copy (self->fail));
      return;
    }
  if (self->current == NULL || !gk_credentials_is_valid_at (self->current, now, min_valid))
    {
      g_autofree char *token = g_strdup_printf ("token-%u", ++self->serial);

      g_clear_pointer (&self->current, gk_credentials_unref);
      self->current = gk_credentials_new ("ASIATESTTESTTEST", "secret", token, now + self->lifetime);
    }
  g_task_return_pointer (task, gk_credentials_ref (self->current), (GDestroyNotify) gk_credentials_unref);
}

static GkCredentials *
test_source_get_credentials_finish (GkCredentialSource  *source,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_source_iface_init (GkCredentialSourceInterface *iface)
{
  iface->get_credentials_async = test_source_get_credentials_async;
  iface->get_credentials_finish = test_source_get_credentials_finish;
}

static void
test_source_finalize (GObject *object)
{
  TestSource *self = TEST_SOURCE (object);

  g_clear_pointer (&self->current, gk_credentials_unref);
  g_clear_error (&self->fail);
  G_OBJECT_CLASS (test_source_parent_class)->finalize (object);
}

static void
test_source_class_init (TestSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_source_finalize;
}

static void
test_source_init (TestSource *self)
{
  self->lifetime = 3600;
}

/* ---- the S3 stand-in ------------------------------------------------------------ */

typedef struct
{
  GkTestServer *server;
  char *endpoint;
  GHashTable *objects;       /* key → GBytes */
  GHashTable *valid_tokens;  /* tokens S3 accepts */
  GPtrArray *log;            /* "METHOD key token range" per request */
  GHashTable *peers;         /* the gateway's connections, by remote port */
  gboolean ignore_ranges;    /* answer 200 to ranges, as a server may */
} FakeS3;

static void
s3_error (SoupServerMessage *msg,
          guint              status,
          const char        *code)
{
  g_autofree char *xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n<Error><Code>%s</Code>"
                                          "<Message>%s happened</Message></Error>", code, code);

  soup_server_message_set_status (msg, status, NULL);
  if (soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, xml, strlen (xml));
}

static void
on_s3_request_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  FakeS3 *s3 = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *auth = soup_message_headers_get_one (request, "Authorization");
  const char *token = soup_message_headers_get_one (request, "x-amz-security-token");
  const char *range = soup_message_headers_get_one (request, "Range");
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *prefix = g_strdup_printf ("/%s/", BUCKET);
  g_autofree char *key = NULL;
  GBytes *object;
  gsize size;
  guint64 first = 0, last = 0;

  key = g_str_has_prefix (path, prefix) ? g_uri_unescape_string (path + strlen (prefix), NULL) : NULL;
  g_hash_table_add (s3->peers, GUINT_TO_POINTER (g_inet_socket_address_get_port (
                      G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)))));
  g_ptr_array_add (s3->log, g_strdup_printf ("%s %s %s %s", method, key ? key : "-", token ? token : "-",
                                             range ? range : "-"));

  if (auth == NULL || !g_str_has_prefix (auth, "AWS4-HMAC-SHA256 Credential=ASIATESTTESTTEST/"))
    {
      s3_error (msg, 403, "AccessDenied");
      return;
    }
  if (token == NULL || !g_hash_table_contains (s3->valid_tokens, token))
    {
      s3_error (msg, 400, "ExpiredToken");
      return;
    }
  if (key == NULL)
    {
      s3_error (msg, 404, "NoSuchBucket");
      return;
    }
  if (g_str_has_prefix (key, "denied/"))
    {
      s3_error (msg, 403, "AccessDenied");
      return;
    }
  object = g_hash_table_lookup (s3->objects, key);
  if (object == NULL)
    {
      s3_error (msg, 404, "NoSuchKey");
      return;
    }
  size = g_bytes_get_size (object);

  soup_message_headers_replace (response, "ETag", "\"0123abcd\"");
  soup_message_headers_replace (response, "Last-Modified", "Tue, 02 Jun 2026 10:00:00 GMT");
  soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  if (method == SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_length (response, size);
      soup_message_headers_replace (response, "Content-Type", "application/octet-stream");
      return;
    }
  if (range != NULL && !s3->ignore_ranges)
    {
      int n = 0;
      gint64 suffix = 0;

      if (sscanf (range, "bytes=-%" G_GINT64_FORMAT "%n", &suffix, &n) == 1 && range[n] == '\0')
        {
          first = (guint64) suffix >= size ? 0 : size - suffix;
          last = size - 1;
        }
      else if (sscanf (range, "bytes=%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "%n", &first, &last, &n) == 2 &&
               range[n] == '\0')
        last = MIN (last, size - 1);
      else if (sscanf (range, "bytes=%" G_GUINT64_FORMAT "-%n", &first, &n) == 1 && range[n] == '\0')
        last = size - 1;
      else
        g_assert_not_reached (); /* the gateway passes on only well-formed single ranges */
      if (first >= size)
        {
          /* As S3: no Content-Range in its 416. */
          s3_error (msg, 416, "InvalidRange");
          return;
        }
      soup_server_message_set_status (msg, 206, NULL);
      soup_message_headers_set_content_range (response, first, last, size);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                        (const char *) g_bytes_get_data (object, NULL) + first,
                                        last - first + 1);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (object, NULL), size);
}

static void
fake_s3_put (FakeS3     *s3,
             const char *key,
             GBytes     *bytes)
{
  g_hash_table_replace (s3->objects, g_strdup (key), g_bytes_ref (bytes));
}

static FakeS3 *
fake_s3_new (void)
{
  FakeS3 *s3 = g_new0 (FakeS3, 1);
  guint8 *big = g_malloc (BIG_SIZE);
  g_autoptr(GBytes) big_bytes = NULL;
  g_autoptr(GBytes) small = g_bytes_new_static ("0123456789abcdefghijklmnopqrstuvwxyz", 36);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  for (guint i = 0; i < BIG_SIZE; i++)
    big[i] = (guint8) (i * 2654435761u >> 13);
  big_bytes = g_bytes_new_take (big, BIG_SIZE);

  s3->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  s3->valid_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s3->log = g_ptr_array_new_with_free_func (g_free);
  s3->peers = g_hash_table_new (NULL, NULL);
  fake_s3_put (s3, "c/S1.bam", small);
  fake_s3_put (s3, "c/S1.bam.bai", small);
  fake_s3_put (s3, "c/big.bam", big_bytes);
  fake_s3_put (s3, "c/empty.txt", empty);
  fake_s3_put (s3, "a b/é+x.bam", small);
  for (guint i = 1; i <= 9; i++)
    g_hash_table_add (s3->valid_tokens, g_strdup_printf ("token-%u", i));

  s3->server = gk_test_server_new ();
  gk_test_server_add_handler (s3->server, NULL, on_s3_request_cb, s3);
  s3->endpoint = g_strdup (gk_test_server_get_origin (s3->server));
  return s3;
}

static void
fake_s3_free (FakeS3 *s3)
{
  gk_test_server_free (s3->server);
  g_free (s3->endpoint);
  g_hash_table_unref (s3->objects);
  g_hash_table_unref (s3->valid_tokens);
  g_ptr_array_unref (s3->log);
  g_hash_table_unref (s3->peers);
  g_free (s3);
}

static const char *
last_log (FakeS3 *s3)
{
  return s3->log->len > 0 ? s3->log->pdata[s3->log->len - 1] : "";
}

/* ---- raw HTTP clients in a thread ------------------------------------------------- */

typedef struct
{
  guint status;
  GHashTable *headers; /* lower-case name → value */
  GBytes *body;
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->headers, g_hash_table_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

typedef struct
{
  guint16 port;
  GPtrArray *requests;   /* raw requests, sent one after the other on one connection */
  GPtrArray *responses;  /* Response, one per request that got one */
  gboolean check_closed; /* find out whether the gateway closes after the last answer */
  gboolean closed;       /* it did */
  gsize slow_read;       /* > 0: read the body this many bytes at a time, slowly */
  gint received;         /* body bytes so far (atomic) */
  gint done;             /* atomic */
} Talk;

static const char *
header (Response   *r,
        const char *name)
{
  return g_hash_table_lookup (r->headers, name);
}

static gssize
read_some (GSocket *socket,
           char    *buf,
           gsize    size)
{
  return g_socket_receive (socket, buf, size, NULL, NULL);
}

/* Reads one answer to @method from @socket. NULL when the connection
 * closed before a whole answer arrived. */
static Response *
read_response (Talk       *talk,
               GSocket    *socket,
               GString    *pending,
               const char *method)
{
  g_autoptr(Response) r = g_new0 (Response, 1);
  const char *end;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 length = -1;
  char buf[65536];
  gsize head_len;

  while ((end = strstr (pending->str, "\r\n\r\n")) == NULL)
    {
      gssize n = read_some (socket, buf, sizeof buf);

      if (n <= 0)
        return NULL;
      g_string_append_len (pending, buf, n);
    }
  head_len = end - pending->str + 4;
  head = g_strndup (pending->str, head_len - 4);
  lines = g_strsplit (head, "\r\n", -1);
  g_assert_cmpint (sscanf (lines[0], "HTTP/1.1 %u", &r->status), ==, 1);
  r->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      g_assert_nonnull (colon);
      g_hash_table_insert (r->headers, g_ascii_strdown (lines[i], colon - lines[i]),
                           g_strdup (g_strstrip (colon + 1)));
    }
  g_string_erase (pending, 0, head_len);
  if (header (r, "content-length") != NULL)
    length = g_ascii_strtoll (header (r, "content-length"), NULL, 10);
  if (g_str_equal (method, "HEAD") || r->status == 204 || r->status == 304)
    length = 0;
  g_assert_cmpint (length, >=, 0);

  while ((gint64) pending->len < length)
    {
      gsize want = talk->slow_read > 0 ? talk->slow_read : sizeof buf;
      gssize n;

      n = read_some (socket, buf, MIN (want, sizeof buf));
      if (n <= 0)
        return NULL;
      g_string_append_len (pending, buf, n);
      g_atomic_int_set (&talk->received, pending->len);
      if (talk->slow_read > 0)
        g_usleep (2000);
    }
  r->body = g_bytes_new (pending->str, length);
  g_string_erase (pending, 0, length);
  return g_steal_pointer (&r);
}

static gpointer
talk_thread (gpointer data)
{
  Talk *talk = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GString) pending = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  g_socket_client_set_timeout (client, 60);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", talk->port, NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (conn);
  for (guint i = 0; i < talk->requests->len; i++)
    {
      const char *request = talk->requests->pdata[i];
      g_autofree char *method = g_strndup (request, strcspn (request, " "));
      Response *r;

      if (g_socket_send_with_blocking (socket, request, strlen (request), TRUE, NULL, NULL) < 0)
        break;
      r = read_response (talk, socket, pending, method);
      if (r == NULL)
        break;
      g_ptr_array_add (talk->responses, r);
    }
  if (talk->check_closed)
    {
      char c;

      /* Closed by the gateway, or left open for keep-alive? */
      g_socket_set_timeout (socket, 1);
      talk->closed = g_socket_receive (socket, &c, 1, NULL, NULL) == 0;
    }
  g_atomic_int_set (&talk->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
talk_free (Talk *talk)
{
  g_ptr_array_unref (talk->requests);
  g_ptr_array_unref (talk->responses);
  g_free (talk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Talk, talk_free)

static Talk *
talk_new (guint16 port)
{
  Talk *talk = g_new0 (Talk, 1);

  talk->port = port;
  talk->requests = g_ptr_array_new_with_free_func (g_free);
  talk->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) response_free);
  return talk;
}

static GThread *
talk_start (Talk *talk)
{
  return g_thread_new ("client", talk_thread, talk);
}

static void
talk_finish (Talk    *talk,
             GThread *thread)
{
  gk_test_wait_until (g_atomic_int_get (&talk->done));
  g_thread_join (thread);
}

static void
talk_run (Talk *talk)
{
  talk_finish (talk, talk_start (talk));
}

/* ---- the fixture ---------------------------------------------------------------- */

typedef struct
{
  FakeS3 *s3;
  TestSource *source;
  GkS3Client *client;
  GkKeyring *keyring;
  GkGateway *gateway;
  char *config_dir;
  guint16 port;
} Fixture;

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
on_serving_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_gateway_serve_profile_finish (GK_GATEWAY (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
wait_serving (GkGateway  *gateway,
              const char *profile,
              GkS3Client *client)
{
  gboolean done = FALSE;

  gk_gateway_serve_profile_async (gateway, profile, client, NULL, on_serving_cb, &done);
  gk_test_wait_until (done);
  g_assert_true (gk_gateway_is_serving (gateway, profile));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->s3 = fake_s3_new ();
  f->source = g_object_new (TEST_TYPE_SOURCE, NULL);
  f->client = gk_s3_client_new (GK_CREDENTIAL_SOURCE (f->source), "eu-west-2", f->s3->endpoint, NULL);
  f->keyring = gk_keyring_new_memory_only ();
  f->config_dir = g_dir_make_tmp ("gk-gateway-test-XXXXXX", NULL);
  f->gateway = gk_gateway_new (f->keyring, f->config_dir);
  f->port = free_port ();
  g_assert_true (gk_gateway_start (f->gateway, f->port, &error));
  g_assert_no_error (error);
  wait_serving (f->gateway, LAB, f->client);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->gateway);
  g_clear_object (&f->client);
  g_clear_object (&f->source);
  g_clear_object (&f->keyring);
  fake_s3_free (f->s3);
  remove_tree (f->config_dir);
  g_free (f->config_dir);
}

static char *
link_for (Fixture    *f,
          const char *key)
{
  g_autoptr(GString) link = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_gateway_append_link (f->gateway, LAB, BUCKET, key, link, &error));
  g_assert_no_error (error);
  return g_strdup (link->str);
}

static const char *
path_of (const char *link)
{
  const char *p = strstr (link, "://");

  return strchr (p + 3, '/');
}

/* One request on its own connection; @extra are more header lines. */
static Response *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *extra)
{
  g_autoptr(Talk) talk = talk_new (f->port);
  Response *r;

  g_ptr_array_add (talk->requests,
                   g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n%s\r\n", method, path, f->port,
                                    extra != NULL ? extra : ""));
  talk_run (talk);
  g_assert_cmpuint (talk->responses->len, ==, 1);
  r = talk->responses->pdata[0];
  talk->responses->pdata[0] = NULL;
  g_ptr_array_set_free_func (talk->responses, NULL);
  return r;
}

static Response *
get (Fixture    *f,
     const char *key,
     const char *extra)
{
  g_autofree char *link = link_for (f, key);

  return request (f, "GET", path_of (link), extra);
}

static void
assert_body (Response   *r,
             const char *expected)
{
  g_assert_cmpuint (g_bytes_get_size (r->body), ==, strlen (expected));
  g_assert_cmpmem (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), expected, strlen (expected));
}

/* One line, ending in a newline, and saying something about @needle. */
static void
assert_one_line_reason (Response   *r,
                        const char *needle)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));

  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_null (strchr (text, '\n') == text + strlen (text) - 1 ? NULL : "more than one line");
  if (needle != NULL)
    g_assert_nonnull (strstr (text, needle));
  g_assert_null (header (r, "set-cookie"));
}

/* ---- serving ------------------------------------------------------------------------ */

static void
test_range_gets_206 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Response) r = get (f, "c/S1.bam", "Range: bytes=10-19\r\n");
  g_autoptr(Response) open_ended = get (f, "c/S1.bam", "Range: bytes=30-\r\n");
  g_autoptr(Response) suffix = get (f, "c/S1.bam", "Range: bytes=-4\r\n");

  g_assert_cmpuint (r->status, ==, 206);
  g_assert_cmpstr (header (r, "content-range"), ==, "bytes 10-19/36");
  g_assert_cmpstr (header (r, "content-length"), ==, "10");
  g_assert_cmpstr (header (r, "accept-ranges"), ==, "bytes");
  g_assert_cmpstr (header (r, "etag"), ==, "\"0123abcd\"");
  assert_body (r, "abcdefghij");
  g_assert_cmpstr (last_log (f->s3), ==, "GET c/S1.bam token-1 bytes=-4");

  g_assert_cmpuint (open_ended->status, ==, 206);
  g_assert_cmpstr (header (open_ended, "content-range"), ==, "bytes 30-35/36");
  assert_body (open_ended, "uvwxyz");
  g_assert_cmpuint (suffix->status, ==, 206);
  g_assert_cmpstr (header (suffix, "content-range"), ==, "bytes 32-35/36");
  assert_body (suffix, "wxyz");
}

static void
test_no_range_gets_200 (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Response) r = get (f, "c/S1.bam.bai", NULL);
  g_autoptr(Response) empty = get (f, "c/empty.txt", NULL);
  g_autoptr(Response) odd = get (f, "a b/é+x.bam", NULL);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_null (header (r, "content-range"));
  g_assert_cmpstr (header (r, "content-length"), ==, "36");
  g_assert_cmpstr (header (r, "cache-control"), ==, "no-store");
  assert_body (r, "0123456789abcdefghijklmnopqrstuvwxyz");
  g_assert_cmpuint (empty->status, ==, 200);
  g_assert_cmpstr (header (empty, "content-length"), ==, "0");
  g_assert_cmpuint (odd->status, ==, 200);
  g_assert_cmpstr (last_log (f->s3), ==, "GET a b/é+x.bam token-1 -");
}

static void
test_unsatisfiable_gets_416 (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Response) past = get (f, "c/S1.bam", "Range: bytes=36-40\r\n");
  g_autoptr(Response) empty = NULL;

  /* S3's 416 names no size: the gateway asks S3's HEAD for it. */
  g_assert_cmpuint (past->status, ==, 416);
  g_assert_cmpstr (header (past, "content-range"), ==, "bytes */36");
  g_assert_true (g_str_has_prefix (last_log (f->s3), "HEAD c/S1.bam"));
  empty = get (f, "c/empty.txt", "Range: bytes=0-0\r\n");
  g_assert_cmpuint (empty->status, ==, 416);
  g_assert_cmpstr (header (empty, "content-range"), ==, "bytes */0");
}

static void
test_range_never_gets_200 (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Response) r = NULL;
  g_autoptr(Response) past = NULL;

  /* A server that ignores Range: the gateway cuts the range out itself. */
  f->s3->ignore_ranges = TRUE;
  r = get (f, "c/S1.bam", "Range: bytes=5-7\r\n");
  g_assert_cmpuint (r->status, ==, 206);
  g_assert_cmpstr (header (r, "content-range"), ==, "bytes 5-7/36");
  assert_body (r, "567");
  past = get (f, "c/S1.bam", "Range: bytes=99-\r\n");
  g_assert_cmpuint (past->status, ==, 416);
  g_assert_cmpstr (header (past, "content-range"), ==, "bytes */36");
}

static void
test_multi_range_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Response) multi = get (f, "c/S1.bam", "Range: bytes=0-1,4-5\r\n");
  g_autoptr(Response) bad = get (f, "c/S1.bam", "Range: bytes=9-1\r\n");
  g_autoptr(Response) twice = get (f, "c/S1.bam", "Range: bytes=0-1\r\nRange: bytes=2-3\r\n");

  g_assert_cmpuint (multi->status, ==, 416);
  g_assert_cmpstr (header (multi, "content-range"), ==, "bytes */36");
  assert_one_line_reason (multi, "one byte range");
  g_assert_cmpuint (bad->status, ==, 400);
  assert_one_line_reason (bad, "Range");
  g_assert_cmpuint (twice->status, ==, 400);
}

static void
test_head_from_s3_head (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/S1.bam");
  g_autofree char *missing_link = link_for (f, "c/missing.bam");
  g_autoptr(Response) r = request (f, "HEAD", path_of (link), NULL);
  g_autoptr(Response) ranged = request (f, "HEAD", path_of (link), "Range: bytes=0-9\r\n");
  g_autoptr(Response) missing = request (f, "HEAD", path_of (missing_link), NULL);
  guint before = f->s3->log->len;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (header (r, "content-length"), ==, "36");
  g_assert_cmpstr (header (r, "accept-ranges"), ==, "bytes");
  g_assert_cmpstr (header (r, "etag"), ==, "\"0123abcd\"");
  g_assert_cmpstr (header (r, "last-modified"), ==, "Tue, 02 Jun 2026 10:00:00 GMT");
  g_assert_cmpstr (header (r, "content-type"), ==, "application/octet-stream");
  g_assert_cmpuint (g_bytes_get_size (r->body), ==, 0);
  g_assert_cmpuint (ranged->status, ==, 206);
  g_assert_cmpstr (header (ranged, "content-length"), ==, "10");
  g_assert_cmpstr (header (ranged, "content-range"), ==, "bytes 0-9/36");
  /* A HEAD is signed and sent as a HEAD, never as a GET. */
  for (guint i = 0; i < f->s3->log->len; i++)
    g_assert_true (g_str_has_prefix (f->s3->log->pdata[i], "HEAD "));
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (g_bytes_get_size (missing->body), ==, 0);
  g_assert_cmpuint (before, ==, 3);
}

static void
test_s3_errors_mapped (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Response) missing = get (f, "c/missing.bam", NULL);
  g_autoptr(Response) denied = get (f, "denied/S1.bam", NULL);
  GkGatewayStats stats;

  g_assert_cmpuint (missing->status, ==, 404);
  assert_one_line_reason (missing, "s3://demo-lab/c/missing.bam");
  g_assert_cmpuint (denied->status, ==, 403);
  assert_one_line_reason (denied, "s3://demo-lab/denied/S1.bam");
  gk_gateway_get_stats (f->gateway, &stats);
  g_assert_nonnull (stats.last_error);
  g_assert_nonnull (strstr (stats.last_error, "denied/S1.bam"));
}

static guint64
bytes_served (GkGateway      *gateway,
              GkGatewayStats *stats)
{
  gk_gateway_get_stats (gateway, stats);
  return stats->bytes_served;
}

static void
test_streams_large_objects (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Response) r = get (f, "c/big.bam", NULL);
  g_autoptr(Response) part = get (f, "c/big.bam", "Range: bytes=1000000-5000000\r\n");
  GBytes *big = g_hash_table_lookup (f->s3->objects, "c/big.bam");
  const guint8 *expected = g_bytes_get_data (big, NULL);
  GkGatewayStats stats;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (r->body), ==, BIG_SIZE);
  g_assert_true (memcmp (g_bytes_get_data (r->body, NULL), expected, BIG_SIZE) == 0);
  g_assert_cmpuint (part->status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (part->body), ==, 4000001);
  g_assert_true (memcmp (g_bytes_get_data (part->body, NULL), expected + 1000000, 4000001) == 0);

  /* The client may hold the last bytes before the gateway hears its
   * write completed: wait for the count, not for a time. */
  gk_test_wait_until_msg (bytes_served (f->gateway, &stats) >= BIG_SIZE + 4000001,
                          "the gateway to count every byte of both answers as served");
  g_assert_cmpuint (stats.requests, ==, 2);
  g_assert_cmpuint (stats.links_served, ==, 1);
  g_assert_cmpuint (stats.bytes_served, ==, BIG_SIZE + 4000001);
}

static void
test_upstream_connection_reused (Fixture       *f,
                                 gconstpointer  data)
{
  /* Each answer is read to S3's end of body, so libsoup keeps the
   * connection: one connection to S3 for one reader after another. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *range = g_strdup_printf ("Range: bytes=%u-%u\r\n", i * 100000, i * 100000 + 65535);
      g_autoptr(Response) r = get (f, "c/big.bam", range);
      g_autoptr(Response) whole = get (f, "c/S1.bam.bai", NULL);

      g_assert_cmpuint (r->status, ==, 206);
      g_assert_cmpuint (whole->status, ==, 200);
    }
  g_assert_cmpuint (g_hash_table_size (f->s3->peers), ==, 1);
}

static void
test_keep_alive (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/S1.bam");
  g_autoptr(Talk) talk = talk_new (f->port);

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (talk->requests,
                     g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nRange: bytes=%u-%u\r\n\r\n",
                                      path_of (link), f->port, i, i));
  talk->check_closed = TRUE;
  talk_run (talk);
  g_assert_cmpuint (talk->responses->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      Response *r = talk->responses->pdata[i];
      char expected[2] = { (char) ('0' + i), '\0' };

      g_assert_cmpuint (r->status, ==, 206);
      assert_body (r, expected);
      g_assert_cmpstr (header (r, "connection"), ==, "keep-alive");
    }
  g_assert_false (talk->closed);
}

/* ---- credentials ----------------------------------------------------------------------- */

static void
test_renews_when_credentials_nearly_spent (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(Response) first = NULL;
  g_autoptr(Response) second = NULL;
  g_autoptr(GkCredentials) old = NULL;

  /* Credentials with just over the gateway's minimum left, as a laptop
   * finds them after sleep once a little more time passes. */
  f->source->lifetime = 21;
  first = get (f, "c/S1.bam", NULL);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpstr (last_log (f->s3), ==, "GET c/S1.bam token-1 -");
  old = gk_credentials_ref (f->source->current);
  f->source->lifetime = 3600;

  gk_test_wait_until_msg (!gk_credentials_is_valid_at (old, g_get_real_time () / G_USEC_PER_SEC, 20),
                          "the first credentials to fall within the gateway's 20 s margin");
  second = get (f, "c/S1.bam", NULL);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpstr (last_log (f->s3), ==, "GET c/S1.bam token-2 -");
}

static void
test_expired_token_renews_and_retries (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(Response) first G_GNUC_UNUSED = get (f, "c/S1.bam", NULL);
  g_autoptr(Response) second = NULL;

  g_assert_cmpstr (last_log (f->s3), ==, "GET c/S1.bam token-1 -");
  /* S3 stops accepting token-1 although its clock-time is not up. */
  g_hash_table_remove (f->s3->valid_tokens, "token-1");
  f->source->calls = 0;
  second = get (f, "c/S1.bam", "Range: bytes=0-3\r\n");
  g_assert_cmpuint (second->status, ==, 206);
  assert_body (second, "0123");
  g_assert_cmpstr (last_log (f->s3), ==, "GET c/S1.bam token-2 bytes=0-3");
  g_assert_cmpuint (f->source->calls, ==, 1);
}

static void
test_needs_sign_in_is_503 (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Response) r = NULL;

  g_clear_pointer (&f->source->current, gk_credentials_unref);
  f->source->fail = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                         "Your sign-in for profile lab has ended. Sign in again.");
  r = get (f, "c/S1.bam", "Range: bytes=0-3\r\n");
  g_assert_cmpuint (r->status, ==, 503);
  assert_one_line_reason (r, "Sign in again");
  g_assert_cmpuint (f->s3->log->len, ==, 0);
}

/* ---- refusals ---------------------------------------------------------------------------- */

static void
test_refuses_host_mismatch (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/S1.bam");
  g_autofree char *ours = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autofree char *localhost = g_strdup_printf ("localhost:%u", f->port);
  g_autofree char *evil = g_strdup_printf ("evil.example:%u", f->port);
  g_autofree char *twice = g_strdup_printf ("%s\r\nHost: %s", ours, ours);
  const char *hosts[] = { localhost, evil, "127.0.0.1", twice };
  g_autoptr(Response) ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(Talk) talk = talk_new (f->port);
      Response *r;

      g_ptr_array_add (talk->requests, g_strdup_printf ("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path_of (link), hosts[i]));
      talk_run (talk);
      r = talk->responses->pdata[0];
      g_assert_cmpuint (r->status, ==, 421);
      assert_one_line_reason (r, "127.0.0.1");
    }
  g_assert_cmpuint (f->s3->log->len, ==, 0);
  ok = get (f, "c/S1.bam", NULL);
  g_assert_cmpuint (ok->status, ==, 200);
}

static void
test_refuses_wrong_capabilities (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *bam = link_for (f, "c/S1.bam");
  g_autofree char *bai = link_for (f, "c/S1.bam.bai");
  g_autofree char *cap = g_strndup (path_of (bam), 33);
  g_autofree char *swapped = g_strconcat (cap, "/" BUCKET "/c/S1.bam.bai", NULL);
  g_autofree char *guessed = g_strdup (path_of (bam));
  g_autoptr(Response) r1 = NULL, r2 = NULL, r3 = NULL;

  guessed[5] = guessed[5] == 'A' ? 'B' : 'A';
  /* Another object's capability, a guessed one, a well-formed nothing. */
  r1 = request (f, "GET", swapped, NULL);
  r2 = request (f, "GET", guessed, NULL);
  r3 = request (f, "GET", "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/demo-lab/c/S1.bam", NULL);
  g_assert_cmpuint (r1->status, ==, 403);
  g_assert_cmpuint (r2->status, ==, 403);
  g_assert_cmpuint (r3->status, ==, 403);
  assert_one_line_reason (r1, "not valid");
  g_assert_cmpuint (f->s3->log->len, ==, 0);
  g_assert_true (gk_gateway_is_serving (f->gateway, LAB));
  g_assert_cmpstr (bai, !=, bam);
}

static void
test_refuses_odd_paths_and_methods (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/S1.bam");
  g_autofree char *cap = g_strndup (path_of (link), 33);
  const char *tails[] = { "/demo-lab/c/../c/S1.bam", "/demo-lab/c%2FS1.bam", "/demo-lab//c/S1.bam",
                          "/demo-lab/c/S1.bam?x=1", "/demo-lab/c/S1%2ebam" };
  g_autoptr(Response) post = request (f, "POST", path_of (link), NULL);
  g_autoptr(Response) put = request (f, "PUT", path_of (link), NULL);
  g_autoptr(Talk) raw = talk_new (f->port);

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++)
    {
      g_autofree char *path = g_strconcat (cap, tails[i], NULL);
      g_autoptr(Response) r = request (f, "GET", path, NULL);

      g_test_message ("%s", tails[i]);
      g_assert_cmpuint (r->status, ==, 404);
      assert_one_line_reason (r, "gateway link");
    }
  g_assert_cmpuint (post->status, ==, 405);
  g_assert_cmpstr (header (post, "allow"), ==, "GET, HEAD, OPTIONS");
  g_assert_cmpuint (put->status, ==, 405);

  /* A head that does not parse: refused and closed. */
  g_ptr_array_add (raw->requests, g_strdup ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
  raw->check_closed = TRUE;
  talk_run (raw);
  g_assert_cmpuint (((Response *) raw->responses->pdata[0])->status, ==, 400);
  g_assert_true (raw->closed);
  g_assert_cmpuint (f->s3->log->len, ==, 0);
}

/* ---- CORS ---------------------------------------------------------------------------------- */

static void
test_cors_allowed_origin (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Response) r = get (f, "c/S1.bam", "Origin: https://igv.org\r\nrange: bytes=0-1\r\n");
  g_autoptr(Response) plain = get (f, "c/S1.bam", NULL);

  g_assert_cmpuint (r->status, ==, 206);
  g_assert_cmpstr (header (r, "access-control-allow-origin"), ==, "https://igv.org");
  g_assert_cmpstr (header (r, "vary"), ==, "Origin");
  g_assert_cmpstr (header (r, "access-control-expose-headers"), ==,
                   "Content-Range, Content-Length, Accept-Ranges, ETag");
  g_assert_null (header (r, "access-control-allow-credentials"));
  assert_body (r, "01");
  g_assert_null (header (plain, "access-control-allow-origin"));
}

static void
test_cors_other_origin_refused (Fixture       *f,
                                gconstpointer  data)
{
  const char *origins[] = { "https://evil.example", "null", "https://igv.org.evil.example", "http://igv.org" };

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autofree char *extra = g_strdup_printf ("Origin: %s\r\n", origins[i]);
      g_autoptr(Response) r = get (f, "c/S1.bam", extra);

      g_assert_cmpuint (r->status, ==, 403);
      g_assert_null (header (r, "access-control-allow-origin"));
    }
  g_assert_cmpuint (f->s3->log->len, ==, 0);

  /* The list is the gateway's setting. */
  {
    const char *origins_set[] = { "https://evil.example", NULL };
    g_autoptr(Response) r = NULL;

    gk_gateway_set_allowed_origins (f->gateway, origins_set);
    r = get (f, "c/S1.bam", "Origin: https://evil.example\r\n");
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (header (r, "access-control-allow-origin"), ==, "https://evil.example");
  }
}

static void
test_cors_preflight (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/S1.bam");
  g_autoptr(Response) r = request (f, "OPTIONS", path_of (link),
                                   "Origin: https://chromoscope.bio\r\n"
                                   "Access-Control-Request-Method: GET\r\n"
                                   "Access-Control-Request-Headers: range, x-evil\r\n"
                                   "Access-Control-Request-Private-Network: true\r\n");
  g_autoptr(Response) no_pna = request (f, "OPTIONS", path_of (link),
                                        "Origin: https://chromoscope.bio\r\n"
                                        "Access-Control-Request-Method: GET\r\n");
  g_autoptr(Response) other = request (f, "OPTIONS", path_of (link),
                                       "Origin: https://evil.example\r\n"
                                       "Access-Control-Request-Method: GET\r\n");

  g_assert_cmpuint (r->status, ==, 204);
  g_assert_cmpstr (header (r, "access-control-allow-origin"), ==, "https://chromoscope.bio");
  g_assert_cmpstr (header (r, "access-control-allow-methods"), ==, "GET, HEAD");
  g_assert_cmpstr (header (r, "access-control-allow-headers"), ==, "range");
  g_assert_cmpstr (header (r, "access-control-allow-private-network"), ==, "true");
  g_assert_null (header (no_pna, "access-control-allow-private-network"));
  g_assert_cmpuint (other->status, ==, 403);
  g_assert_null (header (other, "access-control-allow-origin"));
  g_assert_cmpuint (f->s3->log->len, ==, 0);
}

/* ---- revocation, restarts, ports ---------------------------------------------------------- */

static void
on_revoked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (gk_gateway_revoke_finish (GK_GATEWAY (object), result, NULL));
  *done = TRUE;
}

static void
test_revoke_kills_links_and_running_reads (Fixture       *f,
                                           gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/big.bam");
  g_autofree char *new_link = NULL;
  g_autoptr(Talk) slow = talk_new (f->port);
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) fresh = NULL;
  gboolean done = FALSE;
  GThread *thread;

  /* A reader in the middle of a large body when the links are revoked. */
  g_ptr_array_add (slow->requests, g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n",
                                                    path_of (link), f->port));
  slow->slow_read = 16384;
  thread = talk_start (slow);
  gk_test_wait_until (g_atomic_int_get (&slow->received) >= 100000);

  gk_gateway_revoke_async (f->gateway, LAB, NULL, on_revoked_cb, &done);
  talk_finish (slow, thread);
  g_assert_cmpuint (slow->responses->len, ==, 0);
  g_assert_cmpint (g_atomic_int_get (&slow->received), <, BIG_SIZE);

  after = request (f, "GET", path_of (link), NULL);
  g_assert_cmpuint (after->status, ==, 403);
  new_link = link_for (f, "c/big.bam");
  g_assert_cmpstr (new_link, !=, link);
  fresh = request (f, "GET", path_of (new_link), "Range: bytes=0-0\r\n");
  g_assert_cmpuint (fresh->status, ==, 206);
  gk_test_wait_until (done);
}

static void
test_forget_kills_links (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/S1.bam");
  g_autoptr(Response) r = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  gk_gateway_forget_profile (f->gateway, LAB);
  r = request (f, "GET", path_of (link), NULL);
  g_assert_cmpuint (r->status, ==, 403);
  g_assert_false (gk_gateway_append_link (f->gateway, LAB, BUCKET, "c/S1.bam", out, &error));
  g_assert_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_SERVING);
}

static void
test_restart_keeps_links (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/S1.bam");
  g_autoptr(GkGateway) second = NULL;
  g_autoptr(Response) r = NULL;
  g_autoptr(GError) error = NULL;

  /* A new process: a new gateway, the same keyring, the same port. */
  g_clear_object (&f->gateway);
  second = gk_gateway_new (f->keyring, f->config_dir);
  g_assert_true (gk_gateway_start (second, f->port, &error));
  wait_serving (second, LAB, f->client);
  f->gateway = g_object_ref (second);
  r = request (f, "GET", path_of (link), "Range: bytes=0-1\r\n");
  g_assert_cmpuint (r->status, ==, 206);
}

static void
test_port_taken_is_an_error (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GkGateway) other = gk_gateway_new (f->keyring, f->config_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", f->port);
  GkGatewayStats stats;

  g_assert_false (gk_gateway_start (other, f->port, &error));
  g_assert_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_PORT_IN_USE);
  g_assert_nonnull (strstr (error->message, port));
  g_assert_nonnull (strstr (error->message, "another port"));
  g_assert_false (gk_gateway_is_running (other));
  gk_gateway_get_stats (other, &stats);
  g_assert_cmpuint (stats.port, ==, 0);
}

/* ---- connections ----------------------------------------------------------------------------- */

static void
test_idle_flood_spares_running_reads (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *link = link_for (f, "c/big.bam");
  g_autoptr(Talk) slow = talk_new (f->port);
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(Response) fresh = NULL;
  GBytes *big = g_hash_table_lookup (f->s3->objects, "c/big.bam");
  GkGatewayStats stats;
  GThread *thread;
  Response *whole;

  g_ptr_array_add (slow->requests, g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n",
                                                    path_of (link), f->port));
  slow->slow_read = 65536;
  thread = talk_start (slow);
  gk_test_wait_until (g_atomic_int_get (&slow->received) >= 100000);

  /* Twice as many idle connections as the gateway keeps. */
  for (guint i = 0; i < 2 * GK_GATEWAY_MAX_CONNECTIONS; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocketConnection *c = g_socket_client_connect_to_host (client, "127.0.0.1", f->port, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (idle, c);
      g_main_context_iteration (NULL, FALSE);
    }

  fresh = get (f, "c/S1.bam", "Range: bytes=0-0\r\n");
  g_assert_cmpuint (fresh->status, ==, 206);
  gk_gateway_get_stats (f->gateway, &stats);
  g_assert_cmpuint (stats.connections, <=, GK_GATEWAY_MAX_CONNECTIONS);

  talk_finish (slow, thread);
  g_assert_cmpuint (slow->responses->len, ==, 1);
  whole = slow->responses->pdata[0];
  g_assert_cmpuint (g_bytes_get_size (whole->body), ==, BIG_SIZE);
  g_assert_true (g_bytes_equal (whole->body, big));
}

static gpointer
trickle_thread (gpointer data)
{
  guint16 port = GPOINTER_TO_UINT (data);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  GSocket *socket = g_socket_connection_get_socket (conn);
  const char *head = "GET /AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/demo-lab/x HTTP/1.1\r\nHost: 127.0.0.1\r\n";

  for (const char *p = head; *p != '\0'; p++)
    {
      if (g_socket_send (socket, p, 1, NULL, NULL) != 1)
        break;
      g_usleep (20000);
    }
  return NULL;
}

static void
test_slowloris_does_not_block (Fixture       *f,
                               gconstpointer  data)
{
  GThread *trickle = g_thread_new ("trickle", trickle_thread, GUINT_TO_POINTER (f->port));
  g_autoptr(Response) r = NULL;
  guint n_ok = 0;

  /* Requests keep being answered while the head trickles in. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Response) each = get (f, "c/S1.bam", "Range: bytes=0-0\r\n");

      n_ok += each->status == 206;
    }
  g_assert_cmpuint (n_ok, ==, 5);
  r = get (f, "c/S1.bam", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_thread_join (trickle);
}

/* ---- configs ----------------------------------------------------------------------------------- */

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  char **url = user_data;
  g_autoptr(GError) error = NULL;

  *url = gk_link_minter_publish_config_finish (GK_LINK_MINTER (object), result, &error);
  g_assert_no_error (error);
}

static void
on_minted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GStrv *links = user_data;
  g_autoptr(GError) error = NULL;

  *links = gk_link_minter_mint_finish (GK_LINK_MINTER (object), result, &error);
  g_assert_no_error (error);
}

static void
test_minter_and_configs (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GkGatewayMinter) minter = gk_gateway_minter_new (f->gateway, LAB);
  const char *uris[] = { "s3://demo-lab/c/S1.bam", "s3://demo-lab/c/S1.bam.bai", NULL };
  const char *json = "[{\"id\":\"S1\",\"bam\":\"x\"}]";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_auto(GStrv) links = NULL;
  g_autofree char *url = NULL;
  g_autofree char *port = g_strdup_printf ("http://127.0.0.1:%u/", f->port);
  g_autoptr(Response) config = NULL;
  g_autoptr(Response) part = NULL;
  g_autoptr(Response) as_object = NULL;
  g_autofree char *file = NULL;

  gk_link_minter_mint_async (GK_LINK_MINTER (minter), uris, NULL, on_minted_cb, &links);
  gk_test_wait_until (links != NULL);
  g_assert_cmpuint (g_strv_length (links), ==, 2);
  g_assert_true (g_str_has_prefix (links[0], port));
  g_assert_true (g_str_has_suffix (links[1], "/demo-lab/c/S1.bam.bai"));

  gk_link_minter_publish_config_async (GK_LINK_MINTER (minter), "cohort-1", bytes, NULL,
                                       on_published_cb, &url);
  gk_test_wait_until (url != NULL);
  g_assert_true (g_str_has_prefix (url, port));
  g_assert_true (g_str_has_suffix (url, "/config/cohort-1.json"));
  file = g_build_filename (f->config_dir, LAB, "cohort-1.json", NULL);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));

  config = request (f, "GET", path_of (url), "Origin: https://chromoscope.bio\r\n");
  g_assert_cmpuint (config->status, ==, 200);
  g_assert_cmpstr (header (config, "content-type"), ==, "application/json");
  g_assert_cmpstr (header (config, "access-control-allow-origin"), ==, "https://chromoscope.bio");
  assert_body (config, json);
  part = request (f, "GET", path_of (url), "Range: bytes=1-4\r\n");
  g_assert_cmpuint (part->status, ==, 206);
  assert_body (part, "{\"id");
  /* The config's capability opens no object of the same path. */
  g_assert_cmpuint (f->s3->log->len, ==, 0);

  /* Signing out deletes the served configs with the links. */
  gk_gateway_forget_profile (f->gateway, LAB);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  as_object = request (f, "GET", path_of (url), NULL);
  g_assert_cmpuint (as_object->status, ==, 403);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/gateway/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("serve/range-gets-206", test_range_gets_206);
  ADD ("serve/no-range-gets-200", test_no_range_gets_200);
  ADD ("serve/unsatisfiable-range-gets-416-with-size", test_unsatisfiable_gets_416);
  ADD ("serve/range-never-gets-200", test_range_never_gets_200);
  ADD ("serve/multi-range-refused", test_multi_range_refused);
  ADD ("serve/head-answered-from-s3-head", test_head_from_s3_head);
  ADD ("serve/s3-errors-mapped-to-one-line-answers", test_s3_errors_mapped);
  ADD ("serve/streams-large-objects", test_streams_large_objects);
  ADD ("serve/keep-alive", test_keep_alive);
  ADD ("serve/upstream-connection-reused", test_upstream_connection_reused);
  ADD ("credentials/renews-when-nearly-spent", test_renews_when_credentials_nearly_spent);
  ADD ("credentials/expired-token-renews-and-retries", test_expired_token_renews_and_retries);
  ADD ("credentials/needs-sign-in-is-503", test_needs_sign_in_is_503);
  ADD ("refuse/host-mismatch", test_refuses_host_mismatch);
  ADD ("refuse/wrong-capabilities", test_refuses_wrong_capabilities);
  ADD ("refuse/odd-paths-and-methods", test_refuses_odd_paths_and_methods);
  ADD ("cors/allowed-origin", test_cors_allowed_origin);
  ADD ("cors/other-origin-refused", test_cors_other_origin_refused);
  ADD ("cors/preflight", test_cors_preflight);
  ADD ("revoke/kills-links-and-running-reads", test_revoke_kills_links_and_running_reads);
  ADD ("sign-out/kills-links", test_forget_kills_links);
  ADD ("restart/keeps-links", test_restart_keeps_links);
  ADD ("port/taken-is-an-error", test_port_taken_is_an_error);
  ADD ("connections/idle-flood-spares-running-reads", test_idle_flood_spares_running_reads);
  ADD ("connections/slowloris-does-not-block", test_slowloris_does_not_block);
  ADD ("minter/links-and-served-configs", test_minter_and_configs);
#undef ADD

  return g_test_run ();
}
