/* gk-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-http.h"
#include "gk-identity.h"

/* Answers from these services are small; anything bigger is not theirs. */
#define MAX_RESPONSE_SIZE (256 * 1024)
#define DEFAULT_MAX_ATTEMPTS 5
#define DEFAULT_BASE_DELAY_MS 250
#define MAX_DELAY_MS 8000

struct _GkIdentityClient
{
  GObject parent_instance;

  GkProfile *profile;
  SoupSession *session;
  guint max_attempts;
  guint base_delay_ms;
};

G_DEFINE_FINAL_TYPE (GkIdentityClient, gk_identity_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-identity-error-quark, gk_identity_error)

/* ------------------------------------------------------------------------
 * Pure helpers
 * ------------------------------------------------------------------------ */

static gboolean
is_session_name_char (gunichar c)
{
  return (c < 128 && (g_ascii_isalnum (c) || strchr ("_+=,.@-", (int) c) != NULL));
}

/**
 * gk_identity_sanitize_session_name:
 * @user: (nullable): the user's email or user name
 *
 * STS wants a RoleSessionName matching `[\w+=,.@-]{2,64}`. Every other
 * character (spaces, non-ASCII) becomes `_`; the result is cut to 64 and a
 * too-short name gets a `genokey-` prefix.
 *
 * Returns: (transfer full): a valid role session name
 */
char *
gk_identity_sanitize_session_name (const char *user)
{
  GString *out = g_string_new (NULL);

  if (user != NULL && g_utf8_validate (user, -1, NULL))
    {
      for (const char *p = user; *p != '\0' && out->len < 64; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          g_string_append_c (out, is_session_name_char (c) ? (char) c : '_');
        }
    }
  else if (user != NULL)
    {
      for (const char *p = user; *p != '\0' && out->len < 64; p++)
        g_string_append_c (out, is_session_name_char ((guchar) *p) ? *p : '_');
    }

  if (out->len < 2)
    g_string_prepend (out, "genokey-");
  if (out->len > 64)
    g_string_truncate (out, 64);

  return g_string_free (out, FALSE);
}

/**
 * gk_identity_clamp_duration:
 *
 * Returns: @seconds within what STS accepts (900–43200)
 */
guint
gk_identity_clamp_duration (guint seconds)
{
  return CLAMP (seconds, GK_IDENTITY_MIN_DURATION, GK_IDENTITY_MAX_DURATION);
}

/**
 * gk_identity_backoff_delay_ms:
 * @attempt: the number of the attempt that failed, from 0
 * @base_ms: the first delay
 * @random: a random number
 *
 * Exponential backoff with "full jitter" (as the AWS SDKs do it): a random
 * delay between half and all of base × 2^attempt, capped at 8 s.
 *
 * Returns: milliseconds to wait before the next attempt
 */
guint
gk_identity_backoff_delay_ms (guint   attempt,
                              guint   base_ms,
                              guint32 random)
{
  guint64 ceiling = (guint64) base_ms << MIN (attempt, 16u);

  ceiling = MIN (ceiling, (guint64) MAX_DELAY_MS);
  if (ceiling < 2)
    return (guint) ceiling;
  return (guint) (ceiling / 2 + random % (ceiling / 2 + 1));
}

