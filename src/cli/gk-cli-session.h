/* gk-cli-session.h: a profile's sign-in, opened for one command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"
#include "gk-session.h"

G_BEGIN_DECLS

GkSession *gk_cli_open_session         (GkCli       *cli,
                                        const char  *profile_name,
                                        GError     **error);
char      *gk_cli_format_local_time    (gint64       unix_time);
char      *gk_cli_credential_process_line (const char *profile_name);

G_END_DECLS
