/* gk-s3-error.c: S3's error codes as GK_S3_ERROR, each with what to change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-aws-error.h"
#include "gk-s3-error.h"

G_DEFINE_QUARK (gk-s3-error-quark, gk_s3_error)

/* ---- errors ----------------------------------------------------------- */

static const char *
action_name (GkS3Action action)
{
  switch (action)
    {
    case GK_S3_ACTION_LIST_BUCKETS: return "s3:ListAllMyBuckets";
    case GK_S3_ACTION_LIST_OBJECTS: return "s3:ListBucket";
    case GK_S3_ACTION_GET_OBJECT:   return "s3:GetObject";
    case GK_S3_ACTION_PUT_OBJECT:   return "s3:PutObject";
    case GK_S3_ACTION_GET_CORS:     return "s3:GetBucketCORS";
    case GK_S3_ACTION_HEAD_BUCKET:  return "s3:ListBucket";
    case GK_S3_ACTION_DELETE_OBJECT: return "s3:DeleteObject";
    case GK_S3_ACTION_GET_VERSIONING: return "s3:GetBucketVersioning";
    default:                        return "s3:*";
    }
}

/* S3's error codes (the S3 API reference's list of error responses), each
 * with what to change. Two rows name S3's own wording, because S3 answers
 * AccessDenied both for a refused permission and for a presigned link
 * whose time is out: "Request has expired" after X-Amz-Expires, and
 * "Request is not yet valid" for an X-Amz-Date in the future (a clock
 * that runs behind). Fields: {what} (the s3:// address, or "your
 * buckets"), {bucket}, {action} (the IAM action the call needs), {code},
 * {details} (" Code: message", or nothing), {status}. */
