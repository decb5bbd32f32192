/* gk-cli-status-source.h: status of profiles that are not a lab sign-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"
#include "gk-profile.h"

G_BEGIN_DECLS

/* The command table has opened the profile's source. */
int gk_cli_status_source_run (GkCli    *cli,
                              gboolean  json);

G_END_DECLS
