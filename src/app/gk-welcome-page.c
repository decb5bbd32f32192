/* gk-welcome-page.c: first run — import the lab's configuration
 *
 * Three ways in, as labs hand their config out: the IGV oauth-config.json
 * file, a provisioning link to it, or its text pasted from an e-mail. Core
 * validates; this page only shows core's message beside what was tried.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-app-hints.h"
#include "gk-welcome-page.h"

struct _GkWelcomePage
{
  AdwBin parent_instance;

  GkProfileStore *store;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  char *error;

  AdwStatusPage *status_page;
  AdwEntryRow *name_row;
  AdwEntryRow *url_row;
  GtkTextView *paste_view;
  GtkLabel *error_label;
  GtkSpinner *spinner;
  GtkWidget *form;
};

G_DEFINE_FINAL_TYPE (GkWelcomePage, gk_welcome_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ERROR,
  N_PROPS
};

enum {
  IMPORTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_error (GkWelcomePage *self,
           const char    *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  /* Screen readers hear the problem without hunting for it. */
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_busy (GkWelcomePage *self,
          gboolean       busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->form, !busy);
}

static const char *
get_name (GkWelcomePage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  return name[0] != '\0' ? name : NULL;
}

static void
report_error (GkWelcomePage *self,
              const GError  *error)
{
  /* Core's message names the key and the fix; the window adds where to
   * type (another name under “Profile Name”). */
  g_autofree char *text = gk_app_dup_error_text (error);

  set_error (self, text);
}

static void
imported (GkWelcomePage *self,
          GPtrArray     *profiles)
{
  set_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->paste_view), "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  g_signal_emit (self, signals[IMPORTED], 0, profiles->pdata[0]);
}

static void
on_import_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GkWelcomePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;

  profiles = gk_profile_store_import_finish (GK_PROFILE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (profiles == NULL)
    report_error (self, error);
  else
    imported (self, profiles);
}

static void
import_from (GkWelcomePage *self,
             const char    *file_or_url)
{
  g_return_if_fail (self->store != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gk_profile_store_import_async (self->store, file_or_url, get_name (self), FALSE,
                                 self->cancellable, on_import_cb, g_object_ref (self));
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         user_data)
{
  GkWelcomePage *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path != NULL)
    import_from (self, path);
  else
    set_error (self, _("This file is not on this computer. Save it to a local folder first."));
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GkWelcomePage *self = GK_WELCOME_PAGE (widget);
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);

  /* GtkFileDialog is GTK 4.10; Debian 12 has 4.8. */
  self->chooser = gtk_file_chooser_native_new (_("Import Lab Configuration"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (json, _("Lab configuration (JSON)"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_mime_type (json, "application/gzip");
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_filter_add_suffix (json, "gz");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), json);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
import_url_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GkWelcomePage *self = GK_WELCOME_PAGE (widget);
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));

  if (url[0] == '\0')
    {
      set_error (self, _("Type or paste the link your lab gave you, then press Enter."));
      return;
    }
  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    {
      set_error (self, _("A provisioning link starts with https://. To import a file, use “Choose File…”."));
      return;
    }
  import_from (self, url);
}

static void
import_pasted_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GkWelcomePage *self = GK_WELCOME_PAGE (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->paste_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  gsize len;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  if (text[0] == '\0')
    {
      set_error (self, _("Paste the contents of the lab’s oauth-config.json first."));
      return;
    }
  len = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), len);
  profiles = gk_profile_store_import_bytes (self->store, bytes, get_name (self), FALSE, &error);
  if (profiles == NULL)
    report_error (self, error);
  else
    imported (self, profiles);
}

static void
on_url_row_apply_cb (GkWelcomePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "welcome.import-url", NULL);
}

static void
on_paste_changed_cb (GtkTextBuffer *buffer,
                     GkWelcomePage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.import-pasted",
                                 gtk_text_buffer_get_char_count (buffer) > 0);
}

static void
gk_welcome_page_dispose (GObject *object)
{
  GkWelcomePage *self = GK_WELCOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gk_welcome_page_parent_class)->dispose (object);
}

static void
gk_welcome_page_finalize (GObject *object)
{
  GkWelcomePage *self = GK_WELCOME_PAGE (object);

  g_free (self->error);

  G_OBJECT_CLASS (gk_welcome_page_parent_class)->finalize (object);
}

static void
gk_welcome_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GkWelcomePage *self = GK_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_welcome_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GkWelcomePage *self = GK_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      gk_welcome_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_welcome_page_class_init (GkWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_welcome_page_dispose;
  object_class->finalize = gk_welcome_page_finalize;
  object_class->get_property = gk_welcome_page_get_property;
  object_class->set_property = gk_welcome_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GK_TYPE_PROFILE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GkWelcomePage::imported:
   * @profile: the first profile saved
   */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GK_TYPE_PROFILE);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, url_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, paste_view);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, form);

  gtk_widget_class_bind_template_callback (widget_class, on_url_row_apply_cb);

  gtk_widget_class_install_action (widget_class, "welcome.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "welcome.import-url", NULL, import_url_action);
  gtk_widget_class_install_action (widget_class, "welcome.import-pasted", NULL, import_pasted_action);
}

static void
gk_welcome_page_init (GkWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_status_page_set_icon_name (self->status_page, APP_ID);
  g_signal_connect_object (gtk_text_view_get_buffer (self->paste_view), "changed",
                           G_CALLBACK (on_paste_changed_cb), self, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.import-pasted", FALSE);
}

GkWelcomePage *
gk_welcome_page_new (void)
{
  return g_object_new (GK_TYPE_WELCOME_PAGE, NULL);
}

GkProfileStore *
gk_welcome_page_get_store (GkWelcomePage *self)
{
  g_return_val_if_fail (GK_IS_WELCOME_PAGE (self), NULL);

  return self->store;
}

void
gk_welcome_page_set_store (GkWelcomePage  *self,
                           GkProfileStore *store)
{
  g_return_if_fail (GK_IS_WELCOME_PAGE (self));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * gk_welcome_page_get_error:
 *
 * Returns: (nullable): the message shown under the form, if any
 */
const char *
gk_welcome_page_get_error (GkWelcomePage *self)
{
  g_return_val_if_fail (GK_IS_WELCOME_PAGE (self), NULL);

  return self->error;
}

void
gk_welcome_page_reset (GkWelcomePage *self)
{
  g_return_if_fail (GK_IS_WELCOME_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  set_busy (self, FALSE);
  set_error (self, NULL);
}
