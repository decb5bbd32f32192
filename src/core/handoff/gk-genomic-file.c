/* gk-genomic-file.c: the genomics format table and each viewer's rules
 *
 * The facts behind the rules (DESIGN.md sections 6–8 and 11):
 * - IGV desktop finds a BAM's index as `.bam.bai`, `.bai`, `.bam.csi` or
 *   `.csi`, and reads tabix and CSI indexes for VCF and BCF.
 * - igv.js tells a BAI, tabix or CSI index apart by its magic number, so
 *   IGV-Web reads the same index kinds; it has no BCF reader.
 * - Chromoscope's readers (gosling.js over @gmod/bam and @gmod/tabix) take
 *   a BAM index as BAI and a VCF index as tabix only; they read BAM, BGZF
 *   VCF, plain BEDPE (a `.bedpe.gz` is not gunzipped) and tables. No CRAM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-genomic-file.h"

G_DEFINE_QUARK (gk-genomic-file-error-quark, gk_genomic_file_error)

#define INFO(fmt, cat, label, igv, gz, index, needs) \
  { GK_GENOMIC_FORMAT_##fmt, GK_GENOMIC_CATEGORY_##cat, label, igv, gz, index, needs }

/* One row per (format, compressed) pair a name can end in. */
static const GkGenomicFile infos[] = {
  INFO (UNKNOWN,     NONE,        NULL,      NULL,     0, 0, 0),
  INFO (BAM,         ALIGNMENTS,  "BAM",     "bam",    0, 0, 1),
  INFO (CRAM,        ALIGNMENTS,  "CRAM",    "cram",   0, 0, 1),
  INFO (VCF,         VARIANTS,    "VCF",     "vcf",    0, 0, 0),
  INFO (VCF,         VARIANTS,    "VCF",     "vcf",    1, 0, 1),
  INFO (BCF,         VARIANTS,    "BCF",     "bcf",    0, 0, 1),
  INFO (BEDPE,       STRUCTURAL,  "BEDPE",   "bedpe",  0, 0, 0),
  INFO (BEDPE,       STRUCTURAL,  "BEDPE",   "bedpe",  1, 0, 0),
  INFO (BED,         ANNOTATIONS, "BED",     "bed",    0, 0, 0),
  INFO (BED,         ANNOTATIONS, "BED",     "bed",    1, 0, 0),
  INFO (GFF3,        ANNOTATIONS, "GFF3",    "gff3",   0, 0, 0),
  INFO (GFF3,        ANNOTATIONS, "GFF3",    "gff3",   1, 0, 0),
  INFO (GTF,         ANNOTATIONS, "GTF",     "gtf",    0, 0, 0),
  INFO (GTF,         ANNOTATIONS, "GTF",     "gtf",    1, 0, 0),
  INFO (BIGWIG,      COVERAGE,    "BIGWIG",  "bigwig", 0, 0, 0),
  INFO (BIGBED,      ANNOTATIONS, "BIGBED",  "bigbed", 0, 0, 0),
  INFO (WIG,         COVERAGE,    "WIG",     "wig",    0, 0, 0),
  INFO (TDF,         COVERAGE,    "TDF",     "tdf",    0, 0, 0),
  INFO (SEG,         COPY_NUMBER, "SEG",     "seg",    0, 0, 0),
  INFO (SEG,         COPY_NUMBER, "SEG",     "seg",    1, 0, 0),
  INFO (MAF,         ANNOTATIONS, "MAF",     "maf",    0, 0, 0),
  INFO (COPY_NUMBER, COPY_NUMBER, "CNV",     NULL,     0, 0, 0),
  INFO (DRIVERS,     ANNOTATIONS, "DRIVERS", NULL,     0, 0, 0),
  INFO (FASTA,       REFERENCE,   "FASTA",   NULL,     0, 0, 1),
  INFO (BAI,         INDEX,       "BAI",     NULL,     0, 1, 0),
  INFO (CRAI,        INDEX,       "CRAI",    NULL,     0, 1, 0),
  INFO (TBI,         INDEX,       "TBI",     NULL,     0, 1, 0),
  INFO (CSI,         INDEX,       "CSI",     NULL,     0, 1, 0),
  INFO (FAI,         INDEX,       "FAI",     NULL,     0, 1, 0),
};

