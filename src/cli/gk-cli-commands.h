/* gk-cli-commands.h: the table of subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"

G_BEGIN_DECLS

const GkCliCommand *gk_cli_commands_get_all (void);
const GkCliCommand *gk_cli_commands_lookup  (const char *name);

G_END_DECLS
