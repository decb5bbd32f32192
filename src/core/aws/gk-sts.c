/* gk-sts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-aws-call.h"
#include "gk-aws-error.h"
#include "gk-http.h"
#include "gk-sts.h"

/* STS answers are small; anything bigger is not STS's. */
#define MAX_RESPONSE_SIZE (256 * 1024)
#define STS_VERSION       "2011-06-15"
#define FORM_TYPE         "application/x-www-form-urlencoded; charset=utf-8"

struct _GkStsClient
{
  GObject parent_instance;

  char *endpoint;
  char *region;
  SoupSession *session;
  GkSigv4Signer *signer;
  GkAwsRetryPolicy retry;
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

static const GkAwsErrorRow sts_errors[] = {
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
  g_autofree char *bare = gk_aws_error_normalize_code (code);
  g_autofree char *quoted = gk_aws_error_clean_message (message);
  g_autofree char *status = g_strdup_printf ("%u", http_status);
  const char *fields[] = { "code", bare != NULL ? bare : "", "aws_message", quoted,
                           "status", status, NULL };
  const GkAwsErrorRow *row;

  row = gk_aws_error_find (sts_errors, G_N_ELEMENTS (sts_errors), bare, message, 0);
  if (row == NULL && bare != NULL)
    row = &sts_unknown_error;
  else if (row == NULL && http_status == 429)
    row = &sts_no_code_throttled;
  else if (row == NULL && (http_status >= 500 || http_status == 0))
    row = &sts_no_code_unavailable;
  else if (row == NULL)
    row = &sts_no_code_invalid;

  return gk_aws_error_new_from_row (GK_STS_ERROR, row, fields);
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
      g_propagate_error (error, gk_sts_error_from_aws (http_status,
                                                       g_hash_table_lookup (values, "Error/Code"),
                                                       g_hash_table_lookup (values, "Error/Message")));
      return NULL;
    }
  if (!parsed || http_status < 200 || http_status >= 300)
    {
      if (http_status >= 300 || http_status == 0)
        g_propagate_error (error, gk_sts_error_from_aws (http_status, NULL, NULL));
      else
        g_set_error_literal (error, GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE,
                             _("AWS STS sent an answer that is not valid XML. Check sts_endpoint "
                               "in the profile."));
      return NULL;
    }

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

/* ------------------------------------------------------------------------
 * One call
 * ------------------------------------------------------------------------ */

typedef struct
{
  GkStsClient *client;
  GBytes *form;                /* the whole body, wiped when freed */
  GkCredentials *signer;       /* nullable: unsigned */
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->form, g_bytes_unref);
  g_clear_pointer (&data->signer, gk_credentials_unref);
  g_free (data);
}

