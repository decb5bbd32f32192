/* test-chromoscope.c: Chromoscope configs, manifests, folder layouts, the
 * app URL and the CORS decision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "gk-chromoscope.h"

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Chromoscope's sample keys (its SampleType); anything else is ignored by
 * the app, so a misspelt key is a silent failure. */
static const char * const schema_keys[] = {
  "id", "cancer", "assembly", "sv", "cnv", "drivers", "bam", "bai", "vcf", "vcfIndex",
  "vcf2", "vcf2Index", "note", "thumbnail", "cnFields", "clinicalInfo", NULL
};

static void
assert_sample_schema (JsonObject *sample)
{
  g_autoptr(GList) members = json_object_get_members (sample);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (schema_keys, l->data))
        g_error ("“%s” is not a Chromoscope sample key", (const char *) l->data);
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (sample, l->data)));
    }
  g_assert_true (json_object_has_member (sample, "id"));
  g_assert_true (json_object_has_member (sample, "cancer"));
  g_assert_true (json_object_has_member (sample, "assembly"));
  g_assert_false (json_object_has_member (sample, "bamIndex"));
}

static void
test_config_schema (void)
{
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_chromoscope_sample_free);
  g_autoptr(GkChromoscopeSample) sample = gk_chromoscope_sample_new ("PD123", "breast", "hg38");
  g_autofree char *cohort = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(JsonNode) cohort_root = NULL;
  g_autoptr(JsonNode) plain_root = NULL;
  JsonObject *object, *first;
  JsonArray *array;

  gk_chromoscope_sample_set (sample, "sv", "https://h/PD123.bedpe?sig=1&x=2");
  gk_chromoscope_sample_set (sample, "cnv", "https://h/PD123.cnv.tsv?sig=1");
  gk_chromoscope_sample_set (sample, "bam", "https://h/PD123.bam?sig=1");
  gk_chromoscope_sample_set (sample, gk_chromoscope_index_key_for ("bam"), "https://h/PD123.bam.bai?sig=1");
  gk_chromoscope_sample_set (sample, "vcf", "https://h/PD123.snv.vcf.gz?sig=1");
  gk_chromoscope_sample_set (sample, gk_chromoscope_index_key_for ("vcf"), "https://h/PD123.snv.vcf.gz.tbi?sig=1");
  gk_chromoscope_sample_set (sample, "vcf2", "https://h/PD123.indel.vcf.gz?sig=1");
  gk_chromoscope_sample_set (sample, gk_chromoscope_index_key_for ("vcf2"), "https://h/PD123.indel.vcf.gz.tbi?sig=1");
  gk_chromoscope_sample_set (sample, "note", "first biopsy");
  g_ptr_array_add (samples, g_steal_pointer (&sample));

  cohort = gk_chromoscope_config_json ("Breast cohort", samples);
  cohort_root = parse_json (cohort);
  object = json_node_get_object (cohort_root);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Breast cohort");
  array = json_object_get_array_member (object, "samples");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  first = json_array_get_object_element (array, 0);
  assert_sample_schema (first);
  g_assert_cmpstr (json_object_get_string_member (first, "bai"), ==, "https://h/PD123.bam.bai?sig=1");
  g_assert_cmpstr (json_object_get_string_member (first, "vcfIndex"), ==, "https://h/PD123.snv.vcf.gz.tbi?sig=1");
  g_assert_cmpstr (json_object_get_string_member (first, "vcf2Index"), ==, "https://h/PD123.indel.vcf.gz.tbi?sig=1");
  g_assert_cmpstr (json_object_get_string_member (first, "sv"), ==, "https://h/PD123.bedpe?sig=1&x=2");
  g_assert_cmpstr (json_object_get_string_member (first, "assembly"), ==, "hg38");
  g_assert_cmpstr (json_object_get_string_member (first, "note"), ==, "first biopsy");

  /* Without a cohort name: a plain array of samples. */
  plain = gk_chromoscope_config_json (NULL, samples);
  plain_root = parse_json (plain);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (plain_root));
  assert_sample_schema (json_array_get_object_element (json_node_get_array (plain_root), 0));
}

/* The config is written by hand, not by json-glib: every string must
 * still come back exactly as it went in. */
