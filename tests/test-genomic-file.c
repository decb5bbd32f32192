/* test-genomic-file.c: the one genomics classifier — formats, categories,
 * indexes, the index names per viewer and what each viewer reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-genomic-file.h"

static void
test_formats (void)
{
  const struct
  {
    const char *name;
    GkGenomicFormat format;
    GkGenomicCategory category;
    const char *label;
    const char *igv_format;
    gboolean compressed, is_index, needs_index;
  } cases[] = {
    { "cohort/S1.bam", GK_GENOMIC_FORMAT_BAM, GK_GENOMIC_CATEGORY_ALIGNMENTS, "BAM", "bam", FALSE, FALSE, TRUE },
    { "N.CRAM", GK_GENOMIC_FORMAT_CRAM, GK_GENOMIC_CATEGORY_ALIGNMENTS, "CRAM", "cram", FALSE, FALSE, TRUE },
    { "calls.vcf.gz", GK_GENOMIC_FORMAT_VCF, GK_GENOMIC_CATEGORY_VARIANTS, "VCF", "vcf", TRUE, FALSE, TRUE },
    { "calls.vcf.bgz", GK_GENOMIC_FORMAT_VCF, GK_GENOMIC_CATEGORY_VARIANTS, "VCF", "vcf", TRUE, FALSE, TRUE },
    { "calls.vcf", GK_GENOMIC_FORMAT_VCF, GK_GENOMIC_CATEGORY_VARIANTS, "VCF", "vcf", FALSE, FALSE, FALSE },
    { "calls.bcf", GK_GENOMIC_FORMAT_BCF, GK_GENOMIC_CATEGORY_VARIANTS, "BCF", "bcf", FALSE, FALSE, TRUE },
    { "sv.bedpe", GK_GENOMIC_FORMAT_BEDPE, GK_GENOMIC_CATEGORY_STRUCTURAL, "BEDPE", "bedpe", FALSE, FALSE, FALSE },
    { "sv.bedpe.gz", GK_GENOMIC_FORMAT_BEDPE, GK_GENOMIC_CATEGORY_STRUCTURAL, "BEDPE", "bedpe", TRUE, FALSE, FALSE },
    { "genes.bed.gz", GK_GENOMIC_FORMAT_BED, GK_GENOMIC_CATEGORY_ANNOTATIONS, "BED", "bed", TRUE, FALSE, FALSE },
    { "genes.gff3", GK_GENOMIC_FORMAT_GFF3, GK_GENOMIC_CATEGORY_ANNOTATIONS, "GFF3", "gff3", FALSE, FALSE, FALSE },
    { "genes.gtf.gz", GK_GENOMIC_FORMAT_GTF, GK_GENOMIC_CATEGORY_ANNOTATIONS, "GTF", "gtf", TRUE, FALSE, FALSE },
    { "cov.bw", GK_GENOMIC_FORMAT_BIGWIG, GK_GENOMIC_CATEGORY_COVERAGE, "BIGWIG", "bigwig", FALSE, FALSE, FALSE },
    { "cov.bigWig", GK_GENOMIC_FORMAT_BIGWIG, GK_GENOMIC_CATEGORY_COVERAGE, "BIGWIG", "bigwig", FALSE, FALSE, FALSE },
    { "x.bb", GK_GENOMIC_FORMAT_BIGBED, GK_GENOMIC_CATEGORY_ANNOTATIONS, "BIGBED", "bigbed", FALSE, FALSE, FALSE },
    { "x.tdf", GK_GENOMIC_FORMAT_TDF, GK_GENOMIC_CATEGORY_COVERAGE, "TDF", "tdf", FALSE, FALSE, FALSE },
    { "x.seg", GK_GENOMIC_FORMAT_SEG, GK_GENOMIC_CATEGORY_COPY_NUMBER, "SEG", "seg", FALSE, FALSE, FALSE },
    { "x.maf", GK_GENOMIC_FORMAT_MAF, GK_GENOMIC_CATEGORY_ANNOTATIONS, "MAF", "maf", FALSE, FALSE, FALSE },
    { "PD1.cnv.tsv", GK_GENOMIC_FORMAT_COPY_NUMBER, GK_GENOMIC_CATEGORY_COPY_NUMBER, "CNV", NULL, FALSE, FALSE, FALSE },
    { "PD1_CNV.txt", GK_GENOMIC_FORMAT_COPY_NUMBER, GK_GENOMIC_CATEGORY_COPY_NUMBER, "CNV", NULL, FALSE, FALSE, FALSE },
    { "PD1.purple.somatic.tsv", GK_GENOMIC_FORMAT_COPY_NUMBER, GK_GENOMIC_CATEGORY_COPY_NUMBER, "CNV", NULL, FALSE, FALSE, FALSE },
    { "PD1.drivers.tsv", GK_GENOMIC_FORMAT_DRIVERS, GK_GENOMIC_CATEGORY_ANNOTATIONS, "DRIVERS", NULL, FALSE, FALSE, FALSE },
    { "PD1.drivers.json", GK_GENOMIC_FORMAT_DRIVERS, GK_GENOMIC_CATEGORY_ANNOTATIONS, "DRIVERS", NULL, FALSE, FALSE, FALSE },
    { "ref/hg38.fa", GK_GENOMIC_FORMAT_FASTA, GK_GENOMIC_CATEGORY_REFERENCE, "FASTA", NULL, FALSE, FALSE, TRUE },
    { "S1.bam.bai", GK_GENOMIC_FORMAT_BAI, GK_GENOMIC_CATEGORY_INDEX, "BAI", NULL, FALSE, TRUE, FALSE },
    { "S1.BAI", GK_GENOMIC_FORMAT_BAI, GK_GENOMIC_CATEGORY_INDEX, "BAI", NULL, FALSE, TRUE, FALSE },
    { "S1.cram.crai", GK_GENOMIC_FORMAT_CRAI, GK_GENOMIC_CATEGORY_INDEX, "CRAI", NULL, FALSE, TRUE, FALSE },
    { "S1.vcf.gz.tbi", GK_GENOMIC_FORMAT_TBI, GK_GENOMIC_CATEGORY_INDEX, "TBI", NULL, FALSE, TRUE, FALSE },
    { "S1.bam.csi", GK_GENOMIC_FORMAT_CSI, GK_GENOMIC_CATEGORY_INDEX, "CSI", NULL, FALSE, TRUE, FALSE },
    { "hg38.fa.fai", GK_GENOMIC_FORMAT_FAI, GK_GENOMIC_CATEGORY_INDEX, "FAI", NULL, FALSE, TRUE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const GkGenomicFile *info = gk_genomic_file_classify (cases[i].name);

      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (info->format, ==, cases[i].format);
      g_assert_cmpint (info->category, ==, cases[i].category);
      g_assert_cmpstr (info->label, ==, cases[i].label);
      g_assert_cmpstr (info->igv_format, ==, cases[i].igv_format);
      g_assert_cmpint (info->compressed, ==, cases[i].compressed);
      g_assert_cmpint (info->is_index, ==, cases[i].is_index);
      g_assert_cmpint (info->needs_index, ==, cases[i].needs_index);
    }
}

static void
test_unknown_names (void)
{
  /* Only the last part of a key counts, and a bare extension is a hidden
   * file, not a format. */
  const char *names[] = {
    "notes.txt", "README", "", "bam", ".bam", "run.bam/notes", "S1.bam.md5", "S1.bam.bai.md5",
    "x.gz", "report.json", "cnv/", "drivers/README",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const GkGenomicFile *info = gk_genomic_file_classify (names[i]);

      g_test_message ("%s", names[i]);
      g_assert_nonnull (info);
      g_assert_cmpint (info->format, ==, GK_GENOMIC_FORMAT_UNKNOWN);
      g_assert_cmpint (info->category, ==, GK_GENOMIC_CATEGORY_NONE);
      g_assert_null (info->label);
      g_assert_null (info->igv_format);
    }
  g_assert_cmpint (gk_genomic_file_classify (NULL)->format, ==, GK_GENOMIC_FORMAT_UNKNOWN);
  g_assert_cmpstr (gk_genomic_file_base_name ("a/b/c.bam"), ==, "c.bam");
  g_assert_cmpstr (gk_genomic_file_base_name ("c.bam"), ==, "c.bam");
  g_assert_cmpstr (gk_genomic_file_base_name ("a/"), ==, "");
}

