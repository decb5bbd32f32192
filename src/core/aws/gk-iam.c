/* gk-iam.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-aws-error.h"
#include "gk-aws-query.h"
#include "gk-iam.h"

/* IAM's answers about one user's keys are small. */
#define MAX_RESPONSE_SIZE (256 * 1024)
#define IAM_VERSION       "2010-05-08"

struct _GkIamClient
{
  GObject parent_instance;

  GkAwsQueryClient *query;
};

G_DEFINE_FINAL_TYPE (GkIamClient, gk_iam_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-iam-error-quark, gk_iam_error)

void
gk_iam_access_key_free (GkIamAccessKey *key)
{
  if (key == NULL)
    return;
  g_free (key->access_key_id);
  g_free (key->status);
  g_free (key);
}

void
gk_iam_key_last_used_free (GkIamKeyLastUsed *last_used)
{
  if (last_used == NULL)
    return;
  g_free (last_used->service_name);
  g_free (last_used->region);
  g_free (last_used);
}

/* ------------------------------------------------------------------------
 * Errors
 *
 * The query API's common errors and IAM's own (botocore's
 * data/iam/2010-05-08/service-2.json: NoSuchEntity, ServiceFailure).
 * ------------------------------------------------------------------------ */

static const GkAwsErrorRow iam_errors[] = {
  { "AccessDenied", NULL, 0, GK_IAM_ERROR_ACCESS_DENIED,
    N_("IAM does not let this key read its own details (AWS said: “{aws_message}”). A policy "
       "allowing iam:ListAccessKeys and iam:GetAccessKeyLastUsed on the user itself would.") },
  { "InvalidClientTokenId", NULL, 0, GK_IAM_ERROR_KEY_REFUSED,
    N_("AWS does not know this access key: it was deleted, deactivated or mistyped. Store the "
       "current key.") },
  { "SignatureDoesNotMatch", NULL, 0, GK_IAM_ERROR_KEY_REFUSED,
    N_("AWS computed a different signature: the stored secret does not belong to this access "
       "key. Store the right secret.") },
  { "NoSuchEntity", NULL, 0, GK_IAM_ERROR_NOT_FOUND,
    N_("IAM does not know the user or the key (AWS said: “{aws_message}”).") },
  { "RequestExpired", NULL, 0, GK_IAM_ERROR_KEY_REFUSED,
    N_("IAM found the request too old. Check that the computer’s clock is right.") },
  { "Throttling", NULL, 0, GK_IAM_ERROR_THROTTLED,
    N_("IAM is throttling requests. Try again in a minute.") },
  { "ThrottlingException", NULL, 0, GK_IAM_ERROR_THROTTLED,
    N_("IAM is throttling requests. Try again in a minute.") },
  { "RequestLimitExceeded", NULL, 0, GK_IAM_ERROR_THROTTLED,
    N_("IAM is throttling requests. Try again in a minute.") },
  { "ServiceFailure", NULL, 0, GK_IAM_ERROR_UNAVAILABLE,
    N_("IAM had a temporary problem ({code}). Try again in a minute.") },
  { "InternalFailure", NULL, 0, GK_IAM_ERROR_UNAVAILABLE,
    N_("IAM had a temporary problem ({code}). Try again in a minute.") },
  { "ServiceUnavailable", NULL, 0, GK_IAM_ERROR_UNAVAILABLE,
    N_("IAM had a temporary problem ({code}). Try again in a minute.") },
};

static const GkAwsErrorRow iam_unknown_error =
  { "", NULL, 0, GK_IAM_ERROR_FAILED,
    N_("IAM refused the request ({code}: {aws_message}).") };

static const GkAwsErrorRow iam_no_code_unavailable =
  { "", NULL, 0, GK_IAM_ERROR_UNAVAILABLE,
    N_("IAM is not answering properly (HTTP {status}). Try again in a minute.") };

static const GkAwsErrorRow iam_no_code_throttled =
  { "", NULL, 0, GK_IAM_ERROR_THROTTLED,
    N_("IAM is throttling requests. Try again in a minute.") };

static const GkAwsErrorRow iam_no_code_invalid =
  { "", NULL, 0, GK_IAM_ERROR_INVALID_RESPONSE,
    N_("IAM answered HTTP {status} without an error code. Check iam_endpoint in the profile.") };

/**
 * gk_iam_error_from_aws:
 * @http_status: the answer's status
 * @code: (nullable): IAM's `<Code>`
 * @message: (nullable): IAM's `<Message>`; it names the user and the
 *   action, never a secret
 *
 * Returns: (transfer full): a #GK_IAM_ERROR whose message says what to change
 */