#undef INFO

/* Name endings, compared whole and without case: "x.vcf.gz" does not end
 * in ".vcf", nor "x.bedpe" in ".bed", so the order does not matter. */
static const struct
{
  const char *suffix;
  GkGenomicFormat format;
  gboolean compressed;
} suffixes[] = {
  { ".bam", GK_GENOMIC_FORMAT_BAM, FALSE },
  { ".cram", GK_GENOMIC_FORMAT_CRAM, FALSE },
  { ".vcf.gz", GK_GENOMIC_FORMAT_VCF, TRUE },
  { ".vcf.bgz", GK_GENOMIC_FORMAT_VCF, TRUE },
  { ".vcf", GK_GENOMIC_FORMAT_VCF, FALSE },
  { ".bcf", GK_GENOMIC_FORMAT_BCF, FALSE },
  { ".bedpe", GK_GENOMIC_FORMAT_BEDPE, FALSE },
  { ".bedpe.gz", GK_GENOMIC_FORMAT_BEDPE, TRUE },
  { ".bed", GK_GENOMIC_FORMAT_BED, FALSE },
  { ".bed.gz", GK_GENOMIC_FORMAT_BED, TRUE },
  { ".gff3", GK_GENOMIC_FORMAT_GFF3, FALSE },
  { ".gff3.gz", GK_GENOMIC_FORMAT_GFF3, TRUE },
  { ".gtf", GK_GENOMIC_FORMAT_GTF, FALSE },
  { ".gtf.gz", GK_GENOMIC_FORMAT_GTF, TRUE },
  { ".bw", GK_GENOMIC_FORMAT_BIGWIG, FALSE },
  { ".bigwig", GK_GENOMIC_FORMAT_BIGWIG, FALSE },
  { ".bb", GK_GENOMIC_FORMAT_BIGBED, FALSE },
  { ".bigbed", GK_GENOMIC_FORMAT_BIGBED, FALSE },
  { ".wig", GK_GENOMIC_FORMAT_WIG, FALSE },
  { ".tdf", GK_GENOMIC_FORMAT_TDF, FALSE },
  { ".seg", GK_GENOMIC_FORMAT_SEG, FALSE },
  { ".seg.gz", GK_GENOMIC_FORMAT_SEG, TRUE },
  { ".maf", GK_GENOMIC_FORMAT_MAF, FALSE },
  { ".fa", GK_GENOMIC_FORMAT_FASTA, FALSE },
  { ".fasta", GK_GENOMIC_FORMAT_FASTA, FALSE },
  { ".fna", GK_GENOMIC_FORMAT_FASTA, FALSE },
  { ".bai", GK_GENOMIC_FORMAT_BAI, FALSE },
  { ".crai", GK_GENOMIC_FORMAT_CRAI, FALSE },
  { ".tbi", GK_GENOMIC_FORMAT_TBI, FALSE },
  { ".csi", GK_GENOMIC_FORMAT_CSI, FALSE },
  { ".fai", GK_GENOMIC_FORMAT_FAI, FALSE },
};

static const GkGenomicFile *
info_for (GkGenomicFormat format,
          gboolean        compressed)
{
  for (gsize i = 1; i < G_N_ELEMENTS (infos); i++)
    if (infos[i].format == format && infos[i].compressed == (compressed ? 1 : 0))
      return &infos[i];
  return &infos[0];
}

static gboolean
has_suffix_nocase (const char *s,
                   gsize       length,
                   const char *suffix)
{
  gsize m = strlen (suffix);

  /* A bare ".bam" is a hidden file, not a BAM without a name. */
  return length > m && g_ascii_strcasecmp (s + length - m, suffix) == 0;
}

const char *
gk_genomic_file_base_name (const char *key)
{
  const char *slash;

  g_return_val_if_fail (key != NULL, NULL);
  slash = strrchr (key, '/');
  return slash != NULL ? slash + 1 : key;
}

/* Labs name copy-number and driver tables by what they hold, not by a
 * format of their own: Chromoscope's examples use "…cnv….tsv" and
 * "…drivers….tsv", and PURPLE writes "….purple.cnv.somatic.tsv". */
