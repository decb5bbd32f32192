/* gk-chromoscope-publish.c: sign a Chromoscope config's files, upload it,
 * and make the link that opens it
 *
 * The same steps serve `genokey chromoscope` and the window, so they live
 * here rather than in either face.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-chromoscope.h"

typedef struct
{
  GkLinker *linker;
  GPtrArray *samples;
  char *name;
  gboolean upload;
  gint64 expires;

  guint sample;          /* the next file to sign: sample index… */
  guint file;            /* …and file key index */
  char *config_bucket;
  char *config_key;
  GHashTable *buckets;
  GkChromoscopePublished *published;
} PublishData;

static void publish_next (GTask *task);

static void
publish_data_free (PublishData *data)
{
  g_clear_object (&data->linker);
  g_clear_pointer (&data->samples, g_ptr_array_unref);
  g_free (data->name);
  g_free (data->config_bucket);
  g_free (data->config_key);
  g_clear_pointer (&data->buckets, g_hash_table_unref);
  g_clear_pointer (&data->published, gk_chromoscope_published_free);
  g_free (data);
}

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
note_expiry (PublishData *data,
             GkLink      *link)
{
  if (link->expires_at > 0
      && (data->published->expires_at == 0 || link->expires_at < data->published->expires_at))
    data->published->expires_at = link->expires_at;
}

static void
fail_for_sample (GTask  *task,
                 GError *error)
{
  PublishData *data = g_task_get_task_data (task);
  GkChromoscopeSample *sample = data->samples->pdata[data->sample];

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, _("Sample “%s”: "), gk_chromoscope_sample_get (sample, "id"));
  g_task_return_error (task, error);
}

static void
on_config_signed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PublishData *data = g_task_get_task_data (task);
  g_autoptr(GkLink) link = NULL;
  GError *error = NULL;

  link = gk_linker_sign_finish (GK_LINKER (object), result, &error);
  if (link == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  note_expiry (data, link);
  data->published->url = gk_chromoscope_app_url (link->url);
  g_task_return_pointer (task, g_steal_pointer (&data->published),
                         (GDestroyNotify) gk_chromoscope_published_free);
}

static void
on_config_uploaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PublishData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!gk_s3_client_put_object_finish (GK_S3_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not upload the config to s3://%s/%s: "),
                        data->config_bucket, data->config_key);
      g_task_return_error (task, error);
      return;
    }
  data->published->config_uri = g_strdup_printf ("s3://%s/%s", data->config_bucket, data->config_key);
  gk_linker_sign_async (data->linker, data->config_bucket, data->config_key, data->expires,
                        GK_LINK_FLAGS_NONE, g_task_get_cancellable (task), on_config_signed_cb,
                        g_object_ref (task));
}

static void
finish_config (GTask *task)
{
  PublishData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GHashTableIter iter;
  gpointer bucket;
  GStrvBuilder *builder = g_strv_builder_new ();

  if (data->config_bucket != NULL)
    g_hash_table_add (data->buckets, g_strdup (data->config_bucket));
  g_hash_table_iter_init (&iter, data->buckets);
  while (g_hash_table_iter_next (&iter, &bucket, NULL))
    g_strv_builder_add (builder, bucket);
  data->published->buckets = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  data->published->config_json = gk_chromoscope_config_json (data->name, data->samples);

  if (!data->upload)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->published),
                             (GDestroyNotify) gk_chromoscope_published_free);
      return;
    }
  body = g_bytes_new (data->published->config_json, strlen (data->published->config_json));
  gk_s3_client_put_object_async (gk_linker_get_client (data->linker), data->config_bucket,
                                 data->config_key, body, "application/json",
                                 g_task_get_cancellable (task), on_config_uploaded_cb,
                                 g_object_ref (task));
}

static void
on_index_signed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PublishData *data = g_task_get_task_data (task);
  GkChromoscopeSample *sample = data->samples->pdata[data->sample];
  const char *file_key = gk_chromoscope_file_keys ()[data->file];
  g_autoptr(GkLink) link = NULL;
  GError *error = NULL;

  link = gk_linker_sign_finish (GK_LINKER (object), result, &error);
  if (link == NULL)
    {
      fail_for_sample (task, error);
      return;
    }
  note_expiry (data, link);
  gk_chromoscope_sample_set (sample, gk_chromoscope_index_key_for (file_key), link->url);
  data->file++;
  publish_next (task);
}

