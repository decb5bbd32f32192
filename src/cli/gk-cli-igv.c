/* gk-cli-igv.c: genokey igv s3://… [s3://…] [--genome ID|PATH] [--locus L] [--port N] [--igv-command CMD]
 *
 * Links each file with its index (gateway links, or presigned with
 * --presigned), checks the links work, then sends them to a running IGV
 * over its batch port, or, when none runs, starts IGV with a session file
 * holding them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gk-cli-commands.h"
#include "gk-cli-gateway.h"
#include "gk-cli-tracks.h"
#include "gk-igv.h"

/* The window's settings (igv-command, igv-port) when the schema is
 * installed; a CLI run from the build tree has none and uses the defaults. */
static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "igv-command"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/* A FASTA in S3 becomes a private IGV genome file holding it and its .fai
 * as links; returns its path to use as the genome. */
static char *
own_genome (GkCli       *cli,
            GkLinker    *linker,
            const char  *uri,
            gint64       expires,
            GError     **error)
{
  g_autofree char *fai = g_strconcat (uri, ".fai", NULL);
  g_autoptr(GkLink) fasta = NULL;
  g_autoptr(GkLink) index = NULL;
  g_autofree char *json = NULL;
  char *path = NULL;
  const char *name;

  fasta = gk_cli_sign_link (cli, linker, uri, expires, FALSE, error);
  if (fasta == NULL)
    return NULL;
  index = gk_cli_sign_link (cli, linker, fai, expires, FALSE, error);
  if (index == NULL)
    return NULL;
  name = strrchr (fasta->key, '/') ? strrchr (fasta->key, '/') + 1 : fasta->key;
  if (!gk_cli_check_link (cli, fasta->url, name, error)
      || !gk_cli_check_link (cli, index->url, index->key, error))
    return NULL;
  json = gk_igv_genome_json (name, fasta->url, index->url);
  if (!gk_igv_write_genome_file (json, NULL, &path, error))
    return NULL;
  return path;
}

