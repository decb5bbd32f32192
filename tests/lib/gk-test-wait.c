/* gk-test-wait.c: iterate the main context until something holds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-test-wait.h"

/* How often the condition is checked when nothing else wakes the main
 * context: often enough that a wait on a file or a thread ends promptly,
 * rarely enough to cost nothing. */
#define TICK_MS 50

struct _GkTestWait
{
  GMainContext *context;
  GSource *tick;
  gint64 deadline;
  guint seconds;
  char *what;
  const char *file;
  int line;
  const char *func;
};

double
gk_test_timeout_factor (void)
{
  const char *value = g_getenv ("GK_TEST_TIMEOUT_FACTOR");
  double factor = value != NULL ? g_ascii_strtod (value, NULL) : 1.0;

  return factor >= 1.0 ? factor : 1.0;
}

static gboolean
on_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

GkTestWait *
gk_test_wait_begin (const char *what,
                    guint       seconds,
                    const char *file,
                    int         line,
                    const char *func)
{
  GkTestWait *wait = g_new0 (GkTestWait, 1);

  wait->seconds = (guint) ((seconds > 0 ? seconds : GK_TEST_WAIT_SECONDS) * gk_test_timeout_factor ());
  wait->deadline = g_get_monotonic_time () + (gint64) wait->seconds * G_USEC_PER_SEC;
  wait->what = g_strdup (what);
  wait->file = file;
  wait->line = line;
  wait->func = func;
  wait->context = g_main_context_ref_thread_default ();
  wait->tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (wait->tick, on_tick_cb, NULL, NULL);
  g_source_set_name (wait->tick, "[genokey] gk_test_wait tick");
  g_source_attach (wait->tick, wait->context);
  return wait;
}

/* Returns FALSE once the wait gave up (and failed the test). */
gboolean
gk_test_wait_iterate (GkTestWait *wait)
{
  if (g_get_monotonic_time () > wait->deadline)
    {
      g_autofree char *message =
        g_strdup_printf ("gave up after %u s waiting for: %s", wait->seconds, wait->what);

      /* Fails the test; aborts it unless assertions are non-fatal, in which
       * case the caller goes on and its own checks say the rest. */
      g_assertion_message (G_LOG_DOMAIN, wait->file, wait->line, wait->func, message);
      return FALSE;
    }
  g_main_context_iteration (wait->context, TRUE);
  return TRUE;
}

void
gk_test_wait_end (GkTestWait *wait)
{
  g_source_destroy (wait->tick);
  g_source_unref (wait->tick);
  g_main_context_unref (wait->context);
  g_free (wait->what);
  g_free (wait);
}

void
gk_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
gk_test_wait_for_result_full (GAsyncResult **slot,
                              const char    *what,
                              const char    *file,
                              int            line,
                              const char    *func)
{
  GkTestWait *wait = gk_test_wait_begin (what, 0, file, line, func);

  while (*slot == NULL && gk_test_wait_iterate (wait))
    ;
  gk_test_wait_end (wait);
  return *slot;
}
