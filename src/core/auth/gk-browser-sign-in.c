/* gk-browser-sign-in.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-browser-sign-in.h"
#include "gk-callback-paste.h"
#include "gk-loopback.h"
#include "gk-oauth.h"
#include "gk-secret.h"

struct _GkSignInResult
{
  gatomicrefcount ref_count;
  GkCredentials *credentials;
  gint64 obtained_at;
  char *identity_id;
  char *display_name;
  gint64 overhead_us;
};

typedef struct
{
  GkSignInFlags flags;
  GkOAuthRequest *request;
  GkLoopback *loopback;
  GkCallbackPaste *paste;
  GkTokens *tokens;
  GkJwtClaims *claims;
  GkCredentials *credentials;
  char *identity_id;
  gint64 redirect_time;   /* monotonic µs when the browser's redirect arrived */
  gint64 obtained_at;
} RunData;

struct _GkBrowserSignIn
{
  GObject parent_instance;

  GkProfile *profile;
  GkSessionStore *store;
  GkTokenClient *token_client;
  GkIdTokenVerifier *verifier;
  GkCognitoIdentityClient *identity;

  gboolean started;
  char *authorization_uri; /* while the browser's way back is open */
  GkCallbackPaste *paste;  /* waiting for a pasted address */
};

enum {
  LISTENING,
  AUTHORIZATION_PENDING,
  REDIRECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (GkBrowserSignIn, gk_browser_sign_in, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-sign-in-error-quark, gk_sign_in_error)

G_DEFINE_BOXED_TYPE (GkSignInResult, gk_sign_in_result, gk_sign_in_result_ref,
                     gk_sign_in_result_unref)

/* ------------------------------------------------------------------------
 * GkSignInResult
 * ------------------------------------------------------------------------ */

GkSignInResult *
gk_sign_in_result_ref (GkSignInResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gk_sign_in_result_unref (GkSignInResult *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->credentials, gk_credentials_unref);
      g_free (self->identity_id);
      g_free (self->display_name);
      g_free (self);
    }
}

/**
 * gk_sign_in_result_get_credentials:
 *
 * Returns: (transfer none): the AWS credentials the sign-in got
 */
GkCredentials *
gk_sign_in_result_get_credentials (const GkSignInResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->credentials;
}

gint64
gk_sign_in_result_get_obtained_at (const GkSignInResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->obtained_at;
}

const char *
gk_sign_in_result_get_identity_id (const GkSignInResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->identity_id;
}

const char *
gk_sign_in_result_get_display_name (const GkSignInResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display_name;
}

gint64
gk_sign_in_result_get_overhead_us (const GkSignInResult *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->overhead_us;
}

/* ------------------------------------------------------------------------
 * The run
 * ------------------------------------------------------------------------ */

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->request, gk_oauth_request_unref);
  if (data->loopback != NULL)
    gk_loopback_close (data->loopback);
  g_clear_object (&data->loopback);
  g_clear_object (&data->paste);
  g_clear_pointer (&data->tokens, gk_tokens_unref);
  g_clear_pointer (&data->claims, gk_jwt_claims_unref);
  g_clear_pointer (&data->credentials, gk_credentials_unref);
  g_free (data->identity_id);
  g_free (data);
}

static void
clear_authorization_uri (GkBrowserSignIn *self)
{
  gk_secret_free (g_steal_pointer (&self->authorization_uri));
}

static void
fail (GTask  *task,
      GError *error)
{
  GkBrowserSignIn *self = g_task_get_source_object (task);

  clear_authorization_uri (self);
  g_clear_object (&self->paste);
  g_task_return_error (task, error);
}

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GkSignInResult *done;

  if (!gk_session_store_save_sign_in_finish (GK_SESSION_STORE (object), result, &error))
    {
      g_prefix_error (&error, _("Signed in, but the sign-in could not be saved: "));
      fail (task, g_steal_pointer (&error));
      return;
    }

  done = g_new0 (GkSignInResult, 1);
  g_atomic_ref_count_init (&done->ref_count);
  done->credentials = gk_credentials_ref (data->credentials);
  done->obtained_at = data->obtained_at;
  done->identity_id = g_strdup (data->identity_id);
  done->display_name = g_strdup (gk_jwt_claims_get_display_name (data->claims));
  done->overhead_us = g_get_monotonic_time () - data->redirect_time;
  g_debug ("sign-in: redirect to credentials stored in %" G_GINT64_FORMAT " ms",
           done->overhead_us / 1000);
  g_task_return_pointer (task, done, (GDestroyNotify) gk_sign_in_result_unref);
}

static void
on_credentials_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkBrowserSignIn *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->credentials =
    gk_cognito_identity_client_fetch_credentials_finish (GK_COGNITO_IDENTITY_CLIENT (object),
                                                         result, &data->identity_id, &error);
  if (data->credentials == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  data->obtained_at = g_get_real_time () / G_USEC_PER_SEC;
  g_debug ("sign-in: AWS credentials after %" G_GINT64_FORMAT " µs",
           g_get_monotonic_time () - data->redirect_time);

  cancellable = g_task_get_cancellable (task);
  gk_session_store_save_sign_in_async (self->store, gk_tokens_get_refresh_token (data->tokens),
                                       data->claims, data->identity_id, data->credentials,
                                       data->obtained_at, cancellable, on_stored_cb,
                                       g_steal_pointer (&task));
}

