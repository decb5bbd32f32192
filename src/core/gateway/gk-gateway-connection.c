/* gk-gateway-connection.c: one client of the gateway
 *
 * Reads one request head at a time (bounded in size and in time), hands it
 * to the exchange, and writes the answer: a small body in one write, or an
 * S3 body streamed through two buffers, so reading the next chunk from S3
 * overlaps writing the last one to the client and memory stays at two
 * buffers per stream however large the object. Requests on a kept-alive
 * connection are answered in order; nothing is read from the client while
 * an answer is under way, so a client cannot queue work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "gk-gateway-connection.h"
#include "gk-gateway-exchange.h"

/* Two of these per streaming answer: large enough that a 256 MiB read is a
 * few thousand writes, small enough that eight readers stay within a few
 * MiB. */
#define STREAM_BUFFER_SIZE (256 * 1024)
/* Waiting for credentials, a region or S3's first answer byte is bounded by
 * the upstream session's own timeout; this is the backstop. */
#define BUSY_TIMEOUT_S 150

typedef enum
{
  STATE_READING,   /* waiting for (the rest of) a request head */
  STATE_BUSY,      /* the exchange is working on an answer */
  STATE_WRITING,   /* an answer is being written */
  STATE_CLOSED,
} State;

struct _GkGatewayConnection
{
  guint ref_count;
  GkGatewayContext *ctx;       /* NULL once closed */
  GSocketConnection *socket;
  GInputStream *in;
  GOutputStream *out;
  GCancellable *cancellable;
  GQueue *connections;         /* the gateway's: it closes every connection before it goes */
  GList node;                  /* in connections while open */

  State state;
  gint64 since;                /* monotonic µs: when the current wait began */
  char *buf;                   /* request bytes not yet handled */
  gsize len;
  char *profile;               /* whose object the current answer is */
  gboolean keep_alive;         /* after the current answer */
  guint idle_id;

  /* the answer being written */
  GString *head;
  GBytes *body;
  GOutputVector vectors[2];

  /* streaming */
  GInputStream *stream;
  guint64 skip;                /* bytes of the stream to drop first */
  guint64 remaining;           /* bytes still to pass on */
  guint8 *pbuf[2];
  gsize poff[2];
  gsize pfill[2];
  int queue[2];
  guint n_queued;
  int reading;                 /* buffer index being read into, or -1 */
  int writing;                 /* buffer index being written, or -1 */
  gboolean drain;              /* read the upstream body to its end once all is passed on */
  gboolean eof;
};

static void read_more (GkGatewayConnection *conn);
static void try_parse (GkGatewayConnection *conn);
static void write_answer (GkGatewayConnection *conn, GkGatewayAnswer *answer);

/* ---- life ----------------------------------------------------------------- */

GkGatewayConnection *
_gk_gateway_connection_ref (GkGatewayConnection *conn)
{
  conn->ref_count++;
  return conn;
}

static void
clear_answer (GkGatewayConnection *conn)
{
  if (conn->head != NULL)
    g_string_free (conn->head, TRUE);
  conn->head = NULL;
  g_clear_pointer (&conn->body, g_bytes_unref);
  if (conn->stream != NULL)
    {
      /* Closing, not draining: whatever S3 still sends is dropped with its
       * connection, which is cheaper than reading it to the end. */
      g_input_stream_close_async (conn->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&conn->stream);
    }
  conn->reading = conn->writing = -1;
  conn->n_queued = 0;
  conn->eof = FALSE;
}

void
_gk_gateway_connection_unref (GkGatewayConnection *conn)
{
  if (--conn->ref_count > 0)
    return;
  g_assert (conn->state == STATE_CLOSED);
  clear_answer (conn);
  g_clear_object (&conn->cancellable);
  g_clear_object (&conn->socket);
  g_free (conn->buf);
  g_free (conn->profile);
  g_free (conn->pbuf[0]);
  g_free (conn->pbuf[1]);
  g_free (conn);
}

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