static void
on_file_signed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PublishData *data = g_task_get_task_data (task);
  GkChromoscopeSample *sample = data->samples->pdata[data->sample];
  const char *file_key = gk_chromoscope_file_keys ()[data->file];
  const char *index_key = gk_chromoscope_index_key_for (file_key);
  const char *given_index = index_key ? gk_chromoscope_sample_get (sample, index_key) : NULL;
  g_autoptr(GkLink) link = NULL;
  GError *error = NULL;

  link = gk_linker_sign_finish (GK_LINKER (object), result, &error);
  if (link == NULL)
    {
      fail_for_sample (task, error);
      return;
    }
  /* The index found may be one Chromoscope's readers cannot parse (a CSI,
   * which IGV takes): say so rather than show an empty panel. */
  if (link->index_key != NULL
      && !gk_genomic_file_index_is_usable (link->key, link->index_key, GK_VIEWER_CHROMOSCOPE, &error))
    {
      fail_for_sample (task, error);
      return;
    }
  note_expiry (data, link);
  gk_chromoscope_sample_set (sample, file_key, link->url);
  if (link->index_url != NULL)
    gk_chromoscope_sample_set (sample, index_key, link->index_url);
  else if (given_index != NULL && g_str_has_prefix (given_index, "s3://"))
    {
      g_autofree char *bucket = NULL;
      g_autofree char *key = NULL;

      /* A manifest may name the index itself. */
      if (!gk_s3_parse_uri (given_index, &bucket, &key, &error))
        {
          fail_for_sample (task, error);
          return;
        }
      gk_linker_sign_async (data->linker, bucket, key, data->expires, GK_LINK_FLAGS_NONE,
                            g_task_get_cancellable (task), on_index_signed_cb, g_object_ref (task));
      return;
    }
  data->file++;
  publish_next (task);
}

/* Signs the next s3:// file, or goes on to the config once all are. */
static void
publish_next (GTask *task)
{
  PublishData *data = g_task_get_task_data (task);
  const char * const *file_keys = gk_chromoscope_file_keys ();

  for (; data->sample < data->samples->len; data->sample++, data->file = 0)
    {
      GkChromoscopeSample *sample = data->samples->pdata[data->sample];

      for (; file_keys[data->file] != NULL; data->file++)
        {
          const char *value = gk_chromoscope_sample_get (sample, file_keys[data->file]);
          const char *index_key = gk_chromoscope_index_key_for (file_keys[data->file]);
          g_autofree char *bucket = NULL;
          g_autofree char *key = NULL;
          g_auto(GStrv) candidates = NULL;
          GError *error = NULL;
          gboolean find_index;

          if (value == NULL || !g_str_has_prefix (value, "s3://"))
            continue;
          if (!gk_s3_parse_uri (value, &bucket, &key, &error))
            {
              fail_for_sample (task, error);
              return;
            }
          g_hash_table_add (data->buckets, g_strdup (bucket));
          candidates = gk_genomic_file_index_candidates (key, GK_VIEWER_ANY);
          find_index = index_key != NULL && candidates != NULL
                       && gk_chromoscope_sample_get (sample, index_key) == NULL;
          /* Chromoscope reads a drivers file as JSON only when the link's
           * text ends in ".json". */
          gk_linker_sign_async (data->linker, bucket, key, data->expires,
                                (find_index ? GK_LINK_WITH_INDEX : GK_LINK_FLAGS_NONE)
                                | (g_str_equal (file_keys[data->file], "drivers")
                                   ? GK_LINK_ENDS_IN_NAME : GK_LINK_FLAGS_NONE),
                                g_task_get_cancellable (task), on_file_signed_cb,
                                g_object_ref (task));
          return;
        }
    }
  finish_config (task);
}

/**
 * gk_chromoscope_publish_async:
 * @samples: (element-type GkChromoscopeSample): their s3:// files are
 *   replaced by signed links
 * @name: (nullable): the cohort's name
 * @prefix: (nullable): where configs go (the profile's chromoscope_prefix);
 *   default next to the first file
 * @upload: %FALSE to only sign and build the config
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
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PublishData *data = g_new0 (PublishData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, gk_chromoscope_publish_async);
  data->linker = g_object_ref (linker);
  data->samples = g_ptr_array_ref (samples);
  data->name = g_strdup (name);
  data->upload = upload;
  data->expires = expires;
  data->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->published = g_new0 (GkChromoscopePublished, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) publish_data_free);

  if (samples->len == 0)
    {
      g_task_return_new_error (task, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_NO_SAMPLES,
                               _("There are no samples to show in Chromoscope."));
      return;
    }
  /* Decided before signing: "next to the data" needs the s3:// address. */
  if (upload
      && !gk_chromoscope_config_location (prefix, gk_chromoscope_first_file (samples), name,
                                          g_get_real_time () / G_USEC_PER_SEC,
                                          &data->config_bucket, &data->config_key, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  publish_next (task);
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
