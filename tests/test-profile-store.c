/* test-profile-store.c: profiles saved under a throw-away config folder,
 * resolved, refused, and imported from files and from a loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-http.h"
#include "gk-profile-store.h"
#include "gk-test.h"
#include "loopback-resolver.h"

typedef struct
{
  char *dir;
  GkProfileStore *store;
} StoreFixture;

static void
store_setup (StoreFixture  *fixture,
             gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("gk-profile-XXXXXX", NULL);
  fixture->store = gk_profile_store_new (fixture->dir);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
store_teardown (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GPtrArray *
import_text (GkProfileStore  *store,
             const char      *text,
             const char      *name,
             gboolean         replace,
             GError         **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return gk_profile_store_import_bytes (store, bytes, name, replace, error);
}

static void
test_store_save_list_resolve_remove (StoreFixture  *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GkProfile) resolved = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;

  imported = import_text (f->store, IGV_CONFIG, "lab", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 1);

  /* Private file: a confidential client's secret may be in it. */
  path = g_build_filename (f->dir, "profiles", "lab.json", NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  resolved = gk_profile_store_resolve (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_name (resolved), ==, "lab");
  /* Unknown IGV keys survive the round trip. */
  g_assert_true (json_object_has_member (gk_profile_to_json (resolved), "project_id"));
  json_object_unref (gk_profile_to_json (resolved));
  g_clear_object (&resolved);

  g_clear_pointer (&imported, g_ptr_array_unref);
  imported = import_text (f->store, IGV_CONFIG, "other", FALSE, &error);
  g_assert_no_error (error);

  /* Two profiles: the one imported last is the default. */
  resolved = gk_profile_store_resolve (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_name (resolved), ==, "other");
  g_clear_object (&resolved);

  list = gk_profile_store_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (gk_profile_get_name (list->pdata[0]), ==, "lab");

  g_assert_true (gk_profile_store_remove (f->store, "other", &error));
  g_assert_no_error (error);
  g_assert_false (gk_profile_store_remove (f->store, "other", &error));
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND);
}

static void
test_store_refuses_to_overwrite (StoreFixture  *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first G_GNUC_UNUSED = import_text (f->store, IGV_CONFIG, "lab", FALSE, &error);
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;

  g_assert_no_error (error);
  second = import_text (f->store, IGV_CONFIG, "lab", FALSE, &error);
  g_assert_null (second);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_EXISTS);
  /* The name is in the error; each face says how to go on. */
  g_assert_cmpstr (gk_profile_error_get_profile (error), ==, "lab");
  g_assert_null (strstr (error->message, "--"));
  g_clear_error (&error);

  third = import_text (f->store, IGV_CONFIG, "lab", TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);
}

static void
test_store_invalid_import_saves_nothing (StoreFixture  *f,
                                         gconstpointer  data)
{
  /* Both Amazon entries (aws_region); the second lacks most keys. */
  g_autofree char *array = g_strdup_printf ("[%s, {\"client_id\": \"x\", \"aws_region\": \"eu-west-2\"}]", IGV_CONFIG);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imported = import_text (f->store, array, "lab", FALSE, &error);
  g_autoptr(GPtrArray) list = NULL;

  g_assert_null (imported);
  g_assert_nonnull (error);
  list = gk_profile_store_list (f->store, NULL);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_store_ambiguous_without_last_used (StoreFixture  *f,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a G_GNUC_UNUSED = import_text (f->store, IGV_CONFIG, "alpha", FALSE, &error);
  g_autoptr(GPtrArray) b G_GNUC_UNUSED = import_text (f->store, IGV_CONFIG, "beta", FALSE, &error);
  g_autoptr(GkProfile) resolved = NULL;

  g_assert_no_error (error);
  gk_profile_store_set_last_used (f->store, NULL);
  resolved = gk_profile_store_resolve (f->store, NULL, &error);
  g_assert_null (resolved);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "alpha, beta"));
}

static void
test_store_empty_says_how_to_import (StoreFixture  *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) resolved = gk_profile_store_resolve (f->store, NULL, &error);

  g_assert_null (resolved);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND);
  /* None at all: no profile name, and no command in the message. */
  g_assert_null (gk_profile_error_get_profile (error));
  g_assert_cmpstr (error->message, ==, "No profile is set up yet.");
  g_assert_null (strstr (error->message, "genokey"));
}

