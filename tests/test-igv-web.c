/* test-igv-web.c: IGV-Web session links decode back to the session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <zlib.h>

#include "gk-igv-web.h"

#define LINK "https://demo-lab.s3.us-east-1.amazonaws.com/runs/T%201.bam?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F20260101&X-Amz-Signature=00ff"
#define INDEX "https://demo-lab.s3.us-east-1.amazonaws.com/runs/T%201.bam.bai?X-Amz-Signature=11ee"

/* What igv.js does in uncompressSession: undo the alphabet, base64-decode,
 * inflate raw DEFLATE. */
static char *
decode_blob (const char *blob)
{
  g_autofree char *b64 = g_strdup (blob);
  g_autofree guchar *compressed = NULL;
  GString *out = g_string_new (NULL);
  z_stream stream = { 0 };
  gsize length = 0;
  guchar buffer[4096];
  int status;

  for (char *p = b64; *p != '\0'; p++)
    *p = *p == '.' ? '+' : *p == '_' ? '/' : *p == '-' ? '=' : *p;
  compressed = g_base64_decode (b64, &length);

  g_assert_cmpint (inflateInit2 (&stream, -15), ==, Z_OK);
  stream.next_in = compressed;
  stream.avail_in = length;
  do
    {
      stream.next_out = buffer;
      stream.avail_out = sizeof buffer;
      status = inflate (&stream, Z_NO_FLUSH);
      g_assert_true (status == Z_OK || status == Z_STREAM_END);
      g_string_append_len (out, (char *) buffer, sizeof buffer - stream.avail_out);
    }
  while (status != Z_STREAM_END);
  inflateEnd (&stream);
  return g_string_free (out, FALSE);
}

static GPtrArray *
demo_tracks (void)
{
  GPtrArray *tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);

  g_ptr_array_add (tracks, gk_igv_track_new (LINK, INDEX, "T 1.bam", "bam"));
  g_ptr_array_add (tracks, gk_igv_track_new ("https://h/calls.vcf.gz?s=1", "https://h/calls.vcf.gz.tbi?s=2",
                                             "calls.vcf.gz", "vcf"));
  return tracks;
}

static void
test_blob_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *back = NULL;
  GString *big = g_string_new (NULL);

  /* Long enough that base64 uses + and / and padding. */
  for (int i = 0; i < 500; i++)
    g_string_append_printf (big, "%d:%c?>~", i * 7919, (char) (33 + i % 90));
  text = g_string_free (big, FALSE);

  blob = gk_igv_web_encode_blob (text, &error);
  g_assert_no_error (error);
  for (const char *p = blob; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-');
  back = decode_blob (blob);
  g_assert_cmpstr (back, ==, text);
}

static void
test_url_decodes_to_session (void)
{
  g_autoptr(GPtrArray) tracks = demo_tracks ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = gk_igv_web_url ("hg38", NULL, "chr1:1-1000", tracks, &error);
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *session, *track;
  JsonArray *list;
  const char *prefix = "https://igv.org/app/?sessionURL=blob:";

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, prefix));
  json = decode_blob (url + strlen (prefix));

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  session = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (session, "genome"), ==, "hg38");
  g_assert_cmpstr (json_object_get_string_member (session, "locus"), ==, "chr1:1-1000");
  list = json_object_get_array_member (session, "tracks");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);

  track = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (track, "url"), ==, LINK);
  g_assert_cmpstr (json_object_get_string_member (track, "indexURL"), ==, INDEX);
  g_assert_cmpstr (json_object_get_string_member (track, "name"), ==, "T 1.bam");
  g_assert_cmpstr (json_object_get_string_member (track, "format"), ==, "bam");
  g_assert_cmpstr (json_object_get_string_member (track, "type"), ==, "alignment");

  track = json_array_get_object_element (list, 1);
  g_assert_cmpstr (json_object_get_string_member (track, "type"), ==, "variant");
  g_assert_cmpstr (json_object_get_string_member (track, "indexURL"), ==, "https://h/calls.vcf.gz.tbi?s=2");
}

static void
test_session_with_reference (void)
{
  g_autoptr(GPtrArray) tracks = demo_tracks ();
  g_autoptr(GkIgvTrack) reference = gk_igv_track_new ("https://h/ref.fa?s=1", "https://h/ref.fa.fai?s=2", "ref.fa", NULL);
  g_autofree char *json = gk_igv_web_session_json ("hg38", reference, NULL, tracks);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *session, *ref;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  session = json_node_get_object (json_parser_get_root (parser));
  /* igv.js takes either a genome id or a reference, not both. */
  g_assert_false (json_object_has_member (session, "genome"));
  g_assert_false (json_object_has_member (session, "locus"));
  ref = json_object_get_object_member (session, "reference");
  g_assert_cmpstr (json_object_get_string_member (ref, "fastaURL"), ==, "https://h/ref.fa?s=1");
  g_assert_cmpstr (json_object_get_string_member (ref, "indexURL"), ==, "https://h/ref.fa.fai?s=2");
}

/* igv.js reads a blob: session one byte per character: only ASCII survives. */
static void
test_session_is_ascii (void)
{
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *track;

  g_ptr_array_add (tracks, gk_igv_track_new ("https://h/a.bam?s=1", NULL, "Probe é — 検体 \xf0\x9f\xa7\xac.bam", "bam"));
  json = gk_igv_web_session_json ("hg38", NULL, "BRCA1", tracks);
  for (const char *p = json; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_nonnull (strstr (json, "Probe \\u00e9"));
  /* A character outside the BMP is a surrogate pair. */
  g_assert_nonnull (strstr (json, "\\ud83e\\uddec"));
  /* And it parses back to the same name. */
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  track = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tracks"), 0);
  g_assert_cmpstr (json_object_get_string_member (track, "name"), ==, "Probe é — 検体 \xf0\x9f\xa7\xac.bam");
}

/* igv.js has no BCF reader. */
static void
test_bcf_refused (void)
{
  g_autoptr(GPtrArray) tracks = demo_tracks ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (tracks, gk_igv_track_new ("https://h/c.bcf?s=1", "https://h/c.bcf.csi?s=1", "c.bcf", "bcf"));
  g_assert_null (gk_igv_web_url (NULL, NULL, NULL, tracks, &error));
  g_assert_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "c.bcf"));
  g_assert_false (gk_genomic_file_viewer_reads ("s3://lab/c.bcf", GK_VIEWER_IGV_WEB, NULL));
  g_assert_true (gk_genomic_file_viewer_reads ("s3://lab/c.bcf", GK_VIEWER_IGV, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/igv-web/blob/round-trip", test_blob_round_trip);
  g_test_add_func ("/igv-web/url/decodes-to-session", test_url_decodes_to_session);
  g_test_add_func ("/igv-web/session/own-reference", test_session_with_reference);
  g_test_add_func ("/igv-web/session/pure-ascii", test_session_is_ascii);
  g_test_add_func ("/igv-web/bcf-refused", test_bcf_refused);

  return g_test_run ();
}
