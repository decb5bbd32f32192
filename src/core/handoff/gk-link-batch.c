/* gk-link-batch.c: GkLinkBatch
 *
 * The steps mirror gk_linker_sign_async() for one file, done once for all:
 * each file's key and the allow-list are checked first (an error for that
 * file only), then the credentials are fetched once (renewed first when
 * they would cut the links short, as for one file), then every bucket's
 * region is found (side by side), then the indexes are looked up together
 * (GkS3Probe), and finally each link is made by _gk_linker_make_link(), the
 * code that makes a single link, or, for gateway links, minted all in one
 * call to the linker's minter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-genomic-file.h"
#include "gk-link-batch.h"
#include "gk-links-private.h"
#include "gk-parallel.h"
#include "gk-s3-probe.h"

#define NO_QUESTION G_MAXUINT

typedef struct
{
  char *bucket;
  char *key;
  GStrv index_names;  /* NULL: no index wanted */
  GkLinkFlags flags;
  guint question;     /* in the probe, or NO_QUESTION */
  GkLink *link;
  GError *error;
} File;

typedef struct
{
  char *bucket;
  char *prefix;
  GStrv keys;
} KnownListing;

struct _GkLinkBatch
{
  GObject parent_instance;

  GkLinker *linker;
  gint64 expires;
  gboolean use_listings;
  GArray *files;       /* of File */
  GPtrArray *listings; /* of KnownListing */
  GkCredentials *credentials;
  GkS3Probe *probe;
  GPtrArray *region_buckets; /* the bucket of each region job */
  guint n_done;        /* files done before the probe */
  guint n_requests;

  GkLinkBatchProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_notify;
};

G_DEFINE_FINAL_TYPE (GkLinkBatch, gk_link_batch, G_TYPE_OBJECT)

static void
file_clear (File *f)
{
  g_free (f->bucket);
  g_free (f->key);
  g_strfreev (f->index_names);
  g_clear_pointer (&f->link, gk_link_unref);
  g_clear_error (&f->error);
}

static void
known_listing_free (KnownListing *l)
{
  g_free (l->bucket);
  g_free (l->prefix);
  g_strfreev (l->keys);
  g_free (l);
}

static File *
file_at (GkLinkBatch *self,
         guint        index)
{
  return &g_array_index (self->files, File, index);
}

static GkS3Client *
get_client (GkLinkBatch *self)
{
  return gk_linker_get_client (self->linker);
}

static void
report (GkLinkBatch *self,
        guint        done)
{
  if (self->progress_func != NULL)
    self->progress_func (self, done, self->files->len, self->progress_data);
}

/* ---- the last step: every link ------------------------------------------ */

/* Settles each file's index from the probe; a file without the index it
 * needs gets its error. Returns the index key, or NULL. */
static const char *
settle_index (GkLinkBatch *self,
              File        *f)
{
  const GError *e = NULL;
  const char *index_key;

  if (f->question == NO_QUESTION)
    return NULL;
  index_key = gk_s3_probe_get_found (self->probe, f->question, &e);
  if (e != NULL)
    f->error = g_error_copy (e);
  else if (index_key == NULL)
    f->error = _gk_links_no_index_error (f->bucket, f->key, (const char * const *) f->index_names);
  return index_key;
}

static void
make_links (GkLinkBatch *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < self->files->len; i++)
    {
      File *f = file_at (self, i);
      const char *index_key;

      if (f->error != NULL)
        continue;
      index_key = settle_index (self, f);
      if (f->error != NULL)
        continue;
      f->link = _gk_linker_make_link (self->linker, self->credentials, f->bucket, f->key,
                                      index_key, self->expires, now, &f->error);
      if (f->link != NULL && (f->flags & GK_LINK_ENDS_IN_NAME)
          && !_gk_linker_end_in_name (self->linker, self->credentials, f->link, now, &f->error))
        g_clear_pointer (&f->link, gk_link_unref);
    }
  report (self, self->files->len);
}

/* Gateway links: every file's (and index's) link from the minter, in one
 * call, since over D-Bus each call is a round trip. */
