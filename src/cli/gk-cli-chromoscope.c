/* gk-cli-chromoscope.c: genokey chromoscope (--manifest FILE | s3://…) [--name COHORT] [--no-open]
 *                       [--presigned] [--upload | --no-upload]
 *
 * Builds a Chromoscope config with links from a cohort manifest, a folder
 * of sample folders (s3://bucket/cohort/), or chosen files (one sample),
 * and prints/opens the Chromoscope URL. By default the links are gateway
 * links and the gateway serves the config itself; --upload puts it next to
 * the data (or under the profile's chromoscope_prefix) instead, as
 * --presigned does with presigned links.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "gk-chromoscope-publish.h"
#include "gk-cli-commands.h"
#include "gk-cli-gateway.h"
#include "gk-cli-progress.h"
#include "gk-cli-tracks.h"
#include "gk-s3-tree.h"

static void
on_list_progress_cb (guint    n_entries,
                     gpointer user_data)
{
  gk_cli_progress_update (user_data, n_entries, 0);
}

/* The samples of a folder of sample folders; @keys gets every key listed,
 * so their indexes are paired without asking S3 again. */
static GPtrArray *
samples_from_folder (GkCli       *cli,
                     GkS3Client  *client,
                     const char  *uri,
                     const char  *cancer,
                     const char  *assembly,
                     gboolean     quiet,
                     char       **out_bucket,
                     char       **out_prefix,
                     GStrv       *keys,
                     GError     **error)
{
  g_autofree char *bucket = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GkCliProgress) progress = NULL;
  GPtrArray *samples;

  /* s3://bucket/ parses with an empty key. */
  if (!gk_s3_parse_uri (uri, &bucket, &prefix, error))
    return NULL;
  progress = gk_cli_progress_new (cli, _("Listing the folder"), quiet);
  gk_s3_tree_list_async (client, bucket, prefix, on_list_progress_cb, progress,
                         gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  g_clear_pointer (&progress, gk_cli_progress_free);
  page = gk_s3_tree_list_finish (result, error);
  if (page == NULL)
    return NULL;
  for (guint i = 0; i < page->objects->len; i++)
    g_strv_builder_add (builder, ((GkS3Object *) page->objects->pdata[i])->key);
  *keys = g_strv_builder_end (builder);
  samples = gk_chromoscope_samples_from_folder (bucket, prefix, (const char * const *) *keys,
                                                cancer, assembly, error);
  *out_bucket = g_steal_pointer (&bucket);
  *out_prefix = g_steal_pointer (&prefix);
  return samples;
}

static void
on_publish_progress_cb (GkChromoscopePublisher *publisher,
                        GkChromoscopeStage      stage,
                        guint                   done,
                        guint                   total,
                        gpointer                user_data)
{
  gk_cli_progress_update (user_data, done, total);
}

