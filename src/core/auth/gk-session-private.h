/* gk-session-private.h: what gk-session.c shares with gk-session-sign-in.c
 *
 * The fields, and the few calls that change what the session shows; every
 * state change still goes through gk_session_move_to() and so through
 * gk_session_state_move(). gk-session.c defines all of them, and includes
 * nothing of gk-session-sign-in.c: the dependency runs one way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-browser-sign-in.h"
#include "gk-cognito-identity.h"
#include "gk-id-token-verifier.h"
#include "gk-renewal.h"
#include "gk-session-store.h"
#include "gk-session.h"
#include "gk-token-client.h"

G_BEGIN_DECLS

struct _GkSession
{
  GObject parent_instance;

  GkProfile *profile;
  GkKeyring *keyring;
  GkProfileStore *profile_store; /* nullable: where a learned user pool is saved */
  GkSessionStore *store;
  SoupSession *soup;
  GkTokenClient *token_client;
  GkIdTokenVerifier *verifier;
  GkCognitoIdentityClient *identity;
  GkRenewal *renewal;

  GkSessionState state;
  /* Where a sign-in that fails or is cancelled returns to: the state it
   * started from, or what a renewal that ended meanwhile left. */
  GkSessionState state_after_sign_in;
  GkBrowserSignIn *sign_in;   /* the browser sign-in under way, from before its
                               * listener is bound (the state says SIGNING_IN
                               * only once the browser can come back) */
  /* Cancelled when the sign-in the session stands for ends (sign-out, a
   * new sign-in): renewals started for it then keep nothing. */
  GCancellable *sign_in_alive;

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
};

void gk_session_adopt_stored (GkSession             *self,
                              const GkSessionStored *stored);
void gk_session_apply_signed_out (GkSession *self);
void gk_session_end_sign_in (GkSession *self);
void gk_session_move_to (GkSession      *self,
                         GkSessionState  to);
void gk_session_set_authorization_uri (GkSession  *self,
                                       const char *uri);
void gk_session_set_credentials (GkSession     *self,
                                 GkCredentials *credentials,
                                 gint64         obtained_at);
void gk_session_set_email (GkSession  *self,
                           const char *email);
void gk_session_set_identity_id (GkSession  *self,
                                 const char *identity_id);
void gk_session_set_renewal_error (GkSession    *self,
                                   const GError *error);
void gk_session_emit_authorization_pending (GkSession  *self,
                                            const char *uri,
                                            gboolean    browser_opened);

G_END_DECLS
