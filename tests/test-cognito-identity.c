/* test-cognito-identity.c: the identity pool client against a SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gk-cognito-identity.h"
#include "gk-secret.h"
#include "gk-sts.h"
#include "gk-test.h"

#define POOL_ID "us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define LOGINS_KEY "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
#define ID_TOKEN "header.payload.signature-of-the-id-token"
#define STS_ANSWER \
  "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">" \
  "<AssumeRoleWithWebIdentityResult><Credentials>" \
  "<AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>sts-secret</SecretAccessKey>" \
  "<SessionToken>sts-token</SessionToken><Expiration>2030-01-02T03:04:05Z</Expiration>" \
  "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"

typedef struct
{
  GkTestServer *server;
  char *base;
  GPtrArray *targets;     /* X-Amz-Target or "STS" of each request */
  guint throttle_count;   /* answer this many requests with TooManyRequests */
  gboolean not_authorized;
  gboolean identity_gone; /* GetCredentialsForIdentity for "cached-id" → not found */
  gboolean classic_disabled;
  gboolean sts_denied;    /* AssumeRoleWithWebIdentity → AccessDenied */
  gboolean unauthenticated_allowed; /* GetId without Logins succeeds */
  guint without_logins;   /* requests that carried no Logins */
  char *sts_session_name;
  char *sts_duration;
  char *logins_token;
} Fixture;

static void
answer_json (SoupServerMessage *msg,
             guint              status,
             const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/x-amz-json-1.1", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *target = soup_message_headers_get_one (headers, "X-Amz-Target");
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *data = g_bytes_get_data (bytes, NULL);

  g_ptr_array_add (f->targets, g_strdup (target ? target : "STS"));

  if (f->throttle_count > 0)
    {
      f->throttle_count--;
      answer_json (msg, 400, "{\"__type\":\"TooManyRequestsException\",\"message\":\"Rate exceeded\"}");
      return;
    }

  if (target == NULL)
    {
      g_autoptr(GHashTable) form = soup_form_decode (data);

      g_assert_cmpstr (g_hash_table_lookup (form, "Action"), ==, "AssumeRoleWithWebIdentity");
      g_assert_cmpstr (g_hash_table_lookup (form, "WebIdentityToken"), ==, "open-id-token");
      f->sts_session_name = g_strdup (g_hash_table_lookup (form, "RoleSessionName"));
      f->sts_duration = g_strdup (g_hash_table_lookup (form, "DurationSeconds"));
      if (f->sts_denied)
        {
          const char *xml =
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
            "<Type>Sender</Type><Code>AccessDenied</Code>"
            "<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>"
            "</Error><RequestId>r</RequestId></ErrorResponse>";

          soup_server_message_set_status (msg, 403, NULL);
          soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_STATIC, xml, strlen (xml));
          return;
        }
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_STATIC,
                                        STS_ANSWER, strlen (STS_ANSWER));
      return;
    }

  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==,
                   "application/x-amz-json-1.1");
  g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *object, *logins;

    g_assert_true (json_parser_load_from_data (parser, data, -1, NULL));
    object = json_node_get_object (json_parser_get_root (parser));
    logins = json_object_has_member (object, "Logins")
      ? json_object_get_object_member (object, "Logins") : NULL;
    g_free (f->logins_token);
    f->logins_token = logins ? g_strdup (json_object_get_string_member (logins, LOGINS_KEY)) : NULL;
    if (logins == NULL)
      {
        f->without_logins++;
        if (!f->unauthenticated_allowed)
          {
            answer_json (msg, 400, "{\"__type\":\"NotAuthorizedException\",\"message\":\"Unauthenticated access is not supported for this identity pool.\"}");
            return;
          }
      }

    if (f->not_authorized)
      {
        answer_json (msg, 400, "{\"__type\":\"NotAuthorizedException\",\"message\":\"Token is not from a supported provider of this identity pool.\"}");
        return;
      }
    if (g_str_equal (target, "AWSCognitoIdentityService.GetId"))
      {
        g_assert_cmpstr (json_object_get_string_member (object, "IdentityPoolId"), ==, POOL_ID);
        answer_json (msg, 200, "{\"IdentityId\":\"us-east-1:new-id\"}");
        return;
      }
    if (g_str_equal (target, "AWSCognitoIdentityService.GetCredentialsForIdentity"))
      {
        if (f->identity_gone &&
            g_str_equal (json_object_get_string_member (object, "IdentityId"), "cached-id"))
          {
            answer_json (msg, 400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Identity 'cached-id' not found.\"}");
            return;
          }
        answer_json (msg, 200, "{\"IdentityId\":\"us-east-1:new-id\",\"Credentials\":{"
                               "\"AccessKeyId\":\"ASIAENH\",\"SecretKey\":\"enh-secret\","
                               "\"SessionToken\":\"enh-token\",\"Expiration\":1893553445.5}}");
        return;
      }
    if (g_str_equal (target, "AWSCognitoIdentityService.GetOpenIdToken"))
      {
        if (f->classic_disabled)
          {
            answer_json (msg, 400, "{\"__type\":\"InvalidParameterException\",\"message\":\"Basic (classic) flow is not enabled, please use enhanced flow.\"}");
            return;
          }
        answer_json (msg, 200, "{\"IdentityId\":\"us-east-1:new-id\",\"Token\":\"open-id-token\"}");
        return;
      }
  }
  answer_json (msg, 400, "{\"__type\":\"UnknownOperationException\"}");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{

  f->targets = g_ptr_array_new_with_free_func (g_free);
  f->server = gk_test_server_new ();
  gk_test_server_add_handler (f->server, NULL, handle_cb, f);
  f->base = gk_test_server_url (f->server, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, gk_test_server_free);
  g_free (f->base);
  g_ptr_array_unref (f->targets);
  g_free (f->sts_session_name);
  g_free (f->sts_duration);
  g_free (f->logins_token);
}

