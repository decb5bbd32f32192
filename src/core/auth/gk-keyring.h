/* gk-keyring.h: the secrets of a sign-in, in the desktop's keyring
 *
 * Items live in the default collection (it survives reboots) under a static
 * schema named after the app id, with only two attributes: the profile name
 * and the item kind. Labels and attributes never hold a secret. Without a
 * reachable Secret Service (or when the user dismisses the unlock prompt) the
 * keyring keeps the secrets in this process's memory only, and says so; it
 * never falls back to a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_KEYRING_ERROR (gk_keyring_error_quark ())

typedef enum
{
  GK_KEYRING_ERROR_FAILED,
} GkKeyringError;

typedef enum
{
  GK_KEYRING_KIND_REFRESH_TOKEN,
  GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN, /* kept through a rotation until the new one worked */
  GK_KEYRING_KIND_IDENTITY_ID,
  GK_KEYRING_KIND_CREDENTIALS,            /* JSON with the expiry */
  GK_KEYRING_KIND_USER,                   /* JSON: verified ID-token claims (email, name) */
  GK_KEYRING_KIND_ACCESS_KEY_SECRET,      /* an access-key profile's secret access key */
  GK_KEYRING_KIND_GATEWAY_SECRET,         /* base64: keys the capabilities of gateway links */
  GK_KEYRING_N_KINDS,
} GkKeyringKind;

#define GK_TYPE_KEYRING (gk_keyring_get_type ())

G_DECLARE_FINAL_TYPE (GkKeyring, gk_keyring, GK, KEYRING, GObject)

GQuark      gk_keyring_error_quark           (void);
const char *gk_keyring_kind_to_string        (GkKeyringKind   kind);

GkKeyring  *gk_keyring_new                   (void);
GkKeyring  *gk_keyring_new_memory_only       (void);
gboolean    gk_keyring_is_memory_only        (GkKeyring      *self);
const char *gk_keyring_get_memory_only_message (GkKeyring    *self);

void        gk_keyring_store_async           (GkKeyring           *self,
                                              const char          *profile,
                                              GkKeyringKind        kind,
                                              const char          *secret,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    gk_keyring_store_finish          (GkKeyring           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        gk_keyring_lookup_async          (GkKeyring           *self,
                                              const char          *profile,
                                              GkKeyringKind        kind,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char       *gk_keyring_lookup_finish         (GkKeyring           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* @kind -1 deletes every item of the profile. */
void        gk_keyring_delete_async          (GkKeyring           *self,
                                              const char          *profile,
                                              int                  kind,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    gk_keyring_delete_finish         (GkKeyring           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* A callback for gk_keyring_store_async() and gk_keyring_delete_async()
 * whose user data is the caller's own #GTask (transfer full): it ends that
 * task with the boolean outcome, or the keyring's error. */
void        gk_keyring_return_on_task_cb     (GObject             *object,
                                              GAsyncResult        *result,
                                              gpointer             user_data);

void        gk_keyring_free_secret           (char                *secret);

G_END_DECLS
