/* test-sts.c: the STS client against a SoupServer, its answers and its error table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "gk-sigv4.h"
#include "gk-sts.h"
#include "gk-test.h"

#define ROLE_ARN "arn:aws:iam::123456789012:role/LabReaders"
#define WEB_TOKEN "header.payload.signature-of-the-open-id-token"
#define STS_ANSWER \
  "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">" \
  "<AssumeRoleWithWebIdentityResult><Credentials>" \
  "<AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>sts-secret</SecretAccessKey>" \
  "<SessionToken>sts-token</SessionToken><Expiration>2030-01-02T03:04:05Z</Expiration>" \
  "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
#define STS_THROTTLED \
  "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>" \
  "<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId>" \
  "</ErrorResponse>"

typedef struct
{
  GkTestServer *server;
  char *base;
  guint requests;
  guint throttle_count;
  GHashTable *form;        /* the last request's parameters */
  char *authorization;     /* the last request's Authorization header */
  char *expected_signature; /* what SigV4 says it must be, recomputed here */
  char *security_token;
  guint refuse_status;      /* answer with this error instead of credentials */
  const char *refuse_code;
  const char *refuse_message;
  const char *answer;       /* answer with this instead of credentials */
} Fixture;

/* Recomputes the signature of a signed request from what arrived, with the
 * pure SigV4 stages, as STS would: the client must send what it signed. */
static char *
recompute_signature (SoupServerMessage *msg,
                     GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *date = soup_message_headers_get_one (headers, "x-amz-date");
  const char *token = soup_message_headers_get_one (headers, "x-amz-security-token");
  g_autofree char *host = g_strdup (soup_message_headers_get_one (headers, "Host"));
  g_autofree char *payload = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_autofree char *short_date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signed_headers = NULL;
  GkSigv4Pair pairs[5];
  gsize n = 0;
  guint8 key[32];
  char hex[65];

  g_assert_nonnull (auth);
  g_assert_nonnull (date);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-amz-content-sha256"), ==, payload);
  pairs[n++] = (GkSigv4Pair) { "host", host };
  pairs[n++] = (GkSigv4Pair) { "content-type", soup_message_headers_get_one (headers, "Content-Type") };
  pairs[n++] = (GkSigv4Pair) { "x-amz-content-sha256", payload };
  pairs[n++] = (GkSigv4Pair) { "x-amz-date", date };
  if (token != NULL)
    pairs[n++] = (GkSigv4Pair) { "x-amz-security-token", token };

  short_date = g_strndup (date, 8);
  scope = gk_sigv4_scope (short_date, "eu-west-2", "sts");
  canonical = gk_sigv4_canonical_request ("POST", "/", NULL, 0, pairs, n, payload, &signed_headers);
  string_to_sign = gk_sigv4_string_to_sign (date, scope, canonical);
  gk_sigv4_derive_signing_key ("caller-secret", short_date, "eu-west-2", "sts", key);
  gk_sigv4_signature (key, string_to_sign, hex);

  return g_strdup_printf ("AWS4-HMAC-SHA256 Credential=ASIACALLER/%s, SignedHeaders=%s, Signature=%s",
                          scope, signed_headers, hex);
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
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  f->requests++;
  g_clear_pointer (&f->form, g_hash_table_unref);
  f->form = soup_form_decode (text);
  g_clear_pointer (&f->authorization, g_free);
  g_clear_pointer (&f->expected_signature, g_free);
  g_clear_pointer (&f->security_token, g_free);
  f->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  f->security_token = g_strdup (soup_message_headers_get_one (headers, "x-amz-security-token"));
  if (f->authorization != NULL)
    f->expected_signature = recompute_signature (msg, body);

  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL),
                                   "application/x-www-form-urlencoded"));

  if (f->throttle_count > 0)
    {
      f->throttle_count--;
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_STATIC, STS_THROTTLED,
                                        strlen (STS_THROTTLED));
      return;
    }

  if (f->refuse_status != 0)
    {
      g_autofree char *xml = g_strdup_printf (
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
        "<Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"
        "<RequestId>r</RequestId></ErrorResponse>", f->refuse_code, f->refuse_message);

      soup_server_message_set_status (msg, f->refuse_status, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, xml, strlen (xml));
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_STATIC,
                                    f->answer != NULL ? f->answer : STS_ANSWER,
                                    strlen (f->answer != NULL ? f->answer : STS_ANSWER));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{

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
  g_clear_pointer (&f->form, g_hash_table_unref);
  g_free (f->authorization);
  g_free (f->expected_signature);
  g_free (f->security_token);
}

