/* fuzz-s3-xml.c: S3's XML answers — ListObjectsV2, ListBuckets, CORS rules
 * and <Error> documents — as a hostile or broken endpoint could send them
 *
 * Every input goes through all four parsers, as any answer can arrive for
 * any request. Checked: each parser either returns a whole result or fails
 * with a GK_S3_ERROR; what an error document says becomes a readable error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "gk-s3.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_list_objects (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3ListPage) page = gk_s3_parse_list_objects (body, &error);

  if (page == NULL)
    {
      fuzz_check_error (error, GK_S3_ERROR);
      return;
    }
  FUZZ_CHECK (error == NULL, "a page and an error");
  FUZZ_CHECK (page->objects != NULL && page->folders != NULL, "a page without its lists");
  for (guint i = 0; i < page->objects->len; i++)
    FUZZ_CHECK (((GkS3Object *) g_ptr_array_index (page->objects, i))->key != NULL,
                "an object without a key");
  for (guint i = 0; i < page->folders->len; i++)
    FUZZ_CHECK (g_ptr_array_index (page->folders, i) != NULL, "a NULL folder");
  FUZZ_CHECK (page->next_token == NULL || *page->next_token != '\0', "an empty continuation token");
}

static void
check_list_buckets (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) buckets = gk_s3_parse_list_buckets (body, &error);

  if (buckets == NULL)
    {
      fuzz_check_error (error, GK_S3_ERROR);
      return;
    }
  FUZZ_CHECK (error == NULL, "buckets and an error");
  for (guint i = 0; i < buckets->len; i++)
    FUZZ_CHECK (((GkS3Bucket *) g_ptr_array_index (buckets, i))->name != NULL, "a bucket without a name");
}

static void
check_cors (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = gk_s3_parse_cors (body, &error);

  if (rules == NULL)
    {
      fuzz_check_error (error, GK_S3_ERROR);
      return;
    }
  FUZZ_CHECK (error == NULL, "rules and an error");
  for (guint i = 0; i < rules->len; i++)
    {
      GkS3CorsRule *rule = g_ptr_array_index (rules, i);

      FUZZ_CHECK (rule->allowed_origins != NULL && rule->allowed_methods != NULL
                  && rule->allowed_headers != NULL && rule->expose_headers != NULL,
                  "a rule with a NULL list");
    }
}

static void
check_error_document (GBytes *body)
{
  g_autofree char *code = NULL, *message = NULL, *region = NULL;
  g_autoptr(GError) error = NULL;

  if (!gk_s3_parse_error (body, &code, &message, &region))
    return;
  /* What gk-s3.c does with an error answer: the user reads this. */
  error = gk_s3_error_new (403, code, message, GK_S3_ACTION_GET_OBJECT, "demo-lab", "cohort1/S1.bam");
  fuzz_check_error (error, GK_S3_ERROR);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);

  check_list_objects (body);
  check_list_buckets (body);
  check_cors (body);
  check_error_document (body);
  return 0;
}
