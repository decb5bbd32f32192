/* test-account.c: what a running Genokey is signed in to — the profiles,
 * the selected one's sign-in, the S3 client, and when the user is needed
 *
 * A memory keyring holds the sign-ins (no keyring daemon), a temporary
 * folder the profiles, and a SoupServer on a loopback port plays the lab's
 * token and revocation endpoints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-account.h"
#include "gk-test.h"

typedef struct
{
  GkTestServer *server;
  const char *origin;
  char *directory;
  guint token_requests;
  guint revocations;
  GkProfileStore *store;
  GkKeyring *keyring;
  GkAccount *account;
} Fixture;

static void
handle_token_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *f = user_data;
  static const char refused[] =
    "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh Token has been revoked\"}";

  /* Every refresh token is refused: the sign-in has ended at the lab. */
  f->token_requests++;
  gk_test_respond (msg, 400, "application/json", refused);
}

static void
handle_revoke_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Fixture *f = user_data;

  f->revocations++;
  gk_test_respond (msg, 200, NULL, NULL);
}

/* A profile whose endpoints are all the fixture's server, and whose
 * sign-in returns to @port. */
static void
add_profile (Fixture    *f,
             const char *name,
             guint16     port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *json;

  json = g_strdup_printf ("{\"client_id\":\"client\","
                          "\"authorization_endpoint\":\"%1$s/oauth2/authorize\","
                          "\"token_endpoint\":\"%1$s/oauth2/token\","
                          "\"issuer\":\"%1$s/us-east-1_AbC123\",\"jwks_uri\":\"%1$s/jwks\","
                          "\"cognito_identity_endpoint\":\"%1$s/identity\",\"sts_endpoint\":\"%1$s/sts\","
                          "\"endpoint_url\":\"%1$s\",\"buckets\":[\"demo-lab\"],"
                          "\"redirect_uri\":\"http://localhost:%2$u/oauthCallback\","
                          "\"aws_region\":\"us-east-1\",\"aws_cognito_pool_id\":\"us-east-1_AbC123\","
                          "\"aws_cognito_fed_pool_id\":\"us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789\"}",
                          f->origin, port);
  bytes = g_bytes_new_take (json, strlen (json));
  profiles = gk_profile_store_import_bytes (f->store, bytes, name, FALSE, &error);
  g_assert_no_error (error);
}

static gboolean
is_loaded (gpointer data)
{
  return gk_account_get_state (data) != GK_ACCOUNT_STATE_LOADING;
}

static void
wait_loaded (GkAccount *account)
{
  gk_test_wait_until_full (is_loaded (account), "the sign-in to be read from the keyring", 30);
}

/* What a sign-in leaves in the keyring: a refresh token, the user, and
 * credentials with @seconds_left. */
static void
put_sign_in (Fixture    *f,
             const char *profile,
             const char *email,
             gint64      seconds_left)
{
  gk_test_keyring_put_signed_in (f->keyring, profile, email, seconds_left);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = gk_test_server_new ();
  gk_test_server_add_handler (f->server, "/oauth2/token", handle_token_cb, f);
  gk_test_server_add_handler (f->server, "/oauth2/revoke", handle_revoke_cb, f);
  f->origin = gk_test_server_get_origin (f->server);

  f->directory = g_dir_make_tmp ("gk-test-account-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = gk_profile_store_new (f->directory);
  f->keyring = gk_test_keyring_new ();
  f->account = gk_account_new (f->store, f->keyring);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->account);
  g_clear_object (&f->keyring);
  g_clear_object (&f->store);
  g_clear_pointer (&f->server, gk_test_server_free);
  remove_tree (f->directory);
  g_free (f->directory);
}

/* Renews now (the credentials in hand have less than asked for left),
 * which the lab refuses. */
