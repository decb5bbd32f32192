/* gk-session-store.c: what a session keeps in the keyring
 *
 * One profile's sign-in is a handful of keyring items (GkKeyringKind): the
 * refresh token, the previous refresh token (the fallback while a rotation
 * is not yet confirmed), the user, the Cognito identity id and the cached
 * AWS credentials. This file knows their formats, in which order they must
 * be written, and how to write and read them in one go; GkSession decides
 * when.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gk-session-private.h"

void
gk_session_wipe_free (gpointer data)
{
  char *s = data;

  if (s != NULL)
    {
      memset (s, 0, strlen (s));
      g_free (s);
    }
}

/* ------------------------------------------------------------------------
 * Item formats: the credentials and the user are small JSON objects
 * ------------------------------------------------------------------------ */

char *
gk_session_store_credentials_to_json (GkCredentials *credentials,
                                      gint64         obtained_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "AccessKeyId");
  json_builder_add_string_value (builder, gk_credentials_get_access_key_id (credentials));
  json_builder_set_member_name (builder, "SecretAccessKey");
  json_builder_add_string_value (builder, gk_credentials_get_secret_access_key (credentials));
  json_builder_set_member_name (builder, "SessionToken");
  json_builder_add_string_value (builder, gk_credentials_get_session_token (credentials));
  json_builder_set_member_name (builder, "Expiration");
  json_builder_add_int_value (builder, gk_credentials_get_expiration (credentials));
  json_builder_set_member_name (builder, "ObtainedAt");
  json_builder_add_int_value (builder, obtained_at);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static JsonObject *
parse_object (const char  *json,
              JsonParser **out_parser)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

GkCredentials *
gk_session_store_credentials_from_json (const char *json,
                                        gint64     *out_obtained_at)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = parse_object (json, &parser);
  const char *key_id, *secret, *token;
  gint64 expiration;

  if (object == NULL)
    return NULL;
  key_id = json_object_get_string_member_with_default (object, "AccessKeyId", NULL);
  secret = json_object_get_string_member_with_default (object, "SecretAccessKey", NULL);
  token = json_object_get_string_member_with_default (object, "SessionToken", NULL);
  expiration = json_object_get_int_member_with_default (object, "Expiration", 0);
  if (key_id == NULL || *key_id == '\0' || secret == NULL || *secret == '\0' || expiration <= 0)
    return NULL;
  *out_obtained_at = json_object_get_int_member_with_default (object, "ObtainedAt",
                                                              expiration - 3600);
  return gk_credentials_new (key_id, secret, token, expiration);
}

static char *
user_to_json (GkJwtClaims *claims)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, gk_jwt_claims_get_subject (claims));
  if (gk_jwt_claims_get_email (claims) != NULL)
    {
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, gk_jwt_claims_get_email (claims));
    }
  if (gk_jwt_claims_get_username (claims) != NULL)
    {
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, gk_jwt_claims_get_username (claims));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
gk_session_store_display_name_from_user_json (const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = parse_object (json, &parser);
  const char *name;

  if (object == NULL)
    return NULL;
  name = json_object_get_string_member_with_default (object, "email", NULL);
  if (name == NULL)
    name = json_object_get_string_member_with_default (object, "username", NULL);
  if (name == NULL)
    name = json_object_get_string_member_with_default (object, "sub", NULL);
  return g_strdup (name);
}

/* ------------------------------------------------------------------------
 * Keyring: a batch of stores/deletes in order, and loading everything
 * ------------------------------------------------------------------------ */

typedef struct
{
  int kind;
  char *secret; /* NULL: delete */
} KeyringOp;

static void
keyring_op_free (KeyringOp *op)
{
  gk_session_wipe_free (op->secret);
  g_free (op);
}

static void
add_op (GPtrArray  *ops,
        int         kind,
        const char *secret)
{
  KeyringOp *op = g_new0 (KeyringOp, 1);

  op->kind = kind;
  op->secret = g_strdup (secret);
  g_ptr_array_add (ops, op);
}

/* ------------------------------------------------------------------------
 * Which items to write, in which order
 * ------------------------------------------------------------------------ */

