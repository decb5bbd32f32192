/* gk-token-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <openssl/crypto.h>
#include <string.h>

#include "gk-http.h"
#include "gk-token-client.h"

/* A token response is a few KiB; anything far larger is not one. */
#define MAX_RESPONSE_LENGTH (256 * 1024)

struct _GkTokens
{
  gatomicrefcount ref_count;
  char *id_token;
  char *access_token;
  char *refresh_token;
  gint64 expires_in;
};

struct _GkTokenClient
{
  GObject parent_instance;

  char *token_endpoint;
  char *revocation_endpoint;
  char *client_id;
  char *client_secret;
  SoupSession *session;
};

G_DEFINE_QUARK (gk-token-error-quark, gk_token_error)

G_DEFINE_BOXED_TYPE (GkTokens, gk_tokens, gk_tokens_ref, gk_tokens_unref)

G_DEFINE_FINAL_TYPE (GkTokenClient, gk_token_client, G_TYPE_OBJECT)

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      OPENSSL_cleanse (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

static void
wipe_string_free (char *str)
{
  wipe_string (&str);
}

static void
wipe_bytes (GBytes *bytes)
{
  gsize size;
  gconstpointer data;

  if (bytes == NULL)
    return;

  /* The response body holds the tokens; we hold its only reference. */
  data = g_bytes_get_data (bytes, &size);
  if (data != NULL && size > 0)
    OPENSSL_cleanse ((gpointer) data, size);
  g_bytes_unref (bytes);
}

/* ------------------------------------------------------------------ */
/* GkTokens                                                            */

/**
 * gk_tokens_new:
 * @id_token: the ID token
 * @access_token: (nullable): the access token
 * @refresh_token: (nullable): the refresh token, %NULL when not rotated
 * @expires_in: seconds the ID and access tokens live, 0 if unknown
 *
 * Returns: (transfer full): new tokens
 */
GkTokens *
gk_tokens_new (const char *id_token,
               const char *access_token,
               const char *refresh_token,
               gint64      expires_in)
{
  GkTokens *self;

  g_return_val_if_fail (id_token != NULL, NULL);

  self = g_new0 (GkTokens, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->id_token = g_strdup (id_token);
  self->access_token = g_strdup (access_token);
  self->refresh_token = (refresh_token != NULL && *refresh_token != '\0') ? g_strdup (refresh_token) : NULL;
  self->expires_in = MAX (expires_in, 0);
  return self;
}

GkTokens *
gk_tokens_ref (GkTokens *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gk_tokens_unref (GkTokens *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      wipe_string (&self->id_token);
      wipe_string (&self->access_token);
      wipe_string (&self->refresh_token);
      g_free (self);
    }
}

const char *
gk_tokens_get_id_token (const GkTokens *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id_token;
}

const char *
gk_tokens_get_access_token (const GkTokens *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->access_token;
}

/**
 * gk_tokens_get_refresh_token:
 *
 * Returns: (nullable): the refresh token; after a refresh, %NULL means the
 *   old refresh token stays valid (no rotation)
 */
const char *
gk_tokens_get_refresh_token (const GkTokens *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->refresh_token;
}

gint64
gk_tokens_get_expires_in (const GkTokens *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->expires_in;
}

/* ------------------------------------------------------------------ */
/* Pure parts                                                          */

/**
 * gk_token_error_from_response:
 * @grant: what was asked
 * @http_status: the HTTP status
 * @error_code: (nullable): the OAuth `error` (RFC 6749 section 5.2)
 *
 * Returns: (transfer full): a #GK_TOKEN_ERROR saying what to do
 */
GError *
gk_token_error_from_response (GkTokenGrant grant,
                              guint        http_status,
                              const char  *error_code)
{
  const char *code = error_code != NULL ? error_code : "";

  if (g_str_equal (code, "invalid_grant"))
    {
      if (grant == GK_TOKEN_GRANT_REFRESH_TOKEN)
        return g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_GRANT,
                                    _("Your sign-in has expired or was revoked. Sign in again."));
      return g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_GRANT,
                                  _("The sign-in code was refused: it expired, was already used, or the redirect URI differs. Sign in again; if it keeps failing, check redirect_uri in the profile."));
    }

  if (g_str_equal (code, "invalid_client"))
    return g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_CLIENT,
                                _("The user pool does not accept this app client. Check client_id and client_secret in the profile (a client with a secret needs client_secret, one without must not have it)."));

  if (g_str_equal (code, "unauthorized_client"))
    return g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_UNAUTHORIZED_CLIENT,
                                _("The app client may not use this kind of sign-in. Ask the administrator to enable the authorization code grant and refresh tokens for it."));

  if (g_str_equal (code, "unsupported_token_type"))
    return g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_UNSUPPORTED_TOKEN_TYPE,
                                _("The user pool refused to revoke the sign-in. Ask the administrator to enable token revocation for the app client."));

  if (g_str_equal (code, "invalid_request") ||
      g_str_equal (code, "unsupported_grant_type") ||
      g_str_equal (code, "invalid_scope"))
    return g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_REQUEST,
                                _("The token endpoint refused the request. Check token_endpoint, client_id and redirect_uri in the profile."));

  if (http_status >= 500 || http_status == 429 || g_str_equal (code, "temporarily_unavailable") ||
      g_str_equal (code, "server_error"))
    return g_error_new (GK_TOKEN_ERROR, GK_TOKEN_ERROR_UNAVAILABLE,
                        _("The sign-in service is not available right now (HTTP %u). Try again in a minute."),
                        http_status);

  if (http_status == 404 || http_status == 405)
    return g_error_new (GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_REQUEST,
                        _("The token endpoint was not found (HTTP %u). Check token_endpoint (and revocation_endpoint) in the profile."),
                        http_status);

  return g_error_new (GK_TOKEN_ERROR, GK_TOKEN_ERROR_FAILED,
                      _("The sign-in service refused the request (HTTP %u). Sign in again; if it keeps failing, check the profile."),
                      http_status);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static GError *
