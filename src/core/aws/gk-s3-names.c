/* gk-s3-names.c: S3's names, s3:// addresses and where a request goes
 *
 * Pure: bucket and key rules, s3:// parsing, virtual-hosted or path-style
 * addressing, and the key ranges that split one big listing into several.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-s3-error.h"
#include "gk-s3-names.h"

/* ---- names and URIs --------------------------------------------------- */

static gboolean
looks_like_ipv4 (const char *name)
{
  int dots = 0;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '.')
        dots++;
      else if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return dots == 3;
}

/**
 * gk_s3_bucket_name_is_valid:
 *
 * S3's general-purpose bucket naming rules: 3–63 characters of a-z, 0-9,
 * '.' and '-', starting and ending with a letter or digit, no "..", not an
 * IP address, none of the reserved prefixes and suffixes.
 */
gboolean
gk_s3_bucket_name_is_valid (const char  *name,
                            GError     **error)
{
  gsize len = name != NULL ? strlen (name) : 0;
  const char *why = NULL;

  if (len < 3 || len > 63)
    why = _("it must be 3 to 63 characters long");
  else if (!(g_ascii_islower (name[0]) || g_ascii_isdigit (name[0]))
           || !(g_ascii_islower (name[len - 1]) || g_ascii_isdigit (name[len - 1])))
    why = _("it must start and end with a lower-case letter or a digit");
  else if (strstr (name, "..") != NULL || strstr (name, ".-") != NULL || strstr (name, "-.") != NULL)
    why = _("dots must not be next to another dot or a hyphen");
  else if (looks_like_ipv4 (name))
    why = _("it must not look like an IP address");
  else if (g_str_has_prefix (name, "xn--") || g_str_has_prefix (name, "sthree-")
           || g_str_has_suffix (name, "-s3alias") || g_str_has_suffix (name, "--ol-s3"))
    why = _("it uses a prefix or suffix that S3 reserves");
  else
    for (const char *p = name; *p != '\0'; p++)
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '-'))
        {
          why = _("only lower-case letters, digits, dots and hyphens are allowed");
          break;
        }

  if (why != NULL)
    {
      g_autofree char *shown = name != NULL ? g_strescape (name, NULL) : g_strdup ("");

      g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_BUCKET_NAME,
                   _("“%s” is not a valid S3 bucket name: %s. Check the s3:// address."),
                   shown, why);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_s3_key_is_valid:
 * @allow_empty: %TRUE for prefixes, where "" means the whole bucket
 *
 * Keys must be UTF-8 of at most 1024 bytes. Control characters are legal in
 * S3 but cannot survive XML listings or a line-per-link output, and in a lab
 * bucket they are always a mistake (a pasted line break), so they are refused.
 */
gboolean
gk_s3_key_is_valid (const char  *key,
                    gboolean     allow_empty,
                    GError     **error)
{
  gsize len = key != NULL ? strlen (key) : 0;

  if (len == 0 && !allow_empty)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                           _("The S3 address names no object. Use s3://BUCKET/KEY."));
      return FALSE;
    }
  if (len > 1024)
    {
      g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                   _("The object key is %zu bytes long; S3 keys are at most 1024 bytes."),
                   (size_t) len);
      return FALSE;
    }
  if (!g_utf8_validate (key, len, NULL))
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                           _("The object key is not valid UTF-8. Check the s3:// address."));
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if ((guchar) key[i] < 0x20 || key[i] == 0x7f)
      {
        g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                     _("The object key contains a control character (byte 0x%02X at position %zu). Remove line breaks or tabs from the s3:// address."),
                     (guint) (guchar) key[i], (size_t) i);
        return FALSE;
      }
  return TRUE;
}

/**
 * gk_s3_parse_uri:
 * @bucket: (out): the bucket name
 * @key: (out): the key (possibly empty: the bucket itself)
 *
 * Splits `s3://BUCKET/KEY`. The key is taken literally (as `aws s3` does):
 * no percent-decoding, and `//`, `./` or `../` stay part of it.
 */
gboolean
gk_s3_parse_uri (const char  *uri,
                 char       **bucket,
                 char       **key,
                 GError     **error)
{
  const char *rest, *slash;
  g_autofree char *b = NULL;

  if (uri == NULL || g_ascii_strncasecmp (uri, "s3://", 5) != 0)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI,
                           _("Not an S3 address. Use s3://BUCKET/KEY."));
      return FALSE;
    }
  rest = uri + 5;
  slash = strchr (rest, '/');
  b = slash != NULL ? g_strndup (rest, slash - rest) : g_strdup (rest);
  if (!gk_s3_bucket_name_is_valid (b, error))
    return FALSE;
  if (!gk_s3_key_is_valid (slash != NULL ? slash + 1 : "", TRUE, error))
    return FALSE;
  *bucket = g_steal_pointer (&b);
  *key = g_strdup (slash != NULL ? slash + 1 : "");
  return TRUE;
}

/**
 * gk_s3_split_object_uri:
 * @bucket: (out caller-allocates): receives the bucket name
 * @key: (out): points into @uri, just after the bucket's `/`
 *
 * Splits `s3://BUCKET/KEY` without allocating, for streams of thousands of
 * addresses. Only the shape is checked (the bucket's name and the key are
 * checked where they are used, with the allow-list); unlike
 * gk_s3_parse_uri(), a key part is required, possibly empty.
 */
