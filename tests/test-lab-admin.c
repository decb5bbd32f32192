/* test-lab-admin.c: the documents and commands a lab's admin applies, and
 * IGV's oauth-config.json written from a profile
 *
 * Each document is read back as AWS would read it: the CORS rules are
 * judged by the same rules S3 applies (gk-s3-cors.h), the policy's
 * statements are taken apart, and the commands are split as a shell would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-lab-admin.h"
#include "gk-profile-export.h"
#include "gk-profile-import.h"
#include "gk-s3-cors.h"
#include "gk-web-viewer.h"

static JsonObject *
parse_object (const char  *text,
              JsonParser **out_parser)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (json_parser_get_root (*out_parser));
}

static GStrv
strings_of (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_VALUE (node))
    g_strv_builder_add (builder, json_node_get_string (node));
  else
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      g_strv_builder_add (builder, json_array_get_string_element (json_node_get_array (node), i));
  return g_strv_builder_end (builder);
}

static GkProfile *
make_profile (const char *extra_key,
              const char *extra_value)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  GkProfile *profile;

  json_object_set_string_member (object, "client_id", "labclient");
  json_object_set_string_member (object, "authorization_endpoint",
                                 "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize");
  json_object_set_string_member (object, "token_endpoint",
                                 "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token");
  json_object_set_string_member (object, "scope", "email%20openid%20profile");
  json_object_set_string_member (object, "redirect_uri", "http://localhost:60152/oauthCallback");
  json_object_set_string_member (object, "aws_region", "eu-west-2");
  json_object_set_string_member (object, "aws_cognito_pool_id", "eu-west-2_AbCdEf123");
  json_object_set_string_member (object, "aws_cognito_fed_pool_id",
                                 "eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789");
  json_object_set_string_member (object, "chromoscope_prefix", "s3://lab-data/chromoscope/");
  if (extra_key != NULL)
    json_object_set_string_member (object, extra_key, extra_value);
  profile = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);
  return profile;
}

/* ---- CORS ---------------------------------------------------------------- */

static GPtrArray *
rules_of (const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = parse_object (json, &parser);
  JsonArray *array = json_object_get_array_member (object, "CORSRules");
  GPtrArray *rules = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_cors_rule_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *r = json_array_get_object_element (array, i);
      GkS3CorsRule *rule = g_new0 (GkS3CorsRule, 1);

      rule->allowed_origins = strings_of (r, "AllowedOrigins");
      rule->allowed_methods = strings_of (r, "AllowedMethods");
      rule->allowed_headers = strings_of (r, "AllowedHeaders");
      rule->expose_headers = strings_of (r, "ExposeHeaders");
      g_ptr_array_add (rules, rule);
    }
  return rules;
}

/* The configuration passes the very verdict the viewers' hand-offs ask. */
static void
test_cors_lets_both_viewers_in (void)
{
  const char * const extra[] = { "https://igv.org", "https://igv.lab.example", "", NULL };
  g_auto(GStrv) origins = gk_lab_admin_viewer_origins (extra);
  g_autofree char *json = gk_lab_admin_cors_configuration ((const char * const *) origins);
  g_autoptr(GPtrArray) rules = rules_of (json);
  GkViewer viewers[] = { GK_VIEWER_IGV_WEB, GK_VIEWER_CHROMOSCOPE };
  GkS3CorsRequest lab_site = *gk_web_viewer_cors_request (GK_VIEWER_IGV_WEB);
  GkS3CorsRequest stranger = *gk_web_viewer_cors_request (GK_VIEWER_IGV_WEB);
  g_autoptr(GkS3CorsVerdict) lab_verdict = NULL;
  g_autoptr(GkS3CorsVerdict) stranger_verdict = NULL;

  /* Each origin once, the viewers first. */
  g_assert_cmpuint (g_strv_length (origins), ==, 3);
  g_assert_cmpstr (origins[0], ==, GK_IGV_WEB_ORIGIN);
  g_assert_cmpstr (origins[1], ==, GK_CHROMOSCOPE_ORIGIN);
  g_assert_cmpstr (origins[2], ==, "https://igv.lab.example");

  for (guint i = 0; i < G_N_ELEMENTS (viewers); i++)
    {
      g_autoptr(GkS3CorsVerdict) verdict = gk_s3_cors_judge (rules, gk_web_viewer_cors_request (viewers[i]));

      g_assert_cmpint (verdict->outcome, ==, GK_S3_CORS_ALLOWED);
    }
  lab_site.origin = "https://igv.lab.example";
  lab_verdict = gk_s3_cors_judge (rules, &lab_site);
  g_assert_cmpint (lab_verdict->outcome, ==, GK_S3_CORS_ALLOWED);
  /* Not every site: only those named. */
  stranger.origin = "https://elsewhere.example";
  stranger_verdict = gk_s3_cors_judge (rules, &stranger);
  g_assert_cmpint (stranger_verdict->outcome, ==, GK_S3_CORS_ORIGIN_REFUSED);
}

