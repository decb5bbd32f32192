/* gk-cli-login.c: genokey login [--profile NAME] [--no-browser]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-cli-session.h"
#include "gk-test-hooks.h"

static void
on_authorization_pending_cb (GkSession  *session,
                             const char *uri,
                             gboolean    browser_opened,
                             gpointer    user_data)
{
  GkCli *cli = user_data;

  if (browser_opened)
    {
      gk_cli_notice (cli, _("Sign in in the browser window that opened. Waiting… (Ctrl-C cancels)"));
      return;
    }
  /* The link on stdout, alone on its line, so a script can pick it up;
   * the words around it on stderr. */
  gk_cli_notice (cli, _("Open this link in a browser on this computer to sign in:"));
  printf ("%s\n", uri);
  fflush (stdout);
  gk_cli_notice (cli, _("Waiting for the sign-in… (Ctrl-C cancels)"));
}

void
gk_cli_login_add_options (GOptionContext *context,
                          gpointer        options)
{
  GkCliLoginOptions *o = options;
  const GOptionEntry entries[] = {
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &o->no_browser, N_("Do not open a browser; print the link"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

int
gk_cli_login_run (GkCli    *cli,
                  gpointer  options,
                  int       argc,
                  char    **argv)
{
  GkCliLoginOptions *o = options;
  GkSession *session = gk_cli_get_session (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *until = NULL;
  GkKeyring *keyring;
  gboolean no_browser = o->no_browser;

  g_signal_connect (session, "authorization-pending", G_CALLBACK (on_authorization_pending_cb), cli);
  gk_session_sign_in_async (session, no_browser ? GK_SIGN_IN_FLAGS_NO_BROWSER : GK_SIGN_IN_FLAGS_NONE,
                            gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_session_sign_in_finish (session, result, &error))
    return gk_cli_fail (cli, error);

  gk_profile_store_set_last_used (gk_account_get_store (gk_cli_get_account (cli)),
                                  gk_profile_get_name (gk_session_get_profile (session)));

  until = gk_cli_format_local_time (gk_session_get_credentials_expiration (session));
  /* TRANSLATORS: "Signed in as ana@lab.org — credentials valid until 14:05" */
  printf (_("Signed in as %s — credentials valid until %s\n"),
          gk_session_get_email (session), until);

  keyring = gk_session_get_keyring (session);
  if (!gk_keyring_is_memory_only (keyring))
    {
      const char *name = gk_profile_get_name (gk_session_get_profile (session));
      g_autofree char *line = gk_cli_credential_process_line (name);

      /* Translators: the second %s is a line of ~/.aws/config, kept as is */
      gk_cli_notice (cli, _("The AWS CLI and SDKs can use this sign-in from a profile in ~/.aws/config:\n"
                            "  [profile %s]\n  %s"), name, line);
    }
  if (gk_keyring_is_memory_only (keyring))
    gk_cli_notice (cli, "%s", gk_keyring_get_memory_only_message (keyring));
  /* Test hook: the sign-in tests print how long Genokey's own part took. */
  if (gk_test_hook ("GK_REPORT_TIMING") != NULL)
    gk_cli_notice (cli, "sign-in overhead: %.1f ms (browser redirect to credentials stored)",
                   gk_session_get_sign_in_overhead_us (session) / 1000.0);

  return GK_CLI_EXIT_OK;
}
