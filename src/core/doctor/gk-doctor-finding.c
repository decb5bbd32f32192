/* gk-doctor-finding.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-doctor-finding.h"

struct _GkDoctorFinding
{
  gatomicrefcount ref_count;
  char *check;
  GkDoctorSeverity severity;
  char *subject;
  char *title;
  char *meaning;
  GkDoctorFixKind fix_kind;
  char *fix;
};

G_DEFINE_BOXED_TYPE (GkDoctorFinding, gk_doctor_finding, gk_doctor_finding_ref,
                     gk_doctor_finding_unref)

/**
 * gk_doctor_finding_new:
 * @check: the check's stable name, such as "unauthenticated-identities"
 *   (scripts read it from `--json`)
 * @subject: (nullable): what it is about: an endpoint, a bucket, a pool
 * @title: a short line
 * @meaning: one sentence: what it means for the lab
 *
 * Returns: (transfer full): a finding without a fix
 */
GkDoctorFinding *
gk_doctor_finding_new (const char       *check,
                       GkDoctorSeverity  severity,
                       const char       *subject,
                       const char       *title,
                       const char       *meaning)
{
  return gk_doctor_finding_new_with_fix (check, severity, subject, title, meaning,
                                         GK_DOCTOR_FIX_NONE, NULL);
}

/**
 * gk_doctor_finding_new_with_fix:
 * @fix: (nullable): the exact fix, as it is to be run or set
 *
 * Returns: (transfer full): a finding
 */
GkDoctorFinding *
gk_doctor_finding_new_with_fix (const char       *check,
                                GkDoctorSeverity  severity,
                                const char       *subject,
                                const char       *title,
                                const char       *meaning,
                                GkDoctorFixKind   fix_kind,
                                const char       *fix)
{
  GkDoctorFinding *self;

  g_return_val_if_fail (check != NULL && title != NULL && meaning != NULL, NULL);

  self = g_new0 (GkDoctorFinding, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->check = g_strdup (check);
  self->severity = severity;
  self->subject = g_strdup (subject);
  self->title = g_strdup (title);
  self->meaning = g_strdup (meaning);
  self->fix_kind = fix != NULL ? fix_kind : GK_DOCTOR_FIX_NONE;
  self->fix = g_strdup (fix);
  return self;
}

GkDoctorFinding *
gk_doctor_finding_ref (GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gk_doctor_finding_unref (GkDoctorFinding *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->check);
  g_free (self->subject);
  g_free (self->title);
  g_free (self->meaning);
  g_free (self->fix);
  g_free (self);
}

const char *
gk_doctor_finding_get_check (const GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->check;
}

GkDoctorSeverity
gk_doctor_finding_get_severity (const GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, GK_DOCTOR_OK);
  return self->severity;
}

/**
 * gk_doctor_finding_get_subject:
 *
 * Returns: (nullable): what the finding is about
 */
const char *
gk_doctor_finding_get_subject (const GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->subject;
}

const char *
gk_doctor_finding_get_title (const GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->title;
}

const char *
gk_doctor_finding_get_meaning (const GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->meaning;
}

GkDoctorFixKind
gk_doctor_finding_get_fix_kind (const GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, GK_DOCTOR_FIX_NONE);
  return self->fix_kind;
}

/**
 * gk_doctor_finding_get_fix:
 *
 * Returns: (nullable): the fix, exactly as it is to be run or set
 */
const char *
gk_doctor_finding_get_fix (const GkDoctorFinding *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->fix;
}

/**
 * gk_doctor_severity_to_string:
 *
 * Returns: the severity's stable name, for `--json`: "problem",
 *   "warning", "note" or "ok"
 */
const char *
gk_doctor_severity_to_string (GkDoctorSeverity severity)
{
  switch (severity)
    {
    case GK_DOCTOR_PROBLEM: return "problem";
    case GK_DOCTOR_WARNING: return "warning";
    case GK_DOCTOR_NOTE:    return "note";
    case GK_DOCTOR_OK:      return "ok";
    default:                g_return_val_if_reached ("ok");
    }
}

/**
 * gk_doctor_severity_get_label:
 *
 * Returns: the severity for people, translated
 */
const char *
gk_doctor_severity_get_label (GkDoctorSeverity severity)
{
  switch (severity)
    {
    /* Translators: the severity of a lab check's finding */
    case GK_DOCTOR_PROBLEM: return C_("severity", "Problem");
    case GK_DOCTOR_WARNING: return C_("severity", "Warning");
    case GK_DOCTOR_NOTE:    return C_("severity", "Note");
    case GK_DOCTOR_OK:      return C_("severity", "OK");
    default:                g_return_val_if_reached ("");
    }
}

