/* pairing-tool.c: links for s3:// files, by single lookups or as a batch,
 * for tests/integration/cohorts.test.mjs
 *
 *   pairing-tool single|batch|batch-head [--proxy-base URL] [--expires S] < uris
 *   pairing-tool tree s3://BUCKET/PREFIX/
 *
 * --proxy-base gives the linker a minter whose links are URL/BUCKET/KEY:
 * the same in every run, so two runs' links can be compared as they are
 * (gateway links carry a capability from a secret of the running gateway).
 *
 * `single` asks gk_linker_sign_async() for each file in turn (one HEAD per
 * index name, as `genokey presign --with-index` does for one file);
 * `batch` asks a GkLinkBatch for all (indexes paired from listings);
 * `batch-head` the batch with HEAD only. Each writes one JSON line per
 * input line: {uri, key, index_key, url, index_url} or {uri, error:
 * {domain, code, message}}, and on stderr the S3 requests counted by the
 * batch. Credentials and the endpoint come from the standard AWS variables.
 * `tree` lists every key under the prefix with gk_s3_tree_list_async()
 * (listings side by side) and prints them sorted, one per line.
 * A test program, not part of genokey.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gk-env-credentials.h"
#include "gk-link-batch.h"
#include "gk-s3-tree.h"
#include "gk-sigv4.h"
#include "gk-test.h"

/* A link minter of fixed-form links. */
#define TEST_TYPE_PREFIX_MINTER (test_prefix_minter_get_type ())
G_DECLARE_FINAL_TYPE (TestPrefixMinter, test_prefix_minter, TEST, PREFIX_MINTER, GObject)

struct _TestPrefixMinter
{
  GObject parent_instance;
  char *base;
};

static void test_prefix_minter_iface_init (GkLinkMinterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestPrefixMinter, test_prefix_minter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_LINK_MINTER, test_prefix_minter_iface_init))

static void
prefix_mint_async (GkLinkMinter        *minter,
                   const char * const  *uris,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  TestPrefixMinter *self = TEST_PREFIX_MINTER (minter);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autofree char *bucket = NULL, *key = NULL;
      GString *out = g_string_new (self->base);

      g_assert_true (gk_s3_parse_uri (uris[i], &bucket, &key, NULL));
      g_string_append_c (out, '/');
      gk_sigv4_uri_encode (out, bucket, -1, FALSE);
      g_string_append_c (out, '/');
      gk_sigv4_uri_encode (out, key, -1, TRUE);
      g_ptr_array_add (links, g_string_free (out, FALSE));
    }
  g_ptr_array_add (links, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (links, NULL), (GDestroyNotify) g_strfreev);
}

