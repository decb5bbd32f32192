/* gk-s3-tree.c: gk_s3_tree_list_async()
 *
 * First the prefix is listed with a delimiter: its own objects, and its
 * sub-folders in S3's order. The sub-folders are then cut into as many
 * runs as there are listings in flight, and each run is read by its own
 * chain of ListObjectsV2 requests without a delimiter: prefix = what the
 * run's first and last folder share, StartAfter = just before the first
 * folder, stopping at the next run's first folder. Together the runs cover
 * every key below the sub-folders exactly once: a key that sorts before a
 * run's first folder (StartAfter is a little early) belongs to the run
 * before, and one directly in the prefix came with the first listing, so
 * both are dropped here.
 *
 * Why as many runs as listings in flight, not one per folder: a folder of
 * sample folders holds a handful of keys each, so one listing per folder
 * would take a request per handful of keys; a run per listing slot keeps
 * close to one request per 1,000 keys while the runs go side by side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-parallel.h"
#include "gk-s3-tree.h"

#define MAX_PAGES 100000 /* per run: 100 million keys; beyond that, something loops */

typedef struct
{
  GkS3Client *client;
  char *bucket;
  char *prefix;
  GkS3ListProgressFunc progress;
  gpointer progress_data;
  GkS3ListPage *top;      /* the prefix's own objects and its sub-folders */
  GPtrArray *runs;        /* of Run, in S3's order */
  guint n_entries;        /* for progress */
} Tree;

typedef struct
{
  Tree *tree;
  char *first;            /* the run's first folder: keys from here… */
  char *next;             /* …up to (not including) this one; NULL: to the end */
  char *list_prefix;
  char *start_after;
  char *last_token;
  GPtrArray *objects;     /* of GkS3Object */
  guint pages;
  GkParallelJob *job;
  GCancellable *cancellable;
} Run;

static void
run_free (Run *run)
{
  g_free (run->first);
  g_free (run->next);
  g_free (run->list_prefix);
  g_free (run->start_after);
  g_free (run->last_token);
  g_clear_pointer (&run->objects, g_ptr_array_unref);
  g_free (run);
}

static void
tree_free (Tree *tree)
{
  g_clear_object (&tree->client);
  g_free (tree->bucket);
  g_free (tree->prefix);
  g_clear_pointer (&tree->top, gk_s3_list_page_free);
  g_clear_pointer (&tree->runs, g_ptr_array_unref);
  g_free (tree);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
note_entries (Tree  *tree,
              guint  n)
{
  tree->n_entries += n;
  if (tree->progress != NULL)
    tree->progress (tree->n_entries, tree->progress_data);
}

static void run_next_page (Run *run, const char *token);

static void
on_run_page_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GkS3ListPage) page = NULL;
  GError *error = NULL;
  gboolean past_end = FALSE;
  guint before = run->objects->len;

  page = gk_s3_client_list_page_finish (GK_S3_CLIENT (object), result, &error);
  if (page == NULL)
    {
      gk_parallel_job_return_error (run->job, error);
      return;
    }
  run->pages++;
  for (guint i = 0; i < page->objects->len && !past_end; i++)
    {
      GkS3Object *o = page->objects->pdata[i];

      if (strcmp (o->key, run->first) < 0)
        continue;
      /* The prefix's own objects ("S1.txt" sorts between "S1-x/" and
       * "S1/") came with the delimiter listing. */
      if (strchr (o->key + strlen (run->tree->prefix), '/') == NULL)
        continue;
      if (run->next != NULL && strcmp (o->key, run->next) >= 0)
        {
          past_end = TRUE;
          break;
        }
      g_ptr_array_add (run->objects, g_steal_pointer (&page->objects->pdata[i]));
    }
  note_entries (run->tree, run->objects->len - before);

  if (past_end || !page->truncated)
    {
      gk_parallel_job_return (run->job, NULL, NULL);
      return;
    }
  /* A token seen just before means the listing would go round for ever. */
  if (g_strcmp0 (page->next_token, run->last_token) == 0 || run->pages >= MAX_PAGES)
    {
      gk_parallel_job_return_error (run->job,
                                    g_error_new (GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                                                 _("The listing of s3://%s/%s repeated itself after %u pages "
                                                   "(S3 sent a continuation token twice). Stopped to avoid an "
                                                   "endless loop; check the endpoint (endpoint_url) is S3."),
                                                 run->tree->bucket, run->list_prefix, run->pages));
      return;
    }
  g_free (run->last_token);
  run->last_token = g_strdup (page->next_token);
  run_next_page (run, page->next_token);
}

