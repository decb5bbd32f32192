/* gk-s3-browser.c: buckets → folders → files, fed page by page
 *
 * What a file can be handed to (links, IGV, IGV-Web, Chromoscope) is in
 * gk-s3-browser-actions.c.
 *
 * A prefix may hold 100,000 objects. The list is a GListStore that grows a
 * page (≤ 1,000 keys) at a time as each ListObjectsV2 answer arrives, so the
 * first names show at once and the main loop never waits; opening another
 * folder cancels the listing in flight. The filter is incremental for the
 * same reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-app-hints.h"
#include "gk-chromoscope.h"
#include "gk-genomic-file.h"
#include "gk-s3-browser-actions.h"
#include "gk-s3-browser-chromoscope.h"
#include "gk-s3-browser-private.h"
#include "gk-s3-browser.h"
#include "gk-s3.h"

/* Keys per ListObjectsV2 request: S3's own maximum. */
#define PAGE_SIZE 1000

G_DEFINE_FINAL_TYPE (GkS3Browser, gk_s3_browser, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUCKET,
  PROP_PREFIX,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SHOW_ERROR,
  SHOW_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_page (GkS3Browser *self);

static void
update_status (GkS3Browser *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (self->bucket == NULL)
    {
      gtk_label_set_label (self->status_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), FALSE);
      return;
    }
  /* Translators: the number of files and folders in the list */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", total), total);
  if (shown != total)
    /* Translators: "%u shown" of "%s" (the item count) */
    text = g_strdup_printf (_("%u shown of %s"), shown, count);
  else
    text = g_strdup (count);
  if (self->loading)
    {
      g_autofree char *more = g_strdup_printf (_("%s, loading more…"), text);
      g_free (text);
      text = g_steal_pointer (&more);
    }
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), self->loading);
  gtk_spinner_set_spinning (self->status_spinner, self->loading);
}

static void
update_content (GkS3Browser *self)
{
  const char *page;

  if (self->bucket == NULL)
    page = "no-bucket";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 0 || self->loading)
    page = "files";
  else
    page = "empty";
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "error"))
    gtk_stack_set_visible_child_name (self->content_stack, page);
  update_status (self);
}

static void
on_path_button_clicked_cb (GtkButton   *button,
                           GkS3Browser *self)
{
  const char *prefix = g_object_get_data (G_OBJECT (button), "gk-prefix");

  gk_s3_browser_open (self, self->bucket, prefix);
}

static void
add_path_part (GkS3Browser *self,
               const char  *label,
               const char  *prefix,
               gboolean     current)
{
  GtkWidget *button;

  if (gtk_widget_get_first_child (GTK_WIDGET (self->path_bar)) != NULL)
    {
      GtkWidget *separator = gtk_label_new ("/");

      gtk_widget_add_css_class (separator, "dim-label");
      gtk_box_append (self->path_bar, separator);
    }
  button = gtk_button_new_with_label (label);
  gtk_widget_add_css_class (button, "flat");
  if (current)
    {
      gtk_widget_add_css_class (gtk_button_get_child (GTK_BUTTON (button)), "heading");
      gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_SELECTED, TRUE, -1);
    }
  g_object_set_data_full (G_OBJECT (button), "gk-prefix", g_strdup (prefix), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_path_button_clicked_cb), self);
  gtk_box_append (self->path_bar, button);
}

static void
rebuild_path_bar (GkS3Browser *self)
{
  GtkWidget *child;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) prefix = g_string_new (NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->path_bar))) != NULL)
    gtk_box_remove (self->path_bar, child);
  if (self->bucket == NULL)
    return;

  add_path_part (self, self->bucket, "", self->prefix[0] == '\0');
  parts = g_strsplit (self->prefix, "/", -1);
  for (guint i = 0; parts[i] != NULL && parts[i + 1] != NULL; i++)
    {
      g_string_append (prefix, parts[i]);
      g_string_append_c (prefix, '/');
      add_path_part (self, parts[i][0] != '\0' ? parts[i] : "/", prefix->str, parts[i + 2] == NULL);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.go-up", self->prefix[0] != '\0');
}

