/* gk-test-home.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "gk-test-home.h"

/**
 * gk_test_home_new:
 * @name: for the directory's name
 *
 * Points HOME and the XDG folders into a new temporary directory and turns
 * the session bus off, before anything reads them.
 *
 * Returns: (transfer full): the directory
 */
char *
gk_test_home_new (const char *name)
{
  static const struct { const char *variable; const char *folder; } folders[] = {
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_CACHE_HOME", ".cache" },
    { "XDG_RUNTIME_DIR", "run" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("gk-%s-XXXXXX", name);
  char *home = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (home, folders[i].folder, NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (folders[i].variable, path, TRUE);
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  return home;
}

/**
 * gk_test_home_install_browser:
 *
 * The desktop's default browser, as GIO finds it: a .desktop file named in
 * mimeapps.list, whose program appends each address it is given to a file.
 *
 * Returns: (transfer full): that file's path
 */
char *
gk_test_home_install_browser (const char *home)
{
  g_autofree char *script = g_build_filename (home, "browser.sh", NULL);
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop = NULL;
  g_autofree char *mimeapps = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  char *opened = g_build_filename (home, "opened-urls.txt", NULL);

  body = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n", opened);
  g_file_set_contents (script, body, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);

  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  desktop = g_build_filename (apps, "gk-test-browser.desktop", NULL);
  g_free (body);
  body = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\nExec=%s %%u\n"
                          "MimeType=x-scheme-handler/http;x-scheme-handler/https;\nNoDisplay=true\n", script);
  g_file_set_contents (desktop, body, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_file_set_contents (mimeapps, "[Default Applications]\nx-scheme-handler/http=gk-test-browser.desktop\n"
                       "x-scheme-handler/https=gk-test-browser.desktop\n", -1, &error);
  g_assert_no_error (error);
  return opened;
}

/**
 * gk_test_home_remove:
 *
 * Deletes the directory and everything in it (symbolic links, not what
 * they point to).
 */
void
gk_test_home_remove (const char *home)
{
  g_autoptr(GDir) dir = g_dir_open (home, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (home, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        gk_test_home_remove (child);
      else
        g_unlink (child);
    }
  g_rmdir (home);
}
