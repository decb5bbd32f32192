/* test-oauth.c: PKCE, state, URLs and the callback's query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-oauth.h"

#define STATE "dGhpcyBpcyBhIHN0YXRlIG9mIDEyOCBiaXRzIG9yIG1vcmU"

static void
test_oauth_pkce_rfc7636_appendix_b (void)
{
  g_autofree char *challenge =
    gk_oauth_compute_code_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_oauth_pkce_verifier_is_random_and_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = gk_oauth_generate_code_verifier (&error);
  g_autofree char *b = gk_oauth_generate_code_verifier (&error);

  g_assert_no_error (error);
  g_assert_true (gk_oauth_code_verifier_is_valid (a));
  g_assert_true (gk_oauth_code_verifier_is_valid (b));
  g_assert_cmpuint (strlen (a), >=, 43);
  g_assert_cmpuint (strlen (a), <=, 128);
  g_assert_cmpstr (a, !=, b);

  g_assert_false (gk_oauth_code_verifier_is_valid ("short"));
  g_assert_false (gk_oauth_code_verifier_is_valid ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX/"));
}

static void
test_oauth_state_and_nonce_have_128_bits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkOAuthRequest) request = gk_oauth_request_new (&error);
  g_autoptr(GkOAuthRequest) other = gk_oauth_request_new (&error);
  g_autofree char *challenge = NULL;

  g_assert_no_error (error);
  /* 22 base64url characters carry 132 bits */
  g_assert_cmpuint (strlen (gk_oauth_request_get_state (request)), >=, 22);
  g_assert_cmpuint (strlen (gk_oauth_request_get_nonce (request)), >=, 22);
  g_assert_cmpstr (gk_oauth_request_get_state (request), !=, gk_oauth_request_get_state (other));
  g_assert_cmpstr (gk_oauth_request_get_nonce (request), !=, gk_oauth_request_get_nonce (other));
  g_assert_cmpstr (gk_oauth_request_get_state (request), !=, gk_oauth_request_get_nonce (request));

  challenge = gk_oauth_compute_code_challenge (gk_oauth_request_get_code_verifier (request));
  g_assert_cmpstr (gk_oauth_request_get_code_challenge (request), ==, challenge);
}

static void
test_oauth_base64url_encode (void)
{
  g_autofree char *a = gk_oauth_base64url_encode ((const guint8 *) "\xfb\xff", 2);
  g_autofree char *b = gk_oauth_base64url_encode ((const guint8 *) "f", 1);
  g_autofree char *c = gk_oauth_base64url_encode ((const guint8 *) "foobar", 6);

  g_assert_cmpstr (a, ==, "-_8");
  g_assert_cmpstr (b, ==, "Zg");
  g_assert_cmpstr (c, ==, "Zm9vYmFy");
}

static GHashTable *
query_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);

  g_assert_nonnull (uri);
  return g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
}

static void
test_oauth_authorization_url (void)
{
  g_autofree char *url = gk_oauth_build_authorization_url (
    "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize",
    "client123", "http://localhost:60151/oauthCallback", "email openid profile",
    STATE, "nonce-1", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", NULL);
  g_autoptr(GHashTable) params = query_of (url);

  g_assert_true (g_str_has_prefix (url, "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize?response_type=code&"));
  g_assert_nonnull (strstr (url, "&scope=email%20openid%20profile&"));
  g_assert_nonnull (strstr (url, "&redirect_uri=http%3A%2F%2Flocalhost%3A60151%2FoauthCallback&"));
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "client123");
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, "http://localhost:60151/oauthCallback");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, "email openid profile");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, STATE);
  g_assert_cmpstr (g_hash_table_lookup (params, "nonce"), ==, "nonce-1");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_false (g_hash_table_contains (params, "identity_provider"));
}

static void
test_oauth_authorization_url_pre_encoded_scope (void)
{
  /* IGV's oauth-config.json files hold the scope encoded; it must not be
   * encoded a second time (email%2520openid…). */
  g_autofree char *url = gk_oauth_build_authorization_url (
    "http://127.0.0.1:4000/oauth2/authorize", "c", "http://localhost:60151/oauthCallback",
    "email%20openid%20profile", STATE, "n", "ch", "Google");
  g_autoptr(GHashTable) params = query_of (url);

  g_assert_null (strstr (url, "%25"));
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, "email openid profile");
  g_assert_cmpstr (g_hash_table_lookup (params, "identity_provider"), ==, "Google");
}

