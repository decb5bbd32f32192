/* gk-aws-query.h: a client of an AWS query API (STS, IAM)
 *
 * STS and IAM speak the same protocol: a form POST of Action, Version and
 * the call's parameters, SigV4-signed (STS's web-identity call is not),
 * answered with XML. Only the service's name, its API version, its error
 * domain and its words differ, so a service describes those once and one
 * client does the rest: the endpoint, the region signed for, the HTTP
 * session, the signer with its cached keys, the retry policy, and each call
 * sent through gk_aws_call_async() with the failures every call can meet.
 *
 * The client is reference-counted: a call in flight keeps it (and its
 * signer) alive after the service's own object has gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-aws-call.h"
#include "gk-credentials.h"
#include "gk-sigv4.h"

G_BEGIN_DECLS

/* The error of an answer that is not 2xx, from its XML body, in the
 * service's domain; @operation and @fields are the call's, for the
 * service's error rows (see gk_aws_error_from_answer()). */
typedef GError *(*GkAwsQueryErrorFunc) (const char          *xml,
                                        gsize                size,
                                        guint                http_status,
                                        guint                operation,
                                        const char * const  *fields);

/* What one query service is; each keeps one static instance. The messages
 * are marked for translation where they are written and translated here. */
typedef struct
{
  const char             *service;           /* SigV4's name: "sts" */
  const char             *version;           /* the API version: "2011-06-15" */
  gsize                   max_response_size;
  GQuark                (*error_quark) (void);
  int                     no_endpoint_code;
  const char             *no_endpoint;       /* the endpoint is not a URL */
  int                     too_large_code;
  const char             *too_large;         /* the answer passed the ceiling */
  int                     unreachable_code;
  const char             *unreachable;       /* no answer at all */
  GkAwsQueryErrorFunc     read_error;
  GkAwsCallRetryableFunc  is_retryable;
} GkAwsQueryService;

/* How an action's 2xx answer is read: the service's public parser (given
 * the answer's status, 200), cast as GLib casts a copy or free function;
 * its result is freed with @free when nobody takes it. */
typedef gpointer (*GkAwsQueryParseFunc) (const char  *xml,
                                         gssize       length,
                                         guint        http_status,
                                         GError     **error);

typedef struct
{
  GkAwsQueryParseFunc parse;
  GDestroyNotify      free;
} GkAwsQueryAnswer;

typedef struct _GkAwsQueryClient GkAwsQueryClient;

GkAwsQueryClient *gk_aws_query_client_new       (const GkAwsQueryService *service,
                                                 const char              *endpoint,
                                                 const char              *region);
GkAwsQueryClient *gk_aws_query_client_ref       (GkAwsQueryClient        *self);
void              gk_aws_query_client_unref     (GkAwsQueryClient        *self);
void              gk_aws_query_client_set_retry (GkAwsQueryClient        *self,
                                                 guint                    max_attempts,
                                                 guint                    base_delay_ms);

void              gk_aws_query_client_call_async (GkAwsQueryClient    *self,
                                                  gpointer             source_object,
                                                  gpointer             source_tag,
                                                  const char          *action,
                                                  const GkSigv4Pair   *params,
                                                  gsize                n_params,
                                                  GkCredentials       *signer,
                                                  guint                operation,
                                                  const char * const  *fields,
                                                  const GkAwsQueryAnswer *answer,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gpointer          gk_aws_query_client_call_finish (GAsyncResult       *result,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkAwsQueryClient, gk_aws_query_client_unref)

G_END_DECLS
