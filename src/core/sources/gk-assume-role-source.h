/* gk-assume-role-source.h: a role assumed with STS AssumeRole
 *
 * Seqera Platform, Informatica and many labs' own setups hand out a role to
 * assume, often with an external ID that the role's trust policy requires
 * and session tags. The call is signed with the credentials of another
 * profile (its source profile: a lab sign-in, an access key or an instance
 * profile), so this source wraps that profile's source. The role's
 * credentials are kept in the keyring with their expiry, so every Genokey
 * process shares them, and are renewed before they run out: whenever a
 * caller needs them longer than they have left, one AssumeRole at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credential-source.h"
#include "gk-keyring.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_ASSUME_ROLE_ERROR (gk_assume_role_error_quark ())

typedef enum
{
  GK_ASSUME_ROLE_ERROR_FAILED,
  GK_ASSUME_ROLE_ERROR_NOT_ALLOWED,       /* AccessDenied: trust policy or external ID */
  GK_ASSUME_ROLE_ERROR_DURATION_TOO_LONG, /* above the role's maximum (or chaining's hour) */
  GK_ASSUME_ROLE_ERROR_SOURCE_REFUSED,    /* STS refuses the signing credentials */
  GK_ASSUME_ROLE_ERROR_INVALID_PARAMETER, /* another ValidationError */
  GK_ASSUME_ROLE_ERROR_UNAVAILABLE,       /* no answer, 5xx, throttled */
  GK_ASSUME_ROLE_ERROR_INVALID_RESPONSE,  /* an answer without credentials */
} GkAssumeRoleError;

#define GK_TYPE_ASSUME_ROLE_SOURCE (gk_assume_role_source_get_type ())

G_DECLARE_FINAL_TYPE (GkAssumeRoleSource, gk_assume_role_source, GK, ASSUME_ROLE_SOURCE, GObject)

GQuark              gk_assume_role_error_quark            (void);

/* Pure: AWS's error answer to AssumeRole, in words that say what to fix. */
GError             *gk_assume_role_error_from_aws         (GkProfile          *profile,
                                                           guint               http_status,
                                                           const char         *code,
                                                           const char         *message);
/* Pure: the RoleSessionName to send: the profile's, or @user_name made
 * acceptable to STS ([\w+=,.@-]{2,64}). */
char               *gk_assume_role_session_name           (GkProfile          *profile,
                                                           const char         *user_name);

/* @source signs AssumeRole: the source profile's credential source. */
GkAssumeRoleSource *gk_assume_role_source_new             (GkProfile          *profile,
                                                           GkCredentialSource *source,
                                                           GkKeyring          *keyring);
GkCredentialSource *gk_assume_role_source_get_source      (GkAssumeRoleSource *self);
/* Unix time the credentials in hand expire, 0 before the first call. */
gint64              gk_assume_role_source_get_expiration  (GkAssumeRoleSource *self);
/* Forgets the credentials (memory and keyring); the next call assumes anew. */
void                gk_assume_role_source_forget_async    (GkAssumeRoleSource  *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            gk_assume_role_source_forget_finish   (GkAssumeRoleSource  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