GError *
gk_iam_error_from_aws (guint       http_status,
                       const char *code,
                       const char *message)
{
  static const GkAwsErrorFallbacks fallbacks = {
    &iam_unknown_error, &iam_no_code_throttled, &iam_no_code_unavailable, &iam_no_code_invalid,
  };

  return gk_aws_error_from_answer (GK_IAM_ERROR, iam_errors, G_N_ELEMENTS (iam_errors),
                                   &fallbacks, 0, http_status, code, message, NULL);
}

static gboolean
iam_error_is_retryable (const GError *error)
{
  return error != NULL && error->domain == GK_IAM_ERROR &&
         (error->code == GK_IAM_ERROR_THROTTLED || error->code == GK_IAM_ERROR_UNAVAILABLE);
}

/* ------------------------------------------------------------------------
 * Answers
 *
 * GMarkup knows no DTDs and no external entities. Only the elements
 * Genokey reads are kept: each <member> of <AccessKeyMetadata>, the
 * children of <AccessKeyLastUsed>, and <Error>'s code and message.
 * ------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *stack;     /* element names */
  GString *text;
  GPtrArray *keys;      /* GkIamAccessKey */
  GkIamKeyLastUsed *last_used;
  char *error_code;
  char *error_message;
  gboolean saw_last_used;
} IamParser;

static const char *
stack_at (IamParser *p,
          guint      from_top)
{
  return p->stack->len > from_top ? g_ptr_array_index (p->stack, p->stack->len - 1 - from_top)
                                  : "";
}

static void
set_str (char       **slot,
         const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static gint64
parse_date (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, utc);

  return dt != NULL ? g_date_time_to_unix (dt) : -1;
}

static void
iam_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  IamParser *p = user_data;

  if (p->stack->len > 16)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too deep");
      return;
    }
  if (g_str_equal (element, "member") && g_str_equal (stack_at (p, 0), "AccessKeyMetadata"))
    g_ptr_array_add (p->keys, g_new0 (GkIamAccessKey, 1));
  if (g_str_equal (element, "AccessKeyLastUsed"))
    p->saw_last_used = TRUE;
  g_ptr_array_add (p->stack, g_strdup (element));
  g_string_truncate (p->text, 0);
}

static void
iam_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  IamParser *p = user_data;
  const char *parent = stack_at (p, 1);
  const char *text = g_strstrip (p->text->str);

  if (g_str_equal (parent, "member") && g_str_equal (stack_at (p, 2), "AccessKeyMetadata") &&
      p->keys->len > 0)
    {
      GkIamAccessKey *key = g_ptr_array_index (p->keys, p->keys->len - 1);

      if (g_str_equal (element, "AccessKeyId"))
        set_str (&key->access_key_id, text);
      else if (g_str_equal (element, "Status"))
        set_str (&key->status, text);
      else if (g_str_equal (element, "CreateDate"))
        key->created = parse_date (text);
    }
  else if (g_str_equal (parent, "AccessKeyLastUsed"))
    {
      if (g_str_equal (element, "LastUsedDate"))
        p->last_used->last_used = MAX (parse_date (text), 0);
      /* IAM says "N/A" for a key that was never used. */
      else if (g_str_equal (element, "ServiceName") && g_strcmp0 (text, "N/A") != 0)
        set_str (&p->last_used->service_name, text);
      else if (g_str_equal (element, "Region") && g_strcmp0 (text, "N/A") != 0)
        set_str (&p->last_used->region, text);
    }
  else if (g_str_equal (parent, "Error"))
    {
      if (g_str_equal (element, "Code"))
        set_str (&p->error_code, text);
      else if (g_str_equal (element, "Message"))
        set_str (&p->error_message, text);
    }

  if (p->stack->len > 0)
    g_ptr_array_remove_index (p->stack, p->stack->len - 1);
  g_string_truncate (p->text, 0);
}

static void
iam_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  IamParser *p = user_data;

  if (p->text->len + text_len > MAX_RESPONSE_SIZE)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too long");
      return;
    }
  g_string_append_len (p->text, text, text_len);
}

/* Parses @xml into @p; FALSE with a #GK_IAM_ERROR for an error answer or
 * one that cannot be read. */
