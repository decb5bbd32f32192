/* gk-s3.c: GkS3Client
 *
 * Every call runs the same steps: credentials from the source → the
 * bucket's region (cached; discovered with HeadBucket on AWS) → a SigV4
 * Authorization header → libsoup → the answer checked (an <Error> body is an
 * error even with HTTP 200, as S3 may send for some calls) → on a region
 * error, the region S3 names is cached and the call retried once.
 *
 * URLs are built with g_uri_build(), not parsed from strings: GLib's parser
 * removes "./" and "../" segments, which are legal parts of S3 keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-http.h"
#include "gk-s3-private.h"

#define MIN_VALID_FOR_CALL 60     /* seconds the credentials must outlive one call */

G_DEFINE_FINAL_TYPE (GkS3Client, gk_s3_client, G_TYPE_OBJECT)

/* ---- a request -------------------------------------------------------- */

void
gk_s3_request_free (GkS3Request *r)
{
  g_free (r->method);
  g_free (r->bucket);
  g_free (r->key);
  g_clear_pointer (&r->query, g_ptr_array_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->content_type);
  g_clear_pointer (&r->credentials, gk_credentials_unref);
  g_free (r->region);
  g_clear_object (&r->msg);
  g_clear_pointer (&r->response, g_bytes_unref);
  g_free (r);
}

GkS3Request *
gk_s3_request_new (const char *method,
                   const char *bucket,
                   const char *key,
                   GkS3Action  action)
{
  GkS3Request *r = g_new0 (GkS3Request, 1);

  r->method = g_strdup (method);
  r->bucket = g_strdup (bucket);
  r->key = g_strdup (key);
  r->query = g_ptr_array_new_with_free_func (g_free);
  r->action = action;
  return r;
}

void
gk_s3_request_add_query (GkS3Request *r,
                         const char  *name,
                         const char  *value)
{
  g_ptr_array_add (r->query, g_strdup (name));
  g_ptr_array_add (r->query, g_strdup (value != NULL ? value : ""));
}

static void do_send (GTask *task);

/* ---- construction ----------------------------------------------------- */

/**
 * gk_s3_client_new:
 * @source: where credentials come from
 * @region: (nullable): the default region (the profile's aws_region)
 * @endpoint: (nullable): a custom S3 endpoint; then buckets are addressed
 *   path-style there, in @region, without region discovery
 * @buckets: (nullable): the allow-list (`bucket` or `bucket/prefix`
 *   entries); when given, ListBuckets is not called and nothing outside it
 *   is touched
 */
GkS3Client *
gk_s3_client_new (GkCredentialSource *source,
                  const char         *region,
                  const char         *endpoint,
                  const char * const *buckets)
{
  GkS3Client *self;

  g_return_val_if_fail (GK_IS_CREDENTIAL_SOURCE (source), NULL);

  self = g_object_new (GK_TYPE_S3_CLIENT, NULL);
  self->source = g_object_ref (source);
  self->region = g_strdup (region != NULL && *region != '\0' ? region : "us-east-1");
  self->endpoint = endpoint != NULL && *endpoint != '\0' ? g_strdup (endpoint) : NULL;
  self->buckets = buckets != NULL && buckets[0] != NULL ? g_strdupv ((char **) buckets) : NULL;
  return self;
}

GkS3Client *
gk_s3_client_new_for_profile (GkProfile          *profile,
                              GkCredentialSource *source)
{
  return gk_s3_client_new (source, gk_profile_get_region (profile),
                           gk_profile_get_s3_endpoint (profile),
                           gk_profile_get_buckets (profile));
}

GkCredentialSource *
gk_s3_client_get_source (GkS3Client *self)
{
  g_return_val_if_fail (GK_IS_S3_CLIENT (self), NULL);
  return self->source;
}

const char *
gk_s3_client_get_region (GkS3Client *self)
{
  g_return_val_if_fail (GK_IS_S3_CLIENT (self), NULL);
  return self->region;
}

const char *
gk_s3_client_get_endpoint (GkS3Client *self)
{
  g_return_val_if_fail (GK_IS_S3_CLIENT (self), NULL);
  return self->endpoint;
}

