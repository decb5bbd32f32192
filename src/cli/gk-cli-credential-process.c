/* gk-cli-credential-process.c: genokey credential-process [--profile NAME]
 *
 * The AWS CLI and SDKs run this from `credential_process = genokey
 * credential-process --profile lab` in ~/.aws/config and read the JSON it
 * prints. botocore asks again when less than 15 minutes are left, so the
 * credentials handed out here are renewed first when they have less.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gk-cli-commands.h"

static void
print_credentials (GkCredentials *credentials)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expiration = gk_credentials_format_expiration (credentials);
  char *text;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "AccessKeyId");
  json_builder_add_string_value (builder, gk_credentials_get_access_key_id (credentials));
  json_builder_set_member_name (builder, "SecretAccessKey");
  json_builder_add_string_value (builder, gk_credentials_get_secret_access_key (credentials));
  if (gk_credentials_get_session_token (credentials) != NULL)
    {
      json_builder_set_member_name (builder, "SessionToken");
      json_builder_add_string_value (builder, gk_credentials_get_session_token (credentials));
    }
  if (expiration != NULL)
    {
      json_builder_set_member_name (builder, "Expiration");
      json_builder_add_string_value (builder, expiration);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  printf ("%s\n", text);
  fflush (stdout);
  memset (text, 0, length);
  g_free (text);
}

int
gk_cli_credential_process_run (GkCli    *cli,
                               gpointer  options,
                               int       argc,
                               char    **argv)
{
  GkCredentialSource *source = gk_cli_get_source (cli);
  GkSession *session = gk_cli_get_session (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  const GError *renewal_error = NULL;

  gk_credential_source_get_credentials_async (source,
                                              GK_CREDENTIALS_REFRESH_MARGIN,
                                              gk_cli_get_cancellable (cli),
                                              gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  credentials = gk_credential_source_get_credentials_finish (source, result, &error);
  if (credentials == NULL)
    return gk_cli_fail (cli, error);

  /* Still-valid credentials after a failed renewal: hand them out, and say
   * why they were not renewed. */
  if (session != NULL)
    renewal_error = gk_session_get_renewal_error (session);
  if (renewal_error != NULL)
    gk_cli_notice (cli, _("genokey credential-process: renewal failed, using the current credentials: %s"),
                   renewal_error->message);

  print_credentials (credentials);
  return GK_CLI_EXIT_OK;
}
