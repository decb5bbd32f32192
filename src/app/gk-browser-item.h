/* gk-browser-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GK_TYPE_BROWSER_ITEM (gk_browser_item_get_type ())

G_DECLARE_FINAL_TYPE (GkBrowserItem, gk_browser_item, GK, BROWSER_ITEM, GObject)

GkBrowserItem *gk_browser_item_new_folder    (const char    *prefix,
                                              const char    *name);
GkBrowserItem *gk_browser_item_new_file      (const char    *key,
                                              const char    *name,
                                              guint64        size,
                                              gint64         modified);
const char    *gk_browser_item_get_key       (GkBrowserItem *self);
const char    *gk_browser_item_get_name      (GkBrowserItem *self);
gboolean       gk_browser_item_is_folder     (GkBrowserItem *self);
guint64        gk_browser_item_get_size      (GkBrowserItem *self);
gint64         gk_browser_item_get_modified  (GkBrowserItem *self);
const char    *gk_browser_item_get_mark      (GkBrowserItem *self);
const char    *gk_browser_item_get_mark_kind (GkBrowserItem *self);

G_END_DECLS
