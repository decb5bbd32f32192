/* gk-id-token-verifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-id-token-verifier.h"

struct _GkIdTokenVerifier
{
  GObject parent_instance;

  GkProfile *profile;
  SoupSession *session;
  GkProfileStore *store;  /* nullable */
  GkJwks *jwks;           /* NULL until the issuer is known */
};

G_DEFINE_FINAL_TYPE (GkIdTokenVerifier, gk_id_token_verifier, G_TYPE_OBJECT)

/* While a first token teaches the profile its issuer. */
typedef struct
{
  char *issuer;      /* claimed by the token; the right form, not yet verified */
  GkJwks *candidate; /* that pool's keys */
} LearnData;

static void
learn_data_free (LearnData *data)
{
  g_free (data->issuer);
  g_clear_object (&data->candidate);
  g_free (data);
}

static void
on_verified_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GkJwtClaims *claims;

  claims = gk_jwks_verify_id_token_finish (GK_JWKS (object), result, &error);
  if (claims == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, claims, (GDestroyNotify) gk_jwt_claims_unref);
}

static void
on_learned_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkIdTokenVerifier *self = g_task_get_source_object (task);
  LearnData *data = g_task_get_task_data (task);
  g_autoptr(GkJwtClaims) claims = NULL;
  GError *error = NULL;

  claims = gk_jwks_verify_id_token_finish (GK_JWKS (object), result, &error);
  if (claims == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Saved first: a profile that knows its pool only in memory would learn
   * it again in every process, and one that failed to save stays as it was. */
  if (self->store != NULL
      && !gk_profile_store_save_learned_issuer (self->store, gk_profile_get_name (self->profile),
                                                data->issuer, &error))
    {
      g_prefix_error (&error, _("The user pool of the sign-in could not be saved in profile “%s”: "),
                      gk_profile_get_name (self->profile));
      g_task_return_error (task, error);
      return;
    }
  if (!gk_profile_learn_issuer (self->profile, data->issuer, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->jwks == NULL)
    self->jwks = g_object_ref (data->candidate);
  g_debug ("profile %s learned its user pool %s", gk_profile_get_name (self->profile),
           gk_profile_get_user_pool_id (self->profile));
  g_task_return_pointer (task, g_steal_pointer (&claims), (GDestroyNotify) gk_jwt_claims_unref);
}

/* The profile names no user pool: learn it from the token, checking the
 * claimed issuer's form before its keys are fetched (gk-id-token-verifier.h). */
static void
learn (GTask       *task,
       const char  *token,
       const char  *nonce,
       gint64       now)
{
  GkIdTokenVerifier *self = g_task_get_source_object (task);
  g_autofree char *issuer = NULL;
  g_autofree char *jwks_uri = NULL;
  GError *error = NULL;
  LearnData *data;

  issuer = gk_jwt_dup_unverified_issuer (token, &error);
  if (issuer == NULL || !gk_profile_check_issuer (self->profile, issuer, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_new0 (LearnData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) learn_data_free);
  data->issuer = g_steal_pointer (&issuer);
  /* A set jwks_uri is the lab's word for where the pool's keys are. */
  if (self->jwks != NULL)
    data->candidate = g_object_ref (self->jwks);
  else
    {
      jwks_uri = g_strconcat (data->issuer, "/.well-known/jwks.json", NULL);
      data->candidate = gk_jwks_new (jwks_uri, self->session);
    }
  gk_jwks_verify_id_token_async (data->candidate, token, data->issuer,
                                 gk_profile_get_client_id (self->profile), nonce, now,
                                 g_task_get_cancellable (task), on_learned_cb, task);
}

/**
 * gk_id_token_verifier_verify_async:
 * @token: an ID token from the profile's token endpoint
 * @nonce: (nullable): the sign-in's nonce, %NULL after a refresh
 * @now: the time to check `exp` and `iat` against (seconds)
 *
 * Verifies @token against the profile's user pool, learning the pool from
 * it when the profile names none.
 */
void
gk_id_token_verifier_verify_async (GkIdTokenVerifier   *self,
                                   const char          *token,
                                   const char          *nonce,
                                   gint64               now,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  const char *issuer;

  g_return_if_fail (GK_IS_ID_TOKEN_VERIFIER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_id_token_verifier_verify_async);

  issuer = gk_profile_get_issuer (self->profile);
  if (issuer == NULL)
    {
      learn (task, token, nonce, now);
      return;
    }
  if (self->jwks == NULL)
    self->jwks = gk_jwks_new (gk_profile_get_jwks_uri (self->profile), self->session);
  gk_jwks_verify_id_token_async (self->jwks, token, issuer,
                                 gk_profile_get_client_id (self->profile), nonce, now,
                                 cancellable, on_verified_cb, task);
}

/**
 * gk_id_token_verifier_verify_finish:
 *
 * Returns: (transfer full): the verified claims, or %NULL with a
 *   #GK_JWT_ERROR, or a #GK_PROFILE_ERROR for an issuer the profile may not
 *   learn (or could not save)
 */
GkJwtClaims *
gk_id_token_verifier_verify_finish (GkIdTokenVerifier  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_id_token_verifier_get_jwks:
 *
 * Returns: (transfer none) (nullable): the user pool's key set
 */
GkJwks *
gk_id_token_verifier_get_jwks (GkIdTokenVerifier *self)
{
  g_return_val_if_fail (GK_IS_ID_TOKEN_VERIFIER (self), NULL);
  return self->jwks;
}

static void
gk_id_token_verifier_dispose (GObject *object)
{
  GkIdTokenVerifier *self = GK_ID_TOKEN_VERIFIER (object);

  g_clear_object (&self->jwks);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (gk_id_token_verifier_parent_class)->dispose (object);
}

static void
gk_id_token_verifier_class_init (GkIdTokenVerifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_id_token_verifier_dispose;
}

static void
gk_id_token_verifier_init (GkIdTokenVerifier *self)
{
}

/**
 * gk_id_token_verifier_new:
 * @profile: whose tokens (issuer, app client, region)
 * @session: (nullable): for fetching the signing keys
 * @store: (nullable): where a learned issuer is saved
 *
 * Returns: (transfer full): a verifier
 */
GkIdTokenVerifier *
gk_id_token_verifier_new (GkProfile      *profile,
                          SoupSession    *session,
                          GkProfileStore *store)
{
  GkIdTokenVerifier *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (store == NULL || GK_IS_PROFILE_STORE (store), NULL);

  self = g_object_new (GK_TYPE_ID_TOKEN_VERIFIER, NULL);
  self->profile = g_object_ref (profile);
  self->session = session != NULL ? g_object_ref (session) : NULL;
  self->store = store != NULL ? g_object_ref (store) : NULL;
  /* Set jwks_uri: the keys' address is known even before the issuer is. */
  if (gk_profile_get_jwks_uri (profile) != NULL)
    self->jwks = gk_jwks_new (gk_profile_get_jwks_uri (profile), self->session);
  return self;
}
