/* gk-doctor-judge-s3.h: what the role reaches in S3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-doctor-finding.h"
#include "gk-profile.h"
#include "gk-s3.h"

G_BEGIN_DECLS

GkDoctorFinding *gk_doctor_judge_list_buckets (GkProfile          *profile,
                                               const char * const *names,
                                               const GError       *error);
GkDoctorFinding *gk_doctor_judge_bucket       (GkProfile          *profile,
                                               const char         *bucket,
                                               const char         *prefix,
                                               const char         *region,
                                               const GError       *error);
GkDoctorFinding *gk_doctor_judge_cors         (const char         *bucket,
                                               const char * const *origins,
                                               const char * const *refused,
                                               const GError       *error);
GkDoctorFinding *gk_doctor_judge_versioning   (const char         *bucket,
                                               GkS3Versioning      versioning,
                                               const GError       *error);

G_END_DECLS
