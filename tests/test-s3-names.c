/* test-s3-names.c: S3 bucket names, keys, s3:// addresses, key ranges and
 * where a request goes (virtual-hosted, path-style, custom endpoints)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-s3-names.h"
#include "gk-s3-error.h"

static void
test_bucket_names (void)
{
  const char *good[] = { "demo-lab", "lab.data.v2", "a1b", "123", "x-y-z.example" };
  const char *bad[] = { "ab", "Demo-lab", "lab_data", "-lab", "lab-", "la..b", "la.-b",
                        "192.168.1.1", "xn--lab", "lab-s3alias", "lab/x", "lab b", "",
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (gk_s3_bucket_name_is_valid (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (gk_s3_bucket_name_is_valid (bad[i], &error));
      g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_BUCKET_NAME);
      g_assert_nonnull (strstr (error->message, "bucket name"));
    }
}

static void
test_key_control_characters (void)
{
  const char *bad[] = { "a\nb.bam", "tab\there", "del\x7f", "cr\r", "\xff\xfe invalid utf8" };
  g_autofree char *long_key = g_strnfill (1025, 'k');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;

      g_assert_false (gk_s3_key_is_valid (bad[i], FALSE, &e));
      g_assert_error (e, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY);
    }
  g_assert_false (gk_s3_key_is_valid (long_key, FALSE, &error));
  g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY);
  g_clear_error (&error);
  g_assert_false (gk_s3_key_is_valid ("", FALSE, &error));
  g_assert_true (gk_s3_key_is_valid ("", TRUE, NULL));
  g_assert_true (gk_s3_key_is_valid ("a b/é+ü=ሴ/../x//y.bam", FALSE, NULL));
}

static void
test_parse_uri (void)
{
  g_autofree char *bucket = NULL, *key = NULL, *b2 = NULL, *k2 = NULL;
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
  char *b = NULL, *k = NULL;

  g_assert_true (gk_s3_parse_uri ("s3://demo-lab/a b//./../c%20.bam", &bucket, &key, NULL));
  g_assert_cmpstr (bucket, ==, "demo-lab");
  g_assert_cmpstr (key, ==, "a b//./../c%20.bam");
  g_assert_true (gk_s3_parse_uri ("s3://demo-lab", &b2, &k2, NULL));
  g_assert_cmpstr (k2, ==, "");

  g_assert_false (gk_s3_parse_uri ("https://demo-lab/x", &b, &k, &e1));
  g_assert_error (e1, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI);
  g_assert_false (gk_s3_parse_uri ("s3://Demo_Lab/x", &b, &k, &e2));
  g_assert_error (e2, GK_S3_ERROR, GK_S3_ERROR_INVALID_BUCKET_NAME);
  g_assert_false (gk_s3_parse_uri ("s3://demo-lab/a\nb", &b, &k, &e3));
  g_assert_error (e3, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY);
  g_assert_null (b);
  g_assert_null (k);
}

static void
test_split_object_uri (void)
{
  char bucket[GK_S3_BUCKET_NAME_MAX + 1];
  const char *key = NULL;
  g_autofree char *longest = g_strdup_printf ("s3://%s/k", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk");
  g_autofree char *too_long = g_strdup_printf ("s3://%s/k", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl");
  const char *uri = "S3://demo-lab/a b//./../c%20.bam";
  GError *error = NULL;

  g_assert_true (gk_s3_split_object_uri (uri, bucket, &key, NULL));
  g_assert_cmpstr (bucket, ==, "demo-lab");
  g_assert_true (key == uri + strlen ("S3://demo-lab/"));
  g_assert_true (gk_s3_split_object_uri ("s3://demo-lab/", bucket, &key, NULL));
  g_assert_cmpstr (key, ==, "");
  g_assert_true (gk_s3_split_object_uri (longest, bucket, &key, NULL));
  g_assert_cmpuint (strlen (bucket), ==, GK_S3_BUCKET_NAME_MAX);

  for (guint i = 0; i < 3; i++)
    {
      const char *bad[] = { "s3://demo-lab", "https://demo-lab/x", too_long };

      g_assert_false (gk_s3_split_object_uri (bad[i], bucket, &key, &error));
      g_assert_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI);
      g_assert_cmpstr (error->message, ==, "Not an S3 object address. Use s3://BUCKET/KEY.");
      g_clear_error (&error);
    }
}

static void
test_targets (void)
{
  struct { const char *endpoint, *region, *bucket, *key, *scheme, *host, *path; } cases[] = {
    { NULL, "eu-west-2", "demo-lab", "a/b.bam", "https", "demo-lab.s3.eu-west-2.amazonaws.com", "/a/b.bam" },
    { NULL, "us-east-1", "demo-lab", NULL, "https", "demo-lab.s3.us-east-1.amazonaws.com", "/" },
    { NULL, "eu-west-2", "lab.data", "x", "https", "s3.eu-west-2.amazonaws.com", "/lab.data/x" },
    { NULL, "eu-west-2", NULL, NULL, "https", "s3.eu-west-2.amazonaws.com", "/" },
    { "http://127.0.0.1:9000", "us-east-1", "demo-lab", "/lead", "http", "127.0.0.1:9000", "/demo-lab//lead" },
    { "https://minio.lab.org/s3/", "us-east-1", "demo-lab", NULL, "https", "minio.lab.org", "/s3/demo-lab" },
    { "http://[::1]:4566", "us-east-1", "b-1", "k", "http", "[::1]:4566", "/b-1/k" },
    { "https://s3.lab.org:443", "us-east-1", "b-1", "k", "https", "s3.lab.org", "/b-1/k" },
    { "http://[::1]/", "us-east-1", "b-1", "k", "http", "[::1]", "/b-1/k" },
    { "http://localhost:80/", "us-east-1", "b-1", "k", "http", "localhost", "/b-1/k" },
    { "https://s3.lab.org:8443", "us-east-1", "b-1", "k", "https", "s3.lab.org:8443", "/b-1/k" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *scheme = NULL, *host = NULL, *path = NULL;

      g_assert_true (gk_s3_build_target (cases[i].endpoint, cases[i].region, cases[i].bucket,
                                         cases[i].key, &scheme, &host, &path, NULL));
      g_assert_cmpstr (scheme, ==, cases[i].scheme);
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpstr (path, ==, cases[i].path);
    }
  g_assert_true (gk_s3_uses_path_style ("lab.data", NULL));
  g_assert_false (gk_s3_uses_path_style ("lab-data", NULL));
  g_assert_true (gk_s3_uses_path_style ("lab-data", "http://127.0.0.1:1"));
}

/* Listing a range of keys: the prefix every key between two shares, and a
 * StartAfter that still lists the first; neither cuts a character. */
