/* gk-signed-in-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GK_TYPE_SIGNED_IN_PAGE (gk_signed_in_page_get_type ())

G_DECLARE_FINAL_TYPE (GkSignedInPage, gk_signed_in_page, GK, SIGNED_IN_PAGE, AdwBin)

GkSignedInPage *gk_signed_in_page_new                (void);
void            gk_signed_in_page_set_account        (GkSignedInPage *self,
                                                      const char     *email,
                                                      gint64          expiration,
                                                      gboolean        renewing,
                                                      const char     *renewal_problem);
void            gk_signed_in_page_set_source         (GkSignedInPage *self,
                                                      const char     *title,
                                                      const char     *status);
char           *gk_signed_in_page_dup_status_text    (GkSignedInPage *self,
                                                      gint64          now);
GtkWidget      *gk_signed_in_page_get_content        (GkSignedInPage *self);
void            gk_signed_in_page_set_content        (GkSignedInPage *self,
                                                      GtkWidget      *content);

G_END_DECLS
