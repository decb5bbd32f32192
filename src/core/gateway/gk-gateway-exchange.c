/* gk-gateway-exchange.c: one request, from its head to its answer
 *
 * Every refusal below comes before any S3 request and says in one line
 * why. The checks run in the order an attacker would need them passed:
 * the Host (DNS rebinding), the method, the exact path, the capability,
 * the web origin, then the Range header. Only then are credentials
 * fetched and S3 asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-gateway-exchange.h"
#include "gk-http.h"

/* S3's error documents are a few hundred bytes; more is not S3's. */
#define MAX_ERROR_BODY (64 * 1024)

typedef struct
{
  GkGatewayContext *ctx;
  GCancellable *cancellable;   /* cancelled when the connection closes */
  const GkGatewayExchangeReplies *replies;
  gpointer user_data;
  GDestroyNotify destroy;
  GkGatewayRequest *request;
  GkGatewayTarget target;
  char *profile;
  guint generation;
  GkGatewayRangeKind range_kind;
  GkGatewayRange range;
  gboolean want_size;           /* HEAD upstream only to learn the size for a 416 */
  gboolean retried_credentials;
  gboolean retried_region;
  GkCredentials *credentials;
  SoupMessage *msg;
} Exchange;

static void
exchange_free (Exchange *ex)
{
  g_clear_pointer (&ex->ctx, _gk_gateway_context_unref);
  g_clear_object (&ex->cancellable);
  if (ex->destroy != NULL)
    ex->destroy (ex->user_data);
  g_clear_pointer (&ex->request, gk_gateway_request_free);
  gk_gateway_target_clear (&ex->target);
  g_free (ex->profile);
  g_clear_pointer (&ex->credentials, gk_credentials_unref);
  g_clear_object (&ex->msg);
  g_free (ex);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_free)

static void send_upstream (Exchange *ex);
static void fetch_credentials (Exchange *ex, gint64 min_valid);

/* ---- answer heads ---------------------------------------------------------- */

void
_gk_gateway_answer_free (GkGatewayAnswer *answer)
{
  if (answer->head != NULL)
    g_string_free (answer->head, TRUE);
  g_clear_pointer (&answer->body, g_bytes_unref);
  if (answer->stream != NULL)
    g_input_stream_close_async (answer->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&answer->stream);
  g_free (answer);
}

static GkGatewayAnswer *
answer_new (GString  *head,
            GBytes   *body,
            gboolean  keep_alive)
{
  GkGatewayAnswer *answer = g_new0 (GkGatewayAnswer, 1);

  answer->head = head;
  answer->body = body != NULL ? g_bytes_ref (body) : NULL;
  answer->keep_alive = keep_alive;
  return answer;
}

/* Hands @answer back, unless the connection closed meanwhile. */
static void
reply (Exchange        *ex,
       GkGatewayAnswer *answer)
{
  if (g_cancellable_is_cancelled (ex->cancellable))
    {
      _gk_gateway_answer_free (answer);
      return;
    }
  ex->replies->answered (answer, ex->user_data);
}

static GString *
begin_head (GkGatewayContext       *ctx,
            const GkGatewayRequest *request,
            guint                   status,
            gboolean                keep_alive)
{
  GString *head = g_string_sized_new (512);
  const char *origin = request != NULL ? gk_gateway_request_get_header (request, "origin") : NULL;

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, gk_gateway_http_status_phrase (status));
  /* No cookies are ever set, and nothing may be cached: after sign-out no
   * copy of lab data may stay readable in a browser's cache. */
  g_string_append (head,
                   "Cache-Control: no-store\r\n"
                   "X-Content-Type-Options: nosniff\r\n"
                   "Referrer-Policy: no-referrer\r\n"
                   "Content-Security-Policy: default-src 'none'; sandbox\r\n"
                   "Vary: Origin\r\n");
  if (_gk_gateway_context_origin_is_allowed (ctx, origin))
    g_string_append_printf (head,
                            "Access-Control-Allow-Origin: %s\r\n"
                            "Access-Control-Expose-Headers: Content-Range, Content-Length, Accept-Ranges, ETag\r\n",
                            origin);
  g_string_append (head, keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
  return head;
}

