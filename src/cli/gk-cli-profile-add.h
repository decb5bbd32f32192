/* gk-cli-profile-add.h: genokey profile add|rotate-key, the profiles
 * whose credentials are not a lab sign-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"

G_BEGIN_DECLS

int   gk_cli_profile_add_run        (GkCli   *cli,
                                     int      argc,
                                     char   **argv);
int   gk_cli_profile_rotate_key_run (GkCli   *cli,
                                     int      argc,
                                     char   **argv);
char *gk_cli_read_secret            (GkCli   *cli,
                                     const char *prompt,
                                     GError **error);

G_END_DECLS
