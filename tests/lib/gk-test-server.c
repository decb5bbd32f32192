/* gk-test-server.c: a fake HTTP server on a random loopback port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-test-server.h"

struct _GkTestServer
{
  SoupServer *server;
  guint16 port;
  char *origin;          /* http://127.0.0.1:PORT, no trailing slash */
  GPtrArray *requests;   /* "METHOD /path?query" */
};

static void
on_request_read_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  GkTestServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  g_ptr_array_add (self->requests,
                   g_strdup_printf ("%s %s%s%s", soup_server_message_get_method (msg),
                                    g_uri_get_path (uri), query ? "?" : "", query ? query : ""));
}

GkTestServer *
gk_test_server_new (void)
{
  GkTestServer *self = g_new0 (GkTestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->requests = g_ptr_array_new_with_free_func (g_free);
  self->server = soup_server_new (NULL, NULL);
  g_signal_connect (self->server, "request-read", G_CALLBACK (on_request_read_cb), self);
  /* Loopback only, port 0: the kernel picks a free one. */
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->origin = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  return self;
}

void
gk_test_server_free (GkTestServer *self)
{
  if (self == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->requests);
  g_free (self->origin);
  g_free (self);
}

void
gk_test_server_add_handler (GkTestServer       *self,
                            const char         *path,
                            SoupServerCallback  callback,
                            gpointer            user_data)
{
  soup_server_add_handler (self->server, path, callback, user_data, NULL);
}

SoupServer *
gk_test_server_get_soup_server (GkTestServer *self)
{
  return self->server;
}

guint16
gk_test_server_get_port (GkTestServer *self)
{
  return self->port;
}

const char *
gk_test_server_get_origin (GkTestServer *self)
{
  return self->origin;
}

/* @path starts with "/", or is NULL for the origin with a slash. */
char *
gk_test_server_url (GkTestServer *self,
                    const char   *path)
{
  g_return_val_if_fail (path == NULL || path[0] == '/', NULL);

  return g_strconcat (self->origin, path != NULL ? path : "/", NULL);
}

GPtrArray *
gk_test_server_get_requests (GkTestServer *self)
{
  return self->requests;
}

void
gk_test_respond (SoupServerMessage *msg,
                 guint              status,
                 const char        *content_type,
                 const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

char *
gk_test_request_body (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

GHashTable *
gk_test_request_form (SoupServerMessage *msg)
{
  g_autofree char *body = gk_test_request_body (msg);

  return soup_form_decode (body);
}

guint16
gk_test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
