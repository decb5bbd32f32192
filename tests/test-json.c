/* test-json.c: outside JSON read strictly (gk-json)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-json.h"

static void
test_json_escapes_of_rfc8259_read (void)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_true (gk_json_parser_load (parser,
                                      "[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\", \"\\u00e9\\uD83D\\uDE00\", \"a\\\\234\"]",
                                      -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "\" \\ / \b \f \n \r \t");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "é😀");
  /* An escaped backslash, then digits: not an escape. */
  g_assert_cmpstr (json_array_get_string_element (array, 2), ==, "a\\234");
}

static void
test_json_other_escapes_refused (void)
{
  const char *inputs[] = {
    "[\"\\234\"]",          /* octal: the byte 0x9c with json-glib 1.6 */
    "{\"k\\234\": 1}",      /* in a member name */
    "[\"\\q\"]",
    "[\"\\x41\"]",
    "[\"\\u12\"]",          /* too few hex digits */
    "[\"\\u12G4\"]",
    "[\"a\", \"\\",         /* a backslash at the very end */
    "[1]\n\n\\",           /* outside a string */
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;

      g_assert_false (gk_json_parser_load (parser, inputs[i], -1, &error));
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_json_error_names_the_line (void)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  g_assert_false (gk_json_parser_load (parser, "{\n\"a\": 1,\n\"b\": \"\\2\"\n}", -1, &error));
  g_assert_nonnull (strstr (error->message, "line 3"));
}

/* GScanner quotes a token cut at a byte count: here inside "ޢ". */
static void
test_json_error_message_is_utf8 (void)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  g_assert_false (gk_json_parser_load (parser, "[\"http://localhost:60151/oauthCallback\xdc\xa2\" \"x\"]",
                                       -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_MISSING_COMMA);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* Found by fuzzing an ID token: json-glib 1.6 writes the first half of a
 * surrogate pair that no second half follows as bytes that are not UTF-8. */
static void
test_json_half_surrogate_refused (void)
{
  const char *inputs[] = {
    "[\"a\\ud9ce\\n\"]",
    "[\"a\\ud9cex\"]",
    "[\"\\udc00\"]",
    "[\"\\ud83d\\u0041\"]",
    "[\"\\ud83d\\ud83d\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;

      g_assert_false (gk_json_parser_load (parser, inputs[i], -1, &error));
      g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "surrogate"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/escapes/rfc8259-read", test_json_escapes_of_rfc8259_read);
  g_test_add_func ("/json/escapes/others-refused", test_json_other_escapes_refused);
  g_test_add_func ("/json/escapes/error-names-the-line", test_json_error_names_the_line);
  g_test_add_func ("/json/error-message-is-utf8", test_json_error_message_is_utf8);
  g_test_add_func ("/json/escapes/half-surrogate-refused", test_json_half_surrogate_refused);

  return g_test_run ();
}
