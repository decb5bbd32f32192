/* gk-igv-web.h: links that open tracks in IGV-Web (igv.org/app)
 *
 * IGV-Web takes a whole session inside its URL: `sessionURL=blob:<s>`, where
 * <s> is the session JSON, raw-DEFLATE-compressed, base64 with `+/=` turned
 * into `._-` so it survives in a query. Facts: DESIGN.md section 8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-igv.h"
#include "gk-web-viewer.h"

G_BEGIN_DECLS

#define GK_IGV_WEB_APP_URL "https://igv.org/app/"

char *gk_igv_web_session_json (const char        *genome,
                               const GkIgvTrack  *reference,
                               const char        *locus,
                               GPtrArray         *tracks);
char *gk_igv_web_encode_blob  (const char  *text,
                               GError     **error);
char *gk_igv_web_url          (const char        *genome,
                               const GkIgvTrack  *reference,
                               const char        *locus,
                               GPtrArray         *tracks,
                               GError           **error);

G_END_DECLS
