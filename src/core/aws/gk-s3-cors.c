/* gk-s3-cors.c: judging a bucket's CORS rules as S3 applies them
 *
 * How S3 uses the rules (its CORS documentation): for a preflight it takes
 * the first rule whose AllowedOrigin matches the Origin, whose AllowedMethod
 * matches Access-Control-Request-Method and whose AllowedHeader entries
 * cover every header in Access-Control-Request-Headers. For the request
 * itself it takes the first rule matching origin and method, and exposes
 * that rule's ExposeHeader list. Origins and headers may hold one `*`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-s3-cors.h"

void
gk_s3_cors_verdict_free (GkS3CorsVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free (verdict->origin);
  g_free (verdict->method);
  g_free (verdict->header);
  g_free (verdict);
}

/* A rule's entry against a value: exact (without case), or with one `*`
 * standing for any run of characters. */
static gboolean
entry_matches (const char *entry,
               const char *value)
{
  g_autofree char *e = NULL;
  g_autofree char *v = NULL;

  if (g_ascii_strcasecmp (entry, value) == 0)
    return TRUE;
  if (strchr (entry, '*') == NULL)
    return FALSE;
  e = g_ascii_strdown (entry, -1);
  v = g_ascii_strdown (value, -1);
  return g_pattern_match_simple (e, v);
}

static gboolean
list_matches (GStrv       entries,
              const char *value)
{
  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    if (entry_matches (entries[i], value))
      return TRUE;
  return FALSE;
}

static gboolean
method_matches (GStrv       methods,
                const char *method)
{
  /* S3 takes only the method names, exactly. */
  for (guint i = 0; methods != NULL && methods[i] != NULL; i++)
    if (g_str_equal (methods[i], method))
      return TRUE;
  return FALSE;
}

/* The first request header @rule does not allow, or NULL. */
static const char *
header_refused (const GkS3CorsRule    *rule,
                const GkS3CorsRequest *request)
{
  for (guint h = 0; request->request_headers != NULL && request->request_headers[h] != NULL; h++)
    if (!list_matches (rule->allowed_headers, request->request_headers[h]))
      return request->request_headers[h];
  return NULL;
}

/* Response headers a page may always read, exposed or not (the Fetch
 * standard's CORS-safelisted response-header names). */
static gboolean
always_exposed (const char *header)
{
  static const char * const safelisted[] = {
    "Cache-Control", "Content-Language", "Content-Length", "Content-Type", "Expires",
    "Last-Modified", "Pragma",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (safelisted); i++)
    if (g_ascii_strcasecmp (header, safelisted[i]) == 0)
      return TRUE;
  return FALSE;
}

static GkS3CorsVerdict *
verdict_new (GkS3CorsOutcome        outcome,
             const GkS3CorsRequest *request,
             const char            *header)
{
  GkS3CorsVerdict *verdict = g_new0 (GkS3CorsVerdict, 1);

  verdict->outcome = outcome;
  verdict->origin = g_strdup (request->origin);
  verdict->method = g_strdup (request->method);
  verdict->header = g_strdup (header);
  return verdict;
}

/**
 * gk_s3_cors_judge:
 * @rules: (element-type GkS3CorsRule) (nullable): the bucket's CORS rules;
 *   %NULL or empty when it has none
 *
 * Returns: (transfer full): whether S3 would let @request through, and if
 *   not, what is missing
 */
GkS3CorsVerdict *
gk_s3_cors_judge (GPtrArray             *rules,
                  const GkS3CorsRequest *request)
{
  const GkS3CorsRule *actual = NULL;
  const GkS3CorsRule *preflight = NULL;
  gboolean needs_preflight;

  g_return_val_if_fail (request != NULL && request->origin != NULL && request->method != NULL, NULL);

  if (rules == NULL || rules->len == 0)
    return verdict_new (GK_S3_CORS_NO_CONFIGURATION, request, NULL);

  needs_preflight = request->request_headers != NULL && request->request_headers[0] != NULL;
  for (guint i = 0; i < rules->len; i++)
    {
      const GkS3CorsRule *rule = rules->pdata[i];

      if (!list_matches (rule->allowed_origins, request->origin)
          || !method_matches (rule->allowed_methods, request->method))
        continue;
      if (actual == NULL)
        actual = rule;
      if (preflight == NULL && header_refused (rule, request) == NULL)
        preflight = rule;
    }

  if (actual == NULL)
    return verdict_new (GK_S3_CORS_ORIGIN_REFUSED, request, NULL);
  if (needs_preflight && preflight == NULL)
    /* Name what the first rule for this origin lacks: that is the rule an
     * admin would extend. */
    return verdict_new (GK_S3_CORS_HEADER_NOT_ALLOWED, request, header_refused (actual, request));
  for (guint h = 0; request->exposed_headers != NULL && request->exposed_headers[h] != NULL; h++)
    if (!always_exposed (request->exposed_headers[h])
        && !list_matches (actual->expose_headers, request->exposed_headers[h]))
      return verdict_new (GK_S3_CORS_HEADER_NOT_EXPOSED, request, request->exposed_headers[h]);
  return verdict_new (GK_S3_CORS_ALLOWED, request, NULL);
}

/* The check against a live bucket */

typedef struct
{
  char *origin;
  char *method;
  GStrv request_headers;
  GStrv exposed_headers;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->origin);
  g_free (data->method);
  g_strfreev (data->request_headers);
  g_strfreev (data->exposed_headers);
  g_free (data);
}

static void
on_cors_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  GkS3CorsRequest request = {
    data->origin, data->method,
    (const char * const *) data->request_headers, (const char * const *) data->exposed_headers,
  };
  g_autoptr(GPtrArray) rules = NULL;
  GError *error = NULL;

  rules = gk_s3_client_get_bucket_cors_finish (GK_S3_CLIENT (object), result, &error);
  if (rules == NULL && !g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NO_CORS))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  g_task_return_pointer (task, gk_s3_cors_judge (rules, &request),
                         (GDestroyNotify) gk_s3_cors_verdict_free);
}

/**
 * gk_s3_cors_check_async:
 * @request: copied; need not outlive the call
 *
 * Reads @bucket's CORS rules and judges them for @request. Finishes with an
 * error only when the rules could not be read (lab members often may not).
 */
void
gk_s3_cors_check_async (GkS3Client            *client,
                        const char            *bucket,
                        const GkS3CorsRequest *request,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (GK_IS_S3_CLIENT (client));
  g_return_if_fail (request != NULL && request->origin != NULL && request->method != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_cors_check_async);
  data = g_new0 (CheckData, 1);
  data->origin = g_strdup (request->origin);
  data->method = g_strdup (request->method);
  data->request_headers = g_strdupv ((char **) request->request_headers);
  data->exposed_headers = g_strdupv ((char **) request->exposed_headers);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  gk_s3_client_get_bucket_cors_async (client, bucket, cancellable, on_cors_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_cors_check_finish:
 *
 * Returns: (transfer full): the verdict, or %NULL when the rules could not
 *   be read (@error says why)
 */
GkS3CorsVerdict *
gk_s3_cors_check_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