/* A bucket name or JSON with a quote stays one argument to the shell. */
static void
test_cors_command_survives_the_shell (void)
{
  const char * const origins[] = { "https://igv.org", "https://o'neil.example", NULL };
  g_autofree char *commands = gk_lab_admin_cors_commands ("lab-data", origins);
  g_autofree char *json = gk_lab_admin_cors_configuration (origins);
  g_auto(GStrv) lines = g_strsplit (commands, "\n", -1);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (lines[0], "# "));
  /* The JSON spans lines: the command is everything after the comment. */
  g_assert_true (g_shell_parse_argv (strchr (commands, '\n') + 1, NULL, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==, "aws");
  g_assert_cmpstr (argv[3], ==, "--bucket");
  g_assert_cmpstr (argv[4], ==, "lab-data");
  g_assert_cmpstr (argv[5], ==, "--cors-configuration");
  g_strchomp (json);
  g_assert_cmpstr (argv[6], ==, json);
  g_assert_null (argv[7]);
}

/* ---- the role's policy ---------------------------------------------------- */

static JsonObject *
statement (JsonObject *policy,
           const char *sid)
{
  JsonArray *statements = json_object_get_array_member (policy, "Statement");

  for (guint i = 0; i < json_array_get_length (statements); i++)
    {
      JsonObject *s = json_array_get_object_element (statements, i);

      if (g_str_equal (json_object_get_string_member (s, "Sid"), sid))
        return s;
    }
  return NULL;
}

static gboolean
any_statement_allows (JsonObject *policy,
                      const char *action,
                      const char *resource)
{
  JsonArray *statements = json_object_get_array_member (policy, "Statement");

  for (guint i = 0; i < json_array_get_length (statements); i++)
    {
      JsonObject *s = json_array_get_object_element (statements, i);
      g_auto(GStrv) actions = strings_of (s, "Action");
      g_auto(GStrv) resources = strings_of (s, "Resource");

      if (!g_strv_contains ((const char * const *) actions, action))
        continue;
      for (guint r = 0; resources[r] != NULL; r++)
        if (g_pattern_match_simple (resources[r], resource))
          return TRUE;
    }
  return FALSE;
}