static void
test_store_not_found_carries_name (StoreFixture  *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) copied = NULL;
  g_autoptr(GkProfile) loaded = gk_profile_store_load (f->store, "nope", &error);

  g_assert_null (loaded);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND);
  g_assert_cmpstr (gk_profile_error_get_profile (error), ==, "nope");
  g_assert_null (gk_profile_error_get_key (error));
  g_assert_null (strstr (error->message, "genokey"));
  /* It survives what callers do with errors on the way up. */
  copied = g_error_copy (error);
  g_prefix_error (&copied, "Opening: ");
  g_assert_cmpstr (gk_profile_error_get_profile (copied), ==, "nope");
  g_assert_false (gk_profile_store_remove (f->store, "../nope", &error2));
  g_assert_cmpstr (gk_profile_error_get_profile (error2), ==, "../nope");
}

/* A saved profile that no longer validates (edited by hand): the error
 * names both the profile and the key, so a face can say where to fix it. */
static void
test_store_saved_profile_error_carries_key (StoreFixture  *f,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imported G_GNUC_UNUSED = import_text (f->store, IGV_CONFIG, "lab", FALSE, &error);
  g_autofree char *path = g_build_filename (f->dir, "profiles", "lab.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) broken = NULL;
  g_autoptr(GkProfile) loaded = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  broken = g_string_new (text);
  g_assert_cmpint (g_string_replace (broken, "\"eu-west-2\"", "\"Frankfurt\"", 1), ==, 1);
  g_assert_true (g_file_set_contents (path, broken->str, -1, NULL));

  loaded = gk_profile_store_load (f->store, "lab", &error);
  g_assert_null (loaded);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
  g_assert_cmpstr (gk_profile_error_get_key (error), ==, "aws_region");
  g_assert_cmpstr (gk_profile_error_get_profile (error), ==, "lab");
}

/* Provisioning URLs: a SoupServer on a random loopback port serves the file. */
static void
on_server_request_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  if (g_str_equal (path, "/oauth-config.json"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        IGV_CONFIG, strlen (IGV_CONFIG));
    }
  else if (g_str_equal (path, "/oauth-config.json.gz"))
    {
      g_autoptr(GBytes) gz = gk_test_gzip (IGV_CONFIG);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/gzip", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
    }
  else if (g_str_has_prefix (path, "/moved-to/"))
    {
      /* /moved-to/HOST redirects to http://HOST:SAMEPORT/oauth-config.json */
      GUri *uri = soup_server_message_get_uri (msg);
      g_autofree char *target = g_strdup_printf ("http://%s:%d/oauth-config.json",
                                                 path + strlen ("/moved-to/"), g_uri_get_port (uri));

      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, target);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static GPtrArray *
import_sync (GkProfileStore  *store,
             const char      *source,
             const char      *name,
             GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_profile_store_import_async (store, source, name, TRUE, NULL, gk_test_store_result_cb, &result);
  return gk_profile_store_import_finish (store, gk_test_wait_for_result (&result), error);
}

static void
test_store_import_from_url (StoreFixture  *f,
                            gconstpointer  data)
{
  g_autoptr(GkTestServer) server = gk_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GPtrArray) gz = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;

  gk_test_server_add_handler (server, NULL, on_server_request_cb, NULL);
  base = gk_test_server_url (server, NULL);

  url = g_strconcat (base, "oauth-config.json", NULL);
  plain = import_sync (f->store, url, "from-url", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_client_id (plain->pdata[0]), ==, "4abc5def6ghi");

  g_free (url);
  url = g_strconcat (base, "oauth-config.json.gz", NULL);
  gz = import_sync (f->store, url, "from-gz", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_name (gz->pdata[0]), ==, "from-gz");

  g_free (url);
  url = g_strconcat (base, "nothing-here", NULL);
  missing = import_sync (f->store, url, "x", &error);
  g_assert_null (missing);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH);
  g_assert_nonnull (strstr (error->message, "404"));
}

/* An allowed loopback address that redirects to plain http on another
 * host (a name the test's resolver answers with 127.0.0.1): refused, and
 * nothing is saved. A redirect that stays on this computer is followed. */
static void
test_store_import_redirect_checked (StoreFixture  *f,
                                    gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GPtrArray) local = NULL;
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(GkProfile) none = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, on_server_request_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  url = g_strconcat (base, "moved-to/config.example.test", NULL);
  refused = import_sync (f->store, url, "moved", &error);
  g_assert_null (refused);
  g_assert_error (error, GK_HTTP_ERROR, GK_HTTP_ERROR_REDIRECT_REFUSED);
  g_assert_nonnull (strstr (error->message, "config.example.test"));
  g_clear_error (&error);
  none = gk_profile_store_load (f->store, "moved", &lookup_error);
  g_assert_null (none);

  g_free (url);
  url = g_strconcat (base, "moved-to/127.0.0.1", NULL);
  local = import_sync (f->store, url, "moved-here", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_client_id (local->pdata[0]), ==, "4abc5def6ghi");
}

