/* gk-doctor-endpoints.h: can this computer reach the lab's endpoints, is its clock
 * right, and does the hosted login take the profile's callback?
 *
 * A part of a lab check (gk-doctor-part.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-doctor-part.h"

G_BEGIN_DECLS

void gk_doctor_endpoints_async (GkDoctorContext     *context,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);

G_END_DECLS