static void
test_config_escapes_round_trip (void)
{
  static const char *const odd[] = {
    "quote \" and backslash \\", "line\nbreak\r\ttab", "bell\a and \x01\x1f",
    "Ünïcødé 腫瘍 🧬", "</script>",
  };
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_chromoscope_sample_free);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      GkChromoscopeSample *sample = gk_chromoscope_sample_new (odd[i], "unknown", "hg38");

      gk_chromoscope_sample_set (sample, "note", odd[i]);
      gk_chromoscope_sample_set (sample, "sv", "https://h/S.bedpe?X-Amz-Signature=0&b=%2F");
      g_ptr_array_add (samples, sample);
    }
  json = gk_chromoscope_config_json (odd[0], samples);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  root = parse_json (json);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "name"), ==, odd[0]);
  array = json_object_get_array_member (json_node_get_object (root), "samples");
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (odd));
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      JsonObject *sample = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (sample, "id"), ==, odd[i]);
      g_assert_cmpstr (json_object_get_string_member (sample, "note"), ==, odd[i]);
      g_assert_cmpstr (json_object_get_string_member (sample, "sv"), ==, "https://h/S.bedpe?X-Amz-Signature=0&b=%2F");
    }
}

static void
test_manifest_good (void)
{
  const char *text =
    "# cohort of two\r\n"
    "id\tcancer\tassembly\tsv\tcnv\tbam\tvcf\tnote\r\n"
    "PD1\tbreast\thg38\ts3://lab/PD1/PD1.bedpe\ts3://lab/PD1/PD1.cnv.tsv\ts3://lab/PD1/PD1.bam\t\tfirst\r\n"
    "\n"
    "PD2\tovary\thg19\ts3://lab/PD2/PD2.bedpe\t\t\ts3://lab/PD2/PD2.vcf.gz\t\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = gk_chromoscope_parse_manifest (text, -1, &error);
  GkChromoscopeSample *s;

  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, ==, 2);
  s = samples->pdata[0];
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "id"), ==, "PD1");
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "bam"), ==, "s3://lab/PD1/PD1.bam");
  g_assert_null (gk_chromoscope_sample_get (s, "vcf"));
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "note"), ==, "first");
  g_assert_cmpuint (gk_chromoscope_sample_get_line (s), ==, 3);
  s = samples->pdata[1];
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "assembly"), ==, "hg19");
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "vcf"), ==, "s3://lab/PD2/PD2.vcf.gz");
  g_assert_null (gk_chromoscope_sample_get (s, "note"));
  g_assert_cmpuint (gk_chromoscope_sample_get_line (s), ==, 5);
}

static void
test_manifest_bad_rows (void)
{
  const char *text =
    "id\tcancer\tassembly\tsv\tbam\n"
    "PD1\tbreast\thg38\ts3://lab/PD1.bedpe\t\n"          /* 2: fine */
    "PD2\tbreast\tGRCh38\ts3://lab/PD2.bedpe\t\n"        /* 3: assembly */
    "PD3\tbreast\thg38\ts3://lab/PD3.bedpe\n"            /* 4: too few fields */
    "PD4\tbreast\thg38\ts3://lab/PD4.bedpe\ts3://lab/PD4.cram\n" /* 5: CRAM */
    "PD1\tbreast\thg38\ts3://lab/PD1b.bedpe\t\n"         /* 6: duplicate id */
    "PD6\tbreast\thg38\t/home/me/PD6.bedpe\t\n"          /* 7: not s3:// */
    "\tbreast\thg38\ts3://lab/x.bedpe\t\n";              /* 8: no id */
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = gk_chromoscope_parse_manifest (text, -1, &error);

  g_assert_null (samples);
  g_assert_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST);
  g_assert_null (strstr (error->message, "line 2:"));
  g_assert_nonnull (strstr (error->message, "line 3: "));
  g_assert_nonnull (strstr (error->message, "hg19 or hg38"));
  g_assert_nonnull (strstr (error->message, "line 4: 4 fields"));
  g_assert_nonnull (strstr (error->message, "line 5: "));
  g_assert_nonnull (strstr (error->message, "CRAM"));
  g_assert_nonnull (strstr (error->message, "line 6: the id “PD1” is used twice"));
  g_assert_nonnull (strstr (error->message, "line 7: the sv column"));
  g_assert_nonnull (strstr (error->message, "line 8: "));
}

