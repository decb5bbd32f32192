/* gk-profile-keys.c: a profile read from one JSON object — every key
 * checked, aliases and defaults applied, the message naming the key and the fix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-profile.h"
#include "gk-profile-private.h"

/* Reads an optional string member. A present member of another type is an
 * error, so a typo like `"duration_seconds": "1h"` is reported, not ignored. */
static gboolean
get_string (JsonObject  *object,
            const char  *key,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, key,
                                 _("“%s” must be a text value in quotes."), key);
  *out = json_node_get_string (node);
  if (**out == '\0')
    *out = NULL;
  return TRUE;
}







static char *
region_prefix (const char *id,
               char        separator)
{
  const char *sep = strchr (id, separator);

  return sep ? g_strndup (id, sep - id) : NULL;
}



static char *
origin_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) origin = NULL;

  if (uri == NULL)
    return NULL;
  origin = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                        g_uri_get_port (uri), "", NULL, NULL);
  return g_uri_to_string (origin);
}

static gboolean
parse_redirect_uri (GkProfile   *self,
                    const char  *value,
                    GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  int port;

  /* Only what the sign-in listener answers on (gk-loopback.c binds
   * 127.0.0.1 and ::1; the browser resolves localhost to them): another
   * loopback address such as 127.0.0.2 would send the code nowhere, or to
   * whoever listens there. No user info either. */
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 || host == NULL
      || g_uri_get_userinfo (uri) != NULL
      || (g_ascii_strcasecmp (host, "localhost") != 0 && g_strcmp0 (host, "127.0.0.1") != 0
          && g_strcmp0 (host, "::1") != 0))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                                 _("“redirect_uris” must be an http address on this computer, with the host localhost, 127.0.0.1 or [::1], such as %s: Genokey receives the sign-in there."),
                                 GK_PROFILE_DEFAULT_REDIRECT_URI);
  port = g_uri_get_port (uri);
  if (port <= 0 || port > 65535)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                                 _("“redirect_uris” needs a port, as in %s."), GK_PROFILE_DEFAULT_REDIRECT_URI);
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                                 _("“redirect_uris” must not contain “?” or “#”."));

  self->redirect_uri = g_strdup (value);
  self->redirect_port = port;
  self->redirect_path = g_strdup (*g_uri_get_path (uri) ? g_uri_get_path (uri) : "/");
  return TRUE;
}

static gboolean
read_redirect_uri (GkProfile   *self,
                   JsonObject  *object,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, "redirect_uris");
  const char *value = NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) > 0)
        {
          JsonNode *first = json_array_get_element (array, 0);

          if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_STRING)
            return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                                         _("“redirect_uris” must be a list of addresses in quotes."));
          value = json_node_get_string (first);
        }
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                                 _("“redirect_uris” must be a list, as in [\"%s\"]."),
                                 GK_PROFILE_DEFAULT_REDIRECT_URI);
  if (value == NULL && !get_string (object, "redirect_uri", &value, error))
    return FALSE;

  return parse_redirect_uri (self, value ? value : GK_PROFILE_DEFAULT_REDIRECT_URI, error);
}

static gboolean
read_buckets (GkProfile   *self,
              JsonObject  *object,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, "buckets");
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "buckets",
                                 _("“buckets” must be a list of bucket names, as in [\"lab-data\", \"lab-share/cohort1\"]."));

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *entry;
      g_autofree char *bucket = NULL;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "buckets",
                                     _("Entry %u of “buckets” must be a bucket name in quotes."), i + 1);
      entry = json_node_get_string (item);
      while (*entry == '/')
        entry++;
      bucket = strchr (entry, '/') ? g_strndup (entry, strchr (entry, '/') - entry) : g_strdup (entry);
      if (!gk_profile_value_matches ("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "buckets",
                                     _("“%s” in “buckets” is not a valid S3 bucket name (3–63 characters: lower-case letters, digits, dots and hyphens)."),
                                     bucket);
      g_strv_builder_add (builder, entry);
    }
  self->buckets = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_duration (GkProfile   *self,
               JsonObject  *object,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, "duration_seconds");
  gint64 value;

  self->duration_seconds = GK_PROFILE_DEFAULT_DURATION;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "duration_seconds",
                                 _("“duration_seconds” must be a whole number of seconds between 900 and 43200."));
  value = json_node_get_int (node);
  if (value < 900 || value > 43200)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "duration_seconds",
                                 _("“duration_seconds” is %lld; AWS accepts 900 to 43200 seconds (15 minutes to 12 hours)."),
                                 (long long) value);
  self->duration_seconds = value;
  return TRUE;
}

