/* gk-renewal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-renewal-lock.h"
#include "gk-renewal.h"
#include "gk-secret.h"

/* How long to wait for another process's renewal (gk-renewal-lock.h). */
#define LOCK_WAIT_SECONDS 60

struct _GkRenewalResult
{
  gatomicrefcount ref_count;
  GkRenewalOutcome outcome;
  GkCredentials *credentials;
  gint64 obtained_at;
  char *identity_id;
  char *display_name;
  GError *error;
  /* After RENEWED: the verified ID token (wiped when freed) and its
   * claims, for checks that need the sign-in itself (gk-doctor). */
  char *id_token;
  GkJwtClaims *claims;
  /* When the user signed in with the browser (the ID token's auth_time),
   * from the claims or the keyring; 0 when unknown. */
  gint64 signed_in_at;
};

/* The renewal that runs, and whoever waits for it. */
typedef struct
{
  GkRenewal *renewal;       /* strong while the flight runs */
  GPtrArray *waiters;       /* GTask* of every caller */
  GCancellable *sign_in;    /* the sign-in it is for */
  GkCredentials *in_hand;
  char *identity_id;        /* the caller's, if the keyring has none */
  gint64 min_valid;
  GkRenewalLock *lock;
  GkSessionStored *stored;
  char *used_token;         /* the refresh token this renewal sent */
  gboolean used_previous;
  GkTokens *tokens;
  GkJwtClaims *claims;
  GkCredentials *credentials;
  char *new_identity_id;
  gint64 obtained_at;
} Flight;

struct _GkRenewal
{
  GObject parent_instance;

  GkProfile *profile;
  GkSessionStore *store;
  GkTokenClient *token_client;
  GkIdTokenVerifier *verifier;
  GkCognitoIdentityClient *identity;

  Flight *flight;           /* the renewal that runs, or NULL */
};

G_DEFINE_FINAL_TYPE (GkRenewal, gk_renewal, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-renewal-error-quark, gk_renewal_error)

G_DEFINE_BOXED_TYPE (GkRenewalResult, gk_renewal_result, gk_renewal_result_ref,
                     gk_renewal_result_unref)

/* ------------------------------------------------------------------------
 * GkRenewalResult
 * ------------------------------------------------------------------------ */

/**
 * gk_renewal_result_new:
 * @credentials: (nullable): the renewed or adopted credentials
 * @identity_id: (nullable): the identity id they were issued for
 * @display_name: (nullable): the user, from the ID token or the keyring
 * @error: (nullable): why it failed (FAILED, REFUSED, STALE)
 *
 * Returns: (transfer full): a result
 */
GkRenewalResult *
gk_renewal_result_new (GkRenewalOutcome  outcome,
                       GkCredentials    *credentials,
                       gint64            obtained_at,
                       const char       *identity_id,
                       const char       *display_name,
                       const GError     *error)
{
  GkRenewalResult *self = g_new0 (GkRenewalResult, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->outcome = outcome;
  self->credentials = credentials != NULL ? gk_credentials_ref (credentials) : NULL;
  self->obtained_at = obtained_at;
  self->identity_id = g_strdup (identity_id);
  self->display_name = g_strdup (display_name);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  return self;
}

GkRenewalResult *
gk_renewal_result_ref (GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gk_renewal_result_unref (GkRenewalResult *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->credentials, gk_credentials_unref);
      g_free (self->identity_id);
      g_free (self->display_name);
      g_clear_error (&self->error);
      gk_secret_free (self->id_token);
      g_clear_pointer (&self->claims, gk_jwt_claims_unref);
      g_free (self);
    }
}

GkRenewalOutcome
gk_renewal_result_get_outcome (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, GK_RENEWAL_FAILED);
  return self->outcome;
}

/**
 * gk_renewal_result_get_credentials:
 *
 * Returns: (transfer none) (nullable): the credentials, after RENEWED or ADOPTED
 */
GkCredentials *
gk_renewal_result_get_credentials (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->credentials;
}

gint64
gk_renewal_result_get_obtained_at (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->obtained_at;
}

const char *
gk_renewal_result_get_identity_id (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->identity_id;
}

const char *
gk_renewal_result_get_display_name (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display_name;
}

/**
 * gk_renewal_result_get_id_token:
 *
 * Returns: (transfer none) (nullable): the verified ID token a RENEWED
 *   renewal got; a secret, never to be logged
 */
const char *
gk_renewal_result_get_id_token (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id_token;
}

/**
 * gk_renewal_result_get_claims:
 *
 * Returns: (transfer none) (nullable): the claims of that ID token
 */
GkJwtClaims *
gk_renewal_result_get_claims (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->claims;
}

/**
 * gk_renewal_result_get_signed_in_at:
 *
 * Returns: the Unix time the user signed in with the browser (the ID
 *   token's auth_time, which refreshes keep), or 0 when unknown
 */
