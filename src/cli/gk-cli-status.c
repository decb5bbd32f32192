/* gk-cli-status.c: genokey status [--profile NAME] [--json]
 *
 * Who is signed in, until when, how renewal goes and where the secrets are
 * kept. Never a secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-cli-session.h"
#include "gk-cli-status-source.h"

static const char *
state_label (GkSessionState state)
{
  switch (state)
    {
    case GK_SESSION_STATE_SIGNED_OUT: return _("signed out");
    case GK_SESSION_STATE_SIGNING_IN: return _("signing in");
    case GK_SESSION_STATE_SIGNED_IN: return _("signed in");
    case GK_SESSION_STATE_RENEWING: return _("renewing");
    case GK_SESSION_STATE_NEEDS_SIGN_IN: return _("needs a new sign-in");
    default: return "?";
    }
}

static void
print_json (GkSession *session)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GkKeyring *keyring = gk_session_get_keyring (session);
  const GError *renewal_error = gk_session_get_renewal_error (session);
  gint64 expiration = gk_session_get_credentials_expiration (session);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, gk_profile_get_name (gk_session_get_profile (session)));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, gk_session_state_to_string (gk_session_get_state (session)));
  json_builder_set_member_name (builder, "email");
  if (gk_session_get_email (session) != NULL)
    json_builder_add_string_value (builder, gk_session_get_email (session));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "credentials_expiration");
  if (expiration > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (expiration);
      g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, iso);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "credentials_valid");
  json_builder_add_boolean_value (builder, expiration > g_get_real_time () / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "renewal_error");
  if (renewal_error != NULL)
    json_builder_add_string_value (builder, renewal_error->message);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "keyring");
  json_builder_add_string_value (builder, gk_keyring_is_memory_only (keyring) ? "memory" : "secret-service");
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
print_text (GkSession *session)
{
  GkKeyring *keyring = gk_session_get_keyring (session);
  const GError *renewal_error = gk_session_get_renewal_error (session);
  gint64 expiration = gk_session_get_credentials_expiration (session);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GkSessionState state = gk_session_get_state (session);

  printf (_("Profile:      %s\n"), gk_profile_get_name (gk_session_get_profile (session)));
  printf (_("State:        %s\n"), state_label (state));
  if (gk_session_get_email (session) != NULL && state != GK_SESSION_STATE_SIGNED_OUT)
    printf (_("Signed in as: %s\n"), gk_session_get_email (session));
  if (expiration > now)
    {
      g_autofree char *until = gk_cli_format_local_time (expiration);

      printf (_("Credentials:  valid until %s (%lld min left), renewed automatically\n"),
              until, (long long) ((expiration - now) / 60));
    }
  else if (state != GK_SESSION_STATE_SIGNED_OUT)
    printf (_("Credentials:  expired; renewed at the next use\n"));
  if (renewal_error != NULL)
    printf (_("Renewal:      failed: %s\n"), renewal_error->message);
  if (gk_keyring_is_memory_only (keyring))
    printf (_("Keyring:      none (memory only): %s\n"), gk_keyring_get_memory_only_message (keyring));
  else
    printf (_("Keyring:      the desktop keyring (Secret Service)\n"));
  if (state == GK_SESSION_STATE_SIGNED_OUT)
    printf (_("Sign in with “genokey login --profile %s”.\n"),
            gk_profile_get_name (gk_session_get_profile (session)));
}

void
gk_cli_status_add_options (GOptionContext *context,
                           gpointer        options)
{
  GkCliStatusOptions *o = options;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

int
gk_cli_status_run (GkCli    *cli,
                   gpointer  options,
                   int       argc,
                   char    **argv)
{
  GkCliStatusOptions *o = options;
  GkSession *session = gk_cli_get_session (cli);

  /* Access keys, roles, instance profiles: their own account of it. */
  if (session == NULL)
    return gk_cli_status_source_run (cli, o->json);
  if (o->json)
    print_json (session);
  else
    print_text (session);
  return GK_CLI_EXIT_OK;
}
