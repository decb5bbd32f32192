/* gk-profile-import.h: profiles from IGV's oauth-config.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-profile.h"

G_BEGIN_DECLS

GPtrArray *gk_profile_import_parse (GBytes      *data,
                                    const char  *name,
                                    GError     **error);

G_END_DECLS
