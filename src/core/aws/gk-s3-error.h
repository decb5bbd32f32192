/* gk-s3-error.h: GK_S3_ERROR: what went wrong with S3, and which permission a
 * call needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GK_S3_ERROR (gk_s3_error_quark ())

typedef enum
{
  GK_S3_ERROR_FAILED,               /* an S3 error without a more specific code below */
  GK_S3_ERROR_ACCESS_DENIED,        /* AccessDenied, AllAccessDisabled, AccountProblem */
  GK_S3_ERROR_INVALID_CREDENTIALS,  /* InvalidAccessKeyId, SignatureDoesNotMatch */
  GK_S3_ERROR_EXPIRED_CREDENTIALS,  /* ExpiredToken, InvalidToken, TokenRefreshRequired, expired link */
  GK_S3_ERROR_CLOCK_SKEW,           /* RequestTimeTooSkewed */
  GK_S3_ERROR_NO_SUCH_BUCKET,
  GK_S3_ERROR_NO_SUCH_KEY,          /* NoSuchKey, or 404 on HEAD */
  GK_S3_ERROR_WRONG_REGION,         /* PermanentRedirect, AuthorizationHeaderMalformed, … */
  GK_S3_ERROR_UNAVAILABLE,          /* SlowDown, ServiceUnavailable, InternalError, 5xx */
  GK_S3_ERROR_NO_CORS,              /* NoSuchCORSConfiguration */
  GK_S3_ERROR_INVALID_REQUEST,      /* InvalidArgument, InvalidRequest, KeyTooLongError, … */
  GK_S3_ERROR_INVALID_BUCKET_NAME,  /* refused before sending, or InvalidBucketName */
  GK_S3_ERROR_INVALID_KEY,          /* refused before sending: empty, too long, control bytes */
  GK_S3_ERROR_INVALID_URI,          /* not s3://BUCKET/KEY */
  GK_S3_ERROR_NOT_ALLOWED,          /* not in the profile's bucket list */
  GK_S3_ERROR_BAD_RESPONSE,         /* unparsable XML, a DOCTYPE, a pagination loop */
  GK_S3_ERROR_ARCHIVED,             /* InvalidObjectState: in Glacier/Deep Archive */
} GkS3Error;

/* Which permission a call needs, for AccessDenied messages. */
typedef enum
{
  GK_S3_ACTION_LIST_BUCKETS,
  GK_S3_ACTION_LIST_OBJECTS,
  GK_S3_ACTION_GET_OBJECT,
  GK_S3_ACTION_PUT_OBJECT,
  GK_S3_ACTION_GET_CORS,
  GK_S3_ACTION_HEAD_BUCKET,
  GK_S3_ACTION_DELETE_OBJECT,
  GK_S3_ACTION_GET_VERSIONING,
} GkS3Action;

GQuark        gk_s3_error_quark            (void);

GError       *gk_s3_error_new              (guint          http_status,
                                            const char    *code,
                                            const char    *message,
                                            GkS3Action     action,
                                            const char    *bucket,
                                            const char    *key);

G_END_DECLS