static void
test_policy_reads_data_writes_only_configs (void)
{
  const GkLabLocation read[] = { { "lab-data", "cohort1/" }, { "lab-results", NULL } };
  const GkLabLocation write[] = { { "lab-data", "chromoscope/" } };
  g_autofree char *json = gk_lab_admin_role_policy (read, G_N_ELEMENTS (read), write, G_N_ELEMENTS (write));
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *policy = parse_object (json, &parser);
  JsonObject *prefixed, *whole, *put;
  g_auto(GStrv) patterns = NULL;

  g_assert_cmpstr (json_object_get_string_member (policy, "Version"), ==, "2012-10-17");

  g_assert_true (any_statement_allows (policy, "s3:GetObject", "arn:aws:s3:::lab-data/cohort1/SAMPLE1/S1.bam"));
  g_assert_false (any_statement_allows (policy, "s3:GetObject", "arn:aws:s3:::lab-data/hr/salaries.csv"));
  g_assert_true (any_statement_allows (policy, "s3:GetObject", "arn:aws:s3:::lab-results/anything"));
  /* Read-only on the data; writing only where configs go. */
  g_assert_false (any_statement_allows (policy, "s3:PutObject", "arn:aws:s3:::lab-data/cohort1/S1.bam"));
  g_assert_false (any_statement_allows (policy, "s3:PutObject", "arn:aws:s3:::lab-results/x"));
  g_assert_true (any_statement_allows (policy, "s3:PutObject", "arn:aws:s3:::lab-data/chromoscope/cohort.json"));
  g_assert_true (any_statement_allows (policy, "s3:DeleteObject", "arn:aws:s3:::lab-data/chromoscope/cohort.json"));
  g_assert_false (any_statement_allows (policy, "s3:DeleteObject", "arn:aws:s3:::lab-data/cohort1/S1.bam"));
  g_assert_null (strstr (json, "ListAllMyBuckets"));
  g_assert_true (any_statement_allows (policy, "s3:GetBucketLocation", "arn:aws:s3:::lab-results"));
  g_assert_true (any_statement_allows (policy, "s3:GetBucketCORS", "arn:aws:s3:::lab-data"));

  /* Listing under the prefix only, and the whole of the other bucket. */
  whole = statement (policy, "ListTheLabData");
  prefixed = statement (policy, "ListTheLabData1");
  g_assert_nonnull (whole);
  g_assert_nonnull (prefixed);
  g_assert_false (json_object_has_member (whole, "Condition"));
  patterns = strings_of (json_object_get_object_member (json_object_get_object_member (prefixed, "Condition"),
                                                        "StringLike"), "s3:prefix");
  g_assert_cmpstr (patterns[0], ==, "cohort1/*");
  put = statement (policy, "WriteChromoscopeConfigs");
  g_assert_nonnull (put);
}

static void
test_policy_commands_name_the_role (void)
{
  g_autoptr(GkProfile) enhanced = make_profile (NULL, NULL);
  g_autoptr(GkProfile) basic = make_profile ("aws_cognito_role_arn",
                                             "arn:aws:iam::123456789012:role/service/LabReaders");
  g_autofree char *unnamed = gk_lab_admin_role_policy_commands (enhanced, "{}\n");
  g_autofree char *named = gk_lab_admin_role_policy_commands (basic, "{}\n");
  g_autoptr(GArray) read = NULL;
  g_autoptr(GArray) write = NULL;

  g_assert_nonnull (strstr (unnamed, "get-identity-pool-roles --identity-pool-id "
                                     "'eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789'"));
  g_assert_nonnull (strstr (unnamed, "put-role-policy --role-name ROLE --policy-name genokey-lab-data "
                                     "--policy-document '{}'"));
  g_assert_nonnull (strstr (named, "put-role-policy --role-name 'LabReaders'"));
  g_assert_null (strstr (named, "ROLE"));

  /* The profile's own locations: no buckets named, no policy to scope. */
  g_assert_false (gk_lab_admin_profile_locations (enhanced, &read, &write));
  g_assert_cmpuint (write->len, ==, 1);
  g_assert_cmpstr (g_array_index (write, GkLabLocation, 0).bucket, ==, "lab-data");
  g_assert_cmpstr (g_array_index (write, GkLabLocation, 0).prefix, ==, "chromoscope/");
}

static void
test_role_arn_from_caller (void)
{
  g_autofree char *role = gk_lab_admin_role_arn_from_caller (
    "arn:aws:sts::123456789012:assumed-role/Cognito_LabAuth_Role/CognitoIdentityCredentials");
  g_autofree char *china = gk_lab_admin_role_arn_from_caller (
    "arn:aws-cn:sts::123456789012:assumed-role/LabAuth/ana@lab.org");
  g_autofree char *user = gk_lab_admin_role_arn_from_caller ("arn:aws:iam::123456789012:user/ana");
  g_autofree char *bare = gk_lab_admin_role_arn_from_caller ("arn:aws:sts::123456789012:assumed-role/LabAuth");

  g_assert_cmpstr (role, ==, "arn:aws:iam::123456789012:role/Cognito_LabAuth_Role");
  g_assert_cmpstr (china, ==, "arn:aws-cn:iam::123456789012:role/LabAuth");
  g_assert_null (user);
  g_assert_null (bare);
  g_assert_null (gk_lab_admin_role_arn_from_caller (NULL));
}