static GkCredentials *
assume_web (GkStsClient  *client,
            const char   *user,
            guint         duration,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_sts_client_assume_role_with_web_identity_async (client, ROLE_ARN, user, WEB_TOKEN, duration,
                                                     NULL, gk_test_store_result_cb, &result);
  gk_test_wait_until (result != NULL);
  return gk_sts_client_assume_role_with_web_identity_finish (client, result, error);
}

static void
test_web_identity_form (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GkStsClient) client = gk_sts_client_new (f->base, "eu-west-2");
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  creds = assume_web (client, "Ana María <ana@lab.org>", 100000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIASTS");
  g_assert_cmpstr (gk_credentials_get_secret_access_key (creds), ==, "sts-secret");
  g_assert_cmpstr (gk_credentials_get_session_token (creds), ==, "sts-token");
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, 1893553445);

  g_assert_cmpstr (g_hash_table_lookup (f->form, "Action"), ==, "AssumeRoleWithWebIdentity");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "Version"), ==, "2011-06-15");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "RoleArn"), ==, ROLE_ARN);
  g_assert_cmpstr (g_hash_table_lookup (f->form, "RoleSessionName"), ==, "Ana_Mar_a__ana@lab.org_");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "DurationSeconds"), ==, "43200");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "WebIdentityToken"), ==, WEB_TOKEN);
  g_assert_cmpuint (g_hash_table_size (f->form), ==, 6);
  /* the token is the proof: no signature */
  g_assert_null (f->authorization);
}

static void
test_signed_call (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GkStsClient) client = gk_sts_client_new (f->base, "eu-west-2");
  g_autoptr(GkCredentials) caller = gk_credentials_new ("ASIACALLER", "caller-secret",
                                                        "caller-token", G_MAXINT64 / 2);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const GkSigv4Pair params[] = {
    { "RoleArn", ROLE_ARN },
    { "RoleSessionName", "nightly run" },
    { "Tags.member.1.Key", "project" },
    { "Tags.member.1.Value", "a&b=c ü" },
  };

  /* the generic call an action such as AssumeRole is built on: the form
   * carries the parameters exactly, and the request is signed for sts in
   * the client's region with the caller's session token */
  gk_sts_client_request_credentials_async (client, "AssumeRole", params, G_N_ELEMENTS (params),
                                           caller, NULL, gk_test_store_result_cb, &result);
  gk_test_wait_until (result != NULL);
  creds = gk_sts_client_request_credentials_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);

  g_assert_cmpstr (g_hash_table_lookup (f->form, "Action"), ==, "AssumeRole");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "RoleSessionName"), ==, "nightly run");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "Tags.member.1.Value"), ==, "a&b=c ü");
  g_assert_cmpstr (f->security_token, ==, "caller-token");
  g_assert_nonnull (f->authorization);
  g_assert_cmpstr (f->authorization, ==, f->expected_signature);
  g_assert_nonnull (strstr (f->authorization, "/eu-west-2/sts/aws4_request"));
}

#define CALLER_ANSWER \
  "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">" \
  "<GetCallerIdentityResult>" \
  "<Arn>arn:aws:sts::123456789012:assumed-role/Cognito_LabAuth_Role/CognitoIdentityCredentials</Arn>" \
  "<UserId>AROAEXAMPLE:CognitoIdentityCredentials</UserId><Account>123456789012</Account>" \
  "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>" \
  "</GetCallerIdentityResponse>"

/* Which role an identity pool's credentials are: signed with them, as STS
 * recomputes it, and read from the answer's Arn. */
