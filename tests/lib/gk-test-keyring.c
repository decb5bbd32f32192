/* gk-test-keyring.c: a keyring fixture, filled and read in one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-test-keyring.h"
#include "gk-test-wait.h"

GkKeyring *
gk_test_keyring_new (void)
{
  return gk_keyring_new_memory_only ();
}

GkKeyring *
gk_test_keyring_new_secret_service (void)
{
  GkKeyring *keyring;

  if (g_getenv ("GK_TEST_SESSION_DIR") == NULL)
    g_error ("This test needs a real Secret Service: run it under "
             "tests/integration/keyring-session.sh, as meson does.");
  keyring = gk_keyring_new ();
  /* The keyring finds out on its first call whether the service works. */
  gk_test_keyring_put (keyring, "gk-test-probe", GK_KEYRING_KIND_USER, "{}");
  gk_test_keyring_delete (keyring, "gk-test-probe", -1);
  if (gk_keyring_is_memory_only (keyring))
    g_error ("The Secret Service of this D-Bus session does not work: %s",
             gk_keyring_get_memory_only_message (keyring));
  return keyring;
}

void
gk_test_keyring_put (GkKeyring     *keyring,
                     const char    *profile,
                     GkKeyringKind  kind,
                     const char    *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_keyring_store_async (keyring, profile, kind, secret, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_keyring_store_finish (keyring, gk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
}

char *
gk_test_keyring_get (GkKeyring     *keyring,
                     const char    *profile,
                     GkKeyringKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  gk_keyring_lookup_async (keyring, profile, kind, NULL, gk_test_store_result_cb, &result);
  secret = gk_keyring_lookup_finish (keyring, gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  return secret;
}

void
gk_test_keyring_delete (GkKeyring  *keyring,
                        const char *profile,
                        int         kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gk_keyring_delete_async (keyring, profile, kind, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_keyring_delete_finish (keyring, gk_test_wait_for_result (&result), &error));
  g_assert_no_error (error);
}

void
gk_test_keyring_put_credentials (GkKeyring  *keyring,
                                 const char *profile,
                                 gint64      seconds_left)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *json =
    g_strdup_printf ("{\"AccessKeyId\":\"" GK_TEST_KEYRING_ACCESS_KEY_ID "\",\"SecretAccessKey\":\"test-secret\","
                     "\"SessionToken\":\"test-session-token\",\"Expiration\":%" G_GINT64_FORMAT
                     ",\"ObtainedAt\":%" G_GINT64_FORMAT "}",
                     now + seconds_left, now + seconds_left - 3600);

  gk_test_keyring_put (keyring, profile, GK_KEYRING_KIND_CREDENTIALS, json);
}

void
gk_test_keyring_put_signed_in (GkKeyring  *keyring,
                               const char *profile,
                               const char *email,
                               gint64      seconds_left)
{
  g_autofree char *user = g_strdup_printf ("{\"sub\":\"test-subject\",\"email\":\"%s\"}", email);

  gk_test_keyring_put (keyring, profile, GK_KEYRING_KIND_REFRESH_TOKEN, GK_TEST_KEYRING_REFRESH_TOKEN);
  gk_test_keyring_put (keyring, profile, GK_KEYRING_KIND_USER, user);
  gk_test_keyring_put (keyring, profile, GK_KEYRING_KIND_IDENTITY_ID,
                       "us-east-1:00000000-0000-4000-8000-000000000000");
  gk_test_keyring_put_credentials (keyring, profile, seconds_left);
}
