/* gk-chromoscope-publish.c: sign a Chromoscope config's files, upload it,
 * and make the link that opens it
 *
 * The same steps serve `genokey chromoscope` and the window, so they live
 * here rather than in either face.
 *
 * Every file of every sample is signed in one GkLinkBatch, so a cohort's
 * indexes are paired from listings rather than looked up one by one. The
 * first problem in sample order is reported, as when files were signed one
 * after another.
 *
 * Cancelling leaves nothing behind: nothing is uploaded until every link is
 * made, and a cancel that comes once the upload has begun (S3 may have
 * stored the config even though the answer never arrived) deletes the
 * config before the cancellation is reported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-chromoscope-publish.h"
#include "gk-genomic-file.h"
#include "gk-link-batch.h"

/* One s3:// value of a sample, and where its link went in the batch. */
typedef struct
{
  guint sample;
  const char *file_key;   /* "bam", "vcf", … */
  gint link;              /* in the batch; -1 when the value did not parse */
  gint given_index;       /* a manifest's own index, in the batch, or -1 */
  GError *error;          /* the value did not parse */
} Slot;

struct _GkChromoscopePublisher
{
  GObject parent_instance;

  GkLinker *linker;
  GPtrArray *samples;
  char *name;
  char *prefix;
  gboolean upload;
  gboolean serve;         /* the linker's minter serves the config */
  gint64 expires;
  GkLinkBatch *batch;
  GArray *slots;          /* of Slot */

  char *config_bucket;
  char *config_key;
  gboolean upload_begun;  /* S3 may hold the config from here on */
  GHashTable *buckets;
  GkChromoscopePublished *published;

  GkChromoscopeProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_notify;
};

G_DEFINE_FINAL_TYPE (GkChromoscopePublisher, gk_chromoscope_publisher, G_TYPE_OBJECT)

void
gk_chromoscope_published_free (GkChromoscopePublished *published)
{
  if (published == NULL)
    return;
  g_free (published->config_json);
  g_free (published->config_uri);
  g_free (published->url);
  g_strfreev (published->buckets);
  g_free (published);
}

static void
note_expiry (GkChromoscopePublisher *self,
             GkLink                 *link)
{
  if (link->expires_at > 0
      && (self->published->expires_at == 0 || link->expires_at < self->published->expires_at))
    self->published->expires_at = link->expires_at;
}

/* ---- cancelled after the upload began: take the config back ------------- */

static void
on_config_deleted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkChromoscopePublisher *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!gk_s3_client_delete_object_finish (GK_S3_CLIENT (object), result, &error))
    g_warning ("Could not delete the cancelled Chromoscope config s3://%s/%s: %s",
               self->config_bucket, self->config_key, error->message);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled"));
}

/* Returns @error (cancelled or not); once the upload has begun, only after
 * deleting what S3 may have stored. */
static void
return_error (GTask  *task,
              GError *error)
{
  GkChromoscopePublisher *self = g_task_get_source_object (task);

  if (self->upload_begun && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      /* Not cancellable: this is the clean-up after a cancel. */
      gk_s3_client_delete_object_async (gk_linker_get_client (self->linker), self->config_bucket,
                                        self->config_key, NULL, on_config_deleted_cb,
                                        g_object_ref (task));
      return;
    }
  g_task_return_error (task, error);
}

/* ---- the config: upload, sign ------------------------------------------- */

static void
on_config_signed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkChromoscopePublisher *self = g_task_get_source_object (task);
  g_autoptr(GkLink) link = NULL;
  GError *error = NULL;

  link = gk_linker_sign_finish (GK_LINKER (object), result, &error);
  if (link == NULL)
    {
      return_error (task, error);
      return;
    }
  /* A cancel that came after the last answer still wins: the user asked
   * for nothing to be left behind. */
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      return_error (task, error);
      return;
    }
  note_expiry (self, link);
  self->published->url = gk_chromoscope_app_url (link->url);
  g_task_return_pointer (task, g_steal_pointer (&self->published),
                         (GDestroyNotify) gk_chromoscope_published_free);
}

