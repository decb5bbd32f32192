/* gk-session.c: the state machine, restore and sign-out
 *
 * The sign-in is in gk-session-sign-in.c, renewal in gk-session-renew.c,
 * what goes into the keyring (and in which order) in gk-session-store.c,
 * the cross-process renewal lock in gk-session-lock.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <unistd.h>

#include "gk-cognito-identity.h"
#include "gk-jwks.h"
#include "gk-loopback.h"
#include "gk-oauth.h"
#include "gk-session-private.h"
#include "gk-token-client.h"


static void gk_session_credential_source_init (GkCredentialSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkSession, gk_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_CREDENTIAL_SOURCE,
                                                      gk_session_credential_source_init))

G_DEFINE_QUARK (gk-session-error-quark, gk_session_error)

G_DEFINE_ENUM_TYPE (GkSessionState, gk_session_state,
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_SIGNED_OUT, "signed-out"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_SIGNING_IN, "signing-in"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_SIGNED_IN, "signed-in"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_RENEWING, "renewing"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_NEEDS_SIGN_IN, "needs-sign-in"))

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_KEYRING,
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

/* ------------------------------------------------------------------------
 * Pure helpers
 * ------------------------------------------------------------------------ */

const char *
gk_session_state_to_string (GkSessionState state)
{
  switch (state)
    {
    case GK_SESSION_STATE_SIGNED_OUT: return "signed-out";
    case GK_SESSION_STATE_SIGNING_IN: return "signing-in";
    case GK_SESSION_STATE_SIGNED_IN: return "signed-in";
    case GK_SESSION_STATE_RENEWING: return "renewing";
    case GK_SESSION_STATE_NEEDS_SIGN_IN: return "needs-sign-in";
    default: return "unknown";
    }
}

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

const char *
_gk_session_display_name_from_claims (GkJwtClaims *claims)
{
  if (gk_jwt_claims_get_email (claims) != NULL)
    return gk_jwt_claims_get_email (claims);
  if (gk_jwt_claims_get_username (claims) != NULL)
    return gk_jwt_claims_get_username (claims);
  return gk_jwt_claims_get_subject (claims);
}

/* ------------------------------------------------------------------------
 * State
 * ------------------------------------------------------------------------ */

void
_gk_session_set_state (GkSession      *self,
                       GkSessionState  state)
{
  if (self->state == state)
    return;
  g_debug ("profile %s: %s → %s", gk_profile_get_name (self->profile),
           gk_session_state_to_string (self->state), gk_session_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_gk_session_set_email (GkSession  *self,
                       const char *email)
{
  if (g_strcmp0 (self->email, email) == 0)
    return;
  g_free (self->email);
  self->email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

void
_gk_session_set_credentials (GkSession     *self,
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
  _gk_session_schedule_renewal (self);
}

void
_gk_session_set_renewal_error (GkSession    *self,
                               const GError *error)
{
  if (self->renewal_error == NULL && error == NULL)
    return;
  g_clear_error (&self->renewal_error);
  if (error != NULL)
    self->renewal_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENEWAL_ERROR]);
}

void
_gk_session_set_authorization_uri (GkSession  *self,
                                   const char *uri)
{
  if (g_strcmp0 (self->authorization_uri, uri) == 0)
    return;
  gk_session_wipe_free (self->authorization_uri);
  self->authorization_uri = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZATION_URI]);
}

gint64
_gk_session_now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
_gk_session_emit_authorization_pending (GkSession  *self,
                                        const char *uri,
                                        gboolean    browser_opened)
{
  g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, uri, browser_opened);
}

/* ------------------------------------------------------------------------
 * Restore
 * ------------------------------------------------------------------------ */

void
_gk_session_adopt_stored (GkSession       *self,
                          GkSessionStored *stored)
{
  g_autoptr(GkCredentials) credentials = NULL;
  g_autofree char *name = NULL;
  gint64 obtained_at = 0;

  if (stored->values[GK_KEYRING_KIND_CREDENTIALS] != NULL)
    credentials =
      gk_session_store_credentials_from_json (stored->values[GK_KEYRING_KIND_CREDENTIALS],
                                              &obtained_at);
  if (stored->values[GK_KEYRING_KIND_IDENTITY_ID] != NULL)
    {
      g_free (self->identity_id);
      self->identity_id = g_strdup (stored->values[GK_KEYRING_KIND_IDENTITY_ID]);
    }
  name = gk_session_store_display_name_from_user_json (stored->values[GK_KEYRING_KIND_USER]);
  if (name != NULL)
    _gk_session_set_email (self, name);
  if (credentials != NULL &&
      (self->credentials == NULL ||
       gk_credentials_get_expiration (credentials) > gk_credentials_get_expiration (self->credentials)))
    _gk_session_set_credentials (self, credentials, obtained_at);
}