static GkGatewayAnswer *
text_answer (GkGatewayContext       *ctx,
             const GkGatewayRequest *request,
             guint                   status,
             const char             *text,
             const char             *extra_headers)
{
  g_autofree char *line = NULL;
  g_autoptr(GBytes) body = NULL;
  gboolean keep_alive;
  GString *head;

  /* One line, whatever the message: some S3 messages hold line breaks. */
  line = g_strdelimit (g_strconcat (text, NULL), "\r\n", ' ');
  body = g_bytes_new_take (g_strconcat (line, "\n", NULL), strlen (line) + 1);
  /* A malformed head leaves the connection in an unknown state. */
  keep_alive = request != NULL && request->keep_alive;
  head = begin_head (ctx, request, status, keep_alive);
  g_string_append_printf (head, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n",
                          g_bytes_get_size (body));
  if (extra_headers != NULL)
    g_string_append (head, extra_headers);
  g_string_append (head, "\r\n");
  if (request != NULL && request->method == GK_GATEWAY_METHOD_HEAD)
    g_clear_pointer (&body, g_bytes_unref);
  return answer_new (head, body, keep_alive);
}

static void
answer_text (Exchange   *ex,
             guint       status,
             const char *text,
             const char *extra_headers)
{
  reply (ex, text_answer (ex->ctx, ex->request, status, text, extra_headers));
}

/**
 * _gk_gateway_refusal:
 * @request: (nullable): %NULL when the head itself was malformed
 * @reason: marked for translation, not yet translated
 *
 * Returns: (transfer full): the answer with @status and the one-line
 *   @reason; the refusal is counted
 */
GkGatewayAnswer *
_gk_gateway_refusal (GkGatewayContext       *ctx,
                     const GkGatewayRequest *request,
                     guint                   status,
                     const char             *reason)
{
  /* A request whose head did not parse never reached an exchange, which
   * counts the others. */
  if (request == NULL)
    ctx->requests++;
  ctx->refused++;
  return text_answer (ctx, request, status, _(reason),
                      status == 405 ? "Allow: GET, HEAD, OPTIONS\r\n" : NULL);
}

static void
refuse (Exchange   *ex,
        guint       status,
        const char *reason)
{
  reply (ex, _gk_gateway_refusal (ex->ctx, ex->request, status, reason));
}

/* An answer about S3 or the credentials: kept as the gateway's last error. */
static void
answer_failure (Exchange   *ex,
                guint       status,
                const char *message)
{
  _gk_gateway_context_record_error (ex->ctx, message);
  answer_text (ex, status, message, NULL);
}

static void
answer_unsatisfiable (Exchange *ex,
                      guint64   size)
{
  g_autofree char *range = g_strdup_printf ("Content-Range: bytes */%" G_GUINT64_FORMAT "\r\n", size);

  answer_text (ex, 416,
               ex->range_kind == GK_GATEWAY_RANGE_MULTIPLE
                 ? _("The gateway serves one byte range per request.")
                 : _("The requested range is outside the object."),
               range);
}

/* ---- preflight ------------------------------------------------------------- */

/* Request headers a web viewer may send. Range is what matters; the rest
 * are what browsers and fetch wrappers add on their own. */
static gboolean
header_is_allowed (const char *name)
{
  const char *allowed[] = { "range", "cache-control", "pragma", "if-none-match",
                            "if-modified-since", NULL };

  return g_strv_contains (allowed, name);
}

static void
answer_preflight (Exchange *ex)
{
  const GkGatewayRequest *request = ex->request;
  const char *headers = gk_gateway_request_get_header (request, "access-control-request-headers");
  const char *pna = gk_gateway_request_get_header (request, "access-control-request-private-network");
  GString *head;

  head = begin_head (ex->ctx, request, 204, request->keep_alive);
  g_string_append (head,
                   "Access-Control-Allow-Methods: GET, HEAD\r\n"
                   "Access-Control-Max-Age: 600\r\n"
                   "Vary: Access-Control-Request-Method, Access-Control-Request-Headers, "
                   "Access-Control-Request-Private-Network\r\n"
                   "Content-Length: 0\r\n");
  if (headers != NULL)
    {
      g_auto(GStrv) names = g_strsplit (headers, ",", -1);
      g_autoptr(GString) allow = g_string_new (NULL);

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autofree char *name = g_ascii_strdown (g_strstrip (names[i]), -1);

          if (header_is_allowed (name))
            g_string_append_printf (allow, "%s%s", allow->len > 0 ? ", " : "", name);
        }
      if (allow->len > 0)
        g_string_append_printf (head, "Access-Control-Allow-Headers: %s\r\n", allow->str);
    }
  /* Chrome's Private Network Access preflight, for https pages reaching
   * loopback: without this answer it blocks the request. */
  if (pna != NULL && g_ascii_strcasecmp (pna, "true") == 0)
    g_string_append (head, "Access-Control-Allow-Private-Network: true\r\n");
  g_string_append (head, "\r\n");
  reply (ex, answer_new (head, NULL, request->keep_alive));
}

