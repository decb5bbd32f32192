/* test-session.c: the sign-in state machine's rules for restore and
 * renewal, with a memory keyring and a SoupServer as the token endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gk-session.h"
#include "gk-test.h"

typedef struct
{
  GkTestServer *server;
  char *base;
  guint token_requests;
  GPtrArray *refresh_tokens_seen;
  const char *good_token;   /* the refresh token the server accepts */
  const char *rotate_to;    /* answer with this new refresh token */
  gboolean unavailable;     /* answer 503 */
  guint delay_ms;           /* answer the token endpoint this much later */
  gboolean hold;            /* keep the token endpoint's answer until released */
  SoupServerMessage *held;
  GkKeyring *keyring;
  GkProfile *profile;
} Fixture;

static void
handle_token_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = soup_form_decode (body);
  const char *token = g_hash_table_lookup (form, "refresh_token");
  g_autofree char *json = NULL;

  f->token_requests++;
  g_ptr_array_add (f->refresh_tokens_seen, g_strdup (token));
  g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==, "refresh_token");

  if (f->unavailable)
    {
      soup_server_message_set_status (msg, 503, NULL);
      return;
    }
  if (g_strcmp0 (token, f->good_token) != 0)
    {
      const char *answer = "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh Token has been revoked\"}";

      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        answer, strlen (answer));
      if (f->hold)
        {
          soup_server_message_pause (msg);
          f->held = msg;
        }
      return;
    }
  /* A well-formed answer whose ID token then fails verification (the key
   * set is empty): renewal stops after the token step, which is what these
   * tests look at. */
  json = g_strdup_printf ("{\"id_token\":\"eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vbmUifQ.e30.c2ln\","
                          "\"access_token\":\"a.b.c\",\"token_type\":\"Bearer\",\"expires_in\":3600%s%s%s}",
                          f->rotate_to ? ",\"refresh_token\":\"" : "",
                          f->rotate_to ? f->rotate_to : "",
                          f->rotate_to ? "\"" : "");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
  if (f->hold)
    {
      soup_server_message_pause (msg);
      f->held = msg;
    }
  else if (f->delay_ms > 0)
    {
      soup_server_message_pause (msg);
      g_timeout_add_once (f->delay_ms, (GSourceOnceFunc) soup_server_message_unpause, msg);
    }
}

static void
handle_revoke_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
}

static void
handle_jwks_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"keys\":[]}", strlen ("{\"keys\":[]}"));
}

static void
keyring_put (Fixture       *f,
             GkKeyringKind  kind,
             const char    *secret)
{
  gk_test_keyring_put (f->keyring, "lab", kind, secret);
}

static char *
keyring_get (Fixture       *f,
             GkKeyringKind  kind)
{
  return gk_test_keyring_get (f->keyring, "lab", kind);
}

static void
put_credentials (Fixture *f,
                 gint64   seconds_left)
{
  gk_test_keyring_put_credentials (f->keyring, "lab", seconds_left);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  const char *origin;
  g_autofree char *value = NULL;

  f->refresh_tokens_seen = g_ptr_array_new_with_free_func (g_free);
  f->server = gk_test_server_new ();
  gk_test_server_add_handler (f->server, "/oauth2/token", handle_token_cb, f);
  gk_test_server_add_handler (f->server, "/jwks", handle_jwks_cb, f);
  gk_test_server_add_handler (f->server, "/oauth2/revoke", handle_revoke_cb, f);
  origin = gk_test_server_get_origin (f->server);

#define SET(key, fmt) value = g_strdup_printf (fmt, origin); json_object_set_string_member (object, key, value); g_clear_pointer (&value, g_free)
  json_object_set_string_member (object, "client_id", "client");
  SET ("authorization_endpoint", "%s/oauth2/authorize");
  SET ("token_endpoint", "%s/oauth2/token");
  SET ("issuer", "%s/us-east-1_AbC123");
  SET ("jwks_uri", "%s/jwks");
  SET ("cognito_identity_endpoint", "%s/identity");
  SET ("sts_endpoint", "%s/sts");
#undef SET
  value = g_strdup_printf ("http://localhost:%u/oauthCallback", gk_test_free_port ());
  json_object_set_string_member (object, "redirect_uri", value);
  g_clear_pointer (&value, g_free);
  json_object_set_string_member (object, "aws_region", "us-east-1");
  json_object_set_string_member (object, "aws_cognito_pool_id", "us-east-1_AbC123");
  json_object_set_string_member (object, "aws_cognito_fed_pool_id",
                                 "us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789");
  f->profile = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);
  f->keyring = gk_test_keyring_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, gk_test_server_free);
  g_clear_object (&f->keyring);
  g_clear_object (&f->profile);
  g_ptr_array_unref (f->refresh_tokens_seen);
}

