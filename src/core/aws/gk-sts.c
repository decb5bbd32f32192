/* gk-sts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-aws-error.h"
#include "gk-aws-query.h"
#include "gk-secret.h"
#include "gk-sts.h"

/* STS answers are small; anything bigger is not STS's. */
#define MAX_RESPONSE_SIZE (256 * 1024)
#define STS_VERSION       "2011-06-15"

struct _GkStsClient
{
  GObject parent_instance;

  GkAwsQueryClient *query;
};

G_DEFINE_FINAL_TYPE (GkStsClient, gk_sts_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-sts-error-quark, gk_sts_error)

/* ------------------------------------------------------------------------
 * Pure helpers
 * ------------------------------------------------------------------------ */

static gboolean
is_session_name_char (gunichar c)
{
  return (c < 128 && (g_ascii_isalnum (c) || strchr ("_+=,.@-", (int) c) != NULL));
}

/**
 * gk_sts_sanitize_session_name:
 * @user: (nullable): the user's email or user name
 *
 * STS wants a RoleSessionName matching `[\w+=,.@-]{2,64}`. Every other
 * character (spaces, non-ASCII) becomes `_`; the result is cut to 64 and a
 * too-short name gets a `genokey-` prefix.
 *
 * Returns: (transfer full): a valid role session name
 */
char *
gk_sts_sanitize_session_name (const char *user)
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
 * gk_sts_clamp_duration:
 *
 * Returns: @seconds within what STS accepts (900–43200)
 */
guint
gk_sts_clamp_duration (guint seconds)
{
  return CLAMP (seconds, GK_STS_MIN_DURATION, GK_STS_MAX_DURATION);
}

/* ------------------------------------------------------------------------
 * Errors
 *
 * The codes are those of STS's service model (botocore's
 * data/sts/2011-06-15/service-2.json: ExpiredTokenException,
 * IDPCommunicationError, IDPRejectedClaim, InvalidIdentityToken,
 * MalformedPolicyDocument, PackedPolicyTooLarge, RegionDisabledException)
 * and the query API's common errors (AccessDenied, ValidationError,
 * Throttling, InvalidClientTokenId, SignatureDoesNotMatch, RequestExpired,
 * InternalFailure, ServiceUnavailable). AWS's own message is quoted where
 * it names what to change (the role, the parameter, the limit).
 * ------------------------------------------------------------------------ */

#define ASSUME_ROLE_ANY (GK_STS_OPERATION_ASSUME_ROLE | GK_STS_OPERATION_ASSUME_ROLE_EXTERNAL_ID)

