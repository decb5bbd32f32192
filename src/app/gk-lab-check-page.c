/* gk-lab-check-page.c: the lab check's findings, as `genokey doctor` has
 * them
 *
 * Shows what a GkDoctor (src/core/doctor/) finds: problems, warnings and
 * notes first, each with what it means and its fix (selectable, and one
 * click to copy), then what passed. Every word and every severity comes
 * from core; this page only lays them out and runs the check again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-lab-check-page.h"

struct _GkLabCheckPage
{
  AdwBin parent_instance;

  GkDoctor *doctor;
  GCancellable *cancellable;
  GPtrArray *findings;      /* GkDoctorFinding*, the last run's */

  GtkStack *stack;
  GtkSpinner *spinner;
  AdwStatusPage *failed_page;
  GtkImage *headline_icon;
  GtkLabel *headline_label;
  GtkLabel *summary_label;
  GtkListBox *findings_list;
  GtkLabel *passed_heading;
  GtkListBox *passed_list;
};

G_DEFINE_FINAL_TYPE (GkLabCheckPage, gk_lab_check_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  SHOW_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
severity_icon (GkDoctorSeverity severity)
{
  switch (severity)
    {
    case GK_DOCTOR_PROBLEM: return "dialog-error-symbolic";
    case GK_DOCTOR_WARNING: return "dialog-warning-symbolic";
    case GK_DOCTOR_NOTE:    return "dialog-information-symbolic";
    case GK_DOCTOR_OK:
    default:                return "emblem-ok-symbolic";
    }
}

static const char *
severity_style (GkDoctorSeverity severity)
{
  switch (severity)
    {
    case GK_DOCTOR_PROBLEM: return "error";
    case GK_DOCTOR_WARNING: return "warning";
    case GK_DOCTOR_NOTE:    return "accent";
    case GK_DOCTOR_OK:
    default:                return "success";
    }
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
severity_image (GkDoctorSeverity severity)
{
  /* The row's subtitle says the severity in words. */
  GtkWidget *image = g_object_new (GTK_TYPE_IMAGE,
                                   "icon-name", severity_icon (severity),
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);

  gtk_widget_add_css_class (image, severity_style (severity));
  return image;
}

static GtkWidget *
wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

/* What the finding means and its fix, under the row. */
static GtkWidget *
finding_details (const GkDoctorFinding *finding,
                 guint                  index)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  const char *fix = gk_doctor_finding_get_fix (finding);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), wrapped_label (gk_doctor_finding_get_meaning (finding)));
  if (fix != NULL)
    {
      GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *title = gtk_label_new (_("Fix"));
      GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Fix"));
      GtkWidget *code = wrapped_label (fix);

      gtk_widget_add_css_class (title, "heading");
      gtk_widget_set_hexpand (title, TRUE);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "lab-check.copy-fix");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "u", index);
      gtk_box_append (GTK_BOX (heading), title);
      gtk_box_append (GTK_BOX (heading), copy);
      gtk_box_append (GTK_BOX (box), heading);
      /* Commands break where they must, not between words. */
      gtk_label_set_wrap_mode (GTK_LABEL (code), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (code, "monospace");
      gtk_box_append (GTK_BOX (box), code);
    }
  return box;
}

static GtkWidget *
finding_row (const GkDoctorFinding *finding,
             guint                  index)
{
  GkDoctorSeverity severity = gk_doctor_finding_get_severity (finding);
  const char *subject = gk_doctor_finding_get_subject (finding);
  g_autofree char *subtitle = subject != NULL
    /* Translators: a finding's severity ("Problem"), then what it is about */
    ? g_strdup_printf (_("%s · %s"), gk_doctor_severity_get_label (severity), subject)
    : g_strdup (gk_doctor_severity_get_label (severity));
  GtkWidget *row;

  if (severity == GK_DOCTOR_OK)
    {
      row = adw_action_row_new ();
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), gk_doctor_finding_get_meaning (finding));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), severity_image (severity));
    }
  else
    {
      row = adw_expander_row_new ();
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), severity_image (severity));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), finding_details (finding, index));
      /* Problems open by themselves: they are what the page is for. */
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), severity == GK_DOCTOR_PROBLEM);
    }
  /* Findings hold outside text (hosts, bucket names, AWS's words). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gk_doctor_finding_get_title (finding));
  return row;
}

static void
show_findings (GkLabCheckPage *self)
{
  GkDoctorSeverity worst = gk_doctor_findings_get_worst (self->findings);
  g_autofree char *summary = gk_doctor_findings_dup_summary (self->findings);
  gboolean any_passed = FALSE, any_found = FALSE;

  clear_list (self->findings_list);
  clear_list (self->passed_list);
  gtk_image_set_from_icon_name (self->headline_icon, severity_icon (worst));
  for (guint s = 0; s < GK_DOCTOR_N_SEVERITIES; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->headline_icon), severity_style (s));
  gtk_widget_add_css_class (GTK_WIDGET (self->headline_icon), severity_style (worst));
  gtk_label_set_text (self->headline_label, gk_doctor_severity_get_headline (worst));
  gtk_label_set_text (self->summary_label, summary);

  /* Problems first, then warnings and notes, in the check's order. */
  for (int s = GK_DOCTOR_PROBLEM; s >= GK_DOCTOR_OK; s--)
    for (guint i = 0; i < self->findings->len; i++)
      {
        const GkDoctorFinding *f = g_ptr_array_index (self->findings, i);

        if ((int) gk_doctor_finding_get_severity (f) != s)
          continue;
        if (s == GK_DOCTOR_OK)
          {
            gtk_list_box_append (self->passed_list, finding_row (f, i));
            any_passed = TRUE;
          }
        else
          {
            gtk_list_box_append (self->findings_list, finding_row (f, i));
            any_found = TRUE;
          }
      }
  gtk_widget_set_visible (GTK_WIDGET (self->findings_list), any_found);
  gtk_widget_set_visible (GTK_WIDGET (self->passed_heading), any_passed);
  gtk_widget_set_visible (GTK_WIDGET (self->passed_list), any_passed);
  gtk_stack_set_visible_child_name (self->stack, "results");
}

