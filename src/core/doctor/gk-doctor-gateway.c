/* gk-doctor-gateway.c: can the gateway serve links here, and to whom?
 *
 * IGV, IGV-Web and Chromoscope get gateway links by default, so the
 * gateway's port matters as much as the lab's endpoints. A running gateway
 * must answer on it; otherwise nothing else may hold it, which a bind on
 * 127.0.0.1 (released at once) shows without starting anything. When
 * another program holds it, the fix names a free port nearby.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-doctor-gateway.h"
#include "gk-doctor-judge.h"
#include "gk-doctor-probe.h"

/* Ports tried above a taken one for the fix. */
#define NEARBY_PORTS 50

static gboolean
port_is_free (guint16 port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  /* With address reuse, as listeners bind: a port in TIME_WAIT after the
   * gateway stopped is free to it, while one that a program listens on is
   * not. */
  return socket != NULL && g_socket_bind (socket, address, TRUE, NULL);
}

static guint16
free_port_near (guint16 port)
{
  for (guint p = port + 1; p <= 65535 && p <= (guint) port + NEARBY_PORTS; p++)
    if (port_is_free (p))
      return p;
  return 0;
}

static void
finish (GTask             *task,
        GkDoctorContext   *context,
        GkDoctorPortState  state)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  guint16 port = context->gateway_port;

  g_ptr_array_add (findings,
                   gk_doctor_judge_gateway_port (port, state,
                                                 state == GK_DOCTOR_PORT_TAKEN ? free_port_near (port) : 0));
  g_ptr_array_add (findings,
                   gk_doctor_judge_gateway_origins ((const char * const *) context->gateway_origins));
  g_task_return_pointer (task, findings, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
on_answer_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GkDoctorContext *context = g_task_get_task_data (task);
  g_autoptr(GkDoctorProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  probe = gk_doctor_probe_finish (result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  finish (task, context, probe != NULL ? GK_DOCTOR_PORT_SERVING : GK_DOCTOR_PORT_NOT_ANSWERING);
}

/**
 * gk_doctor_gateway_async:
 *
 * Finishes with findings on the gateway's port and its allowed origins,
 * or none when the face said nothing of a gateway.
 */
void
gk_doctor_gateway_async (GkDoctorContext     *context,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_task_set_source_tag (task, gk_doctor_gateway_async);
  g_task_set_task_data (task, context, NULL);
  if (!context->has_gateway)
    {
      g_task_return_pointer (task, g_ptr_array_new (), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  if (!context->gateway_running)
    {
      finish (task, context, port_is_free (context->gateway_port) ? GK_DOCTOR_PORT_FREE
                                                                  : GK_DOCTOR_PORT_TAKEN);
      return;
    }
  /* Any answer will do: the gateway refuses a request without a link. */
  url = g_strdup_printf ("http://127.0.0.1:%u/", context->gateway_port);
  message = soup_message_new ("GET", url);
  gk_doctor_probe_async (context->http, message, cancellable, on_answer_cb, task);
}
