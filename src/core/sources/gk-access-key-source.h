/* gk-access-key-source.h: an IAM user's access key as a credential source
 *
 * Some labs reach their buckets with an IAM user's long-term access key
 * (Illumina Connected Analytics' bring-your-own-bucket setup hands one
 * out). The key ID is in the profile; the secret is only ever in the
 * keyring: it is stored from what the user typed (stdin or a password
 * field), never from a command line or the environment, and never written
 * to a file, a log or an error message. The credentials do not expire, so
 * there is nothing to renew; replacing the key (rotation) stores a new
 * secret, and IAM can say how old the key is and when it was last used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credential-source.h"
#include "gk-keyring.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_ACCESS_KEY_ERROR (gk_access_key_error_quark ())

typedef enum
{
  GK_ACCESS_KEY_ERROR_NO_SECRET,      /* nothing stored for the profile */
  GK_ACCESS_KEY_ERROR_INVALID_SECRET, /* what was typed cannot be a secret access key */
} GkAccessKeyError;

/* What IAM says about the key; times are Unix seconds, 0 when unknown. */
typedef struct
{
  gint64  created;
  gint64  last_used;
  char   *last_used_service; /* "s3", or NULL when never used */
  char   *last_used_region;
  char   *status;            /* "Active" or "Inactive" */
} GkAccessKeyAge;

void gk_access_key_age_free (GkAccessKeyAge *age);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkAccessKeyAge, gk_access_key_age_free)

#define GK_TYPE_ACCESS_KEY_SOURCE (gk_access_key_source_get_type ())

G_DECLARE_FINAL_TYPE (GkAccessKeySource, gk_access_key_source, GK, ACCESS_KEY_SOURCE, GObject)

GQuark             gk_access_key_error_quark                 (void);

/* Pure: whether @secret can be a secret access key (no whitespace, the
 * base64 alphabet, 16–128 characters). */
gboolean           gk_access_key_secret_is_plausible         (const char          *secret);

GkAccessKeySource *gk_access_key_source_new                  (GkProfile           *profile,
                                                              GkKeyring           *keyring);
GkProfile         *gk_access_key_source_get_profile          (GkAccessKeySource   *self);

void               gk_access_key_source_store_secret_async   (GkAccessKeySource   *self,
                                                              const char          *secret,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean           gk_access_key_source_store_secret_finish  (GkAccessKeySource   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void               gk_access_key_source_delete_secret_async  (GkAccessKeySource   *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean           gk_access_key_source_delete_secret_finish (GkAccessKeySource   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* ListAccessKeys and GetAccessKeyLastUsed for the key, signed with it;
 * errors are #GK_IAM_ERROR. */
void               gk_access_key_source_query_age_async      (GkAccessKeySource   *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GkAccessKeyAge    *gk_access_key_source_query_age_finish     (GkAccessKeySource   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
