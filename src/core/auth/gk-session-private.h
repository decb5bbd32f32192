/* gk-session-private.h: the parts of GkSession that live in their own files
 *
 * gk-session.c: the object, its state and setters, restore and sign-out.
 * gk-session-sign-in.c: the browser sign-in.
 * gk-session-renew.c: silent renewal.
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

#include <libsoup/soup.h>

#include "gk-credentials.h"
#include "gk-cognito-identity.h"
#include "gk-jwks.h"
#include "gk-keyring.h"
#include "gk-session.h"
#include "gk-token-client.h"

G_BEGIN_DECLS

/* Credentials with less than this left are not handed out after a failed
 * renewal; a request signed with them would likely fail on the way. */
#define GK_SESSION_MIN_USEFUL_SECONDS 60

struct _GkSession
{
  GObject parent_instance;

  GkProfile *profile;
  GkKeyring *keyring;
  SoupSession *soup;
  GkTokenClient *token_client;
  GkJwks *jwks;
  GkCognitoIdentityClient *identity;

  GkSessionState state;
  char *email;
  char *identity_id;
  GkCredentials *credentials;
  gint64 credentials_obtained_at;
  GError *renewal_error;
  char *authorization_uri;
  gint64 sign_in_overhead_us;
  char *description;

  gboolean auto_renew;
  guint renew_timer;
  GPtrArray *renewal_waiters; /* GTask*, non-NULL while a renewal runs */
  gboolean signing_in;
  guint generation;           /* bumped by sign-in and sign-out */
};

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

/* ------------------------------------------------------------------------
 * gk-session.c: state changes, each notifying its property
 * ------------------------------------------------------------------------ */

void             _gk_session_set_state                       (GkSession      *self,
                                                              GkSessionState  state);
void             _gk_session_set_email                       (GkSession      *self,
                                                              const char     *email);
/* Also schedules the next renewal. */
void             _gk_session_set_credentials                 (GkSession      *self,
                                                              GkCredentials  *credentials,
                                                              gint64          obtained_at);
void             _gk_session_set_renewal_error               (GkSession      *self,
                                                              const GError   *error);
void             _gk_session_set_authorization_uri           (GkSession      *self,
                                                              const char     *uri);
void             _gk_session_emit_authorization_pending      (GkSession      *self,
                                                              const char     *uri,
                                                              gboolean        browser_opened);
/* Takes what the keyring holds where it is newer than what is in hand. */
void             _gk_session_adopt_stored                    (GkSession      *self,
                                                              GkSessionStored *stored);
const char      *_gk_session_display_name_from_claims        (GkJwtClaims    *claims);
gint64           _gk_session_now_unix                        (void);

/* ------------------------------------------------------------------------
 * gk-session-renew.c
 * ------------------------------------------------------------------------ */

/* Arms (or disarms) the renewal timer for the credentials in hand. */
void             _gk_session_schedule_renewal                (GkSession      *self);
/* Renews now, or joins the renewal already running; @task (taken, may be
 * NULL) gets credentials valid for @min_valid seconds, or the error. */
void             _gk_session_start_renewal                   (GkSession      *self,
                                                              gint64          min_valid,
                                                              GTask          *task);

/* Frees a string holding a secret after overwriting it. NULL is fine. */
void             gk_session_wipe_free                        (gpointer       data);

G_END_DECLS