/* All the values that have a documented default, once the keys are read. */
static gboolean
apply_defaults (GkProfile  *self,
                GError    **error)
{
  g_autofree char *origin = origin_of (self->token_endpoint);

  if (self->scope == NULL)
    self->scope = g_strdup (GK_PROFILE_DEFAULT_SCOPE);
  /* Without aws_cognito_pool_id (IGV never reads it) the issuer stays
   * unknown until the first sign-in names it (gk_profile_learn_issuer()). */
  if (self->issuer == NULL && self->user_pool_id != NULL)
    self->issuer = g_strdup_printf ("https://cognito-idp.%s.amazonaws.com/%s",
                                    self->region, self->user_pool_id);
  if (self->jwks_uri == NULL && self->issuer != NULL)
    self->jwks_uri = g_strconcat (self->issuer, "/.well-known/jwks.json", NULL);
  if (self->revocation_endpoint == NULL)
    self->revocation_endpoint = g_strconcat (origin, "/oauth2/revoke", NULL);
  if (self->logout_endpoint == NULL)
    self->logout_endpoint = g_strconcat (origin, "/logout", NULL);
  if (self->userinfo_endpoint == NULL)
    self->userinfo_endpoint = g_strconcat (origin, "/oauth2/userInfo", NULL);
  if (self->cognito_identity_endpoint == NULL)
    self->cognito_identity_endpoint =
      g_strdup_printf ("https://cognito-identity.%s.amazonaws.com/", self->region);
  if (self->sts_endpoint == NULL)
    self->sts_endpoint = g_strdup_printf ("https://sts.%s.amazonaws.com/", self->region);

  if ((self->issuer != NULL && !gk_profile_check_endpoint ("issuer", self->issuer, error))
      || (self->jwks_uri != NULL && !gk_profile_check_endpoint ("jwks_uri", self->jwks_uri, error)))
    return FALSE;
  return TRUE;
}

/* The pool ids, the region and the role, once read. The pool ids carry
 * their region; a mismatch means a copy-paste from another lab or region
 * and would fail later with a confusing AWS error. */
static gboolean
check_pools (GkProfile  *self,
             GError    **error)
{
  g_autofree char *pool_region = NULL;
  g_autofree char *fed_region = NULL;

  if (self->user_pool_id != NULL)
    {
      if (!gk_profile_user_pool_id_is_valid (self->user_pool_id))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_pool_id",
                                     _("“aws_cognito_pool_id” is “%s”, which is not a user pool id. It looks like eu-west-2_AbCdEf123 (Cognito › User pools › Pool Id)."),
                                     self->user_pool_id);
      pool_region = region_prefix (self->user_pool_id, '_');
    }
  if (self->identity_pool_id == NULL)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "aws_cognito_fed_pool_id",
                                 _("“aws_cognito_fed_pool_id” is missing. Add the identity pool id (Cognito › Identity pools), such as eu-west-2:0a1b2c3d-…"));
  if (!gk_profile_value_matches ("^[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                                 self->identity_pool_id))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_fed_pool_id",
                                 _("“aws_cognito_fed_pool_id” is “%s”, which is not an identity pool id. It looks like eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789."),
                                 self->identity_pool_id);
  fed_region = region_prefix (self->identity_pool_id, ':');

  if (self->region == NULL)
    self->region = g_strdup (pool_region ? pool_region : fed_region);
  if (!gk_profile_region_is_valid (self->region))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
                                 _("“aws_region” is “%s”, which is not an AWS region. Use a region code such as eu-west-2."),
                                 self->region);
  if (pool_region != NULL && !g_str_equal (pool_region, self->region))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
                                 _("“aws_cognito_pool_id” is in %s but “aws_region” is %s. Set aws_region to the region of the pools."),
                                 pool_region, self->region);
  if (!g_str_equal (fed_region, self->region))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
                                 _("“aws_cognito_fed_pool_id” is in %s but “aws_region” is %s. Set aws_region to the region of the pools."),
                                 fed_region, self->region);

  if (self->role_arn != NULL
      && !gk_profile_value_matches ("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$",
                                    self->role_arn))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_role_arn",
                                 _("“aws_cognito_role_arn” is not a role ARN. It looks like arn:aws:iam::123456789012:role/LabReaders."));

  return TRUE;
}

