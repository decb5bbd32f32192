/* gk-renewal-lock.h: one renewal at a time across processes
 *
 * Several genokey processes (the window, CLI commands, a
 * credential_process) may share one profile's sign-in. Renewing one at a
 * time lets the others adopt the fresh credentials from the keyring instead
 * of each spending the refresh token (with rotation, a second refresh with
 * the same token could be refused). The lock is an flock on a per-profile
 * file under $XDG_RUNTIME_DIR/genokey/: it goes away with the process, so
 * a crashed renewal never blocks the next one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GkRenewalLock GkRenewalLock;

/* Opens $XDG_RUNTIME_DIR/genokey/<profile>.lock without taking it. A lock
 * file that cannot be opened locks nothing (renewal then only runs one at
 * a time within the process). */
GkRenewalLock *gk_renewal_lock_new  (const char    *profile_name);
/* Takes the lock if it is free. TRUE also when there is no lock file. */
gboolean       gk_renewal_lock_try  (GkRenewalLock *lock);
/* Polls until the lock is taken or @timeout_seconds have passed, then calls
 * @callback once from the thread-default main context; whether the lock
 * was got is not told: after the timeout the caller goes ahead anyway. */
void           gk_renewal_lock_wait (GkRenewalLock *lock,
                                     guint          timeout_seconds,
                                     GSourceFunc    callback,
                                     gpointer       user_data);
/* Releases the lock (if held) and stops any wait. */
void           gk_renewal_lock_free (GkRenewalLock *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkRenewalLock, gk_renewal_lock_free)

G_END_DECLS
