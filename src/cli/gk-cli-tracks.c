/* gk-cli-tracks.c: s3:// addresses to checked, signed tracks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-chromoscope.h"
#include "gk-cli-tracks.h"

static const char *
base_name (const char *key)
{
  const char *slash = strrchr (key, '/');

  return slash ? slash + 1 : key;
}

/**
 * gk_cli_sign_link:
 * @with_index: sign the index too, when the format has one (an error if
 *   it is missing: a genome browser would stop at a dialog)
 *
 * Returns: (transfer full): the link
 */
GkLink *
gk_cli_sign_link (GkCli       *cli,
                  GkLinker    *linker,
                  const char  *uri,
                  gint64       expires,
                  gboolean     with_index,
                  GError     **error)
{
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) candidates = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (!gk_s3_parse_uri (uri, &bucket, &key, error) || !gk_s3_key_is_valid (key, FALSE, error))
    return NULL;
  candidates = gk_genomic_file_index_candidates (key, GK_VIEWER_ANY);
  gk_linker_sign_async (linker, bucket, key, expires,
                        (with_index && candidates != NULL) ? GK_LINK_WITH_INDEX : GK_LINK_FLAGS_NONE,
                        gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  return gk_linker_sign_finish (linker, result, error);
}

/**
 * gk_cli_check_link:
 *
 * Reads the first byte through @url: genome browsers show an empty track
 * (IGV even answers OK) when a link does not work.
 */
gboolean
gk_cli_check_link (GkCli       *cli,
                   const char  *url,
                   const char  *label,
                   GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_igv_check_link_async (NULL, url, label, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  return gk_igv_check_link_finish (result, error);
}

/**
 * gk_cli_sign_tracks:
 * @check: also read a byte through each link and index
 * @out_expires_at: (out): when the first of the links stops working
 *
 * Signs every file with its index.
 *
 * Returns: (transfer full) (element-type GkIgvTrack): the tracks
 */
GPtrArray *
gk_cli_sign_tracks (GkCli       *cli,
                    GkLinker    *linker,
                    char       **uris,
                    gint64       expires,
                    gboolean     check,
                    gint64      *out_expires_at,
                    GError     **error)
{
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);
  gint64 expires_at = G_MAXINT64;

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autoptr(GkLink) link = gk_cli_sign_link (cli, linker, uris[i], expires, TRUE, error);
      const char *name;

      if (link == NULL)
        return NULL;
      name = base_name (link->key);
      if (check && !gk_cli_check_link (cli, link->url, name, error))
        return NULL;
      if (check && link->index_url != NULL)
        {
          g_autofree char *label = g_strdup_printf (_("%s (its index %s)"), name, base_name (link->index_key));

          if (!gk_cli_check_link (cli, link->index_url, label, error))
            return NULL;
        }
      if (link->expires_at > 0)
        expires_at = MIN (expires_at, link->expires_at);
      g_ptr_array_add (tracks, gk_igv_track_new (link->url, link->index_url, name,
                                                 gk_genomic_file_classify (link->key)->igv_format));
    }
  *out_expires_at = expires_at == G_MAXINT64 ? 0 : expires_at;
  return g_steal_pointer (&tracks);
}

/**
 * gk_cli_check_cors:
 * @viewer: %GK_VIEWER_IGV_WEB or %GK_VIEWER_CHROMOSCOPE
 *
 * Warns, with the configuration to set, when @viewer's web page may not
 * read @bucket. Never fails the command: the admin may fix CORS later.
 *
 * Returns: %TRUE when the browser will be allowed
 */
gboolean
gk_cli_check_cors (GkCli       *cli,
                   GkS3Client  *client,
                   const char  *bucket,
                   GkViewer     viewer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3CorsVerdict) verdict = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *json = NULL;

  gk_s3_cors_check_async (client, bucket, gk_web_viewer_cors_request (viewer),
                          gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  verdict = gk_s3_cors_check_finish (result, &error);
  if (verdict == NULL)
    {
      gk_cli_notice (cli, _("Could not check the CORS rules of bucket “%s”: %s"), bucket, error->message);
      return FALSE;
    }
  problem = gk_web_viewer_describe_cors (viewer, verdict);
  if (problem == NULL)
    return TRUE;

  json = gk_web_viewer_cors_json ();
  gk_cli_notice (cli,
                 _("Warning: %s A web genome browser at %s will not be able to read bucket “%s” "
                   "until its CORS configuration allows it. Ask the lab’s AWS admin to set:\n%s"
                   "(aws s3api put-bucket-cors --bucket %s --cors-configuration file://cors.json)"),
                 problem, gk_web_viewer_origin (viewer), bucket, json, bucket);
  return FALSE;
}

void
gk_cli_tell_expiry (GkCli  *cli,
                    gint64  expires_at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;

  if (expires_at <= 0)
    return;
  utc = g_date_time_new_from_unix_utc (expires_at);
  local = g_date_time_to_local (utc);
  when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  gk_cli_notice (cli, _("The links work until %s; open the files again after that."), when);
}

/**
 * gk_cli_open_uri:
 *
 * Opens @uri in the default browser; on a machine without one, says so (the
 * URL has been printed already).
 */
void
gk_cli_open_uri (GkCli      *cli,
                 const char *uri)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    gk_cli_notice (cli, _("Could not open a web browser (%s); open the printed link yourself."),
                   error->message);
}
