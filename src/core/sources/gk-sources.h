/* gk-sources.h: the credential source of a profile, whatever kind it is
 *
 * The one place that turns a profile into a #GkCredentialSource: a lab
 * sign-in becomes its #GkSession (restored by the caller, as before), an
 * access key a #GkAccessKeySource, an instance profile a
 * #GkInstanceProfileSource, and an assumed role a #GkAssumeRoleSource over
 * its source profile's own source, opened the same way. Consumers (S3,
 * links, IGV, the gateway) only ever see the interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credential-source.h"
#include "gk-keyring.h"
#include "gk-profile-store.h"

G_BEGIN_DECLS

#define GK_SOURCES_ERROR (gk_sources_error_quark ())

typedef enum
{
  GK_SOURCES_ERROR_CHAIN, /* source profiles that lead back to themselves, or too deep */
} GkSourcesError;

/* Roles assumed through roles: AWS allows chains, but a profile that leads
 * through more than this is a mistake. */
#define GK_SOURCES_MAX_CHAIN 4

GQuark              gk_sources_error_quark      (void);

/* @store resolves an assume-role profile's source_profile. No network and
 * no keyring here: sources ask when first used. */
GkCredentialSource *gk_sources_open_for_profile (GkProfileStore  *store,
                                                 GkProfile       *profile,
                                                 GkKeyring       *keyring,
                                                 GError         **error);

G_END_DECLS
