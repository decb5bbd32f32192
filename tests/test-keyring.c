/* test-keyring.c: GkKeyring in memory, on a real gnome-keyring (run under
 * tests/integration/keyring-session.sh) and without any Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "gk-keyring.h"

static void
on_ready_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store (GkKeyring     *keyring,
       const char    *profile,
       GkKeyringKind  kind,
       const char    *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_keyring_store_async (keyring, profile, kind, secret, NULL, on_ready_cb, &result);
  g_assert_true (gk_keyring_store_finish (keyring, wait_for (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup (GkKeyring     *keyring,
        const char    *profile,
        GkKeyringKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  gk_keyring_lookup_async (keyring, profile, kind, NULL, on_ready_cb, &result);
  secret = gk_keyring_lookup_finish (keyring, wait_for (&result), &error);
  g_assert_no_error (error);
  return secret;
}

static void
delete (GkKeyring  *keyring,
        const char *profile,
        int         kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_keyring_delete_async (keyring, profile, kind, NULL, on_ready_cb, &result);
  g_assert_true (gk_keyring_delete_finish (keyring, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
check_round_trip (GkKeyring *keyring)
{
  char *s;

  store (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "refresh-1");
  store (keyring, "lab", GK_KEYRING_KIND_IDENTITY_ID, "us-east-1:id");
  store (keyring, "other", GK_KEYRING_KIND_REFRESH_TOKEN, "refresh-other");

  s = lookup (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (s, ==, "refresh-1");
  gk_keyring_free_secret (s);

  /* Storing again replaces. */
  store (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "refresh-2");
  s = lookup (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (s, ==, "refresh-2");
  gk_keyring_free_secret (s);

  /* Missing items are not errors. */
  g_assert_null (lookup (keyring, "lab", GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN));

  delete (keyring, "lab", GK_KEYRING_KIND_IDENTITY_ID);
  g_assert_null (lookup (keyring, "lab", GK_KEYRING_KIND_IDENTITY_ID));

  /* Deleting all of a profile leaves other profiles alone. */
  delete (keyring, "lab", -1);
  g_assert_null (lookup (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN));
  s = lookup (keyring, "other", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (s, ==, "refresh-other");
  gk_keyring_free_secret (s);
  delete (keyring, "other", -1);
}

static void
test_memory_round_trip (void)
{
  g_autoptr(GkKeyring) keyring = gk_keyring_new_memory_only ();

  g_assert_true (gk_keyring_is_memory_only (keyring));
  g_assert_nonnull (gk_keyring_get_memory_only_message (keyring));
  check_round_trip (keyring);
}

static void
test_secret_service_round_trip (void)
{
  g_autoptr(GkKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  SecretSchema schema = {
    APP_ID, SECRET_SCHEMA_NONE,
    { { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } }
  };

  if (g_getenv ("GK_TEST_SESSION_DIR") == NULL)
    {
      g_test_skip ("needs the private keyring session (tests/integration/keyring-session.sh)");
      return;
    }

  keyring = gk_keyring_new ();
  check_round_trip (keyring);
  g_assert_false (gk_keyring_is_memory_only (keyring));
  g_assert_null (gk_keyring_get_memory_only_message (keyring));

  /* What is stored carries no secret in its label or attributes, and it is
   * in the default collection, under the app id's schema. */
  store (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "very-secret-refresh-token");
  items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL,
                                       &error, "profile", "lab", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;
      g_autofree char *label = secret_retrievable_get_label (item);
      g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes (item);
      GHashTableIter iter;
      gpointer key, value;

      g_assert_null (strstr (label, "very-secret"));
      g_hash_table_iter_init (&iter, attrs);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_assert_true (g_str_equal (key, "profile") || g_str_equal (key, "kind") ||
                         g_str_equal (key, "xdg:schema"));
          g_assert_null (strstr (value, "very-secret"));
          if (g_str_equal (key, "xdg:schema"))
            g_assert_cmpstr (value, ==, APP_ID);
        }
    }
  g_list_free_full (items, g_object_unref);
  delete (keyring, "lab", -1);
}

static void
test_no_service_falls_back_to_memory (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GkKeyring) keyring = NULL;
      char *s;

      /* A bus address where nothing listens: no Secret Service at all. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/genokey-test-bus", TRUE);
      keyring = gk_keyring_new ();
      store (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "kept-in-memory");
      g_assert_true (gk_keyring_is_memory_only (keyring));
      g_assert_nonnull (strstr (gk_keyring_get_memory_only_message (keyring),
                                "No keyring is available"));
      s = lookup (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
      g_assert_cmpstr (s, ==, "kept-in-memory");
      gk_keyring_free_secret (s);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/memory/round-trip", test_memory_round_trip);
  g_test_add_func ("/keyring/secret-service/round-trip-no-secret-in-labels",
                   test_secret_service_round_trip);
  g_test_add_func ("/keyring/no-service/falls-back-to-memory", test_no_service_falls_back_to_memory);

  return g_test_run ();
}