static void
test_store_import_error_hides_signature (StoreFixture  *f,
                                         gconstpointer  data)
{
  g_autoptr(GkTestServer) server = gk_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *shown = NULL;

  gk_test_server_add_handler (server, NULL, on_server_request_cb, NULL);
  base = gk_test_server_url (server, NULL);

  /* Labs hand out provisioning files as presigned S3 links. */
  url = g_strconcat (base, "gone.json?X-Amz-Security-Token=SECRETTOKEN"
                     "&X-Amz-Signature=0123456789abcdef#frag", NULL);
  missing = import_sync (f->store, url, "x", &error);
  g_assert_null (missing);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH);
  g_assert_nonnull (strstr (error->message, "404"));
  shown = g_strconcat (base, "gone.json", NULL);
  g_assert_nonnull (strstr (error->message, shown));
  g_assert_null (strstr (error->message, "SECRETTOKEN"));
  g_assert_null (strstr (error->message, "X-Amz-Signature"));
  g_assert_null (strstr (error->message, "frag"));
}

static void
on_wrote_chunk_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  static char chunk[64 * 1024];

  memset (chunk, ' ', sizeof chunk);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            chunk, sizeof chunk);
}

/* A server that never stops sending. */
static void
on_endless_request_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk_cb), NULL);
  on_wrote_chunk_cb (msg, NULL);
}

static void
test_store_import_stops_reading_at_limit (StoreFixture  *f,
                                          gconstpointer  data)
{
  g_autoptr(GkTestServer) server = gk_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endless = NULL;
  g_autoptr(GPtrArray) zero = NULL;
  g_autofree char *url = NULL;

  gk_test_server_add_handler (server, NULL, on_endless_request_cb, NULL);
  url = gk_test_server_url (server, NULL);

  endless = import_sync (f->store, url, "x", &error);
  g_assert_null (endless);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH);
  g_assert_nonnull (strstr (error->message, "1 MiB"));
  g_clear_error (&error);

  zero = import_sync (f->store, "/dev/zero", "x", &error);
  g_assert_null (zero);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "1 MiB"));
}

static void
test_store_import_refuses_remote_plain_http (StoreFixture  *f,
                                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = import_sync (f->store, "http://lab.example.org/oauth-config.json",
                                               "x", &error);

  g_assert_null (profiles);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH);
  g_assert_nonnull (strstr (error->message, "https"));
}

static void
test_store_import_from_file (StoreFixture  *f,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "oauth-config.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autofree char *nowhere = g_build_filename (f->dir, "nowhere.json", NULL);

  g_file_set_contents (path, IGV_CONFIG, -1, &error);
  g_assert_no_error (error);
  profiles = import_sync (f->store, path, "from-file", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 1);

  missing = import_sync (f->store, nowhere, "x", &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, nowhere));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  loopback_resolver_install ();

#define STORE_TEST(path, func) \
  g_test_add ("/profile/store/" path, StoreFixture, NULL, store_setup, func, store_teardown)
  STORE_TEST ("save-list-resolve-remove", test_store_save_list_resolve_remove);
  STORE_TEST ("refuses-to-overwrite", test_store_refuses_to_overwrite);
  STORE_TEST ("invalid-import-saves-nothing", test_store_invalid_import_saves_nothing);
  STORE_TEST ("ambiguous-without-last-used", test_store_ambiguous_without_last_used);
  STORE_TEST ("empty-says-none-is-set-up", test_store_empty_says_how_to_import);
  STORE_TEST ("not-found-carries-the-name", test_store_not_found_carries_name);
  STORE_TEST ("saved-profile-error-carries-name-and-key", test_store_saved_profile_error_carries_key);
  STORE_TEST ("import-from-url", test_store_import_from_url);
  STORE_TEST ("import-redirect-checked", test_store_import_redirect_checked);
  STORE_TEST ("import-error-hides-signature", test_store_import_error_hides_signature);
  STORE_TEST ("import-stops-reading-at-limit", test_store_import_stops_reading_at_limit);
  STORE_TEST ("import-refuses-remote-plain-http", test_store_import_refuses_remote_plain_http);
  STORE_TEST ("import-from-file", test_store_import_from_file);
#undef STORE_TEST

  return g_test_run ();
}
