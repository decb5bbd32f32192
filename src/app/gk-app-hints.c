/* gk-app-hints.c: how to go on after an error, in the window's terms
 *
 * Core's messages say what is wrong and what to fix, in words that hold on
 * the command line too. Where to click next is the window's own: its
 * fields, menus and buttons. The hint follows the message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-app-hints.h"
#include "gk-gateway-error.h"
#include "gk-profile.h"
#include "gk-s3.h"
#include "gk-session.h"

/**
 * gk_app_dup_hint:
 *
 * Returns: (transfer full) (nullable): what to do next after @error in the
 *   window; %NULL when the message says it all
 */
char *
gk_app_dup_hint (const GError *error)
{
  if (g_error_matches (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_EXISTS))
    return g_strdup (_("Type another name under “Profile Name”."));
  /* A saved profile that no longer holds (edited by hand). */
  if ((g_error_matches (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID)
       || g_error_matches (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_MISSING_KEY))
      && gk_profile_error_get_profile (error) != NULL && gk_profile_error_get_key (error) != NULL)
    return g_strdup_printf (_("Correct “%s” in the lab’s configuration, then add the lab again "
                              "under another name (Main Menu › Add Lab…)."),
                            gk_profile_error_get_key (error));
  if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NOT_ALLOWED))
    return g_strdup (_("The profile’s buckets are listed on the left."));
  /* The window's banner and notification carry the button for it. */
  if (g_error_matches (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN))
    return g_strdup (_("Choose “Sign In Again” to keep working."));
  if (g_error_matches (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN))
    return g_strdup (_("Sign in to keep working."));
  if (g_error_matches (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_PORT_IN_USE))
    return g_strdup (_("Choose the port in Preferences › Gateway, or Main Menu › Presigned Links for Viewers."));
  return NULL;
}

/**
 * gk_app_dup_error_text:
 *
 * Returns: (transfer full): @error's message with the window's hint
 */
char *
gk_app_dup_error_text (const GError *error)
{
  g_autofree char *hint = gk_app_dup_hint (error);

  if (hint == NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("%s %s", error->message, hint);
}
