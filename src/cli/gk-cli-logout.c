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
gk_cli_logout_run (GkCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_name = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name, N_("The profile to sign out of"), N_("NAME") },
    { NULL }
  };

  context = gk_cli_option_context_new (cli, gk_cli_commands_lookup ("logout"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return gk_cli_usage_error (cli, _("Unexpected argument “%s”."), argv[1]);

  session = gk_cli_open_session (cli, profile_name, &error);
  if (session == NULL)
    return gk_cli_fail (cli, error);

  gk_session_sign_out_async (session, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_session_sign_out_finish (session, result, &error))
    return gk_cli_fail (cli, error);

  printf (_("Signed out of profile %s.\n"), gk_profile_get_name (gk_session_get_profile (session)));
  return GK_CLI_EXIT_OK;
}
