/* gk-welcome-page.c: first run — import the lab's configuration, or
 * connect without a lab sign-in
 *
 * Three ways in, as labs hand their config out: the IGV oauth-config.json
 * file, a provisioning link to it, or its text pasted from an e-mail. Core
 * validates; this page only shows core's message beside what was tried.
 *
 * Beside them, the three sources that are not a lab sign-in, as `genokey
 * profile add` makes them: an IAM user's access key (the secret typed in a
 * password field and handed straight to core, which keeps it in the
 * keyring only), a role to assume with another profile's credentials, and
 * the EC2 instance's role. The page gathers the fields; core builds,
 * checks and saves the profile (gk-source-profile).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-access-key-source.h"
#include "gk-app-hints.h"
#include "gk-app-hints.h"
#include "gk-source-profile.h"
#include "gk-welcome-page.h"

struct _GkWelcomePage
{
  AdwBin parent_instance;

  GkProfileStore *store;
  GkKeyring *keyring;
  GkProfile *adding;      /* a profile being saved with its source */
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

  AdwExpanderRow *access_key_row;
  AdwEntryRow *access_key_id_row;
  AdwPasswordEntryRow *secret_row;
  AdwExpanderRow *role_row;
  AdwEntryRow *role_arn_row;
  AdwEntryRow *external_id_row;
  AdwComboRow *source_profile_row;
  AdwEntryRow *sts_endpoint_row;
  AdwExpanderRow *instance_row;
  AdwEntryRow *region_row;
  AdwEntryRow *buckets_row;
  AdwEntryRow *endpoint_row;
};

G_DEFINE_FINAL_TYPE (GkWelcomePage, gk_welcome_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KEYRING,
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

/* ---- a profile that is not a lab sign-in ---------------------------------- */

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The field a profile key came from, to say where to correct it. */
static const char *
field_of_key (const char *key)
{
  static const struct { const char *key; const char *field; } fields[] = {
    { "access_key_id", N_("Access Key ID") },
    { "role_arn", N_("Role ARN") },
    { "external_id", N_("External ID") },
    { "source_profile", N_("Source Profile") },
    { "sts_endpoint", N_("STS Endpoint") },
    { "aws_region", N_("Region") },
    { "buckets", N_("Buckets, Separated by Commas") },
    { "endpoint_url", N_("S3 Endpoint") },
  };

  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].key, key))
      return _(fields[i].field);
  return NULL;
}

static void
report_source_error (GkWelcomePage *self,
                     const GError  *error)
{
  const char *field = NULL;
  g_autofree char *message = NULL;

  if (error->domain == GK_PROFILE_ERROR && !g_error_matches (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND))
    field = field_of_key (gk_profile_error_get_key (error));
  else if (g_error_matches (error, GK_ACCESS_KEY_ERROR, GK_ACCESS_KEY_ERROR_INVALID_SECRET))
    field = _("Secret Access Key");
  if (field != NULL)
    /* Translators: the first %s is core's message, the second a field's title */
    message = g_strdup_printf (_("%s Correct it under “%s”."), error->message, field);
  else
    message = gk_app_dup_error_text (error);
  set_error (self, message);
}

/* The profiles a role can be assumed with, in the combo row. */
static void
refresh_source_profiles (GkWelcomePage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) profiles = NULL;

  if (self->store != NULL)
    profiles = gk_profile_store_list (self->store, NULL);
  for (guint i = 0; profiles != NULL && i < profiles->len; i++)
    gtk_string_list_append (names, gk_profile_get_name (profiles->pdata[i]));
  adw_combo_row_set_model (self->source_profile_row, G_LIST_MODEL (names));
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_profile_row),
                            g_list_model_get_n_items (G_LIST_MODEL (names)) > 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->source_profile_row),
                               g_list_model_get_n_items (G_LIST_MODEL (names)) > 0
                               ? _("Whose credentials assume the role")
                               : _("Add the profile whose credentials assume the role first"));
}

static char *
dup_source_profile (GkWelcomePage *self)
{
  GObject *item = adw_combo_row_get_selected_item (self->source_profile_row);

  return item != NULL ? g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item))) : NULL;
}

static void
clear_source_fields (GkWelcomePage *self)
{
  AdwEntryRow *rows[] = {
    self->access_key_id_row, self->role_arn_row, self->external_id_row,
    self->sts_endpoint_row, self->region_row, self->buckets_row, self->endpoint_row,
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
}

static void
on_source_profile_added_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GkWelcomePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = g_steal_pointer (&self->adding);

  if (!gk_source_profile_add_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      report_source_error (self, error);
      return;
    }
  set_busy (self, FALSE);
  set_error (self, NULL);
  clear_source_fields (self);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  refresh_source_profiles (self);
  g_signal_emit (self, signals[IMPORTED], 0, profile);
}

