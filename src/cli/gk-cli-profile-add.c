/* gk-cli-profile-add.c: genokey profile add NAME --source …, and
 * genokey profile rotate-key NAME
 *
 * An access key's secret is read from stdin (one line), or typed at a
 * prompt without echo when stdin is a terminal: never from the command
 * line, where any user sees it in /proc/PID/cmdline, nor from the
 * environment, which child processes inherit. It goes straight to the
 * keyring; the profile file holds only the key ID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "gk-access-key-source.h"
#include "gk-cli-commands.h"
#include "gk-cli-profile-add.h"
#include "gk-profile-store.h"
#include "gk-source-profile.h"

#define MAX_SECRET_LINE 1024

/**
 * gk_cli_read_secret:
 *
 * Returns: (transfer full): the line read (without its line break), to be
 *   freed with gk_keyring_free_secret()-like wiping; %NULL with @error set
 */
char *
gk_cli_read_secret (GkCli       *cli,
                    const char  *prompt,
                    GError     **error)
{
  char line[MAX_SECRET_LINE];
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  gboolean echo_off = FALSE;
  char *got;
  char *secret;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      fflush (stderr);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(ECHO);
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  got = fgets (line, sizeof line, stdin);
  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  if (got == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No secret access key was given: type it at the prompt, or pipe it on "
                             "standard input (one line). It is never taken from the command line."));
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  secret = g_strdup (line);
  memset (line, 0, sizeof line);
  return secret;
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

/* A string that is wiped before it is freed. */
typedef char CharSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CharSecret, wipe_free)

/* Reads the secret and stores it for @profile; nothing is stored when it
 * is not plausible, and a keyring that keeps it only in memory is an error
 * (the secret would be gone when the command ends). */
static gboolean
read_and_store_secret (GkCli      *cli,
                       GkProfile  *profile,
                       GError    **error)
{
  g_autoptr(GkKeyring) keyring = gk_keyring_new ();
  g_autoptr(GkAccessKeySource) source = gk_access_key_source_new (profile, keyring);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *prompt = g_strdup_printf (_("Secret access key for %s: "),
                                             gk_profile_get_access_key_id (profile));
  g_autoptr(CharSecret) secret = gk_cli_read_secret (cli, prompt, error);

  if (secret == NULL)
    return FALSE;
  gk_access_key_source_store_secret_async (source, secret, gk_cli_get_cancellable (cli),
                                           gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_access_key_source_store_secret_finish (source, result, error))
    return FALSE;
  if (gk_keyring_is_memory_only (keyring))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s The secret access key can only be kept in a keyring, so nothing was saved."),
                   gk_keyring_get_memory_only_message (keyring));
      return FALSE;
    }
  return TRUE;
}

