/* gk-doctor-words.c: how the lab check says things: durations, viewers'
 * names, lists, and errors as sentences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-doctor-words.h"
#include "gk-web-viewer.h"

char *
gk_doctor_format_duration (gint64 seconds)
{
  gint64 hours = seconds / 3600;
  gint64 minutes = (seconds % 3600) / 60;

  if (seconds < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", (gulong) seconds),
                            (int) seconds);
  if (hours == 0)
    /* Translators: a duration in minutes */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) minutes),
                            (int) minutes);
  if (minutes == 0)
    /* Translators: a duration in hours */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong) hours),
                            (int) hours);
  /* Translators: a duration in hours and minutes, such as "2 h 5 min" */
  return g_strdup_printf (_("%d h %d min"), (int) hours, (int) minutes);
}

/* A web viewer's name for its origin, or the origin itself. */
const char *
gk_doctor_origin_name (const char *origin)
{
  if (g_str_equal (origin, GK_IGV_WEB_ORIGIN))
    return gk_viewer_get_name (GK_VIEWER_IGV_WEB);
  if (g_str_equal (origin, GK_CHROMOSCOPE_ORIGIN))
    return gk_viewer_get_name (GK_VIEWER_CHROMOSCOPE);
  return origin;
}

char *
gk_doctor_join_names (const char * const *origins)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; origins != NULL && origins[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, origins[i + 1] == NULL ? _(" and ") : ", ");
      g_string_append (out, gk_doctor_origin_name (origins[i]));
    }
  return g_string_free (out, FALSE);
}

/* At most three names, then an ellipsis: a finding is one sentence. */
char *
gk_doctor_join_some (const char * const *names)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; names != NULL && names[i] != NULL && i < 3; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", names[i]);
  if (names != NULL && names[i] != NULL)
    g_string_append (out, ", …");
  return g_string_free (out, FALSE);
}

/* An error's message as a finding's sentence: GIO's and libsoup's own
 * messages end without a full stop. */
char *
gk_doctor_as_sentence (const char *message)
{
  if (g_str_has_suffix (message, ".") || g_str_has_suffix (message, "!") ||
      g_str_has_suffix (message, "?"))
    return g_strdup (message);
  return g_strconcat (message, ".", NULL);
}

GkDoctorFinding *
gk_doctor_not_checked (const char   *check,
             const char   *subject,
             const char   *title,
             const GError *error)
{
  g_autofree char *meaning = gk_doctor_as_sentence (error->message);

  return gk_doctor_finding_new (check, GK_DOCTOR_NOTE, subject, title, meaning);
}