gboolean
gk_s3_split_object_uri (const char   *uri,
                        char          bucket[GK_S3_BUCKET_NAME_MAX + 1],
                        const char  **key,
                        GError      **error)
{
  const char *slash;

  if (uri == NULL || g_ascii_strncasecmp (uri, "s3://", 5) != 0
      || (slash = strchr (uri + 5, '/')) == NULL
      || (gsize) (slash - uri - 5) > GK_S3_BUCKET_NAME_MAX)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI,
                           _("Not an S3 object address. Use s3://BUCKET/KEY."));
      return FALSE;
    }
  memcpy (bucket, uri + 5, slash - uri - 5);
  bucket[slash - uri - 5] = '\0';
  *key = slash + 1;
  return TRUE;
}

/**
 * gk_s3_uses_path_style:
 *
 * Path-style (`host/BUCKET/KEY`) for custom endpoints (IGV's `endpoint_url`,
 * MinIO, the local stand-in) and for bucket names with dots, whose
 * virtual-hosted name would not match S3's wildcard TLS certificate.
 */
gboolean
gk_s3_uses_path_style (const char *bucket,
                       const char *endpoint)
{
  return (endpoint != NULL && *endpoint != '\0') || (bucket != NULL && strchr (bucket, '.') != NULL);
}

/**
 * gk_s3_build_target:
 * @endpoint: (nullable): a custom endpoint URL, or %NULL for AWS
 * @bucket: (nullable): %NULL for service-level calls (ListBuckets)
 * @key: (nullable): %NULL for bucket-level calls
 * @scheme: (out), @host: (out), @path: (out): the raw (unencoded) path
 */
gboolean
gk_s3_build_target (const char  *endpoint,
                    const char  *region,
                    const char  *bucket,
                    const char  *key,
                    char       **scheme,
                    char       **host,
                    char       **path,
                    GError     **error)
{
  if (endpoint != NULL && *endpoint != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, error);
      g_autofree char *base = NULL;
      const char *uri_path;

      if (uri == NULL || g_uri_get_host (uri) == NULL)
        {
          g_clear_error (error);
          g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI,
                       _("The S3 endpoint “%s” is not a URL. Fix endpoint_url in the profile (or AWS_ENDPOINT_URL_S3)."),
                       endpoint);
          return FALSE;
        }
      uri_path = g_uri_get_path (uri);
      base = g_strdup (uri_path != NULL ? uri_path : "");
      while (*base != '\0' && base[strlen (base) - 1] == '/')
        base[strlen (base) - 1] = '\0';
      *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
      /* The Host header (and so the signature) leaves out a default port,
       * as HTTP clients and browsers send it. */
      if (g_uri_get_port (uri) > 0
          && !(g_uri_get_port (uri) == 80 && g_str_equal (*scheme, "http"))
          && !(g_uri_get_port (uri) == 443 && g_str_equal (*scheme, "https")))
        {
          const char *h = g_uri_get_host (uri);

          *host = strchr (h, ':') != NULL
            ? g_strdup_printf ("[%s]:%d", h, g_uri_get_port (uri))
            : g_strdup_printf ("%s:%d", h, g_uri_get_port (uri));
        }
      else if (strchr (g_uri_get_host (uri), ':') != NULL)
        *host = g_strdup_printf ("[%s]", g_uri_get_host (uri));
      else
        *host = g_strdup (g_uri_get_host (uri));
      if (bucket == NULL)
        *path = g_strconcat (base, "/", NULL);
      else if (key == NULL)
        *path = g_strconcat (base, "/", bucket, NULL);
      else
        *path = g_strconcat (base, "/", bucket, "/", key, NULL);
      return TRUE;
    }

  *scheme = g_strdup ("https");
  if (bucket == NULL)
    {
      *host = g_strdup_printf ("s3.%s.amazonaws.com", region);
      *path = g_strdup ("/");
    }
  else if (gk_s3_uses_path_style (bucket, NULL))
    {
      *host = g_strdup_printf ("s3.%s.amazonaws.com", region);
      *path = key != NULL ? g_strconcat ("/", bucket, "/", key, NULL) : g_strconcat ("/", bucket, NULL);
    }
  else
    {
      *host = g_strdup_printf ("%s.s3.%s.amazonaws.com", bucket, region);
      *path = g_strconcat ("/", key != NULL ? key : "", NULL);
    }
  return TRUE;
}

/* ---- key ranges ------------------------------------------------------- */

/**
 * gk_s3_key_common_prefix:
 *
 * Every key that sorts between @a and @b (S3's bytewise order) starts with
 * what they share, so it bounds a listing of that range. Not cut inside a
 * character: S3 wants a prefix in UTF-8.
 *
 * Returns: (transfer full): the longest common prefix of @a and @b
 */
char *
gk_s3_key_common_prefix (const char *a,
                         const char *b)
{
  gsize n = 0;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  while (a[n] != '\0' && a[n] == b[n])
    n++;
  while (n > 0 && ((guchar) a[n] & 0xC0) == 0x80)
    n--;
  return g_strndup (a, n);
}

/**
 * gk_s3_key_before:
 * @key: a key in UTF-8
 *
 * A StartAfter that lists @key itself: @key without its last character
 * sorts just before it.
 *
 * Returns: (transfer full) (nullable): that key, or %NULL for a key of one
 *   character (list from the start)
 */
char *
gk_s3_key_before (const char *key)
{
  const char *last;

  g_return_val_if_fail (key != NULL, NULL);

  last = g_utf8_find_prev_char (key, key + strlen (key));
  return last != NULL && last > key ? g_strndup (key, last - key) : NULL;
}

/**
 * gk_s3_region_is_plausible:
 *
 * Whether @region looks like a region name as S3 writes it (letters,
 * digits and hyphens), before it goes into a host name or a signature.
 */
gboolean
gk_s3_region_is_plausible (const char *region)
{
  if (region == NULL || *region == '\0' || strlen (region) > 32)
    return FALSE;
  for (const char *p = region; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}
