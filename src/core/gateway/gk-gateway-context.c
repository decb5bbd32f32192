/* gk-gateway-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/crypto.h>

#include "gk-gateway-context.h"

static void
profile_free (GkGatewayProfile *profile)
{
  OPENSSL_cleanse (profile->secret, sizeof profile->secret);
  g_free (profile->name);
  g_clear_object (&profile->client);
  g_clear_pointer (&profile->credentials, gk_credentials_unref);
  g_free (profile);
}

/**
 * _gk_gateway_context_new:
 * @config_dir: where served configs are kept (one folder per profile)
 *
 * Serves no profile and allows no origin until the gateway sets them.
 */
GkGatewayContext *
_gk_gateway_context_new (const char *config_dir)
{
  GkGatewayContext *ctx = g_new0 (GkGatewayContext, 1);

  g_atomic_ref_count_init (&ctx->ref_count);
  ctx->profiles = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) profile_free);
  ctx->served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx->config_dir = g_strdup (config_dir);

  /* Enough connections for many parallel readers (the default of two per
   * host would queue eight readers behind two). No content decoder: S3's
   * bytes are passed on exactly, or Content-Length and ranges would not
   * match them. */
  ctx->upstream = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "timeout", 60,
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 32,
                                                 NULL);
  soup_session_remove_feature_by_type (ctx->upstream, SOUP_TYPE_CONTENT_DECODER);
  return ctx;
}

GkGatewayContext *
_gk_gateway_context_ref (GkGatewayContext *ctx)
{
  g_atomic_ref_count_inc (&ctx->ref_count);
  return ctx;
}

void
_gk_gateway_context_unref (GkGatewayContext *ctx)
{
  if (!g_atomic_ref_count_dec (&ctx->ref_count))
    return;
  g_hash_table_unref (ctx->profiles);
  g_hash_table_unref (ctx->served);
  g_strfreev (ctx->origins);
  g_object_unref (ctx->upstream);
  g_free (ctx->config_dir);
  g_free (ctx->last_error);
  g_free (ctx);
}

GkGatewayProfile *
_gk_gateway_context_find_profile (GkGatewayContext *ctx,
                                  const char       *name)
{
  return g_hash_table_lookup (ctx->profiles, name);
}

/* Kept for `genokey gateway status`: what went wrong last, and when. */
void
_gk_gateway_context_record_error (GkGatewayContext *ctx,
                                  const char       *message)
{
  g_free (ctx->last_error);
  ctx->last_error = g_strdup (message);
  ctx->last_error_time = g_get_real_time () / G_USEC_PER_SEC;
}

void
_gk_gateway_context_record_served (GkGatewayContext *ctx,
                                   const char       *profile,
                                   const char       *bucket,
                                   const char       *key)
{
  char *id = g_strjoin ("\n", profile, bucket, key, NULL);

  g_hash_table_add (ctx->served, id);
}

/**
 * _gk_gateway_context_config_path:
 *
 * Returns: (transfer full): where @profile's config @name is kept
 */
char *
_gk_gateway_context_config_path (GkGatewayContext *ctx,
                                 const char       *profile,
                                 const char       *name)
{
  g_autofree char *file_name = g_strconcat (name, ".json", NULL);

  return g_build_filename (ctx->config_dir, profile, file_name, NULL);
}

gboolean
_gk_gateway_context_origin_is_allowed (GkGatewayContext *ctx,
                                       const char       *origin)
{
  if (origin == NULL)
    return FALSE;
  /* Exact, case-sensitive comparison: origins are serialised by the
   * browser, and "null" (sandboxed frames, file:, redirected requests) is
   * never allowed. */
  return ctx->origins != NULL && g_strv_contains ((const char * const *) ctx->origins, origin);
}
