/* gk-s3-list.c: GkS3Client's listings: ListBuckets and ListObjectsV2
 *
 * A profile's allow-list stands in for ListBuckets and for listings above an
 * allowed prefix; a listing of every page stops when S3 repeats a
 * continuation token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-s3-private.h"

#define MAX_PAGES 100000 /* 100 million keys: beyond that, something loops */

/* ---- ListBuckets ------------------------------------------------------ */

static void
on_list_buckets_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GkS3Request *r = gk_s3_client_send_finish (result, &error);
  GPtrArray *buckets;

  if (r == NULL || (buckets = gk_s3_parse_list_buckets (r->response, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, buckets, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * gk_s3_client_list_buckets_async:
 *
 * The profile's bucket list when it has one (no request), else ListBuckets.
 */
void
gk_s3_client_list_buckets_async (GkS3Client          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GkS3Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_list_buckets_async);

  if (self->buckets != NULL)
    {
      GPtrArray *buckets = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_bucket_free);

      for (guint i = 0; self->buckets[i] != NULL; i++)
        {
          GkS3Bucket *b = g_new0 (GkS3Bucket, 1);

          gk_s3_split_allow_entry (self->buckets[i], &b->name, &b->prefix);
          g_ptr_array_add (buckets, b);
        }
      g_task_return_pointer (task, buckets, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  r = gk_s3_request_new ("GET", NULL, NULL, GK_S3_ACTION_LIST_BUCKETS);
  r->region = g_strdup (self->region);
  gk_s3_client_send_request (self, r, cancellable, on_list_buckets_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_list_buckets_finish:
 *
 * Returns: (transfer full) (element-type GkS3Bucket): the buckets
 */
GPtrArray *
gk_s3_client_list_buckets_finish (GkS3Client    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ListObjectsV2, one page ------------------------------------------ */

/* Listing above an allowed prefix (s3://lab/ when only lab/cohort1/ is
 * allowed) shows the allowed folders instead of a request S3 would refuse. */
static GkS3ListPage *
synthesize_allowed_page (GkS3Client *self,
                         const char *bucket,
                         const char *prefix,
                         const char *delimiter)
{
  GkS3ListPage *page = NULL;

  if (self->buckets == NULL)
    return NULL;
  for (guint i = 0; self->buckets[i] != NULL; i++)
    {
      g_autofree char *b = NULL, *p = NULL;
      const char *next;
      char *folder;

      gk_s3_split_allow_entry (self->buckets[i], &b, &p);
      if (!g_str_equal (b, bucket) || p == NULL || !g_str_has_prefix (p, prefix)
          || g_str_equal (p, prefix))
        continue;
      if (page == NULL)
        {
          page = g_new0 (GkS3ListPage, 1);
          page->bucket = g_strdup (bucket);
          page->prefix = g_strdup (prefix);
          page->folders = g_ptr_array_new_with_free_func (g_free);
          page->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_object_free);
        }
      next = delimiter != NULL && *delimiter != '\0' ? strstr (p + strlen (prefix), delimiter) : NULL;
      folder = next != NULL ? g_strndup (p, next - p + strlen (delimiter)) : g_strdup (p);
      if (!g_ptr_array_find_with_equal_func (page->folders, folder, g_str_equal, NULL))
        g_ptr_array_add (page->folders, folder);
      else
        g_free (folder);
    }
  return page;
}

static void
on_list_page_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GkS3Request *r = gk_s3_client_send_finish (result, &error);
  GkS3ListPage *page;

  if (r == NULL || (page = gk_s3_parse_list_objects (r->response, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (page->truncated && page->next_token == NULL)
    {
      gk_s3_list_page_free (page);
      g_task_return_new_error (task, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                               _("S3 said the listing of s3://%s goes on but gave no "
                                 "continuation token. Check the endpoint (endpoint_url) is S3."),
                               r->bucket);
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) gk_s3_list_page_free);
}

/**
 * gk_s3_client_list_page_async:
 * @prefix: (nullable): only keys under it
 * @delimiter: (nullable): usually "/" (folders)
 * @continuation_token: (nullable): the previous page's `next_token`
 * @max_keys: at most this many entries (0: S3's default, 1000)
 *
 * One page of ListObjectsV2, for a view that loads as it scrolls.
 */
void
gk_s3_client_list_page_async (GkS3Client          *self,
                              const char          *bucket,
                              const char          *prefix,
                              const char          *delimiter,
                              const char          *continuation_token,
                              guint                max_keys,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  gk_s3_client_list_page_after_async (self, bucket, prefix, delimiter, NULL, continuation_token,
                                      max_keys, cancellable, callback, user_data);
}

/**
 * gk_s3_client_list_page_after_async:
 * @start_after: (nullable): list only keys after this one (S3's
 *   StartAfter), so several listings can read parts of one big prefix side
 *   by side; ignored by S3 once @continuation_token is given
 *
 * Like gk_s3_client_list_page_async(), from a key on; finish with
 * gk_s3_client_list_page_finish().
 */
void
gk_s3_client_list_page_after_async (GkS3Client          *self,
                                    const char          *bucket,
                                    const char          *prefix,
                                    const char          *delimiter,
                                    const char          *start_after,
                                    const char          *continuation_token,
                                    guint                max_keys,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GkS3ListPage *synthetic;
  GkS3Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_list_page_async);
  prefix = prefix != NULL ? prefix : "";
  if (start_after != NULL && !gk_s3_key_is_valid (start_after, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!gk_s3_key_is_valid (prefix, TRUE, &error)
      || !gk_s3_client_check_allowed (self, bucket, prefix, &error))
    {
      if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NOT_ALLOWED)
          && (synthetic = synthesize_allowed_page (self, bucket, prefix, delimiter)) != NULL)
        {
          g_task_return_pointer (task, synthetic, (GDestroyNotify) gk_s3_list_page_free);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  r = gk_s3_request_new ("GET", bucket, NULL, GK_S3_ACTION_LIST_OBJECTS);
  gk_s3_request_add_query (r, "list-type", "2");
  gk_s3_request_add_query (r, "encoding-type", "url");
  if (*prefix != '\0')
    gk_s3_request_add_query (r, "prefix", prefix);
  if (delimiter != NULL && *delimiter != '\0')
    gk_s3_request_add_query (r, "delimiter", delimiter);
  if (start_after != NULL && *start_after != '\0')
    gk_s3_request_add_query (r, "start-after", start_after);
  if (continuation_token != NULL)
    gk_s3_request_add_query (r, "continuation-token", continuation_token);
  if (max_keys > 0)
    {
      char buf[16];

      g_snprintf (buf, sizeof buf, "%u", max_keys);
      gk_s3_request_add_query (r, "max-keys", buf);
    }
  gk_s3_client_send_request (self, r, cancellable, on_list_page_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_list_page_finish:
 *
 * Returns: (transfer full): the page
 */
GkS3ListPage *
gk_s3_client_list_page_finish (GkS3Client    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ListObjectsV2, every page ---------------------------------------- */

typedef struct
{
  char *bucket;
  char *prefix;
  char *delimiter;
  GkS3ListPage *all;
  GHashTable *seen_tokens;
  guint pages;
  GkS3ListProgressFunc progress;
  gpointer progress_data;
} ListAll;

static void
list_all_free (ListAll *l)
{
  g_free (l->bucket);
  g_free (l->prefix);
  g_free (l->delimiter);
  gk_s3_list_page_free (l->all);
  g_hash_table_unref (l->seen_tokens);
  g_free (l);
}

static void
on_list_all_page_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  GkS3Client *self = GK_S3_CLIENT (object);
  ListAll *l = g_task_get_task_data (task);
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = gk_s3_client_list_page_finish (self, result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  l->pages++;
  g_ptr_array_extend_and_steal (l->all->folders, g_steal_pointer (&page->folders));
  g_ptr_array_extend_and_steal (l->all->objects, g_steal_pointer (&page->objects));
  if (l->progress != NULL)
    l->progress (l->all->folders->len + l->all->objects->len, l->progress_data);

  if (!page->truncated)
    {
      g_task_return_pointer (task, g_steal_pointer (&l->all), (GDestroyNotify) gk_s3_list_page_free);
      return;
    }
  /* A token seen before means the listing would go round for ever. */
  if (g_hash_table_contains (l->seen_tokens, page->next_token) || l->pages >= MAX_PAGES)
    {
      g_task_return_new_error (task, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                               _("The listing of s3://%s/%s repeated itself after %u pages "
                                 "(S3 sent a continuation token twice). Stopped to avoid an "
                                 "endless loop; check the endpoint (endpoint_url) is S3."),
                               l->bucket, l->prefix, l->pages);
      return;
    }
  g_hash_table_add (l->seen_tokens, g_strdup (page->next_token));
  cancellable = g_task_get_cancellable (task);
  gk_s3_client_list_page_async (self, l->bucket, l->prefix, l->delimiter, page->next_token, 0,
                                cancellable, on_list_all_page_cb,
                                g_steal_pointer (&task));
}

/**
 * gk_s3_client_list_objects_async:
 *
 * ListObjectsV2 followed to the last page; the result is one page holding
 * every folder and object.
 */
void
gk_s3_client_list_objects_async (GkS3Client          *self,
                                 const char          *bucket,
                                 const char          *prefix,
                                 const char          *delimiter,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  gk_s3_client_list_objects_with_progress_async (self, bucket, prefix, delimiter, NULL, NULL,
                                                 cancellable, callback, user_data);
}

/**
 * gk_s3_client_list_objects_with_progress_async:
 * @progress: (nullable): told after each page how many folders and objects
 *   have come so far (a 100,000-key folder is 100 pages)
 *
 * gk_s3_client_list_objects_async() that says how far it has got; finish
 * with gk_s3_client_list_objects_finish().
 */
void
gk_s3_client_list_objects_with_progress_async (GkS3Client           *self,
                                               const char           *bucket,
                                               const char           *prefix,
                                               const char           *delimiter,
                                               GkS3ListProgressFunc  progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data)
{
  GTask *task;
  ListAll *l;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_list_objects_async);
  l = g_new0 (ListAll, 1);
  l->bucket = g_strdup (bucket);
  l->prefix = g_strdup (prefix != NULL ? prefix : "");
  l->delimiter = g_strdup (delimiter);
  l->progress = progress;
  l->progress_data = progress_data;
  l->seen_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  l->all = g_new0 (GkS3ListPage, 1);
  l->all->bucket = g_strdup (bucket);
  l->all->prefix = g_strdup (l->prefix);
  l->all->folders = g_ptr_array_new_with_free_func (g_free);
  l->all->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_object_free);
  g_task_set_task_data (task, l, (GDestroyNotify) list_all_free);

  gk_s3_client_list_page_async (self, bucket, l->prefix, delimiter, NULL, 0, cancellable,
                                on_list_all_page_cb, task);
}

/**
 * gk_s3_client_list_objects_finish:
 *
 * Returns: (transfer full): every folder and object
 */
GkS3ListPage *
gk_s3_client_list_objects_finish (GkS3Client    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
