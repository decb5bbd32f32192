/* gk-cli-tracks.h: s3:// addresses to checked, signed tracks for genome browsers
 *
 * Shared by `genokey igv`, `igv-web` and `chromoscope`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"
#include "gk-igv.h"
#include "gk-links.h"
#include "gk-web-viewer.h"

G_BEGIN_DECLS

/* Browsers keep a session open for hours; links still never outlive the
 * credentials that sign them (gk-links caps them and says so). */
#define GK_CLI_TRACK_EXPIRES (12 * 3600)

GkLink    *gk_cli_sign_link     (GkCli         *cli,
                                 GkLinker      *linker,
                                 const char    *uri,
                                 gint64         expires,
                                 gboolean       with_index,
                                 GError       **error);
gboolean   gk_cli_check_link    (GkCli         *cli,
                                 const char    *url,
                                 const char    *label,
                                 GError       **error);
GPtrArray *gk_cli_sign_tracks   (GkCli         *cli,
                                 GkLinker      *linker,
                                 char         **uris,
                                 gint64         expires,
                                 gboolean       check,
                                 gint64        *out_expires_at,
                                 GError       **error);
gboolean   gk_cli_check_cors_buckets (GkCli              *cli,
                                      GkS3Client         *client,
                                      const char * const *buckets,
                                      GkViewer            viewer);
gboolean   gk_cli_check_cors    (GkCli         *cli,
                                 GkS3Client    *client,
                                 const char    *bucket,
                                 GkViewer       viewer);
void       gk_cli_tell_expiry   (GkCli         *cli,
                                 gint64         expires_at);
void       gk_cli_open_uri      (GkCli         *cli,
                                 const char    *uri);

G_END_DECLS
