/* gk-jwks.h: the user pool's signing keys, fetched when a token needs them
 *
 * A JWKS document's RSA signing keys (2048 bits or more; others are
 * ignored), by `kid`. Fetched over HTTP on first use and refetched once
 * when a token names a key it does not know (Cognito rotates keys), at most
 * once per refetch interval; one fetch serves every verification waiting
 * for it. The token checks themselves are gk_jwt_verify_id_token()'s; the
 * errors are #GK_JWT_ERROR's (UNKNOWN_KEY and JWKS are this file's), since
 * a caller treats a token refused for any reason alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gk-jwt.h"

G_BEGIN_DECLS

#define GK_TYPE_JWKS (gk_jwks_get_type ())

G_DECLARE_FINAL_TYPE (GkJwks, gk_jwks, GK, JWKS, GObject)

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

G_END_DECLS
