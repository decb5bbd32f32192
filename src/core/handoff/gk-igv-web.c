/* gk-igv-web.c: IGV-Web session links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <zlib.h>

#include "gk-igv-web.h"

/* igv.js track types by format: alignments, variants, the rest features. */
static const char *
track_type (const char *format)
{
  if (g_strcmp0 (format, "bam") == 0 || g_strcmp0 (format, "cram") == 0)
    return "alignment";
  if (g_strcmp0 (format, "vcf") == 0 || g_strcmp0 (format, "bcf") == 0)
    return "variant";
  if (g_strcmp0 (format, "bedpe") == 0)
    return "interact";
  if (g_strcmp0 (format, "bigwig") == 0 || g_strcmp0 (format, "wig") == 0
      || g_strcmp0 (format, "tdf") == 0)
    return "wig";
  if (g_strcmp0 (format, "seg") == 0)
    return "seg";
  return "annotation";
}

/* igv.js decodes a blob: session byte by byte (each byte one character),
 * so UTF-8 arrives garbled: "é" becomes "Ã©". JSON's \uXXXX escapes keep
 * the text pure ASCII. Outside strings generated JSON holds only ASCII, so
 * every non-ASCII character is inside one. */
static char *
ascii_json (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));

  for (const char *p = json; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        {
          /* Outside the BMP: a UTF-16 surrogate pair, as JSON has it. */
          c -= 0x10000;
          g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * gk_igv_web_session_json:
 * @genome: (nullable): an igv.js genome id, e.g. "hg38" (default "hg38")
 * @reference: (nullable): instead of @genome, a FASTA (signed link) and its
 *   .fai index, for a lab's own reference
 * @locus: (nullable): the initial locus
 * @tracks: (element-type GkIgvTrack)
 *
 * Returns: (transfer full): the igv.js session JSON
 */
char *
gk_igv_web_session_json (const char       *genome,
                         const GkIgvTrack *reference,
                         const char       *locus,
                         GPtrArray        *tracks)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  if (reference != NULL)
    {
      json_builder_set_member_name (builder, "reference");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, reference->name ? reference->name : "reference");
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, reference->name ? reference->name : "reference");
      json_builder_set_member_name (builder, "fastaURL");
      json_builder_add_string_value (builder, reference->url);
      if (reference->index_url != NULL)
        {
          json_builder_set_member_name (builder, "indexURL");
          json_builder_add_string_value (builder, reference->index_url);
        }
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "genome");
      json_builder_add_string_value (builder, genome ? genome : "hg38");
    }
  if (locus != NULL)
    {
      json_builder_set_member_name (builder, "locus");
      json_builder_add_string_value (builder, locus);
    }
  json_builder_set_member_name (builder, "tracks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tracks->len; i++)
    {
      const GkIgvTrack *track = tracks->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, track_type (track->format));
      if (track->format != NULL)
        {
          json_builder_set_member_name (builder, "format");
          json_builder_add_string_value (builder, track->format);
        }
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, track->url);
      if (track->index_url != NULL)
        {
          json_builder_set_member_name (builder, "indexURL");
          json_builder_add_string_value (builder, track->index_url);
        }
      if (track->name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, track->name);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  return ascii_json (json);
}

/**
 * gk_igv_web_encode_blob:
 *
 * Compresses @text the way igv.js's `uncompressSession` expects: raw
 * DEFLATE (no zlib header, windowBits -15), base64, then `+`→`.`, `/`→`_`,
 * `=`→`-`.
 *
 * Returns: (transfer full): the blob, without the "blob:" prefix
 */
char *
gk_igv_web_encode_blob (const char  *text,
                        GError     **error)
{
  z_stream stream = { 0 };
  gsize length = strlen (text);
  uLong bound;
  g_autofree guchar *out = NULL;
  char *encoded;
  int status;

  if (deflateInit2 (&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not compress the IGV-Web session."));
      return NULL;
    }
  bound = deflateBound (&stream, length);
  out = g_malloc (bound);
  stream.next_in = (Bytef *) text;
  stream.avail_in = length;
  stream.next_out = out;
  stream.avail_out = bound;
  status = deflate (&stream, Z_FINISH);
  deflateEnd (&stream);
  if (status != Z_STREAM_END)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not compress the IGV-Web session."));
      return NULL;
    }

  encoded = g_base64_encode (out, stream.total_out);
  for (char *p = encoded; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '.';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        *p = '-';
    }
  return encoded;
}

/**
 * gk_igv_web_url:
 * @genome: (nullable): an igv.js genome id (default hg38)
 * @reference: (nullable): a FASTA and .fai to use instead of @genome
 *
 * Returns: (transfer full): `https://igv.org/app/?sessionURL=blob:…` that
 *   opens @tracks
 */
char *
gk_igv_web_url (const char        *genome,
                const GkIgvTrack  *reference,
                const char        *locus,
                GPtrArray         *tracks,
                GError           **error)
{
  g_autofree char *json = NULL;
  g_autofree char *blob = NULL;

  for (guint i = 0; i < tracks->len; i++)
    {
      const GkIgvTrack *track = tracks->pdata[i];

      /* igv.js has no BCF reader: it would show an empty track. The
       * message comes from the rules, for a name that says BCF. */
      if (g_strcmp0 (track->format, "bcf") == 0)
        {
          gboolean named = track->name != NULL
                           && gk_genomic_file_classify (track->name)->format == GK_GENOMIC_FORMAT_BCF;

          gk_genomic_file_viewer_reads (named ? track->name : "?.bcf", GK_VIEWER_IGV_WEB, error);
          return NULL;
        }
    }
  json = gk_igv_web_session_json (genome, reference, locus, tracks);
  blob = gk_igv_web_encode_blob (json, error);
  if (blob == NULL)
    return NULL;
  /* The blob's alphabet (A-Za-z0-9._-) needs no escaping in a query. */
  return g_strconcat (GK_IGV_WEB_APP_URL "?sessionURL=blob:", blob, NULL);
}
