/* gk-chromoscope.c: Chromoscope configs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "gk-chromoscope.h"

G_DEFINE_QUARK (gk-chromoscope-error-quark, gk_chromoscope_error)

/* Chromoscope's sample keys, in the order its documentation lists them. */
enum
{
  FIELD_ID,
  FIELD_CANCER,
  FIELD_ASSEMBLY,
  FIELD_SV,
  FIELD_CNV,
  FIELD_DRIVERS,
  FIELD_BAM,
  FIELD_BAI,
  FIELD_VCF,
  FIELD_VCF_INDEX,
  FIELD_VCF2,
  FIELD_VCF2_INDEX,
  FIELD_NOTE,
  N_FIELDS
};

/* The BAM index is "bai": a widely copied script writes "bamIndex", which
 * Chromoscope silently ignores. */
static const char * const field_names[N_FIELDS] = {
  "id", "cancer", "assembly", "sv", "cnv", "drivers", "bam", "bai", "vcf", "vcfIndex",
  "vcf2", "vcf2Index", "note",
};

static const char * const file_keys[] = { "sv", "cnv", "drivers", "bam", "vcf", "vcf2", NULL };

struct _GkChromoscopeSample
{
  char *fields[N_FIELDS];
  guint line;
};

static int
field_index (const char *key)
{
  for (int i = 0; i < N_FIELDS; i++)
    if (g_ascii_strcasecmp (field_names[i], key) == 0)
      return i;
  return -1;
}

GkChromoscopeSample *
gk_chromoscope_sample_new (const char *id,
                           const char *cancer,
                           const char *assembly)
{
  GkChromoscopeSample *sample = g_new0 (GkChromoscopeSample, 1);

  sample->fields[FIELD_ID] = g_strdup (id);
  sample->fields[FIELD_CANCER] = g_strdup (cancer);
  sample->fields[FIELD_ASSEMBLY] = g_strdup (assembly);
  return sample;
}

void
gk_chromoscope_sample_free (GkChromoscopeSample *sample)
{
  if (sample == NULL)
    return;
  for (int i = 0; i < N_FIELDS; i++)
    g_free (sample->fields[i]);
  g_free (sample);
}

const char *
gk_chromoscope_sample_get (const GkChromoscopeSample *sample,
                           const char                *key)
{
  int i = field_index (key);

  return i < 0 ? NULL : sample->fields[i];
}

void
gk_chromoscope_sample_set (GkChromoscopeSample *sample,
                           const char          *key,
                           const char          *value)
{
  int i = field_index (key);

  g_return_if_fail (i >= 0);
  g_free (sample->fields[i]);
  sample->fields[i] = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

guint
gk_chromoscope_sample_get_line (const GkChromoscopeSample *sample)
{
  return sample->line;
}

const char * const *
gk_chromoscope_file_keys (void)
{
  return file_keys;
}

const char *
gk_chromoscope_index_key_for (const char *file_key)
{
  if (g_strcmp0 (file_key, "bam") == 0)
    return "bai";
  if (g_strcmp0 (file_key, "vcf") == 0)
    return "vcfIndex";
  if (g_strcmp0 (file_key, "vcf2") == 0)
    return "vcf2Index";
  return NULL;
}

gboolean
gk_chromoscope_assembly_is_valid (const char  *assembly,
                                  GError     **error)
{
  if (g_strcmp0 (assembly, "hg19") == 0 || g_strcmp0 (assembly, "hg38") == 0)
    return TRUE;
  g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_ASSEMBLY,
               _("The assembly “%s” is not one Chromoscope shows: use hg19 or hg38."),
               assembly ? assembly : "");
  return FALSE;
}

/* Chromoscope's slot for a kind of data it shows, whether or not it can
 * read this particular form of it. */