/* ---- configs ---------------------------------------------------------------- */

static void
answer_bytes (Exchange   *ex,
              GBytes     *bytes,
              const char *content_type)
{
  gsize size = g_bytes_get_size (bytes);
  guint64 start = 0, end = size > 0 ? size - 1 : 0;
  g_autoptr(GBytes) body = NULL;
  GString *head;
  guint status = 200;

  if (ex->range_kind == GK_GATEWAY_RANGE_MULTIPLE ||
      (ex->range_kind == GK_GATEWAY_RANGE_ONE &&
       !gk_gateway_range_resolve (&ex->range, size, &start, &end)))
    {
      answer_unsatisfiable (ex, size);
      return;
    }
  if (ex->range_kind == GK_GATEWAY_RANGE_ONE)
    {
      status = 206;
      body = g_bytes_new_from_bytes (bytes, start, end - start + 1);
    }
  else
    body = g_bytes_ref (bytes);

  head = begin_head (ex->ctx, ex->request, status, ex->request->keep_alive);
  g_string_append_printf (head, "Content-Type: %s\r\nAccept-Ranges: bytes\r\nContent-Length: %zu\r\n",
                          content_type, g_bytes_get_size (body));
  if (status == 206)
    g_string_append_printf (head, "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "/%zu\r\n",
                            start, end, size);
  g_string_append (head, "\r\n");
  if (ex->request->method == GK_GATEWAY_METHOD_HEAD)
    g_clear_pointer (&body, g_bytes_unref);
  _gk_gateway_context_record_served (ex->ctx, ex->profile, "config", ex->target.config_name);
  reply (ex, answer_new (head, body, ex->request->keep_alive));
}

static void
on_config_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Exchange) ex = user_data;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (g_cancellable_is_cancelled (ex->cancellable))
    return;
  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &len, NULL, NULL))
    {
      /* Published in an earlier run, then the folder was cleaned. */
      answer_text (ex, 404,
                   _("This config is no longer kept. Open the files from Genokey again."), NULL);
      return;
    }
  bytes = g_bytes_new_take (contents, len);
  answer_bytes (ex, bytes, "application/json");
}

/* ---- S3 --------------------------------------------------------------------- */

static GkGatewayProfile *
current_profile (Exchange *ex)
{
  GkGatewayProfile *profile = _gk_gateway_context_find_profile (ex->ctx, ex->profile);

  /* Signed out, or revoked, while this request waited. */
  if (profile == NULL || profile->generation != ex->generation || profile->client == NULL)
    return NULL;
  return profile;
}

static void
append_object_headers (GString            *head,
                       SoupMessageHeaders *upstream)
{
  const char *type = soup_message_headers_get_one (upstream, "Content-Type");
  const char *names[] = { "ETag", "Last-Modified", "Content-Encoding" };

  g_string_append_printf (head, "Content-Type: %s\r\nAccept-Ranges: bytes\r\n",
                          type != NULL ? type : "application/octet-stream");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = soup_message_headers_get_one (upstream, names[i]);

      /* Passed on only when it cannot split the head. */
      if (value != NULL && strpbrk (value, "\r\n") == NULL)
        g_string_append_printf (head, "%s: %s\r\n", names[i], value);
    }
}

static gboolean
upstream_length (SoupMessageHeaders *headers,
                 guint64            *length)
{
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return FALSE;
  *length = soup_message_headers_get_content_length (headers);
  return TRUE;
}

