/* gk-s3-browser-actions.h: the browser's per-file actions (copy a link,
 * open in IGV, IGV-Web or Chromoscope), which it installs on its class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void _gk_s3_browser_class_add_file_actions (GtkWidgetClass *widget_class);

G_END_DECLS
