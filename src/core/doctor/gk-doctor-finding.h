/* gk-doctor-finding.h: one thing a lab check found, and a run's summary
 *
 * A finding says how bad it is (problem, warning, note, ok), what it is
 * about (an endpoint, a bucket, the identity pool), what it means for the
 * lab in one sentence, and the exact fix: `aws` commands to run, or a JSON
 * document and where it goes. Both faces (`genokey doctor`, the window's
 * Lab Check page) show findings as they are; neither words one itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* In rising order: a run's worst finding decides its exit status. */
typedef enum
{
  GK_DOCTOR_OK,
  GK_DOCTOR_NOTE,       /* worth knowing; nothing is broken */
  GK_DOCTOR_WARNING,    /* something works badly, or is less safe than it should be */
  GK_DOCTOR_PROBLEM,    /* something does not work, or leaks data */
} GkDoctorSeverity;

#define GK_DOCTOR_N_SEVERITIES (GK_DOCTOR_PROBLEM + 1)

typedef enum
{
  GK_DOCTOR_FIX_NONE,
  GK_DOCTOR_FIX_COMMANDS,  /* shell lines to run as they are (`#` lines say what to edit) */
  GK_DOCTOR_FIX_SETTING,   /* a setting of this computer or of the profile */
} GkDoctorFixKind;

typedef struct _GkDoctorFinding GkDoctorFinding;

#define GK_TYPE_DOCTOR_FINDING (gk_doctor_finding_get_type ())

GType              gk_doctor_finding_get_type     (void) G_GNUC_CONST;
GkDoctorFinding   *gk_doctor_finding_new          (const char             *check,
                                                   GkDoctorSeverity        severity,
                                                   const char             *subject,
                                                   const char             *title,
                                                   const char             *meaning);
GkDoctorFinding   *gk_doctor_finding_new_with_fix (const char             *check,
                                                   GkDoctorSeverity        severity,
                                                   const char             *subject,
                                                   const char             *title,
                                                   const char             *meaning,
                                                   GkDoctorFixKind         fix_kind,
                                                   const char             *fix);
GkDoctorFinding   *gk_doctor_finding_ref          (GkDoctorFinding        *self);
void               gk_doctor_finding_unref        (GkDoctorFinding        *self);

const char        *gk_doctor_finding_get_check    (const GkDoctorFinding  *self);
GkDoctorSeverity   gk_doctor_finding_get_severity (const GkDoctorFinding  *self);
const char        *gk_doctor_finding_get_subject  (const GkDoctorFinding  *self);
const char        *gk_doctor_finding_get_title    (const GkDoctorFinding  *self);
const char        *gk_doctor_finding_get_meaning  (const GkDoctorFinding  *self);
GkDoctorFixKind    gk_doctor_finding_get_fix_kind (const GkDoctorFinding  *self);
const char        *gk_doctor_finding_get_fix      (const GkDoctorFinding  *self);

const char        *gk_doctor_severity_to_string   (GkDoctorSeverity        severity);
const char        *gk_doctor_severity_get_label   (GkDoctorSeverity        severity);
const char        *gk_doctor_severity_get_headline (GkDoctorSeverity       worst);

/* Over a run's findings (element-type GkDoctorFinding). */
void               gk_doctor_findings_count       (GPtrArray              *findings,
                                                   guint                   counts[GK_DOCTOR_N_SEVERITIES]);
GkDoctorSeverity   gk_doctor_findings_get_worst   (GPtrArray              *findings);
char              *gk_doctor_findings_dup_summary (GPtrArray              *findings);
JsonNode          *gk_doctor_findings_to_json     (GPtrArray              *findings,
                                                   const char             *profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkDoctorFinding, gk_doctor_finding_unref)

G_END_DECLS
