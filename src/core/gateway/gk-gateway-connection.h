/* gk-gateway-connection.h: one client of the gateway
 *
 * The gateway (gk-gateway.c) accepts a socket and makes a connection of
 * it; the connection reads request heads, starts an exchange for each
 * (gk-gateway-exchange.h) and writes the answers it hands back. It keeps
 * itself in the gateway's queue of connections while it is open and
 * leaves it when it closes, so it never calls up into the gateway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-gateway-context.h"

G_BEGIN_DECLS

/* A new or kept-alive connection may wait this long for its first byte. */
#define GK_GATEWAY_IDLE_TIMEOUT_S   30
/* Once a request has begun, its whole head must arrive within this: a
 * slowloris trickling one byte at a time is cut off here. */
#define GK_GATEWAY_HEAD_TIMEOUT_S   10
/* A client that takes no bytes for this long is gone. */
#define GK_GATEWAY_WRITE_TIMEOUT_S  60

typedef struct _GkGatewayConnection GkGatewayConnection;

GkGatewayConnection *_gk_gateway_connection_new            (GkGatewayContext    *ctx,
                                                            GSocketConnection   *socket,
                                                            GQueue              *connections);
GkGatewayConnection *_gk_gateway_connection_ref            (GkGatewayConnection *conn);
void                 _gk_gateway_connection_unref          (GkGatewayConnection *conn);
void                 _gk_gateway_connection_close          (GkGatewayConnection *conn);
gboolean             _gk_gateway_connection_is_waiting     (GkGatewayConnection *conn,
                                                            gint64              *since);
void                 _gk_gateway_connection_check_deadline (GkGatewayConnection *conn,
                                                            gint64               now);
const char          *_gk_gateway_connection_get_profile    (GkGatewayConnection *conn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkGatewayConnection, _gk_gateway_connection_unref)

G_END_DECLS
