/* test-jwt.c: ID tokens made here with keys made here, and every refusal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <string.h>

#include "gk-jwt.h"
#include "jwt-signer.h"

static void
assert_refused_token (const char *token,
                      const char *nonce,
                      gint64      now,
                      GkJwtError  expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = gk_jwt_verify_id_token (token, key1, ISSUER, CLIENT_ID, nonce, now, &error);

  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, (int) expected);
  /* the message never carries the token */
  if (*token != '\0')
    g_assert_null (strstr (error->message, token));
}

static void
assert_refused_claims (const Claims *c,
                       GkJwtError    expected)
{
  g_autofree char *token = token_for (key1, c);

  assert_refused_token (token, NONCE, NOW, expected);
}

static void
test_jwt_valid_token_claims (void)
{
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = gk_jwt_verify_id_token (token, key1, ISSUER, CLIENT_ID, NONCE, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (claims);
  g_assert_cmpstr (gk_jwt_claims_get_email (claims), ==, "alice@lab.example");
  g_assert_cmpstr (gk_jwt_claims_get_username (claims), ==, "alice");
  g_assert_cmpstr (gk_jwt_claims_get_subject (claims), ==, "0b1c2d3e-aaaa-bbbb-cccc-123456789abc");
  g_assert_cmpstr (gk_jwt_claims_get_issuer (claims), ==, ISSUER);
  g_assert_cmpint (gk_jwt_claims_get_expiration (claims), ==, NOW + 3600);
  g_assert_cmpint (gk_jwt_claims_get_issued_at (claims), ==, NOW - 10);
  /* When the user signed in with a password, which refreshes keep. */
  g_assert_cmpint (gk_jwt_claims_get_auth_time (claims), ==, NOW - 10);
  g_assert_true (json_object_get_boolean_member (gk_jwt_claims_get_json (claims), "email_verified"));
}

static void
test_jwt_refuse_bad_signature (void)
{
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);
  g_autofree char *forged = token_for (other, &c);
  g_autofree char *tampered = NULL;
  g_autofree char *swapped = NULL;
  char *dot;

  /* signed by a key that is not the one kid k1 names */
  assert_refused_token (forged, NONCE, NOW, GK_JWT_ERROR_BAD_SIGNATURE);

  /* one signature character changed */
  tampered = g_strdup (token);
  tampered[strlen (tampered) - 5] = tampered[strlen (tampered) - 5] == 'A' ? 'B' : 'A';
  assert_refused_token (tampered, NONCE, NOW, GK_JWT_ERROR_BAD_SIGNATURE);

  /* the payload changed (another user) under the original signature */
  {
    Claims mallory = c;
    g_autofree char *other_token = NULL;
    g_auto(GStrv) a = NULL;
    g_auto(GStrv) b = NULL;

    mallory.aud = CLIENT_ID;
    mallory.iat = NOW - 11;
    other_token = token_for (key1, &mallory);
    a = g_strsplit (token, ".", -1);
    b = g_strsplit (other_token, ".", -1);
    swapped = g_strjoin (".", a[0], b[1], a[2], NULL);
    assert_refused_token (swapped, NONCE, NOW, GK_JWT_ERROR_BAD_SIGNATURE);
  }

  /* no signature at all */
  dot = strrchr (token, '.');
  dot[1] = '\0';
  assert_refused_token (token, NONCE, NOW, GK_JWT_ERROR_BAD_SIGNATURE);
}

static void
test_jwt_refuse_alg_none (void)
{
  Claims c = good_claims ();
  g_autofree char *payload = payload_json (&c);
  g_autofree char *h = b64url_str ("{\"kid\":\"k1\",\"alg\":\"none\"}");
  g_autofree char *h2 = b64url_str ("{\"kid\":\"k1\",\"alg\":\"None\"}");
  g_autofree char *h3 = b64url_str ("{\"kid\":\"k1\"}");
  g_autofree char *p = b64url_str (payload);
  g_autofree char *unsigned_token = g_strconcat (h, ".", p, ".", NULL);
  g_autofree char *unsigned_token2 = g_strconcat (h2, ".", p, ".", NULL);
  g_autofree char *no_alg = g_strconcat (h3, ".", p, ".", NULL);
  g_autofree char *real = token_for (key1, &c);
  g_autofree char *with_sig = g_strconcat (h, ".", p, strrchr (real, '.'), NULL);

  assert_refused_token (unsigned_token, NONCE, NOW, GK_JWT_ERROR_UNSUPPORTED_ALGORITHM);
  assert_refused_token (unsigned_token2, NONCE, NOW, GK_JWT_ERROR_UNSUPPORTED_ALGORITHM);
  assert_refused_token (no_alg, NONCE, NOW, GK_JWT_ERROR_UNSUPPORTED_ALGORITHM);
  assert_refused_token (with_sig, NONCE, NOW, GK_JWT_ERROR_UNSUPPORTED_ALGORITHM);
}

