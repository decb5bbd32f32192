/* gk-profile.c: GkProfile — one profile's effective values, and the
 * issuer it learns from its first sign-in
 *
 * Reading IGV's oauth-config.json (one object or a list, plain or gzip) is
 * gk-profile-import.c; one JSON object's keys are read and checked in
 * gk-profile-keys.c, against the rules of gk-profile-values.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-profile.h"
#include "gk-profile-private.h"

G_DEFINE_FINAL_TYPE (GkProfile, gk_profile, G_TYPE_OBJECT)

static void
gk_profile_finalize (GObject *object)
{
  GkProfile *self = GK_PROFILE (object);

  g_clear_pointer (&self->source, json_object_unref);
  g_free (self->name);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->authorization_endpoint);
  g_free (self->token_endpoint);
  g_free (self->revocation_endpoint);
  g_free (self->logout_endpoint);
  g_free (self->userinfo_endpoint);
  g_free (self->scope);
  g_free (self->redirect_uri);
  g_free (self->redirect_path);
  g_free (self->region);
  g_free (self->user_pool_id);
  g_free (self->identity_pool_id);
  g_free (self->role_arn);
  g_free (self->issuer);
  g_free (self->jwks_uri);
  g_free (self->cognito_identity_endpoint);
  g_free (self->sts_endpoint);
  g_free (self->s3_endpoint);
  g_strfreev (self->buckets);
  g_free (self->chromoscope_prefix);
  g_free (self->access_key_id);
  g_free (self->iam_endpoint);
  g_free (self->assume_role_arn);
  g_free (self->external_id);
  g_free (self->source_profile);
  g_free (self->role_session_name);
  g_free (self->source_identity);
  g_strfreev (self->session_tags);

  G_OBJECT_CLASS (gk_profile_parent_class)->finalize (object);
}

static void
gk_profile_class_init (GkProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_profile_finalize;
}

static void
gk_profile_init (GkProfile *self)
{
}

/**
 * gk_profile_to_json:
 *
 * Returns: (transfer full): the object as imported (unknown keys kept), to be
 *   saved; effective defaults are not written, so they can change with Genokey
 */
JsonObject *
gk_profile_to_json (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return json_object_ref (self->source);
}

const char *
gk_profile_get_name (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->name;
}

const char *
gk_profile_get_client_id (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->client_id;
}

/**
 * gk_profile_get_client_secret:
 *
 * Returns: (nullable): the app client's secret, %NULL for a public client
 */
const char *
gk_profile_get_client_secret (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->client_secret;
}

const char *
gk_profile_get_authorization_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->authorization_endpoint;
}

const char *
gk_profile_get_token_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->token_endpoint;
}

const char *
gk_profile_get_revocation_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->revocation_endpoint;
}

const char *
gk_profile_get_logout_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->logout_endpoint;
}

const char *
gk_profile_get_userinfo_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->userinfo_endpoint;
}

/**
 * gk_profile_get_scope:
 *
 * Returns: the scopes, decoded and separated by single spaces
 */
const char *
gk_profile_get_scope (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->scope;
}

const char *
gk_profile_get_redirect_uri (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->redirect_uri;
}

guint16
gk_profile_get_redirect_port (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), 0);
  return self->redirect_port;
}

const char *
gk_profile_get_redirect_path (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->redirect_path;
}

const char *
gk_profile_get_region (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->region;
}

/**
 * gk_profile_get_user_pool_id:
 *
 * Returns: (nullable): the user pool id; %NULL when `issuer` is given, or
 *   until the first sign-in teaches it (gk_profile_learn_issuer())
 */
const char *
gk_profile_get_user_pool_id (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->user_pool_id;
}

const char *
gk_profile_get_identity_pool_id (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->identity_pool_id;
}

/**
 * gk_profile_get_role_arn:
 *
 * Returns: (nullable): the role the basic flow assumes
 */
const char *
gk_profile_get_role_arn (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->role_arn;
}

/**
 * gk_profile_get_issuer:
 *
 * Returns: (nullable): the ID tokens' expected `iss`; %NULL when the
 *   profile names no user pool and no sign-in has taught it one yet
 */
const char *
gk_profile_get_issuer (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->issuer;
}