static const GkAwsErrorRow sts_errors[] = {
  /* AssumeRole. AWS answers every refusal of the trust policy with the
   * same AccessDenied ("… is not authorized to perform: sts:AssumeRole on
   * resource …"), whether the caller is not trusted or the external ID is
   * wrong, so the words name both; the external ID first when one was
   * sent, since that is what a partner's setup gets wrong most. */
  { "AccessDenied", NULL, GK_STS_OPERATION_ASSUME_ROLE_EXTERNAL_ID, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS does not allow assuming the role {role}. Check the external ID “{external_id}” "
       "(external_id): it must be exactly the one the role’s owner gave. Otherwise the role "
       "does not trust {caller}. (AWS said: “{aws_message}”)") },
  { "AccessDenied", NULL, GK_STS_OPERATION_ASSUME_ROLE, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS does not allow assuming the role {role}: the role does not trust {caller}, or it "
       "requires an external ID (external_id), which the role’s owner can give. "
       "(AWS said: “{aws_message}”)") },
  /* The two duration limits, in AWS's documented wording. */
  { "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit",
    ASSUME_ROLE_ANY, GK_STS_ERROR_DURATION_TOO_LONG,
    N_("A role assumed with another role’s credentials ({caller}) lasts at most one hour: set "
       "duration_seconds to 3600 or less.") },
  { "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration",
    ASSUME_ROLE_ANY, GK_STS_ERROR_DURATION_TOO_LONG,
    N_("The role {role} allows shorter sessions than the {duration} seconds asked for "
       "(duration_seconds). Ask for less, such as 3600, or ask the role’s owner to raise its "
       "maximum session duration.") },
  { "InvalidClientTokenId", NULL, ASSUME_ROLE_ANY, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS STS does not know the access key of {caller}, which assumes the role: it was "
       "deleted, deactivated or mistyped. Check that it works on its own.") },
  { "SignatureDoesNotMatch", NULL, ASSUME_ROLE_ANY, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS STS computed a different signature for {caller}, which assumes the role: the "
       "secret does not belong to the access key. Store the right secret.") },
  { "ExpiredToken", NULL, ASSUME_ROLE_ANY, GK_STS_ERROR_EXPIRED_TOKEN,
    N_("The credentials of {caller}, which assume the role, have expired. Renew them first.") },

  /* Every action. */
  { "AccessDenied", NULL, 0, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS STS did not let the caller assume the role (AWS said: “{aws_message}”). "
       "Check the role ARN and that the role’s trust policy allows the caller.") },
  { "InvalidIdentityToken", NULL, 0, GK_STS_ERROR_INVALID_IDENTITY_TOKEN,
    N_("AWS STS could not validate the identity token (AWS said: “{aws_message}”). "
       "Check that the role trusts the token’s issuer.") },
  { "ExpiredTokenException", NULL, 0, GK_STS_ERROR_EXPIRED_TOKEN,
    N_("The token given to AWS STS had expired. Sign in again; if this keeps happening, "
       "check that the computer’s clock is right.") },
  { "IDPRejectedClaim", NULL, 0, GK_STS_ERROR_IDP_REJECTED,
    N_("The identity provider refused the sign-in’s claims (AWS said: “{aws_message}”). "
       "Sign in again.") },
  { "IDPCommunicationError", NULL, 0, GK_STS_ERROR_UNAVAILABLE,
    N_("AWS STS could not reach the identity provider to check the token. "
       "Try again in a minute.") },
  { "ValidationError", NULL, 0, GK_STS_ERROR_INVALID_PARAMETER,
    N_("AWS STS refused a parameter of the request (AWS said: “{aws_message}”).") },
  { "MalformedPolicyDocument", NULL, 0, GK_STS_ERROR_POLICY,
    N_("AWS STS refused the session policy (AWS said: “{aws_message}”).") },
  { "PackedPolicyTooLarge", NULL, 0, GK_STS_ERROR_POLICY,
    N_("The session policy and tags are too large for AWS STS (AWS said: “{aws_message}”). "
       "Use fewer or shorter session tags.") },
  { "RegionDisabledException", NULL, 0, GK_STS_ERROR_REGION_DISABLED,
    N_("AWS STS is not activated in this region for the role’s account. Ask the account’s "
       "admin to activate it in IAM, or use another region’s STS endpoint.") },
  { "InvalidClientTokenId", NULL, 0, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS STS does not know the access key that signed the request. Check the credentials "
       "the role is assumed with.") },
  { "SignatureDoesNotMatch", NULL, 0, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS STS computed a different signature. Check that the secret key belongs to the "
       "access key the role is assumed with.") },
  { "RequestExpired", NULL, 0, GK_STS_ERROR_ACCESS_DENIED,
    N_("AWS STS found the request too old. Check that the computer’s clock is right.") },
  { "ExpiredToken", NULL, 0, GK_STS_ERROR_EXPIRED_TOKEN,
    N_("The credentials the role is assumed with have expired. Renew them first.") },
  { "Throttling", NULL, 0, GK_STS_ERROR_THROTTLED,
    N_("AWS STS is throttling requests. Try again in a minute.") },
  { "ThrottlingException", NULL, 0, GK_STS_ERROR_THROTTLED,
    N_("AWS STS is throttling requests. Try again in a minute.") },
  { "RequestLimitExceeded", NULL, 0, GK_STS_ERROR_THROTTLED,
    N_("AWS STS is throttling requests. Try again in a minute.") },
  { "InternalFailure", NULL, 0, GK_STS_ERROR_UNAVAILABLE,
    N_("AWS STS had a temporary problem ({code}). Try again in a minute.") },
  { "InternalError", NULL, 0, GK_STS_ERROR_UNAVAILABLE,
    N_("AWS STS had a temporary problem ({code}). Try again in a minute.") },
  { "ServiceUnavailable", NULL, 0, GK_STS_ERROR_UNAVAILABLE,
    N_("AWS STS had a temporary problem ({code}). Try again in a minute.") },
};

