/* gk-profile.c: one profile — its keys, their defaults and validation
 *
 * Reading IGV's oauth-config.json (one object or a list, plain or gzip) is
 * gk-profile-import.c; this takes one JSON object and checks every key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-profile.h"

struct _GkProfile
{
  GObject parent_instance;

  char *name;
  JsonObject *source;   /* the object as imported, unknown keys included */

  char *client_id;
  char *client_secret;
  char *authorization_endpoint;
  char *token_endpoint;
  char *revocation_endpoint;
  char *logout_endpoint;
  char *userinfo_endpoint;
  char *scope;
  char *redirect_uri;
  char *redirect_path;
  guint16 redirect_port;
  char *region;
  char *user_pool_id;
  char *identity_pool_id;
  char *role_arn;
  char *issuer;
  char *jwks_uri;
  char *cognito_identity_endpoint;
  char *sts_endpoint;
  char *s3_endpoint;
  GkProfileFlow flow;
  guint duration_seconds;
  GStrv buckets;
  char *chromoscope_prefix;

  /* The other credential sources (section 3 of DESIGN.md's key style). */
  GkProfileSource source_kind;
  char *access_key_id;
  char *iam_endpoint;
  char *assume_role_arn;
  char *external_id;
  char *source_profile;
  char *role_session_name;
  char *source_identity;
  GStrv session_tags;   /* key, value, key, value… */
};

G_DEFINE_FINAL_TYPE (GkProfile, gk_profile, G_TYPE_OBJECT)

/* What a GK_PROFILE_ERROR is about, for the faces to word their own hints
 * (a command names its options, the window its fields). */
typedef struct
{
  char *key;      /* the profile key whose value is wrong or missing */
  char *profile;  /* the profile's name */
} GkProfileErrorPrivate;

static void
gk_profile_error_private_init (GkProfileErrorPrivate *priv)
{
}

static void
gk_profile_error_private_copy (const GkProfileErrorPrivate *src,
                               GkProfileErrorPrivate       *dest)
{
  dest->key = g_strdup (src->key);
  dest->profile = g_strdup (src->profile);
}

static void
gk_profile_error_private_clear (GkProfileErrorPrivate *priv)
{
  g_clear_pointer (&priv->key, g_free);
  g_clear_pointer (&priv->profile, g_free);
}

G_DEFINE_EXTENDED_ERROR (GkProfileError, gk_profile_error)

/**
 * gk_profile_error_get_key:
 * @error: any error
 *
 * Returns: (nullable): the profile key (such as `aws_region`) a
 *   #GK_PROFILE_ERROR is about; %NULL for another error, or one about no
 *   single key
 */
const char *
gk_profile_error_get_key (const GError *error)
{
  GkProfileErrorPrivate *priv;

  if (error == NULL || error->domain != GK_PROFILE_ERROR)
    return NULL;
  priv = gk_profile_error_get_private (error);
  return priv != NULL ? priv->key : NULL;
}

/**
 * gk_profile_error_get_profile:
 * @error: any error
 *
 * Returns: (nullable): the name of the profile a #GK_PROFILE_ERROR is
 *   about (one that is not there, exists already, or is not valid); %NULL
 *   for another error
 */
const char *
gk_profile_error_get_profile (const GError *error)
{
  GkProfileErrorPrivate *priv;

  if (error == NULL || error->domain != GK_PROFILE_ERROR)
    return NULL;
  priv = gk_profile_error_get_private (error);
  return priv != NULL ? priv->profile : NULL;
}

/**
 * gk_profile_error_set_key:
 * @error: a #GK_PROFILE_ERROR
 * @key: (nullable): the profile key it is about
 */
void
gk_profile_error_set_key (GError     *error,
                          const char *key)
{
  GkProfileErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == GK_PROFILE_ERROR);

  priv = gk_profile_error_get_private (error);
  g_free (priv->key);
  priv->key = g_strdup (key);
}

/**
 * gk_profile_error_set_profile:
 * @error: a #GK_PROFILE_ERROR
 * @profile: (nullable): the name of the profile it is about
 */
void
gk_profile_error_set_profile (GError     *error,
                              const char *profile)
{
  GkProfileErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == GK_PROFILE_ERROR);

  priv = gk_profile_error_get_private (error);
  g_free (priv->profile);
  priv->profile = g_strdup (profile);
}