/**
 * gk_session_store_sign_in_ops:
 *
 * Everything a new sign-in stores. Store it with @parallel_from 1: the
 * refresh token first, since it is what keeps the user signed in; the rest
 * may then go out at once.
 */
GPtrArray *
gk_session_store_sign_in_ops (const char    *refresh_token,
                              GkJwtClaims   *claims,
                              const char    *identity_id,
                              GkCredentials *credentials,
                              gint64         obtained_at)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) keyring_op_free);
  g_autofree char *credentials_json = NULL;
  g_autofree char *user_json = NULL;

  add_op (ops, GK_KEYRING_KIND_REFRESH_TOKEN, refresh_token);
  add_op (ops, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN, NULL);
  user_json = user_to_json (claims);
  add_op (ops, GK_KEYRING_KIND_USER, user_json);
  add_op (ops, GK_KEYRING_KIND_IDENTITY_ID, identity_id);
  credentials_json = gk_session_store_credentials_to_json (credentials, obtained_at);
  add_op (ops, GK_KEYRING_KIND_CREDENTIALS, credentials_json);
  gk_session_wipe_free (g_steal_pointer (&credentials_json));
  return ops;
}

/**
 * gk_session_store_rotation_ops:
 * @used_token: the refresh token the renewal sent
 * @used_previous: whether that was the stored previous token
 * @previous: (nullable): the previous token in the keyring
 * @rotated: (nullable): the refresh token the identity provider sent back
 *
 * The refresh-token items to write after a successful refresh, in order.
 * May be empty.
 */
GPtrArray *
gk_session_store_rotation_ops (const char *used_token,
                               gboolean    used_previous,
                               const char *previous,
                               const char *rotated)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) keyring_op_free);

  /* Order matters (crash safety): keep the token just used as the
   * previous one, then write the new one. At every moment the keyring
   * holds a token the identity provider accepted last. */
  if (rotated != NULL && g_strcmp0 (rotated, used_token) != 0)
    {
      add_op (ops, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN, used_token);
      add_op (ops, GK_KEYRING_KIND_REFRESH_TOKEN, rotated);
    }
  else
    {
      if (used_previous)
        add_op (ops, GK_KEYRING_KIND_REFRESH_TOKEN, used_token);
      /* The current token has now worked once: the fallback can go. */
      if (previous != NULL)
        add_op (ops, GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN, NULL);
    }
  return ops;
}

/**
 * gk_session_store_renewal_ops:
 * @stored_identity_id: (nullable): the identity id in the keyring
 *
 * The renewed credentials, and the identity id if it changed.
 */
GPtrArray *
gk_session_store_renewal_ops (GkCredentials *credentials,
                              gint64         obtained_at,
                              const char    *identity_id,
                              const char    *stored_identity_id)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) keyring_op_free);
  g_autofree char *json = NULL;

  json = gk_session_store_credentials_to_json (credentials, obtained_at);
  add_op (ops, GK_KEYRING_KIND_CREDENTIALS, json);
  if (g_strcmp0 (identity_id, stored_identity_id) != 0)
    add_op (ops, GK_KEYRING_KIND_IDENTITY_ID, identity_id);
  gk_session_wipe_free (g_steal_pointer (&json));
  return ops;
}

typedef struct
{
  GPtrArray *ops;
  guint next;
  guint parallel_from;     /* ops from here on go out at once */
  guint pending;
  GError *error;
  const char *crash_point; /* test hook, see on_renew_refreshed_cb() in gk-session.c */
} BatchData;

typedef struct
{
  GTask *task;
  KeyringOp *op;
} ParallelOp;

static void
batch_data_free (BatchData *data)
{
  g_clear_error (&data->error);
  g_ptr_array_unref (data->ops);
  g_free (data);
}

static void batch_step (GTask *task);

