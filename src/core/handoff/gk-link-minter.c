/* gk-link-minter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-link-minter.h"

G_DEFINE_INTERFACE (GkLinkMinter, gk_link_minter, G_TYPE_OBJECT)

static void
gk_link_minter_default_init (GkLinkMinterInterface *iface)
{
}

/**
 * gk_link_minter_check_key:
 *
 * Returns: whether @bucket/@key can have a link from @self (%FALSE with
 *   @error saying why not, and what to use instead)
 */
gboolean
gk_link_minter_check_key (GkLinkMinter  *self,
                          const char    *bucket,
                          const char    *key,
                          GError       **error)
{
  g_return_val_if_fail (GK_IS_LINK_MINTER (self), FALSE);
  g_return_val_if_fail (bucket != NULL && key != NULL, FALSE);

  if (GK_LINK_MINTER_GET_IFACE (self)->check_key == NULL)
    return TRUE;
  return GK_LINK_MINTER_GET_IFACE (self)->check_key (self, bucket, key, error);
}

/**
 * gk_link_minter_mint_async:
 * @uris: `s3://BUCKET/KEY` addresses
 */
void
gk_link_minter_mint_async (GkLinkMinter        *self,
                           const char * const  *uris,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (GK_IS_LINK_MINTER (self));
  g_return_if_fail (uris != NULL);

  GK_LINK_MINTER_GET_IFACE (self)->mint_async (self, uris, cancellable, callback, user_data);
}

/**
 * gk_link_minter_mint_finish:
 *
 * Returns: (transfer full): one link per address, in order, or %NULL with
 *   @error set
 */
GStrv
gk_link_minter_mint_finish (GkLinkMinter  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (GK_IS_LINK_MINTER (self), NULL);
  return GK_LINK_MINTER_GET_IFACE (self)->mint_finish (self, result, error);
}

void
gk_link_minter_publish_config_async (GkLinkMinter        *self,
                                     const char          *name,
                                     GBytes              *json,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GK_IS_LINK_MINTER (self));
  g_return_if_fail (name != NULL && json != NULL);

  if (GK_LINK_MINTER_GET_IFACE (self)->publish_config_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, gk_link_minter_publish_config_async,
                               G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "this link minter does not serve configs");
      return;
    }
  GK_LINK_MINTER_GET_IFACE (self)->publish_config_async (self, name, json, cancellable, callback,
                                                         user_data);
}

/**
 * gk_link_minter_publish_config_finish:
 *
 * Returns: (transfer full): the config's link, or %NULL with @error set
 */
char *
gk_link_minter_publish_config_finish (GkLinkMinter  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (GK_IS_LINK_MINTER (self), NULL);
  if (g_async_result_is_tagged (result, gk_link_minter_publish_config_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return GK_LINK_MINTER_GET_IFACE (self)->publish_config_finish (self, result, error);
}