static const char *
slot_for (const char          *name,
          const GkGenomicFile *info)
{
  g_autofree char *lower = NULL;

  if (info->format == GK_GENOMIC_FORMAT_BEDPE)
    return "sv";
  if (info->format == GK_GENOMIC_FORMAT_COPY_NUMBER)
    return "cnv";
  if (info->format == GK_GENOMIC_FORMAT_DRIVERS)
    return "drivers";
  if (info->format == GK_GENOMIC_FORMAT_BAM || info->format == GK_GENOMIC_FORMAT_CRAM)
    return "bam";
  if (info->format != GK_GENOMIC_FORMAT_VCF)
    return NULL;
  /* Chromoscope shows point mutations (vcf) and indels (vcf2) apart. */
  lower = g_ascii_strdown (gk_genomic_file_base_name (name), -1);
  return strstr (lower, "indel") != NULL ? "vcf2" : "vcf";
}

/**
 * gk_chromoscope_classify:
 *
 * Returns: (nullable): the sample key @name belongs under; %NULL for
 *   indexes and unrelated files, and with @error set for data Chromoscope
 *   shows but cannot read in this form (CRAM, plain VCF…)
 */
const char *
gk_chromoscope_classify (const char  *name,
                         GError     **error)
{
  const GkGenomicFile *info = gk_genomic_file_classify (name);
  const char *slot = slot_for (name, info);

  if (slot == NULL || !gk_genomic_file_viewer_reads (name, GK_VIEWER_CHROMOSCOPE, error))
    return NULL;
  return slot;
}

gboolean
gk_chromoscope_sample_validate (const GkChromoscopeSample  *sample,
                                GError                    **error)
{
  if (sample->fields[FIELD_ID] == NULL)
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_INVALID,
                   _("A sample has no id."));
      return FALSE;
    }
  if (sample->fields[FIELD_CANCER] == NULL)
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_INVALID,
                   _("Sample “%s” has no cancer type; Chromoscope shows it on the sample card."),
                   sample->fields[FIELD_ID]);
      return FALSE;
    }
  if (!gk_chromoscope_assembly_is_valid (sample->fields[FIELD_ASSEMBLY], error))
    return FALSE;
  /* Chromoscope builds every sample's view around its structural
   * variants: without them it shows a broken panel. */
  if (sample->fields[FIELD_SV] == NULL)
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_INVALID,
                   _("Sample “%s” has no structural variants (sv, a .bedpe file), which "
                     "Chromoscope needs for every sample. Add the sample’s BEDPE file."),
                   sample->fields[FIELD_ID]);
      return FALSE;
    }
  for (guint i = 0; file_keys[i] != NULL; i++)
    {
      const char *file = gk_chromoscope_sample_get (sample, file_keys[i]);
      const char *index_key = gk_chromoscope_index_key_for (file_keys[i]);
      const char *index = index_key ? gk_chromoscope_sample_get (sample, index_key) : NULL;

      if (file == NULL || !g_str_has_prefix (file, "s3://"))
        continue;
      /* The column says what a file is; a name that says a form
       * Chromoscope cannot read (CRAM, .bedpe.gz, plain VCF) is refused. */
      if (gk_genomic_file_classify (file)->format != GK_GENOMIC_FORMAT_UNKNOWN
          && !gk_genomic_file_viewer_reads (file, GK_VIEWER_CHROMOSCOPE, error))
        return FALSE;
      if (index != NULL && g_str_has_prefix (index, "s3://") && gk_genomic_file_classify (index)->is_index
          && !gk_genomic_file_index_is_usable (file, index, GK_VIEWER_CHROMOSCOPE, error))
        return FALSE;
    }
  return TRUE;
}

/* Manifests */

static gboolean
manifest_column_is_file (int field)
{
  return field == FIELD_SV || field == FIELD_CNV || field == FIELD_DRIVERS || field == FIELD_BAM
      || field == FIELD_BAI || field == FIELD_VCF || field == FIELD_VCF_INDEX
      || field == FIELD_VCF2 || field == FIELD_VCF2_INDEX;
}

