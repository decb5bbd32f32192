/* gk-cli-ls.c: genokey ls [s3://BUCKET/PREFIX/] [--profile NAME|env] [--json]
 *
 * Without an address: the buckets (the profile's list, or ListBuckets).
 * With one: the folders and objects right under the prefix, every page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gk-cli-commands.h"
#include "gk-cli-progress.h"

static char *
format_local (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return g_strdup ("                ");
  utc = g_date_time_new_from_unix_utc (unix_time);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
format_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (unix_time <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (unix_time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  /* json-glib escapes C0 controls in strings but not DEL or C1, which a
   * terminal showing the JSON would still obey; as \u escapes they are
   * the same JSON. Outside strings there are none. */
  {
    GString *json = g_string_new (NULL);

    for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar u = g_utf8_get_char (p);

        if (u == 0x7f || (u >= 0x80 && u <= 0x9f))
          g_string_append_printf (json, "\\u%04x", u);
        else
          g_string_append_len (json, p, g_utf8_next_char (p) - p);
      }
    printf ("%s\n", json->str);
    g_string_free (json, TRUE);
  }
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       unix_time)
{
  g_autofree char *s = format_utc (unix_time);

  json_builder_set_member_name (b, name);
  if (s != NULL)
    json_builder_add_string_value (b, s);
  else
    json_builder_add_null_value (b);
}

static int
list_buckets (GkCli      *cli,
              GkS3Client *client,
              gboolean    json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) buckets = NULL;
  g_autoptr(GError) error = NULL;

  gk_s3_client_list_buckets_async (client, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  buckets = gk_s3_client_list_buckets_finish (client, result, &error);
  if (buckets == NULL)
    return gk_cli_fail (cli, error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "buckets");
      json_builder_begin_array (b);
      for (guint i = 0; i < buckets->len; i++)
        {
          GkS3Bucket *bucket = g_ptr_array_index (buckets, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, bucket->name);
          json_builder_set_member_name (b, "prefix");
          if (bucket->prefix != NULL)
            json_builder_add_string_value (b, bucket->prefix);
          else
            json_builder_add_null_value (b);
          add_time (b, "created", bucket->created);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      print_json (b);
      return GK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < buckets->len; i++)
    {
      GkS3Bucket *bucket = g_ptr_array_index (buckets, i);
      g_autofree char *date = format_local (bucket->created);

      g_autofree char *shown = gk_cli_escape_controls (bucket->prefix != NULL ? bucket->prefix : "", FALSE);

      printf ("%s  s3://%s/%s\n", date, bucket->name, shown);
    }
  if (buckets->len == 0)
    gk_cli_notice (cli, _("No buckets. Ask your lab admin which bucket to use, then: genokey ls s3://BUCKET/"));
  return GK_CLI_EXIT_OK;
}

static int
compare_objects (gconstpointer a,
                 gconstpointer b)
{
  const GkS3Object *oa = *(GkS3Object **) a, *ob = *(GkS3Object **) b;

  return strcmp (oa->key, ob->key);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
on_list_progress_cb (guint    n_entries,
                     gpointer user_data)
{
  /* The total is not known until the last page. */
  gk_cli_progress_update (user_data, n_entries, 0);
}

static int
list_prefix (GkCli      *cli,
             GkS3Client *client,
             const char *bucket,
             const char *prefix,
             gboolean    json,
             gboolean    quiet)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkS3ListPage) page = NULL;
  g_autoptr(GkCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  gsize strip;

  progress = gk_cli_progress_new (cli, _("Listing"), quiet);
  gk_s3_client_list_objects_with_progress_async (client, bucket, prefix, "/", on_list_progress_cb,
                                                 progress, gk_cli_get_cancellable (cli),
                                                 gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  g_clear_pointer (&progress, gk_cli_progress_free);
  page = gk_s3_client_list_objects_finish (client, result, &error);
  if (page == NULL)
    return gk_cli_fail (cli, error);

  g_ptr_array_sort (page->folders, compare_strings);
  g_ptr_array_sort (page->objects, compare_objects);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "bucket");
      json_builder_add_string_value (b, bucket);
      json_builder_set_member_name (b, "prefix");
      json_builder_add_string_value (b, prefix);
      json_builder_set_member_name (b, "folders");
      json_builder_begin_array (b);
      for (guint i = 0; i < page->folders->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (page->folders, i));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "objects");
      json_builder_begin_array (b);
      for (guint i = 0; i < page->objects->len; i++)
        {
          GkS3Object *o = g_ptr_array_index (page->objects, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "key");
          json_builder_add_string_value (b, o->key);
          json_builder_set_member_name (b, "size");
          json_builder_add_int_value (b, (gint64) o->size);
          add_time (b, "last_modified", o->last_modified);
          json_builder_set_member_name (b, "etag");
          if (o->etag != NULL)
            json_builder_add_string_value (b, o->etag);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      print_json (b);
      return GK_CLI_EXIT_OK;
    }

  /* Names relative to the prefix's folder, as `aws s3 ls` shows them. */
  strip = strrchr (prefix, '/') != NULL ? (gsize) (strrchr (prefix, '/') - prefix + 1) : 0;
  for (guint i = 0; i < page->folders->len; i++)
    {
      const char *folder = g_ptr_array_index (page->folders, i);
      g_autofree char *shown = gk_cli_escape_controls (strlen (folder) >= strip ? folder + strip : folder, FALSE);

      printf ("%-16s  %10s  %s\n", "", _("folder"), shown);
    }
  for (guint i = 0; i < page->objects->len; i++)
    {
      GkS3Object *o = g_ptr_array_index (page->objects, i);
      g_autofree char *date = format_local (o->last_modified);
      g_autofree char *size = g_format_size (o->size);
      /* A key shared in a bucket can hold terminal controls. */
      g_autofree char *shown = gk_cli_escape_controls (strlen (o->key) >= strip ? o->key + strip : o->key, FALSE);

      printf ("%s  %10s  %s\n", date, size, shown);
    }
  if (page->folders->len == 0 && page->objects->len == 0)
    gk_cli_notice (cli, _("Nothing under s3://%s/%s"), bucket, prefix);
  return GK_CLI_EXIT_OK;
}

void
gk_cli_ls_add_options (GOptionContext *context,
                       gpointer        options)
{
  GkCliLsOptions *o = options;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  gk_cli_progress_add_option (context, &o->quiet);
}

void
gk_cli_ls_clear_options (gpointer options)
{
  GkCliLsOptions *o = options;

  g_clear_pointer (&o->bucket, g_free);
  g_clear_pointer (&o->prefix, g_free);
}

int
gk_cli_ls_check (GkCli    *cli,
                 gpointer  options,
                 int       argc,
                 char    **argv)
{
  GkCliLsOptions *o = options;
  g_autoptr(GError) error = NULL;

  if (argc > 2)
    return gk_cli_usage_error (cli, _("Give at most one s3:// address."));
  if (argc == 2 && !gk_s3_parse_uri (argv[1], &o->bucket, &o->prefix, &error))
    return gk_cli_usage_error (cli, "%s", error->message);
  return GK_CLI_EXIT_OK;
}

int
gk_cli_ls_run (GkCli    *cli,
               gpointer  options,
               int       argc,
               char    **argv)
{
  GkCliLsOptions *o = options;
  GkS3Client *client = gk_cli_get_s3_client (cli);

  if (o->bucket == NULL)
    return list_buckets (cli, client, o->json);
  return list_prefix (cli, client, o->bucket, o->prefix, o->json, o->quiet);
}
