/* fuzz-chromoscope-manifest.c: a cohort manifest (TSV) as a lab member
 * writes it, or as it arrives in a shared folder
 *
 * Checked: a manifest gives samples that each have an id (unique), a
 * cancer type, hg19 or hg38 and only s3:// addresses for files, and a
 * Chromoscope config that is JSON with one object per sample; or a
 * readable GK_CHROMOSCOPE_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gk-chromoscope.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_config (GPtrArray  *samples,
              const char *name)
{
  g_autofree char *json = gk_chromoscope_config_json (name, samples);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonArray *array;

  fuzz_check_text (json, "the config");
  FUZZ_CHECK (json_parser_load_from_data (parser, json, -1, &error), "the config is not JSON: %s",
              error->message);
  root = json_parser_get_root (parser);
  if (name != NULL)
    {
      FUZZ_CHECK (JSON_NODE_HOLDS_OBJECT (root), "a named config that is not an object");
      root = json_object_get_member (json_node_get_object (root), "samples");
    }
  FUZZ_CHECK (root != NULL && JSON_NODE_HOLDS_ARRAY (root), "a config without a list of samples");
  array = json_node_get_array (root);
  FUZZ_CHECK (json_array_get_length (array) == samples->len, "%u samples became %u in the config",
              samples->len, json_array_get_length (array));
  for (guint i = 0; i < samples->len; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      FUZZ_CHECK (g_strcmp0 (json_object_get_string_member_with_default (object, "id", NULL),
                             gk_chromoscope_sample_get (samples->pdata[i], "id")) == 0,
                  "sample %u changed its id in the config", i);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = gk_chromoscope_parse_manifest ((const char *) data, size, &error);
  g_autoptr(GHashTable) ids = NULL;

  if (samples == NULL)
    {
      fuzz_check_error (error, GK_CHROMOSCOPE_ERROR);
      return 0;
    }
  FUZZ_CHECK (error == NULL && samples->len > 0, "a manifest without samples or with an error");

  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < samples->len; i++)
    {
      GkChromoscopeSample *sample = samples->pdata[i];
      const char *id = gk_chromoscope_sample_get (sample, "id");
      const char *assembly = gk_chromoscope_sample_get (sample, "assembly");
      const char * const *keys = gk_chromoscope_file_keys ();

      FUZZ_CHECK (id != NULL && *id != '\0', "a sample without an id");
      FUZZ_CHECK (g_hash_table_add (ids, (gpointer) id), "the id “%s” twice", id);
      FUZZ_CHECK (gk_chromoscope_sample_get (sample, "cancer") != NULL, "a sample without a cancer type");
      FUZZ_CHECK (g_strcmp0 (assembly, "hg19") == 0 || g_strcmp0 (assembly, "hg38") == 0,
                  "the assembly “%s”", assembly ? assembly : "(none)");
      FUZZ_CHECK (gk_chromoscope_sample_validate (sample, NULL), "a sample that does not validate");
      for (guint k = 0; keys[k] != NULL; k++)
        {
          const char *file = gk_chromoscope_sample_get (sample, keys[k]);

          FUZZ_CHECK (file == NULL || g_str_has_prefix (file, "s3://"), "%s is “%s”, not s3://",
                      keys[k], file);
        }
    }
  check_config (samples, NULL);
  check_config (samples, "Cohort 1");
  return 0;
}
