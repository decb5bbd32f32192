/* gk-preferences-window.c: the preferences, each row bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "gk-preferences-window.h"

struct _GkPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  GtkAdjustment *link_lifetime_adjustment;
  AdwEntryRow *igv_command_row;
  GtkAdjustment *igv_port_adjustment;
  AdwActionRow *gateway_port_row;
  GtkAdjustment *gateway_port_adjustment;
  AdwEntryRow *gateway_origins_row;

  GkGatewayService *gateway;
};

G_DEFINE_FINAL_TYPE (GkPreferencesWindow, gk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The key is in seconds (what core takes); people think of links in minutes. */
static gboolean
seconds_to_minutes (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 60.0);
  return TRUE;
}

static GVariant *
minutes_to_seconds (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 60.0 + 0.5));
}

/* The allowed web origins, one line for the list. */
static gboolean
origins_to_text (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_autofree const char **origins = g_variant_get_strv (variant, NULL);
  g_autofree char *text = g_strjoinv (", ", (char **) origins);

  g_value_set_string (value, text);
  return TRUE;
}

static GVariant *
text_to_origins (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  g_auto(GStrv) parts = g_strsplit_set (g_value_get_string (value), ", \t", -1);
  g_autoptr(GPtrArray) origins = g_ptr_array_new ();

  /* An origin is scheme://host[:port], compared exactly by browsers: no
   * path, no trailing slash. */
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *origin = parts[i];
      gsize n = strlen (origin);

      while (n > 0 && origin[n - 1] == '/')
        origin[--n] = '\0';
      if (n > 0)
        g_ptr_array_add (origins, origin);
    }
  return g_variant_new_strv ((const char * const *) origins->pdata, origins->len);
}

/* A port the gateway cannot have is said where it is chosen; the gateway
 * stays where it was (gk_gateway_service_set_port()). */
static void
on_gateway_error_cb (GkPreferencesWindow *self)
{
  const GError *error = gk_gateway_service_get_error (self->gateway);

  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->gateway_port_row), "error");
      adw_action_row_set_subtitle (self->gateway_port_row, error->message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->gateway_port_row), "error");
      adw_action_row_set_subtitle (self->gateway_port_row,
                                   _("Links carry the port: changing it ends the links made before"));
    }
}

static void
gk_preferences_window_dispose (GObject *object)
{
  GkPreferencesWindow *self = GK_PREFERENCES_WINDOW (object);

  if (self->gateway != NULL)
    g_signal_handlers_disconnect_by_data (self->gateway, self);
  g_clear_object (&self->gateway);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gk_preferences_window_parent_class)->dispose (object);
}

static void
gk_preferences_window_class_init (GkPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GkPreferencesWindow, link_lifetime_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GkPreferencesWindow, igv_command_row);
  gtk_widget_class_bind_template_child (widget_class, GkPreferencesWindow, igv_port_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GkPreferencesWindow, gateway_port_row);
  gtk_widget_class_bind_template_child (widget_class, GkPreferencesWindow, gateway_port_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GkPreferencesWindow, gateway_origins_row);
}

static void
gk_preferences_window_init (GkPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (self->settings, "link-lifetime",
                                self->link_lifetime_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                seconds_to_minutes, minutes_to_seconds, NULL, NULL);
  g_settings_bind (self->settings, "igv-command", self->igv_command_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "igv-port", self->igv_port_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "gateway-port", self->gateway_port_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "gateway-origins", self->gateway_origins_row, "text",
                                G_SETTINGS_BIND_DEFAULT, origins_to_text, text_to_origins, NULL, NULL);
}

/**
 * gk_preferences_window_set_gateway:
 *
 * Shows why the gateway could not take the chosen port, under the port.
 */
void
gk_preferences_window_set_gateway (GkPreferencesWindow *self,
                                   GkGatewayService    *gateway)
{
  g_return_if_fail (GK_IS_PREFERENCES_WINDOW (self));

  if (self->gateway != NULL)
    g_signal_handlers_disconnect_by_data (self->gateway, self);
  g_set_object (&self->gateway, gateway);
  if (gateway == NULL)
    return;
  g_signal_connect_swapped (gateway, "notify::error", G_CALLBACK (on_gateway_error_cb), self);
  on_gateway_error_cb (self);
}

GkPreferencesWindow *
gk_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (GK_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}
