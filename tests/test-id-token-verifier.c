/* test-id-token-verifier.c: a profile without aws_cognito_pool_id learns
 * its user pool from the first ID token, and only from one it may trust
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gk-id-token-verifier.h"
#include "gk-test.h"
#include "jwt-signer.h"

/* IGV's oauth-config.json for ISSUER's pool, as labs have it: no
 * aws_cognito_pool_id (IGV never reads it), and a key Genokey does not know. */
#define IGV_STYLE \
  "{\"client_id\": \"" CLIENT_ID "\"," \
  " \"auth_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize\"," \
  " \"token_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token\"," \
  " \"aws_region\": \"eu-west-2\"," \
  " \"aws_cognito_fed_pool_id\": \"eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789\"," \
  " \"project_id\": \"igv\"%s}"

typedef struct
{
  char *dir;
  GkProfileStore *store;
  GkProfile *profile;
  GkTestServer *server;   /* publishes key1 at /pool/.well-known/jwks.json */
  char *jwks_uri;
  guint jwks_requests;
} Fixture;

static void
on_jwks_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  g_autofree char *json = jwks_json ("k1", key1, NULL, NULL);

  f->jwks_requests++;
  gk_test_respond (msg, 200, "application/json", json);
}

/* The profile imported into a store of its own; @with_jwks_uri: with the
 * pool's keys at the lab's jwks_uri (this test's server), the stand-in's
 * way too, since Cognito's own address cannot be served here. */
