/* gk-lab-admin.h: what a lab's admin sets for Genokey, IGV and the web
 * viewers, as documents and commands ready to apply
 *
 * Today an admin writes these by hand from scattered documentation: a
 * bucket's CORS rules for IGV-Web and Chromoscope, the identity pool's
 * authenticated role's policy, the user pool app client's settings and the
 * identity pool's switches. Here each is built from what Genokey knows (the
 * profile, the viewers' origins), in the form `aws` takes it. Pure: no
 * network, so `genokey admin` and the lab check's fixes print the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-profile.h"

G_BEGIN_DECLS

/* Where in S3: a bucket, and a key prefix in it (%NULL: all of it). */
typedef struct
{
  const char *bucket;
  const char *prefix;
} GkLabLocation;

/* Where the policy's write statement goes when none is given: a folder
 * that holds only generated configs, so the data stays read-only. */
#define GK_LAB_ADMIN_DEFAULT_WRITE_PREFIX "chromoscope/"
/* The inline policy's name on the role. */
#define GK_LAB_ADMIN_POLICY_NAME "genokey-lab-data"

GStrv   gk_lab_admin_viewer_origins       (const char * const   *extra);
char   *gk_lab_admin_cors_configuration   (const char * const   *origins);
char   *gk_lab_admin_cors_commands        (const char           *bucket,
                                           const char * const   *origins);

char   *gk_lab_admin_role_policy          (const GkLabLocation  *read,
                                           gsize                 n_read,
                                           const GkLabLocation  *write,
                                           gsize                 n_write);
char   *gk_lab_admin_role_name            (GkProfile            *profile);
char   *gk_lab_admin_role_arn_from_caller (const char           *caller_arn);
char   *gk_lab_admin_role_policy_commands (GkProfile            *profile,
                                           const char           *policy);
gboolean gk_lab_admin_profile_locations   (GkProfile            *profile,
                                           GArray              **read,
                                           GArray              **write);

char   *gk_lab_admin_app_client           (GkProfile            *profile,
                                           gboolean             *out_create);
char   *gk_lab_admin_app_client_commands  (GkProfile            *profile);
char   *gk_lab_admin_identity_pool_commands (GkProfile          *profile,
                                           const char           *member,
                                           gboolean              value);

G_END_DECLS