static const GkAwsErrorRow sts_unknown_error =
  { "", NULL, 0, GK_STS_ERROR_FAILED,
    N_("AWS STS refused the request ({code}: {aws_message}).") };

static const GkAwsErrorRow sts_no_code_unavailable =
  { "", NULL, 0, GK_STS_ERROR_UNAVAILABLE,
    N_("AWS STS is not answering properly (HTTP {status}). Try again in a minute.") };

static const GkAwsErrorRow sts_no_code_throttled =
  { "", NULL, 0, GK_STS_ERROR_THROTTLED,
    N_("AWS STS is throttling requests. Try again in a minute.") };

static const GkAwsErrorRow sts_no_code_invalid =
  { "", NULL, 0, GK_STS_ERROR_INVALID_RESPONSE,
    N_("AWS STS answered HTTP {status} without an error code. Check sts_endpoint in the "
       "profile.") };

static const GkAwsErrorFallbacks sts_fallbacks = {
  &sts_unknown_error, &sts_no_code_throttled, &sts_no_code_unavailable, &sts_no_code_invalid,
};

/**
 * gk_sts_error_from_aws:
 * @http_status: the answer's status
 * @code: (nullable): STS's `<Code>`
 * @message: (nullable): STS's `<Message>`
 *
 * Returns: (transfer full): a #GK_STS_ERROR whose message says what to change
 */
GError *
gk_sts_error_from_aws (guint       http_status,
                       const char *code,
                       const char *message)
{
  return gk_sts_error_from_aws_for (http_status, code, message, 0, NULL);
}

/**
 * gk_sts_error_from_aws_for:
 * @operation: the #GkStsOperation the answer is to, 0 for any
 * @fields: (array zero-terminated=1) (nullable): what the operation's rows
 *   name (`role`, `external_id`, `duration`, `caller`), name, value…
 *
 * Returns: (transfer full): a #GK_STS_ERROR whose message says what to change
 */
GError *
gk_sts_error_from_aws_for (guint               http_status,
                           const char         *code,
                           const char         *message,
                           guint               operation,
                           const char * const *fields)
{
  return gk_aws_error_from_answer (GK_STS_ERROR, sts_errors, G_N_ELEMENTS (sts_errors),
                                   &sts_fallbacks, operation, http_status, code, message,
                                   fields);
}

/**
 * gk_sts_error_is_retryable:
 *
 * Returns: %TRUE for throttling and temporary trouble; refusals are never
 *   tried again
 */
gboolean
gk_sts_error_is_retryable (const GError *error)
{
  return error != NULL && error->domain == GK_STS_ERROR &&
         (error->code == GK_STS_ERROR_THROTTLED || error->code == GK_STS_ERROR_UNAVAILABLE);
}

/* ------------------------------------------------------------------------
 * Answers
 *
 * GMarkup knows no DTDs and no external entities, so a hostile answer
 * cannot make us read files or expand entity bombs.
 * ------------------------------------------------------------------------ */

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

      if (g_str_equal (parent, "Credentials") || g_str_equal (parent, "Error") ||
          g_str_equal (parent, "GetCallerIdentityResult"))
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

/* The values of a successful answer to @operation ("Parent/Element" →
 * text, wiped when freed), or %NULL with its error, whose rows name
 * @fields (see gk_sts_error_from_aws_for()). */
static GHashTable *
parse_values (const char          *xml,
              gssize               length,
              guint                http_status,
              guint                operation,
              const char * const  *fields,
              GError             **error)
{
  static const GMarkupParser parser = { sts_start, sts_end, sts_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        gk_secret_free);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  StsParser p = { stack, values, text };
  gboolean parsed;

  if (length < 0)
    length = strlen (xml);
  if ((gsize) length > MAX_RESPONSE_SIZE)
    {
      g_set_error_literal (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE,
                           _("AWS STS sent an answer that is too large. Check sts_endpoint in "
                             "the profile."));
      return NULL;
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &p, NULL);
  parsed = g_markup_parse_context_parse (context, xml, length, NULL) &&
           g_markup_parse_context_end_parse (context, NULL);

  if (parsed && g_hash_table_contains (values, "Error/Code"))
    {
      g_propagate_error (error, gk_sts_error_from_aws_for (http_status,
                                                           g_hash_table_lookup (values, "Error/Code"),
                                                           g_hash_table_lookup (values, "Error/Message"),
                                                           operation, fields));
      return NULL;
    }
  if (!parsed || http_status < 200 || http_status >= 300)
    {
      if (http_status >= 300 || http_status == 0)
        g_propagate_error (error, gk_sts_error_from_aws_for (http_status, NULL, NULL, operation,
                                                             fields));
      else
        g_set_error_literal (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE,
                             _("AWS STS sent an answer that is not valid XML. Check sts_endpoint "
                               "in the profile."));
      return NULL;
    }
  return g_steal_pointer (&values);
}