GkGatewayConnection *
_gk_gateway_connection_new (GkGatewayContext  *ctx,
                            GSocketConnection *socket,
                            GQueue            *connections)
{
  GkGatewayConnection *conn = g_new0 (GkGatewayConnection, 1);

  conn->ref_count = 1; /* the gateway's, dropped on close */
  conn->ctx = _gk_gateway_context_ref (ctx);
  conn->connections = connections;
  conn->socket = g_object_ref (socket);
  conn->in = g_io_stream_get_input_stream (G_IO_STREAM (socket));
  conn->out = g_io_stream_get_output_stream (G_IO_STREAM (socket));
  conn->cancellable = g_cancellable_new ();
  conn->node.data = conn;
  g_queue_push_tail_link (connections, &conn->node);
  conn->buf = g_malloc (GK_GATEWAY_MAX_HEAD);
  conn->reading = conn->writing = -1;

  /* Headers and the first body bytes go out in one write, but a short
   * answer must not wait for the client's delayed ACK (Nagle's algorithm
   * would hold it for up to 40 ms). */
  g_socket_set_option (g_socket_connection_get_socket (socket), IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  conn->state = STATE_READING;
  conn->since = now_us ();
  read_more (conn);
  return conn;
}

/**
 * _gk_gateway_connection_close:
 *
 * Closes at once: pending reads and writes are cancelled, the upstream
 * stream is dropped, the connection leaves the gateway's queue.
 */
void
_gk_gateway_connection_close (GkGatewayConnection *conn)
{
  if (conn->state == STATE_CLOSED)
    return;
  conn->state = STATE_CLOSED;
  g_clear_pointer (&conn->ctx, _gk_gateway_context_unref);
  g_clear_handle_id (&conn->idle_id, g_source_remove);
  g_cancellable_cancel (conn->cancellable);
  clear_answer (conn);
  /* A socket closes without blocking. */
  g_io_stream_close (G_IO_STREAM (conn->socket), NULL, NULL);
  g_queue_unlink (conn->connections, &conn->node);
  _gk_gateway_connection_unref (conn);
}

static void
set_profile (GkGatewayConnection *conn,
             const char          *profile)
{
  g_free (conn->profile);
  conn->profile = g_strdup (profile);
}

/**
 * _gk_gateway_connection_get_profile:
 *
 * Returns: (nullable): whose object the current answer is: that profile's
 *   sign-out closes the connection
 */
const char *
_gk_gateway_connection_get_profile (GkGatewayConnection *conn)
{
  return conn->profile;
}

/**
 * _gk_gateway_connection_is_waiting:
 * @since: (out): when the wait began (monotonic µs)
 *
 * Whether the connection only waits for a request (idle, or a head still
 * arriving): the kind the gateway may close to let a new one in.
 */
gboolean
_gk_gateway_connection_is_waiting (GkGatewayConnection *conn,
                                   gint64              *since)
{
  *since = conn->since;
  return conn->state == STATE_READING;
}

void
_gk_gateway_connection_check_deadline (GkGatewayConnection *conn,
                                       gint64               now)
{
  gint64 limit_s;

  switch (conn->state)
    {
    case STATE_READING:
      limit_s = conn->len > 0 ? GK_GATEWAY_HEAD_TIMEOUT_S : GK_GATEWAY_IDLE_TIMEOUT_S;
      break;
    case STATE_BUSY:
      limit_s = BUSY_TIMEOUT_S;
      break;
    case STATE_WRITING:
      limit_s = GK_GATEWAY_WRITE_TIMEOUT_S;
      break;
    case STATE_CLOSED:
    default:
      return;
    }
  /* A slow head gets no answer: a slowloris is not worth a write, and a
   * real client never trickles its head. */
  if (now - conn->since > limit_s * G_USEC_PER_SEC)
    _gk_gateway_connection_close (conn);
}

/* ---- reading requests ----------------------------------------------------- */

static void
on_request_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GkGatewayConnection) conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (conn->state == STATE_CLOSED)
    return;
  /* The client went away, or closed a kept-alive connection: normal. */
  if (n <= 0)
    {
      _gk_gateway_connection_close (conn);
      return;
    }
  /* The head deadline starts with its first byte. */
  if (conn->len == 0)
    conn->since = now_us ();
  conn->len += n;
  try_parse (conn);
}

static void
read_more (GkGatewayConnection *conn)
{
  g_input_stream_read_async (conn->in, conn->buf + conn->len, GK_GATEWAY_MAX_HEAD - conn->len,
                             G_PRIORITY_DEFAULT, conn->cancellable, on_request_read_cb,
                             _gk_gateway_connection_ref (conn));
}

static void
on_exchange_serving (const char *profile,
                     gpointer    user_data)
{
  set_profile (user_data, profile);
}

static void
on_exchange_answered (GkGatewayAnswer *answer,
                      gpointer         user_data)
{
  write_answer (user_data, answer);
}

static const GkGatewayExchangeReplies exchange_replies = { on_exchange_serving, on_exchange_answered };

