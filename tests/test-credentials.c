/* test-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-credentials.h"

static void
test_credentials_expiry_arithmetic (void)
{
  g_autoptr(GkCredentials) creds = gk_credentials_new ("ASIAEXAMPLE", "secret", "token", 1000);

  g_assert_true (gk_credentials_expires (creds));
  g_assert_cmpint (gk_credentials_get_remaining (creds, 400), ==, 600);
  g_assert_cmpint (gk_credentials_get_remaining (creds, 1600), ==, -600);
  g_assert_true (gk_credentials_is_valid_at (creds, 400, 599));
  g_assert_false (gk_credentials_is_valid_at (creds, 400, 600));
}

static void
test_credentials_long_term_never_expire (void)
{
  g_autoptr(GkCredentials) creds = gk_credentials_new ("AKIAEXAMPLE", "secret", NULL, 0);

  g_assert_false (gk_credentials_expires (creds));
  g_assert_null (gk_credentials_get_session_token (creds));
  g_assert_true (gk_credentials_is_valid_at (creds, G_MAXINT32, 3600));
  g_assert_null (gk_credentials_format_expiration (creds));
}

static void
test_credentials_empty_token_is_none (void)
{
  g_autoptr(GkCredentials) creds = gk_credentials_new ("AKIAEXAMPLE", "secret", "", 0);

  g_assert_null (gk_credentials_get_session_token (creds));
}

static void
test_credentials_expiration_is_rfc3339_utc (void)
{
  /* 2026-11-23T14:05:00Z */
  g_autoptr(GkCredentials) creds = gk_credentials_new ("ASIA", "s", "t", 1795442700);
  g_autofree char *text = gk_credentials_format_expiration (creds);

  g_assert_cmpstr (text, ==, "2026-11-23T14:05:00Z");
}

static void
test_credentials_part_validity (void)
{
  g_assert_true (gk_credentials_part_is_valid ("FwoGZXIvYXdzEJr//+tok=="));
  g_assert_false (gk_credentials_part_is_valid (NULL));
  g_assert_false (gk_credentials_part_is_valid (""));
  g_assert_false (gk_credentials_part_is_valid ("tok\nen"));
  g_assert_false (gk_credentials_part_is_valid ("tok\x1e"));
  g_assert_false (gk_credentials_part_is_valid ("\x7f"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/expiry-arithmetic", test_credentials_expiry_arithmetic);
  g_test_add_func ("/credentials/part-without-control-characters", test_credentials_part_validity);
  g_test_add_func ("/credentials/long-term-never-expire", test_credentials_long_term_never_expire);
  g_test_add_func ("/credentials/empty-token-is-none", test_credentials_empty_token_is_none);
  g_test_add_func ("/credentials/expiration-is-rfc3339-utc",
                   test_credentials_expiration_is_rfc3339_utc);

  return g_test_run ();
}
