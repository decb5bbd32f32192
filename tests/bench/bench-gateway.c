/* bench-gateway.c: Genokey's gateway, alone in a process, for the benchmark
 *
 * Usage: bench-gateway BUCKET KEY…   (credentials, region and endpoint
 * from the standard AWS variables)
 *
 * Serves the keys through a real GkGateway on a free 127.0.0.1 port, with
 * the same code the application runs (capabilities, the exchange, the
 * streaming), and prints one line of JSON: the port, this process's pid
 * (for its RSS), and each key's gateway link and presigned URL, so the
 * benchmark can read the same object both ways. Runs until stdin closes.
 * A benchmark helper, not part of genokey.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "gk-env-credentials.h"
#include "gk-gateway.h"

static void
on_ready_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
on_stdin_cb (gint         fd,
             GIOCondition condition,
             gpointer     user_data)
{
  char buf[64];

  if (read (fd, buf, sizeof buf) <= 0)
    {
      g_main_loop_quit (user_data);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkEnvCredentials) source = NULL;
  g_autoptr(GkS3Client) client = NULL;
  g_autoptr(GkKeyring) keyring = gk_keyring_new_memory_only ();
  g_autoptr(GkGateway) gateway = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkCredentials) credentials = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *text = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gk-bench-gateway-XXXXXX", NULL);
  guint16 port;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-gateway BUCKET KEY…\n");
      return 2;
    }
  source = gk_env_credentials_new (NULL, &error);
  if (source == NULL)
    {
      fprintf (stderr, "bench-gateway: %s\n", error->message);
      return 1;
    }
  client = gk_s3_client_new (GK_CREDENTIAL_SOURCE (source), gk_env_credentials_get_region (source),
                             gk_env_credentials_get_endpoint (source), NULL);
  gateway = gk_gateway_new (keyring, dir);
  for (port = 30000 + g_random_int_range (0, 2000); !gk_gateway_start (gateway, port, NULL); port++)
    ;
  gk_gateway_serve_profile_async (gateway, "bench", client, NULL, on_ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!gk_gateway_serve_profile_finish (gateway, result, &error))
    {
      fprintf (stderr, "bench-gateway: %s\n", error->message);
      return 1;
    }
  g_clear_object (&result);
  gk_credential_source_get_credentials_async (GK_CREDENTIAL_SOURCE (source), 60, NULL, on_ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (source), result, &error);
  if (credentials == NULL)
    {
      fprintf (stderr, "bench-gateway: %s\n", error->message);
      return 1;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, port);
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_set_member_name (b, "objects");
  json_builder_begin_array (b);
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GString) link = g_string_new (NULL);
      g_autoptr(GString) presigned = g_string_new (NULL);

      if (!gk_gateway_append_link (gateway, "bench", argv[1], argv[i], link, &error) ||
          !gk_s3_client_presign (client, credentials, argv[1], argv[i], g_get_real_time () / G_USEC_PER_SEC,
                                 3600, presigned, &error))
        {
          fprintf (stderr, "bench-gateway: %s\n", error->message);
          return 1;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, argv[i]);
      json_builder_set_member_name (b, "gateway");
      json_builder_add_string_value (b, link->str);
      json_builder_set_member_name (b, "presigned");
      json_builder_add_string_value (b, presigned->str);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  printf ("%s\n", text);
  fflush (stdout);

  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_stdin_cb, loop);
  g_main_loop_run (loop);
  g_rmdir (dir);
  return 0;
}
