/* gk-profile-export.h: a profile as IGV's oauth-config.json, for colleagues
 *
 * The inverse of gk-profile-import.h: what a lab hands IGV and Genokey,
 * written from a profile that works, plain and gzip-compressed (IGV and
 * Genokey recognise gzip by its magic bytes, so either file imports).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-profile.h"

G_BEGIN_DECLS

char   *gk_profile_export_igv_config (GkProfile   *profile,
                                      gboolean    *out_secret_left_out,
                                      GError     **error);
GBytes *gk_profile_export_gzip       (const char  *text);

G_END_DECLS
