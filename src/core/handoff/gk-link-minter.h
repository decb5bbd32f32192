/* gk-link-minter.h: where links that outlive the credentials come from
 *
 * A presigned link dies with the credentials that signed it. A link minter
 * hands out links that keep working while the user stays signed in: today
 * the loopback gateway's `http://127.0.0.1:PORT/<capability>/<bucket>/<key>`,
 * minted in the process that runs the gateway or asked of it over D-Bus.
 * GkLinker uses one when it has one, and presigns otherwise; callers do not
 * change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_TYPE_LINK_MINTER (gk_link_minter_get_type ())

G_DECLARE_INTERFACE (GkLinkMinter, gk_link_minter, GK, LINK_MINTER, GObject)

struct _GkLinkMinterInterface
{
  GTypeInterface parent_iface;

  /* Whether @key can have a link, said here and now, without asking the
   * gateway: a batch leaves out the files that cannot, so one odd key does
   * not cost the others their links. (Optional: %NULL means any can.) */
  gboolean (*check_key)           (GkLinkMinter         *self,
                                   const char           *bucket,
                                   const char           *key,
                                   GError              **error);
  /* One link per `s3://BUCKET/KEY` in @uris, in the same order. */
  void   (*mint_async)            (GkLinkMinter         *self,
                                   const char * const   *uris,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
  GStrv  (*mint_finish)           (GkLinkMinter         *self,
                                   GAsyncResult         *result,
                                   GError              **error);
  /* Serves @json (a viewer's config, e.g. Chromoscope's) under @name and
   * returns its link: no upload, no write permission on any bucket. */
  void   (*publish_config_async)  (GkLinkMinter         *self,
                                   const char           *name,
                                   GBytes               *json,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
  char  *(*publish_config_finish) (GkLinkMinter         *self,
                                   GAsyncResult         *result,
                                   GError              **error);
};

gboolean gk_link_minter_check_key          (GkLinkMinter         *self,
                                             const char           *bucket,
                                             const char           *key,
                                             GError              **error);
void   gk_link_minter_mint_async            (GkLinkMinter         *self,
                                             const char * const   *uris,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GStrv  gk_link_minter_mint_finish           (GkLinkMinter         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void   gk_link_minter_publish_config_async  (GkLinkMinter         *self,
                                             const char           *name,
                                             GBytes               *json,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
char  *gk_link_minter_publish_config_finish (GkLinkMinter         *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
