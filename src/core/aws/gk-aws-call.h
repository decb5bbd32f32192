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

/* The query API (STS, IAM): a form POST of Action, Version and the call's
 * parameters, answered with XML. The form is encoded exactly as SigV4
 * encodes a query, so a signed body and its hash agree with what any AWS
 * SDK would have sent; it may hold secrets (a web identity token) and is
 * wiped when freed. @params are raw, not encoded. */
GBytes      *gk_aws_call_query_form         (const char          *action,
                                             const char          *version,
                                             const GkSigv4Pair   *params,
                                             gsize                n_params);
/* A POST of @form to @endpoint, SigV4-signed with @credentials for
 * @service in @region at @now, or unsigned when @credentials is %NULL;
 * never redirected (a redirect would carry the form elsewhere). %NULL with
 * @error set only when signing fails; %NULL without an error when
 * @endpoint is not a URL, for the caller to name its own key. */
SoupMessage *gk_aws_call_query_message      (const char          *endpoint,
                                             GBytes              *form,
                                             GkSigv4Signer       *signer,
                                             GkCredentials       *credentials,
                                             const char          *region,
                                             const char          *service,
                                             gint64               now,
                                             GError             **error);

G_END_DECLS
