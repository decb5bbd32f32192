/* gk-oauth.h: the browser half of the authorization code flow with PKCE
 *
 * Pure functions: the random values a sign-in needs (PKCE verifier, state,
 * nonce), the authorization and logout URLs, and the callback's query parsed
 * into a code or an error a user can act on — whether the browser brought
 * it to the loopback listener or the user pasted the whole address the
 * browser ended on. No network, no clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_OAUTH_ERROR (gk_oauth_error_quark ())

typedef enum
{
  GK_OAUTH_ERROR_FAILED,              /* anything else the identity provider reported */
  GK_OAUTH_ERROR_ACCESS_DENIED,       /* access_denied: the user cancelled or is not allowed */
  GK_OAUTH_ERROR_INVALID_REQUEST,     /* invalid_request, invalid_scope, unsupported_response_type */
  GK_OAUTH_ERROR_UNAUTHORIZED_CLIENT, /* unauthorized_client: app client settings */
  GK_OAUTH_ERROR_SERVER_ERROR,        /* server_error, temporarily_unavailable */
  GK_OAUTH_ERROR_STATE_MISMATCH,      /* state missing, repeated or not ours */
  GK_OAUTH_ERROR_MALFORMED_CALLBACK,  /* no code, repeated parameters, bad encoding */
  GK_OAUTH_ERROR_RANDOM,              /* the system random generator failed */
} GkOAuthError;

/* RFC 7636 section 4.1: 43 to 128 characters of [A-Za-z0-9-._~]. */
#define GK_OAUTH_VERIFIER_MIN_LENGTH 43
#define GK_OAUTH_VERIFIER_MAX_LENGTH 128

/* One sign-in attempt's secrets: PKCE verifier and challenge, state, nonce.
 * The struct wipes itself when the last reference goes. */
typedef struct _GkOAuthRequest GkOAuthRequest;

#define GK_TYPE_OAUTH_REQUEST (gk_oauth_request_get_type ())

GQuark          gk_oauth_error_quark                (void);
GType           gk_oauth_request_get_type           (void) G_GNUC_CONST;

GkOAuthRequest *gk_oauth_request_new                (GError        **error);
GkOAuthRequest *gk_oauth_request_new_from_values    (const char     *code_verifier,
                                                     const char     *state,
                                                     const char     *nonce);
GkOAuthRequest *gk_oauth_request_ref                (GkOAuthRequest *self);
void            gk_oauth_request_unref              (GkOAuthRequest *self);
const char     *gk_oauth_request_get_code_verifier  (const GkOAuthRequest *self);
const char     *gk_oauth_request_get_code_challenge (const GkOAuthRequest *self);
const char     *gk_oauth_request_get_state          (const GkOAuthRequest *self);
const char     *gk_oauth_request_get_nonce          (const GkOAuthRequest *self);

/* base64url without padding (RFC 4648 section 5), as PKCE and JWTs use it. */
char           *gk_oauth_base64url_encode           (const guint8   *data,
                                                     gsize           length);

/* Random values, base64url without padding. */
char           *gk_oauth_generate_code_verifier     (GError        **error);
char           *gk_oauth_generate_state             (GError        **error);
char           *gk_oauth_generate_nonce             (GError        **error);
char           *gk_oauth_compute_code_challenge     (const char     *code_verifier);
gboolean        gk_oauth_code_verifier_is_valid     (const char     *code_verifier);

char           *gk_oauth_build_authorization_url    (const char     *authorization_endpoint,
                                                     const char     *client_id,
                                                     const char     *redirect_uri,
                                                     const char     *scope,
                                                     const char     *state,
                                                     const char     *nonce,
                                                     const char     *code_challenge,
                                                     const char     *identity_provider);
char           *gk_oauth_build_authorization_url_for_profile (GkProfile            *profile,
                                                              const GkOAuthRequest *request,
                                                              const char           *identity_provider);
char           *gk_oauth_build_logout_url           (const char     *logout_endpoint,
                                                     const char     *client_id,
                                                     const char     *logout_uri);

gboolean        gk_oauth_parse_callback             (const char     *query,
                                                     const char     *expected_state,
                                                     char          **out_code,
                                                     GError        **error);
gboolean        gk_oauth_parse_callback_uri         (const char     *address,
                                                     const char     *redirect_uri,
                                                     const char     *expected_state,
                                                     char          **out_code,
                                                     GError        **error);
gboolean        gk_oauth_host_is_loopback_name      (const char     *host);
gboolean        gk_oauth_state_equal                (const char     *a,
                                                     const char     *b);
GError         *gk_oauth_error_from_response        (const char     *error_code,
                                                     const char     *error_description);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkOAuthRequest, gk_oauth_request_unref)

G_END_DECLS