/**
 * gk_profile_get_jwks_uri:
 *
 * Returns: (nullable): where the user pool's signing keys are; %NULL
 *   while the issuer is not known and `jwks_uri` is not set
 */
const char *
gk_profile_get_jwks_uri (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->jwks_uri;
}

/**
 * gk_profile_dup_logins_key:
 *
 * The identity pool knows the user pool by its issuer without the scheme
 * (`cognito-idp.<region>.amazonaws.com/<pool id>`). It comes from the
 * configuration (or an issuer learned and verified at the first sign-in),
 * never from a token's own `iss`.
 *
 * Returns: (transfer full) (nullable): the key for the Logins map, %NULL
 *   while the issuer is not known
 */
char *
gk_profile_dup_logins_key (GkProfile *self)
{
  const char *sep;

  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);

  if (self->issuer == NULL)
    return NULL;
  sep = strstr (self->issuer, "://");
  return g_strdup (sep ? sep + 3 : self->issuer);
}

/* An outside value quoted in a message, cut to a length a line can hold. */
static char *
shorten_outside (const char *text)
{
  g_autofree char *head = NULL;

  if (g_utf8_strlen (text, -1) <= 120)
    return g_strdup (text);
  head = g_utf8_substring (text, 0, 120);
  return g_strconcat (head, "…", NULL);
}

/**
 * gk_profile_check_issuer:
 * @issuer: an ID token's `iss`, not yet trusted
 *
 * Whether the profile may learn @issuer (gk_profile_pool_id_from_issuer()
 * for its region), before anything is fetched for it.
 *
 * Returns: %TRUE when @issuer has Cognito's form for the profile's region;
 *   %FALSE with a #GK_PROFILE_ERROR about `aws_cognito_pool_id` that quotes it
 */
gboolean
gk_profile_check_issuer (GkProfile   *self,
                         const char  *issuer,
                         GError     **error)
{
  g_autofree char *pool_id = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (GK_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (issuer != NULL, FALSE);

  pool_id = gk_profile_pool_id_from_issuer (self->region, issuer);
  if (pool_id != NULL)
    return TRUE;
  shown = shorten_outside (issuer);
  gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_pool_id",
                        _("The sign-in came from “%s”, which is not a Cognito user pool in %s "
                          "(https://cognito-idp.%s.amazonaws.com/%s_…), so Genokey did not trust it. "
                          "Set aws_cognito_pool_id (or issuer) in the profile, or check aws_region."),
                        shown, self->region, self->region, self->region);
  if (error != NULL)
    gk_profile_error_set_profile (*error, self->name);
  return FALSE;
}

/**
 * gk_profile_learn_issuer:
 * @issuer: the `iss` of an ID token from the profile's token endpoint
 *
 * A profile imported without `aws_cognito_pool_id` (IGV never reads it)
 * learns its user pool from the first sign-in. @issuer must have Cognito's
 * exact form for the profile's region (gk_profile_pool_id_from_issuer());
 * the caller verifies the token against that pool's signing keys before
 * it believes the issuer, and only then calls this. The profile changes
 * once, from no issuer to this one: the user pool id, the issuer, the
 * signing keys' address (unless `jwks_uri` is set) and the Logins key
 * follow from it, and gk_profile_to_json() then holds
 * `aws_cognito_pool_id`.
 *
 * Returns: %TRUE when the profile now has @issuer (also when it had it
 *   already); %FALSE with a #GK_PROFILE_ERROR about `aws_cognito_pool_id`
 */
gboolean
gk_profile_learn_issuer (GkProfile   *self,
                         const char  *issuer,
                         GError     **error)
{
  g_autofree char *pool_id = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *source;
  gboolean ok;

  g_return_val_if_fail (GK_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (issuer != NULL, FALSE);

  if (!gk_profile_check_issuer (self, issuer, error))
    return FALSE;
  pool_id = gk_profile_pool_id_from_issuer (self->region, issuer);
  if (self->issuer != NULL)
    {
      if (g_str_equal (self->issuer, issuer))
        return TRUE;
      ok = gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_pool_id",
                                 _("The sign-in came from user pool %s, but the profile names another one. "
                                   "Check aws_cognito_pool_id and issuer in the profile."),
                                 pool_id);
      if (error != NULL)
        gk_profile_error_set_profile (*error, self->name);
      return ok;
    }

  self->user_pool_id = g_steal_pointer (&pool_id);
  self->issuer = g_strdup (issuer);
  if (self->jwks_uri == NULL)
    self->jwks_uri = g_strconcat (self->issuer, "/.well-known/jwks.json", NULL);

  /* The imported object may be shared (and sealed): a new one, with the
   * same members in the same order and the pool id added. */
  source = json_object_new ();
  members = json_object_get_members (self->source);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (source, l->data,
                            json_node_copy (json_object_get_member (self->source, l->data)));
  json_object_set_string_member (source, "aws_cognito_pool_id", self->user_pool_id);
  json_object_unref (self->source);
  self->source = source;
  return TRUE;
}

