/* test-token-client.c: the token and revocation endpoints, against a local server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-token-client.h"
#include "gk-test.h"

#define CLIENT_ID     "public-client"
#define SECRET_CLIENT "conf-client"
#define SECRET        "s3cr3t+/="
#define ID_TOKEN      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"

typedef struct
{
  GkTestServer *server;
  /* what the last request looked like */
  char *method;
  char *path;
  char *authorization;
  char *content_type;
  GHashTable *form;
  guint requests;
  /* what to answer */
  guint status;
  char *body;
} Fixture;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fx = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  fx->requests++;
  g_free (fx->method);
  g_free (fx->path);
  g_free (fx->authorization);
  g_free (fx->content_type);
  g_clear_pointer (&fx->form, g_hash_table_unref);
  fx->method = g_strdup (soup_server_message_get_method (msg));
  fx->path = g_strdup (path);
  fx->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  fx->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  fx->form = gk_test_request_form (msg);

  gk_test_respond (msg, fx->status, "application/json;charset=UTF-8", fx->body);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->server = gk_test_server_new ();
  gk_test_server_add_handler (fx->server, "/oauth2", handler, fx);
  fx->status = 200;
  fx->body = g_strdup ("{}");
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_pointer (&fx->server, gk_test_server_free);
  g_free (fx->method);
  g_free (fx->path);
  g_free (fx->authorization);
  g_free (fx->content_type);
  g_clear_pointer (&fx->form, g_hash_table_unref);
  g_free (fx->body);
}

static void
answer (Fixture    *fx,
        guint       status,
        const char *body)
{
  fx->status = status;
  g_free (fx->body);
  fx->body = g_strdup (body);
}

static GkTokenClient *
client_for (Fixture    *fx,
            const char *client_id,
            const char *secret)
{
  g_autofree char *token = gk_test_server_url (fx->server, "/oauth2/token");

  return gk_token_client_new (token, NULL, client_id, secret, NULL);
}

static GkTokens *
exchange (GkTokenClient  *client,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_token_client_exchange_code_async (client, "the-code", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                       "http://localhost:60151/oauthCallback", NULL, gk_test_store_result_cb, &result);
  return gk_token_client_exchange_code_finish (client, gk_test_wait_for_result (&result), error);
}

static GkTokens *
refresh (GkTokenClient  *client,
         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_token_client_refresh_async (client, "the-refresh-token", NULL, gk_test_store_result_cb, &result);
  return gk_token_client_refresh_finish (client, gk_test_wait_for_result (&result), error);
}

static gboolean
revoke_token (GkTokenClient  *client,
        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_token_client_revoke_async (client, "the-refresh-token", NULL, gk_test_store_result_cb, &result);
  return gk_token_client_revoke_finish (client, gk_test_wait_for_result (&result), error);
}

static void
test_exchange_public_client (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(GkTokenClient) client = client_for (fx, CLIENT_ID, NULL);
  g_autoptr(GkTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  answer (fx, 200, "{\"id_token\":\"" ID_TOKEN "\",\"access_token\":\"acc\",\"refresh_token\":\"ref\","
                   "\"expires_in\":3600,\"token_type\":\"Bearer\"}");
  tokens = exchange (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_tokens_get_id_token (tokens), ==, ID_TOKEN);
  g_assert_cmpstr (gk_tokens_get_access_token (tokens), ==, "acc");
  g_assert_cmpstr (gk_tokens_get_refresh_token (tokens), ==, "ref");
  g_assert_cmpint (gk_tokens_get_expires_in (tokens), ==, 3600);

  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (fx->path, ==, "/oauth2/token");
  g_assert_cmpstr (fx->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_null (fx->authorization);
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "grant_type"), ==, "authorization_code");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "code"), ==, "the-code");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "code_verifier"), ==, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "redirect_uri"), ==, "http://localhost:60151/oauthCallback");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "client_id"), ==, CLIENT_ID);
  g_assert_false (g_hash_table_contains (fx->form, "client_secret"));
}

