/* gk-session-renew.c: silent renewal of tokens and AWS credentials
 *
 * One renewal at a time, across processes too (gk-session-lock.c); a
 * rotated refresh token is stored before it is used (gk-session-store.c),
 * and a failed renewal never throws away a refresh token that still works.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-cognito-identity.h"
#include "gk-jwks.h"
#include "gk-session-private.h"
#include "gk-token-client.h"

/* A failed renewal is retried this much later (long-running processes). */
#define RETRY_DELAY_SECONDS 60
/* How long to wait for another process's renewal (gk-session-lock.c). */
#define LOCK_WAIT_SECONDS 60

typedef struct
{
  gint64 min_valid;
  guint generation;
  GkSessionLock *lock;
  GkSessionStored *stored;
  char *used_token;          /* the refresh token this renewal sent */
  gboolean used_previous;
  GkTokens *tokens;
  GkJwtClaims *claims;
  GkCredentials *credentials;
  char *identity_id;
  gint64 obtained_at;
} RenewData;

static void
renew_data_free (RenewData *data)
{
  g_clear_pointer (&data->lock, gk_session_lock_free);
  g_clear_pointer (&data->stored, gk_session_stored_free);
  gk_session_wipe_free (data->used_token);
  g_clear_pointer (&data->tokens, gk_tokens_unref);
  g_clear_pointer (&data->claims, gk_jwt_claims_unref);
  g_clear_pointer (&data->credentials, gk_credentials_unref);
  g_free (data->identity_id);
  g_free (data);
}

static void
complete_waiters (GkSession     *self,
                  GkCredentials *credentials,
                  const GError  *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->renewal_waiters);

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (credentials != NULL)
        g_task_return_pointer (waiter, gk_credentials_ref (credentials),
                               (GDestroyNotify) gk_credentials_unref);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

static void
renew_done (GTask         *task,
            GkCredentials *credentials,
            gint64         obtained_at)
{
  GkSession *self = g_task_get_source_object (task);

  _gk_session_set_renewal_error (self, NULL);
  _gk_session_set_state (self, GK_SESSION_STATE_SIGNED_IN);
  _gk_session_set_credentials (self, credentials, obtained_at);
  complete_waiters (self, credentials, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
renew_fail (GTask    *task,
            GError   *error,
            gboolean  needs_sign_in)
{
  GkSession *self = g_task_get_source_object (task);
  g_autoptr(GError) owned = error;

  g_debug ("renewal failed: %s", error->message);
  /* Never delete the refresh token here: a network hiccup must not sign
   * anybody out, and the keyring keeps it for the next try. */
  _gk_session_set_renewal_error (self, error);
  if (needs_sign_in)
    _gk_session_set_state (self, GK_SESSION_STATE_NEEDS_SIGN_IN);
  else
    _gk_session_set_state (self, GK_SESSION_STATE_SIGNED_IN);

  /* What still works keeps working until it expires. */
  if (self->credentials != NULL &&
      gk_credentials_is_valid_at (self->credentials, _gk_session_now_unix (), GK_SESSION_MIN_USEFUL_SECONDS))
    complete_waiters (self, self->credentials, NULL);
  else if (needs_sign_in)
    {
      g_autoptr(GError) wrapped =
        g_error_new (GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN,
                     _("Your sign-in for profile “%s” has ended: it expired or was revoked. "
                       "Sign in again with “genokey login --profile %s”."),
                     gk_profile_get_name (self->profile), gk_profile_get_name (self->profile));
      complete_waiters (self, NULL, wrapped);
    }
  else
    complete_waiters (self, NULL, error);

  _gk_session_schedule_renewal (self);
  g_task_return_boolean (task, FALSE);
  g_object_unref (task);
}

/* A sign-out or a new sign-in while this renewal ran makes its results
 * stale: they must not be stored or handed out. */
static gboolean
renew_is_stale (GTask **task)
{
  GkSession *self = g_task_get_source_object (*task);
  RenewData *data = g_task_get_task_data (*task);
  g_autoptr(GError) error = NULL;

  if (data->generation == self->generation)
    return FALSE;
  error = g_error_new (GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN,
                       _("The sign-in changed while the credentials were being renewed. "
                         "Try again."));
  complete_waiters (self, NULL, error);
  g_task_return_boolean (*task, FALSE);
  g_clear_object (task);
  return TRUE;
}

static void
on_renew_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = GK_SESSION (object);
  RenewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Credentials that could not be cached are still good for this process. */
  if (!gk_session_store_batch_finish (self, result, &error))
    g_warning ("Could not keep the renewed credentials in the keyring: %s", error->message);

  g_free (self->identity_id);
  self->identity_id = g_strdup (data->identity_id);
  if (data->claims != NULL)
    _gk_session_set_email (self, _gk_session_display_name_from_claims (data->claims));
  renew_done (g_steal_pointer (&task), data->credentials, data->obtained_at);
}

static void
on_renew_credentials_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  RenewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;

  data->credentials =
    gk_cognito_identity_client_fetch_credentials_finish (GK_COGNITO_IDENTITY_CLIENT (object),
                                                         result, &data->identity_id, &error);
  if (data->credentials == NULL)
    {
      renew_fail (g_steal_pointer (&task), g_steal_pointer (&error), FALSE);
      return;
    }
  if (renew_is_stale (&task))
    return;
  data->obtained_at = _gk_session_now_unix ();
  ops = gk_session_store_renewal_ops (data->credentials, data->obtained_at, data->identity_id,
                                      data->stored->values[GK_KEYRING_KIND_IDENTITY_ID]);
  gk_session_store_batch_async (self, ops, 0, NULL, NULL, on_renew_stored_cb,
                                g_steal_pointer (&task));
}

