/* gk-account-sign-in.c: the account's sign-in actions
 *
 * Sign-in, its cancellation and sign-out of the selected profile, which
 * any window (or the command line) starts and any other can cancel. They
 * drive the selected profile's GkSession; the account's state follows the
 * session through _gk_account_update(), and a failed sign-in's reason is
 * kept for every view (#GkAccount:sign-in-error).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-account-private.h"

void
gk_account_clear_sign_in_error (GkAccount *self)
{
  g_return_if_fail (GK_IS_ACCOUNT (self));
  _gk_account_set_sign_in_error (self, NULL);
}

typedef struct
{
  GkSession *session;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->cancelled_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->session);
  g_free (data);
}

static void
on_sign_in_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!gk_session_sign_in_finish (GK_SESSION (object), result, &error))
    {
      if (GK_SESSION (object) == self->session && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gk_account_set_sign_in_error (self, error);
      _gk_account_update (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _gk_account_update (self);
  g_task_return_boolean (task, TRUE);
}

static void
on_caller_cancelled_cb (GCancellable *cancellable,
                        GCancellable *sign_in_cancellable)
{
  g_cancellable_cancel (sign_in_cancellable);
}

/**
 * gk_account_sign_in_async:
 *
 * Signs the selected profile in through the browser (see
 * gk_session_sign_in_async()). Any window can cancel it with
 * gk_account_cancel_sign_in(); when it fails, #GkAccount:sign-in-error
 * keeps the reason for every view.
 */
void
gk_account_sign_in_async (GkAccount           *self,
                          GkSignInFlags        flags,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignInData *data;

  g_return_if_fail (GK_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_account_sign_in_async);
  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               self->profile == NULL ? _("There is no profile to sign in to.")
                               : _("This profile needs no sign-in."));
      return;
    }

  _gk_account_set_sign_in_error (self, NULL);
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();

  data = g_new0 (SignInData, 1);
  data->session = g_object_ref (self->session);
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled_cb),
                                                  g_object_ref (self->sign_in_cancellable),
                                                  g_object_unref);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);
  gk_session_sign_in_async (self->session, flags, self->sign_in_cancellable, on_sign_in_cb,
                            g_steal_pointer (&task));
}

gboolean
gk_account_sign_in_finish (GkAccount     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_account_cancel_sign_in:
 *
 * Stops a sign-in under way (closing the listener) and forgets why the
 * last one failed.
 */
void
gk_account_cancel_sign_in (GkAccount *self)
{
  g_return_if_fail (GK_IS_ACCOUNT (self));

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  _gk_account_set_sign_in_error (self, NULL);
  _gk_account_update (self);
}

static void
on_sign_out_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  gk_session_sign_out_finish (GK_SESSION (object), result, &error);
  _gk_account_update (self);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * gk_account_sign_out_async:
 *
 * Signs the selected profile out (see gk_session_sign_out_async()). A
 * source that is not a sign-in has nothing to sign out of.
 */
void
gk_account_sign_out_async (GkAccount           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GK_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_account_sign_out_async);
  if (self->session == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  gk_account_cancel_sign_in (self);
  gk_session_sign_out_async (self->session, cancellable, on_sign_out_cb, g_steal_pointer (&task));
}

gboolean
gk_account_sign_out_finish (GkAccount     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
