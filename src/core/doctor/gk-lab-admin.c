/* gk-lab-admin.c
 *
 * The documents are written with JsonBuilder, in the member order AWS's own
 * examples use, two spaces deep, so an admin can read them before applying
 * them. Commands quote every value with g_shell_quote(): bucket names and
 * prefixes come from a profile and may hold anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-lab-admin.h"
#include "gk-web-viewer.h"

/* Cognito's defaults, which suit a working day: an hour of ID and access
 * token (Genokey renews before they run out) and a month of refresh token,
 * so nobody signs in again before the month is out. */
#define ID_TOKEN_MINUTES      60
#define ACCESS_TOKEN_MINUTES  60
#define REFRESH_TOKEN_DAYS    30

static char *
to_pretty_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

static void
add_strings (JsonBuilder        *b,
             const char         *name,
             const char * const *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

/* ---- CORS ------------------------------------------------------------- */

/**
 * gk_lab_admin_viewer_origins:
 * @extra: (nullable): more origins, such as the gateway's allow-list
 *
 * Returns: (transfer full): the origins web viewers read from: IGV-Web's
 *   and Chromoscope's, then @extra, each once
 */
GStrv
gk_lab_admin_viewer_origins (const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *viewers[] = { GK_IGV_WEB_ORIGIN, GK_CHROMOSCOPE_ORIGIN };

  for (guint i = 0; i < G_N_ELEMENTS (viewers); i++)
    if (g_hash_table_add (seen, (gpointer) viewers[i]))
      g_strv_builder_add (builder, viewers[i]);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    if (*extra[i] != '\0' && g_hash_table_add (seen, (gpointer) extra[i]))
      g_strv_builder_add (builder, extra[i]);
  return g_strv_builder_end (builder);
}

/**
 * gk_lab_admin_cors_configuration:
 * @origins: the origins to let in (gk_lab_admin_viewer_origins())
 *
 * One rule: GET and HEAD from @origins, any request header (igv.js and
 * gosling send Range, which a preflight asks about), exposing the range
 * and length headers the viewers read and the ETag.
 *
 * Returns: (transfer full): the configuration, as `aws s3api
 *   put-bucket-cors --cors-configuration` takes it
 */
char *
gk_lab_admin_cors_configuration (const char * const *origins)
{
  static const char * const methods[] = { "GET", "HEAD", NULL };
  static const char * const headers[] = { "*", NULL };
  static const char * const exposed[] = {
    "Content-Range", "Content-Length", "Accept-Ranges", "ETag", NULL
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "CORSRules");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_strings (b, "AllowedOrigins", origins);
  add_strings (b, "AllowedMethods", methods);
  add_strings (b, "AllowedHeaders", headers);
  add_strings (b, "ExposeHeaders", exposed);
  json_builder_set_member_name (b, "MaxAgeSeconds");
  json_builder_add_int_value (b, 3000);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return to_pretty_json (b);
}

/**
 * gk_lab_admin_cors_commands:
 *
 * Returns: (transfer full): the command that sets the configuration on
 *   @bucket, with the warning that it replaces the bucket's rules
 */
char *
gk_lab_admin_cors_commands (const char         *bucket,
                            const char * const *origins)
{
  g_autofree char *json = gk_lab_admin_cors_configuration (origins);
  g_autofree char *quoted_bucket = g_shell_quote (bucket);
  g_autofree char *quoted_json = NULL;

  g_strchomp (json);
  quoted_json = g_shell_quote (json);
  return g_strdup_printf ("# %s\n"
                          "aws s3api put-bucket-cors --bucket %s --cors-configuration %s\n",
                          _("This replaces the bucket’s CORS rules: keep any others that "
                            "“aws s3api get-bucket-cors” shows by adding them to CORSRules."),
                          quoted_bucket, quoted_json);
}

/* ---- the role's policy ------------------------------------------------ */

static char *
object_arn (const GkLabLocation *where)
{
  return g_strdup_printf ("arn:aws:s3:::%s/%s*", where->bucket,
                          where->prefix != NULL ? where->prefix : "");
}

static void
add_statement (JsonBuilder        *b,
               const char         *sid,
               const char * const *actions,
               GPtrArray          *resources,
               const char         *prefix)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Sid");
  json_builder_add_string_value (b, sid);
  json_builder_set_member_name (b, "Effect");
  json_builder_add_string_value (b, "Allow");
  add_strings (b, "Action", actions);
  g_ptr_array_add (resources, NULL);
  add_strings (b, "Resource", (const char * const *) resources->pdata);
  g_ptr_array_remove_index (resources, resources->len - 1);
  if (prefix != NULL)
    {
      /* Listing under the prefix and its folders. IAM's StringLike star
       * also matches nothing, so the prefix itself can be listed too. */
      g_autofree char *pattern = g_strconcat (prefix, "*", NULL);
      const char *patterns[] = { pattern, NULL };

      json_builder_set_member_name (b, "Condition");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "StringLike");
      json_builder_begin_object (b);
      add_strings (b, "s3:prefix", patterns);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static gboolean
has_bucket (GPtrArray  *arns,
            const char *arn)
{
  for (guint i = 0; i < arns->len; i++)
    if (g_str_equal (g_ptr_array_index (arns, i), arn))
      return TRUE;
  return FALSE;
}

/**
 * gk_lab_admin_role_policy:
 * @read: (array length=n_read): what lab members read
 * @write: (array length=n_write) (nullable): where Chromoscope configs go
 *
 * The identity pool's authenticated role needs, per bucket: its region and
 * CORS rules (Genokey looks both up), listing (under the prefix only, when
 * there is one), reading the objects; and, only where configs go, writing,
 * reading and deleting them (a cancelled build removes its upload). No
 * s3:ListAllMyBuckets: a profile's `buckets` names them instead.
 *
 * Returns: (transfer full): the policy document, as `aws iam
 *   put-role-policy --policy-document` takes it
 */
char *
gk_lab_admin_role_policy (const GkLabLocation *read,
                          gsize                n_read,
                          const GkLabLocation *write,
                          gsize                n_write)
{
  static const char * const find[] = { "s3:GetBucketLocation", "s3:GetBucketCORS", NULL };
  static const char * const list[] = { "s3:ListBucket", NULL };
  static const char * const get[] = { "s3:GetObject", NULL };
  static const char * const put[] = { "s3:PutObject", "s3:GetObject", "s3:DeleteObject", NULL };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) buckets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) whole = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  guint n_listed = 0;

  for (gsize i = 0; i < n_read; i++)
    {
      g_autofree char *arn = g_strdup_printf ("arn:aws:s3:::%s", read[i].bucket);

      if (!has_bucket (buckets, arn))
        g_ptr_array_add (buckets, g_strdup (arn));
      if (read[i].prefix == NULL || *read[i].prefix == '\0')
        g_ptr_array_add (whole, g_steal_pointer (&arn));
      g_ptr_array_add (objects, object_arn (&read[i]));
    }
  for (gsize i = 0; i < n_write; i++)
    {
      g_autofree char *arn = g_strdup_printf ("arn:aws:s3:::%s", write[i].bucket);

      if (!has_bucket (buckets, arn))
        g_ptr_array_add (buckets, g_steal_pointer (&arn));
      g_ptr_array_add (written, object_arn (&write[i]));
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Version");
  json_builder_add_string_value (b, "2012-10-17");
  json_builder_set_member_name (b, "Statement");
  json_builder_begin_array (b);
  add_statement (b, "FindTheLabBuckets", find, buckets, NULL);
  if (whole->len > 0)
    add_statement (b, n_listed++ == 0 ? "ListTheLabData" : "ListTheLabData1", list, whole, NULL);
  for (gsize i = 0; i < n_read; i++)
    if (read[i].prefix != NULL && *read[i].prefix != '\0')
      {
        g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *sid = n_listed == 0 ? g_strdup ("ListTheLabData")
                                             : g_strdup_printf ("ListTheLabData%u", n_listed);

        g_ptr_array_add (one, g_strdup_printf ("arn:aws:s3:::%s", read[i].bucket));
        add_statement (b, sid, list, one, read[i].prefix);
        n_listed++;
      }
  add_statement (b, "ReadTheLabData", get, objects, NULL);
  if (written->len > 0)
    add_statement (b, "WriteChromoscopeConfigs", put, written, NULL);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return to_pretty_json (b);
}