static GkProfile *
make_profile (Fixture  *f,
              gboolean  basic,
              guint     duration)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  GkProfile *profile;

  json_object_set_string_member (object, "client_id", "client");
  json_object_set_string_member (object, "authorization_endpoint", "https://lab.auth.us-east-1.amazoncognito.com/oauth2/authorize");
  json_object_set_string_member (object, "token_endpoint", "https://lab.auth.us-east-1.amazoncognito.com/oauth2/token");
  json_object_set_string_member (object, "aws_region", "us-east-1");
  json_object_set_string_member (object, "aws_cognito_pool_id", "us-east-1_AbC123");
  json_object_set_string_member (object, "aws_cognito_fed_pool_id", POOL_ID);
  json_object_set_string_member (object, "cognito_identity_endpoint", f->base);
  json_object_set_string_member (object, "sts_endpoint", f->base);
  if (basic)
    json_object_set_string_member (object, "aws_cognito_role_arn", "arn:aws:iam::123456789012:role/LabReaders");
  if (duration)
    json_object_set_int_member (object, "duration_seconds", duration);

  profile = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);
  return profile;
}

static GkCredentials *
fetch (GkCognitoIdentityClient  *client,
       const char        *identity_id,
       const char        *user,
       char             **out_identity_id,
       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_cognito_identity_client_fetch_credentials_async (client, identity_id, ID_TOKEN, user, NULL,
                                              gk_test_store_result_cb, &result);
  gk_test_wait_until (result != NULL);
  return gk_cognito_identity_client_fetch_credentials_finish (client, result, out_identity_id, error);
}