static void
on_restore_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = GK_SESSION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkSessionStored) stored = gk_session_store_load_finish (self, result, &error);

  if (stored == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (stored->values[GK_KEYRING_KIND_REFRESH_TOKEN] == NULL &&
      stored->values[GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN] == NULL)
    {
      if (self->state != GK_SESSION_STATE_SIGNING_IN)
        _gk_session_set_state (self, GK_SESSION_STATE_SIGNED_OUT);
      g_task_return_boolean (task, TRUE);
      return;
    }
  _gk_session_adopt_stored (self, stored);
  if (self->state == GK_SESSION_STATE_SIGNED_OUT)
    _gk_session_set_state (self, GK_SESSION_STATE_SIGNED_IN);
  _gk_session_schedule_renewal (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * gk_session_restore_async:
 *
 * Reads the profile's sign-in from the keyring: the user, the cached
 * credentials and whether a refresh token is there. No network, no browser.
 * Afterwards the state is SIGNED_IN or SIGNED_OUT.
 */
void
gk_session_restore_async (GkSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_restore_async);
  gk_session_store_load_async (self, cancellable, on_restore_loaded_cb, task);
}

gboolean
gk_session_restore_finish (GkSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Sign out
 * ------------------------------------------------------------------------ */

typedef struct
{
  GkSessionStored *stored;
  int next_kind;
  GError *revoke_error;
} SignOutData;

static void
sign_out_data_free (SignOutData *data)
{
  g_clear_pointer (&data->stored, gk_session_stored_free);
  g_clear_error (&data->revoke_error);
  g_free (data);
}

static void sign_out_revoke_next (GTask *task);

static void
on_sign_out_deleted_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!gk_keyring_delete_finish (self->keyring, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->generation++;
  g_clear_pointer (&self->identity_id, g_free);
  _gk_session_set_credentials (self, NULL, 0);
  _gk_session_set_email (self, NULL);
  _gk_session_set_renewal_error (self, NULL);
  _gk_session_set_state (self, GK_SESSION_STATE_SIGNED_OUT);

  if (data->revoke_error != NULL)
    {
      g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_FAILED,
                               _("Signed out on this computer, but the identity provider "
                                 "could not be told (%s). The sign-in ends by itself when "
                                 "its refresh token expires."),
                               data->revoke_error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_sign_out_revoked_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignOutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* An already invalid token is as good as revoked. */
  if (!gk_token_client_revoke_finish (GK_TOKEN_CLIENT (object), result, &error) &&
      !g_error_matches (error, GK_TOKEN_ERROR, GK_TOKEN_ERROR_INVALID_GRANT) &&
      data->revoke_error == NULL)
    data->revoke_error = g_steal_pointer (&error);
  sign_out_revoke_next (g_steal_pointer (&task));
}

static void
sign_out_revoke_next (GTask *task)
{
  GkSession *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  while (data->next_kind == GK_KEYRING_KIND_REFRESH_TOKEN ||
         data->next_kind == GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN)
    {
      const char *token = data->stored->values[data->next_kind];
      gboolean duplicate = data->next_kind == GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN &&
        g_strcmp0 (token, data->stored->values[GK_KEYRING_KIND_REFRESH_TOKEN]) == 0;

      data->next_kind++;
      if (token != NULL && !duplicate)
        {
          gk_token_client_revoke_async (self->token_client, token, cancellable,
                                        on_sign_out_revoked_cb, task);
          return;
        }
    }

  gk_keyring_delete_async (self->keyring, gk_profile_get_name (self->profile), -1, cancellable,
                           on_sign_out_deleted_cb, task);
}

static void
on_sign_out_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  SignOutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->stored = gk_session_store_load_finish (GK_SESSION (object), result, &error);
  if (data->stored == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  data->next_kind = GK_KEYRING_KIND_REFRESH_TOKEN;
  sign_out_revoke_next (task);
}

/**
 * gk_session_sign_out_async:
 *
 * Revokes the refresh token at the identity provider (so it can never be
 * used again), then deletes every keyring item of the profile.
 */
void
gk_session_sign_out_async (GkSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_sign_out_async);
  g_task_set_task_data (task, g_new0 (SignOutData, 1), (GDestroyNotify) sign_out_data_free);
  gk_session_store_load_async (self, cancellable, on_sign_out_loaded_cb, task);
}

gboolean
gk_session_sign_out_finish (GkSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
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

  g_task_set_source_tag (task, gk_session_get_credentials_async);

  if (self->credentials != NULL &&
      gk_credentials_is_valid_at (self->credentials, _gk_session_now_unix (), min_valid))
    {
      g_task_return_pointer (task, gk_credentials_ref (self->credentials),
                             (GDestroyNotify) gk_credentials_unref);
      return;
    }

  switch (self->state)
    {
    case GK_SESSION_STATE_SIGNED_IN:
    case GK_SESSION_STATE_RENEWING:
      _gk_session_start_renewal (self, min_valid, g_steal_pointer (&task));
      return;
    case GK_SESSION_STATE_NEEDS_SIGN_IN:
      if (self->credentials != NULL &&
          gk_credentials_is_valid_at (self->credentials, _gk_session_now_unix (), GK_SESSION_MIN_USEFUL_SECONDS))
        g_task_return_pointer (task, gk_credentials_ref (self->credentials),
                               (GDestroyNotify) gk_credentials_unref);
      else
        g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN,
                                 _("Your sign-in for profile “%s” has ended. Sign in again "
                                   "with “genokey login --profile %s”."), name, name);
      return;
    case GK_SESSION_STATE_SIGNED_OUT:
    case GK_SESSION_STATE_SIGNING_IN:
    default:
      g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN,
                               _("You are not signed in to profile “%s”. Sign in with "
                                 "“genokey login --profile %s”."), name, name);
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
  self->soup = soup_session_new_with_options ("timeout", 30,
                                              "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                              NULL);
  self->token_client = gk_token_client_new_for_profile (self->profile, self->soup);
  self->jwks = gk_jwks_new (gk_profile_get_jwks_uri (self->profile), self->soup);
  self->identity = gk_cognito_identity_client_new (self->profile);
}

static void
gk_session_dispose (GObject *object)
{
  GkSession *self = GK_SESSION (object);

  g_clear_handle_id (&self->renew_timer, g_source_remove);
  g_clear_object (&self->identity);
  g_clear_object (&self->jwks);
  g_clear_object (&self->token_client);
  g_clear_object (&self->soup);
  g_clear_object (&self->keyring);
  g_clear_object (&self->profile);
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
  gk_session_wipe_free (self->authorization_uri);
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
  _gk_session_schedule_renewal (self);
}