static const char *
strip_error_code (const char  *code,
                  char       **to_free)
{
  const char *hash, *colon;

  if (code == NULL)
    return NULL;
  /* Cognito answers `__type` as "NotAuthorizedException" or with a
   * namespace ("com.amazonaws...#NotAuthorizedException"), and the
   * x-amzn-ErrorType header as "Name:http://internal.amazon.com/...". */
  hash = strrchr (code, '#');
  if (hash != NULL)
    code = hash + 1;
  colon = strchr (code, ':');
  if (colon != NULL)
    {
      *to_free = g_strndup (code, colon - code);
      return *to_free;
    }
  return code;
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

/**
 * gk_identity_error_from_aws:
 * @op: the request that failed
 * @http_status: its HTTP status
 * @code: (nullable): the AWS error code (`__type`, `x-amzn-ErrorType` or STS `Code`)
 * @message: (nullable): the AWS error message
 *
 * Maps an AWS error answer to a #GK_IDENTITY_ERROR with a message that
 * says what to change. AWS error messages do not carry tokens.
 *
 * Returns: (transfer full): the error
 */
GError *
gk_identity_error_from_aws (GkIdentityOp  op,
                            guint         http_status,
                            const char   *code,
                            const char   *message)
{
  g_autofree char *code_owned = NULL;
  g_autofree char *short_message = NULL;

  code = strip_error_code (code, &code_owned);
  if (message != NULL)
    short_message = g_utf8_validate (message, -1, NULL)
                      ? g_utf8_substring (message, 0, MIN (g_utf8_strlen (message, -1), 200))
                      : g_strdup ("");

  if (code == NULL || *code == '\0')
    {
      if (http_status >= 500 || http_status == 0)
        return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_UNAVAILABLE,
                            _("The AWS identity service is not answering properly (HTTP %u). "
                              "Try again in a minute."), http_status);
      if (http_status == 429)
        code = "TooManyRequestsException";
      else
        return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                            _("The AWS identity service answered HTTP %u without an error code. "
                              "Check cognito_identity_endpoint and sts_endpoint in the profile."),
                            http_status);
    }

  if (g_str_equal (code, "TooManyRequestsException") ||
      g_str_equal (code, "LimitExceededException") ||
      g_str_equal (code, "Throttling") ||
      g_str_equal (code, "ThrottlingException") ||
      g_str_equal (code, "RequestLimitExceeded"))
    return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_THROTTLED,
                        _("AWS is throttling sign-in requests for this identity pool. "
                          "Try again in a minute."));

  if (g_str_equal (code, "InternalErrorException") ||
      g_str_equal (code, "InternalFailure") ||
      g_str_equal (code, "InternalError") ||
      g_str_equal (code, "ServiceUnavailable") ||
      g_str_equal (code, "ServiceUnavailableException") ||
      g_str_equal (code, "IDPCommunicationError"))
    return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_UNAVAILABLE,
                        _("The AWS identity service had a temporary problem (%s). "
                          "Try again in a minute."), code);

  if (g_str_equal (code, "NotAuthorizedException"))
    {
      if (contains (message, "xpired"))
        return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_TOKEN_EXPIRED,
                            _("The sign-in expired before AWS credentials were issued. "
                              "Sign in again."));
      if (op == GK_IDENTITY_OP_GET_OPEN_ID_TOKEN && (contains (message, "lassic") ||
                                                     contains (message, "asic")))
        goto basic_flow_disabled;
      return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_NOT_AUTHORIZED,
                          _("The identity pool does not accept sign-ins from this user pool. "
                            "Check aws_cognito_fed_pool_id and the pool’s authentication "
                            "providers."));
    }

  if (g_str_equal (code, "ResourceNotFoundException"))
    {
      if (op == GK_IDENTITY_OP_GET_ID || contains (message, "IdentityPool"))
        return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_POOL_NOT_FOUND,
                            _("The identity pool in aws_cognito_fed_pool_id does not exist. "
                              "Check the id and aws_region in the profile."));
      return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_IDENTITY_NOT_FOUND,
                          _("The identity pool no longer knows this identity. Sign in again."));
    }

  if (g_str_equal (code, "InvalidParameterException"))
    {
      if (contains (message, "lassic") || contains (message, "asic flow") ||
          contains (message, "asic (classic)"))
        goto basic_flow_disabled;
      return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_FAILED,
                          _("The identity pool refused the request: %s. "
                            "Check aws_cognito_fed_pool_id and aws_region in the profile."),
                          short_message ? short_message : code);
    }

  if (g_str_equal (code, "InvalidIdentityPoolConfigurationException"))
    return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_POOL_CONFIGURATION,
                        _("The identity pool has no usable role for signed-in users. "
                          "Ask the lab admin to check the identity pool’s authenticated role "
                          "and its trust policy."));

  if (g_str_equal (code, "AccessDenied") || g_str_equal (code, "AccessDeniedException"))
    return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_ACCESS_DENIED,
                        _("AWS STS did not let this identity assume the role in "
                          "aws_cognito_role_arn. Check the role ARN and that the role’s trust "
                          "policy allows this identity pool."));

  if (g_str_equal (code, "InvalidIdentityToken"))
    return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_NOT_AUTHORIZED,
                        _("AWS STS did not accept the identity pool’s token. Check that the "
                          "role in aws_cognito_role_arn trusts cognito-identity.amazonaws.com."));

  if (g_str_equal (code, "ExpiredTokenException") || g_str_equal (code, "ExpiredToken"))
    return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_TOKEN_EXPIRED,
                        _("The sign-in expired before AWS credentials were issued. "
                          "Sign in again."));

  if (g_str_equal (code, "ValidationError") &&
      (contains (message, "DurationSeconds") || contains (message, "duration")))
    return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_DURATION,
                        _("The role does not allow sessions that long. Lower duration_seconds in "
                          "the profile to at most the role’s maximum session duration "
                          "(900–43200)."));

  return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_FAILED,
                      _("AWS refused the request (%s: %s). Check the identity pool settings "
                        "in the profile."), code, short_message ? short_message : "");

