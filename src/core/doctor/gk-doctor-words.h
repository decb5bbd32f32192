/* gk-doctor-words.h: how the lab check says things
 *
 * The judges (gk-doctor-judge.h) word every finding; these helpers keep
 * their durations, lists and sentences alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-doctor-finding.h"

G_BEGIN_DECLS

char            *gk_doctor_format_duration (gint64              seconds);
const char      *gk_doctor_origin_name     (const char         *origin);
char            *gk_doctor_join_names      (const char * const *origins);
char            *gk_doctor_join_some       (const char * const *names);
char            *gk_doctor_as_sentence     (const char         *message);
GkDoctorFinding *gk_doctor_not_checked     (const char         *check,
                                            const char         *subject,
                                            const char         *title,
                                            const GError       *error);

G_END_DECLS
