/* test-iam.c: IAM's answers about an access key, its error table, and the
 * client against a SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gk-iam.h"
#include "gk-test.h"

#define LIST_ANSWER \
  "<ListAccessKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">" \
  "<ListAccessKeysResult><AccessKeyMetadata>" \
  "<member><UserName>ana</UserName><AccessKeyId>AKIAOLDKEY0000000001</AccessKeyId>" \
  "<Status>Inactive</Status><CreateDate>2024-01-02T03:04:05Z</CreateDate></member>" \
  "<member><CreateDate>2025-06-01T00:00:00Z</CreateDate><Status>Active</Status>" \
  "<UserName>ana</UserName><AccessKeyId>AKIANEWKEY0000000002</AccessKeyId></member>" \
  "</AccessKeyMetadata><IsTruncated>false</IsTruncated></ListAccessKeysResult>" \
  "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListAccessKeysResponse>"

#define LAST_USED_ANSWER \
  "<GetAccessKeyLastUsedResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">" \
  "<GetAccessKeyLastUsedResult><UserName>ana</UserName><AccessKeyLastUsed>" \
  "<LastUsedDate>2025-06-03T10:00:00Z</LastUsedDate><ServiceName>s3</ServiceName>" \
  "<Region>eu-west-2</Region></AccessKeyLastUsed></GetAccessKeyLastUsedResult>" \
  "</GetAccessKeyLastUsedResponse>"

#define NEVER_USED_ANSWER \
  "<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>ana</UserName>" \
  "<AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed>" \
  "</GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>"

#define DENIED_ANSWER \
  "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>" \
  "<Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/carol is not " \
  "authorized to perform: iam:ListAccessKeys on resource: user carol</Message></Error>" \
  "<RequestId>r</RequestId></ErrorResponse>"

static gint64
unix_of (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  return g_date_time_to_unix (dt);
}

static void
test_list_parsed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = gk_iam_parse_list_access_keys (LIST_ANSWER, -1, 200, &error);
  GkIamAccessKey *key;

  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  /* each member's own fields, whatever their order */
  key = gk_iam_find_access_key (keys, "AKIANEWKEY0000000002");
  g_assert_nonnull (key);
  g_assert_cmpstr (key->status, ==, "Active");
  g_assert_cmpint (key->created, ==, unix_of ("2025-06-01T00:00:00Z"));
  key = gk_iam_find_access_key (keys, "AKIAOLDKEY0000000001");
  g_assert_cmpstr (key->status, ==, "Inactive");
  g_assert_cmpint (key->created, ==, unix_of ("2024-01-02T03:04:05Z"));
  g_assert_null (gk_iam_find_access_key (keys, "AKIAELSEWHERE0000003"));
}

static void
test_list_incomplete_refused (void)
{
  const char *xml =
    "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata>"
    "<member><AccessKeyId>AKIAX</AccessKeyId><CreateDate>yesterday</CreateDate></member>"
    "</AccessKeyMetadata></ListAccessKeysResult></ListAccessKeysResponse>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = gk_iam_parse_list_access_keys (xml, -1, 200, &error);

  g_assert_null (keys);
  g_assert_error (error, GK_IAM_ERROR, GK_IAM_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "iam_endpoint"));
}

static void
test_list_entities_refused (void)
{
  const char *xml =
    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
    "<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata><member>"
    "<AccessKeyId>&x;</AccessKeyId></member></AccessKeyMetadata></ListAccessKeysResult>"
    "</ListAccessKeysResponse>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = gk_iam_parse_list_access_keys (xml, -1, 200, &error);

  g_assert_null (keys);
  g_assert_error (error, GK_IAM_ERROR, GK_IAM_ERROR_INVALID_RESPONSE);
}

static void
test_list_error_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = gk_iam_parse_list_access_keys (DENIED_ANSWER, -1, 403, &error);

  g_assert_null (keys);
  g_assert_error (error, GK_IAM_ERROR, GK_IAM_ERROR_ACCESS_DENIED);
  g_assert_true (g_str_has_prefix (error->message, "IAM does not let this key read its own details"));
  g_assert_nonnull (strstr (error->message, "iam:ListAccessKeys on resource: user carol"));
}