static void
test_enhanced_flow (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *identity_id = NULL;

  creds = fetch (client, NULL, "ana@lab.org", &identity_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIAENH");
  g_assert_cmpstr (gk_credentials_get_secret_access_key (creds), ==, "enh-secret");
  g_assert_cmpstr (gk_credentials_get_session_token (creds), ==, "enh-token");
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, 1893553445);
  g_assert_cmpstr (identity_id, ==, "us-east-1:new-id");
  g_assert_cmpstr (f->logins_token, ==, ID_TOKEN);
  g_assert_cmpuint (f->targets->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->targets, 0), ==, "AWSCognitoIdentityService.GetId");
  g_assert_cmpstr (g_ptr_array_index (f->targets, 1), ==,
                   "AWSCognitoIdentityService.GetCredentialsForIdentity");
}

static void
test_enhanced_cached_identity (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  creds = fetch (client, "us-east-1:cached", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);
  g_assert_cmpuint (f->targets->len, ==, 1);
}

static void
test_cached_identity_gone (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *identity_id = NULL;

  f->identity_gone = TRUE;
  creds = fetch (client, "cached-id", NULL, &identity_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);
  g_assert_cmpstr (identity_id, ==, "us-east-1:new-id");
  g_assert_cmpuint (f->targets->len, ==, 3);
}

static void
test_basic_flow (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, TRUE, 43200);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  creds = fetch (client, NULL, "Ana María <ana@lab.org>", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIASTS");
  g_assert_cmpstr (gk_credentials_get_session_token (creds), ==, "sts-token");
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, 1893553445);
  g_assert_cmpuint (f->targets->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->targets, 1), ==, "AWSCognitoIdentityService.GetOpenIdToken");
  g_assert_cmpstr (g_ptr_array_index (f->targets, 2), ==, "STS");
  g_assert_cmpstr (f->sts_session_name, ==, "Ana_Mar_a__ana@lab.org_");
  g_assert_cmpstr (f->sts_duration, ==, "43200");
}

static void
test_basic_flow_disabled (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, TRUE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  f->classic_disabled = TRUE;
  creds = fetch (client, NULL, "ana", NULL, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED);
  g_assert_nonnull (strstr (error->message, "basic (classic) flow"));
  g_assert_nonnull (strstr (error->message, "aws_cognito_role_arn"));
}

static char *
get_id (GkCognitoIdentityClient  *client,
        const char               *id_token,
        GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_cognito_identity_client_get_id_async (client, id_token, NULL, gk_test_store_result_cb, &result);
  return gk_cognito_identity_client_get_id_finish (client, gk_test_wait_for_result (&result), error);
}

/* GetId without a token is what anyone on the internet can send: a pool
 * that answers it hands out its unauthenticated role. */
static void
test_get_id_without_logins (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *given = NULL;

  refused = get_id (client, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED);
  g_clear_error (&error);
  g_assert_cmpuint (f->without_logins, ==, 1);
  /* NotAuthorized is never retried. */
  g_assert_cmpuint (f->targets->len, ==, 1);

  f->unauthenticated_allowed = TRUE;
  given = get_id (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (given, ==, "us-east-1:new-id");
  g_assert_cmpuint (f->without_logins, ==, 2);
}

static void
test_open_id_token_alone (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  gk_cognito_identity_client_get_open_id_token_async (client, "us-east-1:id", ID_TOKEN, NULL,
                                                      gk_test_store_result_cb, &r1);
  token = gk_cognito_identity_client_get_open_id_token_finish (client, gk_test_wait_for_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "open-id-token");
  g_assert_cmpstr (f->logins_token, ==, ID_TOKEN);
  gk_secret_free (token);

  f->classic_disabled = TRUE;
  gk_cognito_identity_client_get_open_id_token_async (client, "us-east-1:id", ID_TOKEN, NULL,
                                                      gk_test_store_result_cb, &r2);
  token = gk_cognito_identity_client_get_open_id_token_finish (client, gk_test_wait_for_result (&r2), &error);
  g_assert_null (token);
  g_assert_error (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED);
}

static void
test_throttling_retried (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  gk_cognito_identity_client_set_retry (client, 4, 5);
  f->throttle_count = 2;
  creds = fetch (client, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);
  g_assert_cmpuint (f->targets->len, ==, 4); /* GetId ×3, then GetCredentialsForIdentity */
}

static void
test_throttling_bounded (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  gk_cognito_identity_client_set_retry (client, 3, 5);
  f->throttle_count = 100;
  creds = fetch (client, NULL, NULL, NULL, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_THROTTLED);
  g_assert_cmpuint (f->targets->len, ==, 3);
}

static void
test_not_authorized_not_retried (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  gk_cognito_identity_client_set_retry (client, 5, 5);
  f->not_authorized = TRUE;
  creds = fetch (client, NULL, NULL, NULL, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED);
  g_assert_nonnull (strstr (error->message, "aws_cognito_fed_pool_id"));
  g_assert_null (strstr (error->message, ID_TOKEN));
  g_assert_cmpuint (f->targets->len, ==, 1);
}

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, FALSE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  /* Throttled every time: without the cancellation the call would go on
   * retrying for tens of seconds and end throttled, after more requests. */
  gk_cognito_identity_client_set_retry (client, 5, 4000);
  f->throttle_count = 100;
  gk_cognito_identity_client_fetch_credentials_async (client, NULL, ID_TOKEN, NULL, cancellable,
                                              gk_test_store_result_cb, &result);
  gk_test_wait_until (f->targets->len > 0);
  g_cancellable_cancel (cancellable);
  gk_test_wait_until_msg (result != NULL, "the cancelled call to end during its back-off");
  creds = gk_cognito_identity_client_fetch_credentials_finish (client, result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->targets->len, ==, 1);
}

