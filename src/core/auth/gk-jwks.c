/* gk-jwks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <string.h>

#include "gk-http.h"
#include "gk-jwks.h"

#define JWKS_MAX_LENGTH      (256 * 1024)
#define MIN_RSA_BITS         2048
#define DEFAULT_REFETCH_SECS 60

struct _GkJwks
{
  GObject parent_instance;

  char *jwks_uri;
  SoupSession *session;
  GHashTable *keys;         /* kid → EVP_PKEY */
  guint fetch_count;
  guint refetch_interval;   /* seconds */
  gint64 last_fetch;        /* monotonic µs, 0 = never */
  gboolean loaded;
  gboolean fetching;
  SoupMessage *fetch_message; /* the fetch in flight */
  GPtrArray *waiting;       /* GTasks waiting for the fetch in flight */
};

G_DEFINE_FINAL_TYPE (GkJwks, gk_jwks, G_TYPE_OBJECT)

typedef struct
{
  char *token;
  char *issuer;
  char *client_id;
  char *nonce;
  gint64 now;
  GCancellable *cancellable;
  gulong cancelled_id;
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancelled_id);
  g_clear_object (&data->cancellable);
  if (data->token != NULL)
    OPENSSL_cleanse (data->token, strlen (data->token));
  g_free (data->token);
  g_free (data->issuer);
  g_free (data->client_id);
  g_free (data->nonce);
  g_free (data);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

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


static BIGNUM *
decode_bignum (JsonObject *jwk,
               const char *name)
{
  const char *text = get_string_member (jwk, name);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize size;

  if (text == NULL || (bytes = gk_jwt_base64url_decode (text, -1, NULL)) == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    return NULL;

  return BN_bin2bn (data, (int) size, NULL);
}

static EVP_PKEY *
rsa_key_from_jwk (JsonObject *jwk)
{
  OSSL_PARAM_BLD *bld = NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *ctx = NULL;
  EVP_PKEY *pkey = NULL;
  BIGNUM *n = NULL;
  BIGNUM *e = NULL;

  if ((n = decode_bignum (jwk, "n")) == NULL || (e = decode_bignum (jwk, "e")) == NULL)
    goto out;

  if (BN_num_bits (n) < MIN_RSA_BITS)
    goto out;

  if ((bld = OSSL_PARAM_BLD_new ()) == NULL ||
      !OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_N, n) ||
      !OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_E, e) ||
      (params = OSSL_PARAM_BLD_to_param (bld)) == NULL)
    goto out;

  if ((ctx = EVP_PKEY_CTX_new_from_name (NULL, "RSA", NULL)) == NULL ||
      EVP_PKEY_fromdata_init (ctx) <= 0 ||
      EVP_PKEY_fromdata (ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    {
      EVP_PKEY_free (pkey);
      pkey = NULL;
    }

out:
  EVP_PKEY_CTX_free (ctx);
  OSSL_PARAM_free (params);
  OSSL_PARAM_BLD_free (bld);
  BN_free (n);
  BN_free (e);
  return pkey;
}

static GHashTable *
parse_jwks (const char  *json,
            gssize       length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) EVP_PKEY_free);
  JsonNode *root;
  JsonNode *keys_node;
  JsonArray *array;
  gsize len = length < 0 ? strlen (json) : (gsize) length;

  if (len > JWKS_MAX_LENGTH ||
      !json_parser_load_from_data (parser, json, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      (keys_node = json_object_get_member (json_node_get_object (root), "keys")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (keys_node))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_JWKS,
                           _("The user pool’s signing keys could not be read. Check aws_cognito_pool_id (or jwks_uri) in the profile."));
      return NULL;
    }

  array = json_node_get_array (keys_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *jwk;
      const char *kty, *kid, *use, *alg;
      EVP_PKEY *pkey;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      jwk = json_node_get_object (node);
      kty = get_string_member (jwk, "kty");
      kid = get_string_member (jwk, "kid");
      use = get_string_member (jwk, "use");
      alg = get_string_member (jwk, "alg");

      if (kty == NULL || !g_str_equal (kty, "RSA") || kid == NULL || *kid == '\0')
        continue;
      if (use != NULL && !g_str_equal (use, "sig"))
        continue;
      if (alg != NULL && !g_str_equal (alg, "RS256"))
        continue;
      if (g_hash_table_contains (keys, kid))
        continue;

      pkey = rsa_key_from_jwk (jwk);
      if (pkey != NULL)
        g_hash_table_insert (keys, g_strdup (kid), pkey);
    }

  return g_steal_pointer (&keys);
}

/* The key is found by the token's (unverified) `kid`; only then is the
 * token checked, by gk_jwt_verify_id_token(). */