static gboolean
sign_message (GkStsClient    *self,
              SoupMessage    *message,
              GBytes         *form,
              GkCredentials  *credentials,
              GError        **error)
{
  GUri *uri = soup_message_get_uri (message);
  const char *path = *g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/";
  g_autofree char *host = NULL;
  g_autofree char *payload_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, form);
  const GkSigv4Pair headers[] = { { "content-type", FORM_TYPE } };
  g_auto(GStrv) auth = NULL;
  SoupMessageHeaders *request_headers = soup_message_get_request_headers (message);
  int port = g_uri_get_port (uri);
  const char *scheme = g_uri_get_scheme (uri);

  /* The host header libsoup sends names the port only when it is not the
   * scheme's default; the signed host must say the same. */
  if (port < 0 || (port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    host = g_strdup (g_uri_get_host (uri));
  else
    host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);

  auth = gk_sigv4_signer_sign_headers (self->signer, credentials, self->region, "sts", "POST",
                                       host, path, NULL, 0, headers, G_N_ELEMENTS (headers),
                                       payload_hash, g_get_real_time () / G_USEC_PER_SEC, NULL,
                                       error);
  if (auth == NULL)
    return FALSE;

  for (guint i = 0; auth[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, auth[i], auth[i + 1]);
  return TRUE;
}

static SoupMessage *
build_message (gpointer   user_data,
               GError   **error)
{
  CallData *data = user_data;
  GkStsClient *self = data->client;
  g_autoptr(SoupMessage) message = NULL;

  if (self->endpoint == NULL || g_uri_peek_scheme (self->endpoint) == NULL ||
      (message = soup_message_new (SOUP_METHOD_POST, self->endpoint)) == NULL)
    {
      g_set_error_literal (error, GK_STS_ERROR, GK_STS_ERROR_FAILED,
                           _("The profile has no usable sts_endpoint. Set it, or aws_region."));
      return NULL;
    }

  /* A redirect would take the form (and a signature) elsewhere. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (message, FORM_TYPE, data->form);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "text/xml");

  if (data->signer != NULL && !sign_message (self, message, data->form, data->signer, error))
    return NULL;

  return g_steal_pointer (&message);
}

static GError *
read_failure (gpointer      user_data,
              SoupMessage  *message,
              GBytes       *body,
              const GError *transport_error)
{
  gsize size = 0;
  const char *xml;
  GError *error = NULL;
  g_autoptr(GkCredentials) none = NULL;

  if (g_error_matches (transport_error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
    return g_error_new_literal (GK_STS_ERROR, GK_STS_ERROR_INVALID_RESPONSE,
                                _("AWS STS sent an answer that is too large. Check sts_endpoint "
                                  "in the profile."));
  if (transport_error != NULL)
    return g_error_new_literal (GK_STS_ERROR, GK_STS_ERROR_UNAVAILABLE,
                                _("Could not reach AWS STS. Check the network and sts_endpoint in "
                                  "the profile."));

  xml = g_bytes_get_data (body, &size);
  none = gk_sts_parse_credentials_response (xml != NULL ? xml : "", size,
                                            soup_message_get_status (message), &error);
  g_assert (none == NULL);
  return error;
}

static const GkAwsCallClass sts_call_class = {
  .max_response_size = MAX_RESPONSE_SIZE,
  .build = build_message,
  .read_failure = read_failure,
  .is_retryable = gk_sts_error_is_retryable,
};

static void
on_credentials_call_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = gk_aws_call_finish (result, &error);
  GkCredentials *credentials;
  const char *xml;
  gsize size = 0;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  xml = g_bytes_get_data (body, &size);
  credentials = gk_sts_parse_credentials_response (xml != NULL ? xml : "", size, 200, &error);
  if (credentials == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) gk_credentials_unref);
}

static GBytes *
encode_form (const char        *action,
             const GkSigv4Pair *params,
             gsize              n_params)
{
  GString *form = g_string_new (NULL);
  gsize len;
  char *str;

  /* The same encoding as SigV4's, so a signed body and its hash agree with
   * what any AWS SDK would have sent. */
  g_string_append (form, "Action=");
  gk_sigv4_uri_encode (form, action, -1, FALSE);
  g_string_append (form, "&Version=" STS_VERSION);
  for (gsize i = 0; i < n_params; i++)
    {
      g_string_append_c (form, '&');
      gk_sigv4_uri_encode (form, params[i].name, -1, FALSE);
      g_string_append_c (form, '=');
      gk_sigv4_uri_encode (form, params[i].value, -1, FALSE);
    }

  len = form->len;
  str = g_string_free (form, FALSE);
  return g_bytes_new_with_free_func (str, len, wipe_string, str);
}

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
  GTask *task;
  CallData *data;

  g_return_if_fail (GK_IS_STS_CLIENT (self));
  g_return_if_fail (action != NULL);
  g_return_if_fail (params != NULL || n_params == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_sts_client_request_credentials_async);

  data = g_new0 (CallData, 1);
  data->client = g_object_ref (self);
  data->form = encode_form (action, params, n_params);
  data->signer = signer != NULL ? gk_credentials_ref (signer) : NULL;

  gk_aws_call_async (self->session, &sts_call_class, &self->retry, action, data,
                     (GDestroyNotify) call_data_free, cancellable, on_credentials_call_cb,
                     task);
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

  return g_task_propagate_pointer (G_TASK (result), error);
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

  gk_sts_client_request_credentials_async (self, "AssumeRoleWithWebIdentity", params,
                                           G_N_ELEMENTS (params), NULL, cancellable,
                                           callback, user_data);
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
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_sts_client_dispose (GObject *object)
{
  GkStsClient *self = GK_STS_CLIENT (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (gk_sts_client_parent_class)->dispose (object);
}

static void
gk_sts_client_finalize (GObject *object)
{
  GkStsClient *self = GK_STS_CLIENT (object);

  g_free (self->endpoint);
  g_free (self->region);
  g_clear_pointer (&self->signer, gk_sigv4_signer_free);

  G_OBJECT_CLASS (gk_sts_client_parent_class)->finalize (object);
}

static void
gk_sts_client_class_init (GkStsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_sts_client_dispose;
  object_class->finalize = gk_sts_client_finalize;
}

static void
gk_sts_client_init (GkStsClient *self)
{
  self->retry.max_attempts = GK_AWS_RETRY_DEFAULT_ATTEMPTS;
  self->retry.base_delay_ms = GK_AWS_RETRY_DEFAULT_DELAY_MS;
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

  self->endpoint = g_strdup (endpoint);
  self->region = g_strdup (region);
  self->signer = gk_sigv4_signer_new ();
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "idle-timeout", 60,
                                                 "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 NULL);
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

  self->retry.max_attempts = MAX (max_attempts, 1);
  self->retry.base_delay_ms = base_delay_ms;
}