/* An answer to @operation that carries credentials. */
static GkCredentials *
parse_answer (const char          *xml,
              gssize               length,
              guint                http_status,
              guint                operation,
              const char * const  *fields,
              GError             **error)
{
  g_autoptr(GHashTable) values = parse_values (xml, length, http_status, operation, fields, error);
  g_autoptr(GDateTime) expiration = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char *key_id, *secret, *token, *expiry;

  if (values == NULL)
    return NULL;
  key_id = g_hash_table_lookup (values, "Credentials/AccessKeyId");
  secret = g_hash_table_lookup (values, "Credentials/SecretAccessKey");
  token = g_hash_table_lookup (values, "Credentials/SessionToken");
  expiry = g_hash_table_lookup (values, "Credentials/Expiration");
  if (expiry != NULL)
    expiration = g_date_time_new_from_iso8601 (g_strstrip ((char *) expiry), utc);
  if (key_id != NULL)
    g_strstrip ((char *) key_id);
  if (secret != NULL)
    g_strstrip ((char *) secret);
  if (token != NULL)
    g_strstrip ((char *) token);
  if (!gk_credentials_part_is_valid (key_id) || !gk_credentials_part_is_valid (secret) ||
      !gk_credentials_part_is_valid (token) || expiration == NULL)
    {
      g_set_error_literal (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE,
                           _("AWS STS answered without complete credentials. Check sts_endpoint "
                             "in the profile."));
      return NULL;
    }

  /* GkCredentials takes 0 as "never expires" and refuses a time before
   * it: an expiry in 1970 or earlier is not one STS gives. */
  if (g_date_time_to_unix (expiration) <= 0)
    {
      g_set_error_literal (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE,
                           _("AWS STS answered with an impossible expiry time. Check sts_endpoint "
                             "in the profile."));
      return NULL;
    }
  return gk_credentials_new (key_id, secret, token, g_date_time_to_unix (expiration));
}

/**
 * gk_sts_parse_credentials_response:
 * @xml: the body of an answer to any action that hands out credentials
 * @http_status: its status; errors are read from an `ErrorResponse`
 *
 * Returns: (transfer full): the credentials, or %NULL with a #GK_STS_ERROR
 */
GkCredentials *
gk_sts_parse_credentials_response (const char  *xml,
                                   gssize       length,
                                   guint        http_status,
                                   GError     **error)
{
  return parse_answer (xml, length, http_status, 0, NULL, error);
}

/**
 * gk_sts_parse_caller_identity:
 * @xml: the body of a GetCallerIdentity answer
 *
 * Returns: (transfer full): the caller's ARN, or %NULL with a #GK_STS_ERROR
 */
char *
gk_sts_parse_caller_identity (const char  *xml,
                              gssize       length,
                              guint        http_status,
                              GError     **error)
{
  g_autoptr(GHashTable) values = parse_values (xml, length, http_status, 0, NULL, error);
  const char *arn;

  if (values == NULL)
    return NULL;
  arn = g_hash_table_lookup (values, "GetCallerIdentityResult/Arn");
  if (arn == NULL || !g_str_has_prefix (g_strstrip ((char *) arn), "arn:"))
    {
      g_set_error_literal (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE,
                           _("AWS STS did not say who the caller is. Check sts_endpoint in the "
                             "profile."));
      return NULL;
    }
  return g_strdup (arn);
}

/* ------------------------------------------------------------------------
 * One call
 * ------------------------------------------------------------------------ */

/* Any answer that is not 2xx is an error: the one in its <ErrorResponse>,
 * or the one its status means. */
