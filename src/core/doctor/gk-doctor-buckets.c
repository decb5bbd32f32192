/* gk-doctor-buckets.c: what the signed-in user's role can reach in S3
 *
 * ListBuckets first: a role scoped to the lab's buckets may not list the
 * account's. Then each of the profile's buckets (or of those listed, when
 * the profile names none), side by side: HeadBucket for its region (S3
 * names it even when it refuses), one key of a listing under the profile's
 * prefix (what browsing needs), the CORS preflight each web viewer's page
 * would send (OPTIONS with Origin, Access-Control-Request-Method and the
 * Range header it asks about), the bucket's CORS rules for the headers the
 * viewers read, where the role may read them, and its versioning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-doctor-buckets.h"
#include "gk-doctor-judge.h"
#include "gk-doctor-probe.h"
#include "gk-parallel.h"
#include "gk-s3-cors.h"
#include "gk-web-viewer.h"

typedef struct
{
  GkDoctorContext *context;
  GkParallelJob *job;
  GCancellable *cancellable; /* the run's */
  char *bucket;
  char *prefix;
  char *region;
  GPtrArray *findings;
  guint preflights_left;
  GPtrArray *refused;       /* origins S3 refused (char*, owned) */
  GError *preflight_error;  /* no answer to a preflight */
} BucketCheck;

typedef struct
{
  GkDoctorContext *context;
  GPtrArray *findings;
  GPtrArray *checks;        /* BucketCheck* */
  GkParallel *parallel;
} BucketsData;

/* One preflight under way. */
typedef struct
{
  BucketCheck *check;
  char *origin;
} Preflight;

static void
bucket_check_free (BucketCheck *check)
{
  g_clear_object (&check->cancellable);
  g_free (check->bucket);
  g_free (check->prefix);
  g_free (check->region);
  g_clear_pointer (&check->findings, g_ptr_array_unref);
  g_clear_pointer (&check->refused, g_ptr_array_unref);
  g_clear_error (&check->preflight_error);
  g_free (check);
}

static void
buckets_data_free (BucketsData *data)
{
  g_clear_pointer (&data->findings, g_ptr_array_unref);
  g_clear_pointer (&data->checks, g_ptr_array_unref);
  g_clear_object (&data->parallel);
  g_free (data);
}