gint64
gk_renewal_result_get_signed_in_at (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->signed_in_at;
}

/**
 * gk_renewal_result_get_error:
 *
 * Returns: (transfer none) (nullable): why the renewal failed
 */
const GError *
gk_renewal_result_get_error (const GkRenewalResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->error;
}

/* ------------------------------------------------------------------------
 * A flight
 * ------------------------------------------------------------------------ */

static void
flight_free (Flight *flight)
{
  g_clear_pointer (&flight->waiters, g_ptr_array_unref);
  g_clear_object (&flight->sign_in);
  g_clear_pointer (&flight->in_hand, gk_credentials_unref);
  g_free (flight->identity_id);
  g_clear_pointer (&flight->lock, gk_renewal_lock_free);
  g_clear_pointer (&flight->stored, gk_session_stored_free);
  gk_secret_free (flight->used_token);
  g_clear_pointer (&flight->tokens, gk_tokens_unref);
  g_clear_pointer (&flight->claims, gk_jwt_claims_unref);
  g_clear_pointer (&flight->credentials, gk_credentials_unref);
  g_free (flight->new_identity_id);
  g_clear_object (&flight->renewal);
  g_free (flight);
}

/* Hands @result to every caller and ends the flight (and the lock). */
static void
land (Flight          *flight,
      GkRenewalResult *result)
{
  g_autoptr(GkRenewalResult) owned = result;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&flight->waiters);
  GkRenewal *self = flight->renewal;

  g_assert (self->flight == flight);
  self->flight = NULL;

  /* A sign-in that ended meanwhile makes any result stale: what the old
   * sign-in renewed must not be handed out. */
  if (result->outcome != GK_RENEWAL_STALE && g_cancellable_is_cancelled (flight->sign_in))
    {
      g_autoptr(GError) error =
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The sign-in changed while the credentials were being renewed."));

      g_clear_pointer (&owned, gk_renewal_result_unref);
      owned = gk_renewal_result_new (GK_RENEWAL_STALE, NULL, 0, NULL, NULL, error);
    }

  /* Even a refused renewal can say how long the sign-in lasted. */
  if (owned->signed_in_at == 0 && flight->stored != NULL)
    owned->signed_in_at = gk_session_stored_get_signed_in_at (flight->stored);

  g_debug ("renewal for profile %s ended: outcome %d%s%s", gk_profile_get_name (self->profile),
           owned->outcome, owned->error != NULL ? ": " : "",
           owned->error != NULL ? owned->error->message : "");
  flight_free (flight);

  for (guint i = 0; i < waiters->len; i++)
    g_task_return_pointer (g_ptr_array_index (waiters, i), gk_renewal_result_ref (owned),
                           (GDestroyNotify) gk_renewal_result_unref);
}

static void
land_error (Flight           *flight,
            GkRenewalOutcome  outcome,
            GError           *error)
{
  g_autoptr(GError) owned = error;

  land (flight, gk_renewal_result_new (outcome, NULL, 0, NULL, NULL, owned));
}

/* Before each write: a sign-in that ended meanwhile keeps its keyring. */
static gboolean
land_if_stale (Flight *flight)
{
  if (!g_cancellable_is_cancelled (flight->sign_in))
    return FALSE;
  land_error (flight, GK_RENEWAL_STALE,
              g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The sign-in changed while the credentials were being renewed.")));
  return TRUE;
}

static void
on_credentials_stored_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Flight *flight = user_data;
  g_autoptr(GError) error = NULL;
  GkRenewalResult *renewed;

  /* Credentials that could not be cached are still good for this process. */
  if (!gk_session_store_save_renewal_finish (GK_SESSION_STORE (object), result, &error))
    g_warning ("Could not keep the renewed credentials in the keyring: %s", error->message);

  renewed = gk_renewal_result_new (GK_RENEWAL_RENEWED, flight->credentials, flight->obtained_at,
                                   flight->new_identity_id,
                                   gk_jwt_claims_get_display_name (flight->claims), NULL);
  renewed->id_token = g_strdup (gk_tokens_get_id_token (flight->tokens));
  renewed->claims = gk_jwt_claims_ref (flight->claims);
  renewed->signed_in_at = gk_jwt_claims_get_auth_time (flight->claims);
  land (flight, renewed);
}

static void
on_credentials_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Flight *flight = user_data;
  GkRenewal *self = flight->renewal;
  g_autoptr(GError) error = NULL;

  flight->credentials =
    gk_cognito_identity_client_fetch_credentials_finish (GK_COGNITO_IDENTITY_CLIENT (object),
                                                         result, &flight->new_identity_id,
                                                         &error);
  if (flight->credentials == NULL)
    {
      land_error (flight, GK_RENEWAL_FAILED, g_steal_pointer (&error));
      return;
    }
  if (land_if_stale (flight))
    return;

  flight->obtained_at = g_get_real_time () / G_USEC_PER_SEC;
  gk_session_store_save_renewal_async (self->store, flight->credentials, flight->obtained_at,
                                       flight->new_identity_id,
                                       flight->stored->values[GK_KEYRING_KIND_IDENTITY_ID],
                                       on_credentials_stored_cb, flight);
}