static void
on_config_served_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkChromoscopePublisher *self = g_task_get_source_object (task);
  g_autofree char *link = NULL;
  GError *error = NULL;

  link = gk_link_minter_publish_config_finish (GK_LINK_MINTER (object), result, &error);
  if (link == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  self->published->url = gk_chromoscope_app_url (link);
  g_task_return_pointer (task, g_steal_pointer (&self->published),
                         (GDestroyNotify) gk_chromoscope_published_free);
}

/* A name for a served config: the cohort's, made safe, with the time and
 * a random number, so a new config never replaces one a tab still shows. */
static char *
served_config_name (const char *name)
{
  g_autofree char *stem = g_strdup (name != NULL && *name != '\0' ? name : "samples");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");

  g_strcanon (stem, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", '-');
  if (strlen (stem) > 60)
    stem[60] = '\0';
  return g_strdup_printf ("chromoscope-%s-%s-%06u", stem, stamp, g_random_int_range (0, 1000000));
}

static void
on_config_uploaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkChromoscopePublisher *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!gk_s3_client_put_object_finish (GK_S3_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not upload the config to s3://%s/%s: "),
                        self->config_bucket, self->config_key);
      return_error (task, error);
      return;
    }
  self->published->config_uri = g_strdup_printf ("s3://%s/%s", self->config_bucket, self->config_key);
  gk_linker_sign_async (self->linker, self->config_bucket, self->config_key, self->expires,
                        GK_LINK_FLAGS_NONE, g_task_get_cancellable (task), on_config_signed_cb,
                        g_object_ref (task));
}

static void
finish_config (GTask *task)
{
  GkChromoscopePublisher *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;
  GHashTableIter iter;
  gpointer bucket;
  GStrvBuilder *builder = g_strv_builder_new ();

  if (self->config_bucket != NULL)
    g_hash_table_add (self->buckets, g_strdup (self->config_bucket));
  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, &bucket, NULL))
    g_strv_builder_add (builder, bucket);
  self->published->buckets = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  self->published->config_json = gk_chromoscope_config_json (self->name, self->samples);

  if (self->serve)
    {
      g_autofree char *config_name = served_config_name (self->name);

      body = g_bytes_new (self->published->config_json, strlen (self->published->config_json));
      gk_link_minter_publish_config_async (gk_linker_get_minter (self->linker), config_name, body,
                                           g_task_get_cancellable (task), on_config_served_cb,
                                           g_object_ref (task));
      return;
    }
  if (!self->upload)
    {
      g_task_return_pointer (task, g_steal_pointer (&self->published),
                             (GDestroyNotify) gk_chromoscope_published_free);
      return;
    }
  body = g_bytes_new (self->published->config_json, strlen (self->published->config_json));
  self->upload_begun = TRUE;
  if (self->progress_func != NULL)
    self->progress_func (self, GK_CHROMOSCOPE_STAGE_UPLOADING, self->slots->len, self->slots->len,
                         self->progress_data);
  gk_s3_client_put_object_async (gk_linker_get_client (self->linker), self->config_bucket,
                                 self->config_key, body, "application/json",
                                 g_task_get_cancellable (task), on_config_uploaded_cb,
                                 g_object_ref (task));
}

/* ---- the samples' files ---------------------------------------------------- */

static void
on_batch_progress_cb (GkLinkBatch *batch,
                      guint        done,
                      guint        total,
                      gpointer     user_data)
{
  GkChromoscopePublisher *self = user_data;

  if (self->progress_func != NULL)
    self->progress_func (self, GK_CHROMOSCOPE_STAGE_SIGNING, done, total, self->progress_data);
}