static GError *
read_error (const char          *xml,
            gsize                size,
            guint                http_status,
            guint                operation,
            const char * const  *fields)
{
  GError *error = NULL;
  g_autoptr(GHashTable) none = parse_values (xml, size, http_status, operation, fields, &error);

  g_assert (none == NULL);
  return error;
}

static const GkAwsQueryService sts_service = {
  .service = "sts",
  .version = STS_VERSION,
  .max_response_size = MAX_RESPONSE_SIZE,
  .error_quark = gk_sts_error_quark,
  .no_endpoint_code = GK_STS_ERROR_FAILED,
  .no_endpoint = N_("The profile has no usable sts_endpoint. Set it, or aws_region."),
  .too_large_code = GK_STS_ERROR_INVALID_RESPONSE,
  .too_large = N_("AWS STS sent an answer that is too large. Check sts_endpoint in the "
                  "profile."),
  .unreachable_code = GK_STS_ERROR_UNAVAILABLE,
  .unreachable = N_("Could not reach AWS STS. Check the network and sts_endpoint in the "
                    "profile."),
  .read_error = read_error,
  .is_retryable = gk_sts_error_is_retryable,
};

/* What every action that hands out credentials answers. */
static const GkAwsQueryAnswer credentials_answer = {
  (GkAwsQueryParseFunc) gk_sts_parse_credentials_response,
  (GDestroyNotify) gk_credentials_unref,
};

static const GkAwsQueryAnswer caller_identity_answer = {
  (GkAwsQueryParseFunc) gk_sts_parse_caller_identity, g_free,
};

/**
 * gk_sts_client_request_credentials_async:
 * @action: the STS action, e.g. "AssumeRoleWithWebIdentity"
 * @params: (array length=n_params): its parameters, raw
 * @signer: (nullable): credentials to sign the request with
 *
 * The generic call behind every action that answers with <Credentials>:
 * sends the form, tries again while STS throttles or has trouble, and
 * reads the credentials or the error. The form holds secrets (a web
 * identity token) and is wiped when the call ends.
 */
void
gk_sts_client_request_credentials_async (GkStsClient         *self,
                                         const char          *action,
                                         const GkSigv4Pair   *params,
                                         gsize                n_params,
                                         GkCredentials       *signer,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (GK_IS_STS_CLIENT (self));
  g_return_if_fail (action != NULL);
  g_return_if_fail (params != NULL || n_params == 0);

  gk_aws_query_client_call_async (self->query, self, gk_sts_client_request_credentials_async,
                                  action, params, n_params, signer, 0, NULL,
                                  &credentials_answer, cancellable, callback, user_data);
}

/**
 * gk_sts_client_request_credentials_finish:
 *
 * Returns: (transfer full): the credentials, or %NULL with a #GK_STS_ERROR
 *   (or %G_IO_ERROR_CANCELLED)
 */
GkCredentials *
gk_sts_client_request_credentials_finish (GkStsClient   *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return gk_aws_query_client_call_finish (result, error);
}

/* ------------------------------------------------------------------------
 * GetCallerIdentity
 * ------------------------------------------------------------------------ */

/**
 * gk_sts_client_get_caller_identity_async:
 * @signer: the credentials to ask about
 *
 * Who @signer's credentials are: for a role's, the assumed role's ARN,
 * which names the role (a lab check asks which role an identity pool
 * gives).
 */
void
gk_sts_client_get_caller_identity_async (GkStsClient         *self,
                                         GkCredentials       *signer,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (GK_IS_STS_CLIENT (self));
  g_return_if_fail (signer != NULL);

  gk_aws_query_client_call_async (self->query, self, gk_sts_client_get_caller_identity_async,
                                  "GetCallerIdentity", NULL, 0, signer, 0, NULL,
                                  &caller_identity_answer, cancellable, callback, user_data);
}

/**
 * gk_sts_client_get_caller_identity_finish:
 *
 * Returns: (transfer full): the caller's ARN, or %NULL with a #GK_STS_ERROR
 */
char *
gk_sts_client_get_caller_identity_finish (GkStsClient   *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return gk_aws_query_client_call_finish (result, error);
}

/* ------------------------------------------------------------------------
 * AssumeRoleWithWebIdentity
 * ------------------------------------------------------------------------ */

