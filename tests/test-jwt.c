/* test-jwt.c: ID tokens made here with keys made here, and every refusal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <string.h>

#include "gk-jwt.h"
#include "gk-oauth.h"

#define ISSUER    "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123"
#define CLIENT_ID "4l1ent1d"
#define NONCE     "n-0S6_WzA2Mj"
#define NOW       ((gint64) 1800000000)

static EVP_PKEY *key1;  /* kid k1, published */
static EVP_PKEY *key2;  /* kid k2, published later (rotation) */
static EVP_PKEY *other; /* never published */

static char *
b64url (const void *data,
        gsize       len)
{
  return gk_oauth_base64url_encode (data, len);
}

static char *
b64url_str (const char *text)
{
  return b64url (text, strlen (text));
}

static char *
bn_b64url (EVP_PKEY   *pkey,
           const char *name)
{
  BIGNUM *bn = NULL;
  guint8 *buf;
  int len;
  char *out;

  g_assert_true (EVP_PKEY_get_bn_param (pkey, name, &bn));
  len = BN_num_bytes (bn);
  buf = g_malloc (len);
  BN_bn2bin (bn, buf);
  out = b64url (buf, len);
  g_free (buf);
  BN_free (bn);
  return out;
}

static char *
jwk_json (EVP_PKEY   *pkey,
          const char *kid)
{
  g_autofree char *n = bn_b64url (pkey, OSSL_PKEY_PARAM_RSA_N);
  g_autofree char *e = bn_b64url (pkey, OSSL_PKEY_PARAM_RSA_E);

  return g_strdup_printf ("{\"alg\":\"RS256\",\"e\":\"%s\",\"kid\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\",\"use\":\"sig\"}",
                          e, kid, n);
}

static char *
jwks_json (const char *kid_a,
           EVP_PKEY   *a,
           const char *kid_b,
           EVP_PKEY   *b)
{
  g_autofree char *ja = jwk_json (a, kid_a);
  g_autofree char *jb = b != NULL ? jwk_json (b, kid_b) : NULL;

  return g_strdup_printf ("{\"keys\":[%s%s%s]}", ja, jb ? "," : "", jb ? jb : "");
}

static char *
sign_rs256 (EVP_PKEY   *pkey,
            const char *input)
{
  EVP_MD_CTX *md = EVP_MD_CTX_new ();
  guint8 sig[1024];
  gsize sig_len = sizeof sig;

  g_assert_cmpint (EVP_DigestSignInit_ex (md, NULL, "SHA256", NULL, NULL, pkey, NULL), ==, 1);
  g_assert_cmpint (EVP_DigestSign (md, sig, &sig_len, (const guint8 *) input, strlen (input)), ==, 1);
  EVP_MD_CTX_free (md);
  return b64url (sig, sig_len);
}

static char *
make_token (EVP_PKEY   *pkey,
            const char *header,
            const char *payload)
{
  g_autofree char *h = b64url_str (header);
  g_autofree char *p = b64url_str (payload);
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autofree char *sig = sign_rs256 (pkey, input);

  return g_strconcat (input, ".", sig, NULL);
}

typedef struct
{
  const char *kid;
  const char *iss;
  const char *aud;
  const char *token_use;
  const char *nonce;   /* NULL: no nonce claim */
  gint64 exp;
  gint64 iat;
} Claims;

static Claims
good_claims (void)
{
  Claims c = { "k1", ISSUER, CLIENT_ID, "id", NONCE, NOW + 3600, NOW - 10 };
  return c;
}

static char *
payload_json (const Claims *c)
{
  g_autofree char *nonce = c->nonce ? g_strdup_printf (",\"nonce\":\"%s\"", c->nonce) : g_strdup ("");

  return g_strdup_printf ("{\"sub\":\"0b1c2d3e-aaaa-bbbb-cccc-123456789abc\",\"email_verified\":true,"
                          "\"iss\":\"%s\",\"cognito:username\":\"alice\",\"aud\":\"%s\","
                          "\"token_use\":\"%s\",\"auth_time\":%" G_GINT64_FORMAT ","
                          "\"exp\":%" G_GINT64_FORMAT ",\"iat\":%" G_GINT64_FORMAT ","
                          "\"email\":\"alice@lab.example\"%s}",
                          c->iss, c->aud, c->token_use, c->iat, c->exp, c->iat, nonce);
}

