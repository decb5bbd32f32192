/* gk-credential-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-credential-source.h"

G_DEFINE_INTERFACE (GkCredentialSource, gk_credential_source, G_TYPE_OBJECT)

static void
gk_credential_source_default_init (GkCredentialSourceInterface *iface)
{
}

/**
 * gk_credential_source_get_credentials_async:
 * @min_valid: seconds the credentials must still be valid for; the source
 *   renews first when it can and less is left
 */
void
gk_credential_source_get_credentials_async (GkCredentialSource  *self,
                                            gint64               min_valid,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (GK_IS_CREDENTIAL_SOURCE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  GK_CREDENTIAL_SOURCE_GET_IFACE (self)->get_credentials_async (self, min_valid, cancellable,
                                                                callback, user_data);
}

/**
 * gk_credential_source_get_credentials_finish:
 *
 * Returns: (transfer full): the credentials, or %NULL with @error set
 */
GkCredentials *
gk_credential_source_get_credentials_finish (GkCredentialSource  *self,
                                             GAsyncResult        *result,
                                             GError             **error)
{
  g_return_val_if_fail (GK_IS_CREDENTIAL_SOURCE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return GK_CREDENTIAL_SOURCE_GET_IFACE (self)->get_credentials_finish (self, result, error);
}

const char *
gk_credential_source_get_description (GkCredentialSource *self)
{
  GkCredentialSourceInterface *iface;

  g_return_val_if_fail (GK_IS_CREDENTIAL_SOURCE (self), NULL);

  iface = GK_CREDENTIAL_SOURCE_GET_IFACE (self);
  if (iface->get_description == NULL)
    return G_OBJECT_TYPE_NAME (self);
  return iface->get_description (self);
}