/* A GK_PROFILE_ERROR about @key (NULL: no single key). */
static gboolean
set_error (GError    **error,
           int         code,
           const char *key,
           const char *format,
           ...) G_GNUC_PRINTF (4, 5);

static gboolean
set_error (GError    **error,
           int         code,
           const char *key,
           const char *format,
           ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  g_return_val_if_fail (*error == NULL, FALSE);

  va_start (args, format);
  *error = g_error_new_valist (GK_PROFILE_ERROR, code, format, args);
  va_end (args);
  gk_profile_error_set_key (*error, key);
  return FALSE;
}

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
    return set_error (error, GK_PROFILE_ERROR_INVALID, key,
                      _("“%s” must be a text value in quotes."), key);
  *out = json_node_get_string (node);
  if (**out == '\0')
    *out = NULL;
  return TRUE;
}

/* Whether all of @text matches @pattern (anchored with ^ and $ by the
 * caller). DOLLAR_ENDONLY: a plain "$" also matches before a final
 * newline, which would let "lab\n" through as a profile name (and file
 * name) or "eu-west-2\n" as a region (and host). */
static gboolean
matches (const char *pattern,
         const char *text)
{
  return g_regex_match_simple (pattern, text, G_REGEX_DOLLAR_ENDONLY, 0);
}

/**
 * gk_profile_host_is_loopback:
 * @host: (nullable): a URL's host as GUri gives it (IPv6 without brackets;
 *   bracketed is accepted too)
 *
 * The one rule for where plain http is allowed: `localhost` or a loopback
 * address (127.0.0.0/8, ::1). Profiles, provisioning addresses and
 * AWS_ENDPOINT_URL all carry tokens or credentials, so they share it.
 *
 * Returns: whether @host is this computer
 */
gboolean
gk_profile_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri keeps IPv6 literals without brackets; a caller may not have. */
  if (host[0] == '[')
    {
      g_autofree char *bare = g_strndup (host + 1, strcspn (host + 1, "]"));

      address = g_inet_address_new_from_string (bare);
    }
  else
    address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * gk_profile_host_is_valid:
 * @host: a URL's host as GUri gives it with %G_URI_FLAGS_ENCODED
 *
 * An endpoint's host must be an LDH host name (letters, digits, "-", in
 * labels of at most 63 separated by dots) or an IP literal; anything else
 * (escapes, quotes, "_") ends up in links, JSON and Host headers.
 */
gboolean
gk_profile_host_is_valid (const char *host)
{
  g_auto(GStrv) labels = NULL;
  gsize length;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  length = strlen (host);
  if (length > 253)
    return FALSE;
  labels = g_strsplit (host, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize n = strlen (labels[i]);

      /* One trailing dot (a fully qualified name) leaves an empty last label. */
      if (n == 0 && labels[i + 1] == NULL && i > 0)
        continue;
      if (n == 0 || n > 63 || labels[i][0] == '-' || labels[i][n - 1] == '-')
        return FALSE;
      for (gsize c = 0; c < n; c++)
        if (!g_ascii_isalnum (labels[i][c]) && labels[i][c] != '-')
          return FALSE;
    }
  return TRUE;
}

/**
 * gk_profile_describe_url:
 * @url: an address from a profile, the environment or the user
 *
 * The address as errors may show it: without user info (a password), query
 * or fragment (a presigned link's signature and session token). Text that
 * is not a URL is cut at its first `?` or `#` alike.
 *
 * Returns: (transfer full): the address to show
 */
char *
gk_profile_describe_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return g_strndup (url, strcspn (url, "?#"));
  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
}

/* Endpoints carry tokens and credentials: https only, except plain http to
 * this machine (the local stand-in, or an S3-compatible store on loopback). */