static GkGenomicFormat
table_format (const char *lower)
{
  gboolean tsv = g_str_has_suffix (lower, ".tsv") || g_str_has_suffix (lower, ".txt");
  gboolean json = g_str_has_suffix (lower, ".json");

  if ((tsv || json) && strstr (lower, "driver") != NULL)
    return GK_GENOMIC_FORMAT_DRIVERS;
  if (tsv && (strstr (lower, "cnv") != NULL || strstr (lower, "copynumber") != NULL
              || strstr (lower, "copy_number") != NULL || strstr (lower, "purple") != NULL))
    return GK_GENOMIC_FORMAT_COPY_NUMBER;
  return GK_GENOMIC_FORMAT_UNKNOWN;
}

/**
 * gk_genomic_file_classify:
 * @name: a file name, S3 key or path (only the last part counts)
 *
 * Returns: (transfer none): what the name says; format
 *   %GK_GENOMIC_FORMAT_UNKNOWN when it says nothing. Never %NULL.
 */
const GkGenomicFile *
gk_genomic_file_classify (const char *name)
{
  const char *base;
  gsize length;
  g_autofree char *lower = NULL;
  GkGenomicFormat table;

  if (name == NULL)
    return &infos[0];
  base = gk_genomic_file_base_name (name);
  length = strlen (base);
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (has_suffix_nocase (base, length, suffixes[i].suffix))
      return info_for (suffixes[i].format, suffixes[i].compressed);

  lower = g_ascii_strdown (base, length);
  table = table_format (lower);
  return table != GK_GENOMIC_FORMAT_UNKNOWN ? info_for (table, FALSE) : &infos[0];
}

const char *
gk_viewer_get_name (GkViewer viewer)
{
  switch (viewer)
    {
    case GK_VIEWER_IGV:
      return "IGV";
    case GK_VIEWER_IGV_WEB:
      return "IGV-Web";
    case GK_VIEWER_CHROMOSCOPE:
      return "Chromoscope";
    case GK_VIEWER_ANY:
    default:
      return _("Genome browsers");
    }
}

static gboolean
chromoscope_reads (const char           *base,
                   const GkGenomicFile  *info,
                   GError              **error)
{
  GkGenomicFormat format = info->format;

  if (format == GK_GENOMIC_FORMAT_BAM || format == GK_GENOMIC_FORMAT_COPY_NUMBER
      || format == GK_GENOMIC_FORMAT_DRIVERS
      || (format == GK_GENOMIC_FORMAT_BEDPE && !info->compressed)
      || (format == GK_GENOMIC_FORMAT_VCF && info->compressed))
    return TRUE;

  if (format == GK_GENOMIC_FORMAT_BEDPE)
    /* gosling's BEDPE reader fetches the text and parses it as is. */
    g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED,
                 _("“%s” is gzip-compressed, and Chromoscope reads BEDPE only uncompressed. "
                   "Upload it decompressed (gunzip), or open it in IGV."), base);
  else if (format == GK_GENOMIC_FORMAT_VCF)
    g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED,
                 _("“%s” is a plain VCF; Chromoscope needs it compressed and indexed "
                   "(bgzip, then tabix -p vcf)."), base);
  else if (format == GK_GENOMIC_FORMAT_CRAM)
    g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED,
                 _("“%s” is CRAM, which Chromoscope cannot read (it reads BAM only). Convert it "
                   "with “samtools view -b”, or open it in IGV instead."), base);
  else
    g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED,
                 _("Chromoscope has no place for “%s”. It shows structural variants "
                   "(.bedpe), copy number (…cnv….tsv), drivers (…driver….tsv), BAM and "
                   "bgzipped VCF; indexes are found by themselves."), base);
  return FALSE;
}

/**
 * gk_genomic_file_viewer_reads:
 * @viewer: not %GK_VIEWER_ANY
 *
 * Whether @viewer shows @name as a track (indexes and references are not
 * tracks). @error says why not, and what to do instead.
 */
