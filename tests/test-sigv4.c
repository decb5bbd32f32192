/* test-sigv4.c: SigV4 stage by stage, against the worked examples in the S3
 * API reference ("Authenticating Requests: Using Query Parameters" and
 * "Signature Calculations for the Authorization Header") and against itself
 * (the fast path must equal the plain stages for every input).
 *
 * The credentials here are AWS's published example keys, not secrets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-sigv4.h"

#define EXAMPLE_KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define EXAMPLE_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define EXAMPLE_TIME   G_GINT64_CONSTANT (1369353600) /* 20130524T000000Z */
#define TOKEN          "FwoGZXIvYXdzEJr//////////wEaDN+a/b=c+d=="

static char *
encode (const char *s,
        gboolean    keep_slash)
{
  GString *out = g_string_new (NULL);

  gk_sigv4_uri_encode (out, s, -1, keep_slash);
  return g_string_free (out, FALSE);
}

static char *
query_value (const char *url,
             const char *name)
{
  g_autofree char *needle = g_strconcat (name, "=", NULL);
  const char *q = strchr (url, '?');
  g_auto(GStrv) parts = NULL;

  g_assert_nonnull (q);
  parts = g_strsplit (q + 1, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], needle))
      return g_strdup (parts[i] + strlen (needle));
  return NULL;
}

static void
test_date_format (void)
{
  char long_date[17], short_date[9];

  gk_sigv4_format_date (EXAMPLE_TIME, long_date, short_date);
  g_assert_cmpstr (long_date, ==, "20130524T000000Z");
  g_assert_cmpstr (short_date, ==, "20130524");
  gk_sigv4_format_date (0, long_date, short_date);
  g_assert_cmpstr (long_date, ==, "19700101T000000Z");
  gk_sigv4_format_date (G_GINT64_CONSTANT (1709251199), long_date, short_date); /* leap day */
  g_assert_cmpstr (long_date, ==, "20240229T235959Z");
  gk_sigv4_format_date (G_GINT64_CONSTANT (951868800), long_date, short_date);
  g_assert_cmpstr (long_date, ==, "20000301T000000Z");
  gk_sigv4_format_date (G_GINT64_CONSTANT (4102444800), long_date, short_date);
  g_assert_cmpstr (long_date, ==, "21000101T000000Z");
}

static void
test_encode_rules (void)
{
  g_autofree char *unreserved = encode ("AZaz09-._~", FALSE);
  g_autofree char *specials = encode (" +=%?#&(),!*'$@:;", FALSE);
  g_autofree char *path = encode ("/a b//./../c+d", TRUE);
  g_autofree char *slash_in_query = encode ("a/b", FALSE);
  g_autofree char *unicode = encode ("é ü ሴ", TRUE);

  g_assert_cmpstr (unreserved, ==, "AZaz09-._~");
  g_assert_cmpstr (specials, ==, "%20%2B%3D%25%3F%23%26%28%29%2C%21%2A%27%24%40%3A%3B");
  g_assert_cmpstr (path, ==, "/a%20b//./../c%2Bd");
  g_assert_cmpstr (slash_in_query, ==, "a%2Fb");
  g_assert_cmpstr (unicode, ==, "%C3%A9%20%C3%BC%20%E1%88%B4");
}

static void
test_encode_control_bytes (void)
{
  const char raw[] = { 'a', '\n', '\t', 0x7f, (char) 0xff, 'b' };
  GString *out = g_string_new (NULL);

  gk_sigv4_uri_encode (out, raw, sizeof raw, TRUE);
  g_assert_cmpstr (out->str, ==, "a%0A%09%7F%FFb");
  g_string_free (out, TRUE);
}

static void
test_canonical_query_sorted (void)
{
  GkSigv4Pair params[] = {
    { "prefix", "a b/c" },
    { "list-type", "2" },
    { "delimiter", "/" },
    { "continuation-token", "1+2=" },
    { "encoding-type", "url" },
    { "a-b", "x" },
    { "a", "y" },
  };
  g_autofree char *q = gk_sigv4_canonical_query (params, G_N_ELEMENTS (params));

  /* Sorted by name (so "a" before "a-b"), not by the joined "name=value". */
  g_assert_cmpstr (q, ==, "a=y&a-b=x&continuation-token=1%2B2%3D&delimiter=%2F&encoding-type=url"
                          "&list-type=2&prefix=a%20b%2Fc");
}