/**
 * gk_lab_admin_role_name:
 *
 * Returns: (transfer full) (nullable): the name of the profile's role,
 *   when the profile names it (the basic flow's aws_cognito_role_arn)
 */
char *
gk_lab_admin_role_name (GkProfile *profile)
{
  const char *arn = gk_profile_get_role_arn (profile);
  const char *slash = arn != NULL ? strrchr (arn, '/') : NULL;

  return slash != NULL && slash[1] != '\0' ? g_strdup (slash + 1) : NULL;
}

/**
 * gk_lab_admin_role_arn_from_caller:
 * @caller_arn: what GetCallerIdentity says of a role's credentials,
 *   `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`
 *
 * The assumed-role ARN keeps the role's name but not its path, so a role
 * under a path (role/service/NAME) comes back without it.
 *
 * Returns: (transfer full) (nullable): `arn:aws:iam::ACCOUNT:role/NAME`,
 *   or %NULL when @caller_arn is not a role's
 */
char *
gk_lab_admin_role_arn_from_caller (const char *caller_arn)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) resource = NULL;

  if (caller_arn == NULL)
    return NULL;
  /* arn : partition : sts : (region) : account : assumed-role/NAME/SESSION */
  parts = g_strsplit (caller_arn, ":", 6);
  if (g_strv_length (parts) != 6 || !g_str_equal (parts[0], "arn") || !g_str_equal (parts[2], "sts"))
    return NULL;
  resource = g_strsplit (parts[5], "/", 3);
  if (g_strv_length (resource) != 3 || !g_str_equal (resource[0], "assumed-role") ||
      *resource[1] == '\0' || *parts[4] == '\0')
    return NULL;
  return g_strdup_printf ("arn:%s:iam::%s:role/%s", parts[1], parts[4], resource[1]);
}

