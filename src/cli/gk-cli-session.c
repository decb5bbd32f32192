/* gk-cli-session.c: how commands speak of a sign-in (times, the
 * credential_process line)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-cli-session.h"

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
