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
 * STS's refusals come back as #GK_STS_ERROR, in words that name the
 * external ID, the role's maximum duration or the caller it does not trust.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credential-source.h"
#include "gk-keyring.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_TYPE_ASSUME_ROLE_SOURCE (gk_assume_role_source_get_type ())

G_DECLARE_FINAL_TYPE (GkAssumeRoleSource, gk_assume_role_source, GK, ASSUME_ROLE_SOURCE, GObject)

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