static GkSession *
restored_session (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GkSession *session = gk_session_new (f->profile, f->keyring);

  gk_session_restore_async (session, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_session_restore_finish (session, gk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  return session;
}

static GkCredentials *
get_credentials (GkSession  *session,
                 gint64      min_valid,
                 GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_credential_source_get_credentials_async (GK_CREDENTIAL_SOURCE (session), min_valid, NULL,
                                              gk_test_store_result_cb, &result);
  return gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (session),
                                                      gk_test_wait_for_result (&result), error);
}

static void
test_renewal_time (void)
{
  /* an hour of credentials: renew 12.5 minutes before the end */
  g_assert_cmpint (gk_session_compute_renewal_time (1000, 4600), ==, 4600 - 750);
  /* a minute of credentials: at three quarters of their life */
  g_assert_cmpint (gk_session_compute_renewal_time (1000, 1060), ==, 1045);
  g_assert_cmpint (gk_session_compute_renewal_time (1000, 1000), ==, 1000);
}

static void
test_restore_signed_out (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GkSession) session = restored_session (f);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_OUT);
  creds = get_credentials (session, 900, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN);
  /* the profile, and no command: each face adds its own way to sign in */
  g_assert_nonnull (strstr (error->message, "“lab”"));
  g_assert_null (strstr (error->message, "genokey"));
  g_assert_cmpuint (f->token_requests, ==, 0);
}

static void
test_restore_signed_in_uses_cache (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "good");
  keyring_put (f, GK_KEYRING_KIND_USER, "{\"sub\":\"1\",\"email\":\"ana@lab.org\"}");
  put_credentials (f, 3600);
  session = restored_session (f);

  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (gk_session_get_email (session), ==, "ana@lab.org");
  g_assert_cmpint (gk_session_get_credentials_expiration (session), >, 0);
  creds = get_credentials (session, 900, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, GK_TEST_KEYRING_ACCESS_KEY_ID);
  g_assert_cmpuint (f->token_requests, ==, 0);
}

static void
test_restore_from_previous_only (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;

  /* A rotation interrupted before the new token was written. */
  keyring_put (f, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN, "good");
  session = restored_session (f);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
}

static void
test_refused_keeps_token_and_working_credentials (Fixture       *f,
                                                  gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  f->good_token = "something-else";
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "revoked");
  put_credentials (f, 600);
  session = restored_session (f);

  creds = get_credentials (session, 900, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, GK_TEST_KEYRING_ACCESS_KEY_ID);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_NEEDS_SIGN_IN);
  g_assert_nonnull (gk_session_get_renewal_error (session));
  g_assert_null (strstr (gk_session_get_renewal_error (session)->message, "revoked\""));
  token = keyring_get (f, GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (token, ==, "revoked");
}

static void
test_refused_and_expired_is_an_error (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  f->good_token = "something-else";
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "revoked");
  put_credentials (f, -10);
  session = restored_session (f);

  creds = get_credentials (session, 900, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN);
  g_assert_nonnull (strstr (error->message, "“lab”"));
  g_assert_null (strstr (error->message, "genokey"));
}

