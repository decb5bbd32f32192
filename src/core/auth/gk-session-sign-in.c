/* gk-session-sign-in.c: GkSession's sign-in, sign-out and restore
 *
 * What the user starts: a browser sign-in (GkBrowserSignIn) whose result
 * the session applies, a sign-out that revokes and wipes, and restoring a
 * stored sign-in from the keyring. Each ends in a state move checked by
 * the session's one table (gk-session.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-secret.h"
#include "gk-session-private.h"

/* ------------------------------------------------------------------------
 * Restore
 * ------------------------------------------------------------------------ */

static void
on_restore_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkSessionStored) stored = NULL;

  stored = gk_session_store_load_finish (GK_SESSION_STORE (object), result, &error);
  if (stored == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!gk_session_stored_has_refresh_token (stored))
    {
      /* Signed out elsewhere (another process, or never signed in). A
       * sign-in under way goes on. */
      if (self->state != GK_SESSION_STATE_SIGNING_IN && self->state != GK_SESSION_STATE_SIGNED_OUT)
        gk_session_apply_signed_out (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  gk_session_adopt_stored (self, stored);
  if (self->state == GK_SESSION_STATE_SIGNED_OUT)
    gk_session_move_to (self, GK_SESSION_STATE_SIGNED_IN);
  g_task_return_boolean (task, TRUE);
}

/**
 * gk_session_restore_async:
 *
 * Reads the profile's sign-in from the keyring: the user, the cached
 * credentials and whether a refresh token is there. No network, no browser.
 * Afterwards a signed-out session is SIGNED_IN if the keyring holds a
 * sign-in, and a signed-in one SIGNED_OUT if it no longer does.
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
  gk_session_store_load_async (self->store, cancellable, on_restore_loaded_cb, task);
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

static void
on_sign_in_listening_cb (GkBrowserSignIn *sign_in,
                         const char      *uri,
                         GkSession       *self)
{
  self->state_after_sign_in = self->state;
  gk_session_move_to (self, GK_SESSION_STATE_SIGNING_IN);
  gk_session_set_authorization_uri (self, uri);
}

static void
on_sign_in_pending_cb (GkBrowserSignIn *sign_in,
                       const char      *uri,
                       gboolean         browser_opened,
                       GkSession       *self)
{
  gk_session_emit_authorization_pending (self, uri, browser_opened);
}

static void
on_sign_in_redirected_cb (GkBrowserSignIn *sign_in,
                          GkSession       *self)
{
  gk_session_set_authorization_uri (self, NULL);
}

static void
apply_sign_in (GkSession      *self,
               GkSignInResult *result)
{
  /* Renewals of the sign-in before are stale now. */
  gk_session_end_sign_in (self);
  self->sign_in_overhead_us = gk_sign_in_result_get_overhead_us (result);
  gk_session_set_identity_id (self, gk_sign_in_result_get_identity_id (result));
  gk_session_set_email (self, gk_sign_in_result_get_display_name (result));
  gk_session_set_renewal_error (self, NULL);
  gk_session_set_authorization_uri (self, NULL);
  gk_session_move_to (self, GK_SESSION_STATE_SIGNED_IN);
  gk_session_set_credentials (self, gk_sign_in_result_get_credentials (result),
                              gk_sign_in_result_get_obtained_at (result));
}

static void
on_sign_in_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkSession *self = g_task_get_source_object (task);
  g_autoptr(GkBrowserSignIn) sign_in = g_steal_pointer (&self->sign_in);
  g_autoptr(GkSignInResult) signed_in = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_data (sign_in, self);
  signed_in = gk_browser_sign_in_run_finish (sign_in, result, &error);
  if (signed_in == NULL)
    {
      gk_session_set_authorization_uri (self, NULL);
      if (self->state == GK_SESSION_STATE_SIGNING_IN)
        gk_session_move_to (self, self->state_after_sign_in);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  apply_sign_in (self, signed_in);
  g_task_return_boolean (task, TRUE);
}

/**
 * gk_session_submit_callback_address:
 * @address: what the user pasted
 *
 * Returns: %TRUE when @address is the sign-in's answer
 */
gboolean
gk_session_submit_callback_address (GkSession   *self,
                                    const char  *address,
                                    GError     **error)
{
  g_return_val_if_fail (GK_IS_SESSION (self), FALSE);

  if (self->sign_in == NULL)
    {
      g_set_error_literal (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN,
                           _("No sign-in is waiting for a pasted address."));
      return FALSE;
    }
  return gk_browser_sign_in_submit_address (self->sign_in, address, error);
}

/**
 * gk_session_sign_in_async:
 * @flags: %GK_SIGN_IN_FLAGS_NO_BROWSER to only show the link
 *
 * Signs in with the browser (see #GkBrowserSignIn). One at a time.
 */
void
gk_session_sign_in_async (GkSession           *self,
                          GkSignInFlags        flags,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_sign_in_async);

  if (self->sign_in != NULL)
    {
      g_task_return_new_error (task, GK_SESSION_ERROR, GK_SESSION_ERROR_BUSY,
                               _("A sign-in is already in progress. Finish it in the browser "
                                 "or cancel it first."));
      g_object_unref (task);
      return;
    }

  self->sign_in = gk_browser_sign_in_new (self->profile, self->store, self->token_client,
                                          self->verifier, self->identity);
  g_signal_connect (self->sign_in, "listening", G_CALLBACK (on_sign_in_listening_cb), self);
  g_signal_connect (self->sign_in, "authorization-pending", G_CALLBACK (on_sign_in_pending_cb),
                    self);
  g_signal_connect (self->sign_in, "redirected", G_CALLBACK (on_sign_in_redirected_cb), self);
  gk_browser_sign_in_run_async (self->sign_in, flags, cancellable, on_sign_in_done_cb, task);
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

  if (!gk_session_store_delete_all_finish (GK_SESSION_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  gk_session_apply_signed_out (self);

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

  gk_session_store_delete_all_async (self->store, cancellable, on_sign_out_deleted_cb, task);
}

static void
on_sign_out_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  SignOutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->stored = gk_session_store_load_finish (GK_SESSION_STORE (object), result, &error);
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
 * used again), then deletes every keyring item of the profile. A renewal
 * under way from here on keeps nothing of what it brings.
 */
void
gk_session_sign_out_async (GkSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_SESSION (self));

  gk_session_end_sign_in (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_session_sign_out_async);
  g_task_set_task_data (task, g_new0 (SignOutData, 1), (GDestroyNotify) sign_out_data_free);
  gk_session_store_load_async (self->store, cancellable, on_sign_out_loaded_cb, task);
}

gboolean
gk_session_sign_out_finish (GkSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