static gboolean
check_endpoint (const char  *key,
                const char  *value,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  /* Parsed as written: decoding first would let "%22" or "%2F" in a host
   * turn into a quote or a slash later, in links and JSON built from it. */
  uri = g_uri_parse (value, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return set_error (error, GK_PROFILE_ERROR_INVALID, key,
                      _("“%s” is not a valid URL. Use a full address such as https://example.org/path."),
                      key);
  if (!gk_profile_host_is_valid (g_uri_get_host (uri)))
    return set_error (error, GK_PROFILE_ERROR_INVALID, key,
                      _("The host in “%s” is not a host name (letters, digits, “-” and “.”) or an IP "
                        "address. Write it plainly, without %% escapes or other characters."),
                      key);
  if (g_uri_get_userinfo (uri) != NULL)
    return set_error (error, GK_PROFILE_ERROR_INVALID, key,
                      _("“%s” must not contain a user name or password."), key);

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (gk_profile_host_is_loopback (g_uri_get_host (uri)))
        return TRUE;
      return set_error (error, GK_PROFILE_ERROR_INVALID, key,
                        _("“%s” uses plain http to %s. Use https:// (plain http is accepted only for this computer, such as http://127.0.0.1)."),
                        key, g_uri_get_host (uri));
    }
  return set_error (error, GK_PROFILE_ERROR_INVALID, key,
                    _("“%s” must start with https://."), key);
}

static gboolean
is_region (const char *region)
{
  return region != NULL
         && matches ("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]{1,2}$", region);
}

static char *
region_prefix (const char *id,
               char        separator)
{
  const char *sep = strchr (id, separator);

  return sep ? g_strndup (id, sep - id) : NULL;
}

/* A Cognito user pool id as AWS writes it: the region, "_", letters and
 * digits; at most 55 characters (CreateUserPool's limit). */
static gboolean
is_user_pool_id (const char *id)
{
  return strlen (id) <= 55 && matches ("^[a-z]{2}(-gov)?-[a-z]+-[0-9]_[0-9A-Za-z]+$", id);
}

/* IGV appends the scope to the URL unencoded, so labs' files often hold it
 * pre-encoded ("email%20openid%20profile"); "+" is the form encoding of a
 * space. Both mean the same scopes. */
static char *
normalize_scope (const char *raw)
{
  g_autofree char *decoded = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  decoded = g_uri_unescape_string (raw, NULL);
  if (decoded == NULL)
    decoded = g_strdup (raw);
  g_strdelimit (decoded, "+\t\n", ' ');
  parts = g_strsplit (decoded, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[i]);
    }
  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
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
    return set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                      _("“redirect_uris” must be an http address on this computer, with the host localhost, 127.0.0.1 or [::1], such as %s: Genokey receives the sign-in there."),
                      GK_PROFILE_DEFAULT_REDIRECT_URI);
  port = g_uri_get_port (uri);
  if (port <= 0 || port > 65535)
    return set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                      _("“redirect_uris” needs a port, as in %s."), GK_PROFILE_DEFAULT_REDIRECT_URI);
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
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
            return set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
                              _("“redirect_uris” must be a list of addresses in quotes."));
          value = json_node_get_string (first);
        }
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "redirect_uris",
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
    return set_error (error, GK_PROFILE_ERROR_INVALID, "buckets",
                      _("“buckets” must be a list of bucket names, as in [\"lab-data\", \"lab-share/cohort1\"]."));

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *entry;
      g_autofree char *bucket = NULL;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        return set_error (error, GK_PROFILE_ERROR_INVALID, "buckets",
                          _("Entry %u of “buckets” must be a bucket name in quotes."), i + 1);
      entry = json_node_get_string (item);
      while (*entry == '/')
        entry++;
      bucket = strchr (entry, '/') ? g_strndup (entry, strchr (entry, '/') - entry) : g_strdup (entry);
      if (!matches ("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "buckets",
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
    return set_error (error, GK_PROFILE_ERROR_INVALID, "duration_seconds",
                      _("“duration_seconds” must be a whole number of seconds between 900 and 43200."));
  value = json_node_get_int (node);
  if (value < 900 || value > 43200)
    return set_error (error, GK_PROFILE_ERROR_INVALID, "duration_seconds",
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

  if ((self->issuer != NULL && !check_endpoint ("issuer", self->issuer, error))
      || (self->jwks_uri != NULL && !check_endpoint ("jwks_uri", self->jwks_uri, error)))
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
      if (!is_user_pool_id (self->user_pool_id))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_pool_id",
                          _("“aws_cognito_pool_id” is “%s”, which is not a user pool id. It looks like eu-west-2_AbCdEf123 (Cognito › User pools › Pool Id)."),
                          self->user_pool_id);
      pool_region = region_prefix (self->user_pool_id, '_');
    }
  if (self->identity_pool_id == NULL)
    return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "aws_cognito_fed_pool_id",
                      _("“aws_cognito_fed_pool_id” is missing. Add the identity pool id (Cognito › Identity pools), such as eu-west-2:0a1b2c3d-…"));
  if (!matches ("^[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                self->identity_pool_id))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_fed_pool_id",
                      _("“aws_cognito_fed_pool_id” is “%s”, which is not an identity pool id. It looks like eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789."),
                      self->identity_pool_id);
  fed_region = region_prefix (self->identity_pool_id, ':');

  if (self->region == NULL)
    self->region = g_strdup (pool_region ? pool_region : fed_region);
  if (!is_region (self->region))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
                      _("“aws_region” is “%s”, which is not an AWS region. Use a region code such as eu-west-2."),
                      self->region);
  if (pool_region != NULL && !g_str_equal (pool_region, self->region))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
                      _("“aws_cognito_pool_id” is in %s but “aws_region” is %s. Set aws_region to the region of the pools."),
                      pool_region, self->region);
  if (!g_str_equal (fed_region, self->region))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
                      _("“aws_cognito_fed_pool_id” is in %s but “aws_region” is %s. Set aws_region to the region of the pools."),
                      fed_region, self->region);

  if (self->role_arn != NULL
      && !matches ("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$",
                   self->role_arn))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_role_arn",
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
    return set_error (error, GK_PROFILE_ERROR_INVALID, "flow",
                      _("“flow” is “%s”; use “enhanced” or “basic”."), flow);
  if (self->flow == GK_PROFILE_FLOW_BASIC && self->role_arn == NULL)
    return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "aws_cognito_role_arn",
                      _("“flow” is “basic”, which needs “aws_cognito_role_arn”: the IAM role to assume. Add it, or use the enhanced flow."));
  return TRUE;
}

