/* gk-http.c: HTTP answers and streams read with a size limit
 *
 * soup_session_send_and_read_async() keeps whatever the server sends in
 * memory before anyone can look at its size, so a wrong endpoint, a proxy's
 * error page or a hostile server streaming without end would grow the
 * process until it dies. Every answer Genokey parses (tokens, signing keys,
 * identity-pool credentials, S3 XML) has a known ceiling; these readers
 * stop one byte past it and say so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>

#include "gk-http.h"

/* Large enough for an S3 listing page in a few reads, small enough that a
 * refused answer costs little. */
#define CHUNK_SIZE (64 * 1024)
/* Token answers fit without the buffer ever moving, so no stray copy of a
 * token stays behind in freed memory. */
#define INITIAL_SIZE (256 * 1024)

G_DEFINE_QUARK (gk-http-error-quark, gk_http_error)

typedef struct
{
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *received;
  GError *error;            /* the outcome, once the stream is closed */
  gsize max_size;
  int io_priority;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->received, g_byte_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static void read_more (GTask *task);

static GError *
too_large_error (gsize max_size)
{
  return g_error_new (GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE,
                      _("The answer is larger than %lu bytes."), (unsigned long) max_size);
}

static void
on_closed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);

  /* A failed close loses nothing the caller needs. */
  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->received)),
                           (GDestroyNotify) g_bytes_unref);
}

/* Closing drops an HTTP connection instead of draining what is left. */
static void
close_and_return (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_close_async (data->stream, data->io_priority, NULL, on_closed_cb, task);
}

static void
on_chunk_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &data->error);
  if (chunk == NULL)
    {
      close_and_return (task);
      return;
    }
  g_byte_array_append (data->received, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  /* The chunk may hold a token: wipe it before it is freed. */
  OPENSSL_cleanse ((gpointer) g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));

  if (data->received->len > data->max_size)
    {
      data->error = too_large_error (data->max_size);
      close_and_return (task);
      return;
    }
  if (g_bytes_get_size (chunk) > 0)
    read_more (task);
  else
    close_and_return (task);
}

static void
read_more (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  /* Whole chunks even near the limit: libsoup's chunked decoder refuses
   * reads shorter than its line ending, and a chunk past the limit is as
   * good a proof as one byte. */
  g_input_stream_read_bytes_async (data->stream, CHUNK_SIZE, data->io_priority,
                                   g_task_get_cancellable (task), on_chunk_read_cb, task);
}

/**
 * gk_http_read_all_async:
 * @max_size: the most bytes the caller accepts
 *
 * Reads @stream to its end, or fails with %GK_HTTP_ERROR_TOO_LARGE as soon
 * as more than @max_size bytes arrived. The stream is closed before the
 * result arrives, either way.
 */
void
gk_http_read_all_async (GInputStream        *stream,
                        gsize                max_size,
                        int                  io_priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  ReadData *data;

  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (max_size < G_MAXUINT);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_http_read_all_async);
  data = g_new0 (ReadData, 1);
  data->stream = g_object_ref (stream);
  data->received = g_byte_array_sized_new (MIN (max_size + 1, INITIAL_SIZE));
  data->max_size = max_size;
  data->io_priority = io_priority;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  read_more (task);
}

/**
 * gk_http_read_all_finish:
 *
 * Returns: (transfer full): everything the stream held, or %NULL
 */
GBytes *
gk_http_read_all_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_http_read_all_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_body_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *body;

  body = gk_http_read_all_finish (result, &error);
  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

/* ---- sessions and redirects ------------------------------------------ */

/**
 * gk_http_session_new:
 *
 * A session for Genokey's own requests: a stalled server must end in an
 * error the user can act on, not in a hang (libsoup waits forever by
 * default), and idle connections are let go.
 *
 * Returns: (transfer full): the session
 */
SoupSession *
gk_http_session_new (void)
{
  return soup_session_new_with_options ("timeout", GK_HTTP_TIMEOUT_SECONDS,
                                        "idle-timeout", GK_HTTP_IDLE_TIMEOUT_SECONDS,
                                        "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION " ",
                                        NULL);
}

static gboolean
is_loopback_http (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 || host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * gk_http_redirect_is_allowed:
 * @method: the request's method
 * @from: where the request went
 * @to: where the answer redirects it
 *
 * Requests carry configuration, keys or tokens (and their answers decide
 * where tokens go next), so a redirect is followed only for GET and HEAD,
 * only to https, or from plain http on this computer to plain http on this
 * computer (a local stand-in). A host name that merely resolves to a
 * loopback address is not this computer: DNS decides that, not the user.
 * A POST is never redirected: a 307 would send its body (a refresh token,
 * a code) again, elsewhere.
 */
gboolean
gk_http_redirect_is_allowed (const char *method,
                             GUri       *from,
                             GUri       *to)
{
  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    return FALSE;
  if (to == NULL || g_uri_get_scheme (to) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (to), "https") == 0)
    return TRUE;
  return is_loopback_http (to) && from != NULL && is_loopback_http (from);
}

