/* gk-session.c: the state machine, sign-in, renewal and sign-out
 *
 * What goes into the keyring, and in which order, is in
 * gk-session-store.c; the cross-process renewal lock in gk-session-lock.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <unistd.h>

#include "gk-identity.h"
#include "gk-jwt.h"
#include "gk-loopback.h"
#include "gk-oauth.h"
#include "gk-session-private.h"
#include "gk-token-client.h"

/* Credentials with less than this left are not handed out after a failed
 * renewal; a request signed with them would likely fail on the way. */
#define MIN_USEFUL_SECONDS 60
/* A failed renewal is retried this much later (long-running processes). */
#define RETRY_DELAY_SECONDS 60
/* How long to wait for another process's renewal (gk-session-lock.c). */
#define LOCK_WAIT_SECONDS 60

struct _GkSession
{
  GObject parent_instance;

  GkProfile *profile;
  GkKeyring *keyring;
  SoupSession *soup;
  GkTokenClient *token_client;
  GkJwks *jwks;
  GkIdentityClient *identity;

  GkSessionState state;
  char *email;
  char *identity_id;
  GkCredentials *credentials;
  gint64 credentials_obtained_at;
  GError *renewal_error;
  char *authorization_uri;
  gint64 sign_in_overhead_us;
  char *description;

  gboolean auto_renew;
  guint renew_timer;
  GPtrArray *renewal_waiters; /* GTask*, non-NULL while a renewal runs */
  gboolean signing_in;
  guint generation;           /* bumped by sign-in and sign-out */
};

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

static void schedule_renewal (GkSession *self);

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

static const char *
display_name_from_claims (GkJwtClaims *claims)
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

static void
set_state (GkSession      *self,
           GkSessionState  state)
{
  if (self->state == state)
    return;
  g_debug ("profile %s: %s → %s", gk_profile_get_name (self->profile),
           gk_session_state_to_string (self->state), gk_session_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_email (GkSession  *self,
           const char *email)
{
  if (g_strcmp0 (self->email, email) == 0)
    return;
  g_free (self->email);
  self->email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

static void
set_credentials (GkSession     *self,
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

static void
set_renewal_error (GkSession    *self,
                   const GError *error)
{
  if (self->renewal_error == NULL && error == NULL)
    return;
  g_clear_error (&self->renewal_error);
  if (error != NULL)
    self->renewal_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENEWAL_ERROR]);
}

static void
set_authorization_uri (GkSession  *self,
                       const char *uri)
{
  if (g_strcmp0 (self->authorization_uri, uri) == 0)
    return;
  gk_session_wipe_free (self->authorization_uri);
  self->authorization_uri = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZATION_URI]);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ------------------------------------------------------------------------
 * Restore
 * ------------------------------------------------------------------------ */

static void
adopt_stored (GkSession       *self,
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
    set_email (self, name);
  if (credentials != NULL &&
      (self->credentials == NULL ||
       gk_credentials_get_expiration (credentials) > gk_credentials_get_expiration (self->credentials)))
    set_credentials (self, credentials, obtained_at);
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
        set_state (self, GK_SESSION_STATE_SIGNED_OUT);
      g_task_return_boolean (task, TRUE);
      return;
    }
  adopt_stored (self, stored);
  if (self->state == GK_SESSION_STATE_SIGNED_OUT)
    set_state (self, GK_SESSION_STATE_SIGNED_IN);
  schedule_renewal (self);
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
 * Sign in
 * ------------------------------------------------------------------------ */

typedef struct
{
  GkSignInFlags flags;
  GkSessionState previous_state;
  GkOAuthRequest *request;
  GkLoopback *loopback;
  GkTokens *tokens;
  GkJwtClaims *claims;
  GkCredentials *credentials;
  char *identity_id;
  gint64 redirect_time;   /* monotonic µs when the browser's redirect arrived */
  gint64 obtained_at;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_clear_pointer (&data->request, gk_oauth_request_unref);
  if (data->loopback != NULL)
    gk_loopback_close (data->loopback);
  g_clear_object (&data->loopback);
  g_clear_pointer (&data->tokens, gk_tokens_unref);
  g_clear_pointer (&data->claims, gk_jwt_claims_unref);
  g_clear_pointer (&data->credentials, gk_credentials_unref);
  g_free (data->identity_id);
  g_free (data);
}

static void
sign_in_fail (GTask  *task,
              GError *error)
{
  GkSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);

  self->signing_in = FALSE;
  set_authorization_uri (self, NULL);
  set_state (self, data->previous_state);
  g_task_return_error (task, error);
}

