/* gk-gateway-context.h: what every answer of the gateway reads and counts
 *
 * The served profiles with their secrets, S3 clients and last credentials,
 * the port links name, the allowed web origins, the session that talks to
 * S3, where published configs are kept, and the statistics. The gateway
 * (gk-gateway.c) owns it and changes it as profiles are served, forgotten
 * and revoked; each exchange (gk-gateway-exchange.c) holds a reference
 * while it works, reads it to decide its answer, and counts into it.
 *
 * It sits below the gateway's other files and includes none of them, so
 * the exchange reports back here rather than by calling up into the
 * gateway or its connections.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gk-gateway-capability.h"
#include "gk-s3.h"

G_BEGIN_DECLS

/* Credentials handed to S3 must outlive the request's trip there. Small,
 * so 60-second test credentials are not renewed on every request; the
 * session renews on its own timer well before this. */
#define GK_GATEWAY_MIN_VALID_S      20

typedef struct
{
  char *name;
  guint8 secret[GK_GATEWAY_SECRET_SIZE];
  GkS3Client *client;
  GkCredentials *credentials; /* the last ones handed out, reused while valid */
  guint generation;           /* bumped when the secret is replaced */
} GkGatewayProfile;

typedef struct
{
  GHashTable *profiles;        /* name → GkGatewayProfile */
  guint16 port;                /* 0 while not listening */
  GStrv origins;
  SoupSession *upstream;
  char *config_dir;
  GHashTable *served;          /* "profile\nbucket\nkey" read through a link */

  guint64 requests;
  guint64 bytes_served;
  guint64 refused;
  char *last_error;
  gint64 last_error_time;

  /*< private >*/
  gatomicrefcount ref_count;
} GkGatewayContext;

GkGatewayContext *_gk_gateway_context_new            (const char        *config_dir);
GkGatewayContext *_gk_gateway_context_ref            (GkGatewayContext  *ctx);
void              _gk_gateway_context_unref          (GkGatewayContext  *ctx);

GkGatewayProfile *_gk_gateway_context_find_profile   (GkGatewayContext  *ctx,
                                                      const char        *name);
void              _gk_gateway_context_record_error   (GkGatewayContext  *ctx,
                                                      const char        *message);
void              _gk_gateway_context_record_served  (GkGatewayContext  *ctx,
                                                      const char        *profile,
                                                      const char        *bucket,
                                                      const char        *key);
char             *_gk_gateway_context_config_path    (GkGatewayContext  *ctx,
                                                      const char        *profile,
                                                      const char        *name);
gboolean          _gk_gateway_context_origin_is_allowed (GkGatewayContext *ctx,
                                                         const char       *origin);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkGatewayContext, _gk_gateway_context_unref)

G_END_DECLS