typedef struct
{
  GArray *files;      /* guint: the file of each minted pair */
  GArray *has_index;  /* gboolean */
  char **index_keys;  /* borrowed from the probe */
} MintData;

static void
mint_data_free (MintData *m)
{
  g_array_unref (m->files);
  g_array_unref (m->has_index);
  g_free (m->index_keys);
  g_free (m);
}

static void
on_minted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkLinkBatch *self = g_task_get_source_object (task);
  MintData *m = g_object_get_data (G_OBJECT (task), "mint");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) links = gk_link_minter_mint_finish (GK_LINK_MINTER (object), result, &error);
  guint next = 0;

  if (links == NULL)
    {
      /* The minter refused all at once (not serving, not running): each
       * file says so. */
      for (guint i = 0; i < m->files->len; i++)
        {
          File *f = file_at (self, g_array_index (m->files, guint, i));

          f->error = g_error_copy (error);
        }
      report (self, self->files->len);
      g_task_return_boolean (task, TRUE);
      return;
    }
  for (guint i = 0; i < m->files->len; i++)
    {
      File *f = file_at (self, g_array_index (m->files, guint, i));
      gboolean indexed = g_array_index (m->has_index, gboolean, i);
      char *url = g_strdup (links[next++]);
      char *index_url = indexed ? g_strdup (links[next++]) : NULL;

      f->link = _gk_linker_make_gateway_link (f->bucket, f->key, indexed ? m->index_keys[i] : NULL,
                                              url, index_url);
    }
  report (self, self->files->len);
  g_task_return_boolean (task, TRUE);
}

static void
mint_links (GTask *task)
{
  GkLinkBatch *self = g_task_get_source_object (task);
  GkLinkMinter *minter = gk_linker_get_minter (self->linker);
  MintData *m = g_new0 (MintData, 1);
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);

  m->files = g_array_new (FALSE, FALSE, sizeof (guint));
  m->has_index = g_array_new (FALSE, FALSE, sizeof (gboolean));
  m->index_keys = g_new0 (char *, self->files->len + 1);
  g_object_set_data_full (G_OBJECT (task), "mint", m, (GDestroyNotify) mint_data_free);
  for (guint i = 0; i < self->files->len; i++)
    {
      File *f = file_at (self, i);
      const char *index_key;
      gboolean indexed;

      if (f->error != NULL)
        continue;
      index_key = settle_index (self, f);
      if (f->error != NULL)
        continue;
      /* A key the minter cannot link fails alone: the minter refuses a
       * whole call for one. */
      if (!gk_link_minter_check_key (minter, f->bucket, f->key, &f->error) ||
          (index_key != NULL && !gk_link_minter_check_key (minter, f->bucket, index_key, &f->error)))
        continue;
      indexed = index_key != NULL;
      m->index_keys[m->files->len] = (char *) index_key;
      g_array_append_val (m->files, i);
      g_array_append_val (m->has_index, indexed);
      g_ptr_array_add (uris, g_strdup_printf ("s3://%s/%s", f->bucket, f->key));
      if (indexed)
        g_ptr_array_add (uris, g_strdup_printf ("s3://%s/%s", f->bucket, index_key));
    }
  if (m->files->len == 0)
    {
      report (self, self->files->len);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (uris, NULL);
  gk_link_minter_mint_async (minter, (const char * const *) uris->pdata,
                             g_task_get_cancellable (task), on_minted_cb, task);
}

/* ---- the indexes ---------------------------------------------------------- */

static void
on_probe_progress_cb (GkS3Probe *probe,
                      guint      done,
                      guint      total,
                      gpointer   user_data)
{
  GkLinkBatch *self = user_data;

  report (self, self->n_done + done);
}