/* Checks one row; appends "line N: problem" to @problems. */
static void
check_manifest_row (GkChromoscopeSample *sample,
                    GHashTable          *seen_ids,
                    GString             *problems)
{
  g_autoptr(GError) error = NULL;

  if (!gk_chromoscope_sample_validate (sample, &error))
    {
      g_string_append_printf (problems, _("line %u: %s\n"), sample->line, error->message);
      return;
    }
  for (int f = 0; f < N_FIELDS; f++)
    {
      const char *value = sample->fields[f];

      if (value == NULL || !manifest_column_is_file (f))
        continue;
      if (!g_str_has_prefix (value, "s3://"))
        {
          g_string_append_printf (problems,
                                  _("line %u: the %s column holds “%s”, which is not an s3:// URI.\n"),
                                  sample->line, field_names[f], value);
          return;
        }
    }
  if (g_hash_table_contains (seen_ids, sample->fields[FIELD_ID]))
    {
      g_string_append_printf (problems, _("line %u: the id “%s” is used twice.\n"),
                              sample->line, sample->fields[FIELD_ID]);
      return;
    }
  g_hash_table_add (seen_ids, sample->fields[FIELD_ID]);
}

/**
 * gk_chromoscope_parse_manifest:
 *
 * Reads a cohort manifest: tab-separated, a header row naming the columns
 * (id, cancer, assembly required; any of sv, cnv, drivers, bam, vcf, vcf2,
 * note, and optionally bai, vcfIndex, vcf2Index), one sample per row, empty
 * lines and lines starting with # ignored. Every bad row is reported, with
 * its line number.
 *
 * Returns: (transfer full) (element-type GkChromoscopeSample): the samples
 */
GPtrArray *
gk_chromoscope_parse_manifest (const char  *text,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_chromoscope_sample_free);
  g_autoptr(GHashTable) seen_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *copy = g_strndup (text, length < 0 ? strlen (text) : (gsize) length);
  g_auto(GStrv) lines = NULL;
  g_autofree int *columns = NULL;
  guint n_columns = 0;
  gboolean have_header = FALSE;

  if (!g_utf8_validate (copy, -1, NULL))
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST,
                   _("The manifest is not UTF-8 text."));
      return NULL;
    }

  lines = g_strsplit (copy, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      guint line_number = n + 1;
      char *line = lines[n];
      g_auto(GStrv) cells = NULL;
      guint n_cells;

      gsize line_length = strlen (line);

      /* Only the "\r" of Windows line ends: a trailing tab is an empty field. */
      if (line_length > 0 && line[line_length - 1] == '\r')
        line[line_length - 1] = '\0';
      if (*line == '\0' || *line == '#')
        continue;
      cells = g_strsplit (line, "\t", -1);
      n_cells = g_strv_length (cells);

      if (!have_header)
        {
          gboolean has[N_FIELDS] = { FALSE };

          have_header = TRUE;
          n_columns = n_cells;
          columns = g_new0 (int, n_columns);
          for (guint c = 0; c < n_columns; c++)
            {
              int f = field_index (g_strstrip (cells[c]));

              if (f < 0)
                {
                  g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST,
                               _("line %u: unknown column “%s”. The columns are id, cancer, "
                                 "assembly and any of sv, cnv, drivers, bam, vcf, vcf2, note, "
                                 "separated by tabs."), line_number, cells[c]);
                  return NULL;
                }
              if (has[f])
                {
                  g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST,
                               _("line %u: the column “%s” appears twice."), line_number, cells[c]);
                  return NULL;
                }
              has[f] = TRUE;
              columns[c] = f;
            }
          if (!has[FIELD_ID] || !has[FIELD_CANCER] || !has[FIELD_ASSEMBLY])
            {
              g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST,
                           _("line %u: the header must name the columns id, cancer and assembly "
                             "(tab-separated)."), line_number);
              return NULL;
            }
          continue;
        }

      if (n_cells != n_columns)
        {
          g_string_append_printf (problems,
                                  _("line %u: %u fields, but the header has %u columns (fields "
                                    "are separated by tabs).\n"),
                                  line_number, n_cells, n_columns);
          continue;
        }

      {
        g_autoptr(GkChromoscopeSample) sample = g_new0 (GkChromoscopeSample, 1);
        gsize before = problems->len;

        sample->line = line_number;
        for (guint c = 0; c < n_columns; c++)
          gk_chromoscope_sample_set (sample, field_names[columns[c]], g_strstrip (cells[c]));
        check_manifest_row (sample, seen_ids, problems);
        if (problems->len == before)
          g_ptr_array_add (samples, g_steal_pointer (&sample));
      }
    }

  if (problems->len > 0)
    {
      g_string_truncate (problems, problems->len - 1);
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_MANIFEST,
                   _("The manifest has problems:\n%s"), problems->str);
      return NULL;
    }
  if (samples->len == 0)
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_NO_SAMPLES,
                   _("The manifest has no samples: after the header row, add one tab-separated "
                     "row per sample."));
      return NULL;
    }
  return g_steal_pointer (&samples);
}