/* S3 said yes: pass the object (or the asked part of it) on. */
static void
answer_object (Exchange     *ex,
               GInputStream *body)
{
  SoupMessageHeaders *upstream = soup_message_get_response_headers (ex->msg);
  guint upstream_status = soup_message_get_status (ex->msg);
  gboolean head_only = ex->request->method == GK_GATEWAY_METHOD_HEAD;
  guint64 size = 0, start = 0, end = 0, length = 0, skip = 0;
  gboolean ranged = ex->range_kind == GK_GATEWAY_RANGE_ONE;
  guint status;
  GString *head;
  GkGatewayAnswer *answer;

  if (upstream_status == 206 && ranged && !head_only)
    {
      /* S3 did the range itself. */
      if (!gk_gateway_content_range_parse (soup_message_headers_get_one (upstream, "Content-Range"),
                                           &start, &end, &size))
        {
          answer_failure (ex, 502, _("S3 answered a range request without a valid Content-Range."));
          return;
        }
    }
  else if (upstream_status == 200)
    {
      if (!upstream_length (upstream, &size))
        {
          answer_failure (ex, 502, _("S3 answered without a Content-Length."));
          return;
        }
      if (ex->want_size || ex->range_kind == GK_GATEWAY_RANGE_MULTIPLE)
        {
          answer_unsatisfiable (ex, size);
          return;
        }
      /* A HEAD, or S3 ignored the range and sent everything: the range
       * is cut out here, because a range request must never get 200. */
      if (ranged && !gk_gateway_range_resolve (&ex->range, size, &start, &end))
        {
          answer_unsatisfiable (ex, size);
          return;
        }
      if (ranged && !head_only)
        skip = start;
    }
  else
    {
      answer_failure (ex, 502, _("S3 answered a read with an unexpected status."));
      return;
    }

  status = ranged ? 206 : 200;
  length = ranged ? end - start + 1 : size;
  head = begin_head (ex->ctx, ex->request, status, ex->request->keep_alive);
  append_object_headers (head, upstream);
  g_string_append_printf (head, "Content-Length: %" G_GUINT64_FORMAT "\r\n", length);
  if (ranged)
    g_string_append_printf (head, "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
                            "/%" G_GUINT64_FORMAT "\r\n", start, end, size);
  g_string_append (head, "\r\n");
  _gk_gateway_context_record_served (ex->ctx, ex->profile, ex->target.bucket, ex->target.key);
  answer = answer_new (head, NULL, ex->request->keep_alive);
  if (head_only)
    g_input_stream_close_async (body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  else
    {
      answer->stream = g_object_ref (body);
      answer->skip = skip;
      answer->length = length;
      /* S3's body ends with the answer's bytes unless a range was cut out
       * of a whole object. */
      answer->drain = skip + length == (upstream_status == 206 ? length : size);
    }
  reply (ex, answer);
}

/* S3 said no. @body is S3's error document, or %NULL (HEAD answers have
 * none: the status alone says it). */
static void
answer_s3_error (Exchange *owned,
                 guint     upstream_status,
                 GBytes   *body)
{
  g_autoptr(Exchange) ex = owned;
  g_autofree char *code = NULL, *message = NULL, *region = NULL;
  g_autoptr(GError) error = NULL;
  const char *header_region;
  GkGatewayProfile *profile;
  guint status;

  if (body != NULL)
    gk_s3_parse_error (body, &code, &message, &region);
  header_region = soup_message_headers_get_one (soup_message_get_response_headers (ex->msg),
                                                "x-amz-bucket-region");
  if (!gk_s3_region_is_plausible (region))
    g_free (g_steal_pointer (&region));
  error = gk_s3_error_new (upstream_status, code, message, GK_S3_ACTION_GET_OBJECT,
                           ex->target.bucket, ex->target.key);
  profile = current_profile (ex);

  /* Signed for the wrong region (a bucket first seen now): S3 names the
   * right one; try once more there. */
  if (profile != NULL && !ex->retried_region &&
      g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_WRONG_REGION))
    {
      const char *right = region != NULL ? region
                        : gk_s3_region_is_plausible (header_region) ? header_region : NULL;

      if (right != NULL)
        {
          gk_s3_client_set_bucket_region (profile->client, ex->target.bucket, right);
          ex->retried_region = TRUE;
          send_upstream (g_steal_pointer (&ex));
          return;
        }
    }
  /* S3 refused the token although the clock says it is valid (revoked
   * server-side, or the clock jumped after sleep): renew now and try
   * once more. */
  if (profile != NULL && !ex->retried_credentials &&
      (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_EXPIRED_CREDENTIALS) ||
       g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_CLOCK_SKEW)))
    {
      gint64 left = ex->credentials != NULL
        ? gk_credentials_get_remaining (ex->credentials, g_get_real_time () / G_USEC_PER_SEC) : 0;

      ex->retried_credentials = TRUE;
      g_clear_pointer (&profile->credentials, gk_credentials_unref);
      fetch_credentials (g_steal_pointer (&ex), MAX (left + 1, GK_GATEWAY_MIN_VALID_S));
      return;
    }

  if (upstream_status == 416)
    {
      /* S3 says the range is past the end but not where the end is. */
      ex->want_size = TRUE;
      send_upstream (g_steal_pointer (&ex));
      return;
    }

  if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_KEY) ||
      g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_BUCKET))
    status = 404;
  else if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED) ||
           g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_ARCHIVED))
    status = 403;
  else if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_EXPIRED_CREDENTIALS) ||
           g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_CREDENTIALS) ||
           g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_UNAVAILABLE))
    status = 503;
  else
    status = 502;
  answer_failure (ex, status, error->message);
}