const char * const *
gk_s3_client_get_allowed_buckets (GkS3Client *self)
{
  g_return_val_if_fail (GK_IS_S3_CLIENT (self), NULL);
  return (const char * const *) self->buckets;
}

/* ---- the allow-list --------------------------------------------------- */

void
gk_s3_split_allow_entry (const char  *entry,
                         char       **bucket,
                         char       **prefix)
{
  const char *slash = strchr (entry, '/');

  *bucket = slash != NULL ? g_strndup (entry, slash - entry) : g_strdup (entry);
  *prefix = slash != NULL && slash[1] != '\0' ? g_strdup (slash + 1) : NULL;
}

/**
 * gk_s3_client_check_allowed:
 * @key: (nullable): a key or prefix in @bucket
 *
 * Returns: %TRUE if the profile's bucket list (if any) covers @bucket/@key
 */
gboolean
gk_s3_client_check_allowed (GkS3Client  *self,
                            const char  *bucket,
                            const char  *key,
                            GError     **error)
{
  g_autoptr(GString) allowed = NULL;

  if (!gk_s3_bucket_name_is_valid (bucket, error))
    return FALSE;
  if (self->buckets == NULL)
    return TRUE;

  allowed = g_string_new (NULL);
  for (guint i = 0; self->buckets[i] != NULL; i++)
    {
      g_autofree char *b = NULL, *p = NULL;

      gk_s3_split_allow_entry (self->buckets[i], &b, &p);
      if (g_str_equal (b, bucket) && (p == NULL || g_str_has_prefix (key != NULL ? key : "", p)))
        return TRUE;
      if (g_str_equal (b, bucket))
        g_string_append_printf (allowed, "%s s3://%s/%s", allowed->len ? "," : "", b, p);
    }
  if (allowed->len > 0)
    g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_NOT_ALLOWED,
                 _("The profile allows only%s in bucket “%s”. Use an address under it, or "
                   "ask your lab admin to extend “buckets” in the profile."),
                 allowed->str, bucket);
  else
    g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_NOT_ALLOWED,
                 _("The bucket “%s” is not in the profile's bucket list. Use one of its buckets, "
                   "or ask your lab admin to add it to “buckets”."),
                 bucket);
  return FALSE;
}

/* ---- regions ---------------------------------------------------------- */

/**
 * gk_s3_client_peek_bucket_region:
 *
 * Returns: (nullable): the region known for @bucket without asking S3: the
 *   cached one, or the default region when a custom endpoint is used
 */
const char *
gk_s3_client_peek_bucket_region (GkS3Client *self,
                                 const char *bucket)
{
  const char *cached;

  g_return_val_if_fail (GK_IS_S3_CLIENT (self), NULL);

  cached = g_hash_table_lookup (self->regions, bucket);
  if (cached != NULL)
    return cached;
  return self->endpoint != NULL ? self->region : NULL;
}

void
gk_s3_client_set_bucket_region (GkS3Client *self,
                                const char *bucket,
                                const char *region)
{
  g_return_if_fail (GK_IS_S3_CLIENT (self));
  g_hash_table_replace (self->regions, g_strdup (bucket), g_strdup (region));
}

/* ---- sending one request ---------------------------------------------- */

static GUri *
build_uri (const char *scheme,
           const char *host_port,
           const char *encoded_path,
           const char *query)
{
  g_autofree char *host = NULL;
  int port = -1;
  const char *colon;

  if (host_port[0] == '[')
    {
      const char *end = strchr (host_port, ']');

      host = g_strndup (host_port + 1, end - host_port - 1);
      if (end[1] == ':')
        port = atoi (end + 2);
    }
  else if ((colon = strrchr (host_port, ':')) != NULL)
    {
      host = g_strndup (host_port, colon - host_port);
      port = atoi (colon + 1);
    }
  else
    host = g_strdup (host_port);

  return g_uri_build (SOUP_HTTP_URI_FLAGS, scheme, NULL, host, port, encoded_path,
                      query != NULL && *query != '\0' ? query : NULL, NULL);
}

static char *
sha256_hex (GBytes *body)
{
  if (body == NULL || g_bytes_get_size (body) == 0)
    return g_strdup (GK_SIGV4_EMPTY_SHA256);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
}

