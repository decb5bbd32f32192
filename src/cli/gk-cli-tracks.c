/* gk-cli-tracks.c: s3:// addresses to checked, signed tracks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-chromoscope.h"
#include "gk-cli-tracks.h"
#include "gk-link-batch.h"
#include "gk-parallel.h"

/**
 * gk_cli_sign_link:
 * @with_index: sign the index too, when the format has one (an error if
 *   it is missing: a genome browser would stop at a dialog)
 *
 * Returns: (transfer full): the link
 */
GkLink *
gk_cli_sign_link (GkCli       *cli,
                  GkLinker    *linker,
                  const char  *uri,
                  gint64       expires,
                  gboolean     with_index,
                  GError     **error)
{
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) candidates = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (!gk_s3_parse_uri (uri, &bucket, &key, error) || !gk_s3_key_is_valid (key, FALSE, error))
    return NULL;
  candidates = gk_genomic_file_index_candidates (key, GK_VIEWER_ANY);
  gk_linker_sign_async (linker, bucket, key, expires,
                        (with_index && candidates != NULL) ? GK_LINK_WITH_INDEX : GK_LINK_FLAGS_NONE,
                        gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  return gk_linker_sign_finish (linker, result, error);
}

/**
 * gk_cli_check_link:
 *
 * Reads the first byte through @url: genome browsers show an empty track
 * (IGV even answers OK) when a link does not work.
 */
gboolean
gk_cli_check_link (GkCli       *cli,
                   const char  *url,
                   const char  *label,
                   GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_igv_check_link_async (NULL, url, label, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  return gk_igv_check_link_finish (result, error);
}

typedef struct
{
  char *url;
  char *label;
  GkParallelJob *job;
} LinkCheck;

static void
link_check_free (LinkCheck *check)
{
  g_free (check->url);
  g_free (check->label);
  g_free (check);
}

static void
on_link_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LinkCheck *check = user_data;
  GError *error = NULL;

  if (gk_igv_check_link_finish (result, &error))
    gk_parallel_job_return (check->job, NULL, NULL);
  else
    gk_parallel_job_return_error (check->job, error);
}

static void
start_link_check (GkParallelJob *job,
                  gpointer       job_data,
                  GCancellable  *cancellable)
{
  LinkCheck *check = job_data;

  check->job = job;
  gk_igv_check_link_async (NULL, check->url, check->label, cancellable, on_link_checked_cb, check);
}

static void
add_link_check (GkParallel *parallel,
                const char *url,
                char       *label)
{
  LinkCheck *check = g_new0 (LinkCheck, 1);

  check->url = g_strdup (url);
  check->label = label;
  gk_parallel_add (parallel, start_link_check, check, (GDestroyNotify) link_check_free);
}

/* Reads a byte through every link, side by side; the first failure in
 * track order is the error. */
static gboolean
check_links (GkCli      *cli,
             GPtrArray  *links,
             GError    **error)
{
  g_autoptr(GkParallel) parallel = gk_parallel_new (GK_PARALLEL_DEFAULT_IN_FLIGHT);
  g_autoptr(GAsyncResult) result = NULL;

  for (guint i = 0; i < links->len; i++)
    {
      GkLink *link = links->pdata[i];
      const char *name = gk_genomic_file_base_name (link->key);

      add_link_check (parallel, link->url, g_strdup (name));
      if (link->index_url != NULL)
        add_link_check (parallel, link->index_url,
                        g_strdup_printf (_("%s (its index %s)"), name,
                                         gk_genomic_file_base_name (link->index_key)));
    }
  gk_parallel_run_async (parallel, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_parallel_run_finish (parallel, result, error))
    return FALSE;
  for (guint i = 0; i < gk_parallel_get_n_jobs (parallel); i++)
    if (gk_parallel_get_error (parallel, i) != NULL)
      {
        g_propagate_error (error, g_error_copy (gk_parallel_get_error (parallel, i)));
        return FALSE;
      }
  return TRUE;
}

/**
 * gk_cli_sign_tracks:
 * @check: also read a byte through each link and index
 * @out_expires_at: (out): when the first of the links stops working
 *
 * Signs every file with its index, all together: the indexes are paired
 * from listings (GkLinkBatch). The first problem in the order given is the
 * error, as when files were signed one after another.
 *
 * Returns: (transfer full) (element-type GkIgvTrack): the tracks
 */
GPtrArray *
gk_cli_sign_tracks (GkCli       *cli,
                    GkLinker    *linker,
                    char       **uris,
                    gint64       expires,
                    gboolean     check,
                    gint64      *out_expires_at,
                    GError     **error)
{
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_link_unref);
  g_autoptr(GkLinkBatch) batch = gk_link_batch_new (linker, expires);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(GPtrArray) parse_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  gint64 expires_at = G_MAXINT64;

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autofree char *bucket = NULL;
      g_autofree char *key = NULL;
      GError *e = NULL;
      gint slot;

      if (gk_s3_parse_uri (uris[i], &bucket, &key, &e) && gk_s3_key_is_valid (key, FALSE, &e))
        slot = (gint) gk_link_batch_add (batch, bucket, key, GK_LINK_WITH_INDEX);
      else
        {
          slot = -1 - (gint) parse_errors->len;
          g_ptr_array_add (parse_errors, e);
        }
      g_array_append_val (slots, slot);
    }
  gk_link_batch_sign_async (batch, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_link_batch_sign_finish (batch, result, error))
    return NULL;

  for (guint i = 0; i < slots->len; i++)
    {
      gint slot = g_array_index (slots, gint, i);
      GkLink *link;

      if (slot < 0)
        {
          g_propagate_error (error, g_error_copy (parse_errors->pdata[-1 - slot]));
          return NULL;
        }
      link = gk_link_batch_get_link (batch, (guint) slot, error);
      if (link == NULL)
        return NULL;
      g_ptr_array_add (links, link);
    }
  if (check && !check_links (cli, links, error))
    return NULL;

  for (guint i = 0; i < links->len; i++)
    {
      GkLink *link = links->pdata[i];

      if (link->expires_at > 0)
        expires_at = MIN (expires_at, link->expires_at);
      g_ptr_array_add (tracks, gk_igv_track_new (link->url, link->index_url,
                                                 gk_genomic_file_base_name (link->key),
                                                 gk_genomic_file_classify (link->key)->igv_format));
    }
  *out_expires_at = expires_at == G_MAXINT64 ? 0 : expires_at;
  return g_steal_pointer (&tracks);
}

