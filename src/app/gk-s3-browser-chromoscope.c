/* gk-s3-browser-chromoscope.c: Chromoscope from the browser — the set of
 * files picked one by one (one sample), and a folder of sample folders (a
 * cohort) — built with a progress bar and a Cancel button
 *
 * A cohort is thousands of files: listing the folder, then signing every
 * file with its index (core pairs the indexes from that same listing), then
 * uploading the config. A bar under the file list says how far it has got
 * and Cancel stops it; core makes sure a cancelled build leaves no config
 * in S3 (gk-chromoscope-publish.c). One build runs at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-chromoscope-publish.h"
#include "gk-s3-browser-actions.h"
#include "gk-s3-browser-chromoscope.h"
#include "gk-s3-browser-private.h"
#include "gk-s3-tree.h"

/* The actions are installed on GkS3Browser's class only (see
 * gk-s3-browser-actions.c). */
static GkS3Browser *
browser_of (GtkWidget *widget)
{
  return (GkS3Browser *) widget;
}

/* Closing the window disposes the browser while a build may still be
 * finishing (a cancelled upload is being taken back): then its widgets are
 * gone and only the build's own state is left to clear. The settings are
 * the browser's first field to go. */
static gboolean
disposed (GkS3Browser *self)
{
  return self->settings == NULL;
}

static void
update_actions (GkS3Browser *self)
{
  gboolean building = self->build_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.cancel-build", building);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.open-chromoscope",
                                 !building && self->chromoscope_set->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.open-folder-in-chromoscope",
                                 !building && self->bucket != NULL && self->linker != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->chromoscope_open_button),
                          self->chromoscope_set->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->chromoscope_folder_button), self->bucket != NULL);
}

/**
 * _gk_s3_browser_update_chromoscope:
 *
 * After the folder, the client or the set changed: which builds can start.
 */
void
_gk_s3_browser_update_chromoscope (GkS3Browser *self)
{
  update_actions (self);
}

/* @fraction < 0: not known yet (the bar pulses). */
static void
show_progress (GkS3Browser *self,
               const char  *status,
               double       fraction)
{
  g_free (self->build_status);
  self->build_status = g_strdup (status);
  if (disposed (self))
    return;
  gtk_label_set_label (self->build_label, status);
  if (fraction < 0)
    gtk_progress_bar_pulse (self->build_progress);
  else
    gtk_progress_bar_set_fraction (self->build_progress, CLAMP (fraction, 0.0, 1.0));
  gtk_revealer_set_reveal_child (self->build_revealer, TRUE);
}

static GCancellable *
begin_build (GkS3Browser *self,
             const char  *status)
{
  self->build_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->build_progress, 0);
  show_progress (self, status, -1);
  update_actions (self);
  return self->build_cancellable;
}

static void
end_build (GkS3Browser *self)
{
  g_clear_object (&self->build_cancellable);
  g_clear_pointer (&self->build_status, g_free);
  if (disposed (self))
    return;
  gtk_revealer_set_reveal_child (self->build_revealer, FALSE);
  update_actions (self);
}

/* ---- publishing: sign, upload, open ------------------------------------- */

typedef struct
{
  GkS3Browser *self;
  gboolean from_set;
} Build;

static void
build_free (Build *build)
{
  g_object_unref (build->self);
  g_free (build);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Build, build_free)