static void
update_selection (GkS3Browser *self)
{
  GkBrowserItem *item = gk_s3_browser_get_selected (self);
  gboolean file = item != NULL && !gk_browser_item_is_folder (item);
  gboolean trackable;
  gboolean for_chromoscope;

  gtk_revealer_set_reveal_child (self->action_revealer, file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.copy-link", file);
  /* Core says which viewer reads which format (IGV-Web no BCF,
   * Chromoscope no CRAM, indexes are no tracks). */
  trackable = file && gk_genomic_file_viewer_reads (gk_browser_item_get_name (item), GK_VIEWER_IGV, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.open-in-igv", trackable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.open-in-igv-web",
                                 file && gk_genomic_file_viewer_reads (gk_browser_item_get_name (item),
                                                                       GK_VIEWER_IGV_WEB, NULL));
  for_chromoscope = file && gk_chromoscope_classify (gk_browser_item_get_name (item), NULL) != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.add-to-chromoscope", for_chromoscope);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->chromoscope_button),
                               for_chromoscope || !file ? NULL
                               : _("Chromoscope shows BEDPE, copy-number and driver tables, BAM and bgzipped VCF"));
  _gk_s3_browser_update_chromoscope (self);
  gtk_revealer_set_reveal_child (self->action_revealer, file);
}

static void
on_selection_changed_cb (GkS3Browser *self)
{
  update_selection (self);
}

static void
on_column_view_activate_cb (GkS3Browser *self,
                            guint        position)
{
  g_autoptr(GkBrowserItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item == NULL)
    return;
  if (gk_browser_item_is_folder (item))
    {
      gk_s3_browser_open (self, self->bucket, gk_browser_item_get_key (item));
      /* The row that had the focus went with the old listing: keep the
       * focus in the list, so the keyboard goes on in the new one, rather
       * than leave GTK to hand it to another widget (such as Open Folder
       * in Chromoscope below the list). */
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
    }
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "browser.open-in-igv", NULL);
}

static void
on_filter_entry_changed_cb (GkS3Browser *self)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

static void
on_filter_entry_stop_cb (GkS3Browser *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_filter_items_changed_cb (GkS3Browser *self)
{
  update_status (self);
}

static void
on_bucket_list_row_selected_cb (GkS3Browser   *self,
                                GtkListBoxRow *row)
{
  const char *bucket;

  if (row == NULL)
    return;
  bucket = g_object_get_data (G_OBJECT (row), "gk-bucket");
  if (g_strcmp0 (bucket, self->bucket) != 0)
    gk_s3_browser_open (self, bucket, g_object_get_data (G_OBJECT (row), "gk-prefix"));
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* Listing, a page at a time. */

static void
set_loading (GkS3Browser *self,
             gboolean     loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_listing_error (GkS3Browser  *self,
                    const GError *error)
{
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  /* With rows already shown, keep them and say why the rest is missing. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 0)
    {
      g_signal_emit (self, signals[SHOW_ERROR], 0, error);
      return;
    }
  text = gk_app_dup_error_text (error);
  /* A status page's description is markup: keys stay text. */
  escaped = g_markup_escape_text (text, -1);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
}

static void
on_page_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GkS3Browser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gsize prefix_len;

  page = gk_s3_client_list_page_finish (GK_S3_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (page == NULL)
    {
      set_loading (self, FALSE);
      show_listing_error (self, error);
      update_content (self);
      return;
    }

  prefix_len = strlen (self->prefix);
  rows = g_ptr_array_new_full (page->folders->len + page->objects->len, g_object_unref);
  for (guint i = 0; i < page->folders->len; i++)
    {
      const char *folder = page->folders->pdata[i];
      g_autofree char *name = NULL;

      if (strlen (folder) <= prefix_len)
        continue;
      name = g_strndup (folder + prefix_len, strlen (folder) - prefix_len - 1);
      g_ptr_array_add (rows, gk_browser_item_new_folder (folder, name));
    }
  for (guint i = 0; i < page->objects->len; i++)
    {
      GkS3Object *object_ = page->objects->pdata[i];

      /* The console's "folder" placeholder is the prefix itself. */
      if (strlen (object_->key) <= prefix_len)
        continue;
      g_ptr_array_add (rows, gk_browser_item_new_file (object_->key, object_->key + prefix_len,
                                                        object_->size, object_->last_modified));
    }
  g_list_store_splice (self->items, g_list_model_get_n_items (G_LIST_MODEL (self->items)), 0,
                       rows->pdata, rows->len);
  self->pages_loaded++;
  if (self->reveal_name != NULL)
    {
      for (guint i = 0; i < rows->len; i++)
        if (g_str_equal (gk_browser_item_get_name (rows->pdata[i]), self->reveal_name))
          {
            gk_s3_browser_select_name (self, self->reveal_name);
            gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
            g_clear_pointer (&self->reveal_name, g_free);
            break;
          }
    }

  g_clear_pointer (&self->continuation, g_free);
  if (page->truncated && page->next_token != NULL)
    {
      self->continuation = g_strdup (page->next_token);
      load_page (self);
    }
  else
    set_loading (self, FALSE);
  update_content (self);
}

static void
load_page (GkS3Browser *self)
{
  set_loading (self, TRUE);
  gk_s3_client_list_page_async (self->client, self->bucket, self->prefix, "/",
                                self->continuation, PAGE_SIZE, self->cancellable,
                                on_page_cb, g_object_ref (self));
}

static void
on_buckets_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkS3Browser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) buckets = NULL;

  buckets = gk_s3_client_list_buckets_finish (GK_S3_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_stack_set_visible_child_name (self->bucket_stack, "list");
  if (buckets == NULL)
    {
      show_listing_error (self, error);
      return;
    }
  for (guint i = 0; i < buckets->len; i++)
    {
      GkS3Bucket *bucket = buckets->pdata[i];
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (bucket->name);

      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("drive-harddisk-symbolic"));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "gk-bucket", g_strdup (bucket->name), g_free);
      g_object_set_data_full (G_OBJECT (row), "gk-prefix", g_strdup (bucket->prefix), g_free);
      gtk_list_box_append (self->bucket_list, row);
    }
  /* One bucket: nothing to choose, open it. */
  if (buckets->len == 1)
    gtk_list_box_select_row (self->bucket_list, gtk_list_box_get_row_at_index (self->bucket_list, 0));
}

