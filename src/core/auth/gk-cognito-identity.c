/* gk-cognito-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-aws-call.h"
#include "gk-aws-error.h"
#include "gk-cognito-identity-private.h"
#include "gk-json.h"
#include "gk-secret.h"
#include "gk-sts.h"

/* Answers from the identity pool are small; anything bigger is not its. */
#define MAX_RESPONSE_SIZE (256 * 1024)

struct _GkCognitoIdentityClient
{
  GObject parent_instance;

  GkProfile *profile;
  SoupSession *session;
  GkStsClient *sts;
  GkAwsRetryPolicy retry;
};

G_DEFINE_FINAL_TYPE (GkCognitoIdentityClient, gk_cognito_identity_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-cognito-identity-error-quark, gk_cognito_identity_error)

/* ------------------------------------------------------------------------
 * Errors
 *
 * The codes are those of the identity pool's service model (botocore's
 * data/cognito-identity/2014-06-30/service-2.json), by call. Where one
 * code needs two different fixes, the row names AWS's own wording:
 * - NotAuthorizedException "Invalid login token. Token expired: A >= B"
 *   for an ID token that expired on the way (every other NotAuthorized
 *   means the pool does not trust the user pool or app client);
 * - GetOpenIdToken's InvalidParameterException "Basic (classic) flow is
 *   not enabled, please use enhanced flow." when AllowClassicFlow is off,
 *   and "Basic (classic) flow is not supported with RoleMappings, please
 *   use enhanced flow." (aws/aws-cli#7652, aws-amplify/amplify-js#9704,
 *   aws-observability/aws-rum-web#172).
 * ResourceNotFoundException needs no wording: GetId names only the pool,
 * the later calls name the identity (and when it is the pool that is gone,
 * the GetId that follows a lost identity says so).
 * ------------------------------------------------------------------------ */

#define OP_GET_ID              GK_COGNITO_IDENTITY_OP_GET_ID
#define OP_GET_OPEN_ID_TOKEN   GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN
#define OP_USING_IDENTITY      (GK_COGNITO_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY | \
                                GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN)

static const GkAwsErrorRow cognito_identity_errors[] = {
  { "NotAuthorizedException", "Invalid login token. Token expired", 0,
    GK_COGNITO_IDENTITY_ERROR_TOKEN_EXPIRED,
    N_("The sign-in expired before AWS credentials were issued. Sign in again; if this keeps "
       "happening, check that the computer’s clock is right.") },
  { "NotAuthorizedException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED,
    N_("The identity pool does not accept sign-ins from this user pool (AWS said: "
       "“{aws_message}”). Check aws_cognito_fed_pool_id and the pool’s authentication "
       "providers.") },
  { "ResourceNotFoundException", NULL, OP_GET_ID, GK_COGNITO_IDENTITY_ERROR_POOL_NOT_FOUND,
    N_("The identity pool in aws_cognito_fed_pool_id does not exist. Check the id and "
       "aws_region in the profile.") },
  { "ResourceNotFoundException", NULL, OP_USING_IDENTITY,
    GK_COGNITO_IDENTITY_ERROR_IDENTITY_NOT_FOUND,
    N_("The identity pool no longer knows this identity. Sign in again.") },
  { "InvalidParameterException", "Basic (classic) flow is not", OP_GET_OPEN_ID_TOKEN,
    GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED,
    N_("The identity pool does not allow the basic (classic) flow (AWS said: “{aws_message}”), "
       "so the role in aws_cognito_role_arn cannot be used. Ask the lab admin to enable the "
       "basic (classic) flow on the identity pool, or remove aws_cognito_role_arn from the "
       "profile to use the enhanced flow.") },
  { "InvalidParameterException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_FAILED,
    N_("The identity pool refused the request (AWS said: “{aws_message}”). Check "
       "aws_cognito_fed_pool_id and aws_region in the profile.") },
  { "InvalidIdentityPoolConfigurationException", NULL, 0,
    GK_COGNITO_IDENTITY_ERROR_POOL_CONFIGURATION,
    N_("The identity pool has no usable role for signed-in users. Ask the lab admin to check "
       "the identity pool’s authenticated role and its trust policy.") },
  { "ResourceConflictException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_POOL_CONFIGURATION,
    N_("The identity pool links this sign-in to another identity (AWS said: "
       "“{aws_message}”). Ask the lab admin to check the identity pool.") },
  { "TooManyRequestsException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_THROTTLED,
    N_("AWS is throttling sign-in requests for this identity pool. Try again in a minute.") },
  { "LimitExceededException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_THROTTLED,
    N_("AWS is throttling sign-in requests for this identity pool. Try again in a minute.") },
  { "ThrottlingException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_THROTTLED,
    N_("AWS is throttling sign-in requests for this identity pool. Try again in a minute.") },
  { "InternalErrorException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE,
    N_("The AWS identity service had a temporary problem ({code}). Try again in a minute.") },
  { "ExternalServiceException", NULL, 0, GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE,
    N_("The AWS identity service had a temporary problem ({code}). Try again in a minute.") },
  { "InternalFailure", NULL, 0, GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE,
    N_("The AWS identity service had a temporary problem ({code}). Try again in a minute.") },
  { "ServiceUnavailable", NULL, 0, GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE,
    N_("The AWS identity service had a temporary problem ({code}). Try again in a minute.") },
};