static void
set_running (GkLabCheckPage *self,
             gboolean        running)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lab-check.run", !running);
  if (running)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "running");
    }
  else
    gtk_spinner_stop (self->spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
on_run_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GkLabCheckPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *findings;

  findings = gk_doctor_run_finish (GK_DOCTOR (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (findings == NULL)
    {
      adw_status_page_set_description (self->failed_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      set_running (self, FALSE);
      return;
    }
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = findings;
  show_findings (self);
  set_running (self, FALSE);
}

static void
start (GkLabCheckPage *self)
{
  gk_lab_check_page_stop (self);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gk_doctor_run_async (self->doctor, self->cancellable, on_run_cb, g_object_ref (self));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  GkLabCheckPage *self = GK_LAB_CHECK_PAGE (widget);

  if (self->doctor != NULL)
    start (self);
}

static void
copy_fix_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  GkLabCheckPage *self = GK_LAB_CHECK_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  const GkDoctorFinding *finding;

  if (self->findings == NULL || index >= self->findings->len)
    return;
  finding = g_ptr_array_index (self->findings, index);
  if (gk_doctor_finding_get_fix (finding) == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), gk_doctor_finding_get_fix (finding));
  g_signal_emit (self, signals[SHOW_MESSAGE], 0, _("Fix copied"));
}

static void
gk_lab_check_page_dispose (GObject *object)
{
  GkLabCheckPage *self = GK_LAB_CHECK_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->doctor);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (gk_lab_check_page_parent_class)->dispose (object);
}

static void
gk_lab_check_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GkLabCheckPage *self = GK_LAB_CHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, gk_lab_check_page_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_lab_check_page_class_init (GkLabCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_lab_check_page_dispose;
  object_class->get_property = gk_lab_check_page_get_property;

  /**
   * GkLabCheckPage:running:
   *
   * Whether a check runs now.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GkLabCheckPage::show-message:
   *
   * A short message for the window to show, such as that a fix was copied.
   */
  signals[SHOW_MESSAGE] =
    g_signal_new ("show-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-lab-check-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, failed_page);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, headline_icon);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, headline_label);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, findings_list);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, passed_heading);
  gtk_widget_class_bind_template_child (widget_class, GkLabCheckPage, passed_list);

  gtk_widget_class_install_action (widget_class, "lab-check.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "lab-check.copy-fix", "u", copy_fix_action);
}

static void
gk_lab_check_page_init (GkLabCheckPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GkLabCheckPage *
gk_lab_check_page_new (void)
{
  return g_object_new (GK_TYPE_LAB_CHECK_PAGE, NULL);
}

/**
 * gk_lab_check_page_run:
 * @doctor: the check to run (kept for Check Again)
 *
 * Runs @doctor, cancelling a run under way, and shows what it finds.
 */
void
gk_lab_check_page_run (GkLabCheckPage *self,
                       GkDoctor       *doctor)
{
  g_return_if_fail (GK_IS_LAB_CHECK_PAGE (self));
  g_return_if_fail (GK_IS_DOCTOR (doctor));

  g_set_object (&self->doctor, doctor);
  start (self);
}

/**
 * gk_lab_check_page_stop:
 *
 * Cancels a run under way; what was shown before stays.
 */
void
gk_lab_check_page_stop (GkLabCheckPage *self)
{
  g_return_if_fail (GK_IS_LAB_CHECK_PAGE (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->findings != NULL)
    show_findings (self);
  set_running (self, FALSE);
}

/**
 * gk_lab_check_page_get_doctor:
 *
 * Returns: (transfer none) (nullable): the check the page runs
 */
GkDoctor *
gk_lab_check_page_get_doctor (GkLabCheckPage *self)
{
  g_return_val_if_fail (GK_IS_LAB_CHECK_PAGE (self), NULL);
  return self->doctor;
}

gboolean
gk_lab_check_page_get_running (GkLabCheckPage *self)
{
  g_return_val_if_fail (GK_IS_LAB_CHECK_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * gk_lab_check_page_get_findings:
 *
 * Returns: (transfer none) (nullable) (element-type GkDoctorFinding): what
 *   the last finished run found
 */
GPtrArray *
gk_lab_check_page_get_findings (GkLabCheckPage *self)
{
  g_return_val_if_fail (GK_IS_LAB_CHECK_PAGE (self), NULL);
  return self->findings;
}
