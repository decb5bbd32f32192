/* gk-signed-in-page.c: who is signed in, until when, and the data
 *
 * The account line answers the questions people had with IGV's own login:
 * am I signed in, as whom, and will my links still work in an hour. For a
 * profile that is not a lab sign-in (an access key, a role, the instance's
 * role) it says where the credentials come from instead; there is no
 * sign-in to end there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-signed-in-page.h"

struct _GkSignedInPage
{
  AdwBin parent_instance;

  char *email;
  gint64 expiration;
  gboolean renewing;
  char *renewal_problem;
  char *source_status;   /* a profile that is not a sign-in: its line */
  guint tick_id;

  AdwAvatar *avatar;
  GtkLabel *email_label;
  GtkLabel *status_label;
  GtkImage *status_icon;
  GtkWidget *sign_out_button;
  AdwBin *content_bin;
};

G_DEFINE_FINAL_TYPE (GkSignedInPage, gk_signed_in_page, ADW_TYPE_BIN)

/* g_set_str () is GLib 2.76; Debian 12 has 2.74. */
static void
set_str (char       **dest,
         const char  *value)
{
  if (*dest != value)
    {
      g_free (*dest);
      *dest = g_strdup (value);
    }
}

static char *
format_time (gint64 unix_time,
             gint64 now)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (now);

  if (when == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (when) == g_date_time_get_year (today)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (today))
    /* Translators: a time of day, strftime format */
    return g_date_time_format (when, _("%H:%M"));
  /* Translators: a date and time, strftime format */
  return g_date_time_format (when, _("%b %-d, %H:%M"));
}

/**
 * gk_signed_in_page_dup_status_text:
 * @now: the current Unix time (a parameter so tests need no clock)
 *
 * Returns: (transfer full): the line under the e-mail address
 */
char *
gk_signed_in_page_dup_status_text (GkSignedInPage *self,
                                   gint64          now)
{
  g_autofree char *until = NULL;

  g_return_val_if_fail (GK_IS_SIGNED_IN_PAGE (self), NULL);

  if (self->source_status != NULL)
    return g_strdup (self->source_status);
  if (self->renewing)
    return g_strdup (_("Renewing the credentials…"));
  if (self->expiration <= 0)
    return g_strdup (_("Getting credentials…"));
  until = format_time (self->expiration, now);
  if (self->expiration <= now)
    return g_strdup_printf (_("Credentials expired at %s. Sign in again to keep working."), until);
  if (self->renewal_problem != NULL)
    return g_strdup_printf (_("Credentials valid until %s, then you need to sign in again"), until);
  return g_strdup_printf (_("Credentials valid until %s, renewed automatically"), until);
}

static void
update (GkSignedInPage *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *status = gk_signed_in_page_dup_status_text (self, now);
  gboolean trouble = self->renewal_problem != NULL || (self->expiration > 0 && self->expiration <= now);

  gtk_label_set_label (self->email_label, self->email ? self->email : "");
  adw_avatar_set_text (self->avatar, self->email);
  gtk_label_set_label (self->status_label, status);
  gtk_image_set_from_icon_name (self->status_icon,
                                trouble ? "dialog-warning-symbolic"
                                : self->renewing ? "view-refresh-symbolic"
                                : "emblem-ok-symbolic");
  if (trouble)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), self->renewal_problem);
  gtk_widget_set_visible (self->sign_out_button, self->source_status == NULL);
}

static gboolean
on_tick_cb (gpointer user_data)
{
  update (GK_SIGNED_IN_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_map_cb (GkSignedInPage *self)
{
  update (self);
  /* The line says "expired" on its own when the time comes. */
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (20, on_tick_cb, self);
}

static void
on_unmap_cb (GkSignedInPage *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
gk_signed_in_page_dispose (GObject *object)
{
  GkSignedInPage *self = GK_SIGNED_IN_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  G_OBJECT_CLASS (gk_signed_in_page_parent_class)->dispose (object);
}

static void
gk_signed_in_page_finalize (GObject *object)
{
  GkSignedInPage *self = GK_SIGNED_IN_PAGE (object);

  g_free (self->email);
  g_free (self->renewal_problem);
  g_free (self->source_status);

  G_OBJECT_CLASS (gk_signed_in_page_parent_class)->finalize (object);
}

static void
gk_signed_in_page_class_init (GkSignedInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_signed_in_page_dispose;
  object_class->finalize = gk_signed_in_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-signed-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GkSignedInPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, GkSignedInPage, email_label);
  gtk_widget_class_bind_template_child (widget_class, GkSignedInPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, GkSignedInPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, GkSignedInPage, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, GkSignedInPage, content_bin);
}

static void
gk_signed_in_page_init (GkSignedInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (on_unmap_cb), NULL);
}

GkSignedInPage *
gk_signed_in_page_new (void)
{
  return g_object_new (GK_TYPE_SIGNED_IN_PAGE, NULL);
}

/**
 * gk_signed_in_page_set_account:
 * @email: (nullable): who is signed in
 * @expiration: Unix time the credentials expire, 0 when unknown yet
 * @renewing: a renewal is running
 * @renewal_problem: (nullable): why renewal needs the user
 */
void
gk_signed_in_page_set_account (GkSignedInPage *self,
                               const char     *email,
                               gint64          expiration,
                               gboolean        renewing,
                               const char     *renewal_problem)
{
  g_return_if_fail (GK_IS_SIGNED_IN_PAGE (self));

  set_str (&self->email, email);
  set_str (&self->source_status, NULL);
  set_str (&self->renewal_problem, renewal_problem);
  self->expiration = expiration;
  self->renewing = renewing;
  update (self);
}

/**
 * gk_signed_in_page_set_source:
 * @title: what the credentials are, e.g. the access key's ID
 * @status: where they come from and how long they last
 *
 * For a profile whose credentials are not a lab sign-in.
 */
void
gk_signed_in_page_set_source (GkSignedInPage *self,
                              const char     *title,
                              const char     *status)
{
  g_return_if_fail (GK_IS_SIGNED_IN_PAGE (self));
  g_return_if_fail (status != NULL);

  set_str (&self->email, title);
  set_str (&self->source_status, status);
  set_str (&self->renewal_problem, NULL);
  self->expiration = 0;
  self->renewing = FALSE;
  update (self);
}

GtkWidget *
gk_signed_in_page_get_content (GkSignedInPage *self)
{
  g_return_val_if_fail (GK_IS_SIGNED_IN_PAGE (self), NULL);

  return adw_bin_get_child (self->content_bin);
}

void
gk_signed_in_page_set_content (GkSignedInPage *self,
                               GtkWidget      *content)
{
  g_return_if_fail (GK_IS_SIGNED_IN_PAGE (self));

  adw_bin_set_child (self->content_bin, content);
}