int
gk_cli_profile_add_run (GkCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GkKeyring) keyring = NULL;
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CharSecret) secret = NULL;
  g_autoptr(GStrvBuilder) tag_pairs = g_strv_builder_new ();
  g_auto(GStrv) tag_list = NULL;
  g_autofree char *source = NULL, *key_id = NULL, *region = NULL, *endpoint = NULL, *buckets = NULL;
  g_autofree char *role_arn = NULL, *external_id = NULL, *source_profile = NULL, *session_name = NULL;
  g_autofree char *sts_endpoint = NULL, *iam_endpoint = NULL, *source_identity = NULL;
  g_auto(GStrv) tags = NULL;
  int duration = 0;
  gboolean replace = FALSE;
  GkProfileSource kind;
  GkSourceProfileFields fields = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Where the credentials come from: access-key, assume-role or instance-profile"), N_("SOURCE") },
    { "access-key-id", 0, 0, G_OPTION_ARG_STRING, &key_id, N_("The IAM user's access key ID (access-key; the secret is read from standard input)"), N_("ID") },
    { "role-arn", 0, 0, G_OPTION_ARG_STRING, &role_arn, N_("The role to assume (assume-role)"), N_("ARN") },
    { "external-id", 0, 0, G_OPTION_ARG_STRING, &external_id, N_("The external ID the role's owner gave (assume-role)"), N_("ID") },
    { "source-profile", 0, 0, G_OPTION_ARG_STRING, &source_profile, N_("The profile whose credentials assume the role (assume-role)"), N_("NAME") },
    { "duration-seconds", 0, 0, G_OPTION_ARG_INT, &duration, N_("How long the role's credentials last, 900–43200 (assume-role; default 3600)"), N_("N") },
    { "role-session-name", 0, 0, G_OPTION_ARG_STRING, &session_name, N_("The role session's name (assume-role; default: your user name)"), N_("NAME") },
    { "tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, N_("A session tag (assume-role; repeatable)"), N_("KEY=VALUE") },
    { "source-identity", 0, 0, G_OPTION_ARG_STRING, &source_identity, N_("The source identity to set (assume-role)"), N_("NAME") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region, N_("The AWS region (default us-east-1)"), N_("REGION") },
    { "endpoint-url", 0, 0, G_OPTION_ARG_STRING, &endpoint, N_("An S3-compatible endpoint (path-style)"), N_("URL") },
    { "sts-endpoint", 0, 0, G_OPTION_ARG_STRING, &sts_endpoint, N_("STS's endpoint (assume-role)"), N_("URL") },
    { "iam-endpoint", 0, 0, G_OPTION_ARG_STRING, &iam_endpoint, N_("IAM's endpoint, asked for the key's age (access-key)"), N_("URL") },
    { "buckets", 0, 0, G_OPTION_ARG_STRING, &buckets, N_("The buckets to browse, separated by commas"), N_("A,B") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, N_("Replace a profile of the same name"), NULL },
    { NULL }
  };
  const GkCliCommand command = {
    .name = "profile add", .parameters = "NAME --source SOURCE",
    .summary = N_("Add a profile whose credentials come from an access key, a role or the instance profile"),
  };

  context = gk_cli_option_context_new (cli, &command);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage_error (cli, _("Give the new profile's name."));
  if (source == NULL)
    return gk_cli_usage_error (cli, _("Say where the credentials come from: --source access-key, "
                                      "assume-role or instance-profile (a lab sign-in is added with "
                                      "“genokey profile import”)."));
  if (!gk_profile_source_from_string (source, &kind) || kind == GK_PROFILE_SOURCE_COGNITO)
    return gk_cli_usage_error (cli, _("“%s” is not a source; use access-key, assume-role or instance-profile."),
                               source);
  if (kind != GK_PROFILE_SOURCE_ACCESS_KEY && (key_id != NULL || iam_endpoint != NULL))
    return gk_cli_usage_error (cli, _("--access-key-id and --iam-endpoint are for --source access-key."));
  if (kind != GK_PROFILE_SOURCE_ASSUME_ROLE
      && (role_arn || external_id || source_profile || duration || session_name || tags || source_identity || sts_endpoint))
    return gk_cli_usage_error (cli, _("--role-arn, --external-id, --source-profile, --duration-seconds, "
                                      "--role-session-name, --tag, --source-identity and --sts-endpoint "
                                      "are for --source assume-role."));
  if (kind == GK_PROFILE_SOURCE_ACCESS_KEY && key_id == NULL)
    return gk_cli_usage_error (cli, _("--source access-key needs --access-key-id ID (the secret is then "
                                      "read from standard input)."));
  if (kind == GK_PROFILE_SOURCE_ASSUME_ROLE && (role_arn == NULL || source_profile == NULL))
    return gk_cli_usage_error (cli, _("--source assume-role needs --role-arn ARN and --source-profile NAME."));
  if (duration < 0)
    return gk_cli_usage_error (cli, _("--duration-seconds takes a number of seconds, 900 to 43200."));
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      const char *eq = strchr (tags[i], '=');
      g_autofree char *key = eq != NULL ? g_strndup (tags[i], eq - tags[i]) : NULL;

      if (eq == NULL)
        return gk_cli_usage_error (cli, _("--tag needs KEY=VALUE, not “%s”."), tags[i]);
      g_strv_builder_add_many (tag_pairs, key, eq + 1, NULL);
    }
  tag_list = g_strv_builder_end (tag_pairs);

  fields.source = kind;
  fields.access_key_id = key_id;
  fields.iam_endpoint = iam_endpoint;
  fields.role_arn = role_arn;
  fields.external_id = external_id;
  fields.source_profile = source_profile;
  fields.duration_seconds = duration > 0 ? (guint) duration : 0;
  fields.role_session_name = session_name;
  fields.tags = (const char * const *) tag_list;
  fields.source_identity = source_identity;
  fields.sts_endpoint = sts_endpoint;
  fields.region = region;
  fields.endpoint_url = endpoint;
  fields.buckets = buckets;

  profile = gk_source_profile_build (argv[1], &fields, &error);
  if (profile == NULL)
    return gk_cli_fail (cli, error);
  /* Asked before the secret is read: a taken name needs no secret. */
  if (!replace)
    {
      g_autoptr(GkProfile) existing = gk_profile_store_load (store, argv[1], NULL);

      if (existing != NULL)
        return gk_cli_usage_error (cli, _("A profile named “%s” exists already. Choose another name, or add --replace."),
                                   argv[1]);
    }
  if (kind == GK_PROFILE_SOURCE_ACCESS_KEY)
    {
      g_autofree char *prompt = g_strdup_printf (_("Secret access key for %s: "), key_id);

      secret = gk_cli_read_secret (cli, prompt, &error);
      if (secret == NULL)
        return gk_cli_fail (cli, error);
    }

  keyring = gk_keyring_new ();
  gk_source_profile_add_async (store, keyring, profile, secret,
                               GK_SOURCE_PROFILE_ADD_LASTING_SECRET
                               | (replace ? GK_SOURCE_PROFILE_ADD_REPLACE : 0),
                               gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_source_profile_add_finish (result, &error))
    return gk_cli_fail (cli, error);

  printf ("%s\n", gk_profile_get_name (profile));
  gk_cli_notice (cli, _("Added profile “%s”. Try it with “genokey ls --profile %s”."),
                 gk_profile_get_name (profile), gk_profile_get_name (profile));
  return GK_CLI_EXIT_OK;
}

