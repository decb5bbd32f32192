/* gk-cli-gateway.c: genokey gateway status|start|stop|revoke [--profile NAME] [--json]
 *
 * The gateway runs in the application's primary instance, not in this
 * command: the command asks it over D-Bus, which starts the application
 * (windowless when no window is wanted) when none runs. `status` and
 * `stop` never start it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-cli-gateway.h"
#include "gk-gateway-error.h"
#include "gk-profile-store.h"

/**
 * gk_cli_gateway_client:
 *
 * Returns: (transfer full): a client of the running gateway for @profile,
 *   or %NULL when there is no session bus to reach it on
 */
GkGatewayClient *
gk_cli_gateway_client (GkCli       *cli,
                       const char  *profile,
                       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) local_error = NULL;

  g_bus_get (G_BUS_TYPE_SESSION, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  bus = g_bus_get_finish (result, &local_error);
  if (bus == NULL)
    {
      g_set_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_CANNOT_START,
                   _("The gateway cannot be reached: there is no desktop session bus here (%s). "
                     "Use --presigned for links that work without it, until the credentials expire."),
                   local_error->message);
      return NULL;
    }
  return gk_gateway_client_new (bus, APP_ID, profile);
}

/**
 * gk_cli_use_gateway:
 * @presigned: the user asked for presigned links
 *
 * Gives @linker the gateway's links for the command's profile, unless
 * presigned links were asked for or the profile is the environment (whose
 * credentials the gateway never sees): then it presigns
 * (gk_cli_tell_gateway_links() says why, once the links are out).
 */
gboolean
gk_cli_use_gateway (GkCli     *cli,
                    GkLinker  *linker,
                    gboolean   presigned,
                    GError   **error)
{
  g_autoptr(GkGatewayClient) client = NULL;
  GkProfile *profile = gk_cli_get_profile (cli);

  if (presigned || profile == NULL)
    return TRUE;
  client = gk_cli_gateway_client (cli, gk_profile_get_name (profile), error);
  if (client == NULL)
    return FALSE;
  gk_linker_set_minter (linker, GK_LINK_MINTER (client));
  return TRUE;
}

/**
 * gk_cli_gateway_forget:
 *
 * After a sign-out here: the running gateway (if any) stops serving
 * @profile's links now. A gateway that is not running has nothing to
 * forget, and the keyring no longer holds the secret its links need.
 */
