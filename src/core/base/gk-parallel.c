/* gk-parallel.c: GkParallel
 *
 * The jobs start in the order they were added, so a caller that adds the
 * cheap, decisive questions first (one listing for a thousand keys) gets
 * their answers first. A job may return before its start function does (an
 * answer known without asking): the pump below notices that it is already
 * running and goes on in its own loop rather than recursing, so a million
 * instant jobs do not need a million stack frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include "gk-parallel.h"

typedef enum
{
  JOB_QUEUED,
  JOB_RUNNING,
  JOB_DONE,
} JobState;

typedef struct
{
  GkParallelJobFunc func;
  gpointer data;
  GDestroyNotify data_free;
  gpointer value;
  GDestroyNotify value_free;
  GError *error;
  JobState state;
} Job;

struct _GkParallelJob
{
  GkParallel *parallel;
  guint index;
};

struct _GkParallel
{
  GObject parent_instance;

  guint max_in_flight;
  GArray *jobs;        /* of Job */
  guint next;          /* the first job not started */
  guint in_flight;
  guint n_done;
  guint max_seen;      /* the most jobs that were ever in flight together */
  gboolean pumping;
  GTask *task;         /* the run, while it goes on */

  GkParallelDoneFunc done_func;
  gpointer done_data;
  GDestroyNotify done_notify;
};

G_DEFINE_FINAL_TYPE (GkParallel, gk_parallel, G_TYPE_OBJECT)

static void pump (GkParallel *self);

static void
job_clear (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  job->data = NULL;
  if (job->value_free != NULL && job->value != NULL)
    job->value_free (job->value);
  job->value = NULL;
  g_clear_error (&job->error);
}

static Job *
job_at (GkParallel *self,
        guint       index)
{
  return &g_array_index (self->jobs, Job, index);
}

static void
finish_run (GkParallel *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             g_strerror (ECANCELED));
  else
    g_task_return_boolean (task, TRUE);
}

static void
job_returned (GkParallelJob  *handle,
              gpointer        value,
              GDestroyNotify  value_free,
              GError         *error)
{
  g_autoptr(GkParallel) self = handle->parallel;
  guint index = handle->index;
  Job *job = job_at (self, index);

  g_return_if_fail (job->state == JOB_RUNNING);

  g_free (handle);
  job->state = JOB_DONE;
  job->value = value;
  job->value_free = value_free;
  job->error = error;
  /* The job's input is not needed any more; a cohort's worth adds up. */
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  job->data = NULL;
  self->in_flight--;
  self->n_done++;

  if (self->done_func != NULL)
    self->done_func (self, index, self->done_data);
  if (!self->pumping)
    pump (self);
}

static void
pump (GkParallel *self)
{
  GCancellable *cancellable;

  if (self->task == NULL)
    return;
  cancellable = g_task_get_cancellable (self->task);
  self->pumping = TRUE;
  /* Jobs that return at once free their slot inside the loop. */
  while (self->in_flight < self->max_in_flight && self->next < self->jobs->len
         && !g_cancellable_is_cancelled (cancellable))
    {
      guint index = self->next++;
      Job *job = job_at (self, index);
      GkParallelJob *handle = g_new0 (GkParallelJob, 1);

      handle->parallel = g_object_ref (self);
      handle->index = index;
      job->state = JOB_RUNNING;
      self->in_flight++;
      self->max_seen = MAX (self->max_seen, self->in_flight);
      job->func (handle, job->data, cancellable);
    }
  self->pumping = FALSE;

  if (self->in_flight == 0
      && (self->next == self->jobs->len || g_cancellable_is_cancelled (cancellable)))
    finish_run (self);
}

/**
 * gk_parallel_new:
 * @max_in_flight: how many jobs may run at once (at least 1);
 *   %GK_PARALLEL_DEFAULT_IN_FLIGHT for S3
 */
GkParallel *
gk_parallel_new (guint max_in_flight)
{
  GkParallel *self = g_object_new (GK_TYPE_PARALLEL, NULL);

  self->max_in_flight = MAX (max_in_flight, 1);
  return self;
}

/**
 * gk_parallel_add:
 * @func: starts the job
 * @job_data: (nullable): handed to @func; freed with @job_data_free once
 *   the job has returned (or never ran)
 *
 * Adds a job, before or during the run.
 *
 * Returns: the job's index, under which its result is kept
 */