invalid_response (void)
{
  return g_error_new_literal (GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_RESPONSE,
                              _("The token endpoint gave an answer Genokey cannot read. Check token_endpoint in the profile."));
}

/**
 * gk_token_client_parse_response:
 * @grant: what was asked (#GK_TOKEN_GRANT_REVOKE returns a dummy on success)
 * @http_status: the HTTP status
 * @body: the response body
 * @length: its length
 *
 * Returns: (transfer full): the tokens, or %NULL with a #GK_TOKEN_ERROR
 */
GkTokens *
gk_token_client_parse_response (GkTokenGrant grant,
                                guint        http_status,
                                const char  *body,
                                gsize        length,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root = NULL;
  JsonObject *object = NULL;
  const char *id_token, *access_token, *refresh_token, *token_type;
  JsonNode *expires;
  gint64 expires_in = 0;

  if (body != NULL && length > 0 && length <= MAX_RESPONSE_LENGTH &&
      memchr (body, '\0', length) == NULL)
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, body, length, NULL))
        root = json_parser_get_root (parser);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        object = json_node_get_object (root);
    }

  if (http_status != SOUP_STATUS_OK)
    {
      const char *code = object != NULL ? get_string_member (object, "error") : NULL;

      /* Revoking a token that is already invalid has reached its goal. */
      if (grant == GK_TOKEN_GRANT_REVOKE && code != NULL && g_str_equal (code, "invalid_grant"))
        return gk_tokens_new ("", NULL, NULL, 0);

      g_propagate_error (error, gk_token_error_from_response (grant, http_status, code));
      return NULL;
    }

  if (grant == GK_TOKEN_GRANT_REVOKE)
    return gk_tokens_new ("", NULL, NULL, 0);

  if (object == NULL)
    {
      g_propagate_error (error, invalid_response ());
      return NULL;
    }

  id_token = get_string_member (object, "id_token");
  access_token = get_string_member (object, "access_token");
  refresh_token = get_string_member (object, "refresh_token");
  token_type = get_string_member (object, "token_type");

  if (id_token == NULL || *id_token == '\0' ||
      (token_type != NULL && g_ascii_strcasecmp (token_type, "Bearer") != 0))
    {
      g_propagate_error (error, invalid_response ());
      return NULL;
    }

  expires = json_object_get_member (object, "expires_in");
  if (expires != NULL && JSON_NODE_HOLDS_VALUE (expires))
    {
      if (json_node_get_value_type (expires) == G_TYPE_INT64)
        expires_in = json_node_get_int (expires);
      else if (json_node_get_value_type (expires) == G_TYPE_STRING)
        expires_in = g_ascii_strtoll (json_node_get_string (expires), NULL, 10);
    }

  return gk_tokens_new (id_token, access_token, refresh_token, CLAMP (expires_in, 0, G_MAXINT32));
}

