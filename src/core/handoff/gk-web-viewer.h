/* gk-web-viewer.h: what a web genome browser needs from a bucket
 *
 * IGV-Web and Chromoscope run in the user's browser and fetch the files
 * from their own page, so the bucket's CORS rules must let them. Each
 * viewer's page makes its own kind of request (origin, method, headers it
 * sends and reads); S3's layer judges the rules (gk-s3-cors.h), and this
 * says what the verdict means for the viewer and what to set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-genomic-file.h"
#include "gk-s3-cors.h"

G_BEGIN_DECLS

#define GK_IGV_WEB_ORIGIN "https://igv.org"
#define GK_CHROMOSCOPE_ORIGIN "https://chromoscope.bio"

/* Seconds a presigned link handed to a web viewer lives by default, at
 * most: such links travel inside another site's address (igv.org,
 * chromoscope.bio), so into its history, logs and bookmarks, and work for
 * whoever finds them there. Desktop IGV keeps its links to itself. */
#define GK_WEB_VIEWER_LINK_LIFETIME 3600

const char            *gk_web_viewer_origin         (GkViewer               viewer);
const GkS3CorsRequest *gk_web_viewer_cors_request   (GkViewer               viewer);
char                  *gk_web_viewer_describe_cors  (GkViewer               viewer,
                                                     const GkS3CorsVerdict *verdict);
char                  *gk_web_viewer_cors_json      (void);

G_END_DECLS
