/* fuzz-sigv4.c: SigV4 signing of arbitrary S3 keys, checked against a slow
 * reference written here from the AWS documentation
 *
 * Differential: the fast presigner (its cached keys and query kept in one
 * signer across inputs, as in `genokey presign -`) and the header signer
 * must give, byte for byte, the URL, Authorization header and stages that
 * the reference gives, computed with GLib's GHmac and GChecksum instead of
 * OpenSSL. Any difference is a crash.
 *
 * Input: a flags byte (session token, secret, region, host with a port,
 * method, path style), four bytes of time offset around 2023 (reaching
 * 1901 to 2106), three bytes of lifetime (valid or not), then the key as
 * raw bytes, NUL included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gk-sigv4.h"

#define ACCESS_KEY "AKIAIOSFODNN7EXAMPLE"
#define TOKEN      "FwoGZXIvYXdzEJr//+tok=="
#define SERVICE    "s3"

static const char * const secrets[] = {
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "s", "secret with spaces", "é/+=",
};
static const char * const regions[] = { "us-east-1", "eu-west-2", "ap-southeast-2", "local test/é" };

static GkSigv4Signer *signer;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  signer = gk_sigv4_signer_new ();
  return 0;
}

/* ---- the reference: slow, plain, from the documentation --------------- */

/* Every byte but A-Z a-z 0-9 - . _ ~ as %XX in upper case; '/' kept in a
 * path. */
static void
ref_encode (GString    *out,
            const char *data,
            gsize       len,
            gboolean    keep_slash)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) data[i];

      if (g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && keep_slash))
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
}

static char *
ref_encoded (const char *text)
{
  GString *out = g_string_new (NULL);

  ref_encode (out, text, strlen (text), FALSE);
  return g_string_free (out, FALSE);
}

static char *
ref_hex_sha256 (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
ref_hmac (const guint8 *key,
          gsize         key_len,
          const char   *data,
          guint8        out[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = 32;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, out, &len);
}

static char *
ref_signature (const char *secret,
               const char *date,
               const char *region,
               const char *string_to_sign)
{
  g_autofree char *k = g_strconcat ("AWS4", secret, NULL);
  guint8 k_date[32], k_region[32], k_service[32], k_signing[32], sig[32];
  GString *hex = g_string_new (NULL);

  ref_hmac ((const guint8 *) k, strlen (k), date, k_date);
  ref_hmac (k_date, 32, region, k_region);
  ref_hmac (k_region, 32, SERVICE, k_service);
  ref_hmac (k_service, 32, "aws4_request", k_signing);
  ref_hmac (k_signing, 32, string_to_sign, sig);
  for (guint i = 0; i < 32; i++)
    g_string_append_printf (hex, "%02x", sig[i]);
  return g_string_free (hex, FALSE);
}

typedef struct
{
  char *name;  /* encoded */
  char *value; /* encoded */
} RefPair;

static gint
ref_pair_compare (gconstpointer a,
                  gconstpointer b)
{
  const RefPair *pa = *(RefPair * const *) a, *pb = *(RefPair * const *) b;
  int r = strcmp (pa->name, pb->name);

  return r != 0 ? r : strcmp (pa->value, pb->value);
}

static void
ref_pair_free (RefPair *pair)
{
  g_free (pair->name);
  g_free (pair->value);
  g_free (pair);
}

/* name=value&… with both encoded, sorted by name, then value. */
static char *
ref_canonical_query (const char * const *names,
                     const char * const *values,
                     guint               n)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) ref_pair_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      RefPair *pair = g_new0 (RefPair, 1);

      pair->name = ref_encoded (names[i]);
      pair->value = ref_encoded (values[i]);
      g_ptr_array_add (pairs, pair);
    }
  g_ptr_array_sort (pairs, ref_pair_compare);
  for (guint i = 0; i < pairs->len; i++)
    {
      RefPair *pair = pairs->pdata[i];

      g_string_append_printf (out, "%s%s=%s", i > 0 ? "&" : "", pair->name, pair->value);
    }
  return g_string_free (out, FALSE);
}

static void
ref_dates (gint64 now,
           char  *long_date,
           char  *short_date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now);
  g_autofree char *text = g_date_time_format (dt, "%Y%m%dT%H%M%SZ");

  FUZZ_CHECK (text != NULL && strlen (text) == 16, "no reference date for %" G_GINT64_FORMAT, now);
  memcpy (long_date, text, 17);
  memcpy (short_date, text, 8);
  short_date[8] = '\0';
}

