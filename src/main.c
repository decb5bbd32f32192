/* main.c: one executable, three faces: the command line, the window, and
 * the windowless service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "gk-application.h"
#include "gk-cli-commands.h"
#include "gk-cli.h"
#include "gk-service-application.h"
#include "gk-test-hooks.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GkApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* Test hook GENOKEY_LOCALEDIR: the translation test loads the catalogs
   * from the build tree. */
  bindtextdomain (GETTEXT_PACKAGE,
                  gk_test_hook ("GENOKEY_LOCALEDIR") ? gk_test_hook ("GENOKEY_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A subcommand runs here and returns before GTK is ever initialised, so
   * the command line works without a display or a session bus. */
  if (gk_cli_handles_command_line (argc, argv))
    {
      /* stdout carries results scripts parse (credential-process JSON,
       * export lines, links); G_MESSAGES_DEBUG must never mix into it. This
       * has to happen before any thread starts. */
      g_log_writer_default_set_use_stderr (TRUE);
      return gk_cli_main (argc, argv, gk_cli_commands_get_all ());
    }

  /* GSettings aborts the process when a schema is missing, which is what a
   * binary started from the build tree without `meson devenv` meets. Say how
   * to run it instead of dying on a GLib trap. */
  if (!gk_application_schema_is_installed ())
    {
      fprintf (stderr,
               _("genokey: the window’s settings schema %s is not installed; run Genokey from its build tree with “meson devenv -C _build genokey”, or install it with “meson install -C _build”.\n"),
               APP_ID);
      return 1;
    }

  /* D-Bus starting the gateway's service where there is no display: GTK
   * could not start, so the application without windows answers. */
  if (gk_service_application_wanted (argc, argv))
    {
      g_autoptr(GkServiceApplication) service = gk_service_application_new ();

      return g_application_run (G_APPLICATION (service), argc, argv);
    }

  app = gk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