static void
on_probe_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkLinkBatch *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->n_requests += gk_s3_probe_get_n_lists (self->probe) + gk_s3_probe_get_n_heads (self->probe);
  if (!gk_s3_probe_run_finish (self->probe, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (_gk_linker_is_gateway (self->linker))
    {
      mint_links (g_steal_pointer (&task));
      return;
    }
  make_links (self);
  g_task_return_boolean (task, TRUE);
}

static void
find_indexes (GTask *task)
{
  GkLinkBatch *self = g_task_get_source_object (task);
  guint asked = 0;

  self->probe = gk_s3_probe_new (get_client (self));
  gk_s3_probe_set_use_listings (self->probe, self->use_listings);
  for (guint i = 0; i < self->listings->len; i++)
    {
      KnownListing *l = self->listings->pdata[i];

      gk_s3_probe_add_listing (self->probe, l->bucket, l->prefix, (const char * const *) l->keys);
    }
  for (guint i = 0; i < self->files->len; i++)
    {
      File *f = file_at (self, i);

      if (f->error == NULL && f->index_names != NULL)
        {
          f->question = gk_s3_probe_add (self->probe, f->bucket, (const char * const *) f->index_names);
          asked++;
        }
    }
  self->n_done = self->files->len - asked;
  report (self, self->n_done);
  gk_s3_probe_set_progress_func (self->probe, on_probe_progress_cb, self, NULL);
  gk_s3_probe_run_async (self->probe, g_task_get_cancellable (task), on_probe_cb,
                         g_object_ref (task));
}

/* ---- the regions ------------------------------------------------------------ */

typedef struct
{
  GkLinkBatch *self;
  char *bucket;
  GkParallelJob *job;
} RegionJob;

static void
region_job_free (RegionJob *r)
{
  g_free (r->bucket);
  g_free (r);
}

static void
on_region_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RegionJob *r = user_data;
  g_autofree char *region = NULL;
  GError *error = NULL;

  region = gk_s3_client_get_bucket_region_finish (GK_S3_CLIENT (object), result, &error);
  if (region == NULL)
    gk_parallel_job_return_error (r->job, error);
  else
    gk_parallel_job_return (r->job, NULL, NULL);
}

static void
start_region (GkParallelJob *job,
              gpointer       job_data,
              GCancellable  *cancellable)
{
  RegionJob *r = job_data;

  r->job = job;
  gk_s3_client_get_bucket_region_async (get_client (r->self), r->bucket, cancellable,
                                        on_region_cb, r);
}

static void
on_regions_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkLinkBatch *self = g_task_get_source_object (task);
  GkParallel *parallel = GK_PARALLEL (object);
  g_autoptr(GHashTable) failed = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;

  if (!gk_parallel_run_finish (parallel, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* A bucket whose region cannot be found fails its files, as for one. */
  for (guint i = 0; i < gk_parallel_get_n_jobs (parallel); i++)
    if (gk_parallel_get_error (parallel, i) != NULL)
      g_hash_table_insert (failed, self->region_buckets->pdata[i],
                           (gpointer) gk_parallel_get_error (parallel, i));
  for (guint i = 0; i < self->files->len && g_hash_table_size (failed) > 0; i++)
    {
      File *f = file_at (self, i);
      const GError *e = g_hash_table_lookup (failed, f->bucket);

      if (f->error == NULL && e != NULL)
        f->error = g_error_copy (e);
    }
  find_indexes (task);
}

static void
find_regions (GTask *task)
{
  GkLinkBatch *self = g_task_get_source_object (task);
  g_autoptr(GkParallel) parallel = gk_parallel_new (GK_PARALLEL_DEFAULT_IN_FLIGHT);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->files->len; i++)
    {
      File *f = file_at (self, i);
      RegionJob *r;
      guint index;

      if (f->error != NULL || g_hash_table_contains (seen, f->bucket)
          || gk_s3_client_peek_bucket_region (get_client (self), f->bucket) != NULL)
        continue;
      g_hash_table_add (seen, f->bucket);
      r = g_new0 (RegionJob, 1);
      r->self = self;
      r->bucket = g_strdup (f->bucket);
      index = gk_parallel_add (parallel, start_region, r, (GDestroyNotify) region_job_free);
      /* The job's data goes once it returns; keep the bucket by index. */
      g_assert (index == self->region_buckets->len);
      g_ptr_array_add (self->region_buckets, g_strdup (f->bucket));
    }
  gk_parallel_run_async (parallel, g_task_get_cancellable (task), on_regions_cb,
                         g_object_ref (task));
}

/* ---- credentials, first ------------------------------------------------------ */

static void
on_credentials_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkLinkBatch *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object),
                                                                   result, &error);
  if (self->credentials == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  find_regions (task);
}