static void
on_batch_signed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkChromoscopePublisher *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!gk_link_batch_sign_finish (self->batch, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = &g_array_index (self->slots, Slot, i);
      GkChromoscopeSample *sample = self->samples->pdata[slot->sample];
      const char *index_key = gk_chromoscope_index_key_for (slot->file_key);
      g_autoptr(GkLink) link = NULL;
      g_autoptr(GkLink) index = NULL;

      if (slot->error != NULL)
        error = g_error_copy (slot->error);
      else if ((link = gk_link_batch_get_link (self->batch, slot->link, &error)) != NULL
               && slot->given_index >= 0)
        index = gk_link_batch_get_link (self->batch, slot->given_index, &error);
      if (error != NULL)
        {
          g_prefix_error (&error, _("Sample “%s”: "), gk_chromoscope_sample_get (sample, "id"));
          g_task_return_error (task, error);
          return;
        }
      /* The index found may be one Chromoscope's readers cannot parse (a
       * CSI, which IGV takes): say so rather than show an empty panel. */
      if (link->index_key != NULL
          && !gk_genomic_file_index_is_usable (link->key, link->index_key, GK_VIEWER_CHROMOSCOPE,
                                               &error))
        {
          g_prefix_error (&error, _("Sample “%s”: "), gk_chromoscope_sample_get (sample, "id"));
          g_task_return_error (task, error);
          return;
        }
      note_expiry (self, link);
      gk_chromoscope_sample_set (sample, slot->file_key, link->url);
      if (link->index_url != NULL)
        gk_chromoscope_sample_set (sample, index_key, link->index_url);
      else if (index != NULL)
        {
          note_expiry (self, index);
          gk_chromoscope_sample_set (sample, index_key, index->url);
        }
    }
  finish_config (task);
}

/* Every s3:// file of every sample into one batch. */
static void
plan_batch (GkChromoscopePublisher *self)
{
  const char * const *file_keys = gk_chromoscope_file_keys ();

  for (guint s = 0; s < self->samples->len; s++)
    {
      GkChromoscopeSample *sample = self->samples->pdata[s];

      for (guint f = 0; file_keys[f] != NULL; f++)
        {
          const char *value = gk_chromoscope_sample_get (sample, file_keys[f]);
          const char *index_key = gk_chromoscope_index_key_for (file_keys[f]);
          const char *given = index_key != NULL ? gk_chromoscope_sample_get (sample, index_key) : NULL;
          g_autofree char *bucket = NULL;
          g_autofree char *key = NULL;
          g_auto(GStrv) candidates = NULL;
          Slot slot = { s, file_keys[f], -1, -1, NULL };

          if (value == NULL || !g_str_has_prefix (value, "s3://"))
            continue;
          if (!gk_s3_parse_uri (value, &bucket, &key, &slot.error))
            {
              g_array_append_val (self->slots, slot);
              continue;
            }
          g_hash_table_add (self->buckets, g_strdup (bucket));
          candidates = gk_genomic_file_index_candidates (key, GK_VIEWER_ANY);
          if (index_key != NULL && candidates != NULL && given == NULL)
            slot.link = gk_link_batch_add_with_index (self->batch, bucket, key,
                                                      (const char * const *) candidates);
          else
            /* Chromoscope reads a drivers file as JSON only when the
             * link's text ends in ".json". */
            slot.link = gk_link_batch_add (self->batch, bucket, key,
                                           g_str_equal (file_keys[f], "drivers")
                                           ? GK_LINK_ENDS_IN_NAME : GK_LINK_FLAGS_NONE);

          /* A manifest may name the index itself. */
          if (given != NULL && g_str_has_prefix (given, "s3://"))
            {
              g_autofree char *index_bucket = NULL;
              g_autofree char *index_object = NULL;

              if (gk_s3_parse_uri (given, &index_bucket, &index_object, &slot.error))
                slot.given_index = gk_link_batch_add (self->batch, index_bucket, index_object,
                                                      GK_LINK_FLAGS_NONE);
            }
          g_array_append_val (self->slots, slot);
        }
    }
}

/* ---- public API --------------------------------------------------------- */

/**
 * gk_chromoscope_publisher_new:
 * @samples: (element-type GkChromoscopeSample): their s3:// files are
 *   replaced by signed links when published
 * @expires: the links' lifetime asked for, in seconds
 *
 * Returns: (transfer full): a publisher that uploads the config next to the
 *   data, unless told otherwise
 */
GkChromoscopePublisher *
gk_chromoscope_publisher_new (GkLinker  *linker,
                              GPtrArray *samples,
                              gint64     expires)
{
  GkChromoscopePublisher *self;

  g_return_val_if_fail (GK_IS_LINKER (linker), NULL);
  g_return_val_if_fail (samples != NULL, NULL);

  self = g_object_new (GK_TYPE_CHROMOSCOPE_PUBLISHER, NULL);
  self->linker = g_object_ref (linker);
  self->samples = g_ptr_array_ref (samples);
  self->expires = expires;
  self->batch = gk_link_batch_new (linker, expires);
  return self;
}

