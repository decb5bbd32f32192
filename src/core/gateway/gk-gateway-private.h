/* gk-gateway-private.h: what the gateway's own files share
 *
 * gk-gateway.c owns the listener, the profiles and their secrets, and the
 * set of connections; gk-gateway-connection.c reads requests from and
 * writes answers to one client; gk-gateway-exchange.c decides each answer
 * and fetches it from S3.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gk-gateway.h"
#include "gk-gateway-capability.h"
#include "gk-gateway-http.h"

G_BEGIN_DECLS

/* A new or kept-alive connection may wait this long for its first byte. */
#define GK_GATEWAY_IDLE_TIMEOUT_S   30
/* Once a request has begun, its whole head must arrive within this: a
 * slowloris trickling one byte at a time is cut off here. */
#define GK_GATEWAY_HEAD_TIMEOUT_S   10
/* A client that takes no bytes for this long is gone. */
#define GK_GATEWAY_WRITE_TIMEOUT_S  60
/* Credentials handed to S3 must outlive the request's trip there. Small,
 * so 60-second test credentials are not renewed on every request; the
 * session renews on its own timer well before this. */
#define GK_GATEWAY_MIN_VALID_S      20

typedef struct _GkGatewayConnection GkGatewayConnection;

typedef struct
{
  char *name;
  guint8 secret[GK_GATEWAY_SECRET_SIZE];
  GkS3Client *client;
  GkCredentials *credentials; /* the last ones handed out, reused while valid */
  guint generation;           /* bumped when the secret is replaced */
} GkGatewayProfile;

struct _GkGateway
{
  GObject parent_instance;

  GkKeyring *keyring;
  char *config_dir;
  GSocketService *service;
  guint16 port;
  GStrv origins;
  GHashTable *profiles;        /* name → GkGatewayProfile */
  GQueue connections;          /* GkGatewayConnection, oldest first */
  guint sweep_id;
  SoupSession *upstream;
  GHashTable *served;          /* "profile\nbucket\nkey" read through a link */

  guint64 requests;
  guint64 bytes_served;
  guint64 refused;
  char *last_error;
  gint64 last_error_time;
};

/* gk-gateway.c */
GkGatewayProfile *_gk_gateway_find_profile     (GkGateway          *self,
                                                const char         *name);
void              _gk_gateway_record_error     (GkGateway          *self,
                                                const char         *message);
void              _gk_gateway_record_served    (GkGateway          *self,
                                                const char         *profile,
                                                const char         *bucket,
                                                const char         *key);
char             *_gk_gateway_config_path      (GkGateway          *self,
                                                const char         *profile,
                                                const char         *name);
void              _gk_gateway_connection_closed (GkGateway          *self,
                                                GkGatewayConnection *conn);

/* gk-gateway-connection.c */
GkGatewayConnection *_gk_gateway_connection_new          (GkGateway           *gateway,
                                                          GSocketConnection   *socket);
GkGatewayConnection *_gk_gateway_connection_ref          (GkGatewayConnection *conn);
void                 _gk_gateway_connection_unref        (GkGatewayConnection *conn);
void                 _gk_gateway_connection_close        (GkGatewayConnection *conn);
gboolean             _gk_gateway_connection_is_closed    (GkGatewayConnection *conn);
GList               *_gk_gateway_connection_get_node     (GkGatewayConnection *conn);
gboolean             _gk_gateway_connection_is_waiting   (GkGatewayConnection *conn,
                                                          gint64              *since);
void                 _gk_gateway_connection_check_deadline (GkGatewayConnection *conn,
                                                            gint64               now);
GkGateway           *_gk_gateway_connection_get_gateway  (GkGatewayConnection *conn);
GCancellable        *_gk_gateway_connection_get_cancellable (GkGatewayConnection *conn);
void                 _gk_gateway_connection_set_profile  (GkGatewayConnection *conn,
                                                          const char          *profile);
const char          *_gk_gateway_connection_get_profile  (GkGatewayConnection *conn);
void                 _gk_gateway_connection_respond      (GkGatewayConnection *conn,
                                                          GString             *head,
                                                          GBytes              *body,
                                                          gboolean             keep_alive);
void                 _gk_gateway_connection_stream       (GkGatewayConnection *conn,
                                                          GString             *head,
                                                          GInputStream        *body,
                                                          guint64              skip,
                                                          guint64              length,
                                                          gboolean             drain,
                                                          gboolean             keep_alive);

/* gk-gateway-exchange.c */
void              _gk_gateway_dispatch         (GkGateway           *self,
                                                GkGatewayConnection *conn,
                                                GkGatewayRequest    *request);
void              _gk_gateway_refuse           (GkGatewayConnection *conn,
                                                const GkGatewayRequest *request,
                                                guint                status,
                                                const char          *reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkGatewayConnection, _gk_gateway_connection_unref)

G_END_DECLS
