/* test-s3.c: the S3 client against a SoupServer on a random loopback port
 * (pagination, loops, <Error> with HTTP 200, region redirects, hostile
 * bodies, uploads, CORS)
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

static GBytes *
bytes (const char *s)
{
  return g_bytes_new (s, strlen (s));
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

/* S3's three answers: never set (an empty configuration), on, suspended;
 * a role that may not read it gets AccessDenied naming the permission. */
static void
versioning_handler (Fake              *fake,
                    SoupServerMessage *msg,
                    const char        *path,
                    const char        *query)
{
  if (g_str_equal (path, "/never"))
    reply (msg, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
  else if (g_str_equal (path, "/enabled"))
    reply (msg, 200, "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                     "<Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>");
  else if (g_str_equal (path, "/paused"))
    reply (msg, 200, "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>");
  else
    reply (msg, 403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
}

static void
test_http_bucket_versioning (void)
{
  static const struct { const char *bucket; GkS3Versioning want; } cases[] = {
    { "never", GK_S3_VERSIONING_NEVER },
    { "enabled", GK_S3_VERSIONING_ENABLED },
    { "paused", GK_S3_VERSIONING_SUSPENDED },
  };
  g_autoptr(Fake) fake = fake_new (versioning_handler);
  g_autoptr(GkS3Client) client = client_for (fake, "eu-west-2", NULL);
  g_autoptr(GAsyncResult) denied_result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GAsyncResult) r = NULL;

      GkS3Versioning got;

      gk_s3_client_get_bucket_versioning_async (client, cases[i].bucket, NULL, gk_test_store_result_cb, &r);
      got = gk_s3_client_get_bucket_versioning_finish (client, gk_test_wait_for_result (&r), &error);
      g_assert_no_error (error);
      g_assert_cmpint (got, ==, cases[i].want);
      g_assert_cmpstr (g_ptr_array_index (fake->queries, i), ==, "versioning=");
    }

  gk_s3_client_get_bucket_versioning_async (client, "secret", NULL, gk_test_store_result_cb, &denied_result);
  g_assert_cmpint (gk_s3_client_get_bucket_versioning_finish (client, gk_test_wait_for_result (&denied_result),
                                                               &error), ==, GK_S3_VERSIONING_UNKNOWN);
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "s3:GetBucketVersioning"));
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

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
  g_test_add_func ("/s3/http/bucket-versioning-never-on-suspended", test_http_bucket_versioning);
  g_test_add_func ("/s3/http/one-page-at-a-time", test_http_one_page_at_a_time);

  return g_test_run ();
}