/* Says what a CORS check found: a warning with the configuration to set,
 * or that the rules could not be read. */
static gboolean
report_cors (GkCli            *cli,
             const char       *bucket,
             GkViewer          viewer,
             GkS3CorsVerdict  *verdict,
             const GError     *error)
{
  g_autofree char *problem = NULL;
  g_autofree char *json = NULL;

  if (verdict == NULL)
    {
      gk_cli_notice (cli, _("Could not check the CORS rules of bucket “%s”: %s"), bucket, error->message);
      return FALSE;
    }
  problem = gk_web_viewer_describe_cors (viewer, verdict);
  if (problem == NULL)
    return TRUE;

  json = gk_web_viewer_cors_json ();
  gk_cli_notice (cli,
                 _("Warning: %s A web genome browser at %s will not be able to read bucket “%s” "
                   "until its CORS configuration allows it. Ask the lab’s AWS admin to set:\n%s"
                   "(aws s3api put-bucket-cors --bucket %s --cors-configuration file://cors.json)"),
                 problem, gk_web_viewer_origin (viewer), bucket, json, bucket);
  return FALSE;
}

typedef struct
{
  GkS3Client *client;
  char *bucket;
  GkViewer viewer;
  GkParallelJob *job;
} CorsJob;

static void
cors_job_free (CorsJob *c)
{
  g_object_unref (c->client);
  g_free (c->bucket);
  g_free (c);
}

static void
on_cors_job_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CorsJob *c = user_data;
  GError *error = NULL;
  GkS3CorsVerdict *verdict = gk_s3_cors_check_finish (result, &error);

  if (verdict == NULL)
    gk_parallel_job_return_error (c->job, error);
  else
    gk_parallel_job_return (c->job, verdict, (GDestroyNotify) gk_s3_cors_verdict_free);
}

static void
start_cors_job (GkParallelJob *job,
                gpointer       job_data,
                GCancellable  *cancellable)
{
  CorsJob *c = job_data;

  c->job = job;
  gk_s3_cors_check_async (c->client, c->bucket, gk_web_viewer_cors_request (c->viewer),
                          cancellable, on_cors_job_cb, c);
}

/**
 * gk_cli_check_cors_buckets:
 * @buckets: the buckets the page will read
 * @viewer: %GK_VIEWER_IGV_WEB or %GK_VIEWER_CHROMOSCOPE
 *
 * Asks for every bucket's CORS rules side by side, then warns, bucket by
 * bucket in the order given, with the configuration to set, where
 * @viewer's web page may not read it. Never fails the command: the admin
 * may fix CORS later.
 *
 * Returns: %TRUE when the browser will be allowed everywhere
 */
gboolean
gk_cli_check_cors_buckets (GkCli              *cli,
                           GkS3Client         *client,
                           const char * const *buckets,
                           GkViewer            viewer)
{
  g_autoptr(GkParallel) parallel = gk_parallel_new (GK_PARALLEL_DEFAULT_IN_FLIGHT);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean allowed = TRUE;

  for (guint i = 0; buckets[i] != NULL; i++)
    {
      CorsJob *c = g_new0 (CorsJob, 1);

      c->client = g_object_ref (client);
      c->bucket = g_strdup (buckets[i]);
      c->viewer = viewer;
      gk_parallel_add (parallel, start_cors_job, c, (GDestroyNotify) cors_job_free);
    }
  gk_parallel_run_async (parallel, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_parallel_run_finish (parallel, result, &error))
    return FALSE;
  for (guint i = 0; buckets[i] != NULL; i++)
    allowed &= report_cors (cli, buckets[i], viewer, gk_parallel_get_value (parallel, i),
                            gk_parallel_get_error (parallel, i));
  return allowed;
}

/**
 * gk_cli_check_cors:
 * @viewer: %GK_VIEWER_IGV_WEB or %GK_VIEWER_CHROMOSCOPE
 *
 * gk_cli_check_cors_buckets() for one bucket.
 *
 * Returns: %TRUE when the browser will be allowed
 */
gboolean
gk_cli_check_cors (GkCli       *cli,
                   GkS3Client  *client,
                   const char  *bucket,
                   GkViewer     viewer)
{
  const char *buckets[] = { bucket, NULL };

  return gk_cli_check_cors_buckets (cli, client, buckets, viewer);
}

void
gk_cli_tell_expiry (GkCli  *cli,
                    gint64  expires_at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;

  if (expires_at <= 0)
    return;
  utc = g_date_time_new_from_unix_utc (expires_at);
  local = g_date_time_to_local (utc);
  when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  gk_cli_notice (cli, _("The links work until %s; open the files again after that."), when);
}

/**
 * gk_cli_open_uri:
 *
 * Opens @uri in the default browser; on a machine without one, says so (the
 * URL has been printed already).
 */
void
gk_cli_open_uri (GkCli      *cli,
                 const char *uri)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    gk_cli_notice (cli, _("Could not open a web browser (%s); open the printed link yourself."),
                   error->message);
}
