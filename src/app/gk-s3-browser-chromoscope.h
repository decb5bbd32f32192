/* gk-s3-browser-chromoscope.h: Chromoscope from the browser (the set, a
 * folder of sample folders), with progress and Cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _GkS3Browser GkS3Browser;

void _gk_s3_browser_class_add_chromoscope_actions (GtkWidgetClass *widget_class);
void _gk_s3_browser_update_chromoscope            (GkS3Browser    *self);

G_END_DECLS