static void
on_verified_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkBrowserSignIn *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->claims = gk_id_token_verifier_verify_finish (GK_ID_TOKEN_VERIFIER (object), result,
                                                     &error);
  g_debug ("sign-in: ID token verified after %" G_GINT64_FORMAT " µs",
           g_get_monotonic_time () - data->redirect_time);
  if (data->claims == NULL)
    {
      g_prefix_error (&error, _("The sign-in could not be verified: "));
      fail (task, g_steal_pointer (&error));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  /* A new sign-in may be another user: ask for the identity afresh. */
  gk_cognito_identity_client_fetch_credentials_async (self->identity, NULL,
                                                      gk_tokens_get_id_token (data->tokens),
                                                      gk_jwt_claims_get_display_name (data->claims),
                                                      cancellable, on_credentials_cb,
                                                      g_steal_pointer (&task));
}

static void
on_tokens_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkBrowserSignIn *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->tokens = gk_token_client_exchange_code_finish (GK_TOKEN_CLIENT (object), result, &error);
  g_debug ("sign-in: tokens after %" G_GINT64_FORMAT " µs",
           g_get_monotonic_time () - data->redirect_time);
  if (data->tokens == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (gk_tokens_get_refresh_token (data->tokens) == NULL)
    {
      fail (task, g_error_new_literal (GK_SIGN_IN_ERROR, GK_SIGN_IN_ERROR_NO_REFRESH_TOKEN,
                                       _("The identity provider sent no refresh token, so "
                                         "Genokey could not keep you signed in. Check that "
                                         "the app client allows the refresh token flow.")));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  gk_id_token_verifier_verify_async (self->verifier, gk_tokens_get_id_token (data->tokens),
                                     gk_oauth_request_get_nonce (data->request),
                                     g_get_real_time () / G_USEC_PER_SEC, cancellable,
                                     on_verified_cb, g_steal_pointer (&task));
}

static void
on_code_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkBrowserSignIn *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  GCancellable *cancellable;

  if (GK_IS_CALLBACK_PASTE (object))
    {
      code = gk_callback_paste_wait_finish (GK_CALLBACK_PASTE (object), result, &error);
      g_clear_object (&self->paste);
    }
  else
    {
      code = gk_loopback_wait_finish (GK_LOOPBACK (object), result, &error);
      gk_loopback_close (data->loopback);
    }
  data->redirect_time = g_get_monotonic_time ();
  if (code == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  /* The link is used up; "Copy link" makes no sense any more. */
  clear_authorization_uri (self);
  g_signal_emit (self, signals[REDIRECTED], 0);

  cancellable = g_task_get_cancellable (task);
  gk_token_client_exchange_code_async (self->token_client, code,
                                       gk_oauth_request_get_code_verifier (data->request),
                                       gk_profile_get_redirect_uri (self->profile),
                                       cancellable, on_tokens_cb, g_steal_pointer (&task));
  gk_secret_free (g_steal_pointer (&code));
}

static void
on_browser_launched_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GkBrowserSignIn) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean opened;

  opened = g_app_info_launch_default_for_uri_finish (result, &error);
  if (!opened)
    g_debug ("could not open a browser: %s", error->message);
  /* Only while the browser's way back is still open. */
  if (self->authorization_uri != NULL)
    g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, self->authorization_uri, opened);
}

static void
on_loopback_ready_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkBrowserSignIn *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  data->loopback = gk_loopback_new_finish (result, &error);
  if (data->loopback == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  self->authorization_uri = gk_oauth_build_authorization_url_for_profile (self->profile,
                                                                          data->request, NULL);
  g_signal_emit (self, signals[LISTENING], 0, self->authorization_uri);

  gk_loopback_wait_async (data->loopback, 0, cancellable, on_code_cb, g_object_ref (task));

  if (data->flags & GK_SIGN_IN_FLAGS_NO_BROWSER)
    g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, self->authorization_uri, FALSE);
  else
    g_app_info_launch_default_for_uri_async (self->authorization_uri, NULL, cancellable,
                                             on_browser_launched_cb, g_object_ref (self));
}

/* Nothing listens: the address the browser ends on comes back pasted. The
 * redirect URI is the registered one, unchanged, so the identity provider
 * sees an ordinary sign-in. */
static void
start_paste (GTask *task)
{
  GkBrowserSignIn *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  data->paste = gk_callback_paste_new (gk_profile_get_redirect_uri (self->profile),
                                       gk_oauth_request_get_state (data->request));
  g_set_object (&self->paste, data->paste);
  self->authorization_uri = gk_oauth_build_authorization_url_for_profile (self->profile,
                                                                          data->request, NULL);
  g_signal_emit (self, signals[LISTENING], 0, self->authorization_uri);
  gk_callback_paste_wait_async (data->paste, 0, g_task_get_cancellable (task), on_code_cb, task);
  if (self->authorization_uri != NULL)
    g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, self->authorization_uri, FALSE);
}