const char *
gk_profile_get_cognito_identity_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->cognito_identity_endpoint;
}

const char *
gk_profile_get_sts_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->sts_endpoint;
}

/**
 * gk_profile_get_s3_endpoint:
 *
 * Returns: (nullable): the S3 endpoint (IGV's `endpoint_url`; path-style
 *   addressing), or %NULL for AWS S3 in the bucket's region
 */
const char *
gk_profile_get_s3_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->s3_endpoint;
}

GkProfileFlow
gk_profile_get_flow (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), GK_PROFILE_FLOW_ENHANCED);
  return self->flow;
}

guint
gk_profile_get_duration_seconds (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), GK_PROFILE_DEFAULT_DURATION);
  return self->duration_seconds;
}

/**
 * gk_profile_get_buckets:
 *
 * Returns: (nullable) (transfer none): the allow-list of `bucket` or
 *   `bucket/prefix` entries to browse, or %NULL to list all buckets
 */
const char * const *
gk_profile_get_buckets (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return (const char * const *) self->buckets;
}

/**
 * gk_profile_get_chromoscope_prefix:
 *
 * Returns: (nullable): `s3://bucket/prefix/` for Chromoscope configs, or
 *   %NULL to put them next to the data
 */
const char *
gk_profile_get_chromoscope_prefix (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->chromoscope_prefix;
}

/**
 * gk_profile_get_source:
 *
 * Returns: where the profile's credentials come from
 */
GkProfileSource
gk_profile_get_source (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), GK_PROFILE_SOURCE_COGNITO);
  return self->source_kind;
}

/**
 * gk_profile_is_sign_in:
 *
 * Returns: whether the profile is a lab sign-in (Cognito), the only kind
 *   with a browser sign-in, tokens and an identity pool; the getters of
 *   those keys return %NULL for the others
 */
gboolean
gk_profile_is_sign_in (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), FALSE);
  return self->source_kind == GK_PROFILE_SOURCE_COGNITO;
}

/**
 * gk_profile_get_access_key_id:
 *
 * Returns: (nullable): an access-key profile's key ID (its secret is only
 *   ever in the keyring)
 */
const char *
gk_profile_get_access_key_id (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->access_key_id;
}

/**
 * gk_profile_get_iam_endpoint:
 *
 * Returns: (nullable): IAM's endpoint for the key-age questions
 */
const char *
gk_profile_get_iam_endpoint (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->iam_endpoint;
}

/**
 * gk_profile_get_assume_role_arn:
 *
 * Returns: (nullable): the role an assume-role profile assumes (`role_arn`)
 */
const char *
gk_profile_get_assume_role_arn (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->assume_role_arn;
}

const char *
gk_profile_get_external_id (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->external_id;
}

/**
 * gk_profile_get_source_profile:
 *
 * Returns: (nullable): the profile whose credentials sign AssumeRole
 */
const char *
gk_profile_get_source_profile (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->source_profile;
}

/**
 * gk_profile_get_role_session_name:
 *
 * Returns: (nullable): the RoleSessionName asked for, or %NULL for the
 *   user's name
 */
const char *
gk_profile_get_role_session_name (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->role_session_name;
}

const char *
gk_profile_get_source_identity (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return self->source_identity;
}

/**
 * gk_profile_get_session_tags:
 *
 * Returns: (nullable) (transfer none): the session tags as key, value,
 *   key, value…, or %NULL
 */
const char * const *
gk_profile_get_session_tags (GkProfile *self)
{
  g_return_val_if_fail (GK_IS_PROFILE (self), NULL);
  return (const char * const *) self->session_tags;
}