static void
test_oauth_authorization_url_for_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GkOAuthRequest) request =
    gk_oauth_request_new_from_values ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", STATE, "n0");
  g_autofree char *url = NULL;
  g_autoptr(GHashTable) params = NULL;

  json_parser_load_from_data (parser,
    "{\"client_id\": \"abc\","
    " \"authorization_endpoint\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize\","
    " \"token_endpoint\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token\","
    " \"scope\": \"email%20openid%20profile\","
    " \"aws_region\": \"eu-west-2\","
    " \"aws_cognito_pool_id\": \"eu-west-2_AbCdEf123\","
    " \"aws_cognito_fed_pool_id\": \"eu-west-2:11111111-2222-3333-4444-555555555555\"}", -1, &error);
  g_assert_no_error (error);
  profile = gk_profile_new_from_json (json_node_get_object (json_parser_get_root (parser)), "lab", &error);
  g_assert_no_error (error);

  url = gk_oauth_build_authorization_url_for_profile (profile, request, NULL);
  params = query_of (url);
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, "email openid profile");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "abc");
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, "http://localhost:60151/oauthCallback");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  g_assert_cmpstr (g_hash_table_lookup (params, "nonce"), ==, "n0");
}

static void
test_oauth_logout_url (void)
{
  g_autofree char *a = gk_oauth_build_logout_url ("https://lab.auth.example.com/logout", "abc", NULL);
  g_autofree char *b = gk_oauth_build_logout_url ("https://lab.auth.example.com/logout", "abc",
                                                  "http://localhost:60151/signedOut");

  g_assert_cmpstr (a, ==, "https://lab.auth.example.com/logout?client_id=abc");
  g_assert_cmpstr (b, ==, "https://lab.auth.example.com/logout?client_id=abc&logout_uri=http%3A%2F%2Flocalhost%3A60151%2FsignedOut");
}

static void
test_oauth_callback_code (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_true (gk_oauth_parse_callback ("code=a1b2-c3&state=" STATE, STATE, &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "a1b2-c3");
}

static void
test_oauth_callback_code_percent_encoded (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_true (gk_oauth_parse_callback ("state=" STATE "&code=a%2Bb&foo=bar", STATE, &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "a+b");
}

static void
assert_refused (const char  *query,
                GkOAuthError expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_false (gk_oauth_parse_callback (query, STATE, &code, &error));
  g_assert_null (code);
  g_assert_error (error, GK_OAUTH_ERROR, (int) expected);
  g_assert_nonnull (error->message);
}

static void
test_oauth_callback_state_refusals (void)
{
  assert_refused (NULL, GK_OAUTH_ERROR_STATE_MISMATCH);
  assert_refused ("", GK_OAUTH_ERROR_STATE_MISMATCH);
  assert_refused ("code=abc", GK_OAUTH_ERROR_STATE_MISMATCH);
  assert_refused ("code=abc&state=", GK_OAUTH_ERROR_STATE_MISMATCH);
  assert_refused ("code=abc&state=" STATE "x", GK_OAUTH_ERROR_STATE_MISMATCH);
  assert_refused ("code=abc&state=eGhpcyBpcyBhIHN0YXRlIG9mIDEyOCBiaXRzIG9yIG1vcmU", GK_OAUTH_ERROR_STATE_MISMATCH);
  assert_refused ("code=abc&state=" STATE "&state=" STATE, GK_OAUTH_ERROR_STATE_MISMATCH);
  /* an error from someone who does not know the state is not believed */
  assert_refused ("error=access_denied&state=wrong", GK_OAUTH_ERROR_STATE_MISMATCH);
}

static void
test_oauth_callback_malformed (void)
{
  assert_refused ("state=" STATE, GK_OAUTH_ERROR_MALFORMED_CALLBACK);
  assert_refused ("code=&state=" STATE, GK_OAUTH_ERROR_MALFORMED_CALLBACK);
  assert_refused ("code=%zz&state=" STATE, GK_OAUTH_ERROR_MALFORMED_CALLBACK);
  assert_refused ("code=a&code=b&state=" STATE, GK_OAUTH_ERROR_STATE_MISMATCH);
}

static void
test_oauth_callback_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  assert_refused ("error=access_denied&state=" STATE, GK_OAUTH_ERROR_ACCESS_DENIED);
  assert_refused ("error=unauthorized_client&state=" STATE, GK_OAUTH_ERROR_UNAUTHORIZED_CLIENT);
  assert_refused ("error=invalid_scope&state=" STATE, GK_OAUTH_ERROR_INVALID_REQUEST);
  assert_refused ("error=server_error&state=" STATE, GK_OAUTH_ERROR_SERVER_ERROR);
  assert_refused ("error=something_new&state=" STATE, GK_OAUTH_ERROR_FAILED);
  /* an error wins over a code that came with it */
  assert_refused ("code=abc&error=access_denied&state=" STATE, GK_OAUTH_ERROR_ACCESS_DENIED);

  g_assert_false (gk_oauth_parse_callback ("error=access_denied&error_description=User+is+not+in+group%0A%1b&state=" STATE,
                                           STATE, &code, &error));
  g_assert_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "User is not in group??"));
}

