/* gk-cli-igv-web.c: genokey igv-web s3://… [s3://…] [--genome ID] [--locus L] [--no-open]
 *
 * Prints (and opens) an IGV-Web link whose session holds the signed files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "gk-cli-commands.h"
#include "gk-cli-source.h"
#include "gk-cli-tracks.h"
#include "gk-igv-web.h"

int
gk_cli_igv_web_run (GkCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GkS3Client) client = NULL;
  g_autoptr(GkLinker) linker = NULL;
  g_autoptr(GPtrArray) tracks = NULL;
  g_autoptr(GkIgvTrack) reference = NULL;
  g_autoptr(GHashTable) buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_name = NULL;
  g_autofree char *genome = NULL;
  g_autofree char *locus = NULL;
  g_autofree char *url = NULL;
  gint64 expires = GK_CLI_TRACK_EXPIRES;
  gint64 expires_at = 0;
  gboolean no_open = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("The profile to use, or “env” for the AWS environment variables"), N_("NAME|env") },
    { "genome", 'g', 0, G_OPTION_ARG_STRING, &genome,
      N_("IGV-Web genome id (default hg38), or s3://…/ref.fa: a FASTA beside its .fai index"),
      N_("ID|s3://…") },
    { "locus", 'l', 0, G_OPTION_ARG_STRING, &locus,
      N_("Go to this locus or gene, e.g. chr1:1-1000 or TP53"), N_("LOCUS") },
    { "expires", 'e', 0, G_OPTION_ARG_INT64, &expires,
      N_("Seconds the links should work (default 43200; never beyond the credentials)"),
      N_("SECONDS") },
    { "no-open", 0, 0, G_OPTION_ARG_NONE, &no_open, N_("Only print the link"), NULL },
    { NULL }
  };

  context = gk_cli_option_context_new (cli, gk_cli_commands_lookup ("igv-web"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gk_cli_parse_options (cli, context, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return gk_cli_usage_error (cli, _("Give one or more s3://BUCKET/KEY files to open in IGV-Web."));
  if (expires < 1)
    return gk_cli_usage_error (cli, _("--expires must be at least 1 second."));
  /* Before anything is signed: a format igv.js cannot read. */
  for (int i = 1; i < argc; i++)
    if (!gk_genomic_file_viewer_reads (argv[i], GK_VIEWER_IGV_WEB, &error))
      return gk_cli_fail (cli, error);

  client = gk_cli_open_s3_client (cli, profile_name, &error);
  if (client == NULL)
    return gk_cli_fail (cli, error);
  linker = gk_linker_new (client);

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
   * igv.org: their buckets need CORS. */
  for (int i = 0; i < argc; i++)
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
  if (!no_open)
    gk_cli_open_uri (cli, url);
  return GK_CLI_EXIT_OK;
}
