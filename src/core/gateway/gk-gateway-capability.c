/* gk-gateway-capability.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <string.h>

#include "gk-gateway-capability.h"
#include "gk-gateway-error.h"
#include "gk-s3.h"
#include "gk-sigv4.h"

G_DEFINE_QUARK (gk-gateway-error-quark, gk_gateway_error)

/* Domain separation: an object's and a config's capability are HMACs of
 * differently tagged messages, so neither can be presented as the other. */
#define OBJECT_DOMAIN "genokey-gateway-object-v1"
#define CONFIG_DOMAIN "genokey-gateway-config-v1"

static const char base64url[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
capability_of (const guint8  secret[GK_GATEWAY_SECRET_SIZE],
               const char   *domain,
               const char   *profile,
               const char   *a,
               const char   *b,
               char          out[GK_GATEWAY_CAPABILITY_LEN + 1])
{
  g_autoptr(GString) message = g_string_sized_new (256);
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  guint bits = 0, acc = 0, o = 0;

  /* NUL separators: no profile, bucket or key contains one, so the fields
   * cannot be shifted into each other ("ab" + "c" vs "a" + "bc"). */
  g_string_append_len (message, domain, strlen (domain) + 1);
  g_string_append_len (message, profile, strlen (profile) + 1);
  g_string_append_len (message, a, strlen (a) + 1);
  if (b != NULL)
    g_string_append (message, b);

  HMAC (EVP_sha256 (), secret, GK_GATEWAY_SECRET_SIZE, (const guint8 *) message->str,
        message->len, mac, &mac_len);
  g_assert (mac_len >= GK_GATEWAY_CAPABILITY_LEN * 6 / 8);

  for (guint i = 0; o < GK_GATEWAY_CAPABILITY_LEN; i++)
    {
      acc = (acc << 8) | mac[i];
      bits += 8;
      while (bits >= 6 && o < GK_GATEWAY_CAPABILITY_LEN)
        {
          bits -= 6;
          out[o++] = base64url[(acc >> bits) & 0x3f];
        }
    }
  out[o] = '\0';
  OPENSSL_cleanse (mac, sizeof mac);
}

/**
 * gk_gateway_capability_for_object:
 * @out: (out caller-allocates): the capability, NUL-terminated
 */
void
gk_gateway_capability_for_object (const guint8  secret[GK_GATEWAY_SECRET_SIZE],
                                  const char   *profile,
                                  const char   *bucket,
                                  const char   *key,
                                  char          out[GK_GATEWAY_CAPABILITY_LEN + 1])
{
  capability_of (secret, OBJECT_DOMAIN, profile, bucket, key, out);
}

void
gk_gateway_capability_for_config (const guint8  secret[GK_GATEWAY_SECRET_SIZE],
                                  const char   *profile,
                                  const char   *name,
                                  char          out[GK_GATEWAY_CAPABILITY_LEN + 1])
{
  capability_of (secret, CONFIG_DOMAIN, profile, name, NULL, out);
}

/**
 * gk_gateway_capability_equal:
 *
 * Compares in constant time, so the time an answer takes says nothing
 * about how much of a guessed capability was right.
 */
gboolean
gk_gateway_capability_equal (const char *a,
                             const char *b)
{
  return strlen (a) == GK_GATEWAY_CAPABILITY_LEN && strlen (b) == GK_GATEWAY_CAPABILITY_LEN &&
         CRYPTO_memcmp (a, b, GK_GATEWAY_CAPABILITY_LEN) == 0;
}

/**
 * gk_gateway_key_is_servable:
 *
 * Whether a gateway link can carry @key. S3 keys may hold empty, `.` and
 * `..` segments, but browsers and URL libraries rewrite such paths before
 * sending them (`a/../b` becomes `b`), so the link would arrive as another
 * path and be refused. Such keys need a presigned link instead.
 */
gboolean
gk_gateway_key_is_servable (const char  *bucket,
                            const char  *key,
                            GError     **error)
{
  g_auto(GStrv) segments = NULL;

  if (!gk_s3_bucket_name_is_valid (bucket, error) || !gk_s3_key_is_valid (key, FALSE, error))
    return FALSE;

  segments = g_strsplit (key, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      /* A trailing slash (a "folder" object) is the one empty segment a
       * browser leaves alone. */
      gboolean last = segments[i + 1] == NULL;

      if ((segments[i][0] == '\0' && !(last && i > 0)) ||
          strcmp (segments[i], ".") == 0 || strcmp (segments[i], "..") == 0)
        {
          g_set_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_UNSERVABLE_KEY,
                       _("s3://%s/%s has an empty, “.” or “..” part in its key, which web "
                         "browsers and IGV rewrite, so a gateway link cannot reach it. Use a "
                         "presigned link for this file."),
                       bucket, key);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * gk_gateway_config_name_is_valid:
 *
 * Names of configs the gateway serves: letters, digits, `.`, `_` and `-`,
 * not starting with a dot, at most %GK_GATEWAY_CONFIG_NAME_MAX bytes. They
 * become file names, so nothing that could climb out of the folder.
 */
gboolean
gk_gateway_config_name_is_valid (const char  *name,
                                 GError     **error)
{
  gsize len = strlen (name);

  if (len == 0 || len > GK_GATEWAY_CONFIG_NAME_MAX || name[0] == '.' ||
      name[strspn (name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")] != '\0')
    {
      g_set_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_INVALID_CONFIG_NAME,
                   _("“%s” cannot name a config served by the gateway. Use up to %d letters, "
                     "digits, “.”, “_” or “-”, not starting with a dot."),
                   name, GK_GATEWAY_CONFIG_NAME_MAX);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_gateway_append_object_path:
 *
 * Appends `/<capability>/<bucket>/<key>` with the key percent-encoded as
 * S3 encodes it (every byte but A-Za-z0-9-._~ and `/`, upper-case hex):
 * the one spelling gk_gateway_target_parse() accepts.
 */
void
gk_gateway_append_object_path (GString    *out,
                               const char *capability,
                               const char *bucket,
                               const char *key)
{
  g_string_append_c (out, '/');
  g_string_append (out, capability);
  g_string_append_c (out, '/');
  g_string_append (out, bucket);
  g_string_append_c (out, '/');
  gk_sigv4_uri_encode (out, key, -1, TRUE);
}

void
gk_gateway_append_config_path (GString    *out,
                               const char *capability,
                               const char *name)
{
  g_string_append_printf (out, "/%s/config/%s.json", capability, name);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static char *
percent_decode (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));

  for (const char *p = s; *p != '\0'; p++)
    {
      int hi, lo;

      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      hi = hex_value (p[1]);
      lo = hi >= 0 ? hex_value (p[2]) : -1;
      if (lo < 0)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, (char) (hi << 4 | lo));
      p += 2;
    }
  return g_string_free (out, FALSE);
}

/**
 * gk_gateway_target_parse:
 * @raw: the request target exactly as it arrived
 * @reason: (out): why it is refused (marked for translation, not translated)
 *
 * Accepts only the one spelling gk_gateway_append_object_path() writes:
 * anything else (another percent-encoding of the same bytes, `%2F` for a
 * slash, double slashes, dot segments, a query) is refused rather than
 * normalised, so no two paths ever reach the same object and nothing in
 * the path is interpreted twice.
 *
 * Returns: %FALSE with @reason set when the target is not a gateway link
 */
gboolean
gk_gateway_target_parse (const char       *raw,
                         GkGatewayTarget  *target,
                         const char      **reason)
{
  const char *p = raw;
  const char *slash;
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GString) canonical = NULL;

  memset (target, 0, sizeof *target);

  /* Absolute-form targets (`GET http://host/…`) are for proxies. */
  if (p[0] != '/')
    {
      *reason = N_("Not a gateway link: the path must start with “/”.");
      return FALSE;
    }
  /* Links carry no query and no fragment; a query would be a second place
   * for data the capability does not cover. */
  if (strpbrk (p, "?#") != NULL)
    {
      *reason = N_("Not a gateway link: links have no query.");
      return FALSE;
    }

  p++;
  if (strspn (p, base64url) != GK_GATEWAY_CAPABILITY_LEN || p[GK_GATEWAY_CAPABILITY_LEN] != '/')
    {
      *reason = N_("Not a gateway link: it does not start with a capability.");
      return FALSE;
    }
  memcpy (target->capability, p, GK_GATEWAY_CAPABILITY_LEN);
  target->capability[GK_GATEWAY_CAPABILITY_LEN] = '\0';
  p += GK_GATEWAY_CAPABILITY_LEN + 1;

  slash = strchr (p, '/');
  if (slash == NULL || slash == p || slash - p > 63 || slash[1] == '\0')
    {
      *reason = N_("Not a gateway link: it names no bucket and key.");
      return FALSE;
    }
  bucket = g_strndup (p, slash - p);
  if (!gk_s3_bucket_name_is_valid (bucket, NULL))
    {
      *reason = N_("Not a gateway link: the bucket name is not valid.");
      return FALSE;
    }

  key = percent_decode (slash + 1);
  if (key == NULL)
    {
      *reason = N_("Not a gateway link: the key has a broken percent-encoding.");
      return FALSE;
    }

  /* One spelling only: re-encode and compare byte for byte. This refuses
   * %2F (an encoded slash), lower-case hex, encoded letters, and a %00
   * that would cut the key short. */
  canonical = g_string_sized_new (strlen (slash + 1));
  gk_sigv4_uri_encode (canonical, key, -1, TRUE);
  if (strcmp (canonical->str, slash + 1) != 0)
    {
      *reason = N_("Not a gateway link: the key is not spelled as in the link.");
      return FALSE;
    }
  if (!gk_gateway_key_is_servable (bucket, key, NULL))
    {
      *reason = N_("Not a gateway link: the key has an empty, “.” or “..” part.");
      return FALSE;
    }

  if (strcmp (bucket, "config") == 0 && g_str_has_suffix (key, ".json") && strchr (key, '/') == NULL)
    {
      g_autofree char *name = g_strndup (key, strlen (key) - 5);

      if (gk_gateway_config_name_is_valid (name, NULL))
        target->config_name = g_steal_pointer (&name);
    }
  target->bucket = g_steal_pointer (&bucket);
  target->key = g_steal_pointer (&key);
  return TRUE;
}

void
gk_gateway_target_clear (GkGatewayTarget *target)
{
  g_clear_pointer (&target->bucket, g_free);
  g_clear_pointer (&target->key, g_free);
  g_clear_pointer (&target->config_name, g_free);
  OPENSSL_cleanse (target->capability, sizeof target->capability);
}

/* ---- the secret ----------------------------------------------------------- */

/**
 * gk_gateway_secret_generate:
 *
 * 32 bytes from OpenSSL's CSPRNG. Aborts if it cannot deliver: a
 * predictable secret would make every link guessable.
 */
void
gk_gateway_secret_generate (guint8 secret[GK_GATEWAY_SECRET_SIZE])
{
  if (RAND_bytes (secret, GK_GATEWAY_SECRET_SIZE) != 1)
    g_error ("OpenSSL could not produce random bytes for the gateway secret");
}

/**
 * gk_gateway_secret_encode:
 *
 * Returns: (transfer full): the secret as base64, for the keyring
 */
char *
gk_gateway_secret_encode (const guint8 secret[GK_GATEWAY_SECRET_SIZE])
{
  return g_base64_encode (secret, GK_GATEWAY_SECRET_SIZE);
}

/**
 * gk_gateway_secret_decode:
 *
 * Returns: %FALSE when @text is not a base64 secret of the right size
 *   (a damaged keyring item: the caller makes a new one)
 */
gboolean
gk_gateway_secret_decode (const char *text,
                          guint8      secret[GK_GATEWAY_SECRET_SIZE])
{
  gsize len = 0;
  guchar *bytes;
  gboolean ok;

  if (text == NULL || strlen (text) != 44 ||
      text[strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")] != '\0')
    return FALSE;
  bytes = g_base64_decode (text, &len);
  ok = len == GK_GATEWAY_SECRET_SIZE;
  if (ok)
    memcpy (secret, bytes, GK_GATEWAY_SECRET_SIZE);
  OPENSSL_cleanse (bytes, len);
  g_free (bytes);
  return ok;
}