static GkJwtClaims *
verify_with_keys (GHashTable  *keys,
                  const char  *token,
                  const char  *issuer,
                  const char  *client_id,
                  const char  *nonce,
                  gint64       now,
                  GError     **error)
{
  g_autofree char *kid = gk_jwt_dup_kid (token, error);
  EVP_PKEY *pkey;

  if (kid == NULL)
    return NULL;

  pkey = keys != NULL ? g_hash_table_lookup (keys, kid) : NULL;
  if (pkey == NULL)
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_UNKNOWN_KEY,
                           _("The sign-in token was signed with a key the user pool does not publish. Check aws_cognito_pool_id (or jwks_uri) in the profile."));
      return NULL;
    }

  return gk_jwt_verify_id_token (token, pkey, issuer, client_id, nonce, now, error);
}

/* ------------------------------------------------------------------ */
/* GkJwks                                                              */

static void
gk_jwks_finalize (GObject *object)
{
  GkJwks *self = GK_JWKS (object);

  g_free (self->jwks_uri);
  g_clear_object (&self->session);
  g_clear_object (&self->fetch_message);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_jwks_parent_class)->finalize (object);
}

static void
gk_jwks_class_init (GkJwksClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_jwks_finalize;
}

static void
gk_jwks_init (GkJwks *self)
{
  self->refetch_interval = DEFAULT_REFETCH_SECS;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * gk_jwks_new:
 * @jwks_uri: (nullable): where the keys are, or %NULL for keys given with
 *   gk_jwks_load_from_data() only
 * @session: (nullable): the HTTP session to use
 *
 * Returns: (transfer full): a key set holder, with no keys yet
 */
GkJwks *
gk_jwks_new (const char  *jwks_uri,
             SoupSession *session)
{
  GkJwks *self = g_object_new (GK_TYPE_JWKS, NULL);

  self->jwks_uri = g_strdup (jwks_uri);
  if (session != NULL)
    self->session = g_object_ref (session);
  return self;
}

/**
 * gk_jwks_load_from_data:
 * @json: a JWKS document (`{"keys": [...]}`)
 *
 * Replaces the keys with the RSA signing keys of @json (others are ignored).
 */
gboolean
gk_jwks_load_from_data (GkJwks      *self,
                        const char  *json,
                        gssize       length,
                        GError     **error)
{
  GHashTable *keys;

  g_return_val_if_fail (GK_IS_JWKS (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  keys = parse_jwks (json, length, error);
  if (keys == NULL)
    return FALSE;

  g_clear_pointer (&self->keys, g_hash_table_unref);
  self->keys = keys;
  self->loaded = TRUE;
  return TRUE;
}

gboolean
gk_jwks_has_key (GkJwks     *self,
                 const char *kid)
{
  g_return_val_if_fail (GK_IS_JWKS (self), FALSE);

  return self->keys != NULL && kid != NULL && g_hash_table_contains (self->keys, kid);
}

/**
 * gk_jwks_get_fetch_count:
 *
 * Returns: how many times the keys were fetched over HTTP
 */
guint
gk_jwks_get_fetch_count (GkJwks *self)
{
  g_return_val_if_fail (GK_IS_JWKS (self), 0);
  return self->fetch_count;
}

/**
 * gk_jwks_set_refetch_interval:
 * @seconds: the least time between two fetches caused by an unknown `kid`
 */
void
gk_jwks_set_refetch_interval (GkJwks *self,
                              guint   seconds)
{
  g_return_if_fail (GK_IS_JWKS (self));
  self->refetch_interval = seconds;
}

/**
 * gk_jwks_verify_id_token:
 * @token: the ID token
 * @issuer: the profile's issuer, compared exactly
 * @client_id: the app client, which must be the audience
 * @nonce: (nullable): the sign-in's nonce, or %NULL after a refresh
 * @now: Unix seconds
 *
 * Returns: (transfer full): the verified claims, or %NULL with a #GK_JWT_ERROR
 */
GkJwtClaims *
gk_jwks_verify_id_token (GkJwks      *self,
                         const char  *token,
                         const char  *issuer,
                         const char  *client_id,
                         const char  *nonce,
                         gint64       now,
                         GError     **error)
{
  g_return_val_if_fail (GK_IS_JWKS (self), NULL);
  g_return_val_if_fail (issuer != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return verify_with_keys (self->keys, token, issuer, client_id, nonce, now, error);
}

static void
return_verification (GkJwks *self,
                     GTask  *task)
{
  VerifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GkJwtClaims *claims;

  claims = verify_with_keys (self->keys, data->token, data->issuer, data->client_id,
                             data->nonce, data->now, &error);
  if (claims == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, claims, (GDestroyNotify) gk_jwt_claims_unref);
}

static GError *
read_fetch_result (GkJwks        *self,
                   SoupMessage   *msg,
                   GAsyncResult  *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = gk_http_send_and_read_finish (result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return g_steal_pointer (&error);
      if (g_error_matches (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
        return g_error_new (GK_JWT_ERROR, GK_JWT_ERROR_JWKS,
                            _("The address of the user pool’s signing keys sent more than a key "
                              "set. Check jwks_uri (or aws_cognito_pool_id) in the profile."));
      return g_error_new (GK_JWT_ERROR, GK_JWT_ERROR_JWKS,
                          _("The user pool’s signing keys could not be fetched (%s). Check the network connection and jwks_uri in the profile."),
                          error->message);
    }

  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    return g_error_new (GK_JWT_ERROR, GK_JWT_ERROR_JWKS,
                        _("The user pool’s signing keys could not be fetched (HTTP %u). Check aws_cognito_pool_id (or jwks_uri) in the profile."),
                        soup_message_get_status (msg));

  if (!gk_jwks_load_from_data (self, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error))
    return g_steal_pointer (&error);

  return NULL;
}

/* One fetch serves every verification that waits for it (single flight). */
static void
on_jwks_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GkJwks) self = user_data;
  g_autoptr(SoupMessage) msg = g_steal_pointer (&self->fetch_message);
  g_autoptr(GError) error = read_fetch_result (self, msg, result);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->fetching = FALSE;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);
      VerifyData *data = g_task_get_task_data (task);

      if (data->cancelled_id != 0)
        {
          g_cancellable_disconnect (data->cancellable, data->cancelled_id);
          data->cancelled_id = 0;
        }

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        return_verification (self, task);
    }
}

static gboolean
on_waiting_cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  GkJwks *self = g_task_get_source_object (task);
  VerifyData *data = g_task_get_task_data (task);

  if (data->cancelled_id != 0)
    {
      g_cancellable_disconnect (data->cancellable, data->cancelled_id);
      data->cancelled_id = 0;
    }

  /* Still waiting? Then it leaves the queue with the cancellation; the
   * fetch itself goes on for the others. */
  if (g_ptr_array_find (self->waiting, task, NULL))
    {
      g_task_return_error_if_cancelled (task);
      g_ptr_array_remove (self->waiting, task);
    }

  return G_SOURCE_REMOVE;
}

static void
on_waiting_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, on_waiting_cancelled_idle_cb,
                   g_object_ref (user_data), g_object_unref);
}

