/* test-profile-import.c: IGV's oauth-config.json read as profiles — one
 * object or a list, plain or gzip — and what is refused, with the item named
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-profile-import.h"
#include "gk-test-profile.h"

static void
test_profile_parse_array_and_gzip (void)
{
  g_autofree char *array = g_strdup_printf ("[%s, %s]", IGV_CONFIG, IGV_CONFIG);
  g_autoptr(GBytes) gz = gk_test_gzip (array);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmphex (((const guint8 *) g_bytes_get_data (gz, NULL))[0], ==, 0x1f);
  profiles = gk_profile_import_parse (gz, "lab", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 2);
  g_assert_cmpstr (gk_profile_get_name (profiles->pdata[0]), ==, "lab-1");
  g_assert_cmpstr (gk_profile_get_name (profiles->pdata[1]), ==, "lab-2");
}

static void
test_profile_parse_refuses_garbage (void)
{
  const char *inputs[] = { "", "not json", "42", "[]", "[1, 2]", "{\"client_id\": " };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], strlen (inputs[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) profiles = gk_profile_import_parse (bytes, "x", &error);

      g_assert_null (profiles);
      g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE);
    }
}

/* Found by fuzzing: json-glib 1.6 takes C escapes inside strings, so
 * "\234" became the byte 0x9c. The profile imported, then was saved as
 * text that is not UTF-8 and could not be loaded again; json-glib's own
 * error for such a string quoted the byte, unreadable in the window. */
static void
test_profile_parse_non_json_escape_refused (void)
{
  const char *inputs[] = {
    "{\"client_id\": \"4abc\\234\"}",
    "{\"client_id\": \"4abc\", \"x\\234\": 1}",
    "{\"client_id\": \"a\\qb\"}",
    "[\"ok\" \"\\234\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], strlen (inputs[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) profiles = gk_profile_import_parse (bytes, "x", &error);

      g_assert_null (profiles);
      g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "escape"));
    }
}

/* Found by fuzzing: json-glib's message quoted a string cut inside a
 * character, so the error could not be shown. */
static void
test_profile_parse_json_error_readable (void)
{
  const char *input = "{\"client_id\": \"4abc\",\n \"redirect_uris\": [\"http://localhost:60151/oauthCallback\xdc\xa2\" \"x\"]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (input, strlen (input));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = gk_profile_import_parse (bytes, "x", &error);

  g_assert_null (profiles);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* Found by fuzzing: json-glib accepts these with no root, and asking the
 * missing root its type was a critical. */
static void
test_profile_parse_comment_only_is_empty (void)
{
  const char *inputs[] = { "//", "/* a lab's config */", " \n\t " };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], strlen (inputs[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) profiles = gk_profile_import_parse (bytes, "x", &error);

      g_assert_null (profiles);
      g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, "empty"));
    }
}

static void
test_profile_parse_names_the_bad_item (void)
{
  /* Both Amazon entries (aws_region); the second lacks most keys. */
  g_autofree char *array = g_strdup_printf ("[%s, {\"client_id\": \"x\", \"aws_region\": \"eu-west-2\"}]", IGV_CONFIG);
  g_autoptr(GBytes) bytes = g_bytes_new (array, strlen (array));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = gk_profile_import_parse (bytes, NULL, &error);

  g_assert_null (profiles);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "2 of 2"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile/parse/array-and-gzip", test_profile_parse_array_and_gzip);
  g_test_add_func ("/profile/parse/non-json-escape-refused", test_profile_parse_non_json_escape_refused);
  g_test_add_func ("/profile/parse/json-error-readable", test_profile_parse_json_error_readable);
  g_test_add_func ("/profile/parse/comment-only-is-empty", test_profile_parse_comment_only_is_empty);
  g_test_add_func ("/profile/parse/refuses-garbage", test_profile_parse_refuses_garbage);
  g_test_add_func ("/profile/parse/names-the-bad-item", test_profile_parse_names_the_bad_item);

  return g_test_run ();
}