static void
test_transient_failure_stays_signed_in (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  f->unavailable = TRUE;
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "good");
  put_credentials (f, 600);
  session = restored_session (f);

  creds = get_credentials (session, 900, &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
  g_assert_nonnull (gk_session_get_renewal_error (session));
  token = keyring_get (f, GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (token, ==, "good");
}

static void
test_falls_back_to_previous_token (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;
  g_autofree char *previous = NULL;

  f->good_token = "older";
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "newer-but-refused");
  keyring_put (f, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN, "older");
  put_credentials (f, 600);
  session = restored_session (f);

  creds = get_credentials (session, 900, &error);
  g_assert_cmpuint (f->token_requests, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->refresh_tokens_seen, 0), ==, "newer-but-refused");
  g_assert_cmpstr (g_ptr_array_index (f->refresh_tokens_seen, 1), ==, "older");
  /* The accepted one is now the refresh token; the fallback is used up. */
  current = keyring_get (f, GK_KEYRING_KIND_REFRESH_TOKEN);
  previous = keyring_get (f, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN);
  g_assert_cmpstr (current, ==, "older");
  g_assert_null (previous);
  g_assert_cmpint (gk_session_get_state (session), !=, GK_SESSION_STATE_NEEDS_SIGN_IN);
}

static void
test_rotation_keeps_old_as_previous (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;
  g_autofree char *previous = NULL;

  f->good_token = "old";
  f->rotate_to = "new";
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "old");
  put_credentials (f, 600);
  session = restored_session (f);

  /* The ID token check fails afterwards, but the rotated token must be
   * stored already: the identity provider will not take "old" again. */
  creds = get_credentials (session, 900, &error);
  current = keyring_get (f, GK_KEYRING_KIND_REFRESH_TOKEN);
  previous = keyring_get (f, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN);
  g_assert_cmpstr (current, ==, "new");
  g_assert_cmpstr (previous, ==, "old");
}

static GkRenewalResult *
renew_now (GkSession  *session,
           GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_session_renew_now_async (session, NULL, gk_test_store_result_cb, &result);
  return gk_session_renew_now_finish (session, gk_test_wait_for_result (&result), error);
}

/* Credentials with an hour left would never be renewed for a caller; a
 * check of the sign-in itself asks the identity provider anyway. */
static void
test_renew_now_refreshes_fresh_credentials (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkRenewalResult) renewal = NULL;
  g_autoptr(GError) error = NULL;

  f->good_token = "good";
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "good");
  put_credentials (f, 3600);
  session = restored_session (f);

  renewal = renew_now (session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->token_requests, ==, 1);
  /* The fixture's ID token fails verification: no token is handed on. */
  g_assert_cmpint (gk_renewal_result_get_outcome (renewal), ==, GK_RENEWAL_FAILED);
  g_assert_null (gk_renewal_result_get_id_token (renewal));
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
}

/* A refused refresh token still tells how long the sign-in lasted: the
 * keyring keeps when the browser sign-in happened. */
static void
test_renew_now_refused_says_when_signed_in (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkRenewalResult) renewal = NULL;
  g_autoptr(GkRenewalResult) again = NULL;
  g_autoptr(GError) error = NULL;

  f->good_token = "something-else";
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "expired");
  keyring_put (f, GK_KEYRING_KIND_USER, "{\"sub\":\"1\",\"email\":\"ana@lab.org\",\"auth_time\":1700000000}");
  put_credentials (f, 3600);
  session = restored_session (f);

  renewal = renew_now (session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gk_renewal_result_get_outcome (renewal), ==, GK_RENEWAL_REFUSED);
  g_assert_cmpint (gk_renewal_result_get_signed_in_at (renewal), ==, 1700000000);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_NEEDS_SIGN_IN);

  /* Once the sign-in has ended there is nothing to renew. */
  again = renew_now (session, &error);
  g_assert_null (again);
  g_assert_error (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN);
  g_assert_cmpuint (f->token_requests, ==, 1);
}