static void
assert_candidates (const char         *key,
                   GkViewer            viewer,
                   const char * const *expected)
{
  g_auto(GStrv) got = gk_genomic_file_index_candidates (key, viewer);

  g_test_message ("%s for %s", key, gk_viewer_get_name (viewer));
  if (expected == NULL)
    {
      g_assert_null (got);
      return;
    }
  g_assert_nonnull (got);
  g_assert_cmpstrv (got, expected);
}

static void
test_index_candidates (void)
{
  const GkViewer all[] = { GK_VIEWER_ANY, GK_VIEWER_IGV, GK_VIEWER_IGV_WEB, GK_VIEWER_CHROMOSCOPE };

  /* A BAM with only a CSI index is read by IGV and igv.js, as IGV
   * looks for it: after the BAI names. */
  for (guint v = 0; v < 3; v++)
    {
      assert_candidates ("c/S1.bam", all[v],
                         (const char *[]) { "c/S1.bam.bai", "c/S1.bai", "c/S1.bam.csi", "c/S1.csi", NULL });
      assert_candidates ("S1.BAM", all[v], (const char *[]) { "S1.BAM.bai", "S1.bai", "S1.BAM.csi", "S1.csi", NULL });
      /* A dot in a folder is not the file's extension. */
      assert_candidates ("run.2/S1.bam", all[v],
                         (const char *[]) { "run.2/S1.bam.bai", "run.2/S1.bai", "run.2/S1.bam.csi", "run.2/S1.csi", NULL });
      /* A .vcf.bgz is BGZF VCF like .vcf.gz, indexed the same way. */
      assert_candidates ("S1.vcf.bgz", all[v], (const char *[]) { "S1.vcf.bgz.tbi", "S1.vcf.bgz.csi", NULL });
    }
  /* Chromoscope's BAM reader takes a BAI only, its VCF reader tabix only. */
  assert_candidates ("c/S1.bam", GK_VIEWER_CHROMOSCOPE, (const char *[]) { "c/S1.bam.bai", "c/S1.bai", NULL });
  assert_candidates ("S1.vcf.bgz", GK_VIEWER_CHROMOSCOPE, (const char *[]) { "S1.vcf.bgz.tbi", NULL });

  for (guint v = 0; v < G_N_ELEMENTS (all); v++)
    {
      assert_candidates ("S1.sv.bedpe", all[v], NULL);
      assert_candidates ("S1.cnv.tsv", all[v], NULL);
      assert_candidates ("genes.bed.gz", all[v], NULL);
      assert_candidates ("S1.vcf", all[v], NULL);
      assert_candidates ("S1.bam.bai", all[v], NULL);
      assert_candidates ("bam", all[v], NULL);
    }

  for (guint v = 0; v < 3; v++)
    {
      assert_candidates ("c/S1.cram", all[v], (const char *[]) { "c/S1.cram.crai", "c/S1.crai", NULL });
      assert_candidates ("S1.vcf.gz", all[v], (const char *[]) { "S1.vcf.gz.tbi", "S1.vcf.gz.csi", NULL });
      assert_candidates ("ref/hg38.fa", all[v], (const char *[]) { "ref/hg38.fa.fai", NULL });
    }
  assert_candidates ("S1.bcf", GK_VIEWER_ANY, (const char *[]) { "S1.bcf.csi", NULL });
  assert_candidates ("S1.bcf", GK_VIEWER_IGV, (const char *[]) { "S1.bcf.csi", NULL });

  /* Chromoscope reads no CRAM, no BCF and no reference of its own, and
   * only tabix for VCF. */
  assert_candidates ("S1.cram", GK_VIEWER_CHROMOSCOPE, NULL);
  assert_candidates ("S1.bcf", GK_VIEWER_CHROMOSCOPE, NULL);
  assert_candidates ("S1.bcf", GK_VIEWER_IGV_WEB, NULL);
  assert_candidates ("ref/hg38.fa", GK_VIEWER_CHROMOSCOPE, NULL);
  assert_candidates ("S1.vcf.gz", GK_VIEWER_CHROMOSCOPE, (const char *[]) { "S1.vcf.gz.tbi", NULL });
}