static void
test_jwt_refuse_hs256_with_public_key (void)
{
  /* The key-confusion attack: HMAC with the published public key as the
   * secret, hoping the verifier hands its RSA key to HMAC. */
  Claims c = good_claims ();
  g_autofree char *payload = payload_json (&c);
  g_autofree char *h = b64url_str ("{\"kid\":\"k1\",\"alg\":\"HS256\",\"typ\":\"JWT\"}");
  g_autofree char *p = b64url_str (payload);
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autofree char *sig = NULL;
  g_autofree char *token = NULL;
  BIO *bio = BIO_new (BIO_s_mem ());
  char *pem;
  long pem_len;
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;

  g_assert_cmpint (PEM_write_bio_PUBKEY (bio, key1), ==, 1);
  pem_len = BIO_get_mem_data (bio, &pem);
  g_assert_nonnull (HMAC (EVP_sha256 (), pem, (int) pem_len, (const guint8 *) input, strlen (input), mac, &mac_len));
  BIO_free (bio);

  sig = b64url (mac, mac_len);
  token = g_strconcat (input, ".", sig, NULL);
  assert_refused_token (token, NONCE, NOW, GK_JWT_ERROR_UNSUPPORTED_ALGORITHM);
}

static void
test_jwt_refuse_wrong_issuer (void)
{
  Claims c = good_claims ();

  c.iss = ISSUER "/";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_ISSUER);
  c.iss = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_ISSUER);
  c.iss = "http://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_ISSUER);
}

static void
test_jwt_refuse_wrong_audience (void)
{
  Claims c = good_claims ();

  c.aud = "another-client";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_AUDIENCE);
  c.aud = CLIENT_ID "x";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_AUDIENCE);
}

/* OIDC Core 3.1.3.7: our client id, alone. A list naming others too (even
 * with azp naming us) is a token meant for them as well. */
static char *
token_with_audience (const char *audience_json)
{
  Claims c = good_claims ();
  g_autofree char *payload = payload_json (&c);
  g_autofree char *bare = g_strdup_printf ("\"aud\":\"%s\"", CLIENT_ID);
  g_auto(GStrv) parts = g_strsplit (payload, bare, 2);
  g_autofree char *replaced = g_strdup_printf ("%s\"aud\":%s%s", parts[0], audience_json, parts[1]);

  return make_token (key1, "{\"kid\":\"k1\",\"alg\":\"RS256\"}", replaced);
}

static void
test_jwt_audience_exactly_ours (void)
{
  const char *refused[] = {
    "[\"" CLIENT_ID "\",\"another-client\"],\"azp\":\"" CLIENT_ID "\"",
    "[\"another-client\",\"" CLIENT_ID "\"]",
    "[]", "[5]", "[[\"" CLIENT_ID "\"]]", "{\"" CLIENT_ID "\":1}", "null",
  };
  g_autofree char *listed = token_with_audience ("[\"" CLIENT_ID "\"]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = gk_jwt_verify_id_token (listed, key1, ISSUER, CLIENT_ID, NONCE, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (claims);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *token = token_with_audience (refused[i]);

      g_test_message ("aud %s", refused[i]);
      assert_refused_token (token, NONCE, NOW, GK_JWT_ERROR_WRONG_AUDIENCE);
    }
}

static void
test_jwt_refuse_access_token (void)
{
  Claims c = good_claims ();

  c.token_use = "access";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_TOKEN_USE);
}