static void
on_error_body_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Exchange) ex = user_data;
  g_autoptr(GBytes) body = gk_http_read_all_finish (result, NULL);
  guint status = soup_message_get_status (ex->msg);

  if (g_cancellable_is_cancelled (ex->cancellable))
    return;
  answer_s3_error (g_steal_pointer (&ex), status, body);
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Exchange) ex = user_data;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  guint status;

  body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (g_cancellable_is_cancelled (ex->cancellable))
    return;
  if (body == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not reach S3: %s"), error->message);

      answer_failure (ex, 502, message);
      return;
    }
  /* Signed out or revoked while S3 answered: nothing more goes out. */
  if (current_profile (ex) == NULL)
    {
      g_input_stream_close_async (body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      refuse (ex, 403, N_("This link is no longer valid: its profile signed out or revoked its links."));
      return;
    }

  status = soup_message_get_status (ex->msg);
  if (status == 200 || status == 206)
    {
      answer_object (ex, body);
      return;
    }
  if (g_strcmp0 (soup_message_get_method (ex->msg), SOUP_METHOD_HEAD) == 0)
    {
      g_input_stream_close_async (body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      answer_s3_error (g_steal_pointer (&ex), status, NULL);
      return;
    }
  cancellable = ex->cancellable;
  gk_http_read_all_async (body, MAX_ERROR_BODY, G_PRIORITY_DEFAULT, cancellable, on_error_body_cb,
                          g_steal_pointer (&ex));
}

static void
send_upstream (Exchange *ex)
{
  GkGatewayProfile *profile = current_profile (ex);
  gboolean head = ex->want_size || ex->request->method == GK_GATEWAY_METHOD_HEAD ||
                  ex->range_kind == GK_GATEWAY_RANGE_MULTIPLE;
  g_autoptr(GError) error = NULL;

  if (profile == NULL)
    {
      refuse (ex, 403, N_("This link is no longer valid: its profile signed out or revoked its links."));
      exchange_free (ex);
      return;
    }
  g_clear_object (&ex->msg);
  ex->msg = gk_s3_client_new_object_message (profile->client, ex->credentials, head ? "HEAD" : "GET",
                                             ex->target.bucket, ex->target.key,
                                             g_get_real_time () / G_USEC_PER_SEC, &error);
  if (ex->msg == NULL)
    {
      answer_failure (ex, 502, error->message);
      exchange_free (ex);
      return;
    }
  if (!head && ex->range_kind == GK_GATEWAY_RANGE_ONE)
    {
      g_autofree char *range = NULL;

      /* Passed on as parsed, so S3 sees one well-formed range. */
      if (ex->range.first < 0)
        range = g_strdup_printf ("bytes=-%" G_GINT64_FORMAT, ex->range.suffix);
      else if (ex->range.last < 0)
        range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", ex->range.first);
      else
        range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                 ex->range.first, ex->range.last);
      soup_message_headers_replace (soup_message_get_request_headers (ex->msg), "Range", range);
    }
  soup_session_send_async (ex->ctx->upstream, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           on_sent_cb, ex);
}