basic_flow_disabled:
  return g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_BASIC_FLOW_DISABLED,
                      _("The identity pool’s basic (classic) flow is disabled, so the role in "
                        "aws_cognito_role_arn cannot be used. Ask the lab admin to enable the "
                        "basic (classic) flow on the identity pool, or remove "
                        "aws_cognito_role_arn from the profile to use the enhanced flow."));
}

/**
 * gk_identity_error_is_retryable:
 *
 * Returns: %TRUE for throttling and temporary service trouble. Refusals
 *   (NotAuthorized and friends) are never retried.
 */
gboolean
gk_identity_error_is_retryable (const GError *error)
{
  return error != NULL && error->domain == GK_IDENTITY_ERROR &&
         (error->code == GK_IDENTITY_ERROR_THROTTLED ||
          error->code == GK_IDENTITY_ERROR_UNAVAILABLE);
}

/* STS answers XML. GMarkup knows no DTDs and no external entities, so a
 * hostile answer cannot make us read files or expand entity bombs. */
typedef struct
{
  GPtrArray *stack;
  GHashTable *values; /* "Credentials/AccessKeyId" → text */
  GString *text;
} StsParser;

static void
sts_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  StsParser *p = user_data;

  if (p->stack->len > 16)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too deep");
      return;
    }
  g_ptr_array_add (p->stack, g_strdup (element));
  g_string_truncate (p->text, 0);
}

static void
sts_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  StsParser *p = user_data;

  if (p->stack->len >= 2)
    {
      const char *parent = g_ptr_array_index (p->stack, p->stack->len - 2);

      if (g_str_equal (parent, "Credentials") || g_str_equal (parent, "Error"))
        g_hash_table_replace (p->values, g_strdup_printf ("%s/%s", parent, element),
                              g_strdup (p->text->str));
    }
  if (p->stack->len > 0)
    g_ptr_array_remove_index (p->stack, p->stack->len - 1);
  g_string_truncate (p->text, 0);
}

static void
sts_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  StsParser *p = user_data;

  if (p->text->len + text_len > MAX_RESPONSE_SIZE)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too long");
      return;
    }
  g_string_append_len (p->text, text, text_len);
}

static void
wipe_string (gpointer data)
{
  char *s = data;

  if (s != NULL)
    {
      memset (s, 0, strlen (s));
      g_free (s);
    }
}

/**
 * gk_identity_parse_sts_response:
 * @xml: the body of an AssumeRoleWithWebIdentity answer
 * @http_status: its status; errors are read from an `ErrorResponse`
 *
 * Returns: (transfer full): the credentials, or %NULL with a
 *   #GK_IDENTITY_ERROR set
 */