static void
on_renew_verified_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  RenewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *identity_id;

  data->claims = gk_jwks_verify_id_token_finish (GK_JWKS (object), result, &error);
  if (data->claims == NULL)
    {
      g_prefix_error (&error, _("The renewed sign-in could not be verified: "));
      renew_fail (g_steal_pointer (&task), g_steal_pointer (&error), FALSE);
      return;
    }
  identity_id = data->stored->values[GK_KEYRING_KIND_IDENTITY_ID];
  if (identity_id == NULL)
    identity_id = self->identity_id;
  gk_cognito_identity_client_fetch_credentials_async (self->identity, identity_id,
                                                      gk_tokens_get_id_token (data->tokens),
                                                      _gk_session_display_name_from_claims (data->claims), NULL,
                                                      on_renew_credentials_cb, g_steal_pointer (&task));
}

static void
on_renew_rotated_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = GK_SESSION (object);
  RenewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (result != NULL && !gk_session_store_batch_finish (self, result, &error))
    g_warning ("Could not update the refresh token in the keyring: %s", error->message);

  gk_jwks_verify_id_token_async (self->jwks, gk_tokens_get_id_token (data->tokens),
                                 gk_profile_get_issuer (self->profile),
                                 gk_profile_get_client_id (self->profile),
                                 NULL, _gk_session_now_unix (), NULL, on_renew_verified_cb,
                                 g_steal_pointer (&task));
}

static void start_refresh (GTask *task);

static void
on_renew_refreshed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  RenewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  const char *previous = data->stored->values[GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN];
  const char *rotated, *crash_point;

  data->tokens = gk_token_client_refresh_finish (GK_TOKEN_CLIENT (object), result, &error);
  if (data->tokens == NULL)
    {
      if (g_error_matches (error, GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_GRANT))
        {
          /* After a rotation that was interrupted, the previous token may
           * be the one the identity provider still accepts. */
          if (!data->used_previous && previous != NULL &&
              g_strcmp0 (previous, data->used_token) != 0)
            {
              data->used_previous = TRUE;
              gk_session_wipe_free (data->used_token);
              data->used_token = g_strdup (previous);
              start_refresh (g_steal_pointer (&task));
              return;
            }
          renew_fail (g_steal_pointer (&task), g_steal_pointer (&error), TRUE);
          return;
        }
      renew_fail (g_steal_pointer (&task), g_steal_pointer (&error), FALSE);
      return;
    }

  if (renew_is_stale (&task))
    return;

  /* Written one by one, in the order that keeps rotation crash-safe
   * (see gk_session_store_rotation_ops()). */
  rotated = gk_tokens_get_refresh_token (data->tokens);
  ops = gk_session_store_rotation_ops (data->used_token, data->used_previous, previous, rotated);

  /* Test hook for the crash-safety tests: GK_TEST_CRASH_IN_ROTATION=N
   * ends the process after the Nth keyring write of this step (0: right
   * after the token endpoint answered, before any write). */
  crash_point = g_getenv ("GK_TEST_CRASH_IN_ROTATION");
  if (crash_point != NULL && atoi (crash_point) == 0)
    _exit (99);
  if (ops->len == 0)
    {
      on_renew_rotated_cb (G_OBJECT (self), NULL, g_steal_pointer (&task));
      return;
    }
  gk_session_store_batch_async (self, ops, G_MAXUINT, crash_point, NULL, on_renew_rotated_cb,
                                g_steal_pointer (&task));
}

static void
start_refresh (GTask *task)
{
  GkSession *self = g_task_get_source_object (task);
  RenewData *data = g_task_get_task_data (task);

  gk_token_client_refresh_async (self->token_client, data->used_token, NULL,
                                 on_renew_refreshed_cb, task);
}

