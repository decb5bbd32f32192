/* gk-callback-paste.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <string.h>

#include "gk-callback-paste.h"
#include "gk-oauth.h"

struct _GkCallbackPaste
{
  GObject parent_instance;

  char *redirect_uri;
  char *expected_state;

  gboolean answered;    /* a code or the provider's error was taken */
  char *code;
  GError *error;

  GTask *task;          /* the wait, while it runs */
  GSource *timeout;
  GSource *cancelled;
  guint complete_id;
};

G_DEFINE_QUARK (gk-callback-paste-error-quark, gk_callback_paste_error)

G_DEFINE_FINAL_TYPE (GkCallbackPaste, gk_callback_paste, G_TYPE_OBJECT)

static void
drop_sources (GkCallbackPaste *self)
{
  if (self->timeout != NULL)
    g_source_destroy (self->timeout);
  g_clear_pointer (&self->timeout, g_source_unref);
  if (self->cancelled != NULL)
    g_source_destroy (self->cancelled);
  g_clear_pointer (&self->cancelled, g_source_unref);
}

/* Hands the result (answer, @error, or what was stored) to the wait. */
static void
complete (GkCallbackPaste *self,
          GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  drop_sources (self);
  g_clear_handle_id (&self->complete_id, g_source_remove);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_pointer (task, g_strdup (self->code), g_free);
}

static gboolean
on_complete_idle_cb (gpointer user_data)
{
  GkCallbackPaste *self = user_data;

  self->complete_id = 0;
  complete (self, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  GkCallbackPaste *self = user_data;

  complete (self, g_error_new_literal (GK_CALLBACK_PASTE_ERROR, GK_CALLBACK_PASTE_ERROR_TIMED_OUT,
                                       _("No sign-in address was pasted in time, so Genokey stopped waiting. Sign in again.")));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  GkCallbackPaste *self = user_data;

  complete (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sign-in was cancelled.")));
  return G_SOURCE_REMOVE;
}

/**
 * gk_callback_paste_submit:
 * @address: what the user pasted
 *
 * Returns: whether @address ended the wait
 */
gboolean
gk_callback_paste_submit (GkCallbackPaste  *self,
                          const char       *address,
                          GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *code = NULL;

  g_return_val_if_fail (GK_IS_CALLBACK_PASTE (self), FALSE);

  if (self->answered)
    {
      g_set_error_literal (error, GK_CALLBACK_PASTE_ERROR, GK_CALLBACK_PASTE_ERROR_DONE,
                           _("This sign-in has its answer already."));
      return FALSE;
    }

  if (!gk_oauth_parse_callback_uri (address, self->redirect_uri, self->expected_state, &code,
                                    &local_error))
    {
      if (g_error_matches (local_error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_STATE_MISMATCH) ||
          g_error_matches (local_error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK))
        {
          /* Not this sign-in's answer: keep waiting for it. */
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* The identity provider's answer to this sign-in: final. */
      self->error = g_steal_pointer (&local_error);
    }
  else
    self->code = g_steal_pointer (&code);

  self->answered = TRUE;
  /* The wait completes from the main loop, not from inside the caller. */
  if (self->task != NULL && self->complete_id == 0)
    self->complete_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_complete_idle_cb,
                                         g_object_ref (self), g_object_unref);
  return TRUE;
}

void
gk_callback_paste_wait_async (GkCallbackPaste     *self,
                              guint                timeout_seconds,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GK_IS_CALLBACK_PASTE (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_callback_paste_wait_async);

  if (g_task_return_error_if_cancelled (task))
    return;
  self->task = g_steal_pointer (&task);
  if (self->answered)
    {
      self->complete_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_complete_idle_cb,
                                           g_object_ref (self), g_object_unref);
      return;
    }

  self->timeout = g_timeout_source_new_seconds (timeout_seconds > 0 ? timeout_seconds
                                                                    : GK_CALLBACK_PASTE_DEFAULT_TIMEOUT);
  g_source_set_callback (self->timeout, on_timeout_cb, self, NULL);
  g_source_attach (self->timeout, g_main_context_get_thread_default ());
  if (cancellable != NULL)
    {
      /* A cancellable source, not a handler: it runs in this context even
       * when another thread cancels. */
      self->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancelled, G_SOURCE_FUNC (on_cancelled_cb), self, NULL);
      g_source_attach (self->cancelled, g_main_context_get_thread_default ());
    }
}

/**
 * gk_callback_paste_wait_finish:
 *
 * Returns: (transfer full): the authorization code, or %NULL with @error set
 */
char *
gk_callback_paste_wait_finish (GkCallbackPaste  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
gk_callback_paste_dispose (GObject *object)
{
  GkCallbackPaste *self = GK_CALLBACK_PASTE (object);

  complete (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sign-in was cancelled.")));

  G_OBJECT_CLASS (gk_callback_paste_parent_class)->dispose (object);
}

static void
gk_callback_paste_finalize (GObject *object)
{
  GkCallbackPaste *self = GK_CALLBACK_PASTE (object);

  if (self->code != NULL)
    OPENSSL_cleanse (self->code, strlen (self->code));
  g_free (self->code);
  if (self->expected_state != NULL)
    OPENSSL_cleanse (self->expected_state, strlen (self->expected_state));
  g_free (self->expected_state);
  g_free (self->redirect_uri);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (gk_callback_paste_parent_class)->finalize (object);
}

static void
gk_callback_paste_class_init (GkCallbackPasteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_callback_paste_dispose;
  object_class->finalize = gk_callback_paste_finalize;
}

static void
gk_callback_paste_init (GkCallbackPaste *self)
{
}

/**
 * gk_callback_paste_new:
 * @redirect_uri: the profile's redirect URI, which the browser ends on
 * @expected_state: this sign-in's state
 *
 * Returns: (transfer full): a wait for the pasted answer
 */
GkCallbackPaste *
gk_callback_paste_new (const char *redirect_uri,
                       const char *expected_state)
{
  GkCallbackPaste *self;

  g_return_val_if_fail (redirect_uri != NULL && expected_state != NULL, NULL);

  self = g_object_new (GK_TYPE_CALLBACK_PASTE, NULL);
  self->redirect_uri = g_strdup (redirect_uri);
  self->expected_state = g_strdup (expected_state);
  return self;
}

const char *
gk_callback_paste_get_redirect_uri (GkCallbackPaste *self)
{
  g_return_val_if_fail (GK_IS_CALLBACK_PASTE (self), NULL);

  return self->redirect_uri;
}