static void
on_batch_op_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BatchData *data = g_task_get_task_data (task);
  KeyringOp *op = g_ptr_array_index (data->ops, data->next);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (op->secret != NULL)
    ok = gk_keyring_store_finish (GK_KEYRING (object), result, &error);
  else
    ok = gk_keyring_delete_finish (GK_KEYRING (object), result, &error);
  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->next++;
  if (data->crash_point != NULL && (guint) atoi (data->crash_point) == data->next)
    _exit (99);
  batch_step (g_steal_pointer (&task));
}

static void
on_batch_parallel_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ParallelOp *pop = user_data;
  g_autoptr(GTask) task = pop->task;
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (pop->op->secret != NULL)
    ok = gk_keyring_store_finish (GK_KEYRING (object), result, &error);
  else
    ok = gk_keyring_delete_finish (GK_KEYRING (object), result, &error);
  g_free (pop);
  if (!ok && data->error == NULL)
    data->error = g_steal_pointer (&error);
  if (--data->pending > 0)
    return;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
batch_step (GTask *task)
{
  GkSession *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GkKeyring *keyring = gk_session_get_keyring (self);
  const char *profile = gk_profile_get_name (gk_session_get_profile (self));
  KeyringOp *op;

  if (data->next >= data->ops->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (data->next >= data->parallel_from)
    {
      /* Items whose order does not matter: one round trip for all. */
      data->pending = data->ops->len - data->next;
      for (guint i = data->next; i < data->ops->len; i++)
        {
          ParallelOp *pop = g_new0 (ParallelOp, 1);

          pop->task = g_object_ref (task);
          pop->op = g_ptr_array_index (data->ops, i);
          if (pop->op->secret != NULL)
            gk_keyring_store_async (keyring, profile, pop->op->kind, pop->op->secret,
                                    cancellable, on_batch_parallel_cb, pop);
          else
            gk_keyring_delete_async (keyring, profile, pop->op->kind, cancellable,
                                     on_batch_parallel_cb, pop);
        }
      g_object_unref (task);
      return;
    }
  op = g_ptr_array_index (data->ops, data->next);
  if (op->secret != NULL)
    gk_keyring_store_async (keyring, profile, op->kind, op->secret, cancellable,
                            on_batch_op_cb, task);
  else
    gk_keyring_delete_async (keyring, profile, op->kind, cancellable, on_batch_op_cb, task);
}

/* Applies @ops in order: the order is what makes refresh-token rotation
 * crash-safe (the new token is written before the old one can go). */
void
gk_session_store_batch_async (GkSession           *self,
                              GPtrArray           *ops,
                              guint                parallel_from,
                              const char          *crash_point,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  BatchData *data = g_new0 (BatchData, 1);

  data->ops = g_ptr_array_ref (ops);
  data->parallel_from = parallel_from;
  data->crash_point = crash_point;
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);
  batch_step (task);
}

gboolean
gk_session_store_batch_finish (GkSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gk_session_stored_free (GkSessionStored *stored)
{
  for (int k = 0; k < GK_KEYRING_N_KINDS; k++)
    gk_session_wipe_free (stored->values[k]);
  g_free (stored);
}

typedef struct
{
  GkSessionStored *stored;
  int next;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->stored, gk_session_stored_free);
  g_free (data);
}

static void load_step (GTask *task);

static void
on_load_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->stored->values[data->next] = gk_keyring_lookup_finish (GK_KEYRING (object), result,
                                                               &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->next++;
  load_step (g_steal_pointer (&task));
}

static void
load_step (GTask *task)
{
  GkSession *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  /* The gateway's secret is the gateway's to read, not the sign-in's. */
  if (data->next == GK_KEYRING_KIND_GATEWAY_SECRET)
    data->next++;
  if (data->next >= GK_KEYRING_N_KINDS)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->stored), (GDestroyNotify) gk_session_stored_free);
      g_object_unref (task);
      return;
    }
  gk_keyring_lookup_async (gk_session_get_keyring (self),
                           gk_profile_get_name (gk_session_get_profile (self)), data->next,
                           g_task_get_cancellable (task), on_load_lookup_cb, task);
}

void
gk_session_store_load_async (GkSession           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->stored = g_new0 (GkSessionStored, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  load_step (task);
}

GkSessionStored *
gk_session_store_load_finish (GkSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