static gboolean
read_flow (GkProfile   *self,
           JsonObject  *object,
           GError     **error)
{
  const char *flow = NULL;

  if (!get_string (object, "flow", &flow, error))
    return FALSE;
  if (flow == NULL)
    self->flow = self->role_arn ? GK_PROFILE_FLOW_BASIC : GK_PROFILE_FLOW_ENHANCED;
  else if (g_str_equal (flow, "enhanced"))
    self->flow = GK_PROFILE_FLOW_ENHANCED;
  else if (g_str_equal (flow, "basic"))
    self->flow = GK_PROFILE_FLOW_BASIC;
  else
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "flow",
                                 _("“flow” is “%s”; use “enhanced” or “basic”."), flow);
  if (self->flow == GK_PROFILE_FLOW_BASIC && self->role_arn == NULL)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "aws_cognito_role_arn",
                                 _("“flow” is “basic”, which needs “aws_cognito_role_arn”: the IAM role to assume. Add it, or use the enhanced flow."));
  return TRUE;
}



static gboolean
read_session_tags (GkProfile   *self,
                   JsonObject  *object,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, "tags");
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *tags;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "tags",
                                 _("“tags” must be an object of session tags, as in {\"lab\": \"genomics\"}."));
  tags = json_node_get_object (node);
  builder = g_strv_builder_new ();
  members = json_object_get_members (tags);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (tags, l->data);

      /* STS's limits: keys 1–128 characters, values up to 256. */
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING
          || strlen (l->data) < 1 || strlen (l->data) > 128
          || strlen (json_node_get_string (value)) > 256)
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "tags",
                                     _("Session tag “%s” in “tags” must have a name of 1–128 characters and a text value of up to 256."),
                                     (const char *) l->data);
      g_strv_builder_add (builder, l->data);
      g_strv_builder_add (builder, json_node_get_string (value));
    }
  self->session_tags = g_strv_builder_end (builder);
  return TRUE;
}

/* A profile whose credentials do not come from a lab sign-in: an access
 * key, an assumed role or the instance's role. Only the keys of that source
 * and the S3 side (region, endpoint, buckets) matter; the Cognito keys are
 * neither needed nor read. */
