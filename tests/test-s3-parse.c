/* test-s3-parse.c: S3's XML answers read strictly (listings, buckets, CORS
 * rules, <Error>), hostile bodies refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-s3-error.h"
#include "gk-s3-parse.h"

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/s3/xml/list-objects-url-decoded", test_xml_list_objects);
  g_test_add_func ("/s3/xml/hostile-bodies-refused", test_xml_hostile);
  g_test_add_func ("/s3/xml/second-root-element-refused", test_xml_second_root_refused);
  g_test_add_func ("/s3/xml/invalid-utf8-refused", test_xml_invalid_utf8_refused);
  g_test_add_func ("/s3/xml/bad-name-error-is-readable", test_xml_bad_name_error_readable);
  g_test_add_func ("/s3/xml/error-buckets-cors", test_xml_error_and_buckets_and_cors);

  return g_test_run ();
}