static GStrv
prefix_mint_finish (GkLinkMinter  *minter,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_prefix_minter_iface_init (GkLinkMinterInterface *iface)
{
  iface->mint_async = prefix_mint_async;
  iface->mint_finish = prefix_mint_finish;
}

static void
test_prefix_minter_finalize (GObject *object)
{
  g_free (TEST_PREFIX_MINTER (object)->base);
  G_OBJECT_CLASS (test_prefix_minter_parent_class)->finalize (object);
}

static void
test_prefix_minter_class_init (TestPrefixMinterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_prefix_minter_finalize;
}

static void
test_prefix_minter_init (TestPrefixMinter *self)
{
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
print_result (const char   *uri,
              GkLink       *link,
              const GError *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uri");
  json_builder_add_string_value (b, uri);
  if (link != NULL)
    {
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, link->key);
      json_builder_set_member_name (b, "index_key");
      json_builder_add_string_value (b, link->index_key);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, link->url);
      json_builder_set_member_name (b, "index_url");
      json_builder_add_string_value (b, link->index_url);
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, g_quark_to_string (error->domain));
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, error->code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error->message);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  printf ("%s\n", text);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkEnvCredentials) source = NULL;
  g_autoptr(GkS3Client) client = NULL;
  g_autoptr(GkLinker) linker = NULL;
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *proxy_base = NULL;
  gint64 expires = 3600;
  char line[8192];
  const char *mode;
  GOptionEntry entries[] = {
    { "proxy-base", 0, 0, G_OPTION_ARG_STRING, &proxy_base, "Make fixed-form links URL/BUCKET/KEY", "URL" },
    { "expires", 0, 0, G_OPTION_ARG_INT64, &expires, "Link lifetime", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("single|batch|batch-head");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      fprintf (stderr, "usage: pairing-tool single|batch|batch-head [--proxy-base URL] < uris\n");
      return 2;
    }
  mode = argv[1];

  source = gk_env_credentials_new (NULL, &error);
  if (source == NULL)
    {
      fprintf (stderr, "pairing-tool: %s\n", error->message);
      return 1;
    }
  client = gk_s3_client_new (GK_CREDENTIAL_SOURCE (source), gk_env_credentials_get_region (source),
                             gk_env_credentials_get_endpoint (source), NULL);
  linker = gk_linker_new (client);
  if (proxy_base != NULL)
    {
      g_autoptr(TestPrefixMinter) minter = g_object_new (TEST_TYPE_PREFIX_MINTER, NULL);

      minter->base = g_strdup (proxy_base);
      gk_linker_set_minter (linker, GK_LINK_MINTER (minter));
    }

  if (g_str_equal (mode, "tree"))
    {
      g_autofree char *bucket = NULL, *prefix = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GkS3ListPage) page = NULL;
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();

      if (argc != 3 || !gk_s3_parse_uri (argv[2], &bucket, &prefix, &error))
        {
          fprintf (stderr, "usage: pairing-tool tree s3://BUCKET/PREFIX/\n");
          return 2;
        }
      gk_s3_tree_list_async (client, bucket, prefix, NULL, NULL, NULL, gk_test_store_result_cb, &result);
      page = gk_s3_tree_list_finish (gk_test_wait_for_result (&result), &error);
      if (page == NULL)
        {
          fprintf (stderr, "pairing-tool: %s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < page->objects->len; i++)
        g_ptr_array_add (keys, ((GkS3Object *) page->objects->pdata[i])->key);
      g_ptr_array_sort (keys, compare_keys);
      for (guint i = 0; i < keys->len; i++)
        printf ("%s\n", (char *) keys->pdata[i]);
      return 0;
    }

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_strchomp (line);
      if (line[0] != '\0')
        g_ptr_array_add (uris, g_strdup (line));
    }

  if (g_str_equal (mode, "single"))
    {
      for (guint i = 0; i < uris->len; i++)
        {
          g_autofree char *bucket = NULL, *key = NULL;
          g_autoptr(GAsyncResult) result = NULL;
          g_autoptr(GkLink) link = NULL;
          g_autoptr(GError) e = NULL;

          if (gk_s3_parse_uri (uris->pdata[i], &bucket, &key, &e))
            {
              gk_linker_sign_async (linker, bucket, key, expires, GK_LINK_WITH_INDEX, NULL,
                                    gk_test_store_result_cb, &result);
              link = gk_linker_sign_finish (linker, gk_test_wait_for_result (&result), &e);
            }
          print_result (uris->pdata[i], link, e);
        }
      return 0;
    }

  if (g_str_equal (mode, "batch") || g_str_equal (mode, "batch-head"))
    {
      g_autoptr(GkLinkBatch) batch = gk_link_batch_new (linker, expires);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (gint));

      gk_link_batch_set_use_listings (batch, g_str_equal (mode, "batch"));
      for (guint i = 0; i < uris->len; i++)
        {
          g_autofree char *bucket = NULL, *key = NULL;
          gint slot = -1;

          if (gk_s3_parse_uri (uris->pdata[i], &bucket, &key, NULL))
            slot = (gint) gk_link_batch_add (batch, bucket, key, GK_LINK_WITH_INDEX);
          g_array_append_val (slots, slot);
        }
      gk_link_batch_sign_async (batch, NULL, gk_test_store_result_cb, &result);
      if (!gk_link_batch_sign_finish (batch, gk_test_wait_for_result (&result), &error))
        {
          fprintf (stderr, "pairing-tool: %s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < uris->len; i++)
        {
          g_autofree char *bucket = NULL, *key = NULL;
          g_autoptr(GkLink) link = NULL;
          g_autoptr(GError) e = NULL;
          gint slot = g_array_index (slots, gint, i);

          if (slot < 0)
            gk_s3_parse_uri (uris->pdata[i], &bucket, &key, &e);
          else
            link = gk_link_batch_get_link (batch, (guint) slot, &e);
          print_result (uris->pdata[i], link, e);
        }
      fprintf (stderr, "requests: %u\n", gk_link_batch_get_n_requests (batch));
      return 0;
    }

  fprintf (stderr, "pairing-tool: unknown mode %s\n", mode);
  return 2;
}