static char *
token_for (EVP_PKEY     *pkey,
           const Claims *c)
{
  g_autofree char *header = g_strdup_printf ("{\"kid\":\"%s\",\"alg\":\"RS256\"}", c->kid);
  g_autofree char *payload = payload_json (c);

  return make_token (pkey, header, payload);
}

static GkJwks *
jwks_with_key1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = jwks_json ("k1", key1, NULL, NULL);
  GkJwks *jwks = gk_jwks_new (NULL, NULL);

  g_assert_true (gk_jwks_load_from_data (jwks, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (gk_jwks_has_key (jwks, "k1"));
  return jwks;
}

static void
assert_refused_token (const char *token,
                      const char *nonce,
                      gint64      now,
                      GkJwtError  expected)
{
  g_autoptr(GkJwks) jwks = jwks_with_key1 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = gk_jwks_verify_id_token (jwks, token, ISSUER, CLIENT_ID, nonce, now, &error);

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
  g_autoptr(GkJwks) jwks = jwks_with_key1 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = gk_jwks_verify_id_token (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (claims);
  g_assert_cmpstr (gk_jwt_claims_get_email (claims), ==, "alice@lab.example");
  g_assert_cmpstr (gk_jwt_claims_get_username (claims), ==, "alice");
  g_assert_cmpstr (gk_jwt_claims_get_subject (claims), ==, "0b1c2d3e-aaaa-bbbb-cccc-123456789abc");
  g_assert_cmpstr (gk_jwt_claims_get_issuer (claims), ==, ISSUER);
  g_assert_cmpint (gk_jwt_claims_get_expiration (claims), ==, NOW + 3600);
  g_assert_cmpint (gk_jwt_claims_get_issued_at (claims), ==, NOW - 10);
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
  g_autoptr(GkJwks) jwks = jwks_with_key1 ();
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
  claims = gk_jwks_verify_id_token (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, NULL);
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
  g_autoptr(GkJwks) jwks = jwks_with_key1 ();
  g_autoptr(GkJwtClaims) claims = NULL;

  c.nonce = "n-0S6_WzA2Mk";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_NONCE);
  c.nonce = NONCE "x";
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_NONCE);
  c.nonce = NULL;
  assert_refused_claims (&c, GK_JWT_ERROR_WRONG_NONCE);

  /* after a refresh there is no nonce to check: NULL skips it */
  no_nonce = token_for (key1, &c);
  claims = gk_jwks_verify_id_token (jwks, no_nonce, ISSUER, CLIENT_ID, NULL, NOW, NULL);
  g_assert_nonnull (claims);
}

static void
test_jwt_refuse_unknown_kid (void)
{
  Claims c = good_claims ();

  c.kid = "k2";
  assert_refused_claims (&c, GK_JWT_ERROR_UNKNOWN_KEY);
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

static void
test_jwt_jwks_ignores_weak_and_foreign_keys (void)
{
  g_autoptr(GkJwks) jwks = gk_jwks_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) bad = NULL;
  EVP_PKEY *small = EVP_RSA_gen (1024);
  g_autofree char *small_jwk = jwk_json (small, "small");
  g_autofree char *good = jwk_json (key1, "k1");
  g_autofree char *json = g_strdup_printf ("{\"keys\":[%s,{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"},"
                                           "{\"kty\":\"RSA\",\"kid\":\"enc\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"},%s]}",
                                           small_jwk, good);

  g_assert_true (gk_jwks_load_from_data (jwks, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (gk_jwks_has_key (jwks, "k1"));
  g_assert_false (gk_jwks_has_key (jwks, "small"));
  g_assert_false (gk_jwks_has_key (jwks, "ec"));
  g_assert_false (gk_jwks_has_key (jwks, "enc"));

  g_assert_false (gk_jwks_load_from_data (jwks, "{\"keys\": 3}", -1, &bad));
  g_assert_error (bad, GK_JWT_ERROR, GK_JWT_ERROR_JWKS);
  /* a failed load keeps the keys it had */
  g_assert_true (gk_jwks_has_key (jwks, "k1"));
  EVP_PKEY_free (small);
}

/* A JWKS endpoint in the test: serves whatever `json` holds, counts requests. */
typedef struct
{
  SoupServer *server;
  char *json;
  guint requests;
  char *uri;
} JwksServer;

static void
jwks_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  JwksServer *js = user_data;

  js->requests++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, js->json, strlen (js->json));
}

