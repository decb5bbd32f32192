/* gk-signing-in-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GK_TYPE_SIGNING_IN_PAGE (gk_signing_in_page_get_type ())

G_DECLARE_FINAL_TYPE (GkSigningInPage, gk_signing_in_page, GK, SIGNING_IN_PAGE, AdwBin)

GkSigningInPage *gk_signing_in_page_new          (void);
void             gk_signing_in_page_show_waiting (GkSigningInPage *self);
void             gk_signing_in_page_show_error   (GkSigningInPage *self,
                                                  const char      *title,
                                                  const char      *message);
gboolean         gk_signing_in_page_has_error    (GkSigningInPage *self);

G_END_DECLS