static void
test_manifest_bad_header (void)
{
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) empty = NULL;

  g_assert_null (gk_chromoscope_parse_manifest ("id\tcancer\tassembly\tbamIndex\n", -1, &unknown));
  g_assert_error (unknown, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST);
  g_assert_nonnull (strstr (unknown->message, "line 1: unknown column “bamIndex”"));

  g_assert_null (gk_chromoscope_parse_manifest ("\n# x\nid,cancer,assembly\n", -1, &missing));
  g_assert_error (missing, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST);
  g_assert_nonnull (strstr (missing->message, "line 3:"));

  g_assert_null (gk_chromoscope_parse_manifest ("id\tcancer\tassembly\n", -1, &empty));
  g_assert_error (empty, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_NO_SAMPLES);
}

static void
test_cram_refused (void)
{
  const char * const uris[] = { "s3://lab/PD1/PD1.bedpe", "s3://lab/PD1/PD1.cram", NULL };
  const char * const keys[] = { "cohort/PD1/PD1.bedpe", "cohort/PD1/PD1.cram", "cohort/PD1/PD1.cram.crai", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) folder_error = NULL;
  g_autoptr(GkChromoscopeSample) sample = NULL;
  g_autoptr(GPtrArray) samples = NULL;

  sample = gk_chromoscope_sample_from_uris ("PD1", "breast", "hg38", uris, &error);
  g_assert_null (sample);
  g_assert_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "PD1.cram"));
  g_assert_nonnull (strstr (error->message, "BAM"));

  samples = gk_chromoscope_samples_from_folder ("lab", "cohort/", keys, "breast", "hg38", &folder_error);
  g_assert_null (samples);
  g_assert_error (folder_error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED);
}

static void
test_classify (void)
{
  g_assert_cmpstr (gk_chromoscope_classify ("a/PD1.somatic.bedpe", NULL), ==, "sv");
  g_assert_null (gk_chromoscope_classify ("PD1.bedpe.gz", NULL));
  g_assert_cmpstr (gk_chromoscope_classify ("PD1.cnv.tsv", NULL), ==, "cnv");
  g_assert_cmpstr (gk_chromoscope_classify ("PD1_CNV.txt", NULL), ==, "cnv");
  g_assert_cmpstr (gk_chromoscope_classify ("PD1.drivers.tsv", NULL), ==, "drivers");
  g_assert_cmpstr (gk_chromoscope_classify ("PD1.bam", NULL), ==, "bam");
  g_assert_cmpstr (gk_chromoscope_classify ("PD1.snv.vcf.gz", NULL), ==, "vcf");
  g_assert_cmpstr (gk_chromoscope_classify ("PD1.indel.vcf.gz", NULL), ==, "vcf2");
  g_assert_null (gk_chromoscope_classify ("PD1.bam.bai", NULL));
  g_assert_null (gk_chromoscope_classify ("PD1.vcf.gz.tbi", NULL));
  g_assert_null (gk_chromoscope_classify ("README.txt", NULL));
}

static void
test_assembly (void)
{
  const char * const uris[] = { "s3://lab/PD1.bedpe", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_chromoscope_assembly_is_valid ("hg19", NULL));
  g_assert_true (gk_chromoscope_assembly_is_valid ("hg38", NULL));
  g_assert_false (gk_chromoscope_assembly_is_valid ("GRCh38", NULL));
  g_assert_null (gk_chromoscope_sample_from_uris ("PD1", "breast", "mm10", uris, &error));
  g_assert_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_ASSEMBLY);
}

static void
test_single_sample (void)
{
  const char * const uris[] = {
    "s3://lab/PD1/PD1.bam", "s3://lab/PD1/PD1.bedpe", "s3://lab/PD1/PD1.cnv.tsv",
    "s3://lab/PD1/PD1.snv.vcf.gz", "s3://lab/PD1/PD1.indel.vcf.gz", NULL
  };
  const char * const unknown[] = { "s3://lab/PD1/notes.pdf", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkChromoscopeSample) sample = gk_chromoscope_sample_from_uris ("PD1", "breast", "hg38", uris, &error);
  g_autoptr(GkChromoscopeSample) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gk_chromoscope_sample_get (sample, "bam"), ==, "s3://lab/PD1/PD1.bam");
  g_assert_cmpstr (gk_chromoscope_sample_get (sample, "sv"), ==, "s3://lab/PD1/PD1.bedpe");
  g_assert_cmpstr (gk_chromoscope_sample_get (sample, "cnv"), ==, "s3://lab/PD1/PD1.cnv.tsv");
  g_assert_cmpstr (gk_chromoscope_sample_get (sample, "vcf"), ==, "s3://lab/PD1/PD1.snv.vcf.gz");
  g_assert_cmpstr (gk_chromoscope_sample_get (sample, "vcf2"), ==, "s3://lab/PD1/PD1.indel.vcf.gz");

  none = gk_chromoscope_sample_from_uris ("PD1", "breast", "hg38", unknown, &error);
  g_assert_null (none);
  g_assert_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED);
}