static gboolean
parse_answer (const char  *xml,
              gssize       length,
              guint        http_status,
              IamParser   *p,
              GError     **error)
{
  static const GMarkupParser parser = { iam_start, iam_end, iam_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  gboolean parsed;

  if (length < 0)
    length = strlen (xml);
  if ((gsize) length > MAX_RESPONSE_SIZE)
    {
      g_set_error_literal (error, GK_IAM_ERROR, GK_IAM_ERROR_INVALID_RESPONSE,
                           _("IAM sent an answer that is too large. Check iam_endpoint in the "
                             "profile."));
      return FALSE;
    }

  p->stack = g_ptr_array_new_with_free_func (g_free);
  p->text = g_string_new (NULL);
  p->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_iam_access_key_free);
  p->last_used = g_new0 (GkIamKeyLastUsed, 1);

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, p, NULL);
  parsed = g_markup_parse_context_parse (context, xml, length, NULL) &&
           g_markup_parse_context_end_parse (context, NULL);

  if (parsed && p->error_code != NULL)
    {
      g_propagate_error (error, gk_iam_error_from_aws (http_status, p->error_code,
                                                       p->error_message));
      return FALSE;
    }
  if (http_status < 200 || http_status >= 300)
    {
      g_propagate_error (error, gk_iam_error_from_aws (http_status, NULL, NULL));
      return FALSE;
    }
  if (!parsed)
    {
      g_set_error_literal (error, GK_IAM_ERROR, GK_IAM_ERROR_INVALID_RESPONSE,
                           _("IAM sent an answer that is not valid XML. Check iam_endpoint in "
                             "the profile."));
      return FALSE;
    }
  return TRUE;
}

static void
iam_parser_clear (IamParser *p)
{
  g_clear_pointer (&p->stack, g_ptr_array_unref);
  if (p->text != NULL)
    g_string_free (p->text, TRUE);
  p->text = NULL;
  g_clear_pointer (&p->keys, g_ptr_array_unref);
  g_clear_pointer (&p->last_used, gk_iam_key_last_used_free);
  g_clear_pointer (&p->error_code, g_free);
  g_clear_pointer (&p->error_message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IamParser, iam_parser_clear)

/**
 * gk_iam_parse_list_access_keys:
 *
 * Returns: (transfer full) (element-type GkIamAccessKey): the keys, each
 *   with an ID, a status and a creation date; or %NULL with a #GK_IAM_ERROR
 */
GPtrArray *
gk_iam_parse_list_access_keys (const char  *xml,
                               gssize       length,
                               guint        http_status,
                               GError     **error)
{
  g_auto(IamParser) p = { 0 };

  if (!parse_answer (xml, length, http_status, &p, error))
    return NULL;

  for (guint i = 0; i < p.keys->len; i++)
    {
      GkIamAccessKey *key = g_ptr_array_index (p.keys, i);

      if (key->access_key_id == NULL || *key->access_key_id == '\0' || key->created <= 0)
        {
          g_set_error_literal (error, GK_IAM_ERROR, GK_IAM_ERROR_INVALID_RESPONSE,
                               _("IAM listed an access key without its ID or creation date. "
                                 "Check iam_endpoint in the profile."));
          return NULL;
        }
    }
  return g_steal_pointer (&p.keys);
}

/**
 * gk_iam_parse_access_key_last_used:
 *
 * Returns: (transfer full): when and where the key was last used (a time
 *   of 0 for never), or %NULL with a #GK_IAM_ERROR
 */
GkIamKeyLastUsed *
gk_iam_parse_access_key_last_used (const char  *xml,
                                   gssize       length,
                                   guint        http_status,
                                   GError     **error)
{
  g_auto(IamParser) p = { 0 };

  if (!parse_answer (xml, length, http_status, &p, error))
    return NULL;
  if (!p.saw_last_used)
    {
      g_set_error_literal (error, GK_IAM_ERROR, GK_IAM_ERROR_INVALID_RESPONSE,
                           _("IAM answered without the key’s last use. Check iam_endpoint in "
                             "the profile."));
      return NULL;
    }
  if (p.last_used->last_used == 0)
    {
      g_clear_pointer (&p.last_used->service_name, g_free);
      g_clear_pointer (&p.last_used->region, g_free);
    }
  return g_steal_pointer (&p.last_used);
}

/**
 * gk_iam_find_access_key:
 * @keys: (element-type GkIamAccessKey): from gk_iam_parse_list_access_keys()
 *
 * Returns: (transfer none) (nullable): the key with that ID
 */
GkIamAccessKey *
gk_iam_find_access_key (GPtrArray  *keys,
                        const char *access_key_id)
{
  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      GkIamAccessKey *key = g_ptr_array_index (keys, i);

      if (g_strcmp0 (key->access_key_id, access_key_id) == 0)
        return key;
    }
  return NULL;
}