static void
on_publish_progress_cb (GkChromoscopePublisher *publisher,
                        GkChromoscopeStage      stage,
                        guint                   done,
                        guint                   total,
                        gpointer                user_data)
{
  GkS3Browser *self = user_data;
  g_autofree char *status = NULL;

  if (stage == GK_CHROMOSCOPE_STAGE_UPLOADING)
    {
      show_progress (self, _("Uploading the Chromoscope config…"), 1.0);
      return;
    }
  /* Translators: progress of a Chromoscope build: files signed, of how many */
  status = g_strdup_printf (_("Signing %u of %u files…"), done, total);
  show_progress (self, status, total > 0 ? (double) done / total : -1);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Build) build = user_data;
  GkS3Browser *self = build->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkChromoscopePublished) published = NULL;
  GtkRoot *root;

  published = gk_chromoscope_publisher_publish_finish (GK_CHROMOSCOPE_PUBLISHER (object), result,
                                                       &error);
  end_build (self);
  if (disposed (self))
    return;
  if (published == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gk_s3_browser_show_message (self, _("Chromoscope build cancelled; nothing was uploaded."));
      else
        _gk_s3_browser_show_error (self, error);
      return;
    }
  /* The browser fetches the files itself: without CORS it shows nothing,
   * unless it reads through the gateway (which served the config, so
   * nothing was uploaded), which answers chromoscope.bio. */
  if (published->config_uri == NULL)
    _gk_s3_browser_tell_about_local_access (self, gk_web_viewer_origin (GK_VIEWER_CHROMOSCOPE));
  for (guint i = 0; published->config_uri != NULL && published->buckets != NULL && published->buckets[i] != NULL; i++)
    _gk_s3_browser_check_cors (self, published->buckets[i], GK_VIEWER_CHROMOSCOPE);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, published->url, GDK_CURRENT_TIME);
  _gk_s3_browser_tell_web_viewer_expiry (self, GK_VIEWER_CHROMOSCOPE, published->expires_at);
  if (build->from_set)
    g_ptr_array_set_size (self->chromoscope_set, 0);
  update_actions (self);
}

/* @listing: (nullable): the folder's keys, already listed */
static void
publish (GkS3Browser        *self,
         GPtrArray          *samples,
         const char         *name,
         gboolean            from_set,
         const char         *bucket,
         const char         *prefix,
         const char * const *listing)
{
  g_autoptr(GkChromoscopePublisher) publisher = NULL;
  Build *build = g_new0 (Build, 1);
  GkLinker *linker;

  build->self = g_object_ref (self);
  build->from_set = from_set;
  linker = _gk_s3_browser_viewer_linker (self);
  publisher = gk_chromoscope_publisher_new (linker, samples, _gk_s3_browser_link_lifetime (self, TRUE));
  gk_chromoscope_publisher_set_name (publisher, name);
  gk_chromoscope_publisher_set_upload (publisher, TRUE, self->chromoscope_prefix);
  /* Gateway links: the gateway serves the config as well, no upload. */
  gk_chromoscope_publisher_set_serve (publisher, gk_linker_get_minter (linker) != NULL);
  if (listing != NULL)
    gk_chromoscope_publisher_add_listing (publisher, bucket, prefix, listing);
  gk_chromoscope_publisher_set_progress_func (publisher, on_publish_progress_cb,
                                              g_object_ref (self), g_object_unref);
  gk_chromoscope_publisher_publish_async (publisher, self->build_cancellable, on_published_cb, build);
}

/* ---- the set ---------------------------------------------------------------- */

static void
add_to_chromoscope_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  GkS3Browser *self = browser_of (widget);
  GkBrowserItem *item = _gk_s3_browser_selected_item (self);
  g_autofree char *uri = NULL;
  g_autofree char *message = NULL;

  if (item == NULL || gk_browser_item_is_folder (item))
    return;
  uri = g_strdup_printf ("s3://%s/%s", self->bucket, gk_browser_item_get_key (item));
  for (guint i = 0; i < self->chromoscope_set->len; i++)
    if (g_str_equal (self->chromoscope_set->pdata[i], uri))
      return;
  g_ptr_array_add (self->chromoscope_set, g_steal_pointer (&uri));
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file in the Chromoscope set",
                                          "%u files in the Chromoscope set", self->chromoscope_set->len),
                             self->chromoscope_set->len);
  _gk_s3_browser_show_message (self, message);
  update_actions (self);
}

