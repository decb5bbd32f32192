/* gk-cli-logout.c: genokey logout [--profile NAME]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-access-key-source.h"
#include "gk-assume-role-source.h"
#include "gk-cli-session.h"
#include "gk-profile-store.h"
#include "gk-sources.h"

/* Asks on the terminal; anything but y/yes is no. */
static gboolean
confirm (const char *question)
{
  char answer[16] = "";

  fprintf (stderr, "%s ", question);
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, _("y")) == 0
         || g_ascii_strcasecmp (answer, "yes") == 0 || g_ascii_strcasecmp (answer, _("yes")) == 0;
}

/* An access key's secret is the only copy Genokey has: deleting it needs
 * a yes (or --yes); a role's credentials are only forgotten; an instance
 * profile keeps nothing. */
static int
logout_source (GkCli          *cli,
               GkProfileStore *store,
               GkProfile      *profile,
               gboolean        yes)
{
  g_autoptr(GkKeyring) keyring = gk_keyring_new ();
  g_autoptr(GkCredentialSource) source = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = gk_profile_get_name (profile);

  source = gk_sources_open_for_profile (store, profile, keyring, &error);
  if (source == NULL)
    return gk_cli_fail (cli, error);

  if (GK_IS_ACCESS_KEY_SOURCE (source))
    {
      if (!yes)
        {
          g_autofree char *question = NULL;

          if (!isatty (STDIN_FILENO))
            return gk_cli_usage_error (cli, _("This deletes the secret access key of profile “%s” from "
                                              "the keyring; it cannot be shown again by AWS. Add --yes to "
                                              "confirm."), name);
          question = g_strdup_printf (_("Delete the secret access key of profile “%s” from the keyring? "
                                        "AWS cannot show it again. [y/N]"), name);
          if (!confirm (question))
            {
              gk_cli_notice (cli, _("Kept the secret access key of profile “%s”."), name);
              return GK_CLI_EXIT_FAILURE;
            }
        }
      gk_access_key_source_delete_secret_async (GK_ACCESS_KEY_SOURCE (source), gk_cli_get_cancellable (cli),
                                                gk_cli_async_ready, cli);
      result = gk_cli_wait (cli);
      if (!gk_access_key_source_delete_secret_finish (GK_ACCESS_KEY_SOURCE (source), result, &error))
        return gk_cli_fail (cli, error);
      printf (_("Deleted the secret access key of profile %s from the keyring.\n"), name);
      return GK_CLI_EXIT_OK;
    }
  if (GK_IS_ASSUME_ROLE_SOURCE (source))
    {
      gk_assume_role_source_forget_async (GK_ASSUME_ROLE_SOURCE (source), gk_cli_get_cancellable (cli),
                                          gk_cli_async_ready, cli);
      result = gk_cli_wait (cli);
      if (!gk_assume_role_source_forget_finish (GK_ASSUME_ROLE_SOURCE (source), result, &error))
        return gk_cli_fail (cli, error);
      printf (_("Forgot the role credentials of profile %s.\n"), name);
      return GK_CLI_EXIT_OK;
    }
  printf (_("Profile %s keeps nothing to sign out of: its credentials come from the instance.\n"), name);
  return GK_CLI_EXIT_OK;
}

int
gk_cli_logout_run (GkCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_name = NULL;
  gboolean yes = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name, N_("The profile to sign out of"), N_("NAME") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Delete an access key's secret without asking"), NULL },
    { NULL }
  };

  context = gk_cli_option_context_new (cli, gk_cli_commands_lookup ("logout"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return gk_cli_usage_error (cli, _("Unexpected argument “%s”."), argv[1]);

  profile = gk_profile_store_resolve (store, profile_name, &error);
  if (profile == NULL)
    return gk_cli_fail (cli, error);
  if (!gk_profile_is_sign_in (profile))
    return logout_source (cli, store, profile, yes);
  session = gk_cli_open_session (cli, gk_profile_get_name (profile), &error);
  if (session == NULL)
    return gk_cli_fail (cli, error);

  gk_session_sign_out_async (session, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_session_sign_out_finish (session, result, &error))
    return gk_cli_fail (cli, error);

  printf (_("Signed out of profile %s.\n"), gk_profile_get_name (gk_session_get_profile (session)));
  return GK_CLI_EXIT_OK;
}
