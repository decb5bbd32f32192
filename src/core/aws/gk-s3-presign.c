/* gk-s3-presign.c: GkS3Client's presigned GET links
 *
 * The fast path keeps the last bucket's scheme, host and path prefix, so a
 * cohort of thousands of keys in one bucket costs one signature each and no
 * other allocation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <string.h>

#include "gk-s3-private.h"

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
