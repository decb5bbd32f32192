/* gk-cli-profile.c: genokey profile import|list|show|remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-cli-profile-add.h"
#include "gk-profile-store.h"

static int
profile_import (GkCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gboolean replace = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("Name of the new profile"), N_("NAME") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, N_("Replace a profile of the same name"), NULL },
    { NULL }
  };
  const GkCliCommand command = {
    .name = "profile import", .parameters = "FILE|URL",
    .summary = N_("Import the lab’s IGV oauth-config.json (file or provisioning URL, plain or gzip)"),
  };

  context = gk_cli_option_context_new (cli, &command);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage_error (cli, _("Give exactly one file or URL to import."));

  gk_profile_store_import_async (store, argv[1], name, replace, gk_cli_get_cancellable (cli),
                                 gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  profiles = gk_profile_store_import_finish (store, result, &error);
  if (profiles == NULL)
    return gk_cli_fail (cli, error);

  for (guint i = 0; i < profiles->len; i++)
    printf ("%s\n", gk_profile_get_name (profiles->pdata[i]));
  gk_cli_notice (cli, g_dngettext (GETTEXT_PACKAGE, "Imported %u profile. Sign in with “genokey login --profile %s”.",
                                   "Imported %u profiles. Sign in with “genokey login --profile %s”.",
                                   profiles->len),
                 profiles->len, gk_profile_get_name (profiles->pdata[0]));
  return GK_CLI_EXIT_OK;
}

static int
profile_list (GkCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  const GkCliCommand command = { .name = "profile list", .summary = N_("List the profiles") };

  context = gk_cli_option_context_new (cli, &command);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return gk_cli_usage_error (cli, _("“profile list” takes no arguments."));

  profiles = gk_profile_store_list (store, &error);
  if (profiles == NULL)
    return gk_cli_fail (cli, error);
  last = gk_profile_store_dup_last_used (store);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < profiles->len; i++)
        {
          GkProfile *p = profiles->pdata[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, gk_profile_get_name (p));
          json_builder_set_member_name (builder, "region");
          json_builder_add_string_value (builder, gk_profile_get_region (p));
          json_builder_set_member_name (builder, "last_used");
          json_builder_add_boolean_value (builder, g_strcmp0 (last, gk_profile_get_name (p)) == 0);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
      return GK_CLI_EXIT_OK;
    }

  if (profiles->len == 0)
    gk_cli_notice (cli, _("No profiles yet. Import your lab’s configuration with “genokey profile import FILE|URL”."));
  for (guint i = 0; i < profiles->len; i++)
    {
      GkProfile *p = profiles->pdata[i];

      printf ("%s%s\t%s\n", gk_profile_get_name (p),
              g_strcmp0 (last, gk_profile_get_name (p)) == 0 ? " *" : "",
              gk_profile_get_region (p));
    }
  return GK_CLI_EXIT_OK;
}

static void
add_member (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static int
profile_show (GkCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GkProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *logins_key = NULL;
  const char * const *buckets;
  int status;
  const GkCliCommand command = {
    .name = "profile show", .parameters = "[NAME]",
    .summary = N_("Show a profile’s effective settings (defaults filled in)"),
  };

  context = gk_cli_option_context_new (cli, &command);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc > 2)
    return gk_cli_usage_error (cli, _("Give at most one profile name."));

  p = gk_profile_store_resolve (store, argc == 2 ? argv[1] : NULL, &error);
  if (p == NULL)
    return gk_cli_fail (cli, error);
  logins_key = gk_profile_dup_logins_key (p);

  /* The effective values, as JSON in the profile's own key names; the
   * client secret is only said to be there. */
  json_builder_begin_object (builder);
  add_member (builder, "name", gk_profile_get_name (p));
  add_member (builder, "client_id", gk_profile_get_client_id (p));
  add_member (builder, "client_secret", gk_profile_get_client_secret (p) ? "(set)" : NULL);
  add_member (builder, "authorization_endpoint", gk_profile_get_authorization_endpoint (p));
  add_member (builder, "token_endpoint", gk_profile_get_token_endpoint (p));
  add_member (builder, "revocation_endpoint", gk_profile_get_revocation_endpoint (p));
  add_member (builder, "logout_endpoint", gk_profile_get_logout_endpoint (p));
  add_member (builder, "userinfo_endpoint", gk_profile_get_userinfo_endpoint (p));
  add_member (builder, "scope", gk_profile_get_scope (p));
  add_member (builder, "redirect_uri", gk_profile_get_redirect_uri (p));
  add_member (builder, "aws_region", gk_profile_get_region (p));
  add_member (builder, "aws_cognito_pool_id", gk_profile_get_user_pool_id (p));
  add_member (builder, "aws_cognito_fed_pool_id", gk_profile_get_identity_pool_id (p));
  add_member (builder, "aws_cognito_role_arn", gk_profile_get_role_arn (p));
  add_member (builder, "issuer", gk_profile_get_issuer (p));
  add_member (builder, "logins_key", logins_key);
  add_member (builder, "jwks_uri", gk_profile_get_jwks_uri (p));
  add_member (builder, "cognito_identity_endpoint", gk_profile_get_cognito_identity_endpoint (p));
  add_member (builder, "sts_endpoint", gk_profile_get_sts_endpoint (p));
  add_member (builder, "endpoint_url", gk_profile_get_s3_endpoint (p));
  add_member (builder, "flow", gk_profile_get_flow (p) == GK_PROFILE_FLOW_BASIC ? "basic" : "enhanced");
  json_builder_set_member_name (builder, "duration_seconds");
  json_builder_add_int_value (builder, gk_profile_get_duration_seconds (p));
  json_builder_set_member_name (builder, "buckets");
  buckets = gk_profile_get_buckets (p);
  if (buckets == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_array (builder);
      for (guint i = 0; buckets[i] != NULL; i++)
        json_builder_add_string_value (builder, buckets[i]);
      json_builder_end_array (builder);
    }
  add_member (builder, "chromoscope_prefix", gk_profile_get_chromoscope_prefix (p));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  return GK_CLI_EXIT_OK;
}