static void
add_source_profile (GkWelcomePage   *self,
                    GkProfileSource  source)
{
  GkSourceProfileFields fields = { 0 };
  g_autofree char *source_profile = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = get_name (self);
  const char *secret = NULL;

  g_return_if_fail (self->store != NULL && self->keyring != NULL);

  if (name == NULL)
    {
      set_error (self, _("Type a name for the new profile under “Profile Name”."));
      return;
    }

  fields.source = source;
  fields.region = entry_text (self->region_row);
  fields.buckets = entry_text (self->buckets_row);
  fields.endpoint_url = entry_text (self->endpoint_row);
  switch (source)
    {
    case GK_PROFILE_SOURCE_ACCESS_KEY:
      fields.access_key_id = entry_text (self->access_key_id_row);
      /* Straight from the password field to core, which keeps it only in
       * the keyring; never copied, shown or logged here. */
      secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
      break;
    case GK_PROFILE_SOURCE_ASSUME_ROLE:
      source_profile = dup_source_profile (self);
      fields.role_arn = entry_text (self->role_arn_row);
      fields.external_id = entry_text (self->external_id_row);
      fields.source_profile = source_profile;
      fields.sts_endpoint = entry_text (self->sts_endpoint_row);
      if (source_profile == NULL)
        {
          set_error (self, _("A role is assumed with another profile’s credentials: add that profile first, then choose it under “Source Profile”."));
          return;
        }
      break;
    case GK_PROFILE_SOURCE_INSTANCE_PROFILE:
    case GK_PROFILE_SOURCE_COGNITO:
    default:
      break;
    }

  g_clear_object (&self->adding);
  self->adding = gk_source_profile_build (name, &fields, &error);
  if (self->adding == NULL)
    {
      report_source_error (self, error);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  /* The window's keyring: for this run only when there is no Secret
   * Service, as for a lab sign-in, and the window says so. */
  gk_source_profile_add_async (self->store, self->keyring, self->adding, secret,
                               GK_SOURCE_PROFILE_ADD_NONE, self->cancellable,
                               on_source_profile_added_cb, g_object_ref (self));
}

static void
add_access_key_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  add_source_profile (GK_WELCOME_PAGE (widget), GK_PROFILE_SOURCE_ACCESS_KEY);
}

static void
add_role_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  add_source_profile (GK_WELCOME_PAGE (widget), GK_PROFILE_SOURCE_ASSUME_ROLE);
}

static void
add_instance_profile_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  add_source_profile (GK_WELCOME_PAGE (widget), GK_PROFILE_SOURCE_INSTANCE_PROFILE);
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
  g_clear_object (&self->keyring);
  g_clear_object (&self->adding);

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
    case PROP_KEYRING:
      g_value_set_object (value, self->keyring);
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
    case PROP_KEYRING:
      gk_welcome_page_set_keyring (self, g_value_get_object (value));
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
  properties[PROP_KEYRING] =
    g_param_spec_object ("keyring", NULL, NULL, GK_TYPE_KEYRING,
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
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, access_key_id_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, role_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, role_arn_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, external_id_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, source_profile_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, sts_endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, instance_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, region_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, buckets_row);
  gtk_widget_class_bind_template_child (widget_class, GkWelcomePage, endpoint_row);

  gtk_widget_class_bind_template_callback (widget_class, on_url_row_apply_cb);

  gtk_widget_class_install_action (widget_class, "welcome.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "welcome.import-url", NULL, import_url_action);
  gtk_widget_class_install_action (widget_class, "welcome.import-pasted", NULL, import_pasted_action);
  gtk_widget_class_install_action (widget_class, "welcome.add-access-key", NULL, add_access_key_action);
  gtk_widget_class_install_action (widget_class, "welcome.add-role", NULL, add_role_action);
  gtk_widget_class_install_action (widget_class, "welcome.add-instance-profile", NULL,
                                   add_instance_profile_action);
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
    {
      refresh_source_profiles (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

GkKeyring *
gk_welcome_page_get_keyring (GkWelcomePage *self)
{
  g_return_val_if_fail (GK_IS_WELCOME_PAGE (self), NULL);

  return self->keyring;
}

/**
 * gk_welcome_page_set_keyring:
 * @keyring: where an access key's secret is kept: the account's
 */
void
gk_welcome_page_set_keyring (GkWelcomePage *self,
                             GkKeyring     *keyring)
{
  g_return_if_fail (GK_IS_WELCOME_PAGE (self));

  if (g_set_object (&self->keyring, keyring))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING]);
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
  /* A secret typed and not added does not stay in the page. */
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  refresh_source_profiles (self);
}