static void
test_caller_identity (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GkStsClient) client = gk_sts_client_new (f->base, "eu-west-2");
  g_autoptr(GkCredentials) caller = gk_credentials_new ("ASIACALLER", "caller-secret",
                                                        "caller-token", G_MAXINT64 / 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *arn = NULL;

  f->answer = CALLER_ANSWER;
  gk_sts_client_get_caller_identity_async (client, caller, NULL, gk_test_store_result_cb, &result);
  arn = gk_sts_client_get_caller_identity_finish (client, gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (arn, ==, "arn:aws:sts::123456789012:assumed-role/Cognito_LabAuth_Role/CognitoIdentityCredentials");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "Action"), ==, "GetCallerIdentity");
  g_assert_cmpuint (g_hash_table_size (f->form), ==, 2);
  g_assert_cmpstr (f->security_token, ==, "caller-token");
  g_assert_cmpstr (f->authorization, ==, f->expected_signature);
}

static void
test_caller_identity_answers (void)
{
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) refused = NULL;
  g_autofree char *none = NULL;
  g_autofree char *denied = NULL;

  none = gk_sts_parse_caller_identity (STS_ANSWER, -1, 200, &missing);
  g_assert_null (none);
  g_assert_error (missing, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE);
  denied = gk_sts_parse_caller_identity (STS_THROTTLED, -1, 400, &refused);
  g_assert_null (denied);
  g_assert_error (refused, GK_STS_ERROR, GK_STS_ERROR_THROTTLED);
}

static void
test_throttling_retried (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GkStsClient) client = gk_sts_client_new (f->base, "eu-west-2");
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  gk_sts_client_set_retry (client, 3, 5);
  f->throttle_count = 2;
  creds = assume_web (client, "ana", 3600, &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);
  g_assert_cmpuint (f->requests, ==, 3);

  g_clear_pointer (&creds, gk_credentials_unref);
  f->requests = 0;
  f->throttle_count = 100;
  creds = assume_web (client, "ana", 3600, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_THROTTLED);
  g_assert_cmpuint (f->requests, ==, 3);
}

static void
test_no_endpoint (void)
{
  g_autoptr(GkStsClient) client = gk_sts_client_new (NULL, "eu-west-2");
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  creds = assume_web (client, "ana", 3600, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "sts_endpoint"));
}

static void
test_unreachable (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GkStsClient) client = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* a loopback port that is bound but never listens refuses connections */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  client = gk_sts_client_new (url, "eu-west-2");
  gk_sts_client_set_retry (client, 2, 5);
  creds = assume_web (client, "ana", 3600, &error);
  g_assert_null (creds);
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "sts_endpoint"));
}

static void
test_session_name (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "ana@lab.org", "ana@lab.org" },
    { "a+b=c,d.e@f-g_h", "a+b=c,d.e@f-g_h" },
    { "Ana María", "Ana_Mar_a" },
    { "x", "genokey-x" },
    { "", "genokey-" },
    { NULL, "genokey-" },
    { "a b/c:d", "a_b_c_d" },
  };
  g_autofree char *long_name = g_strnfill (100, 'z');
  g_autofree char *cut = gk_sts_sanitize_session_name (long_name);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = gk_sts_sanitize_session_name (cases[i].in);

      g_assert_cmpstr (s, ==, cases[i].out);
      g_assert_true (g_regex_match_simple ("^[\\w+=,.@-]{2,64}$", s, 0, 0));
    }
  g_assert_cmpuint (strlen (cut), ==, 64);
}

static void
test_duration_clamped (void)
{
  g_assert_cmpuint (gk_sts_clamp_duration (60), ==, 900);
  g_assert_cmpuint (gk_sts_clamp_duration (3600), ==, 3600);
  g_assert_cmpuint (gk_sts_clamp_duration (100000), ==, 43200);
}

static void
test_error_response (void)
{
  const char *xml =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
    "<Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>"
    "</Error><RequestId>x</RequestId></ErrorResponse>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) creds = gk_sts_parse_credentials_response (xml, -1, 403, &error);

  g_assert_null (creds);
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "sts:AssumeRoleWithWebIdentity"));
}

static void
test_entities_refused (void)
{
  const char *xml =
    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
    "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
    "<AccessKeyId>&x;</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
    "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
    "</AssumeRoleWithWebIdentityResponse>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) creds = gk_sts_parse_credentials_response (xml, -1, 200, &error);

  g_assert_null (creds);
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE);
}

