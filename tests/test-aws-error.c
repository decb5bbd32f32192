/* test-aws-error.c: looking AWS error codes up in a table, and filling in messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-aws-error.h"

enum { OP_A = 1 << 0, OP_B = 1 << 1 };

static const GkAwsErrorRow rows[] = {
  { "Refused", "Token expired", 0, 1, "expired" },
  { "Refused", NULL, 0, 2, "refused" },
  { "Gone", NULL, OP_A, 3, "pool gone" },
  { "Gone", NULL, OP_B, 4, "identity gone" },
};

static void
test_find (void)
{
  const GkAwsErrorRow *row;

  /* a row with AWS's wording comes first, the code's general row after */
  row = gk_aws_error_find (rows, G_N_ELEMENTS (rows), "Refused", "Token expired: 2 >= 1", OP_A);
  g_assert_cmpint (row->code, ==, 1);
  row = gk_aws_error_find (rows, G_N_ELEMENTS (rows), "Refused", "Not from this pool", OP_A);
  g_assert_cmpint (row->code, ==, 2);
  /* a prefix is a prefix: the words elsewhere in the message do not count */
  row = gk_aws_error_find (rows, G_N_ELEMENTS (rows), "Refused", "Why? Token expired", OP_A);
  g_assert_cmpint (row->code, ==, 2);
  row = gk_aws_error_find (rows, G_N_ELEMENTS (rows), "Refused", NULL, OP_A);
  g_assert_cmpint (row->code, ==, 2);

  /* rows for some calls only */
  row = gk_aws_error_find (rows, G_N_ELEMENTS (rows), "Gone", NULL, OP_A);
  g_assert_cmpint (row->code, ==, 3);
  row = gk_aws_error_find (rows, G_N_ELEMENTS (rows), "Gone", NULL, OP_B);
  g_assert_cmpint (row->code, ==, 4);

  /* codes are compared exactly */
  g_assert_null (gk_aws_error_find (rows, G_N_ELEMENTS (rows), "refused", NULL, OP_A));
  g_assert_null (gk_aws_error_find (rows, G_N_ELEMENTS (rows), "Unknown", NULL, OP_A));
  g_assert_null (gk_aws_error_find (rows, G_N_ELEMENTS (rows), NULL, NULL, OP_A));
}

static void
test_normalize (void)
{
  struct { const char *raw; const char *bare; } cases[] = {
    { "NotAuthorizedException", "NotAuthorizedException" },
    { "com.amazonaws.cognito.identity#NotAuthorizedException", "NotAuthorizedException" },
    { "LimitExceededException:http://internal.amazon.com/coral/com.amazon.coral.service/",
      "LimitExceededException" },
    { "aws.protocoltests#Err:http://x", "Err" },
    { "", NULL },
    { ":http://x", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bare = gk_aws_error_normalize_code (cases[i].raw);

      g_assert_cmpstr (bare, ==, cases[i].bare);
    }
}

static void
test_expand (void)
{
  const char *fields[] = { "code", "AccessDenied", "what", "s3://b/{k}", NULL };
  g_autofree char *a = gk_aws_error_expand ("{code} on {what}.", fields);
  g_autofree char *b = gk_aws_error_expand ("{unknown} {code", fields);
  g_autofree char *c = gk_aws_error_expand ("{}{{code}}", fields);
  g_autofree char *d = gk_aws_error_expand ("plain", NULL);

  g_assert_cmpstr (a, ==, "AccessDenied on s3://b/{k}.");
  /* a field nobody fills stays visible rather than vanishing */
  g_assert_cmpstr (b, ==, "{unknown} {code");
  g_assert_cmpstr (c, ==, "{}{AccessDenied}");
  g_assert_cmpstr (d, ==, "plain");
}

static void
test_clean_message (void)
{
  g_autofree char *long_text = g_strnfill (500, 'x');
  g_autofree char *cut = gk_aws_error_clean_message (long_text);
  g_autofree char *lines = gk_aws_error_clean_message ("  one\ntwo\r\tthree ");
  g_autofree char *bad = gk_aws_error_clean_message ("\xff\xfe");
  g_autofree char *none = gk_aws_error_clean_message (NULL);

  g_assert_cmpuint (g_utf8_strlen (cut, -1), ==, 200);
  g_assert_cmpstr (lines, ==, "one two  three");
  g_assert_cmpstr (bad, ==, "");
  g_assert_cmpstr (none, ==, "");
}

static const GkAwsErrorRow unknown = { "", NULL, 0, 10, "unknown {code}: {aws_message}" };
static const GkAwsErrorRow throttled = { "", NULL, 0, 11, "throttled {status}" };
static const GkAwsErrorRow unavailable = { "", NULL, 0, 12, "unavailable {status}" };
static const GkAwsErrorRow no_code = { "", NULL, 0, 13, "no code {status} for {what}" };
static const GkAwsErrorFallbacks fallbacks = { &unknown, &throttled, &unavailable, &no_code };

static void
test_from_answer (void)
{
  GQuark domain = g_quark_from_static_string ("test-aws-error");
  const char *fields[] = { "what", "the role", NULL };
  struct { guint status; const char *code; const char *message; int want; const char *says; } cases[] = {
    { 400, "Gone", NULL, 3, "pool gone" },            /* the table's row, for OP_A */
    { 400, "ns#Refused:x", "Token expired: 2 >= 1", 1, "expired" },
    { 400, "Brand-new", "Say\nwhat", 10, "unknown Brand-new: Say what" },
    { 429, NULL, NULL, 11, "throttled 429" },
    { 503, NULL, "busy", 12, "unavailable 503" },
    { 0, NULL, NULL, 12, "unavailable 0" },
    { 404, NULL, NULL, 13, "no code 404 for the role" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = gk_aws_error_from_answer (domain, rows, G_N_ELEMENTS (rows),
                                                          &fallbacks, OP_A, cases[i].status,
                                                          cases[i].code, cases[i].message,
                                                          fields);

      g_assert_error (error, domain, cases[i].want);
      g_assert_cmpstr (error->message, ==, cases[i].says);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/aws-error/find/wording-then-code-then-call", test_find);
  g_test_add_func ("/aws-error/code/namespace-and-suffix-stripped", test_normalize);
  g_test_add_func ("/aws-error/message/fields-filled-in", test_expand);
  g_test_add_func ("/aws-error/message/aws-words-cut-to-one-line", test_clean_message);
  g_test_add_func ("/aws-error/answer/table-then-fallbacks", test_from_answer);

  return g_test_run ();
}
