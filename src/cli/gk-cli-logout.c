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
#include "gk-cli-gateway.h"
#include "gk-cli-session.h"

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
logout_source (GkCli    *cli,
               gboolean  yes)
{
  GkCredentialSource *source = gk_cli_get_source (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = gk_profile_get_name (gk_cli_get_profile (cli));

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

void
gk_cli_logout_add_options (GOptionContext *context,
                           gpointer        options)
{
  GkCliLogoutOptions *o = options;
  const GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &o->yes, N_("Delete an access key's secret without asking"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

int
gk_cli_logout_run (GkCli    *cli,
                   gpointer  options,
                   int       argc,
                   char    **argv)
{
  GkCliLogoutOptions *o = options;
  GkSession *session = gk_cli_get_session (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (session == NULL)
    {
      int status = logout_source (cli, o->yes);

      if (status == GK_CLI_EXIT_OK)
        gk_cli_gateway_forget (cli, gk_profile_get_name (gk_cli_get_profile (cli)));
      return status;
    }
  /* This process reads the sign-in from the keyring; with the keyring out
   * of reach it sees none, and "signing out" of that would revoke nothing
   * and delete nothing while the refresh token stays stored. */
  if (gk_keyring_is_memory_only (gk_session_get_keyring (session)))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("The keyring cannot be reached, so the sign-in of profile “%s” may still be "
                     "stored in it: it was neither revoked nor deleted. Unlock the keyring (or "
                     "start it), then sign out again."),
                   gk_profile_get_name (gk_session_get_profile (session)));
      return gk_cli_fail (cli, error);
    }
  gk_session_sign_out_async (session, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_session_sign_out_finish (session, result, &error))
    return gk_cli_fail (cli, error);
  /* The keyring no longer holds the gateway's secret; a running gateway
   * drops its copy now, so every gateway link of the profile stops. */
  gk_cli_gateway_forget (cli, gk_profile_get_name (gk_session_get_profile (session)));

  printf (_("Signed out of profile %s.\n"), gk_profile_get_name (gk_session_get_profile (session)));
  return GK_CLI_EXIT_OK;
}
