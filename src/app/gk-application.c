/* gk-application.c: the GApplication — app-wide actions, About, Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-application.h"
#include "gk-resources.h"
#include "gk-preferences-window.h"
#include "gk-window.h"

struct _GkApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (GkApplication, gk_application, ADW_TYPE_APPLICATION)

static GkWindow *
get_window (GkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL || !GK_IS_WINDOW (window))
    window = GTK_WINDOW (gk_window_new (self));
  return GK_WINDOW (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GkApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows first lets each save its size. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GkApplication *self = user_data;
  static const char *developers[] = { "The Genokey developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Genokey"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Genokey developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/genokey/genokey",
                        "issue-url", "https://github.com/genokey/genokey/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Sign in to your lab once, keep the sign-in in the keyring, and open private S3 genomics data in IGV, IGV-Web and Chromoscope."),
                        /* Translators: your name and e-mail, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GkApplication *self = user_data;
  GkPreferencesWindow *preferences;

  preferences = gk_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

/* The notification's button: bring the window up and start the sign-in. */
static void
sign_in_again_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GkApplication *self = user_data;
  GkWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
}

/* "s3://bucket/key" from outside (a link handler, `gapplication action`). */
static void
show_location_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GkApplication *self = user_data;
  GkWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-location", parameter);
}

static const GActionEntry app_actions[] = {
  { "show-location", show_location_action, "s" },
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "sign-in-again", sign_in_again_action },
};

static void
gk_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (GK_APPLICATION (app))));
}

static void
gk_application_startup (GApplication *app)
{
  GkApplication *self = GK_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.filter", { "<Control>f", NULL } },
    { "win.reload", { "<Control>r", "F5", NULL } },
    { "win.go-up", { "<Alt>Up", NULL } },
    { "win.copy-link", { "<Control><Shift>c", NULL } },
    { "win.open-in-igv", { "<Control>i", NULL } },
    { "win.sign-in", { "<Control>Return", NULL } },
  };

  G_APPLICATION_CLASS (gk_application_parent_class)->startup (app);

  /* Notification servers without desktop-file lookups show this name. */
  g_set_application_name (_("Genokey"));

  /* Follow the system's light/dark preference (AdwStyleManager's default),
   * stated here so nobody "fixes" it to force light. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static void
gk_application_class_init (GkApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  gk_application_ensure_resources ();

  app_class->activate = gk_application_activate;
  app_class->startup = gk_application_startup;
}

static void
gk_application_init (GkApplication *self)
{
}

GkApplication *
gk_application_new (void)
{
  return g_object_new (GK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", APP_PATH,
                       NULL);
}

/**
 * gk_application_schema_is_installed:
 *
 * Whether GSettings can find the application's schema (installed, or named
 * by GSETTINGS_SCHEMA_DIR as `meson devenv` does). Without it the first
 * g_settings_new() aborts the process.
 */
gboolean
gk_application_schema_is_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return FALSE;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL;
}

/**
 * gk_application_ensure_resources:
 *
 * Registers the window's templates, style and icons. Called before any
 * widget class is made; widget tests call it too.
 */
void
gk_application_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      GdkDisplay *display;

      gk_register_resource ();
      /* Without a GkApplication (widget tests) nobody else loads the
       * style sheet and the icons from the bundle. */
      display = gdk_display_get_default ();
      if (display != NULL)
        {
          g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

          gtk_css_provider_load_from_resource (css, APP_PATH "/style.css");
          gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                                      GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
          gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                            APP_PATH "/icons");
        }
      g_once_init_leave (&registered, 1);
    }
}
