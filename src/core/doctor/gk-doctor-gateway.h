/* gk-doctor-gateway.h: can the gateway serve links here, and to whom?
 *
 * A part of a lab check (gk-doctor-part.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-doctor-part.h"

G_BEGIN_DECLS

void gk_doctor_gateway_async (GkDoctorContext     *context,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);

G_END_DECLS