static void
test_oauth_state_equal (void)
{
  g_assert_true (gk_oauth_state_equal ("abc", "abc"));
  g_assert_false (gk_oauth_state_equal ("abc", "abd"));
  g_assert_false (gk_oauth_state_equal ("abc", "abcd"));
  g_assert_false (gk_oauth_state_equal ("", ""));
  g_assert_false (gk_oauth_state_equal (NULL, "abc"));
}

/* ---- a pasted address ------------------------------------------------------ */

#define REDIRECT "http://localhost:60151/oauthCallback"

static void
test_oauth_pasted_address_code (void)
{
  const char *pasted[] = {
    REDIRECT "?code=a1b2-c3&state=" STATE,
    /* copied with spaces, from a mail in angle brackets or quotes */
    "  " REDIRECT "?code=a1b2-c3&state=" STATE "\n",
    "<" REDIRECT "?code=a1b2-c3&state=" STATE ">",
    "\"" REDIRECT "?code=a1b2-c3&state=" STATE "\"",
    /* an address bar that hides the scheme */
    "localhost:60151/oauthCallback?code=a1b2-c3&state=" STATE,
    /* another name of this computer, and what browsers append */
    "http://127.0.0.1:60151/oauthCallback?state=" STATE "&code=a1b2-c3#",
    "HTTP://LOCALHOST:60151/oauthCallback?code=a1b2-c3&state=" STATE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (pasted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = NULL;

      g_assert_true (gk_oauth_parse_callback_uri (pasted[i], REDIRECT, STATE, &code, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (code, ==, "a1b2-c3");
    }
}

static void
assert_paste_refused (const char   *pasted,
                      GkOAuthError  expected,
                      const char   *says)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_false (gk_oauth_parse_callback_uri (pasted, REDIRECT, STATE, &code, &error));
  g_assert_null (code);
  g_assert_error (error, GK_OAUTH_ERROR, (int) expected);
  g_assert_nonnull (strstr (error->message, says));
  /* the sign-in goes on waiting: never "sign in again" for these */
  if (expected == GK_OAUTH_ERROR_STATE_MISMATCH || expected == GK_OAUTH_ERROR_MALFORMED_CALLBACK)
    g_assert_null (strstr (error->message, "Sign in again"));
  /* what was pasted is not repeated */
  if (strlen (pasted) > 3)
    g_assert_null (strstr (error->message, pasted));
}

static void
test_oauth_pasted_address_refused (void)
{
  /* another sign-in's address, or a state changed on the way */
  assert_paste_refused (REDIRECT "?code=a&state=eGhpcyBpcyBhIHN0YXRlIG9mIDEyOCBiaXRzIG9yIG1vcmU",
                        GK_OAUTH_ERROR_STATE_MISMATCH, "from another sign-in");
  assert_paste_refused (REDIRECT "?code=a", GK_OAUTH_ERROR_STATE_MISMATCH, "from another sign-in");
  assert_paste_refused (REDIRECT "?code=a&state=" STATE "&state=" STATE,
                        GK_OAUTH_ERROR_STATE_MISMATCH, "from another sign-in");
  /* not this sign-in's return address */
  assert_paste_refused ("http://localhost:60152/oauthCallback?code=a&state=" STATE,
                        GK_OAUTH_ERROR_MALFORMED_CALLBACK, REDIRECT);
  assert_paste_refused ("http://localhost:60151/oauthcallback?code=a&state=" STATE,
                        GK_OAUTH_ERROR_MALFORMED_CALLBACK, REDIRECT);
  assert_paste_refused ("https://localhost:60151/oauthCallback?code=a&state=" STATE,
                        GK_OAUTH_ERROR_MALFORMED_CALLBACK, REDIRECT);
  assert_paste_refused ("http://attacker.example/oauthCallback?code=a&state=" STATE,
                        GK_OAUTH_ERROR_MALFORMED_CALLBACK, "not the address the sign-in returns to");
  /* the link to open, pasted back */
  assert_paste_refused ("https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize?response_type=code"
                        "&client_id=x&redirect_uri=http%3A%2F%2Flocalhost%3A60151%2FoauthCallback&state=" STATE,
                        GK_OAUTH_ERROR_MALFORMED_CALLBACK, "sign-in link itself");
  /* not an address, nothing, half an address */
  assert_paste_refused ("   ", GK_OAUTH_ERROR_MALFORMED_CALLBACK, "Nothing was pasted");
  assert_paste_refused ("<>", GK_OAUTH_ERROR_MALFORMED_CALLBACK, "Nothing was pasted");
  assert_paste_refused ("the code is 1234", GK_OAUTH_ERROR_MALFORMED_CALLBACK, "not a web address");
  assert_paste_refused (REDIRECT "?state=" STATE, GK_OAUTH_ERROR_MALFORMED_CALLBACK, "no readable sign-in answer");
}

static void
test_oauth_pasted_address_provider_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  /* the identity provider's own answer to this sign-in: as the listener's */
  g_assert_false (gk_oauth_parse_callback_uri (REDIRECT "?error=access_denied&state=" STATE, REDIRECT,
                                               STATE, &code, &error));
  g_assert_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_ACCESS_DENIED);
}