static void
on_renew_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = GK_SESSION (object);
  RenewData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) stored_credentials = NULL;
  gint64 obtained_at = 0;
  const char *token;

  data->stored = gk_session_store_load_finish (self, result, &error);
  if (data->stored == NULL)
    {
      renew_fail (g_steal_pointer (&task), g_steal_pointer (&error), FALSE);
      return;
    }

  /* Another process may have renewed while we waited for the lock. */
  if (data->stored->values[GK_KEYRING_KIND_CREDENTIALS] != NULL)
    stored_credentials =
      gk_session_store_credentials_from_json (data->stored->values[GK_KEYRING_KIND_CREDENTIALS],
                                              &obtained_at);
  if (stored_credentials != NULL &&
      (self->credentials == NULL ||
       gk_credentials_get_expiration (stored_credentials) >
         gk_credentials_get_expiration (self->credentials)) &&
      gk_credentials_is_valid_at (stored_credentials, _gk_session_now_unix (), data->min_valid))
    {
      g_debug ("adopting credentials renewed by another process");
      _gk_session_adopt_stored (self, data->stored);
      renew_done (g_steal_pointer (&task), stored_credentials, obtained_at);
      return;
    }

  token = data->stored->values[GK_KEYRING_KIND_REFRESH_TOKEN];
  if (token == NULL)
    {
      token = data->stored->values[GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN];
      data->used_previous = TRUE;
    }
  if (token == NULL)
    {
      renew_fail (g_steal_pointer (&task),
                  g_error_new (GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN,
                               _("The sign-in is no longer in the keyring.")),
                  TRUE);
      return;
    }
  data->used_token = g_strdup (token);
  start_refresh (g_steal_pointer (&task));
}

/* Locked, or waited long enough: renew (or adopt what the other process
 * renewed meanwhile). */
static gboolean
on_lock_waited_cb (gpointer user_data)
{
  GTask *task = user_data;
  GkSession *self = g_task_get_source_object (task);

  gk_session_store_load_async (self, NULL, on_renew_loaded_cb, task);
  return G_SOURCE_REMOVE;
}

static void
on_renew_finished_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  /* Results went to the waiters already. */
}

/* One renewal at a time in this process (the waiters share it) and, with
 * the lock file, in all processes of this user. */
void
_gk_session_start_renewal (GkSession *self,
                           gint64     min_valid,
                           GTask     *waiter)
{
  GTask *task;
  RenewData *data;

  if (self->renewal_waiters != NULL)
    {
      if (waiter != NULL)
        g_ptr_array_add (self->renewal_waiters, waiter);
      return;
    }
  self->renewal_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  if (waiter != NULL)
    g_ptr_array_add (self->renewal_waiters, waiter);

  _gk_session_set_state (self, GK_SESSION_STATE_RENEWING);

  task = g_task_new (self, NULL, on_renew_finished_cb, NULL);
  g_task_set_source_tag (task, _gk_session_start_renewal);
  data = g_new0 (RenewData, 1);
  data->min_valid = min_valid;
  data->generation = self->generation;
  g_task_set_task_data (task, data, (GDestroyNotify) renew_data_free);

  data->lock = gk_session_lock_new (gk_profile_get_name (self->profile));
  if (gk_session_lock_try (data->lock))
    {
      gk_session_store_load_async (self, NULL, on_renew_loaded_cb, task);
      return;
    }

  g_debug ("another process is renewing; waiting for it");
  gk_session_lock_wait (data->lock, LOCK_WAIT_SECONDS, on_lock_waited_cb, task);
}

static gboolean
on_renew_timer_cb (gpointer user_data)
{
  GkSession *self = user_data;

  self->renew_timer = 0;
  if (self->state == GK_SESSION_STATE_SIGNED_IN)
    _gk_session_start_renewal (self, GK_SESSION_MIN_USEFUL_SECONDS, NULL);
  return G_SOURCE_REMOVE;
}

void
_gk_session_schedule_renewal (GkSession *self)
{
  gint64 at, delay;

  g_clear_handle_id (&self->renew_timer, g_source_remove);
  if (!self->auto_renew || self->state != GK_SESSION_STATE_SIGNED_IN)
    return;

  if (self->renewal_error != NULL)
    delay = RETRY_DELAY_SECONDS;
  else if (self->credentials == NULL)
    delay = 0;
  else
    {
      at = gk_session_compute_renewal_time (self->credentials_obtained_at,
                                            gk_credentials_get_expiration (self->credentials));
      delay = at - _gk_session_now_unix ();
    }
  delay = CLAMP (delay, 1, G_MAXUINT / 2);
  self->renew_timer = g_timeout_add_seconds ((guint) delay, on_renew_timer_cb, self);
}
