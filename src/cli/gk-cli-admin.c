/* gk-cli-admin.c: genokey admin cors|policy|igv-config|cognito
 *
 * What a lab's admin sets, written from what Genokey knows
 * (gk-lab-admin.h): documents on stdout, ready for the `aws` command that
 * applies them, which goes to stderr with what to mind; igv-config writes
 * files. Nothing here talks to AWS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-lab-admin.h"
#include "gk-profile-export.h"
#include "gk-profile-store.h"

typedef struct
{
  char *profile;
  char **buckets;
  char **origins;
  char *prefix;
  char *write_prefix;
  char *output;
} AdminOptions;

static void
admin_options_clear (AdminOptions *o)
{
  g_free (o->profile);
  g_strfreev (o->buckets);
  g_strfreev (o->origins);
  g_free (o->prefix);
  g_free (o->write_prefix);
  g_free (o->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AdminOptions, admin_options_clear)

static int
check_buckets (GkCli  *cli,
               char  **buckets)
{
  if (buckets == NULL || buckets[0] == NULL)
    return gk_cli_usage_error (cli, _("Name the bucket with --bucket BUCKET."));
  for (guint i = 0; buckets[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!gk_s3_bucket_name_is_valid (buckets[i], &error))
        return gk_cli_usage_error (cli, "%s", error->message);
    }
  return GK_CLI_EXIT_OK;
}

static int
admin_cors (GkCli        *cli,
            AdminOptions *o)
{
  g_auto(GStrv) configured = NULL;
  g_auto(GStrv) extra = NULL;
  g_auto(GStrv) origins = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *json = NULL;
  g_autofree char *quoted = NULL;
  guint16 port;
  int status;

  if ((status = check_buckets (cli, o->buckets)) != GK_CLI_EXIT_OK)
    return status;
  if (o->buckets[1] != NULL)
    return gk_cli_usage_error (cli, _("Give one --bucket: each bucket gets its own command."));
  for (guint i = 0; o->origins != NULL && o->origins[i] != NULL; i++)
    if (!g_str_has_prefix (o->origins[i], "https://") && !g_str_has_prefix (o->origins[i], "http://"))
      return gk_cli_usage_error (cli, _("“%s” is not an origin: write it as https://host[:port]."),
                                 o->origins[i]);

  /* The viewers, the gateway's allow-list (web pages that read lab data),
   * then --origin. */
  configured = gk_cli_gateway_settings (&port);
  g_strv_builder_addv (builder, (const char **) configured);
  if (o->origins != NULL)
    g_strv_builder_addv (builder, (const char **) o->origins);
  extra = g_strv_builder_end (builder);
  origins = gk_lab_admin_viewer_origins ((const char * const *) extra);
  json = gk_lab_admin_cors_configuration ((const char * const *) origins);
  quoted = g_shell_quote (o->buckets[0]);

  fputs (json, stdout);
  gk_cli_notice (cli, _("Save it as cors.json and apply it with:\n"
                        "  aws s3api put-bucket-cors --bucket %s --cors-configuration file://cors.json\n"
                        "This replaces the bucket’s CORS rules: keep any others that “aws s3api "
                        "get-bucket-cors --bucket %s” shows by adding them to CORSRules."),
                 quoted, quoted);
  return GK_CLI_EXIT_OK;
}

static int
admin_policy (GkCli        *cli,
              AdminOptions *o)
{
  g_autoptr(GArray) read = g_array_new (FALSE, TRUE, sizeof (GkLabLocation));
  g_autoptr(GArray) write = g_array_new (FALSE, TRUE, sizeof (GkLabLocation));
  const char *write_prefix = o->write_prefix;
  g_autofree char *policy = NULL;
  int status;

  if ((status = check_buckets (cli, o->buckets)) != GK_CLI_EXIT_OK)
    return status;
  if (write_prefix == NULL)
    write_prefix = GK_LAB_ADMIN_DEFAULT_WRITE_PREFIX;
  for (guint i = 0; o->buckets[i] != NULL; i++)
    {
      GkLabLocation r = { o->buckets[i], o->prefix };

      g_array_append_val (read, r);
    }
  /* Configs go to one place: the first bucket's write prefix. */
  {
    GkLabLocation w = { o->buckets[0], write_prefix };

    g_array_append_val (write, w);
  }
  policy = gk_lab_admin_role_policy ((GkLabLocation *) (gpointer) read->data, read->len,
                                     (GkLabLocation *) (gpointer) write->data, write->len);
  fputs (policy, stdout);
  gk_cli_notice (cli, _("Save it as policy.json and put it on the identity pool’s authenticated role:\n"
                        "  aws iam put-role-policy --role-name ROLE --policy-name %s --policy-document file://policy.json\n"
                        "then take off the role the broader policies that “aws iam "
                        "list-attached-role-policies --role-name ROLE” lists. Chromoscope configs "
                        "may be written only under s3://%s/%s: set “chromoscope_prefix” to that in "
                        "the profile, and “buckets” to the buckets above, since the role may not "
                        "list the account’s."),
                 GK_LAB_ADMIN_POLICY_NAME, o->buckets[0], write_prefix);
  return GK_CLI_EXIT_OK;
}

static GkProfile *
resolve_profile (GkCli        *cli,
                 AdminOptions *o,
                 GError      **error)
{
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);

  return gk_profile_store_resolve (store, o->profile, error);
}