static void
open_chromoscope_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GkS3Browser *self = browser_of (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkChromoscopeSample) sample = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autofree char *id = NULL;

  if (self->chromoscope_set->len == 0 || self->linker == NULL || self->build_cancellable != NULL)
    return;
  /* The sample is named after the first file's folder, as labs lay them out. */
  g_ptr_array_add (self->chromoscope_set, NULL);
  id = gk_chromoscope_guess_sample_id (self->chromoscope_set->pdata[0]);
  sample = gk_chromoscope_sample_from_uris (id, "unknown", "hg38",
                                            (const char * const *) self->chromoscope_set->pdata, &error);
  g_ptr_array_set_size (self->chromoscope_set, self->chromoscope_set->len - 1);
  if (sample == NULL)
    {
      _gk_s3_browser_show_error (self, error);
      return;
    }
  samples = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_chromoscope_sample_free);
  g_ptr_array_add (samples, g_steal_pointer (&sample));
  begin_build (self, _("Publishing the set for Chromoscope…"));
  publish (self, samples, NULL, TRUE, NULL, NULL, NULL);
}

/* ---- a folder of sample folders ------------------------------------------- */

typedef struct
{
  GkS3Browser *self;
  char *bucket;
  char *prefix;
} FolderBuild;

static void
folder_build_free (FolderBuild *build)
{
  g_object_unref (build->self);
  g_free (build->bucket);
  g_free (build->prefix);
  g_free (build);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FolderBuild, folder_build_free)

static void
on_folder_listing_progress_cb (guint    n_entries,
                               gpointer user_data)
{
  GkS3Browser *self = user_data;
  g_autofree char *status = NULL;

  if (self->build_cancellable == NULL)
    return;
  /* Translators: progress of listing a folder for Chromoscope */
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Listing the folder: %u file…",
                                         "Listing the folder: %u files…", n_entries), n_entries);
  show_progress (self, status, -1);
}

static void
on_folder_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(FolderBuild) build = user_data;
  GkS3Browser *self = build->self;
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  page = gk_s3_tree_list_finish (result, &error);
  if (page != NULL)
    {
      for (guint i = 0; i < page->objects->len; i++)
        g_strv_builder_add (builder, ((GkS3Object *) page->objects->pdata[i])->key);
      keys = g_strv_builder_end (builder);
      samples = gk_chromoscope_samples_from_folder (build->bucket, build->prefix,
                                                    (const char * const *) keys, "unknown", "hg38",
                                                    &error);
    }
  if (samples == NULL || disposed (self))
    {
      end_build (self);
      if (disposed (self))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gk_s3_browser_show_message (self, _("Chromoscope build cancelled; nothing was uploaded."));
      else
        _gk_s3_browser_show_error (self, error);
      return;
    }
  /* The cohort is named after its folder. */
  name = g_path_get_basename (build->prefix[0] != '\0' ? build->prefix : build->bucket);
  publish (self, samples, name, FALSE, build->bucket, build->prefix, (const char * const *) keys);
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GkS3Browser *self = browser_of (widget);
  FolderBuild *build;

  if (self->bucket == NULL || self->linker == NULL || self->build_cancellable != NULL)
    return;
  build = g_new0 (FolderBuild, 1);
  build->self = g_object_ref (self);
  build->bucket = g_strdup (self->bucket);
  build->prefix = g_strdup (self->prefix);
  begin_build (self, _("Listing the folder…"));
  gk_s3_tree_list_async (self->client, build->bucket, build->prefix, on_folder_listing_progress_cb,
                         self, self->build_cancellable, on_folder_listed_cb, build);
}

static void
cancel_build_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GkS3Browser *self = browser_of (widget);

  if (self->build_cancellable == NULL)
    return;
  show_progress (self, _("Cancelling…"), -1);
  g_cancellable_cancel (self->build_cancellable);
}

/**
 * _gk_s3_browser_class_add_chromoscope_actions:
 *
 * The set's, the folder's and Cancel, installed by the class.
 */
void
_gk_s3_browser_class_add_chromoscope_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "browser.add-to-chromoscope", NULL, add_to_chromoscope_action);
  gtk_widget_class_install_action (widget_class, "browser.open-chromoscope", NULL, open_chromoscope_action);
  gtk_widget_class_install_action (widget_class, "browser.open-folder-in-chromoscope", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "browser.cancel-build", NULL, cancel_build_action);
}