/* ------------------------------------------------------------------ */
/* GkTokenClient                                                       */

static void
gk_token_client_finalize (GObject *object)
{
  GkTokenClient *self = GK_TOKEN_CLIENT (object);

  g_free (self->token_endpoint);
  g_free (self->revocation_endpoint);
  g_free (self->client_id);
  wipe_string (&self->client_secret);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gk_token_client_parent_class)->finalize (object);
}

static void
gk_token_client_class_init (GkTokenClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_token_client_finalize;
}

static void
gk_token_client_init (GkTokenClient *self)
{
}

/**
 * gk_token_client_new:
 * @token_endpoint: `/oauth2/token`
 * @revocation_endpoint: (nullable): `/oauth2/revoke`
 * @client_id: the app client
 * @client_secret: (nullable): its secret, for confidential clients
 * @session: (nullable): the HTTP session, or %NULL for one of its own
 *
 * Returns: (transfer full): a token client
 */
GkTokenClient *
gk_token_client_new (const char  *token_endpoint,
                     const char  *revocation_endpoint,
                     const char  *client_id,
                     const char  *client_secret,
                     SoupSession *session)
{
  GkTokenClient *self;

  g_return_val_if_fail (token_endpoint != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (GK_TYPE_TOKEN_CLIENT, NULL);
  self->token_endpoint = g_strdup (token_endpoint);
  self->revocation_endpoint = g_strdup (revocation_endpoint);
  self->client_id = g_strdup (client_id);
  self->client_secret = (client_secret != NULL && *client_secret != '\0') ? g_strdup (client_secret) : NULL;
  self->session = session != NULL ? g_object_ref (session) : gk_http_session_new ();
  return self;
}

/**
 * gk_token_client_new_for_profile:
 * @profile: the lab's profile
 * @session: (nullable): the HTTP session
 *
 * Returns: (transfer full): a token client for the profile's endpoints and client
 */
GkTokenClient *
gk_token_client_new_for_profile (GkProfile   *profile,
                                 SoupSession *session)
{
  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);

  return gk_token_client_new (gk_profile_get_token_endpoint (profile),
                              gk_profile_get_revocation_endpoint (profile),
                              gk_profile_get_client_id (profile),
                              gk_profile_get_client_secret (profile),
                              session);
}

typedef struct
{
  GkTokenGrant grant;
  SoupMessage *msg;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->msg);
  g_free (data);
}

static void
on_response_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *body;
  GkTokens *tokens;

  body = gk_http_send_and_read_finish (result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
        g_task_return_new_error (task, GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_RESPONSE,
                                 _("The sign-in service sent an answer too large to be a token "
                                   "answer. Check token_endpoint in the profile."));
      else
        g_task_return_new_error (task, GK_TOKEN_ERROR, GK_TOKEN_ERROR_UNAVAILABLE,
                                 _("The sign-in service could not be reached (%s). Check the network connection and try again."),
                                 error->message);
      return;
    }

  tokens = gk_token_client_parse_response (data->grant, soup_message_get_status (data->msg),
                                           g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                           &error);
  wipe_bytes (body);

  if (tokens == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) gk_tokens_unref);
}

