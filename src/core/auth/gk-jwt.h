/* gk-jwt.h: Cognito ID tokens checked before anything believes them
 *
 * RS256 only (never `none`, never HS256, whatever key it claims), then `iss`
 * exact, `aud` = the app client, `token_use` = `id`, `exp`/`iat` with a small
 * clock skew and the sign-in's `nonce`. Pure: the key, the time and the
 * expected values are arguments. Which key a token names, and where the user
 * pool publishes it, is #GkJwks's business (gk-jwks.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <openssl/types.h>

G_BEGIN_DECLS

#define GK_JWT_ERROR (gk_jwt_error_quark ())

typedef enum
{
  GK_JWT_ERROR_MALFORMED,             /* not three base64url parts of JSON */
  GK_JWT_ERROR_TOO_LARGE,             /* over GK_JWT_MAX_LENGTH */
  GK_JWT_ERROR_UNSUPPORTED_ALGORITHM, /* alg is not RS256 */
  GK_JWT_ERROR_UNKNOWN_KEY,           /* no key with that kid, even after a refetch */
  GK_JWT_ERROR_BAD_SIGNATURE,
  GK_JWT_ERROR_WRONG_ISSUER,
  GK_JWT_ERROR_WRONG_AUDIENCE,
  GK_JWT_ERROR_WRONG_TOKEN_USE,
  GK_JWT_ERROR_EXPIRED,
  GK_JWT_ERROR_NOT_YET_VALID,         /* iat (or nbf) in the future */
  GK_JWT_ERROR_WRONG_NONCE,           /* missing, or not this sign-in's */
  GK_JWT_ERROR_MISSING_CLAIM,         /* sub, exp or iat absent */
  GK_JWT_ERROR_JWKS,                  /* the key set could not be fetched or read */
} GkJwtError;

#define GK_JWT_MAX_LENGTH  (64 * 1024)
#define GK_JWT_CLOCK_SKEW  120 /* seconds of clock difference tolerated */

/* The claims of a verified ID token. Boxed, refcounted. */
typedef struct _GkJwtClaims GkJwtClaims;

#define GK_TYPE_JWT_CLAIMS (gk_jwt_claims_get_type ())

GQuark       gk_jwt_error_quark            (void);

GType        gk_jwt_claims_get_type        (void) G_GNUC_CONST;
GkJwtClaims *gk_jwt_claims_ref             (GkJwtClaims *self);
void         gk_jwt_claims_unref           (GkJwtClaims *self);
const char  *gk_jwt_claims_get_subject     (const GkJwtClaims *self);
const char  *gk_jwt_claims_get_email       (const GkJwtClaims *self); /* nullable */
const char  *gk_jwt_claims_get_username    (const GkJwtClaims *self); /* cognito:username, nullable */
const char  *gk_jwt_claims_get_issuer      (const GkJwtClaims *self);
gint64       gk_jwt_claims_get_expiration  (const GkJwtClaims *self);
gint64       gk_jwt_claims_get_issued_at   (const GkJwtClaims *self);
gint64       gk_jwt_claims_get_auth_time   (const GkJwtClaims *self);
JsonObject  *gk_jwt_claims_get_json        (const GkJwtClaims *self);
const char  *gk_jwt_claims_get_display_name (const GkJwtClaims *self); /* email, user name or sub */

/* Pure helpers */
GBytes      *gk_jwt_base64url_decode       (const char  *text,
                                            gssize       length,
                                            GError     **error);
char        *gk_jwt_dup_kid                (const char  *token,
                                            GError     **error);
char        *gk_jwt_dup_unverified_issuer  (const char  *token,
                                            GError     **error);

/* Pure: verifies @token with @key, the key its `kid` names.
 * @nonce NULL skips the nonce check (tokens from a refresh carry none). */
GkJwtClaims *gk_jwt_verify_id_token        (const char  *token,
                                            EVP_PKEY    *key,
                                            const char  *issuer,
                                            const char  *client_id,
                                            const char  *nonce,
                                            gint64       now,
                                            GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkJwtClaims, gk_jwt_claims_unref)

G_END_DECLS
