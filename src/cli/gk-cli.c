/* gk-cli.c: the command line's entry, and what every command shares —
 * options, opening the profile, its sign-in or the environment's
 * credentials as the command table asks, and how errors are told
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "gk-cli.h"
#include "gk-env-credentials.h"

struct _GkCli
{
  const GkCliCommand *command;
  GCancellable *cancellable;
  GAsyncResult *result;

  char *profile_name;          /* --profile, as given */
  GkAccount *account;          /* for a profile: the store, keyring, sign-in */
  GkProfile *profile;          /* NULL with --profile env */
  GkCredentialSource *source;
  GkS3Client *client;          /* made on first use */
  /* Run before any message on stderr: a progress line wipes itself. */
  GFunc message_hook;
  gpointer message_hook_data;
};

static void
before_message (GkCli *cli)
{
  if (cli->message_hook != NULL)
    cli->message_hook (cli->message_hook_data, NULL);
}

/* The window is opened only when nothing but GApplication's own D-Bus
 * activation flag is given; everything else is the command line, which must
 * never need a display or a session bus (credential_process runs in cron jobs
 * and CI runners). */
gboolean
gk_cli_handles_command_line (int    argc,
                             char **argv)
{
  if (argc < 2)
    return FALSE;
  if (argc == 2 && g_str_equal (argv[1], "--gapplication-service"))
    return FALSE;
  return TRUE;
}

static void
print_help (FILE               *out,
            const GkCliCommand *commands)
{
  const GkCliCommand *c;

  fprintf (out, "%s\n  genokey                       %s\n  genokey COMMAND [OPTION…]     %s\n\n",
           _("Usage:"), _("Open the Genokey window"), _("Run a command"));
  fprintf (out, "%s\n", _("Commands:"));
  for (c = commands; c->name != NULL; c++)
    {
      g_autofree char *left = c->parameters
        ? g_strdup_printf ("%s %s", c->name, c->parameters) : g_strdup (c->name);

      /* Pad by characters, not bytes ("…" is three bytes); a long
       * synopsis gets the summary on its own line. */
      glong width = g_utf8_strlen (left, -1);

      if (width > 28)
        fprintf (out, "  %s\n  %28s %s\n", left, "", _(c->summary));
      else
        fprintf (out, "  %s%*s %s\n", left, (int) (28 - width), "", _(c->summary));
    }
  fprintf (out, "\n%s\n  -h, --help     %s\n  -V, --version  %s\n\n%s\n",
           _("Options:"), _("Show this help"), _("Show the version"),
           _("Run “genokey COMMAND --help” for the options of a command."));
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  GkCli *cli = user_data;

  g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

/* The profile named by --profile (or the default one) and its sign-in, read
 * from the keyring; no network, no browser. Says so on stderr when only
 * memory can be used. */
static gboolean
open_account (GkCli   *cli,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cli->account = gk_account_new (NULL, NULL);
  gk_account_open_async (cli->account, cli->profile_name, cli->cancellable, gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_account_open_finish (cli->account, result, error))
    return FALSE;
  cli->profile = g_object_ref (gk_account_get_profile (cli->account));
  cli->source = g_object_ref (gk_account_get_source (cli->account));
  /* Without a reachable keyring nothing of this run outlives it, and no
   * sign-in stored earlier can be read: the user must know. */
  if (gk_account_get_keyring (cli->account) != NULL
      && gk_keyring_is_memory_only (gk_account_get_keyring (cli->account)))
    gk_cli_notice (cli, "%s", gk_keyring_get_memory_only_message (gk_account_get_keyring (cli->account)));
  return TRUE;
}

/* Opens what the command's row asks for. */
static gboolean
open_needs (GkCli   *cli,
            GError **error)
{
  switch (cli->command->needs)
    {
    case GK_CLI_NEEDS_PROFILE:
      return open_account (cli, error);

    case GK_CLI_NEEDS_CREDENTIALS:
      if (g_strcmp0 (cli->profile_name, GK_CLI_PROFILE_ENV) == 0)
        {
          GkEnvCredentials *env = gk_env_credentials_new (NULL, error);

          cli->source = env != NULL ? GK_CREDENTIAL_SOURCE (env) : NULL;
          return cli->source != NULL;
        }
      return open_account (cli, error);

    case GK_CLI_NEEDS_SESSION:
      if (!open_account (cli, error))
        return FALSE;
      if (gk_account_get_session (cli->account) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Profile “%s” gets its credentials from %s, not from a lab sign-in: there is "
                         "nothing to sign in to. Use it directly, such as “genokey ls --profile %s”."),
                       gk_profile_get_name (cli->profile),
                       gk_profile_source_to_string (gk_profile_get_source (cli->profile)),
                       gk_profile_get_name (cli->profile));
          return FALSE;
        }
      return TRUE;

    case GK_CLI_NEEDS_NOTHING:
    default:
      return TRUE;
    }
}

