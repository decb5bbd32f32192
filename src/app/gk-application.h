/* gk-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gk-account.h"

G_BEGIN_DECLS

#define GK_TYPE_APPLICATION (gk_application_get_type ())

G_DECLARE_FINAL_TYPE (GkApplication, gk_application, GK, APPLICATION, AdwApplication)

GkApplication *gk_application_new                 (void);
GkAccount     *gk_application_get_account         (GkApplication *self);
void           gk_application_ensure_resources    (void);
gboolean       gk_application_schema_is_installed (void);

G_END_DECLS