static void
on_verified_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Flight *flight = user_data;
  GkRenewal *self = flight->renewal;
  g_autoptr(GError) error = NULL;
  const char *identity_id;

  flight->claims = gk_id_token_verifier_verify_finish (GK_ID_TOKEN_VERIFIER (object), result,
                                                       &error);
  if (flight->claims == NULL)
    {
      g_prefix_error (&error, _("The renewed sign-in could not be verified: "));
      land_error (flight, GK_RENEWAL_FAILED, g_steal_pointer (&error));
      return;
    }

  identity_id = flight->stored->values[GK_KEYRING_KIND_IDENTITY_ID];
  if (identity_id == NULL)
    identity_id = flight->identity_id;
  gk_cognito_identity_client_fetch_credentials_async (self->identity, identity_id,
                                                      gk_tokens_get_id_token (flight->tokens),
                                                      gk_jwt_claims_get_display_name (flight->claims),
                                                      NULL, on_credentials_cb, flight);
}

static void
verify (Flight *flight)
{
  GkRenewal *self = flight->renewal;

  gk_id_token_verifier_verify_async (self->verifier, gk_tokens_get_id_token (flight->tokens),
                                     NULL, g_get_real_time () / G_USEC_PER_SEC, NULL,
                                     on_verified_cb, flight);
}

static void
on_rotation_stored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Flight *flight = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_session_store_save_rotation_finish (GK_SESSION_STORE (object), result, &error))
    g_warning ("Could not update the refresh token in the keyring: %s", error->message);
  verify (flight);
}

static void refresh (Flight *flight);

static void
on_refreshed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flight *flight = user_data;
  GkRenewal *self = flight->renewal;
  g_autoptr(GError) error = NULL;
  const char *previous = flight->stored->values[GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN];

  flight->tokens = gk_token_client_refresh_finish (GK_TOKEN_CLIENT (object), result, &error);
  if (flight->tokens == NULL)
    {
      if (!g_error_matches (error, GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_GRANT))
        {
          land_error (flight, GK_RENEWAL_FAILED, g_steal_pointer (&error));
          return;
        }
      /* After a rotation that was interrupted, the previous token may be
       * the one the identity provider still accepts. */
      if (!flight->used_previous && previous != NULL &&
          g_strcmp0 (previous, flight->used_token) != 0)
        {
          flight->used_previous = TRUE;
          gk_secret_free (flight->used_token);
          flight->used_token = g_strdup (previous);
          refresh (flight);
          return;
        }
      land_error (flight, GK_RENEWAL_REFUSED, g_steal_pointer (&error));
      return;
    }

  if (land_if_stale (flight))
    return;

  /* Written one by one, in the order that keeps rotation crash-safe, and
   * before the new tokens are used for anything. */
  gk_session_store_save_rotation_async (self->store, flight->used_token, flight->used_previous,
                                        previous, gk_tokens_get_refresh_token (flight->tokens),
                                        on_rotation_stored_cb, flight);
}

static void
refresh (Flight *flight)
{
  gk_token_client_refresh_async (flight->renewal->token_client, flight->used_token, NULL,
                                 on_refreshed_cb, flight);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Flight *flight = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) stored_credentials = NULL;
  g_autofree char *display_name = NULL;
  gint64 obtained_at = 0;
  const char *token;

  flight->stored = gk_session_store_load_finish (GK_SESSION_STORE (object), result, &error);
  if (flight->stored == NULL)
    {
      land_error (flight, GK_RENEWAL_FAILED, g_steal_pointer (&error));
      return;
    }

  /* Another process may have renewed while we waited for the lock. */
  stored_credentials = gk_session_stored_get_credentials (flight->stored, &obtained_at);
  if (stored_credentials != NULL &&
      (flight->in_hand == NULL ||
       gk_credentials_get_expiration (stored_credentials) >
         gk_credentials_get_expiration (flight->in_hand)) &&
      gk_credentials_is_valid_at (stored_credentials, g_get_real_time () / G_USEC_PER_SEC,
                                  flight->min_valid))
    {
      g_debug ("adopting credentials renewed by another process");
      display_name = gk_session_stored_dup_display_name (flight->stored);
      land (flight, gk_renewal_result_new (GK_RENEWAL_ADOPTED, stored_credentials, obtained_at,
                                           flight->stored->values[GK_KEYRING_KIND_IDENTITY_ID],
                                           display_name, NULL));
      return;
    }

  token = flight->stored->values[GK_KEYRING_KIND_REFRESH_TOKEN];
  if (token == NULL)
    {
      token = flight->stored->values[GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN];
      flight->used_previous = TRUE;
    }
  if (token == NULL)
    {
      land_error (flight, GK_RENEWAL_REFUSED,
                  g_error_new_literal (GK_RENEWAL_ERROR, GK_RENEWAL_ERROR_NO_REFRESH_TOKEN,
                                       _("The sign-in is no longer in the keyring.")));
      return;
    }
  flight->used_token = g_strdup (token);
  refresh (flight);
}