GkCredentials *
gk_identity_parse_sts_response (const char  *xml,
                                gssize       length,
                                guint        http_status,
                                GError     **error)
{
  static const GMarkupParser parser = { sts_start, sts_end, sts_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        wipe_string);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  StsParser p = { stack, values, text };
  g_autoptr(GDateTime) expiration = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char *key_id, *secret, *token, *expiry;
  gboolean parsed;

  if (length < 0)
    length = strlen (xml);
  if ((gsize) length > MAX_RESPONSE_SIZE)
    {
      g_set_error (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("AWS STS sent an answer that is too large. Check sts_endpoint in the "
                     "profile."));
      return NULL;
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &p, NULL);
  parsed = g_markup_parse_context_parse (context, xml, length, NULL) &&
           g_markup_parse_context_end_parse (context, NULL);

  if (parsed && g_hash_table_contains (values, "Error/Code"))
    {
      *error = gk_identity_error_from_aws (GK_IDENTITY_OP_ASSUME_ROLE_WITH_WEB_IDENTITY,
                                           http_status,
                                           g_hash_table_lookup (values, "Error/Code"),
                                           g_hash_table_lookup (values, "Error/Message"));
      return NULL;
    }
  if (!parsed || http_status < 200 || http_status >= 300)
    {
      if (http_status >= 300 || http_status == 0)
        *error = gk_identity_error_from_aws (GK_IDENTITY_OP_ASSUME_ROLE_WITH_WEB_IDENTITY,
                                             http_status, NULL, NULL);
      else
        g_set_error (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                     _("AWS STS sent an answer that is not valid XML. Check sts_endpoint in "
                       "the profile."));
      return NULL;
    }

  key_id = g_hash_table_lookup (values, "Credentials/AccessKeyId");
  secret = g_hash_table_lookup (values, "Credentials/SecretAccessKey");
  token = g_hash_table_lookup (values, "Credentials/SessionToken");
  expiry = g_hash_table_lookup (values, "Credentials/Expiration");
  if (expiry != NULL)
    expiration = g_date_time_new_from_iso8601 (g_strstrip ((char *) expiry), utc);
  if (key_id == NULL || *key_id == '\0' || secret == NULL || *secret == '\0' ||
      token == NULL || *token == '\0' || expiration == NULL)
    {
      g_set_error (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("AWS STS answered without complete credentials. Check sts_endpoint in "
                     "the profile."));
      return NULL;
    }

  return gk_credentials_new (g_strstrip ((char *) key_id), g_strstrip ((char *) secret),
                             g_strstrip ((char *) token), g_date_time_to_unix (expiration));
}

static JsonObject *
parse_json_object (const char  *json,
                   gssize       length,
                   JsonParser **out_parser)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (length < 0)
    length = strlen (json);
  if ((gsize) length > MAX_RESPONSE_SIZE || !json_parser_load_from_data (parser, json, length, NULL))
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
 * gk_identity_parse_cognito_credentials:
 * @json: the body of a GetCredentialsForIdentity answer
 * @out_identity_id: (out) (optional): the identity id it names
 *
 * Returns: (transfer full): the credentials, or %NULL with an error
 */
GkCredentials *
gk_identity_parse_cognito_credentials (const char  *json,
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

  if (key_id == NULL || *key_id == '\0' || secret == NULL || *secret == '\0' ||
      token == NULL || *token == '\0' || expiry == NULL || !JSON_NODE_HOLDS_VALUE (expiry) ||
      (json_node_get_value_type (expiry) != G_TYPE_DOUBLE &&
       json_node_get_value_type (expiry) != G_TYPE_INT64))
    {
      g_set_error (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("The identity pool answered without complete credentials. Check "
                     "cognito_identity_endpoint in the profile."));
      return NULL;
    }

  /* Cognito sends the expiry as Unix seconds, usually with a fraction. */
  expiration = json_node_get_double (expiry);
  if (expiration <= 0 || expiration > 1e11)
    {
      g_set_error (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("The identity pool answered with an impossible expiry time. Check "
                     "cognito_identity_endpoint in the profile."));
      return NULL;
    }

  if (out_identity_id != NULL)
    *out_identity_id = g_strdup (object_get_string (object, "IdentityId"));

  return gk_credentials_new (key_id, secret, token, (gint64) expiration);
}

/* ------------------------------------------------------------------------
 * One request, with retries
 * ------------------------------------------------------------------------ */

typedef struct
{
  GkIdentityOp op;
  char *url;
  char *target;     /* X-Amz-Target, or NULL for the STS query API */
  GBytes *body;
  SoupMessage *message;
  guint attempt;
  GSource *retry_source;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->url);
  g_free (data->target);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_object (&data->message);
  if (data->retry_source != NULL)
    {
      g_source_destroy (data->retry_source);
      g_source_unref (data->retry_source);
    }
  g_free (data);
}

static const char *
op_name (GkIdentityOp op)
{
  switch (op)
    {
    case GK_IDENTITY_OP_GET_ID: return "GetId";
    case GK_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY: return "GetCredentialsForIdentity";
    case GK_IDENTITY_OP_GET_OPEN_ID_TOKEN: return "GetOpenIdToken";
    case GK_IDENTITY_OP_ASSUME_ROLE_WITH_WEB_IDENTITY: return "AssumeRoleWithWebIdentity";
    default: return "?";
    }
}

