/* gk-loopback.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <openssl/crypto.h>
#include <string.h>

#include "gk-loopback-private.h"
#include "gk-oauth.h"

/* After the valid callback, the answer page gets this long to reach the
 * browser before the port closes regardless. */
#define LINGER_SECONDS     3
/* IGV answers `echo` at once; one second each way is plenty. */
#define PROBE_TIMEOUT_SECS 1

struct _GkLoopback
{
  GObject parent_instance;

  SoupServer *server;
  guint16 port;
  char *path;
  char *expected_state;

  gboolean listening;
  gboolean done;        /* a valid callback arrived (code or provider error) */
  gboolean completed;   /* port closed and the result final */
  char *code;
  GError *error;

  GTask *task;
  guint timeout_id;
  guint linger_id;
  guint close_idle_id;
  GCancellable *cancellable;
  gulong cancelled_id;
};

G_DEFINE_QUARK (gk-loopback-error-quark, gk_loopback_error)

G_DEFINE_FINAL_TYPE (GkLoopback, gk_loopback, G_TYPE_OBJECT)

/* The pages echo nothing from the request: no query, no path, no header. */
#define PAGE_HEAD "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" \
                  "<meta name=\"viewport\" content=\"width=device-width\"><title>Genokey</title>" \
                  "<style>body{font-family:sans-serif;margin:4em auto;max-width:36em;padding:0 1em;" \
                  "color:#222}h1{font-size:1.4em}</style></head><body><h1>"
#define PAGE_MID  "</h1><p>"
#define PAGE_TAIL "</p></body></html>\n"

static char *
render_page (GkLoopbackPage page)
{
  const char *title = NULL;
  const char *text = NULL;
  g_autofree char *t = NULL;
  g_autofree char *p = NULL;

  switch (page)
    {
    case GK_LOOPBACK_PAGE_SIGNED_IN:
      title = _("Signed in — you can close this tab and return to Genokey");
      text = _("Genokey is finishing the sign-in.");
      break;
    case GK_LOOPBACK_PAGE_DID_NOT_COMPLETE:
      title = _("Sign-in did not complete");
      text = _("Return to Genokey to see why and to try again.");
      break;
    case GK_LOOPBACK_PAGE_BAD_REQUEST:
      title = _("This is not a valid sign-in answer");
      text = _("Genokey is waiting for the answer from the sign-in page. If you are signing in, return to Genokey and start again.");
      break;
    case GK_LOOPBACK_PAGE_NOT_FOUND:
      title = _("Not found");
      text = _("This address is only used by Genokey while you sign in.");
      break;
    case GK_LOOPBACK_PAGE_ALREADY_USED:
      title = _("This sign-in is already finished");
      text = _("Return to Genokey.");
      break;
    default:
      g_assert_not_reached ();
    }

  t = g_markup_escape_text (title, -1);
  p = g_markup_escape_text (text, -1);
  return g_strconcat (PAGE_HEAD, t, PAGE_MID, p, PAGE_TAIL, NULL);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         GkLoopbackPage     page)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char *html = render_page (page);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED)
    soup_message_headers_replace (headers, "Allow", "GET");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    html, strlen (html));
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */

static void
stop_listening (GkLoopback *self)
{
  if (self->server != NULL && self->listening)
    soup_server_disconnect (self->server);
  self->listening = FALSE;
}

static void
clear_sources (GkLoopback *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->linger_id, g_source_remove);
  g_clear_handle_id (&self->close_idle_id, g_source_remove);
  if (self->cancelled_id != 0)
    {
      g_cancellable_disconnect (self->cancellable, self->cancelled_id);
      self->cancelled_id = 0;
    }
  g_clear_object (&self->cancellable);
}

static void
return_result (GkLoopback *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return;

  if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_pointer (task, g_strdup (self->code), g_free);
}

/* Close the port, make the result final and hand it to a waiting caller. */
static void
complete (GkLoopback *self,
          GError     *error)
{
  if (self->completed)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL && self->error == NULL && self->code == NULL)
    self->error = error;
  else
    g_clear_error (&error);

  self->completed = TRUE;
  clear_sources (self);
  stop_listening (self);
  return_result (self);
}

