/* gk-window.c: the main window — which page shows, and the window's actions
 *
 * The pages follow the profile store and the session: no profile → welcome;
 * otherwise the session's state picks signed-out, signing-in or signed-in.
 * Every decision about tokens, links and listings is core's; this file only
 * shows core's state and forwards the user's clicks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-profile-store.h"
#include "gk-s3-browser.h"
#include "gk-signed-in-page.h"
#include "gk-signed-out-page.h"
#include "gk-signing-in-page.h"
#include "gk-welcome-page.h"
#include "gk-window.h"

struct _GkWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  GkProfileStore *store;
  GPtrArray *profiles;
  GkProfile *profile;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *back_button;
  GtkRevealer *banner_revealer;
  GtkLabel *banner_label;
  GtkStack *stack;
  GkWelcomePage *welcome_page;
  GkSignedOutPage *signed_out_page;
  GkSigningInPage *signing_in_page;
  GkSignedInPage *signed_in_page;
  GkS3Browser *browser;
};

G_DEFINE_FINAL_TYPE (GkWindow, gk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_page (GkWindow   *self,
           const char *name)
{
  gboolean adding = g_str_equal (name, "welcome") && self->profiles != NULL && self->profiles->len > 0;

  gtk_stack_set_visible_child_name (self->stack, name);
  /* The welcome page doubles as "add another lab": then there is a way back. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), adding);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", adding);
  adw_window_title_set_subtitle (self->window_title,
                                 self->profile != NULL && !g_str_equal (name, "welcome")
                                 ? gk_profile_get_name (self->profile) : NULL);
}

static void
select_profile (GkWindow   *self,
                const char *name)
{
  GkProfile *found = NULL;

  for (guint i = 0; self->profiles != NULL && i < self->profiles->len; i++)
    if (g_strcmp0 (gk_profile_get_name (self->profiles->pdata[i]), name) == 0)
      found = self->profiles->pdata[i];
  if (found == NULL && self->profiles != NULL && self->profiles->len > 0)
    found = self->profiles->pdata[0];
  if (found == self->profile)
    return;

  g_set_object (&self->profile, found);
  if (found != NULL)
    {
      g_settings_set_string (self->settings, "last-profile", gk_profile_get_name (found));
      /* The command line follows the window's choice too. */
      gk_profile_store_set_last_used (self->store, gk_profile_get_name (found));
    }
}

static void
reload_profiles (GkWindow   *self,
                 const char *select)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GPtrArray) profiles = NULL;

  profiles = gk_profile_store_list (self->store, &error);
  if (profiles == NULL)
    {
      gk_window_show_error (self, error);
      profiles = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&profiles);

  if (select == NULL)
    {
      last = g_settings_get_string (self->settings, "last-profile");
      if (last[0] == '\0')
        {
          g_free (last);
          last = gk_profile_store_dup_last_used (self->store);
        }
      select = last;
    }
  g_clear_object (&self->profile);
  select_profile (self, select);
  gk_signed_out_page_set_profiles (self->signed_out_page, self->profiles,
                                   self->profile ? gk_profile_get_name (self->profile) : NULL);
}

static void
update_view (GkWindow *self)
{
  if (self->profile == NULL)
    {
      show_page (self, "welcome");
      return;
    }
  show_page (self, "signed-out");
}

static void
on_welcome_page_imported_cb (GkWindow  *self,
                             GkProfile *profile)
{
  g_autofree char *message = NULL;

  reload_profiles (self, gk_profile_get_name (profile));
  /* Translators: %s is the profile name */
  message = g_strdup_printf (_("Added “%s”"), gk_profile_get_name (profile));
  gk_window_show_toast (self, message);
  update_view (self);
}

static void
on_signed_out_page_selected_cb (GkWindow *self)
{
  const char *name = gk_signed_out_page_get_selected (self->signed_out_page);

  if (name != NULL && (self->profile == NULL || g_strcmp0 (name, gk_profile_get_name (self->profile)) != 0))
    {
      select_profile (self, name);
      update_view (self);
    }
}

static void
add_profile_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  gk_welcome_page_reset (self->welcome_page);
  show_page (self, "welcome");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GkWindow *self = GK_WINDOW (widget);

  gk_welcome_page_reset (self->welcome_page);
  update_view (self);
}

static void
save_window_size (GkWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
gk_window_close_request (GtkWindow *window)
{
  save_window_size (GK_WINDOW (window));

  return GTK_WINDOW_CLASS (gk_window_parent_class)->close_request (window);
}

static void
gk_window_dispose (GObject *object)
{
  GkWindow *self = GK_WINDOW (object);

  g_clear_object (&self->profile);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gk_window_parent_class)->dispose (object);
}

static void
gk_window_class_init (GkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gk_window_dispose;
  window_class->close_request = gk_window_close_request;

  g_type_ensure (GK_TYPE_WELCOME_PAGE);
  g_type_ensure (GK_TYPE_SIGNED_OUT_PAGE);
  g_type_ensure (GK_TYPE_SIGNING_IN_PAGE);
  g_type_ensure (GK_TYPE_SIGNED_IN_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, signed_out_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, signing_in_page);
  gtk_widget_class_bind_template_child (widget_class, GkWindow, signed_in_page);
  gtk_widget_class_bind_template_callback (widget_class, on_welcome_page_imported_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_out_page_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.add-profile", NULL, add_profile_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
}

static void
gk_window_init (GkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_str_equal (PROFILE, "Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->browser = gk_s3_browser_new ();
  gk_signed_in_page_set_content (self->signed_in_page, GTK_WIDGET (self->browser));

  self->store = gk_profile_store_new (NULL);
  gk_welcome_page_set_store (self->welcome_page, self->store);

  reload_profiles (self, NULL);
  update_view (self);
}

GkWindow *
gk_window_new (GkApplication *application)
{
  return g_object_new (GK_TYPE_WINDOW, "application", application, NULL);
}

/**
 * gk_window_get_visible_page:
 *
 * Returns: the name of the page shown: "welcome", "signed-out",
 *   "signing-in", "signed-in" or "loading"
 */
const char *
gk_window_get_visible_page (GkWindow *self)
{
  g_return_val_if_fail (GK_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
gk_window_show_toast (GkWindow   *self,
                      const char *message)
{
  AdwToast *toast;

  g_return_if_fail (GK_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Core's messages already say what to do; show them as they are. */
void
gk_window_show_error (GkWindow     *self,
                      const GError *error)
{
  AdwToast *toast;

  g_return_if_fail (GK_IS_WINDOW (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  toast = adw_toast_new (error->message);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