/* Samples from files */

static gboolean
put_file (GkChromoscopeSample  *sample,
          const char           *key,
          const char           *uri,
          GError              **error)
{
  const char *existing = gk_chromoscope_sample_get (sample, key);

  /* A second point-mutation VCF goes to the second VCF slot. */
  if (existing != NULL && g_str_equal (key, "vcf") && gk_chromoscope_sample_get (sample, "vcf2") == NULL)
    key = "vcf2";
  else if (existing != NULL)
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_INVALID,
                   _("Sample “%s” has two files for “%s” (%s and %s); Chromoscope shows one. "
                     "Pick one, or write a manifest."),
                   sample->fields[FIELD_ID], key, gk_genomic_file_base_name (existing), gk_genomic_file_base_name (uri));
      return FALSE;
    }
  gk_chromoscope_sample_set (sample, key, uri);
  return TRUE;
}

/**
 * gk_chromoscope_sample_from_uris:
 *
 * One sample from chosen s3:// files, each placed by its name.
 */
GkChromoscopeSample *
gk_chromoscope_sample_from_uris (const char          *id,
                                 const char          *cancer,
                                 const char          *assembly,
                                 const char * const  *uris,
                                 GError             **error)
{
  g_autoptr(GkChromoscopeSample) sample = gk_chromoscope_sample_new (id, cancer, assembly);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *key = gk_chromoscope_classify (uris[i], &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (key == NULL)
        {
          /* Says what Chromoscope shows instead. */
          gk_genomic_file_viewer_reads (uris[i], GK_VIEWER_CHROMOSCOPE, error);
          return NULL;
        }
      if (!put_file (sample, key, uris[i], error))
        return NULL;
    }
  if (!gk_chromoscope_sample_validate (sample, error))
    return NULL;
  return g_steal_pointer (&sample);
}

/**
 * gk_chromoscope_samples_from_folder:
 * @prefix: the folder, "" or ending in "/"
 * @keys: every key under @prefix
 *
 * A cohort from the layout `<prefix><sample id>/…`: each first-level folder
 * is a sample, its files placed by name; other files are left out.
 *
 * Returns: (transfer full) (element-type GkChromoscopeSample): the samples
 */
GPtrArray *
gk_chromoscope_samples_from_folder (const char          *bucket,
                                    const char          *prefix,
                                    const char * const  *keys,
                                    const char          *cancer,
                                    const char          *assembly,
                                    GError             **error)
{
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_chromoscope_sample_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  gsize prefix_length = prefix ? strlen (prefix) : 0;

  if (!gk_chromoscope_assembly_is_valid (assembly, error))
    return NULL;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *rest, *slash;
      g_autofree char *id = NULL;
      g_autofree char *uri = NULL;
      g_autoptr(GError) local_error = NULL;
      GkChromoscopeSample *sample;
      const char *key;

      if (!g_str_has_prefix (keys[i], prefix ? prefix : ""))
        continue;
      rest = keys[i] + prefix_length;
      slash = strchr (rest, '/');
      if (slash == NULL || slash == rest)
        continue; /* a file beside the sample folders */

      key = gk_chromoscope_classify (rest, &local_error);
      /* A plain VCF usually sits beside its bgzipped copy; a CRAM is the
       * sample's reads, which must not go missing silently. */
      if (local_error != NULL && gk_genomic_file_classify (rest)->format != GK_GENOMIC_FORMAT_VCF)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("In sample folder “%.*s”: "), (int) (slash - rest), rest);
          return NULL;
        }
      if (key == NULL)
        continue;

      id = g_strndup (rest, slash - rest);
      uri = g_strdup_printf ("s3://%s/%s", bucket, keys[i]);
      sample = g_hash_table_lookup (by_id, id);
      if (sample == NULL)
        {
          sample = gk_chromoscope_sample_new (id, cancer, assembly);
          g_ptr_array_add (samples, sample);
          g_hash_table_insert (by_id, sample->fields[FIELD_ID], sample);
        }
      if (!put_file (sample, key, uri, error))
        return NULL;
    }

  if (samples->len == 0)
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_NO_SAMPLES,
                   _("No sample folders with Chromoscope files under s3://%s/%s. Expected "
                     "<folder>/<sample id>/ holding .bedpe, …cnv….tsv, .bam or .vcf.gz files."),
                   bucket, prefix ? prefix : "");
      return NULL;
    }
  for (guint i = 0; i < samples->len; i++)
    if (!gk_chromoscope_sample_validate (samples->pdata[i], error))
      return NULL;
  return g_steal_pointer (&samples);
}