static void
test_canonical_request_no_normalisation (void)
{
  GkSigv4Pair headers[] = { { "Host", "  b.s3.amazonaws.com " }, { "X-Custom", "a   b\t c" } };
  g_autofree char *signed_headers = NULL;
  g_autofree char *cr = gk_sigv4_canonical_request ("GET", "//a/./b/../c d", NULL, 0,
                                                    headers, G_N_ELEMENTS (headers),
                                                    GK_SIGV4_UNSIGNED_PAYLOAD, &signed_headers);

  g_assert_cmpstr (cr, ==,
                   "GET\n//a/./b/../c%20d\n\nhost:b.s3.amazonaws.com\nx-custom:a b c\n\n"
                   "host;x-custom\nUNSIGNED-PAYLOAD");
  g_assert_cmpstr (signed_headers, ==, "host;x-custom");
}

static void
test_signing_key_example (void)
{
  /* From "Examples of how to derive a signing key for Signature Version 4". */
  guint8 key[32];
  char hex[65];

  gk_sigv4_derive_signing_key ("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                               "us-east-1", "iam", key);
  for (guint i = 0; i < 32; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", key[i]);
  g_assert_cmpstr (hex, ==, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

static void
test_presign_example (void)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new (EXAMPLE_KEY_ID, EXAMPLE_SECRET, NULL, 0);
  g_auto(GkSigv4Stages) stages = { 0 };
  g_autoptr(GError) error = NULL;
  GString *url = g_string_new (NULL);

  g_assert_true (gk_sigv4_signer_presign (signer, creds, "us-east-1", "s3", "GET", "https",
                                          "examplebucket.s3.amazonaws.com", "/test.txt", -1,
                                          EXAMPLE_TIME, 86400, url, &stages, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (stages.canonical_request, ==,
                   "GET\n/test.txt\n"
                   "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                   "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n"
                   "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD");
  g_assert_cmpstr (stages.string_to_sign, ==,
                   "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                   "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
  g_assert_cmpstr (url->str, ==,
                   "https://examplebucket.s3.amazonaws.com/test.txt"
                   "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                   "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                   "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  g_string_free (url, TRUE);
}

static void
test_presign_token_signed (void)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new ("ASIAEXAMPLE", EXAMPLE_SECRET, TOKEN, 0);
  g_autoptr(GkCredentials) other = gk_credentials_new ("ASIAEXAMPLE", EXAMPLE_SECRET, TOKEN "x", 0);
  g_auto(GkSigv4Stages) stages = { 0 };
  GString *a = g_string_new (NULL), *b = g_string_new (NULL);
  g_autofree char *token = NULL, *sig_a = NULL, *sig_b = NULL;
  const char *last;

  g_assert_true (gk_sigv4_signer_presign (signer, creds, "eu-west-2", "s3", "GET", "https", "h",
                                          "/k", -1, EXAMPLE_TIME, 60, a, &stages, NULL));
  g_assert_true (gk_sigv4_signer_presign (signer, other, "eu-west-2", "s3", "GET", "https", "h",
                                          "/k", -1, EXAMPLE_TIME, 60, b, NULL, NULL));

  /* The token, with + / = encoded, is in the canonical query... */
  g_assert_nonnull (strstr (stages.canonical_request,
                            "&X-Amz-Security-Token=FwoGZXIvYXdzEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaDN%2Ba%2Fb%3Dc%2Bd%3D%3D&X-Amz-SignedHeaders=host\n"));
  token = query_value (a->str, "X-Amz-Security-Token");
  g_assert_cmpstr (token, ==, "FwoGZXIvYXdzEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaDN%2Ba%2Fb%3Dc%2Bd%3D%3D");
  /* ...so a different token gives a different signature. */
  sig_a = query_value (a->str, "X-Amz-Signature");
  sig_b = query_value (b->str, "X-Amz-Signature");
  g_assert_cmpuint (strlen (sig_a), ==, 64);
  g_assert_true (!g_str_equal (sig_a, sig_b));
  /* X-Amz-Signature is the last parameter. */
  last = strrchr (a->str, '&');
  g_assert_true (g_str_has_prefix (last, "&X-Amz-Signature="));
  g_string_free (a, TRUE);
  g_string_free (b, TRUE);
}

static void
test_presign_expires_bounds (void)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new (EXAMPLE_KEY_ID, EXAMPLE_SECRET, NULL, 0);
  guint bad[] = { 0, 604801, G_MAXUINT };
  guint good[] = { 1, 604800 };
  GString *url = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_string_truncate (url, 0);
      g_assert_false (gk_sigv4_signer_presign (signer, creds, "us-east-1", "s3", "GET", "https",
                                               "h", "/k", -1, EXAMPLE_TIME, bad[i], url, NULL,
                                               &error));
      g_assert_error (error, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_EXPIRES);
      g_assert_cmpuint (url->len, ==, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *expires = NULL;
      g_autofree char *want = g_strdup_printf ("%u", good[i]);

      g_string_truncate (url, 0);
      g_assert_true (gk_sigv4_signer_presign (signer, creds, "us-east-1", "s3", "GET", "https",
                                              "h", "/k", -1, EXAMPLE_TIME, good[i], url, NULL,
                                              NULL));
      expires = query_value (url->str, "X-Amz-Expires");
      g_assert_cmpstr (expires, ==, want);
    }
  g_string_free (url, TRUE);
}

static void
test_presign_bad_input (void)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new (EXAMPLE_KEY_ID, EXAMPLE_SECRET, NULL, 0);
  g_autoptr(GError) e1 = NULL, e2 = NULL;
  GString *url = g_string_new (NULL);

  g_assert_false (gk_sigv4_signer_presign (signer, creds, "", "s3", "GET", "https", "h", "/k", -1,
                                           EXAMPLE_TIME, 60, url, NULL, &e1));
  g_assert_error (e1, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_INPUT);
  g_assert_false (gk_sigv4_signer_presign (signer, creds, "us-east-1", "s3", "GET", "https", "h",
                                           "k", -1, EXAMPLE_TIME, 60, url, NULL, &e2));
  g_assert_error (e2, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_INPUT);
  g_string_free (url, TRUE);
}

/* The fast path (cached query, cached key, hashing in pieces) must agree
 * with the plain stage functions for every key, region and second. */
static void
test_presign_fast_equals_stages (void)
{
  const char *keys[] = { "/a b", "//x/./y/../z", "/é+ü=ሴ%?#&~(", "/", "/k" };
  const char *regions[] = { "us-east-1", "eu-west-2", "ap-southeast-2", "us-west-1", "eu-central-1",
                            "sa-east-1", "ca-central-1", "af-south-1", "me-south-1", "il-central-1" };
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new ("ASIAEXAMPLE", EXAMPLE_SECRET, TOKEN, 0);

  for (guint round = 0; round < 2; round++)
    for (guint r = 0; r < G_N_ELEMENTS (regions); r++)
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          gint64 now = EXAMPLE_TIME + 86399 * round + k;
          char long_date[17], short_date[9], expires[16], sig[65];
          g_autofree char *credential = NULL, *scope = NULL, *cr = NULL, *sts = NULL;
          g_autofree char *got_sig = NULL;
          guint8 key[32];
          GString *url = g_string_new (NULL);

          gk_sigv4_format_date (now, long_date, short_date);
          scope = gk_sigv4_scope (short_date, regions[r], "s3");
          credential = g_strconcat ("ASIAEXAMPLE/", scope, NULL);
          g_snprintf (expires, sizeof expires, "%u", 100 + k);
          {
            GkSigv4Pair query[] = {
              { "X-Amz-Algorithm", GK_SIGV4_ALGORITHM },
              { "X-Amz-Credential", credential },
              { "X-Amz-Date", long_date },
              { "X-Amz-Expires", expires },
              { "X-Amz-Security-Token", TOKEN },
              { "X-Amz-SignedHeaders", "host" },
            };
            GkSigv4Pair headers[] = { { "host", "bucket.example:9000" } };

            cr = gk_sigv4_canonical_request ("GET", keys[k], query, G_N_ELEMENTS (query), headers, 1,
                                             GK_SIGV4_UNSIGNED_PAYLOAD, NULL);
          }
          sts = gk_sigv4_string_to_sign (long_date, scope, cr);
          gk_sigv4_derive_signing_key (EXAMPLE_SECRET, short_date, regions[r], "s3", key);
          gk_sigv4_signature (key, sts, sig);

          g_assert_true (gk_sigv4_signer_presign (signer, creds, regions[r], "s3", "GET", "http",
                                                  "bucket.example:9000", keys[k], -1, now,
                                                  100 + k, url, NULL, NULL));
          got_sig = query_value (url->str, "X-Amz-Signature");
          g_assert_cmpstr (got_sig, ==, sig);
          g_string_free (url, TRUE);
        }
}

static void
test_headers_get_object_example (void)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new (EXAMPLE_KEY_ID, EXAMPLE_SECRET, NULL, 0);
  g_auto(GkSigv4Stages) stages = { 0 };
  GkSigv4Pair headers[] = { { "Range", "bytes=0-9" } };
  g_auto(GStrv) out = gk_sigv4_signer_sign_headers (signer, creds, "us-east-1", "s3", "GET",
                                                    "examplebucket.s3.amazonaws.com", "/test.txt",
                                                    NULL, 0, headers, 1, GK_SIGV4_EMPTY_SHA256,
                                                    EXAMPLE_TIME, &stages, NULL);

  g_assert_nonnull (out);
  g_assert_cmpstr (stages.canonical_request, ==,
                   "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                   "x-amz-content-sha256:" GK_SIGV4_EMPTY_SHA256 "\nx-amz-date:20130524T000000Z\n\n"
                   "host;range;x-amz-content-sha256;x-amz-date\n" GK_SIGV4_EMPTY_SHA256);
  g_assert_cmpstr (stages.string_to_sign, ==,
                   "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                   "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  g_assert_cmpuint (g_strv_length (out), ==, 6);
  g_assert_cmpstr (out[0], ==, "x-amz-date");
  g_assert_cmpstr (out[1], ==, "20130524T000000Z");
  g_assert_cmpstr (out[2], ==, "x-amz-content-sha256");
  g_assert_cmpstr (out[4], ==, "Authorization");
  g_assert_cmpstr (out[5], ==,
                   "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                   "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                   "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

static void
test_headers_list_objects_example (void)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new (EXAMPLE_KEY_ID, EXAMPLE_SECRET, NULL, 0);
  GkSigv4Pair query[] = { { "prefix", "J" }, { "max-keys", "2" } };
  g_auto(GStrv) out = gk_sigv4_signer_sign_headers (signer, creds, "us-east-1", "s3", "GET",
                                                    "examplebucket.s3.amazonaws.com", "/",
                                                    query, 2, NULL, 0, GK_SIGV4_EMPTY_SHA256,
                                                    EXAMPLE_TIME, NULL, NULL);

  g_assert_nonnull (out);
  g_assert_true (g_str_has_suffix (out[5],
                                   "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
}

static void
test_headers_token_signed (void)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = gk_credentials_new ("ASIAEXAMPLE", EXAMPLE_SECRET, TOKEN, 0);
  g_auto(GkSigv4Stages) stages = { 0 };
  g_auto(GStrv) out = gk_sigv4_signer_sign_headers (signer, creds, "eu-west-2", "s3", "PUT",
                                                    "b.s3.eu-west-2.amazonaws.com", "/k",
                                                    NULL, 0, NULL, 0, GK_SIGV4_UNSIGNED_PAYLOAD,
                                                    EXAMPLE_TIME, &stages, NULL);

  g_assert_cmpuint (g_strv_length (out), ==, 8);
  g_assert_cmpstr (out[4], ==, "x-amz-security-token");
  g_assert_cmpstr (out[5], ==, TOKEN);
  g_assert_nonnull (strstr (stages.canonical_request, "\nx-amz-security-token:" TOKEN "\n"));
  g_assert_nonnull (strstr (out[7], "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sigv4/date/format", test_date_format);
  g_test_add_func ("/sigv4/encode/s3-rules", test_encode_rules);
  g_test_add_func ("/sigv4/encode/control-bytes", test_encode_control_bytes);
  g_test_add_func ("/sigv4/canonical-query/sorted-by-name", test_canonical_query_sorted);
  g_test_add_func ("/sigv4/canonical-request/no-path-normalisation", test_canonical_request_no_normalisation);
  g_test_add_func ("/sigv4/signing-key/aws-example", test_signing_key_example);
  g_test_add_func ("/sigv4/presign/aws-example", test_presign_example);
  g_test_add_func ("/sigv4/presign/session-token-is-signed", test_presign_token_signed);
  g_test_add_func ("/sigv4/presign/expires-bounds", test_presign_expires_bounds);
  g_test_add_func ("/sigv4/presign/bad-input", test_presign_bad_input);
  g_test_add_func ("/sigv4/presign/fast-path-equals-stages", test_presign_fast_equals_stages);
  g_test_add_func ("/sigv4/headers/aws-get-object-example", test_headers_get_object_example);
  g_test_add_func ("/sigv4/headers/aws-list-objects-example", test_headers_list_objects_example);
  g_test_add_func ("/sigv4/headers/session-token-is-signed", test_headers_token_signed);

  return g_test_run ();
}
