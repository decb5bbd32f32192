/* gk-session-private.h: the parts of GkSession that live in their own files
 *
 * gk-session-store.c: the profile's keyring items, their formats and the
 * order in which they are written (refresh-token rotation is crash-safe
 * only because of that order).
 * gk-session-lock.c: the cross-process renewal lock.
 *
 * Not installed; only gk-session*.c include it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credentials.h"
#include "gk-jwt.h"
#include "gk-keyring.h"
#include "gk-session.h"

G_BEGIN_DECLS

/* Frees a string holding a secret after overwriting it. NULL is fine. */
void             gk_session_wipe_free                        (gpointer       data);

/* ------------------------------------------------------------------------
 * gk-session-store.c
 * ------------------------------------------------------------------------ */

/* Every keyring item of a profile, indexed by GkKeyringKind; NULL where
 * absent. Freeing wipes the values. */
typedef struct
{
  char *values[GK_KEYRING_N_KINDS];
} GkSessionStored;

void             gk_session_stored_free                      (GkSessionStored *stored);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSessionStored, gk_session_stored_free)

char            *gk_session_store_credentials_to_json        (GkCredentials *credentials,
                                                              gint64         obtained_at);
GkCredentials   *gk_session_store_credentials_from_json      (const char    *json,
                                                              gint64        *out_obtained_at);
char            *gk_session_store_display_name_from_user_json (const char   *json);

/* Lists of keyring writes (GPtrArray of private items), for
 * gk_session_store_batch_async(). Pure. */
GPtrArray       *gk_session_store_sign_in_ops                (const char    *refresh_token,
                                                              GkJwtClaims   *claims,
                                                              const char    *identity_id,
                                                              GkCredentials *credentials,
                                                              gint64         obtained_at);
GPtrArray       *gk_session_store_rotation_ops               (const char    *used_token,
                                                              gboolean       used_previous,
                                                              const char    *previous,
                                                              const char    *rotated);
GPtrArray       *gk_session_store_renewal_ops                (GkCredentials *credentials,
                                                              gint64         obtained_at,
                                                              const char    *identity_id,
                                                              const char    *stored_identity_id);

/* Writes @ops in order, except that those from @parallel_from on go out at
 * once. @crash_point: test hook (GK_TEST_CRASH_IN_ROTATION), or NULL. The
 * task's source object is @self. */
void             gk_session_store_batch_async                (GkSession           *self,
                                                              GPtrArray           *ops,
                                                              guint                parallel_from,
                                                              const char          *crash_point,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean         gk_session_store_batch_finish               (GkSession           *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* Reads every item of the profile. */
void             gk_session_store_load_async                 (GkSession           *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GkSessionStored *gk_session_store_load_finish                (GkSession           *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* ------------------------------------------------------------------------
 * gk-session-lock.c
 * ------------------------------------------------------------------------ */

typedef struct _GkSessionLock GkSessionLock;

/* Opens $XDG_RUNTIME_DIR/genokey/<profile>.lock without taking it. A lock
 * file that cannot be opened locks nothing (renewal then only runs one at
 * a time within the process). */
GkSessionLock   *gk_session_lock_new                         (const char    *profile_name);
/* Takes the lock if it is free. TRUE also when there is no lock file. */
gboolean         gk_session_lock_try                         (GkSessionLock *lock);
/* Polls until the lock is taken or @timeout_seconds have passed, then calls
 * @callback once from the thread-default main context; whether the lock
 * was got is not told: after the timeout the caller goes ahead anyway. */
void             gk_session_lock_wait                        (GkSessionLock *lock,
                                                              guint          timeout_seconds,
                                                              GSourceFunc    callback,
                                                              gpointer       user_data);
/* Releases the lock (if held) and stops any wait. */
void             gk_session_lock_free                        (GkSessionLock *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSessionLock, gk_session_lock_free)

G_END_DECLS