static void
fixture_set_up_with (Fixture  *f,
                     gboolean  with_jwks_uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) imported = NULL;

  f->server = gk_test_server_new ();
  gk_test_server_add_handler (f->server, "/pool/.well-known/jwks.json", on_jwks_cb, f);
  f->jwks_uri = gk_test_server_url (f->server, "/pool/.well-known/jwks.json");

  f->dir = g_dir_make_tmp ("gk-verifier-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = gk_profile_store_new (f->dir);
  extra = with_jwks_uri ? g_strdup_printf (", \"jwks_uri\": \"%s\"", f->jwks_uri) : g_strdup ("");
  text = g_strdup_printf (IGV_STYLE, extra);
  bytes = g_bytes_new (text, strlen (text));
  imported = gk_profile_store_import_bytes (f->store, bytes, "lab", FALSE, &error);
  g_assert_no_error (error);
  f->profile = gk_profile_store_load (f->store, "lab", &error);
  g_assert_no_error (error);
  g_assert_null (gk_profile_get_issuer (f->profile));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_with (f, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *profiles = g_build_filename (f->dir, "profiles", NULL);
  g_autofree char *file = g_build_filename (profiles, "lab.json", NULL);

  g_clear_object (&f->profile);
  g_clear_object (&f->store);
  g_clear_pointer (&f->server, gk_test_server_free);
  g_free (f->jwks_uri);
  g_unlink (file);
  g_rmdir (profiles);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
saved_text (Fixture *f)
{
  g_autofree char *file = g_build_filename (f->dir, "profiles", "lab.json", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (file, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static GkJwtClaims *
verify (GkIdTokenVerifier  *verifier,
        const char         *token,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_id_token_verifier_verify_async (verifier, token, NONCE, NOW, NULL, gk_test_store_result_cb,
                                     &result);
  return gk_id_token_verifier_verify_finish (verifier, gk_test_wait_for_result (&result), error);
}

/* The first token teaches the profile its pool, in memory and on disk;
 * the Logins key follows from the configuration it now holds. */
static void
test_learns_the_pool_from_the_first_token (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(GkIdTokenVerifier) verifier = gk_id_token_verifier_new (f->profile, NULL, f->store);
  g_autoptr(GkProfile) reloaded = NULL;
  g_autoptr(GkJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *logins = NULL;
  g_autofree char *text = NULL;
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);

  g_assert_null (gk_profile_dup_logins_key (f->profile));
  claims = verify (verifier, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_jwt_claims_get_issuer (claims), ==, ISSUER);
  g_assert_cmpuint (f->jwks_requests, ==, 1);

  g_assert_cmpstr (gk_profile_get_issuer (f->profile), ==, ISSUER);
  g_assert_cmpstr (gk_profile_get_user_pool_id (f->profile), ==, "eu-west-2_AbCdEf123");
  g_assert_cmpstr (gk_profile_get_jwks_uri (f->profile), ==, f->jwks_uri);
  logins = gk_profile_dup_logins_key (f->profile);
  g_assert_cmpstr (logins, ==, "cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123");

  reloaded = gk_profile_store_load (f->store, "lab", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_issuer (reloaded), ==, ISSUER);
  text = saved_text (f);
  g_assert_nonnull (strstr (text, "\"aws_cognito_pool_id\" : \"eu-west-2_AbCdEf123\""));
  g_assert_nonnull (strstr (text, "\"project_id\" : \"igv\""));
  g_assert_nonnull (strstr (text, "\"auth_uri\""));

  /* Later tokens are checked against the learned issuer, with the same keys. */
  g_clear_pointer (&claims, gk_jwt_claims_unref);
  claims = verify (verifier, token, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->jwks_requests, ==, 1);
}

static void
assert_refused_before_fetch (Fixture    *f,
                             const char *iss)
{
  g_autoptr(GkIdTokenVerifier) verifier = gk_id_token_verifier_new (f->profile, NULL, f->store);
  g_autoptr(GkJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = saved_text (f);
  g_autofree char *after = NULL;
  g_autofree char *token = NULL;
  Claims c = good_claims ();

  c.iss = iss;
  token = token_for (key1, &c);
  claims = verify (verifier, token, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
  g_assert_cmpstr (gk_profile_error_get_key (error), ==, "aws_cognito_pool_id");
  g_assert_nonnull (strstr (error->message, iss));
  g_assert_nonnull (strstr (error->message, "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_…"));
  g_assert_null (strstr (error->message, token));
  g_assert_cmpuint (f->jwks_requests, ==, 0);
  g_assert_null (gk_profile_get_issuer (f->profile));
  g_assert_null (gk_profile_dup_logins_key (f->profile));
  after = saved_text (f);
  g_assert_cmpstr (after, ==, before);
}

/* An issuer not in Cognito's exact form for the profile's region is refused
 * before any key is fetched. The token is signed with the key this test's
 * server publishes, and the server is where the keys would be fetched from
 * (the lab's jwks_uri, or the issuer's own …/.well-known/jwks.json for the
 * first form), so only the form check stands between the token and being
 * believed. Nothing is learned or saved. */
static void
test_other_forms_refused_before_any_fetch (void)
{
  const char *forms[] = {
    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123", /* another region */
    "https://cognito-idp.eu-west-2.amazonaws.com/us-east-1_AbCdEf123", /* a pool of another region */
    "https://cognito-idp.eu-west-2.amazonaws.com.example.org/eu-west-2_AbCdEf123",
    "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123/",
    "http://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123",
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      Fixture f = { 0 };

      fixture_set_up_with (&f, TRUE);
      assert_refused_before_fetch (&f, forms[i]);
      fixture_tear_down (&f, NULL);
    }

  /* Without jwks_uri the keys would come from the issuer itself. */
  {
    Fixture f = { 0 };
    g_autofree char *iss = NULL;

    fixture_set_up_with (&f, FALSE);
    iss = g_strdup_printf ("%s/pool", gk_test_server_get_origin (f.server));
    assert_refused_before_fetch (&f, iss);
    fixture_tear_down (&f, NULL);
  }
}

/* The right form is not enough: the token must verify against that pool's
 * keys. One signed with a key the pool does not publish teaches nothing. */
static void
test_signature_checked_before_learning (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(GkIdTokenVerifier) verifier = gk_id_token_verifier_new (f->profile, NULL, f->store);
  g_autoptr(GkJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = saved_text (f);
  g_autofree char *after = NULL;
  Claims c = good_claims ();
  g_autofree char *token = NULL;

  c.kid = "k1";
  token = token_for (other, &c);
  claims = verify (verifier, token, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_BAD_SIGNATURE);
  g_assert_cmpuint (f->jwks_requests, ==, 1);
  g_assert_null (gk_profile_get_issuer (f->profile));
  g_assert_null (gk_profile_get_user_pool_id (f->profile));
  after = saved_text (f);
  g_assert_cmpstr (after, ==, before);
}

/* A profile that names its pool is never taught another one. */
static void
test_known_pool_not_relearned (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GkIdTokenVerifier) verifier = gk_id_token_verifier_new (f->profile, NULL, f->store);
  g_autoptr(GkJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);
  g_autofree char *other_pool = NULL;

  claims = verify (verifier, token, &error);
  g_assert_no_error (error);
  g_clear_pointer (&claims, gk_jwt_claims_unref);

  c.iss = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other999";
  other_pool = token_for (key1, &c);
  claims = verify (verifier, other_pool, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_JWT_ERROR, GK_JWT_ERROR_WRONG_ISSUER);
  g_assert_cmpstr (gk_profile_get_issuer (f->profile), ==, ISSUER);
}

/* The saved profile is read again before the pool is written into it: if
 * it names another pool by now, it is left alone and the profile in memory
 * learns nothing either. */
static void
test_changed_file_left_alone (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GkIdTokenVerifier) verifier = gk_id_token_verifier_new (f->profile, NULL, f->store);
  g_autoptr(GkJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autofree char *extra = g_strdup_printf (", \"jwks_uri\": \"%s\", \"aws_cognito_pool_id\": \"eu-west-2_Other999\"",
                                            f->jwks_uri);
  g_autofree char *text = g_strdup_printf (IGV_STYLE, extra);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Claims c = good_claims ();
  g_autofree char *token = token_for (key1, &c);

  bytes = g_bytes_new (text, strlen (text));
  imported = gk_profile_store_import_bytes (f->store, bytes, "lab", TRUE, &error);
  g_assert_no_error (error);
  before = saved_text (f);

  claims = verify (verifier, token, &error);
  g_assert_null (claims);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“lab”"));
  g_assert_null (gk_profile_get_issuer (f->profile));
  after = saved_text (f);
  g_assert_cmpstr (after, ==, before);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  signer_init ();

  g_test_add ("/id-token-verifier/learns-the-pool-from-the-first-token", Fixture, NULL,
              fixture_set_up, test_learns_the_pool_from_the_first_token, fixture_tear_down);
  g_test_add_func ("/id-token-verifier/other-forms-refused-before-any-fetch",
                   test_other_forms_refused_before_any_fetch);
  g_test_add ("/id-token-verifier/signature-checked-before-learning", Fixture, NULL,
              fixture_set_up, test_signature_checked_before_learning, fixture_tear_down);
  g_test_add ("/id-token-verifier/known-pool-not-relearned", Fixture, NULL,
              fixture_set_up, test_known_pool_not_relearned, fixture_tear_down);
  g_test_add ("/id-token-verifier/changed-file-left-alone", Fixture, NULL,
              fixture_set_up, test_changed_file_left_alone, fixture_tear_down);

  ret = g_test_run ();
  signer_clear ();
  return ret;
}