/**
 * gk_browser_sign_in_submit_address:
 * @address: what the user pasted
 *
 * Returns: %TRUE when @address is the sign-in's answer
 */
gboolean
gk_browser_sign_in_submit_address (GkBrowserSignIn  *self,
                                   const char       *address,
                                   GError          **error)
{
  g_return_val_if_fail (GK_IS_BROWSER_SIGN_IN (self), FALSE);

  if (self->paste == NULL)
    {
      g_set_error_literal (error, GK_CALLBACK_PASTE_ERROR, GK_CALLBACK_PASTE_ERROR_DONE,
                           _("No sign-in is waiting for a pasted address."));
      return FALSE;
    }
  return gk_callback_paste_submit (self->paste, address, error);
}

/**
 * gk_browser_sign_in_run_async:
 * @flags: %GK_SIGN_IN_FLAGS_NO_BROWSER to only show the link,
 *   %GK_SIGN_IN_FLAGS_PASTE to take the answer pasted instead of listening
 *
 * Signs in, once per object.
 */
void
gk_browser_sign_in_run_async (GkBrowserSignIn     *self,
                              GkSignInFlags        flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunData *data;

  g_return_if_fail (GK_IS_BROWSER_SIGN_IN (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_browser_sign_in_run_async);
  data = g_new0 (RunData, 1);
  data->flags = flags;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  data->request = gk_oauth_request_new (&error);
  if (data->request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (flags & GK_SIGN_IN_FLAGS_PASTE)
    {
      start_paste (g_steal_pointer (&task));
      return;
    }

  /* Bind before the browser opens, so a port conflict is told at once and
   * the redirect can never reach whatever else holds the port. */
  gk_loopback_new_async (gk_profile_get_redirect_port (self->profile),
                         gk_profile_get_redirect_path (self->profile),
                         gk_oauth_request_get_state (data->request), cancellable,
                         on_loopback_ready_cb, g_steal_pointer (&task));
}

/**
 * gk_browser_sign_in_run_finish:
 *
 * Returns: (transfer full): what was stored, or %NULL with @error
 */
GkSignInResult *
gk_browser_sign_in_run_finish (GkBrowserSignIn  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_browser_sign_in_dispose (GObject *object)
{
  GkBrowserSignIn *self = GK_BROWSER_SIGN_IN (object);

  g_clear_object (&self->paste);
  g_clear_object (&self->identity);
  g_clear_object (&self->verifier);
  g_clear_object (&self->token_client);
  g_clear_object (&self->store);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (gk_browser_sign_in_parent_class)->dispose (object);
}

static void
gk_browser_sign_in_finalize (GObject *object)
{
  clear_authorization_uri (GK_BROWSER_SIGN_IN (object));

  G_OBJECT_CLASS (gk_browser_sign_in_parent_class)->finalize (object);
}

static void
gk_browser_sign_in_class_init (GkBrowserSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_browser_sign_in_dispose;
  object_class->finalize = gk_browser_sign_in_finalize;

  /**
   * GkBrowserSignIn::listening:
   * @uri: the authorization link
   *
   * The listener is bound: from now on the browser can come back.
   */
  signals[LISTENING] =
    g_signal_new ("listening", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GkBrowserSignIn::authorization-pending:
   * @uri: the authorization link (for "Copy link" or to print)
   * @browser_opened: whether a browser was asked to open it
   */
  signals[AUTHORIZATION_PENDING] =
    g_signal_new ("authorization-pending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * GkBrowserSignIn::redirected:
   *
   * The browser came back: the link is used up.
   */
  signals[REDIRECTED] =
    g_signal_new ("redirected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gk_browser_sign_in_init (GkBrowserSignIn *self)
{
}

/**
 * gk_browser_sign_in_new:
 * @profile: whose sign-in (endpoints, app client, redirect URI)
 * @store: where the sign-in goes once it worked
 *
 * Returns: (transfer full): a sign-in, not started
 */
GkBrowserSignIn *
gk_browser_sign_in_new (GkProfile               *profile,
                        GkSessionStore          *store,
                        GkTokenClient           *token_client,
                        GkIdTokenVerifier       *verifier,
                        GkCognitoIdentityClient *identity)
{
  GkBrowserSignIn *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (GK_IS_SESSION_STORE (store), NULL);
  g_return_val_if_fail (GK_IS_TOKEN_CLIENT (token_client), NULL);
  g_return_val_if_fail (GK_IS_ID_TOKEN_VERIFIER (verifier), NULL);
  g_return_val_if_fail (GK_IS_COGNITO_IDENTITY_CLIENT (identity), NULL);

  self = g_object_new (GK_TYPE_BROWSER_SIGN_IN, NULL);
  self->profile = g_object_ref (profile);
  self->store = g_object_ref (store);
  self->token_client = g_object_ref (token_client);
  self->verifier = g_object_ref (verifier);
  self->identity = g_object_ref (identity);
  return self;
}