static void
test_exchange_secret_only_as_basic (Fixture       *fx,
                                    gconstpointer  data)
{
  g_autoptr(GkTokenClient) client = client_for (fx, SECRET_CLIENT, SECRET);
  g_autoptr(GkTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *b64 = NULL;
  GHashTableIter iter;
  gpointer value;

  answer (fx, 200, "{\"id_token\":\"" ID_TOKEN "\",\"access_token\":\"acc\",\"refresh_token\":\"ref\",\"expires_in\":3600}");
  tokens = exchange (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);

  /* RFC 6749 2.3.1: id and secret form-encoded, then base64 */
  b64 = g_base64_encode ((const guchar *) SECRET_CLIENT ":s3cr3t%2B%2F%3D", strlen (SECRET_CLIENT ":s3cr3t%2B%2F%3D"));
  expected = g_strconcat ("Basic ", b64, NULL);
  g_assert_cmpstr (fx->authorization, ==, expected);
  g_assert_false (g_hash_table_contains (fx->form, "client_secret"));
  g_assert_false (g_hash_table_contains (fx->form, "client_id"));
  g_hash_table_iter_init (&iter, fx->form);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_null (strstr (value, "s3cr3t"));
}

static void
test_refresh_without_rotation (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(GkTokenClient) client = client_for (fx, CLIENT_ID, NULL);
  g_autoptr(GkTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  answer (fx, 200, "{\"id_token\":\"" ID_TOKEN "\",\"access_token\":\"acc2\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
  tokens = refresh (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_tokens_get_id_token (tokens), ==, ID_TOKEN);
  g_assert_null (gk_tokens_get_refresh_token (tokens));
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "refresh_token"), ==, "the-refresh-token");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "client_id"), ==, CLIENT_ID);
  g_assert_false (g_hash_table_contains (fx->form, "code_verifier"));
}

static void
test_refresh_with_rotation (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GkTokenClient) client = client_for (fx, SECRET_CLIENT, SECRET);
  g_autoptr(GkTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  answer (fx, 200, "{\"id_token\":\"" ID_TOKEN "\",\"access_token\":\"acc2\",\"refresh_token\":\"rotated\",\"expires_in\":300}");
  tokens = refresh (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_tokens_get_refresh_token (tokens), ==, "rotated");
  g_assert_cmpint (gk_tokens_get_expires_in (tokens), ==, 300);
  g_assert_nonnull (fx->authorization);
  g_assert_true (g_str_has_prefix (fx->authorization, "Basic "));
}

static void
assert_error_maps (Fixture      *fx,
                   gboolean      refreshing,
                   guint         status,
                   const char   *body,
                   GkTokenError  expected)
{
  g_autoptr(GkTokenClient) client = client_for (fx, CLIENT_ID, NULL);
  g_autoptr(GkTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  answer (fx, status, body);
  tokens = refreshing ? refresh (client, &error) : exchange (client, &error);
  g_assert_null (tokens);
  g_assert_error (error, GK_TOKEN_ERROR, (int) expected);
  /* nothing of what was sent comes back in the message */
  g_assert_null (strstr (error->message, "the-refresh-token"));
  g_assert_null (strstr (error->message, "the-code"));
  g_assert_null (strstr (error->message, "dBjftJeZ4CVP"));
}

static void
test_error_mapping (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GkTokenClient) client = client_for (fx, CLIENT_ID, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkTokens) tokens = NULL;

  assert_error_maps (fx, FALSE, 400, "{\"error\":\"invalid_grant\"}", GK_TOKEN_ERROR_INVALID_GRANT);
  assert_error_maps (fx, FALSE, 400, "{\"error\":\"invalid_client\"}", GK_TOKEN_ERROR_INVALID_CLIENT);
  assert_error_maps (fx, FALSE, 401, "{\"error\":\"invalid_client\"}", GK_TOKEN_ERROR_INVALID_CLIENT);
  assert_error_maps (fx, FALSE, 400, "{\"error\":\"unauthorized_client\"}", GK_TOKEN_ERROR_UNAUTHORIZED_CLIENT);
  assert_error_maps (fx, FALSE, 400, "{\"error\":\"invalid_request\",\"error_description\":\"the-code is bad\"}", GK_TOKEN_ERROR_INVALID_REQUEST);
  assert_error_maps (fx, FALSE, 400, "{\"error\":\"unsupported_grant_type\"}", GK_TOKEN_ERROR_INVALID_REQUEST);
  assert_error_maps (fx, FALSE, 503, "<html>busy</html>", GK_TOKEN_ERROR_UNAVAILABLE);
  assert_error_maps (fx, FALSE, 429, "{\"error\":\"TooManyRequestsException\"}", GK_TOKEN_ERROR_UNAVAILABLE);
  assert_error_maps (fx, FALSE, 400, "not json", GK_TOKEN_ERROR_FAILED);
  assert_error_maps (fx, FALSE, 200, "not json", GK_TOKEN_ERROR_INVALID_RESPONSE);
  assert_error_maps (fx, FALSE, 200, "{\"access_token\":\"acc\"}", GK_TOKEN_ERROR_INVALID_RESPONSE);
  assert_error_maps (fx, FALSE, 200, "{\"id_token\":\"x\",\"token_type\":\"MAC\"}", GK_TOKEN_ERROR_INVALID_RESPONSE);
  assert_error_maps (fx, TRUE, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh Token has been revoked\"}",
                     GK_TOKEN_ERROR_INVALID_GRANT);

  /* the user is told what to do */
  answer (fx, 400, "{\"error\":\"invalid_grant\"}");
  tokens = refresh (client, &error);
  g_assert_null (tokens);
  g_assert_cmpstr (error->message, ==, "Your sign-in has expired or was revoked. Sign in again.");
}