static gboolean
on_close_idle_cb (gpointer user_data)
{
  GkLoopback *self = user_data;

  self->close_idle_id = 0;
  complete (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_complete (GkLoopback *self)
{
  /* Not from inside the message's own signal handler. */
  if (self->close_idle_id == 0 && !self->completed)
    self->close_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_close_idle_cb,
                                           g_object_ref (self), g_object_unref);
}

static void
on_final_message_finished_cb (SoupServerMessage *msg,
                              gpointer           user_data)
{
  GkLoopback *self = user_data;

  schedule_complete (self);
}

static gboolean
on_linger_cb (gpointer user_data)
{
  GkLoopback *self = user_data;

  self->linger_id = 0;
  schedule_complete (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  GkLoopback *self = user_data;

  self->timeout_id = 0;
  complete (self, g_error_new_literal (GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_TIMED_OUT,
                                       _("No answer came from the sign-in page in time, so Genokey stopped waiting. Sign in again.")));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled_idle_cb (gpointer user_data)
{
  GkLoopback *self = user_data;

  complete (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("Sign-in was cancelled.")));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  GkLoopback *self = user_data;

  /* May run in any thread and inside g_cancellable_cancel(): defer. */
  g_idle_add_full (G_PRIORITY_DEFAULT, on_cancelled_idle_cb, g_object_ref (self), g_object_unref);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

static gboolean
host_is_ours (const char *host,
              guint16     port)
{
  g_autofree char *with_port = NULL;
  const char *names[] = { "localhost", "127.0.0.1", "[::1]" };

  if (host == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_free (with_port);
      with_port = g_strdup_printf ("%s:%u", names[i], port);
      if (g_ascii_strcasecmp (host, with_port) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
uri_host_is_ours (GUri    *uri,
                  guint16  port)
{
  const char *host = g_uri_get_host (uri);

  if (host == NULL)
    return FALSE;

  if (g_uri_get_port (uri) != port)
    return FALSE;

  return gk_oauth_host_is_loopback_name (host);
}

/* Refuse with a page; not the sign-in's answer, so keep waiting. */
static void
refuse (GkLoopbackVerdict *verdict,
        guint              status,
        GkLoopbackPage     page)
{
  verdict->status = status;
  verdict->page = page;
}

/**
 * gk_loopback_judge_request:
 * @verdict: (out caller-allocates): cleared with gk_loopback_verdict_clear()
 *
 * Decides how to answer one request, and whether it is this sign-in's
 * answer. Every refusal leaves the listener waiting for the real callback.
 */
void
gk_loopback_judge_request (const char          *method,
                           SoupMessageHeaders  *headers,
                           GUri                *uri,
                           guint16              port,
                           const char          *path,
                           const char          *expected_state,
                           GkLoopbackVerdict   *verdict)
{
  const char *query;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;

  memset (verdict, 0, sizeof *verdict);

  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0)
    {
      refuse (verdict, SOUP_STATUS_METHOD_NOT_ALLOWED, GK_LOOPBACK_PAGE_BAD_REQUEST);
      return;
    }

  /* DNS rebinding and forged requests from other sites' pages carry a
   * foreign Host. */
  if (!host_is_ours (soup_message_headers_get_one (headers, "Host"), port) ||
      uri == NULL || !uri_host_is_ours (uri, port))
    {
      refuse (verdict, SOUP_STATUS_BAD_REQUEST, GK_LOOPBACK_PAGE_BAD_REQUEST);
      return;
    }

  if (soup_message_headers_get_content_length (headers) > 0 ||
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      refuse (verdict, SOUP_STATUS_BAD_REQUEST, GK_LOOPBACK_PAGE_BAD_REQUEST);
      return;
    }

  /* Exact and case-sensitive, as the identity provider matches it. */
  if (!g_str_equal (g_uri_get_path (uri), path))
    {
      refuse (verdict, SOUP_STATUS_NOT_FOUND, GK_LOOPBACK_PAGE_NOT_FOUND);
      return;
    }

  query = g_uri_get_query (uri);
  if (query != NULL && strlen (query) > GK_LOOPBACK_MAX_REQUEST)
    {
      refuse (verdict, SOUP_STATUS_REQUEST_URI_TOO_LONG, GK_LOOPBACK_PAGE_BAD_REQUEST);
      return;
    }

  if (gk_oauth_parse_callback (query, expected_state, &code, &error))
    {
      verdict->status = SOUP_STATUS_OK;
      verdict->page = GK_LOOPBACK_PAGE_SIGNED_IN;
      verdict->final = TRUE;
      verdict->code = g_steal_pointer (&code);
    }
  else if (g_error_matches (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_STATE_MISMATCH) ||
           g_error_matches (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK))
    /* Not from the identity provider for this sign-in: ignore it and
     * keep waiting for the real one. */
    refuse (verdict, SOUP_STATUS_BAD_REQUEST, GK_LOOPBACK_PAGE_BAD_REQUEST);
  else
    {
      /* The identity provider's own error, with our state: final. */
      verdict->status = SOUP_STATUS_OK;
      verdict->page = GK_LOOPBACK_PAGE_DID_NOT_COMPLETE;
      verdict->final = TRUE;
      verdict->error = g_steal_pointer (&error);
    }
}

void
gk_loopback_verdict_clear (GkLoopbackVerdict *verdict)
{
  if (verdict->code != NULL)
    OPENSSL_cleanse (verdict->code, strlen (verdict->code));
  g_clear_pointer (&verdict->code, g_free);
  g_clear_error (&verdict->error);
}

static void
handle_request (GkLoopback        *self,
                SoupServerMessage *msg)
{
  g_auto(GkLoopbackVerdict) verdict = { 0 };

  if (self->done || self->completed)
    {
      respond (msg, SOUP_STATUS_GONE, GK_LOOPBACK_PAGE_ALREADY_USED);
      return;
    }

  gk_loopback_judge_request (soup_server_message_get_method (msg),
                             soup_server_message_get_request_headers (msg),
                             soup_server_message_get_uri (msg),
                             self->port, self->path, self->expected_state, &verdict);
  respond (msg, verdict.status, verdict.page);
  if (!verdict.final)
    return;

  self->done = TRUE;
  self->code = g_steal_pointer (&verdict.code);
  self->error = g_steal_pointer (&verdict.error);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_final_message_finished_cb), self, 0);
  self->linger_id = g_timeout_add_seconds (LINGER_SECONDS, on_linger_cb, self);
}

static void
on_early_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  /* Decided on the headers alone, so no request body is ever read. */
  handle_request (GK_LOOPBACK (user_data), msg);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  if (soup_server_message_get_status (msg) == 0)
    respond (msg, SOUP_STATUS_BAD_REQUEST, GK_LOOPBACK_PAGE_BAD_REQUEST);
}

/* ------------------------------------------------------------------ */
/* Binding and the port-conflict probe                                 */

/* IGV's batch protocol: a line `echo` is answered with a line `echo`.
 *
 * Runs only when the port is taken, so the caller can tell the user who
 * holds it before any browser opens. It is asynchronous, so the window
 * keeps drawing meanwhile, and bounded by one deadline for connection and
 * exchange together, however the holder dribbles its bytes (a per-receive
 * timeout alone would let a holder sending a byte a second stall the
 * sign-in for a minute). */

typedef struct
{
  GkLoopback *loopback;      /* listening on IPv4 while ::1 is probed */
  GInetAddress *address;
  guint16 port;
  GSocketConnection *connection;
  GCancellable *probe_cancellable; /* the deadline's, and the caller's */
  gulong cancelled_id;
  guint deadline_id;
  char buf[64];
  gsize got;
} NewData;

static void
new_data_free (NewData *data)
{
  g_clear_handle_id (&data->deadline_id, g_source_remove);
  g_clear_object (&data->loopback);
  g_clear_object (&data->address);
  g_clear_object (&data->connection);
  g_clear_object (&data->probe_cancellable);
  g_free (data);
}

static GError *
port_taken_error (guint16  port,
                  gboolean igv)
{
  if (igv)
    return g_error_new (GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_IGV_HOLDS_PORT,
                        _("IGV is using port %u, which Genokey needs for a few seconds to finish signing in. Quit IGV (or turn off its port in View › Preferences › Advanced), sign in, then start IGV again."),
                        port);

  return g_error_new (GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_PORT_IN_USE,
                      _("Port %u is in use by another program, and the sign-in page can only return to that port. Close the program that uses it and sign in again, or ask the lab’s administrator to register another callback port for the app client and change redirect_uri in the profile."),
                      port);
}

static void
probe_done (GTask *task)
{
  NewData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_handle_id (&data->deadline_id, g_source_remove);
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (cancellable, data->cancelled_id);
  data->cancelled_id = 0;
  if (data->connection != NULL)
    g_io_stream_close_async (G_IO_STREAM (data->connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (data->loopback != NULL)
    stop_listening (data->loopback);

  if (!g_task_return_error_if_cancelled (task))
    {
      data->buf[data->got] = '\0';
      g_task_return_error (task, port_taken_error (data->port, g_str_equal (g_strstrip (data->buf), "echo")));
    }
  g_object_unref (task);
}

static void probe_read (GTask *task);

static void
on_probe_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  NewData *data = g_task_get_task_data (task);
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  if (n <= 0)
    {
      probe_done (task);
      return;
    }
  data->got += n;
  if (memchr (data->buf, '\n', data->got) != NULL || data->got >= sizeof data->buf - 1)
    probe_done (task);
  else
    probe_read (task);
}

static void
probe_read (GTask *task)
{
  NewData *data = g_task_get_task_data (task);
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (data->connection));

  g_input_stream_read_async (input, data->buf + data->got, sizeof data->buf - 1 - data->got,
                             G_PRIORITY_DEFAULT, data->probe_cancellable, on_probe_read_cb, task);
}

static void
on_probe_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    probe_done (task);
  else
    probe_read (task);
}

static void
on_probe_connected_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  NewData *data = g_task_get_task_data (task);
  GOutputStream *output;

  data->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, NULL);
  if (data->connection == NULL)
    {
      probe_done (task);
      return;
    }
  output = g_io_stream_get_output_stream (G_IO_STREAM (data->connection));
  g_output_stream_write_all_async (output, "echo\n", 5, G_PRIORITY_DEFAULT, data->probe_cancellable,
                                   on_probe_written_cb, task);
}

