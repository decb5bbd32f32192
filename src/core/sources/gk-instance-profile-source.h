/* gk-instance-profile-source.h: an EC2 instance's role as a credential source
 *
 * On EC2, a lab's tools get the instance profile's role credentials from
 * the instance metadata service. Genokey speaks IMDSv2 only: a session
 * token from PUT /latest/api/token (with its TTL header), then, with the
 * token, the role's name and the role's credentials, which EC2 rotates
 * before they expire. It honours AWS_EC2_METADATA_SERVICE_ENDPOINT and
 * AWS_EC2_METADATA_DISABLED as the AWS SDKs do, waits only a few seconds
 * (off EC2 nothing answers at the link-local address), and says so plainly
 * when this is not an EC2 instance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credential-source.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_INSTANCE_PROFILE_ERROR (gk_instance_profile_error_quark ())

typedef enum
{
  GK_INSTANCE_PROFILE_ERROR_DISABLED,  /* AWS_EC2_METADATA_DISABLED is true */
  GK_INSTANCE_PROFILE_ERROR_NOT_EC2,   /* nothing answered at the metadata address */
  GK_INSTANCE_PROFILE_ERROR_NO_ROLE,   /* the instance has no instance profile */
  GK_INSTANCE_PROFILE_ERROR_REFUSED,   /* the metadata service refused (IMDSv2 token, 4xx) */
  GK_INSTANCE_PROFILE_ERROR_INVALID,   /* an answer or endpoint that cannot be used */
} GkInstanceProfileError;

#define GK_INSTANCE_PROFILE_DEFAULT_ENDPOINT "http://169.254.169.254"

#define GK_TYPE_INSTANCE_PROFILE_SOURCE (gk_instance_profile_source_get_type ())

G_DECLARE_FINAL_TYPE (GkInstanceProfileSource, gk_instance_profile_source, GK, INSTANCE_PROFILE_SOURCE, GObject)

GQuark                   gk_instance_profile_error_quark          (void);

/* @envp: the environment to read (g_get_environ() form), or %NULL for the
 * process's. */
GkInstanceProfileSource *gk_instance_profile_source_new           (GkProfile               *profile,
                                                                   const char * const      *envp);
const char              *gk_instance_profile_source_get_endpoint  (GkInstanceProfileSource *self);
/* The role's name once credentials were fetched, else %NULL. */
const char              *gk_instance_profile_source_get_role_name (GkInstanceProfileSource *self);

/* Pure: the credentials in IMDS's security-credentials JSON. */
GkCredentials           *gk_instance_profile_parse_credentials    (const char              *json,
                                                                   gssize                   length,
                                                                   GError                 **error);

G_END_DECLS
