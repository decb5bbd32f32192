/* gk-s3-browser.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gk-browser-item.h"
#include "gk-link-minter.h"
#include "gk-s3.h"

G_BEGIN_DECLS

#define GK_TYPE_S3_BROWSER (gk_s3_browser_get_type ())

G_DECLARE_FINAL_TYPE (GkS3Browser, gk_s3_browser, GK, S3_BROWSER, AdwBin)

GkS3Browser   *gk_s3_browser_new              (void);
void           gk_s3_browser_set_client       (GkS3Browser *self,
                                               GkS3Client  *client);
GkS3Client    *gk_s3_browser_get_client       (GkS3Browser *self);
void           gk_s3_browser_set_link_minter        (GkS3Browser  *self,
                                                     GkLinkMinter *minter);
void           gk_s3_browser_set_chromoscope_prefix (GkS3Browser *self,
                                                     const char  *prefix);
const char    *gk_s3_browser_get_bucket       (GkS3Browser *self);
const char    *gk_s3_browser_get_prefix       (GkS3Browser *self);
void           gk_s3_browser_open             (GkS3Browser *self,
                                               const char  *bucket,
                                               const char  *prefix);
GListModel    *gk_s3_browser_get_items        (GkS3Browser *self);
guint          gk_s3_browser_get_pages_loaded (GkS3Browser *self);
gboolean       gk_s3_browser_is_loading       (GkS3Browser *self);
gboolean       gk_s3_browser_is_building      (GkS3Browser *self);
const char    *gk_s3_browser_get_build_status (GkS3Browser *self);
GkBrowserItem *gk_s3_browser_get_selected     (GkS3Browser *self);
void           gk_s3_browser_select_name      (GkS3Browser *self,
                                               const char  *name);
void           gk_s3_browser_focus_filter     (GkS3Browser *self);
void           gk_s3_browser_reveal           (GkS3Browser *self,
                                               const char  *bucket,
                                               const char  *key);

G_END_DECLS
