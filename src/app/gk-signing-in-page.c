/* gk-signing-in-page.c: the browser is showing the lab's login page
 *
 * The window stays useful meanwhile: Cancel closes the port, Copy Link is for
 * when no browser opened (or the user wants another one), and a failure —
 * typically IGV holding port 60151 — is explained with a Retry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-signing-in-page.h"

struct _GkSigningInPage
{
  AdwBin parent_instance;

  GtkStack *stack;
  GtkSpinner *spinner;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (GkSigningInPage, gk_signing_in_page, ADW_TYPE_BIN)

static void
gk_signing_in_page_class_init (GkSigningInPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-signing-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GkSigningInPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GkSigningInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, GkSigningInPage, error_page);
}

static void
gk_signing_in_page_init (GkSigningInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GkSigningInPage *
gk_signing_in_page_new (void)
{
  return g_object_new (GK_TYPE_SIGNING_IN_PAGE, NULL);
}

void
gk_signing_in_page_show_waiting (GkSigningInPage *self)
{
  g_return_if_fail (GK_IS_SIGNING_IN_PAGE (self));

  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "waiting");
}

/**
 * gk_signing_in_page_show_error:
 * @title: what went wrong, short
 * @message: core's actionable message
 */
void
gk_signing_in_page_show_error (GkSigningInPage *self,
                               const char      *title,
                               const char      *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (GK_IS_SIGNING_IN_PAGE (self));

  gtk_spinner_set_spinning (self->spinner, FALSE);
  adw_status_page_set_title (self->error_page, title);
  /* The description is markup; the message may quote the IdP's own
   * error_description. */
  escaped = g_markup_escape_text (message, -1);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

gboolean
gk_signing_in_page_has_error (GkSigningInPage *self)
{
  g_return_val_if_fail (GK_IS_SIGNING_IN_PAGE (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0;
}