/* Locked, or waited long enough: renew (or adopt what the other process
 * renewed meanwhile). */
static gboolean
on_lock_waited_cb (gpointer user_data)
{
  Flight *flight = user_data;

  gk_session_store_load_async (flight->renewal->store, NULL, on_loaded_cb, flight);
  return G_SOURCE_REMOVE;
}

/**
 * gk_renewal_run_async:
 * @in_hand: (nullable): the credentials the caller has
 * @identity_id: (nullable): the identity id the caller knows
 * @min_valid: seconds the credentials must stay valid
 * @sign_in: (nullable): cancelled when the sign-in ends
 *
 * Renews now, or joins the renewal already running (whose inputs then
 * stand for this call too).
 */
void
gk_renewal_run_async (GkRenewal           *self,
                      GkCredentials       *in_hand,
                      const char          *identity_id,
                      gint64               min_valid,
                      GCancellable        *sign_in,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  Flight *flight;

  g_return_if_fail (GK_IS_RENEWAL (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, gk_renewal_run_async);

  if (self->flight != NULL)
    {
      g_ptr_array_add (self->flight->waiters, task);
      return;
    }

  flight = g_new0 (Flight, 1);
  flight->renewal = g_object_ref (self);
  flight->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (flight->waiters, task);
  flight->sign_in = sign_in != NULL ? g_object_ref (sign_in) : g_cancellable_new ();
  flight->in_hand = in_hand != NULL ? gk_credentials_ref (in_hand) : NULL;
  flight->identity_id = g_strdup (identity_id);
  flight->min_valid = min_valid;
  self->flight = flight;

  flight->lock = gk_renewal_lock_new (gk_profile_get_name (self->profile));
  if (gk_renewal_lock_try (flight->lock))
    {
      gk_session_store_load_async (self->store, NULL, on_loaded_cb, flight);
      return;
    }

  g_debug ("another process is renewing; waiting for it");
  gk_renewal_lock_wait (flight->lock, LOCK_WAIT_SECONDS, on_lock_waited_cb, flight);
}

/**
 * gk_renewal_run_finish:
 *
 * Returns: (transfer full): what the renewal found; every caller of one
 *   renewal gets the same result
 */
GkRenewalResult *
gk_renewal_run_finish (GkRenewal    *self,
                       GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_renewal_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

gboolean
gk_renewal_is_running (GkRenewal *self)
{
  g_return_val_if_fail (GK_IS_RENEWAL (self), FALSE);
  return self->flight != NULL;
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_renewal_dispose (GObject *object)
{
  GkRenewal *self = GK_RENEWAL (object);

  /* A flight holds a reference, so none runs here. */
  g_assert (self->flight == NULL);
  g_clear_object (&self->identity);
  g_clear_object (&self->verifier);
  g_clear_object (&self->token_client);
  g_clear_object (&self->store);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (gk_renewal_parent_class)->dispose (object);
}

static void
gk_renewal_class_init (GkRenewalClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_renewal_dispose;
}

static void
gk_renewal_init (GkRenewal *self)
{
}

/**
 * gk_renewal_new:
 * @profile: whose sign-in (issuer, app client, the lock's name)
 * @store: where the sign-in is kept
 *
 * Returns: (transfer full): a renewal for one profile's sign-in
 */
GkRenewal *
gk_renewal_new (GkProfile               *profile,
                GkSessionStore          *store,
                GkTokenClient           *token_client,
                GkIdTokenVerifier       *verifier,
                GkCognitoIdentityClient *identity)
{
  GkRenewal *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (GK_IS_SESSION_STORE (store), NULL);
  g_return_val_if_fail (GK_IS_TOKEN_CLIENT (token_client), NULL);
  g_return_val_if_fail (GK_IS_ID_TOKEN_VERIFIER (verifier), NULL);
  g_return_val_if_fail (GK_IS_COGNITO_IDENTITY_CLIENT (identity), NULL);

  self = g_object_new (GK_TYPE_RENEWAL, NULL);
  self->profile = g_object_ref (profile);
  self->store = g_object_ref (store);
  self->token_client = g_object_ref (token_client);
  self->verifier = g_object_ref (verifier);
  self->identity = g_object_ref (identity);
  return self;
}
