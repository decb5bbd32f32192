/* gk-cli-logout.c: genokey logout [--profile NAME]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-cli-session.h"

int
gk_cli_logout_run (GkCli    *cli,
                   gpointer  options,
                   int       argc,
                   char    **argv)
{
  GkSession *session = gk_cli_get_session (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_session_sign_out_async (session, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_session_sign_out_finish (session, result, &error))
    return gk_cli_fail (cli, error);

  printf (_("Signed out of profile %s.\n"), gk_profile_get_name (gk_session_get_profile (session)));
  return GK_CLI_EXIT_OK;
}
