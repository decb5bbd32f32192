/* gk-igv-private.h: what gk-igv.c and gk-igv-launcher.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-igv.h"

G_BEGIN_DECLS

/* How long `echo` may take: IGV answers it at once unless it is stuck. */
#define GK_IGV_PROBE_TIMEOUT_MS 3000

GStrv gk_igv_send_commands_sync (guint16              port,
                                 guint                timeout_ms,
                                 const char * const  *commands,
                                 GCancellable        *cancellable,
                                 GError             **error);

/* The pure half of reading IGV's replies, for tests and fuzzing. */
char *gk_igv_take_reply_line    (GString             *buffer,
                                 GError             **error);

G_END_DECLS
