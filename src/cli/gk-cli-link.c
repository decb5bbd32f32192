/* gk-cli-link.c: genokey link s3://BUCKET/KEY…|- [--with-index] [--json]
 *
 * Prints gateway links: http://127.0.0.1:PORT/<capability>/<bucket>/<key>,
 * which work as long as the profile stays signed in (across renewals,
 * sleep and restarts) and stop at its sign-out. They come from the running
 * Genokey's gateway, which D-Bus starts when none runs. The output has the
 * shape of `presign`'s: one link per line (its index link on the next), or
 * one JSON object per file; with "-" one result per input line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "gk-cli-commands.h"
#include "gk-cli-gateway.h"
#include "gk-link-batch.h"

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = NULL;

  json_node_set_string (node, s);
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
}

static GPtrArray *
read_addresses (GkCli  *cli,
                int     argc,
                char  **argv)
{
  GPtrArray *uris = g_ptr_array_new_with_free_func (g_free);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  if (argc != 2 || !g_str_equal (argv[1], "-"))
    {
      for (int i = 1; i < argc; i++)
        g_ptr_array_add (uris, g_strdup (argv[i]));
      return uris;
    }
  while ((n = getline (&line, &cap, stdin)) >= 0)
    {
      while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
      if (n > 0)
        g_ptr_array_add (uris, g_strdup (line));
    }
  free (line);
  return uris;
}

void
gk_cli_link_add_options (GOptionContext *context,
                         gpointer        options)
{
  GkCliLinkOptions *o = options;
  const GOptionEntry entries[] = {
    { "with-index", 'i', 0, G_OPTION_ARG_NONE, &o->with_index,
      N_("Also link the index (.bai, .crai, .tbi, .csi); an error if there is none"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
      N_("Print {url, index_url} as JSON, one object per line"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

int
gk_cli_link_check (GkCli    *cli,
                   gpointer  options,
                   int       argc,
                   char    **argv)
{
  if (argc < 2)
    return gk_cli_usage_error (cli, _("Give one or more s3://BUCKET/KEY addresses, or “-” to read them from stdin."));
  return GK_CLI_EXIT_OK;
}

int
gk_cli_link_run (GkCli    *cli,
                 gpointer  options,
                 int       argc,
                 char    **argv)
{
  GkCliLinkOptions *o = options;
  g_autoptr(GkLinker) linker = gk_linker_new (gk_cli_get_s3_client (cli));
  g_autoptr(GkLinkBatch) batch = NULL;
  g_autoptr(GPtrArray) uris = read_addresses (cli, argc, argv);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint failures = 0;

  if (!gk_cli_use_gateway (cli, linker, FALSE, &error))
    return gk_cli_fail (cli, error);

  /* All at once: the indexes found together, the links minted in one
   * call. (Gateway links have no lifetime; the batch's is not used.) */
  batch = gk_link_batch_new (linker, 3600);
  for (guint i = 0; i < uris->len; i++)
    {
      g_autofree char *bucket = NULL, *key = NULL;

      if (!gk_s3_parse_uri (uris->pdata[i], &bucket, &key, NULL))
        bucket = g_strdup (""), key = g_strdup ("");
      gk_link_batch_add (batch, bucket, key, o->with_index ? GK_LINK_WITH_INDEX : GK_LINK_FLAGS_NONE);
    }
  gk_link_batch_sign_async (batch, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  if (!gk_link_batch_sign_finish (batch, result, &error))
    return gk_cli_fail (cli, error);

  for (guint i = 0; i < uris->len; i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(GkLink) link = NULL;
      g_autofree char *bucket = NULL, *key = NULL;

      /* A malformed address says so in its own words, not the batch's. */
      if (!gk_s3_parse_uri (uris->pdata[i], &bucket, &key, &e) || !gk_s3_key_is_valid (key, FALSE, &e))
        link = NULL;
      else
        link = gk_link_batch_get_link (batch, i, &e);
      if (link == NULL)
        {
          g_autofree char *hint = gk_cli_dup_hint (cli, e);
          g_autofree char *safe = gk_cli_escape_controls (e->message, TRUE);
          g_autofree char *safe_uri = gk_cli_escape_controls (uris->pdata[i], FALSE);

          failures++;
          /* As gk_cli_fail (), per address. */
          fprintf (stderr, "genokey link: %s: %s%s%s\n", safe_uri, safe, hint != NULL ? " " : "",
                   hint != NULL ? hint : "");
          /* One result per address, so scripts can pair them up. */
          if (o->json)
            {
              g_string_append (out, "{\"error\":");
              append_json_string (out, e->message);
              g_string_append (out, "}\n");
            }
          else if (uris->len > 1)
            g_string_append_c (out, '\n');
          continue;
        }
      if (o->json)
        {
          g_string_append (out, "{\"url\":");
          append_json_string (out, link->url);
          g_string_append (out, ",\"index_url\":");
          if (link->index_url != NULL)
            append_json_string (out, link->index_url);
          else
            g_string_append (out, "null");
          g_string_append (out, "}\n");
        }
      else if (uris->len > 1)
        g_string_append_printf (out, "%s %s\n", link->url, link->index_url != NULL ? link->index_url : "");
      else
        {
          g_string_append_printf (out, "%s\n", link->url);
          if (link->index_url != NULL)
            g_string_append_printf (out, "%s\n", link->index_url);
        }
    }
  fputs (out->str, stdout);
  fflush (stdout);

  if (failures > 0)
    return GK_CLI_EXIT_FAILURE;
  gk_cli_notice (cli, g_dngettext (GETTEXT_PACKAGE,
                                   "The link works while profile %s stays signed in, on this computer only.",
                                   "The links work while profile %s stays signed in, on this computer only.",
                                   uris->len),
                 gk_profile_get_name (gk_cli_get_profile (cli)));
  return GK_CLI_EXIT_OK;
}
