/* gk-id-token-verifier.h: a profile's ID tokens, verified against its user pool
 *
 * The issuer and the signing keys' address come from the profile. A profile
 * imported without `aws_cognito_pool_id` (IGV never reads it, so labs' files
 * often lack it) learns them from its first ID token instead:
 * 1. the token's `iss` is read unverified and accepted only in Cognito's
 *    exact form for the profile's `aws_region`
 *    (gk_profile_pool_id_from_issuer()), before anything is fetched for it;
 * 2. the token is verified against that pool's signing keys (the profile's
 *    `jwks_uri` when set, else the pool's own `…/.well-known/jwks.json`);
 * 3. only then is the issuer written into the saved profile and taught to
 *    the profile in memory, so the identity pool's Logins key and every
 *    later verification (renewals, later runs) use it.
 * A token refused on the way changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gk-jwks.h"
#include "gk-jwt.h"
#include "gk-profile-store.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_TYPE_ID_TOKEN_VERIFIER (gk_id_token_verifier_get_type ())

G_DECLARE_FINAL_TYPE (GkIdTokenVerifier, gk_id_token_verifier, GK, ID_TOKEN_VERIFIER, GObject)

/* @store: (nullable): where a learned issuer is saved; %NULL keeps it in
 * memory only (a profile that is not saved). */
GkIdTokenVerifier *gk_id_token_verifier_new          (GkProfile           *profile,
                                                      SoupSession         *session,
                                                      GkProfileStore      *store);
/* The user pool's key set; %NULL while the issuer is not known. */
GkJwks            *gk_id_token_verifier_get_jwks     (GkIdTokenVerifier   *self);

/* @nonce NULL skips the nonce check (tokens from a refresh carry none). */
void               gk_id_token_verifier_verify_async (GkIdTokenVerifier   *self,
                                                      const char          *token,
                                                      const char          *nonce,
                                                      gint64               now,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GkJwtClaims       *gk_id_token_verifier_verify_finish (GkIdTokenVerifier  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS
