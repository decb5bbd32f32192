/* test-s3.c: S3 names, addressing, XML answers, error mapping, and the
 * client against a SoupServer on a random loopback port (pagination, loops,
 * <Error> with HTTP 200, region redirects, hostile bodies).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gk-env-credentials.h"
#include "gk-s3.h"
#include "gk-s3-cors.h"
#include "gk-test.h"

#define TOKEN "FwoGZXIvYXdzEJr//+tok=="

/* ---- pure ------------------------------------------------------------ */

static void
test_bucket_names (void)
{
  const char *good[] = { "demo-lab", "lab.data.v2", "a1b", "123", "x-y-z.example" };
  const char *bad[] = { "ab", "Demo-lab", "lab_data", "-lab", "lab-", "la..b", "la.-b",
                        "192.168.1.1", "xn--lab", "lab-s3alias", "lab/x", "lab b", "",
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (gk_s3_bucket_name_is_valid (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (gk_s3_bucket_name_is_valid (bad[i], &error));
      g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_BUCKET_NAME);
      g_assert_nonnull (strstr (error->message, "bucket name"));
    }
}

static void
test_key_control_characters (void)
{
  const char *bad[] = { "a\nb.bam", "tab\there", "del\x7f", "cr\r", "\xff\xfe invalid utf8" };
  g_autofree char *long_key = g_strnfill (1025, 'k');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;

      g_assert_false (gk_s3_key_is_valid (bad[i], FALSE, &e));
      g_assert_error (e, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY);
    }
  g_assert_false (gk_s3_key_is_valid (long_key, FALSE, &error));
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY);
  g_clear_error (&error);
  g_assert_false (gk_s3_key_is_valid ("", FALSE, &error));
  g_assert_true (gk_s3_key_is_valid ("", TRUE, NULL));
  g_assert_true (gk_s3_key_is_valid ("a b/é+ü=ሴ/../x//y.bam", FALSE, NULL));
}

static void
test_parse_uri (void)
{
  g_autofree char *bucket = NULL, *key = NULL, *b2 = NULL, *k2 = NULL;
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
  char *b = NULL, *k = NULL;

  g_assert_true (gk_s3_parse_uri ("s3://demo-lab/a b//./../c%20.bam", &bucket, &key, NULL));
  g_assert_cmpstr (bucket, ==, "demo-lab");
  g_assert_cmpstr (key, ==, "a b//./../c%20.bam");
  g_assert_true (gk_s3_parse_uri ("s3://demo-lab", &b2, &k2, NULL));
  g_assert_cmpstr (k2, ==, "");

  g_assert_false (gk_s3_parse_uri ("https://demo-lab/x", &b, &k, &e1));
  g_assert_error (e1, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI);
  g_assert_false (gk_s3_parse_uri ("s3://Demo_Lab/x", &b, &k, &e2));
  g_assert_error (e2, GK_S3_ERROR, GK_S3_ERROR_INVALID_BUCKET_NAME);
  g_assert_false (gk_s3_parse_uri ("s3://demo-lab/a\nb", &b, &k, &e3));
  g_assert_error (e3, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY);
  g_assert_null (b);
  g_assert_null (k);
}

static void
test_split_object_uri (void)
{
  char bucket[GK_S3_BUCKET_NAME_MAX + 1];
  const char *key = NULL;
  g_autofree char *longest = g_strdup_printf ("s3://%s/k", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk");
  g_autofree char *too_long = g_strdup_printf ("s3://%s/k", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl");
  const char *uri = "S3://demo-lab/a b//./../c%20.bam";
  GError *error = NULL;

  g_assert_true (gk_s3_split_object_uri (uri, bucket, &key, NULL));
  g_assert_cmpstr (bucket, ==, "demo-lab");
  g_assert_true (key == uri + strlen ("S3://demo-lab/"));
  g_assert_true (gk_s3_split_object_uri ("s3://demo-lab/", bucket, &key, NULL));
  g_assert_cmpstr (key, ==, "");
  g_assert_true (gk_s3_split_object_uri (longest, bucket, &key, NULL));
  g_assert_cmpuint (strlen (bucket), ==, GK_S3_BUCKET_NAME_MAX);

  for (guint i = 0; i < 3; i++)
    {
      const char *bad[] = { "s3://demo-lab", "https://demo-lab/x", too_long };

      g_assert_false (gk_s3_split_object_uri (bad[i], bucket, &key, &error));
      g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI);
      g_assert_cmpstr (error->message, ==, "Not an S3 object address. Use s3://BUCKET/KEY.");
      g_clear_error (&error);
    }
}

static void
test_targets (void)
{
  struct { const char *endpoint, *region, *bucket, *key, *scheme, *host, *path; } cases[] = {
    { NULL, "eu-west-2", "demo-lab", "a/b.bam", "https", "demo-lab.s3.eu-west-2.amazonaws.com", "/a/b.bam" },
    { NULL, "us-east-1", "demo-lab", NULL, "https", "demo-lab.s3.us-east-1.amazonaws.com", "/" },
    { NULL, "eu-west-2", "lab.data", "x", "https", "s3.eu-west-2.amazonaws.com", "/lab.data/x" },
    { NULL, "eu-west-2", NULL, NULL, "https", "s3.eu-west-2.amazonaws.com", "/" },
    { "http://127.0.0.1:9000", "us-east-1", "demo-lab", "/lead", "http", "127.0.0.1:9000", "/demo-lab//lead" },
    { "https://minio.lab.org/s3/", "us-east-1", "demo-lab", NULL, "https", "minio.lab.org", "/s3/demo-lab" },
    { "http://[::1]:4566", "us-east-1", "b-1", "k", "http", "[::1]:4566", "/b-1/k" },
    { "https://s3.lab.org:443", "us-east-1", "b-1", "k", "https", "s3.lab.org", "/b-1/k" },
    { "http://[::1]/", "us-east-1", "b-1", "k", "http", "[::1]", "/b-1/k" },
    { "http://localhost:80/", "us-east-1", "b-1", "k", "http", "localhost", "/b-1/k" },
    { "https://s3.lab.org:8443", "us-east-1", "b-1", "k", "https", "s3.lab.org:8443", "/b-1/k" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *scheme = NULL, *host = NULL, *path = NULL;

      g_assert_true (gk_s3_build_target (cases[i].endpoint, cases[i].region, cases[i].bucket,
                                         cases[i].key, &scheme, &host, &path, NULL));
      g_assert_cmpstr (scheme, ==, cases[i].scheme);
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpstr (path, ==, cases[i].path);
    }
  g_assert_true (gk_s3_uses_path_style ("lab.data", NULL));
  g_assert_false (gk_s3_uses_path_style ("lab-data", NULL));
  g_assert_true (gk_s3_uses_path_style ("lab-data", "http://127.0.0.1:1"));
}

static GBytes *
bytes (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

static void
test_xml_list_objects (void)
{
  g_autoptr(GBytes) body = bytes (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Name>demo-lab</Name><Prefix>cohort+1/</Prefix><KeyCount>3</KeyCount>"
    "<IsTruncated>true</IsTruncated><NextContinuationToken>1ab+/=</NextContinuationToken>"
    "<Contents><Key>cohort+1/a+b%2Bc%C3%A9.bam</Key><LastModified>2026-11-23T10:00:00.000Z</LastModified>"
    "<ETag>&quot;abc&quot;</ETag><Size>12345678901</Size><StorageClass>STANDARD</StorageClass></Contents>"
    "<CommonPrefixes><Prefix>cohort+1/sub%26dir/</Prefix></CommonPrefixes>"
    "<EncodingType>url</EncodingType></ListBucketResult>");
  g_autoptr(GkS3ListPage) page = gk_s3_parse_list_objects (body, NULL);
  GkS3Object *o;

  g_assert_nonnull (page);
  g_assert_cmpstr (page->bucket, ==, "demo-lab");
  g_assert_cmpstr (page->prefix, ==, "cohort 1/");
  g_assert_true (page->truncated);
  /* The continuation token is opaque: never decoded. */
  g_assert_cmpstr (page->next_token, ==, "1ab+/=");
  g_assert_cmpuint (page->objects->len, ==, 1);
  o = g_ptr_array_index (page->objects, 0);
  g_assert_cmpstr (o->key, ==, "cohort 1/a b+cé.bam");
  g_assert_cmpuint (o->size, ==, G_GUINT64_CONSTANT (12345678901));
  g_assert_cmpint (o->last_modified, ==, 1795428000);
  g_assert_cmpstr (o->etag, ==, "\"abc\"");
  g_assert_cmpuint (page->folders->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (page->folders, 0), ==, "cohort 1/sub&dir/");
}

static void
test_xml_hostile (void)
{
  const char *bodies[] = {
    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x \"boom\">]><ListBucketResult><Name>&x;</Name></ListBucketResult>",
    "<!doctype html><html><body>captive portal</body></html>",
    "<ListBucketResult><Name>&xxe;</Name></ListBucketResult>",
    "<ListBucketResult><Name>unterminated",
    "not xml at all",
    "",
    "<Error><Code>AccessDenied</Code></Error>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = bytes (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkS3ListPage) page = gk_s3_parse_list_objects (body, &error);

      g_assert_null (page);
      g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE);
    }
}

/* Found by fuzzing: a second root element replaced the first, whose tree
 * leaked, and an <Error> followed by a listing was read as the listing. */
static void
test_xml_second_root_refused (void)
{
  const char *bodies[] = {
    "<a/><b></c>",
    "<Error><Code>AccessDenied</Code></Error><ListBucketResult><Name>x</Name></ListBucketResult>",
    "<ListBucketResult><Name>x</Name></ListBucketResult><ListBucketResult/>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = bytes (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkS3ListPage) page = gk_s3_parse_list_objects (body, &error);

      g_assert_null (page);
      g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE);
      g_assert_false (gk_s3_parse_error (body, NULL, NULL, NULL));
    }
}

/* Found by fuzzing: GMarkup quoted invalid bytes in its error message as
 * they were (the window cannot show an error that is not UTF-8), and after
 * invalid UTF-8 in a declaration it went on parsing with its error set, so
 * a listing could be accepted with GLib's error pending. */
static void
test_xml_invalid_utf8_refused (void)
{
  const char *bodies[] = {
    "<Error><\370ode>AccessDenied</Code></Error>",
    "<?x \222?><ListBucketResult><Name>x</Name></ListBucketResult>",
    "<?x \222?><a><b=",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = bytes (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkS3ListPage) page = gk_s3_parse_list_objects (body, &error);

      g_assert_null (page);
      g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "not UTF-8"));
    }
}

/* Found by fuzzing: for a name with a non-ASCII character GMarkup quotes
 * the character's first byte alone, which is not UTF-8. */
static void
test_xml_bad_name_error_readable (void)
{
  g_autoptr(GBytes) body = bytes ("<ListBucketResult><Name\302\242em/></ListBucketResult>");
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) page = gk_s3_parse_list_objects (body, &error);

  g_assert_null (page);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "not valid XML"));
}

static void
test_xml_error_and_buckets_and_cors (void)
{
  g_autoptr(GBytes) err = bytes ("<?xml version=\"1.0\"?>\n<Error><Code>AuthorizationHeaderMalformed</Code>"
                                 "<Message>wrong region</Message><Region>eu-west-2</Region></Error>");
  g_autoptr(GBytes) doctype_err = bytes ("<!DOCTYPE x><Error><Code>AccessDenied</Code></Error>");
  g_autoptr(GBytes) list = bytes ("<ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets>"
                                  "<Bucket><Name>demo-lab</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"
                                  "<Bucket><Name>far-lab</Name></Bucket></Buckets></ListAllMyBucketsResult>");
  g_autoptr(GBytes) cors = bytes ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                                  "<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>"
                                  "<ExposeHeader>Content-Range</ExposeHeader></CORSRule></CORSConfiguration>");
  g_autofree char *code = NULL, *message = NULL, *region = NULL;
  g_autoptr(GPtrArray) buckets = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  GkS3CorsRule *rule;

  g_assert_true (gk_s3_parse_error (err, &code, &message, &region));
  g_assert_cmpstr (code, ==, "AuthorizationHeaderMalformed");
  g_assert_cmpstr (region, ==, "eu-west-2");
  g_assert_false (gk_s3_parse_error (doctype_err, NULL, NULL, NULL));

  buckets = gk_s3_parse_list_buckets (list, NULL);
  g_assert_cmpuint (buckets->len, ==, 2);
  g_assert_cmpstr (((GkS3Bucket *) g_ptr_array_index (buckets, 1))->name, ==, "far-lab");
  g_assert_cmpint (((GkS3Bucket *) g_ptr_array_index (buckets, 0))->created, ==, 1767225600);

  rules = gk_s3_parse_cors (cors, NULL);
  g_assert_cmpuint (rules->len, ==, 1);
  rule = g_ptr_array_index (rules, 0);
  g_assert_cmpstr (rule->allowed_origins[0], ==, "*");
  g_assert_cmpuint (g_strv_length (rule->allowed_methods), ==, 2);
  g_assert_cmpstr (rule->expose_headers[0], ==, "Content-Range");
}

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

/* ---- a fake S3 on a loopback port ------------------------------------ */

typedef struct _Fake Fake;
typedef void (*FakeHandler) (Fake *fake, SoupServerMessage *msg, const char *raw_path,
                             const char *raw_query);

struct _Fake
{
  GkTestServer *server;
  const char *endpoint;
  FakeHandler handler;
  guint requests;
  GPtrArray *paths;   /* raw request paths as received */
  GPtrArray *queries; /* raw queries */
  GPtrArray *auths;   /* Authorization headers (never printed) */
  GPtrArray *tokens;  /* x-amz-security-token headers */
  guint state;
};

static void
fake_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fake *fake = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);

  fake->requests++;
  g_ptr_array_add (fake->paths, g_strdup (g_uri_get_path (uri)));
  g_ptr_array_add (fake->queries, g_strdup (g_uri_get_query (uri) ? g_uri_get_query (uri) : ""));
  g_ptr_array_add (fake->auths, g_strdup (soup_message_headers_get_one (h, "Authorization")));
  g_ptr_array_add (fake->tokens, g_strdup (soup_message_headers_get_one (h, "x-amz-security-token")));
  fake->handler (fake, msg, g_uri_get_path (uri), g_uri_get_query (uri));
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *body)
{
  gk_test_respond (msg, status, "application/xml", body);
}

static Fake *
fake_new (FakeHandler handler)
{
  Fake *fake = g_new0 (Fake, 1);

  fake->handler = handler;
  fake->paths = g_ptr_array_new_with_free_func (g_free);
  fake->queries = g_ptr_array_new_with_free_func (g_free);
  fake->auths = g_ptr_array_new_with_free_func (g_free);
  fake->tokens = g_ptr_array_new_with_free_func (g_free);
  fake->server = gk_test_server_new ();
  gk_test_server_add_handler (fake->server, NULL, fake_cb, fake);
  fake->endpoint = gk_test_server_get_origin (fake->server);
  return fake;
}

static void
fake_free (Fake *fake)
{
  gk_test_server_free (fake->server);
  g_ptr_array_unref (fake->paths);
  g_ptr_array_unref (fake->queries);
  g_ptr_array_unref (fake->auths);
  g_ptr_array_unref (fake->tokens);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

static GkS3Client *
client_for (Fake               *fake,
            const char         *region,
            const char * const *buckets)
{
  g_autofree char *expiration = NULL;
  g_autoptr(GDateTime) later = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) exp = g_date_time_add_hours (later, 1);
  g_auto(GStrv) env = NULL;
  g_autoptr(GkEnvCredentials) source = NULL;

  expiration = g_date_time_format_iso8601 (exp);
  env = g_environ_setenv (NULL, "AWS_ACCESS_KEY_ID", "ASIATESTTESTTEST", TRUE);
  env = g_environ_setenv (env, "AWS_SECRET_ACCESS_KEY", "not-a-real-secret", TRUE);
  env = g_environ_setenv (env, "AWS_SESSION_TOKEN", TOKEN, TRUE);
  env = g_environ_setenv (env, "AWS_CREDENTIAL_EXPIRATION", expiration, TRUE);
  source = gk_env_credentials_new ((const char * const *) env, NULL);
  g_assert_nonnull (source);
  return gk_s3_client_new (GK_CREDENTIAL_SOURCE (source), region, fake->endpoint, buckets);
}

static GkS3ListPage *
list_all (GkS3Client  *client,
          const char  *bucket,
          const char  *prefix,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_s3_client_list_objects_async (client, bucket, prefix, "/", NULL, gk_test_store_result_cb, &result);
  return gk_s3_client_list_objects_finish (client, gk_test_wait_for_result (&result), error);
}

/* Three pages: token 1, then 2, then done. */
static void
paged_handler (Fake              *fake,
               SoupServerMessage *msg,
               const char        *path,
               const char        *query)
{
  g_autofree char *body = NULL;
  guint page = strstr (query, "continuation-token=t%2B1%2F") ? 2 : strstr (query, "continuation-token=t2") ? 3 : 1;

  body = g_strdup_printf ("<ListBucketResult><Name>demo-lab</Name><Prefix>p/</Prefix>"
                          "<IsTruncated>%s</IsTruncated>%s"
                          "<Contents><Key>p/k%u%%20x</Key><Size>%u</Size></Contents>"
                          "%s<EncodingType>url</EncodingType></ListBucketResult>",
                          page < 3 ? "true" : "false",
                          page == 1 ? "<NextContinuationToken>t+1/</NextContinuationToken>"
                            : page == 2 ? "<NextContinuationToken>t2</NextContinuationToken>" : "",
                          page, page,
                          page == 2 ? "<CommonPrefixes><Prefix>p/sub/</Prefix></CommonPrefixes>" : "");
  reply (msg, 200, body);
}

static void
test_http_paginates_to_the_end (void)
{
  g_autoptr(Fake) fake = fake_new (paged_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) all = list_all (client, "demo-lab", "p/", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (fake->requests, ==, 3);
  g_assert_cmpuint (all->objects->len, ==, 3);
  g_assert_cmpstr (((GkS3Object *) g_ptr_array_index (all->objects, 2))->key, ==, "p/k3 x");
  g_assert_cmpuint (all->folders->len, ==, 1);
  /* Path-style at the endpoint, ListObjectsV2 with url encoding, the token
   * sent back encoded, the session token signed in a header. */
  g_assert_cmpstr (g_ptr_array_index (fake->paths, 0), ==, "/demo-lab");
  g_assert_cmpstr (g_ptr_array_index (fake->queries, 0), ==,
                   "delimiter=%2F&encoding-type=url&list-type=2&prefix=p%2F");
  g_assert_nonnull (strstr (g_ptr_array_index (fake->queries, 1), "continuation-token=t%2B1%2F"));
  g_assert_cmpstr (g_ptr_array_index (fake->tokens, 0), ==, TOKEN);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fake->auths, 0),
                                   "AWS4-HMAC-SHA256 Credential=ASIATESTTESTTEST/"));
  g_assert_nonnull (strstr (g_ptr_array_index (fake->auths, 0),
                            "/eu-west-2/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="));
}

static void
repeating_handler (Fake              *fake,
                   SoupServerMessage *msg,
                   const char        *path,
                   const char        *query)
{
  reply (msg, 200, "<ListBucketResult><Name>demo-lab</Name><IsTruncated>true</IsTruncated>"
                   "<NextContinuationToken>same</NextContinuationToken>"
                   "<Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>");
}

static void
test_http_repeated_token_stops (void)
{
  g_autoptr(Fake) fake = fake_new (repeating_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) all = list_all (client, "demo-lab", "", &error);

  g_assert_null (all);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "continuation token twice"));
  g_assert_cmpuint (fake->requests, ==, 2);
}

static void
tokenless_handler (Fake              *fake,
                   SoupServerMessage *msg,
                   const char        *path,
                   const char        *query)
{
  reply (msg, 200, "<ListBucketResult><Name>demo-lab</Name><IsTruncated>true</IsTruncated>"
                   "<Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>");
}

static void
test_http_truncated_without_token (void)
{
  g_autoptr(Fake) fake = fake_new (tokenless_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) all = list_all (client, "demo-lab", "", &error);

  g_assert_null (all);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (fake->requests, ==, 1);
}

static void
error_200_handler (Fake              *fake,
                   SoupServerMessage *msg,
                   const char        *path,
                   const char        *query)
{
  reply (msg, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>");
}

static void
test_http_error_with_200 (void)
{
  g_autoptr(Fake) fake = fake_new (error_200_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) all = list_all (client, "demo-lab", "", &error);

  g_assert_null (all);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_UNAVAILABLE);
}

static void
doctype_handler (Fake              *fake,
                 SoupServerMessage *msg,
                 const char        *path,
                 const char        *query)
{
  reply (msg, 200, "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                   "<ListBucketResult><Name>&lol2;</Name><IsTruncated>false</IsTruncated></ListBucketResult>");
}

static void
test_http_doctype_body (void)
{
  g_autoptr(Fake) fake = fake_new (doctype_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) all = list_all (client, "demo-lab", "", &error);

  g_assert_null (all);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "document type"));
}

/* The bucket lives in eu-west-2: anything signed for another region gets
 * S3's AuthorizationHeaderMalformed naming the right one. */
static void
region_handler (Fake              *fake,
                SoupServerMessage *msg,
                const char        *path,
                const char        *query)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth == NULL || strstr (auth, "/eu-west-2/s3/aws4_request") == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "x-amz-bucket-region", "eu-west-2");
      reply (msg, 400, "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization "
                       "header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-2'"
                       "</Message><Region>eu-west-2</Region></Error>");
      return;
    }
  reply (msg, 200, "<ListBucketResult><Name>far-lab</Name><IsTruncated>false</IsTruncated>"
                   "<Contents><Key>x.bam</Key><Size>3</Size></Contents></ListBucketResult>");
}