static int
admin_igv_config (GkCli        *cli,
                  AdminOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = resolve_profile (cli, o, &error);
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *gzip = NULL;
  g_autoptr(GBytes) packed = NULL;
  const char *dir = o->output != NULL ? o->output : ".";
  gboolean secret_left_out = FALSE;

  if (profile == NULL)
    return gk_cli_fail (cli, error);
  text = gk_profile_export_igv_config (profile, &secret_left_out, &error);
  if (text == NULL)
    return gk_cli_fail (cli, error);
  packed = gk_profile_export_gzip (text);
  plain = g_build_filename (dir, "oauth-config.json", NULL);
  gzip = g_build_filename (dir, "oauth-config.json.gz", NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0 ||
      !g_file_set_contents (plain, text, -1, &error) ||
      !g_file_set_contents (gzip, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed), &error))
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errno),
                             _("Could not make the folder “%s”: %s"), dir, g_strerror (errno));
      return gk_cli_fail (cli, error);
    }
  printf ("%s\n%s\n", plain, gzip);
  gk_cli_notice (cli, _("Colleagues import either file in Genokey (genokey profile import FILE|URL) "
                        "or give it to IGV as its OAuth configuration; host the .gz file where a "
                        "provisioning URL can reach it."));
  if (secret_left_out)
    gk_cli_notice (cli, _("The profile’s client secret was left out: a desktop app cannot keep "
                          "one. “genokey admin cognito” prints the public app client to make."));
  if (gk_profile_get_role_arn (profile) == NULL)
    gk_cli_notice (cli, _("IGV signs in by itself only with the basic flow: add "
                          "“aws_cognito_role_arn” (the authenticated role) for IGV to use this "
                          "file. Genokey uses it as it is."));
  return GK_CLI_EXIT_OK;
}

static int
admin_cognito (GkCli        *cli,
               AdminOptions *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = resolve_profile (cli, o, &error);
  g_autofree char *json = NULL;
  g_autofree char *region = NULL;
  gboolean create = FALSE;

  if (profile == NULL)
    return gk_cli_fail (cli, error);
  if (!gk_profile_is_sign_in (profile))
    {
      g_set_error (&error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID,
                   _("Profile “%s” gets its credentials from %s, not from a lab sign-in: it has no "
                     "app client."),
                   gk_profile_get_name (profile),
                   gk_profile_source_to_string (gk_profile_get_source (profile)));
      return gk_cli_fail (cli, error);
    }
  json = gk_lab_admin_app_client (profile, &create);
  region = g_shell_quote (gk_profile_get_region (profile));
  fputs (json, stdout);
  if (create)
    gk_cli_notice (cli, _("The profile’s app client has a secret, which a desktop app cannot keep. "
                          "Save this as client.json and make a public client with:\n"
                          "  aws cognito-idp create-user-pool-client --region %s --cli-input-json file://client.json\n"
                          "then put its ClientId in the profile as “client_id”."), region);
  else
    gk_cli_notice (cli, _("Save it as client.json and apply it with:\n"
                          "  aws cognito-idp update-user-pool-client --region %s --cli-input-json file://client.json\n"
                          "update-user-pool-client resets every setting it is not given: these "
                          "are all that Genokey and IGV need; add the lab’s own identity providers "
                          "to SupportedIdentityProviders."), region);
  return GK_CLI_EXIT_OK;
}

int
gk_cli_admin_run (GkCli    *cli,
                  gpointer  options,
                  int       argc,
                  char    **argv)
{
  g_auto(AdminOptions) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  const char *action;
  int status;
  const GOptionEntry entries[] = {
    { "bucket", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &o.buckets,
      N_("The bucket (cors, policy; repeat for several in a policy)"), N_("BUCKET") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &o.prefix,
      N_("Lab members read only under this prefix (policy)"), N_("PREFIX") },
    { "write-prefix", 0, 0, G_OPTION_ARG_STRING, &o.write_prefix,
      N_("Where Chromoscope configs are written (policy; default chromoscope/)"), N_("PREFIX") },
    { "origin", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.origins,
      N_("Another web page that reads the files, such as a lab’s own IGV-Web (cors)"), N_("ORIGIN") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &o.profile,
      N_("The profile to write from (igv-config, cognito; default: the only one, or the one used last)"),
      N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      N_("The folder for oauth-config.json and oauth-config.json.gz (igv-config; default: here)"),
      N_("DIR") },
    { NULL }
  };
  const GkCliCommand command = {
    .name = "admin", .parameters = "cors|policy|igv-config|cognito",
    .summary = N_("Print what the lab’s admin sets: bucket CORS, the role’s policy, IGV’s "
                  "oauth-config.json, the app client"),
  };

  context = gk_cli_option_context_new (cli, &command);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage_error (cli, _("Give one action: cors, policy, igv-config or cognito."));
  action = argv[1];
  if (g_str_equal (action, "cors"))
    return admin_cors (cli, &o);
  if (g_str_equal (action, "policy"))
    return admin_policy (cli, &o);
  if (g_str_equal (action, "igv-config"))
    return admin_igv_config (cli, &o);
  if (g_str_equal (action, "cognito"))
    return admin_cognito (cli, &o);
  return gk_cli_usage_error (cli, _("“%s” is not an admin action: use cors, policy, igv-config or "
                                    "cognito."), action);
}