static void
ask_for_renewal (GkAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkCredentials) credentials = NULL;
  GkCredentialSource *source = gk_account_get_source (account);

  gk_credential_source_get_credentials_async (source, 3600, NULL, gk_test_store_result_cb, &result);
  credentials = gk_credential_source_get_credentials_finish (source, gk_test_wait_for_result (&result), NULL);
}

static void
test_no_profile (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_account_reload_profiles (f->account, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_NO_PROFILE);
  g_assert_null (gk_account_get_profile (f->account));
  g_assert_null (gk_account_get_source (f->account));
  g_assert_null (gk_account_get_s3_client (f->account));
  g_assert_cmpuint (gk_account_get_profiles (f->account)->len, ==, 0);
}

static void
test_restore_signed_out (Fixture       *f,
                         gconstpointer  data)
{
  add_profile (f, "lab", gk_test_free_port ());
  g_assert_true (gk_account_reload_profiles (f->account, NULL, NULL));
  /* The keyring is read asynchronously; until then nothing is known. */
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_LOADING);
  wait_loaded (f->account);
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_OUT);
  g_assert_cmpstr (gk_profile_get_name (gk_account_get_profile (f->account)), ==, "lab");
  g_assert_nonnull (gk_account_get_session (f->account));
  g_assert_null (gk_account_get_s3_client (f->account));
}

static void
test_restore_signed_in (Fixture       *f,
                        gconstpointer  data)
{
  GkS3Client *client;

  add_profile (f, "lab", gk_test_free_port ());
  put_sign_in (f, "lab", "ana@lab.org", 3600);
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);

  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_IN);
  g_assert_cmpstr (gk_session_get_email (gk_account_get_session (f->account)), ==, "ana@lab.org");
  /* The S3 client asks the account's source, set up from the profile. */
  client = gk_account_get_s3_client (f->account);
  g_assert_nonnull (client);
  g_assert_true (gk_s3_client_get_source (client) == gk_account_get_source (f->account));
  g_assert_true (gk_account_get_source (f->account) == GK_CREDENTIAL_SOURCE (gk_account_get_session (f->account)));
  g_assert_cmpstr (gk_s3_client_get_endpoint (client), ==, f->origin);
  g_assert_cmpuint (f->token_requests, ==, 0);
}

static void
test_select_remembers_choice (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *last = NULL;
  GkSession *first_session;

  add_profile (f, "alpha", gk_test_free_port ());
  add_profile (f, "beta", gk_test_free_port ());
  put_sign_in (f, "beta", "ben@lab.org", 3600);
  gk_profile_store_set_last_used (f->store, "beta");

  /* No name: the one used last. */
  gk_account_reload_profiles (f->account, NULL, NULL);
  g_assert_cmpstr (gk_profile_get_name (gk_account_get_profile (f->account)), ==, "beta");
  wait_loaded (f->account);
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_IN);

  /* Another profile: its own sign-in, no client until it is known. */
  gk_account_select_profile (f->account, "alpha");
  g_assert_null (gk_account_get_s3_client (f->account));
  wait_loaded (f->account);
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_OUT);
  last = gk_profile_store_dup_last_used (f->store);
  g_assert_cmpstr (last, ==, "alpha");

  /* Reading the profiles again keeps the selection and its sign-in. */
  first_session = gk_account_get_session (f->account);
  gk_account_reload_profiles (f->account, NULL, NULL);
  g_assert_true (gk_account_get_session (f->account) == first_session);
  /* An unknown name falls back to the one used last. */
  gk_account_select_profile (f->account, "gamma");
  g_assert_cmpstr (gk_profile_get_name (gk_account_get_profile (f->account)), ==, "alpha");
}