static void
test_last_used_parsed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkIamKeyLastUsed) used = gk_iam_parse_access_key_last_used (LAST_USED_ANSWER, -1, 200, &error);
  g_autoptr(GkIamKeyLastUsed) never = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (used->last_used, ==, unix_of ("2025-06-03T10:00:00Z"));
  g_assert_cmpstr (used->service_name, ==, "s3");
  g_assert_cmpstr (used->region, ==, "eu-west-2");

  /* IAM answers N/A, and no date, for a key never used */
  never = gk_iam_parse_access_key_last_used (NEVER_USED_ANSWER, -1, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpint (never->last_used, ==, 0);
  g_assert_null (never->service_name);
  g_assert_null (never->region);
}

static void
test_last_used_missing_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkIamKeyLastUsed) used = gk_iam_parse_access_key_last_used (LIST_ANSWER, -1, 200, &error);

  g_assert_null (used);
  g_assert_error (error, GK_IAM_ERROR, GK_IAM_ERROR_INVALID_RESPONSE);
}

typedef struct
{
  guint status;
  const char *code;
  const char *message;
  int expected;
  const char *says;
} MappingCase;

static const MappingCase mapping_cases[] = {
  { 403, "AccessDenied", "User: u is not authorized to perform: iam:GetAccessKeyLastUsed",
    GK_IAM_ERROR_ACCESS_DENIED, "iam:GetAccessKeyLastUsed" },
  { 403, "InvalidClientTokenId", "The security token included in the request is invalid.",
    GK_IAM_ERROR_KEY_REFUSED, "deactivated" },
  { 403, "SignatureDoesNotMatch", NULL, GK_IAM_ERROR_KEY_REFUSED, "right secret" },
  { 404, "NoSuchEntity", "The user with name ana cannot be found.", GK_IAM_ERROR_NOT_FOUND,
    "name ana cannot be found" },
  { 400, "Throttling", "Rate exceeded", GK_IAM_ERROR_THROTTLED, "minute" },
  { 500, "ServiceFailure", NULL, GK_IAM_ERROR_UNAVAILABLE, "ServiceFailure" },
  { 400, "SomethingNew", "A new kind of refusal.", GK_IAM_ERROR_FAILED, "A new kind of refusal." },
  { 503, NULL, NULL, GK_IAM_ERROR_UNAVAILABLE, "503" },
  { 429, NULL, NULL, GK_IAM_ERROR_THROTTLED, "minute" },
  { 404, NULL, NULL, GK_IAM_ERROR_INVALID_RESPONSE, "iam_endpoint" },
};

static void
test_error_mapping (gconstpointer data)
{
  const MappingCase *c = data;
  g_autoptr(GError) error = gk_iam_error_from_aws (c->status, c->code, c->message);

  g_assert_error (error, GK_IAM_ERROR, c->expected);
  g_assert_nonnull (strstr (error->message, c->says));
  g_assert_null (strstr (error->message, "{"));
}

/* ---- the client ------------------------------------------------------------ */

typedef struct
{
  GkTestServer *server;
  char *base;
  guint requests;
  guint unavailable_count;     /* answer 503 this many times first */
  gboolean deny;
  GHashTable *form;
  char *authorization;
} Fixture;

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *action;

  f->requests++;
  g_clear_pointer (&f->form, g_hash_table_unref);
  g_clear_pointer (&f->authorization, g_free);
  f->form = gk_test_request_form (msg);
  f->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");

  if (f->unavailable_count > 0)
    {
      f->unavailable_count--;
      gk_test_respond (msg, 503, "text/plain", NULL);
      return;
    }
  if (f->deny)
    {
      gk_test_respond (msg, 403, "text/xml", DENIED_ANSWER);
      return;
    }
  action = g_hash_table_lookup (f->form, "Action");
  gk_test_respond (msg, 200, "text/xml",
                   g_strcmp0 (action, "ListAccessKeys") == 0 ? LIST_ANSWER : LAST_USED_ANSWER);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = gk_test_server_new ();
  gk_test_server_add_handler (f->server, NULL, handle_cb, f);
  f->base = gk_test_server_url (f->server, "/");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, gk_test_server_free);
  g_free (f->base);
  g_clear_pointer (&f->form, g_hash_table_unref);
  g_free (f->authorization);
}