/**
 * gk_doctor_severity_get_headline:
 * @worst: a run's worst severity
 *
 * Returns: what a run found, in a few words, translated, for a heading
 */
const char *
gk_doctor_severity_get_headline (GkDoctorSeverity worst)
{
  switch (worst)
    {
    case GK_DOCTOR_PROBLEM: return _("Something Does Not Work");
    case GK_DOCTOR_WARNING: return _("It Works, but Could Be Safer or Better");
    case GK_DOCTOR_NOTE:    return _("Nothing Is Wrong; a Few Things to Know");
    case GK_DOCTOR_OK:      return _("Everything Checks Out");
    default:                g_return_val_if_reached ("");
    }
}

void
gk_doctor_findings_count (GPtrArray *findings,
                          guint      counts[GK_DOCTOR_N_SEVERITIES])
{
  for (guint s = 0; s < GK_DOCTOR_N_SEVERITIES; s++)
    counts[s] = 0;
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    counts[gk_doctor_finding_get_severity (g_ptr_array_index (findings, i))]++;
}

/**
 * gk_doctor_findings_get_worst:
 *
 * Returns: the worst severity among @findings (%GK_DOCTOR_OK for none)
 */
GkDoctorSeverity
gk_doctor_findings_get_worst (GPtrArray *findings)
{
  GkDoctorSeverity worst = GK_DOCTOR_OK;

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    worst = MAX (worst, gk_doctor_finding_get_severity (g_ptr_array_index (findings, i)));
  return worst;
}

/**
 * gk_doctor_findings_dup_summary:
 *
 * Returns: (transfer full): one line: how many of each, such as "1 problem,
 *   2 warnings, no notes; 9 checks passed."
 */
char *
gk_doctor_findings_dup_summary (GPtrArray *findings)
{
  guint c[GK_DOCTOR_N_SEVERITIES];
  g_autofree char *problems = NULL, *warnings = NULL, *notes = NULL, *passed = NULL;

  gk_doctor_findings_count (findings, c);
  problems = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem", "%u problems",
                                           c[GK_DOCTOR_PROBLEM]), c[GK_DOCTOR_PROBLEM]);
  warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                           c[GK_DOCTOR_WARNING]), c[GK_DOCTOR_WARNING]);
  notes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes",
                                        c[GK_DOCTOR_NOTE]), c[GK_DOCTOR_NOTE]);
  passed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u check passed", "%u checks passed",
                                         c[GK_DOCTOR_OK]), c[GK_DOCTOR_OK]);
  /* Translators: the lab check's summary line: problems, warnings, notes,
   * then the checks that passed, each already counted ("2 warnings") */
  return g_strdup_printf (_("%s, %s, %s; %s."), problems, warnings, notes, passed);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static const char *
fix_kind_to_string (GkDoctorFixKind kind)
{
  switch (kind)
    {
    case GK_DOCTOR_FIX_COMMANDS: return "commands";
    case GK_DOCTOR_FIX_SETTING:  return "setting";
    case GK_DOCTOR_FIX_NONE:
    default:                     return NULL;
    }
}

/**
 * gk_doctor_findings_to_json:
 * @profile: (nullable): the profile checked
 *
 * Returns: (transfer full): `{"profile", "worst", "summary": {"problem": n,
 *   …}, "findings": [{"check", "severity", "subject", "title", "meaning",
 *   "fix", "fix_kind"}]}`, for scripts
 */
JsonNode *
gk_doctor_findings_to_json (GPtrArray  *findings,
                            const char *profile)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint c[GK_DOCTOR_N_SEVERITIES];

  gk_doctor_findings_count (findings, c);
  json_builder_begin_object (b);
  add_string (b, "profile", profile);
  add_string (b, "worst", gk_doctor_severity_to_string (gk_doctor_findings_get_worst (findings)));
  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  for (int s = GK_DOCTOR_PROBLEM; s >= GK_DOCTOR_OK; s--)
    {
      json_builder_set_member_name (b, gk_doctor_severity_to_string (s));
      json_builder_add_int_value (b, c[s]);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const GkDoctorFinding *f = g_ptr_array_index (findings, i);

      json_builder_begin_object (b);
      add_string (b, "check", f->check);
      add_string (b, "severity", gk_doctor_severity_to_string (f->severity));
      add_string (b, "subject", f->subject);
      add_string (b, "title", f->title);
      add_string (b, "meaning", f->meaning);
      add_string (b, "fix", f->fix);
      add_string (b, "fix_kind", fix_kind_to_string (f->fix_kind));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