static void send_attempt (GTask *task);

static GError *
error_from_cognito_answer (GkIdentityOp  op,
                           SoupMessage  *message,
                           GBytes       *bytes)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize size = 0;
  const char *json = g_bytes_get_data (bytes, &size);
  JsonObject *object = json ? parse_json_object (json, size, &parser) : NULL;
  const char *code = object_get_string (object, "__type");
  const char *msg = object_get_string (object, "message");

  if (msg == NULL)
    msg = object_get_string (object, "Message");
  if (code == NULL)
    code = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                         "x-amzn-ErrorType");
  return gk_identity_error_from_aws (op, soup_message_get_status (message), code, msg);
}

static gboolean
on_retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->retry_source, g_source_unref);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  send_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_cancelled_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  /* The parent timeout source dispatches too and sees the cancellation. */
  return G_SOURCE_CONTINUE;
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkIdentityClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  bytes = gk_http_send_and_read_finish (result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (g_error_matches (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
        {
          g_task_return_new_error (task, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                                   _("The AWS identity service sent an answer that is too large."));
          return;
        }
      g_clear_error (&error);
      error = g_error_new (GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_UNAVAILABLE,
                           data->target
                             ? _("Could not reach the Cognito identity service. Check the network "
                                 "and cognito_identity_endpoint in the profile.")
                             : _("Could not reach AWS STS. Check the network and sts_endpoint in "
                                 "the profile."));
    }
  else
    {
      status = soup_message_get_status (data->message);
      if (status >= 200 && status < 300)
        {
          g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
          return;
        }
      else if (data->target != NULL)
        error = error_from_cognito_answer (data->op, data->message, bytes);
      else
        {
          gsize size;
          const char *xml = g_bytes_get_data (bytes, &size);
          g_autoptr(GkCredentials) none = gk_identity_parse_sts_response (xml ? xml : "", size,
                                                                          status, &error);
          g_assert (none == NULL);
        }
    }

  g_debug ("%s attempt %u failed: %s", op_name (data->op), data->attempt + 1, error->message);

  if (gk_identity_error_is_retryable (error) && data->attempt + 1 < self->max_attempts)
    {
      guint delay = gk_identity_backoff_delay_ms (data->attempt, self->base_delay_ms,
                                                  g_random_int ());
      GCancellable *cancellable = g_task_get_cancellable (task);

      data->attempt++;
      data->retry_source = g_timeout_source_new (delay);
      g_source_set_callback (data->retry_source, on_retry_cb, g_steal_pointer (&task), NULL);
      if (cancellable != NULL)
        {
          g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

          g_source_set_callback (cancel_source, G_SOURCE_FUNC (on_retry_cancelled_cb), NULL, NULL);
          g_source_add_child_source (data->retry_source, cancel_source);
        }
      g_source_attach (data->retry_source, g_main_context_get_thread_default ());
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
send_attempt (GTask *task)
{
  GkIdentityClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&data->message);
  data->message = soup_message_new (SOUP_METHOD_POST, data->url);
  headers = soup_message_get_request_headers (data->message);
  if (data->target != NULL)
    {
      soup_message_headers_replace (headers, "X-Amz-Target", data->target);
      soup_message_set_request_body_from_bytes (data->message, "application/x-amz-json-1.1",
                                                data->body);
    }
  else
    soup_message_set_request_body_from_bytes (data->message,
                                              "application/x-www-form-urlencoded; charset=utf-8",
                                              data->body);
  soup_message_headers_replace (headers, "Accept", data->target ? "application/json" : "text/xml");

  gk_http_send_and_read_async (self->session, data->message, MAX_RESPONSE_SIZE, G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task), on_sent_cb, task);
}

static void
request_async (GkIdentityClient    *self,
               GkIdentityOp         op,
               GBytes              *body,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *data = g_new0 (RequestData, 1);

  g_task_set_source_tag (task, request_async);
  data->op = op;
  data->body = g_bytes_ref (body);
  if (op == GK_IDENTITY_OP_ASSUME_ROLE_WITH_WEB_IDENTITY)
    data->url = g_strdup (gk_profile_get_sts_endpoint (self->profile));
  else
    {
      data->url = g_strdup (gk_profile_get_cognito_identity_endpoint (self->profile));
      data->target = g_strconcat ("AWSCognitoIdentityService.", op_name (op), NULL);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  if (data->url == NULL || g_uri_peek_scheme (data->url) == NULL)
    {
      g_task_return_new_error (task, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_FAILED,
                               _("The profile has no usable %s. Set it or aws_region."),
                               data->target ? "cognito_identity_endpoint" : "sts_endpoint");
      g_object_unref (task);
      return;
    }

  send_attempt (task);
}

static GBytes *
request_finish (GkIdentityClient  *self,
                GAsyncResult      *result,
                GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GBytes *
build_cognito_body (GkIdentityClient *self,
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
  json_builder_set_member_name (builder, "Logins");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, logins_key ? logins_key : "");
  json_builder_add_string_value (builder, id_token);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &length);
  return g_bytes_new_with_free_func (json, length, wipe_string, json);
}

/* ------------------------------------------------------------------------
 * GetId
 * ------------------------------------------------------------------------ */

static char *
parse_string_member (GBytes     *bytes,
                     const char *member,
                     GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize size = 0;
  const char *json = g_bytes_get_data (bytes, &size);
  JsonObject *object = json ? parse_json_object (json, size, &parser) : NULL;
  const char *value = object_get_string (object, member);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_INVALID_RESPONSE,
                   _("The identity pool answered without %s. Check cognito_identity_endpoint "
                     "in the profile."), member);
      return NULL;
    }
  return g_strdup (value);
}

