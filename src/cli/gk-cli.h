/* gk-cli.h: running one genokey subcommand
 *
 * Each subcommand is a plain function that parses its own options and drives
 * the async core API to completion with gk_cli_wait(). Ctrl-C cancels the
 * GCancellable of the run, so listeners and requests close cleanly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand (DESIGN.md section 1). */
enum
{
  GK_CLI_EXIT_OK = 0,
  GK_CLI_EXIT_FAILURE = 1,
  GK_CLI_EXIT_USAGE = 2,
};

typedef struct _GkCli GkCli;

typedef int (*GkCliRunFunc) (GkCli  *cli,
                             int     argc,
                             char  **argv);

typedef struct
{
  const char   *name;
  const char   *parameters; /* shown after the name in --help, e.g. "FILE|URL" */
  const char   *summary;
  GkCliRunFunc  run;
} GkCliCommand;

gboolean      gk_cli_handles_command_line (int                  argc,
                                           char               **argv);
int           gk_cli_main                 (int                  argc,
                                           char               **argv);

GCancellable *gk_cli_get_cancellable      (GkCli               *cli);
void          gk_cli_async_ready          (GObject             *object,
                                           GAsyncResult        *result,
                                           gpointer             user_data);
GAsyncResult *gk_cli_wait                 (GkCli               *cli);
GOptionContext *gk_cli_option_context_new (GkCli               *cli,
                                           const GkCliCommand  *command);
gboolean      gk_cli_parse_options        (GkCli               *cli,
                                           GOptionContext      *context,
                                           int                 *argc,
                                           char              ***argv,
                                           int                 *exit_status);
int           gk_cli_usage_error          (GkCli               *cli,
                                           const char          *format,
                                           ...) G_GNUC_PRINTF (2, 3);
int           gk_cli_fail                 (GkCli               *cli,
                                           const GError        *error);
void          gk_cli_notice               (GkCli               *cli,
                                           const char          *format,
                                           ...) G_GNUC_PRINTF (2, 3);
const char   *gk_cli_get_command_name     (GkCli               *cli);
void          gk_cli_add_quiet_option     (GkCli               *cli,
                                           GOptionContext      *context);
gboolean      gk_cli_get_quiet            (GkCli               *cli);
void          gk_cli_set_message_hook     (GkCli               *cli,
                                           GFunc                hook,
                                           gpointer             data);

G_END_DECLS