static void
wait_for_keys (GkJwks *self,
               GTask  *task)
{
  VerifyData *data = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;

  g_ptr_array_add (self->waiting, task);
  if (data->cancellable != NULL)
    data->cancelled_id = g_cancellable_connect (data->cancellable, G_CALLBACK (on_waiting_cancelled_cb),
                                                task, NULL);

  if (self->fetching)
    return;

  msg = soup_message_new (SOUP_METHOD_GET, self->jwks_uri);
  if (msg == NULL)
    {
      g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

      self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < waiting->len; i++)
        g_task_return_new_error (g_ptr_array_index (waiting, i), GK_JWT_ERROR, GK_JWT_ERROR_JWKS,
                                 _("jwks_uri in the profile is not a valid URL. Fix it or remove it to use the user pool’s default."));
      return;
    }

  if (self->session == NULL)
    self->session = gk_http_session_new ();

  soup_message_headers_append (soup_message_get_request_headers (msg), "Accept", "application/json");
  self->fetching = TRUE;
  self->fetch_count++;
  self->last_fetch = g_get_monotonic_time ();
  self->fetch_message = g_object_ref (msg);
  gk_http_send_and_read_async (self->session, msg, JWKS_MAX_LENGTH, G_PRIORITY_DEFAULT,
                               NULL, on_jwks_fetched_cb, g_object_ref (self));
}

/**
 * gk_jwks_verify_id_token_async:
 *
 * Like gk_jwks_verify_id_token(), but fetches the keys from the jwks_uri
 * when none are loaded, and fetches them again once when the token names an
 * unknown key (Cognito rotates keys) — at most once per refetch interval,
 * so a stream of bad tokens cannot make us hammer the endpoint.
 */
void
gk_jwks_verify_id_token_async (GkJwks              *self,
                               const char          *token,
                               const char          *issuer,
                               const char          *client_id,
                               const char          *nonce,
                               gint64               now,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kid = NULL;
  VerifyData *data;
  gboolean may_refetch;

  g_return_if_fail (GK_IS_JWKS (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (issuer != NULL);
  g_return_if_fail (client_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_jwks_verify_id_token_async);

  data = g_new0 (VerifyData, 1);
  data->token = g_strdup (token);
  data->issuer = g_strdup (issuer);
  data->client_id = g_strdup (client_id);
  data->nonce = g_strdup (nonce);
  data->now = now;
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);

  kid = gk_jwt_dup_kid (token, &error);
  if (kid == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  may_refetch = self->jwks_uri != NULL &&
                (self->fetching ||
                 !self->loaded ||
                 self->last_fetch == 0 ||
                 g_get_monotonic_time () - self->last_fetch >= (gint64) self->refetch_interval * G_USEC_PER_SEC);

  if (gk_jwks_has_key (self, kid) || !may_refetch)
    {
      return_verification (self, task);
      return;
    }

  wait_for_keys (self, g_steal_pointer (&task));
}

/**
 * gk_jwks_verify_id_token_finish:
 *
 * Returns: (transfer full): the verified claims, or %NULL with a #GK_JWT_ERROR
 */
GkJwtClaims *
gk_jwks_verify_id_token_finish (GkJwks        *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (GK_IS_JWKS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
