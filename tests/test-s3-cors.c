/* test-s3-cors.c: judging a bucket's CORS rules as S3 applies them, and
 * what the web viewers make of the verdict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "gk-s3-cors.h"
#include "gk-web-viewer.h"

static GkS3CorsRule *
rule_new (const char *origins,
          const char *methods,
          const char *headers,
          const char *expose)
{
  GkS3CorsRule *rule = g_new0 (GkS3CorsRule, 1);

  rule->allowed_origins = g_strsplit (origins, ",", -1);
  rule->allowed_methods = g_strsplit (methods, ",", -1);
  rule->allowed_headers = headers ? g_strsplit (headers, ",", -1) : NULL;
  rule->expose_headers = expose ? g_strsplit (expose, ",", -1) : NULL;
  return rule;
}

static GPtrArray *
rules_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_cors_rule_free);
}

static const char * const range[] = { "Range", NULL };
static const char * const length_and_range[] = { "Content-Length", "Content-Range", "Accept-Ranges", NULL };

static const GkS3CorsRequest plain_get = { "https://app.example.org", "GET", NULL, NULL };
static const GkS3CorsRequest ranged_get = { "https://app.example.org", "GET", range, length_and_range };

static void
assert_verdict (GPtrArray             *rules,
                const GkS3CorsRequest *request,
                GkS3CorsOutcome        outcome,
                const char            *header)
{
  g_autoptr(GkS3CorsVerdict) verdict = gk_s3_cors_judge (rules, request);

  g_assert_nonnull (verdict);
  g_assert_cmpint (verdict->outcome, ==, outcome);
  g_assert_cmpstr (verdict->header, ==, header);
  g_assert_cmpstr (verdict->origin, ==, request->origin);
  g_assert_cmpstr (verdict->method, ==, request->method);
}

static void
test_no_configuration (void)
{
  g_autoptr(GPtrArray) empty = rules_new ();

  assert_verdict (NULL, &plain_get, GK_S3_CORS_NO_CONFIGURATION, NULL);
  assert_verdict (empty, &plain_get, GK_S3_CORS_NO_CONFIGURATION, NULL);
}

static void
test_origin_and_method (void)
{
  g_autoptr(GPtrArray) rules = rules_new ();

  /* Another site, and PUT only: the origin is refused. */
  g_ptr_array_add (rules, rule_new ("https://lab.example.org", "GET", "*", NULL));
  g_ptr_array_add (rules, rule_new ("*", "PUT", "*", NULL));
  assert_verdict (rules, &plain_get, GK_S3_CORS_ORIGIN_REFUSED, NULL);

  /* S3 methods are exact names; "get" is not GET. */
  g_ptr_array_add (rules, rule_new ("*", "get", NULL, NULL));
  assert_verdict (rules, &plain_get, GK_S3_CORS_ORIGIN_REFUSED, NULL);

  /* One wildcard in an origin, matched without case. */
  g_ptr_array_add (rules, rule_new ("https://*.EXAMPLE.org", "GET", NULL, NULL));
  assert_verdict (rules, &plain_get, GK_S3_CORS_ALLOWED, NULL);
}

static void
test_preflight_headers (void)
{
  g_autoptr(GPtrArray) rules = rules_new ();
  g_autoptr(GPtrArray) later = rules_new ();
  g_autoptr(GPtrArray) wildcard = rules_new ();

  /* GET from anywhere, but the Range header of a ranged read is not
   * allowed: the preflight fails. */
  g_ptr_array_add (rules, rule_new ("*", "GET,HEAD", NULL, "Content-Length,Content-Range"));
  assert_verdict (rules, &plain_get, GK_S3_CORS_ALLOWED, NULL);
  assert_verdict (rules, &ranged_get, GK_S3_CORS_HEADER_NOT_ALLOWED, "Range");

  /* S3 answers the preflight from the first rule that covers the headers
   * too, even a later one. */
  g_ptr_array_add (later, rule_new ("*", "GET", NULL, "Content-Range,Accept-Ranges"));
  g_ptr_array_add (later, rule_new ("*", "GET", "range", NULL));
  assert_verdict (later, &ranged_get, GK_S3_CORS_ALLOWED, NULL);

  /* Header entries may hold a wildcard. */
  g_ptr_array_add (wildcard, rule_new ("*", "GET", "x-amz-*,r*", "accept-ranges,CONTENT-RANGE"));
  assert_verdict (wildcard, &ranged_get, GK_S3_CORS_ALLOWED, NULL);
}

static void
test_exposed_headers (void)
{
  g_autoptr(GPtrArray) rules = rules_new ();
  g_autoptr(GPtrArray) first_wins = rules_new ();

  /* Content-Length is readable whatever the rule exposes (a CORS-safelisted
   * response header); Accept-Ranges is not. */
  g_ptr_array_add (rules, rule_new ("*", "GET", "*", "ETag,Content-Range"));
  assert_verdict (rules, &ranged_get, GK_S3_CORS_HEADER_NOT_EXPOSED, "Accept-Ranges");

  /* The answer to the request itself carries the first matching rule's
   * ExposeHeader list, whatever later rules say. */
  g_ptr_array_add (first_wins, rule_new ("*", "GET", "*", NULL));
  g_ptr_array_add (first_wins, rule_new ("*", "GET", "*", "Content-Range,Accept-Ranges"));
  assert_verdict (first_wins, &ranged_get, GK_S3_CORS_HEADER_NOT_EXPOSED, "Content-Range");
}

