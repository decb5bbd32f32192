/* gk-session.h: one profile's sign-in, from the browser to renewed AWS
 * credentials
 *
 * A session is a #GkCredentialSource: get_credentials renews first when too
 * little is left. It is made of small parts, each with one job, and applies
 * what they hand back through one state table (gk-session-state.h):
 * - #GkSessionStore: the keyring items and the order they are written in;
 * - #GkBrowserSignIn: a sign-in with the browser, returning a result;
 * - #GkRenewal: one renewal at a time, also across processes (an flock
 *   under $XDG_RUNTIME_DIR/genokey/), returning a #GkRenewalResult.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-browser-sign-in.h"
#include "gk-credential-source.h"
#include "gk-keyring.h"
#include "gk-profile-store.h"
#include "gk-profile.h"
#include "gk-renewal.h"
#include "gk-session-state.h"

G_BEGIN_DECLS

#define GK_SESSION_ERROR (gk_session_error_quark ())

typedef enum
{
  GK_SESSION_ERROR_FAILED,
  GK_SESSION_ERROR_NOT_SIGNED_IN,  /* never signed in, or signed out */
  GK_SESSION_ERROR_NEEDS_SIGN_IN,  /* the refresh token was refused */
  GK_SESSION_ERROR_BUSY,           /* a sign-in is already running */
} GkSessionError;

#define GK_TYPE_SESSION (gk_session_get_type ())

G_DECLARE_FINAL_TYPE (GkSession, gk_session, GK, SESSION, GObject)

GQuark          gk_session_error_quark             (void);

/* When a renewal is due: ~12.5 minutes before expiry, or at three quarters
 * of the lifetime for credentials shorter than that. Pure. */
gint64          gk_session_compute_renewal_time    (gint64          obtained_at,
                                                    gint64          expiration);

GkSession      *gk_session_new                     (GkProfile      *profile,
                                                    GkKeyring      *keyring);
GkSession      *gk_session_new_saved               (GkProfileStore *store,
                                                    GkProfile      *profile,
                                                    GkKeyring      *keyring);
GkProfile      *gk_session_get_profile             (GkSession      *self);
GkKeyring      *gk_session_get_keyring             (GkSession      *self);
GkSessionState  gk_session_get_state               (GkSession      *self);
const char     *gk_session_get_email               (GkSession      *self);
gint64          gk_session_get_credentials_expiration (GkSession   *self);
const GError   *gk_session_get_renewal_error       (GkSession      *self);
const char     *gk_session_get_authorization_uri   (GkSession      *self);
gint64          gk_session_get_sign_in_overhead_us (GkSession      *self);

/* Long-running processes (the window) renew on a timer before expiry and
 * retry failed renewals; one-shot commands leave it off. */
void            gk_session_set_auto_renew          (GkSession      *self,
                                                    gboolean        auto_renew);

void            gk_session_restore_async           (GkSession           *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        gk_session_restore_finish          (GkSession           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Emits ::authorization-pending (uri, browser_opened) once the listener is
 * bound and the browser was asked to open (or not, with NO_BROWSER). */
void            gk_session_sign_in_async           (GkSession           *self,
                                                    GkSignInFlags        flags,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        gk_session_sign_in_finish          (GkSession           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* During a sign-in with %GK_SIGN_IN_FLAGS_PASTE: %TRUE when @address is its
 * answer (the sign-in goes on to finish), %FALSE with what to paste
 * instead while the sign-in keeps waiting. */
gboolean        gk_session_submit_callback_address (GkSession           *self,
                                                    const char          *address,
                                                    GError             **error);

/* Renews now whatever is left, for checks of the sign-in itself. */
void            gk_session_renew_now_async         (GkSession           *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GkRenewalResult *gk_session_renew_now_finish       (GkSession           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void            gk_session_sign_out_async          (GkSession           *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        gk_session_sign_out_finish         (GkSession           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Applies what a renewal found: credentials, identity, user, the renewal
 * error and the state. The session does it for every caller of a renewal
 * (applying one result twice changes nothing); it is public so that the
 * rules can be tested without a token endpoint. */
void            gk_session_apply_renewal_result    (GkSession           *self,
                                                    GkRenewalResult     *result);

G_END_DECLS
