/* gk-cli-env.c: genokey env [--profile NAME]
 *
 * Prints `export AWS_…=…` lines for a shell: eval "$(genokey env)".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "gk-cli-commands.h"
#include "gk-cli-session.h"

static void
print_export (const char *name,
              const char *value)
{
  g_autofree char *quoted = g_shell_quote (value);

  printf ("export %s=%s\n", name, quoted);
  memset (quoted, 0, strlen (quoted));
}

int
gk_cli_env_check (GkCli    *cli,
                  gpointer  options,
                  int       argc,
                  char    **argv)
{
  if (argc != 1)
    return gk_cli_usage_error (cli, _("Unexpected argument “%s”."), argv[1]);
  if (g_strcmp0 (gk_cli_get_profile_name (cli), GK_CLI_PROFILE_ENV) == 0)
    return gk_cli_usage_error (cli, _("“genokey env” prints a profile's credentials as AWS variables; "
                                      "with --profile env they are already there."));
  return GK_CLI_EXIT_OK;
}

int
gk_cli_env_run (GkCli    *cli,
                gpointer  options,
                int       argc,
                char    **argv)
{
  GkCredentialSource *source = gk_cli_get_source (cli);
  GkProfile *profile = gk_cli_get_profile (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expiration = NULL;

  gk_credential_source_get_credentials_async (source, GK_CREDENTIALS_REFRESH_MARGIN,
                                              gk_cli_get_cancellable (cli),
                                              gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  credentials = gk_credential_source_get_credentials_finish (source, result, &error);
  if (credentials == NULL)
    return gk_cli_fail (cli, error);

  print_export ("AWS_ACCESS_KEY_ID", gk_credentials_get_access_key_id (credentials));
  print_export ("AWS_SECRET_ACCESS_KEY", gk_credentials_get_secret_access_key (credentials));
  if (gk_credentials_get_session_token (credentials) != NULL)
    print_export ("AWS_SESSION_TOKEN", gk_credentials_get_session_token (credentials));
  expiration = gk_credentials_format_expiration (credentials);
  if (expiration != NULL)
    print_export ("AWS_CREDENTIAL_EXPIRATION", expiration);
  print_export ("AWS_REGION", gk_profile_get_region (profile));
  if (gk_profile_get_s3_endpoint (profile) != NULL)
    print_export ("AWS_ENDPOINT_URL_S3", gk_profile_get_s3_endpoint (profile));
  fflush (stdout);

  if (expiration != NULL)
    {
      g_autofree char *until = gk_cli_format_local_time (gk_credentials_get_expiration (credentials));
      g_autofree char *line = gk_cli_credential_process_line (gk_profile_get_name (profile));

      /* Translators: the second %s is a line of ~/.aws/config, kept as is */
      gk_cli_notice (cli, _("These credentials stop working at %s; run “genokey env” again then, "
                            "or use “%s” in ~/.aws/config."),
                     until, line);
    }
  return GK_CLI_EXIT_OK;
}