typedef struct
{
  SoupMessage *message;
  GCancellable *cancellable;   /* ours: cancelled to stop a refused redirect */
  GCancellable *caller;
  gulong caller_handler;
  gulong headers_handler;
  GError *refused;
} SendData;

static void
send_data_free (SendData *data)
{
  if (data->headers_handler != 0)
    g_signal_handler_disconnect (data->message, data->headers_handler);
  if (data->caller != NULL)
    g_cancellable_disconnect (data->caller, data->caller_handler);
  g_clear_object (&data->message);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->caller);
  g_clear_error (&data->refused);
  g_free (data);
}

/* Runs before libsoup follows a redirect (it does so once the body is
 * read): a hop that is not allowed stops the request here. */
static void
on_got_headers_cb (SoupMessage *message,
                   gpointer     user_data)
{
  SendData *data = user_data;
  guint status = soup_message_get_status (message);
  const char *location;
  g_autoptr(GUri) to = NULL;
  GUri *from = soup_message_get_uri (message);

  /* The caller takes 3xx answers as they are (S3 region redirects). */
  if (!SOUP_STATUS_IS_REDIRECTION (status) || data->refused != NULL
      || soup_message_query_flags (message, SOUP_MESSAGE_NO_REDIRECT))
    return;
  location = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
  if (location == NULL)
    return;
  to = g_uri_parse_relative (from, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (gk_http_redirect_is_allowed (soup_message_get_method (message), from, to))
    return;
  /* Hosts only: a Location may carry a code or a signature. */
  data->refused = g_error_new (GK_HTTP_ERROR, GK_HTTP_ERROR_REDIRECT_REFUSED,
                               _("%s redirected the request to %s, which Genokey does not follow: "
                                 "configuration, keys and tokens go only over https, or over plain "
                                 "http on this computer. Check the address."),
                               g_uri_get_host (from),
                               to != NULL && g_uri_get_host (to) != NULL ? g_uri_get_host (to) : "?");
  g_cancellable_cancel (data->cancellable);
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
on_guarded_sent_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  GInputStream *stream;
  GError *error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->refused != NULL)
    {
      g_clear_error (&error);
      g_clear_object (&stream);
      g_task_return_error (task, g_steal_pointer (&data->refused));
      return;
    }
  if (stream == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stream, g_object_unref);
}

/**
 * gk_http_send_async:
 *
 * soup_session_send_async() with every redirect checked before it is
 * followed (gk_http_redirect_is_allowed()); a refused one finishes with
 * %GK_HTTP_ERROR_REDIRECT_REFUSED. A message the caller marked
 * %SOUP_MESSAGE_NO_REDIRECT gets its 3xx as any answer.
 */
void
gk_http_send_async (SoupSession         *session,
                    SoupMessage         *message,
                    int                  io_priority,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_http_send_async);
  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled_cb),
                                                    g_object_ref (data->cancellable), g_object_unref);
    }
  data->headers_handler = g_signal_connect (message, "got-headers", G_CALLBACK (on_got_headers_cb), data);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  soup_session_send_async (session, message, io_priority, data->cancellable, on_guarded_sent_cb, task);
}

/**
 * gk_http_send_finish:
 *
 * Returns: (transfer full): the body stream, or %NULL
 */
GInputStream *
gk_http_send_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_http_send_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- reading a whole answer ------------------------------------------- */

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  const char *length;
  GError *error = NULL;

  stream = gk_http_send_finish (result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A declared size past the limit needs no reading at all. */
  length = soup_message_headers_get_one (soup_message_get_response_headers (data->message),
                                         "Content-Length");
  if (length != NULL && g_ascii_strtoull (length, NULL, 10) > data->max_size)
    {
      g_input_stream_close_async (stream, data->io_priority, NULL, NULL, NULL);
      g_task_return_error (task, too_large_error (data->max_size));
      return;
    }
  gk_http_read_all_async (stream, data->max_size, data->io_priority, g_task_get_cancellable (task),
                          on_body_read_cb, g_object_ref (task));
}

/**
 * gk_http_send_and_read_async:
 * @max_size: the most bytes of body the caller accepts
 *
 * soup_session_send_and_read_async() with a ceiling: fails with
 * %GK_HTTP_ERROR_TOO_LARGE when the body (declared or received) is larger
 * than @max_size. The status and headers are on @message as usual.
 */
void
gk_http_send_and_read_async (SoupSession         *session,
                             SoupMessage         *message,
                             gsize                max_size,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  ReadData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_http_send_and_read_async);
  data = g_new0 (ReadData, 1);
  data->message = g_object_ref (message);
  data->max_size = max_size;
  data->io_priority = io_priority;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  gk_http_send_async (session, message, io_priority, cancellable, on_sent_cb, task);
}

/**
 * gk_http_send_and_read_finish:
 *
 * Returns: (transfer full): the body, or %NULL
 */
GBytes *
gk_http_send_and_read_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_http_send_and_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