static void
test_renew_now_needs_a_sign_in (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GkSession) session = restored_session (f);
  g_autoptr(GkRenewalResult) renewal = NULL;
  g_autoptr(GError) error = NULL;

  renewal = renew_now (session, &error);
  g_assert_null (renewal);
  g_assert_error (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN);
  g_assert_cmpuint (f->token_requests, ==, 0);
}

typedef struct
{
  guint done;
  guint ok;
} Counter;

static void
on_counted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Counter *c = user_data;
  g_autoptr(GkCredentials) creds =
    gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object), result, NULL);

  c->done++;
  if (creds != NULL)
    c->ok++;
}

static void
test_single_flight (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  Counter counter = { 0, 0 };

  f->good_token = "something-else";
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "revoked");
  put_credentials (f, 600);
  session = restored_session (f);

  for (int i = 0; i < 5; i++)
    gk_credential_source_get_credentials_async (GK_CREDENTIAL_SOURCE (session), 900, NULL,
                                                on_counted_cb, &counter);
  gk_test_wait_until (counter.done >= 5);
  g_assert_cmpuint (f->token_requests, ==, 1);
  g_assert_cmpuint (counter.ok, ==, 5); /* all got the still-valid credentials */
}

static void
test_sign_out_during_renewal (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GAsyncResult) renewal = NULL;
  g_autoptr(GAsyncResult) sign_out = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *previous = NULL;

  f->good_token = "old";
  f->rotate_to = "new";
  f->delay_ms = 300;
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "old");
  put_credentials (f, 600);
  session = restored_session (f);

  gk_credential_source_get_credentials_async (GK_CREDENTIAL_SOURCE (session), 900, NULL,
                                              gk_test_store_result_cb, &renewal);
  gk_test_wait_until (f->token_requests > 0);
  gk_session_sign_out_async (session, NULL, gk_test_store_result_cb, &sign_out);
  g_assert_true (gk_session_sign_out_finish (session, gk_test_wait_for_result (&sign_out), NULL));
  creds = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (session),
                                                       gk_test_wait_for_result (&renewal), &error);

  /* The late answer of the token endpoint must not sign the user back in. */
  g_assert_null (creds);
  g_assert_error (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN);
  token = keyring_get (f, GK_KEYRING_KIND_REFRESH_TOKEN);
  previous = keyring_get (f, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN);
  g_assert_null (token);
  g_assert_null (previous);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_OUT);
}

static void
test_auto_renew_timer (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;

  f->unavailable = TRUE;
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "good");
  put_credentials (f, 300); /* inside the last 12.5 minutes */
  session = restored_session (f);
  g_assert_cmpuint (f->token_requests, ==, 0);

  /* A long-running process renews by itself, without anybody asking. */
  gk_session_set_auto_renew (session, TRUE);
  gk_test_wait_until_msg (f->token_requests > 0, "the session to renew by itself");
  gk_test_wait_until (gk_session_get_state (session) != GK_SESSION_STATE_RENEWING);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
  g_assert_nonnull (gk_session_get_renewal_error (session));
}


/* ---- Applying a renewal's result -----------------------------------------
 * The rules of gk_session_apply_renewal_result(), with results made here:
 * no token endpoint decides the outcome. */

static GkCredentials *
credentials_for (const char *key_id,
                 gint64      seconds_left)
{
  return gk_credentials_new (key_id, "secret", "token",
                             g_get_real_time () / G_USEC_PER_SEC + seconds_left);
}