static const GkAwsErrorRow cognito_identity_unknown_error =
  { "", NULL, 0, GK_COGNITO_IDENTITY_ERROR_FAILED,
    N_("The identity pool refused the request ({code}: {aws_message}). Check the identity "
       "pool settings in the profile.") };

static const GkAwsErrorRow cognito_identity_no_code_unavailable =
  { "", NULL, 0, GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE,
    N_("The AWS identity service is not answering properly (HTTP {status}). Try again in a "
       "minute.") };

static const GkAwsErrorRow cognito_identity_no_code_throttled =
  { "", NULL, 0, GK_COGNITO_IDENTITY_ERROR_THROTTLED,
    N_("AWS is throttling sign-in requests for this identity pool. Try again in a minute.") };

static const GkAwsErrorRow cognito_identity_no_code_invalid =
  { "", NULL, 0, GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE,
    N_("The AWS identity service answered HTTP {status} without an error code. Check "
       "cognito_identity_endpoint in the profile.") };

/**
 * gk_cognito_identity_error_from_aws:
 * @op: the call that failed
 * @http_status: its HTTP status
 * @code: (nullable): the AWS error code (`__type` or `x-amzn-ErrorType`)
 * @message: (nullable): the AWS error message
 *
 * AWS's error messages carry no tokens, so they may be quoted.
 *
 * Returns: (transfer full): a #GK_COGNITO_IDENTITY_ERROR that says what to change
 */
GError *
gk_cognito_identity_error_from_aws (GkCognitoIdentityOp  op,
                                    guint                http_status,
                                    const char          *code,
                                    const char          *message)
{
  static const GkAwsErrorFallbacks fallbacks = {
    &cognito_identity_unknown_error, &cognito_identity_no_code_throttled,
    &cognito_identity_no_code_unavailable, &cognito_identity_no_code_invalid,
  };

  return gk_aws_error_from_answer (GK_COGNITO_IDENTITY_ERROR, cognito_identity_errors,
                                   G_N_ELEMENTS (cognito_identity_errors), &fallbacks, op,
                                   http_status, code, message, NULL);
}

/**
 * gk_cognito_identity_error_is_retryable:
 *
 * Returns: %TRUE for throttling and temporary service trouble. Refusals
 *   (NotAuthorized and friends) are never retried.
 */
gboolean
gk_cognito_identity_error_is_retryable (const GError *error)
{
  return error != NULL && error->domain == GK_COGNITO_IDENTITY_ERROR &&
         (error->code == GK_COGNITO_IDENTITY_ERROR_THROTTLED ||
          error->code == GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE);
}

/* What STS's refusal of the basic flow's role means for the profile: STS
 * knows roles, not which profile key the role came from. */
