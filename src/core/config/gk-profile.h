/* gk-profile.h: one lab's sign-in configuration (non-secret)
 *
 * A profile is IGV's oauth-config.json as labs already have it, plus the
 * snake_case keys Genokey adds (DESIGN.md section 3). Every getter returns the
 * effective value: explicit key, else the documented default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GK_PROFILE_ERROR (gk_profile_error_quark ())

typedef enum
{
  GK_PROFILE_ERROR_INVALID,     /* a key has a bad value; the message names key and fix */
  GK_PROFILE_ERROR_MISSING_KEY, /* a required key is absent */
  GK_PROFILE_ERROR_PARSE,       /* not JSON, or not an object/array of objects */
  GK_PROFILE_ERROR_NOT_FOUND,   /* no profile by that name */
  GK_PROFILE_ERROR_EXISTS,      /* a profile by that name exists already */
  GK_PROFILE_ERROR_AMBIGUOUS,   /* several profiles and none named */
  GK_PROFILE_ERROR_FETCH,       /* the provisioning URL could not be read */
} GkProfileError;

typedef enum
{
  GK_PROFILE_FLOW_ENHANCED, /* GetId + GetCredentialsForIdentity */
  GK_PROFILE_FLOW_BASIC,    /* GetId + GetOpenIdToken + STS AssumeRoleWithWebIdentity */
} GkProfileFlow;

/* Where a profile's AWS credentials come from (the `source` key). */
typedef enum
{
  GK_PROFILE_SOURCE_COGNITO,          /* a lab sign-in: user pool + identity pool (the default) */
  GK_PROFILE_SOURCE_ACCESS_KEY,       /* an IAM user's access key; the secret is in the keyring */
  GK_PROFILE_SOURCE_ASSUME_ROLE,      /* STS AssumeRole, signed with another profile's credentials */
  GK_PROFILE_SOURCE_INSTANCE_PROFILE, /* the EC2 instance's role, from IMDSv2 */
} GkProfileSource;

#define GK_PROFILE_DEFAULT_IAM_ENDPOINT "https://iam.amazonaws.com/"
/* Without aws_region, a profile that is not a lab sign-in signs for the
 * region AWS's own tools default to for global calls; S3 finds each
 * bucket's real region by itself. */
#define GK_PROFILE_DEFAULT_REGION "us-east-1"

#define GK_PROFILE_DEFAULT_REDIRECT_URI "http://localhost:60151/oauthCallback"
#define GK_PROFILE_DEFAULT_SCOPE        "openid email profile"
#define GK_PROFILE_DEFAULT_DURATION     3600

#define GK_TYPE_PROFILE (gk_profile_get_type ())

G_DECLARE_FINAL_TYPE (GkProfile, gk_profile, GK, PROFILE, GObject)

GQuark              gk_profile_error_quark                (void);
/* What a GK_PROFILE_ERROR is about: the profile key whose value is wrong or
 * missing, and the profile's name. The messages say what is wrong; each
 * face adds how to fix it in its own terms (options, or fields). */
const char         *gk_profile_error_get_key              (const GError *error);
const char         *gk_profile_error_get_profile          (const GError *error);
void                gk_profile_error_set_key              (GError      *error,
                                                           const char  *key);
void                gk_profile_error_set_profile          (GError      *error,
                                                           const char  *profile);

GkProfile          *gk_profile_new_from_json              (JsonObject  *object,
                                                           const char  *name,
                                                           GError     **error);
JsonObject         *gk_profile_to_json                    (GkProfile   *self);
gboolean            gk_profile_name_is_valid              (const char  *name);
gboolean            gk_profile_host_is_loopback           (const char  *host);
gboolean            gk_profile_host_is_valid              (const char  *host);
char               *gk_profile_describe_url               (const char  *url);

const char         *gk_profile_get_name                   (GkProfile   *self);
const char         *gk_profile_get_client_id              (GkProfile   *self);
const char         *gk_profile_get_client_secret          (GkProfile   *self);
const char         *gk_profile_get_authorization_endpoint (GkProfile   *self);
const char         *gk_profile_get_token_endpoint         (GkProfile   *self);
const char         *gk_profile_get_revocation_endpoint    (GkProfile   *self);
const char         *gk_profile_get_logout_endpoint        (GkProfile   *self);
const char         *gk_profile_get_userinfo_endpoint      (GkProfile   *self);
const char         *gk_profile_get_scope                  (GkProfile   *self);
const char         *gk_profile_get_redirect_uri           (GkProfile   *self);
guint16             gk_profile_get_redirect_port          (GkProfile   *self);
const char         *gk_profile_get_redirect_path          (GkProfile   *self);
const char         *gk_profile_get_region                 (GkProfile   *self);
const char         *gk_profile_get_user_pool_id           (GkProfile   *self);
const char         *gk_profile_get_identity_pool_id       (GkProfile   *self);
const char         *gk_profile_get_role_arn               (GkProfile   *self);
const char         *gk_profile_get_issuer                 (GkProfile   *self);
const char         *gk_profile_get_jwks_uri               (GkProfile   *self);
char               *gk_profile_dup_logins_key             (GkProfile   *self);
char               *gk_profile_pool_id_from_issuer        (const char  *region,
                                                           const char  *issuer);
gboolean            gk_profile_check_issuer               (GkProfile   *self,
                                                           const char  *issuer,
                                                           GError     **error);
gboolean            gk_profile_learn_issuer               (GkProfile   *self,
                                                           const char  *issuer,
                                                           GError     **error);
const char         *gk_profile_get_cognito_identity_endpoint (GkProfile *self);
const char         *gk_profile_get_sts_endpoint           (GkProfile   *self);
const char         *gk_profile_get_s3_endpoint            (GkProfile   *self);
GkProfileFlow       gk_profile_get_flow                   (GkProfile   *self);
guint               gk_profile_get_duration_seconds       (GkProfile   *self);
const char * const *gk_profile_get_buckets                (GkProfile   *self);
const char         *gk_profile_get_chromoscope_prefix     (GkProfile   *self);

GkProfileSource     gk_profile_get_source                 (GkProfile   *self);
const char         *gk_profile_source_to_string           (GkProfileSource source);
gboolean            gk_profile_source_from_string         (const char  *text,
                                                           GkProfileSource *out);
gboolean            gk_profile_is_sign_in                 (GkProfile   *self);
const char         *gk_profile_get_access_key_id          (GkProfile   *self);
const char         *gk_profile_get_iam_endpoint           (GkProfile   *self);
const char         *gk_profile_get_assume_role_arn        (GkProfile   *self);
const char         *gk_profile_get_external_id            (GkProfile   *self);
const char         *gk_profile_get_source_profile         (GkProfile   *self);
const char         *gk_profile_get_role_session_name      (GkProfile   *self);
const char         *gk_profile_get_source_identity        (GkProfile   *self);
const char * const *gk_profile_get_session_tags           (GkProfile   *self);

G_END_DECLS
