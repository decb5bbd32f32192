/* gk-session.c
 *
 * The session holds what the window and the commands see (state, user,
 * credentials, the last renewal error) and changes it only by applying
 * what its parts hand back: a sign-in's result, a renewal's result, the
 * keyring's contents on restore, a sign-out. Every state change is a move
 * checked by gk_session_state_move().
 *
 * This file holds what the session shows, its renewal, the credential
 * source and the object; sign-in, sign-out and restore are in
 * gk-session-sign-in.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-secret.h"
#include "gk-session-private.h"

/* Credentials with less than this left are not handed out after a failed
 * renewal; a request signed with them would likely fail on the way. */
#define MIN_USEFUL_SECONDS 60
/* A failed renewal is retried this much later (long-running processes). */
#define RETRY_DELAY_SECONDS 60

static void gk_session_credential_source_init (GkCredentialSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkSession, gk_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_CREDENTIAL_SOURCE,
                                                      gk_session_credential_source_init))

G_DEFINE_QUARK (gk-session-error-quark, gk_session_error)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_KEYRING,
  PROP_PROFILE_STORE,
  PROP_STATE,
  PROP_EMAIL,
  PROP_CREDENTIALS_EXPIRATION,
  PROP_RENEWAL_ERROR,
  PROP_AUTHORIZATION_URI,
  N_PROPS
};

enum {
  AUTHORIZATION_PENDING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule_renewal (GkSession *self);

/* ------------------------------------------------------------------------
 * Pure helpers
 * ------------------------------------------------------------------------ */

/**
 * gk_session_compute_renewal_time:
 * @obtained_at: Unix time the credentials were issued
 * @expiration: Unix time they expire
 *
 * botocore refreshes when less than 15 minutes are left; renewing at about
 * 12.5 minutes keeps well clear of the end without renewing too often.
 * Short-lived credentials (tests, short roles) renew at three quarters of
 * their life instead, so renewal never spins.
 *
 * Returns: the Unix time at which to renew
 */
gint64
gk_session_compute_renewal_time (gint64 obtained_at,
                                 gint64 expiration)
{
  gint64 lifetime = expiration - obtained_at;
  gint64 lead = 750;

  if (lifetime <= 0)
    return expiration;
  if (lead > lifetime / 4)
    lead = lifetime / 4;
  return expiration - lead;
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ------------------------------------------------------------------------
 * What the session shows, each change notifying its property
 * ------------------------------------------------------------------------ */

void
gk_session_move_to (GkSession      *self,
                    GkSessionState  to)
{
  GkSessionState from = self->state;

  if (!gk_session_state_move (&self->state, to))
    return;
  g_debug ("profile %s: %s → %s", gk_profile_get_name (self->profile),
           gk_session_state_to_string (from), gk_session_state_to_string (to));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  schedule_renewal (self);
}

void
gk_session_set_email (GkSession  *self,
                      const char *email)
{
  if (g_strcmp0 (self->email, email) == 0)
    return;
  g_free (self->email);
  self->email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

void
gk_session_set_identity_id (GkSession  *self,
                            const char *identity_id)
{
  g_free (self->identity_id);
  self->identity_id = g_strdup (identity_id);
}

void
gk_session_set_credentials (GkSession     *self,
                            GkCredentials *credentials,
                            gint64         obtained_at)
{
  gint64 old = self->credentials ? gk_credentials_get_expiration (self->credentials) : 0;

  g_clear_pointer (&self->credentials, gk_credentials_unref);
  if (credentials != NULL)
    self->credentials = gk_credentials_ref (credentials);
  self->credentials_obtained_at = obtained_at;
  if (old != (credentials ? gk_credentials_get_expiration (credentials) : 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDENTIALS_EXPIRATION]);
  schedule_renewal (self);
}

/* Takes @credentials only if they last longer than those in hand: another
 * process's older cache must never replace fresher credentials. */
static void
take_newer_credentials (GkSession     *self,
                        GkCredentials *credentials,
                        gint64         obtained_at)
{
  if (credentials != NULL &&
      (self->credentials == NULL ||
       gk_credentials_get_expiration (credentials) > gk_credentials_get_expiration (self->credentials)))
    gk_session_set_credentials (self, credentials, obtained_at);
}

void
gk_session_set_renewal_error (GkSession    *self,
                              const GError *error)
{
  if (self->renewal_error == NULL && error == NULL)
    return;
  g_clear_error (&self->renewal_error);
  if (error != NULL)
    self->renewal_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENEWAL_ERROR]);
  schedule_renewal (self);
}

void
gk_session_set_authorization_uri (GkSession  *self,
                                  const char *uri)
{
  if (g_strcmp0 (self->authorization_uri, uri) == 0)
    return;
  gk_secret_free (self->authorization_uri);
  self->authorization_uri = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZATION_URI]);
}

