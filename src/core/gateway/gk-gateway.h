/* gk-gateway.h: the loopback gateway genome browsers read S3 objects through
 *
 * A tiny HTTP/1.1 server on 127.0.0.1:PORT. Each request carries a
 * capability for one object; the gateway checks it, signs a request to S3
 * with the profile's *current* credentials (renewing first when they are
 * nearly spent, as after laptop sleep), and streams S3's answer back. So a
 * link lives as long as the sign-in, not as long as one set of
 * credentials, and dies at once when the profile signs out or its secret
 * is replaced.
 *
 * The rules a genome browser depends on: one byte range gets 206 with
 * Content-Range, no range gets 200, an unsatisfiable range 416 with the
 * object's size in Content-Range, and a range request never gets 200 (IGV would hand the
 * link to a third-party range service; Chromoscope would show the wrong
 * bytes). HEAD is answered from S3's HEAD. Web viewers get CORS for the
 * allow-listed origins only.
 *
 * Credentials come from each served profile's GkS3Client and so from any
 * GkCredentialSource.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-gateway-error.h"
#include "gk-keyring.h"
#include "gk-s3.h"

G_BEGIN_DECLS

/* Away from IGV's 60151 (its batch port and OAuth callback) and from
 * Linux's ephemeral ports (32768–60999), which outgoing connections may
 * hold at any moment. */
#define GK_GATEWAY_DEFAULT_PORT 28151
/* Most connections served at once; more are let in by closing the one that
 * has waited longest for a request, never one that is streaming. */
#define GK_GATEWAY_MAX_CONNECTIONS 128

#define GK_GATEWAY_DEFAULT_ORIGINS { "https://igv.org", "https://chromoscope.bio", NULL }

typedef struct
{
  guint16 port;              /* 0 when not listening */
  guint64 requests;          /* every request answered, refusals included */
  guint64 links_served;      /* distinct objects and configs read through links */
  guint64 bytes_served;      /* body bytes sent */
  guint connections;         /* open now */
  guint64 refused;           /* requests refused for their capability, host, path or origin */
  const char *last_error;    /* (nullable): the last failure reaching S3 or renewing */
  gint64 last_error_time;    /* Unix seconds */
} GkGatewayStats;

#define GK_TYPE_GATEWAY (gk_gateway_get_type ())

G_DECLARE_FINAL_TYPE (GkGateway, gk_gateway, GK, GATEWAY, GObject)

GkGateway   *gk_gateway_new                  (GkKeyring           *keyring,
                                              const char          *config_dir);
gboolean     gk_gateway_start                (GkGateway           *self,
                                              guint16              port,
                                              GError             **error);
void         gk_gateway_stop                 (GkGateway           *self);
gboolean     gk_gateway_is_running           (GkGateway           *self);
guint16      gk_gateway_get_port             (GkGateway           *self);
void         gk_gateway_set_allowed_origins  (GkGateway           *self,
                                              const char * const  *origins);
const char * const *gk_gateway_get_allowed_origins (GkGateway     *self);
void         gk_gateway_get_stats            (GkGateway           *self,
                                              GkGatewayStats      *stats);

void         gk_gateway_serve_profile_async  (GkGateway           *self,
                                              const char          *profile,
                                              GkS3Client          *client,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     gk_gateway_serve_profile_finish (GkGateway           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
gboolean     gk_gateway_is_serving           (GkGateway           *self,
                                              const char          *profile);
GStrv        gk_gateway_list_profiles        (GkGateway           *self);
void         gk_gateway_forget_profile       (GkGateway           *self,
                                              const char          *profile);
void         gk_gateway_revoke_async         (GkGateway           *self,
                                              const char          *profile,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     gk_gateway_revoke_finish        (GkGateway           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

gboolean     gk_gateway_append_link          (GkGateway           *self,
                                              const char          *profile,
                                              const char          *bucket,
                                              const char          *key,
                                              GString             *out,
                                              GError             **error);
GStrv        gk_gateway_mint_links           (GkGateway           *self,
                                              const char          *profile,
                                              const char * const  *uris,
                                              GError             **error);
void         gk_gateway_publish_config_async (GkGateway           *self,
                                              const char          *profile,
                                              const char          *name,
                                              GBytes              *json,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char        *gk_gateway_publish_config_finish (GkGateway          *self,
                                               GAsyncResult       *result,
                                               GError            **error);

G_END_DECLS
