/* gk-cli-commands.h: the table of subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"

G_BEGIN_DECLS

/* One run function per subcommand, in its own gk-cli-<name>.c. */
int gk_cli_ls_run (GkCli *cli, int argc, char **argv);
int gk_cli_presign_run (GkCli *cli, int argc, char **argv);
int gk_cli_igv_run (GkCli *cli, int argc, char **argv);
int gk_cli_igv_web_run (GkCli *cli, int argc, char **argv);
int gk_cli_chromoscope_run (GkCli *cli, int argc, char **argv);
int gk_cli_profile_run (GkCli *cli, int argc, char **argv);
int gk_cli_login_run (GkCli *cli, int argc, char **argv);
int gk_cli_status_run (GkCli *cli, int argc, char **argv);
int gk_cli_logout_run (GkCli *cli, int argc, char **argv);
int gk_cli_credential_process_run (GkCli *cli, int argc, char **argv);
int gk_cli_env_run (GkCli *cli, int argc, char **argv);

const GkCliCommand *gk_cli_commands_get_all (void);
const GkCliCommand *gk_cli_commands_lookup  (const char *name);

G_END_DECLS