/**
 * gk_chromoscope_publisher_set_name:
 * @name: (nullable): the cohort's name
 */
void
gk_chromoscope_publisher_set_name (GkChromoscopePublisher *self,
                                   const char             *name)
{
  g_return_if_fail (GK_IS_CHROMOSCOPE_PUBLISHER (self));
  g_free (self->name);
  self->name = g_strdup (name);
}

/**
 * gk_chromoscope_publisher_set_upload:
 * @prefix: (nullable): where configs go (the profile's chromoscope_prefix);
 *   default next to the first file
 * @upload: %FALSE to only sign and build the config
 */
void
gk_chromoscope_publisher_set_upload (GkChromoscopePublisher *self,
                                     gboolean                upload,
                                     const char             *prefix)
{
  g_return_if_fail (GK_IS_CHROMOSCOPE_PUBLISHER (self));
  self->upload = upload;
  g_free (self->prefix);
  self->prefix = g_strdup (prefix);
}

/**
 * gk_chromoscope_publisher_set_serve:
 * @serve: have the linker's minter (the gateway) serve the config, instead
 *   of uploading it: no write permission on any bucket is needed, and the
 *   config's link lives as the files' gateway links do
 *
 * Needs a linker with a minter. Takes precedence over
 * gk_chromoscope_publisher_set_upload().
 */
void
gk_chromoscope_publisher_set_serve (GkChromoscopePublisher *self,
                                    gboolean                serve)
{
  g_return_if_fail (GK_IS_CHROMOSCOPE_PUBLISHER (self));
  g_return_if_fail (!serve || gk_linker_get_minter (self->linker) != NULL);
  self->serve = serve;
}

/**
 * gk_chromoscope_publisher_add_listing:
 * @keys: every key under @prefix, as the caller has just listed them (a
 *   folder of sample folders)
 *
 * Indexes under @prefix are paired from @keys, without asking S3 again.
 */
void
gk_chromoscope_publisher_add_listing (GkChromoscopePublisher *self,
                                      const char             *bucket,
                                      const char             *prefix,
                                      const char * const     *keys)
{
  g_return_if_fail (GK_IS_CHROMOSCOPE_PUBLISHER (self));
  gk_link_batch_add_listing (self->batch, bucket, prefix, keys);
}

/**
 * gk_chromoscope_publisher_set_progress_func:
 *
 * @func hears how many of the samples' files are signed, as they are.
 */