/* The sign-in the session stood for has ended: what its renewals still
 * bring must not be kept. */
void
gk_session_end_sign_in (GkSession *self)
{
  g_cancellable_cancel (self->sign_in_alive);
  g_clear_object (&self->sign_in_alive);
  self->sign_in_alive = g_cancellable_new ();
}

void
gk_session_apply_signed_out (GkSession *self)
{
  gk_session_end_sign_in (self);
  gk_session_set_identity_id (self, NULL);
  gk_session_set_credentials (self, NULL, 0);
  gk_session_set_email (self, NULL);
  gk_session_set_renewal_error (self, NULL);
  gk_session_move_to (self, GK_SESSION_STATE_SIGNED_OUT);
}

void
gk_session_adopt_stored (GkSession             *self,
                         const GkSessionStored *stored)
{
  g_autoptr(GkCredentials) credentials = NULL;
  g_autofree char *name = NULL;
  gint64 obtained_at = 0;

  if (stored->values[GK_KEYRING_KIND_IDENTITY_ID] != NULL)
    gk_session_set_identity_id (self, stored->values[GK_KEYRING_KIND_IDENTITY_ID]);
  name = gk_session_stored_dup_display_name (stored);
  if (name != NULL)
    gk_session_set_email (self, name);
  credentials = gk_session_stored_get_credentials (stored, &obtained_at);
  take_newer_credentials (self, credentials, obtained_at);
}

void
gk_session_emit_authorization_pending (GkSession  *self,
                                       const char *uri,
                                       gboolean    browser_opened)
{
  g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, uri, browser_opened);
}

/* ------------------------------------------------------------------------
 * Renewal
 * ------------------------------------------------------------------------ */

/**
 * gk_session_apply_renewal_result:
 * @result: what a #GkRenewal for this session's sign-in found
 *
 * A stale result (the sign-in changed meanwhile) changes nothing. Renewed
 * or adopted credentials replace those in hand (adopted ones only if they
 * last longer) and clear the renewal error; a failure keeps everything
 * that still works and records why. The state moves from RENEWING to
 * SIGNED_IN, or to NEEDS_SIGN_IN when the refresh token was refused; a
 * sign-in under way keeps its state and returns there if it fails.
 */