static void
test_incomplete (void)
{
  const char *xml =
    "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
    "<AccessKeyId>A</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
    "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
    "</AssumeRoleWithWebIdentityResponse>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) creds = gk_sts_parse_credentials_response (xml, -1, 200, &error);

  g_assert_null (creds);
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE);
}

/* Found by fuzzing: a line break or other control character in a part of
 * the credentials was accepted; libsoup then refuses the header with a
 * critical and sends the request without it. Whitespace-only parts were
 * accepted as empty ones. */
static void
test_control_characters_refused (void)
{
  const char *tokens[] = { "FwoGZXIvY\x1e", "tok\nen", "tok\ren", "tok\177en", " \n\t " };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autofree char *xml = g_strdup_printf (
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
        "<AccessKeyId>A</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>%s</SessionToken>"
        "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
        "</AssumeRoleWithWebIdentityResponse>", tokens[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkCredentials) creds = gk_sts_parse_credentials_response (xml, -1, 200, &error);

      g_assert_null (creds);
      g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE);
    }
}

/* Found by fuzzing: an expiry before 1970 reached gk_credentials_new(),
 * whose check failed with a critical, and the parse returned nothing
 * without an error. The epoch itself would mean "never expires". */
static void
test_impossible_expiry_refused (void)
{
  const char *expiries[] = { "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z" };

  for (guint i = 0; i < G_N_ELEMENTS (expiries); i++)
    {
      g_autofree char *xml = g_strdup_printf (
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
        "<AccessKeyId>A</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
        "<Expiration>%s</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
        "</AssumeRoleWithWebIdentityResponse>", expiries[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkCredentials) creds = gk_sts_parse_credentials_response (xml, -1, 200, &error);

      g_assert_null (creds);
      g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "expiry"));
    }
}

/* One row per case of the table: the codes of STS's service model and of
 * the query API's common errors, with the messages AWS words them with. */
typedef struct
{
  guint status;
  const char *code;
  const char *message;
  int expected;
  const char *says;
} MappingCase;

static const MappingCase mapping_cases[] = {
  { 403, "AccessDenied", "User: arn:aws:sts::1:assumed-role/a/b is not authorized to perform: sts:AssumeRole on resource: " ROLE_ARN,
    GK_STS_ERROR_ACCESS_DENIED, ROLE_ARN },
  { 400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
    GK_STS_ERROR_INVALID_IDENTITY_TOKEN, "not a valid JWT" },
  { 400, "ExpiredTokenException", "Token expired: current date/time 1 must be before the expiration date/time 0",
    GK_STS_ERROR_EXPIRED_TOKEN, "clock" },
  { 403, "IDPRejectedClaim", "Incorrect token audience", GK_STS_ERROR_IDP_REJECTED, "Incorrect token audience" },
  { 400, "IDPCommunicationError", NULL, GK_STS_ERROR_UNAVAILABLE, "minute" },
  { 400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    GK_STS_ERROR_INVALID_PARAMETER, "MaxSessionDuration" },
  { 400, "MalformedPolicyDocument", "Syntax errors in policy.", GK_STS_ERROR_POLICY, "Syntax errors" },
  { 400, "PackedPolicyTooLarge", "Session tags packed size exceeds limit", GK_STS_ERROR_POLICY, "session tags" },
  { 403, "RegionDisabledException", NULL, GK_STS_ERROR_REGION_DISABLED, "region" },
  { 403, "InvalidClientTokenId", "The security token included in the request is invalid.",
    GK_STS_ERROR_ACCESS_DENIED, "access key" },
  { 403, "SignatureDoesNotMatch", NULL, GK_STS_ERROR_ACCESS_DENIED, "secret key" },
  { 400, "RequestExpired", NULL, GK_STS_ERROR_ACCESS_DENIED, "clock" },
  { 400, "ExpiredToken", "The security token included in the request is expired",
    GK_STS_ERROR_EXPIRED_TOKEN, "expired" },
  { 400, "Throttling", "Rate exceeded", GK_STS_ERROR_THROTTLED, "minute" },
  { 400, "ThrottlingException", NULL, GK_STS_ERROR_THROTTLED, "minute" },
  { 500, "InternalFailure", NULL, GK_STS_ERROR_UNAVAILABLE, "InternalFailure" },
  { 503, "ServiceUnavailable", NULL, GK_STS_ERROR_UNAVAILABLE, "ServiceUnavailable" },
  { 400, "SomethingNew", "A new kind of refusal.", GK_STS_ERROR_FAILED, "A new kind of refusal." },
  { 503, NULL, NULL, GK_STS_ERROR_UNAVAILABLE, "503" },
  { 429, NULL, NULL, GK_STS_ERROR_THROTTLED, "minute" },
  { 404, NULL, NULL, GK_STS_ERROR_INVALID_RESPONSE, "sts_endpoint" },
};

