/* gk-cli-igv-web.c: genokey igv-web s3://… [s3://…] [--genome ID] [--locus L] [--no-open]
 *
 * Prints (and opens) an IGV-Web link whose session holds the files' links:
 * gateway links, or presigned with --presigned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "gk-cli-commands.h"
#include "gk-cli-gateway.h"
#include "gk-cli-tracks.h"
#include "gk-igv-web.h"

void
gk_cli_igv_web_add_options (GOptionContext *context,
                            gpointer        options)
{
  GkCliIgvWebOptions *o = options;
  const GOptionEntry entries[] = {
    { "genome", 'g', 0, G_OPTION_ARG_STRING, &o->genome,
      N_("IGV-Web genome id (default hg38), or s3://…/ref.fa: a FASTA beside its .fai index"),
      N_("ID|s3://…") },
    { "locus", 'l', 0, G_OPTION_ARG_STRING, &o->locus,
      N_("Go to this locus or gene, e.g. chr1:1-1000 or TP53"), N_("LOCUS") },
    { "presigned", 0, 0, G_OPTION_ARG_NONE, &o->presigned,
      N_("Presigned S3 links instead of gateway links (for another computer; they end with the credentials)"),
      NULL },
    { "expires", 'e', 0, G_OPTION_ARG_INT64, &o->expires,
      N_("With --presigned: seconds the links should work (default 43200; never beyond the credentials)"),
      N_("SECONDS") },
    { "no-open", 0, 0, G_OPTION_ARG_NONE, &o->no_open, N_("Only print the link"), NULL },
    { NULL }
  };

  o->expires = GK_WEB_VIEWER_LINK_LIFETIME;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

void
gk_cli_igv_web_clear_options (gpointer options)
{
  GkCliIgvWebOptions *o = options;

  g_clear_pointer (&o->genome, g_free);
  g_clear_pointer (&o->locus, g_free);
}

int
gk_cli_igv_web_check (GkCli    *cli,
                      gpointer  options,
                      int       argc,
                      char    **argv)
{
  GkCliIgvWebOptions *o = options;

  if (argc < 2)
    return gk_cli_usage_error (cli, _("Give one or more s3://BUCKET/KEY files to open in IGV-Web."));
  if (o->expires < 1)
    return gk_cli_usage_error (cli, _("--expires must be at least 1 second."));
  /* Before anything is signed: a format igv.js cannot read. */
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!gk_genomic_file_viewer_reads (argv[i], GK_VIEWER_IGV_WEB, &error))
        return gk_cli_fail (cli, error);
    }
  return GK_CLI_EXIT_OK;
}

int
gk_cli_igv_web_run (GkCli    *cli,
                    gpointer  options,
                    int       argc,
                    char    **argv)
{
  GkCliIgvWebOptions *o = options;
  GkS3Client *client = gk_cli_get_s3_client (cli);
  g_autoptr(GkLinker) linker = gk_linker_new (client);
  g_autoptr(GPtrArray) tracks = NULL;
  g_autoptr(GkIgvTrack) reference = NULL;
  g_autoptr(GHashTable) buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *genome = o->genome;
  const char *locus = o->locus;
  gint64 expires = o->expires;
  gint64 expires_at = 0;
  gboolean no_open = o->no_open;
  gboolean gateway;

  if (!gk_cli_use_gateway (cli, linker, o->presigned, &error))
    return gk_cli_fail (cli, error);
  gateway = gk_linker_get_minter (linker) != NULL;
  tracks = gk_cli_sign_tracks (cli, linker, argv + 1, expires, TRUE, &expires_at, &error);
  if (tracks == NULL)
    return gk_cli_fail (cli, error);

  if (genome != NULL && g_str_has_prefix (genome, "s3://"))
    {
      g_autofree char *fai = g_strconcat (genome, ".fai", NULL);
      g_autoptr(GkLink) fasta_link = gk_cli_sign_link (cli, linker, genome, expires, FALSE, &error);
      g_autoptr(GkLink) fai_link = NULL;

      if (fasta_link != NULL)
        fai_link = gk_cli_sign_link (cli, linker, fai, expires, FALSE, &error);
      if (fai_link == NULL
          || !gk_cli_check_link (cli, fasta_link->url, fasta_link->key, &error)
          || !gk_cli_check_link (cli, fai_link->url, fai_link->key, &error))
        return gk_cli_fail (cli, error);
      reference = gk_igv_track_new (fasta_link->url, fai_link->url, strrchr (genome, '/') + 1, NULL);
    }

  /* igv.js reads the files (and an own reference) from the page at
   * igv.org: their buckets need CORS, unless it reads through the gateway,
   * which answers igv.org itself. */
  for (int i = 0; !gateway && i < argc; i++)
    {
      const char *uri = i == 0 ? (reference != NULL ? genome : NULL) : argv[i];
      g_autofree char *bucket = NULL;
      g_autofree char *key = NULL;

      if (uri != NULL && gk_s3_parse_uri (uri, &bucket, &key, NULL)
          && !g_hash_table_contains (buckets, bucket))
        {
          gk_cli_check_cors (cli, client, bucket, GK_VIEWER_IGV_WEB);
          g_hash_table_add (buckets, g_steal_pointer (&bucket));
        }
    }

  url = gk_igv_web_url (genome, reference, locus, tracks, &error);
  if (url == NULL)
    return gk_cli_fail (cli, error);

  /* This command's job is the link: it goes to stdout. */
  printf ("%s\n", url);
  fflush (stdout);
  gk_cli_tell_expiry (cli, expires_at);
  gk_cli_tell_gateway_links (cli, linker, "https://igv.org");
  if (!no_open)
    gk_cli_open_uri (cli, url);
  return GK_CLI_EXIT_OK;
}
