/* gk-source-profile.h: a new profile whose credentials are not a lab sign-in
 *
 * The command line's `profile add` and the window's welcome page make the
 * same profiles from the same fields. This module turns the fields into a
 * profile (whose own validation names any bad value), checks what a
 * profile alone cannot (its name is free, its source profile exists), and
 * saves it: an access key's secret goes to the keyring first, so a saved
 * profile is never without its secret, and the secret never reaches the
 * profile file. The faces only gather the fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-keyring.h"
#include "gk-profile-store.h"

G_BEGIN_DECLS

/* What a face gathered. Strings are borrowed; %NULL or "" is unset (a
 * window's empty field). Only the fields of @source are used. */
typedef struct
{
  GkProfileSource     source;
  const char         *access_key_id;      /* access-key */
  const char         *iam_endpoint;       /* access-key */
  const char         *role_arn;           /* assume-role */
  const char         *external_id;        /* assume-role */
  const char         *source_profile;     /* assume-role */
  guint               duration_seconds;   /* assume-role; 0 for the default hour */
  const char         *role_session_name;  /* assume-role */
  const char * const *tags;               /* assume-role: key, value, key, value…, NULL */
  const char         *source_identity;    /* assume-role */
  const char         *sts_endpoint;       /* assume-role */
  const char         *region;             /* every source */
  const char         *endpoint_url;       /* every source: an S3-compatible endpoint */
  const char         *buckets;            /* every source: names separated by commas */
} GkSourceProfileFields;

typedef enum
{
  GK_SOURCE_PROFILE_ADD_NONE           = 0,
  GK_SOURCE_PROFILE_ADD_REPLACE        = 1 << 0, /* a profile of the same name may be replaced */
  GK_SOURCE_PROFILE_ADD_LASTING_SECRET = 1 << 1, /* refuse a keyring that keeps the secret only
                                                  * for this run (a command that ends now) */
} GkSourceProfileAddFlags;

/* Pure: the profile, or %NULL with a #GK_PROFILE_ERROR naming the key. */
GkProfile *gk_source_profile_build       (const char                   *name,
                                          const GkSourceProfileFields  *fields,
                                          GError                      **error);

/* @secret: an access-key profile's secret access key, as typed; ignored
 * for the other sources. */
void       gk_source_profile_add_async   (GkProfileStore               *store,
                                          GkKeyring                    *keyring,
                                          GkProfile                    *profile,
                                          const char                   *secret,
                                          GkSourceProfileAddFlags       flags,
                                          GCancellable                 *cancellable,
                                          GAsyncReadyCallback           callback,
                                          gpointer                      user_data);
gboolean   gk_source_profile_add_finish  (GAsyncResult                 *result,
                                          GError                      **error);

G_END_DECLS