void
gk_session_apply_renewal_result (GkSession       *self,
                                 GkRenewalResult *result)
{
  GkRenewalOutcome outcome;
  GkSessionState target;

  g_return_if_fail (GK_IS_SESSION (self));
  g_return_if_fail (result != NULL);

  outcome = gk_renewal_result_get_outcome (result);
  /* Signed out meanwhile: nothing of the old sign-in comes back. */
  if (outcome == GK_RENEWAL_STALE || self->state == GK_SESSION_STATE_SIGNED_OUT)
    return;

  switch (outcome)
    {
    case GK_RENEWAL_RENEWED:
    case GK_RENEWAL_ADOPTED:
      if (gk_renewal_result_get_identity_id (result) != NULL)
        gk_session_set_identity_id (self, gk_renewal_result_get_identity_id (result));
      if (gk_renewal_result_get_display_name (result) != NULL)
        gk_session_set_email (self, gk_renewal_result_get_display_name (result));
      if (outcome == GK_RENEWAL_RENEWED)
        gk_session_set_credentials (self, gk_renewal_result_get_credentials (result),
                                    gk_renewal_result_get_obtained_at (result));
      else
        take_newer_credentials (self, gk_renewal_result_get_credentials (result),
                                gk_renewal_result_get_obtained_at (result));
      gk_session_set_renewal_error (self, NULL);
      target = GK_SESSION_STATE_SIGNED_IN;
      break;
    case GK_RENEWAL_REFUSED:
      /* Never delete the refresh token here: the keyring keeps it, and
       * what still works keeps working until it expires. */
      gk_session_set_renewal_error (self, gk_renewal_result_get_error (result));
      target = GK_SESSION_STATE_NEEDS_SIGN_IN;
      break;
    case GK_RENEWAL_FAILED:
    case GK_RENEWAL_STALE:
    default:
      /* A network hiccup must not sign anybody out. */
      gk_session_set_renewal_error (self, gk_renewal_result_get_error (result));
      target = GK_SESSION_STATE_SIGNED_IN;
      break;
    }

  if (self->state == GK_SESSION_STATE_SIGNING_IN)
    self->state_after_sign_in = target;
  else
    gk_session_move_to (self, target);
}

typedef struct
{
  gint64 min_valid;
} CredentialsRequest;

static GError *
needs_sign_in_error (GkSession *self)
{
  const char *name = gk_profile_get_name (self->profile);

  return g_error_new (GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN,
                      _("Your sign-in for profile “%s” has ended: it expired or was revoked."),
                      name);
}

static void
on_renewed_for_caller_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  CredentialsRequest *request = g_task_get_task_data (task);
  g_autoptr(GkRenewalResult) renewal = gk_renewal_run_finish (GK_RENEWAL (object), result);
  GkRenewalOutcome outcome = gk_renewal_result_get_outcome (renewal);
  GkCredentials *renewed = gk_renewal_result_get_credentials (renewal);
  gint64 min_valid = outcome == GK_RENEWAL_STALE ? request->min_valid : MIN_USEFUL_SECONDS;

  gk_session_apply_renewal_result (self, renewal);

  if (renewed != NULL && outcome != GK_RENEWAL_STALE)
    g_task_return_pointer (task, gk_credentials_ref (renewed),
                           (GDestroyNotify) gk_credentials_unref);
  /* What still works keeps working until it expires. */
  else if (self->credentials != NULL &&
           gk_credentials_is_valid_at (self->credentials, now_unix (), min_valid))
    g_task_return_pointer (task, gk_credentials_ref (self->credentials),
                           (GDestroyNotify) gk_credentials_unref);
  else if (outcome == GK_RENEWAL_STALE)
    g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN,
                             _("The sign-in changed while the credentials were being renewed. "
                               "Try again."));
  else if (outcome == GK_RENEWAL_REFUSED)
    g_task_return_error (task, needs_sign_in_error (self));
  else
    g_task_return_error (task, g_error_copy (gk_renewal_result_get_error (renewal)));
}

static void
on_renewed_by_timer_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GkSession) self = user_data;
  g_autoptr(GkRenewalResult) renewal = gk_renewal_run_finish (GK_RENEWAL (object), result);

  gk_session_apply_renewal_result (self, renewal);
}

/* Renews (or joins the renewal that runs); the state says RENEWING unless
 * a sign-in is under way. */
static void
renew (GkSession           *self,
       gint64               min_valid,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  if (self->state == GK_SESSION_STATE_SIGNED_IN)
    gk_session_move_to (self, GK_SESSION_STATE_RENEWING);
  gk_renewal_run_async (self->renewal, self->credentials, self->identity_id, min_valid,
                        self->sign_in_alive, callback, user_data);
}

static void
on_renewed_now_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  GkRenewalResult *renewal = gk_renewal_run_finish (GK_RENEWAL (object), result);

  gk_session_apply_renewal_result (self, renewal);
  g_task_return_pointer (task, renewal, (GDestroyNotify) gk_renewal_result_unref);
}

