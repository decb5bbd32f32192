/* gk-doctor.c: GkDoctor
 *
 * A run: credentials first (whether the checks that need them can run),
 * then the parts side by side (gk-doctor-private.h), then their findings
 * in the parts' order, with a note first when there was no sign-in to
 * check with. Each run has its own context, so a run may start while a
 * cancelled one is still winding down.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-doctor-buckets.h"
#include "gk-doctor-endpoints.h"
#include "gk-doctor-gateway.h"
#include "gk-doctor-identity.h"
#include "gk-doctor-judge.h"
#include "gk-doctor.h"
#include "gk-lab-admin.h"
#include "gk-parallel.h"

/* Credentials a check can use for a few requests. */
#define MIN_VALID_FOR_CHECK 120

struct _GkDoctor
{
  GObject parent_instance;

  GkProfile *profile;
  GkCredentialSource *source;
  gboolean has_gateway;
  GkDoctorGateway gateway;
  GStrv gateway_origins;
};

G_DEFINE_FINAL_TYPE (GkDoctor, gk_doctor, G_TYPE_OBJECT)

static const GkDoctorPartFunc parts[] = {
  gk_doctor_endpoints_async,
  gk_doctor_identity_async,
  gk_doctor_buckets_async,
  gk_doctor_gateway_async,
};

typedef struct
{
  GkDoctorContext context;
  GkParallel *parallel;
} RunData;

static void
run_data_free (RunData *data)
{
  GkDoctorContext *c = &data->context;

  g_clear_object (&c->profile);
  g_clear_object (&c->source);
  g_clear_object (&c->session);
  g_clear_pointer (&c->credentials, gk_credentials_unref);
  g_clear_error (&c->credentials_error);
  g_clear_object (&c->s3);
  g_clear_object (&c->http);
  g_strfreev (c->origins);
  g_strfreev (c->gateway_origins);
  g_clear_object (&data->parallel);
  g_free (data);
}

static void
on_part_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GkParallelJob *job = user_data;
  GError *error = NULL;
  GPtrArray *findings = gk_doctor_part_finish (result, &error);

  if (findings == NULL)
    gk_parallel_job_return_error (job, error);
  else
    gk_parallel_job_return (job, findings, (GDestroyNotify) g_ptr_array_unref);
}

static void
part_job (GkParallelJob *job,
          gpointer       job_data,
          GCancellable  *cancellable)
{
  RunData *data = job_data;

  parts[gk_parallel_job_get_index (job)] (&data->context, cancellable, on_part_cb, job);
}

static void
on_parts_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  g_autoptr(GError) error = NULL;

  if (!gk_parallel_run_finish (data->parallel, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->context.credentials == NULL)
    g_ptr_array_add (findings, gk_doctor_judge_not_signed_in (data->context.profile,
                                                              data->context.credentials_error));
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      GPtrArray *part = gk_parallel_get_value (data->parallel, i);
      const GError *part_error = gk_parallel_get_error (data->parallel, i);

      if (part_error != NULL)
        {
          g_task_return_error (task, g_error_copy (part_error));
          return;
        }
      for (guint j = 0; part != NULL && j < part->len; j++)
        g_ptr_array_add (findings, gk_doctor_finding_ref (g_ptr_array_index (part, j)));
    }
  g_task_return_pointer (task, g_steal_pointer (&findings), (GDestroyNotify) g_ptr_array_unref);
}

static void
start_parts (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  data->parallel = gk_parallel_new (G_N_ELEMENTS (parts));
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    gk_parallel_add (data->parallel, part_job, data, NULL);
  gk_parallel_run_async (data->parallel, g_task_get_cancellable (task), on_parts_cb, task);
}

static void
on_credentials_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  GkDoctorContext *c = &data->context;

  c->credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object),
                                                                result, &c->credentials_error);
  if (g_error_matches (c->credentials_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&c->credentials_error));
      g_object_unref (task);
      return;
    }
  start_parts (task);
}