static int
write_local_config (GkCli      *cli,
                    const char *json,
                    const char *output,
                    const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (output != NULL)
    path = g_strdup (output);
  else
    {
      g_autofree char *stem = g_strdup (name ? name : "samples");

      g_strdelimit (stem, "/\\ ", '-');
      path = g_strdup_printf ("chromoscope-%s.json", stem);
    }
  /* It holds signed links: readable by the user only. */
  if (!g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    return gk_cli_fail (cli, error);
  printf ("%s\n", path);
  gk_cli_notice (cli, _("Wrote the Chromoscope config to %s. Load it in Chromoscope from a URL "
                        "it can fetch, or run without --no-upload."), path);
  return GK_CLI_EXIT_OK;
}

void
gk_cli_chromoscope_add_options (GOptionContext *context,
                                gpointer        options)
{
  GkCliChromoscopeOptions *o = options;
  const GOptionEntry entries[] = {
    { "manifest", 'm', 0, G_OPTION_ARG_FILENAME, &o->manifest,
      N_("A cohort manifest: tab-separated, columns id, cancer, assembly and any of sv, cnv, "
         "drivers, bam, vcf, vcf2, note"), N_("FILE") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &o->name, N_("The cohort’s name, shown by Chromoscope"), N_("COHORT") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &o->id, N_("Sample id for chosen files (default: their folder)"), N_("ID") },
    { "cancer", 0, 0, G_OPTION_ARG_STRING, &o->cancer,
      N_("Cancer type for chosen files or sample folders (default “unknown”)"), N_("TYPE") },
    { "assembly", 'a', 0, G_OPTION_ARG_STRING, &o->assembly,
      N_("hg19 or hg38, for chosen files or sample folders (default hg38)"), N_("ASSEMBLY") },
    { "presigned", 0, 0, G_OPTION_ARG_NONE, &o->presigned,
      N_("Presigned S3 links instead of gateway links, and the config uploaded (for another computer)"),
      NULL },
    { "expires", 'e', 0, G_OPTION_ARG_INT64, &o->expires,
      N_("With --presigned: seconds the links should work (default 43200; never beyond the credentials)"),
      N_("SECONDS") },
    { "no-open", 0, 0, G_OPTION_ARG_NONE, &o->no_open, N_("Only print the Chromoscope link"), NULL },
    { "upload", 0, 0, G_OPTION_ARG_NONE, &o->upload,
      N_("Upload the config next to the data instead of serving it from this computer"), NULL },
    { "no-upload", 0, 0, G_OPTION_ARG_NONE, &o->no_upload,
      N_("Write the config to a local file instead"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      N_("With --no-upload: the file to write (default chromoscope-NAME.json)"), N_("FILE") },
    { NULL }
  };

  o->expires = GK_WEB_VIEWER_LINK_LIFETIME;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  gk_cli_progress_add_option (context, &o->quiet);
}

void
gk_cli_chromoscope_clear_options (gpointer options)
{
  GkCliChromoscopeOptions *o = options;

  g_clear_pointer (&o->manifest, g_free);
  g_clear_pointer (&o->name, g_free);
  g_clear_pointer (&o->id, g_free);
  g_clear_pointer (&o->cancer, g_free);
  g_clear_pointer (&o->assembly, g_free);
  g_clear_pointer (&o->output, g_free);
}

int
gk_cli_chromoscope_check (GkCli    *cli,
                          gpointer  options,
                          int       argc,
                          char    **argv)
{
  GkCliChromoscopeOptions *o = options;
  g_autoptr(GError) error = NULL;

  if ((o->manifest != NULL) == (argc > 1))
    return gk_cli_usage_error (cli, _("Give either --manifest FILE, or s3:// files of one sample, "
                                      "or one s3://BUCKET/FOLDER/ of sample folders."));
  if (o->expires < 1)
    return gk_cli_usage_error (cli, _("--expires must be at least 1 second."));
  if (o->upload && o->no_upload)
    return gk_cli_usage_error (cli, _("Give --upload or --no-upload, not both."));
  if (o->assembly == NULL)
    o->assembly = g_strdup ("hg38");
  if (o->cancer == NULL)
    o->cancer = g_strdup ("unknown");
  if (!gk_chromoscope_assembly_is_valid (o->assembly, &error))
    return gk_cli_usage_error (cli, "%s", error->message);
  return GK_CLI_EXIT_OK;
}

int
gk_cli_chromoscope_run (GkCli    *cli,
                        gpointer  options,
                        int       argc,
                        char    **argv)
{
  GkCliChromoscopeOptions *o = options;
  /* The profile too: its chromoscope_prefix says where configs go. */
  GkProfile *profile = gk_cli_get_profile (cli);
  GkS3Client *client = gk_cli_get_s3_client (cli);
  g_autoptr(GkLinker) linker = gk_linker_new (client);
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GkChromoscopePublished) published = NULL;
  g_autoptr(GError) error = NULL;
  const char *manifest = o->manifest;
  const char *name = o->name;
  const char *cancer = o->cancer;
  const char *assembly = o->assembly;
  g_autofree char *id = g_strdup (o->id);
  g_autofree char *folder_bucket = NULL;
  g_autofree char *folder_prefix = NULL;
  g_auto(GStrv) folder_keys = NULL;
  gboolean gateway;

  if (!gk_cli_use_gateway (cli, linker, o->presigned, &error))
    return gk_cli_fail (cli, error);
  gateway = gk_linker_get_minter (linker) != NULL;

  if (manifest != NULL)
    {
      g_autofree char *text = NULL;
      gsize length = 0;

      if (!g_file_get_contents (manifest, &text, &length, &error))
        return gk_cli_fail (cli, error);
      samples = gk_chromoscope_parse_manifest (text, length, &error);
      if (samples == NULL)
        {
          g_prefix_error (&error, "%s: ", manifest);
          return gk_cli_fail (cli, error);
        }
    }
  else if (argc == 2 && g_str_has_suffix (argv[1], "/"))
    {
      samples = samples_from_folder (cli, client, argv[1], cancer, assembly, o->quiet, &folder_bucket,
                                     &folder_prefix, &folder_keys, &error);
      if (samples == NULL)
        return gk_cli_fail (cli, error);
    }
  else
    {
      g_autoptr(GkChromoscopeSample) sample = NULL;

      if (id == NULL)
        id = gk_chromoscope_guess_sample_id (argv[1]);
      sample = gk_chromoscope_sample_from_uris (id, cancer, assembly, (const char * const *) argv + 1, &error);
      if (sample == NULL)
        return gk_cli_fail (cli, error);
      samples = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_chromoscope_sample_free);
      g_ptr_array_add (samples, g_steal_pointer (&sample));
    }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GkChromoscopePublisher) publisher = gk_chromoscope_publisher_new (linker, samples, o->expires);
    g_autoptr(GkCliProgress) progress = gk_cli_progress_new (cli, _("Signing the samples’ files"), o->quiet);

    gk_chromoscope_publisher_set_name (publisher, name);
    gk_chromoscope_publisher_set_upload (publisher, !o->no_upload,
                                         profile ? gk_profile_get_chromoscope_prefix (profile) : NULL);
    /* With gateway links the gateway serves the config too: no upload,
     * and no write permission on the bucket needed. */
    gk_chromoscope_publisher_set_serve (publisher, gateway && !o->upload && !o->no_upload);
    if (folder_keys != NULL)
      gk_chromoscope_publisher_add_listing (publisher, folder_bucket, folder_prefix,
                                            (const char * const *) folder_keys);
    gk_chromoscope_publisher_set_progress_func (publisher, on_publish_progress_cb, progress, NULL);
    gk_chromoscope_publisher_publish_async (publisher, gk_cli_get_cancellable (cli),
                                            gk_cli_async_ready, cli);
    result = gk_cli_wait (cli);
    g_clear_pointer (&progress, gk_cli_progress_free);
    published = gk_chromoscope_publisher_publish_finish (publisher, result, &error);
    if (published == NULL)
      return gk_cli_fail (cli, error);
  }

  /* Chromoscope fetches every file from the browser (igv.js for BAM/VCF,
   * with ranges): without CORS it shows nothing. Through the gateway it is
   * the gateway that answers chromoscope.bio. */
  if (!gateway)
    gk_cli_check_cors_buckets (cli, client, (const char * const *) published->buckets,
                               GK_VIEWER_CHROMOSCOPE);

  if (o->no_upload)
    return write_local_config (cli, published->config_json, o->output, name);

  if (published->config_uri != NULL)
    {
      g_autofree char *bucket = NULL;
      g_autofree char *key = NULL;

      if (gk_s3_parse_uri (published->config_uri, &bucket, &key, NULL))
        gk_cli_notice (cli, _("Uploaded the config to s3://%s/%s"), bucket, key);
    }
  /* This command's job is the link: it goes to stdout. */
  printf ("%s\n", published->url);
  fflush (stdout);
  gk_cli_tell_expiry (cli, published->expires_at);
  gk_cli_tell_gateway_links (cli, linker, "https://chromoscope.bio");
  if (!o->no_open)
    gk_cli_open_uri (cli, published->url);
  return GK_CLI_EXIT_OK;
}