int
gk_cli_profile_rotate_key_run (GkCli  *cli,
                               int     argc,
                               char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GkProfile) updated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_id = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "access-key-id", 0, 0, G_OPTION_ARG_STRING, &key_id, N_("The new key's ID, when the key itself changed"), N_("ID") },
    { NULL }
  };
  const GkCliCommand command = {
    .name = "profile rotate-key", .parameters = "NAME",
    .summary = N_("Replace an access-key profile's secret (read from standard input)"),
  };

  context = gk_cli_option_context_new (cli, &command);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage_error (cli, _("Give the name of the access-key profile."));

  profile = gk_profile_store_load (store, argv[1], &error);
  if (profile == NULL)
    return gk_cli_fail (cli, error);
  if (gk_profile_get_source (profile) != GK_PROFILE_SOURCE_ACCESS_KEY)
    return gk_cli_usage_error (cli, _("Profile “%s” has no access key to rotate (its source is %s)."),
                               argv[1], gk_profile_source_to_string (gk_profile_get_source (profile)));
  if (key_id != NULL)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      JsonObject *old = gk_profile_to_json (profile);
      g_autoptr(GList) members = json_object_get_members (old);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data, json_node_copy (json_object_get_member (old, l->data)));
      json_object_unref (old);
      json_object_set_string_member (object, "access_key_id", key_id);
      updated = gk_profile_new_from_json (object, argv[1], &error);
      if (updated == NULL)
        return gk_cli_fail (cli, error);
    }
  if (!read_and_store_secret (cli, updated != NULL ? updated : profile, &error))
    return gk_cli_fail (cli, error);
  if (updated != NULL && !gk_profile_store_save (store, updated, TRUE, &error))
    return gk_cli_fail (cli, error);

  gk_cli_notice (cli, _("Stored the new secret access key of profile “%s” in the keyring."), argv[1]);
  return GK_CLI_EXIT_OK;
}