static const struct
{
  GkStsError code;
  const char *hint;
} sts_hints[] = {
  { GK_STS_ERROR_ACCESS_DENIED,
    N_("Check aws_cognito_role_arn in the profile, and that the role’s trust policy allows "
       "this identity pool.") },
  { GK_STS_ERROR_INVALID_IDENTITY_TOKEN,
    N_("Check that the role in aws_cognito_role_arn trusts cognito-identity.amazonaws.com.") },
  { GK_STS_ERROR_INVALID_PARAMETER,
    N_("Check aws_cognito_role_arn in the profile, and that duration_seconds is at most the "
       "role’s maximum session duration (900–43200).") },
  { GK_STS_ERROR_POLICY,
    N_("Ask the lab admin to check the role in aws_cognito_role_arn.") },
  { GK_STS_ERROR_REGION_DISABLED,
    N_("Check aws_region and sts_endpoint in the profile.") },
};

/**
 * gk_cognito_identity_explain_sts_error:
 * @sts_error: an error of the basic flow's AssumeRoleWithWebIdentity
 *
 * Returns: (transfer full): the same error (domain and code kept), with
 *   the profile keys to check added where STS's refusal points at them
 */
GError *
gk_cognito_identity_explain_sts_error (const GError *sts_error)
{
  g_return_val_if_fail (sts_error != NULL, NULL);

  if (sts_error->domain == GK_STS_ERROR)
    for (guint i = 0; i < G_N_ELEMENTS (sts_hints); i++)
      if (sts_hints[i].code == (GkStsError) sts_error->code)
        return g_error_new (sts_error->domain, sts_error->code, "%s %s",
                            sts_error->message, _(sts_hints[i].hint));

  return g_error_copy (sts_error);
}

/* ------------------------------------------------------------------------
 * Answers
 * ------------------------------------------------------------------------ */

static JsonObject *
parse_json_object (const char  *json,
                   gssize       length,
                   JsonParser **out_parser)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (length < 0)
    length = strlen (json);
  if ((gsize) length > MAX_RESPONSE_SIZE || !gk_json_parser_load (parser, json, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * gk_cognito_identity_parse_credentials:
 * @json: the body of a GetCredentialsForIdentity answer
 * @out_identity_id: (out) (optional): the identity id it names
 *
 * Returns: (transfer full): the credentials, or %NULL with an error
 */
GkCredentials *
gk_cognito_identity_parse_credentials (const char  *json,
                                       gssize       length,
                                       char       **out_identity_id,
                                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = parse_json_object (json, length, &parser);
  JsonObject *creds = NULL;
  JsonNode *expiry;
  const char *key_id, *secret, *token;
  double expiration;

  if (object != NULL && json_object_has_member (object, "Credentials") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "Credentials")))
    creds = json_object_get_object_member (object, "Credentials");

  key_id = object_get_string (creds, "AccessKeyId");
  secret = object_get_string (creds, "SecretKey");
  token = object_get_string (creds, "SessionToken");
  expiry = creds ? json_object_get_member (creds, "Expiration") : NULL;

  if (!gk_credentials_part_is_valid (key_id) || !gk_credentials_part_is_valid (secret) ||
      !gk_credentials_part_is_valid (token) || expiry == NULL || !JSON_NODE_HOLDS_VALUE (expiry) ||
      (json_node_get_value_type (expiry) != G_TYPE_DOUBLE &&
       json_node_get_value_type (expiry) != G_TYPE_INT64))
    {
      g_set_error_literal (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("The identity pool answered without complete credentials. Check "
                     "cognito_identity_endpoint in the profile."));
      return NULL;
    }

  /* Cognito sends the expiry as Unix seconds, usually with a fraction;
   * what counts is the whole second it becomes, so 0.5 is as impossible as
   * 0 (which GkCredentials takes as "never expires", so they would never
   * be renewed). */
  expiration = json_node_get_double (expiry);
  if (!(expiration >= 1 && expiration <= 1e11))
    {
      g_set_error_literal (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("The identity pool answered with an impossible expiry time. Check "
                     "cognito_identity_endpoint in the profile."));
      return NULL;
    }

  if (out_identity_id != NULL)
    *out_identity_id = g_strdup (object_get_string (object, "IdentityId"));

  return gk_credentials_new (key_id, secret, token, (gint64) expiration);
}

