/* test-jwks.c: the user pool's key set, loaded, fetched, refetched once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <openssl/rsa.h>
#include <string.h>

#include "gk-jwks.h"
#include "jwt-signer.h"
#include "gk-test.h"

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
test_jwks_verifies_with_the_named_key (void)
{
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);
  g_autoptr(GkJwks) jwks = jwks_with_key1 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = gk_jwks_verify_id_token (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (gk_jwt_claims_get_email (claims), ==, "alice@lab.example");
}

static void
test_jwks_checks_the_token_too (void)
{
  /* the key is right, but the token is another app client's: the key set
   * hands every token to the full checks, not only to the signature */
  Claims c = good_claims ();
  g_autofree char *token = NULL;
  g_autoptr(GkJwks) jwks = jwks_with_key1 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = NULL;

  c.aud = "another-client";
  token = token_for (key1, &c);
  claims = gk_jwks_verify_id_token (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_WRONG_AUDIENCE);
}

static void
test_jwks_refuse_unknown_kid (void)
{
  Claims c = good_claims ();
  g_autofree char *token = NULL;
  g_autoptr(GkJwks) jwks = jwks_with_key1 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = NULL;

  c.kid = "k2";
  token = token_for (key2, &c);
  claims = gk_jwks_verify_id_token (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_UNKNOWN_KEY);
  g_assert_null (strstr (error->message, token));
}

static void
test_jwks_ignores_weak_and_foreign_keys (void)
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
  GkTestServer *server;
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

  js->server = gk_test_server_new ();
  gk_test_server_add_handler (js->server, "/pool/.well-known/jwks.json", jwks_handler, js);
  js->uri = gk_test_server_url (js->server, "/pool/.well-known/jwks.json");
}

static void
jwks_server_stop (JwksServer *js)
{
  g_clear_pointer (&js->server, gk_test_server_free);
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
  gk_test_wait_until (result != NULL);

  return gk_jwks_verify_id_token_finish (jwks, result, error);
}

static void
test_jwks_fetch_and_refetch_once (void)
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
test_jwks_single_flight (void)
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
  gk_test_wait_until (r1 != NULL && r2 != NULL && r3 != NULL);

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
test_jwks_fresh_holder_unknown_kid_fetches_once (void)
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
test_jwks_fetch_failure (void)
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
  signer_init ();

  g_test_add_func ("/jwks/verify/with-the-named-key", test_jwks_verifies_with_the_named_key);
  g_test_add_func ("/jwks/verify/checks-the-claims-too", test_jwks_checks_the_token_too);
  g_test_add_func ("/jwks/refuse/unknown-kid", test_jwks_refuse_unknown_kid);
  g_test_add_func ("/jwks/load/ignores-weak-and-foreign-keys", test_jwks_ignores_weak_and_foreign_keys);
  g_test_add_func ("/jwks/fetch/refetch-once-on-unknown-kid", test_jwks_fetch_and_refetch_once);
  g_test_add_func ("/jwks/fetch/single-flight", test_jwks_single_flight);
  g_test_add_func ("/jwks/fetch/fresh-holder-fetches-once", test_jwks_fresh_holder_unknown_kid_fetches_once);
  g_test_add_func ("/jwks/fetch/failure", test_jwks_fetch_failure);

  ret = g_test_run ();
  signer_clear ();
  return ret;
}