static void
test_folder_layout (void)
{
  const char * const keys[] = {
    "cohort/manifest.tsv",
    "cohort/PD1/PD1.bedpe",
    "cohort/PD1/PD1.cnv.tsv",
    "cohort/PD1/PD1.bam",
    "cohort/PD1/PD1.bam.bai",
    "cohort/PD1/qc/report.html",
    "cohort/PD2/PD2.bedpe",
    "cohort/PD2/PD2.snv.vcf.gz",
    "cohort/PD2/PD2.snv.vcf.gz.tbi",
    "cohort/PD3/notes.txt",
    "other/PD9/PD9.bedpe",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = gk_chromoscope_samples_from_folder ("lab", "cohort/", keys, "breast", "hg38", &error);
  GkChromoscopeSample *s;

  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, ==, 2);
  s = samples->pdata[0];
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "id"), ==, "PD1");
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "cancer"), ==, "breast");
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "sv"), ==, "s3://lab/cohort/PD1/PD1.bedpe");
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "cnv"), ==, "s3://lab/cohort/PD1/PD1.cnv.tsv");
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "bam"), ==, "s3://lab/cohort/PD1/PD1.bam");
  g_assert_null (gk_chromoscope_sample_get (s, "bai"));
  s = samples->pdata[1];
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "id"), ==, "PD2");
  g_assert_cmpstr (gk_chromoscope_sample_get (s, "vcf"), ==, "s3://lab/cohort/PD2/PD2.snv.vcf.gz");
  g_assert_cmpstr (gk_chromoscope_first_file (samples), ==, "s3://lab/cohort/PD1/PD1.bedpe");
}

static void
test_app_url (void)
{
  const char *link = "https://demo-lab.s3.us-east-1.amazonaws.com/c/config.json?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                     "&X-Amz-Credential=ASIA%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=ab";
  g_autofree char *url = gk_chromoscope_app_url (link);
  g_autofree char *expected = g_strconcat ("https://chromoscope.bio/app/?external=", link, NULL);

  /* external= last, the link exactly as signed: not encoded again. */
  g_assert_cmpstr (url, ==, expected);
  g_assert_true (g_str_has_suffix (url, "X-Amz-Signature=ab"));
  g_assert_null (strstr (url, "%252F"));
}