/* ---- Cognito ---------------------------------------------------------------- */

static void
test_app_client_public_with_pkce_settings (void)
{
  g_autoptr(GkProfile) public_profile = make_profile (NULL, NULL);
  g_autoptr(GkProfile) confidential = make_profile ("client_secret", "s3cr3t-of-the-client");
  g_autoptr(JsonParser) p1 = NULL;
  g_autoptr(JsonParser) p2 = NULL;
  g_autofree char *update = NULL;
  g_autofree char *create = NULL;
  g_autofree char *commands = NULL;
  g_auto(GStrv) callbacks = NULL, flows = NULL, scopes = NULL;
  JsonObject *u, *c, *units;
  gboolean is_create = TRUE;

  update = gk_lab_admin_app_client (public_profile, &is_create);
  g_assert_false (is_create);
  u = parse_object (update, &p1);
  g_assert_cmpstr (json_object_get_string_member (u, "UserPoolId"), ==, "eu-west-2_AbCdEf123");
  g_assert_cmpstr (json_object_get_string_member (u, "ClientId"), ==, "labclient");
  callbacks = strings_of (u, "CallbackURLs");
  g_assert_cmpstr (callbacks[0], ==, "http://localhost:60152/oauthCallback");
  g_assert_null (callbacks[1]);
  flows = strings_of (u, "AllowedOAuthFlows");
  g_assert_cmpstr (flows[0], ==, "code");
  g_assert_null (flows[1]);
  scopes = strings_of (u, "AllowedOAuthScopes");
  g_assert_true (g_strv_contains ((const char * const *) scopes, "openid"));
  g_assert_true (g_strv_contains ((const char * const *) scopes, "email"));
  g_assert_true (json_object_get_boolean_member (u, "AllowedOAuthFlowsUserPoolClient"));
  g_assert_true (json_object_get_boolean_member (u, "EnableTokenRevocation"));
  /* A working day and more: an hour of tokens, renewed, for a month. */
  units = json_object_get_object_member (u, "TokenValidityUnits");
  g_assert_cmpstr (json_object_get_string_member (units, "RefreshToken"), ==, "days");
  g_assert_cmpint (json_object_get_int_member (u, "RefreshTokenValidity"), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (units, "IdToken"), ==, "minutes");
  g_assert_cmpint (json_object_get_int_member (u, "IdTokenValidity"), ==, 60);
  g_assert_false (json_object_has_member (u, "GenerateSecret"));

  /* A client with a secret cannot lose it: a new public one is made. */
  create = gk_lab_admin_app_client (confidential, &is_create);
  g_assert_true (is_create);
  c = parse_object (create, &p2);
  g_assert_false (json_object_has_member (c, "ClientId"));
  g_assert_false (json_object_get_boolean_member (c, "GenerateSecret"));
  g_assert_null (strstr (create, "s3cr3t-of-the-client"));
  commands = gk_lab_admin_app_client_commands (confidential);
  g_assert_nonnull (strstr (commands, "aws cognito-idp create-user-pool-client --region 'eu-west-2' --cli-input-json '{"));
}

static void
test_identity_pool_commands (void)
{
  g_autoptr(GkProfile) profile = make_profile (NULL, NULL);
  g_autofree char *commands = gk_lab_admin_identity_pool_commands (profile, "AllowClassicFlow", FALSE);

  g_assert_cmpstr (commands, ==,
                   "aws cognito-identity describe-identity-pool --identity-pool-id "
                   "'eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789' --region 'eu-west-2' > pool.json\n"
                   "# In pool.json set \"AllowClassicFlow\": false, then:\n"
                   "aws cognito-identity update-identity-pool --region 'eu-west-2' "
                   "--cli-input-json file://pool.json\n");
}

