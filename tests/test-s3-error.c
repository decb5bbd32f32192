/* test-s3-error.c: each row of S3's error table gives its code and a message
 * that says what to change, with every field filled in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-s3-error.h"

/* One row per case of S3's error table, with the codes and wording S3
 * sends (an expired presigned link is AccessDenied "Request has expired";
 * a link dated in the future is "Request is not yet valid"). */
typedef struct
{
  guint status;
  const char *code;
  const char *message;
  GkS3Action action;
  int want;
  const char *says;
} S3ErrorCase;

static const S3ErrorCase s3_error_cases[] = {
  { 403, "AccessDenied", "Access Denied", GK_S3_ACTION_LIST_OBJECTS, GK_S3_ERROR_ACCESS_DENIED, "s3:ListBucket" },
  { 403, "AccessDenied", "Access Denied", GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_ACCESS_DENIED, "s3:GetObject" },
  { 403, "AccessDenied", "Request has expired", GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_EXPIRED_CREDENTIALS, "expired" },
  { 403, "AccessDenied", "Request is not yet valid", GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_CLOCK_SKEW, "clock" },
  /* "expired" elsewhere in a refusal is not an expired link */
  { 403, "AccessDenied", "User is not authorized: the policy grant expired", GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_ACCESS_DENIED, "s3:GetObject" },
  { 403, "AllAccessDisabled", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_ACCESS_DENIED, "admin" },
  { 403, "AccountProblem", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_ACCESS_DENIED, "billing" },
  { 403, "InvalidAccessKeyId", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_INVALID_CREDENTIALS, "Sign in again" },
  { 403, "SignatureDoesNotMatch", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_INVALID_CREDENTIALS, "secret key" },
  { 400, "ExpiredToken", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_EXPIRED_CREDENTIALS, "Sign in again" },
  { 400, "InvalidToken", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_EXPIRED_CREDENTIALS, "Sign in again" },
  { 400, "TokenRefreshRequired", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_EXPIRED_CREDENTIALS, "Sign in again" },
  { 403, "RequestTimeTooSkewed", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_CLOCK_SKEW, "clock" },
  { 404, "NoSuchBucket", NULL, GK_S3_ACTION_LIST_OBJECTS, GK_S3_ERROR_NO_SUCH_BUCKET, "“demo-lab” does not exist" },
  { 404, "NoSuchKey", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_NO_SUCH_KEY, "s3://demo-lab/a.bam does not exist" },
  { 404, NULL, NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_NO_SUCH_KEY, "does not exist" },
  { 403, NULL, NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_ACCESS_DENIED, "s3:GetObject" },
  { 301, "PermanentRedirect", NULL, GK_S3_ACTION_LIST_OBJECTS, GK_S3_ERROR_WRONG_REGION, "aws_region" },
  { 400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-2'",
    GK_S3_ACTION_LIST_OBJECTS, GK_S3_ERROR_WRONG_REGION, "region" },
  { 503, "SlowDown", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_UNAVAILABLE, "SlowDown" },
  { 500, NULL, NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_UNAVAILABLE, "Try again" },
  { 502, NULL, NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_UNAVAILABLE, "HTTP 502" },
  { 404, "NoSuchCORSConfiguration", NULL, GK_S3_ACTION_GET_CORS, GK_S3_ERROR_NO_CORS, "Content-Range" },
  { 400, "InvalidBucketName", NULL, GK_S3_ACTION_LIST_OBJECTS, GK_S3_ERROR_INVALID_BUCKET_NAME, "s3:// address" },
  { 403, "InvalidObjectState", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_ARCHIVED, "Restore" },
  { 400, "InvalidArgument", "bad", GK_S3_ACTION_LIST_OBJECTS, GK_S3_ERROR_INVALID_REQUEST, "(InvalidArgument: bad)" },
  { 416, "InvalidRange", NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_INVALID_REQUEST, "(InvalidRange)" },
  { 418, "Teapot", "short and stout", GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_FAILED, "HTTP 418 Teapot: short and stout for s3://demo-lab/a.bam" },
  { 418, NULL, NULL, GK_S3_ACTION_GET_OBJECT, GK_S3_ERROR_FAILED, "HTTP 418 for s3://demo-lab/a.bam" },
};

static void
test_error_mapping (gconstpointer data)
{
  const S3ErrorCase *c = data;
  g_autoptr(GError) e = gk_s3_error_new (c->status, c->code, c->message, c->action, "demo-lab",
                                         "a.bam");

  g_assert_error (e, GK_S3_ERROR, c->want);
  if (strstr (e->message, c->says) == NULL)
    g_error ("%s: message “%s” lacks “%s”", c->code, e->message, c->says);
  /* every field filled in, and no command-line option named */
  g_assert_null (strstr (e->message, "{"));
  g_assert_null (strstr (e->message, "--"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (s3_error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/s3/errors/table/%u-%s", i,
                                               s3_error_cases[i].code ? s3_error_cases[i].code : "no-code");

      g_test_add_data_func (path, &s3_error_cases[i], test_error_mapping);
    }

  return g_test_run ();
}
