/* gk-s3-cors.h: would S3 let a web page read a bucket? A verdict, no words
 *
 * Web genome browsers fetch S3 objects from their own page, so the bucket's
 * CORS rules decide whether they see anything. Each caller knows what its
 * page sends and reads (a GkS3CorsRequest); this judges the rules the way S3
 * does and says what, if anything, is missing. The caller words it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-s3.h"

G_BEGIN_DECLS

/* What a page does with the bucket's objects. */
typedef struct
{
  const char *origin;                  /* e.g. "https://igv.org" */
  const char *method;                  /* "GET" */
  const char * const *request_headers; /* headers that make the browser send a preflight */
  const char * const *exposed_headers; /* response headers the page's code reads */
} GkS3CorsRequest;

typedef enum
{
  GK_S3_CORS_ALLOWED,
  GK_S3_CORS_NO_CONFIGURATION,   /* the bucket has no CORS rules at all */
  GK_S3_CORS_ORIGIN_REFUSED,     /* no rule allows the origin with the method */
  GK_S3_CORS_HEADER_NOT_ALLOWED, /* the preflight fails: a request header is not allowed */
  GK_S3_CORS_HEADER_NOT_EXPOSED, /* the page cannot read a response header */
} GkS3CorsOutcome;

typedef struct
{
  GkS3CorsOutcome outcome;
  char *origin;  /* the request's origin and method, for the message */
  char *method;
  char *header;  /* the header missing, for HEADER_NOT_ALLOWED and HEADER_NOT_EXPOSED */
} GkS3CorsVerdict;

void             gk_s3_cors_verdict_free  (GkS3CorsVerdict       *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3CorsVerdict, gk_s3_cors_verdict_free)

GkS3CorsVerdict *gk_s3_cors_judge         (GPtrArray             *rules,
                                           const GkS3CorsRequest *request);

void             gk_s3_cors_check_async   (GkS3Client            *client,
                                           const char            *bucket,
                                           const GkS3CorsRequest *request,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
GkS3CorsVerdict *gk_s3_cors_check_finish  (GAsyncResult          *result,
                                           GError               **error);

G_END_DECLS
