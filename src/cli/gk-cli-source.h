/* gk-cli-source.h: where a command's AWS credentials come from
 *
 * `--profile env` reads the standard AWS environment variables; any other
 * name (or none: the only profile, or the one used last) is a Genokey
 * profile and its sign-in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"
#include "gk-credential-source.h"
#include "gk-profile.h"
#include "gk-s3.h"

G_BEGIN_DECLS

#define GK_CLI_PROFILE_ENV "env"

GkCredentialSource *gk_cli_open_source    (GkCli        *cli,
                                           const char   *profile_name_or_env,
                                           GkProfile   **out_profile,
                                           GError      **error);
GkS3Client         *gk_cli_open_s3_client (GkCli        *cli,
                                           const char   *profile_name_or_env,
                                           GError      **error);

G_END_DECLS