static const char * const source_names[] = {
  [GK_PROFILE_SOURCE_COGNITO] = "cognito",
  [GK_PROFILE_SOURCE_ACCESS_KEY] = "access-key",
  [GK_PROFILE_SOURCE_ASSUME_ROLE] = "assume-role",
  [GK_PROFILE_SOURCE_INSTANCE_PROFILE] = "instance-profile",
};

const char *
gk_profile_source_to_string (GkProfileSource source)
{
  g_return_val_if_fail (source < G_N_ELEMENTS (source_names), NULL);
  return source_names[source];
}

gboolean
gk_profile_source_from_string (const char      *text,
                               GkProfileSource *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (g_strcmp0 (text, source_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
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
    return set_error (error, GK_PROFILE_ERROR_INVALID, "tags",
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
        return set_error (error, GK_PROFILE_ERROR_INVALID, "tags",
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
      if (strings[i].endpoint && !check_endpoint (strings[i].key, s, error))
        return FALSE;
      *strings[i].field = g_strdup (s);
    }

  if (self->region == NULL)
    self->region = g_strdup (GK_PROFILE_DEFAULT_REGION);
  if (!is_region (self->region))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "aws_region",
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
        return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "access_key_id",
                          _("“access_key_id” is missing. Add the IAM user's access key ID, such as AKIAIOSFODNN7EXAMPLE."));
      if (!matches ("^[A-Z0-9]{16,128}$", self->access_key_id)
          || g_str_has_prefix (self->access_key_id, "ASIA"))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "access_key_id",
                          _("“access_key_id” is not an IAM user's access key ID. It looks like AKIAIOSFODNN7EXAMPLE (temporary ASIA… keys cannot be stored)."));
      break;
    case GK_PROFILE_SOURCE_ASSUME_ROLE:
      if (self->assume_role_arn == NULL)
        return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "role_arn",
                          _("“role_arn” is missing. Add the ARN of the role to assume, such as arn:aws:iam::123456789012:role/LabAccess."));
      if (!matches ("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$",
                    self->assume_role_arn))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "role_arn",
                          _("“role_arn” is not a role ARN. It looks like arn:aws:iam::123456789012:role/LabAccess."));
      if (self->source_profile == NULL)
        return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "source_profile",
                          _("“source_profile” is missing. Name the profile whose credentials may assume the role (a lab sign-in, an access key or an instance profile)."));
      if (!gk_profile_name_is_valid (self->source_profile) || g_str_equal (self->source_profile, self->name))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "source_profile",
                          _("“source_profile” must name another Genokey profile."));
      /* STS's own rules, checked here so a typo is named before any call. */
      if (self->external_id != NULL
          && !matches ("^[\\w+=,.@:/-]{2,1224}$", self->external_id))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "external_id",
                          _("“external_id” must be 2–1224 letters, digits or +=,.@:/- characters, exactly as the role's owner gave it."));
      if (self->role_session_name != NULL
          && !matches ("^[\\w+=,.@-]{2,64}$", self->role_session_name))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "role_session_name",
                          _("“role_session_name” must be 2–64 letters, digits or +=,.@- characters."));
      if (self->source_identity != NULL
          && !matches ("^[\\w+=,.@-]{2,64}$", self->source_identity))
        return set_error (error, GK_PROFILE_ERROR_INVALID, "source_identity",
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
    return set_error (error, GK_PROFILE_ERROR_INVALID, "source",
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
      if (strings[i].endpoint && !check_endpoint (strings[i].key, s, error))
        return FALSE;
      *strings[i].field = g_strdup (s);
    }

  if (self->client_id == NULL)
    return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "client_id",
                      _("“client_id” is missing. Copy the app client id from the Cognito user pool (App integration › App clients)."));
  if (self->authorization_endpoint == NULL)
    return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "authorization_endpoint",
                      _("“authorization_endpoint” is missing. Use the hosted UI address, such as https://<domain>.auth.<region>.amazoncognito.com/oauth2/authorize."));
  if (self->token_endpoint == NULL)
    return set_error (error, GK_PROFILE_ERROR_MISSING_KEY, "token_endpoint",
                      _("“token_endpoint” is missing. Use the hosted UI address, such as https://<domain>.auth.<region>.amazoncognito.com/oauth2/token."));

  if (!get_string (object, "scope", &s, error))
    return FALSE;
  if (s != NULL)
    self->scope = normalize_scope (s);
  if (self->scope != NULL && !matches ("(^| )openid( |$)", self->scope))
    return set_error (error, GK_PROFILE_ERROR_INVALID, "scope",
                      _("“scope” must include “openid”: Genokey needs the ID token. Use “email openid profile”."));

  if (!read_redirect_uri (self, object, error))
    return FALSE;

  if (!check_pools (self, error) || !read_flow (self, object, error))
    return FALSE;

  if (!read_duration (self, object, error) || !read_buckets (self, object, error))
    return FALSE;

  return apply_defaults (self, error);
}

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
 * gk_profile_name_is_valid:
 *
 * Profile names become file names and command-line values: letters, digits,
 * `.`, `_` and `-`, not starting with a dot, and not `env` (which
 * `--profile env` reserves for the AWS environment variables).
 */