/**
 * gk_lab_admin_role_policy_commands:
 *
 * Returns: (transfer full): how to put @policy on the profile's role and
 *   find the broader policies to take off it
 */
char *
gk_lab_admin_role_policy_commands (GkProfile  *profile,
                                   const char *policy)
{
  g_autofree char *role = gk_lab_admin_role_name (profile);
  g_autofree char *quoted_role = NULL;
  g_autofree char *quoted_policy = NULL;
  g_autofree char *trimmed = g_strchomp (g_strdup (policy));
  GString *out = g_string_new (NULL);

  if (role == NULL)
    {
      g_autofree char *pool = g_shell_quote (gk_profile_get_identity_pool_id (profile) ?: "POOL");
      g_autofree char *region = g_shell_quote (gk_profile_get_region (profile) ?: "us-east-1");

      g_string_append_printf (out, "# %s\n# aws cognito-identity get-identity-pool-roles "
                              "--identity-pool-id %s --region %s\n",
                              _("ROLE is the name of the identity pool’s authenticated role:"),
                              pool, region);
      role = g_strdup ("ROLE");
      quoted_role = g_strdup (role);
    }
  else
    quoted_role = g_shell_quote (role);
  quoted_policy = g_shell_quote (trimmed);
  g_string_append_printf (out, "aws iam put-role-policy --role-name %s --policy-name %s "
                          "--policy-document %s\n",
                          quoted_role, GK_LAB_ADMIN_POLICY_NAME, quoted_policy);
  g_string_append_printf (out, "# %s\naws iam list-attached-role-policies --role-name %s\n"
                          "aws iam list-role-policies --role-name %s\n",
                          _("Then take off the role every broader policy these list:"),
                          quoted_role, quoted_role);
  return g_string_free (out, FALSE);
}