/* Column cells. */

static void
setup_name_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *mark = gtk_label_new (NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (mark, "gk-type-mark");
  gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), mark);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_name_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GkBrowserItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  GtkWidget *mark = gtk_widget_get_next_sibling (label);
  const char *mark_text = gk_browser_item_get_mark (item);
  const char *kind = gk_browser_item_get_mark_kind (item);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon),
                                gk_browser_item_is_folder (item) ? "folder-symbolic"
                                : "text-x-generic-symbolic");
  gtk_label_set_label (GTK_LABEL (label), gk_browser_item_get_name (item));
  gtk_widget_set_visible (mark, mark_text != NULL);
  gtk_label_set_label (GTK_LABEL (mark), mark_text ? mark_text : "");
  gtk_widget_set_css_classes (mark, (const char *[]) { "gk-type-mark", kind ? kind : "none", NULL });
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) ? 1.0 : 0.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "gk-dim");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_size_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GkBrowserItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *size = NULL;

  if (!gk_browser_item_is_folder (item))
    size = g_format_size (gk_browser_item_get_size (item));
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), size ? size : "");
}

static void
bind_modified_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GkBrowserItem *item = gtk_list_item_get_item (list_item);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;

  if (!gk_browser_item_is_folder (item) && gk_browser_item_get_modified (item) > 0)
    when = g_date_time_new_from_unix_local (gk_browser_item_get_modified (item));
  if (when != NULL)
    /* Translators: a file's modification date and time, strftime format */
    text = g_date_time_format (when, _("%Y-%m-%d %H:%M"));
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text ? text : "");
}

static void
add_column (GkS3Browser *self,
            const char  *title,
            GCallback    setup,
            GCallback    bind,
            gpointer     data,
            gboolean     expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, data);
  g_signal_connect (factory, "bind", bind, data);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->column_view, column);
}

/* Actions. */

static void
go_up_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GkS3Browser *self = GK_S3_BROWSER (widget);
  g_autofree char *parent = NULL;
  char *slash;

  if (self->bucket == NULL || self->prefix[0] == '\0')
    return;
  parent = g_strndup (self->prefix, strlen (self->prefix) - 1);
  slash = strrchr (parent, '/');
  if (slash != NULL)
    slash[1] = '\0';
  else
    parent[0] = '\0';
  gk_s3_browser_open (self, self->bucket, parent);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GkS3Browser *self = GK_S3_BROWSER (widget);
  g_autofree char *bucket = g_strdup (self->bucket);
  g_autofree char *prefix = g_strdup (self->prefix);

  if (bucket != NULL)
    gk_s3_browser_open (self, bucket, prefix);
}

static void
gk_s3_browser_dispose (GObject *object)
{
  GkS3Browser *self = GK_S3_BROWSER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->buckets_cancellable);
  g_clear_object (&self->buckets_cancellable);
  g_cancellable_cancel (self->action_cancellable);
  g_clear_object (&self->action_cancellable);
  /* The build's own callback ends it (and takes back a config whose
   * upload had begun); it finds the browser disposed. */
  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->linker);
  g_clear_object (&self->gateway_linker);
  g_clear_object (&self->minter);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->chromoscope_set, g_ptr_array_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (gk_s3_browser_parent_class)->dispose (object);
}