static void
try_parse (GkGatewayConnection *conn)
{
  GkGatewayRefusal refusal = { 400, NULL };
  GkGatewayRequest *request;
  gssize head_len;

  head_len = gk_gateway_http_find_head_end (conn->buf, conn->len, &refusal);
  if (head_len == 0)
    {
      read_more (conn);
      return;
    }
  conn->state = STATE_BUSY;
  conn->since = now_us ();
  if (head_len < 0)
    {
      write_answer (conn, _gk_gateway_refusal (conn->ctx, NULL, refusal.status, refusal.reason));
      return;
    }

  request = gk_gateway_request_parse (conn->buf, head_len, &refusal);
  /* Bytes after the head are the next request (pipelining), kept for
   * after this answer. */
  memmove (conn->buf, conn->buf + head_len, conn->len - head_len);
  conn->len -= head_len;
  if (request == NULL)
    {
      write_answer (conn, _gk_gateway_refusal (conn->ctx, NULL, refusal.status, refusal.reason));
      return;
    }
  _gk_gateway_exchange_start (conn->ctx, request, conn->cancellable, &exchange_replies,
                              _gk_gateway_connection_ref (conn),
                              (GDestroyNotify) _gk_gateway_connection_unref);
}

static gboolean
on_parse_idle_cb (gpointer user_data)
{
  GkGatewayConnection *conn = user_data;

  conn->idle_id = 0;
  try_parse (conn);
  return G_SOURCE_REMOVE;
}

/* The answer is out: wait for the next request, or close. */
static void
answer_done (GkGatewayConnection *conn)
{
  clear_answer (conn);
  g_clear_pointer (&conn->profile, g_free);
  if (!conn->keep_alive || conn->ctx == NULL)
    {
      _gk_gateway_connection_close (conn);
      return;
    }
  conn->state = STATE_READING;
  conn->since = now_us ();
  /* A pipelined request already here is parsed from an idle, not from
   * inside this write's callback, so a long pipeline cannot recurse. */
  if (conn->len > 0)
    conn->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_parse_idle_cb,
                                     _gk_gateway_connection_ref (conn),
                                     (GDestroyNotify) _gk_gateway_connection_unref);
  else
    read_more (conn);
}

/* ---- small answers -------------------------------------------------------- */

static void
on_answer_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GkGatewayConnection) conn = user_data;
  gsize written = 0;
  gboolean ok = g_output_stream_writev_all_finish (G_OUTPUT_STREAM (object), result, &written, NULL);

  if (conn->state == STATE_CLOSED)
    return;
  if (!ok)
    {
      _gk_gateway_connection_close (conn);
      return;
    }
  if (conn->body != NULL && conn->ctx != NULL)
    conn->ctx->bytes_served += g_bytes_get_size (conn->body);
  answer_done (conn);
}

/* @head: (transfer full): status line and header fields, ending in an
 * empty line; @body: (nullable): the whole body */
static void
respond (GkGatewayConnection *conn,
                                GString             *head,
                                GBytes              *body,
                                gboolean             keep_alive)
{
  guint n = 1;

  if (conn->state == STATE_CLOSED)
    {
      g_string_free (head, TRUE);
      return;
    }
  conn->state = STATE_WRITING;
  conn->since = now_us ();
  conn->keep_alive = keep_alive;
  conn->head = head;
  conn->body = body != NULL ? g_bytes_ref (body) : NULL;
  conn->vectors[0] = (GOutputVector) { head->str, head->len };
  if (body != NULL && g_bytes_get_size (body) > 0)
    conn->vectors[n++] = (GOutputVector) { g_bytes_get_data (body, NULL), g_bytes_get_size (body) };
  g_output_stream_writev_all_async (conn->out, conn->vectors, n, G_PRIORITY_DEFAULT,
                                    conn->cancellable, on_answer_written_cb,
                                    _gk_gateway_connection_ref (conn));
}

/* ---- streaming ------------------------------------------------------------ */

static void pump (GkGatewayConnection *conn);

static int
free_buffer (GkGatewayConnection *conn)
{
  for (int i = 0; i < 2; i++)
    {
      gboolean queued = FALSE;

      for (guint q = 0; q < conn->n_queued; q++)
        queued |= conn->queue[q] == i;
      if (i != conn->reading && i != conn->writing && !queued)
        return i;
    }
  return -1;
}

static void
on_chunk_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GkGatewayConnection) conn = user_data;
  gsize written = 0;
  gboolean ok = g_output_stream_writev_all_finish (G_OUTPUT_STREAM (object), result, &written, NULL);

  if (conn->state == STATE_CLOSED)
    return;
  if (!ok)
    {
      _gk_gateway_connection_close (conn);
      return;
    }
  if (conn->ctx != NULL)
    conn->ctx->bytes_served += conn->pfill[conn->writing];
  /* The head went out with this first chunk. */
  if (conn->head != NULL)
    {
      g_string_free (conn->head, TRUE);
      conn->head = NULL;
    }
  conn->writing = -1;
  conn->since = now_us ();
  pump (conn);
}

