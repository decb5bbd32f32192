/* gk-identity.h: Cognito identity pool and STS, from a verified ID token to
 * AWS credentials
 *
 * Enhanced flow: GetId + GetCredentialsForIdentity. Basic (classic) flow, as
 * IGV does it: GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity. The
 * Cognito Identity calls are unsigned (they carry the ID token in Logins).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credentials.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_IDENTITY_ERROR (gk_identity_error_quark ())

typedef enum
{
  GK_IDENTITY_ERROR_FAILED,
  GK_IDENTITY_ERROR_NOT_AUTHORIZED,       /* the pool refuses this user pool's tokens */
  GK_IDENTITY_ERROR_TOKEN_EXPIRED,        /* the ID token expired on the way; renew it */
  GK_IDENTITY_ERROR_IDENTITY_NOT_FOUND,   /* a cached identity id is gone; GetId again */
  GK_IDENTITY_ERROR_POOL_NOT_FOUND,       /* aws_cognito_fed_pool_id does not exist */
  GK_IDENTITY_ERROR_BASIC_FLOW_DISABLED,  /* GetOpenIdToken refused: classic flow is off */
  GK_IDENTITY_ERROR_POOL_CONFIGURATION,   /* no usable authenticated role */
  GK_IDENTITY_ERROR_ACCESS_DENIED,        /* STS: the role does not trust the pool */
  GK_IDENTITY_ERROR_INVALID_DURATION,     /* STS: duration_seconds above the role's maximum */
  GK_IDENTITY_ERROR_THROTTLED,            /* still throttled after the retries */
  GK_IDENTITY_ERROR_UNAVAILABLE,          /* 5xx or no connection */
  GK_IDENTITY_ERROR_INVALID_RESPONSE,     /* an answer we cannot read */
} GkIdentityError;

/* Which request an answer belongs to, for the error messages. */
typedef enum
{
  GK_IDENTITY_OP_GET_ID,
  GK_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY,
  GK_IDENTITY_OP_GET_OPEN_ID_TOKEN,
  GK_IDENTITY_OP_ASSUME_ROLE_WITH_WEB_IDENTITY,
} GkIdentityOp;

#define GK_IDENTITY_MIN_DURATION 900
#define GK_IDENTITY_MAX_DURATION 43200

#define GK_TYPE_IDENTITY_CLIENT (gk_identity_client_get_type ())

G_DECLARE_FINAL_TYPE (GkIdentityClient, gk_identity_client, GK, IDENTITY_CLIENT, GObject)

GQuark            gk_identity_error_quark               (void);

/* Pure helpers (tested without a network) */
char             *gk_identity_sanitize_session_name     (const char   *user);
guint             gk_identity_clamp_duration            (guint         seconds);
guint             gk_identity_backoff_delay_ms          (guint         attempt,
                                                         guint         base_ms,
                                                         guint32       random);
GError           *gk_identity_error_from_aws            (GkIdentityOp  op,
                                                         guint         http_status,
                                                         const char   *code,
                                                         const char   *message);
gboolean          gk_identity_error_is_retryable        (const GError *error);
GkCredentials    *gk_identity_parse_sts_response        (const char   *xml,
                                                         gssize        length,
                                                         guint         http_status,
                                                         GError      **error);
GkCredentials    *gk_identity_parse_cognito_credentials (const char   *json,
                                                         gssize        length,
                                                         char        **out_identity_id,
                                                         GError      **error);

GkIdentityClient *gk_identity_client_new                (GkProfile    *profile);
void              gk_identity_client_set_retry          (GkIdentityClient *self,
                                                         guint         max_attempts,
                                                         guint         base_delay_ms);

/* The single calls */
void              gk_identity_client_get_id_async       (GkIdentityClient    *self,
                                                         const char          *id_token,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
char             *gk_identity_client_get_id_finish      (GkIdentityClient    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* The whole flow of the profile: enhanced or basic. @identity_id is the
 * cached identity id (or %NULL to GetId first); @user_name becomes the STS
 * RoleSessionName in the basic flow. */
void              gk_identity_client_fetch_credentials_async  (GkIdentityClient    *self,
                                                               const char          *identity_id,
                                                               const char          *id_token,
                                                               const char          *user_name,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GkCredentials    *gk_identity_client_fetch_credentials_finish (GkIdentityClient    *self,
                                                               GAsyncResult        *result,
                                                               char               **out_identity_id,
                                                               GError             **error);

G_END_DECLS
