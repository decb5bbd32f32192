/* gk-lab-check-page.h: the window's Lab Check page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gk-doctor.h"

G_BEGIN_DECLS

#define GK_TYPE_LAB_CHECK_PAGE (gk_lab_check_page_get_type ())

G_DECLARE_FINAL_TYPE (GkLabCheckPage, gk_lab_check_page, GK, LAB_CHECK_PAGE, AdwBin)

GkLabCheckPage *gk_lab_check_page_new          (void);
void            gk_lab_check_page_run          (GkLabCheckPage *self,
                                                GkDoctor       *doctor);
void            gk_lab_check_page_stop         (GkLabCheckPage *self);
GkDoctor       *gk_lab_check_page_get_doctor   (GkLabCheckPage *self);
gboolean        gk_lab_check_page_get_running  (GkLabCheckPage *self);
GPtrArray      *gk_lab_check_page_get_findings (GkLabCheckPage *self);

G_END_DECLS