static void
test_jwt_refuse_expired (void)
{
  Claims c = good_claims ();
  g_autofree char *token = NULL;
  g_autoptr(GkJwtClaims) claims = NULL;

  c.exp = NOW - GK_JWT_CLOCK_SKEW;
  assert_refused_claims (&c, GK_JWT_ERROR_EXPIRED);
  c.exp = NOW - 86400;
  c.iat = NOW - 90000;
  assert_refused_claims (&c, GK_JWT_ERROR_EXPIRED);

  /* within the skew is still fine: clocks differ a little */
  c.exp = NOW - GK_JWT_CLOCK_SKEW + 1;
  c.iat = NOW - 3600;
  token = token_for (key1, &c);
  claims = gk_jwt_verify_id_token (token, key1, ISSUER, CLIENT_ID, NONCE, NOW, NULL);
  g_assert_nonnull (claims);
}

static void
test_jwt_refuse_iat_in_future (void)
{
  Claims c = good_claims ();

  c.iat = NOW + GK_JWT_CLOCK_SKEW + 1;
  c.exp = NOW + 7200;
  assert_refused_claims (&c, GK_JWT_ERROR_NOT_YET_VALID);
}

static void
test_jwt_refuse_nonce (void)
{
  Claims c = good_claims ();
  g_autofree char *no_nonce = NULL;
  g_autoptr(GkJwtClaims) claims = NULL;

  c.nonce = "n-0S6_WzA2Mk";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_NONCE);
  c.nonce = NONCE "x";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_NONCE);
  c.nonce = NULL;
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_NONCE);

  /* after a refresh there is no nonce to check: NULL skips it */
  no_nonce = token_for (key1, &c);
  claims = gk_jwt_verify_id_token (no_nonce, key1, ISSUER, CLIENT_ID, NULL, NOW, NULL);
  g_assert_nonnull (claims);
}

static void
test_jwt_refuse_malformed (void)
{
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);
  g_autofree char *four = g_strconcat (token, ".", strrchr (token, '.') + 1, NULL);
  g_autofree char *two = g_strndup (token, strrchr (token, '.') - token);
  g_autofree char *bad_b64 = g_strdup (token);
  g_autofree char *padded = g_strconcat (token, "==", NULL);
  g_autofree char *std_alphabet = g_strdup (token);
  GString *huge = g_string_new (token);

  assert_refused_token (four, NONCE, NOW, GK_JWT_ERROR_MALFORMED);
  assert_refused_token (two, NONCE, NOW, GK_JWT_ERROR_MALFORMED);
  assert_refused_token ("", NONCE, NOW, GK_JWT_ERROR_MALFORMED);
  assert_refused_token ("..", NONCE, NOW, GK_JWT_ERROR_MALFORMED);

  bad_b64[3] = '*';
  assert_refused_token (bad_b64, NONCE, NOW, GK_JWT_ERROR_MALFORMED);
  assert_refused_token (padded, NONCE, NOW, GK_JWT_ERROR_BAD_SIGNATURE);
  std_alphabet[2] = '+';
  assert_refused_token (std_alphabet, NONCE, NOW, GK_JWT_ERROR_MALFORMED);

  /* 1 MB: refused on size before any decoding */
  while (huge->len < 1024 * 1024)
    g_string_append (huge, "AAAAAAAAAAAAAAAA");
  assert_refused_token (huge->str, NONCE, NOW, GK_JWT_ERROR_TOO_LARGE);
  g_string_free (huge, TRUE);

  /* header that is valid base64url but not JSON */
  {
    g_autofree char *h = b64url_str ("not json");
    g_autofree char *t = g_strconcat (h, strchr (token, '.'), NULL);

    assert_refused_token (t, NONCE, NOW, GK_JWT_ERROR_MALFORMED);
  }
}

