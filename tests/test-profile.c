/* test-profile.c: a profile made from one JSON object — every key checked,
 * defaults, the issuer it learns, the sources that are not a lab sign-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-profile-import.h"
#include "gk-profile-store.h"
#include "gk-test.h"
#include "loopback-resolver.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The IGV config with one key replaced (value is raw JSON) or removed (NULL). */
static JsonObject *
config_with (const char *key,
             const char *value)
{
  JsonObject *object = parse_object (IGV_CONFIG);

  if (value == NULL)
    json_object_remove_member (object, key);
  else
    {
      g_autoptr(JsonNode) node = json_from_string (value, NULL);

      g_assert_nonnull (node);
      json_object_set_member (object, key, g_steal_pointer (&node));
    }
  return object;
}

static GkProfile *
profile_with (const char  *key,
              const char  *value,
              GError     **error)
{
  g_autoptr(JsonObject) object = config_with (key, value);

  return gk_profile_new_from_json (object, "lab", error);
}

static void
assert_refused (const char *key,
                const char *value,
                int         code,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = profile_with (key, value, &error);

  g_assert_null (profile);
  g_assert_error (error, GK_PROFILE_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_profile_error_carries_key (void)
{
  static const struct { const char *key; const char *value; const char *named; } cases[] = {
    { "aws_region", "\"Frankfurt\"", "aws_region" },
    { "client_id", NULL, "client_id" },
    { "auth_uri", NULL, "authorization_endpoint" },
    { "duration_seconds", "\"1h\"", "duration_seconds" },
    { "buckets", "[\"Not A Bucket\"]", "buckets" },
    { "aws_cognito_fed_pool_id", "\"us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789\"", "aws_region" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GkProfile) profile = profile_with (cases[i].key, cases[i].value, &error);

      g_assert_null (profile);
      g_assert_nonnull (error);
      g_assert_cmpstr (gk_profile_error_get_key (error), ==, cases[i].named);
    }
  /* Other domains carry nothing. */
  {
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_null (gk_profile_error_get_key (other));
    g_assert_null (gk_profile_error_get_profile (other));
  }
}

static void
test_profile_igv_config_as_is (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse_object (IGV_CONFIG);
  g_autoptr(GkProfile) p = gk_profile_new_from_json (object, "lab", &error);
  g_autofree char *logins = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_client_id (p), ==, "4abc5def6ghi");
  g_assert_null (gk_profile_get_client_secret (p));
  g_assert_cmpstr (gk_profile_get_authorization_endpoint (p), ==,
                   "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize");
  g_assert_cmpstr (gk_profile_get_token_endpoint (p), ==,
                   "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token");
  g_assert_cmpstr (gk_profile_get_scope (p), ==, "email openid profile");
  g_assert_cmpstr (gk_profile_get_redirect_uri (p), ==, "http://localhost:60151/oauthCallback");
  g_assert_cmpuint (gk_profile_get_redirect_port (p), ==, 60151);
  g_assert_cmpstr (gk_profile_get_redirect_path (p), ==, "/oauthCallback");
  g_assert_cmpstr (gk_profile_get_region (p), ==, "eu-west-2");
  g_assert_cmpint (gk_profile_get_flow (p), ==, GK_PROFILE_FLOW_BASIC);

  logins = gk_profile_dup_logins_key (p);
  g_assert_cmpstr (logins, ==, "cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123");
}

static void
test_profile_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) p = profile_with ("aws_cognito_role_arn", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gk_profile_get_flow (p), ==, GK_PROFILE_FLOW_ENHANCED);
  g_assert_cmpstr (gk_profile_get_issuer (p), ==,
                   "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123");
  g_assert_cmpstr (gk_profile_get_jwks_uri (p), ==,
                   "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123/.well-known/jwks.json");
  g_assert_cmpstr (gk_profile_get_revocation_endpoint (p), ==,
                   "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/revoke");
  g_assert_cmpstr (gk_profile_get_logout_endpoint (p), ==,
                   "https://lab.auth.eu-west-2.amazoncognito.com/logout");
  g_assert_cmpstr (gk_profile_get_cognito_identity_endpoint (p), ==,
                   "https://cognito-identity.eu-west-2.amazonaws.com/");
  g_assert_cmpstr (gk_profile_get_sts_endpoint (p), ==, "https://sts.eu-west-2.amazonaws.com/");
  g_assert_null (gk_profile_get_s3_endpoint (p));
  g_assert_null (gk_profile_get_buckets (p));
  g_assert_cmpuint (gk_profile_get_duration_seconds (p), ==, 3600);
}

