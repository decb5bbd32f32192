/* gk-signed-out-page.c: pick the lab (profile) and sign in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-profile.h"
#include "gk-signed-out-page.h"

struct _GkSignedOutPage
{
  AdwBin parent_instance;

  GtkStringList *names;
  gboolean updating;

  AdwStatusPage *status_page;
  GtkWidget *profile_list;
  AdwComboRow *profile_row;
  GtkButton *sign_in_button;
};

G_DEFINE_FINAL_TYPE (GkSignedOutPage, gk_signed_out_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_profile_row_selected_cb (GkSignedOutPage *self)
{
  if (!self->updating)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
gk_signed_out_page_dispose (GObject *object)
{
  GkSignedOutPage *self = GK_SIGNED_OUT_PAGE (object);

  g_clear_object (&self->names);

  G_OBJECT_CLASS (gk_signed_out_page_parent_class)->dispose (object);
}

static void
gk_signed_out_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GkSignedOutPage *self = GK_SIGNED_OUT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_string (value, gk_signed_out_page_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_signed_out_page_grab_focus_cb (GkSignedOutPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
}

static void
gk_signed_out_page_class_init (GkSignedOutPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_signed_out_page_dispose;
  object_class->get_property = gk_signed_out_page_get_property;

  properties[PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-signed-out-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GkSignedOutPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, GkSignedOutPage, profile_list);
  gtk_widget_class_bind_template_child (widget_class, GkSignedOutPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, GkSignedOutPage, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_row_selected_cb);
}

static void
gk_signed_out_page_init (GkSignedOutPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_status_page_set_icon_name (self->status_page, APP_ID);
  self->names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (self->names));
  /* The page's one job is the big button: give it the focus when shown. */
  g_signal_connect (self, "map", G_CALLBACK (gk_signed_out_page_grab_focus_cb), NULL);
}

GkSignedOutPage *
gk_signed_out_page_new (void)
{
  return g_object_new (GK_TYPE_SIGNED_OUT_PAGE, NULL);
}

/**
 * gk_signed_out_page_set_profiles:
 * @profiles: (element-type GkProfile): the saved profiles
 * @selected: (nullable): the name to select
 */
void
gk_signed_out_page_set_profiles (GkSignedOutPage *self,
                                 GPtrArray       *profiles,
                                 const char      *selected)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  guint position = 0;

  g_return_if_fail (GK_IS_SIGNED_OUT_PAGE (self));

  for (guint i = 0; i < profiles->len; i++)
    {
      const char *name = gk_profile_get_name (profiles->pdata[i]);

      if (g_strcmp0 (name, selected) == 0)
        position = i;
      g_strv_builder_add (builder, name);
    }
  names = g_strv_builder_end (builder);

  self->updating = TRUE;
  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)),
                          (const char * const *) names);
  adw_combo_row_set_selected (self->profile_row, position);
  self->updating = FALSE;
  /* One lab is the common case: then there is nothing to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self->profile_list), profiles->len > 1);
  if (profiles->len == 1)
    {
      g_autofree char *name = g_markup_escape_text (names[0], -1);
      g_autofree char *description =
        g_strdup_printf (_("Genokey opens the login page of “%s” in your web browser."), name);
      adw_status_page_set_description (self->status_page, description);
    }
  else
    adw_status_page_set_description (self->status_page,
                                     _("Genokey opens your lab’s login page in your web browser."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/**
 * gk_signed_out_page_get_selected:
 *
 * Returns: (nullable): the name of the chosen profile
 */
const char *
gk_signed_out_page_get_selected (GkSignedOutPage *self)
{
  guint position;

  g_return_val_if_fail (GK_IS_SIGNED_OUT_PAGE (self), NULL);

  position = adw_combo_row_get_selected (self->profile_row);
  if (position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->names, position);
}
