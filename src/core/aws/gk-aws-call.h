/* gk-aws-call.h: one AWS API call, tried again while AWS is busy
 *
 * The Cognito Identity and STS clients speak different protocols (JSON 1.1
 * and the query API) but fail alike: throttling and temporary trouble are
 * worth another try, refusals never are. A call builds its request afresh
 * for each attempt (a signed request is signed again with that attempt's
 * time), reads the answer with a size ceiling, lets the caller turn anything
 * but a 2xx answer into the caller's own error, and waits with full-jitter
 * exponential backoff, as the AWS SDKs do, before trying again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gk-credentials.h"
#include "gk-sigv4.h"

G_BEGIN_DECLS

/* A new request for one attempt, or %NULL with @error set. */
typedef SoupMessage *(*GkAwsCallBuildFunc)     (gpointer       call_data,
                                                GError       **error);

/* The caller's error for an attempt that did not end in a 2xx answer:
 * either @transport_error is set (no answer, or a too-large one) or
 * @message answered with @body. Never called for a cancellation. */
typedef GError      *(*GkAwsCallFailureFunc)   (gpointer       call_data,
                                                SoupMessage   *message,
                                                GBytes        *body,
                                                const GError  *transport_error);

typedef gboolean     (*GkAwsCallRetryableFunc) (const GError  *error);

/* What a kind of call does; clients keep one static instance per protocol. */
typedef struct
{
  gsize                   max_response_size;
  GkAwsCallBuildFunc      build;
  GkAwsCallFailureFunc    read_failure;
  GkAwsCallRetryableFunc  is_retryable;
} GkAwsCallClass;

typedef struct
{
  guint max_attempts;   /* at least 1 */
  guint base_delay_ms;  /* the first backoff delay */
} GkAwsRetryPolicy;

#define GK_AWS_RETRY_DEFAULT_ATTEMPTS 5
#define GK_AWS_RETRY_DEFAULT_DELAY_MS 250
#define GK_AWS_RETRY_MAX_DELAY_MS     8000

/* What every client starts with. */
#define GK_AWS_RETRY_POLICY_DEFAULT \
  ((GkAwsRetryPolicy) { GK_AWS_RETRY_DEFAULT_ATTEMPTS, GK_AWS_RETRY_DEFAULT_DELAY_MS })

void         gk_aws_retry_policy_set (GkAwsRetryPolicy *policy,
                                      guint             max_attempts,
                                      guint             base_delay_ms);

SoupSession *gk_aws_session_new      (void);

/* For a class's read_failure: the caller's error when @transport_error says
 * there was no answer to read, @too_large when the answer passed the size
 * ceiling and @unreachable otherwise; %NULL when there was an answer. */
GError      *gk_aws_call_no_answer_error (const GError *transport_error,
                                          GQuark        domain,
                                          int           too_large_code,
                                          const char   *too_large,
                                          int           unreachable_code,
                                          const char   *unreachable);

guint   gk_aws_backoff_delay_ms (guint                   attempt,
                                 guint                   base_ms,
                                 guint32                 random);

/* @operation names the call in debug logs ("GetId"). @call_data is handed
 * to the class's functions and freed with @call_data_free at the end. */
void    gk_aws_call_async       (SoupSession            *session,
                                 const GkAwsCallClass   *klass,
                                 const GkAwsRetryPolicy *policy,
                                 const char             *operation,
                                 gpointer                call_data,
                                 GDestroyNotify          call_data_free,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data);
GBytes *gk_aws_call_finish      (GAsyncResult           *result,
                                 GError                **error);

G_END_DECLS