static void
run_next_page (Run        *run,
               const char *token)
{
  gk_s3_client_list_page_after_async (run->tree->client, run->tree->bucket, run->list_prefix, NULL,
                                      token == NULL ? run->start_after : NULL, token, 0,
                                      run->cancellable, on_run_page_cb, run);
}

static void
start_run (GkParallelJob *job,
           gpointer       job_data,
           GCancellable  *cancellable)
{
  Run *run = job_data;

  run->job = job;
  run->cancellable = cancellable;
  run_next_page (run, NULL);
}

static void
on_runs_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Tree *tree = g_task_get_task_data (task);
  GkParallel *parallel = GK_PARALLEL (object);
  GkS3ListPage *all;
  GError *error = NULL;

  if (!gk_parallel_run_finish (parallel, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < gk_parallel_get_n_jobs (parallel); i++)
    if (gk_parallel_get_error (parallel, i) != NULL)
      {
        g_task_return_error (task, g_error_copy (gk_parallel_get_error (parallel, i)));
        return;
      }
  all = g_steal_pointer (&tree->top);
  g_ptr_array_set_size (all->folders, 0);
  for (guint i = 0; i < tree->runs->len; i++)
    {
      Run *run = tree->runs->pdata[i];

      g_ptr_array_extend_and_steal (all->objects, g_steal_pointer (&run->objects));
    }
  g_task_return_pointer (task, all, (GDestroyNotify) gk_s3_list_page_free);
}

static void
on_top_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Tree *tree = g_task_get_task_data (task);
  GPtrArray *folders;
  guint n_runs, per_run;
  GError *error = NULL;
  g_autoptr(GkParallel) parallel = NULL;

  tree->top = gk_s3_client_list_objects_finish (GK_S3_CLIENT (object), result, &error);
  if (tree->top == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  note_entries (tree, tree->top->objects->len);
  folders = tree->top->folders;
  /* The runs must follow S3's order (bytewise); the pages already do,
   * but the runs' bounds depend on it, so it is not left to trust. */
  g_ptr_array_sort (folders, compare_strings);

  parallel = gk_parallel_new (GK_PARALLEL_DEFAULT_IN_FLIGHT);
  n_runs = MIN (folders->len, GK_PARALLEL_DEFAULT_IN_FLIGHT);
  per_run = n_runs > 0 ? (folders->len + n_runs - 1) / n_runs : 0;
  tree->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  for (guint start = 0; start < folders->len; start += per_run)
    {
      guint end = MIN (start + per_run, folders->len);
      const char *first = folders->pdata[start];
      const char *last = folders->pdata[end - 1];
      Run *run = g_new0 (Run, 1);

      run->tree = tree;
      run->first = g_strdup (first);
      run->next = end < folders->len ? g_strdup (folders->pdata[end]) : NULL;
      run->list_prefix = gk_s3_key_common_prefix (first, last);
      /* Just before the first folder: the folder without its "/". */
      run->start_after = gk_s3_key_before (first);
      run->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_object_free);
      g_ptr_array_add (tree->runs, run);
      gk_parallel_add (parallel, start_run, run, NULL);
    }
  gk_parallel_run_async (parallel, g_task_get_cancellable (task), on_runs_done_cb,
                         g_object_ref (task));
}

/**
 * gk_s3_tree_list_async:
 * @prefix: "" or ending in "/"
 * @progress: (nullable): told how many objects have come so far
 *
 * Lists every object under @prefix, at every depth, with several listings
 * side by side (see the file's comment). The result holds no folders, and
 * its objects are not in S3's order.
 */
void
gk_s3_tree_list_async (GkS3Client           *client,
                       const char           *bucket,
                       const char           *prefix,
                       GkS3ListProgressFunc  progress,
                       gpointer              progress_data,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  GTask *task;
  Tree *tree;

  g_return_if_fail (GK_IS_S3_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_tree_list_async);
  tree = g_new0 (Tree, 1);
  tree->client = g_object_ref (client);
  tree->bucket = g_strdup (bucket);
  tree->prefix = g_strdup (prefix != NULL ? prefix : "");
  tree->progress = progress;
  tree->progress_data = progress_data;
  g_task_set_task_data (task, tree, (GDestroyNotify) tree_free);
  gk_s3_client_list_objects_async (client, bucket, tree->prefix, "/", cancellable, on_top_cb, task);
}

/**
 * gk_s3_tree_list_finish:
 *
 * Returns: (transfer full): every object under the prefix
 */
GkS3ListPage *
gk_s3_tree_list_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_s3_tree_list_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