static void
on_region_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Exchange) ex = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = gk_s3_client_get_bucket_region_finish (GK_S3_CLIENT (object), result,
                                                                   &error);

  if (g_cancellable_is_cancelled (ex->cancellable))
    return;
  if (region == NULL)
    {
      answer_failure (ex, g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_BUCKET) ? 404 : 502,
                      error->message);
      return;
    }
  send_upstream (g_steal_pointer (&ex));
}

static void
credentials_ready (Exchange *ex)
{
  GkGatewayProfile *profile = current_profile (ex);

  if (profile != NULL &&
      gk_s3_client_peek_bucket_region (profile->client, ex->target.bucket) == NULL)
    {
      gk_s3_client_get_bucket_region_async (profile->client, ex->target.bucket,
                                            ex->cancellable,
                                            on_region_cb, ex);
      return;
    }
  send_upstream (ex);
}

static void
on_credentials_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Exchange) ex = user_data;
  g_autoptr(GError) error = NULL;
  GkGatewayProfile *profile;

  ex->credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object),
                                                                 result, &error);
  if (g_cancellable_is_cancelled (ex->cancellable))
    return;
  if (ex->credentials == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Genokey cannot renew the credentials of profile “%s” without you: %s"),
                                                  ex->profile, error->message);

      /* The session tells the window, which shows its renewal banner. */
      answer_failure (ex, 503, message);
      return;
    }
  profile = current_profile (ex);
  if (profile != NULL)
    {
      g_clear_pointer (&profile->credentials, gk_credentials_unref);
      profile->credentials = gk_credentials_ref (ex->credentials);
    }
  credentials_ready (g_steal_pointer (&ex));
}

/* The profile's credentials, renewed first when fewer than @min_valid
 * seconds are left: after sleep or a network loss the next request renews
 * before anything is signed. */
static void
fetch_credentials (Exchange *ex,
                   gint64    min_valid)
{
  GkGatewayProfile *profile = current_profile (ex);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (profile == NULL)
    {
      send_upstream (ex);
      return;
    }
  g_clear_pointer (&ex->credentials, gk_credentials_unref);
  if (profile->credentials != NULL && gk_credentials_is_valid_at (profile->credentials, now, min_valid))
    {
      ex->credentials = gk_credentials_ref (profile->credentials);
      credentials_ready (ex);
      return;
    }
  gk_credential_source_get_credentials_async (gk_s3_client_get_source (profile->client), min_valid,
                                              ex->cancellable,
                                              on_credentials_cb, ex);
}

/* ---- the checks ------------------------------------------------------------ */

/* Which served profile made this capability, if any. */
static GkGatewayProfile *
find_issuer (GkGatewayContext *ctx,
             GkGatewayTarget *target,
             gboolean        *is_config)
{
  GHashTableIter iter;
  GkGatewayProfile *profile;
  char expected[GK_GATEWAY_CAPABILITY_LEN + 1];
  GkGatewayProfile *found = NULL;

  *is_config = FALSE;
  g_hash_table_iter_init (&iter, ctx->profiles);
  while (found == NULL && g_hash_table_iter_next (&iter, NULL, (gpointer *) &profile))
    {
      if (target->config_name != NULL)
        {
          gk_gateway_capability_for_config (profile->secret, profile->name, target->config_name,
                                            expected);
          if (gk_gateway_capability_equal (expected, target->capability))
            {
              found = profile;
              *is_config = TRUE;
              break;
            }
        }
      gk_gateway_capability_for_object (profile->secret, profile->name, target->bucket,
                                        target->key, expected);
      if (gk_gateway_capability_equal (expected, target->capability))
        found = profile;
    }
  memset (expected, 0, sizeof expected);
  return found;
}

/**
 * _gk_gateway_exchange_start:
 * @request: (transfer full)
 * @cancellable: cancelled when the answer is no longer wanted (the
 *   connection closed)
 * @replies: (not nullable): how the exchange reports back, with @user_data
 * @destroy: (nullable): frees @user_data once the exchange is over
 *
 * Answers @request: at once when it is refused, or once S3 (or a
 * published config) answered.
 */