static void
check_done (BucketCheck *check)
{
  gk_parallel_job_return (check->job, g_steal_pointer (&check->findings),
                          (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
check_cancelled (BucketCheck  *check,
                 const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  gk_parallel_job_return_error (check->job, g_error_copy (error));
  return TRUE;
}

/* ---- versioning --------------------------------------------------------- */

static void
on_versioning_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BucketCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  GkS3Versioning versioning;

  versioning = gk_s3_client_get_bucket_versioning_finish (GK_S3_CLIENT (object), result, &error);
  if (check_cancelled (check, error))
    return;
  g_ptr_array_add (check->findings, gk_doctor_judge_versioning (check->bucket, versioning, error));
  check_done (check);
}

static void
check_versioning (BucketCheck *check)
{
  gk_s3_client_get_bucket_versioning_async (check->context->s3, check->bucket,
                                            check->cancellable,
                                            on_versioning_cb, check);
}

/* ---- CORS --------------------------------------------------------------- */

static gboolean
is_refused (BucketCheck *check,
            const char  *origin)
{
  for (guint i = 0; i < check->refused->len; i++)
    if (g_str_equal (g_ptr_array_index (check->refused, i), origin))
      return TRUE;
  return FALSE;
}

static void
judge_cors (BucketCheck *check)
{
  g_ptr_array_add (check->refused, NULL);
  g_ptr_array_add (check->findings,
                   gk_doctor_judge_cors (check->bucket,
                                         (const char * const *) check->context->origins,
                                         (const char * const *) check->refused->pdata,
                                         check->preflight_error));
  g_ptr_array_remove_index (check->refused, check->refused->len - 1);
  check_versioning (check);
}

/* The preflight says nothing of the headers a page may read afterwards;
 * the rules do, where the role may read them. */
static void
on_rules_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BucketCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  rules = gk_s3_client_get_bucket_cors_finish (GK_S3_CLIENT (object), result, &error);
  if (check_cancelled (check, error))
    return;
  for (guint i = 0; rules != NULL && check->context->origins[i] != NULL; i++)
    {
      const char *origin = check->context->origins[i];
      /* Each viewer reads what it reads; another allowed page (a lab's own
       * IGV-Web) is taken to read what igv.js does. */
      GkS3CorsRequest request = *gk_web_viewer_cors_request (g_str_equal (origin, GK_CHROMOSCOPE_ORIGIN)
                                                             ? GK_VIEWER_CHROMOSCOPE
                                                             : GK_VIEWER_IGV_WEB);
      g_autoptr(GkS3CorsVerdict) verdict = NULL;

      if (is_refused (check, origin))
        continue;
      request.origin = origin;
      verdict = gk_s3_cors_judge (rules, &request);
      if (verdict->outcome != GK_S3_CORS_ALLOWED)
        g_ptr_array_add (check->refused, g_strdup (origin));
    }
  judge_cors (check);
}

static void
on_preflight_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Preflight *preflight = user_data;
  BucketCheck *check = preflight->check;
  g_autofree char *origin = preflight->origin;
  g_autoptr(GkDoctorProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  const char *allowed;

  g_free (preflight);
  probe = gk_doctor_probe_finish (result, NULL, &error);
  if (probe == NULL)
    {
      if (check->preflight_error == NULL)
        check->preflight_error = g_steal_pointer (&error);
    }
  else
    {
      allowed = soup_message_headers_get_one (probe->headers, "Access-Control-Allow-Origin");
      if (probe->status != 200 || allowed == NULL ||
          (!g_str_equal (allowed, "*") && !g_str_equal (allowed, origin)))
        g_ptr_array_add (check->refused, g_strdup (origin));
    }
  if (--check->preflights_left > 0)
    return;

  if (check_cancelled (check, check->preflight_error))
    return;
  if (check->preflight_error != NULL || check->refused->len == g_strv_length (check->context->origins))
    {
      judge_cors (check);
      return;
    }
  gk_s3_client_get_bucket_cors_async (check->context->s3, check->bucket,
                                      check->cancellable, on_rules_cb,
                                      check);
}

static void
check_cors (BucketCheck *check)
{
  GkDoctorContext *context = check->context;
  GCancellable *cancellable = check->cancellable;
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL, *url = NULL;
  g_autoptr(GError) error = NULL;

  if (!gk_s3_build_target (gk_s3_client_get_endpoint (context->s3),
                           check->region != NULL ? check->region : gk_profile_get_region (context->profile),
                           check->bucket, "", &scheme, &host, &path, &error))
    {
      check->preflight_error = g_steal_pointer (&error);
      judge_cors (check);
      return;
    }
  url = g_strdup_printf ("%s://%s%s", scheme, host, path);
  check->preflights_left = g_strv_length (context->origins);
  for (guint i = 0; context->origins[i] != NULL; i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("OPTIONS", url);
      SoupMessageHeaders *headers = soup_message_get_request_headers (message);
      Preflight *preflight = g_new0 (Preflight, 1);

      /* As the viewers' pages send it before a ranged read. */
      soup_message_headers_replace (headers, "Origin", context->origins[i]);
      soup_message_headers_replace (headers, "Access-Control-Request-Method", "GET");
      soup_message_headers_replace (headers, "Access-Control-Request-Headers", "range");
      preflight->check = check;
      preflight->origin = g_strdup (context->origins[i]);
      gk_doctor_probe_async (context->http, message, cancellable, on_preflight_cb, preflight);
    }
}

/* ---- region and reach -------------------------------------------------- */

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BucketCheck *check = user_data;
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = gk_s3_client_list_page_finish (GK_S3_CLIENT (object), result, &error);
  if (check_cancelled (check, error))
    return;
  g_ptr_array_add (check->findings,
                   gk_doctor_judge_bucket (check->context->profile, check->bucket, check->prefix,
                                           check->region, error));
  if (page == NULL)
    {
      check_done (check);
      return;
    }
  check_cors (check);
}

static void
on_head_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  BucketCheck *check = user_data;
  GkDoctorContext *context = check->context;
  g_autoptr(GkDoctorProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  const char *region;

  probe = gk_doctor_probe_finish (result, NULL, &error);
  if (check_cancelled (check, error))
    return;
  if (probe != NULL && probe->status == 404)
    error = gk_s3_error_new (404, "NoSuchBucket", NULL, GK_S3_ACTION_HEAD_BUCKET, check->bucket, NULL);
  if (error != NULL)
    {
      g_ptr_array_add (check->findings,
                       gk_doctor_judge_bucket (context->profile, check->bucket, check->prefix, NULL,
                                               error));
      check_done (check);
      return;
    }
  /* S3 names the region on 200, 301, 400 and 403 alike. */
  region = soup_message_headers_get_one (probe->headers, "x-amz-bucket-region");
  if (gk_s3_region_is_plausible (region))
    {
      check->region = g_strdup (region);
      gk_s3_client_set_bucket_region (context->s3, check->bucket, region);
    }
  gk_s3_client_list_page_async (context->s3, check->bucket, check->prefix, "/", NULL, 1,
                                check->cancellable, on_listed_cb, check);
}

