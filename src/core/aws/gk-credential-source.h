/* gk-credential-source.h: anything that can hand out AWS credentials
 *
 * The signer, the S3 client and the hand-off to genome browsers never ask a
 * Cognito session directly; they ask a credential source. Today that is the
 * signed-in profile (GkSession) or the standard AWS environment variables;
 * later IAM keys, AssumeRole or instance profiles can be added without
 * touching the consumers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credentials.h"

G_BEGIN_DECLS

#define GK_TYPE_CREDENTIAL_SOURCE (gk_credential_source_get_type ())

G_DECLARE_INTERFACE (GkCredentialSource, gk_credential_source, GK, CREDENTIAL_SOURCE, GObject)

struct _GkCredentialSourceInterface
{
  GTypeInterface parent_iface;

  /* Returns credentials that are valid for more than @min_valid seconds,
   * renewing first if the source can. Sources that cannot renew return what
   * they have, or an error once it has expired. */
  void           (*get_credentials_async)  (GkCredentialSource  *self,
                                            gint64               min_valid,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
  GkCredentials *(*get_credentials_finish) (GkCredentialSource  *self,
                                            GAsyncResult        *result,
                                            GError             **error);
  /* A short human description ("profile lab", "environment variables"). */
  const char    *(*get_description)        (GkCredentialSource  *self);
};

void           gk_credential_source_get_credentials_async  (GkCredentialSource   *self,
                                                            gint64                min_valid,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GkCredentials *gk_credential_source_get_credentials_finish (GkCredentialSource   *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
const char    *gk_credential_source_get_description        (GkCredentialSource   *self);

G_END_DECLS