void
_gk_gateway_exchange_start (GkGatewayContext               *ctx,
                            GkGatewayRequest               *request,
                            GCancellable                   *cancellable,
                            const GkGatewayExchangeReplies *replies,
                            gpointer                        user_data,
                            GDestroyNotify                  destroy)
{
  g_autoptr(Exchange) ex = g_new0 (Exchange, 1);
  g_autofree char *expected_host = g_strdup_printf ("127.0.0.1:%u", ctx->port);
  const char *host = gk_gateway_request_get_header (request, "host");
  const char *origin = gk_gateway_request_get_header (request, "origin");
  const char *reason = NULL;
  GkGatewayProfile *profile;
  gboolean is_config;

  ex->ctx = _gk_gateway_context_ref (ctx);
  ex->cancellable = g_object_ref (cancellable);
  ex->replies = replies;
  ex->user_data = user_data;
  ex->destroy = destroy;
  ex->request = request;
  ctx->requests++;

  /* DNS rebinding: a page on evil.example, whose name now resolves to
   * 127.0.0.1, is same-origin with "evil.example:PORT" and could read the
   * answers; its requests carry that Host. Only the literal address the
   * links use is served (no "localhost", no second Host header). */
  if (host == NULL || gk_gateway_request_count_header (request, "host") != 1 ||
      strcmp (host, expected_host) != 0)
    {
      refuse (ex, 421, N_("This gateway answers only requests for http://127.0.0.1 on its own port."));
      return;
    }

  /* Reading is all a link allows. */
  if (request->method == GK_GATEWAY_METHOD_OTHER)
    {
      refuse (ex, 405, N_("Gateway links can only be read (GET or HEAD)."));
      return;
    }

  /* The one spelling of a link, or nothing: no normalising of "..",
   * "%2F", double slashes or queries. */
  if (!gk_gateway_target_parse (request->target, &ex->target, &reason))
    {
      refuse (ex, 404, reason);
      return;
    }

  /* The capability must be this object's (or this config's) under a
   * served profile's current secret: a guessed one, another object's, or
   * one from before a sign-out or revocation is refused alike. */
  profile = find_issuer (ctx, &ex->target, &is_config);
  if (profile == NULL)
    {
      refuse (ex, 403, N_("This link is not valid: it was made for another object, or its profile signed out or revoked its links."));
      return;
    }
  ex->profile = g_strdup (profile->name);
  ex->generation = profile->generation;
  replies->serving (profile->name, user_data);

  /* Pages from other sites must not read lab data even with a leaked link:
   * only allow-listed origins get CORS, and the rest are refused before S3
   * is asked. (Requests without Origin are not from another site's
   * script: a navigation, IGV, curl.) */
  if (origin != NULL && !_gk_gateway_context_origin_is_allowed (ctx, origin))
    {
      refuse (ex, 403, N_("Web pages from this origin may not read through the gateway. Add the origin in Genokey’s Preferences if you trust it."));
      return;
    }

  if (request->method == GK_GATEWAY_METHOD_OPTIONS)
    {
      answer_preflight (ex);
      return;
    }

  ex->range_kind = gk_gateway_request_count_header (request, "range") > 1
    ? GK_GATEWAY_RANGE_INVALID
    : gk_gateway_range_parse (gk_gateway_request_get_header (request, "range"), &ex->range);
  if (ex->range_kind == GK_GATEWAY_RANGE_INVALID)
    {
      /* Answering anything but the asked bytes would be worse than an
       * error: a reader taking the whole object for a range shows wrong
       * data. */
      refuse (ex, 400, N_("The Range header is not one byte range (bytes=FIRST-LAST)."));
      return;
    }

  if (is_config)
    {
      g_autofree char *path = _gk_gateway_context_config_path (ctx, ex->profile, ex->target.config_name);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      g_file_load_contents_async (file, cancellable,
                                  on_config_loaded_cb, g_steal_pointer (&ex));
      return;
    }

  fetch_credentials (g_steal_pointer (&ex), GK_GATEWAY_MIN_VALID_S);
}