static gboolean
load_other_source (GkProfile   *self,
                   JsonObject  *object,
                   GError     **error)
{
  const char *s;
  struct
  {
    const char *key;
    char      **field;
    gboolean    endpoint;
  } strings[] = {
    { "aws_region", &self->region, FALSE },
    { "endpoint_url", &self->s3_endpoint, TRUE },
    { "sts_endpoint", &self->sts_endpoint, TRUE },
    { "iam_endpoint", &self->iam_endpoint, TRUE },
    { "access_key_id", &self->access_key_id, FALSE },
    { "role_arn", &self->assume_role_arn, FALSE },
    { "external_id", &self->external_id, FALSE },
    { "source_profile", &self->source_profile, FALSE },
    { "role_session_name", &self->role_session_name, FALSE },
    { "source_identity", &self->source_identity, FALSE },
    { "chromoscope_prefix", &self->chromoscope_prefix, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      if (!get_string (object, strings[i].key, &s, error))
        return FALSE;
      if (s == NULL)
        continue;
      if (strings[i].endpoint && !gk_profile_check_endpoint (strings[i].key, s, error))
        return FALSE;
      *strings[i].field = g_strdup (s);
    }

  if (self->region == NULL)
    self->region = g_strdup (GK_PROFILE_DEFAULT_REGION);
  if (!gk_profile_region_is_valid (self->region))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
                                 _("“aws_region” is “%s”, which is not an AWS region. Use a region code such as eu-west-2."),
                                 self->region);
  if (self->sts_endpoint == NULL)
    self->sts_endpoint = g_strdup_printf ("https://sts.%s.amazonaws.com/", self->region);
  if (self->iam_endpoint == NULL)
    self->iam_endpoint = g_strdup (GK_PROFILE_DEFAULT_IAM_ENDPOINT);

  switch (self->source_kind)
    {
    case GK_PROFILE_SOURCE_ACCESS_KEY:
      /* AKIA… for a user's key; other prefixes exist (ASIA is temporary
       * and needs a session token, which an access-key profile has not). */
      if (self->access_key_id == NULL)
        return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "access_key_id",
                                     _("“access_key_id” is missing. Add the IAM user's access key ID, such as AKIAIOSFODNN7EXAMPLE."));
      if (!gk_profile_value_matches ("^[A-Z0-9]{16,128}$", self->access_key_id)
          || g_str_has_prefix (self->access_key_id, "ASIA"))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "access_key_id",
                                     _("“access_key_id” is not an IAM user's access key ID. It looks like AKIAIOSFODNN7EXAMPLE (temporary ASIA… keys cannot be stored)."));
      break;
    case GK_PROFILE_SOURCE_ASSUME_ROLE:
      if (self->assume_role_arn == NULL)
        return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "role_arn",
                                     _("“role_arn” is missing. Add the ARN of the role to assume, such as arn:aws:iam::123456789012:role/LabAccess."));
      if (!gk_profile_value_matches ("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$",
                                     self->assume_role_arn))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "role_arn",
                                     _("“role_arn” is not a role ARN. It looks like arn:aws:iam::123456789012:role/LabAccess."));
      if (self->source_profile == NULL)
        return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "source_profile",
                                     _("“source_profile” is missing. Name the profile whose credentials may assume the role (a lab sign-in, an access key or an instance profile)."));
      if (!gk_profile_name_is_valid (self->source_profile) || g_str_equal (self->source_profile, self->name))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "source_profile",
                                     _("“source_profile” must name another Genokey profile."));
      /* STS's own rules, checked here so a typo is named before any call. */
      if (self->external_id != NULL
          && !gk_profile_value_matches ("^[\\w+=,.@:/-]{2,1224}$", self->external_id))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "external_id",
                                     _("“external_id” must be 2–1224 letters, digits or +=,.@:/- characters, exactly as the role's owner gave it."));
      if (self->role_session_name != NULL
          && !gk_profile_value_matches ("^[\\w+=,.@-]{2,64}$", self->role_session_name))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "role_session_name",
                                     _("“role_session_name” must be 2–64 letters, digits or +=,.@- characters."));
      if (self->source_identity != NULL
          && !gk_profile_value_matches ("^[\\w+=,.@-]{2,64}$", self->source_identity))
        return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "source_identity",
                                     _("“source_identity” must be 2–64 letters, digits or +=,.@- characters."));
      if (!read_duration (self, object, error) || !read_session_tags (self, object, error))
        return FALSE;
      break;
    case GK_PROFILE_SOURCE_INSTANCE_PROFILE:
    case GK_PROFILE_SOURCE_COGNITO:
    default:
      break;
    }

  return read_buckets (self, object, error);
}

