/* gk-signed-out-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GK_TYPE_SIGNED_OUT_PAGE (gk_signed_out_page_get_type ())

G_DECLARE_FINAL_TYPE (GkSignedOutPage, gk_signed_out_page, GK, SIGNED_OUT_PAGE, AdwBin)

GkSignedOutPage *gk_signed_out_page_new              (void);
void             gk_signed_out_page_set_profiles     (GkSignedOutPage *self,
                                                      GPtrArray       *profiles,
                                                      const char      *selected);
const char      *gk_signed_out_page_get_selected     (GkSignedOutPage *self);

G_END_DECLS
