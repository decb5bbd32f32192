/* gk-gateway-minter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-gateway-capability.h"
#include "gk-gateway-minter.h"

struct _GkGatewayMinter
{
  GObject parent_instance;

  GkGateway *gateway;
  char *profile;
};

static void gk_gateway_minter_iface_init (GkLinkMinterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkGatewayMinter, gk_gateway_minter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_LINK_MINTER,
                                                      gk_gateway_minter_iface_init))

static void
gk_gateway_minter_mint_async (GkLinkMinter        *minter,
                              const char * const  *uris,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GkGatewayMinter *self = GK_GATEWAY_MINTER (minter);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  GStrv links;

  g_task_set_source_tag (task, gk_gateway_minter_mint_async);
  links = gk_gateway_mint_links (self->gateway, self->profile, uris, &error);
  if (links == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, links, (GDestroyNotify) g_strfreev);
}

static GStrv
gk_gateway_minter_mint_finish (GkLinkMinter  *minter,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, minter), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_published_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *url = gk_gateway_publish_config_finish (GK_GATEWAY (object), result, &error);

  if (url == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, url, g_free);
}

static void
gk_gateway_minter_publish_config_async (GkLinkMinter        *minter,
                                        const char          *name,
                                        GBytes              *json,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GkGatewayMinter *self = GK_GATEWAY_MINTER (minter);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, gk_gateway_minter_publish_config_async);
  gk_gateway_publish_config_async (self->gateway, self->profile, name, json, cancellable,
                                   on_published_cb, task);
}

static char *
gk_gateway_minter_publish_config_finish (GkLinkMinter  *minter,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, minter), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Keys a browser would rewrite cannot have a gateway link; said locally. */
static gboolean
gk_gateway_minter_check_key (GkLinkMinter  *minter,
                             const char    *bucket,
                             const char    *key,
                             GError       **error)
{
  return gk_gateway_key_is_servable (bucket, key, error);
}

static void
gk_gateway_minter_iface_init (GkLinkMinterInterface *iface)
{
  iface->check_key = gk_gateway_minter_check_key;
  iface->mint_async = gk_gateway_minter_mint_async;
  iface->mint_finish = gk_gateway_minter_mint_finish;
  iface->publish_config_async = gk_gateway_minter_publish_config_async;
  iface->publish_config_finish = gk_gateway_minter_publish_config_finish;
}

static void
gk_gateway_minter_dispose (GObject *object)
{
  GkGatewayMinter *self = GK_GATEWAY_MINTER (object);

  g_clear_object (&self->gateway);
  G_OBJECT_CLASS (gk_gateway_minter_parent_class)->dispose (object);
}

static void
gk_gateway_minter_finalize (GObject *object)
{
  GkGatewayMinter *self = GK_GATEWAY_MINTER (object);

  g_free (self->profile);
  G_OBJECT_CLASS (gk_gateway_minter_parent_class)->finalize (object);
}

static void
gk_gateway_minter_class_init (GkGatewayMinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_gateway_minter_dispose;
  object_class->finalize = gk_gateway_minter_finalize;
}

static void
gk_gateway_minter_init (GkGatewayMinter *self)
{
}

GkGatewayMinter *
gk_gateway_minter_new (GkGateway  *gateway,
                       const char *profile)
{
  GkGatewayMinter *self;

  g_return_val_if_fail (GK_IS_GATEWAY (gateway), NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  self = g_object_new (GK_TYPE_GATEWAY_MINTER, NULL);
  self->gateway = g_object_ref (gateway);
  self->profile = g_strdup (profile);
  return self;
}

const char *
gk_gateway_minter_get_profile (GkGatewayMinter *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY_MINTER (self), NULL);
  return self->profile;
}
