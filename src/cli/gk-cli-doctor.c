/* gk-cli-doctor.c: genokey doctor [--profile NAME] [--json]
 *
 * Checks the lab's setup from the outside, as the signed-in user
 * (gk-doctor.h), and prints each finding with its fix and a summary line;
 * `--json` prints the same for scripts. Exit status 0 when nothing is a
 * problem, 1 otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "gk-cli-commands.h"
#include "gk-cli-gateway.h"
#include "gk-doctor.h"
#include "gk-gateway-error.h"
#include "gk-gateway.h"

void
gk_cli_doctor_add_options (GOptionContext *context,
                           gpointer        options)
{
  GkCliDoctorOptions *o = options;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print the findings as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/**
 * gk_cli_gateway_settings:
 * @out_port: (out): the gateway's configured port
 *
 * The gateway's settings as the application reads them, or their defaults
 * where the settings schema is not installed (a build tree, a container).
 *
 * Returns: (transfer full): the web pages allowed to read through it
 */
GStrv
gk_cli_gateway_settings (guint16 *out_port)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  const char *defaults[] = GK_GATEWAY_DEFAULT_ORIGINS;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "gateway-origins"))
    {
      *out_port = GK_GATEWAY_DEFAULT_PORT;
      return g_strdupv ((char **) defaults);
    }
  settings = g_settings_new_full (schema, NULL, NULL);
  {
    g_autoptr(GVariant) port = g_settings_get_value (settings, "gateway-port");

    *out_port = g_variant_get_uint16 (port);
  }
  return g_settings_get_strv (settings, "gateway-origins");
}

/* Whether the application's gateway runs, and where; asked over D-Bus
 * without starting it. No session bus: none runs that links could use. */
static gboolean
gateway_running (GkCli   *cli,
                 guint16 *port)
{
  g_autoptr(GkGatewayClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) status = NULL;
  g_autoptr(GVariantDict) dict = NULL;
  gboolean running = FALSE;

  client = gk_cli_gateway_client (cli, "", NULL);
  if (client == NULL)
    return FALSE;
  gk_gateway_client_call_async (client, "Status", NULL, FALSE, gk_cli_get_cancellable (cli),
                                gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  reply = gk_gateway_client_call_finish (client, result, NULL);
  if (reply == NULL)
    return FALSE;
  status = g_variant_get_child_value (reply, 0);
  dict = g_variant_dict_new (status);
  g_variant_dict_lookup (dict, "running", "b", &running);
  if (running)
    g_variant_dict_lookup (dict, "port", "q", port);
  return running;
}

static void
print_indented (const char *text,
                const char *indent)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' || lines[i + 1] != NULL)
      printf ("%s%s\n", indent, lines[i]);
}

static void
print_finding (const GkDoctorFinding *f,
               gboolean               color)
{
  GkDoctorSeverity severity = gk_doctor_finding_get_severity (f);
  const char *label = gk_doctor_severity_get_label (severity);
  const char *start = "", *end = "";

  if (color && severity == GK_DOCTOR_PROBLEM)
    start = "\033[1;31m", end = "\033[0m";
  else if (color && severity == GK_DOCTOR_WARNING)
    start = "\033[1;33m", end = "\033[0m";
  else if (color && severity == GK_DOCTOR_NOTE)
    start = "\033[1m", end = "\033[0m";

  /* The label in a column of its own: the eye finds the problems first. */
  printf ("%s%-9s%s %s\n", start, label, end, gk_doctor_finding_get_title (f));
  if (severity == GK_DOCTOR_OK)
    return;
  printf ("          %s\n", gk_doctor_finding_get_meaning (f));
  if (gk_doctor_finding_get_fix (f) != NULL)
    {
      printf ("          %s\n", _("Fix:"));
      print_indented (gk_doctor_finding_get_fix (f), "            ");
    }
}

static void
print_findings (GPtrArray  *findings,
                const char *profile)
{
  gboolean color = isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL;
  g_autofree char *summary = gk_doctor_findings_dup_summary (findings);

  /* Translators: the heading of the lab check's output; %s is a profile */
  printf (_("Lab check of profile “%s”\n\n"), profile);
  /* Problems first, then warnings, notes and what passed. */
  for (int s = GK_DOCTOR_PROBLEM; s >= GK_DOCTOR_OK; s--)
    for (guint i = 0; i < findings->len; i++)
      {
        const GkDoctorFinding *f = g_ptr_array_index (findings, i);

        if ((int) gk_doctor_finding_get_severity (f) == s)
          print_finding (f, color);
      }
  printf ("\n%s\n", summary);
}

int
gk_cli_doctor_run (GkCli    *cli,
                   gpointer  options,
                   int       argc,
                   char    **argv)
{
  GkCliDoctorOptions *o = options;
  GkProfile *profile = gk_cli_get_profile (cli);
  g_autoptr(GkDoctor) doctor = gk_doctor_new (profile, gk_cli_get_source (cli));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) origins = NULL;
  GkDoctorGateway gateway = { 0 };
  guint16 running_port = 0;

  origins = gk_cli_gateway_settings (&gateway.port);
  gateway.origins = (const char * const *) origins;
  gateway.running = gateway_running (cli, &running_port);
  if (gateway.running && running_port != 0)
    gateway.port = running_port;
  gk_doctor_set_gateway (doctor, &gateway);

  if (!o->json)
    gk_cli_notice (cli, _("Checking profile “%s”…"), gk_profile_get_name (profile));
  gk_doctor_run_async (doctor, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  findings = gk_doctor_run_finish (doctor, result, &error);
  if (findings == NULL)
    return gk_cli_fail (cli, error);

  if (o->json)
    {
      g_autoptr(JsonNode) root = gk_doctor_findings_to_json (findings, gk_profile_get_name (profile));
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
    }
  else
    print_findings (findings, gk_profile_get_name (profile));

  return gk_doctor_findings_get_worst (findings) == GK_DOCTOR_PROBLEM ? GK_CLI_EXIT_FAILURE
                                                                      : GK_CLI_EXIT_OK;
}
