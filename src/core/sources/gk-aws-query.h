/* gk-aws-query.h: one SigV4-signed call to an AWS query-API service
 *
 * IAM (and STS) speak the query API: Action and Version with the call's
 * parameters, answered with XML. IAM accepts the parameters as a GET query,
 * which is signed like any other request, so a call is a signed GET whose
 * answer is read with a ceiling. The few fields Genokey reads from these
 * answers are plain values, read by tag name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gk-credentials.h"
#include "gk-sigv4.h"

G_BEGIN_DECLS

typedef struct
{
  guint   status;
  GBytes *body;
} GkAwsQueryAnswer;

void              gk_aws_query_answer_free  (GkAwsQueryAnswer    *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkAwsQueryAnswer, gk_aws_query_answer_free)

/* @params are raw (not encoded) and include Action and Version. */
void              gk_aws_query_get_async    (SoupSession         *session,
                                             const char          *endpoint,
                                             const char          *region,
                                             const char          *service,
                                             const GkSigv4Pair   *params,
                                             gsize                n_params,
                                             GkCredentials       *credentials,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GkAwsQueryAnswer *gk_aws_query_get_finish   (GAsyncResult        *result,
                                             GError             **error);

/* Pure: the text of the first <@tag> element in @xml after @from (or the
 * start), XML entities decoded; %NULL when there is none. */
char             *gk_aws_query_xml_field    (const char          *xml,
                                             const char          *from,
                                             const char          *tag);

G_END_DECLS
