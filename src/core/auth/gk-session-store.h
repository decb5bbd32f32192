/* gk-session-store.h: what one profile's sign-in keeps in the keyring
 *
 * A sign-in is a handful of keyring items (GkKeyringKind): the refresh
 * token, the previous refresh token (the fallback while a rotation is not
 * yet confirmed), the user, the Cognito identity id and the cached AWS
 * credentials. The store knows their formats and, above all, the order in
 * which they are written: refresh-token rotation is crash-safe only
 * because of it. Its owner decides when to write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credentials.h"
#include "gk-jwt.h"
#include "gk-keyring.h"

G_BEGIN_DECLS

/* Every keyring item of a profile, indexed by GkKeyringKind; NULL where
 * absent. Freeing wipes the values. */
typedef struct
{
  char *values[GK_KEYRING_N_KINDS];
} GkSessionStored;

void             gk_session_stored_free                  (GkSessionStored *stored);
gboolean         gk_session_stored_has_refresh_token     (const GkSessionStored *stored);
GkCredentials   *gk_session_stored_get_credentials       (const GkSessionStored *stored,
                                                          gint64          *out_obtained_at);
char            *gk_session_stored_dup_display_name      (const GkSessionStored *stored);
gint64           gk_session_stored_get_signed_in_at      (const GkSessionStored *stored);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSessionStored, gk_session_stored_free)

/* The items' formats. Pure. */
char            *gk_session_store_credentials_to_json    (GkCredentials  *credentials,
                                                          gint64          obtained_at);
GkCredentials   *gk_session_store_credentials_from_json  (const char     *json,
                                                          gint64         *out_obtained_at);
char            *gk_session_store_display_name_from_user_json (const char *json);

#define GK_TYPE_SESSION_STORE (gk_session_store_get_type ())

G_DECLARE_FINAL_TYPE (GkSessionStore, gk_session_store, GK, SESSION_STORE, GObject)

GkSessionStore  *gk_session_store_new                    (GkKeyring      *keyring,
                                                          const char     *profile_name);
GkKeyring       *gk_session_store_get_keyring            (GkSessionStore *self);
const char      *gk_session_store_get_profile_name       (GkSessionStore *self);

/* Reads every item of the profile. */
void             gk_session_store_load_async             (GkSessionStore      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GkSessionStored *gk_session_store_load_finish            (GkSessionStore      *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* A new sign-in: the refresh token first (it is what keeps the user signed
 * in), then the rest at once. */
void             gk_session_store_save_sign_in_async     (GkSessionStore      *self,
                                                          const char          *refresh_token,
                                                          GkJwtClaims         *claims,
                                                          const char          *identity_id,
                                                          GkCredentials       *credentials,
                                                          gint64               obtained_at,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         gk_session_store_save_sign_in_finish    (GkSessionStore      *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* After a successful refresh: the refresh tokens, one by one, in the order
 * that keeps rotation crash-safe. @used_token is the token the refresh
 * sent (@used_previous: it was the stored previous one), @rotated the one
 * the identity provider sent back, if any. Never cancelled halfway. */
void             gk_session_store_save_rotation_async    (GkSessionStore      *self,
                                                          const char          *used_token,
                                                          gboolean             used_previous,
                                                          const char          *previous,
                                                          const char          *rotated,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         gk_session_store_save_rotation_finish   (GkSessionStore      *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* Renewed credentials, and the identity id if it changed. */
void             gk_session_store_save_renewal_async     (GkSessionStore      *self,
                                                          GkCredentials       *credentials,
                                                          gint64               obtained_at,
                                                          const char          *identity_id,
                                                          const char          *stored_identity_id,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         gk_session_store_save_renewal_finish    (GkSessionStore      *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* Deletes every item of the profile. */
void             gk_session_store_delete_all_async       (GkSessionStore      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         gk_session_store_delete_all_finish      (GkSessionStore      *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
