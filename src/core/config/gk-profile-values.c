/* gk-profile-values.c: what a profile's values may be — names, hosts,
 * endpoints, regions, pool ids, scopes, sources (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-profile-error.h"
#include "gk-profile-values.h"

/* Whether all of @text gk_profile_value_matches @pattern (anchored with ^ and $ by the
 * caller). DOLLAR_ENDONLY: a plain "$" also gk_profile_value_matches before a final
 * newline, which would let "lab\n" through as a profile name (and file
 * name) or "eu-west-2\n" as a region (and host). */
gboolean
gk_profile_value_matches (const char *pattern,
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
gboolean
gk_profile_check_endpoint (const char  *key,
                           const char  *value,
                           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  /* Parsed as written: decoding first would let "%22" or "%2F" in a host
   * turn into a quote or a slash later, in links and JSON built from it. */
  uri = g_uri_parse (value, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, key,
                                 _("“%s” is not a valid URL. Use a full address such as https://example.org/path."),
                                 key);
  if (!gk_profile_host_is_valid (g_uri_get_host (uri)))
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, key,
                                 _("The host in “%s” is not a host name (letters, digits, “-” and “.”) or an IP "
                                   "address. Write it plainly, without %% escapes or other characters."),
                                 key);
  if (g_uri_get_userinfo (uri) != NULL)
    return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, key,
                                 _("“%s” must not contain a user name or password."), key);

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (gk_profile_host_is_loopback (g_uri_get_host (uri)))
        return TRUE;
      return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, key,
                                   _("“%s” uses plain http to %s. Use https:// (plain http is accepted only for this computer, such as http://127.0.0.1)."),
                                   key, g_uri_get_host (uri));
    }
  return gk_profile_set_error (error, GK_PROFILE_ERROR_INVALID, key,
                               _("“%s” must start with https://."), key);
}

gboolean
gk_profile_region_is_valid (const char *region)
{
  return region != NULL
         && gk_profile_value_matches ("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]{1,2}$", region);
}

/* A Cognito user pool id as AWS writes it: the region, "_", letters and
 * digits; at most 55 characters (CreateUserPool's limit). */
gboolean
gk_profile_user_pool_id_is_valid (const char *id)
{
  return strlen (id) <= 55 && gk_profile_value_matches ("^[a-z]{2}(-gov)?-[a-z]+-[0-9]_[0-9A-Za-z]+$", id);
}

/* IGV appends the scope to the URL unencoded, so labs' files often hold it
 * pre-encoded ("email%20openid%20profile"); "+" is the form encoding of a
 * space. Both mean the same scopes. */
char *
gk_profile_normalize_scope (const char *raw)
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
         && gk_profile_value_matches ("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$", name)
         && !g_str_equal (name, "env");
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

  if (region == NULL || issuer == NULL || !gk_profile_region_is_valid (region))
    return NULL;
  prefix = g_strdup_printf ("https://cognito-idp.%s.amazonaws.com/", region);
  if (!g_str_has_prefix (issuer, prefix))
    return NULL;
  id = issuer + strlen (prefix);
  if (!g_str_has_prefix (id, region) || id[strlen (region)] != '_' || !gk_profile_user_pool_id_is_valid (id))
    return NULL;
  return g_strdup (id);
}