static void
test_http_region_redirect (void)
{
  g_autoptr(Fake) fake = fake_new (region_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "us-east-1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) first = NULL, second = NULL;

  first = list_all (client, "far-lab", "", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->objects->len, ==, 1);
  g_assert_cmpuint (fake->requests, ==, 2); /* refused, then retried in eu-west-2 */
  g_assert_cmpstr (gk_s3_client_peek_bucket_region (client, "far-lab"), ==, "eu-west-2");

  second = list_all (client, "far-lab", "", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake->requests, ==, 3); /* the cached region is used straight away */
}

static void
wrong_region_always_handler (Fake              *fake,
                             SoupServerMessage *msg,
                             const char        *path,
                             const char        *query)
{
  fake->state++;
  reply (msg, 301, fake->state == 1
         ? "<Error><Code>PermanentRedirect</Code><Region>ap-south-1</Region></Error>"
         : "<Error><Code>PermanentRedirect</Code><Region>eu-north-1</Region></Error>");
}

static void
test_http_region_redirect_once_only (void)
{
  g_autoptr(Fake) fake = fake_new (wrong_region_always_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "us-east-1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) all = list_all (client, "far-lab", "", &error);

  g_assert_null (all);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_WRONG_REGION);
  g_assert_cmpuint (fake->requests, ==, 2);
}

static void
head_handler (Fake              *fake,
              SoupServerMessage *msg,
              const char        *path,
              const char        *query)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  /* SoupServer hands over the path decoded. */
  if (g_str_equal (path, "/demo-lab/a b+c/é~x.bam"))
    {
      soup_message_headers_replace (h, "ETag", "\"e\"");
      soup_message_headers_replace (h, "Last-Modified", "Mon, 23 Nov 2026 10:00:00 GMT");
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_length (h, 4242);
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
}

static void
test_http_head_object (void)
{
  g_autoptr(Fake) fake = fake_new (head_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GkS3Object) found = NULL, missing = NULL;
  g_autoptr(GError) error = NULL;

  /* SoupServer itself drops "./" and "../", so keys holding those are
   * checked against the stand-in (tests/integration/links-live.test.mjs). */
  gk_s3_client_head_object_async (client, "demo-lab", "a b+c/é~x.bam", NULL, gk_test_store_result_cb, &r1);
  found = gk_s3_client_head_object_finish (client, gk_test_wait_for_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->size, ==, 4242);
  g_assert_cmpstr (found->etag, ==, "\"e\"");
  g_assert_cmpint (found->last_modified, ==, 1795428000);

  gk_s3_client_head_object_async (client, "demo-lab", "nope.bai", NULL, gk_test_store_result_cb, &r2);
  missing = gk_s3_client_head_object_finish (client, gk_test_wait_for_result (&r2), &error);
  g_assert_null (missing);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_KEY);
}

static void
never_handler (Fake              *fake,
               SoupServerMessage *msg,
               const char        *path,
               const char        *query)
{
  reply (msg, 500, NULL);
}

static void
test_http_bad_input_sends_nothing (void)
{
  const char * const buckets[] = { "demo-lab/cohort1/", NULL };
  g_autoptr(Fake) fake = fake_new (never_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", buckets);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  g_autoptr(GkS3ListPage) root = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  gk_s3_client_head_object_async (client, "Bad_Bucket", "x", NULL, gk_test_store_result_cb, &r1);
  g_assert_null (gk_s3_client_head_object_finish (client, gk_test_wait_for_result (&r1), &e1));
  g_assert_error (e1, GK_S3_ERROR, GK_S3_ERROR_INVALID_BUCKET_NAME);

  gk_s3_client_head_object_async (client, "demo-lab", "cohort1/a\nb", NULL, gk_test_store_result_cb, &r2);
  g_assert_null (gk_s3_client_head_object_finish (client, gk_test_wait_for_result (&r2), &e2));
  g_assert_error (e2, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY);

  gk_s3_client_head_object_async (client, "other-lab", "x", NULL, gk_test_store_result_cb, &r3);
  g_assert_null (gk_s3_client_head_object_finish (client, gk_test_wait_for_result (&r3), &e3));
  g_assert_error (e3, GK_S3_ERROR, GK_S3_ERROR_NOT_ALLOWED);

  /* Above the allowed prefix: the allowed folder is shown, nothing is sent. */
  root = list_all (client, "demo-lab", "", &e4);
  g_assert_no_error (e4);
  g_assert_cmpuint (root->folders->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (root->folders, 0), ==, "cohort1/");

  gk_s3_client_list_buckets_async (client, NULL, gk_test_store_result_cb, &r4);
  listed = gk_s3_client_list_buckets_finish (client, gk_test_wait_for_result (&r4), NULL);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((GkS3Bucket *) g_ptr_array_index (listed, 0))->prefix, ==, "cohort1/");

  g_assert_cmpuint (fake->requests, ==, 0);
}