static void
on_chunk_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GkGatewayConnection) conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  int i = conn->reading;
  gsize off = 0, use;

  if (conn->state == STATE_CLOSED)
    return;
  conn->reading = -1;
  if (n < 0)
    {
      /* S3's connection broke mid-body: the client cannot be told after
       * the status line, so it sees the connection close short of
       * Content-Length, which every HTTP client treats as an error. */
      _gk_gateway_connection_close (conn);
      return;
    }
  if (n == 0)
    conn->eof = TRUE;
  else if (conn->remaining == 0)
    {
      /* More than S3 announced: the connection to it is not reused. */
      conn->eof = TRUE;
      conn->drain = FALSE;
    }
  else
    {
      if (conn->skip > 0)
        {
          off = MIN (conn->skip, (guint64) n);
          conn->skip -= off;
        }
      use = MIN ((guint64) (n - off), conn->remaining);
      conn->remaining -= use;
      if (use > 0)
        {
          conn->poff[i] = off;
          conn->pfill[i] = use;
          conn->queue[conn->n_queued++] = i;
        }
      /* All passed on. libsoup returns a connection to its pool only once
       * a read has seen the body's end, so one more (empty) read follows
       * when the body ends here; otherwise closing drops the connection
       * and the next request pays for a new one. */
      if (conn->remaining == 0 && !conn->drain)
        conn->eof = TRUE;
    }
  pump (conn);
}

static void
pump (GkGatewayConnection *conn)
{
  int i;

  if (conn->writing < 0 && conn->n_queued > 0)
    {
      guint n = 0;

      i = conn->queue[0];
      conn->queue[0] = conn->queue[1];
      conn->n_queued--;
      conn->writing = i;
      /* The head goes out with the first chunk, in one write. */
      if (conn->head != NULL)
        conn->vectors[n++] = (GOutputVector) { conn->head->str, conn->head->len };
      conn->vectors[n++] = (GOutputVector) { conn->pbuf[i] + conn->poff[i], conn->pfill[i] };
      g_output_stream_writev_all_async (conn->out, conn->vectors, n, G_PRIORITY_DEFAULT,
                                        conn->cancellable, on_chunk_written_cb,
                                        _gk_gateway_connection_ref (conn));
    }

  if (conn->reading < 0 && !conn->eof && (i = free_buffer (conn)) >= 0)
    {
      if (conn->pbuf[i] == NULL)
        conn->pbuf[i] = g_malloc (STREAM_BUFFER_SIZE);
      conn->reading = i;
      g_input_stream_read_async (conn->stream, conn->pbuf[i], STREAM_BUFFER_SIZE,
                                 G_PRIORITY_DEFAULT, conn->cancellable, on_chunk_read_cb,
                                 _gk_gateway_connection_ref (conn));
    }

  if (conn->eof && conn->reading < 0 && conn->writing < 0 && conn->n_queued == 0)
    {
      /* S3 sent less than it announced: the client must not take the
       * short body for the whole. */
      if (conn->remaining > 0 || conn->head != NULL)
        _gk_gateway_connection_close (conn);
      else
        answer_done (conn);
    }
}

/* Streams an S3 body.
 *
 * @head: (transfer full): status line and header fields; Content-Length
 *   must say @length
 * @body: the upstream body
 * @skip: bytes of @body to drop before the first one sent (S3 answered a
 *   range request with the whole object)
 * @length: bytes to send
 * @drain: @body ends right after those bytes: read it to its end, so the
 *   upstream connection can be reused
 */
static void
stream (GkGatewayConnection *conn,
                               GString             *head,
                               GInputStream        *body,
                               guint64              skip,
                               guint64              length,
                               gboolean             drain,
                               gboolean             keep_alive)
{
  if (length == 0 || conn->state == STATE_CLOSED)
    {
      g_input_stream_close_async (body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      respond (conn, head, NULL, keep_alive);
      return;
    }
  conn->state = STATE_WRITING;
  conn->since = now_us ();
  conn->keep_alive = keep_alive;
  conn->head = head;
  conn->stream = g_object_ref (body);
  conn->skip = skip;
  conn->remaining = length;
  conn->reading = conn->writing = -1;
  conn->n_queued = 0;
  conn->drain = drain;
  conn->eof = FALSE;
  pump (conn);
}

/* Writes what the exchange (or a refused head) answered. */
static void
write_answer (GkGatewayConnection *conn,
              GkGatewayAnswer     *answer)
{
  GString *head = g_steal_pointer (&answer->head);

  if (answer->stream != NULL)
    {
      g_autoptr(GInputStream) body = g_steal_pointer (&answer->stream);

      stream (conn, head, body, answer->skip, answer->length, answer->drain, answer->keep_alive);
    }
  else
    respond (conn, head, answer->body, answer->keep_alive);
  /* The answer is this function's to free, whichever way it went out. */
  _gk_gateway_answer_free (answer);
}
