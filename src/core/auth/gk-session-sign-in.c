/* gk-session-sign-in.c: signing in with the browser
 *
 * Binds the loopback listener, opens the hosted login, exchanges the code
 * (PKCE), verifies the ID token, gets AWS credentials through the identity
 * pool and stores everything, then hands the session its new state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-cognito-identity.h"
#include "gk-jwks.h"
#include "gk-loopback.h"
#include "gk-oauth.h"
#include "gk-session-private.h"
#include "gk-token-client.h"

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
  _gk_session_set_authorization_uri (self, NULL);
  _gk_session_set_state (self, data->previous_state);
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
  _gk_session_set_email (self, _gk_session_display_name_from_claims (data->claims));
  _gk_session_set_renewal_error (self, NULL);
  _gk_session_set_authorization_uri (self, NULL);
  _gk_session_set_state (self, GK_SESSION_STATE_SIGNED_IN);
  _gk_session_set_credentials (self, data->credentials, data->obtained_at);
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

  data->credentials =
    gk_cognito_identity_client_fetch_credentials_finish (GK_COGNITO_IDENTITY_CLIENT (object),
                                                         result, &data->identity_id, &error);
  if (data->credentials == NULL)
    {
      sign_in_fail (task, g_steal_pointer (&error));
      return;
    }
  data->obtained_at = _gk_session_now_unix ();
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
  gk_cognito_identity_client_fetch_credentials_async (self->identity, NULL,
                                                      gk_tokens_get_id_token (data->tokens),
                                                      _gk_session_display_name_from_claims (data->claims),
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
                                 _gk_session_now_unix (), cancellable, on_sign_in_verified_cb,
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
  _gk_session_set_authorization_uri (self, NULL);

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
    _gk_session_emit_authorization_pending (self, self->authorization_uri, opened);
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

  _gk_session_set_state (self, GK_SESSION_STATE_SIGNING_IN);
  uri = gk_oauth_build_authorization_url_for_profile (self->profile, data->request, NULL);
  _gk_session_set_authorization_uri (self, uri);

  gk_loopback_wait_async (data->loopback, 0, cancellable, on_sign_in_code_cb,
                          g_object_ref (task));

  if (data->flags & GK_SIGN_IN_FLAGS_NO_BROWSER)
    _gk_session_emit_authorization_pending (self, uri, FALSE);
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