static void
test_pick_index_from_listing (void)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *listing[] = {
    "c/S1.bam", "c/S1.bai", "c/S2.bam", "c/S2.bam.bai", "c/S2.bai",
    "c/S3.bam", "c/S4.vcf.gz", "c/S4.vcf.gz.tbi", "c/S5.vcf.gz", "c/S5.vcf.gz.csi",
    "c/S6.bam", "c/S6.csi",
  };
  const char *found;

  for (guint i = 0; i < G_N_ELEMENTS (listing); i++)
    g_hash_table_add (keys, g_strdup (listing[i]));

  found = gk_genomic_file_pick_index ("c/S1.bam", GK_VIEWER_ANY, keys);
  g_assert_cmpstr (found, ==, "c/S1.bai");
  /* The key handed back is the listing's own string. */
  g_assert_true (g_hash_table_contains (keys, found));
  /* ".bam.bai" wins over ".bai", as the viewers try it first. */
  g_assert_cmpstr (gk_genomic_file_pick_index ("c/S2.bam", GK_VIEWER_IGV, keys), ==, "c/S2.bam.bai");
  g_assert_null (gk_genomic_file_pick_index ("c/S3.bam", GK_VIEWER_ANY, keys));
  g_assert_cmpstr (gk_genomic_file_pick_index ("c/S4.vcf.gz", GK_VIEWER_CHROMOSCOPE, keys), ==, "c/S4.vcf.gz.tbi");
  g_assert_cmpstr (gk_genomic_file_pick_index ("c/S5.vcf.gz", GK_VIEWER_IGV, keys), ==, "c/S5.vcf.gz.csi");
  g_assert_null (gk_genomic_file_pick_index ("c/S5.vcf.gz", GK_VIEWER_CHROMOSCOPE, keys));
  g_assert_null (gk_genomic_file_pick_index ("c/notes.txt", GK_VIEWER_ANY, keys));
  /* A CSI is found for IGV, not for Chromoscope. */
  g_assert_cmpstr (gk_genomic_file_pick_index ("c/S6.bam", GK_VIEWER_IGV, keys), ==, "c/S6.csi");
  g_assert_null (gk_genomic_file_pick_index ("c/S6.bam", GK_VIEWER_CHROMOSCOPE, keys));
}

