/* test-aws-call.c: one AWS call, tried again while the service is busy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gk-aws-call.h"
#include "gk-test.h"

#define TEST_ERROR (g_quark_from_static_string ("test-aws-call"))

enum { BUSY, REFUSED, UNREACHABLE, NOT_BUILT };

typedef struct
{
  GkTestServer *server;
  char *base;
  guint requests;
  guint busy_count;  /* answer this many with 503 */
  guint builds;
  gboolean refuse_build;
  GPtrArray *attempt_ids; /* X-Attempt header of each request */
} Fixture;

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  const char *id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                 "X-Attempt");

  f->requests++;
  g_ptr_array_add (f->attempt_ids, g_strdup (id));
  if (f->busy_count > 0)
    {
      f->busy_count--;
      soup_server_message_set_status (msg, 503, NULL);
      return;
    }
  if (g_str_equal (path, "/refuse"))
    {
      soup_server_message_set_status (msg, 403, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "done", 4);
}

typedef struct
{
  Fixture *f;
  char *path;
} Call;

static void
call_free (Call *call)
{
  g_free (call->path);
  g_free (call);
}

static SoupMessage *
build (gpointer   user_data,
       GError   **error)
{
  Call *call = user_data;
  g_autofree char *url = g_strconcat (call->f->base, call->path, NULL);
  g_autofree char *id = NULL;
  SoupMessage *msg;

  if (call->f->refuse_build)
    {
      g_set_error_literal (error, TEST_ERROR, NOT_BUILT, "cannot build");
      return NULL;
    }
  call->f->builds++;
  id = g_strdup_printf ("%u", call->f->builds);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Attempt", id);
  return msg;
}

static GError *
read_failure (gpointer      user_data,
              SoupMessage  *message,
              GBytes       *body,
              const GError *transport_error)
{
  if (transport_error != NULL)
    return g_error_new_literal (TEST_ERROR, UNREACHABLE, "unreachable");
  if (soup_message_get_status (message) == 503)
    return g_error_new_literal (TEST_ERROR, BUSY, "busy");
  return g_error_new_literal (TEST_ERROR, REFUSED, "refused");
}

static gboolean
is_retryable (const GError *error)
{
  return g_error_matches (error, TEST_ERROR, BUSY);
}

static const GkAwsCallClass test_class = {
  .max_response_size = 1024,
  .build = build,
  .read_failure = read_failure,
  .is_retryable = is_retryable,
};

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{

  f->attempt_ids = g_ptr_array_new_with_free_func (g_free);
  f->server = gk_test_server_new ();
  gk_test_server_add_handler (f->server, NULL, handle_cb, f);
  f->base = g_strdup (gk_test_server_get_origin (f->server));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, gk_test_server_free);
  g_free (f->base);
  g_ptr_array_unref (f->attempt_ids);
}

static GBytes *
run_call (Fixture           *f,
          const char        *path,
          guint              attempts,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  GkAwsRetryPolicy policy = { attempts, 5 };
  Call *call = g_new0 (Call, 1);

  call->f = f;
  call->path = g_strdup (path);
  gk_aws_call_async (session, &test_class, &policy, "Test", call, (GDestroyNotify) call_free,
                     cancellable, gk_test_store_result_cb, &result);
  gk_test_wait_until (result != NULL);
  return gk_aws_call_finish (result, error);
}

static void
test_busy_retried_with_a_new_request (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  f->busy_count = 2;
  body = run_call (f, "/ok", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "done", 4);
  g_assert_cmpuint (f->requests, ==, 3);
  /* each attempt is built afresh (a signed one is signed again) */
  g_assert_cmpuint (f->builds, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->attempt_ids, 0), ==, "1");
  g_assert_cmpstr (g_ptr_array_index (f->attempt_ids, 2), ==, "3");
}

static void
test_attempts_bounded (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  f->busy_count = 100;
  body = run_call (f, "/ok", 3, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, TEST_ERROR, BUSY);
  g_assert_cmpuint (f->requests, ==, 3);
}

static void
test_refusal_not_retried (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = run_call (f, "/refuse", 5, NULL, &error);

  g_assert_null (body);
  g_assert_error (error, TEST_ERROR, REFUSED);
  g_assert_cmpuint (f->requests, ==, 1);
}

static void
test_build_failure_sends_nothing (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  f->refuse_build = TRUE;
  body = run_call (f, "/ok", 5, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, TEST_ERROR, NOT_BUILT);
  g_assert_cmpuint (f->requests, ==, 0);
}

static void
test_cancelled_before_sending (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  g_cancellable_cancel (cancellable);
  body = run_call (f, "/ok", 5, cancellable, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_backoff_delays (void)
{
  guint previous_max = 0;

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      guint lo = gk_aws_backoff_delay_ms (attempt, 250, 0);
      guint hi = gk_aws_backoff_delay_ms (attempt, 250, G_MAXUINT32 - 1);

      g_assert_cmpuint (lo, <=, hi);
      g_assert_cmpuint (hi, <=, GK_AWS_RETRY_MAX_DELAY_MS);
      g_assert_cmpuint (hi, >=, previous_max);
      previous_max = hi;
    }
  g_assert_cmpuint (gk_aws_backoff_delay_ms (0, 250, 0), ==, 125);
  g_assert_cmpuint (gk_aws_backoff_delay_ms (2, 250, 0), ==, 500);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/aws-call/backoff/grows-with-jitter-and-is-capped", test_backoff_delays);
  g_test_add ("/aws-call/retry/busy-retried-with-a-new-request", Fixture, NULL,
              fixture_setup, test_busy_retried_with_a_new_request, fixture_teardown);
  g_test_add ("/aws-call/retry/attempts-bounded", Fixture, NULL,
              fixture_setup, test_attempts_bounded, fixture_teardown);
  g_test_add ("/aws-call/retry/refusal-never-retried", Fixture, NULL,
              fixture_setup, test_refusal_not_retried, fixture_teardown);
  g_test_add ("/aws-call/build/failure-sends-nothing", Fixture, NULL,
              fixture_setup, test_build_failure_sends_nothing, fixture_teardown);
  g_test_add ("/aws-call/cancel/before-sending", Fixture, NULL,
              fixture_setup, test_cancelled_before_sending, fixture_teardown);

  return g_test_run ();
}