static void
on_get_id_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = request_finish (GK_IDENTITY_CLIENT (object), result, &error);
  char *identity_id;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  identity_id = parse_string_member (bytes, "IdentityId", &error);
  if (identity_id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, identity_id, g_free);
}

void
gk_identity_client_get_id_async (GkIdentityClient    *self,
                                 const char          *id_token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GK_IS_IDENTITY_CLIENT (self));
  g_return_if_fail (id_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_identity_client_get_id_async);
  body = build_cognito_body (self, NULL, id_token);
  request_async (self, GK_IDENTITY_OP_GET_ID, body, cancellable, on_get_id_cb,
                 g_steal_pointer (&task));
}

/**
 * gk_identity_client_get_id_finish:
 *
 * Returns: (transfer full): the identity id, or %NULL with @error set
 */
char *
gk_identity_client_get_id_finish (GkIdentityClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
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
  wipe_string (data->id_token);
  g_free (data->user_name);
  g_free (data);
}

static void flow_step (GTask *task);

static void
on_flow_assume_role_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = request_finish (GK_IDENTITY_CLIENT (object), result, &error);
  GkCredentials *credentials;
  gsize size = 0;
  const char *xml;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  xml = g_bytes_get_data (bytes, &size);
  credentials = gk_identity_parse_sts_response (xml ? xml : "", size, 200, &error);
  if (credentials == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) gk_credentials_unref);
}