gboolean
gk_genomic_file_viewer_reads (const char  *name,
                              GkViewer     viewer,
                              GError     **error)
{
  const GkGenomicFile *info = gk_genomic_file_classify (name);
  const char *base = name != NULL ? gk_genomic_file_base_name (name) : "";

  g_return_val_if_fail (viewer != GK_VIEWER_ANY, FALSE);

  if (viewer == GK_VIEWER_CHROMOSCOPE)
    return chromoscope_reads (base, info, error);

  if (info->igv_format == NULL)
    {
      g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED,
                   _("%s has no track for “%s”. It shows BAM, CRAM, VCF, BCF, BED, BEDPE, GFF3, "
                     "GTF, bigWig, bigBed, WIG, TDF, SEG and MAF files."),
                   gk_viewer_get_name (viewer), base);
      return FALSE;
    }
  if (viewer == GK_VIEWER_IGV_WEB && info->format == GK_GENOMIC_FORMAT_BCF)
    {
      g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_UNSUPPORTED,
                   _("“%s” is BCF, which IGV-Web cannot read. Open it in IGV, or convert it to a "
                     "bgzipped VCF (bcftools view -Oz, then tabix -p vcf)."), base);
      return FALSE;
    }
  return TRUE;
}

/* Whether @viewer reads @index as the index of a @format file. */
static gboolean
viewer_reads_index (GkViewer        viewer,
                    GkGenomicFormat format,
                    GkGenomicFormat index)
{
  gboolean chromoscope = viewer == GK_VIEWER_CHROMOSCOPE;

  if (format == GK_GENOMIC_FORMAT_BAM)
    return index == GK_GENOMIC_FORMAT_BAI || (index == GK_GENOMIC_FORMAT_CSI && !chromoscope);
  if (format == GK_GENOMIC_FORMAT_CRAM)
    return index == GK_GENOMIC_FORMAT_CRAI && !chromoscope;
  if (format == GK_GENOMIC_FORMAT_VCF)
    return index == GK_GENOMIC_FORMAT_TBI || (index == GK_GENOMIC_FORMAT_CSI && !chromoscope);
  if (format == GK_GENOMIC_FORMAT_BCF)
    return index == GK_GENOMIC_FORMAT_CSI && !chromoscope && viewer != GK_VIEWER_IGV_WEB;
  if (format == GK_GENOMIC_FORMAT_FASTA)
    return index == GK_GENOMIC_FORMAT_FAI && !chromoscope;
  return FALSE;
}

/**
 * gk_genomic_file_index_candidates:
 * @key: the data file's key or path
 * @viewer: whose rules; %GK_VIEWER_ANY for every name some viewer reads
 *
 * The index names to look for, in the order tried. For a BAM:
 * `.bam.bai`, `.bai`, then (not for Chromoscope) `.bam.csi`, `.csi`; CRAM:
 * `.cram.crai`, `.crai`; BGZF VCF: `.tbi`, then (not for Chromoscope)
 * `.csi` appended; BCF: `.bcf.csi`; FASTA: `.fai` appended. Names a viewer
 * reads best come first, so the first that exists is the one to use.
 *
 * Returns: (transfer full) (nullable): the candidate keys, or %NULL when
 *   the file is read without an index or @viewer reads no index for it
 */