static void
put_handler (Fake              *fake,
             SoupServerMessage *msg,
             const char        *path,
             const char        *query)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) body->data,
                                                     body->length);

  /* The payload hash header must be the body's SHA-256. */
  if (g_strcmp0 (soup_message_headers_get_one (h, "x-amz-content-sha256"), sha) != 0
      || g_strcmp0 (soup_message_headers_get_one (h, "Content-Type"), "application/json") != 0)
    {
      reply (msg, 403, "<Error><Code>SignatureDoesNotMatch</Code></Error>");
      return;
    }
  reply (msg, 200, NULL);
}

static void
test_http_put_object (void)
{
  g_autoptr(Fake) fake = fake_new (put_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GBytes) body = bytes ("[{\"id\":\"SAMPLE1\"}]");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_s3_client_put_object_async (client, "demo-lab", "configs/c.json", body, "application/json",
                                 NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_s3_client_put_object_finish (client, gk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_ptr_array_index (fake->auths, 0), "SignedHeaders=content-type;host;"));
}

static void
cors_handler (Fake              *fake,
              SoupServerMessage *msg,
              const char        *path,
              const char        *query)
{
  if (g_str_equal (path, "/with-cors"))
    reply (msg, 200, "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                     "<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>");
  else if (g_str_equal (path, "/forbidden"))
    reply (msg, 403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
  else
    reply (msg, 404, "<Error><Code>NoSuchCORSConfiguration</Code>"
                     "<Message>The CORS configuration does not exist</Message></Error>");
}

static void
test_http_bucket_cors (void)
{
  g_autoptr(Fake) fake = fake_new (cors_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GPtrArray) rules = NULL, none = NULL;
  g_autoptr(GError) error = NULL;

  gk_s3_client_get_bucket_cors_async (client, "with-cors", NULL, gk_test_store_result_cb, &r1);
  rules = gk_s3_client_get_bucket_cors_finish (client, gk_test_wait_for_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fake->queries, 0), ==, "cors=");

  gk_s3_client_get_bucket_cors_async (client, "without-cors", NULL, gk_test_store_result_cb, &r2);
  none = gk_s3_client_get_bucket_cors_finish (client, gk_test_wait_for_result (&r2), &error);
  g_assert_null (none);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_NO_CORS);
  g_assert_nonnull (strstr (error->message, "Content-Range"));
}

/* The verdict comes from the rules S3 returns; a bucket without rules is a
 * verdict too, and only unreadable rules are an error. */
static void
test_http_cors_check (void)
{
  static const char * const range[] = { "Range", NULL };
  const GkS3CorsRequest request = { "https://app.example.org", "GET", range, NULL };
  g_autoptr(Fake) fake = fake_new (cors_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GkS3CorsVerdict) some = NULL, none = NULL, unread = NULL;
  g_autoptr(GError) error = NULL;

  gk_s3_cors_check_async (client, "with-cors", &request, NULL, gk_test_store_result_cb, &r1);
  some = gk_s3_cors_check_finish (gk_test_wait_for_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (some->outcome, ==, GK_S3_CORS_HEADER_NOT_ALLOWED);
  g_assert_cmpstr (some->header, ==, "Range");

  gk_s3_cors_check_async (client, "without-cors", &request, NULL, gk_test_store_result_cb, &r2);
  none = gk_s3_cors_check_finish (gk_test_wait_for_result (&r2), &error);
  g_assert_no_error (error);
  g_assert_cmpint (none->outcome, ==, GK_S3_CORS_NO_CONFIGURATION);

  gk_s3_cors_check_async (client, "forbidden", &request, NULL, gk_test_store_result_cb, &r3);
  unread = gk_s3_cors_check_finish (gk_test_wait_for_result (&r3), &error);
  g_assert_null (unread);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED);
}