static void
test_unreachable (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GkTokenClient) client = NULL;
  g_autoptr(GkTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* a port bound but not listening refuses connections */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/oauth2/token",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = gk_token_client_new (url, NULL, CLIENT_ID, NULL, NULL);
  tokens = refresh (client, &error);
  g_assert_null (tokens);
  g_assert_error (error, GK_TOKEN_ERROR, GK_TOKEN_ERROR_UNAVAILABLE);
}

static void
test_revoke (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GkTokenClient) public_client = client_for (fx, CLIENT_ID, NULL);
  g_autoptr(GkTokenClient) secret_client = client_for (fx, SECRET_CLIENT, SECRET);
  g_autoptr(GError) error = NULL;

  answer (fx, 200, "");
  g_assert_true (revoke_token (public_client, &error));
  g_assert_no_error (error);
  /* derived from the token endpoint's origin */
  g_assert_cmpstr (fx->path, ==, "/oauth2/revoke");
  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "token"), ==, "the-refresh-token");
  g_assert_cmpstr (g_hash_table_lookup (fx->form, "client_id"), ==, CLIENT_ID);
  g_assert_null (fx->authorization);

  g_assert_true (revoke_token (secret_client, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fx->authorization, "Basic "));
  g_assert_false (g_hash_table_contains (fx->form, "client_id"));

  /* already invalid: nothing left to revoke, which is what we wanted */
  answer (fx, 400, "{\"error\":\"invalid_grant\"}");
  g_assert_true (revoke_token (public_client, &error));
  g_assert_no_error (error);

  answer (fx, 400, "{\"error\":\"unsupported_token_type\"}");
  g_assert_false (revoke_token (public_client, &error));
  g_assert_error (error, GK_TOKEN_ERROR, GK_TOKEN_ERROR_UNSUPPORTED_TOKEN_TYPE);
}

static void
test_parse_response_pure (void)
{
  g_autoptr(GError) error = NULL;
  const char *body = "{\"id_token\":\"i\",\"access_token\":\"a\",\"expires_in\":\"120\"}";
  g_autoptr(GkTokens) tokens = gk_token_client_parse_response (GK_TOKEN_GRANT_REFRESH_TOKEN, 200, body, strlen (body), &error);

  g_assert_no_error (error);
  g_assert_cmpint (gk_tokens_get_expires_in (tokens), ==, 120);
  g_assert_null (gk_tokens_get_refresh_token (tokens));
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/token-client/exchange/public-client-id-in-body", test_exchange_public_client);
  ADD ("/token-client/exchange/secret-only-as-basic", test_exchange_secret_only_as_basic);
  ADD ("/token-client/refresh/no-rotation", test_refresh_without_rotation);
  ADD ("/token-client/refresh/rotation", test_refresh_with_rotation);
  ADD ("/token-client/errors/mapped", test_error_mapping);
  ADD ("/token-client/errors/unreachable", test_unreachable);
  ADD ("/token-client/revoke", test_revoke);
  g_test_add_func ("/token-client/parse/expires-in-string", test_parse_response_pure);

  return g_test_run ();
}