static void
test_error_mapping (gconstpointer data)
{
  const MappingCase *c = data;
  g_autoptr(GError) error = gk_sts_error_from_aws (c->status, c->code, c->message);

  g_assert_error (error, GK_STS_ERROR, c->expected);
  g_assert_nonnull (strstr (error->message, c->says));
  g_assert_null (strstr (error->message, "{"));
  g_assert_null (strstr (error->message, "--"));
  g_assert_cmpint (gk_sts_error_is_retryable (error), ==,
                   c->expected == GK_STS_ERROR_THROTTLED || c->expected == GK_STS_ERROR_UNAVAILABLE);
}

/* ---- AssumeRole ---------------------------------------------------------- */

static const char * const partner_tags[] = { "lab", "genomics", "project", "a&b=c ü", NULL };

static void
test_assume_role_params (void)
{
  const GkStsAssumeRoleRequest request = {
    .role_arn = ROLE_ARN,
    .role_session_name = "Ana María",
    .external_id = "seqera-7f3a",
    .duration_seconds = 100000,
    .tags = partner_tags,
    .source_identity = "ana@lab.org",
  };
  const char *expected[] = {
    "RoleArn", ROLE_ARN,
    "RoleSessionName", "Ana_Mar_a",
    "DurationSeconds", "43200",
    "ExternalId", "seqera-7f3a",
    "SourceIdentity", "ana@lab.org",
    "Tags.member.1.Key", "lab",
    "Tags.member.1.Value", "genomics",
    "Tags.member.2.Key", "project",
    "Tags.member.2.Value", "a&b=c ü",
  };
  g_autoptr(GPtrArray) params = gk_sts_assume_role_params (&request);

  /* every parameter STS documents, in its order, the session name made
   * acceptable and the duration clamped, the tags numbered from 1 */
  g_assert_cmpuint (params->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < params->len; i++)
    g_assert_cmpstr (params->pdata[i], ==, expected[i]);
}

static void
test_assume_role_params_optional_left_out (void)
{
  const GkStsAssumeRoleRequest request = { .role_arn = ROLE_ARN, .role_session_name = "ana" };
  g_autoptr(GPtrArray) params = gk_sts_assume_role_params (&request);

  /* no duration: STS's own one-hour default; no external ID, source
   * identity or tags sent empty */
  g_assert_cmpuint (params->len, ==, 4);
  g_assert_cmpstr (params->pdata[0], ==, "RoleArn");
  g_assert_cmpstr (params->pdata[2], ==, "RoleSessionName");
  g_assert_cmpstr (params->pdata[3], ==, "ana");
}

static void
test_assume_role_answer_parsed (void)
{
  /* AssumeRole's own answer, as STS writes it: the assumed-role user, the
   * packed policy size of session tags and the source identity around the
   * credentials, which alone are read */
  const char *xml =
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <AssumeRoleResult>\n"
    "    <SourceIdentity>ana@lab.org</SourceIdentity>\n"
    "    <AssumedRoleUser>\n"
    "      <Arn>arn:aws:sts::123456789012:assumed-role/SeqeraAccess/ana-lab</Arn>\n"
    "      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:ana-lab</AssumedRoleId>\n"
    "    </AssumedRoleUser>\n"
    "    <Credentials>\n"
    "      <SessionToken>role-token</SessionToken>\n"
    "      <SecretAccessKey>role-secret</SecretAccessKey>\n"
    "      <Expiration>2030-01-02T03:04:05Z</Expiration>\n"
    "      <AccessKeyId>ASIAROLE</AccessKeyId>\n"
    "    </Credentials>\n"
    "    <PackedPolicySize>9</PackedPolicySize>\n"
    "  </AssumeRoleResult>\n"
    "  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\n"
    "</AssumeRoleResponse>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) creds = gk_sts_parse_credentials_response (xml, -1, 200, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIAROLE");
  g_assert_cmpstr (gk_credentials_get_secret_access_key (creds), ==, "role-secret");
  g_assert_cmpstr (gk_credentials_get_session_token (creds), ==, "role-token");
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, 1893553445);
}