static gboolean
load (GkProfile   *self,
      JsonObject  *object,
      GError     **error)
{
  const char *s;
  struct
  {
    const char *key;
    const char *alias;
    char      **field;
    gboolean    endpoint;
  } strings[] = {
    { "client_id", NULL, &self->client_id, FALSE },
    { "client_secret", NULL, &self->client_secret, FALSE },
    { "authorization_endpoint", "auth_uri", &self->authorization_endpoint, TRUE },
    { "token_endpoint", "token_uri", &self->token_endpoint, TRUE },
    { "revocation_endpoint", NULL, &self->revocation_endpoint, TRUE },
    { "logout_endpoint", NULL, &self->logout_endpoint, TRUE },
    { "userinfo_endpoint", NULL, &self->userinfo_endpoint, TRUE },
    { "aws_region", NULL, &self->region, FALSE },
    { "aws_cognito_pool_id", NULL, &self->user_pool_id, FALSE },
    { "aws_cognito_fed_pool_id", NULL, &self->identity_pool_id, FALSE },
    { "aws_cognito_role_arn", NULL, &self->role_arn, FALSE },
    { "issuer", NULL, &self->issuer, TRUE },
    { "jwks_uri", NULL, &self->jwks_uri, TRUE },
    { "cognito_identity_endpoint", NULL, &self->cognito_identity_endpoint, TRUE },
    { "sts_endpoint", NULL, &self->sts_endpoint, TRUE },
    { "endpoint_url", NULL, &self->s3_endpoint, TRUE },
    { "chromoscope_prefix", NULL, &self->chromoscope_prefix, FALSE },
  };

  if (!get_string (object, "source", &s, error))
    return FALSE;
  if (s != NULL && !gk_profile_source_from_string (s, &self->source_kind))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "source",
                                 _("“source” is “%s”; use “cognito”, “access-key”, “assume-role” or “instance-profile”."),
                                 s);
  if (self->source_kind != GK_PROFILE_SOURCE_COGNITO)
    return load_other_source (self, object, error);

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      /* IGV reads auth_uri and token_uri first (OAuthProvider), so with
       * both names in one file those win, as they do in IGV. */
      s = NULL;
      if (strings[i].alias != NULL && !get_string (object, strings[i].alias, &s, error))
        return FALSE;
      if (s == NULL && !get_string (object, strings[i].key, &s, error))
        return FALSE;
      if (s == NULL)
        continue;
      if (strings[i].endpoint && !gk_profile_check_endpoint (strings[i].key, s, error))
        return FALSE;
      *strings[i].field = g_strdup (s);
    }

  if (self->client_id == NULL)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "client_id",
                                 _("“client_id” is missing. Copy the app client id from the Cognito user pool (App integration › App clients)."));
  if (self->authorization_endpoint == NULL)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "authorization_endpoint",
                                 _("“authorization_endpoint” is missing. Use the hosted UI address, such as https://<domain>.auth.<region>.amazoncognito.com/oauth2/authorize."));
  if (self->token_endpoint == NULL)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "token_endpoint",
                                 _("“token_endpoint” is missing. Use the hosted UI address, such as https://<domain>.auth.<region>.amazoncognito.com/oauth2/token."));

  if (!get_string (object, "scope", &s, error))
    return FALSE;
  if (s != NULL)
    self->scope = gk_profile_normalize_scope (s);
  if (self->scope != NULL && !gk_profile_value_matches ("(^| )openid( |$)", self->scope))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "scope",
                                 _("“scope” must include “openid”: Genokey needs the ID token. Use “email openid profile”."));

  if (!read_redirect_uri (self, object, error))
    return FALSE;

  if (!check_pools (self, error) || !read_flow (self, object, error))
    return FALSE;

  if (!read_duration (self, object, error) || !read_buckets (self, object, error))
    return FALSE;

  return apply_defaults (self, error);
}

/**
 * gk_profile_new_from_json:
 * @object: an IGV oauth-config.json object, with or without Genokey's keys
 * @name: the profile's name
 *
 * Returns: (transfer full): the validated profile, or %NULL with @error
 *   naming the bad key and the fix
 */
GkProfile *
gk_profile_new_from_json (JsonObject  *object,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(GkProfile) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!gk_profile_name_is_valid (name))
    {
      gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, NULL,
                            _("“%s” cannot be a profile name. Use up to 64 letters, digits, “.”, “_” or “-” (and not “env”)."),
                            name ? name : "");
      if (error != NULL)
        gk_profile_error_set_profile (*error, name);
      return NULL;
    }

  self = g_object_new (GK_TYPE_PROFILE, NULL);
  self->name = g_strdup (name);
  self->source = json_object_ref (object);
  if (!load (self, object, error))
    return NULL;
  return g_steal_pointer (&self);
}
