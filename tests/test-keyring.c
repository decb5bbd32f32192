/* test-keyring.c: GkKeyring in memory, on a real gnome-keyring (run under
 * tests/integration/keyring-session.sh) and without any Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "gk-keyring.h"
#include "gk-test.h"

static void
check_round_trip (GkKeyring *keyring)
{
  char *s;

  gk_test_keyring_put (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "refresh-1");
  gk_test_keyring_put (keyring, "lab", GK_KEYRING_KIND_IDENTITY_ID, "us-east-1:id");
  gk_test_keyring_put (keyring, "other", GK_KEYRING_KIND_REFRESH_TOKEN, "refresh-other");

  s = gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (s, ==, "refresh-1");
  gk_keyring_free_secret (s);

  /* Storing again replaces. */
  gk_test_keyring_put (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "refresh-2");
  s = gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (s, ==, "refresh-2");
  gk_keyring_free_secret (s);

  /* Missing items are not errors. */
  g_assert_null (gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN));

  gk_test_keyring_delete (keyring, "lab", GK_KEYRING_KIND_IDENTITY_ID);
  g_assert_null (gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_IDENTITY_ID));

  /* Deleting all of a profile leaves other profiles alone. */
  gk_test_keyring_delete (keyring, "lab", -1);
  g_assert_null (gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN));
  s = gk_test_keyring_get (keyring, "other", GK_KEYRING_KIND_REFRESH_TOKEN);
  g_assert_cmpstr (s, ==, "refresh-other");
  gk_keyring_free_secret (s);
  gk_test_keyring_delete (keyring, "other", -1);
}

static void
test_memory_round_trip (void)
{
  g_autoptr(GkKeyring) keyring = gk_test_keyring_new ();

  g_assert_true (gk_keyring_is_memory_only (keyring));
  g_assert_nonnull (gk_keyring_get_memory_only_message (keyring));
  check_round_trip (keyring);
}

static void
test_secret_service_round_trip (void)
{
  g_autoptr(GkKeyring) keyring = gk_test_keyring_new_secret_service ();
  g_autoptr(GError) error = NULL;
  GList *items;
  SecretSchema schema = {
    APP_ID, SECRET_SCHEMA_NONE,
    { { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } }
  };

  check_round_trip (keyring);
  g_assert_false (gk_keyring_is_memory_only (keyring));
  g_assert_null (gk_keyring_get_memory_only_message (keyring));

  /* What is stored carries no secret in its label or attributes, and it is
   * in the default collection, under the app id's schema. */
  gk_test_keyring_put (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "very-secret-refresh-token");
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
  gk_test_keyring_delete (keyring, "lab", -1);
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
      gk_test_keyring_put (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "kept-in-memory");
      g_assert_true (gk_keyring_is_memory_only (keyring));
      g_assert_nonnull (strstr (gk_keyring_get_memory_only_message (keyring),
                                "No keyring is available"));
      s = gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
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