static int
parse_check_open_run (GkCli  *cli,
                      int     argc,
                      char  **argv)
{
  const GkCliCommand *command = cli->command;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gpointer options = NULL;
  int status = GK_CLI_EXIT_OK;
  const GOptionEntry profile_entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &cli->profile_name, command->profile_help,
      command->needs == GK_CLI_NEEDS_CREDENTIALS ? N_("NAME|env") : N_("NAME") },
    { NULL }
  };

  if (command->needs == GK_CLI_NEEDS_NOTHING)
    return command->run (cli, NULL, argc, argv);

  context = gk_cli_option_context_new (cli, command);
  if (command->profile_help != NULL)
    g_option_context_add_main_entries (context, profile_entries, GETTEXT_PACKAGE);
  if (command->options_size > 0)
    options = g_malloc0 (command->options_size);
  if (command->add_options != NULL)
    command->add_options (context, options);

  /* Usage errors (status 2) come before anything is opened. */
  if (gk_cli_parse_options (cli, context, &argc, &argv, &status))
    {
      if (command->check != NULL)
        status = command->check (cli, options, argc, argv);
      else if (argc != 1)
        status = gk_cli_usage_error (cli, _("Unexpected argument “%s”."), argv[1]);
    }

  if (status == GK_CLI_EXIT_OK)
    status = open_needs (cli, &error) ? command->run (cli, options, argc, argv)
                                      : gk_cli_fail (cli, error);

  if (command->clear_options != NULL)
    command->clear_options (options);
  return status;
}

static int
run_command (const GkCliCommand *command,
             int                 argc,
             char              **argv)
{
  GkCli cli = { .command = command };
  guint sigint_id, sigterm_id;
  int status;

  cli.cancellable = g_cancellable_new ();
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt_cb, &cli);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt_cb, &cli);

  status = parse_check_open_run (&cli, argc, argv);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_object (&cli.client);
  g_clear_object (&cli.source);
  g_clear_object (&cli.profile);
  g_clear_object (&cli.account);
  g_clear_pointer (&cli.profile_name, g_free);
  g_clear_object (&cli.result);
  g_clear_object (&cli.cancellable);

  return status;
}

/**
 * gk_cli_main:
 * @commands: (array zero-terminated=1): the command table (gk-cli-commands.h)
 *
 * Runs the subcommand named in @argv[1]. The table is passed in rather than
 * looked up here, because the commands are built on this file's helpers:
 * the dependency runs one way, from the commands to the command line.
 *
 * Returns: the process exit status
 */
int
gk_cli_main (int                 argc,
             char              **argv,
             const GkCliCommand *commands)
{
  const char *name = argv[1];
  const GkCliCommand *command = NULL;

  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_help (stdout, commands);
      return GK_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--version") || g_str_equal (name, "-V") || g_str_equal (name, "version"))
    {
      printf ("genokey %s\n", PACKAGE_VERSION);
      return GK_CLI_EXIT_OK;
    }
  if (name[0] == '-')
    {
      fprintf (stderr, _("genokey: unknown option “%s”. Run “genokey --help” to see the options.\n"),
               name);
      return GK_CLI_EXIT_USAGE;
    }

  for (const GkCliCommand *c = commands; c->name != NULL && command == NULL; c++)
    if (g_str_equal (c->name, name))
      command = c;
  if (command == NULL)
    {
      fprintf (stderr,
               _("genokey: “%s” is not a genokey command. Run “genokey --help” for the list.\n"),
               name);
      return GK_CLI_EXIT_USAGE;
    }

  /* The subcommand sees itself as argv[0], like `git <cmd>` does. */
  return run_command (command, argc - 1, argv + 1);
}