/**
 * gk_sts_client_assume_role_with_web_identity_async:
 * @role_arn: the role to assume
 * @session_name: (nullable): who, for the role session name; sanitised here
 * @web_identity_token: the token of an identity provider the role trusts
 * @duration_seconds: the session length, clamped to 900–43200
 *
 * Unsigned: the token is the proof.
 */
void
gk_sts_client_assume_role_with_web_identity_async (GkStsClient         *self,
                                                   const char          *role_arn,
                                                   const char          *session_name,
                                                   const char          *web_identity_token,
                                                   guint                duration_seconds,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  g_autofree char *name = gk_sts_sanitize_session_name (session_name);
  g_autofree char *duration = g_strdup_printf ("%u", gk_sts_clamp_duration (duration_seconds));
  GkSigv4Pair params[] = {
    { "RoleArn", role_arn },
    { "RoleSessionName", name },
    { "DurationSeconds", duration },
    { "WebIdentityToken", web_identity_token },
  };

  g_return_if_fail (GK_IS_STS_CLIENT (self));
  g_return_if_fail (role_arn != NULL);
  g_return_if_fail (web_identity_token != NULL);

  gk_aws_query_client_call_async (self->query, self, gk_sts_client_request_credentials_async,
                                  "AssumeRoleWithWebIdentity", params, G_N_ELEMENTS (params),
                                  NULL, GK_STS_OPERATION_WEB_IDENTITY, NULL,
                                  &credentials_answer, cancellable, callback, user_data);
}

/**
 * gk_sts_client_assume_role_with_web_identity_finish:
 *
 * Returns: (transfer full): the role's credentials, or %NULL with a
 *   #GK_STS_ERROR (or %G_IO_ERROR_CANCELLED)
 */
GkCredentials *
gk_sts_client_assume_role_with_web_identity_finish (GkStsClient   *self,
                                                    GAsyncResult  *result,
                                                    GError       **error)
{
  return gk_sts_client_request_credentials_finish (self, result, error);
}

/* ------------------------------------------------------------------------
 * AssumeRole
 * ------------------------------------------------------------------------ */

/**
 * gk_sts_assume_role_params:
 * @request: the role and how to assume it
 *
 * The parameters of AssumeRole, raw, in the order STS documents them:
 * RoleArn, RoleSessionName (sanitised), DurationSeconds (clamped; left out
 * at 0, so STS's one-hour default applies), ExternalId, SourceIdentity,
 * and each session tag as Tags.member.N.Key / Tags.member.N.Value.
 *
 * Returns: (transfer full) (element-type utf8): name, value, name, value…
 */
GPtrArray *
gk_sts_assume_role_params (const GkStsAssumeRoleRequest *request)
{
  GPtrArray *params = g_ptr_array_new_with_free_func (g_free);
  const char * const *tags = request->tags;

  g_return_val_if_fail (request->role_arn != NULL, params);

#define ADD(name, value) G_STMT_START { \
    g_ptr_array_add (params, g_strdup (name)); \
    g_ptr_array_add (params, value); \
  } G_STMT_END
  ADD ("RoleArn", g_strdup (request->role_arn));
  ADD ("RoleSessionName", gk_sts_sanitize_session_name (request->role_session_name));
  if (request->duration_seconds != 0)
    ADD ("DurationSeconds", g_strdup_printf ("%u", gk_sts_clamp_duration (request->duration_seconds)));
  if (request->external_id != NULL)
    ADD ("ExternalId", g_strdup (request->external_id));
  if (request->source_identity != NULL)
    ADD ("SourceIdentity", g_strdup (request->source_identity));
  for (guint i = 0; tags != NULL && tags[i] != NULL && tags[i + 1] != NULL; i += 2)
    {
      /* The names are made here: taken as they are, not copied. */
      g_ptr_array_add (params, g_strdup_printf ("Tags.member.%u.Key", i / 2 + 1));
      g_ptr_array_add (params, g_strdup (tags[i]));
      g_ptr_array_add (params, g_strdup_printf ("Tags.member.%u.Value", i / 2 + 1));
      g_ptr_array_add (params, g_strdup (tags[i + 1]));
    }
#undef ADD

  return params;
}