gboolean
gk_profile_name_is_valid (const char *name)
{
  return name != NULL
         && matches ("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$", name)
         && !g_str_equal (name, "env");
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
      set_error (error, GK_PROFILE_ERROR_INVALID, NULL,
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


/**
 * gk_profile_pool_id_from_issuer:
 * @region: the profile's `aws_region`
 * @issuer: an ID token's `iss`, not yet trusted
 *
 * The one form an issuer learned from a token may have: exactly
 * `https://cognito-idp.<region>.amazonaws.com/<region>_<id>`. Compared as
 * text, not parsed as a URL: a port, user info, another case, a trailing
 * slash or anything after the id is not Cognito's own spelling, and a host
 * that merely ends in amazonaws.com is not AWS's. Only such an issuer's
 * signing keys are fetched, and only then is the token checked against
 * them, so a token cannot send Genokey to a key set of its choosing.
 *
 * Returns: (transfer full) (nullable): the user pool id, or %NULL when
 *   @issuer does not have that form
 */
char *
gk_profile_pool_id_from_issuer (const char *region,
                                const char *issuer)
{
  g_autofree char *prefix = NULL;
  const char *id;

  if (region == NULL || issuer == NULL || !is_region (region))
    return NULL;
  prefix = g_strdup_printf ("https://cognito-idp.%s.amazonaws.com/", region);
  if (!g_str_has_prefix (issuer, prefix))
    return NULL;
  id = issuer + strlen (prefix);
  if (!g_str_has_prefix (id, region) || id[strlen (region)] != '_' || !is_user_pool_id (id))
    return NULL;
  return g_strdup (id);
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
  set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_pool_id",
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
      ok = set_error (error, GK_PROFILE_ERROR_INVALID, "aws_cognito_pool_id",
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