GStrv
gk_genomic_file_index_candidates (const char *key,
                                  GkViewer    viewer)
{
  const GkGenomicFile *info;
  GPtrArray *b;
  const char *base;
  const char *dot;
  g_autofree char *stem = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  info = gk_genomic_file_classify (key);
  if (!info->needs_index)
    return NULL;

  /* The name without its last extension, for "S1.bai" beside "S1.bam". */
  base = gk_genomic_file_base_name (key);
  dot = strrchr (base, '.');
  stem = g_strndup (key, dot - key);

  b = g_ptr_array_new ();
  if (info->format == GK_GENOMIC_FORMAT_BAM)
    {
      g_ptr_array_add (b, g_strconcat (key, ".bai", NULL));
      g_ptr_array_add (b, g_strconcat (stem, ".bai", NULL));
      if (viewer_reads_index (viewer, info->format, GK_GENOMIC_FORMAT_CSI))
        {
          g_ptr_array_add (b, g_strconcat (key, ".csi", NULL));
          g_ptr_array_add (b, g_strconcat (stem, ".csi", NULL));
        }
    }
  else if (info->format == GK_GENOMIC_FORMAT_CRAM)
    {
      if (viewer_reads_index (viewer, info->format, GK_GENOMIC_FORMAT_CRAI))
        {
          g_ptr_array_add (b, g_strconcat (key, ".crai", NULL));
          g_ptr_array_add (b, g_strconcat (stem, ".crai", NULL));
        }
    }
  else if (info->format == GK_GENOMIC_FORMAT_VCF)
    {
      g_ptr_array_add (b, g_strconcat (key, ".tbi", NULL));
      if (viewer_reads_index (viewer, info->format, GK_GENOMIC_FORMAT_CSI))
        g_ptr_array_add (b, g_strconcat (key, ".csi", NULL));
    }
  else if (info->format == GK_GENOMIC_FORMAT_BCF)
    {
      if (viewer_reads_index (viewer, info->format, GK_GENOMIC_FORMAT_CSI))
        g_ptr_array_add (b, g_strconcat (key, ".csi", NULL));
    }
  else if (info->format == GK_GENOMIC_FORMAT_FASTA)
    {
      if (viewer_reads_index (viewer, info->format, GK_GENOMIC_FORMAT_FAI))
        g_ptr_array_add (b, g_strconcat (key, ".fai", NULL));
    }
  if (b->len == 0)
    {
      g_ptr_array_free (b, TRUE);
      return NULL;
    }
  g_ptr_array_add (b, NULL);
  return (GStrv) g_ptr_array_free (b, FALSE);
}

/**
 * gk_genomic_file_index_is_usable:
 * @key: the data file
 * @index_key: its index, as found or as a manifest names it
 *
 * Whether @viewer can read @index_key as the index of @key: Chromoscope's
 * readers parse a BAI for BAM and a tabix index for VCF, nothing else.
 */
gboolean
gk_genomic_file_index_is_usable (const char  *key,
                                 const char  *index_key,
                                 GkViewer     viewer,
                                 GError     **error)
{
  const GkGenomicFile *data = gk_genomic_file_classify (key);
  const GkGenomicFile *index = gk_genomic_file_classify (index_key);
  const char *base = gk_genomic_file_base_name (index_key);

  if (viewer_reads_index (viewer, data->format, index->format))
    return TRUE;

  if (viewer == GK_VIEWER_CHROMOSCOPE && index->format == GK_GENOMIC_FORMAT_CSI)
    {
      if (data->format == GK_GENOMIC_FORMAT_BAM)
        g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_INDEX,
                     _("The index “%s” is CSI, and Chromoscope reads a BAM’s index only as BAI. "
                       "Make one with “samtools index” (without -c) and upload it next to the "
                       "file."), base);
      else
        g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_INDEX,
                     _("The index “%s” is CSI, and Chromoscope reads a VCF’s index only as "
                       "tabix (.tbi). Make one with “tabix -p vcf” and upload it next to the "
                       "file."), base);
      return FALSE;
    }
  g_set_error (error, GK_GENOMIC_FILE_ERROR, GK_GENOMIC_FILE_ERROR_INDEX,
               _("%s cannot use “%s” as the index of “%s”."),
               gk_viewer_get_name (viewer), base, gk_genomic_file_base_name (key));
  return FALSE;
}

/**
 * gk_genomic_file_pick_index:
 * @existing: (element-type utf8 utf8): keys known to exist, e.g. from a
 *   listing of the file's folder (a set: keys and values alike)
 *
 * Pairs @key with its index the way the viewers would, without asking S3.
 *
 * Returns: (transfer none) (nullable): the key in @existing to use as the
 *   index, or %NULL when no candidate exists
 */
const char *
gk_genomic_file_pick_index (const char *key,
                            GkViewer    viewer,
                            GHashTable *existing)
{
  g_auto(GStrv) candidates = gk_genomic_file_index_candidates (key, viewer);

  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++)
    {
      gpointer found = NULL;

      if (g_hash_table_lookup_extended (existing, candidates[i], &found, NULL))
        return found;
    }
  return NULL;
}