/* ---- public API ------------------------------------------------------------ */

/**
 * gk_link_batch_new:
 * @expires: the lifetime asked for every link, in seconds (bounded as for
 *   one link: gk_links_clamp_expiry())
 *
 * Returns: (transfer full): an empty batch making @linker's kind of links
 */
GkLinkBatch *
gk_link_batch_new (GkLinker *linker,
                   gint64    expires)
{
  GkLinkBatch *self;

  g_return_val_if_fail (GK_IS_LINKER (linker), NULL);

  self = g_object_new (GK_TYPE_LINK_BATCH, NULL);
  self->linker = g_object_ref (linker);
  self->expires = expires;
  return self;
}

static guint
add_file (GkLinkBatch *self,
          const char  *bucket,
          const char  *key,
          GStrv        index_names)
{
  File f = { 0 };

  f.bucket = g_strdup (bucket);
  f.key = g_strdup (key);
  f.index_names = index_names;
  f.question = NO_QUESTION;
  g_array_append_val (self->files, f);
  return self->files->len - 1;
}

/**
 * gk_link_batch_add:
 * @flags: %GK_LINK_WITH_INDEX to find and sign the index too, by the usual
 *   names (gk_genomic_file_index_candidates()); an error for this file if the
 *   format has one and it is missing. %GK_LINK_ENDS_IN_NAME as for
 *   gk_linker_sign_async().
 *
 * Returns: the file's index in the batch
 */
guint
gk_link_batch_add (GkLinkBatch *self,
                   const char  *bucket,
                   const char  *key,
                   GkLinkFlags  flags)
{
  guint i;

  g_return_val_if_fail (GK_IS_LINK_BATCH (self), 0);

  i = add_file (self, bucket, key,
                (flags & GK_LINK_WITH_INDEX) && key != NULL
                ? gk_genomic_file_index_candidates (key, GK_VIEWER_ANY) : NULL);

  file_at (self, i)->flags = flags;
  return i;
}

/**
 * gk_link_batch_add_with_index:
 * @index_names: the index's possible keys, in order of preference (a
 *   viewer's own rules); one must exist
 *
 * Returns: the file's index in the batch
 */
guint
gk_link_batch_add_with_index (GkLinkBatch        *self,
                              const char         *bucket,
                              const char         *key,
                              const char * const *index_names)
{
  g_return_val_if_fail (GK_IS_LINK_BATCH (self), 0);
  g_return_val_if_fail (index_names != NULL && index_names[0] != NULL, 0);

  return add_file (self, bucket, key, g_strdupv ((GStrv) index_names));
}

/**
 * gk_link_batch_add_listing:
 * @keys: every key under @prefix, as the caller has just listed them
 *
 * Indexes under @prefix are paired from @keys, without asking S3 again.
 */
void
gk_link_batch_add_listing (GkLinkBatch        *self,
                           const char         *bucket,
                           const char         *prefix,
                           const char * const *keys)
{
  KnownListing *l;

  g_return_if_fail (GK_IS_LINK_BATCH (self));

  l = g_new0 (KnownListing, 1);
  l->bucket = g_strdup (bucket);
  l->prefix = g_strdup (prefix);
  l->keys = g_strdupv ((GStrv) keys);
  g_ptr_array_add (self->listings, l);
}

/**
 * gk_link_batch_set_use_listings:
 * @use_listings: %FALSE to look indexes up with HEAD only, as single
 *   links do (to compare them)
 */
void
gk_link_batch_set_use_listings (GkLinkBatch *self,
                                gboolean     use_listings)
{
  g_return_if_fail (GK_IS_LINK_BATCH (self));
  self->use_listings = use_listings;
}

