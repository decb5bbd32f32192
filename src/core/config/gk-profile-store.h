/* gk-profile-store.h: the saved profiles in $XDG_CONFIG_HOME/genokey/profiles/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_TYPE_PROFILE_STORE (gk_profile_store_get_type ())

G_DECLARE_FINAL_TYPE (GkProfileStore, gk_profile_store, GK, PROFILE_STORE, GObject)

GkProfileStore *gk_profile_store_new            (const char      *directory);
const char     *gk_profile_store_get_directory  (GkProfileStore  *self);
GPtrArray      *gk_profile_store_list           (GkProfileStore  *self,
                                                 GError         **error);
GkProfile      *gk_profile_store_load           (GkProfileStore  *self,
                                                 const char      *name,
                                                 GError         **error);
GkProfile      *gk_profile_store_resolve        (GkProfileStore  *self,
                                                 const char      *name,
                                                 GError         **error);
gboolean        gk_profile_store_save           (GkProfileStore  *self,
                                                 GkProfile       *profile,
                                                 gboolean         replace,
                                                 GError         **error);
gboolean        gk_profile_store_save_learned_issuer (GkProfileStore *self,
                                                 const char      *name,
                                                 const char      *issuer,
                                                 GError         **error);
gboolean        gk_profile_store_remove         (GkProfileStore  *self,
                                                 const char      *name,
                                                 GError         **error);
char           *gk_profile_store_dup_last_used  (GkProfileStore  *self);
void            gk_profile_store_set_last_used  (GkProfileStore  *self,
                                                 const char      *name);

void            gk_profile_store_import_async   (GkProfileStore  *self,
                                                 const char      *file_or_url,
                                                 const char      *name,
                                                 gboolean         replace,
                                                 GCancellable    *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer         user_data);
GPtrArray      *gk_profile_store_import_finish  (GkProfileStore  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error);
GPtrArray      *gk_profile_store_import_bytes   (GkProfileStore  *self,
                                                 GBytes          *data,
                                                 const char      *name,
                                                 gboolean         replace,
                                                 GError         **error);

G_END_DECLS
