/* gk-cli-session.h: how commands speak of a sign-in (gk-cli.c opens it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"
#include "gk-session.h"

G_BEGIN_DECLS

char      *gk_cli_format_local_time    (gint64       unix_time);
char      *gk_cli_credential_process_line (const char *profile_name);

G_END_DECLS