static GkRenewalResult *
result_with (GkRenewalOutcome  outcome,
             const char       *key_id,
             gint64            seconds_left,
             const char       *user)
{
  g_autoptr(GkCredentials) creds = key_id != NULL ? credentials_for (key_id, seconds_left) : NULL;
  g_autoptr(GError) error = NULL;

  if (outcome == GK_RENEWAL_FAILED)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "the network is down");
  else if (outcome == GK_RENEWAL_REFUSED)
    error = g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_GRANT, "refused");
  else if (outcome == GK_RENEWAL_STALE)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stale");
  return gk_renewal_result_new (outcome, creds, g_get_real_time () / G_USEC_PER_SEC,
                                "us-east-1:identity", user, error);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static GkSession *
signed_in_session (Fixture *f,
                   gint64   seconds_left)
{
  keyring_put (f, GK_KEYRING_KIND_REFRESH_TOKEN, "good");
  keyring_put (f, GK_KEYRING_KIND_USER, "{\"sub\":\"1\",\"email\":\"ana@lab.org\"}");
  put_credentials (f, seconds_left);
  return restored_session (f);
}

static void
test_apply_renewed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GkSession) session = signed_in_session (f, 600);
  g_autoptr(GkRenewalResult) failed = result_with (GK_RENEWAL_FAILED, NULL, 0, NULL);
  g_autoptr(GkRenewalResult) renewed = result_with (GK_RENEWAL_RENEWED, "ASIANEW", 3600,
                                                    "bob@lab.org");
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = gk_session_get_credentials_expiration (session);

  gk_session_apply_renewal_result (session, failed);
  g_assert_nonnull (gk_session_get_renewal_error (session));

  gk_session_apply_renewal_result (session, renewed);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
  g_assert_null (gk_session_get_renewal_error (session));
  g_assert_cmpstr (gk_session_get_email (session), ==, "bob@lab.org");
  g_assert_cmpint (gk_session_get_credentials_expiration (session), >, before + 2000);
  /* and they are what callers get, without asking the network */
  creds = get_credentials (session, 900, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIANEW");
  g_assert_cmpuint (f->token_requests, ==, 0);
}

static void
test_apply_adopted_never_older (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GkSession) session = signed_in_session (f, 3600);
  g_autoptr(GkRenewalResult) older = result_with (GK_RENEWAL_ADOPTED, "ASIAOLDER", 600, NULL);
  g_autoptr(GkRenewalResult) newer = result_with (GK_RENEWAL_ADOPTED, "ASIANEWER", 7200, NULL);
  gint64 before = gk_session_get_credentials_expiration (session);

  /* Another process's older cache must not replace fresher credentials. */
  gk_session_apply_renewal_result (session, older);
  g_assert_cmpint (gk_session_get_credentials_expiration (session), ==, before);
  g_assert_cmpstr (gk_session_get_email (session), ==, "ana@lab.org");

  gk_session_apply_renewal_result (session, newer);
  g_assert_cmpint (gk_session_get_credentials_expiration (session), >, before);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
}

static void
test_apply_failed_keeps_what_works (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GkSession) session = signed_in_session (f, 600);
  g_autoptr(GkRenewalResult) failed = result_with (GK_RENEWAL_FAILED, NULL, 0, NULL);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = gk_session_get_credentials_expiration (session);

  gk_session_apply_renewal_result (session, failed);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
  g_assert_error (gk_session_get_renewal_error (session), G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
  g_assert_cmpint (gk_session_get_credentials_expiration (session), ==, before);
  creds = get_credentials (session, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, GK_TEST_KEYRING_ACCESS_KEY_ID);
}

static void
test_apply_stale_changes_nothing (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GkSession) session = signed_in_session (f, 600);
  g_autoptr(GkRenewalResult) stale = result_with (GK_RENEWAL_STALE, "ASIASTALE", 3600, "eve@lab.org");
  gint64 before = gk_session_get_credentials_expiration (session);
  guint notifies = 0;

  g_signal_connect (session, "notify", G_CALLBACK (on_notify_cb), &notifies);
  gk_session_apply_renewal_result (session, stale);
  g_assert_cmpuint (notifies, ==, 0);
  g_assert_cmpint (gk_session_get_credentials_expiration (session), ==, before);
  g_assert_cmpstr (gk_session_get_email (session), ==, "ana@lab.org");
  g_assert_null (gk_session_get_renewal_error (session));
}