void
gk_link_batch_set_progress_func (GkLinkBatch             *self,
                                 GkLinkBatchProgressFunc  func,
                                 gpointer                 user_data,
                                 GDestroyNotify           notify)
{
  g_return_if_fail (GK_IS_LINK_BATCH (self));

  if (self->progress_notify != NULL)
    self->progress_notify (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_notify = notify;
}

/**
 * gk_link_batch_sign_async:
 *
 * Makes every file's link (and index link). A file's own problem (a bad
 * key, no index, S3 refusing) is kept for gk_link_batch_get_link(); the
 * batch as a whole fails only when cancelled or without credentials.
 */
void
gk_link_batch_sign_async (GkLinkBatch         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  GkS3Client *client;

  g_return_if_fail (GK_IS_LINK_BATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_link_batch_sign_async);
  client = get_client (self);

  for (guint i = 0; i < self->files->len; i++)
    {
      File *f = file_at (self, i);

      if (!gk_s3_key_is_valid (f->key, FALSE, &f->error))
        continue;
      gk_s3_client_check_allowed (client, f->bucket, f->key, &f->error);
    }
  if (_gk_linker_is_gateway (self->linker))
    {
      find_indexes (task);
      return;
    }
  if (gk_links_clamp_expiry (self->expires, NULL, 0, NULL, NULL) == 0)
    {
      GError *error = NULL;

      gk_links_clamp_expiry (self->expires, NULL, 0, NULL, &error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* Renew first if the credentials would cut the links short by a lot. */
  gk_credential_source_get_credentials_async (gk_s3_client_get_source (client),
                                              MIN (self->expires, GK_CREDENTIALS_REFRESH_MARGIN),
                                              cancellable, on_credentials_cb, task);
}

/**
 * gk_link_batch_sign_finish:
 *
 * Returns: %FALSE when cancelled or without credentials (@error says
 *   which); the files' own results come from gk_link_batch_get_link()
 */
gboolean
gk_link_batch_sign_finish (GkLinkBatch   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
gk_link_batch_get_n_files (GkLinkBatch *self)
{
  g_return_val_if_fail (GK_IS_LINK_BATCH (self), 0);
  return self->files->len;
}

/**
 * gk_link_batch_get_link:
 *
 * Returns: (transfer full) (nullable): file @index's link, or %NULL with
 *   @error saying why it has none
 */
GkLink *
gk_link_batch_get_link (GkLinkBatch  *self,
                        guint         index,
                        GError      **error)
{
  File *f;

  g_return_val_if_fail (GK_IS_LINK_BATCH (self), NULL);
  g_return_val_if_fail (index < self->files->len, NULL);

  f = file_at (self, index);
  if (f->link == NULL)
    {
      if (f->error != NULL)
        g_propagate_error (error, g_error_copy (f->error));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return NULL;
    }
  return gk_link_ref (f->link);
}

/**
 * gk_link_batch_get_n_requests:
 *
 * Returns: the S3 requests the index lookups took (listings and HEADs)
 */
guint
gk_link_batch_get_n_requests (GkLinkBatch *self)
{
  g_return_val_if_fail (GK_IS_LINK_BATCH (self), 0);
  return self->n_requests;
}

static void
gk_link_batch_dispose (GObject *object)
{
  GkLinkBatch *self = GK_LINK_BATCH (object);

  g_clear_object (&self->linker);
  g_clear_object (&self->probe);
  G_OBJECT_CLASS (gk_link_batch_parent_class)->dispose (object);
}

static void
gk_link_batch_finalize (GObject *object)
{
  GkLinkBatch *self = GK_LINK_BATCH (object);

  for (guint i = 0; i < self->files->len; i++)
    file_clear (file_at (self, i));
  g_array_unref (self->files);
  g_ptr_array_unref (self->listings);
  g_ptr_array_unref (self->region_buckets);
  g_clear_pointer (&self->credentials, gk_credentials_unref);
  if (self->progress_notify != NULL)
    self->progress_notify (self->progress_data);
  G_OBJECT_CLASS (gk_link_batch_parent_class)->finalize (object);
}

static void
gk_link_batch_class_init (GkLinkBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_link_batch_dispose;
  G_OBJECT_CLASS (klass)->finalize = gk_link_batch_finalize;
}

static void
gk_link_batch_init (GkLinkBatch *self)
{
  self->use_listings = TRUE;
  self->files = g_array_new (FALSE, TRUE, sizeof (File));
  self->listings = g_ptr_array_new_with_free_func ((GDestroyNotify) known_listing_free);
  self->region_buckets = g_ptr_array_new_with_free_func (g_free);
}