static gboolean
body_is_error (GBytes *body)
{
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  gsize i = 0;

  if (data == NULL)
    return FALSE;
  /* Skip whitespace and an XML declaration, then look at the root name. */
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i + 5 < len && strncmp (data + i, "<?xml", 5) == 0)
    {
      const char *end = g_strstr_len (data + i, len - i, "?>");

      if (end == NULL)
        return FALSE;
      i = end - data + 2;
      while (i < len && g_ascii_isspace (data[i]))
        i++;
    }
  return len - i >= 7 && strncmp (data + i, "<Error>", 7) == 0;
}

static void
on_response_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkS3Client *self = g_task_get_source_object (task);
  GkS3Request *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL, *message = NULL, *body_region = NULL;
  const char *header_region;
  guint status;

  r->response = gk_http_send_and_read_finish (result, &error);
  if (r->response == NULL)
    {
      if (g_error_matches (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                               _("S3 sent an answer too large to be S3's. Check the endpoint (endpoint_url)."));
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not reach S3 (%s): "),
                        self->endpoint != NULL ? self->endpoint : "amazonaws.com");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (r->msg);
  if (status >= 200 && status < 300 && !body_is_error (r->response))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  gk_s3_parse_error (r->response, &code, &message, &body_region);
  header_region = soup_message_headers_get_one (soup_message_get_response_headers (r->msg),
                                                "x-amz-bucket-region");

  /* The wrong region: S3 names the right one in a header or the body. */
  if (!r->retried && r->bucket != NULL
      && (status == 301 || status == 307 || status == 400
          || g_strcmp0 (code, "PermanentRedirect") == 0
          || g_strcmp0 (code, "AuthorizationHeaderMalformed") == 0))
    {
      const char *right = gk_s3_region_is_plausible (body_region) ? body_region
                        : gk_s3_region_is_plausible (header_region) ? header_region : NULL;

      if (right != NULL && g_strcmp0 (right, r->region) != 0)
        {
          gk_s3_client_set_bucket_region (self, r->bucket, right);
          g_free (r->region);
          r->region = g_strdup (right);
          r->retried = TRUE;
          g_clear_pointer (&r->response, g_bytes_unref);
          g_clear_object (&r->msg);
          do_send (g_steal_pointer (&task));
          return;
        }
    }

  g_task_return_error (task, gk_s3_error_new (status, code, message, r->action, r->bucket, r->key));
}

/* Builds and signs @method on @bucket/@key (with @query and a body of
 * @body_hash); what is signed is exactly what is sent: the same encoding of
 * the path and the canonical query string. */
