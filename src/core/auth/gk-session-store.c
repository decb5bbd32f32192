/* gk-session-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gk-secret.h"
#include "gk-session-store.h"
#include "gk-test-hooks.h"

struct _GkSessionStore
{
  GObject parent_instance;

  GkKeyring *keyring;
  char *profile_name;
};

G_DEFINE_FINAL_TYPE (GkSessionStore, gk_session_store, G_TYPE_OBJECT)

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
  /* When the browser sign-in happened: how long a sign-in lasts is known
   * only from it (the refresh token's lifetime is not readable). */
  if (gk_jwt_claims_get_auth_time (claims) > 0)
    {
      json_builder_set_member_name (builder, "auth_time");
      json_builder_add_int_value (builder, gk_jwt_claims_get_auth_time (claims));
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
 * What was read
 * ------------------------------------------------------------------------ */

void
gk_session_stored_free (GkSessionStored *stored)
{
  for (int k = 0; k < GK_KEYRING_N_KINDS; k++)
    gk_secret_free (stored->values[k]);
  g_free (stored);
}

/**
 * gk_session_stored_has_refresh_token:
 *
 * Returns: whether there is a refresh token to renew with; the previous one
 *   alone counts, since a rotation may have stopped before writing the new
 */
gboolean
gk_session_stored_has_refresh_token (const GkSessionStored *stored)
{
  return stored->values[GK_KEYRING_KIND_REFRESH_TOKEN] != NULL ||
         stored->values[GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN] != NULL;
}

/**
 * gk_session_stored_get_credentials:
 * @out_obtained_at: (out): when they were issued
 *
 * Returns: (transfer full) (nullable): the cached credentials, if readable
 */
GkCredentials *
gk_session_stored_get_credentials (const GkSessionStored *stored,
                                   gint64                *out_obtained_at)
{
  if (stored->values[GK_KEYRING_KIND_CREDENTIALS] == NULL)
    return NULL;
  return gk_session_store_credentials_from_json (stored->values[GK_KEYRING_KIND_CREDENTIALS],
                                                 out_obtained_at);
}

/**
 * gk_session_stored_dup_display_name:
 *
 * Returns: (transfer full) (nullable): the user's email, user name or subject
 */
char *
gk_session_stored_dup_display_name (const GkSessionStored *stored)
{
  return gk_session_store_display_name_from_user_json (stored->values[GK_KEYRING_KIND_USER]);
}

/**
 * gk_session_stored_get_signed_in_at:
 *
 * Returns: when the user signed in with the browser (Unix seconds), or 0
 *   when the keyring does not say (sign-ins stored by older versions)
 */
gint64
gk_session_stored_get_signed_in_at (const GkSessionStored *stored)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = parse_object (stored->values[GK_KEYRING_KIND_USER], &parser);
  JsonNode *node = object != NULL ? json_object_get_member (object, "auth_time") : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return MAX (json_node_get_int (node), 0);
}

/* ------------------------------------------------------------------------
 * Writing: a batch of stores and deletes, in order
 * ------------------------------------------------------------------------ */

typedef struct
{
  int kind;
  char *secret; /* NULL: delete */
} KeyringOp;