guint
gk_parallel_add (GkParallel        *self,
                 GkParallelJobFunc  func,
                 gpointer           job_data,
                 GDestroyNotify     job_data_free)
{
  Job job = { 0 };

  g_return_val_if_fail (GK_IS_PARALLEL (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  job.func = func;
  job.data = job_data;
  job.data_free = job_data_free;
  job.state = JOB_QUEUED;
  g_array_append_val (self->jobs, job);
  if (self->task != NULL && !self->pumping)
    pump (self);
  return self->jobs->len - 1;
}

/**
 * gk_parallel_set_done_func:
 *
 * @func is called after each job has returned, with its index; it may add
 * jobs.
 */
void
gk_parallel_set_done_func (GkParallel         *self,
                           GkParallelDoneFunc  func,
                           gpointer            user_data,
                           GDestroyNotify      notify)
{
  g_return_if_fail (GK_IS_PARALLEL (self));

  if (self->done_notify != NULL)
    self->done_notify (self->done_data);
  self->done_func = func;
  self->done_data = user_data;
  self->done_notify = notify;
}

/**
 * gk_parallel_run_async:
 *
 * Runs every job, those added meanwhile too. Finishes when all have
 * returned; after @cancellable is cancelled no job starts, and the run
 * finishes with %G_IO_ERROR_CANCELLED once those in flight have returned.
 * A job's own error does not stop the others: it is kept for
 * gk_parallel_get_error().
 */
void
gk_parallel_run_async (GkParallel          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (GK_IS_PARALLEL (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, gk_parallel_run_async);
  pump (self);
}

/**
 * gk_parallel_run_finish:
 *
 * Returns: %FALSE only when the run was cancelled
 */
gboolean
gk_parallel_run_finish (GkParallel    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
gk_parallel_get_n_jobs (GkParallel *self)
{
  g_return_val_if_fail (GK_IS_PARALLEL (self), 0);
  return self->jobs->len;
}

guint
gk_parallel_get_n_done (GkParallel *self)
{
  g_return_val_if_fail (GK_IS_PARALLEL (self), 0);
  return self->n_done;
}

/**
 * gk_parallel_get_max_seen:
 *
 * Returns: the most jobs that ran at the same time so far
 */
guint
gk_parallel_get_max_seen (GkParallel *self)
{
  g_return_val_if_fail (GK_IS_PARALLEL (self), 0);
  return self->max_seen;
}

/**
 * gk_parallel_get_value:
 *
 * Returns: (transfer none) (nullable): what job @index returned
 */
gpointer
gk_parallel_get_value (GkParallel *self,
                       guint       index)
{
  g_return_val_if_fail (GK_IS_PARALLEL (self), NULL);
  g_return_val_if_fail (index < self->jobs->len, NULL);
  return job_at (self, index)->value;
}

/**
 * gk_parallel_get_error:
 *
 * Returns: (transfer none) (nullable): job @index's error; %NULL when it
 *   succeeded or never ran (see gk_parallel_get_n_done())
 */
const GError *
gk_parallel_get_error (GkParallel *self,
                       guint       index)
{
  g_return_val_if_fail (GK_IS_PARALLEL (self), NULL);
  g_return_val_if_fail (index < self->jobs->len, NULL);
  return job_at (self, index)->error;
}

guint
gk_parallel_job_get_index (GkParallelJob *job)
{
  return job->index;
}

/**
 * gk_parallel_job_return:
 * @value: (nullable) (transfer full): the job's result
 *
 * Ends the job. Call it once, from the main context.
 */
void
gk_parallel_job_return (GkParallelJob  *job,
                        gpointer        value,
                        GDestroyNotify  value_free)
{
  g_return_if_fail (job != NULL);
  job_returned (job, value, value_free, NULL);
}

/**
 * gk_parallel_job_return_error:
 * @error: (transfer full): why the job failed
 */
void
gk_parallel_job_return_error (GkParallelJob *job,
                              GError        *error)
{
  g_return_if_fail (job != NULL);
  g_return_if_fail (error != NULL);
  job_returned (job, NULL, NULL, error);
}

static void
gk_parallel_finalize (GObject *object)
{
  GkParallel *self = GK_PARALLEL (object);

  for (guint i = 0; i < self->jobs->len; i++)
    job_clear (job_at (self, i));
  g_array_unref (self->jobs);
  if (self->done_notify != NULL)
    self->done_notify (self->done_data);

  G_OBJECT_CLASS (gk_parallel_parent_class)->finalize (object);
}

static void
gk_parallel_class_init (GkParallelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_parallel_finalize;
}

static void
gk_parallel_init (GkParallel *self)
{
  self->jobs = g_array_new (FALSE, TRUE, sizeof (Job));
  self->max_in_flight = GK_PARALLEL_DEFAULT_IN_FLIGHT;
}