/**
 * gk_sts_assume_role_error_fields:
 * @request: the request the error answers
 *
 * Returns: (transfer full): the fields AssumeRole's error rows name, for
 *   gk_sts_error_from_aws_for()
 */
GStrv
gk_sts_assume_role_error_fields (const GkStsAssumeRoleRequest *request)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *duration = g_strdup_printf ("%u", request->duration_seconds != 0
                                                     ? request->duration_seconds : 3600);

  g_strv_builder_add_many (builder,
                           "role", request->role_arn,
                           "external_id", request->external_id != NULL ? request->external_id : "",
                           "duration", duration,
                           "caller", request->caller != NULL ? request->caller
                                                             : _("the credentials that sign the request"),
                           NULL);
  return g_strv_builder_end (builder);
}

/**
 * gk_sts_client_assume_role_async:
 * @request: the role and how to assume it
 * @signer: the caller's credentials; STS judges the caller by them
 *
 * STS AssumeRole, signed with @signer. Refusals come back in words that
 * name what to change: a wrong external ID, a duration above the role's
 * maximum (or role chaining's hour), a role that does not trust the caller.
 */
void
gk_sts_client_assume_role_async (GkStsClient                  *self,
                                 const GkStsAssumeRoleRequest *request,
                                 GkCredentials                *signer,
                                 GCancellable                 *cancellable,
                                 GAsyncReadyCallback           callback,
                                 gpointer                      user_data)
{
  g_autoptr(GPtrArray) params = NULL;
  g_autofree GkSigv4Pair *pairs = NULL;
  g_auto(GStrv) fields = NULL;

  g_return_if_fail (GK_IS_STS_CLIENT (self));
  g_return_if_fail (request != NULL && request->role_arn != NULL);
  g_return_if_fail (signer != NULL);

  params = gk_sts_assume_role_params (request);
  pairs = g_new0 (GkSigv4Pair, params->len / 2);
  for (guint i = 0; i + 1 < params->len; i += 2)
    pairs[i / 2] = (GkSigv4Pair) { params->pdata[i], params->pdata[i + 1] };
  fields = gk_sts_assume_role_error_fields (request);

  gk_aws_query_client_call_async (self->query, self, gk_sts_client_request_credentials_async,
                                  "AssumeRole", pairs, params->len / 2, signer,
                                  request->external_id != NULL
                                    ? GK_STS_OPERATION_ASSUME_ROLE_EXTERNAL_ID
                                    : GK_STS_OPERATION_ASSUME_ROLE,
                                  (const char * const *) fields, &credentials_answer,
                                  cancellable, callback, user_data);
}

/**
 * gk_sts_client_assume_role_finish:
 *
 * Returns: (transfer full): the role's credentials, or %NULL with a
 *   #GK_STS_ERROR (or %G_IO_ERROR_CANCELLED)
 */
GkCredentials *
gk_sts_client_assume_role_finish (GkStsClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return gk_sts_client_request_credentials_finish (self, result, error);
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_sts_client_finalize (GObject *object)
{
  GkStsClient *self = GK_STS_CLIENT (object);

  g_clear_pointer (&self->query, gk_aws_query_client_unref);

  G_OBJECT_CLASS (gk_sts_client_parent_class)->finalize (object);
}

static void
gk_sts_client_class_init (GkStsClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_sts_client_finalize;
}

static void
gk_sts_client_init (GkStsClient *self)
{
}

/**
 * gk_sts_client_new:
 * @endpoint: (nullable): STS's URL; a call without one fails and says so
 * @region: (nullable): the region signed calls are signed for
 *
 * Returns: (transfer full): a new client
 */
GkStsClient *
gk_sts_client_new (const char *endpoint,
                   const char *region)
{
  GkStsClient *self = g_object_new (GK_TYPE_STS_CLIENT, NULL);

  self->query = gk_aws_query_client_new (&sts_service, endpoint, region);
  return self;
}

/**
 * gk_sts_client_set_retry:
 * @max_attempts: attempts per call, at least 1
 * @base_delay_ms: the first backoff delay
 */
void
gk_sts_client_set_retry (GkStsClient *self,
                         guint        max_attempts,
                         guint        base_delay_ms)
{
  g_return_if_fail (GK_IS_STS_CLIENT (self));

  gk_aws_query_client_set_retry (self->query, max_attempts, base_delay_ms);
}