/**
 * gk_cognito_identity_parse_failure:
 * @json: (nullable): the body of an answer that is not a success
 * @error_type: (nullable): the `x-amzn-ErrorType` header
 *
 * Returns: (transfer full): the error the answer names (its `__type`, or
 *   else the header) in words a user can act on
 */
GError *
gk_cognito_identity_parse_failure (GkCognitoIdentityOp  op,
                                   guint                http_status,
                                   const char          *json,
                                   gsize                length,
                                   const char          *error_type)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = NULL;
  const char *code, *msg;

  if (json != NULL)
    object = parse_json_object (json, length, &parser);
  code = object_get_string (object, "__type");
  msg = object_get_string (object, "message");
  if (msg == NULL)
    msg = object_get_string (object, "Message");
  if (code == NULL)
    code = error_type;
  return gk_cognito_identity_error_from_aws (op, http_status, code, msg);
}

/* ------------------------------------------------------------------------
 * One request, with retries
 * ------------------------------------------------------------------------ */

typedef struct
{
  GkCognitoIdentityOp op;
  char *url;
  GBytes *body; /* holds the ID token: wiped when freed */
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->url);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data);
}

static const char *
op_name (GkCognitoIdentityOp op)
{
  switch (op)
    {
    case GK_COGNITO_IDENTITY_OP_GET_ID: return "GetId";
    case GK_COGNITO_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY: return "GetCredentialsForIdentity";
    case GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN: return "GetOpenIdToken";
    default: return "?";
    }
}

static SoupMessage *
build_request (gpointer   user_data,
               GError   **error)
{
  RequestData *data = user_data;
  g_autofree char *target = g_strconcat ("AWSCognitoIdentityService.", op_name (data->op), NULL);
  SoupMessage *message = NULL;
  SoupMessageHeaders *headers;

  if (data->url == NULL || g_uri_peek_scheme (data->url) == NULL ||
      (message = soup_message_new (SOUP_METHOD_POST, data->url)) == NULL)
    {
      g_set_error_literal (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_FAILED,
                           _("The profile has no usable cognito_identity_endpoint. Set it, or "
                             "aws_region."));
      return NULL;
    }

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "X-Amz-Target", target);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/x-amz-json-1.1", data->body);
  return message;
}

static GError *
read_failure (gpointer      user_data,
              SoupMessage  *message,
              GBytes       *body,
              const GError *transport_error)
{
  RequestData *data = user_data;
  GError *error;
  gsize size = 0;
  const char *json;

  error = gk_aws_call_no_answer_error (transport_error, GK_COGNITO_IDENTITY_ERROR,
                                       GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE,
                                       _("The AWS identity service sent an answer that is too "
                                         "large."),
                                       GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE,
                                       _("Could not reach the Cognito identity service. Check the "
                                         "network and cognito_identity_endpoint in the profile."));
  if (error != NULL)
    return error;

  json = g_bytes_get_data (body, &size);
  return gk_cognito_identity_parse_failure (data->op, soup_message_get_status (message),
                                            json, json != NULL ? size : 0,
                                            soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                                          "x-amzn-ErrorType"));
}

static const GkAwsCallClass cognito_call_class = {
  .max_response_size = MAX_RESPONSE_SIZE,
  .build = build_request,
  .read_failure = read_failure,
  .is_retryable = gk_cognito_identity_error_is_retryable,
};

static void
request_async (GkCognitoIdentityClient *self,
               GkCognitoIdentityOp      op,
               GBytes                  *body,
               GCancellable            *cancellable,
               GAsyncReadyCallback      callback,
               gpointer                 user_data)
{
  RequestData *data = g_new0 (RequestData, 1);

  data->op = op;
  data->url = g_strdup (gk_profile_get_cognito_identity_endpoint (self->profile));
  data->body = g_bytes_ref (body);
  gk_aws_call_async (self->session, &cognito_call_class, &self->retry, op_name (op), data,
                     (GDestroyNotify) request_data_free, cancellable, callback, user_data);
}

