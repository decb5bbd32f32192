/* gk-jwt.h: Cognito ID tokens checked before anything believes them
 *
 * RS256 only (never `none`, never HS256, whatever key it claims), the key
 * chosen by `kid` from the user pool's JWKS, then `iss` exact, `aud` = the
 * app client, `token_use` = `id`, `exp`/`iat` with a small clock skew and the
 * sign-in's `nonce`. The verification itself is pure (keys, time and the
 * expected values are arguments); #GkJwks adds fetching the key set over
 * HTTP, refetched once when a token names a key it does not know.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

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
#define GK_TYPE_JWKS (gk_jwks_get_type ())

G_DECLARE_FINAL_TYPE (GkJwks, gk_jwks, GK, JWKS, GObject)

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
JsonObject  *gk_jwt_claims_get_json        (const GkJwtClaims *self);

/* Pure helpers */
GBytes      *gk_jwt_base64url_decode       (const char  *text,
                                            gssize       length,
                                            GError     **error);
char        *gk_jwt_dup_kid                (const char  *token,
                                            GError     **error);

/* The key set. gk_jwks_new() with a jwks_uri fetches over @session (or a
 * session of its own); gk_jwks_load_from_data() gives it keys directly. */
GkJwks      *gk_jwks_new                   (const char  *jwks_uri,
                                            SoupSession *session);
gboolean     gk_jwks_load_from_data        (GkJwks      *self,
                                            const char  *json,
                                            gssize       length,
                                            GError     **error);
gboolean     gk_jwks_has_key               (GkJwks      *self,
                                            const char  *kid);
guint        gk_jwks_get_fetch_count       (GkJwks      *self);
void         gk_jwks_set_refetch_interval  (GkJwks      *self,
                                            guint        seconds);

/* Synchronous and pure: verifies against the keys already loaded.
 * @nonce NULL skips the nonce check (tokens from a refresh carry none). */
GkJwtClaims *gk_jwks_verify_id_token       (GkJwks      *self,
                                            const char  *token,
                                            const char  *issuer,
                                            const char  *client_id,
                                            const char  *nonce,
                                            gint64       now,
                                            GError     **error);

/* Fetches the keys first if none are loaded, and refetches once (at most
 * once per refetch interval, 60 s by default) when the kid is unknown. */
void         gk_jwks_verify_id_token_async (GkJwks              *self,
                                            const char          *token,
                                            const char          *issuer,
                                            const char          *client_id,
                                            const char          *nonce,
                                            gint64               now,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GkJwtClaims *gk_jwks_verify_id_token_finish (GkJwks             *self,
                                             GAsyncResult       *result,
                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkJwtClaims, gk_jwt_claims_unref)

G_END_DECLS
