/* gk-doctor-endpoints.c: can this computer reach the lab's endpoints, is
 * its clock right, and does the hosted login take the profile's callback?
 *
 * Each endpoint's origin gets one plain GET of "/": any answer at all
 * means it is reachable over a connection (and certificate) Genokey
 * accepts, and its Date header says how far this computer's clock is off.
 * The hosted login then gets an authorization request as a sign-in sends
 * it, with a throw-away PKCE challenge, state and nonce: where it redirects
 * says whether the callback URL is registered. None of this needs a
 * sign-in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-doctor-endpoints.h"
#include "gk-doctor-judge.h"
#include "gk-doctor-probe.h"
#include "gk-oauth.h"
#include "gk-parallel.h"

/* One origin to reach; also the job's data while it runs. */
typedef struct
{
  GkDoctorEndpoint endpoint;
  char *origin;
  GkDoctorContext *context;
  GkParallelJob *job;
} Target;

typedef struct
{
  GkDoctorContext *context;
  GPtrArray *targets;     /* Target*, one per origin */
  GkParallel *parallel;
  Target callback;        /* the authorization request's job */
} EndpointsData;

static void
target_free (Target *target)
{
  g_free (target->origin);
  g_free (target);
}

static void
endpoints_data_free (EndpointsData *data)
{
  g_clear_pointer (&data->targets, g_ptr_array_unref);
  g_clear_object (&data->parallel);
  g_free (data);
}