static GkCredentials *
assume_role (GkStsClient                  *client,
             const GkStsAssumeRoleRequest *request,
             GError                      **error)
{
  g_autoptr(GkCredentials) caller = gk_credentials_new ("ASIACALLER", "caller-secret",
                                                        "caller-token", G_MAXINT64 / 2);
  g_autoptr(GAsyncResult) result = NULL;

  gk_sts_client_assume_role_async (client, request, caller, NULL, gk_test_store_result_cb, &result);
  return gk_sts_client_assume_role_finish (client, gk_test_wait_for_result (&result), error);
}

static void
test_assume_role_signed (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GkStsClient) client = gk_sts_client_new (f->base, "eu-west-2");
  const GkStsAssumeRoleRequest request = {
    .role_arn = ROLE_ARN,
    .role_session_name = "ana-lab",
    .external_id = "seqera-7f3a",
    .duration_seconds = 900,
    .tags = partner_tags,
  };
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  creds = assume_role (client, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIASTS");
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, 1893553445);

  g_assert_cmpstr (g_hash_table_lookup (f->form, "Action"), ==, "AssumeRole");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "Version"), ==, "2011-06-15");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "RoleArn"), ==, ROLE_ARN);
  g_assert_cmpstr (g_hash_table_lookup (f->form, "ExternalId"), ==, "seqera-7f3a");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "DurationSeconds"), ==, "900");
  g_assert_cmpstr (g_hash_table_lookup (f->form, "Tags.member.2.Value"), ==, "a&b=c ü");
  /* signed with the caller's credentials, as STS recomputes it */
  g_assert_cmpstr (f->security_token, ==, "caller-token");
  g_assert_cmpstr (f->authorization, ==, f->expected_signature);
}

static void
test_assume_role_wrong_external_id (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GkStsClient) client = gk_sts_client_new (f->base, "eu-west-2");
  const GkStsAssumeRoleRequest request = {
    .role_arn = ROLE_ARN,
    .role_session_name = "ana",
    .external_id = "seqera-wrong",
    .caller = "access key of profile “partner”",
  };
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  f->refuse_status = 403;
  f->refuse_code = "AccessDenied";
  f->refuse_message = "User: arn:aws:iam::123456789012:user/ana is not authorized to perform: "
                      "sts:AssumeRole on resource: " ROLE_ARN;
  creds = assume_role (client, &request, &error);
  g_assert_null (creds);
  /* AWS says the same for a wrong external ID and an untrusted caller:
   * both are named, the external ID first, with AWS's own words */
  g_assert_error (error, GK_STS_ERROR, GK_STS_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "Check the external ID “seqera-wrong”"));
  g_assert_nonnull (strstr (error->message, "does not trust access key of profile “partner”"));
  g_assert_nonnull (strstr (error->message, "is not authorized to perform: sts:AssumeRole"));
  /* a refusal is never tried again */
  g_assert_cmpuint (f->requests, ==, 1);
}

typedef struct
{
  guint operation;
  guint status;
  const char *code;
  const char *message;
  int expected;
  const char *says;
} AssumeRoleCase;

