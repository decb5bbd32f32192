/* gk-cognito-identity.h: the Cognito identity pool, from a verified ID token
 * to AWS credentials
 *
 * Enhanced flow: GetId + GetCredentialsForIdentity. Basic (classic) flow,
 * as IGV does it: GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity
 * (gk-sts.h). The Cognito Identity calls are unsigned: they carry the ID
 * token in Logins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credentials.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_COGNITO_IDENTITY_ERROR (gk_cognito_identity_error_quark ())

/* Errors of the identity pool's own calls. A basic-flow sign-in can also
 * fail with a #GK_STS_ERROR from AssumeRoleWithWebIdentity. */
typedef enum
{
  GK_COGNITO_IDENTITY_ERROR_FAILED,
  GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED,      /* the pool refuses this user pool's tokens */
  GK_COGNITO_IDENTITY_ERROR_TOKEN_EXPIRED,       /* the ID token expired on the way; renew it */
  GK_COGNITO_IDENTITY_ERROR_IDENTITY_NOT_FOUND,  /* a cached identity id is gone; GetId again */
  GK_COGNITO_IDENTITY_ERROR_POOL_NOT_FOUND,      /* aws_cognito_fed_pool_id does not exist */
  GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED, /* GetOpenIdToken refused: classic flow is off */
  GK_COGNITO_IDENTITY_ERROR_POOL_CONFIGURATION,  /* no usable authenticated role */
  GK_COGNITO_IDENTITY_ERROR_THROTTLED,           /* still throttled after the retries */
  GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE,         /* 5xx or no connection */
  GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE,    /* an answer we cannot read */
} GkCognitoIdentityError;

/* Which call an answer belongs to: some codes mean different things. */
typedef enum
{
  GK_COGNITO_IDENTITY_OP_GET_ID                       = 1 << 0,
  GK_COGNITO_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY = 1 << 1,
  GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN            = 1 << 2,
} GkCognitoIdentityOp;

#define GK_TYPE_COGNITO_IDENTITY_CLIENT (gk_cognito_identity_client_get_type ())

G_DECLARE_FINAL_TYPE (GkCognitoIdentityClient, gk_cognito_identity_client, GK,
                      COGNITO_IDENTITY_CLIENT, GObject)

GQuark                   gk_cognito_identity_error_quark             (void);

/* Pure helpers (tested without a network) */
GError                  *gk_cognito_identity_error_from_aws          (GkCognitoIdentityOp  op,
                                                                      guint                http_status,
                                                                      const char          *code,
                                                                      const char          *message);
gboolean                 gk_cognito_identity_error_is_retryable      (const GError        *error);
GError                  *gk_cognito_identity_explain_sts_error       (const GError        *sts_error);
GkCredentials           *gk_cognito_identity_parse_credentials       (const char          *json,
                                                                      gssize               length,
                                                                      char               **out_identity_id,
                                                                      GError             **error);

GkCognitoIdentityClient *gk_cognito_identity_client_new              (GkProfile           *profile);
void                     gk_cognito_identity_client_set_retry        (GkCognitoIdentityClient *self,
                                                                      guint                max_attempts,
                                                                      guint                base_delay_ms);

/* The single calls */
void                     gk_cognito_identity_client_get_id_async     (GkCognitoIdentityClient *self,
                                                                      const char          *id_token,
                                                                      GCancellable        *cancellable,
                                                                      GAsyncReadyCallback  callback,
                                                                      gpointer             user_data);
char                    *gk_cognito_identity_client_get_id_finish    (GkCognitoIdentityClient *self,
                                                                      GAsyncResult        *result,
                                                                      GError             **error);

void                     gk_cognito_identity_client_get_open_id_token_async  (GkCognitoIdentityClient *self,
                                                                              const char          *identity_id,
                                                                              const char          *id_token,
                                                                              GCancellable        *cancellable,
                                                                              GAsyncReadyCallback  callback,
                                                                              gpointer             user_data);
char                    *gk_cognito_identity_client_get_open_id_token_finish (GkCognitoIdentityClient *self,
                                                                              GAsyncResult        *result,
                                                                              GError             **error);

/* The whole flow of the profile: enhanced or basic. @identity_id is the
 * cached identity id (or %NULL to GetId first); @user_name becomes the STS
 * RoleSessionName in the basic flow. */
void                     gk_cognito_identity_client_fetch_credentials_async  (GkCognitoIdentityClient *self,
                                                                              const char          *identity_id,
                                                                              const char          *id_token,
                                                                              const char          *user_name,
                                                                              GCancellable        *cancellable,
                                                                              GAsyncReadyCallback  callback,
                                                                              gpointer             user_data);
GkCredentials           *gk_cognito_identity_client_fetch_credentials_finish (GkCognitoIdentityClient *self,
                                                                              GAsyncResult        *result,
                                                                              char               **out_identity_id,
                                                                              GError             **error);

G_END_DECLS
