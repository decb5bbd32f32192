/* gk-callback-paste.h: the sign-in's answer, pasted by the user
 *
 * On SSH or in a container no browser can reach this computer's
 * localhost:60151, so nothing listens: the user signs in on any computer,
 * the browser ends on an unreachable `http://localhost:60151/oauthCallback?
 * code=…&state=…` page, and the user pastes that whole address back. This
 * object stands where the loopback listener stands in the sign-in: it
 * waits (for a while, or until cancelled) for one address that is this
 * sign-in's answer. An address that is not — another sign-in's state, a
 * wrong address, half an address — is refused with a message saying what
 * to paste, and the wait goes on. The identity provider's own error, with
 * this sign-in's state, ends it as the listener's does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_CALLBACK_PASTE_ERROR (gk_callback_paste_error_quark ())

typedef enum
{
  GK_CALLBACK_PASTE_ERROR_TIMED_OUT, /* nothing good was pasted in time */
  GK_CALLBACK_PASTE_ERROR_DONE,      /* an answer was already taken */
} GkCallbackPasteError;

/* Longer than the listener's five minutes: the address has to come from
 * another computer. An authorization code itself lives only minutes, so a
 * code pasted late is refused by the token endpoint, and that is said. */
#define GK_CALLBACK_PASTE_DEFAULT_TIMEOUT (15 * 60)

#define GK_TYPE_CALLBACK_PASTE (gk_callback_paste_get_type ())

G_DECLARE_FINAL_TYPE (GkCallbackPaste, gk_callback_paste, GK, CALLBACK_PASTE, GObject)

GQuark           gk_callback_paste_error_quark  (void);

GkCallbackPaste *gk_callback_paste_new          (const char          *redirect_uri,
                                                 const char          *expected_state);
const char      *gk_callback_paste_get_redirect_uri (GkCallbackPaste *self);

/* %TRUE when @address is this sign-in's answer (its code, or the identity
 * provider's error): the wait completes with it. %FALSE with a
 * #GK_OAUTH_ERROR saying what to paste instead: the wait goes on. */
gboolean         gk_callback_paste_submit       (GkCallbackPaste     *self,
                                                 const char          *address,
                                                 GError             **error);

/* Completes with the authorization code, the identity provider's error
 * (#GK_OAUTH_ERROR), %GK_CALLBACK_PASTE_ERROR_TIMED_OUT or
 * %G_IO_ERROR_CANCELLED. @timeout_seconds 0 means the default. Call once. */
void             gk_callback_paste_wait_async   (GkCallbackPaste     *self,
                                                 guint                timeout_seconds,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char            *gk_callback_paste_wait_finish  (GkCallbackPaste     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