/**
 * gk_doctor_new:
 * @source: (nullable): the profile's credential source (for a lab
 *   sign-in, its #GkSession); without one only what needs no credentials
 *   is checked
 */
GkDoctor *
gk_doctor_new (GkProfile          *profile,
               GkCredentialSource *source)
{
  GkDoctor *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (source == NULL || GK_IS_CREDENTIAL_SOURCE (source), NULL);

  self = g_object_new (GK_TYPE_DOCTOR, NULL);
  self->profile = g_object_ref (profile);
  self->source = source != NULL ? g_object_ref (source) : NULL;
  return self;
}

GkProfile *
gk_doctor_get_profile (GkDoctor *self)
{
  g_return_val_if_fail (GK_IS_DOCTOR (self), NULL);
  return self->profile;
}

/**
 * gk_doctor_set_gateway:
 * @gateway: (nullable): the gateway's settings and whether it runs;
 *   %NULL leaves the gateway unchecked
 */
void
gk_doctor_set_gateway (GkDoctor              *self,
                       const GkDoctorGateway *gateway)
{
  g_return_if_fail (GK_IS_DOCTOR (self));

  g_clear_pointer (&self->gateway_origins, g_strfreev);
  self->has_gateway = gateway != NULL;
  if (gateway == NULL)
    return;
  self->gateway = *gateway;
  self->gateway_origins = g_strdupv ((char **) gateway->origins);
  self->gateway.origins = (const char * const *) self->gateway_origins;
}

/**
 * gk_doctor_run_async:
 *
 * Checks the profile. Cancelling stops every request under way.
 */
void
gk_doctor_run_async (GkDoctor            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  RunData *data;
  GkDoctorContext *c;

  g_return_if_fail (GK_IS_DOCTOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_doctor_run_async);

  data = g_new0 (RunData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  c = &data->context;
  c->profile = g_object_ref (self->profile);
  c->source = self->source != NULL ? g_object_ref (self->source) : NULL;
  c->session = GK_IS_SESSION (self->source) ? g_object_ref (GK_SESSION (self->source)) : NULL;
  /* Without the profile's allow-list: whether the role sees more than it
   * is one of the questions. */
  if (c->source != NULL)
    c->s3 = gk_s3_client_new (c->source, gk_profile_get_region (self->profile),
                              gk_profile_get_s3_endpoint (self->profile), NULL);
  c->http = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                            "timeout", 30, NULL);
  c->has_gateway = self->has_gateway;
  c->gateway_port = self->gateway.port;
  c->gateway_running = self->gateway.running;
  c->gateway_origins = g_strdupv (self->gateway_origins);
  c->origins = gk_lab_admin_viewer_origins (self->has_gateway ? self->gateway.origins : NULL);

  if (c->source == NULL)
    {
      c->credentials_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                  _("There are no credentials to check with."));
      start_parts (task);
      return;
    }
  gk_credential_source_get_credentials_async (c->source, MIN_VALID_FOR_CHECK, cancellable,
                                              on_credentials_cb, task);
}

/**
 * gk_doctor_run_finish:
 *
 * Returns: (transfer full) (element-type GkDoctorFinding): the findings,
 *   or %NULL when cancelled
 */
GPtrArray *
gk_doctor_run_finish (GkDoctor      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
gk_doctor_dispose (GObject *object)
{
  GkDoctor *self = GK_DOCTOR (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (gk_doctor_parent_class)->dispose (object);
}

static void
gk_doctor_finalize (GObject *object)
{
  GkDoctor *self = GK_DOCTOR (object);

  g_strfreev (self->gateway_origins);

  G_OBJECT_CLASS (gk_doctor_parent_class)->finalize (object);
}

static void
gk_doctor_class_init (GkDoctorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_doctor_dispose;
  object_class->finalize = gk_doctor_finalize;
}

static void
gk_doctor_init (GkDoctor *self)
{
}