static void
test_viewers_word_the_verdict (void)
{
  const GkViewer viewers[] = { GK_VIEWER_IGV_WEB, GK_VIEWER_CHROMOSCOPE };

  g_assert_cmpstr (gk_web_viewer_origin (GK_VIEWER_IGV_WEB), ==, GK_IGV_WEB_ORIGIN);
  g_assert_cmpstr (gk_web_viewer_origin (GK_VIEWER_CHROMOSCOPE), ==, GK_CHROMOSCOPE_ORIGIN);

  for (guint v = 0; v < G_N_ELEMENTS (viewers); v++)
    {
      const GkS3CorsRequest *request = gk_web_viewer_cors_request (viewers[v]);
      g_autoptr(GPtrArray) none = rules_new ();
      g_autoptr(GPtrArray) other_site = rules_new ();
      g_autoptr(GkS3CorsVerdict) v1 = NULL, v2 = NULL;
      g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL;
      GkS3CorsVerdict allowed = { GK_S3_CORS_ALLOWED, NULL, NULL, NULL };
      GkS3CorsVerdict hidden = { GK_S3_CORS_HEADER_NOT_EXPOSED, NULL, (char *) "GET", (char *) "Content-Range" };

      g_assert_cmpstr (request->method, ==, "GET");
      v1 = gk_s3_cors_judge (none, request);
      s1 = gk_web_viewer_describe_cors (viewers[v], v1);
      g_assert_nonnull (strstr (s1, "no CORS configuration"));

      g_ptr_array_add (other_site, rule_new ("https://lab.example.org", "GET", "*", NULL));
      v2 = gk_s3_cors_judge (other_site, request);
      s2 = gk_web_viewer_describe_cors (viewers[v], v2);
      g_assert_nonnull (strstr (s2, gk_web_viewer_origin (viewers[v])));

      s3 = gk_web_viewer_describe_cors (viewers[v], &hidden);
      g_assert_nonnull (strstr (s3, "Content-Range"));
      g_assert_nonnull (strstr (s3, gk_viewer_get_name (viewers[v])));

      g_assert_null (gk_web_viewer_describe_cors (viewers[v], &allowed));
    }
}

/* The rule Chromoscope's documentation gives: headers allowed, nothing
 * exposed. Chromoscope's readers need nothing exposed (tested in Chromium
 * in handoff-web.test.mjs), so it is no reason for a warning; igv.js reads
 * Content-Range, so IGV-Web still gets one. */
static void
test_chromoscope_documented_rule (void)
{
  g_autoptr(GPtrArray) rules = rules_new ();
  g_autoptr(GPtrArray) no_headers = rules_new ();

  g_ptr_array_add (rules, rule_new ("*", "GET", "*", NULL));
  assert_verdict (rules, gk_web_viewer_cors_request (GK_VIEWER_CHROMOSCOPE), GK_S3_CORS_ALLOWED, NULL);
  assert_verdict (rules, gk_web_viewer_cors_request (GK_VIEWER_IGV_WEB), GK_S3_CORS_HEADER_NOT_EXPOSED, "Content-Range");

  /* Without AllowedHeaders the preflight for range fails for both. */
  g_ptr_array_add (no_headers, rule_new ("*", "GET", NULL, NULL));
  assert_verdict (no_headers, gk_web_viewer_cors_request (GK_VIEWER_CHROMOSCOPE), GK_S3_CORS_HEADER_NOT_ALLOWED, "Range");
}

/* The configuration Genokey tells admins to set lets both viewers in. */
static void
test_suggested_configuration_passes (void)
{
  g_autofree char *json = gk_web_viewer_cors_json ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) rules = rules_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *list;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "CORSRules");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *r = json_array_get_object_element (list, i);
      GkS3CorsRule *rule = g_new0 (GkS3CorsRule, 1);
      struct { const char *member; GStrv *out; } lists[] = {
        { "AllowedOrigins", &rule->allowed_origins }, { "AllowedMethods", &rule->allowed_methods },
        { "AllowedHeaders", &rule->allowed_headers }, { "ExposeHeaders", &rule->expose_headers },
      };

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        {
          JsonArray *a = json_object_get_array_member (r, lists[l].member);
          GStrvBuilder *b = g_strv_builder_new ();

          for (guint j = 0; j < json_array_get_length (a); j++)
            g_strv_builder_add (b, json_array_get_string_element (a, j));
          *lists[l].out = g_strv_builder_end (b);
          g_strv_builder_unref (b);
        }
      g_ptr_array_add (rules, rule);
    }
  assert_verdict (rules, gk_web_viewer_cors_request (GK_VIEWER_IGV_WEB), GK_S3_CORS_ALLOWED, NULL);
  assert_verdict (rules, gk_web_viewer_cors_request (GK_VIEWER_CHROMOSCOPE), GK_S3_CORS_ALLOWED, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/s3-cors/judge/no-configuration", test_no_configuration);
  g_test_add_func ("/s3-cors/judge/origin-and-method", test_origin_and_method);
  g_test_add_func ("/s3-cors/judge/preflight-takes-first-rule-covering-headers", test_preflight_headers);
  g_test_add_func ("/s3-cors/judge/exposed-from-first-matching-rule", test_exposed_headers);
  g_test_add_func ("/s3-cors/web-viewer/words-the-verdict", test_viewers_word_the_verdict);
  g_test_add_func ("/s3-cors/web-viewer/chromoscope-documented-rule-passes", test_chromoscope_documented_rule);
  g_test_add_func ("/s3-cors/web-viewer/suggested-configuration-passes", test_suggested_configuration_passes);

  return g_test_run ();
}
