/* protocol-tool.c: the sign-in protocol pieces end to end, for the
 * integration test against the local stand-in
 *
 * Binds the loopback listener, prints the authorization URL, waits for the
 * redirect, exchanges the code, verifies the ID token against the JWKS,
 * refreshes, revokes, and checks the revoked refresh token is refused.
 * Prints what it learned, never a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "gk-jwks.h"
#include "gk-loopback.h"
#include "gk-oauth.h"
#include "gk-token-client.h"
#include "gk-test.h"

static int
fail (const char *stage,
      GError     *error)
{
  printf ("FAIL %s %s %d %s\n", stage, g_quark_to_string (error->domain), error->code, error->message);
  fflush (stdout);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *authorize = NULL, *token = NULL, *jwks_uri = NULL, *issuer = NULL;
  g_autofree char *client_id = NULL, *client_secret = NULL, *path = NULL, *redirect_uri = NULL;
  int port = 0;
  GOptionEntry entries[] = {
    { "authorize", 0, 0, G_OPTION_ARG_STRING, &authorize, NULL, NULL },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, NULL, NULL },
    { "jwks", 0, 0, G_OPTION_ARG_STRING, &jwks_uri, NULL, NULL },
    { "issuer", 0, 0, G_OPTION_ARG_STRING, &issuer, NULL, NULL },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, NULL, NULL },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret, NULL, NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, NULL, NULL },
    { "path", 0, 0, G_OPTION_ARG_STRING, &path, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkOAuthRequest) request = NULL;
  g_autoptr(GkLoopback) loopback = NULL;
  g_autoptr(GkTokenClient) client = NULL;
  g_autoptr(GkJwks) jwks = NULL;
  g_autoptr(GkTokens) tokens = NULL;
  g_autoptr(GkTokens) refreshed = NULL;
  g_autoptr(GkJwtClaims) claims = NULL;
  g_autoptr(GkJwtClaims) refreshed_claims = NULL;
  g_autoptr(GAsyncResult) r0 = NULL, r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL, r7 = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;
  const char *refresh_token;
  gint64 redirect_at, verified_at;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("options", error);
  if (path == NULL)
    path = g_strdup ("/oauthCallback");
  redirect_uri = g_strdup_printf ("http://localhost:%d%s", port, path);

  request = gk_oauth_request_new (&error);
  if (request == NULL)
    return fail ("request", error);

  gk_loopback_new_async (port, path, gk_oauth_request_get_state (request), NULL, gk_test_store_result_cb, &r0);
  loopback = gk_loopback_new_finish (gk_test_wait_for_result (&r0), &error);
  if (loopback == NULL)
    return fail ("listen", error);

  url = gk_oauth_build_authorization_url (authorize, client_id, redirect_uri, "email%20openid%20profile",
                                          gk_oauth_request_get_state (request),
                                          gk_oauth_request_get_nonce (request),
                                          gk_oauth_request_get_code_challenge (request), NULL);
  printf ("URL %s\n", url);
  fflush (stdout);

  gk_loopback_wait_async (loopback, 60, NULL, gk_test_store_result_cb, &r1);
  /* The listener gives up after its own 60 s; this wait only catches a hang. */
  gk_test_wait_until_full (r1 != NULL, "the browser's redirect to the loopback listener", 90);
  code = gk_loopback_wait_finish (loopback, r1, &error);
  redirect_at = g_get_monotonic_time ();
  if (code == NULL)
    return fail ("callback", error);
  printf ("LISTENING-AFTER %s\n", gk_loopback_is_listening (loopback) ? "yes" : "no");

  client = gk_token_client_new (token, NULL, client_id, client_secret, NULL);
  gk_token_client_exchange_code_async (client, code, gk_oauth_request_get_code_verifier (request),
                                       redirect_uri, NULL, gk_test_store_result_cb, &r2);
  tokens = gk_token_client_exchange_code_finish (client, gk_test_wait_for_result (&r2), &error);
  if (tokens == NULL)
    return fail ("exchange", error);

  jwks = gk_jwks_new (jwks_uri, NULL);
  gk_jwks_verify_id_token_async (jwks, gk_tokens_get_id_token (tokens), issuer, client_id,
                                 gk_oauth_request_get_nonce (request), g_get_real_time () / G_USEC_PER_SEC,
                                 NULL, gk_test_store_result_cb, &r3);
  claims = gk_jwks_verify_id_token_finish (jwks, gk_test_wait_for_result (&r3), &error);
  if (claims == NULL)
    return fail ("verify", error);
  verified_at = g_get_monotonic_time ();

  printf ("EMAIL %s\n", gk_jwt_claims_get_email (claims));
  printf ("USERNAME %s\n", gk_jwt_claims_get_username (claims));
  printf ("EXPIRES-IN %" G_GINT64_FORMAT "\n", gk_tokens_get_expires_in (tokens));
  printf ("HAS-REFRESH %s\n", gk_tokens_get_refresh_token (tokens) ? "yes" : "no");
  printf ("REDIRECT-TO-VERIFIED-MS %.1f\n", (verified_at - redirect_at) / 1000.0);

  refresh_token = gk_tokens_get_refresh_token (tokens);
  gk_token_client_refresh_async (client, refresh_token, NULL, gk_test_store_result_cb, &r4);
  refreshed = gk_token_client_refresh_finish (client, gk_test_wait_for_result (&r4), &error);
  if (refreshed == NULL)
    return fail ("refresh", error);
  gk_jwks_verify_id_token_async (jwks, gk_tokens_get_id_token (refreshed), issuer, client_id, NULL,
                                 g_get_real_time () / G_USEC_PER_SEC, NULL, gk_test_store_result_cb, &r5);
  refreshed_claims = gk_jwks_verify_id_token_finish (jwks, gk_test_wait_for_result (&r5), &error);
  if (refreshed_claims == NULL)
    return fail ("verify-refreshed", error);
  printf ("ROTATED %s\n", gk_tokens_get_refresh_token (refreshed) ? "yes" : "no");
  if (gk_tokens_get_refresh_token (refreshed) != NULL)
    refresh_token = gk_tokens_get_refresh_token (refreshed);
  printf ("JWKS-FETCHES %u\n", gk_jwks_get_fetch_count (jwks));

  gk_token_client_revoke_async (client, refresh_token, NULL, gk_test_store_result_cb, &r6);
  if (!gk_token_client_revoke_finish (client, gk_test_wait_for_result (&r6), &error))
    return fail ("revoke", error);

  {
    g_autoptr(GkTokens) after = NULL;

    gk_token_client_refresh_async (client, refresh_token, NULL, gk_test_store_result_cb, &r7);
    after = gk_token_client_refresh_finish (client, gk_test_wait_for_result (&r7), &error);
    if (after != NULL)
      {
        printf ("FAIL after-revoke refresh still works\n");
        return 1;
      }
    printf ("AFTER-REVOKE %s %d %s\n", g_quark_to_string (error->domain), error->code, error->message);
  }

  printf ("DONE\n");
  return 0;
}
