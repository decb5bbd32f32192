/* gk-chromoscope.h: Chromoscope configs — samples, cohort manifests, folder
 * layouts and the app URL
 *
 * Chromoscope (chromoscope.bio) reads a JSON config of samples from the URL
 * given as `external=`, then fetches every file from the browser, so the
 * bucket must allow cross-origin GETs. Facts: DESIGN.md section 8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-genomic-file.h"
#include "gk-links.h"
#include "gk-s3.h"
#include "gk-web-viewer.h"

G_BEGIN_DECLS

#define GK_CHROMOSCOPE_APP_URL "https://chromoscope.bio/app/"

#define GK_CHROMOSCOPE_ERROR (gk_chromoscope_error_quark ())

typedef enum
{
  GK_CHROMOSCOPE_ERROR_MANIFEST,      /* a manifest that cannot be read */
  GK_CHROMOSCOPE_ERROR_ASSEMBLY,      /* not hg19 or hg38 */
  GK_CHROMOSCOPE_ERROR_NO_SAMPLES,
  GK_CHROMOSCOPE_ERROR_INVALID,       /* missing id, duplicate id, not s3:// */
  GK_CHROMOSCOPE_ERROR_NO_PLACE,      /* no file in S3 to upload the config next to, no prefix */
} GkChromoscopeError;

GQuark gk_chromoscope_error_quark (void);

/* One sample. File fields hold s3:// URIs until they are signed, then links.
 * Keys are Chromoscope's JSON names: id cancer assembly sv cnv drivers bam
 * bai vcf vcfIndex vcf2 vcf2Index note. */
typedef struct _GkChromoscopeSample GkChromoscopeSample;

GkChromoscopeSample *gk_chromoscope_sample_new        (const char                *id,
                                                       const char                *cancer,
                                                       const char                *assembly);
void                 gk_chromoscope_sample_free       (GkChromoscopeSample       *sample);
const char          *gk_chromoscope_sample_get        (const GkChromoscopeSample *sample,
                                                       const char                *key);
void                 gk_chromoscope_sample_set        (GkChromoscopeSample       *sample,
                                                       const char                *key,
                                                       const char                *value);
guint                gk_chromoscope_sample_get_line   (const GkChromoscopeSample *sample);
gboolean             gk_chromoscope_sample_validate   (const GkChromoscopeSample *sample,
                                                       GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkChromoscopeSample, gk_chromoscope_sample_free)

/* The keys whose values are files ("sv", "cnv", "drivers", "bam", "vcf",
 * "vcf2"), and the index key that goes with one ("bai", "vcfIndex",
 * "vcf2Index"), or NULL. */
const char * const  *gk_chromoscope_file_keys         (void);
const char          *gk_chromoscope_index_key_for     (const char                *file_key);
gboolean             gk_chromoscope_assembly_is_valid (const char                *assembly,
                                                       GError                   **error);

/* Which key a file belongs under, from its name (gk-genomic-file.h):
 * .bedpe → sv, CNV .tsv/.txt → cnv, drivers .tsv/.json → drivers, .bam →
 * bam, .vcf.gz → vcf (indel calls → vcf2). A form Chromoscope cannot read
 * (CRAM, plain VCF) gets %GK_GENOMIC_FILE_ERROR_UNSUPPORTED; index files
 * and unrelated files return %NULL without an error. */
const char          *gk_chromoscope_classify          (const char                *name,
                                                       GError                   **error);

GPtrArray           *gk_chromoscope_parse_manifest    (const char                *text,
                                                       gssize                     length,
                                                       GError                   **error);
char                *gk_chromoscope_guess_sample_id   (const char                *s3_uri);
GkChromoscopeSample *gk_chromoscope_sample_from_uris  (const char                *id,
                                                       const char                *cancer,
                                                       const char                *assembly,
                                                       const char * const        *uris,
                                                       GError                   **error);
GPtrArray           *gk_chromoscope_samples_from_folder (const char              *bucket,
                                                         const char              *prefix,
                                                         const char * const      *keys,
                                                         const char              *cancer,
                                                         const char              *assembly,
                                                         GError                 **error);

char                *gk_chromoscope_config_json       (const char                *name,
                                                       GPtrArray                 *samples);
char                *gk_chromoscope_app_url           (const char                *config_link);
gboolean             gk_chromoscope_config_location   (const char                *prefix,
                                                       const char                *data_uri,
                                                       const char                *name,
                                                       gint64                     now,
                                                       char                     **bucket,
                                                       char                     **key,
                                                       GError                   **error);
const char          *gk_chromoscope_first_file        (GPtrArray                 *samples);

/* Publishing (gk-chromoscope-publish.c): signs every s3:// file of @samples
 * in place (indexes under bai/vcfIndex/vcf2Index), builds the config and,
 * unless @upload is %FALSE, uploads it next to the data (or under @prefix,
 * the profile's chromoscope_prefix), signs it and makes the app URL. */
typedef struct
{
  char   *config_json;
  char   *config_uri;   /* s3:// of the uploaded config; NULL unless uploaded */
  char   *url;          /* the Chromoscope URL; NULL when the config is only built */
  gint64  expires_at;   /* when the first link stops working; 0: never */
  GStrv   buckets;      /* every bucket the browser will read, for CORS */
} GkChromoscopePublished;

void                    gk_chromoscope_published_free    (GkChromoscopePublished *published);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkChromoscopePublished, gk_chromoscope_published_free)

void                    gk_chromoscope_publish_async     (GkLinker             *linker,
                                                          GPtrArray            *samples,
                                                          const char           *name,
                                                          const char           *prefix,
                                                          gboolean              upload,
                                                          gint64                expires,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GkChromoscopePublished *gk_chromoscope_publish_finish    (GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