static void
gk_s3_browser_finalize (GObject *object)
{
  GkS3Browser *self = GK_S3_BROWSER (object);

  g_free (self->bucket);
  g_free (self->prefix);
  g_free (self->continuation);
  g_free (self->reveal_name);
  g_free (self->chromoscope_prefix);
  g_clear_object (&self->build_cancellable);
  g_free (self->build_status);

  G_OBJECT_CLASS (gk_s3_browser_parent_class)->finalize (object);
}

static void
gk_s3_browser_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GkS3Browser *self = GK_S3_BROWSER (object);

  switch (prop_id)
    {
    case PROP_BUCKET:
      g_value_set_string (value, self->bucket);
      break;
    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_s3_browser_class_init (GkS3BrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gk_s3_browser_dispose;
  object_class->finalize = gk_s3_browser_finalize;
  object_class->get_property = gk_s3_browser_get_property;

  properties[PROP_BUCKET] =
    g_param_spec_string ("bucket", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREFIX] =
    g_param_spec_string ("prefix", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Core's errors and notices, for the window to show as toasts. */
  signals[SHOW_ERROR] =
    g_signal_new ("show-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SHOW_MESSAGE] =
    g_signal_new ("show-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/gk-s3-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, flap);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, bucket_stack);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, bucket_list);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, path_bar);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, content_stack);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, column_view);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, error_page);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, action_revealer);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, chromoscope_button);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, chromoscope_open_button);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, chromoscope_folder_button);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, build_revealer);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, build_label);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, build_progress);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, GkS3Browser, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_bucket_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_entry_stop_cb);

  gtk_widget_class_install_action (widget_class, "browser.go-up", NULL, go_up_action);
  gtk_widget_class_install_action (widget_class, "browser.reload", NULL, reload_action);
  _gk_s3_browser_class_add_file_actions (widget_class);
  _gk_s3_browser_class_add_chromoscope_actions (widget_class);
}

static void
gk_s3_browser_init (GkS3Browser *self)
{
  GtkExpression *expression;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->prefix = g_strdup ("");
  self->settings = g_settings_new (APP_ID);
  self->chromoscope_set = g_ptr_array_new_with_free_func (g_free);
  self->items = g_list_store_new (GK_TYPE_BROWSER_ITEM);
  expression = gtk_property_expression_new (GK_TYPE_BROWSER_ITEM, NULL, "name");
  self->filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                                  GTK_FILTER (self->filter));
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_items_changed_cb), self, G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filter_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (g_object_ref (self->selection)));

  add_column (self, _("Name"), G_CALLBACK (setup_name_cb), G_CALLBACK (bind_name_cb), NULL, TRUE);
  add_column (self, _("Size"), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_size_cb), GINT_TO_POINTER (1), FALSE);
  add_column (self, _("Modified"), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_modified_cb), GINT_TO_POINTER (0), FALSE);

  update_selection (self);
  rebuild_path_bar (self);
  update_content (self);
}

GkS3Browser *
gk_s3_browser_new (void)
{
  return g_object_new (GK_TYPE_S3_BROWSER, NULL);
}

const char *
gk_s3_browser_get_bucket (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), NULL);

  return self->bucket;
}

const char *
gk_s3_browser_get_prefix (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), NULL);

  return self->prefix;
}

/**
 * gk_s3_browser_get_items:
 *
 * Returns: (transfer none): the rows as shown, after the filter
 */
GListModel *
gk_s3_browser_get_items (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), NULL);

  return G_LIST_MODEL (self->selection);
}

guint
gk_s3_browser_get_pages_loaded (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), 0);

  return self->pages_loaded;
}

gboolean
gk_s3_browser_is_loading (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), FALSE);

  return self->loading;
}

/**
 * gk_s3_browser_is_building:
 *
 * Returns: whether a Chromoscope build (the set, or a folder) is running
 */
gboolean
gk_s3_browser_is_building (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), FALSE);

  return self->build_cancellable != NULL;
}

/**
 * gk_s3_browser_get_build_status:
 *
 * Returns: (nullable): what the build's progress bar says, while it runs
 */
const char *
gk_s3_browser_get_build_status (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), NULL);

  return self->build_status;
}

/**
 * gk_s3_browser_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected row
 */