static SoupMessage *
new_signed_message (GkS3Client         *self,
                    GkCredentials      *credentials,
                    const char         *region,
                    const char         *method,
                    const char         *bucket,
                    const char         *key,
                    const GkSigv4Pair  *query,
                    gsize               n_query,
                    const GkSigv4Pair  *headers,
                    gsize               n_headers,
                    const char         *payload_hash,
                    gint64              now,
                    GError            **error)
{
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL, *canonical_query = NULL;
  g_autoptr(GString) encoded_path = g_string_new (NULL);
  g_auto(GStrv) auth = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *request_headers;
  SoupMessage *msg;

  if (!gk_s3_build_target (self->endpoint, region, bucket, key, &scheme, &host, &path, error))
    return NULL;
  auth = gk_sigv4_signer_sign_headers (self->signer, credentials, region, "s3", method, host, path,
                                       query, n_query, headers, n_headers, payload_hash, now, NULL,
                                       error);
  if (auth == NULL)
    return NULL;

  gk_sigv4_uri_encode (encoded_path, path, -1, TRUE);
  canonical_query = gk_sigv4_canonical_query (query, n_query);
  uri = build_uri (scheme, host, encoded_path->str, canonical_query);
  msg = soup_message_new_from_uri (method, uri);
  /* A redirect would drop the signature; S3's 301 is handled by callers. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  request_headers = soup_message_get_request_headers (msg);
  for (guint i = 0; auth[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, auth[i], auth[i + 1]);
  return msg;
}

static void
do_send (GTask *task)
{
  GkS3Client *self = g_task_get_source_object (task);
  GkS3Request *r = g_task_get_task_data (task);
  g_autofree GkSigv4Pair *query = g_new0 (GkSigv4Pair, r->query->len / 2 + 1);
  GkSigv4Pair headers[1];
  gsize n_headers = 0;
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers;

  for (guint i = 0; i + 1 < r->query->len; i += 2)
    query[i / 2] = (GkSigv4Pair) { r->query->pdata[i], r->query->pdata[i + 1] };
  if (r->content_type != NULL)
    headers[n_headers++] = (GkSigv4Pair) { "content-type", r->content_type };

  payload = sha256_hex (r->body);
  r->msg = new_signed_message (self, r->credentials, r->region, r->method, r->bucket, r->key,
                               query, r->query->len / 2, headers, n_headers, payload,
                               g_get_real_time () / G_USEC_PER_SEC, &error);
  if (r->msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  request_headers = soup_message_get_request_headers (r->msg);
  if (r->body != NULL)
    soup_message_set_request_body_from_bytes (r->msg, r->content_type, r->body);
  else if (r->content_type != NULL)
    soup_message_headers_replace (request_headers, "Content-Type", r->content_type);

  gk_http_send_and_read_async (self->session, r->msg, GK_S3_MAX_ANSWER_SIZE, G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task), on_response_cb, task);
}

/**
 * gk_s3_client_new_object_message:
 * @method: `GET` or `HEAD`
 * @now: signing time (Unix seconds)
 *
 * A header-signed request for @bucket/@key in the bucket's known region
 * (gk_s3_client_peek_bucket_region(), else the default region), for
 * callers that stream the answer themselves (the gateway). Headers the
 * caller adds afterwards, such as `Range`, are not signed, which S3
 * allows. No network.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
SoupMessage *
gk_s3_client_new_object_message (GkS3Client     *self,
                                 GkCredentials  *credentials,
                                 const char     *method,
                                 const char     *bucket,
                                 const char     *key,
                                 gint64          now,
                                 GError        **error)
{
  const char *region;

  g_return_val_if_fail (GK_IS_S3_CLIENT (self), NULL);
  g_return_val_if_fail (credentials != NULL && bucket != NULL && key != NULL, NULL);

  region = gk_s3_client_peek_bucket_region (self, bucket);
  return new_signed_message (self, credentials, region != NULL ? region : self->region, method,
                             bucket, key, NULL, 0, NULL, 0, GK_SIGV4_UNSIGNED_PAYLOAD, now, error);
}

static void
on_region_for_request_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkS3Request *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  r->region = gk_s3_client_get_bucket_region_finish (GK_S3_CLIENT (object), result, &error);
  if (r->region == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  do_send (g_steal_pointer (&task));
}

static void
on_credentials_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  GkS3Client *self = g_task_get_source_object (task);
  GkS3Request *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *known;

  r->credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object),
                                                                result, &error);
  if (r->credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (r->region != NULL)
    {
      do_send (g_steal_pointer (&task));
      return;
    }
  known = r->bucket != NULL ? gk_s3_client_peek_bucket_region (self, r->bucket) : self->region;
  if (known != NULL || r->region_known)
    {
      r->region = g_strdup (known != NULL ? known : self->region);
      do_send (g_steal_pointer (&task));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  gk_s3_client_get_bucket_region_async (self, r->bucket, cancellable,
                                        on_region_for_request_cb, g_steal_pointer (&task));
}

void
gk_s3_client_send_request (GkS3Client          *self,
                           GkS3Request         *r,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, gk_s3_client_send_request);
  g_task_set_task_data (task, r, (GDestroyNotify) gk_s3_request_free);
  gk_credential_source_get_credentials_async (self->source, MIN_VALID_FOR_CALL, cancellable,
                                              on_credentials_cb, task);
}

GkS3Request *
gk_s3_client_send_finish (GAsyncResult  *result,
                          GError       **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

/* ---- region discovery ------------------------------------------------- */

static void
on_head_bucket_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkS3Client *self = g_task_get_source_object (task);
  const char *bucket = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "msg");
  const char *region;
  guint status;

  body = gk_http_send_and_read_finish (result, &error);
  if (body == NULL)
    {
      g_prefix_error (&error, _("Could not reach S3 to find the region of “%s”: "), bucket);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = soup_message_get_status (msg);
  region = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                         "x-amz-bucket-region");
  /* S3 names the region on 200, 301, 400 and 403 alike. */
  if (gk_s3_region_is_plausible (region))
    {
      gk_s3_client_set_bucket_region (self, bucket, region);
      g_task_return_pointer (task, g_strdup (region), g_free);
      return;
    }
  if (status == 404)
    {
      g_task_return_error (task, gk_s3_error_new (404, "NoSuchBucket", NULL,
                                                  GK_S3_ACTION_HEAD_BUCKET, bucket, NULL));
      return;
    }
  /* No answer to go on: use the default region and let a later region error
   * correct it. */
  g_task_return_pointer (task, g_strdup (self->region), g_free);
}

