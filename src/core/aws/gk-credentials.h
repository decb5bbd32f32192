/* gk-credentials.h: one set of AWS credentials and when they stop working
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GK_TYPE_CREDENTIALS (gk_credentials_get_type ())

/* Seconds before expiry at which credentials count as "renew now". botocore
 * uses 15 minutes as its mandatory-refresh threshold; scripts calling
 * credential_process should get credentials that outlive their next call. */
#define GK_CREDENTIALS_REFRESH_MARGIN (15 * 60)

typedef struct _GkCredentials GkCredentials;

GType          gk_credentials_get_type              (void) G_GNUC_CONST;
GkCredentials *gk_credentials_new                   (const char          *access_key_id,
                                                     const char          *secret_access_key,
                                                     const char          *session_token,
                                                     gint64               expiration);
GkCredentials *gk_credentials_ref                   (GkCredentials       *self);
void           gk_credentials_unref                 (GkCredentials       *self);
const char    *gk_credentials_get_access_key_id     (const GkCredentials *self);
const char    *gk_credentials_get_secret_access_key (const GkCredentials *self);
const char    *gk_credentials_get_session_token     (const GkCredentials *self);
gint64         gk_credentials_get_expiration        (const GkCredentials *self);
gboolean       gk_credentials_expires               (const GkCredentials *self);
gint64         gk_credentials_get_remaining         (const GkCredentials *self,
                                                     gint64               now);
gboolean       gk_credentials_is_valid_at           (const GkCredentials *self,
                                                     gint64               now,
                                                     gint64               margin);
char          *gk_credentials_format_expiration     (const GkCredentials *self);
gboolean       gk_credentials_part_is_valid         (const char          *part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkCredentials, gk_credentials_unref)

G_END_DECLS
