/* gk-doctor-buckets.h: what the signed-in user's role can reach in S3
 *
 * A part of a lab check (gk-doctor-part.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-doctor-part.h"

G_BEGIN_DECLS

void gk_doctor_buckets_async (GkDoctorContext     *context,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);

G_END_DECLS