static gboolean
on_probe_deadline_cb (gpointer user_data)
{
  NewData *data = user_data;

  data->deadline_id = 0;
  g_cancellable_cancel (data->probe_cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Asks whoever holds @address:@port IGV's `echo`; the task then fails
 * with IGV_HOLDS_PORT or PORT_IN_USE. Takes the task. */
static void
probe_port_holder (GTask        *task,
                   GInetAddress *address,
                   guint16       port)
{
  NewData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (address, port);

  data->address = g_object_ref (address);
  data->port = port;
  data->probe_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled_cb),
                                                g_object_ref (data->probe_cancellable), g_object_unref);
  data->deadline_id = g_timeout_add (2 * PROBE_TIMEOUT_SECS * 1000, on_probe_deadline_cb, data);
  g_socket_client_set_timeout (client, PROBE_TIMEOUT_SECS);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (target), data->probe_cancellable,
                                 on_probe_connected_cb, task);
}

/* FALSE with @error unset when someone else holds the port. */
static gboolean
listen_on (GkLoopback    *self,
           GInetAddress  *address,
           guint16        port,
           gboolean      *port_taken,
           GError       **error)
{
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  g_autoptr(GError) local_error = NULL;

  *port_taken = FALSE;
  if (soup_server_listen (self->server, socket_address, 0, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    *port_taken = TRUE;
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static guint16
bound_port (SoupServer *server)
{
  GSList *listeners = soup_server_get_listeners (server);
  guint16 port = 0;

  for (GSList *l = listeners; l != NULL && port == 0; l = l->next)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (l->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }

  g_slist_free (listeners);
  return port;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
gk_loopback_dispose (GObject *object)
{
  GkLoopback *self = GK_LOOPBACK (object);

  clear_sources (self);
  stop_listening (self);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (gk_loopback_parent_class)->dispose (object);
}

static void
gk_loopback_finalize (GObject *object)
{
  GkLoopback *self = GK_LOOPBACK (object);

  g_free (self->path);
  if (self->expected_state != NULL)
    OPENSSL_cleanse (self->expected_state, strlen (self->expected_state));
  g_free (self->expected_state);
  if (self->code != NULL)
    OPENSSL_cleanse (self->code, strlen (self->code));
  g_free (self->code);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (gk_loopback_parent_class)->finalize (object);
}

static void
gk_loopback_class_init (GkLoopbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_loopback_dispose;
  object_class->finalize = gk_loopback_finalize;
}

static void
gk_loopback_init (GkLoopback *self)
{
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

/**
 * gk_loopback_new_async:
 * @port: the redirect URI's port, or 0 for any free one
 * @path: the redirect URI's path, e.g. `/oauthCallback`
 * @expected_state: this sign-in's state
 *
 * Binds 127.0.0.1 and ::1 (where the system has IPv6) at once. When the port
 * is taken, asks whoever holds it IGV's `echo` (for up to two seconds) to
 * tell IGV apart from other programs. Never tries another port.
 */
void
gk_loopback_new_async (guint16              port,
                       const char          *path,
                       const char          *expected_state,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GkLoopback) self = NULL;
  g_autoptr(GInetAddress) v4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddress) v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GError) v6_error = NULL;
  GError *error = NULL;
  gboolean taken;
  GTask *task;
  NewData *data;

  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (expected_state != NULL && *expected_state != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_loopback_new_async);
  data = g_new0 (NewData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) new_data_free);

  self = g_object_new (GK_TYPE_LOOPBACK, NULL);
  self->path = g_strdup (path);
  self->expected_state = g_strdup (expected_state);
  self->server = soup_server_new ("server-header", "Genokey", NULL);

  soup_server_add_early_handler (self->server, NULL, on_early_request_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, on_request_cb, self, NULL);

  if (!listen_on (self, v4, port, &taken, &error))
    {
      if (taken)
        probe_port_holder (task, v4, port);
      else
        {
          g_task_return_error (task, error);
          g_object_unref (task);
        }
      return;
    }
  self->listening = TRUE;
  self->port = port != 0 ? port : bound_port (self->server);

  /* "localhost" may resolve to ::1 first. A system without IPv6 is fine;
   * another program on [::1]:port is not, as the browser might reach it. */
  if (!listen_on (self, v6, self->port, &taken, &v6_error))
    {
      if (taken)
        {
          data->loopback = g_steal_pointer (&self);
          probe_port_holder (task, v6, data->loopback->port);
          return;
        }
      g_debug ("Not listening on [::1]:%u: %s", self->port, v6_error->message);
    }

  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
  g_object_unref (task);
}

/**
 * gk_loopback_new_finish:
 * @error: a #GK_LOOPBACK_ERROR, a #GIOError for other bind failures, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): a listening #GkLoopback, or %NULL
 */
GkLoopback *
gk_loopback_new_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_loopback_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_loopback_get_port:
 *
 * Returns: the port listened on
 */
guint16
gk_loopback_get_port (GkLoopback *self)
{
  g_return_val_if_fail (GK_IS_LOOPBACK (self), 0);
  return self->port;
}

/**
 * gk_loopback_is_listening:
 *
 * Returns: whether the port is still held
 */
gboolean
gk_loopback_is_listening (GkLoopback *self)
{
  g_return_val_if_fail (GK_IS_LOOPBACK (self), FALSE);
  return self->listening;
}

/**
 * gk_loopback_close:
 *
 * Closes the port now; a pending wait completes with G_IO_ERROR_CANCELLED.
 */
void
gk_loopback_close (GkLoopback *self)
{
  g_return_if_fail (GK_IS_LOOPBACK (self));

  complete (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("Sign-in was cancelled.")));
}