/* ---- the two signers against it -------------------------------------- */

typedef struct
{
  const char *secret;
  const char *region;
  const char *token;  /* nullable */
  const char *method;
  const char *host;
  gint64 now;
  guint expires;
} Request;

static void
check_presign (const Request *r,
               const char    *path,
               gsize          path_len)
{
  g_autoptr(GkCredentials) credentials = gk_credentials_new (ACCESS_KEY, r->secret, r->token, 0);
  g_auto(GkSigv4Stages) stages = { NULL, NULL };
  g_autoptr(GString) url = g_string_new ("prefix:");
  g_autoptr(GString) encoded_path = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = NULL, *expires = NULL, *query = NULL, *canonical = NULL;
  g_autofree char *hash = NULL, *sts = NULL, *signature = NULL, *expected = NULL;
  char long_date[17], short_date[9];
  const char *names[] = { "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                          "X-Amz-SignedHeaders", "X-Amz-Security-Token" };
  const char *values[6];
  gboolean ok;

  ok = gk_sigv4_signer_presign (signer, credentials, r->region, SERVICE, r->method, "https", r->host,
                                path, (gssize) path_len, r->now, r->expires, url, &stages, &error);
  if (r->expires < GK_SIGV4_MIN_EXPIRES || r->expires > GK_SIGV4_MAX_EXPIRES)
    {
      FUZZ_CHECK (!ok, "a link for %u seconds was signed", r->expires);
      FUZZ_CHECK (g_error_matches (error, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_EXPIRES),
                  "a lifetime of %u seconds refused with another error", r->expires);
      fuzz_check_error (error, GK_SIGV4_ERROR);
      FUZZ_CHECK (g_str_equal (url->str, "prefix:"), "a refused link was still written");
      return;
    }
  FUZZ_CHECK (ok, "presigning failed: %s", error->message);

  ref_dates (r->now, long_date, short_date);
  credential = g_strdup_printf (ACCESS_KEY "/%s/%s/" SERVICE "/aws4_request", short_date, r->region);
  expires = g_strdup_printf ("%u", r->expires);
  values[0] = "AWS4-HMAC-SHA256";
  values[1] = credential;
  values[2] = long_date;
  values[3] = expires;
  values[4] = "host";
  values[5] = r->token;
  query = ref_canonical_query (names, values, r->token != NULL ? 6 : 5);
  ref_encode (encoded_path, path, path_len, TRUE);
  canonical = g_strdup_printf ("%s\n%s\n%s\nhost:%s\n\nhost\nUNSIGNED-PAYLOAD", r->method,
                               encoded_path->str, query, r->host);
  hash = ref_hex_sha256 (canonical);
  sts = g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%s/%s/" SERVICE "/aws4_request\n%s", long_date,
                         short_date, r->region, hash);
  signature = ref_signature (r->secret, short_date, r->region, sts);
  expected = g_strdup_printf ("prefix:https://%s%s?%s&X-Amz-Signature=%s", r->host, encoded_path->str,
                              query, signature);

  FUZZ_CHECK (g_str_equal (stages.canonical_request, canonical),
              "presign canonical request differs:\n%s\n--- reference:\n%s", stages.canonical_request, canonical);
  FUZZ_CHECK (g_str_equal (stages.string_to_sign, sts),
              "presign string to sign differs:\n%s\n--- reference:\n%s", stages.string_to_sign, sts);
  FUZZ_CHECK (g_str_equal (url->str, expected), "presigned URL differs:\n%s\n--- reference:\n%s",
              url->str, expected);
}