/* ------------------------------------------------------------------------
 * Calls
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
  g_auto(IamParser) p = { 0 };
  GError *error = NULL;

  if (parse_answer (xml, size, http_status, &p, &error))
    error = gk_iam_error_from_aws (http_status, NULL, NULL);
  return error;
}

static const GkAwsQueryService iam_service = {
  .service = "iam",
  .version = IAM_VERSION,
  .max_response_size = MAX_RESPONSE_SIZE,
  .error_quark = gk_iam_error_quark,
  .no_endpoint_code = GK_IAM_ERROR_FAILED,
  .no_endpoint = N_("The profile has no usable iam_endpoint. Set it to IAM’s address."),
  .too_large_code = GK_IAM_ERROR_INVALID_RESPONSE,
  .too_large = N_("IAM sent an answer that is too large. Check iam_endpoint in the profile."),
  .unreachable_code = GK_IAM_ERROR_UNAVAILABLE,
  .unreachable = N_("Could not reach IAM. Check the network and iam_endpoint in the profile."),
  .read_error = read_error,
  .is_retryable = iam_error_is_retryable,
};

static const GkAwsQueryAnswer access_keys_answer = {
  (GkAwsQueryParseFunc) gk_iam_parse_list_access_keys,
  (GDestroyNotify) g_ptr_array_unref,
};

static const GkAwsQueryAnswer last_used_answer = {
  (GkAwsQueryParseFunc) gk_iam_parse_access_key_last_used,
  (GDestroyNotify) gk_iam_key_last_used_free,
};

/**
 * gk_iam_client_list_access_keys_async:
 * @signer: the key to ask about; IAM lists the keys of the user it belongs to
 */
void
gk_iam_client_list_access_keys_async (GkIamClient         *self,
                                      GkCredentials       *signer,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (GK_IS_IAM_CLIENT (self));
  g_return_if_fail (signer != NULL);

  /* Without UserName, IAM lists the keys of the user that signs the call. */
  gk_aws_query_client_call_async (self->query, self, gk_iam_client_list_access_keys_async,
                                  "ListAccessKeys", NULL, 0, signer, 0, NULL,
                                  &access_keys_answer, cancellable, callback, user_data);
}

/**
 * gk_iam_client_list_access_keys_finish:
 *
 * Returns: (transfer full) (element-type GkIamAccessKey): the keys, or
 *   %NULL with a #GK_IAM_ERROR (or %G_IO_ERROR_CANCELLED)
 */
GPtrArray *
gk_iam_client_list_access_keys_finish (GkIamClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return gk_aws_query_client_call_finish (result, error);
}

void
gk_iam_client_get_access_key_last_used_async (GkIamClient         *self,
                                              const char          *access_key_id,
                                              GkCredentials       *signer,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  const GkSigv4Pair params[] = { { "AccessKeyId", access_key_id } };

  g_return_if_fail (GK_IS_IAM_CLIENT (self));
  g_return_if_fail (access_key_id != NULL && signer != NULL);

  gk_aws_query_client_call_async (self->query, self,
                                  gk_iam_client_get_access_key_last_used_async,
                                  "GetAccessKeyLastUsed", params, G_N_ELEMENTS (params), signer,
                                  0, NULL, &last_used_answer, cancellable, callback, user_data);
}

/**
 * gk_iam_client_get_access_key_last_used_finish:
 *
 * Returns: (transfer full): when and where the key was last used, or %NULL
 *   with a #GK_IAM_ERROR (or %G_IO_ERROR_CANCELLED)
 */
GkIamKeyLastUsed *
gk_iam_client_get_access_key_last_used_finish (GkIamClient   *self,
                                               GAsyncResult  *result,
                                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return gk_aws_query_client_call_finish (result, error);
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_iam_client_finalize (GObject *object)
{
  GkIamClient *self = GK_IAM_CLIENT (object);

  g_clear_pointer (&self->query, gk_aws_query_client_unref);

  G_OBJECT_CLASS (gk_iam_client_parent_class)->finalize (object);
}

static void
gk_iam_client_class_init (GkIamClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_iam_client_finalize;
}

static void
gk_iam_client_init (GkIamClient *self)
{
}

/**
 * gk_iam_client_new:
 * @endpoint: (nullable): IAM's URL; a call without one fails and says so
 *
 * Returns: (transfer full): a new client
 */
GkIamClient *
gk_iam_client_new (const char *endpoint)
{
  GkIamClient *self = g_object_new (GK_TYPE_IAM_CLIENT, NULL);

  self->query = gk_aws_query_client_new (&iam_service, endpoint, GK_IAM_SIGNING_REGION);
  return self;
}

void
gk_iam_client_set_retry (GkIamClient *self,
                         guint        max_attempts,
                         guint        base_delay_ms)
{
  g_return_if_fail (GK_IS_IAM_CLIENT (self));

  gk_aws_query_client_set_retry (self->query, max_attempts, base_delay_ms);
}
