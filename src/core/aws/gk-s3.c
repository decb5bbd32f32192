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
#include <openssl/crypto.h>
#include <string.h>

#include "gk-http.h"
#include "gk-s3.h"
#include "gk-sigv4.h"

#define MIN_VALID_FOR_CALL 60     /* seconds the credentials must outlive one call */
#define MAX_PAGES          100000 /* 100 million keys: beyond that, something loops */

struct _GkS3Client
{
  GObject parent_instance;

  GkCredentialSource *source;
  char *region;
  char *endpoint;
  GStrv buckets;
  SoupSession *session;
  GkSigv4Signer *signer;
  GHashTable *regions; /* bucket → region */

  /* gk_s3_client_presign()'s target, kept while the bucket stays the same. */
  char *p_bucket;
  char *p_region;
  char *p_scheme;
  char *p_host;
  GString *p_path;
  gsize p_prefix_len;
};

G_DEFINE_FINAL_TYPE (GkS3Client, gk_s3_client, G_TYPE_OBJECT)

typedef struct
{
  char *method;
  char *bucket;
  char *key;
  GPtrArray *query; /* alternating name, value (owned) */
  GBytes *body;
  char *content_type;
  GkS3Action action;
  gboolean region_known;  /* the region was given, do not discover */
  gboolean retried;
  GkCredentials *credentials;
  char *region;
  SoupMessage *msg;
  GBytes *response;
} Request;

static void
request_free (Request *r)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (const char *method,
             const char *bucket,
             const char *key,
             GkS3Action  action)
{
  Request *r = g_new0 (Request, 1);

  r->method = g_strdup (method);
  r->bucket = g_strdup (bucket);
  r->key = g_strdup (key);
  r->query = g_ptr_array_new_with_free_func (g_free);
  r->action = action;
  return r;
}

static void
request_add_query (Request    *r,
                   const char *name,
                   const char *value)
{
  g_ptr_array_add (r->query, g_strdup (name));
  g_ptr_array_add (r->query, g_strdup (value != NULL ? value : ""));
}

static void send_request (GkS3Client *self, Request *r, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data);
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