static void
on_flow_open_id_token_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkIdentityClient *self = g_task_get_source_object (task);
  FlowData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = request_finish (self, result, &error);
  g_autofree char *session_name = NULL;
  g_autofree char *duration = NULL;
  g_autoptr(GBytes) body = NULL;
  GCancellable *cancellable;
  char *token, *form;

  if (bytes == NULL)
    {
      if (g_error_matches (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_IDENTITY_NOT_FOUND) &&
          data->identity_was_cached)
        {
          g_clear_pointer (&data->identity_id, g_free);
          data->identity_was_cached = FALSE;
          flow_step (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  token = parse_string_member (bytes, "Token", &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  session_name = gk_identity_sanitize_session_name (data->user_name);
  duration = g_strdup_printf ("%u", gk_identity_clamp_duration (
                                      gk_profile_get_duration_seconds (self->profile)));
  form = soup_form_encode ("Action", "AssumeRoleWithWebIdentity",
                           "Version", "2011-06-15",
                           "RoleArn", gk_profile_get_role_arn (self->profile),
                           "RoleSessionName", session_name,
                           "DurationSeconds", duration,
                           "WebIdentityToken", token,
                           NULL);
  wipe_string (token);
  body = g_bytes_new_with_free_func (form, strlen (form), wipe_string, form);
  cancellable = g_task_get_cancellable (task);
  request_async (self, GK_IDENTITY_OP_ASSUME_ROLE_WITH_WEB_IDENTITY, body,
                 cancellable, on_flow_assume_role_cb, g_steal_pointer (&task));
}

static void
on_flow_credentials_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FlowData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = request_finish (GK_IDENTITY_CLIENT (object), result, &error);
  GkCredentials *credentials;
  gsize size = 0;
  const char *json;

  if (bytes == NULL)
    {
      /* A cached identity can have been deleted by the pool's admin. */
      if (g_error_matches (error, GK_IDENTITY_ERROR, GK_IDENTITY_ERROR_IDENTITY_NOT_FOUND) &&
          data->identity_was_cached)
        {
          g_clear_pointer (&data->identity_id, g_free);
          data->identity_was_cached = FALSE;
          flow_step (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  json = g_bytes_get_data (bytes, &size);
  credentials = gk_identity_parse_cognito_credentials (json ? json : "", size, NULL, &error);
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

  data->identity_id = gk_identity_client_get_id_finish (GK_IDENTITY_CLIENT (object), result,
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
  GkIdentityClient *self = g_task_get_source_object (task);
  FlowData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GBytes) body = NULL;

  if (data->identity_id == NULL)
    {
      gk_identity_client_get_id_async (self, data->id_token, cancellable, on_flow_get_id_cb,
                                       task);
      return;
    }

  body = build_cognito_body (self, data->identity_id, data->id_token);
  if (gk_profile_get_flow (self->profile) == GK_PROFILE_FLOW_BASIC)
    request_async (self, GK_IDENTITY_OP_GET_OPEN_ID_TOKEN, body, cancellable,
                   on_flow_open_id_token_cb, task);
  else
    request_async (self, GK_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY, body, cancellable,
                   on_flow_credentials_cb, task);
}

/**
 * gk_identity_client_fetch_credentials_async:
 * @identity_id: (nullable): the identity id from an earlier sign-in
 * @id_token: a verified ID token of the profile's user pool
 * @user_name: (nullable): email or user name, for the STS session name
 *
 * Turns an ID token into AWS credentials with the profile's flow.
 */
void
gk_identity_client_fetch_credentials_async (GkIdentityClient    *self,
                                            const char          *identity_id,
                                            const char          *id_token,
                                            const char          *user_name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;
  FlowData *data;

  g_return_if_fail (GK_IS_IDENTITY_CLIENT (self));
  g_return_if_fail (id_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_identity_client_fetch_credentials_async);
  data = g_new0 (FlowData, 1);
  data->identity_id = (identity_id && *identity_id) ? g_strdup (identity_id) : NULL;
  data->identity_was_cached = data->identity_id != NULL;
  data->id_token = g_strdup (id_token);
  data->user_name = g_strdup (user_name);
  g_task_set_task_data (task, data, (GDestroyNotify) flow_data_free);

  flow_step (task);
}

/**
 * gk_identity_client_fetch_credentials_finish:
 * @out_identity_id: (out) (optional): the identity id used, to cache
 *
 * Returns: (transfer full): the credentials, or %NULL with a
 *   #GK_IDENTITY_ERROR set
 */
GkCredentials *
gk_identity_client_fetch_credentials_finish (GkIdentityClient  *self,
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
gk_identity_client_dispose (GObject *object)
{
  GkIdentityClient *self = GK_IDENTITY_CLIENT (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gk_identity_client_parent_class)->dispose (object);
}

static void
gk_identity_client_class_init (GkIdentityClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_identity_client_dispose;
}

static void
gk_identity_client_init (GkIdentityClient *self)
{
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
}

/**
 * gk_identity_client_new:
 * @profile: the profile whose identity pool, endpoints and flow to use
 *
 * Returns: (transfer full): a new client
 */
GkIdentityClient *
gk_identity_client_new (GkProfile *profile)
{
  GkIdentityClient *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);

  self = g_object_new (GK_TYPE_IDENTITY_CLIENT, NULL);
  self->profile = g_object_ref (profile);
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "idle-timeout", 60,
                                                 "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 NULL);
  return self;
}

/**
 * gk_identity_client_set_retry:
 * @max_attempts: attempts per request, at least 1
 * @base_delay_ms: the first backoff delay
 */
void
gk_identity_client_set_retry (GkIdentityClient *self,
                              guint             max_attempts,
                              guint             base_delay_ms)
{
  g_return_if_fail (GK_IS_IDENTITY_CLIENT (self));

  self->max_attempts = MAX (max_attempts, 1);
  self->base_delay_ms = base_delay_ms;
}
