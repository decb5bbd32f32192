/* gk-web-viewer.c: the CORS requests of IGV-Web and Chromoscope, and what a
 * verdict on them means
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-web-viewer.h"

/* Both read byte ranges of BAM, VCF and index files: igv.js with
 * XMLHttpRequest, gosling's readers inside Chromoscope with fetch and a
 * lowercase `range` header. Either makes the browser ask S3 first
 * (preflight) whether Range may be sent. */
static const char * const ranged_read_headers[] = { "Range", NULL };

/* igv.js looks at the answer's range and length headers. */
static const char * const igv_web_exposed[] = {
  "Content-Range", "Content-Length", "Accept-Ranges", NULL
};

static const GkS3CorsRequest igv_web_request = {
  GK_IGV_WEB_ORIGIN, "GET", ranged_read_headers, igv_web_exposed,
};

/* gosling's RemoteFile reads Content-Range only to learn the file's size
 * in passing; its BAM and tabix readers never ask for the size, so they
 * work with nothing exposed, as Chromoscope's own documentation configures
 * buckets ("ExposeHeaders": []). Checked in Chromium against the
 * stand-in: tests/integration/handoff-web.test.mjs. */
static const GkS3CorsRequest chromoscope_request = {
  GK_CHROMOSCOPE_ORIGIN, "GET", ranged_read_headers, NULL,
};

/**
 * gk_web_viewer_origin:
 * @viewer: %GK_VIEWER_IGV_WEB or %GK_VIEWER_CHROMOSCOPE
 *
 * Returns: the origin the viewer's page runs at
 */
const char *
gk_web_viewer_origin (GkViewer viewer)
{
  return gk_web_viewer_cors_request (viewer)->origin;
}

/**
 * gk_web_viewer_cors_request:
 * @viewer: %GK_VIEWER_IGV_WEB or %GK_VIEWER_CHROMOSCOPE
 *
 * Returns: (transfer none): what the viewer's page asks of a bucket
 */
const GkS3CorsRequest *
gk_web_viewer_cors_request (GkViewer viewer)
{
  g_return_val_if_fail (viewer == GK_VIEWER_IGV_WEB || viewer == GK_VIEWER_CHROMOSCOPE, NULL);
  return viewer == GK_VIEWER_IGV_WEB ? &igv_web_request : &chromoscope_request;
}

/**
 * gk_web_viewer_describe_cors:
 *
 * Returns: (transfer full) (nullable): one sentence on why @viewer cannot
 *   read the bucket, or %NULL when the verdict allows it
 */
char *
gk_web_viewer_describe_cors (GkViewer               viewer,
                             const GkS3CorsVerdict *verdict)
{
  switch (verdict->outcome)
    {
    case GK_S3_CORS_ALLOWED:
      return NULL;
    case GK_S3_CORS_NO_CONFIGURATION:
      return g_strdup (_("The bucket has no CORS configuration, so browsers may not read its "
                         "files from another site."));
    case GK_S3_CORS_ORIGIN_REFUSED:
      return g_strdup_printf (_("No CORS rule of the bucket lets %s (or any origin) GET files."),
                              verdict->origin);
    case GK_S3_CORS_HEADER_NOT_ALLOWED:
      /* Translators: the first %s is an HTTP method (GET), the second a
       * header name, the third a web app (IGV-Web, Chromoscope) */
      return g_strdup_printf (_("The bucket’s CORS rule for %s does not allow the %s header, "
                                "which %s sends."),
                              verdict->method, verdict->header, gk_viewer_get_name (viewer));
    case GK_S3_CORS_HEADER_NOT_EXPOSED:
      /* Translators: the first %s is an HTTP method (GET), the second a
       * header name, the third a web app (IGV-Web, Chromoscope) */
      return g_strdup_printf (_("The bucket’s CORS rule for %s does not expose the %s header, "
                                "which %s reads."),
                              verdict->method, verdict->header, gk_viewer_get_name (viewer));
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * gk_web_viewer_cors_json:
 *
 * Returns: (transfer full): a CORS configuration that lets both web viewers
 *   in, in the form `aws s3api put-bucket-cors --cors-configuration
 *   file://cors.json` takes
 */
char *
gk_web_viewer_cors_json (void)
{
  return g_strdup ("{\n"
                   "  \"CORSRules\": [\n"
                   "    {\n"
                   "      \"AllowedOrigins\": [\"*\"],\n"
                   "      \"AllowedMethods\": [\"GET\", \"HEAD\"],\n"
                   "      \"AllowedHeaders\": [\"*\"],\n"
                   "      \"ExposeHeaders\": [\"Content-Range\", \"Content-Length\", \"Accept-Ranges\", \"ETag\"],\n"
                   "      \"MaxAgeSeconds\": 3000\n"
                   "    }\n"
                   "  ]\n"
                   "}\n");
}