static void
location_clear (GkLabLocation *where)
{
  g_free ((char *) where->bucket);
  g_free ((char *) where->prefix);
}

static void
append_location (GArray     *array,
                 const char *entry)
{
  const char *p = g_str_has_prefix (entry, "s3://") ? entry + 5 : entry;
  const char *slash = strchr (p, '/');
  GkLabLocation where = {
    slash != NULL ? g_strndup (p, slash - p) : g_strdup (p),
    slash != NULL && slash[1] != '\0' ? g_strdup (slash + 1) : NULL,
  };

  g_array_append_val (array, where);
}

/**
 * gk_lab_admin_profile_locations:
 * @read: (out) (transfer full) (element-type GkLabLocation): the profile's
 *   buckets (`bucket` or `bucket/prefix` entries)
 * @write: (out) (transfer full) (element-type GkLabLocation): its
 *   chromoscope_prefix, if any
 *
 * Returns: %FALSE when the profile names no buckets (it lists them all
 *   with ListBuckets): then a policy cannot be scoped from it
 */
gboolean
gk_lab_admin_profile_locations (GkProfile  *profile,
                                GArray    **read,
                                GArray    **write)
{
  const char * const *buckets = gk_profile_get_buckets (profile);
  const char *prefix = gk_profile_get_chromoscope_prefix (profile);

  *read = g_array_new (FALSE, TRUE, sizeof (GkLabLocation));
  *write = g_array_new (FALSE, TRUE, sizeof (GkLabLocation));
  g_array_set_clear_func (*read, (GDestroyNotify) location_clear);
  g_array_set_clear_func (*write, (GDestroyNotify) location_clear);
  for (guint i = 0; buckets != NULL && buckets[i] != NULL; i++)
    append_location (*read, buckets[i]);
  if (prefix != NULL && *prefix != '\0')
    append_location (*write, prefix);
  return (*read)->len > 0;
}

/* ---- Cognito ---------------------------------------------------------- */

/**
 * gk_lab_admin_app_client:
 * @out_create: (out): %TRUE when the settings are for a new app client
 *   (the profile's has a secret, which Cognito cannot take away)
 *
 * What Genokey and IGV need of the user pool's app client: a public client
 * (no secret: a desktop app cannot keep one) using the authorization code
 * flow, which Cognito runs with PKCE when the client sends a challenge, as
 * Genokey always does; the profile's callback URL and scopes; token
 * revocation (sign-out); and token lifetimes that last a working day.
 *
 * Returns: (transfer full): the settings as `aws cognito-idp
 *   update-user-pool-client --cli-input-json` (or create-user-pool-client)
 *   takes them
 */