static void
on_region_credentials_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  GkS3Client *self = g_task_get_source_object (task);
  const char *bucket = g_task_get_task_data (task);
  g_autoptr(GkCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = NULL;

  /* Only buckets on AWS get here (a custom endpoint's region is the
   * default region), so the request goes to AWS in the default region. */
  credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object), result,
                                                             &error);
  if (credentials == NULL
      || (msg = new_signed_message (self, credentials, self->region, "HEAD", bucket, NULL, NULL, 0,
                                    NULL, 0, GK_SIGV4_EMPTY_SHA256,
                                    g_get_real_time () / G_USEC_PER_SEC, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "msg", msg, g_object_unref);
  cancellable = g_task_get_cancellable (task);
  gk_http_send_and_read_async (self->session, msg, GK_S3_MAX_ANSWER_SIZE, G_PRIORITY_DEFAULT,
                               cancellable, on_head_bucket_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_get_bucket_region_async:
 *
 * Finds the region of @bucket: cached, the default region with a custom
 * endpoint, or HeadBucket's `x-amz-bucket-region` on AWS.
 */
void
gk_s3_client_get_bucket_region_async (GkS3Client          *self,
                                      const char          *bucket,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const char *known;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_get_bucket_region_async);
  g_task_set_task_data (task, g_strdup (bucket), g_free);

  if (!gk_s3_bucket_name_is_valid (bucket, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  known = gk_s3_client_peek_bucket_region (self, bucket);
  if (known != NULL)
    {
      g_task_return_pointer (task, g_strdup (known), g_free);
      return;
    }
  gk_credential_source_get_credentials_async (self->source, MIN_VALID_FOR_CALL, cancellable,
                                              on_region_credentials_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_get_bucket_region_finish:
 *
 * Returns: (transfer full): the region
 */
char *
gk_s3_client_get_bucket_region_finish (GkS3Client    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ---------------------------------------------------------- */

static void
gk_s3_client_dispose (GObject *object)
{
  GkS3Client *self = GK_S3_CLIENT (object);

  g_clear_object (&self->source);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gk_s3_client_parent_class)->dispose (object);
}

static void
gk_s3_client_finalize (GObject *object)
{
  GkS3Client *self = GK_S3_CLIENT (object);

  g_free (self->region);
  g_free (self->endpoint);
  g_strfreev (self->buckets);
  g_clear_pointer (&self->signer, gk_sigv4_signer_free);
  g_clear_pointer (&self->regions, g_hash_table_unref);
  g_free (self->p_bucket);
  g_free (self->p_region);
  g_free (self->p_scheme);
  g_free (self->p_host);
  g_string_free (self->p_path, TRUE);

  G_OBJECT_CLASS (gk_s3_client_parent_class)->finalize (object);
}

static void
gk_s3_client_class_init (GkS3ClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_s3_client_dispose;
  object_class->finalize = gk_s3_client_finalize;
}

static void
gk_s3_client_init (GkS3Client *self)
{
  /* libsoup allows 2 connections per host by default, which would queue
   * a cohort's parallel lookups (GK_PARALLEL_DEFAULT_IN_FLIGHT) behind two
   * sockets: one host per bucket on AWS, one for a custom endpoint. */
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "timeout", 60,
                                                 "max-conns", GK_S3_MAX_CONNECTIONS * 2,
                                                 "max-conns-per-host", GK_S3_MAX_CONNECTIONS,
                                                 NULL);
  self->signer = gk_sigv4_signer_new ();
  self->regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->p_path = g_string_sized_new (1100);
}
