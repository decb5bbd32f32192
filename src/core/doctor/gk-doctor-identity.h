/* gk-doctor-identity.h: the identity pool and the sign-in, as anyone and as the
 * signed-in user
 *
 * A part of a lab check (gk-doctor-part.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-doctor-part.h"

G_BEGIN_DECLS

void gk_doctor_identity_async (GkDoctorContext     *context,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);

G_END_DECLS
