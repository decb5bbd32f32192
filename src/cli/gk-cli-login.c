/* gk-cli-login.c: genokey login [--profile NAME] [--no-browser | --paste]
 *
 * With --paste (and by itself where there is neither a display nor a
 * browser: SSH, a container) nothing listens on this computer. The link is
 * printed, the user signs in on any computer, and the browser ends on an
 * unreachable http://localhost:60151/oauthCallback?… page whose whole
 * address the user pastes here. Lines are read until one is this sign-in's
 * answer; any other line is refused saying why, and the sign-in waits on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

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

/* ---- a pasted address ------------------------------------------------------ */

typedef struct
{
  GkCli *cli;
  GkSession *session;
  GDataInputStream *input;
  GCancellable *reading;   /* stops reading once the answer is in */
  gboolean ended;          /* standard input ended before an answer */
} Paste;

static void read_pasted_line (Paste *paste);

static void
on_pasted_line_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Paste *paste = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL && error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      paste->ended = TRUE;
      g_cancellable_cancel (gk_cli_get_cancellable (paste->cli));
      return;
    }
  if (line == NULL && error == NULL)
    {
      /* End of input without an answer: nothing more can come. */
      paste->ended = TRUE;
      g_cancellable_cancel (gk_cli_get_cancellable (paste->cli));
      return;
    }
  if (line == NULL)
    gk_cli_notice (paste->cli, _("That was not text. Paste the address from the browser’s address bar:"));
  else if (*g_strstrip (line) == '\0')
    ; /* an Enter on its own */
  else if (gk_session_submit_callback_address (paste->session, line, &error))
    {
      gk_cli_notice (paste->cli, _("Finishing the sign-in…"));
      return;
    }
  else
    {
      gk_cli_notice (paste->cli, "%s", error->message);
      gk_cli_notice (paste->cli, _("Paste the address again (Ctrl-C cancels):"));
    }
  read_pasted_line (paste);
}

static void
read_pasted_line (Paste *paste)
{
  g_data_input_stream_read_line_async (paste->input, G_PRIORITY_DEFAULT, paste->reading,
                                       on_pasted_line_cb, paste);
}

static void
on_paste_pending_cb (GkSession  *session,
                     const char *uri,
                     gboolean    browser_opened,
                     gpointer    user_data)
{
  Paste *paste = user_data;

  /* The link on stdout, alone on its line, so a script can pick it up;
   * the words around it on stderr. */
  gk_cli_notice (paste->cli, _("Open this link in a browser on any computer and sign in:"));
  printf ("%s\n", uri);
  fflush (stdout);
  gk_cli_notice (paste->cli, _("The browser then ends on a page that cannot be opened, at %s. "
                               "Copy that page’s whole address from the address bar and paste it here "
                               "(Ctrl-C cancels):"),
                 gk_profile_get_redirect_uri (gk_session_get_profile (session)));
  read_pasted_line (paste);
}

/* Where a browser could open the link: a display, or a default handler
 * for web links (which may also be a text browser on a terminal). */
static gboolean
can_open_browser_here (void)
{
  g_autoptr(GAppInfo) handler = NULL;
  const char *display = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  if ((display != NULL && *display != '\0') || (wayland != NULL && *wayland != '\0'))
    return TRUE;
  handler = g_app_info_get_default_for_uri_scheme ("https");
  return handler != NULL;
}

void
gk_cli_login_add_options (GOptionContext *context,
                          gpointer        options)
{
  GkCliLoginOptions *o = options;
  const GOptionEntry entries[] = {
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &o->no_browser, N_("Do not open a browser; print the link"), NULL },
    { "paste", 0, 0, G_OPTION_ARG_NONE, &o->paste, N_("Sign in on any computer, then paste the address the browser ends on (SSH, containers)"), NULL },
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
  gboolean paste_mode = o->paste;
  GkSignInFlags flags = o->no_browser ? GK_SIGN_IN_FLAGS_NO_BROWSER : GK_SIGN_IN_FLAGS_NONE;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GCancellable) reading = g_cancellable_new ();
  Paste paste = { cli, session, NULL, reading, FALSE };

  if (o->paste && o->no_browser)
    return gk_cli_usage_error (cli, _("--paste prints the link already; leave out --no-browser."));
  if (!o->paste && !o->no_browser && !can_open_browser_here ())
    {
      paste_mode = TRUE;
      gk_cli_notice (cli, _("There is no display and no web browser here, so you sign in on any "
                            "computer and paste back the address it ends on (as with --paste)."));
    }

  if (paste_mode)
    {
      flags = GK_SIGN_IN_FLAGS_NO_BROWSER | GK_SIGN_IN_FLAGS_PASTE;
      stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      paste.input = g_data_input_stream_new (stdin_stream);
      g_signal_connect (session, "authorization-pending", G_CALLBACK (on_paste_pending_cb), &paste);
    }
  else
    g_signal_connect (session, "authorization-pending", G_CALLBACK (on_authorization_pending_cb), cli);
  gk_session_sign_in_async (session, flags, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  g_cancellable_cancel (reading);
  g_signal_handlers_disconnect_by_data (session, paste_mode ? (gpointer) &paste : (gpointer) cli);
  g_clear_object (&paste.input);
  if (!gk_session_sign_in_finish (session, result, &error))
    {
      if (paste.ended)
        {
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("Standard input ended before a sign-in address was pasted, so the "
                                 "sign-in stopped. Run genokey login --paste on a terminal."));
        }
      return gk_cli_fail (cli, error);
    }

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
  /* Test hook: the sign-in tests print how long Genokey's own part took. */
  if (gk_test_hook ("GK_REPORT_TIMING") != NULL)
    gk_cli_notice (cli, "sign-in overhead: %.1f ms (browser redirect to credentials stored)",
                   gk_session_get_sign_in_overhead_us (session) / 1000.0);

  return GK_CLI_EXIT_OK;
}