static void
test_jwt_base64url_strict (void)
{
  g_autoptr(GBytes) ok = gk_jwt_base64url_decode ("Zm9vYmFy", -1, NULL);
  g_autoptr(GBytes) ok2 = gk_jwt_base64url_decode ("-_8", -1, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (ok);
  g_assert_cmpmem (g_bytes_get_data (ok, NULL), g_bytes_get_size (ok), "foobar", 6);
  g_assert_cmpmem (g_bytes_get_data (ok2, NULL), g_bytes_get_size (ok2), "\xfb\xff", 2);
  g_assert_null (gk_jwt_base64url_decode ("Zm9vYmFy=", -1, &error));
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_MALFORMED);
  g_assert_null (gk_jwt_base64url_decode ("Zm9v YmFy", -1, NULL));
  g_assert_null (gk_jwt_base64url_decode ("Z", -1, NULL));
  /* non-zero leftover bits: "Zh" would decode like "Zg" */
  g_assert_null (gk_jwt_base64url_decode ("Zh", -1, NULL));
}

/* Found by fuzzing: json-glib 1.6 takes the C escape "\234" inside a JSON
 * string, so a signed token could carry claims that are not UTF-8 (an
 * email the window then cannot show). Such a payload is not JSON. */
static void
test_jwt_refuse_non_json_escape (void)
{
  g_autofree char *payload = g_strdup_printf ("{\"sub\":\"x\",\"iss\":\"%s\",\"aud\":\"%s\",\"token_use\":\"id\","
                                              "\"exp\":%" G_GINT64_FORMAT ",\"iat\":%" G_GINT64_FORMAT ","
                                              "\"nonce\":\"%s\",\"email\":\"a\\234@lab.example\"}",
                                              ISSUER, CLIENT_ID, NOW + 3600, NOW - 10, NONCE);
  g_autofree char *token = make_token (key1, "{\"kid\":\"k1\",\"alg\":\"RS256\"}", payload);

  assert_refused_token (token, NONCE, NOW, GK_JWT_ERROR_MALFORMED);
}

/* Found by fuzzing: "\ud9ce" without the second half of its pair became
 * bytes that are not UTF-8 in the email claim. */
static void
test_jwt_refuse_half_surrogate (void)
{
  g_autofree char *payload = g_strdup_printf ("{\"sub\":\"x\",\"iss\":\"%s\",\"aud\":\"%s\",\"token_use\":\"id\","
                                              "\"exp\":%" G_GINT64_FORMAT ",\"iat\":%" G_GINT64_FORMAT ","
                                              "\"nonce\":\"%s\",\"email\":\"a\\ud9ce\\n@lab.example\"}",
                                              ISSUER, CLIENT_ID, NOW + 3600, NOW - 10, NONCE);
  g_autofree char *token = make_token (key1, "{\"kid\":\"k1\",\"alg\":\"RS256\"}", payload);

  assert_refused_token (token, NONCE, NOW, GK_JWT_ERROR_MALFORMED);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  signer_init ();

  g_test_add_func ("/jwt/valid/claims", test_jwt_valid_token_claims);
  g_test_add_func ("/jwt/refuse/bad-signature", test_jwt_refuse_bad_signature);
  g_test_add_func ("/jwt/refuse/alg-none", test_jwt_refuse_alg_none);
  g_test_add_func ("/jwt/refuse/hs256-with-public-key", test_jwt_refuse_hs256_with_public_key);
  g_test_add_func ("/jwt/refuse/wrong-issuer", test_jwt_refuse_wrong_issuer);
  g_test_add_func ("/jwt/refuse/wrong-audience", test_jwt_refuse_wrong_audience);
  g_test_add_func ("/jwt/audience/exactly-ours-or-a-list-of-it", test_jwt_audience_exactly_ours);
  g_test_add_func ("/jwt/refuse/token-use-access", test_jwt_refuse_access_token);
  g_test_add_func ("/jwt/refuse/expired", test_jwt_refuse_expired);
  g_test_add_func ("/jwt/refuse/iat-in-future", test_jwt_refuse_iat_in_future);
  g_test_add_func ("/jwt/refuse/nonce", test_jwt_refuse_nonce);
  g_test_add_func ("/jwt/refuse/malformed", test_jwt_refuse_malformed);
  g_test_add_func ("/jwt/refuse/non-json-escape", test_jwt_refuse_non_json_escape);
  g_test_add_func ("/jwt/refuse/half-surrogate", test_jwt_refuse_half_surrogate);
  g_test_add_func ("/jwt/base64url/strict", test_jwt_base64url_strict);

  ret = g_test_run ();

  signer_clear ();
  return ret;
}