static GBytes *
build_cognito_body (GkCognitoIdentityClient *self,
                    const char       *identity_id,
                    const char       *id_token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *logins_key = gk_profile_dup_logins_key (self->profile);
  char *json;
  gsize length;

  json_builder_begin_object (builder);
  if (identity_id != NULL)
    {
      json_builder_set_member_name (builder, "IdentityId");
      json_builder_add_string_value (builder, identity_id);
    }
  else
    {
      json_builder_set_member_name (builder, "IdentityPoolId");
      json_builder_add_string_value (builder, gk_profile_get_identity_pool_id (self->profile));
    }
  /* Without a token the call is an unauthenticated identity's. */
  if (id_token != NULL)
    {
      json_builder_set_member_name (builder, "Logins");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, logins_key ? logins_key : "");
      json_builder_add_string_value (builder, id_token);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &length);
  return g_bytes_new_with_free_func (json, length, gk_secret_free, json);
}

/* ------------------------------------------------------------------------
 * GetId
 * ------------------------------------------------------------------------ */

/**
 * gk_cognito_identity_parse_member:
 * @json: the body of a GetId or GetOpenIdToken answer
 * @member: the string it must hold (`IdentityId`, `Token`)
 *
 * Returns: (transfer full): the member's value, or %NULL with an error
 */
char *
gk_cognito_identity_parse_member (const char  *json,
                                  gsize        length,
                                  const char  *member,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = json ? parse_json_object (json, length, &parser) : NULL;
  const char *value = object_get_string (object, member);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("The identity pool answered without %s. Check cognito_identity_endpoint "
                     "in the profile."), member);
      return NULL;
    }
  return g_strdup (value);
}

static char *
parse_string_member (GBytes     *bytes,
                     const char *member,
                     GError    **error)
{
  gsize size = 0;
  const char *json = g_bytes_get_data (bytes, &size);

  return gk_cognito_identity_parse_member (json, size, member, error);
}

/* A call whose answer is one string member: GetId and GetOpenIdToken. */
typedef struct
{
  GkCognitoIdentityOp op;
  const char *member;
  GDestroyNotify member_free;
} StringCall;

static const StringCall get_id_call = {
  GK_COGNITO_IDENTITY_OP_GET_ID, "IdentityId", g_free,
};

/* The open id token is as good as credentials while it lives. */
static const StringCall get_open_id_token_call = {
  GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN, "Token", gk_secret_free,
};

static void
on_string_call_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const StringCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = gk_aws_call_finish (result, &error);
  char *value;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  value = parse_string_member (bytes, call->member, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, call->member_free);
}

static void
request_string_async (GkCognitoIdentityClient *self,
                      const StringCall        *call,
                      const char              *identity_id,
                      const char              *id_token,
                      gpointer                 source_tag,
                      GCancellable            *cancellable,
                      GAsyncReadyCallback      callback,
                      gpointer                 user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) body = build_cognito_body (self, identity_id, id_token);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) call, NULL);
  request_async (self, call->op, body, cancellable, on_string_call_cb, task);
}

/**
 * gk_cognito_identity_client_get_id_async:
 * @id_token: (nullable): a verified ID token of the profile's user pool;
 *   %NULL asks for an unauthenticated identity, which a pool should refuse
 */
void
gk_cognito_identity_client_get_id_async (GkCognitoIdentityClient    *self,
                                 const char          *id_token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GK_IS_COGNITO_IDENTITY_CLIENT (self));

  request_string_async (self, &get_id_call, NULL, id_token, gk_cognito_identity_client_get_id_async,
                        cancellable, callback, user_data);
}

/**
 * gk_cognito_identity_client_get_id_finish:
 *
 * Returns: (transfer full): the identity id, or %NULL with @error set
 */
