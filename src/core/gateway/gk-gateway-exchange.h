/* gk-gateway-exchange.h: one request, from its head to its answer
 *
 * The connection (gk-gateway-connection.c) reads a request head and starts
 * an exchange; the exchange decides the answer from the gateway's context
 * (gk-gateway-context.h), fetches it from S3 when it is an object, and
 * hands it back through #GkGatewayExchangeReplies. It knows neither the
 * connection nor the gateway: it includes only what sits below it, so the
 * dependencies run one way, gateway → connection → exchange → context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-gateway-context.h"
#include "gk-gateway-http.h"

G_BEGIN_DECLS

/* An answer ready to write: a small body whole, or an S3 body streamed. */
typedef struct
{
  GString *head;               /* status line and header fields, ending in an empty line */
  GBytes *body;                /* a small body, or %NULL */
  GInputStream *stream;        /* an S3 body to pass on, or %NULL */
  guint64 skip;                /* bytes of @stream to drop first */
  guint64 length;              /* bytes of @stream to pass on */
  gboolean drain;              /* read @stream to its end once all is passed on */
  gboolean keep_alive;
} GkGatewayAnswer;

void             _gk_gateway_answer_free   (GkGatewayAnswer *answer);

/* How an exchange reports back to whoever started it. Neither is called
 * once the exchange's cancellable is cancelled (the connection closed). */
typedef struct
{
  /* The request is a link of @profile: the answer, and the connection while
   * it writes it, belong to that profile (its sign-out closes them). */
  void (*serving)  (const char      *profile,
                    gpointer         user_data);
  /* The answer, handed over; called once, last. */
  void (*answered) (GkGatewayAnswer *answer,
                    gpointer         user_data);
} GkGatewayExchangeReplies;

void             _gk_gateway_exchange_start (GkGatewayContext               *ctx,
                                             GkGatewayRequest               *request,
                                             GCancellable                   *cancellable,
                                             const GkGatewayExchangeReplies *replies,
                                             gpointer                        user_data,
                                             GDestroyNotify                  destroy);
GkGatewayAnswer *_gk_gateway_refusal        (GkGatewayContext               *ctx,
                                             const GkGatewayRequest         *request,
                                             guint                           status,
                                             const char                     *reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkGatewayAnswer, _gk_gateway_answer_free)

G_END_DECLS