static void
test_basic_flow_role_refused (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GkProfile) profile = make_profile (f, TRUE, 0);
  g_autoptr(GkCognitoIdentityClient) client = gk_cognito_identity_client_new (profile);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  gk_cognito_identity_client_set_retry (client, 5, 5);
  f->sts_denied = TRUE;
  creds = fetch (client, NULL, "ana", NULL, &error);
  g_assert_null (creds);
  /* STS's own code, with the profile key that names the role added */
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "aws_cognito_role_arn"));
  g_assert_nonnull (strstr (error->message, "trust policy"));
  /* a refusal is not tried again */
  g_assert_cmpuint (f->targets->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->targets, 2), ==, "STS");
}

/* One row per case of the table, with what AWS really sends (the service
 * model's codes; the messages as AWS words them). */
typedef struct
{
  GkCognitoIdentityOp op;
  guint status;
  const char *code;
  const char *message;
  int expected;
  const char *says;  /* a part of the message the user must see */
} MappingCase;

static const MappingCase mapping_cases[] = {
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "NotAuthorizedException",
    "Invalid login token. Issuer doesn't match providerName",
    GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED, "aws_cognito_fed_pool_id" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "NotAuthorizedException",
    "Token is not from a supported provider of this identity pool.",
    GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED, "supported provider" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "NotAuthorizedException",
    "Invalid login token. Token expired: 1615478227 >= 1615474627",
    GK_COGNITO_IDENTITY_ERROR_TOKEN_EXPIRED, "clock" },
  /* the same words in another code are not an expired token */
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "InvalidParameterException",
    "Invalid login token. Token expired: 1 >= 0",
    GK_COGNITO_IDENTITY_ERROR_FAILED, "aws_region" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "com.amazonaws.cognito.identity#TooManyRequestsException",
    NULL, GK_COGNITO_IDENTITY_ERROR_THROTTLED, "minute" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "LimitExceededException:http://internal.amazon.com/coral",
    NULL, GK_COGNITO_IDENTITY_ERROR_THROTTLED, "minute" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "ResourceNotFoundException",
    "IdentityPool 'us-east-1:x' not found.", GK_COGNITO_IDENTITY_ERROR_POOL_NOT_FOUND,
    "aws_cognito_fed_pool_id" },
  { GK_COGNITO_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY, 400, "ResourceNotFoundException",
    "Identity 'us-east-1:x' not found.", GK_COGNITO_IDENTITY_ERROR_IDENTITY_NOT_FOUND,
    "Sign in again" },
  { GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN, 400, "ResourceNotFoundException",
    "Identity 'us-east-1:x' not found.", GK_COGNITO_IDENTITY_ERROR_IDENTITY_NOT_FOUND,
    "Sign in again" },
  { GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN, 400, "InvalidParameterException",
    "Basic (classic) flow is not enabled, please use enhanced flow.",
    GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED, "aws_cognito_role_arn" },
  { GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN, 400, "InvalidParameterException",
    "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
    GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED, "RoleMappings" },
  /* the basic-flow wording only means that for GetOpenIdToken */
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "InvalidParameterException",
    "Basic (classic) flow is not enabled, please use enhanced flow.",
    GK_COGNITO_IDENTITY_ERROR_FAILED, "aws_cognito_fed_pool_id" },
  { GK_COGNITO_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY, 400,
    "InvalidIdentityPoolConfigurationException", "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    GK_COGNITO_IDENTITY_ERROR_POOL_CONFIGURATION, "authenticated role" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "ResourceConflictException", "x",
    GK_COGNITO_IDENTITY_ERROR_POOL_CONFIGURATION, "another identity" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 500, "InternalErrorException", NULL,
    GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE, "InternalErrorException" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "ExternalServiceException", NULL,
    GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE, "minute" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 400, "SomethingNewException", "A new kind of refusal.",
    GK_COGNITO_IDENTITY_ERROR_FAILED, "A new kind of refusal." },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 503, NULL, NULL, GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE, "503" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 429, NULL, NULL, GK_COGNITO_IDENTITY_ERROR_THROTTLED, "minute" },
  { GK_COGNITO_IDENTITY_OP_GET_ID, 404, NULL, NULL, GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE,
    "cognito_identity_endpoint" },
};

