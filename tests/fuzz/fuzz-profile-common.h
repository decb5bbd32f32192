/* fuzz-profile-common.h: what the two profile harnesses check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-profile.h"

G_BEGIN_DECLS

GPtrArray *fuzz_profile_parse (GBytes     *data,
                               const char *name);

G_END_DECLS