static void
test_index_usable (void)
{
  g_autoptr(GError) bam_csi = NULL;
  g_autoptr(GError) vcf_csi = NULL;
  g_autoptr(GError) mismatch = NULL;

  g_assert_true (gk_genomic_file_index_is_usable ("S1.bam", "S1.bam.bai", GK_VIEWER_CHROMOSCOPE, NULL));
  g_assert_true (gk_genomic_file_index_is_usable ("S1.bam", "S1.bam.csi", GK_VIEWER_IGV, NULL));
  g_assert_true (gk_genomic_file_index_is_usable ("S1.bam", "S1.csi", GK_VIEWER_IGV_WEB, NULL));
  g_assert_true (gk_genomic_file_index_is_usable ("S1.vcf.gz", "S1.vcf.gz.csi", GK_VIEWER_IGV, NULL));
  g_assert_true (gk_genomic_file_index_is_usable ("S1.vcf.gz", "S1.vcf.gz.tbi", GK_VIEWER_CHROMOSCOPE, NULL));

  g_assert_false (gk_genomic_file_index_is_usable ("S1.bam", "S1.bam.csi", GK_VIEWER_CHROMOSCOPE, &bam_csi));
  g_assert_error (bam_csi, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_INDEX);
  g_assert_nonnull (strstr (bam_csi->message, "S1.bam.csi"));
  g_assert_nonnull (strstr (bam_csi->message, "BAI"));

  g_assert_false (gk_genomic_file_index_is_usable ("S1.vcf.gz", "S1.vcf.gz.csi", GK_VIEWER_CHROMOSCOPE, &vcf_csi));
  g_assert_error (vcf_csi, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_INDEX);
  g_assert_nonnull (strstr (vcf_csi->message, "tabix"));

  g_assert_false (gk_genomic_file_index_is_usable ("S1.bam", "S1.vcf.gz.tbi", GK_VIEWER_IGV, &mismatch));
  g_assert_error (mismatch, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_INDEX);
  g_assert_nonnull (strstr (mismatch->message, "S1.vcf.gz.tbi"));
}