char *
gk_cognito_identity_client_get_id_finish (GkCognitoIdentityClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * GetOpenIdToken
 * ------------------------------------------------------------------------ */

/**
 * gk_cognito_identity_client_get_open_id_token_async:
 * @identity_id: the user's identity id
 * @id_token: a verified ID token of the profile's user pool
 *
 * GetOpenIdToken alone: what the basic (classic) flow starts with. The
 * pool answers it only while that flow is allowed.
 */
void
gk_cognito_identity_client_get_open_id_token_async (GkCognitoIdentityClient *self,
                                                    const char              *identity_id,
                                                    const char              *id_token,
                                                    GCancellable            *cancellable,
                                                    GAsyncReadyCallback      callback,
                                                    gpointer                 user_data)
{
  g_return_if_fail (GK_IS_COGNITO_IDENTITY_CLIENT (self));
  g_return_if_fail (identity_id != NULL && id_token != NULL);

  request_string_async (self, &get_open_id_token_call, identity_id, id_token,
                        gk_cognito_identity_client_get_open_id_token_async, cancellable,
                        callback, user_data);
}

/**
 * gk_cognito_identity_client_get_open_id_token_finish:
 *
 * Returns: (transfer full): the OpenID token (as good as credentials
 *   while it lives: free it with gk_secret_free()), or %NULL with @error
 */
char *
gk_cognito_identity_client_get_open_id_token_finish (GkCognitoIdentityClient  *self,
                                                     GAsyncResult             *result,
                                                     GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * The whole flow
 * ------------------------------------------------------------------------ */

typedef struct
{
  char *identity_id;
  char *id_token;
  char *user_name;
  gboolean identity_was_cached;
} FlowData;

static void
flow_data_free (FlowData *data)
{
  g_free (data->identity_id);
  gk_secret_free (data->id_token);
  g_free (data->user_name);
  g_free (data);
}

static void flow_step (GTask *task);

/* A call of the flow failed: a cached identity can have been deleted by
 * the pool's admin, so the flow starts again from GetId; any other error
 * ends it. */
static void
flow_failed (GTask  *task,
             GError *error)
{
  FlowData *data = g_task_get_task_data (task);

  if (g_error_matches (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_IDENTITY_NOT_FOUND) &&
      data->identity_was_cached)
    {
      g_error_free (error);
      g_clear_pointer (&data->identity_id, g_free);
      data->identity_was_cached = FALSE;
      flow_step (task);
      return;
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
on_flow_assume_role_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GkCredentials *credentials;

  credentials = gk_sts_client_assume_role_with_web_identity_finish (GK_STS_CLIENT (object), result,
                                                                     &error);
  if (credentials == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (credentials == NULL)
    g_task_return_error (task, gk_cognito_identity_explain_sts_error (error));
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) gk_credentials_unref);
}

static void
on_flow_open_id_token_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkCognitoIdentityClient *self = g_task_get_source_object (task);
  FlowData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = gk_aws_call_finish (result, &error);
  GCancellable *cancellable;
  char *token;

  if (bytes == NULL)
    {
      flow_failed (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }
  token = parse_string_member (bytes, "Token", &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The open id token is as good as credentials until it expires: it
   * lives only in this call. */
  cancellable = g_task_get_cancellable (task);
  gk_sts_client_assume_role_with_web_identity_async (self->sts,
                                                     gk_profile_get_role_arn (self->profile),
                                                     data->user_name, token,
                                                     gk_profile_get_duration_seconds (self->profile),
                                                     cancellable, on_flow_assume_role_cb,
                                                     g_steal_pointer (&task));
  gk_secret_free (token);
}

static void
on_flow_credentials_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = gk_aws_call_finish (result, &error);
  GkCredentials *credentials;
  gsize size = 0;
  const char *json;

  if (bytes == NULL)
    {
      flow_failed (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }
  json = g_bytes_get_data (bytes, &size);
  credentials = gk_cognito_identity_parse_credentials (json ? json : "", size, NULL, &error);
  if (credentials == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) gk_credentials_unref);
}

static void
on_flow_get_id_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FlowData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->identity_id = gk_cognito_identity_client_get_id_finish (GK_COGNITO_IDENTITY_CLIENT (object), result,
                                                        &error);
  if (data->identity_id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  flow_step (g_steal_pointer (&task));
}

static void
flow_step (GTask *task)
{
  GkCognitoIdentityClient *self = g_task_get_source_object (task);
  FlowData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GBytes) body = NULL;

  if (data->identity_id == NULL)
    {
      gk_cognito_identity_client_get_id_async (self, data->id_token, cancellable, on_flow_get_id_cb,
                                       task);
      return;
    }

  body = build_cognito_body (self, data->identity_id, data->id_token);
  if (gk_profile_get_flow (self->profile) == GK_PROFILE_FLOW_BASIC)
    request_async (self, GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN, body, cancellable,
                   on_flow_open_id_token_cb, task);
  else
    request_async (self, GK_COGNITO_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY, body, cancellable,
                   on_flow_credentials_cb, task);
}

/**
 * gk_cognito_identity_client_fetch_credentials_async:
 * @identity_id: (nullable): the identity id from an earlier sign-in
 * @id_token: a verified ID token of the profile's user pool
 * @user_name: (nullable): email or user name, for the STS session name
 *
 * Turns an ID token into AWS credentials with the profile's flow.
 */
void
gk_cognito_identity_client_fetch_credentials_async (GkCognitoIdentityClient    *self,
                                            const char          *identity_id,
                                            const char          *id_token,
                                            const char          *user_name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;
  FlowData *data;

  g_return_if_fail (GK_IS_COGNITO_IDENTITY_CLIENT (self));
  g_return_if_fail (id_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_cognito_identity_client_fetch_credentials_async);
  data = g_new0 (FlowData, 1);
  data->identity_id = (identity_id && *identity_id) ? g_strdup (identity_id) : NULL;
  data->identity_was_cached = data->identity_id != NULL;
  data->id_token = g_strdup (id_token);
  data->user_name = g_strdup (user_name);
  g_task_set_task_data (task, data, (GDestroyNotify) flow_data_free);

  flow_step (task);
}

/**
 * gk_cognito_identity_client_fetch_credentials_finish:
 * @out_identity_id: (out) (optional): the identity id used, to cache
 *
 * Returns: (transfer full): the credentials, or %NULL with a
 *   #GK_COGNITO_IDENTITY_ERROR or #GK_STS_ERROR set
 */
GkCredentials *
gk_cognito_identity_client_fetch_credentials_finish (GkCognitoIdentityClient  *self,
                                             GAsyncResult      *result,
                                             char             **out_identity_id,
                                             GError           **error)
{
  GkCredentials *credentials;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  credentials = g_task_propagate_pointer (G_TASK (result), error);
  if (credentials != NULL && out_identity_id != NULL)
    {
      FlowData *data = g_task_get_task_data (G_TASK (result));

      *out_identity_id = g_strdup (data->identity_id);
    }
  return credentials;
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_cognito_identity_client_dispose (GObject *object)
{
  GkCognitoIdentityClient *self = GK_COGNITO_IDENTITY_CLIENT (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->session);
  g_clear_object (&self->sts);

  G_OBJECT_CLASS (gk_cognito_identity_client_parent_class)->dispose (object);
}

static void
gk_cognito_identity_client_class_init (GkCognitoIdentityClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_cognito_identity_client_dispose;
}

static void
gk_cognito_identity_client_init (GkCognitoIdentityClient *self)
{
  self->retry = GK_AWS_RETRY_POLICY_DEFAULT;
}

/**
 * gk_cognito_identity_client_new:
 * @profile: the profile whose identity pool, endpoints and flow to use
 *
 * Returns: (transfer full): a new client
 */
GkCognitoIdentityClient *
gk_cognito_identity_client_new (GkProfile *profile)
{
  GkCognitoIdentityClient *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);

  self = g_object_new (GK_TYPE_COGNITO_IDENTITY_CLIENT, NULL);
  self->profile = g_object_ref (profile);
  self->session = gk_aws_session_new ();
  self->sts = gk_sts_client_new (gk_profile_get_sts_endpoint (profile),
                                 gk_profile_get_region (profile));
  return self;
}

/**
 * gk_cognito_identity_client_set_retry:
 * @max_attempts: attempts per request, at least 1
 * @base_delay_ms: the first backoff delay
 *
 * For the identity pool's calls and the basic flow's STS call alike.
 */
void
gk_cognito_identity_client_set_retry (GkCognitoIdentityClient *self,
                                      guint                    max_attempts,
                                      guint                    base_delay_ms)
{
  g_return_if_fail (GK_IS_COGNITO_IDENTITY_CLIENT (self));

  gk_aws_retry_policy_set (&self->retry, max_attempts, base_delay_ms);
  gk_sts_client_set_retry (self->sts, max_attempts, base_delay_ms);
}
