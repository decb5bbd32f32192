/* gk-browser-sign-in.h: one sign-in with the browser, start to stored
 *
 * Binds the loopback listener first (so a port conflict is told before
 * any browser opens) — or, away from the desktop, listens nowhere and
 * takes the address the browser ended on pasted by the user
 * (#GkCallbackPaste) — opens the hosted login with the default handler (the
 * OpenURI portal inside Flatpak), waits for the redirect, exchanges the
 * code (PKCE), verifies the ID token (learning the user pool from it when
 * the profile names none, gk-id-token-verifier.h), gets AWS credentials
 * through the identity pool and stores the sign-in. It changes nothing but the
 * keyring: the #GkSignInResult is for its owner (the session) to apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-cognito-identity.h"
#include "gk-credentials.h"
#include "gk-id-token-verifier.h"
#include "gk-profile.h"
#include "gk-session-store.h"
#include "gk-token-client.h"

G_BEGIN_DECLS

#define GK_SIGN_IN_ERROR (gk_sign_in_error_quark ())

typedef enum
{
  GK_SIGN_IN_ERROR_NO_REFRESH_TOKEN, /* the app client does not hand out refresh tokens */
} GkSignInError;

typedef enum
{
  GK_SIGN_IN_FLAGS_NONE = 0,
  GK_SIGN_IN_FLAGS_NO_BROWSER = 1 << 0, /* do not open a browser; show the link */
  GK_SIGN_IN_FLAGS_PASTE      = 1 << 1, /* nothing listens: the user pastes the address the
                                         * browser ends on (gk_browser_sign_in_submit_address()) */
} GkSignInFlags;

/* What a finished sign-in stored. Boxed, refcounted, immutable. */
typedef struct _GkSignInResult GkSignInResult;

#define GK_TYPE_SIGN_IN_RESULT (gk_sign_in_result_get_type ())
#define GK_TYPE_BROWSER_SIGN_IN (gk_browser_sign_in_get_type ())

G_DECLARE_FINAL_TYPE (GkBrowserSignIn, gk_browser_sign_in, GK, BROWSER_SIGN_IN, GObject)

GQuark           gk_sign_in_error_quark                   (void);

GType            gk_sign_in_result_get_type               (void) G_GNUC_CONST;
GkSignInResult  *gk_sign_in_result_ref                    (GkSignInResult  *self);
void             gk_sign_in_result_unref                  (GkSignInResult  *self);
GkCredentials   *gk_sign_in_result_get_credentials        (const GkSignInResult *self);
gint64           gk_sign_in_result_get_obtained_at        (const GkSignInResult *self);
const char      *gk_sign_in_result_get_identity_id        (const GkSignInResult *self);
const char      *gk_sign_in_result_get_display_name       (const GkSignInResult *self);
/* Microseconds from the browser's redirect to the sign-in being stored. */
gint64           gk_sign_in_result_get_overhead_us        (const GkSignInResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSignInResult, gk_sign_in_result_unref)

GkBrowserSignIn *gk_browser_sign_in_new                   (GkProfile               *profile,
                                                           GkSessionStore          *store,
                                                           GkTokenClient           *token_client,
                                                           GkIdTokenVerifier       *verifier,
                                                           GkCognitoIdentityClient *identity);

/* Runs once. Emits ::listening (uri) when the browser can come back,
 * ::authorization-pending (uri, browser_opened) once the browser was asked
 * to open the link (or not, with NO_BROWSER), and ::redirected when it
 * came back and the link is used up. */
void             gk_browser_sign_in_run_async             (GkBrowserSignIn     *self,
                                                           GkSignInFlags        flags,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GkSignInResult  *gk_browser_sign_in_run_finish            (GkBrowserSignIn     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* With %GK_SIGN_IN_FLAGS_PASTE, once ::listening was emitted: %TRUE when
 * @address is the sign-in's answer, %FALSE with what to paste instead
 * (a #GK_OAUTH_ERROR) while the sign-in keeps waiting. */
gboolean         gk_browser_sign_in_submit_address        (GkBrowserSignIn     *self,
                                                           const char          *address,
                                                           GError             **error);

G_END_DECLS