GkBrowserItem *
gk_s3_browser_get_selected (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

void
gk_s3_browser_select_name (GkS3Browser *self,
                           const char  *name)
{
  guint n;

  g_return_if_fail (GK_IS_S3_BROWSER (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GkBrowserItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_strcmp0 (gk_browser_item_get_name (item), name) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

void
gk_s3_browser_focus_filter (GkS3Browser *self)
{
  g_return_if_fail (GK_IS_S3_BROWSER (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

void
gk_s3_browser_open (GkS3Browser *self,
                    const char  *bucket,
                    const char  *prefix)
{
  g_return_if_fail (GK_IS_S3_BROWSER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->continuation, g_free);
  g_clear_pointer (&self->reveal_name, g_free);

  if (g_strcmp0 (self->bucket, bucket) != 0)
    {
      g_free (self->bucket);
      self->bucket = g_strdup (bucket);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUCKET]);
    }
  g_free (self->prefix);
  self->prefix = g_strdup (prefix ? prefix : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREFIX]);

  g_list_store_remove_all (self->items);
  self->pages_loaded = 0;
  set_loading (self, FALSE);
  gtk_stack_set_visible_child_name (self->content_stack, self->bucket ? "files" : "no-bucket");
  rebuild_path_bar (self);
  update_selection (self);
  if (self->bucket != NULL && self->client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      load_page (self);
    }
  update_content (self);
}

/**
 * gk_s3_browser_set_client:
 * @client: (nullable): the signed-in client, or %NULL when signed out
 *
 * Lists the buckets (the profile's allow-list, or ListBuckets).
 */
void
gk_s3_browser_set_client (GkS3Browser *self,
                          GkS3Client  *client)
{
  GtkWidget *row;

  g_return_if_fail (GK_IS_S3_BROWSER (self));

  if (client == self->client)
    return;
  g_cancellable_cancel (self->buckets_cancellable);
  g_clear_object (&self->buckets_cancellable);
  g_cancellable_cancel (self->action_cancellable);
  g_clear_object (&self->action_cancellable);
  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->linker);
  g_clear_object (&self->gateway_linker);
  if (self->chromoscope_set != NULL)
    g_ptr_array_set_size (self->chromoscope_set, 0);
  g_set_object (&self->client, client);
  if (client != NULL)
    self->linker = gk_linker_new (client);
  if (client != NULL && self->minter != NULL)
    {
      self->gateway_linker = gk_linker_new (client);
      gk_linker_set_minter (self->gateway_linker, self->minter);
    }
  gk_s3_browser_open (self, NULL, NULL);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->bucket_list))) != NULL)
    gtk_list_box_remove (self->bucket_list, row);
  if (client == NULL)
    return;
  self->buckets_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->bucket_stack, "loading");
  gk_s3_client_list_buckets_async (client, self->buckets_cancellable,
                                   on_buckets_cb, g_object_ref (self));
}

GkS3Client *
gk_s3_browser_get_client (GkS3Browser *self)
{
  g_return_val_if_fail (GK_IS_S3_BROWSER (self), NULL);

  return self->client;
}

/**
 * gk_s3_browser_reveal:
 * @bucket: the bucket
 * @key: an object's key
 *
 * Opens the object's folder and selects it once its page arrives.
 */
void
gk_s3_browser_reveal (GkS3Browser *self,
                      const char  *bucket,
                      const char  *key)
{
  const char *slash;
  g_autofree char *folder = NULL;

  g_return_if_fail (GK_IS_S3_BROWSER (self));

  slash = strrchr (key, '/');
  folder = slash ? g_strndup (key, slash - key + 1) : g_strdup ("");
  gk_s3_browser_open (self, bucket, folder);
  self->reveal_name = g_strdup (slash ? slash + 1 : key);
}

/**
 * gk_s3_browser_set_link_minter:
 * @minter: (nullable): where the viewers' gateway links come from (the
 *   account's gateway); %NULL for presigned links only
 *
 * Open in IGV, Open in IGV-Web and the Chromoscope set then hand out
 * gateway links, unless the presigned-links setting asks otherwise; Copy
 * Link stays presigned, for sharing with another computer. Set it before
 * the client.
 */
void
gk_s3_browser_set_link_minter (GkS3Browser  *self,
                               GkLinkMinter *minter)
{
  g_return_if_fail (GK_IS_S3_BROWSER (self));
  g_set_object (&self->minter, minter);
}

/**
 * gk_s3_browser_set_chromoscope_prefix:
 * @prefix: (nullable): where Chromoscope configs go (the profile's
 *   chromoscope_prefix), or %NULL for next to the data
 */
void
gk_s3_browser_set_chromoscope_prefix (GkS3Browser *self,
                                      const char  *prefix)
{
  g_return_if_fail (GK_IS_S3_BROWSER (self));

  g_free (self->chromoscope_prefix);
  self->chromoscope_prefix = g_strdup (prefix);
}