static void
split_entry (const char  *entry,
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

      split_entry (self->buckets[i], &b, &p);
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

/**
 * gk_s3_region_is_plausible:
 *
 * Whether @region looks like a region name as S3 writes it (letters,
 * digits and hyphens), before it goes into a host name or a signature.
 */
gboolean
gk_s3_region_is_plausible (const char *region)
{
  if (region == NULL || *region == '\0' || strlen (region) > 32)
    return FALSE;
  for (const char *p = region; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

/* ---- presigning ------------------------------------------------------- */

/**
 * gk_s3_client_presign:
 * @credentials: credentials valid for at least @expires seconds
 * @now: signing time (Unix seconds)
 * @out: the link is appended here
 *
 * Signs a GET link for @bucket/@key in the bucket's known region (see
 * gk_s3_client_get_bucket_region_async()). No network; no allocation beyond
 * the link once the region is cached.
 */
gboolean
gk_s3_client_presign (GkS3Client     *self,
                      GkCredentials  *credentials,
                      const char     *bucket,
                      const char     *key,
                      gint64          now,
                      guint           expires,
                      GString        *out,
                      GError        **error)
{
  const char *region = gk_s3_client_peek_bucket_region (self, bucket);

  if (region == NULL)
    region = self->region;

  /* Where links for this bucket go, worked out once per bucket and region
   * rather than per link: cohorts are thousands of keys in one bucket. */
  if (g_strcmp0 (self->p_bucket, bucket) != 0 || g_strcmp0 (self->p_region, region) != 0)
    {
      g_autofree char *scheme = NULL, *host = NULL, *path = NULL;

      if (!gk_s3_build_target (self->endpoint, region, bucket, "", &scheme, &host, &path, error))
        return FALSE;
      g_free (self->p_bucket);
      self->p_bucket = g_strdup (bucket);
      g_free (self->p_region);
      self->p_region = g_strdup (region);
      g_free (self->p_scheme);
      self->p_scheme = g_steal_pointer (&scheme);
      g_free (self->p_host);
      self->p_host = g_steal_pointer (&host);
      g_string_assign (self->p_path, path);
      self->p_prefix_len = self->p_path->len;
    }
  g_string_truncate (self->p_path, self->p_prefix_len);
  g_string_append (self->p_path, key);

  return gk_sigv4_signer_presign (self->signer, credentials, region, "s3", "GET", self->p_scheme,
                                  self->p_host, self->p_path->str, self->p_path->len, now, expires,
                                  out, NULL, error);
}

/**
 * gk_s3_client_presign_ending_in_name:
 * @file_name: a name whose extension the link's text must end in, e.g.
 *   "drivers.json"; plain characters only
 *
 * Like gk_s3_client_presign(), with a signed `response-content-disposition`
 * naming @file_name placed last in the link. Some web apps read a file's
 * format from the text after the link's last dot (Chromoscope reads a
 * drivers file as JSON only when `url.split('.').pop()` is "json"), which
 * a presigned link, ending in its signature, never satisfies. SigV4 signs
 * the sorted query, so the parameter may stand after the signature.
 * This is the slow path: one link at a time.
 */
gboolean
gk_s3_client_presign_ending_in_name (GkS3Client     *self,
                                     GkCredentials  *credentials,
                                     const char     *bucket,
                                     const char     *key,
                                     const char     *file_name,
                                     gint64          now,
                                     guint           expires,
                                     GString        *out,
                                     GError        **error)
{
  const char *region = gk_s3_client_peek_bucket_region (self, bucket);
  const char *token = gk_credentials_get_session_token (credentials);
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL, *raw_path = NULL;
  g_autofree char *scope = NULL, *credential = NULL, *expires_text = NULL, *disposition = NULL;
  g_autofree char *canonical = NULL, *sts = NULL, *query = NULL;
  char long_date[17], short_date[9], signature[65];
  guint8 signing_key[32];
  GkSigv4Pair params[7];
  GkSigv4Pair host_header;
  gsize n = 0;

  g_return_val_if_fail (file_name != NULL && strpbrk (file_name, "\"\\\r\n") == NULL, FALSE);

  if (region == NULL)
    region = self->region;
  if (!gk_s3_build_target (self->endpoint, region, bucket, "", &scheme, &host, &path, error))
    return FALSE;
  if (expires < GK_SIGV4_MIN_EXPIRES || expires > GK_SIGV4_MAX_EXPIRES)
    {
      g_set_error (error, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_EXPIRES,
                   _("A link must live between 1 second and 7 days (604800 seconds), not %u seconds."),
                   expires);
      return FALSE;
    }
  raw_path = g_strconcat (path, key, NULL);
  gk_sigv4_format_date (now, long_date, short_date);
  scope = gk_sigv4_scope (short_date, region, "s3");
  credential = g_strdup_printf ("%s/%s", gk_credentials_get_access_key_id (credentials), scope);
  expires_text = g_strdup_printf ("%u", expires);
  disposition = g_strdup_printf ("inline; filename=%s", file_name);

  params[n++] = (GkSigv4Pair) { "X-Amz-Algorithm", GK_SIGV4_ALGORITHM };
  params[n++] = (GkSigv4Pair) { "X-Amz-Credential", credential };
  params[n++] = (GkSigv4Pair) { "X-Amz-Date", long_date };
  params[n++] = (GkSigv4Pair) { "X-Amz-Expires", expires_text };
  if (token != NULL)
    params[n++] = (GkSigv4Pair) { "X-Amz-Security-Token", token };
  params[n++] = (GkSigv4Pair) { "X-Amz-SignedHeaders", "host" };
  host_header = (GkSigv4Pair) { "host", host };

  /* Signed with the disposition; written without it, which goes last. */
  params[n] = (GkSigv4Pair) { "response-content-disposition", disposition };
  canonical = gk_sigv4_canonical_request ("GET", raw_path, params, n + 1, &host_header, 1,
                                          GK_SIGV4_UNSIGNED_PAYLOAD, NULL);
  sts = gk_sigv4_string_to_sign (long_date, scope, canonical);
  gk_sigv4_derive_signing_key (gk_credentials_get_secret_access_key (credentials), short_date,
                               region, "s3", signing_key);
  gk_sigv4_signature (signing_key, sts, signature);
  OPENSSL_cleanse (signing_key, sizeof signing_key);

  query = gk_sigv4_canonical_query (params, n);
  g_string_append_printf (out, "%s://%s", scheme, host);
  gk_sigv4_uri_encode (out, raw_path, -1, TRUE);
  g_string_append_printf (out, "?%s&X-Amz-Signature=%s&response-content-disposition=", query, signature);
  gk_sigv4_uri_encode (out, disposition, -1, FALSE);
  return TRUE;
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
  Request *r = g_task_get_task_data (task);
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
  Request *r = g_task_get_task_data (task);
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
  Request *r = g_task_get_task_data (task);
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
  Request *r = g_task_get_task_data (task);
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

/* Takes ownership of @r; the result is a boolean task whose data is @r. */
static void
send_request (GkS3Client          *self,
              Request             *r,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, send_request);
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);
  gk_credential_source_get_credentials_async (self->source, MIN_VALID_FOR_CALL, cancellable,
                                              on_credentials_cb, task);
}

static Request *
send_finish (GAsyncResult  *result,
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
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL;
  g_autoptr(GString) encoded = g_string_new (NULL);
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) auth = NULL;
  SoupMessage *msg;

  credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object), result,
                                                             &error);
  if (credentials == NULL
      || !gk_s3_build_target (NULL, self->region, bucket, NULL, &scheme, &host, &path, &error)
      || (auth = gk_sigv4_signer_sign_headers (self->signer, credentials, self->region, "s3",
                                               "HEAD", host, path, NULL, 0, NULL, 0,
                                               GK_SIGV4_EMPTY_SHA256,
                                               g_get_real_time () / G_USEC_PER_SEC, NULL,
                                               &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  gk_sigv4_uri_encode (encoded, path, -1, TRUE);
  uri = build_uri (scheme, host, encoded->str, NULL);
  msg = soup_message_new_from_uri ("HEAD", uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  for (guint i = 0; auth[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), auth[i], auth[i + 1]);
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

/* ---- ListBuckets ------------------------------------------------------ */

static void
on_list_buckets_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *r = send_finish (result, &error);
  GPtrArray *buckets;

  if (r == NULL || (buckets = gk_s3_parse_list_buckets (r->response, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, buckets, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * gk_s3_client_list_buckets_async:
 *
 * The profile's bucket list when it has one (no request), else ListBuckets.
 */
void
gk_s3_client_list_buckets_async (GkS3Client          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_list_buckets_async);

  if (self->buckets != NULL)
    {
      GPtrArray *buckets = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_bucket_free);

      for (guint i = 0; self->buckets[i] != NULL; i++)
        {
          GkS3Bucket *b = g_new0 (GkS3Bucket, 1);

          split_entry (self->buckets[i], &b->name, &b->prefix);
          g_ptr_array_add (buckets, b);
        }
      g_task_return_pointer (task, buckets, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  r = request_new ("GET", NULL, NULL, GK_S3_ACTION_LIST_BUCKETS);
  r->region = g_strdup (self->region);
  send_request (self, r, cancellable, on_list_buckets_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_list_buckets_finish:
 *
 * Returns: (transfer full) (element-type GkS3Bucket): the buckets
 */
GPtrArray *
gk_s3_client_list_buckets_finish (GkS3Client    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ListObjectsV2, one page ------------------------------------------ */

/* Listing above an allowed prefix (s3://lab/ when only lab/cohort1/ is
 * allowed) shows the allowed folders instead of a request S3 would refuse. */
static GkS3ListPage *
synthesize_allowed_page (GkS3Client *self,
                         const char *bucket,
                         const char *prefix,
                         const char *delimiter)
{
  GkS3ListPage *page = NULL;

  if (self->buckets == NULL)
    return NULL;
  for (guint i = 0; self->buckets[i] != NULL; i++)
    {
      g_autofree char *b = NULL, *p = NULL;
      const char *next;
      char *folder;

      split_entry (self->buckets[i], &b, &p);
      if (!g_str_equal (b, bucket) || p == NULL || !g_str_has_prefix (p, prefix)
          || g_str_equal (p, prefix))
        continue;
      if (page == NULL)
        {
          page = g_new0 (GkS3ListPage, 1);
          page->bucket = g_strdup (bucket);
          page->prefix = g_strdup (prefix);
          page->folders = g_ptr_array_new_with_free_func (g_free);
          page->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_object_free);
        }
      next = delimiter != NULL && *delimiter != '\0' ? strstr (p + strlen (prefix), delimiter) : NULL;
      folder = next != NULL ? g_strndup (p, next - p + strlen (delimiter)) : g_strdup (p);
      if (!g_ptr_array_find_with_equal_func (page->folders, folder, g_str_equal, NULL))
        g_ptr_array_add (page->folders, folder);
      else
        g_free (folder);
    }
  return page;
}

static void
on_list_page_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *r = send_finish (result, &error);
  GkS3ListPage *page;

  if (r == NULL || (page = gk_s3_parse_list_objects (r->response, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (page->truncated && page->next_token == NULL)
    {
      gk_s3_list_page_free (page);
      g_task_return_new_error (task, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                               _("S3 said the listing of s3://%s goes on but gave no "
                                 "continuation token. Check the endpoint (endpoint_url) is S3."),
                               r->bucket);
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) gk_s3_list_page_free);
}

/**
 * gk_s3_client_list_page_async:
 * @prefix: (nullable): only keys under it
 * @delimiter: (nullable): usually "/" (folders)
 * @continuation_token: (nullable): the previous page's `next_token`
 * @max_keys: at most this many entries (0: S3's default, 1000)
 *
 * One page of ListObjectsV2, for a view that loads as it scrolls.
 */
void
gk_s3_client_list_page_async (GkS3Client          *self,
                              const char          *bucket,
                              const char          *prefix,
                              const char          *delimiter,
                              const char          *continuation_token,
                              guint                max_keys,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  gk_s3_client_list_page_after_async (self, bucket, prefix, delimiter, NULL, continuation_token,
                                      max_keys, cancellable, callback, user_data);
}

/**
 * gk_s3_client_list_page_after_async:
 * @start_after: (nullable): list only keys after this one (S3's
 *   StartAfter), so several listings can read parts of one big prefix side
 *   by side; ignored by S3 once @continuation_token is given
 *
 * Like gk_s3_client_list_page_async(), from a key on; finish with
 * gk_s3_client_list_page_finish().
 */
void
gk_s3_client_list_page_after_async (GkS3Client          *self,
                                    const char          *bucket,
                                    const char          *prefix,
                                    const char          *delimiter,
                                    const char          *start_after,
                                    const char          *continuation_token,
                                    guint                max_keys,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GkS3ListPage *synthetic;
  Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_list_page_async);
  prefix = prefix != NULL ? prefix : "";
  if (start_after != NULL && !gk_s3_key_is_valid (start_after, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!gk_s3_key_is_valid (prefix, TRUE, &error)
      || !gk_s3_client_check_allowed (self, bucket, prefix, &error))
    {
      if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NOT_ALLOWED)
          && (synthetic = synthesize_allowed_page (self, bucket, prefix, delimiter)) != NULL)
        {
          g_task_return_pointer (task, synthetic, (GDestroyNotify) gk_s3_list_page_free);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  r = request_new ("GET", bucket, NULL, GK_S3_ACTION_LIST_OBJECTS);
  request_add_query (r, "list-type", "2");
  request_add_query (r, "encoding-type", "url");
  if (*prefix != '\0')
    request_add_query (r, "prefix", prefix);
  if (delimiter != NULL && *delimiter != '\0')
    request_add_query (r, "delimiter", delimiter);
  if (start_after != NULL && *start_after != '\0')
    request_add_query (r, "start-after", start_after);
  if (continuation_token != NULL)
    request_add_query (r, "continuation-token", continuation_token);
  if (max_keys > 0)
    {
      char buf[16];

      g_snprintf (buf, sizeof buf, "%u", max_keys);
      request_add_query (r, "max-keys", buf);
    }
  send_request (self, r, cancellable, on_list_page_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_list_page_finish:
 *
 * Returns: (transfer full): the page
 */
GkS3ListPage *
gk_s3_client_list_page_finish (GkS3Client    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ListObjectsV2, every page ---------------------------------------- */

typedef struct
{
  char *bucket;
  char *prefix;
  char *delimiter;
  GkS3ListPage *all;
  GHashTable *seen_tokens;
  guint pages;
  GkS3ListProgressFunc progress;
  gpointer progress_data;
} ListAll;

static void
list_all_free (ListAll *l)
{
  g_free (l->bucket);
  g_free (l->prefix);
  g_free (l->delimiter);
  gk_s3_list_page_free (l->all);
  g_hash_table_unref (l->seen_tokens);
  g_free (l);
}

static void
on_list_all_page_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  GkS3Client *self = GK_S3_CLIENT (object);
  ListAll *l = g_task_get_task_data (task);
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = gk_s3_client_list_page_finish (self, result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  l->pages++;
  g_ptr_array_extend_and_steal (l->all->folders, g_steal_pointer (&page->folders));
  g_ptr_array_extend_and_steal (l->all->objects, g_steal_pointer (&page->objects));
  if (l->progress != NULL)
    l->progress (l->all->folders->len + l->all->objects->len, l->progress_data);

  if (!page->truncated)
    {
      g_task_return_pointer (task, g_steal_pointer (&l->all), (GDestroyNotify) gk_s3_list_page_free);
      return;
    }
  /* A token seen before means the listing would go round for ever. */
  if (g_hash_table_contains (l->seen_tokens, page->next_token) || l->pages >= MAX_PAGES)
    {
      g_task_return_new_error (task, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                               _("The listing of s3://%s/%s repeated itself after %u pages "
                                 "(S3 sent a continuation token twice). Stopped to avoid an "
                                 "endless loop; check the endpoint (endpoint_url) is S3."),
                               l->bucket, l->prefix, l->pages);
      return;
    }
  g_hash_table_add (l->seen_tokens, g_strdup (page->next_token));
  cancellable = g_task_get_cancellable (task);
  gk_s3_client_list_page_async (self, l->bucket, l->prefix, l->delimiter, page->next_token, 0,
                                cancellable, on_list_all_page_cb,
                                g_steal_pointer (&task));
}

/**
 * gk_s3_client_list_objects_async:
 *
 * ListObjectsV2 followed to the last page; the result is one page holding
 * every folder and object.
 */
void
gk_s3_client_list_objects_async (GkS3Client          *self,
                                 const char          *bucket,
                                 const char          *prefix,
                                 const char          *delimiter,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  gk_s3_client_list_objects_with_progress_async (self, bucket, prefix, delimiter, NULL, NULL,
                                                 cancellable, callback, user_data);
}

/**
 * gk_s3_client_list_objects_with_progress_async:
 * @progress: (nullable): told after each page how many folders and objects
 *   have come so far (a 100,000-key folder is 100 pages)
 *
 * gk_s3_client_list_objects_async() that says how far it has got; finish
 * with gk_s3_client_list_objects_finish().
 */
void
gk_s3_client_list_objects_with_progress_async (GkS3Client           *self,
                                               const char           *bucket,
                                               const char           *prefix,
                                               const char           *delimiter,
                                               GkS3ListProgressFunc  progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data)
{
  GTask *task;
  ListAll *l;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_list_objects_async);
  l = g_new0 (ListAll, 1);
  l->bucket = g_strdup (bucket);
  l->prefix = g_strdup (prefix != NULL ? prefix : "");
  l->delimiter = g_strdup (delimiter);
  l->progress = progress;
  l->progress_data = progress_data;
  l->seen_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  l->all = g_new0 (GkS3ListPage, 1);
  l->all->bucket = g_strdup (bucket);
  l->all->prefix = g_strdup (l->prefix);
  l->all->folders = g_ptr_array_new_with_free_func (g_free);
  l->all->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_object_free);
  g_task_set_task_data (task, l, (GDestroyNotify) list_all_free);

  gk_s3_client_list_page_async (self, bucket, l->prefix, delimiter, NULL, 0, cancellable,
                                on_list_all_page_cb, task);
}

/**
 * gk_s3_client_list_objects_finish:
 *
 * Returns: (transfer full): every folder and object
 */
GkS3ListPage *
gk_s3_client_list_objects_finish (GkS3Client    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- HeadObject ------------------------------------------------------- */

static void
on_head_object_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *r = send_finish (result, &error);
  SoupMessageHeaders *h;
  GkS3Object *o;
  const char *modified;

  if (r == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  h = soup_message_get_response_headers (r->msg);
  o = g_new0 (GkS3Object, 1);
  o->key = g_strdup (r->key);
  o->size = soup_message_headers_get_content_length (h);
  o->etag = g_strdup (soup_message_headers_get_one (h, "ETag"));
  o->content_type = g_strdup (soup_message_headers_get_one (h, "Content-Type"));
  o->storage_class = g_strdup (soup_message_headers_get_one (h, "x-amz-storage-class"));
  modified = soup_message_headers_get_one (h, "Last-Modified");
  if (modified != NULL)
    {
      g_autoptr(GDateTime) dt = soup_date_time_new_from_http_string (modified);

      o->last_modified = dt != NULL ? g_date_time_to_unix (dt) : 0;
    }
  g_task_return_pointer (task, o, (GDestroyNotify) gk_s3_object_free);
}

void
gk_s3_client_head_object_async (GkS3Client          *self,
                                const char          *bucket,
                                const char          *key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_head_object_async);
  if (!gk_s3_key_is_valid (key, FALSE, &error) || !gk_s3_client_check_allowed (self, bucket, key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  send_request (self, request_new ("HEAD", bucket, key, GK_S3_ACTION_GET_OBJECT), cancellable,
                on_head_object_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_head_object_finish:
 *
 * Returns: (transfer full): size, date, ETag and type of the object; a
 *   missing object is %GK_S3_ERROR_NO_SUCH_KEY
 */
GkS3Object *
gk_s3_client_head_object_finish (GkS3Client    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- PutObject -------------------------------------------------------- */

static void
on_put_object_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (send_finish (result, &error) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
gk_s3_client_put_object_async (GkS3Client          *self,
                               const char          *bucket,
                               const char          *key,
                               GBytes              *body,
                               const char          *content_type,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));
  g_return_if_fail (body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_put_object_async);
  if (!gk_s3_key_is_valid (key, FALSE, &error) || !gk_s3_client_check_allowed (self, bucket, key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  r = request_new ("PUT", bucket, key, GK_S3_ACTION_PUT_OBJECT);
  r->body = g_bytes_ref (body);
  r->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");
  send_request (self, r, cancellable, on_put_object_cb, g_steal_pointer (&task));
}

gboolean
gk_s3_client_put_object_finish (GkS3Client    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- DeleteObject ----------------------------------------------------- */

/**
 * gk_s3_client_delete_object_async:
 *
 * Deletes @key; S3 answers the same whether or not it was there, so this
 * also makes sure a cancelled upload left nothing behind.
 */
void
gk_s3_client_delete_object_async (GkS3Client          *self,
                                  const char          *bucket,
                                  const char          *key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_delete_object_async);
  if (!gk_s3_key_is_valid (key, FALSE, &error) || !gk_s3_client_check_allowed (self, bucket, key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  send_request (self, request_new ("DELETE", bucket, key, GK_S3_ACTION_DELETE_OBJECT), cancellable,
                on_put_object_cb, g_steal_pointer (&task));
}

gboolean
gk_s3_client_delete_object_finish (GkS3Client    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GetBucketCors ---------------------------------------------------- */

static void
on_cors_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *r = send_finish (result, &error);
  GPtrArray *rules;

  if (r == NULL || (rules = gk_s3_parse_cors (r->response, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, rules, (GDestroyNotify) g_ptr_array_unref);
}

void
gk_s3_client_get_bucket_cors_async (GkS3Client          *self,
                                    const char          *bucket,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_get_bucket_cors_async);
  if (!gk_s3_bucket_name_is_valid (bucket, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  r = request_new ("GET", bucket, NULL, GK_S3_ACTION_GET_CORS);
  request_add_query (r, "cors", "");
  send_request (self, r, cancellable, on_cors_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_get_bucket_cors_finish:
 *
 * Returns: (transfer full) (element-type GkS3CorsRule): the rules; a bucket
 *   without any is %GK_S3_ERROR_NO_CORS
 */
GPtrArray *
gk_s3_client_get_bucket_cors_finish (GkS3Client    *self,
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
