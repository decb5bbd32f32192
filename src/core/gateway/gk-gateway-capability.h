/* gk-gateway-capability.h: gateway links and the capabilities inside them
 *
 * A gateway link is `http://127.0.0.1:PORT/<capability>/<bucket>/<key>`.
 * The capability is an HMAC-SHA256 over the profile, the bucket and the key,
 * keyed with the profile's gateway secret (32 random bytes kept in the
 * keyring), so it opens exactly that one object and cannot be guessed or
 * moved to another key. Replacing the secret (sign-out, `genokey gateway
 * revoke`) voids every earlier link at once. Configs the gateway serves
 * itself (`…/<capability>/config/<name>.json`) get capabilities of their
 * own, computed in a separate domain so no object link can pass for one.
 *
 * All pure: the tests need no socket and no keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GK_GATEWAY_SECRET_SIZE     32
/* 24 bytes of the HMAC, base64url without padding: 192 bits, far beyond
 * guessing over a loopback socket. */
#define GK_GATEWAY_CAPABILITY_LEN  32
#define GK_GATEWAY_CONFIG_NAME_MAX 100

typedef enum
{
  GK_GATEWAY_TARGET_OBJECT,
  GK_GATEWAY_TARGET_CONFIG,
} GkGatewayTargetKind;

/* A request target taken apart. For GK_GATEWAY_TARGET_CONFIG the same
 * path can also be an object in a bucket named "config": the gateway tries
 * both capabilities. */
typedef struct
{
  char capability[GK_GATEWAY_CAPABILITY_LEN + 1];
  char *bucket;
  char *key;          /* decoded */
  char *config_name;  /* "<name>" of config/<name>.json, or NULL */
} GkGatewayTarget;

void     gk_gateway_capability_for_object (const guint8       secret[GK_GATEWAY_SECRET_SIZE],
                                           const char        *profile,
                                           const char        *bucket,
                                           const char        *key,
                                           char               out[GK_GATEWAY_CAPABILITY_LEN + 1]);
void     gk_gateway_capability_for_config (const guint8       secret[GK_GATEWAY_SECRET_SIZE],
                                           const char        *profile,
                                           const char        *name,
                                           char               out[GK_GATEWAY_CAPABILITY_LEN + 1]);
gboolean gk_gateway_capability_equal      (const char        *a,
                                           const char        *b);

gboolean gk_gateway_key_is_servable       (const char        *bucket,
                                           const char        *key,
                                           GError           **error);
gboolean gk_gateway_config_name_is_valid  (const char        *name,
                                           GError           **error);

void     gk_gateway_append_object_path    (GString           *out,
                                           const char        *capability,
                                           const char        *bucket,
                                           const char        *key);
void     gk_gateway_append_config_path    (GString           *out,
                                           const char        *capability,
                                           const char        *name);

gboolean gk_gateway_target_parse          (const char        *raw,
                                           GkGatewayTarget   *target,
                                           const char       **reason);
void     gk_gateway_target_clear          (GkGatewayTarget   *target);

char    *gk_gateway_secret_encode         (const guint8       secret[GK_GATEWAY_SECRET_SIZE]);
gboolean gk_gateway_secret_decode         (const char        *text,
                                           guint8             secret[GK_GATEWAY_SECRET_SIZE]);
void     gk_gateway_secret_generate       (guint8             secret[GK_GATEWAY_SECRET_SIZE]);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GkGatewayTarget, gk_gateway_target_clear)

G_END_DECLS