static const GkAwsErrorRow s3_errors[] = {
  { "AccessDenied", "Request has expired", 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The request to {what} has expired. Sign a new link, or check this computer’s clock.") },
  { "AccessDenied", "Request is not yet valid", 0, GK_S3_ERROR_CLOCK_SKEW,
    N_("S3 found the request to {what} dated in the future. Check that this computer’s clock "
       "is right.") },
  { "AccessDenied", NULL, 0, GK_S3_ERROR_ACCESS_DENIED,
    N_("Access to {what} was denied. The role your sign-in gives (or the keys in use) needs "
       "{action} on it: ask your lab admin to allow it in the role’s policy.") },
  { "AllAccessDisabled", NULL, 0, GK_S3_ERROR_ACCESS_DENIED,
    N_("All access to {what} is disabled. Ask your lab admin.") },
  { "AccountProblem", NULL, 0, GK_S3_ERROR_ACCESS_DENIED,
    N_("The AWS account that owns {what} has a problem (billing or suspension). Tell your lab "
       "admin.") },
  { "InvalidAccessKeyId", NULL, 0, GK_S3_ERROR_INVALID_CREDENTIALS,
    N_("S3 does not know the access key in use. Sign in again, or check the access key ID of "
       "the credentials in use.") },
  { "SignatureDoesNotMatch", NULL, 0, GK_S3_ERROR_INVALID_CREDENTIALS,
    N_("S3 computed a different signature for {what}. Check that the secret key belongs to the "
       "access key and that no proxy rewrites requests; signing in again gives fresh keys.") },
  { "ExpiredToken", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "TokenRefreshRequired", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "InvalidToken", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "RequestExpired", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "RequestTimeTooSkewed", NULL, 0, GK_S3_ERROR_CLOCK_SKEW,
    N_("This computer’s clock is more than 15 minutes off S3’s. Turn on automatic time (for "
       "example “timedatectl set-ntp true”) and try again.") },
  { "NoSuchBucket", NULL, 0, GK_S3_ERROR_NO_SUCH_BUCKET,
    N_("The bucket “{bucket}” does not exist. Check its name (and the profile’s bucket list).") },
  { "NoSuchKey", NULL, 0, GK_S3_ERROR_NO_SUCH_KEY,
    N_("{what} does not exist. Check the key (names are case-sensitive).") },
  { "NotFound", NULL, 0, GK_S3_ERROR_NO_SUCH_KEY,
    N_("{what} does not exist. Check the key (names are case-sensitive).") },
  { "PermanentRedirect", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "Redirect", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "TemporaryRedirect", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "AuthorizationHeaderMalformed", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "AuthorizationQueryParametersError", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "IllegalLocationConstraintException", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "SlowDown", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "ServiceUnavailable", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "InternalError", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "RequestTimeout", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "NoSuchCORSConfiguration", NULL, 0, GK_S3_ERROR_NO_CORS,
    N_("The bucket “{bucket}” has no CORS rules, so web viewers (IGV-Web, Chromoscope) cannot "
       "read it. Ask your lab admin to allow GET from any origin and to expose Content-Range, "
       "Content-Length and Accept-Ranges.") },
  { "InvalidBucketName", NULL, 0, GK_S3_ERROR_INVALID_BUCKET_NAME,
    N_("S3 refused the bucket name “{bucket}”. Check the s3:// address.") },
  { "InvalidObjectState", NULL, 0, GK_S3_ERROR_ARCHIVED,
    N_("{what} is archived (Glacier or Deep Archive). Restore it first, then try again.") },
};

/* Codes that mean Genokey sent something S3 cannot take: a bug to report. */
static const char * const s3_request_bugs[] = {
  "KeyTooLongError", "InvalidArgument", "InvalidRequest", "InvalidURI", "MalformedXML",
  "EntityTooLarge", "MissingContentLength", "BadRequest", "MethodNotAllowed", "NotImplemented",
  "InvalidRange", "PreconditionFailed", NULL
};

static const GkAwsErrorRow s3_request_bug =
  { "", NULL, 0, GK_S3_ERROR_INVALID_REQUEST,
    N_("S3 refused the request for {what} ({code}{details}). This is likely a bug in Genokey; "
       "please report it.") };

static const GkAwsErrorRow s3_busy_without_code =
  { "", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now (HTTP {status}). Try again in a minute.") };

static const GkAwsErrorRow s3_unknown_error =
  { "", NULL, 0, GK_S3_ERROR_FAILED,
    N_("S3 answered HTTP {status}{details} for {what}.") };

/* HEAD answers carry no body: only the status says what went wrong. */
static const char *
code_for_status (guint       http_status,
                 const char *key)
{
  switch (http_status)
    {
    case 301: return "PermanentRedirect";
    case 400: return "BadRequest";
    case 403: return "AccessDenied";
    case 404: return key != NULL ? "NoSuchKey" : "NoSuchBucket";
    case 405: return "MethodNotAllowed";
    case 500: return "InternalError";
    case 503: return "SlowDown";
    default: return NULL;
    }
}

/**
 * gk_s3_error_new:
 * @http_status: the HTTP status (used when @code is %NULL, e.g. for HEAD)
 * @code: (nullable): S3's `<Code>`
 * @message: (nullable): S3's `<Message>`
 * @bucket: (nullable), @key: (nullable): what the call was about
 *
 * Returns: (transfer full): a %GK_S3_ERROR whose message says what to do
 */
GError *
gk_s3_error_new (guint        http_status,
                 const char  *code,
                 const char  *message,
                 GkS3Action   action,
                 const char  *bucket,
                 const char  *key)
{
  g_autofree char *what = NULL;
  g_autofree char *bare = gk_aws_error_normalize_code (code);
  g_autofree char *quoted = gk_aws_error_clean_message (message);
  g_autofree char *status = g_strdup_printf ("%u", http_status);
  g_autofree char *details = NULL;
  const GkAwsErrorRow *row;
  const char *c;

  if (bucket == NULL)
    what = g_strdup (_("your buckets"));
  else if (key != NULL && *key != '\0')
    what = g_strdup_printf ("s3://%s/%s", bucket, key);
  else
    what = g_strdup_printf ("s3://%s", bucket);

  c = bare != NULL ? bare : code_for_status (http_status, key);
  row = gk_aws_error_find (s3_errors, G_N_ELEMENTS (s3_errors), c, message, 0);
  if (row == NULL && c != NULL && g_strv_contains (s3_request_bugs, c))
    row = &s3_request_bug;
  else if (row == NULL && bare == NULL && http_status >= 500)
    row = &s3_busy_without_code;
  else if (row == NULL)
    row = &s3_unknown_error;

  details = g_strdup_printf ("%s%s%s%s", row == &s3_unknown_error && c != NULL ? " " : "",
                             row == &s3_unknown_error && c != NULL ? c : "",
                             *quoted != '\0' ? ": " : "", quoted);
  {
    const char *fields[] = {
      "what", what,
      "bucket", bucket != NULL ? bucket : "",
      "action", action_name (action),
      "code", c != NULL ? c : "",
      "details", details,
      "status", status,
      NULL
    };

    return gk_aws_error_new_from_row (GK_S3_ERROR, row, fields);
  }
}