/**
 * gk_session_renew_now_async:
 *
 * Renews now, whatever the credentials in hand have left (or joins the
 * renewal that runs), and applies the result as any renewal. For checks
 * of the sign-in itself: the result carries a fresh, verified ID token and
 * says how long the sign-in has lasted (gk-doctor).
 */
void
gk_session_renew_now_async (GkSession           *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_renew_now_async);
  if (self->state != GK_SESSION_STATE_SIGNED_IN && self->state != GK_SESSION_STATE_RENEWING)
    {
      g_task_return_error (task, self->state == GK_SESSION_STATE_NEEDS_SIGN_IN
                           ? needs_sign_in_error (self)
                           : g_error_new (GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN,
                                          _("You are not signed in to profile “%s”."),
                                          gk_profile_get_name (self->profile)));
      return;
    }
  /* No credentials last this long, so none in the keyring are adopted. */
  renew (self, G_MAXINT32, on_renewed_now_cb, g_steal_pointer (&task));
}

/**
 * gk_session_renew_now_finish:
 *
 * Returns: (transfer full): what the renewal found (never %NULL unless
 *   @error is set: the session is not signed in)
 */
GkRenewalResult *
gk_session_renew_now_finish (GkSession     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
on_renew_timer_cb (gpointer user_data)
{
  GkSession *self = user_data;

  self->renew_timer = 0;
  if (self->state == GK_SESSION_STATE_SIGNED_IN)
    renew (self, MIN_USEFUL_SECONDS, on_renewed_by_timer_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Arms (or disarms) the renewal timer for the credentials in hand. */
static void
schedule_renewal (GkSession *self)
{
  gint64 delay;

  g_clear_handle_id (&self->renew_timer, g_source_remove);
  if (!self->auto_renew || self->state != GK_SESSION_STATE_SIGNED_IN)
    return;

  if (self->renewal_error != NULL)
    delay = RETRY_DELAY_SECONDS;
  else if (self->credentials == NULL)
    delay = 0;
  else
    delay = gk_session_compute_renewal_time (self->credentials_obtained_at,
                                             gk_credentials_get_expiration (self->credentials))
            - now_unix ();
  delay = CLAMP (delay, 1, G_MAXUINT / 2);
  self->renew_timer = g_timeout_add_seconds ((guint) delay, on_renew_timer_cb, self);
}

/* ------------------------------------------------------------------------
 * GkCredentialSource
 * ------------------------------------------------------------------------ */

static void
gk_session_get_credentials_async (GkCredentialSource  *source,
                                  gint64               min_valid,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GkSession *self = GK_SESSION (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *name = gk_profile_get_name (self->profile);
  CredentialsRequest *request;

  g_task_set_source_tag (task, gk_session_get_credentials_async);

  if (self->credentials != NULL &&
      gk_credentials_is_valid_at (self->credentials, now_unix (), min_valid))
    {
      g_task_return_pointer (task, gk_credentials_ref (self->credentials),
                             (GDestroyNotify) gk_credentials_unref);
      return;
    }

  switch (self->state)
    {
    case GK_SESSION_STATE_SIGNED_IN:
    case GK_SESSION_STATE_RENEWING:
      request = g_new0 (CredentialsRequest, 1);
      request->min_valid = min_valid;
      g_task_set_task_data (task, request, g_free);
      renew (self, min_valid, on_renewed_for_caller_cb, g_steal_pointer (&task));
      return;
    case GK_SESSION_STATE_NEEDS_SIGN_IN:
      if (self->credentials != NULL &&
          gk_credentials_is_valid_at (self->credentials, now_unix (), MIN_USEFUL_SECONDS))
        g_task_return_pointer (task, gk_credentials_ref (self->credentials),
                               (GDestroyNotify) gk_credentials_unref);
      else
        g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN,
                                 _("Your sign-in for profile “%s” has ended."), name);
      return;
    case GK_SESSION_STATE_SIGNED_OUT:
    case GK_SESSION_STATE_SIGNING_IN:
    default:
      g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN,
                               _("You are not signed in to profile “%s”."), name);
      return;
    }
}

static GkCredentials *
gk_session_get_credentials_finish (GkCredentialSource  *source,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
gk_session_get_description (GkCredentialSource *source)
{
  GkSession *self = GK_SESSION (source);

  if (self->description == NULL)
    self->description = g_strdup_printf (_("profile %s"), gk_profile_get_name (self->profile));
  return self->description;
}

static void
gk_session_credential_source_init (GkCredentialSourceInterface *iface)
{
  iface->get_credentials_async = gk_session_get_credentials_async;
  iface->get_credentials_finish = gk_session_get_credentials_finish;
  iface->get_description = gk_session_get_description;
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_session_constructed (GObject *object)
{
  GkSession *self = GK_SESSION (object);

  G_OBJECT_CLASS (gk_session_parent_class)->constructed (object);

  g_assert (self->profile != NULL);
  if (self->keyring == NULL)
    self->keyring = gk_keyring_new ();
  self->store = gk_session_store_new (self->keyring, gk_profile_get_name (self->profile));
  self->soup = soup_session_new_with_options ("timeout", 30,
                                              "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                              NULL);
  self->token_client = gk_token_client_new_for_profile (self->profile, self->soup);
  self->verifier = gk_id_token_verifier_new (self->profile, self->soup, self->profile_store);
  self->identity = gk_cognito_identity_client_new (self->profile);
  self->renewal = gk_renewal_new (self->profile, self->store, self->token_client, self->verifier,
                                  self->identity);
}

static void
gk_session_dispose (GObject *object)
{
  GkSession *self = GK_SESSION (object);

  g_clear_handle_id (&self->renew_timer, g_source_remove);
  if (self->sign_in != NULL)
    g_signal_handlers_disconnect_by_data (self->sign_in, self);
  g_clear_object (&self->sign_in);
  g_clear_object (&self->renewal);
  g_clear_object (&self->identity);
  g_clear_object (&self->verifier);
  g_clear_object (&self->token_client);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_object (&self->profile_store);
  g_clear_object (&self->keyring);
  g_clear_object (&self->profile);
  g_clear_object (&self->sign_in_alive);
  g_clear_pointer (&self->credentials, gk_credentials_unref);

  G_OBJECT_CLASS (gk_session_parent_class)->dispose (object);
}

static void
gk_session_finalize (GObject *object)
{
  GkSession *self = GK_SESSION (object);

  g_free (self->email);
  g_free (self->identity_id);
  g_clear_error (&self->renewal_error);
  gk_secret_free (self->authorization_uri);
  g_free (self->description);

  G_OBJECT_CLASS (gk_session_parent_class)->finalize (object);
}

static void
gk_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GkSession *self = GK_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_KEYRING:
      g_value_set_object (value, self->keyring);
      break;
    case PROP_PROFILE_STORE:
      g_value_set_object (value, self->profile_store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_CREDENTIALS_EXPIRATION:
      g_value_set_int64 (value, gk_session_get_credentials_expiration (self));
      break;
    case PROP_RENEWAL_ERROR:
      g_value_set_boxed (value, self->renewal_error);
      break;
    case PROP_AUTHORIZATION_URI:
      g_value_set_string (value, self->authorization_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GkSession *self = GK_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    case PROP_KEYRING:
      self->keyring = g_value_dup_object (value);
      break;
    case PROP_PROFILE_STORE:
      self->profile_store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_session_class_init (GkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gk_session_constructed;
  object_class->dispose = gk_session_dispose;
  object_class->finalize = gk_session_finalize;
  object_class->get_property = gk_session_get_property;
  object_class->set_property = gk_session_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, GK_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING] =
    g_param_spec_object ("keyring", NULL, NULL, GK_TYPE_KEYRING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Where the profile came from: a user pool learned at the first sign-in
   * is saved there (gk-id-token-verifier.h). */
  properties[PROP_PROFILE_STORE] =
    g_param_spec_object ("profile-store", NULL, NULL, GK_TYPE_PROFILE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GK_TYPE_SESSION_STATE, GK_SESSION_STATE_SIGNED_OUT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDENTIALS_EXPIRATION] =
    g_param_spec_int64 ("credentials-expiration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RENEWAL_ERROR] =
    g_param_spec_boxed ("renewal-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTHORIZATION_URI] =
    g_param_spec_string ("authorization-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GkSession::authorization-pending:
   * @uri: the authorization link (for "Copy link" or to print)
   * @browser_opened: whether a browser was asked to open it
   *
   * Emitted once the listener is bound and the browser was (or was not)
   * opened; the sign-in now waits for the user.
   */
  signals[AUTHORIZATION_PENDING] =
    g_signal_new ("authorization-pending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
gk_session_init (GkSession *self)
{
  self->state = GK_SESSION_STATE_SIGNED_OUT;
  self->state_after_sign_in = GK_SESSION_STATE_SIGNED_OUT;
  self->sign_in_alive = g_cancellable_new ();
}

/**
 * gk_session_new:
 * @keyring: (nullable): where secrets go; %NULL for the desktop keyring
 *
 * Returns: (transfer full): a signed-out session; call
 *   gk_session_restore_async() to pick up an earlier sign-in
 */
GkSession *
gk_session_new (GkProfile *profile,
                GkKeyring *keyring)
{
  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (keyring == NULL || GK_IS_KEYRING (keyring), NULL);

  return g_object_new (GK_TYPE_SESSION, "profile", profile, "keyring", keyring, NULL);
}

/**
 * gk_session_new_saved:
 * @store: the profiles @profile was loaded from
 * @keyring: (nullable): where secrets go; %NULL for the desktop keyring
 *
 * Like gk_session_new(), for a saved profile: a user pool the first
 * sign-in teaches it is written back to @store.
 *
 * Returns: (transfer full): a signed-out session
 */
GkSession *
gk_session_new_saved (GkProfileStore *store,
                      GkProfile      *profile,
                      GkKeyring      *keyring)
{
  g_return_val_if_fail (GK_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (keyring == NULL || GK_IS_KEYRING (keyring), NULL);

  return g_object_new (GK_TYPE_SESSION, "profile", profile, "keyring", keyring,
                       "profile-store", store, NULL);
}

GkProfile *
gk_session_get_profile (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), NULL);
  return self->profile;
}

GkKeyring *
gk_session_get_keyring (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), NULL);
  return self->keyring;
}

GkSessionState
gk_session_get_state (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), GK_SESSION_STATE_SIGNED_OUT);
  return self->state;
}

/**
 * gk_session_get_email:
 *
 * Returns: (nullable): the signed-in user's email (or user name)
 */
const char *
gk_session_get_email (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), NULL);
  return self->email;
}

/**
 * gk_session_get_credentials_expiration:
 *
 * Returns: Unix time the current credentials expire, 0 if there are none
 */
gint64
gk_session_get_credentials_expiration (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), 0);
  return self->credentials ? gk_credentials_get_expiration (self->credentials) : 0;
}

/**
 * gk_session_get_renewal_error:
 *
 * Returns: (nullable): why the last renewal failed, %NULL after a success
 */
const GError *
gk_session_get_renewal_error (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), NULL);
  return self->renewal_error;
}

/**
 * gk_session_get_authorization_uri:
 *
 * Returns: (nullable): the link the browser must open, while signing in
 */
const char *
gk_session_get_authorization_uri (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), NULL);
  return self->authorization_uri;
}

/**
 * gk_session_get_sign_in_overhead_us:
 *
 * Returns: microseconds from the browser's redirect reaching the listener
 *   to the credentials being stored, for the last sign-in (0 if none)
 */
gint64
gk_session_get_sign_in_overhead_us (GkSession *self)
{
  g_return_val_if_fail (GK_IS_SESSION (self), 0);
  return self->sign_in_overhead_us;
}

void
gk_session_set_auto_renew (GkSession *self,
                           gboolean   auto_renew)
{
  g_return_if_fail (GK_IS_SESSION (self));

  self->auto_renew = !!auto_renew;
  schedule_renewal (self);
}