static void
test_apply_twice_is_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GkSession) session = signed_in_session (f, 600);
  g_autoptr(GkRenewalResult) renewed = result_with (GK_RENEWAL_RENEWED, "ASIANEW", 3600,
                                                    "bob@lab.org");
  guint notifies = 0;

  /* Every caller of one renewal applies its result. */
  gk_session_apply_renewal_result (session, renewed);
  g_signal_connect (session, "notify", G_CALLBACK (on_notify_cb), &notifies);
  gk_session_apply_renewal_result (session, renewed);
  g_assert_cmpuint (notifies, ==, 0);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
}

static void
test_apply_signed_out_ignores (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GkSession) session = restored_session (f);
  g_autoptr(GkRenewalResult) renewed = result_with (GK_RENEWAL_RENEWED, "ASIALATE", 3600,
                                                    "bob@lab.org");

  /* A renewal that ends after the sign-out signs nobody back in. */
  gk_session_apply_renewal_result (session, renewed);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_OUT);
  g_assert_cmpint (gk_session_get_credentials_expiration (session), ==, 0);
  g_assert_null (gk_session_get_email (session));
}

static gboolean
is_renewing (GkSession *session)
{
  return gk_session_get_state (session) == GK_SESSION_STATE_RENEWING;
}

static void
test_apply_refused_while_renewing (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkRenewalResult) refused = result_with (GK_RENEWAL_REFUSED, NULL, 0, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  f->good_token = "something-else";
  f->hold = TRUE;
  session = signed_in_session (f, 600);
  gk_credential_source_get_credentials_async (GK_CREDENTIAL_SOURCE (session), 900, NULL,
                                              gk_test_store_result_cb, &result);
  gk_test_wait_until (f->held != NULL && is_renewing (session));

  gk_session_apply_renewal_result (session, refused);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_NEEDS_SIGN_IN);
  g_assert_error (gk_session_get_renewal_error (session), GK_TOKEN_ERROR,
                  GK_TOKEN_ERROR_INVALID_GRANT);

  /* The real renewal, refused too, ends where the first result left it;
   * the credentials that still work are handed out. */
  soup_server_message_unpause (f->held);
  creds = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (session),
                                                       gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, GK_TEST_KEYRING_ACCESS_KEY_ID);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_NEEDS_SIGN_IN);
  token = keyring_get (f, GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (token, ==, "good");
}

static void
test_apply_refused_without_renewal (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkRenewalResult) refused = NULL;

  /* Needing a new sign-in without a renewal having been refused is a bug:
   * the table refuses the move, loudly. */
  if (g_test_subprocess ())
    {
      session = signed_in_session (f, 600);
      refused = result_with (GK_RENEWAL_REFUSED, NULL, 0, NULL);
      gk_session_apply_renewal_result (session, refused);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*Refused session state change signed-in -> needs-sign-in*");
}

static gboolean
is_signing_in (GkSession *session)
{
  return gk_session_get_state (session) == GK_SESSION_STATE_SIGNING_IN;
}

static void
test_apply_during_sign_in (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GkSession) session = signed_in_session (f, 600);
  g_autoptr(GkRenewalResult) refused = result_with (GK_RENEWAL_REFUSED, NULL, 0, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_session_sign_in_async (session, GK_SIGN_IN_FLAGS_NO_BROWSER, cancellable, gk_test_store_result_cb,
                            &result);
  gk_test_wait_until (is_signing_in (session));
  g_assert_nonnull (gk_session_get_authorization_uri (session));

  /* A renewal that started before the sign-in ends refused: the sign-in
   * goes on, and if it fails the session is where the renewal left it. */
  gk_session_apply_renewal_result (session, refused);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNING_IN);
  g_assert_nonnull (gk_session_get_renewal_error (session));

  g_cancellable_cancel (cancellable);
  g_assert_false (gk_session_sign_in_finish (session, gk_test_wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_NEEDS_SIGN_IN);
  g_assert_null (gk_session_get_authorization_uri (session));
}

