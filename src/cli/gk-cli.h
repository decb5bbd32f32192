/* gk-cli.h: running one genokey subcommand
 *
 * Each subcommand is a row of the command table (gk-cli-commands.c) that
 * says what it needs before it can run: nothing, a profile (with its
 * credential source opened: a lab sign-in read from the keyring, an access
 * key, a role, an instance profile), credentials (the same, or the AWS
 * environment variables with `--profile env`), or a profile that is a lab
 * sign-in. gk-cli.c parses the
 * options (adding `--profile` with the row's wording), lets the command
 * check its arguments, then opens what the row asks for, once, and reports
 * failures the same way for every command. The command's run function
 * then drives the async core API to completion with gk_cli_wait(). Ctrl-C
 * cancels the GCancellable of the run, so listeners and requests close
 * cleanly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-account.h"

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand (DESIGN.md section 1). */
enum
{
  GK_CLI_EXIT_OK = 0,
  GK_CLI_EXIT_FAILURE = 1,
  GK_CLI_EXIT_USAGE = 2,
};

/* `--profile env`: the standard AWS environment variables instead of a
 * profile, for commands that only need credentials. */
#define GK_CLI_PROFILE_ENV "env"

typedef enum
{
  GK_CLI_NEEDS_NOTHING,     /* parses its own arguments (`profile`) */
  GK_CLI_NEEDS_PROFILE,     /* a profile and its credential source, opened */
  GK_CLI_NEEDS_CREDENTIALS, /* the same, or the environment's with `--profile env` */
  GK_CLI_NEEDS_SESSION,     /* a profile that is a lab sign-in, read from the keyring */
} GkCliNeeds;

typedef struct _GkCli GkCli;

typedef int (*GkCliRunFunc) (GkCli    *cli,
                             gpointer  options,
                             int       argc,
                             char    **argv);

typedef struct
{
  const char   *name;
  const char   *parameters;   /* shown after the name in --help, e.g. "FILE|URL" */
  const char   *summary;
  GkCliNeeds    needs;
  const char   *profile_help; /* --profile's description; NULL: no --profile */
  /* The command's own options: a zeroed struct of @options_size, which
   * @add_options fills with defaults and hands to the option parser, and
   * @clear_options frees. All three may be 0/NULL. */
  gsize         options_size;
  void        (*add_options)   (GOptionContext *context,
                                gpointer        options);
  void        (*clear_options) (gpointer        options);
  /* Usage checks of the parsed arguments, before anything is opened:
   * returns GK_CLI_EXIT_OK to go on (NULL: no arguments allowed). */
  GkCliRunFunc  check;
  GkCliRunFunc  run;
} GkCliCommand;

gboolean            gk_cli_handles_command_line (int                  argc,
                                                 char               **argv);
int                 gk_cli_main                 (int                  argc,
                                                 char               **argv,
                                                 const GkCliCommand  *commands);

GCancellable       *gk_cli_get_cancellable      (GkCli               *cli);
const char         *gk_cli_get_command_name     (GkCli               *cli);

/* What the command table opened for the command. */
const char         *gk_cli_get_profile_name     (GkCli               *cli);
GkAccount          *gk_cli_get_account          (GkCli               *cli);
GkProfile          *gk_cli_get_profile          (GkCli               *cli);
GkSession          *gk_cli_get_session          (GkCli               *cli);
GkCredentialSource *gk_cli_get_source           (GkCli               *cli);
GkS3Client         *gk_cli_get_s3_client        (GkCli               *cli);

void                gk_cli_async_ready          (GObject             *object,
                                                 GAsyncResult        *result,
                                                 gpointer             user_data);
GAsyncResult       *gk_cli_wait                 (GkCli               *cli);
GOptionContext     *gk_cli_option_context_new   (GkCli               *cli,
                                                 const GkCliCommand  *command);
gboolean            gk_cli_parse_options        (GkCli               *cli,
                                                 GOptionContext      *context,
                                                 int                 *argc,
                                                 char              ***argv,
                                                 int                 *exit_status);
int                 gk_cli_usage_error          (GkCli               *cli,
                                                 const char          *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
char               *gk_cli_escape_controls      (const char          *text,
                                                 gboolean             keep_newlines);
int                 gk_cli_fail                 (GkCli               *cli,
                                                 const GError        *error);
char               *gk_cli_dup_hint             (GkCli               *cli,
                                                 const GError        *error);
void                gk_cli_notice               (GkCli               *cli,
                                                 const char          *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
void                gk_cli_set_message_hook     (GkCli               *cli,
                                                 GFunc                hook,
                                                 gpointer             data);

G_END_DECLS