static void
jwks_server_start (JwksServer *js)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  js->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (js->server, "/pool/.well-known/jwks.json", jwks_handler, js, NULL);
  g_assert_true (soup_server_listen_local (js->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (js->server);
  js->uri = g_strdup_printf ("http://127.0.0.1:%d/pool/.well-known/jwks.json", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
jwks_server_stop (JwksServer *js)
{
  soup_server_disconnect (js->server);
  g_clear_object (&js->server);
  g_free (js->json);
  g_free (js->uri);
}

static void
on_verified_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GkJwtClaims *
verify_async (GkJwks      *jwks,
              const char  *token,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_jwks_verify_id_token_async (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, NULL, on_verified_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return gk_jwks_verify_id_token_finish (jwks, result, error);
}

static void
test_jwt_jwks_fetch_and_refetch_once (void)
{
  JwksServer js = { 0 };
  g_autoptr(GkJwks) jwks = NULL;
  g_autoptr(GError) error = NULL;
  Claims c1 = good_claims ();
  Claims c2 = good_claims ();
  Claims c3 = good_claims ();
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *t3 = NULL;
  GkJwtClaims *claims;

  c2.kid = "k2";
  c3.kid = "k3";
  t1 = token_for (key1, &c1);
  t2 = token_for (key2, &c2);
  t3 = token_for (other, &c3);

  js.json = jwks_json ("k1", key1, NULL, NULL);
  jwks_server_start (&js);
  jwks = gk_jwks_new (js.uri, NULL);

  /* first use fetches */
  claims = verify_async (jwks, t1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
  gk_jwt_claims_unref (claims);
  g_assert_cmpuint (js.requests, ==, 1);
  g_assert_cmpuint (gk_jwks_get_fetch_count (jwks), ==, 1);

  /* a known kid does not fetch again */
  claims = verify_async (jwks, t1, &error);
  g_assert_nonnull (claims);
  gk_jwt_claims_unref (claims);
  g_assert_cmpuint (js.requests, ==, 1);

  /* the pool rotated its keys: an unknown kid refetches once, within the
   * interval it does not (and k2 is then still unknown) */
  g_free (js.json);
  js.json = jwks_json ("k1", key1, "k2", key2);
  claims = verify_async (jwks, t2, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);
  g_assert_cmpuint (js.requests, ==, 1);

  gk_jwks_set_refetch_interval (jwks, 0);
  claims = verify_async (jwks, t2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
  gk_jwt_claims_unref (claims);
  g_assert_cmpuint (js.requests, ==, 2);

  /* a kid nobody publishes: one refetch, then refused, no loop */
  claims = verify_async (jwks, t3, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);
  g_assert_cmpuint (js.requests, ==, 3);

  /* and rate-limited once the interval is back */
  gk_jwks_set_refetch_interval (jwks, 60);
  claims = verify_async (jwks, t3, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);
  g_assert_cmpuint (js.requests, ==, 3);

  g_clear_object (&jwks);
  jwks_server_stop (&js);
}

static void
test_jwt_jwks_single_flight (void)
{
  JwksServer js = { 0 };
  g_autoptr(GkJwks) jwks = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) c1 = NULL;
  g_autoptr(GkJwtClaims) c2 = NULL;
  g_autoptr(GkJwtClaims) c3 = NULL;
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);

  js.json = jwks_json ("k1", key1, NULL, NULL);
  jwks_server_start (&js);
  jwks = gk_jwks_new (js.uri, NULL);

  /* sign-in and a renewal at once: one fetch serves both, and a waiter
   * that is cancelled leaves without disturbing the others */
  gk_jwks_verify_id_token_async (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, NULL, on_verified_cb, &r1);
  gk_jwks_verify_id_token_async (jwks, token, ISSUER, CLIENT_ID, NULL, NOW, cancellable, on_verified_cb, &r2);
  gk_jwks_verify_id_token_async (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, NULL, on_verified_cb, &r3);
  g_cancellable_cancel (cancellable);
  while (r1 == NULL || r2 == NULL || r3 == NULL)
    g_main_context_iteration (NULL, TRUE);

  c1 = gk_jwks_verify_id_token_finish (jwks, r1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c1);
  c2 = gk_jwks_verify_id_token_finish (jwks, r2, &error);
  g_assert_null (c2);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  c3 = gk_jwks_verify_id_token_finish (jwks, r3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c3);
  g_assert_cmpuint (js.requests, ==, 1);
  g_assert_cmpuint (gk_jwks_get_fetch_count (jwks), ==, 1);

  g_clear_object (&jwks);
  jwks_server_stop (&js);
}

static void
test_jwt_jwks_fresh_holder_unknown_kid_fetches_once (void)
{
  JwksServer js = { 0 };
  g_autoptr(GkJwks) jwks = NULL;
  g_autoptr(GError) error = NULL;
  Claims c = good_claims ();
  g_autofree char *token = NULL;
  GkJwtClaims *claims;

  c.kid = "k9";
  token = token_for (other, &c);
  js.json = jwks_json ("k1", key1, NULL, NULL);
  jwks_server_start (&js);
  jwks = gk_jwks_new (js.uri, NULL);

  claims = verify_async (jwks, token, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_UNKNOWN_KEY);
  g_assert_cmpuint (js.requests, ==, 1);

  g_clear_object (&jwks);
  jwks_server_stop (&js);
}

static void
test_jwt_jwks_fetch_failure (void)
{
  JwksServer js = { 0 };
  g_autoptr(GkJwks) jwks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);
  GkJwtClaims *claims;

  js.json = g_strdup ("<html>not found</html>");
  jwks_server_start (&js);
  jwks = gk_jwks_new (js.uri, NULL);
  claims = verify_async (jwks, token, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_JWKS);
  g_clear_error (&error);
  g_clear_object (&jwks);

  uri = g_strdup_printf ("%.*s/nowhere", (int) (strstr (js.uri, "/pool") - js.uri), js.uri);
  jwks = gk_jwks_new (uri, NULL);
  claims = verify_async (jwks, token, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_JWKS);
  g_assert_nonnull (strstr (error->message, "404"));

  g_clear_object (&jwks);
  jwks_server_stop (&js);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  key1 = EVP_RSA_gen (2048);
  key2 = EVP_RSA_gen (2048);
  other = EVP_RSA_gen (2048);
  g_assert_nonnull (key1);
  g_assert_nonnull (key2);
  g_assert_nonnull (other);

  g_test_add_func ("/jwt/valid/claims", test_jwt_valid_token_claims);
  g_test_add_func ("/jwt/refuse/bad-signature", test_jwt_refuse_bad_signature);
  g_test_add_func ("/jwt/refuse/alg-none", test_jwt_refuse_alg_none);
  g_test_add_func ("/jwt/refuse/hs256-with-public-key", test_jwt_refuse_hs256_with_public_key);
  g_test_add_func ("/jwt/refuse/wrong-issuer", test_jwt_refuse_wrong_issuer);
  g_test_add_func ("/jwt/refuse/wrong-audience", test_jwt_refuse_wrong_audience);
  g_test_add_func ("/jwt/refuse/token-use-access", test_jwt_refuse_access_token);
  g_test_add_func ("/jwt/refuse/expired", test_jwt_refuse_expired);
  g_test_add_func ("/jwt/refuse/iat-in-future", test_jwt_refuse_iat_in_future);
  g_test_add_func ("/jwt/refuse/nonce", test_jwt_refuse_nonce);
  g_test_add_func ("/jwt/refuse/unknown-kid", test_jwt_refuse_unknown_kid);
  g_test_add_func ("/jwt/refuse/malformed", test_jwt_refuse_malformed);
  g_test_add_func ("/jwt/base64url/strict", test_jwt_base64url_strict);
  g_test_add_func ("/jwt/jwks/ignores-weak-and-foreign-keys", test_jwt_jwks_ignores_weak_and_foreign_keys);
  g_test_add_func ("/jwt/jwks/refetch-once-on-unknown-kid", test_jwt_jwks_fetch_and_refetch_once);
  g_test_add_func ("/jwt/jwks/single-flight", test_jwt_jwks_single_flight);
  g_test_add_func ("/jwt/jwks/fresh-holder-fetches-once", test_jwt_jwks_fresh_holder_unknown_kid_fetches_once);
  g_test_add_func ("/jwt/jwks/fetch-failure", test_jwt_jwks_fetch_failure);

  ret = g_test_run ();

  EVP_PKEY_free (key1);
  EVP_PKEY_free (key2);
  EVP_PKEY_free (other);
  return ret;
}
