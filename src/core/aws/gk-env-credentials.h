/* gk-env-credentials.h: credentials from the standard AWS environment variables
 *
 * `--profile env`: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
 * (and AWS_CREDENTIAL_EXPIRATION when the tool that set them knows it), the
 * region from AWS_REGION or AWS_DEFAULT_REGION, and an S3 endpoint from
 * AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, as the AWS CLI and SDKs read them.
 * Scripts can then sign links without a Genokey profile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-credential-source.h"

G_BEGIN_DECLS

#define GK_ENV_CREDENTIALS_ERROR (gk_env_credentials_error_quark ())

typedef enum
{
  GK_ENV_CREDENTIALS_ERROR_MISSING,  /* a required variable is unset or empty */
  GK_ENV_CREDENTIALS_ERROR_INVALID,  /* a variable has a value that cannot be used */
  GK_ENV_CREDENTIALS_ERROR_EXPIRED,  /* AWS_CREDENTIAL_EXPIRATION is in the past */
} GkEnvCredentialsError;

#define GK_TYPE_ENV_CREDENTIALS (gk_env_credentials_get_type ())

G_DECLARE_FINAL_TYPE (GkEnvCredentials, gk_env_credentials, GK, ENV_CREDENTIALS, GObject)

GQuark            gk_env_credentials_error_quark   (void);

GkEnvCredentials *gk_env_credentials_new           (const char * const  *envp,
                                                    GError             **error);
const char       *gk_env_credentials_get_region    (GkEnvCredentials    *self);
const char       *gk_env_credentials_get_endpoint  (GkEnvCredentials    *self);
GkCredentials    *gk_env_credentials_peek          (GkEnvCredentials    *self);

G_END_DECLS