static void
keyring_op_free (KeyringOp *op)
{
  gk_secret_free (op->secret);
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

/* Everything a new sign-in stores. Written with parallel_from 1: the
 * refresh token first, since it is what keeps the user signed in; the rest
 * may then go out at once. */
static GPtrArray *
sign_in_ops (const char    *refresh_token,
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
  gk_secret_free (g_steal_pointer (&credentials_json));
  return ops;
}

/* The refresh-token items to write after a successful refresh, in order.
 * May be empty. */
static GPtrArray *
rotation_ops (const char *used_token,
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

/* The renewed credentials, and the identity id if it changed. */
static GPtrArray *
renewal_ops (GkCredentials *credentials,
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
  gk_secret_free (g_steal_pointer (&json));
  return ops;
}

typedef struct
{
  GPtrArray *ops;
  guint next;
  guint parallel_from;     /* ops from here on go out at once */
  guint pending;
  GError *error;
  const char *crash_point; /* test hook, see gk_session_store_save_rotation_async() */
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
#if GK_TEST_HOOKS
  if (data->crash_point != NULL && (guint) atoi (data->crash_point) == data->next)
    _exit (99);
#endif
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
  GkSessionStore *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GkKeyring *keyring = self->keyring;
  const char *profile = self->profile_name;
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
 * crash-safe (the new token is written before the old one can go). Ops
 * from @parallel_from on go out at once. */
static void
batch_async (GkSessionStore      *self,
             GPtrArray           *ops,
             guint                parallel_from,
             const char          *crash_point,
             GCancellable        *cancellable,
             gpointer             source_tag,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  BatchData *data = g_new0 (BatchData, 1);

  g_task_set_source_tag (task, source_tag);
  data->ops = g_ptr_array_ref (ops);
  data->parallel_from = parallel_from;
  data->crash_point = crash_point;
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);
  batch_step (task);
}

static gboolean
batch_finish (GkSessionStore  *self,
              GAsyncResult    *result,
              gpointer         source_tag,
              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gk_session_store_save_sign_in_async (GkSessionStore      *self,
                                     const char          *refresh_token,
                                     GkJwtClaims         *claims,
                                     const char          *identity_id,
                                     GkCredentials       *credentials,
                                     gint64               obtained_at,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GPtrArray) ops = NULL;

  g_return_if_fail (GK_IS_SESSION_STORE (self));
  g_return_if_fail (refresh_token != NULL && claims != NULL && credentials != NULL);

  ops = sign_in_ops (refresh_token, claims, identity_id, credentials, obtained_at);
  batch_async (self, ops, 1, NULL, cancellable, gk_session_store_save_sign_in_async, callback,
               user_data);
}

gboolean
gk_session_store_save_sign_in_finish (GkSessionStore  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return batch_finish (self, result, gk_session_store_save_sign_in_async, error);
}

/**
 * gk_session_store_save_rotation_async:
 *
 * Test hook for the crash-safety tests (gk-test-hooks.h):
 * GK_TEST_CRASH_IN_ROTATION=N ends the process after the Nth keyring write
 * of this step (0: before any write, right after the token endpoint
 * answered).
 */
void
gk_session_store_save_rotation_async (GkSessionStore      *self,
                                      const char          *used_token,
                                      gboolean             used_previous,
                                      const char          *previous,
                                      const char          *rotated,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GPtrArray) ops = NULL;
  const char *crash_point;

  g_return_if_fail (GK_IS_SESSION_STORE (self));
  g_return_if_fail (used_token != NULL);

  ops = rotation_ops (used_token, used_previous, previous, rotated);
  crash_point = gk_test_hook ("GK_TEST_CRASH_IN_ROTATION");
#if GK_TEST_HOOKS
  if (crash_point != NULL && atoi (crash_point) == 0)
    _exit (99);
#endif
  /* One by one (parallel_from beyond the end), and not cancellable: a
   * rotation stopped halfway is what the order protects against. */
  batch_async (self, ops, G_MAXUINT, crash_point, NULL, gk_session_store_save_rotation_async,
               callback, user_data);
}

gboolean
gk_session_store_save_rotation_finish (GkSessionStore  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  return batch_finish (self, result, gk_session_store_save_rotation_async, error);
}

void
gk_session_store_save_renewal_async (GkSessionStore      *self,
                                     GkCredentials       *credentials,
                                     gint64               obtained_at,
                                     const char          *identity_id,
                                     const char          *stored_identity_id,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GPtrArray) ops = NULL;

  g_return_if_fail (GK_IS_SESSION_STORE (self));
  g_return_if_fail (credentials != NULL);

  ops = renewal_ops (credentials, obtained_at, identity_id, stored_identity_id);
  batch_async (self, ops, 0, NULL, NULL, gk_session_store_save_renewal_async, callback,
               user_data);
}

gboolean
gk_session_store_save_renewal_finish (GkSessionStore  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return batch_finish (self, result, gk_session_store_save_renewal_async, error);
}

void
gk_session_store_delete_all_async (GkSessionStore      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_SESSION_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_store_delete_all_async);
  gk_keyring_delete_async (self->keyring, self->profile_name, -1, cancellable,
                           gk_keyring_return_on_task_cb, task);
}

gboolean
gk_session_store_delete_all_finish (GkSessionStore  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return batch_finish (self, result, gk_session_store_delete_all_async, error);
}

/* ------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------ */

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
  GkSessionStore *self = g_task_get_source_object (task);
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
  gk_keyring_lookup_async (self->keyring, self->profile_name, data->next,
                           g_task_get_cancellable (task), on_load_lookup_cb, task);
}

void
gk_session_store_load_async (GkSessionStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  LoadData *data;

  g_return_if_fail (GK_IS_SESSION_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_store_load_async);
  data = g_new0 (LoadData, 1);
  data->stored = g_new0 (GkSessionStored, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  load_step (task);
}

/**
 * gk_session_store_load_finish:
 *
 * Returns: (transfer full): every item of the profile, or %NULL with @error
 */
GkSessionStored *
gk_session_store_load_finish (GkSessionStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_session_store_dispose (GObject *object)
{
  GkSessionStore *self = GK_SESSION_STORE (object);

  g_clear_object (&self->keyring);

  G_OBJECT_CLASS (gk_session_store_parent_class)->dispose (object);
}

static void
gk_session_store_finalize (GObject *object)
{
  GkSessionStore *self = GK_SESSION_STORE (object);

  g_free (self->profile_name);

  G_OBJECT_CLASS (gk_session_store_parent_class)->finalize (object);
}

static void
gk_session_store_class_init (GkSessionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_session_store_dispose;
  object_class->finalize = gk_session_store_finalize;
}

static void
gk_session_store_init (GkSessionStore *self)
{
}

/**
 * gk_session_store_new:
 * @keyring: where the items go
 * @profile_name: whose items they are
 *
 * Returns: (transfer full): a store for one profile's sign-in
 */
GkSessionStore *
gk_session_store_new (GkKeyring  *keyring,
                      const char *profile_name)
{
  GkSessionStore *self;

  g_return_val_if_fail (GK_IS_KEYRING (keyring), NULL);
  g_return_val_if_fail (profile_name != NULL, NULL);

  self = g_object_new (GK_TYPE_SESSION_STORE, NULL);
  self->keyring = g_object_ref (keyring);
  self->profile_name = g_strdup (profile_name);
  return self;
}

GkKeyring *
gk_session_store_get_keyring (GkSessionStore *self)
{
  g_return_val_if_fail (GK_IS_SESSION_STORE (self), NULL);
  return self->keyring;
}

const char *
gk_session_store_get_profile_name (GkSessionStore *self)
{
  g_return_val_if_fail (GK_IS_SESSION_STORE (self), NULL);
  return self->profile_name;
}