void
gk_chromoscope_publisher_set_progress_func (GkChromoscopePublisher    *self,
                                            GkChromoscopeProgressFunc  func,
                                            gpointer                   user_data,
                                            GDestroyNotify             notify)
{
  g_return_if_fail (GK_IS_CHROMOSCOPE_PUBLISHER (self));

  if (self->progress_notify != NULL)
    self->progress_notify (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_notify = notify;
}

/**
 * gk_chromoscope_publisher_publish_async:
 *
 * Signs every file, builds the config and, with upload, uploads and signs
 * it. Cancelling leaves no config in S3.
 */
void
gk_chromoscope_publisher_publish_async (GkChromoscopePublisher *self,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (GK_IS_CHROMOSCOPE_PUBLISHER (self));
  g_return_if_fail (self->published == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_chromoscope_publisher_publish_async);
  /* Cancellation is judged here, not by GTask: a cancel that comes once the
   * config is uploaded must first take it back. */
  g_task_set_check_cancellable (task, FALSE);
  self->published = g_new0 (GkChromoscopePublished, 1);

  if (self->samples->len == 0)
    {
      g_task_return_new_error (task, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_NO_SAMPLES,
                               _("There are no samples to show in Chromoscope."));
      return;
    }
  /* Decided before signing: "next to the data" needs the s3:// address. */
  if (self->upload && !self->serve
      && !gk_chromoscope_config_location (self->prefix, gk_chromoscope_first_file (self->samples),
                                          self->name, g_get_real_time () / G_USEC_PER_SEC,
                                          &self->config_bucket, &self->config_key, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  plan_batch (self);
  gk_link_batch_set_progress_func (self->batch, on_batch_progress_cb, self, NULL);
  gk_link_batch_sign_async (self->batch, cancellable, on_batch_signed_cb, g_object_ref (task));
}

/**
 * gk_chromoscope_publisher_publish_finish:
 *
 * Returns: (transfer full): the config, and with upload its URL
 */
GkChromoscopePublished *
gk_chromoscope_publisher_publish_finish (GkChromoscopePublisher  *self,
                                         GAsyncResult            *result,
                                         GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_chromoscope_publisher_get_n_requests:
 *
 * Returns: the S3 requests the index lookups took
 */
guint
gk_chromoscope_publisher_get_n_requests (GkChromoscopePublisher *self)
{
  g_return_val_if_fail (GK_IS_CHROMOSCOPE_PUBLISHER (self), 0);
  return gk_link_batch_get_n_requests (self->batch);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GkChromoscopePublished *published;

  published = gk_chromoscope_publisher_publish_finish (GK_CHROMOSCOPE_PUBLISHER (object), result,
                                                       &error);
  if (published == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, published, (GDestroyNotify) gk_chromoscope_published_free);
}

/**
 * gk_chromoscope_publish_async:
 * @samples: (element-type GkChromoscopeSample): their s3:// files are
 *   replaced by signed links
 * @name: (nullable): the cohort's name
 * @prefix: (nullable): where configs go (the profile's chromoscope_prefix);
 *   default next to the first file
 * @upload: %FALSE to only sign and build the config
 *
 * A GkChromoscopePublisher in one call, without progress.
 */
void
gk_chromoscope_publish_async (GkLinker            *linker,
                              GPtrArray           *samples,
                              const char          *name,
                              const char          *prefix,
                              gboolean             upload,
                              gint64               expires,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GkChromoscopePublisher) publisher = gk_chromoscope_publisher_new (linker, samples, expires);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, gk_chromoscope_publish_async);
  g_task_set_check_cancellable (task, FALSE);
  gk_chromoscope_publisher_set_name (publisher, name);
  gk_chromoscope_publisher_set_upload (publisher, upload, prefix);
  gk_chromoscope_publisher_publish_async (publisher, cancellable, on_published_cb, task);
}

/**
 * gk_chromoscope_publish_finish:
 *
 * Returns: (transfer full): the config, and with upload its URL
 */
GkChromoscopePublished *
gk_chromoscope_publish_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
slot_clear (Slot *slot)
{
  g_clear_error (&slot->error);
}

static void
gk_chromoscope_publisher_dispose (GObject *object)
{
  GkChromoscopePublisher *self = GK_CHROMOSCOPE_PUBLISHER (object);

  g_clear_object (&self->batch);
  g_clear_object (&self->linker);
  G_OBJECT_CLASS (gk_chromoscope_publisher_parent_class)->dispose (object);
}

static void
gk_chromoscope_publisher_finalize (GObject *object)
{
  GkChromoscopePublisher *self = GK_CHROMOSCOPE_PUBLISHER (object);

  g_ptr_array_unref (self->samples);
  g_free (self->name);
  g_free (self->prefix);
  g_array_unref (self->slots);
  g_free (self->config_bucket);
  g_free (self->config_key);
  g_hash_table_unref (self->buckets);
  g_clear_pointer (&self->published, gk_chromoscope_published_free);
  if (self->progress_notify != NULL)
    self->progress_notify (self->progress_data);
  G_OBJECT_CLASS (gk_chromoscope_publisher_parent_class)->finalize (object);
}

static void
gk_chromoscope_publisher_class_init (GkChromoscopePublisherClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_chromoscope_publisher_dispose;
  G_OBJECT_CLASS (klass)->finalize = gk_chromoscope_publisher_finalize;
}

static void
gk_chromoscope_publisher_init (GkChromoscopePublisher *self)
{
  self->upload = TRUE;
  self->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  g_array_set_clear_func (self->slots, (GDestroyNotify) slot_clear);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