static void
test_http_one_page_at_a_time (void)
{
  g_autoptr(Fake) fake = fake_new (paged_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GkS3ListPage) first = NULL, second = NULL;
  g_autoptr(GError) error = NULL;

  gk_s3_client_list_page_async (client, "demo-lab", "p/", "/", NULL, 2, NULL, gk_test_store_result_cb, &r1);
  first = gk_s3_client_list_page_finish (client, gk_test_wait_for_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_true (first->truncated);
  g_assert_cmpstr (first->next_token, ==, "t+1/");
  g_assert_nonnull (strstr (g_ptr_array_index (fake->queries, 0), "max-keys=2"));

  gk_s3_client_list_page_async (client, "demo-lab", "p/", "/", first->next_token, 2, NULL,
                                gk_test_store_result_cb, &r2);
  second = gk_s3_client_list_page_finish (client, gk_test_wait_for_result (&r2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((GkS3Object *) g_ptr_array_index (second->objects, 0))->key, ==, "p/k2 x");
  g_assert_cmpuint (fake->requests, ==, 2);
}

/* Listing a range of keys: the prefix every key between two shares, and a
 * StartAfter that still lists the first; neither cuts a character. */
static void
test_key_ranges (void)
{
  struct { const char *a, *b, *prefix; } prefixes[] = {
    { "cohort/S00001/S00001.bam.bai", "cohort/S00100/S00100.vcf.gz.tbi", "cohort/S00" },
    { "c/x.bai", "c/x.bam.bai", "c/x.ba" },
    { "a", "b", "" },
    { "same", "same", "same" },
    /* "é" is C3 A9 and "è" C3 A8: they share a byte, not a character. */
    { "c/é.bam", "c/è.bam", "c/" },
    { "c/Ünï.bai", "c/Ünï.bam.bai", "c/Ünï.ba" },
  };
  struct { const char *key, *before; } befores[] = {
    { "c/S1.bam.bai", "c/S1.bam.ba" },
    { "c/S1/", "c/S1" },
    { "c/ü", "c/" },
    { "c/🧬", "c/" },
    { "x", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *p = gk_s3_key_common_prefix (prefixes[i].a, prefixes[i].b);

      g_assert_cmpstr (p, ==, prefixes[i].prefix);
      g_assert_true (g_utf8_validate (p, -1, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (befores); i++)
    {
      g_autofree char *b = gk_s3_key_before (befores[i].key);

      g_assert_cmpstr (b, ==, befores[i].before);
      /* It sorts before the key, so a listing from it lists the key. */
      if (b != NULL)
        g_assert_cmpint (strcmp (b, befores[i].key), <, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/s3/bucket-name/rules", test_bucket_names);
  g_test_add_func ("/s3/key/control-characters-refused", test_key_control_characters);
  g_test_add_func ("/s3/uri/parse-literal-keys", test_parse_uri);
  g_test_add_func ("/s3/uri/split-object-without-allocating", test_split_object_uri);
  g_test_add_func ("/s3/key/range-prefix-and-start-after", test_key_ranges);
  g_test_add_func ("/s3/target/virtual-path-endpoint", test_targets);
  g_test_add_func ("/s3/xml/list-objects-url-decoded", test_xml_list_objects);
  g_test_add_func ("/s3/xml/hostile-bodies-refused", test_xml_hostile);
  g_test_add_func ("/s3/xml/second-root-element-refused", test_xml_second_root_refused);
  g_test_add_func ("/s3/xml/invalid-utf8-refused", test_xml_invalid_utf8_refused);
  g_test_add_func ("/s3/xml/bad-name-error-is-readable", test_xml_bad_name_error_readable);
  g_test_add_func ("/s3/xml/error-buckets-cors", test_xml_error_and_buckets_and_cors);
  for (guint i = 0; i < G_N_ELEMENTS (s3_error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/s3/errors/table/%u-%s", i,
                                               s3_error_cases[i].code ? s3_error_cases[i].code : "no-code");

      g_test_add_data_func (path, &s3_error_cases[i], test_error_mapping);
    }
  g_test_add_func ("/s3/http/paginates-to-the-end", test_http_paginates_to_the_end);
  g_test_add_func ("/s3/http/repeated-continuation-token-stops", test_http_repeated_token_stops);
  g_test_add_func ("/s3/http/truncated-without-token", test_http_truncated_without_token);
  g_test_add_func ("/s3/http/error-with-200", test_http_error_with_200);
  g_test_add_func ("/s3/http/doctype-entity-body", test_http_doctype_body);
  g_test_add_func ("/s3/http/region-redirect-retried-and-cached", test_http_region_redirect);
  g_test_add_func ("/s3/http/region-redirect-retried-once", test_http_region_redirect_once_only);
  g_test_add_func ("/s3/http/head-object", test_http_head_object);
  g_test_add_func ("/s3/http/bad-input-sends-nothing", test_http_bad_input_sends_nothing);
  g_test_add_func ("/s3/http/put-object-payload-signed", test_http_put_object);
  g_test_add_func ("/s3/http/bucket-cors", test_http_bucket_cors);
  g_test_add_func ("/s3/http/cors-check-gives-a-verdict", test_http_cors_check);
  g_test_add_func ("/s3/http/one-page-at-a-time", test_http_one_page_at_a_time);

  return g_test_run ();
}