void
gk_cli_igv_add_options (GOptionContext *context,
                        gpointer        options)
{
  GkCliIgvOptions *o = options;
  const GOptionEntry entries[] = {
    { "genome", 'g', 0, G_OPTION_ARG_STRING, &o->genome,
      N_("Switch IGV to this genome first (an id such as hg38, or a FASTA or .genome file)"),
      N_("ID|PATH") },
    { "locus", 'l', 0, G_OPTION_ARG_STRING, &o->locus,
      N_("Go to this locus or gene, e.g. chr1:1-1000 or TP53"), N_("LOCUS") },
    { "port", 0, 0, G_OPTION_ARG_INT, &o->port,
      N_("IGV’s batch port (default: the setting, else 60151)"), N_("PORT") },
    { "igv-command", 0, 0, G_OPTION_ARG_STRING, &o->command,
      N_("How to start IGV when it is not running (default: the setting, else “igv”)"),
      N_("COMMAND") },
    { "presigned", 0, 0, G_OPTION_ARG_NONE, &o->presigned,
      N_("Presigned S3 links instead of gateway links (for another computer; they end with the credentials)"),
      NULL },
    { "expires", 'e', 0, G_OPTION_ARG_INT64, &o->expires,
      N_("With --presigned: seconds the links should work (default 43200; never beyond the credentials)"),
      N_("SECONDS") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout,
      N_("Seconds to wait for each IGV reply (default 30)"), N_("SECONDS") },
    { "launch-timeout", 0, 0, G_OPTION_ARG_INT, &o->launch_timeout,
      N_("Seconds a started IGV gets to open its port (default 90)"), N_("SECONDS") },
    { NULL }
  };

  o->expires = GK_CLI_TRACK_EXPIRES;
  o->timeout = GK_IGV_DEFAULT_TIMEOUT_MS / 1000;
  o->launch_timeout = GK_IGV_DEFAULT_LAUNCH_TIMEOUT_MS / 1000;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

void
gk_cli_igv_clear_options (gpointer options)
{
  GkCliIgvOptions *o = options;

  g_clear_pointer (&o->genome, g_free);
  g_clear_pointer (&o->locus, g_free);
  g_clear_pointer (&o->command, g_free);
}

int
gk_cli_igv_check (GkCli    *cli,
                  gpointer  options,
                  int       argc,
                  char    **argv)
{
  GkCliIgvOptions *o = options;
  g_autoptr(GSettings) settings = NULL;

  if (argc < 2)
    return gk_cli_usage_error (cli, _("Give one or more s3://BUCKET/KEY files to open in IGV."));
  if (o->port < 0 || o->port > 65535)
    return gk_cli_usage_error (cli, _("--port must be between 1 and 65535."));
  if (o->timeout < 1 || o->launch_timeout < 1)
    return gk_cli_usage_error (cli, _("Time-outs must be at least 1 second."));
  if (o->expires < 1)
    return gk_cli_usage_error (cli, _("--expires must be at least 1 second."));
  settings = open_settings ();
  if (o->port == 0)
    o->port = settings ? g_settings_get_int (settings, "igv-port") : GK_IGV_DEFAULT_PORT;
  if (o->command == NULL && settings != NULL)
    o->command = g_settings_get_string (settings, "igv-command");
  return GK_CLI_EXIT_OK;
}

int
gk_cli_igv_run (GkCli    *cli,
                gpointer  options,
                int       argc,
                char    **argv)
{
  GkCliIgvOptions *o = options;
  g_autoptr(GkLinker) linker = gk_linker_new (gk_cli_get_s3_client (cli));
  g_autoptr(GkIgvClient) igv = NULL;
  g_autoptr(GPtrArray) tracks = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *session_path = NULL;
  g_autofree char *genome = g_strdup (o->genome);
  GkIgvOpened opened;
  g_autoptr(GError) error = NULL;
  gint64 expires = o->expires;
  gint64 expires_at = 0;
  guint port = (guint) o->port;

  if (!gk_cli_use_gateway (cli, linker, o->presigned, &error))
    return gk_cli_fail (cli, error);
  tracks = gk_cli_sign_tracks (cli, linker, argv + 1, expires, FALSE, &expires_at, &error);
  if (tracks == NULL)
    return gk_cli_fail (cli, error);
  if (genome != NULL && g_str_has_prefix (genome, "s3://"))
    {
      char *path = own_genome (cli, linker, genome, expires, &error);

      if (path == NULL)
        return gk_cli_fail (cli, error);
      g_free (genome);
      genome = path;
    }

  igv = gk_igv_client_new (port);
  gk_igv_client_set_timeout (igv, o->timeout * 1000);
  /* A sign-in in this process never runs alongside; one in the window is
   * caught by the probe (something that is not IGV answers the port). */
  gk_igv_open_tracks_async (igv, genome, o->locus, tracks, o->command, FALSE, o->launch_timeout * 1000,
                            gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  opened = gk_igv_open_tracks_finish (igv, result, &session_path, &error);
  if (opened == GK_IGV_OPENED_NONE)
    {
      /* Inside Flatpak the error itself names the session file. */
      if (session_path != NULL && !g_error_matches (error, GK_IGV_ERROR, GK_IGV_ERROR_SANDBOXED))
        gk_cli_notice (cli, _("IGV is not running on port %u. The tracks are saved in the session file %s"),
                       port, session_path);
      else if (session_path != NULL)
        gk_cli_notice (cli, _("IGV is not running on port %u."), port);
      return gk_cli_fail (cli, error);
    }

  if (opened == GK_IGV_OPENED_LAUNCHED)
    {
      gk_cli_notice (cli, _("IGV is not running on port %u; starting it with the session %s"),
                     port, session_path);
      gk_cli_notice (cli, g_dngettext (GETTEXT_PACKAGE, "Started IGV with %u track.",
                                       "Started IGV with %u tracks.", tracks->len), tracks->len);
    }
  else
    gk_cli_notice (cli, g_dngettext (GETTEXT_PACKAGE, "Sent %u track to IGV on port %u.",
                                     "Sent %u tracks to IGV on port %u.", tracks->len),
                   tracks->len, port);
  gk_cli_tell_expiry (cli, expires_at);
  gk_cli_tell_gateway_links (cli, linker, NULL);
  return GK_CLI_EXIT_OK;
}
