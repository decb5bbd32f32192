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

#include "gk-profile-error.h"
#include "gk-profile-values.h"

G_BEGIN_DECLS

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

GkProfile          *gk_profile_new_from_json              (JsonObject  *object,
                                                           const char  *name,
                                                           GError     **error);
JsonObject         *gk_profile_to_json                    (GkProfile   *self);

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