static void
check_sign_headers (const Request *r,
                    const char    *path,
                    const char    *key)
{
  g_autoptr(GkCredentials) credentials = gk_credentials_new (ACCESS_KEY, r->secret, r->token, 0);
  g_auto(GkSigv4Stages) stages = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) added = NULL;
  g_autoptr(GString) encoded_path = g_string_new (NULL);
  g_autoptr(GString) headers = g_string_new (NULL);
  g_autofree char *query = NULL, *canonical = NULL, *hash = NULL, *sts = NULL, *signature = NULL;
  g_autofree char *authorization = NULL;
  const GkSigv4Pair params[] = { { "list-type", "2" }, { "prefix", key }, { "delimiter", "/" } };
  const GkSigv4Pair extra[] = { { "Range", "  bytes=0-0 " } };
  const char *names[] = { "list-type", "prefix", "delimiter" };
  const char *values[] = { "2", key, "/" };
  const char *signed_headers;
  char long_date[17], short_date[9];

  added = gk_sigv4_signer_sign_headers (signer, credentials, r->region, SERVICE, r->method, r->host, path,
                                        params, G_N_ELEMENTS (params), extra, G_N_ELEMENTS (extra),
                                        GK_SIGV4_EMPTY_SHA256, r->now, &stages, &error);
  FUZZ_CHECK (added != NULL, "header signing failed: %s", error->message);

  ref_dates (r->now, long_date, short_date);
  query = ref_canonical_query (names, values, G_N_ELEMENTS (names));
  ref_encode (encoded_path, path, strlen (path), TRUE);
  /* Header names in lower case, sorted; values trimmed. */
  g_string_append_printf (headers, "host:%s\nrange:bytes=0-0\nx-amz-content-sha256:%s\nx-amz-date:%s\n",
                          r->host, GK_SIGV4_EMPTY_SHA256, long_date);
  if (r->token != NULL)
    g_string_append_printf (headers, "x-amz-security-token:%s\n", r->token);
  signed_headers = r->token != NULL ? "host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token"
                                    : "host;range;x-amz-content-sha256;x-amz-date";
  canonical = g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s", r->method, encoded_path->str, query, headers->str,
                               signed_headers, GK_SIGV4_EMPTY_SHA256);
  hash = ref_hex_sha256 (canonical);
  sts = g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%s/%s/" SERVICE "/aws4_request\n%s", long_date,
                         short_date, r->region, hash);
  signature = ref_signature (r->secret, short_date, r->region, sts);
  authorization = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=" ACCESS_KEY "/%s/%s/" SERVICE
                                   "/aws4_request, SignedHeaders=%s, Signature=%s",
                                   short_date, r->region, signed_headers, signature);

  FUZZ_CHECK (g_str_equal (stages.canonical_request, canonical),
              "canonical request differs:\n%s\n--- reference:\n%s", stages.canonical_request, canonical);
  FUZZ_CHECK (g_str_equal (stages.string_to_sign, sts), "string to sign differs:\n%s\n--- reference:\n%s",
              stages.string_to_sign, sts);
  FUZZ_CHECK (g_strv_length (added) == (r->token != NULL ? 8u : 6u), "%u header strings",
              g_strv_length (added));
  FUZZ_CHECK (g_str_equal (added[0], "x-amz-date") && g_str_equal (added[1], long_date), "x-amz-date differs");
  FUZZ_CHECK (g_str_equal (added[g_strv_length (added) - 2], "Authorization")
              && g_str_equal (added[g_strv_length (added) - 1], authorization),
              "Authorization differs:\n%s\n--- reference:\n%s", added[g_strv_length (added) - 1], authorization);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Request r;
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;
  gsize key_len, path_len;
  gint32 offset;
  guint8 flags;

  if (size < 8)
    return 0;
  flags = data[0];
  offset = (gint32) ((guint32) data[1] | (guint32) data[2] << 8 | (guint32) data[3] << 16 | (guint32) data[4] << 24);
  r.secret = secrets[(flags >> 1) & 3];
  r.region = regions[(flags >> 3) & 3];
  r.token = (flags & 1) ? TOKEN : NULL;
  r.host = (flags & 0x20) ? "127.0.0.1:9000" : "demo-lab.s3.eu-west-2.amazonaws.com";
  r.method = (flags & 0x40) ? "PUT" : "GET";
  r.now = G_GINT64_CONSTANT (1700000000) + offset;
  r.expires = (guint) data[5] | (guint) data[6] << 8 | (guint) data[7] << 16;

  /* The key as bytes; path style puts the bucket first. */
  key_len = size - 8;
  key = fuzz_strndup (data + 8, key_len);
  path = (flags & 0x80) ? g_malloc (key_len + 11) : g_malloc (key_len + 2);
  if (flags & 0x80)
    {
      memcpy (path, "/demo-lab/", 10);
      memcpy (path + 10, key, key_len + 1);
      path_len = key_len + 10;
    }
  else
    {
      path[0] = '/';
      memcpy (path + 1, key, key_len + 1);
      path_len = key_len + 1;
    }

  check_presign (&r, path, path_len);
  /* Header signing takes text: the key up to a NUL. */
  check_sign_headers (&r, path, key);
  return 0;
}