static void
test_open_is_strict (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GAsyncResult) result3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;

  add_profile (f, "alpha", gk_test_free_port ());
  add_profile (f, "beta", gk_test_free_port ());
  put_sign_in (f, "beta", "ben@lab.org", 3600);
  /* Importing remembers the profile as used last; forget that here. */
  gk_profile_store_set_last_used (f->store, NULL);

  /* Several profiles and none named, nor used last: the choice is open. */
  gk_account_open_async (f->account, NULL, NULL, gk_test_store_result_cb, &result);
  g_assert_false (gk_account_open_finish (f->account, gk_test_wait_for_result (&result), &error));
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_AMBIGUOUS);
  g_clear_error (&error);

  gk_account_open_async (f->account, "gamma", NULL, gk_test_store_result_cb, &result2);
  g_assert_false (gk_account_open_finish (f->account, gk_test_wait_for_result (&result2), &error));
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A named one: complete once its sign-in is read; not remembered. */
  gk_account_open_async (f->account, "beta", NULL, gk_test_store_result_cb, &result3);
  g_assert_true (gk_account_open_finish (f->account, gk_test_wait_for_result (&result3), &error));
  g_assert_no_error (error);
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_IN);
  last = gk_profile_store_dup_last_used (f->store);
  g_assert_null (last);
}

static void
test_refused_renewal_needs_user (Fixture       *f,
                                 gconstpointer  data)
{
  add_profile (f, "lab", gk_test_free_port ());
  put_sign_in (f, "lab", "ana@lab.org", 1800);
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);
  g_assert_false (gk_account_get_needs_sign_in (f->account));

  ask_for_renewal (f->account);
  g_assert_cmpuint (f->token_requests, ==, 1);
  g_assert_true (gk_account_get_needs_sign_in (f->account));
  /* The credentials in hand still work for half an hour: still signed
   * in, and no warning about their end yet. */
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_IN);
  g_assert_nonnull (gk_account_get_s3_client (f->account));
  g_assert_false (gk_account_get_expiry_warning (f->account));
}

static gboolean
expiry_warned (gpointer data)
{
  return gk_account_get_expiry_warning (data);
}

static void
test_expiry_warning_before_end (Fixture       *f,
                                gconstpointer  data)
{
  add_profile (f, "lab", gk_test_free_port ());
  /* Two seconds more than the warning's lead. */
  put_sign_in (f, "lab", "ana@lab.org", GK_ACCOUNT_EXPIRY_WARNING_SECONDS + 2);
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);

  ask_for_renewal (f->account);
  g_assert_true (gk_account_get_needs_sign_in (f->account));
  g_assert_false (gk_account_get_expiry_warning (f->account));
  gk_test_wait_until_full (expiry_warned (f->account), "the warning that the credentials run out", 60);
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_IN);
}

static void
test_expiry_warning_not_repeated (Fixture       *f,
                                  gconstpointer  data)
{
  add_profile (f, "lab", gk_test_free_port ());
  put_sign_in (f, "lab", "ana@lab.org", 120);
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);

  /* Refused within the last minutes: needs-sign-in says it all at once. */
  ask_for_renewal (f->account);
  g_assert_true (gk_account_get_needs_sign_in (f->account));
  g_assert_false (gk_account_get_expiry_warning (f->account));
}

static gboolean
is_signed_out (gpointer data)
{
  return gk_account_get_state (data) == GK_ACCOUNT_STATE_SIGNED_OUT;
}

static void
test_signed_out_when_credentials_end (Fixture       *f,
                                      gconstpointer  data)
{
  add_profile (f, "lab", gk_test_free_port ());
  /* Credentials about to end, and a renewal the lab refuses. */
  put_sign_in (f, "lab", "ana@lab.org", 4);
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);
  ask_for_renewal (f->account);
  g_assert_true (gk_account_get_needs_sign_in (f->account));
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_IN);

  /* Nothing else happens when they run out; the account still notices. */
  gk_test_wait_until_full (is_signed_out (f->account), "the account to sign out when the credentials end", 60);
  g_assert_null (gk_account_get_s3_client (f->account));
  g_assert_true (gk_account_get_needs_sign_in (f->account));
}