void
gk_cli_gateway_forget (GkCli      *cli,
                       const char *profile)
{
  g_autoptr(GkGatewayClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  client = gk_cli_gateway_client (cli, profile, NULL);
  if (client == NULL)
    return;
  gk_gateway_client_call_async (client, "Forget", g_variant_new ("(s)", profile), FALSE,
                                gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  reply = gk_gateway_client_call_finish (client, result, &error);
  if (reply == NULL && !g_error_matches (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_RUNNING))
    gk_cli_notice (cli, _("The running gateway could not be told about the sign-out: %s"), error->message);
}

/**
 * gk_cli_tell_gateway_links:
 * @linker: what made the links
 * @site: (nullable): the web viewer's site that reads the links, or %NULL
 *   for IGV desktop
 *
 * Says how long gateway links work, and, for a web viewer, that the
 * browser may ask first: Chrome asks once before an https page reaches
 * apps on this computer (Local Network Access), and without a yes the
 * files do not load. For presigned links made because the profile is the
 * environment, says why they are not gateway links.
 */
void
gk_cli_tell_gateway_links (GkCli      *cli,
                           GkLinker   *linker,
                           const char *site)
{
  if (gk_linker_get_minter (linker) == NULL)
    {
      if (gk_cli_get_profile (cli) == NULL)
        gk_cli_notice (cli, _("With --profile env the links are presigned: the gateway signs only with a "
                              "profile’s credentials. They stop working when the credentials expire."));
      return;
    }
  gk_cli_notice (cli, _("The links work as long as you stay signed in, on this computer only."));
  if (site != NULL)
    gk_cli_notice (cli, _("Your browser may ask once whether %s may access apps on this computer "
                          "(Local Network Access): allow it, or the files do not load."), site);
}

/* ---- genokey gateway ---------------------------------------------------------------- */

static GVariant *
call (GkCli            *cli,
      GkGatewayClient  *client,
      const char       *method,
      GVariant         *parameters,
      gboolean          start,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_gateway_client_call_async (client, method, parameters, start, gk_cli_get_cancellable (cli),
                                gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  return gk_gateway_client_call_finish (client, result, error);
}

static char *
format_bytes (guint64 bytes)
{
  g_autofree char *size = g_format_size (bytes);

  /* Translators: a size such as "12.3 MB", then the exact count */
  return g_strdup_printf (_("%s (%llu bytes)"), size, (unsigned long long) bytes);
}

static int
print_status (GkCli    *cli,
              GVariant *status,
              gboolean  json)
{
  g_autoptr(GVariantDict) d = g_variant_dict_new (status);
  gboolean running = FALSE;
  guint16 port = 0, configured = 0;
  guint64 requests = 0, links = 0, bytes = 0, refused = 0;
  guint32 connections = 0;
  g_autofree char *error = NULL;
  gint64 error_time = 0;
  g_auto(GStrv) profiles = NULL;

  g_variant_dict_lookup (d, "running", "b", &running);
  g_variant_dict_lookup (d, "port", "q", &port);
  g_variant_dict_lookup (d, "configured-port", "q", &configured);
  g_variant_dict_lookup (d, "profiles", "^as", &profiles);
  g_variant_dict_lookup (d, "requests", "t", &requests);
  g_variant_dict_lookup (d, "links-served", "t", &links);
  g_variant_dict_lookup (d, "bytes-served", "t", &bytes);
  g_variant_dict_lookup (d, "refused", "t", &refused);
  g_variant_dict_lookup (d, "connections", "u", &connections);
  g_variant_dict_lookup (d, "last-error", "s", &error);
  g_variant_dict_lookup (d, "last-error-time", "x", &error_time);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "running");
      json_builder_add_boolean_value (b, running);
      json_builder_set_member_name (b, "port");
      json_builder_add_int_value (b, running ? port : configured);
      json_builder_set_member_name (b, "profiles");
      json_builder_begin_array (b);
      for (guint i = 0; profiles != NULL && profiles[i] != NULL; i++)
        json_builder_add_string_value (b, profiles[i]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "links_served");
      json_builder_add_int_value (b, links);
      json_builder_set_member_name (b, "requests");
      json_builder_add_int_value (b, requests);
      json_builder_set_member_name (b, "refused");
      json_builder_add_int_value (b, refused);
      json_builder_set_member_name (b, "bytes_served");
      json_builder_add_int_value (b, bytes);
      json_builder_set_member_name (b, "connections");
      json_builder_add_int_value (b, connections);
      json_builder_set_member_name (b, "last_error");
      if (error != NULL)
        json_builder_add_string_value (b, error);
      else
        json_builder_add_null_value (b);
      if (error != NULL && error_time > 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (error_time);
          g_autofree char *iso = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");

          json_builder_set_member_name (b, "last_error_at");
          json_builder_add_string_value (b, iso);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      text = json_to_string (root, FALSE);
      printf ("%s\n", text);
      return GK_CLI_EXIT_OK;
    }

  {
    g_autofree char *who = profiles != NULL && profiles[0] != NULL
      ? g_strjoinv (", ", profiles) : g_strdup (_("none"));
    g_autofree char *bytes_text = format_bytes (bytes);

    if (running)
      printf (_("Gateway:      running on http://127.0.0.1:%u\n"), port);
    else
      printf (_("Gateway:      stopped (port %u)\n"), configured);
    printf (_("Profiles:     %s\n"), who);
    printf (_("Links served: %llu (%llu requests, %llu refused)\n"),
            (unsigned long long) links, (unsigned long long) requests, (unsigned long long) refused);
    printf (_("Bytes served: %s\n"), bytes_text);
    printf (_("Connections:  %u open\n"), connections);
    if (error != NULL)
      {
        g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (error_time);
        g_autofree char *at = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");

        printf (_("Last error:   %s — %s\n"), at, error);
      }
    else
      printf (_("Last error:   none\n"));
  }
  return GK_CLI_EXIT_OK;
}

int
gk_cli_gateway_run (GkCli    *cli,
                    gpointer  options,
                    int       argc,
                    char    **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkGatewayClient) client = NULL;
  g_autoptr(GkProfileStore) store = gk_profile_store_new (NULL);
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_name = NULL;
  gboolean json = FALSE;
  const char *action;
  int status;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("The profile whose links to revoke (default: the only one, or the one used last)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the status as JSON"), NULL },
    { NULL }
  };
  const GkCliCommand command = {
    .name = "gateway", .parameters = "status|start|stop|revoke",
    .summary = N_("Show, start or stop the gateway that serves links to genome browsers, or revoke its links"),
  };

  context = gk_cli_option_context_new (cli, &command);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gk_cli_usage_error (cli, _("Give one action: status, start, stop or revoke."));
  action = argv[1];
  if (!g_str_equal (action, "status") && !g_str_equal (action, "start") &&
      !g_str_equal (action, "stop") && !g_str_equal (action, "revoke"))
    return gk_cli_usage_error (cli, _("“%s” is not a gateway action: use status, start, stop or revoke."),
                               action);

  if (g_str_equal (action, "revoke"))
    {
      profile = gk_profile_store_resolve (store, profile_name, &error);
      if (profile == NULL)
        return gk_cli_fail (cli, error);
    }
  client = gk_cli_gateway_client (cli, profile != NULL ? gk_profile_get_name (profile) : "", &error);
  if (client == NULL)
    return gk_cli_fail (cli, error);

  if (g_str_equal (action, "status"))
    {
      reply = call (cli, client, "Status", NULL, FALSE, &error);
      if (reply == NULL && g_error_matches (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_RUNNING))
        {
          if (json)
            printf ("{\"running\":false}\n");
          else
            printf (_("Gateway:      not running (Genokey is not running)\n"));
          return GK_CLI_EXIT_OK;
        }
      if (reply == NULL)
        return gk_cli_fail (cli, error);
      {
        g_autoptr(GVariant) dict = g_variant_get_child_value (reply, 0);

        return print_status (cli, dict, json);
      }
    }
  if (g_str_equal (action, "start"))
    {
      guint16 port = 0;

      reply = call (cli, client, "Start", NULL, TRUE, &error);
      if (reply == NULL)
        return gk_cli_fail (cli, error);
      g_variant_get (reply, "(q)", &port);
      printf (_("The gateway serves links on http://127.0.0.1:%u.\n"), port);
      return GK_CLI_EXIT_OK;
    }
  if (g_str_equal (action, "stop"))
    {
      reply = call (cli, client, "Stop", NULL, FALSE, &error);
      if (reply == NULL && !g_error_matches (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_RUNNING))
        return gk_cli_fail (cli, error);
      printf (_("The gateway is stopped: its links fail until it starts again.\n"));
      return GK_CLI_EXIT_OK;
    }

  reply = call (cli, client, "Revoke", g_variant_new ("(s)", gk_profile_get_name (profile)), TRUE, &error);
  if (reply == NULL)
    return gk_cli_fail (cli, error);
  printf (_("Revoked the gateway links of profile %s: links made before no longer work; new links do.\n"),
          gk_profile_get_name (profile));
  return GK_CLI_EXIT_OK;
}
