/* gk-profile-values.h: what a profile's values may be (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

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

gboolean            gk_profile_name_is_valid              (const char  *name);
gboolean            gk_profile_host_is_loopback           (const char  *host);
gboolean            gk_profile_host_is_valid              (const char  *host);
char               *gk_profile_describe_url               (const char  *url);
char               *gk_profile_pool_id_from_issuer        (const char  *region,
                                                           const char  *issuer);
const char         *gk_profile_source_to_string           (GkProfileSource source);
gboolean            gk_profile_source_from_string         (const char  *text,
                                                           GkProfileSource *out);
gboolean            gk_profile_value_matches              (const char  *pattern,
                                                           const char  *text);
gboolean            gk_profile_region_is_valid            (const char  *region);
gboolean            gk_profile_user_pool_id_is_valid      (const char  *id);
gboolean            gk_profile_check_endpoint             (const char  *key,
                                                           const char  *value,
                                                           GError     **error);
char               *gk_profile_normalize_scope            (const char  *raw);

G_END_DECLS
