/* gk-profile-error.h: what is wrong with a profile, and which key and
 * profile it is about
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GK_PROFILE_ERROR (gk_profile_error_quark ())

typedef enum
{
  GK_PROFILE_ERROR_INVALID,     /* a key has a bad value; the message names key and fix */
  GK_PROFILE_ERROR_MISSING_KEY, /* a required key is absent */
  GK_PROFILE_ERROR_PARSE,       /* not JSON, or not an object/array of objects */
  GK_PROFILE_ERROR_NOT_FOUND,   /* no profile by that name */
  GK_PROFILE_ERROR_EXISTS,      /* a profile by that name exists already */
  GK_PROFILE_ERROR_AMBIGUOUS,   /* several profiles and none named */
  GK_PROFILE_ERROR_FETCH,       /* the provisioning URL could not be read */
} GkProfileError;

GQuark              gk_profile_error_quark                (void);
/* What a GK_PROFILE_ERROR is about: the profile key whose value is wrong or
 * missing, and the profile's name. The messages say what is wrong; each
 * face adds how to fix it in its own terms (options, or fields). */
const char         *gk_profile_error_get_key              (const GError *error);
const char         *gk_profile_error_get_profile          (const GError *error);
void                gk_profile_error_set_key              (GError      *error,
                                                           const char  *key);
void                gk_profile_error_set_profile          (GError      *error,
                                                           const char  *profile);

gboolean            gk_profile_set_error                  (GError     **error,
                                                           int          code,
                                                           const char  *key,
                                                           const char  *format,
                                                           ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