static const AssumeRoleCase assume_role_cases[] = {
  { GK_STS_OPERATION_ASSUME_ROLE, 400, "ValidationError",
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    GK_STS_ERROR_DURATION_TOO_LONG, "allows shorter sessions than the 7200 seconds" },
  { GK_STS_OPERATION_ASSUME_ROLE_EXTERNAL_ID, 400, "ValidationError",
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    GK_STS_ERROR_DURATION_TOO_LONG, "at most one hour" },
  { GK_STS_OPERATION_ASSUME_ROLE, 403, "AccessDenied",
    "User: x is not authorized to perform: sts:AssumeRole on resource: " ROLE_ARN,
    GK_STS_ERROR_ACCESS_DENIED, "requires an external ID" },
  { GK_STS_OPERATION_ASSUME_ROLE, 403, "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    GK_STS_ERROR_ACCESS_DENIED, "access key of the caller" },
  { GK_STS_OPERATION_ASSUME_ROLE, 403, "SignatureDoesNotMatch", NULL,
    GK_STS_ERROR_ACCESS_DENIED, "secret does not belong" },
  { GK_STS_OPERATION_ASSUME_ROLE, 400, "ExpiredToken", NULL,
    GK_STS_ERROR_EXPIRED_TOKEN, "the caller, which assume the role" },
  /* the duration rows are AssumeRole's: web identity keeps the general row */
  { GK_STS_OPERATION_WEB_IDENTITY, 400, "ValidationError",
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    GK_STS_ERROR_INVALID_PARAMETER, "MaxSessionDuration" },
  { GK_STS_OPERATION_ASSUME_ROLE, 400, "Throttling", "Rate exceeded",
    GK_STS_ERROR_THROTTLED, "minute" },
};

static void
test_assume_role_error_mapping (gconstpointer data)
{
  const AssumeRoleCase *c = data;
  const GkStsAssumeRoleRequest request = {
    .role_arn = ROLE_ARN,
    .duration_seconds = 7200,
    .caller = "the caller",
  };
  g_auto(GStrv) fields = gk_sts_assume_role_error_fields (&request);
  g_autoptr(GError) error = gk_sts_error_from_aws_for (c->status, c->code, c->message,
                                                       c->operation, (const char * const *) fields);

  g_assert_error (error, GK_STS_ERROR, c->expected);
  g_assert_nonnull (strstr (error->message, c->says));
  /* every field the words name was filled in */
  g_assert_null (strstr (error->message, "{"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sts/session-name/sanitised", test_session_name);
  g_test_add_func ("/sts/duration/clamped", test_duration_clamped);
  g_test_add_func ("/sts/answer/error-response-mapped", test_error_response);
  g_test_add_func ("/sts/answer/entities-refused", test_entities_refused);
  g_test_add_func ("/sts/answer/incomplete-credentials-refused", test_incomplete);
  g_test_add_func ("/sts/answer/control-characters-refused", test_control_characters_refused);
  g_test_add_func ("/sts/answer/impossible-expiry-refused", test_impossible_expiry_refused);
  g_test_add_func ("/sts/answer/caller-identity-needs-an-arn", test_caller_identity_answers);
  g_test_add ("/sts/call/caller-identity-signed-and-read", Fixture, NULL,
              fixture_setup, test_caller_identity, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (mapping_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sts/errors/table/%u-%s", i,
                                               mapping_cases[i].code ? mapping_cases[i].code : "no-code");

      g_test_add_data_func (path, &mapping_cases[i], test_error_mapping);
    }
  g_test_add ("/sts/web-identity/sends-the-form-unsigned", Fixture, NULL,
              fixture_setup, test_web_identity_form, fixture_teardown);
  g_test_add ("/sts/call/signed-with-the-callers-credentials", Fixture, NULL,
              fixture_setup, test_signed_call, fixture_teardown);
  g_test_add ("/sts/call/throttling-retried-then-bounded", Fixture, NULL,
              fixture_setup, test_throttling_retried, fixture_teardown);
  g_test_add_func ("/sts/call/no-endpoint-says-which-key", test_no_endpoint);
  g_test_add_func ("/sts/assume-role/params-in-stss-order", test_assume_role_params);
  g_test_add_func ("/sts/assume-role/params-optional-left-out", test_assume_role_params_optional_left_out);
  g_test_add_func ("/sts/assume-role/answer-parsed", test_assume_role_answer_parsed);
  g_test_add ("/sts/assume-role/signed-with-the-callers-credentials", Fixture, NULL,
              fixture_setup, test_assume_role_signed, fixture_teardown);
  g_test_add ("/sts/assume-role/wrong-external-id-named", Fixture, NULL,
              fixture_setup, test_assume_role_wrong_external_id, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (assume_role_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sts/assume-role/errors/%u-%s", i,
                                               assume_role_cases[i].code);

      g_test_add_data_func (path, &assume_role_cases[i], test_assume_role_error_mapping);
    }
  g_test_add_func ("/sts/call/unreachable-says-so", test_unreachable);

  return g_test_run ();
}