static GPtrArray *
list_keys (GkIamClient  *client,
           GError      **error)
{
  g_autoptr(GkCredentials) key = gk_credentials_new ("AKIANEWKEY0000000002", "key-secret", NULL, 0);
  g_autoptr(GAsyncResult) result = NULL;

  gk_iam_client_list_access_keys_async (client, key, NULL, gk_test_store_result_cb, &result);
  return gk_iam_client_list_access_keys_finish (client, gk_test_wait_for_result (&result), error);
}

static void
test_client_signed_for_us_east_1 (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GkIamClient) client = gk_iam_client_new (f->base);
  g_autoptr(GkCredentials) key = gk_credentials_new ("AKIANEWKEY0000000002", "key-secret", NULL, 0);
  g_autoptr(GkIamKeyLastUsed) used = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  keys = list_keys (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  /* no UserName: IAM lists the signing user's own keys */
  g_assert_cmpstr (g_hash_table_lookup (f->form, "Action"), ==, "ListAccessKeys");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "Version"), ==, "2010-05-08");
  g_assert_false (g_hash_table_contains (f->form, "UserName"));
  /* IAM is global: signed for us-east-1 and service iam, whatever region */
  g_assert_nonnull (strstr (f->authorization, "Credential=AKIANEWKEY0000000002/"));
  g_assert_nonnull (strstr (f->authorization, "/us-east-1/iam/aws4_request"));

  gk_iam_client_get_access_key_last_used_async (client, "AKIANEWKEY0000000002", key, NULL,
                                                gk_test_store_result_cb, &result);
  used = gk_iam_client_get_access_key_last_used_finish (client, gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (used->service_name, ==, "s3");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "AccessKeyId"), ==, "AKIANEWKEY0000000002");
}

static void
test_client_refusal_not_retried (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GkIamClient) client = gk_iam_client_new (f->base);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  gk_iam_client_set_retry (client, 3, 5);
  f->deny = TRUE;
  keys = list_keys (client, &error);
  g_assert_null (keys);
  g_assert_error (error, GK_IAM_ERROR, GK_IAM_ERROR_ACCESS_DENIED);
  g_assert_cmpuint (f->requests, ==, 1);
}

static void
test_client_trouble_retried (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GkIamClient) client = gk_iam_client_new (f->base);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  gk_iam_client_set_retry (client, 3, 5);
  f->unavailable_count = 2;
  keys = list_keys (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpuint (f->requests, ==, 3);
}

static void
test_client_no_endpoint (void)
{
  g_autoptr(GkIamClient) client = gk_iam_client_new (NULL);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = list_keys (client, &error);
  g_assert_null (keys);
  g_assert_error (error, GK_IAM_ERROR, GK_IAM_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "iam_endpoint"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/iam/list-access-keys/members-parsed", test_list_parsed);
  g_test_add_func ("/iam/list-access-keys/incomplete-member-refused", test_list_incomplete_refused);
  g_test_add_func ("/iam/list-access-keys/entities-refused", test_list_entities_refused);
  g_test_add_func ("/iam/list-access-keys/error-answer-mapped", test_list_error_answer);
  g_test_add_func ("/iam/last-used/parsed-and-never-used", test_last_used_parsed);
  g_test_add_func ("/iam/last-used/missing-refused", test_last_used_missing_refused);
  for (guint i = 0; i < G_N_ELEMENTS (mapping_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/iam/errors/table/%u-%s", i,
                                               mapping_cases[i].code ? mapping_cases[i].code : "no-code");

      g_test_add_data_func (path, &mapping_cases[i], test_error_mapping);
    }
  g_test_add ("/iam/call/signed-for-us-east-1-as-the-key", Fixture, NULL,
              fixture_setup, test_client_signed_for_us_east_1, fixture_teardown);
  g_test_add ("/iam/call/refusal-not-retried", Fixture, NULL,
              fixture_setup, test_client_refusal_not_retried, fixture_teardown);
  g_test_add ("/iam/call/trouble-retried", Fixture, NULL,
              fixture_setup, test_client_trouble_retried, fixture_teardown);
  g_test_add_func ("/iam/call/no-endpoint-says-which-key", test_client_no_endpoint);

  return g_test_run ();
}