static void
test_config_location (void)
{
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  g_autofree char *bucket2 = NULL;
  g_autofree char *key2 = NULL;
  g_autoptr(GError) error = NULL;

  /* 2026-01-02T03:04:05Z */
  g_assert_true (gk_chromoscope_config_location (NULL, "s3://lab/cohort/PD1/PD1.bedpe", "My cohort", 1767323045,
                                                 &bucket, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bucket, ==, "lab");
  g_assert_cmpstr (key, ==, "cohort/PD1/chromoscope-My-cohort-20260102T030405Z.json");

  g_assert_true (gk_chromoscope_config_location ("s3://configs/chromoscope", "s3://lab/x.bedpe", NULL, 1767323045,
                                                 &bucket2, &key2, &error));
  g_assert_cmpstr (bucket2, ==, "configs");
  g_assert_cmpstr (key2, ==, "chromoscope/chromoscope-samples-20260102T030405Z.json");
}

static void
test_guess_sample_id (void)
{
  const struct { const char *uri; const char *id; } cases[] = {
    { "s3://lab/cohort1/PD1/PD1.bam", "PD1" },
    { "s3://lab/PD2.sv.bedpe", "PD2" },
    { "s3://lab/cohort1//x.bam", "x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = gk_chromoscope_guess_sample_id (cases[i].uri);

      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

/* Chromoscope builds a sample's view around its structural variants. */
static void
test_sv_required (void)
{
  const char * const no_sv[] = { "s3://lab/PD1/PD1.bam", "s3://lab/PD1/PD1.cnv.tsv", NULL };
  const char * const folder[] = { "c/PD1/PD1.bedpe", "c/PD2/PD2.bam", "c/PD2/PD2.bam.bai", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) folder_error = NULL;
  g_autoptr(GError) manifest_error = NULL;

  g_assert_null (gk_chromoscope_sample_from_uris ("PD1", "breast", "hg38", no_sv, &error));
  g_assert_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“PD1”"));
  g_assert_nonnull (strstr (error->message, ".bedpe"));

  g_assert_null (gk_chromoscope_samples_from_folder ("lab", "c/", folder, "breast", "hg38", &folder_error));
  g_assert_nonnull (strstr (folder_error->message, "“PD2”"));

  g_assert_null (gk_chromoscope_parse_manifest ("id\tcancer\tassembly\tbam\nPD3\tbreast\thg38\ts3://lab/PD3.bam\n",
                                                -1, &manifest_error));
  g_assert_nonnull (strstr (manifest_error->message, "line 2: "));
  g_assert_nonnull (strstr (manifest_error->message, "structural variants"));
}

/* What Chromoscope's readers cannot parse is refused up front. */
static void
test_unreadable_forms_refused (void)
{
  const char * const bedpe_gz[] = { "s3://lab/PD1/PD1.sv.bedpe.gz", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) csi = NULL;
  g_autoptr(GError) bam_csi = NULL;
  g_autoptr(GPtrArray) ok = NULL;

  g_assert_null (gk_chromoscope_sample_from_uris ("PD1", "breast", "hg38", bedpe_gz, &error));
  g_assert_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "gunzip"));

  /* A manifest naming a CSI index: the VCF reader takes tabix only. */
  g_assert_null (gk_chromoscope_parse_manifest ("id\tcancer\tassembly\tsv\tvcf\tvcfIndex\n"
                                                "PD1\tbreast\thg38\ts3://l/a.bedpe\ts3://l/a.vcf.gz\ts3://l/a.vcf.gz.csi\n",
                                                -1, &csi));
  g_assert_nonnull (strstr (csi->message, "line 2: "));
  g_assert_nonnull (strstr (csi->message, "tabix"));
  g_assert_null (gk_chromoscope_parse_manifest ("id\tcancer\tassembly\tsv\tbam\tbai\n"
                                                "PD1\tbreast\thg38\ts3://l/a.bedpe\ts3://l/a.bam\ts3://l/a.bam.csi\n",
                                                -1, &bam_csi));
  g_assert_nonnull (strstr (bam_csi->message, "BAI"));

  /* A column whose file names no format is taken as the column says. */
  ok = gk_chromoscope_parse_manifest ("id\tcancer\tassembly\tsv\tcnv\n"
                                      "PD1\tbreast\thg38\ts3://l/a.bedpe\ts3://l/segments\n", -1, NULL);
  g_assert_nonnull (ok);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chromoscope/config/matches-sample-schema", test_config_schema);
  g_test_add_func ("/chromoscope/config/escapes-round-trip", test_config_escapes_round_trip);
  g_test_add_func ("/chromoscope/manifest/good", test_manifest_good);
  g_test_add_func ("/chromoscope/manifest/bad-rows-with-line-numbers", test_manifest_bad_rows);
  g_test_add_func ("/chromoscope/manifest/bad-header", test_manifest_bad_header);
  g_test_add_func ("/chromoscope/cram-refused", test_cram_refused);
  g_test_add_func ("/chromoscope/sv-required", test_sv_required);
  g_test_add_func ("/chromoscope/unreadable-forms-refused", test_unreadable_forms_refused);
  g_test_add_func ("/chromoscope/classify-by-suffix", test_classify);
  g_test_add_func ("/chromoscope/assembly-hg19-or-hg38", test_assembly);
  g_test_add_func ("/chromoscope/single-sample-from-files", test_single_sample);
  g_test_add_func ("/chromoscope/folder-layout", test_folder_layout);
  g_test_add_func ("/chromoscope/url/external-last-not-reencoded", test_app_url);
  g_test_add_func ("/chromoscope/config-location", test_config_location);
  g_test_add_func ("/chromoscope/guess-sample-id", test_guess_sample_id);

  return g_test_run ();
}