/**
 * gk_loopback_wait_async:
 * @timeout_seconds: how long to wait, 0 for #GK_LOOPBACK_DEFAULT_TIMEOUT
 * @cancellable: (nullable): cancels the wait and closes the port
 *
 * Waits for the one valid callback. A callback that arrived before this
 * call (the browser can be quick) counts.
 */
void
gk_loopback_wait_async (GkLoopback          *self,
                        guint                timeout_seconds,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GK_IS_LOOPBACK (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_loopback_wait_async);

  if (self->completed)
    {
      self->task = g_steal_pointer (&task);
      return_result (self);
      return;
    }

  self->task = g_steal_pointer (&task);

  if (!self->done)
    self->timeout_id = g_timeout_add_seconds (timeout_seconds > 0 ? timeout_seconds : GK_LOOPBACK_DEFAULT_TIMEOUT,
                                              on_timeout_cb, self);

  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb), self, NULL);
    }
}

/**
 * gk_loopback_wait_finish:
 *
 * Returns: (transfer full): the authorization code, or %NULL with the
 *   identity provider's #GK_OAUTH_ERROR, #GK_LOOPBACK_ERROR_TIMED_OUT or
 *   G_IO_ERROR_CANCELLED
 */
char *
gk_loopback_wait_finish (GkLoopback    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (GK_IS_LOOPBACK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
