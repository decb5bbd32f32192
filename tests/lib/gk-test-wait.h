/* gk-test-wait.h: iterate the main context until something holds
 *
 * A test that starts something asynchronous waits for it here, never with
 * a sleep and never with a bare `while (!done) g_main_context_iteration ()`
 * that hangs until meson kills the program without a word. A wait gives up
 * after a generous time and fails the test with what it was waiting for and
 * where, for example:
 *
 *   test-session.c:120: gave up after 30 s waiting for: f->token_requests == 1
 *
 * How to use it (link gk_test_dep, include "gk-test.h"):
 *
 *   g_autoptr(GAsyncResult) result = NULL;
 *
 *   gk_thing_do_async (thing, NULL, gk_test_store_result_cb, &result);
 *   done = gk_thing_do_finish (thing, gk_test_wait_for_result (&result), &error);
 *
 *   gk_test_wait_until (f->token_requests == 1);
 *   gk_test_wait_until_msg (gtk_widget_get_visible (banner), "the Sign In Again banner");
 *
 * The condition is checked after every main-context iteration and at least
 * every 50 ms, so it may also look at things that change outside the main
 * loop (another thread, a file another process writes).
 *
 * The limit is GK_TEST_WAIT_SECONDS times $GK_TEST_TIMEOUT_FACTOR (a number,
 * default 1; .ci/run raises it for the sanitizer build). It is far above
 * what any wait needs on a loaded 2-core machine under ASan: it exists to
 * turn a hang into a message, not to time anything. Keep the meson timeout
 * of a test program above it, so the message gets printed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_TEST_WAIT_SECONDS 30

typedef struct _GkTestWait GkTestWait;

GkTestWait   *gk_test_wait_begin             (const char    *what,
                                              guint          seconds,
                                              const char    *file,
                                              int            line,
                                              const char    *func);
gboolean      gk_test_wait_iterate           (GkTestWait    *wait);
void          gk_test_wait_end               (GkTestWait    *wait);
double        gk_test_timeout_factor         (void);

/* Stores a reference to @result in the GAsyncResult * that @user_data
 * points at: the GAsyncReadyCallback to pair with gk_test_wait_for_result(). */
void          gk_test_store_result_cb        (GObject       *source,
                                              GAsyncResult  *result,
                                              gpointer       user_data);
GAsyncResult *gk_test_wait_for_result_full   (GAsyncResult **slot,
                                              const char    *what,
                                              const char    *file,
                                              int            line,
                                              const char    *func);

/* Waits at most @seconds (times the factor; 0: GK_TEST_WAIT_SECONDS) until
 * @condition holds; @what says in words what the test waits for. */
#define gk_test_wait_until_full(condition, what, seconds)                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    GkTestWait *gk_test_wait_ = gk_test_wait_begin ((what), (seconds), __FILE__, __LINE__,         \
                                                    G_STRFUNC);                                    \
    while (!(condition) && gk_test_wait_iterate (gk_test_wait_))                                   \
      ;                                                                                            \
    gk_test_wait_end (gk_test_wait_);                                                              \
  }                                                                                                \
  G_STMT_END

#define gk_test_wait_until(condition) gk_test_wait_until_full (condition, #condition, 0)
#define gk_test_wait_until_msg(condition, what) gk_test_wait_until_full (condition, what, 0)

/* Waits until the callback filled @slot (a GAsyncResult **) and returns
 * *@slot, still owned by the slot. */
#define gk_test_wait_for_result(slot)                                                              \
  gk_test_wait_for_result_full ((slot), "the async call to fill " #slot, __FILE__, __LINE__, G_STRFUNC)

G_END_DECLS
