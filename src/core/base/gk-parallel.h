/* gk-parallel.h: many asynchronous jobs, a bounded number at a time
 *
 * A cohort means thousands of S3 questions. Asked one after another they
 * cost thousands of round trips (minutes at real S3's 20–80 ms); asked all
 * at once they swamp the connection pool and S3's request rate. GkParallel
 * runs jobs with at most N in flight (16–32 suits S3), keeps each job's
 * result or error under its index (the input order), and stops cleanly when
 * cancelled: no job starts after that, and the run finishes only once every
 * started job has returned, so nothing is left running behind the caller.
 *
 * Jobs may be added while the run goes on (a listing that gives up hands its
 * remaining keys to single lookups). Each job gets a GkParallelJob and must
 * return through it exactly once, from the main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What S3 serves a single client well: enough to hide 20–80 ms of latency,
 * few enough to stay clear of SlowDown and of libsoup's connection limit. */
#define GK_PARALLEL_DEFAULT_IN_FLIGHT 24

typedef struct _GkParallelJob GkParallelJob;

#define GK_TYPE_PARALLEL (gk_parallel_get_type ())

G_DECLARE_FINAL_TYPE (GkParallel, gk_parallel, GK, PARALLEL, GObject)

/* Starts one job; it ends with gk_parallel_job_return() or
 * gk_parallel_job_return_error(), now or later. */
typedef void (*GkParallelJobFunc)  (GkParallelJob *job,
                                    gpointer       job_data,
                                    GCancellable  *cancellable);

/* Called after each job has returned, in the order they return. */
typedef void (*GkParallelDoneFunc) (GkParallel    *parallel,
                                    guint          index,
                                    gpointer       user_data);

GkParallel   *gk_parallel_new                (guint                max_in_flight);
guint         gk_parallel_add                (GkParallel          *self,
                                              GkParallelJobFunc    func,
                                              gpointer             job_data,
                                              GDestroyNotify       job_data_free);
void          gk_parallel_set_done_func      (GkParallel          *self,
                                              GkParallelDoneFunc   func,
                                              gpointer             user_data,
                                              GDestroyNotify       notify);

void          gk_parallel_run_async          (GkParallel          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      gk_parallel_run_finish         (GkParallel          *self,
                                              GAsyncResult        *result,
                                              GError             **error);

guint         gk_parallel_get_n_jobs         (GkParallel          *self);
guint         gk_parallel_get_n_done         (GkParallel          *self);
guint         gk_parallel_get_max_seen       (GkParallel          *self);
gpointer      gk_parallel_get_value          (GkParallel          *self,
                                              guint                index);
const GError *gk_parallel_get_error          (GkParallel          *self,
                                              guint                index);

/* For the job. */
guint         gk_parallel_job_get_index      (GkParallelJob       *job);
void          gk_parallel_job_return         (GkParallelJob       *job,
                                              gpointer             value,
                                              GDestroyNotify       value_free);
void          gk_parallel_job_return_error   (GkParallelJob       *job,
                                              GError              *error);

G_END_DECLS
