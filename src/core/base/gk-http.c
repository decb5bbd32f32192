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

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
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
  soup_session_send_async (session, message, io_priority, cancellable, on_sent_cb, task);
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
