/* gk-doctor-probe.c: one HTTP request of a lab check, and what its answer
 * says
 *
 * Probes never follow redirects (where the hosted login sends a sign-in
 * request is the answer), read at most a small body (login pages, S3 error
 * documents), and record a refused certificate's faults, which libsoup's
 * error alone does not name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-doctor-probe.h"
#include "gk-http.h"

#define MAX_BODY (256 * 1024)

typedef struct
{
  SoupMessage *message;
  GTlsCertificateFlags tls_errors;
  gint64 sent_at;
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  if (data->message != NULL)
    g_signal_handlers_disconnect_by_data (data->message, data);
  g_clear_object (&data->message);
  g_free (data);
}

void
gk_doctor_probe_free (GkDoctorProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->location);
  g_clear_pointer (&probe->headers, soup_message_headers_unref);
  g_free (probe);
}

/* Refuses what libsoup would refuse, noting why. */
static gboolean
on_accept_certificate_cb (SoupMessage          *message,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  ProbeData *data = user_data;

  data->tls_errors = errors;
  return FALSE;
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GkDoctorProbe *probe;
  const char *date;

  body = gk_http_send_and_read_finish (result, &error);
  if (body == NULL && !g_error_matches (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  probe = g_new0 (GkDoctorProbe, 1);
  probe->status = soup_message_get_status (data->message);
  probe->headers = soup_message_headers_ref (soup_message_get_response_headers (data->message));
  probe->location = g_strdup (soup_message_headers_get_one (probe->headers, "Location"));
  date = soup_message_headers_get_one (probe->headers, "Date");
  if (date != NULL)
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (date);

      if (when != NULL)
        {
          /* Against the middle of the exchange: the Date was written
           * somewhere between sending and the answer. */
          gint64 now = (data->sent_at + g_get_real_time ()) / 2 / G_USEC_PER_SEC;

          probe->skew = g_date_time_to_unix (when) - now;
          probe->has_date = TRUE;
        }
    }
  g_task_return_pointer (task, probe, (GDestroyNotify) gk_doctor_probe_free);
}

/**
 * gk_doctor_probe_async:
 * @message: the request; it is sent without following redirects
 */
void
gk_doctor_probe_async (SoupSession         *http,
                       SoupMessage         *message,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ProbeData *data = g_new0 (ProbeData, 1);

  g_task_set_source_tag (task, gk_doctor_probe_async);
  data->message = g_object_ref (message);
  data->sent_at = g_get_real_time ();
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (message, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), data);
  gk_http_send_and_read_async (http, message, MAX_BODY, G_PRIORITY_DEFAULT, cancellable,
                               on_sent_cb, task);
}

/**
 * gk_doctor_probe_finish:
 * @tls_errors: (out) (optional): a refused certificate's faults, also
 *   when the probe failed because of them
 *
 * Returns: (transfer full): what the answer says, or %NULL when there was
 *   no answer
 */
GkDoctorProbe *
gk_doctor_probe_finish (GAsyncResult          *result,
                        GTlsCertificateFlags  *tls_errors,
                        GError               **error)
{
  ProbeData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (tls_errors != NULL)
    *tls_errors = data->tls_errors;
  return g_task_propagate_pointer (G_TASK (result), error);
}
