/* gk-cli-lines.h: lines from stdin, in batches of what has arrived
 *
 * `genokey presign -` answers as it reads, for a pipe that trickles, yet
 * pairs a file's worth of addresses together, for a cohort. So lines are
 * handed over in batches: as many as have arrived (up to a maximum), and
 * never by waiting for more once some are there. While it waits, the main
 * loop turns, so Ctrl-C cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"

G_BEGIN_DECLS

typedef struct _GkCliLines GkCliLines;

GkCliLines *gk_cli_lines_new        (GkCli       *cli,
                                     int          fd);
GPtrArray  *gk_cli_lines_next_batch (GkCliLines  *self,
                                     guint        max_lines,
                                     guint64     *first_line,
                                     GError     **error);
void        gk_cli_lines_free       (GkCliLines  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkCliLines, gk_cli_lines_free)

G_END_DECLS
