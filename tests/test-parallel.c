/* test-parallel.c: many jobs, a bounded number in flight, results in input
 * order, errors per job, cancellation that waits for the running jobs
 *
 * The jobs finish from main-loop timeouts in a scrambled order, as network
 * answers do; nothing here depends on how fast the machine is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-parallel.h"
#include "gk-test.h"

typedef struct
{
  guint running;        /* jobs started and not returned */
  guint most_running;
  guint started;
  GCancellable *cancel_at_start;
  guint cancel_after;   /* cancel when this many have started */
} Counters;

typedef struct
{
  Counters *counters;
  guint value;
  gboolean fail;
  gboolean instant;
  GkParallelJob *job;
  GCancellable *cancellable;
} JobData;

static void
job_data_free (JobData *d)
{
  g_free (d);
}

static gboolean
on_job_timeout_cb (gpointer user_data)
{
  JobData *d = user_data;
  GkParallelJob *job = d->job;

  d->counters->running--;
  if (g_cancellable_is_cancelled (d->cancellable))
    gk_parallel_job_return_error (job, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
  else if (d->fail)
    gk_parallel_job_return_error (job, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "job %u failed", d->value));
  else
    gk_parallel_job_return (job, g_strdup_printf ("value %u", d->value), g_free);
  return G_SOURCE_REMOVE;
}

static void
start_job (GkParallelJob *job,
           gpointer       job_data,
           GCancellable  *cancellable)
{
  JobData *d = job_data;
  Counters *c = d->counters;

  g_assert_cmpuint (gk_parallel_job_get_index (job), ==, d->value);
  c->started++;
  if (c->cancel_at_start != NULL && c->started == c->cancel_after)
    g_cancellable_cancel (c->cancel_at_start);
  if (d->instant)
    {
      gk_parallel_job_return (job, GUINT_TO_POINTER (d->value + 1), NULL);
      return;
    }
  c->running++;
  c->most_running = MAX (c->most_running, c->running);
  d->job = job;
  d->cancellable = cancellable;
  /* Scrambled finishing times: later jobs often finish first. */
  g_timeout_add ((d->value * 7919) % 13, on_job_timeout_cb, d);
}

static void
add_jobs (GkParallel *parallel,
          Counters   *counters,
          guint       n,
          gboolean    instant)
{
  for (guint i = 0; i < n; i++)
    {
      JobData *d = g_new0 (JobData, 1);

      d->counters = counters;
      d->value = gk_parallel_get_n_jobs (parallel);
      d->fail = d->value % 10 == 3;
      d->instant = instant;
      gk_parallel_add (parallel, start_job, d, (GDestroyNotify) job_data_free);
    }
}

static void
on_run_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
run (GkParallel    *parallel,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_parallel_run_async (parallel, cancellable, on_run_cb, &result);
  gk_test_wait_until (result != NULL);
  return gk_parallel_run_finish (parallel, result, error);
}

static void
test_bounded_and_in_order (void)
{
  g_autoptr(GkParallel) parallel = gk_parallel_new (16);
  g_autoptr(GError) error = NULL;
  Counters counters = { 0 };

  add_jobs (parallel, &counters, 500, FALSE);
  g_assert_true (run (parallel, NULL, &error));
  g_assert_no_error (error);

  /* Never more than asked for, and the bound was actually used. */
  g_assert_cmpuint (counters.most_running, ==, 16);
  g_assert_cmpuint (gk_parallel_get_max_seen (parallel), ==, 16);
  g_assert_cmpuint (counters.running, ==, 0);
  g_assert_cmpuint (gk_parallel_get_n_done (parallel), ==, 500);
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *expected = g_strdup_printf ("value %u", i);
      const GError *e = gk_parallel_get_error (parallel, i);

      if (i % 10 == 3)
        {
          /* One job's error stays with it and stops nobody else. */
          g_assert_error (e, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
          g_assert_null (gk_parallel_get_value (parallel, i));
        }
      else
        {
          g_assert_no_error (e);
          g_assert_cmpstr (gk_parallel_get_value (parallel, i), ==, expected);
        }
    }
}

static void
on_done_add_more_cb (GkParallel *parallel,
                     guint       index,
                     gpointer    user_data)
{
  Counters *counters = user_data;

  /* The first ten jobs each bring one more, as a listing that gives up
   * hands its keys to single lookups. */
  if (index < 10)
    add_jobs (parallel, counters, 1, FALSE);
}

static void
test_jobs_added_while_running (void)
{
  g_autoptr(GkParallel) parallel = gk_parallel_new (4);
  g_autoptr(GError) error = NULL;
  Counters counters = { 0 };

  add_jobs (parallel, &counters, 10, FALSE);
  gk_parallel_set_done_func (parallel, on_done_add_more_cb, &counters, NULL);
  g_assert_true (run (parallel, NULL, &error));
  g_assert_cmpuint (gk_parallel_get_n_jobs (parallel), ==, 20);
  g_assert_cmpuint (gk_parallel_get_n_done (parallel), ==, 20);
  g_assert_cmpuint (counters.most_running, <=, 4);
  g_assert_cmpstr (gk_parallel_get_value (parallel, 19), ==, "value 19");
}

static void
test_cancel_waits_for_running_jobs (void)
{
  g_autoptr(GkParallel) parallel = gk_parallel_new (8);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Counters counters = { 0 };

  counters.cancel_at_start = cancellable;
  counters.cancel_after = 20;
  add_jobs (parallel, &counters, 1000, FALSE);
  g_assert_false (run (parallel, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Nothing started after the cancel, and the run ended only once every
   * started job had returned: nothing is left running behind the caller. */
  g_assert_cmpuint (counters.started, ==, 20);
  g_assert_cmpuint (counters.running, ==, 0);
  g_assert_cmpuint (gk_parallel_get_n_done (parallel), ==, 20);
  g_assert_null (gk_parallel_get_value (parallel, 500));
  g_assert_null (gk_parallel_get_error (parallel, 500));
}

static void
test_instant_jobs_do_not_recurse (void)
{
  g_autoptr(GkParallel) parallel = gk_parallel_new (2);
  g_autoptr(GError) error = NULL;
  Counters counters = { 0 };

  /* A million answers known without asking must not need a million stack
   * frames. */
  add_jobs (parallel, &counters, 1000000, TRUE);
  g_assert_true (run (parallel, NULL, &error));
  g_assert_cmpuint (gk_parallel_get_n_done (parallel), ==, 1000000);
  g_assert_cmpuint (GPOINTER_TO_UINT (gk_parallel_get_value (parallel, 999999)), ==, 1000000);
}

static void
test_empty_run (void)
{
  g_autoptr(GkParallel) parallel = gk_parallel_new (0);
  g_autoptr(GError) error = NULL;

  g_assert_true (run (parallel, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gk_parallel_get_n_done (parallel), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parallel/bounded-and-in-input-order", test_bounded_and_in_order);
  g_test_add_func ("/parallel/jobs-added-while-running", test_jobs_added_while_running);
  g_test_add_func ("/parallel/cancel-waits-for-running-jobs", test_cancel_waits_for_running_jobs);
  g_test_add_func ("/parallel/instant-jobs-do-not-recurse", test_instant_jobs_do_not_recurse);
  g_test_add_func ("/parallel/empty-run-finishes", test_empty_run);

  return g_test_run ();
}