GCancellable *
gk_cli_get_cancellable (GkCli *cli)
{
  return cli->cancellable;
}

const char *
gk_cli_get_command_name (GkCli *cli)
{
  return cli->command->name;
}

/**
 * gk_cli_get_profile_name:
 *
 * Returns: (nullable): --profile as given: a name, "env", or %NULL
 */
const char *
gk_cli_get_profile_name (GkCli *cli)
{
  return cli->profile_name;
}

/**
 * gk_cli_get_account:
 *
 * Returns: (transfer none) (nullable): the account opened on the profile,
 *   for commands that need credentials or a sign-in; %NULL with
 *   `--profile env`
 */
GkAccount *
gk_cli_get_account (GkCli *cli)
{
  return cli->account;
}

/**
 * gk_cli_get_profile:
 *
 * Returns: (transfer none) (nullable): the profile (region, S3 endpoint,
 *   buckets); %NULL with `--profile env`
 */
GkProfile *
gk_cli_get_profile (GkCli *cli)
{
  return cli->profile;
}

/**
 * gk_cli_get_session:
 *
 * Returns: (transfer none) (nullable): the profile's sign-in; %NULL with
 *   `--profile env`, or when the profile's credentials are not a sign-in
 */
GkSession *
gk_cli_get_session (GkCli *cli)
{
  return cli->account != NULL ? gk_account_get_session (cli->account) : NULL;
}

/**
 * gk_cli_get_source:
 *
 * Returns: (transfer none): where the command's credentials come from
 */
GkCredentialSource *
gk_cli_get_source (GkCli *cli)
{
  return cli->source;
}

/**
 * gk_cli_get_s3_client:
 *
 * Returns: (transfer none): an S3 client over the source, set up from the
 *   profile (region, endpoint_url, buckets) or the environment
 *   (AWS_REGION, AWS_ENDPOINT_URL_S3)
 */
GkS3Client *
gk_cli_get_s3_client (GkCli *cli)
{
  g_return_val_if_fail (cli->source != NULL, NULL);

  if (cli->client != NULL)
    return cli->client;
  if (cli->profile != NULL)
    cli->client = gk_s3_client_new_for_profile (cli->profile, cli->source);
  else if (GK_IS_ENV_CREDENTIALS (cli->source))
    cli->client = gk_s3_client_new (cli->source,
                                    gk_env_credentials_get_region (GK_ENV_CREDENTIALS (cli->source)),
                                    gk_env_credentials_get_endpoint (GK_ENV_CREDENTIALS (cli->source)),
                                    NULL);
  else
    cli->client = gk_s3_client_new (cli->source, NULL, NULL, NULL);
  return cli->client;
}

/**
 * gk_cli_async_ready:
 *
 * A #GAsyncReadyCallback to pass, with the #GkCli as user data, to any
 * `_async()` call; then gk_cli_wait() returns its result.
 */
void
gk_cli_async_ready (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GkCli *cli = user_data;

  g_assert (cli->result == NULL);
  cli->result = g_object_ref (result);
}

/**
 * gk_cli_wait:
 *
 * Iterates the main context until the operation started with
 * gk_cli_async_ready() completes.
 *
 * Returns: (transfer full): its result, for the matching `_finish()`
 */
GAsyncResult *
gk_cli_wait (GkCli *cli)
{
  while (cli->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&cli->result);
}

/**
 * gk_cli_option_context_new:
 *
 * Returns: (transfer full): an option context for @command, with its
 *   parameters and summary as the help text
 */
