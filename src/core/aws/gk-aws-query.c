/* gk-aws-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "gk-aws-query.h"
#include "gk-secret.h"

#define QUERY_FORM_TYPE "application/x-www-form-urlencoded; charset=utf-8"

struct _GkAwsQueryClient
{
  const GkAwsQueryService *service;
  char *endpoint;
  char *region;
  SoupSession *session;
  GkSigv4Signer *signer;
  GkAwsRetryPolicy retry;
  /* The service's size ceiling and retry test with this file's request
   * and failure reading; each call holds a reference to the client, so
   * the class lives as long as the call. */
  GkAwsCallClass call_class;
};

/* The body as text for a parser that takes a length; "" for an empty one. */
static const char *
answer_text (GBytes *body,
             gsize  *size)
{
  const char *text = g_bytes_get_data (body, size);

  return text != NULL ? text : "";
}

static SoupMessage *build_message (gpointer      user_data,
                                   GError      **error);
static GError      *read_failure  (gpointer      user_data,
                                   SoupMessage  *message,
                                   GBytes       *body,
                                   const GError *transport_error);

/* The form of Action, Version and the call's @params (raw), encoded
 * exactly as SigV4 encodes a query, so a signed body and its hash agree
 * with what any AWS SDK would have sent. It may hold secrets (a web
 * identity token) and is wiped when the last reference goes. */
static GBytes *
query_form (const char        *action,
            const char        *version,
            const GkSigv4Pair *params,
            gsize              n_params)
{
  GString *form = g_string_new (NULL);
  gsize len;
  char *str;

  g_return_val_if_fail (action != NULL && version != NULL, NULL);

  g_string_append (form, "Action=");
  gk_sigv4_uri_encode (form, action, -1, FALSE);
  g_string_append (form, "&Version=");
  gk_sigv4_uri_encode (form, version, -1, FALSE);
  for (gsize i = 0; i < n_params; i++)
    {
      g_string_append_c (form, '&');
      gk_sigv4_uri_encode (form, params[i].name, -1, FALSE);
      g_string_append_c (form, '=');
      gk_sigv4_uri_encode (form, params[i].value, -1, FALSE);
    }

  len = form->len;
  str = g_string_free (form, FALSE);
  return g_bytes_new_with_free_func (str, len, gk_secret_free, str);
}

/* A POST of @form to @endpoint, SigV4-signed with @credentials for
 * @service in @region at @now, or unsigned when @credentials is %NULL;
 * never redirected (a redirect would carry the form elsewhere). %NULL with
 * @error set only when signing fails; %NULL without an error when
 * @endpoint is not a URL, for the caller to name its own key. */
static SoupMessage *
query_message (const char     *endpoint,
               GBytes         *form,
               GkSigv4Signer  *signer,
               GkCredentials  *credentials,
               const char     *region,
               const char     *service,
               gint64          now,
               GError        **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *host = NULL;
  g_autofree char *payload_hash = NULL;
  g_auto(GStrv) auth = NULL;
  const GkSigv4Pair headers[] = { { "content-type", QUERY_FORM_TYPE } };
  SoupMessageHeaders *request_headers;
  GUri *uri;
  const char *path;
  const char *scheme;
  int port;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (credentials == NULL || signer != NULL, NULL);

  if (endpoint == NULL || g_uri_peek_scheme (endpoint) == NULL ||
      (message = soup_message_new (SOUP_METHOD_POST, endpoint)) == NULL)
    return NULL;

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (message, QUERY_FORM_TYPE, form);
  request_headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (request_headers, "Accept", "text/xml");
  if (credentials == NULL)
    return g_steal_pointer (&message);

  uri = soup_message_get_uri (message);
  path = *g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/";
  port = g_uri_get_port (uri);
  scheme = g_uri_get_scheme (uri);
  /* The Host header libsoup sends names the port only when it is not the
   * scheme's default; the signed host must say the same. */
  if (port < 0 || (port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    host = g_strdup (g_uri_get_host (uri));
  else
    host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);

  payload_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, form);
  auth = gk_sigv4_signer_sign_headers (signer, credentials, region, service, "POST", host, path,
                                       NULL, 0, headers, G_N_ELEMENTS (headers), payload_hash,
                                       now, NULL, error);
  if (auth == NULL)
    return NULL;
  for (guint i = 0; auth[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, auth[i], auth[i + 1]);

  return g_steal_pointer (&message);
}

/* ------------------------------------------------------------------------
 * The client
 * ------------------------------------------------------------------------ */

/**
 * gk_aws_query_client_new:
 * @service: the service, static
 * @endpoint: (nullable): its URL; a call without one fails and says so
 * @region: (nullable): the region signed calls are signed for
 *
 * Returns: (transfer full): a new client
 */
GkAwsQueryClient *
gk_aws_query_client_new (const GkAwsQueryService *service,
                         const char              *endpoint,
                         const char              *region)
{
  GkAwsQueryClient *self = g_atomic_rc_box_new0 (GkAwsQueryClient);

  self->service = service;
  self->endpoint = g_strdup (endpoint);
  self->region = g_strdup (region);
  self->session = gk_aws_session_new ();
  self->signer = gk_sigv4_signer_new ();
  self->retry = GK_AWS_RETRY_POLICY_DEFAULT;
  self->call_class = (GkAwsCallClass) {
    .max_response_size = service->max_response_size,
    .build = build_message,
    .read_failure = read_failure,
    .is_retryable = service->is_retryable,
  };
  return self;
}

GkAwsQueryClient *
gk_aws_query_client_ref (GkAwsQueryClient *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
query_client_clear (GkAwsQueryClient *self)
{
  g_free (self->endpoint);
  g_free (self->region);
  g_clear_object (&self->session);
  g_clear_pointer (&self->signer, gk_sigv4_signer_free);
}

void
gk_aws_query_client_unref (GkAwsQueryClient *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) query_client_clear);
}

