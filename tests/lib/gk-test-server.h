/* gk-test-server.h: a fake HTTP server on a random loopback port
 *
 * A SoupServer listening on 127.0.0.1 on a port the kernel picks, so tests
 * run in parallel and never leave the machine. It lives in the test's main
 * context: the test's own waits (gk-test-wait.h) let it answer.
 *
 * How to use it (link gk_test_dep, include "gk-test.h"):
 *
 *   static void
 *   on_token_cb (SoupServer *server, SoupServerMessage *msg, const char *path,
 *                GHashTable *query, gpointer user_data)
 *   {
 *     g_autoptr(GHashTable) form = gk_test_request_form (msg);
 *
 *     gk_test_respond (msg, 200, "application/json", "{\"id_token\":\"…\"}");
 *   }
 *
 *   g_autoptr(GkTestServer) server = gk_test_server_new ();
 *   g_autofree char *token_url = NULL;
 *
 *   gk_test_server_add_handler (server, "/oauth2/token", on_token_cb, f);
 *   token_url = gk_test_server_url (server, "/oauth2/token");
 *   …
 *   g_assert_cmpuint (gk_test_server_get_requests (server)->len, ==, 1);
 *
 * gk_test_server_get_requests() lists "METHOD /path?query" of every request
 * read so far, in order, for tests that count or check calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _GkTestServer GkTestServer;

GkTestServer *gk_test_server_new                (void);
void          gk_test_server_free               (GkTestServer       *self);
void          gk_test_server_add_handler        (GkTestServer       *self,
                                                 const char         *path,
                                                 SoupServerCallback  callback,
                                                 gpointer            user_data);
SoupServer   *gk_test_server_get_soup_server    (GkTestServer       *self);
guint16       gk_test_server_get_port           (GkTestServer       *self);
const char   *gk_test_server_get_origin         (GkTestServer       *self);
char         *gk_test_server_url                (GkTestServer       *self,
                                                 const char         *path);
GPtrArray    *gk_test_server_get_requests       (GkTestServer       *self);

/* In a handler: answer with @body (copied; NULL for none). */
void          gk_test_respond                   (SoupServerMessage  *msg,
                                                 guint               status,
                                                 const char         *content_type,
                                                 const char         *body);
/* In a handler: the request body as a string, and as a decoded form. */
char         *gk_test_request_body              (SoupServerMessage  *msg);

/* A loopback port nobody listens on now (bound to port 0, then let go),
 * for a listener the code under test opens itself: the unit tests never
 * touch 60151. */
guint16       gk_test_free_port                 (void);
GHashTable   *gk_test_request_form              (SoupServerMessage  *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkTestServer, gk_test_server_free)

G_END_DECLS