/* A form-encoded component for HTTP Basic, as RFC 6749 section 2.3.1 asks. */
static char *
form_escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static void
post_form (GkTokenClient       *self,
           GkTokenGrant         grant,
           const char          *endpoint,
           GHashTable          *form,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;
  RequestData *data;
  char *encoded;

  g_task_set_source_tag (task, source_tag);
  data = g_new0 (RequestData, 1);
  data->grant = grant;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  /* Public clients name themselves in the body; a confidential client's
   * secret only ever goes in the Authorization header. */
  if (self->client_secret == NULL)
    g_hash_table_insert (form, (char *) "client_id", self->client_id);

  encoded = soup_form_encode_hash (form);
  body = g_bytes_new_with_free_func (encoded, strlen (encoded), (GDestroyNotify) wipe_string_free, encoded);

  msg = soup_message_new (SOUP_METHOD_POST, endpoint);
  if (msg == NULL)
    {
      g_task_return_new_error (task, GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_REQUEST,
                               _("The token or revocation endpoint in the profile is not a valid URL. Fix token_endpoint (or revocation_endpoint)."));
      return;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_append (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);

  if (self->client_secret != NULL)
    {
      g_autofree char *id = form_escape (self->client_id);
      g_autofree char *secret = form_escape (self->client_secret);
      g_autofree char *pair = g_strconcat (id, ":", secret, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *value = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      OPENSSL_cleanse (secret, strlen (secret));
      OPENSSL_cleanse (pair, strlen (pair));
      OPENSSL_cleanse (b64, strlen (b64));
      OPENSSL_cleanse (value, strlen (value));
    }

  data->msg = g_object_ref (msg);
  gk_http_send_and_read_async (self->session, msg, MAX_RESPONSE_LENGTH, G_PRIORITY_DEFAULT, cancellable,
                               on_response_cb, g_steal_pointer (&task));
}

/**
 * gk_token_client_exchange_code_async:
 * @code: the authorization code from the callback
 * @code_verifier: the sign-in's PKCE verifier
 * @redirect_uri: the redirect URI used in the authorization request
 *
 * Exchanges the code (grant_type=authorization_code).
 */
void
gk_token_client_exchange_code_async (GkTokenClient       *self,
                                     const char          *code,
                                     const char          *code_verifier,
                                     const char          *redirect_uri,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (GK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (code_verifier != NULL);
  g_return_if_fail (redirect_uri != NULL);

  g_hash_table_insert (form, (char *) "grant_type", (char *) "authorization_code");
  g_hash_table_insert (form, (char *) "code", (char *) code);
  g_hash_table_insert (form, (char *) "code_verifier", (char *) code_verifier);
  g_hash_table_insert (form, (char *) "redirect_uri", (char *) redirect_uri);

  post_form (self, GK_TOKEN_GRANT_AUTHORIZATION_CODE, self->token_endpoint, form,
             cancellable, callback, user_data, gk_token_client_exchange_code_async);
}

/**
 * gk_token_client_exchange_code_finish:
 *
 * Returns: (transfer full): ID, access and refresh tokens, or %NULL with a #GK_TOKEN_ERROR
 */
GkTokens *
gk_token_client_exchange_code_finish (GkTokenClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (GK_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_token_client_refresh_async:
 * @refresh_token: the stored refresh token
 *
 * New ID and access tokens (grant_type=refresh_token). The answer's refresh
 * token is %NULL unless the pool rotates them.
 */
void
gk_token_client_refresh_async (GkTokenClient       *self,
                               const char          *refresh_token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (GK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (refresh_token != NULL);

  g_hash_table_insert (form, (char *) "grant_type", (char *) "refresh_token");
  g_hash_table_insert (form, (char *) "refresh_token", (char *) refresh_token);

  post_form (self, GK_TOKEN_GRANT_REFRESH_TOKEN, self->token_endpoint, form,
             cancellable, callback, user_data, gk_token_client_refresh_async);
}

GkTokens *
gk_token_client_refresh_finish (GkTokenClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (GK_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_token_client_revoke_async:
 * @refresh_token: the refresh token to revoke (RFC 7009); Cognito then
 *   also invalidates the tokens issued from it
 */
void
gk_token_client_revoke_async (GkTokenClient       *self,
                              const char          *refresh_token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *endpoint = NULL;

  g_return_if_fail (GK_IS_TOKEN_CLIENT (self));
  g_return_if_fail (refresh_token != NULL);

  if (self->revocation_endpoint != NULL)
    endpoint = g_strdup (self->revocation_endpoint);
  else
    {
      g_autoptr(GUri) uri = g_uri_parse (self->token_endpoint, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL)
        {
          g_autoptr(GUri) revoke = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                                g_uri_get_host (uri), g_uri_get_port (uri),
                                                "/oauth2/revoke", NULL, NULL);
          endpoint = g_uri_to_string (revoke);
        }
      else
        endpoint = g_strdup (self->token_endpoint);
    }

  g_hash_table_insert (form, (char *) "token", (char *) refresh_token);

  post_form (self, GK_TOKEN_GRANT_REVOKE, endpoint, form,
             cancellable, callback, user_data, gk_token_client_revoke_async);
}

gboolean
gk_token_client_revoke_finish (GkTokenClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_autoptr(GkTokens) tokens = NULL;

  g_return_val_if_fail (GK_IS_TOKEN_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  tokens = g_task_propagate_pointer (G_TASK (result), error);
  return tokens != NULL;
}