/**
 * gk_aws_query_client_set_retry:
 * @max_attempts: attempts per call, at least 1
 * @base_delay_ms: the first backoff delay
 */
void
gk_aws_query_client_set_retry (GkAwsQueryClient *self,
                               guint             max_attempts,
                               guint             base_delay_ms)
{
  gk_aws_retry_policy_set (&self->retry, max_attempts, base_delay_ms);
}

/* ------------------------------------------------------------------------
 * One call
 * ------------------------------------------------------------------------ */

typedef struct
{
  GkAwsQueryClient *client;
  GBytes *form;                /* the whole body, wiped when freed */
  GkCredentials *signer;       /* nullable: unsigned */
  guint operation;             /* the service's operation bit, 0 for any */
  GStrv fields;                /* what its error rows name, or NULL */
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_pointer (&data->client, gk_aws_query_client_unref);
  g_clear_pointer (&data->form, g_bytes_unref);
  g_clear_pointer (&data->signer, gk_credentials_unref);
  g_strfreev (data->fields);
  g_free (data);
}

static SoupMessage *
build_message (gpointer   user_data,
               GError   **error)
{
  CallData *data = user_data;
  GkAwsQueryClient *client = data->client;
  const GkAwsQueryService *service = client->service;
  g_autoptr(GError) local_error = NULL;
  SoupMessage *message;

  message = query_message (client->endpoint, data->form, client->signer, data->signer,
                           client->region, service->service,
                           g_get_real_time () / G_USEC_PER_SEC, &local_error);
  if (message == NULL && local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (message == NULL)
    g_set_error_literal (error, service->error_quark (), service->no_endpoint_code,
                         _(service->no_endpoint));
  return message;
}

static GError *
read_failure (gpointer      user_data,
              SoupMessage  *message,
              GBytes       *body,
              const GError *transport_error)
{
  CallData *data = user_data;
  const GkAwsQueryService *service = data->client->service;
  GError *error;
  const char *xml;
  gsize size = 0;

  error = gk_aws_call_no_answer_error (transport_error, service->error_quark (),
                                       service->too_large_code, _(service->too_large),
                                       service->unreachable_code, _(service->unreachable));
  if (error != NULL)
    return error;

  xml = answer_text (body, &size);
  return service->read_error (xml, size, soup_message_get_status (message), data->operation,
                              (const char * const *) data->fields);
}

static void
on_call_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const GkAwsQueryAnswer *answer = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = gk_aws_call_finish (result, &error);
  gpointer value = NULL;
  const char *xml;
  gsize size = 0;

  if (body != NULL)
    {
      xml = answer_text (body, &size);
      value = answer->parse (xml, size, 200, &error);
    }
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, answer->free);
}

/**
 * gk_aws_query_client_call_async:
 * @source_object: (nullable): the task's source object, for the caller's
 *   finish function to check
 * @source_tag: the caller's public function
 * @action: the action, e.g. "AssumeRole"
 * @params: (array length=n_params): its parameters, raw
 * @signer: (nullable): credentials to sign the request with; %NULL sends
 *   it unsigned
 * @operation: the service's operation bit for its error rows, 0 for any
 * @fields: (array zero-terminated=1) (nullable): what those rows name
 * @answer: (not nullable): how the action's answer is read, static
 *
 * Sends the form, again while the service throttles or has trouble, and
 * ends with what @answer reads from the 2xx answer, or the service's error.
 */
void
gk_aws_query_client_call_async (GkAwsQueryClient    *self,
                                gpointer             source_object,
                                gpointer             source_tag,
                                const char          *action,
                                const GkSigv4Pair   *params,
                                gsize                n_params,
                                GkCredentials       *signer,
                                guint                operation,
                                const char * const  *fields,
                                const GkAwsQueryAnswer *answer,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  CallData *data;

  g_return_if_fail (self != NULL && action != NULL && answer != NULL);

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) answer, NULL);

  data = g_new0 (CallData, 1);
  data->client = gk_aws_query_client_ref (self);
  data->form = query_form (action, self->service->version, params, n_params);
  data->signer = signer != NULL ? gk_credentials_ref (signer) : NULL;
  data->operation = operation;
  data->fields = g_strdupv ((char **) fields);

  gk_aws_call_async (self->session, &self->call_class, &self->retry, action, data,
                     (GDestroyNotify) call_data_free, cancellable, on_call_cb, task);
}

/**
 * gk_aws_query_client_call_finish:
 *
 * Returns: (transfer full): what the call's #GkAwsQueryAnswer read, or
 *   %NULL with the service's error (or %G_IO_ERROR_CANCELLED)
 */
gpointer
gk_aws_query_client_call_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