static char *
origin_of (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

static void
add_target (GPtrArray        *targets,
            GkDoctorContext  *context,
            GkDoctorEndpoint  endpoint,
            const char       *url)
{
  g_autofree char *origin = origin_of (url);
  Target *target;

  if (origin == NULL)
    return;
  for (guint i = 0; i < targets->len; i++)
    if (g_str_equal (((Target *) g_ptr_array_index (targets, i))->origin, origin))
      return;
  target = g_new0 (Target, 1);
  target->endpoint = endpoint;
  target->origin = g_steal_pointer (&origin);
  target->context = context;
  g_ptr_array_add (targets, target);
}

/* Every endpoint the profile's credential source and its S3 use. */
static GPtrArray *
profile_targets (GkDoctorContext *context)
{
  GkProfile *profile = context->profile;
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  g_autofree char *s3 = NULL;

  switch (gk_profile_get_source (profile))
    {
    case GK_PROFILE_SOURCE_COGNITO:
      add_target (targets, context, GK_DOCTOR_ENDPOINT_HOSTED_LOGIN, gk_profile_get_authorization_endpoint (profile));
      add_target (targets, context, GK_DOCTOR_ENDPOINT_HOSTED_LOGIN, gk_profile_get_token_endpoint (profile));
      add_target (targets, context, GK_DOCTOR_ENDPOINT_HOSTED_LOGIN, gk_profile_get_revocation_endpoint (profile));
      add_target (targets, context, GK_DOCTOR_ENDPOINT_KEYS, gk_profile_get_jwks_uri (profile));
      add_target (targets, context, GK_DOCTOR_ENDPOINT_IDENTITY_POOL,
                  gk_profile_get_cognito_identity_endpoint (profile));
      if (gk_profile_get_flow (profile) == GK_PROFILE_FLOW_BASIC)
        add_target (targets, context, GK_DOCTOR_ENDPOINT_STS, gk_profile_get_sts_endpoint (profile));
      break;
    case GK_PROFILE_SOURCE_ACCESS_KEY:
      add_target (targets, context, GK_DOCTOR_ENDPOINT_IAM, gk_profile_get_iam_endpoint (profile));
      break;
    case GK_PROFILE_SOURCE_ASSUME_ROLE:
      add_target (targets, context, GK_DOCTOR_ENDPOINT_STS, gk_profile_get_sts_endpoint (profile));
      break;
    case GK_PROFILE_SOURCE_INSTANCE_PROFILE:
    default:
      break;
    }
  if (gk_profile_get_s3_endpoint (profile) != NULL)
    add_target (targets, context, GK_DOCTOR_ENDPOINT_S3, gk_profile_get_s3_endpoint (profile));
  else
    {
      s3 = g_strdup_printf ("https://s3.%s.amazonaws.com/", gk_profile_get_region (profile));
      add_target (targets, context, GK_DOCTOR_ENDPOINT_S3, s3);
    }
  return targets;
}

/* ---- one endpoint ---------------------------------------------------- */

typedef struct
{
  GkDoctorEndpoint endpoint;
  GkDoctorFinding *finding;
  gboolean has_date;
  gint64 skew;
  char *origin;
} Reach;

static void
reach_free (Reach *reach)
{
  g_clear_pointer (&reach->finding, gk_doctor_finding_unref);
  g_free (reach->origin);
  g_free (reach);
}

static void
on_reached_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Target *target = user_data;
  GkParallelJob *job = target->job;
  g_autoptr(GkDoctorProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags tls_errors = 0;
  Reach *reach;

  probe = gk_doctor_probe_finish (result, &tls_errors, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gk_parallel_job_return_error (job, g_steal_pointer (&error));
      return;
    }
  reach = g_new0 (Reach, 1);
  reach->endpoint = target->endpoint;
  reach->origin = g_strdup (target->origin);
  reach->finding = gk_doctor_judge_endpoint (target->endpoint, target->origin,
                                             probe != NULL ? probe->status : 0,
                                             probe != NULL ? 0 : tls_errors, error);
  if (probe != NULL && probe->has_date)
    {
      reach->has_date = TRUE;
      reach->skew = probe->skew;
    }
  gk_parallel_job_return (job, reach, (GDestroyNotify) reach_free);
}

static void
reach_job (GkParallelJob *job,
           gpointer       job_data,
           GCancellable  *cancellable)
{
  Target *target = job_data;
  g_autofree char *url = g_strconcat (target->origin, "/", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);

  target->job = job;
  gk_doctor_probe_async (target->context->http, message, cancellable, on_reached_cb, target);
}

/* ---- the callback URL ---------------------------------------------- */

static void
on_authorize_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Target *target = user_data;
  GkParallelJob *job = target->job;
  GkDoctorContext *context = target->context;
  g_autoptr(GkDoctorProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  probe = gk_doctor_probe_finish (result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gk_parallel_job_return_error (job, g_steal_pointer (&error));
      return;
    }
  gk_parallel_job_return (job,
                          gk_doctor_judge_callback (context->profile,
                                                    probe != NULL ? probe->status : 0,
                                                    probe != NULL ? probe->location : NULL, error),
                          (GDestroyNotify) gk_doctor_finding_unref);
}

static void
callback_job (GkParallelJob *job,
              gpointer       job_data,
              GCancellable  *cancellable)
{
  Target *target = job_data;
  GkDoctorContext *context = target->context;
  g_autoptr(GkOAuthRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;

  request = gk_oauth_request_new (&error);
  if (request == NULL)
    {
      gk_parallel_job_return_error (job, g_steal_pointer (&error));
      return;
    }
  url = gk_oauth_build_authorization_url_for_profile (context->profile, request, NULL);
  message = soup_message_new ("GET", url);
  if (message == NULL)
    {
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "authorization_endpoint is not a URL");
      gk_parallel_job_return (job, gk_doctor_judge_callback (context->profile, 0, NULL, error),
                              (GDestroyNotify) gk_doctor_finding_unref);
      return;
    }
  target->job = job;
  gk_doctor_probe_async (context->http, message, cancellable, on_authorize_cb, target);
}

/* ---- the part -------------------------------------------------------- */

static void
on_all_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EndpointsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  const Reach *furthest = NULL;
  guint n_targets = data->targets->len;

  if (!gk_parallel_run_finish (GK_PARALLEL (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < n_targets; i++)
    {
      const Reach *reach = gk_parallel_get_value (data->parallel, i);

      if (reach == NULL)
        continue;
      g_ptr_array_add (findings, gk_doctor_finding_ref (reach->finding));
      if (reach->has_date && (furthest == NULL || ABS (reach->skew) > ABS (furthest->skew)))
        furthest = reach;
    }
  if (furthest != NULL)
    g_ptr_array_add (findings, gk_doctor_judge_clock (furthest->skew, furthest->origin));
  if (gk_parallel_get_n_jobs (data->parallel) > n_targets)
    {
      GkDoctorFinding *callback = gk_parallel_get_value (data->parallel, n_targets);
      const GError *job_error = gk_parallel_get_error (data->parallel, n_targets);

      if (callback != NULL)
        g_ptr_array_add (findings, gk_doctor_finding_ref (callback));
      else if (job_error != NULL)
        g_ptr_array_add (findings, gk_doctor_judge_callback (data->context->profile, 0, NULL,
                                                             job_error));
    }
  g_task_return_pointer (task, g_steal_pointer (&findings), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * gk_doctor_endpoints_async:
 *
 * Finishes with a finding per endpoint, one on the clock, and (for a lab
 * sign-in) one on the callback URL.
 */
void
gk_doctor_endpoints_async (GkDoctorContext     *context,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  EndpointsData *data = g_new0 (EndpointsData, 1);

  g_task_set_source_tag (task, gk_doctor_endpoints_async);
  g_task_set_task_data (task, data, (GDestroyNotify) endpoints_data_free);
  data->context = context;
  data->callback.context = context;
  data->targets = profile_targets (context);
  data->parallel = gk_parallel_new (GK_DOCTOR_IN_FLIGHT);
  for (guint i = 0; i < data->targets->len; i++)
    gk_parallel_add (data->parallel, reach_job, g_ptr_array_index (data->targets, i), NULL);
  if (gk_profile_is_sign_in (context->profile))
    gk_parallel_add (data->parallel, callback_job, &data->callback, NULL);
  gk_parallel_run_async (data->parallel, cancellable, on_all_cb, task);
}
