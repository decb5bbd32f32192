/* gk-cli-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-cli-session.h"
#include "gk-profile-store.h"

/**
 * gk_cli_open_session:
 * @profile_name: (nullable): the profile; %NULL for the only or last used one
 *
 * Resolves the profile and restores its sign-in from the keyring (no
 * network, no browser). Says so on stderr when only memory can be used.
 *
 * Returns: (transfer full): the session, or %NULL with @error set
 */
GkSession *
gk_cli_open_session (GkCli       *cli,
                     const char  *profile_name,
                     GError     **error)
{
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GkKeyring) keyring = NULL;
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  profile = gk_profile_store_resolve (store, profile_name, error);
  if (profile == NULL)
    return NULL;
  if (!gk_profile_is_sign_in (profile))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Profile “%s” gets its credentials from %s, not from a lab sign-in: there is "
                     "nothing to sign in to. Use it directly, such as “genokey ls --profile %s”."),
                   gk_profile_get_name (profile), gk_profile_source_to_string (gk_profile_get_source (profile)),
                   gk_profile_get_name (profile));
      return NULL;
    }

  keyring = gk_keyring_new ();
  session = gk_session_new (profile, keyring);
  gk_session_restore_async (session, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_session_restore_finish (session, result, error))
    return NULL;

  return g_steal_pointer (&session);
}

/**
 * gk_cli_format_local_time:
 *
 * Returns: (transfer full): @unix_time as the local "14:05", with the date
 *   in front when it is not today
 */
char *
gk_cli_format_local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%H:%M");
  return g_date_time_format (when, "%Y-%m-%d %H:%M");
}

/**
 * gk_cli_credential_process_line:
 *
 * The `credential_process` line for ~/.aws/config that runs this genokey:
 * inside Flatpak the AWS CLI, which runs on the host, must go through
 * `flatpak run` (the sandbox's own path means nothing there).
 *
 * Returns: (transfer full): `credential_process = … --profile NAME`
 */
char *
gk_cli_credential_process_line (const char *profile_name)
{
  const char *flatpak_id = g_getenv ("FLATPAK_ID");
  gboolean plain = profile_name[0] != '\0' &&
                   profile_name[strspn (profile_name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789._-")] == '\0';
  /* The AWS SDKs split the line like a shell; quote only what needs it. */
  g_autofree char *quoted = plain ? g_strdup (profile_name) : g_shell_quote (profile_name);

  if (flatpak_id != NULL && g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return g_strdup_printf ("credential_process = flatpak run --command=genokey %s credential-process --profile %s",
                            flatpak_id, quoted);
  return g_strdup_printf ("credential_process = genokey credential-process --profile %s", quoted);
}
