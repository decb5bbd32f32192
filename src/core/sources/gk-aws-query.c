/* gk-aws-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-aws-query.h"
#include "gk-http.h"

/* Query-API answers are small; an error page or worse is not read whole. */
#define MAX_ANSWER_SIZE (256 * 1024)

void
gk_aws_query_answer_free (GkAwsQueryAnswer *answer)
{
  if (answer == NULL)
    return;
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer);
}

typedef struct
{
  SoupMessage *message;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_clear_object (&data->message);
  g_free (data);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QueryData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *body = gk_http_send_and_read_finish (result, &error);
  GkAwsQueryAnswer *answer;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  answer = g_new0 (GkAwsQueryAnswer, 1);
  answer->status = soup_message_get_status (data->message);
  answer->body = body;
  g_task_return_pointer (task, answer, (GDestroyNotify) gk_aws_query_answer_free);
}

/**
 * gk_aws_query_get_async:
 *
 * Signs the call with @credentials for @service in @region and sends it as
 * a GET. Any HTTP status is an answer; only a failure to get one is an error.
 */
void
gk_aws_query_get_async (SoupSession         *session,
                        const char          *endpoint,
                        const char          *region,
                        const char          *service,
                        const GkSigv4Pair   *params,
                        gsize                n_params,
                        GkCredentials       *credentials,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autofree char *host = NULL;
  g_autofree char *query = NULL;
  g_auto(GStrv) auth = NULL;
  const char *path;
  QueryData *data;

  g_task_set_source_tag (task, gk_aws_query_get_async);

  base = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, &error);
  if (base == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The signed host is what is sent: the port too, when not the default. */
  host = g_uri_get_port (base) > 0 ? g_strdup_printf ("%s:%d", g_uri_get_host (base), g_uri_get_port (base))
                                   : g_strdup (g_uri_get_host (base));
  path = *g_uri_get_path (base) != '\0' ? g_uri_get_path (base) : "/";
  auth = gk_sigv4_signer_sign_headers (signer, credentials, region, service, "GET", host, path,
                                       params, n_params, NULL, 0, GK_SIGV4_EMPTY_SHA256,
                                       g_get_real_time () / G_USEC_PER_SEC, NULL, &error);
  if (auth == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  query = gk_sigv4_canonical_query (params, n_params);
  uri = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (base), NULL, g_uri_get_host (base),
                     g_uri_get_port (base), path, query, NULL);

  data = g_new0 (QueryData, 1);
  data->message = soup_message_new_from_uri ("GET", uri);
  /* A redirect would carry the signature elsewhere. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
  for (guint i = 0; auth[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (data->message), auth[i], auth[i + 1]);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);

  gk_http_send_and_read_async (session, data->message, MAX_ANSWER_SIZE, G_PRIORITY_DEFAULT,
                               cancellable, on_read_cb, g_object_ref (task));
}

/**
 * gk_aws_query_get_finish:
 *
 * Returns: (transfer full): the status and body, or %NULL with @error set
 */
GkAwsQueryAnswer *
gk_aws_query_get_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
gk_aws_query_xml_field (const char *xml,
                        const char *from,
                        const char *tag)
{
  g_autofree char *open = g_strdup_printf ("<%s>", tag);
  g_autofree char *close = g_strdup_printf ("</%s>", tag);
  const char *start, *end;
  g_autoptr(GString) out = NULL;

  start = strstr (from != NULL ? from : xml, open);
  if (start == NULL)
    return NULL;
  start += strlen (open);
  end = strstr (start, close);
  if (end == NULL)
    return NULL;

  out = g_string_new_len (start, end - start);
  g_string_replace (out, "&lt;", "<", 0);
  g_string_replace (out, "&gt;", ">", 0);
  g_string_replace (out, "&quot;", "\"", 0);
  g_string_replace (out, "&apos;", "'", 0);
  g_string_replace (out, "&amp;", "&", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
