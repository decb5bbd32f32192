/* gk-cli-progress.h: a progress line on stderr for long commands
 *
 * A cohort takes seconds even when every request runs side by side; a
 * terminal that shows nothing meanwhile looks hung. The line appears only
 * when stderr is a terminal, only once the work has taken about a second,
 * and never with --quiet; in a pipe or a log file nothing extra is written.
 * It says what is done, of how many, how fast, and about how long is left,
 * and is wiped before any other message and at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"

G_BEGIN_DECLS

/* Work shorter than this shows no line at all. */
#define GK_CLI_PROGRESS_DELAY_MS 1000

typedef struct _GkCliProgress GkCliProgress;

void           gk_cli_progress_add_option (GOptionContext *context,
                                           gboolean       *quiet);
GkCliProgress *gk_cli_progress_new    (GkCli         *cli,
                                       const char    *what,
                                       gboolean       quiet);
void           gk_cli_progress_update (GkCliProgress *self,
                                       guint64        done,
                                       guint64        total);
void           gk_cli_progress_free   (GkCliProgress *self);

char          *gk_cli_progress_format (const char    *what,
                                       guint64        done,
                                       guint64        total,
                                       double         seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkCliProgress, gk_cli_progress_free)

G_END_DECLS