/* Output */

/* A JSON string: quotes, backslashes and control characters escaped,
 * UTF-8 kept as it is (JSON's own encoding). Runs of plain bytes go in one
 * append: a cohort's config is mostly signed links, megabytes of them. */
static void
append_json_string (GString    *out,
                    const char *s)
{
  const char *run = s;

  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, s - run);
      run = s + 1;
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
    }
  g_string_append_len (out, run, s - run);
  g_string_append_c (out, '"');
}

/**
 * gk_chromoscope_config_json:
 * @name: (nullable): the cohort's name; without it the config is a plain
 *   array of samples
 * @samples: (element-type GkChromoscopeSample)
 *
 * Written straight into one string, a sample per line: a 10,000-sample
 * cohort's config is some 80 MB of signed links, which a JSON tree would
 * copy twice more and escape byte by byte.
 *
 * Returns: (transfer full): the config Chromoscope reads from `external=`
 */
char *
gk_chromoscope_config_json (const char *name,
                            GPtrArray  *samples)
{
  GString *out;
  gsize size = 64 + (name != NULL ? strlen (name) : 0);

  for (guint i = 0; i < samples->len; i++)
    {
      const GkChromoscopeSample *sample = samples->pdata[i];

      for (int f = 0; f < N_FIELDS; f++)
        if (sample->fields[f] != NULL)
          size += strlen (sample->fields[f]) + 16;
      size += 8;
    }
  out = g_string_sized_new (size + size / 16);

  if (name != NULL)
    {
      g_string_append (out, "{\"name\": ");
      append_json_string (out, name);
      g_string_append (out, ", \"samples\": ");
    }
  g_string_append (out, "[\n");
  for (guint i = 0; i < samples->len; i++)
    {
      const GkChromoscopeSample *sample = samples->pdata[i];
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      for (int f = 0; f < N_FIELDS; f++)
        {
          if (sample->fields[f] == NULL)
            continue;
          if (!first)
            g_string_append (out, ", ");
          first = FALSE;
          append_json_string (out, field_names[f]);
          g_string_append (out, ": ");
          append_json_string (out, sample->fields[f]);
        }
      g_string_append (out, i + 1 < samples->len ? "},\n" : "}\n");
    }
  g_string_append_c (out, ']');
  if (name != NULL)
    g_string_append_c (out, '}');
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/**
 * gk_chromoscope_app_url:
 *
 * Chromoscope takes everything after `external=` as the link, raw: so it
 * goes last and is not percent-encoded again (its own %2F must stay).
 *
 * Returns: (transfer full): the URL that opens the config in Chromoscope
 */
char *
gk_chromoscope_app_url (const char *config_link)
{
  return g_strconcat (GK_CHROMOSCOPE_APP_URL "?external=", config_link, NULL);
}

/**
 * gk_chromoscope_first_file:
 *
 * Returns: (nullable): the first s3:// file of the first sample that has one
 */
const char *
gk_chromoscope_first_file (GPtrArray *samples)
{
  for (guint i = 0; i < samples->len; i++)
    for (guint k = 0; file_keys[k] != NULL; k++)
      {
        const char *value = gk_chromoscope_sample_get (samples->pdata[i], file_keys[k]);

        if (value != NULL && g_str_has_prefix (value, "s3://"))
          return value;
      }
  return NULL;
}

static char *
safe_file_part (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0' && out->len < 64; p++)
    g_string_append_c (out, (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.') ? *p : '-');
  return g_string_free (out, FALSE);
}

/**
 * gk_chromoscope_config_location:
 * @prefix: (nullable): the profile's chromoscope_prefix, "s3://bucket/folder/"
 *   or "bucket/folder/"; without it the config goes next to @data_uri
 * @data_uri: (nullable): an s3:// file of the cohort
 * @name: (nullable): the cohort's name, part of the file name
 * @now: Unix seconds, for a file name that does not overwrite older configs
 *
 * Decides where the config is uploaded.
 */
gboolean
gk_chromoscope_config_location (const char  *prefix,
                                const char  *data_uri,
                                const char  *name,
                                gint64       now,
                                char       **bucket,
                                char       **key,
                                GError     **error)
{
  g_autofree char *folder_bucket = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *part = safe_file_part (name ? name : "samples");
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (now);
  g_autofree char *stamp = g_date_time_format (time, "%Y%m%dT%H%M%SZ");

  if (prefix != NULL && *prefix != '\0')
    {
      const char *p = g_str_has_prefix (prefix, "s3://") ? prefix + 5 : prefix;
      const char *slash = strchr (p, '/');

      folder_bucket = slash ? g_strndup (p, slash - p) : g_strdup (p);
      folder = g_strdup (slash ? slash + 1 : "");
    }
  else if (data_uri != NULL)
    {
      g_autofree char *data_key = NULL;
      const char *slash;

      if (!gk_s3_parse_uri (data_uri, &folder_bucket, &data_key, error))
        return FALSE;
      slash = strrchr (data_key, '/');
      folder = slash ? g_strndup (data_key, slash - data_key + 1) : g_strdup ("");
    }
  else
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_NO_PLACE,
                   _("There is no file in S3 to put the config next to. Set chromoscope_prefix "
                     "in the profile."));
      return FALSE;
    }

  if (*folder_bucket == '\0')
    {
      g_set_error (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_INVALID,
                   _("chromoscope_prefix “%s” names no bucket; write it as s3://BUCKET/FOLDER/."),
                   prefix);
      return FALSE;
    }
  if (*folder != '\0' && !g_str_has_suffix (folder, "/"))
    {
      char *with_slash = g_strconcat (folder, "/", NULL);

      g_free (folder);
      folder = with_slash;
    }
  *bucket = g_steal_pointer (&folder_bucket);
  *key = g_strdup_printf ("%schromoscope-%s-%s.json", folder, part, stamp);
  return TRUE;
}

/**
 * gk_chromoscope_guess_sample_id:
 * @s3_uri: `s3://bucket/…/file`
 *
 * Labs keep a sample's files in a folder named after it, so the id is that
 * folder's name; a file at the top of a bucket gives its name without
 * extensions.
 *
 * Returns: (transfer full): a sample id
 */
char *
gk_chromoscope_guess_sample_id (const char *s3_uri)
{
  g_autofree char *path = NULL;
  char *slash;
  char *folder;
  char *dot;

  g_return_val_if_fail (s3_uri != NULL, NULL);

  path = g_strdup (g_str_has_prefix (s3_uri, "s3://") ? s3_uri + strlen ("s3://") : s3_uri);
  slash = strrchr (path, '/');
  if (slash == NULL)
    return g_strdup ("sample");
  *slash = '\0';
  folder = strrchr (path, '/');
  if (folder != NULL && folder[1] != '\0')
    return g_strdup (folder + 1);
  dot = strchr (slash + 1, '.');
  return dot ? g_strndup (slash + 1, dot - slash - 1) : g_strdup (slash + 1);
}
