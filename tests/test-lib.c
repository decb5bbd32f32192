/* test-lib.c: the shared test helpers do what their headers promise
 *
 * A wait that never ends must fail naming what it waited for; the fake
 * server must answer on loopback and log requests; the keyring fixture must
 * write what a session really restores as signed in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-session.h"
#include "gk-test.h"

static void
test_wait_gives_up_naming_what (void)
{
  /* One second, stretched as $GK_TEST_TIMEOUT_FACTOR says (the sanitizer
   * run sets it). */
  g_autofree char *expected =
    g_strdup_printf ("*test-lib.c:*gave up after %u s waiting for: the flag that never rises*",
                     (guint) gk_test_timeout_factor ());

  if (g_test_subprocess ())
    {
      gboolean never = FALSE;

      gk_test_wait_until_full (never, "the flag that never rises", 1);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr (expected);
}

static gboolean
on_set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_wait_until_sees_main_loop_events (void)
{
  gboolean flag = FALSE;

  g_timeout_add (100, on_set_flag_cb, &flag);
  gk_test_wait_until (flag);
  g_assert_true (flag);
}

static gpointer
set_later_thread (gpointer user_data)
{
  g_usleep (100 * 1000);
  g_atomic_int_set ((int *) user_data, 1);
  return NULL;
}

/* No main-loop event marks the change: the wait's own tick must see it. */
static void
test_wait_until_sees_other_threads (void)
{
  int flag = 0;
  GThread *thread = g_thread_new ("set-later", set_later_thread, &flag);

  gk_test_wait_until (g_atomic_int_get (&flag) == 1);
  g_thread_join (thread);
}

static void
on_answer_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  g_autoptr(GHashTable) form = gk_test_request_form (msg);

  gk_test_respond (msg, 201, "text/plain", g_hash_table_lookup (form, "say"));
}

static void
test_server_answers_and_logs (void)
{
  g_autoptr(GkTestServer) server = gk_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *prefix = g_strdup_printf ("http://127.0.0.1:%u", gk_test_server_get_port (server));
  GPtrArray *requests;

  g_assert_cmpuint (gk_test_server_get_port (server), >, 0);
  g_assert_cmpstr (gk_test_server_get_origin (server), ==, prefix);
  gk_test_server_add_handler (server, "/echo", on_answer_cb, NULL);
  url = gk_test_server_url (server, "/echo?x=1");

  msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                            g_bytes_new_static ("say=hello", 9));
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    gk_test_store_result_cb, &result);
  body = soup_session_send_and_read_finish (session, gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "hello", 5);

  requests = gk_test_server_get_requests (server);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (requests->pdata[0], ==, "POST /echo?x=1");
}

static GkProfile *
make_profile (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  GkProfile *profile;

  json_object_set_string_member (object, "client_id", "client");
  json_object_set_string_member (object, "authorization_endpoint", "http://127.0.0.1:9/oauth2/authorize");
  json_object_set_string_member (object, "token_endpoint", "http://127.0.0.1:9/oauth2/token");
  json_object_set_string_member (object, "aws_region", "us-east-1");
  json_object_set_string_member (object, "aws_cognito_pool_id", "us-east-1_AbC123");
  json_object_set_string_member (object, "aws_cognito_fed_pool_id",
                                 "us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789");
  profile = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);
  return profile;
}

/* What the fixture writes is what a session restores: signed in, with the
 * user's address and the credentials' expiry, without any network. */
static void
test_keyring_signed_in_restores (void)
{
  g_autoptr(GkProfile) profile = make_profile ();
  g_autoptr(GkKeyring) keyring = gk_test_keyring_new ();
  g_autoptr(GkSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_true (gk_keyring_is_memory_only (keyring));
  gk_test_keyring_put_signed_in (keyring, "lab", "ana@lab.org", 3600);
  token = gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (token, ==, GK_TEST_KEYRING_REFRESH_TOKEN);

  session = gk_session_new (profile, keyring);
  gk_session_set_auto_renew (session, FALSE);
  gk_session_restore_async (session, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_session_restore_finish (session, gk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (gk_session_get_state (session), ==, GK_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (gk_session_get_email (session), ==, "ana@lab.org");
  g_assert_cmpint (gk_session_get_credentials_expiration (session), >=, now + 3600 - 5);
  g_assert_cmpint (gk_session_get_credentials_expiration (session), <=, now + 3600 + 5);

  gk_test_keyring_delete (keyring, "lab", -1);
  g_clear_pointer (&token, g_free);
  token = gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_null (token);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/test-lib/wait/gives-up-naming-what-it-waited-for", test_wait_gives_up_naming_what);
  g_test_add_func ("/test-lib/wait/until-sees-main-loop-events", test_wait_until_sees_main_loop_events);
  g_test_add_func ("/test-lib/wait/until-sees-other-threads", test_wait_until_sees_other_threads);
  g_test_add_func ("/test-lib/server/answers-on-loopback-and-logs-requests", test_server_answers_and_logs);
  g_test_add_func ("/test-lib/keyring/signed-in-fixture-restores-signed-in", test_keyring_signed_in_restores);

  return g_test_run ();
}