static void
test_viewer_reads (void)
{
  const struct { const char *name; gboolean igv, igv_web, chromoscope; } cases[] = {
    { "S1.bam", TRUE, TRUE, TRUE },
    { "S1.cram", TRUE, TRUE, FALSE },
    { "S1.vcf.gz", TRUE, TRUE, TRUE },
    { "S1.vcf.bgz", TRUE, TRUE, TRUE },
    { "S1.vcf", TRUE, TRUE, FALSE },
    { "S1.bcf", TRUE, FALSE, FALSE },
    { "S1.sv.bedpe", TRUE, TRUE, TRUE },
    { "S1.sv.bedpe.gz", TRUE, TRUE, FALSE },
    { "genes.bed", TRUE, TRUE, FALSE },
    { "cov.bw", TRUE, TRUE, FALSE },
    { "S1.cnv.tsv", FALSE, FALSE, TRUE },
    { "S1.drivers.tsv", FALSE, FALSE, TRUE },
    { "S1.bam.bai", FALSE, FALSE, FALSE },
    { "hg38.fa", FALSE, FALSE, FALSE },
    { "notes.pdf", FALSE, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (gk_genomic_file_viewer_reads (cases[i].name, GK_VIEWER_IGV, NULL), ==, cases[i].igv);
      g_assert_cmpint (gk_genomic_file_viewer_reads (cases[i].name, GK_VIEWER_IGV_WEB, NULL), ==, cases[i].igv_web);
      g_assert_cmpint (gk_genomic_file_viewer_reads (cases[i].name, GK_VIEWER_CHROMOSCOPE, NULL), ==, cases[i].chromoscope);
    }
}

static void
test_viewer_refusals_say_why (void)
{
  g_autoptr(GError) cram = NULL;
  g_autoptr(GError) plain_vcf = NULL;
  g_autoptr(GError) igv_table = NULL;
  g_autoptr(GError) bedpe_gz = NULL;

  g_assert_false (gk_genomic_file_viewer_reads ("c/PD1.cram", GK_VIEWER_CHROMOSCOPE, &cram));
  g_assert_error (cram, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (cram->message, "“PD1.cram”"));
  g_assert_nonnull (strstr (cram->message, "samtools view -b"));

  g_assert_false (gk_genomic_file_viewer_reads ("PD1.vcf", GK_VIEWER_CHROMOSCOPE, &plain_vcf));
  g_assert_nonnull (strstr (plain_vcf->message, "tabix"));

  /* Chromoscope's BEDPE reader does not gunzip. */
  g_assert_false (gk_genomic_file_viewer_reads ("PD1.sv.bedpe.gz", GK_VIEWER_CHROMOSCOPE, &bedpe_gz));
  g_assert_error (bedpe_gz, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (bedpe_gz->message, "gunzip"));

  g_assert_false (gk_genomic_file_viewer_reads ("PD1.cnv.tsv", GK_VIEWER_IGV, &igv_table));
  g_assert_nonnull (strstr (igv_table->message, "IGV"));
  g_assert_nonnull (strstr (igv_table->message, "PD1.cnv.tsv"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/genomic-file/classify/formats", test_formats);
  g_test_add_func ("/genomic-file/classify/unknown-names", test_unknown_names);
  g_test_add_func ("/genomic-file/index/candidates-per-viewer", test_index_candidates);
  g_test_add_func ("/genomic-file/index/pick-from-listing", test_pick_index_from_listing);
  g_test_add_func ("/genomic-file/index/usable-per-viewer", test_index_usable);
  g_test_add_func ("/genomic-file/viewer/reads", test_viewer_reads);
  g_test_add_func ("/genomic-file/viewer/refusals-say-why", test_viewer_refusals_say_why);

  return g_test_run ();
}