static void
test_sign_in_busy (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GkSession) session = restored_session (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  /* One sign-in at a time, even before its listener is bound. */
  gk_session_sign_in_async (session, GK_SIGN_IN_FLAGS_NO_BROWSER, cancellable, gk_test_store_result_cb, &first);
  gk_session_sign_in_async (session, GK_SIGN_IN_FLAGS_NO_BROWSER, NULL, gk_test_store_result_cb, &second);
  g_assert_false (gk_session_sign_in_finish (session, gk_test_wait_for_result (&second), &error));
  g_assert_error (error, GK_SESSION_ERROR, GK_SESSION_ERROR_BUSY);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_false (gk_session_sign_in_finish (session, gk_test_wait_for_result (&first), &error));
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_OUT);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *runtime = g_dir_make_tmp ("gk-test-session-XXXXXX", NULL);

  /* The cross-process renewal lock lives under $XDG_RUNTIME_DIR. */
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/renewal-time/before-expiry", test_renewal_time);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/session/restore/no-token-is-signed-out", test_restore_signed_out);
  ADD ("/session/restore/cached-credentials-need-no-network", test_restore_signed_in_uses_cache);
  ADD ("/session/restore/previous-token-alone-still-signed-in", test_restore_from_previous_only);
  ADD ("/session/renewal/refused-keeps-token-and-working-credentials",
       test_refused_keeps_token_and_working_credentials);
  ADD ("/session/renewal/refused-and-expired-needs-sign-in", test_refused_and_expired_is_an_error);
  ADD ("/session/renewal/transient-failure-stays-signed-in", test_transient_failure_stays_signed_in);
  ADD ("/session/renewal/falls-back-to-previous-token", test_falls_back_to_previous_token);
  ADD ("/session/renewal/rotation-keeps-old-token-as-previous", test_rotation_keeps_old_as_previous);
  ADD ("/session/renewal/single-flight", test_single_flight);
  ADD ("/session/renewal/timer-renews-before-expiry", test_auto_renew_timer);
  ADD ("/session/renewal/sign-out-meanwhile-wins", test_sign_out_during_renewal);
  ADD ("/session/apply/renewed-replaces-credentials-and-clears-the-error", test_apply_renewed);
  ADD ("/session/apply/adopted-never-replaces-fresher-credentials", test_apply_adopted_never_older);
  ADD ("/session/apply/failed-keeps-what-works", test_apply_failed_keeps_what_works);
  ADD ("/session/apply/stale-changes-nothing", test_apply_stale_changes_nothing);
  ADD ("/session/apply/same-result-twice-changes-nothing-more", test_apply_twice_is_once);
  ADD ("/session/apply/signed-out-signs-nobody-back-in", test_apply_signed_out_ignores);
  ADD ("/session/apply/refused-while-renewing-needs-sign-in", test_apply_refused_while_renewing);
  ADD ("/session/apply/refused-without-a-renewal-is-a-bug", test_apply_refused_without_renewal);
  ADD ("/session/apply/during-sign-in-waits-for-its-end", test_apply_during_sign_in);
  ADD ("/session/sign-in/one-at-a-time", test_sign_in_busy);
  ADD ("/session/renew-now/refreshes-though-credentials-are-fresh", test_renew_now_refreshes_fresh_credentials);
  ADD ("/session/renew-now/refused-says-when-the-sign-in-began", test_renew_now_refused_says_when_signed_in);
  ADD ("/session/renew-now/signed-out-has-nothing-to-renew", test_renew_now_needs_a_sign_in);
#undef ADD

  return g_test_run ();
}