static void
bucket_job (GkParallelJob *job,
            gpointer       job_data,
            GCancellable  *cancellable)
{
  BucketCheck *check = job_data;
  GkDoctorContext *context = check->context;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  check->job = job;
  check->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  check->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  check->refused = g_ptr_array_new_with_free_func (g_free);
  /* HeadBucket, signed for the profile's region. */
  message = gk_s3_client_new_object_message (context->s3, context->credentials, "HEAD", check->bucket,
                                             "", g_get_real_time () / G_USEC_PER_SEC, &error);
  if (message == NULL)
    {
      g_ptr_array_add (check->findings,
                       gk_doctor_judge_bucket (context->profile, check->bucket, check->prefix, NULL,
                                               error));
      check_done (check);
      return;
    }
  gk_doctor_probe_async (context->http, message, cancellable, on_head_cb, check);
}

/* ---- the part ----------------------------------------------------------- */

static void
add_check (BucketsData *data,
           const char  *entry)
{
  const char *p = g_str_has_prefix (entry, "s3://") ? entry + 5 : entry;
  const char *slash = strchr (p, '/');
  BucketCheck *check = g_new0 (BucketCheck, 1);

  check->context = data->context;
  check->bucket = slash != NULL ? g_strndup (p, slash - p) : g_strdup (p);
  check->prefix = slash != NULL && slash[1] != '\0' ? g_strdup (slash + 1) : NULL;
  g_ptr_array_add (data->checks, check);
  gk_parallel_add (data->parallel, bucket_job, check, NULL);
}

static void
on_all_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BucketsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!gk_parallel_run_finish (GK_PARALLEL (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < data->checks->len; i++)
    {
      GPtrArray *found = gk_parallel_get_value (data->parallel, i);

      for (guint j = 0; found != NULL && j < found->len; j++)
        g_ptr_array_add (data->findings, gk_doctor_finding_ref (g_ptr_array_index (found, j)));
    }
  g_task_return_pointer (task, g_steal_pointer (&data->findings), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_buckets_listed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BucketsData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GkProfile *profile = data->context->profile;
  const char * const *allowed = gk_profile_get_buckets (profile);
  g_autoptr(GPtrArray) buckets = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  buckets = gk_s3_client_list_buckets_finish (GK_S3_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; buckets != NULL && i < buckets->len; i++)
    g_ptr_array_add (names, ((GkS3Bucket *) g_ptr_array_index (buckets, i))->name);
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (data->findings,
                   gk_doctor_judge_list_buckets (profile, buckets != NULL
                                                 ? (const char * const *) names->pdata : NULL,
                                                 error));

  data->parallel = gk_parallel_new (GK_DOCTOR_IN_FLIGHT);
  if (allowed != NULL)
    for (guint i = 0; allowed[i] != NULL; i++)
      add_check (data, allowed[i]);
  else
    for (guint i = 0; names->pdata[i] != NULL && i < GK_DOCTOR_MAX_LISTED_BUCKETS; i++)
      add_check (data, names->pdata[i]);
  gk_parallel_run_async (data->parallel, cancellable, on_all_cb, g_steal_pointer (&task));
}

/**
 * gk_doctor_buckets_async:
 *
 * Finishes with a finding on ListBuckets, then per bucket: its reach and
 * region, its CORS for the web viewers, and its versioning. Nothing
 * without credentials.
 */
void
gk_doctor_buckets_async (GkDoctorContext     *context,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  BucketsData *data = g_new0 (BucketsData, 1);

  g_task_set_source_tag (task, gk_doctor_buckets_async);
  g_task_set_task_data (task, data, (GDestroyNotify) buckets_data_free);
  data->context = context;
  data->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  data->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) bucket_check_free);
  if (context->credentials == NULL || context->s3 == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->findings),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  gk_s3_client_list_buckets_async (context->s3, cancellable, on_buckets_listed_cb, task);
}
