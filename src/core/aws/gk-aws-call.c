/* gk-aws-call.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-aws-call.h"
#include "gk-http.h"

typedef struct
{
  SoupSession *session;
  const GkAwsCallClass *klass;
  GkAwsRetryPolicy policy;
  char *operation;
  gpointer call_data;
  GDestroyNotify call_data_free;
  SoupMessage *message;
  guint attempt;
  GSource *retry_source;
} CallData;

static void
call_free (CallData *data)
{
  if (data->call_data_free != NULL)
    data->call_data_free (data->call_data);
  g_clear_object (&data->session);
  g_free (data->operation);
  g_clear_object (&data->message);
  if (data->retry_source != NULL)
    {
      g_source_destroy (data->retry_source);
      g_source_unref (data->retry_source);
    }
  g_free (data);
}

/**
 * gk_aws_backoff_delay_ms:
 * @attempt: the number of the attempt that failed, from 0
 * @base_ms: the first delay
 * @random: a random number
 *
 * Exponential backoff with "full jitter" (as the AWS SDKs do it): a random
 * delay between half and all of base × 2^attempt, capped at 8 s.
 *
 * Returns: milliseconds to wait before the next attempt
 */
guint
gk_aws_backoff_delay_ms (guint   attempt,
                         guint   base_ms,
                         guint32 random)
{
  guint64 ceiling = (guint64) base_ms << MIN (attempt, 16u);

  ceiling = MIN (ceiling, (guint64) GK_AWS_RETRY_MAX_DELAY_MS);
  if (ceiling < 2)
    return (guint) ceiling;
  return (guint) (ceiling / 2 + random % (ceiling / 2 + 1));
}

/**
 * gk_aws_retry_policy_set:
 * @max_attempts: attempts per call; 0 counts as 1
 * @base_delay_ms: the first backoff delay
 */
void
gk_aws_retry_policy_set (GkAwsRetryPolicy *policy,
                         guint             max_attempts,
                         guint             base_delay_ms)
{
  policy->max_attempts = MAX (max_attempts, 1);
  policy->base_delay_ms = base_delay_ms;
}

/**
 * gk_aws_session_new:
 *
 * The HTTP session of an AWS client: one set of timeouts and one user
 * agent for STS, IAM and Cognito Identity alike.
 *
 * Returns: (transfer full): a new session
 */
SoupSession *
gk_aws_session_new (void)
{
  return soup_session_new_with_options ("timeout", 30,
                                        "idle-timeout", 60,
                                        "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                        NULL);
}

/**
 * gk_aws_call_no_answer_error:
 * @transport_error: (nullable): what gk_http_send_and_read_finish() said
 * @too_large: the message, translated, for an answer above the ceiling
 * @unreachable: the message, translated, for no answer at all
 *
 * Returns: (transfer full) (nullable): the error in @domain, or %NULL when
 *   there is an answer to read
 */
GError *
gk_aws_call_no_answer_error (const GError *transport_error,
                             GQuark        domain,
                             int           too_large_code,
                             const char   *too_large,
                             int           unreachable_code,
                             const char   *unreachable)
{
  if (g_error_matches (transport_error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
    return g_error_new_literal (domain, too_large_code, too_large);
  if (transport_error != NULL)
    return g_error_new_literal (domain, unreachable_code, unreachable);
  return NULL;
}

static void send_attempt (GTask *task);

static gboolean
on_retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->retry_source, g_source_unref);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  send_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_cancelled_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  /* The parent timeout source dispatches too and sees the cancellation. */
  return G_SOURCE_CONTINUE;
}

static void
wait_and_retry (GTask *task)
{
  CallData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint delay = gk_aws_backoff_delay_ms (data->attempt, data->policy.base_delay_ms,
                                         g_random_int ());

  data->attempt++;
  data->retry_source = g_timeout_source_new (delay);
  g_source_set_callback (data->retry_source, on_retry_cb, task, NULL);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_callback (cancel_source, G_SOURCE_FUNC (on_retry_cancelled_cb), NULL, NULL);
      g_source_add_child_source (data->retry_source, cancel_source);
    }
  g_source_attach (data->retry_source, g_main_context_get_thread_default ());
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) transport_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  bytes = gk_http_send_and_read_finish (result, &transport_error);
  if (bytes == NULL && g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&transport_error));
      return;
    }

  status = bytes != NULL ? soup_message_get_status (data->message) : 0;
  if (status >= 200 && status < 300)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }

  error = data->klass->read_failure (data->call_data, data->message, bytes, transport_error);
  g_debug ("%s attempt %u failed: %s", data->operation, data->attempt + 1, error->message);

  if (data->klass->is_retryable (error) && data->attempt + 1 < data->policy.max_attempts)
    {
      wait_and_retry (g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
send_attempt (GTask *task)
{
  CallData *data = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_object (&data->message);
  data->message = data->klass->build (data->call_data, &error);
  if (data->message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  gk_http_send_and_read_async (data->session, data->message, data->klass->max_response_size,
                               G_PRIORITY_DEFAULT, g_task_get_cancellable (task), on_sent_cb,
                               task);
}

/**
 * gk_aws_call_async:
 * @session: the HTTP session
 * @klass: how to build a request and read a failure
 * @policy: how often and how patiently to try
 * @operation: the call's name, for debug logs
 * @call_data: (transfer full): the caller's data for @klass's functions
 *
 * Sends the request that @klass builds until an attempt answers 2xx, fails
 * in a way @klass does not call retryable, or the attempts run out.
 */
void
gk_aws_call_async (SoupSession            *session,
                   const GkAwsCallClass   *klass,
                   const GkAwsRetryPolicy *policy,
                   const char             *operation,
                   gpointer                call_data,
                   GDestroyNotify          call_data_free,
                   GCancellable           *cancellable,
                   GAsyncReadyCallback     callback,
                   gpointer                user_data)
{
  GTask *task;
  CallData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (klass != NULL && policy != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_aws_call_async);
  data = g_new0 (CallData, 1);
  data->session = g_object_ref (session);
  data->klass = klass;
  data->policy = *policy;
  data->policy.max_attempts = MAX (data->policy.max_attempts, 1);
  data->operation = g_strdup (operation);
  data->call_data = call_data;
  data->call_data_free = call_data_free;
  g_task_set_task_data (task, data, (GDestroyNotify) call_free);

  send_attempt (task);
}

/**
 * gk_aws_call_finish:
 *
 * Returns: (transfer full): the body of the 2xx answer, or %NULL with the
 *   error @klass made (or %G_IO_ERROR_CANCELLED)
 */
GBytes *
gk_aws_call_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_aws_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