char *
gk_lab_admin_app_client (GkProfile *profile,
                         gboolean  *out_create)
{
  static const char * const flows[] = { "code", NULL };
  static const char * const auth_flows[] = { "ALLOW_REFRESH_TOKEN_AUTH", NULL };
  static const char * const providers[] = { "COGNITO", NULL };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) scopes = g_strsplit (gk_profile_get_scope (profile), " ", -1);
  const char *callbacks[] = { gk_profile_get_redirect_uri (profile), NULL };
  gboolean create = gk_profile_get_client_secret (profile) != NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "UserPoolId");
  json_builder_add_string_value (b, gk_profile_get_user_pool_id (profile) ?: "");
  if (create)
    {
      json_builder_set_member_name (b, "ClientName");
      json_builder_add_string_value (b, "Genokey and IGV");
      json_builder_set_member_name (b, "GenerateSecret");
      json_builder_add_boolean_value (b, FALSE);
    }
  else
    {
      json_builder_set_member_name (b, "ClientId");
      json_builder_add_string_value (b, gk_profile_get_client_id (profile));
    }
  json_builder_set_member_name (b, "RefreshTokenValidity");
  json_builder_add_int_value (b, REFRESH_TOKEN_DAYS);
  json_builder_set_member_name (b, "AccessTokenValidity");
  json_builder_add_int_value (b, ACCESS_TOKEN_MINUTES);
  json_builder_set_member_name (b, "IdTokenValidity");
  json_builder_add_int_value (b, ID_TOKEN_MINUTES);
  json_builder_set_member_name (b, "TokenValidityUnits");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "AccessToken");
  json_builder_add_string_value (b, "minutes");
  json_builder_set_member_name (b, "IdToken");
  json_builder_add_string_value (b, "minutes");
  json_builder_set_member_name (b, "RefreshToken");
  json_builder_add_string_value (b, "days");
  json_builder_end_object (b);
  add_strings (b, "ExplicitAuthFlows", auth_flows);
  add_strings (b, "SupportedIdentityProviders", providers);
  add_strings (b, "CallbackURLs", callbacks);
  add_strings (b, "AllowedOAuthFlows", flows);
  add_strings (b, "AllowedOAuthScopes", (const char * const *) scopes);
  json_builder_set_member_name (b, "AllowedOAuthFlowsUserPoolClient");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "PreventUserExistenceErrors");
  json_builder_add_string_value (b, "ENABLED");
  json_builder_set_member_name (b, "EnableTokenRevocation");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);

  if (out_create != NULL)
    *out_create = create;
  return to_pretty_json (b);
}

/**
 * gk_lab_admin_app_client_commands:
 *
 * Returns: (transfer full): the command that applies
 *   gk_lab_admin_app_client() to the user pool
 */
char *
gk_lab_admin_app_client_commands (GkProfile *profile)
{
  gboolean create = FALSE;
  g_autofree char *json = g_strchomp (gk_lab_admin_app_client (profile, &create));
  g_autofree char *quoted = g_shell_quote (json);
  g_autofree char *region = g_shell_quote (gk_profile_get_region (profile) ?: "us-east-1");

  if (create)
    return g_strdup_printf ("# %s\naws cognito-idp create-user-pool-client --region %s "
                            "--cli-input-json %s\n",
                            _("The app client has a secret, which a desktop app cannot keep: "
                              "make a public one, then import the new client_id."),
                            region, quoted);
  return g_strdup_printf ("# %s\naws cognito-idp update-user-pool-client --region %s "
                          "--cli-input-json %s\n",
                          _("update-user-pool-client resets every setting it is not given: "
                            "these are all the ones Genokey and IGV need; add the lab’s own "
                            "identity providers to SupportedIdentityProviders."),
                          region, quoted);
}

/**
 * gk_lab_admin_identity_pool_commands:
 * @member: the identity pool's setting, such as
 *   "AllowUnauthenticatedIdentities" or "AllowClassicFlow"
 *
 * update-identity-pool, like update-user-pool-client, resets whatever it is
 * not given (the pool's providers among them), so the fix starts from the
 * pool's own description.
 *
 * Returns: (transfer full): commands that set @member to @value
 */
char *
gk_lab_admin_identity_pool_commands (GkProfile  *profile,
                                     const char *member,
                                     gboolean    value)
{
  g_autofree char *pool = g_shell_quote (gk_profile_get_identity_pool_id (profile) ?: "POOL");
  g_autofree char *region = g_shell_quote (gk_profile_get_region (profile) ?: "us-east-1");
  /* Translators: the first %s is a setting of the identity pool
   * ("AllowClassicFlow"), the second true or false */
  g_autofree char *edit = g_strdup_printf (_("In pool.json set \"%s\": %s, then:"), member,
                                           value ? "true" : "false");

  return g_strdup_printf ("aws cognito-identity describe-identity-pool --identity-pool-id %s "
                          "--region %s > pool.json\n"
                          "# %s\n"
                          "aws cognito-identity update-identity-pool --region %s "
                          "--cli-input-json file://pool.json\n",
                          pool, region, edit, region);
}
