/* gk-genomic-file.h: what a genomics file is, from its name, and what each
 * genome browser can do with it
 *
 * One table knows the formats: which are indexes, which need one, the index
 * names to look for, and which of IGV desktop, IGV-Web (igv.js) and
 * Chromoscope read a format or an index kind. Links, the IGV and IGV-Web
 * hand-offs, Chromoscope configs, listing-based index pairing and the
 * window's type marks all ask here, so a rule changes in one place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_GENOMIC_FILE_ERROR (gk_genomic_file_error_quark ())

typedef enum
{
  GK_GENOMIC_FILE_ERROR_UNSUPPORTED,   /* the viewer cannot read this format */
  GK_GENOMIC_FILE_ERROR_INDEX,         /* the viewer cannot read this index */
} GkGenomicFileError;

typedef enum
{
  GK_GENOMIC_FORMAT_UNKNOWN = 0,
  GK_GENOMIC_FORMAT_BAM,
  GK_GENOMIC_FORMAT_CRAM,
  GK_GENOMIC_FORMAT_VCF,          /* plain text, or BGZF-compressed (.vcf.gz, .vcf.bgz) */
  GK_GENOMIC_FORMAT_BCF,
  GK_GENOMIC_FORMAT_BEDPE,        /* structural variants as paired regions */
  GK_GENOMIC_FORMAT_BED,
  GK_GENOMIC_FORMAT_GFF3,
  GK_GENOMIC_FORMAT_GTF,
  GK_GENOMIC_FORMAT_BIGWIG,
  GK_GENOMIC_FORMAT_BIGBED,
  GK_GENOMIC_FORMAT_WIG,
  GK_GENOMIC_FORMAT_TDF,
  GK_GENOMIC_FORMAT_SEG,          /* copy-number segments */
  GK_GENOMIC_FORMAT_MAF,
  GK_GENOMIC_FORMAT_COPY_NUMBER,  /* a copy-number table (…cnv….tsv), as Chromoscope reads */
  GK_GENOMIC_FORMAT_DRIVERS,      /* a driver-mutation table (…driver….tsv or .json) */
  GK_GENOMIC_FORMAT_FASTA,
  GK_GENOMIC_FORMAT_BAI,
  GK_GENOMIC_FORMAT_CRAI,
  GK_GENOMIC_FORMAT_TBI,
  GK_GENOMIC_FORMAT_CSI,
  GK_GENOMIC_FORMAT_FAI,
} GkGenomicFormat;

typedef enum
{
  GK_GENOMIC_CATEGORY_NONE = 0,
  GK_GENOMIC_CATEGORY_ALIGNMENTS,
  GK_GENOMIC_CATEGORY_VARIANTS,
  GK_GENOMIC_CATEGORY_STRUCTURAL,
  GK_GENOMIC_CATEGORY_COPY_NUMBER,
  GK_GENOMIC_CATEGORY_COVERAGE,
  GK_GENOMIC_CATEGORY_ANNOTATIONS,
  GK_GENOMIC_CATEGORY_REFERENCE,
  GK_GENOMIC_CATEGORY_INDEX,
} GkGenomicCategory;

typedef enum
{
  GK_VIEWER_ANY = 0,      /* no viewer in particular: every index name any viewer reads */
  GK_VIEWER_IGV,          /* IGV desktop */
  GK_VIEWER_IGV_WEB,      /* IGV-Web, i.e. igv.js */
  GK_VIEWER_CHROMOSCOPE,  /* Chromoscope, i.e. gosling.js's readers */
} GkViewer;

/* What a name says. Entries are static: nothing to free, cheap enough for
 * every row of a listing. */
typedef struct
{
  GkGenomicFormat format;
  GkGenomicCategory category;
  const char *label;       /* short display mark, "BAM", "VCF", "BAI" (not translated) */
  const char *igv_format;  /* IGV's and igv.js's format name, or NULL when they take no such track */
  guint compressed : 1;    /* gzip or BGZF (.gz, .bgz) */
  guint is_index : 1;
  guint needs_index : 1;   /* genome browsers read it by region, through an index */
} GkGenomicFile;

GQuark               gk_genomic_file_error_quark       (void);

const GkGenomicFile *gk_genomic_file_classify          (const char          *name);
const char          *gk_genomic_file_base_name         (const char          *key);

gboolean             gk_genomic_file_viewer_reads      (const char          *name,
                                                        GkViewer             viewer,
                                                        GError             **error);

GStrv                gk_genomic_file_index_candidates  (const char          *key,
                                                        GkViewer             viewer);
gboolean             gk_genomic_file_index_is_usable   (const char          *key,
                                                        const char          *index_key,
                                                        GkViewer             viewer,
                                                        GError             **error);
const char          *gk_genomic_file_pick_index        (const char          *key,
                                                        GkViewer             viewer,
                                                        GHashTable          *existing);

const char          *gk_viewer_get_name                (GkViewer             viewer);

G_END_DECLS