GOptionContext *
gk_cli_option_context_new (GkCli              *cli,
                           const GkCliCommand *command)
{
  GOptionContext *context;

  context = g_option_context_new (command->parameters ? command->parameters : "");
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

/**
 * gk_cli_parse_options:
 * @exit_status: (out): set to %GK_CLI_EXIT_USAGE when parsing fails
 *
 * Returns: %FALSE after printing a usage error
 */
gboolean
gk_cli_parse_options (GkCli            *cli,
                      GOptionContext   *context,
                      int              *argc,
                      char           ***argv,
                      int              *exit_status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = gk_cli_usage_error (cli, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_cli_usage_error:
 *
 * Prints a usage error naming the command and how to get its help.
 *
 * Returns: %GK_CLI_EXIT_USAGE
 */
int
gk_cli_usage_error (GkCli      *cli,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  safe = gk_cli_escape_controls (message, TRUE);

  before_message (cli);
  fprintf (stderr, _("genokey %s: %s\nRun “genokey %s --help” for usage.\n"),
           cli->command->name, safe, cli->command->name);
  return GK_CLI_EXIT_USAGE;
}

/**
 * gk_cli_escape_controls:
 * @keep_newlines: leave "\n" as it is (messages break their own lines)
 *
 * S3 keys, IdP messages and bucket names come from other people. Printed
 * raw, their control characters (C0, DEL, C1, also as UTF-8) could clear
 * the screen, retitle the window, move the cursor or forge output lines.
 * They are shown as \xHH (bytes, and C0/DEL) or \uHHHH (C1), visibly.
 *
 * Returns: (transfer full): @text, safe for a terminal
 */
char *
gk_cli_escape_controls (const char *text,
                        gboolean    keep_newlines)
{
  GString *out;
  const char *p = text;
  const char *end;

  if (text == NULL)
    return NULL;
  end = text + strlen (text);
  out = g_string_sized_new (end - text);
  while (p < end)
    {
      guchar c = (guchar) *p;
      gunichar u;

      if (c < 0x80)
        {
          if ((c < 0x20 && !(c == '\n' && keep_newlines) && c != '\t') || c == 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_c (out, (char) c);
          p++;
          continue;
        }
      u = g_utf8_get_char_validated (p, end - p);
      if (u == (gunichar) -1 || u == (gunichar) -2)
        {
          /* Not UTF-8: a raw byte, which may be a C1 control on its own. */
          g_string_append_printf (out, "\\x%02x", c);
          p++;
          continue;
        }
      if (u >= 0x80 && u <= 0x9f)
        g_string_append_printf (out, "\\u%04x", u);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/**
 * gk_cli_fail:
 *
 * Prints @error (whose message says what is wrong) on stderr, with what to
 * type next when the command line has its own way on (gk-cli-hints.c).
 *
 * Returns: %GK_CLI_EXIT_FAILURE
 */
int
gk_cli_fail (GkCli        *cli,
             const GError *error)
{
  g_autofree char *hint = NULL;
  g_autofree char *safe = NULL;

  before_message (cli);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fprintf (stderr, _("genokey %s: cancelled.\n"), cli->command->name);
      return GK_CLI_EXIT_FAILURE;
    }
  hint = gk_cli_dup_hint (cli, error);
  /* Errors quote keys and servers' own words. */
  safe = gk_cli_escape_controls (error->message, TRUE);
  if (hint != NULL)
    fprintf (stderr, "genokey %s: %s %s\n", cli->command->name, safe, hint);
  else
    fprintf (stderr, "genokey %s: %s\n", cli->command->name, safe);
  return GK_CLI_EXIT_FAILURE;
}

/**
 * gk_cli_notice:
 *
 * Prints a line for the user on stderr, so stdout stays machine-readable.
 */
void
gk_cli_notice (GkCli      *cli,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  safe = gk_cli_escape_controls (message, TRUE);

  before_message (cli);
  fprintf (stderr, "%s\n", safe);
}

/**
 * gk_cli_set_message_hook:
 * @hook: (nullable): called with @data before each message on stderr
 *
 * Lets a progress line wipe itself before a message is printed.
 */
void
gk_cli_set_message_hook (GkCli    *cli,
                         GFunc     hook,
                         gpointer  data)
{
  cli->message_hook = hook;
  cli->message_hook_data = data;
}