static int
profile_remove (GkCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GError) error = NULL;
  int status;
  const GkCliCommand command = {
    .name = "profile remove", .parameters = "NAME",
    .summary = N_("Remove a profile (sign out first to also revoke its sign-in)"),
  };

  context = gk_cli_option_context_new (cli, &command);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage_error (cli, _("Give the name of the profile to remove."));

  if (!gk_profile_store_remove (store, argv[1], &error))
    return gk_cli_fail (cli, error);
  gk_cli_notice (cli, _("Removed profile “%s”."), argv[1]);
  return GK_CLI_EXIT_OK;
}

/**
 * gk_cli_profile_run:
 *
 * `genokey profile ACTION …`
 */
int
gk_cli_profile_run (GkCli    *cli,
                    gpointer  options,
                    int       argc,
                    char    **argv)
{
  static const struct
  {
    const char *name;
    int (*run) (GkCli *cli, int argc, char **argv);
  } actions[] = {
    { "import", profile_import },
    { "add", gk_cli_profile_add_run },
    { "rotate-key", gk_cli_profile_rotate_key_run },
    { "list", profile_list },
    { "show", profile_show },
    { "remove", profile_remove },
  };

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *out = argc < 2 ? stderr : stdout;

      fprintf (out, "%s\n  genokey profile import FILE|URL [--name NAME] [--replace]\n"
                    "  genokey profile add NAME --source access-key|assume-role|instance-profile …\n"
                    "  genokey profile rotate-key NAME\n"
                    "  genokey profile list [--json]\n  genokey profile show [NAME]\n"
                    "  genokey profile remove NAME\n", _("Usage:"));
      return argc < 2 ? GK_CLI_EXIT_USAGE : GK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (argv[1], actions[i].name))
      return actions[i].run (cli, argc - 1, argv + 1);

  return gk_cli_usage_error (cli, _("“%s” is not a profile action; use import, add, rotate-key, list, show or remove."),
                             argv[1]);
}