static void
test_error_mapping (gconstpointer data)
{
  const MappingCase *c = data;
  g_autoptr(GError) error = gk_cognito_identity_error_from_aws (c->op, c->status, c->code,
                                                                c->message);

  g_assert_error (error, GK_COGNITO_IDENTITY_ERROR, c->expected);
  g_assert_nonnull (strstr (error->message, c->says));
  /* every field of the template was filled in, and no option is named */
  g_assert_null (strstr (error->message, "{"));
  g_assert_null (strstr (error->message, "--"));
}

static void
test_error_retryable (void)
{
  g_autoptr(GError) throttled = gk_cognito_identity_error_from_aws (GK_COGNITO_IDENTITY_OP_GET_ID, 400,
                                                                    "TooManyRequestsException", NULL);
  g_autoptr(GError) refused = gk_cognito_identity_error_from_aws (GK_COGNITO_IDENTITY_OP_GET_ID, 400,
                                                                  "NotAuthorizedException", NULL);

  g_assert_true (gk_cognito_identity_error_is_retryable (throttled));
  g_assert_false (gk_cognito_identity_error_is_retryable (refused));
}

static void
test_sts_error_explained (void)
{
  g_autoptr(GError) denied = gk_sts_error_from_aws (403, "AccessDenied", "Not authorized");
  g_autoptr(GError) duration = gk_sts_error_from_aws (400, "ValidationError",
                                                      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  g_autoptr(GError) busy = gk_sts_error_from_aws (400, "Throttling", "Rate exceeded");
  g_autoptr(GError) e1 = gk_cognito_identity_explain_sts_error (denied);
  g_autoptr(GError) e2 = gk_cognito_identity_explain_sts_error (duration);
  g_autoptr(GError) e3 = gk_cognito_identity_explain_sts_error (busy);

  g_assert_error (e1, GK_STS_ERROR, GK_STS_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (e1->message, "aws_cognito_role_arn"));
  g_assert_error (e2, GK_STS_ERROR, GK_STS_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (e2->message, "duration_seconds"));
  g_assert_nonnull (strstr (e2->message, "MaxSessionDuration"));
  g_assert_error (e3, GK_STS_ERROR, GK_STS_ERROR_THROTTLED);
  g_assert_cmpstr (e3->message, ==, busy->message);
}

/* Found by fuzzing: control characters in the credentials were accepted
 * (libsoup refuses a line break in a header with a critical), an expiry
 * between 0 and 1 second passed the check for an impossible one, and
 * json-glib 1.6 turned the C escape "\234" into a byte that is not UTF-8. */
static void
test_credentials_answer_refused (void)
{
  const char *answers[] = {
    "{\"Credentials\":{\"AccessKeyId\":\"A\",\"SecretKey\":\"s\",\"SessionToken\":\"t\\nx\",\"Expiration\":1.9e9}}",
    "{\"Credentials\":{\"AccessKeyId\":\"A\\u001e\",\"SecretKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":1.9e9}}",
    "{\"Credentials\":{\"AccessKeyId\":\"A\",\"SecretKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":0.893456}}",
    "{\"Credentials\":{\"AccessKeyId\":\"ASIA\\234\",\"SecretKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":1.9e9}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GkCredentials) creds = gk_cognito_identity_parse_credentials (answers[i], -1, NULL, &error);

      g_assert_null (creds);
      g_assert_error (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (mapping_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cognito-identity/errors/table/%u-%s", i,
                                               mapping_cases[i].code ? mapping_cases[i].code : "no-code");

      g_strdelimit (path + strlen ("/cognito-identity/errors/table/"), "#:/.", '-');
      g_test_add_data_func (path, &mapping_cases[i], test_error_mapping);
    }
  g_test_add_func ("/cognito-identity/errors/only-busy-is-retried", test_error_retryable);
  g_test_add_func ("/cognito-identity/answer/bad-credentials-refused", test_credentials_answer_refused);
  g_test_add_func ("/cognito-identity/errors/sts-refusal-names-the-profile-keys", test_sts_error_explained);
  g_test_add ("/cognito-identity/enhanced/get-id-then-credentials", Fixture, NULL,
              fixture_setup, test_enhanced_flow, fixture_teardown);
  g_test_add ("/cognito-identity/enhanced/cached-identity-skips-get-id", Fixture, NULL,
              fixture_setup, test_enhanced_cached_identity, fixture_teardown);
  g_test_add ("/cognito-identity/enhanced/deleted-identity-gets-new-id", Fixture, NULL,
              fixture_setup, test_cached_identity_gone, fixture_teardown);
  g_test_add ("/cognito-identity/basic/open-id-token-then-sts", Fixture, NULL,
              fixture_setup, test_basic_flow, fixture_teardown);
  g_test_add ("/cognito-identity/basic/classic-flow-disabled-says-so", Fixture, NULL,
              fixture_setup, test_basic_flow_disabled, fixture_teardown);
  g_test_add ("/cognito-identity/basic/role-refused-names-the-key", Fixture, NULL,
              fixture_setup, test_basic_flow_role_refused, fixture_teardown);
  g_test_add ("/cognito-identity/unauthenticated/get-id-without-logins", Fixture, NULL,
              fixture_setup, test_get_id_without_logins, fixture_teardown);
  g_test_add ("/cognito-identity/basic/open-id-token-alone", Fixture, NULL,
              fixture_setup, test_open_id_token_alone, fixture_teardown);
  g_test_add ("/cognito-identity/backoff/throttling-retried", Fixture, NULL,
              fixture_setup, test_throttling_retried, fixture_teardown);
  g_test_add ("/cognito-identity/backoff/attempts-bounded", Fixture, NULL,
              fixture_setup, test_throttling_bounded, fixture_teardown);
  g_test_add ("/cognito-identity/backoff/not-authorized-never-retried", Fixture, NULL,
              fixture_setup, test_not_authorized_not_retried, fixture_teardown);
  g_test_add ("/cognito-identity/backoff/cancel-ends-the-wait", Fixture, NULL,
              fixture_setup, test_cancel_during_backoff, fixture_teardown);

  return g_test_run ();
}