static void
test_sign_out_clears_everything (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_profile (f, "lab", gk_test_free_port ());
  put_sign_in (f, "lab", "ana@lab.org", 120);
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);
  ask_for_renewal (f->account);
  g_assert_true (gk_account_get_needs_sign_in (f->account));

  gk_account_sign_out_async (f->account, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_account_sign_out_finish (f->account, gk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->revocations, ==, 1);
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_OUT);
  g_assert_false (gk_account_get_needs_sign_in (f->account));
  g_assert_false (gk_account_get_expiry_warning (f->account));
  g_assert_null (gk_account_get_s3_client (f->account));
}

static gboolean
is_signing_in (gpointer data)
{
  return gk_account_get_state (data) == GK_ACCOUNT_STATE_SIGNING_IN;
}

static void
test_sign_in_cancelled_by_anyone (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_profile (f, "lab", gk_test_free_port ());
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);

  gk_account_sign_in_async (f->account, GK_SIGN_IN_FLAGS_NO_BROWSER, NULL, gk_test_store_result_cb, &result);
  gk_test_wait_until_full (is_signing_in (f->account), "the sign-in to start", 30);
  /* Another view cancels it: the caller hears, and nothing is an error. */
  gk_account_cancel_sign_in (f->account);
  g_assert_false (gk_account_sign_in_finish (f->account, gk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (gk_account_get_sign_in_error (f->account));
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_OUT);
}

static void
test_sign_in_error_kept (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) holder = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  guint16 port = gk_test_free_port ();

  /* Something that is not IGV holds the callback port. */
  holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, port);
  g_assert_true (g_socket_bind (holder, address, TRUE, &error));
  g_assert_true (g_socket_listen (holder, &error));

  add_profile (f, "lab", port);
  gk_account_reload_profiles (f->account, NULL, NULL);
  wait_loaded (f->account);
  gk_account_sign_in_async (f->account, GK_SIGN_IN_FLAGS_NO_BROWSER, NULL, gk_test_store_result_cb, &result);
  g_assert_false (gk_account_sign_in_finish (f->account, gk_test_wait_for_result (&result), &error));

  /* Every view finds the reason on the account, until it is dismissed. */
  g_assert_nonnull (gk_account_get_sign_in_error (f->account));
  g_assert_true (g_error_matches (gk_account_get_sign_in_error (f->account), error->domain, error->code));
  g_assert_cmpint (gk_account_get_state (f->account), ==, GK_ACCOUNT_STATE_SIGNED_OUT);
  gk_account_cancel_sign_in (f->account);
  g_assert_null (gk_account_get_sign_in_error (f->account));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *runtime = g_dir_make_tmp ("gk-test-account-run-XXXXXX", NULL);
  int status;

  /* The cross-process renewal lock lives under $XDG_RUNTIME_DIR. */
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/account/profiles/none-means-no-profile", test_no_profile);
  ADD ("/account/restore/no-sign-in-is-signed-out", test_restore_signed_out);
  ADD ("/account/restore/signed-in-has-s3-client", test_restore_signed_in);
  ADD ("/account/select/remembers-the-choice", test_select_remembers_choice);
  ADD ("/account/open/is-strict-and-not-remembered", test_open_is_strict);
  ADD ("/account/renewal/refused-needs-the-user", test_refused_renewal_needs_user);
  ADD ("/account/renewal/warns-before-credentials-end", test_expiry_warning_before_end);
  ADD ("/account/renewal/no-second-warning-in-the-last-minutes", test_expiry_warning_not_repeated);
  ADD ("/account/renewal/signed-out-when-credentials-end", test_signed_out_when_credentials_end);
  ADD ("/account/sign-out/clears-client-and-warnings", test_sign_out_clears_everything);
  ADD ("/account/sign-in/cancel-from-any-view", test_sign_in_cancelled_by_anyone);
  ADD ("/account/sign-in/error-kept-for-every-view", test_sign_in_error_kept);
#undef ADD

  status = g_test_run ();
  g_rmdir (runtime);
  return status;
}