static void
on_sign_in_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = GK_SESSION (object);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!gk_session_store_batch_finish (self, result, &error))
    {
      g_prefix_error (&error, _("Signed in, but the sign-in could not be saved: "));
      sign_in_fail (task, g_steal_pointer (&error));
      return;
    }

  self->sign_in_overhead_us = g_get_monotonic_time () - data->redirect_time;
  g_debug ("sign-in: redirect to credentials stored in %" G_GINT64_FORMAT " ms",
           self->sign_in_overhead_us / 1000);

  self->signing_in = FALSE;
  self->generation++;
  g_free (self->identity_id);
  self->identity_id = g_strdup (data->identity_id);
  set_email (self, display_name_from_claims (data->claims));
  set_renewal_error (self, NULL);
  set_authorization_uri (self, NULL);
  set_state (self, GK_SESSION_STATE_SIGNED_IN);
  set_credentials (self, data->credentials, data->obtained_at);
  g_task_return_boolean (task, TRUE);
}

static void
on_sign_in_credentials_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  GCancellable *cancellable;

  data->credentials = gk_identity_client_fetch_credentials_finish (GK_IDENTITY_CLIENT (object),
                                                                   result, &data->identity_id,
                                                                   &error);
  if (data->credentials == NULL)
    {
      sign_in_fail (task, g_steal_pointer (&error));
      return;
    }
  data->obtained_at = now_unix ();
  g_debug ("sign-in: AWS credentials after %" G_GINT64_FORMAT " µs",
           g_get_monotonic_time () - data->redirect_time);

  /* The refresh token first: it is what keeps the user signed in. The
   * rest in parallel once it is in. */
  ops = gk_session_store_sign_in_ops (gk_tokens_get_refresh_token (data->tokens), data->claims,
                                      data->identity_id, data->credentials, data->obtained_at);
  cancellable = g_task_get_cancellable (task);
  gk_session_store_batch_async (self, ops, 1, NULL, cancellable, on_sign_in_stored_cb,
                                g_steal_pointer (&task));
}

static void
on_sign_in_verified_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->claims = gk_jwks_verify_id_token_finish (GK_JWKS (object), result, &error);
  g_debug ("sign-in: ID token verified after %" G_GINT64_FORMAT " µs",
           g_get_monotonic_time () - data->redirect_time);
  if (data->claims == NULL)
    {
      g_prefix_error (&error, _("The sign-in could not be verified: "));
      sign_in_fail (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  /* A new sign-in may be another user: ask for the identity afresh. */
  gk_identity_client_fetch_credentials_async (self->identity, NULL,
                                              gk_tokens_get_id_token (data->tokens),
                                              display_name_from_claims (data->claims),
                                              cancellable, on_sign_in_credentials_cb,
                                              g_steal_pointer (&task));
}

static void
on_sign_in_tokens_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->tokens = gk_token_client_exchange_code_finish (GK_TOKEN_CLIENT (object), result, &error);
  g_debug ("sign-in: tokens after %" G_GINT64_FORMAT " µs", g_get_monotonic_time () - data->redirect_time);
  if (data->tokens == NULL)
    {
      sign_in_fail (task, g_steal_pointer (&error));
      return;
    }
  if (gk_tokens_get_refresh_token (data->tokens) == NULL)
    {
      sign_in_fail (task, g_error_new (GK_SESSION_ERROR, GK_SESSION_ERROR_FAILED,
                                       _("The identity provider sent no refresh token, so "
                                         "Genokey could not keep you signed in. Check that "
                                         "the app client allows the refresh token flow.")));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  gk_jwks_verify_id_token_async (self->jwks, gk_tokens_get_id_token (data->tokens),
                                 gk_profile_get_issuer (self->profile),
                                 gk_profile_get_client_id (self->profile),
                                 gk_oauth_request_get_nonce (data->request),
                                 now_unix (), cancellable, on_sign_in_verified_cb,
                                 g_steal_pointer (&task));
}

static void
on_sign_in_code_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  GCancellable *cancellable;

  code = gk_loopback_wait_finish (GK_LOOPBACK (object), result, &error);
  data->redirect_time = g_get_monotonic_time ();
  gk_loopback_close (data->loopback);
  if (code == NULL)
    {
      sign_in_fail (task, g_steal_pointer (&error));
      return;
    }
  /* The link is used up; "Copy link" makes no sense any more. */
  set_authorization_uri (self, NULL);

  cancellable = g_task_get_cancellable (task);
  gk_token_client_exchange_code_async (self->token_client, code,
                                       gk_oauth_request_get_code_verifier (data->request),
                                       gk_profile_get_redirect_uri (self->profile),
                                       cancellable, on_sign_in_tokens_cb,
                                       g_steal_pointer (&task));
  gk_session_wipe_free (g_steal_pointer (&code));
}

static void
on_browser_launched_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GkSession) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean opened;

  opened = g_app_info_launch_default_for_uri_finish (result, &error);
  if (!opened)
    g_debug ("could not open a browser: %s", error->message);
  if (self->signing_in && self->authorization_uri != NULL)
    g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, self->authorization_uri, opened);
}

