/* gk-token-client.h: the user pool's token and revocation endpoints
 *
 * POST forms (RFC 6749 section 4.1.3 and 6, RFC 7009): the authorization
 * code with its PKCE verifier, the refresh token, and revocation. A client
 * secret only ever travels as HTTP Basic; public clients send client_id in
 * the body. Errors are mapped to #GkTokenError with what to do, and never
 * contain a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_TOKEN_ERROR (gk_token_error_quark ())

typedef enum
{
  GK_TOKEN_ERROR_FAILED,
  GK_TOKEN_ERROR_INVALID_GRANT,          /* code used/expired, or refresh token expired/revoked: sign in again */
  GK_TOKEN_ERROR_INVALID_CLIENT,         /* client_id / client_secret wrong */
  GK_TOKEN_ERROR_UNAUTHORIZED_CLIENT,    /* grant type not enabled for the client */
  GK_TOKEN_ERROR_INVALID_REQUEST,        /* invalid_request, unsupported_grant_type, invalid_scope */
  GK_TOKEN_ERROR_UNSUPPORTED_TOKEN_TYPE, /* revocation refused for this token type */
  GK_TOKEN_ERROR_UNAVAILABLE,            /* 5xx, 429 or no connection: try again later */
  GK_TOKEN_ERROR_INVALID_RESPONSE,       /* an answer we cannot read */
} GkTokenError;

typedef enum
{
  GK_TOKEN_GRANT_AUTHORIZATION_CODE,
  GK_TOKEN_GRANT_REFRESH_TOKEN,
  GK_TOKEN_GRANT_REVOKE,
} GkTokenGrant;

/* What the token endpoint returned. Boxed, refcounted; the strings are
 * wiped when the last reference goes. */
typedef struct _GkTokens GkTokens;

#define GK_TYPE_TOKENS (gk_tokens_get_type ())
#define GK_TYPE_TOKEN_CLIENT (gk_token_client_get_type ())

G_DECLARE_FINAL_TYPE (GkTokenClient, gk_token_client, GK, TOKEN_CLIENT, GObject)

GQuark         gk_token_error_quark              (void);

GType          gk_tokens_get_type                (void) G_GNUC_CONST;
GkTokens      *gk_tokens_new                     (const char  *id_token,
                                                  const char  *access_token,
                                                  const char  *refresh_token,
                                                  gint64       expires_in);
GkTokens      *gk_tokens_ref                     (GkTokens    *self);
void           gk_tokens_unref                   (GkTokens    *self);
const char    *gk_tokens_get_id_token            (const GkTokens *self);
const char    *gk_tokens_get_access_token        (const GkTokens *self); /* nullable */
const char    *gk_tokens_get_refresh_token       (const GkTokens *self); /* nullable: no rotation */
gint64         gk_tokens_get_expires_in          (const GkTokens *self); /* seconds, 0 if not said */

/* Pure: one token endpoint answer (status and body) to tokens or error. */
GkTokens      *gk_token_client_parse_response    (GkTokenGrant grant,
                                                  guint        http_status,
                                                  const char  *body,
                                                  gsize        length,
                                                  GError     **error);
GError        *gk_token_error_from_response      (GkTokenGrant grant,
                                                  guint        http_status,
                                                  const char  *error_code);

/* @revocation_endpoint and @client_secret may be NULL; @session NULL makes one. */
GkTokenClient *gk_token_client_new               (const char  *token_endpoint,
                                                  const char  *revocation_endpoint,
                                                  const char  *client_id,
                                                  const char  *client_secret,
                                                  SoupSession *session);
GkTokenClient *gk_token_client_new_for_profile   (GkProfile   *profile,
                                                  SoupSession *session);

void           gk_token_client_exchange_code_async  (GkTokenClient       *self,
                                                     const char          *code,
                                                     const char          *code_verifier,
                                                     const char          *redirect_uri,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GkTokens      *gk_token_client_exchange_code_finish (GkTokenClient       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void           gk_token_client_refresh_async        (GkTokenClient       *self,
                                                     const char          *refresh_token,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GkTokens      *gk_token_client_refresh_finish       (GkTokenClient       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void           gk_token_client_revoke_async         (GkTokenClient       *self,
                                                     const char          *refresh_token,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean       gk_token_client_revoke_finish        (GkTokenClient       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkTokens, gk_tokens_unref)

G_END_DECLS
