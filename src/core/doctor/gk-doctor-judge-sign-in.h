/* gk-doctor-judge-sign-in.h: the hosted login, the identity pool and how
 * long credentials and sign-ins last
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-doctor-finding.h"
#include "gk-profile.h"

G_BEGIN_DECLS

/* botocore renews credentials with less than 15 minutes left: shorter
 * credentials are renewed at every call of an AWS tool. */
#define GK_DOCTOR_SHORT_CREDENTIALS (15 * 60)
/* A sign-in should outlast a working day. */
#define GK_DOCTOR_WORKING_DAY (8 * 60 * 60)

GkDoctorFinding *gk_doctor_judge_callback            (GkProfile          *profile,
                                                      guint               http_status,
                                                      const char         *location,
                                                      const GError       *error);
GkDoctorFinding *gk_doctor_judge_unauthenticated     (GkProfile          *profile,
                                                      gboolean            identity_given,
                                                      const GError       *error);
GkDoctorFinding *gk_doctor_judge_classic_flow        (GkProfile          *profile,
                                                      gboolean            token_given,
                                                      const char         *assumed_role,
                                                      const GError       *error);
GkDoctorFinding *gk_doctor_judge_not_signed_in       (GkProfile          *profile,
                                                      const GError       *error);
GkDoctorFinding *gk_doctor_judge_credential_lifetime (GkProfile          *profile,
                                                      gint64              lifetime);
GkDoctorFinding *gk_doctor_judge_sign_in_lifetime    (GkProfile          *profile,
                                                      gboolean            refused,
                                                      gint64              lasted);
GkDoctorFinding *gk_doctor_judge_sign_in_not_renewed (const GError       *error);

G_END_DECLS