static void
test_key_ranges (void)
{
  struct { const char *a, *b, *prefix; } prefixes[] = {
    { "cohort/S00001/S00001.bam.bai", "cohort/S00100/S00100.vcf.gz.tbi", "cohort/S00" },
    { "c/x.bai", "c/x.bam.bai", "c/x.ba" },
    { "a", "b", "" },
    { "same", "same", "same" },
    /* "é" is C3 A9 and "è" C3 A8: they share a byte, not a character. */
    { "c/é.bam", "c/è.bam", "c/" },
    { "c/Ünï.bai", "c/Ünï.bam.bai", "c/Ünï.ba" },
  };
  struct { const char *key, *before; } befores[] = {
    { "c/S1.bam.bai", "c/S1.bam.ba" },
    { "c/S1/", "c/S1" },
    { "c/ü", "c/" },
    { "c/🧬", "c/" },
    { "x", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *p = gk_s3_key_common_prefix (prefixes[i].a, prefixes[i].b);

      g_assert_cmpstr (p, ==, prefixes[i].prefix);
      g_assert_true (g_utf8_validate (p, -1, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (befores); i++)
    {
      g_autofree char *b = gk_s3_key_before (befores[i].key);

      g_assert_cmpstr (b, ==, befores[i].before);
      /* It sorts before the key, so a listing from it lists the key. */
      if (b != NULL)
        g_assert_cmpint (strcmp (b, befores[i].key), <, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/s3/bucket-name/rules", test_bucket_names);
  g_test_add_func ("/s3/key/control-characters-refused", test_key_control_characters);
  g_test_add_func ("/s3/uri/parse-literal-keys", test_parse_uri);
  g_test_add_func ("/s3/uri/split-object-without-allocating", test_split_object_uri);
  g_test_add_func ("/s3/key/range-prefix-and-start-after", test_key_ranges);
  g_test_add_func ("/s3/target/virtual-path-endpoint", test_targets);

  return g_test_run ();
}
