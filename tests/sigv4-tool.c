/* sigv4-tool.c: Genokey's signer as a filter, for the oracle test
 *
 * Reads one JSON case per line on stdin and writes one JSON answer per line
 * on stdout, so tests/integration/sigv4-oracle.test.mjs can compare every
 * stage with the AWS SDK for JavaScript. A test program, not part of genokey:
 * the CLI has no hidden signing hooks.
 *
 * Case: { "mode": "presign" | "headers", "access_key_id", "secret_access_key",
 *         "session_token"?, "region", "service"?, "method"?, "scheme"?, "host",
 *         "path", "now", "expires"?, "query"?: [[name, value], …],
 *         "headers"?: [[name, value], …], "payload_hash"? }
 * Answer: { "canonical_request", "string_to_sign", "url"? ,
 *           "headers"?: { name: value } } or { "error": message }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "gk-sigv4.h"

static GkSigv4Pair *
read_pairs (JsonObject *obj,
            const char *member,
            gsize      *n_out)
{
  JsonArray *array;
  GkSigv4Pair *pairs;
  guint n;

  *n_out = 0;
  if (!json_object_has_member (obj, member))
    return NULL;
  array = json_object_get_array_member (obj, member);
  n = json_array_get_length (array);
  pairs = g_new0 (GkSigv4Pair, n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonArray *pair = json_array_get_array_element (array, i);

      pairs[i].name = json_array_get_string_element (pair, 0);
      pairs[i].value = json_array_get_string_element (pair, 1);
    }
  *n_out = n;
  return pairs;
}

static char *
answer (GkSigv4Signer *signer,
        JsonObject    *c)
{
  const char *mode = json_object_get_string_member (c, "mode");
  const char *token = json_object_get_string_member_with_default (c, "session_token", NULL);
  const char *region = json_object_get_string_member (c, "region");
  const char *service = json_object_get_string_member_with_default (c, "service", "s3");
  const char *method = json_object_get_string_member_with_default (c, "method", "GET");
  const char *host = json_object_get_string_member (c, "host");
  const char *path = json_object_get_string_member (c, "path");
  gint64 now = json_object_get_int_member (c, "now");
  g_autoptr(GkCredentials) creds = NULL;
  g_auto(GkSigv4Stages) stages = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  creds = gk_credentials_new (json_object_get_string_member (c, "access_key_id"),
                              json_object_get_string_member (c, "secret_access_key"),
                              token, 0);
  json_builder_begin_object (b);

  if (g_str_equal (mode, "presign"))
    {
      GString *url = g_string_new (NULL);
      const char *scheme = json_object_get_string_member_with_default (c, "scheme", "https");
      guint expires = (guint) json_object_get_int_member_with_default (c, "expires", 3600);

      if (gk_sigv4_signer_presign (signer, creds, region, service, method, scheme, host, path, -1,
                                   now, expires, url, &stages, &error))
        {
          json_builder_set_member_name (b, "url");
          json_builder_add_string_value (b, url->str);
        }
      g_string_free (url, TRUE);
    }
  else
    {
      gsize n_query, n_headers;
      g_autofree GkSigv4Pair *query = read_pairs (c, "query", &n_query);
      g_autofree GkSigv4Pair *headers = read_pairs (c, "headers", &n_headers);
      const char *payload = json_object_get_string_member_with_default (c, "payload_hash",
                                                                        GK_SIGV4_EMPTY_SHA256);
      g_auto(GStrv) out = gk_sigv4_signer_sign_headers (signer, creds, region, service, method,
                                                        host, path, query, n_query, headers,
                                                        n_headers, payload, now, &stages, &error);

      if (out != NULL)
        {
          g_autofree char *cq = gk_sigv4_canonical_query (query, n_query);

          json_builder_set_member_name (b, "query_string");
          json_builder_add_string_value (b, cq);
          json_builder_set_member_name (b, "headers");
          json_builder_begin_object (b);
          for (guint i = 0; out[i] != NULL; i += 2)
            {
              json_builder_set_member_name (b, out[i]);
              json_builder_add_string_value (b, out[i + 1]);
            }
          json_builder_end_object (b);
        }
    }

  if (error != NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error->message);
    }
  else
    {
      json_builder_set_member_name (b, "canonical_request");
      json_builder_add_string_value (b, stages.canonical_request);
      json_builder_set_member_name (b, "string_to_sign");
      json_builder_add_string_value (b, stages.string_to_sign);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);
  char *line = NULL;
  gsize len;

  g_io_channel_set_encoding (in, NULL, NULL);

  while (g_io_channel_read_line (in, &line, &len, NULL, NULL) == G_IO_STATUS_NORMAL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;

      if (!json_parser_load_from_data (parser, line, -1, &error))
        {
          fprintf (stderr, "sigv4-tool: bad case: %s\n", error->message);
          return 2;
        }
      g_free (line);
      out = answer (signer, json_node_get_object (json_parser_get_root (parser)));
      printf ("%s\n", out);
      fflush (stdout);
    }
  return 0;
}
