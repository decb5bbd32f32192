/* gk-s3-browser-actions.h: the browser's per-file actions (copy a link,
 * open in IGV or IGV-Web), which it installs on its class, and the CORS
 * warning the web viewers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gk-genomic-file.h"

G_BEGIN_DECLS

typedef struct _GkS3Browser GkS3Browser;

void _gk_s3_browser_class_add_file_actions (GtkWidgetClass *widget_class);
GkLinker *_gk_s3_browser_viewer_linker (GkS3Browser *self);
void _gk_s3_browser_tell_about_local_access (GkS3Browser *self,
                                             const char  *site);
void _gk_s3_browser_check_cors             (GkS3Browser    *self,
                                            const char     *bucket,
                                            GkViewer        viewer);
guint _gk_s3_browser_link_lifetime          (GkS3Browser    *self,
                                            gboolean        web_viewer);
void _gk_s3_browser_tell_web_viewer_expiry (GkS3Browser    *self,
                                            GkViewer        viewer,
                                            gint64          expires_at);

G_END_DECLS