static void
test_oauth_loopback_names (void)
{
  g_assert_true (gk_oauth_host_is_loopback_name ("localhost"));
  g_assert_true (gk_oauth_host_is_loopback_name ("LocalHost"));
  g_assert_true (gk_oauth_host_is_loopback_name ("127.0.0.1"));
  g_assert_true (gk_oauth_host_is_loopback_name ("[::1]"));
  g_assert_false (gk_oauth_host_is_loopback_name ("localhost.example.org"));
  g_assert_false (gk_oauth_host_is_loopback_name ("127.0.0.2"));
  g_assert_false (gk_oauth_host_is_loopback_name (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth/pkce/rfc7636-appendix-b", test_oauth_pkce_rfc7636_appendix_b);
  g_test_add_func ("/oauth/pkce/verifier-random-and-valid", test_oauth_pkce_verifier_is_random_and_valid);
  g_test_add_func ("/oauth/request/state-and-nonce-128-bits", test_oauth_state_and_nonce_have_128_bits);
  g_test_add_func ("/oauth/base64url", test_oauth_base64url_encode);
  g_test_add_func ("/oauth/url/authorization", test_oauth_authorization_url);
  g_test_add_func ("/oauth/url/pre-encoded-scope", test_oauth_authorization_url_pre_encoded_scope);
  g_test_add_func ("/oauth/url/from-profile", test_oauth_authorization_url_for_profile);
  g_test_add_func ("/oauth/url/logout", test_oauth_logout_url);
  g_test_add_func ("/oauth/callback/code", test_oauth_callback_code);
  g_test_add_func ("/oauth/callback/code-percent-encoded", test_oauth_callback_code_percent_encoded);
  g_test_add_func ("/oauth/callback/state-refusals", test_oauth_callback_state_refusals);
  g_test_add_func ("/oauth/callback/malformed", test_oauth_callback_malformed);
  g_test_add_func ("/oauth/callback/errors", test_oauth_callback_errors);
  g_test_add_func ("/oauth/state-equal", test_oauth_state_equal);
  g_test_add_func ("/oauth/pasted-address/code-however-copied", test_oauth_pasted_address_code);
  g_test_add_func ("/oauth/pasted-address/refused-saying-what-to-paste", test_oauth_pasted_address_refused);
  g_test_add_func ("/oauth/pasted-address/provider-error-is-final", test_oauth_pasted_address_provider_error);
  g_test_add_func ("/oauth/loopback-names", test_oauth_loopback_names);

  return g_test_run ();
}