/* IGV never reads aws_cognito_pool_id, so labs' files often lack it: such
 * a file imports, with the issuer (and all that follows from it) unknown
 * until the first sign-in. */
static void
test_profile_without_user_pool_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) p = profile_with ("aws_cognito_pool_id", NULL, &error);
  g_autofree char *logins = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_null (gk_profile_get_user_pool_id (p));
  g_assert_null (gk_profile_get_issuer (p));
  g_assert_null (gk_profile_get_jwks_uri (p));
  logins = gk_profile_dup_logins_key (p);
  g_assert_null (logins);
  g_assert_cmpstr (gk_profile_get_region (p), ==, "eu-west-2");
}

/* The one form a learned issuer may take, exactly as Cognito writes it. */
static void
test_profile_issuer_only_cognito_exact_form (void)
{
  static const struct { const char *issuer; const char *pool_id; } cases[] = {
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", "eu-west-2_AbCdEf123" },
    /* wrong region: in the host, in the pool id, or in both */
    { "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/us-east-1_AbCdEf123", NULL },
    { "https://cognito-idp.us-east-1.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-22.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    /* lookalike hosts */
    { "https://cognito-idp.eu-west-2.amazonaws.com.example.org/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.co/eu-west-2_AbCdEf123", NULL },
    { "https://xcognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com./eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp-eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "https://evil.example.org/cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    /* extra path, query, fragment, trailing slash */
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123/", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123/x", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/x/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123?x=1", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123#x", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC%2Fdef", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com//eu-west-2_AbCdEf123", NULL },
    /* not https */
    { "http://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "//cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    /* user info, port */
    { "https://user@cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com@evil.example.org/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com:443/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com:8443/eu-west-2_AbCdEf123", NULL },
    /* case: Cognito's spelling is all lower case but the id */
    { "HTTPS://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "https://Cognito-IDP.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.EU-WEST-2.amazonaws.com/eu-west-2_AbCdEf123", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/EU-WEST-2_AbCdEf123", NULL },
    /* not a pool id */
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Ab-Cd", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Ab Cd", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123\n", NULL },
    { "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_"
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *pool_id = gk_profile_pool_id_from_issuer ("eu-west-2", cases[i].issuer);

      if (g_strcmp0 (pool_id, cases[i].pool_id) != 0)
        g_error ("“%s”: pool id “%s”, expected “%s”", cases[i].issuer,
                 pool_id ? pool_id : "(none)", cases[i].pool_id ? cases[i].pool_id : "(none)");
    }
  /* The longest pool id AWS makes (55 characters) still fits. */
  {
    g_autofree char *id = g_strconcat ("eu-west-2_", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
    g_autofree char *issuer = g_strconcat ("https://cognito-idp.eu-west-2.amazonaws.com/", id, NULL);
    g_autofree char *pool_id = gk_profile_pool_id_from_issuer ("eu-west-2", issuer);

    g_assert_cmpuint (strlen (id), ==, 55);
    g_assert_cmpstr (pool_id, ==, id);
  }
  /* A region that is not one matches nothing. */
  g_assert_null (gk_profile_pool_id_from_issuer ("eu-west-2.evil", "https://cognito-idp.eu-west-2.evil.amazonaws.com/eu-west-2.evil_A"));
  g_assert_null (gk_profile_pool_id_from_issuer (NULL, "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_A"));
}

/* Learning changes the profile once: the pool id, the issuer, the keys'
 * address and the Logins key follow, and the object to save holds the pool
 * id beside every key it had. The object it was made from stays as it was. */
static void
test_profile_learn_issuer (void)
{
  g_autoptr(JsonObject) object = config_with ("aws_cognito_pool_id", NULL);
  g_autoptr(GkProfile) p = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *logins = NULL;
  const char *issuer = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123";

  p = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);

  /* A wrong form is refused, naming it and what was expected, and changes nothing. */
  g_assert_false (gk_profile_learn_issuer (p, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X", &error));
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
  g_assert_cmpstr (gk_profile_error_get_key (error), ==, "aws_cognito_pool_id");
  g_assert_cmpstr (gk_profile_error_get_profile (error), ==, "lab");
  g_assert_nonnull (strstr (error->message, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X"));
  g_assert_nonnull (strstr (error->message, "eu-west-2"));
  g_clear_error (&error);
  g_assert_null (gk_profile_get_issuer (p));

  g_assert_true (gk_profile_learn_issuer (p, issuer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_issuer (p), ==, issuer);
  g_assert_cmpstr (gk_profile_get_user_pool_id (p), ==, "eu-west-2_AbCdEf123");
  g_assert_cmpstr (gk_profile_get_jwks_uri (p), ==,
                   "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123/.well-known/jwks.json");
  logins = gk_profile_dup_logins_key (p);
  g_assert_cmpstr (logins, ==, "cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123");

  saved = gk_profile_to_json (p);
  g_assert_cmpstr (json_object_get_string_member (saved, "aws_cognito_pool_id"), ==, "eu-west-2_AbCdEf123");
  g_assert_cmpstr (json_object_get_string_member (saved, "project_id"), ==, "igv");
  g_assert_cmpstr (json_object_get_string_member (saved, "auth_uri"), ==,
                   "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize");
  g_assert_cmpuint (json_object_get_size (saved), ==, json_object_get_size (object) + 1);
  g_assert_false (json_object_has_member (object, "aws_cognito_pool_id"));

  /* The same issuer again is no change; another one is refused. */
  g_assert_true (gk_profile_learn_issuer (p, issuer, &error));
  g_assert_no_error (error);
  g_assert_false (gk_profile_learn_issuer (p, "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other1", &error));
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
  g_assert_cmpstr (gk_profile_get_issuer (p), ==, issuer);
}

/* A lab's jwks_uri stays what it says when the issuer is learned. */
static void
test_profile_learn_issuer_keeps_jwks_uri (void)
{
  g_autoptr(JsonObject) object = config_with ("aws_cognito_pool_id", NULL);
  g_autoptr(GkProfile) p = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (object, "jwks_uri", "http://127.0.0.1:4001/pool/.well-known/jwks.json");
  p = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);
  g_assert_null (gk_profile_get_issuer (p));
  g_assert_cmpstr (gk_profile_get_jwks_uri (p), ==, "http://127.0.0.1:4001/pool/.well-known/jwks.json");
  g_assert_true (gk_profile_learn_issuer (p, "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_jwks_uri (p), ==, "http://127.0.0.1:4001/pool/.well-known/jwks.json");
}

static void
test_profile_default_redirect_uri (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) p = profile_with ("redirect_uris", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_redirect_uri (p), ==, GK_PROFILE_DEFAULT_REDIRECT_URI);
}

static void
test_profile_plain_scope_accepted (void)
{
  const char *forms[] = { "\"email openid profile\"", "\"email+openid+profile\"",
                          "\"openid%20email  profile\"" };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GkProfile) p = profile_with ("scope", forms[i], &error);

      g_assert_no_error (error);
      g_assert_true (strstr (gk_profile_get_scope (p), "openid") != NULL);
      g_assert_null (strstr (gk_profile_get_scope (p), "%"));
      g_assert_null (strstr (gk_profile_get_scope (p), "  "));
    }
}

static void
test_profile_stand_in_overrides (void)
{
  g_autoptr(JsonObject) object = parse_object (IGV_CONFIG);
  g_autoptr(GkProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *logins = NULL;

  json_object_set_string_member (object, "issuer", "http://127.0.0.1:4001/eu-west-2_AbCdEf123");
  json_object_set_string_member (object, "cognito_identity_endpoint", "http://127.0.0.1:4002/");
  json_object_set_string_member (object, "sts_endpoint", "http://[::1]:4003/");
  json_object_set_string_member (object, "endpoint_url", "http://localhost:4004");
  json_object_set_string_member (object, "flow", "enhanced");
  p = gk_profile_new_from_json (object, "demo", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_jwks_uri (p), ==,
                   "http://127.0.0.1:4001/eu-west-2_AbCdEf123/.well-known/jwks.json");
  g_assert_cmpstr (gk_profile_get_s3_endpoint (p), ==, "http://localhost:4004");
  g_assert_cmpint (gk_profile_get_flow (p), ==, GK_PROFILE_FLOW_ENHANCED);
  logins = gk_profile_dup_logins_key (p);
  g_assert_cmpstr (logins, ==, "127.0.0.1:4001/eu-west-2_AbCdEf123");
}

static void
test_profile_http_only_on_loopback (void)
{
  /* token_uri, the name IGV reads first (this file has it). */
  assert_refused ("token_uri", "\"http://lab.example.org/oauth2/token\"",
                  GK_PROFILE_ERROR_INVALID, "token_endpoint");
  assert_refused ("endpoint_url", "\"http://10.0.0.5:9000\"", GK_PROFILE_ERROR_INVALID, "https://");
  /* The host as written: no escapes that decode to a quote or a slash. */
  assert_refused ("endpoint_url", "\"https://s3.lab%22.example.org\"", GK_PROFILE_ERROR_INVALID, "host name");
  assert_refused ("endpoint_url", "\"https://s3%2Fx.example.org\"", GK_PROFILE_ERROR_INVALID, "host name");
  assert_refused ("endpoint_url", "\"https://s3_x.example.org\"", GK_PROFILE_ERROR_INVALID, "host name");
  assert_refused ("sts_endpoint", "\"ftp://sts.example.org\"", GK_PROFILE_ERROR_INVALID, "sts_endpoint");
  assert_refused ("auth_uri", "\"https://user:pw@lab.example.org/\"",
                  GK_PROFILE_ERROR_INVALID, "user name");
  /* A host that merely starts with 127 is not loopback. */
  assert_refused ("token_uri", "\"http://127.0.0.1.example.org/t\"",
                  GK_PROFILE_ERROR_INVALID, "plain http");
}

static void
test_profile_host_is_loopback (void)
{
  g_assert_true (gk_profile_host_is_loopback ("localhost"));
  g_assert_true (gk_profile_host_is_loopback ("LocalHost"));
  g_assert_true (gk_profile_host_is_loopback ("127.0.0.1"));
  g_assert_true (gk_profile_host_is_loopback ("127.0.0.2"));
  g_assert_true (gk_profile_host_is_loopback ("::1"));
  g_assert_true (gk_profile_host_is_loopback ("[::1]"));
  g_assert_false (gk_profile_host_is_loopback ("127.0.0.1.example.org"));
  g_assert_false (gk_profile_host_is_loopback ("localhost.example.org"));
  g_assert_false (gk_profile_host_is_loopback ("10.0.0.5"));
  g_assert_false (gk_profile_host_is_loopback ("[::2]"));
  g_assert_false (gk_profile_host_is_loopback (""));
  g_assert_false (gk_profile_host_is_loopback (NULL));
}

static void
test_profile_region_mismatch_named (void)
{
  assert_refused ("aws_region", "\"us-east-1\"", GK_PROFILE_ERROR_INVALID, "aws_region");
  assert_refused ("aws_cognito_fed_pool_id", "\"us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789\"",
                  GK_PROFILE_ERROR_INVALID, "aws_cognito_fed_pool_id");
  assert_refused ("aws_region", "\"Frankfurt\"", GK_PROFILE_ERROR_INVALID, "region code");
}

static void
test_profile_malformed_ids_named (void)
{
  assert_refused ("aws_cognito_pool_id", "\"AbCdEf123\"", GK_PROFILE_ERROR_INVALID, "aws_cognito_pool_id");
  assert_refused ("aws_cognito_fed_pool_id", "\"eu-west-2:not-a-uuid\"", GK_PROFILE_ERROR_INVALID,
                  "aws_cognito_fed_pool_id");
  assert_refused ("aws_cognito_role_arn", "\"LabReaders\"", GK_PROFILE_ERROR_INVALID, "role ARN");
  assert_refused ("aws_cognito_role_arn", "\"arn:aws:iam::12345:role/x\"", GK_PROFILE_ERROR_INVALID,
                  "aws_cognito_role_arn");
}

static void
test_profile_missing_keys_named (void)
{
  assert_refused ("client_id", NULL, GK_PROFILE_ERROR_MISSING_KEY, "client_id");
  assert_refused ("client_id", "\"\"", GK_PROFILE_ERROR_MISSING_KEY, "client_id");
  assert_refused ("token_uri", NULL, GK_PROFILE_ERROR_MISSING_KEY, "token_endpoint");
  assert_refused ("auth_uri", NULL, GK_PROFILE_ERROR_MISSING_KEY, "authorization_endpoint");
  assert_refused ("aws_cognito_fed_pool_id", NULL, GK_PROFILE_ERROR_MISSING_KEY,
                  "aws_cognito_fed_pool_id");
}

/* The sign-in listener answers on 127.0.0.1 and ::1 (localhost) only. */
static void
test_profile_redirect_uri_only_listener_hosts (void)
{
  const char *accepted[] = {
    "http://localhost:60151/oauthCallback", "http://127.0.0.1:60151/cb", "http://[::1]:60151/cb",
  };
  const char *refused[] = {
    "http://127.0.0.2:60151/cb", "http://127.1:60151/cb", "http://[::ffff:127.0.0.1]:60151/cb",
    "http://localhost.:60151/cb", "http://me@localhost:60151/cb", "http://0.0.0.0:60151/cb",
    "http://2130706433:60151/cb",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autofree char *value = g_strdup_printf ("[\"%s\"]", accepted[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkProfile) p = profile_with ("redirect_uris", value, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (gk_profile_get_redirect_uri (p), ==, accepted[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *value = g_strdup_printf ("[\"%s\"]", refused[i]);

      g_test_message ("%s", refused[i]);
      assert_refused ("redirect_uris", value, GK_PROFILE_ERROR_INVALID, "127.0.0.1");
    }
}

/* json-glib keeps the last of two equal keys; IGV's reader too. A lab's
 * edited file with an old and a new value must not silently pick one. */
static void
test_profile_duplicate_key_refused (void)
{
  const char *texts[] = {
    "{\"client_id\": \"old\", \"client_id\": \"new\", \"auth_uri\": \"https://a/authorize\"}",
    "[{\"client_id\": \"x\"}, {\"client_id\": \"y\", \"aws_region\": \"eu-west-2\", \"aws_region\": \"us-east-1\"}]",
  };
  const char *names[] = { "client_id", "aws_region" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (texts[i], strlen (texts[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) profiles = gk_profile_import_parse (bytes, "lab", &error);
      g_autofree char *quoted = g_strdup_printf ("“%s” appears twice", names[i]);

      g_assert_null (profiles);
      g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE);
      if (strstr (error->message, quoted) == NULL)
        g_error ("“%s” does not name %s", error->message, names[i]);
    }
}

/* As IGV reads the file (OAuthUtils, OAuthProvider). */
static void
test_import_as_igv_reads_it (void)
{
  const char *mixed =
    "[{\"auth_provider\": \"Google\", \"client_id\": \"g.apps\", "
    "  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\", \"token_uri\": \"https://oauth2.googleapis.com/token\"},"
    " " IGV_CONFIG "]";
  const char *both =
    "{\"client_id\": \"c\", \"aws_cognito_pool_id\": \"eu-west-2_AbCdEf123\","
    " \"aws_cognito_fed_pool_id\": \"eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789\","
    " \"authorization_endpoint\": \"https://old.example.org/oauth2/authorize\","
    " \"auth_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize\","
    " \"token_endpoint\": \"https://old.example.org/oauth2/token\","
    " \"token_uri\": \"https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token\"}";
  g_autoptr(GBytes) mixed_bytes = g_bytes_new_static (mixed, strlen (mixed));
  g_autoptr(GBytes) both_bytes = g_bytes_new_static (both, strlen (both));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) from_mixed = NULL;
  g_autoptr(GPtrArray) from_both = NULL;

  /* A list holding a Google entry too imports the Amazon one, under the
   * name given (it is the only profile). */
  from_mixed = gk_profile_import_parse (mixed_bytes, "lab", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from_mixed->len, ==, 1);
  g_assert_cmpstr (gk_profile_get_name (from_mixed->pdata[0]), ==, "lab");
  g_assert_cmpstr (gk_profile_get_client_id (from_mixed->pdata[0]), ==, "4abc5def6ghi");

  /* auth_uri wins over authorization_endpoint, token_uri over token_endpoint. */
  from_both = gk_profile_import_parse (both_bytes, "lab", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_authorization_endpoint (from_both->pdata[0]), ==,
                   "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize");
  g_assert_cmpstr (gk_profile_get_token_endpoint (from_both->pdata[0]), ==,
                   "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token");
}

static void
test_profile_bad_values_named (void)
{
  assert_refused ("client_id", "42", GK_PROFILE_ERROR_INVALID, "client_id");
  assert_refused ("scope", "\"email profile\"", GK_PROFILE_ERROR_INVALID, "openid");
  assert_refused ("redirect_uris", "[\"https://lab.example.org/cb\"]", GK_PROFILE_ERROR_INVALID,
                  "redirect_uris");
  assert_refused ("redirect_uris", "[\"http://localhost/oauthCallback\"]", GK_PROFILE_ERROR_INVALID,
                  "port");
  assert_refused ("redirect_uris", "\"http://localhost:60151/oauthCallback\"",
                  GK_PROFILE_ERROR_INVALID, "list");
  assert_refused ("flow", "\"classic\"", GK_PROFILE_ERROR_INVALID, "enhanced");
  assert_refused ("duration_seconds", "60", GK_PROFILE_ERROR_INVALID, "900");
  assert_refused ("duration_seconds", "43201", GK_PROFILE_ERROR_INVALID, "43200");
  assert_refused ("duration_seconds", "\"1h\"", GK_PROFILE_ERROR_INVALID, "duration_seconds");
  assert_refused ("buckets", "\"lab-data\"", GK_PROFILE_ERROR_INVALID, "buckets");
  assert_refused ("buckets", "[\"Lab_Data\"]", GK_PROFILE_ERROR_INVALID, "Lab_Data");
}

static void
test_profile_basic_flow_needs_role (void)
{
  g_autoptr(JsonObject) object = config_with ("aws_cognito_role_arn", NULL);
  g_autoptr(GkProfile) p = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (object, "flow", "basic");
  p = gk_profile_new_from_json (object, "lab", &error);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_MISSING_KEY);
  g_assert_nonnull (strstr (error->message, "aws_cognito_role_arn"));
}

static void
test_profile_bucket_allow_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) p = profile_with ("buckets", "[\"lab-data\", \"lab.share/cohort1/\"]", &error);
  const char * const *buckets;

  g_assert_no_error (error);
  buckets = gk_profile_get_buckets (p);
  g_assert_cmpuint (g_strv_length ((GStrv) buckets), ==, 2);
  g_assert_cmpstr (buckets[1], ==, "lab.share/cohort1/");
}

static void
test_profile_names (void)
{
  g_assert_true (gk_profile_name_is_valid ("lab"));
  g_assert_true (gk_profile_name_is_valid ("lab-2.eu_west"));
  g_assert_false (gk_profile_name_is_valid ("env"));
  g_assert_false (gk_profile_name_is_valid (".hidden"));
  g_assert_false (gk_profile_name_is_valid ("../escape"));
  g_assert_false (gk_profile_name_is_valid ("a/b"));
  g_assert_false (gk_profile_name_is_valid (""));
  g_assert_false (gk_profile_name_is_valid (NULL));
  /* A name becomes a file name: "$" must not match before a last newline. */
  g_assert_false (gk_profile_name_is_valid ("lab\n"));
}

/* No key's check lets a value end in a newline: each would end up in a
 * host, a file name, an AWS parameter or a message line. */
static void
test_profile_values_ending_in_newline_refused (void)
{
  static const struct { const char *json; const char *key; } cases[] = {
    { "{\"source\":\"access-key\",\"access_key_id\":\"AKIAIOSFODNN7EXAMPLE\",\"aws_region\":\"eu-west-2\\n\"}",
      "aws_region" },
    { "{\"source\":\"access-key\",\"access_key_id\":\"AKIAIOSFODNN7EXAMPLE\\n\"}", "access_key_id" },
    { "{\"source\":\"instance-profile\",\"buckets\":[\"lab-data\\n\"]}", "buckets" },
    { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/Lab\\n\","
      "\"source_profile\":\"lab\"}", "role_arn" },
    { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/Lab\","
      "\"source_profile\":\"lab\",\"external_id\":\"seqera-7f3a\\n\"}", "external_id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parse_object (cases[i].json);
      g_autoptr(GkProfile) profile = gk_profile_new_from_json (object, "partner", &error);

      g_assert_null (profile);
      g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
      g_assert_cmpstr (gk_profile_error_get_key (error), ==, cases[i].key);
    }
  assert_refused ("aws_cognito_fed_pool_id", "\"eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789\\n\"",
                  GK_PROFILE_ERROR_INVALID, "aws_cognito_fed_pool_id");
  assert_refused ("aws_cognito_pool_id", "\"eu-west-2_AbCdEf123\\n\"", GK_PROFILE_ERROR_INVALID,
                  "aws_cognito_pool_id");
  assert_refused ("aws_cognito_role_arn", "\"arn:aws:iam::123456789012:role/LabReaders\\n\"",
                  GK_PROFILE_ERROR_INVALID, "aws_cognito_role_arn");
}

/* ---- profiles that are not a lab sign-in ---------------------------------- */

static GkProfile *
source_profile (const char  *json,
                GError     **error)
{
  g_autoptr(JsonObject) object = parse_object (json);

  return gk_profile_new_from_json (object, "partner", error);
}

static void
test_profile_source_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) key = source_profile ("{\"source\":\"access-key\","
                                             "\"access_key_id\":\"AKIAIOSFODNN7EXAMPLE\"}", &error);
  g_autoptr(GkProfile) ec2 = NULL;
  g_autoptr(GkProfile) role = NULL;

  /* no Cognito keys needed; the region AWS's tools default to, and STS
   * and IAM's endpoints from it */
  g_assert_no_error (error);
  g_assert_cmpint (gk_profile_get_source (key), ==, GK_PROFILE_SOURCE_ACCESS_KEY);
  g_assert_false (gk_profile_is_sign_in (key));
  g_assert_cmpstr (gk_profile_get_region (key), ==, "us-east-1");
  g_assert_cmpstr (gk_profile_get_sts_endpoint (key), ==, "https://sts.us-east-1.amazonaws.com/");
  g_assert_cmpstr (gk_profile_get_iam_endpoint (key), ==, "https://iam.amazonaws.com/");
  g_assert_cmpstr (gk_profile_get_access_key_id (key), ==, "AKIAIOSFODNN7EXAMPLE");

  ec2 = source_profile ("{\"source\":\"instance-profile\",\"aws_region\":\"eu-west-2\","
                        "\"buckets\":[\"lab-data\"]}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_sts_endpoint (ec2), ==, "https://sts.eu-west-2.amazonaws.com/");
  g_assert_cmpstr (gk_profile_get_buckets (ec2)[0], ==, "lab-data");

  role = source_profile ("{\"source\":\"assume-role\","
                         "\"role_arn\":\"arn:aws:iam::123456789012:role/SeqeraAccess\","
                         "\"external_id\":\"seqera-7f3a\",\"source_profile\":\"lab\","
                         "\"tags\":{\"lab\":\"genomics\"},\"source_identity\":\"ana@lab.org\"}",
                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_profile_get_assume_role_arn (role), ==, "arn:aws:iam::123456789012:role/SeqeraAccess");
  g_assert_cmpstr (gk_profile_get_external_id (role), ==, "seqera-7f3a");
  g_assert_cmpstr (gk_profile_get_source_profile (role), ==, "lab");
  g_assert_cmpuint (gk_profile_get_duration_seconds (role), ==, 3600);
  g_assert_null (gk_profile_get_role_session_name (role));
  g_assert_cmpstr (gk_profile_get_session_tags (role)[0], ==, "lab");
  g_assert_cmpstr (gk_profile_get_session_tags (role)[1], ==, "genomics");
  g_assert_cmpstr (gk_profile_get_source_identity (role), ==, "ana@lab.org");
}

typedef struct
{
  const char *json;
  int code;
  const char *names;  /* the key (or the fix) the message must name */
} SourceCase;

static const SourceCase source_cases[] = {
  { "{\"source\":\"sso\"}", GK_PROFILE_ERROR_INVALID, "instance-profile" },
  { "{\"source\":\"access-key\"}", GK_PROFILE_ERROR_MISSING_KEY, "access_key_id" },
  { "{\"source\":\"access-key\",\"access_key_id\":\"akiaiosfodnn7example\"}",
    GK_PROFILE_ERROR_INVALID, "access_key_id" },
  /* temporary keys need a session token an access-key profile cannot keep */
  { "{\"source\":\"access-key\",\"access_key_id\":\"ASIAIOSFODNN7EXAMPLE\"}",
    GK_PROFILE_ERROR_INVALID, "ASIA" },
  { "{\"source\":\"access-key\",\"access_key_id\":\"AKIAIOSFODNN7EXAMPLE\","
    "\"iam_endpoint\":\"http://iam.example.org/\"}", GK_PROFILE_ERROR_INVALID, "iam_endpoint" },
  { "{\"source\":\"instance-profile\",\"aws_region\":\"Europe\"}", GK_PROFILE_ERROR_INVALID, "aws_region" },
  { "{\"source\":\"instance-profile\",\"endpoint_url\":\"ftp://s3.example.org\"}",
    GK_PROFILE_ERROR_INVALID, "endpoint_url" },
  { "{\"source\":\"assume-role\",\"source_profile\":\"lab\"}", GK_PROFILE_ERROR_MISSING_KEY, "role_arn" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"SeqeraAccess\",\"source_profile\":\"lab\"}",
    GK_PROFILE_ERROR_INVALID, "role_arn" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\"}",
    GK_PROFILE_ERROR_MISSING_KEY, "source_profile" },
  /* a role cannot be assumed with its own credentials */
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
    "\"source_profile\":\"partner\"}", GK_PROFILE_ERROR_INVALID, "source_profile" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
    "\"source_profile\":\"lab\",\"external_id\":\"has space\"}", GK_PROFILE_ERROR_INVALID, "external_id" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
    "\"source_profile\":\"lab\",\"role_session_name\":\"x\"}", GK_PROFILE_ERROR_INVALID, "role_session_name" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
    "\"source_profile\":\"lab\",\"source_identity\":\"ana lab\"}", GK_PROFILE_ERROR_INVALID, "source_identity" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
    "\"source_profile\":\"lab\",\"duration_seconds\":60}", GK_PROFILE_ERROR_INVALID, "duration_seconds" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
    "\"source_profile\":\"lab\",\"tags\":[\"lab=genomics\"]}", GK_PROFILE_ERROR_INVALID, "tags" },
  { "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
    "\"source_profile\":\"lab\",\"tags\":{\"lab\":7}}", GK_PROFILE_ERROR_INVALID, "lab" },
};

static void
test_profile_source_keys_named (gconstpointer data)
{
  const SourceCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = source_profile (c->json, &error);

  g_assert_null (profile);
  g_assert_error (error, GK_PROFILE_ERROR, c->code);
  g_assert_nonnull (strstr (error->message, c->names));
}

static void
test_profile_source_round_trip (void)
{
  const char *json = "{\"source\":\"assume-role\","
                     "\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
                     "\"source_profile\":\"lab\",\"external_id\":\"x-1\",\"duration_seconds\":900}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = source_profile (json, &error);
  g_autoptr(JsonObject) saved = gk_profile_to_json (profile);
  g_autoptr(GkProfile) again = gk_profile_new_from_json (saved, "partner", &error);

  /* what is saved reads back the same: a profile file holds the keys as given */
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (saved, "source"), ==, "assume-role");
  g_assert_cmpint (gk_profile_get_source (again), ==, GK_PROFILE_SOURCE_ASSUME_ROLE);
  g_assert_cmpstr (gk_profile_get_external_id (again), ==, "x-1");
  g_assert_cmpuint (gk_profile_get_duration_seconds (again), ==, 900);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  loopback_resolver_install ();

  g_test_add_func ("/profile/import/duplicate-key-refused", test_profile_duplicate_key_refused);
  g_test_add_func ("/profile/import/as-igv-reads-it", test_import_as_igv_reads_it);
  g_test_add_func ("/profile/redirect-uri/only-hosts-the-listener-answers", test_profile_redirect_uri_only_listener_hosts);
  g_test_add_func ("/profile/igv-config-as-is", test_profile_igv_config_as_is);
  g_test_add_func ("/profile/defaults", test_profile_defaults);
  g_test_add_func ("/profile/import/without-user-pool-id", test_profile_without_user_pool_id);
  g_test_add_func ("/profile/learned-issuer/only-cognito-exact-form", test_profile_issuer_only_cognito_exact_form);
  g_test_add_func ("/profile/learned-issuer/changes-the-profile-once", test_profile_learn_issuer);
  g_test_add_func ("/profile/learned-issuer/keeps-jwks-uri", test_profile_learn_issuer_keeps_jwks_uri);
  g_test_add_func ("/profile/default-redirect-uri", test_profile_default_redirect_uri);
  g_test_add_func ("/profile/plain-and-encoded-scope", test_profile_plain_scope_accepted);
  g_test_add_func ("/profile/stand-in-overrides", test_profile_stand_in_overrides);
  g_test_add_func ("/profile/http-only-on-loopback", test_profile_http_only_on_loopback);
  g_test_add_func ("/profile/host-is-loopback", test_profile_host_is_loopback);
  g_test_add_func ("/profile/region-mismatch-named", test_profile_region_mismatch_named);
  g_test_add_func ("/profile/malformed-ids-named", test_profile_malformed_ids_named);
  g_test_add_func ("/profile/missing-keys-named", test_profile_missing_keys_named);
  g_test_add_func ("/profile/bad-values-named", test_profile_bad_values_named);
  g_test_add_func ("/profile/basic-flow-needs-role", test_profile_basic_flow_needs_role);
  g_test_add_func ("/profile/bucket-allow-list", test_profile_bucket_allow_list);
  g_test_add_func ("/profile/names", test_profile_names);
  g_test_add_func ("/profile/values-ending-in-newline-refused", test_profile_values_ending_in_newline_refused);
  g_test_add_func ("/profile/source/defaults-without-cognito-keys", test_profile_source_defaults);
  g_test_add_func ("/profile/source/round-trip", test_profile_source_round_trip);
  for (guint i = 0; i < G_N_ELEMENTS (source_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/profile/source/bad-key-named/%u", i);

      g_test_add_data_func (path, &source_cases[i], test_profile_source_keys_named);
    }
  g_test_add_func ("/profile/error/carries-the-key", test_profile_error_carries_key);

  return g_test_run ();
}