static void
on_sign_in_loopback_ready_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  data->loopback = gk_loopback_new_finish (result, &error);
  if (data->loopback == NULL)
    {
      sign_in_fail (task, g_steal_pointer (&error));
      return;
    }

  set_state (self, GK_SESSION_STATE_SIGNING_IN);
  uri = gk_oauth_build_authorization_url_for_profile (self->profile, data->request, NULL);
  set_authorization_uri (self, uri);

  gk_loopback_wait_async (data->loopback, 0, cancellable, on_sign_in_code_cb,
                          g_object_ref (task));

  if (data->flags & GK_SIGN_IN_FLAGS_NO_BROWSER)
    g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, uri, FALSE);
  else
    g_app_info_launch_default_for_uri_async (uri, NULL, cancellable, on_browser_launched_cb,
                                             g_object_ref (self));
  gk_session_wipe_free (g_steal_pointer (&uri));
}

/**
 * gk_session_sign_in_async:
 * @flags: %GK_SIGN_IN_FLAGS_NO_BROWSER to only show the link
 *
 * Signs in with the browser: binds the loopback listener first, then opens
 * the authorization link with the default handler (the OpenURI portal inside
 * Flatpak), waits for the redirect, exchanges the code, verifies the ID
 * token, gets AWS credentials and stores everything in the keyring.
 */
void
gk_session_sign_in_async (GkSession           *self,
                          GkSignInFlags        flags,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SignInData *data;

  g_return_if_fail (GK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_sign_in_async);

  if (self->signing_in)
    {
      g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_BUSY,
                               _("A sign-in is already in progress. Finish it in the browser "
                                 "or cancel it first."));
      return;
    }

  data = g_new0 (SignInData, 1);
  data->flags = flags;
  data->previous_state = self->state;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  data->request = gk_oauth_request_new (&error);
  if (data->request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Bind before the browser opens, so a port conflict is told at once and
   * the redirect can never reach whatever else holds the port. Nobody else
   * may start a sign-in meanwhile. */
  self->signing_in = TRUE;
  gk_loopback_new_async (gk_profile_get_redirect_port (self->profile),
                         gk_profile_get_redirect_path (self->profile),
                         gk_oauth_request_get_state (data->request), cancellable,
                         on_sign_in_loopback_ready_cb, g_steal_pointer (&task));
}

gboolean
gk_session_sign_in_finish (GkSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Renewal
 * ------------------------------------------------------------------------ */

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

  set_renewal_error (self, NULL);
  set_state (self, GK_SESSION_STATE_SIGNED_IN);
  set_credentials (self, credentials, obtained_at);
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
  set_renewal_error (self, error);
  if (needs_sign_in)
    set_state (self, GK_SESSION_STATE_NEEDS_SIGN_IN);
  else
    set_state (self, GK_SESSION_STATE_SIGNED_IN);

  /* What still works keeps working until it expires. */
  if (self->credentials != NULL &&
      gk_credentials_is_valid_at (self->credentials, now_unix (), MIN_USEFUL_SECONDS))
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

  schedule_renewal (self);
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
    set_email (self, display_name_from_claims (data->claims));
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

  data->credentials = gk_identity_client_fetch_credentials_finish (GK_IDENTITY_CLIENT (object),
                                                                   result, &data->identity_id,
                                                                   &error);
  if (data->credentials == NULL)
    {
      renew_fail (g_steal_pointer (&task), g_steal_pointer (&error), FALSE);
      return;
    }
  if (renew_is_stale (&task))
    return;
  data->obtained_at = now_unix ();
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
  gk_identity_client_fetch_credentials_async (self->identity, identity_id,
                                              gk_tokens_get_id_token (data->tokens),
                                              display_name_from_claims (data->claims), NULL,
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
                                 NULL, now_unix (), NULL, on_renew_verified_cb,
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
      gk_credentials_is_valid_at (stored_credentials, now_unix (), data->min_valid))
    {
      g_debug ("adopting credentials renewed by another process");
      adopt_stored (self, data->stored);
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
static void
start_renewal (GkSession *self,
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

  set_state (self, GK_SESSION_STATE_RENEWING);

  task = g_task_new (self, NULL, on_renew_finished_cb, NULL);
  g_task_set_source_tag (task, start_renewal);
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
    start_renewal (self, MIN_USEFUL_SECONDS, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_renewal (GkSession *self)
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
      delay = at - now_unix ();
    }
  delay = CLAMP (delay, 1, G_MAXUINT / 2);
  self->renew_timer = g_timeout_add_seconds ((guint) delay, on_renew_timer_cb, self);
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
  set_credentials (self, NULL, 0);
  set_email (self, NULL);
  set_renewal_error (self, NULL);
  set_state (self, GK_SESSION_STATE_SIGNED_OUT);

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
      start_renewal (self, min_valid, g_steal_pointer (&task));
      return;
    case GK_SESSION_STATE_NEEDS_SIGN_IN:
      if (self->credentials != NULL &&
          gk_credentials_is_valid_at (self->credentials, now_unix (), MIN_USEFUL_SECONDS))
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
  self->identity = gk_identity_client_new (self->profile);
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
  schedule_renewal (self);
}