/* ---- IGV's oauth-config.json ----------------------------------------------- */

static void
test_igv_config_imports_back (void)
{
  g_autoptr(GkProfile) profile = make_profile ("client_secret", "s3cr3t-of-the-client");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  GkProfile *back;
  gboolean secret_left_out = FALSE;
  const guint8 *bytes;

  text = gk_profile_export_igv_config (profile, &secret_left_out, &error);
  g_assert_no_error (error);
  g_assert_true (secret_left_out);
  g_assert_null (strstr (text, "s3cr3t"));
  object = parse_object (text, &parser);
  /* As IGV reads it: raw scope, redirect_uris, aws_region. */
  g_assert_cmpstr (json_object_get_string_member (object, "scope"), ==, "email%20openid%20profile");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "redirect_uris"), 0),
                   ==, "http://localhost:60152/oauthCallback");
  g_assert_false (json_object_has_member (object, "redirect_uri"));
  g_assert_cmpstr (json_object_get_string_member (object, "aws_region"), ==, "eu-west-2");
  g_assert_cmpstr (json_object_get_string_member (object, "aws_cognito_pool_id"), ==, "eu-west-2_AbCdEf123");

  packed = gk_profile_export_gzip (text);
  bytes = g_bytes_get_data (packed, NULL);
  g_assert_cmpuint (bytes[0], ==, 0x1f);
  g_assert_cmpuint (bytes[1], ==, 0x8b);
  imported = gk_profile_import_parse (packed, "again", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 1);
  back = g_ptr_array_index (imported, 0);
  g_assert_cmpstr (gk_profile_get_client_id (back), ==, "labclient");
  g_assert_cmpstr (gk_profile_get_scope (back), ==, gk_profile_get_scope (profile));
  g_assert_cmpstr (gk_profile_get_redirect_uri (back), ==, "http://localhost:60152/oauthCallback");
  g_assert_cmpstr (gk_profile_get_issuer (back), ==, gk_profile_get_issuer (profile));
  g_assert_cmpstr (gk_profile_get_identity_pool_id (back), ==, gk_profile_get_identity_pool_id (profile));
  g_assert_cmpstr (gk_profile_get_chromoscope_prefix (back), ==, "s3://lab-data/chromoscope/");
  g_assert_null (gk_profile_get_client_secret (back));
}

static void
test_igv_config_needs_a_sign_in (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "source", "instance-profile");
  profile = gk_profile_new_from_json (object, "ec2", &error);
  g_assert_no_error (error);
  text = gk_profile_export_igv_config (profile, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
  g_assert_cmpstr (gk_profile_error_get_key (error), ==, "source");
  g_assert_cmpstr (gk_profile_error_get_profile (error), ==, "ec2");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lab-admin/cors/lets-both-viewers-in-and-no-one-else", test_cors_lets_both_viewers_in);
  g_test_add_func ("/lab-admin/cors/command-survives-the-shell", test_cors_command_survives_the_shell);
  g_test_add_func ("/lab-admin/policy/reads-data-writes-only-configs", test_policy_reads_data_writes_only_configs);
  g_test_add_func ("/lab-admin/policy/commands-name-the-role", test_policy_commands_name_the_role);
  g_test_add_func ("/lab-admin/policy/role-arn-from-the-callers", test_role_arn_from_caller);
  g_test_add_func ("/lab-admin/app-client/public-with-callback-scopes-and-a-day", test_app_client_public_with_pkce_settings);
  g_test_add_func ("/lab-admin/identity-pool/commands-start-from-its-description", test_identity_pool_commands);
  g_test_add_func ("/lab-admin/igv-config/gzip-imports-back-without-the-secret", test_igv_config_imports_back);
  g_test_add_func ("/lab-admin/igv-config/needs-a-lab-sign-in", test_igv_config_needs_a_sign_in);

  return g_test_run ();
}
