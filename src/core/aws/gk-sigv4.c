/* gk-sigv4.c
 *
 * Reference: "Signature Version 4 signing process" and "Authenticating
 * Requests: Using Query Parameters (AWS Signature Version 4)" in the S3 API
 * documentation. S3 differs from the other services in two ways that matter
 * here: the path is not normalised (a key may hold //, ./ or ../) and it is
 * encoded only once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

#include "gk-sigv4.h"

#define KEY_CACHE_SIZE 8
#define HMAC_BLOCK     64

typedef struct
{
  char *secret;           /* copy, wiped when the entry is dropped */
  char *region;
  char *service;
  char short_date[9];
  guint8 ipad[HMAC_BLOCK]; /* signing key ^ 0x36, the HMAC inner block */
  guint8 opad[HMAC_BLOCK]; /* signing key ^ 0x5c */
  guint64 last_used;
} KeyEntry;

struct _GkSigv4Signer
{
  EVP_MD *sha256;
  EVP_MD_CTX *md;
  KeyEntry keys[KEY_CACHE_SIZE];
  guint64 clock;

  /* The part of a presigned URL's query that is the same for every URL with
   * these credentials, second, scope and lifetime: it is also, byte for
   * byte, the canonical query (the names are already in sorted order). */
  GkCredentials *q_credentials;
  char q_long_date[17];
  char *q_region;
  char *q_service;
  guint q_expires;
  GString *q_query;
  GString *q_sts_prefix; /* "AWS4-HMAC-SHA256\n<date>\n<scope>\n" */
  KeyEntry *q_key;

  gint64 last_now; /* formatting the date costs as much as a hash block */
  char last_long_date[17];
};

G_DEFINE_QUARK (gk-sigv4-error-quark, gk_sigv4_error)

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/* 1 for the bytes RFC 3986 calls unreserved, which S3 never encodes. */
static const guint8 unreserved[256] = {
  ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
  ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
  ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
  ['Y'] = 1, ['Z'] = 1,
  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
  ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
  ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
  ['y'] = 1, ['z'] = 1,
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
  ['8'] = 1, ['9'] = 1,
  ['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1,
};

static void
hex_encode (const guint8 *data,
            gsize         len,
            char         *out)
{
  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = hex_lower[data[i] >> 4];
      out[2 * i + 1] = hex_lower[data[i] & 0xf];
    }
  out[2 * len] = '\0';
}

void
gk_sigv4_stages_clear (GkSigv4Stages *stages)
{
  g_clear_pointer (&stages->canonical_request, g_free);
  g_clear_pointer (&stages->string_to_sign, g_free);
}

/**
 * gk_sigv4_uri_encode:
 * @out: where the encoded bytes are appended
 * @len: length of @data, or -1 if nul-terminated
 * @keep_slash: %TRUE for a path, whose '/' stay as they are
 *
 * Percent-encodes @data the way S3 expects in canonical requests and URLs:
 * every byte outside A-Z a-z 0-9 - . _ ~ becomes %XX with upper-case hex
 * (space is %20, never '+'), UTF-8 byte by byte.
 */
void
gk_sigv4_uri_encode (GString    *out,
                     const char *data,
                     gssize      len,
                     gboolean    keep_slash)
{
  const guint8 *p = (const guint8 *) data;
  gsize n = len < 0 ? strlen (data) : (gsize) len;
  gsize start = out->len;
  char *w;

  /* Grow once for the worst case, write directly, then trim; a length
   * whose worst case does not fit in a size_t is a caller's bug. */
  g_return_if_fail (n <= (G_MAXSIZE - start - 1) / 3);
  g_string_set_size (out, start + 3 * n);
  w = out->str + start;
  for (gsize i = 0; i < n; i++)
    {
      guint8 c = p[i];

      if (unreserved[c] || (c == '/' && keep_slash))
        *w++ = (char) c;
      else
        {
          *w++ = '%';
          *w++ = hex_upper[c >> 4];
          *w++ = hex_upper[c & 0xf];
        }
    }
  g_string_truncate (out, (gsize) (w - out->str));
}

/**
 * gk_sigv4_format_date:
 * @now: Unix time
 * @long_date: (out): `YYYYMMDDTHHMMSSZ`
 * @short_date: (out): `YYYYMMDD`
 */
void
gk_sigv4_format_date (gint64 now,
                      char   long_date[17],
                      char   short_date[9])
{
  /* Civil date from days since the epoch (H. Hinnant's algorithm): no
   * allocation and no dependence on the process time zone. */
  gint64 days = now >= 0 ? now / 86400 : (now - 86399) / 86400;
  gint64 secs = now - days * 86400;
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = (int) (doy - (153 * mp + 2) / 5 + 1);
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);
  int y = (int) (yoe + era * 400 + (m <= 2));
  int hh = (int) (secs / 3600), mm = (int) (secs / 60 % 60), ss = (int) (secs % 60);

  g_snprintf (long_date, 17, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, hh, mm, ss);
  if (short_date != NULL)
    {
      memcpy (short_date, long_date, 8);
      short_date[8] = '\0';
    }
}

char *
gk_sigv4_scope (const char *short_date,
                const char *region,
                const char *service)
{
  return g_strdup_printf ("%s/%s/%s/aws4_request", short_date, region, service);
}

typedef struct
{
  char *name;
  char *value;
} EncodedPair;

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const EncodedPair *pa = a, *pb = b;
  int r = strcmp (pa->name, pb->name);

  return r != 0 ? r : strcmp (pa->value, pb->value);
}

/**
 * gk_sigv4_canonical_query:
 * @params: raw (unencoded) query parameters, in any order
 *
 * Returns: (transfer full): the canonical query string: names and values
 *   encoded, sorted by name then value, joined with '&'. It is also the
 *   query to send, so what is signed is exactly what goes on the wire.
 */
char *
gk_sigv4_canonical_query (const GkSigv4Pair *params,
                          gsize              n_params)
{
  g_autofree EncodedPair *pairs = g_new0 (EncodedPair, n_params + 1);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < n_params; i++)
    {
      GString *s = g_string_new (NULL);

      gk_sigv4_uri_encode (s, params[i].name, -1, FALSE);
      pairs[i].name = g_string_free (s, FALSE);
      s = g_string_new (NULL);
      gk_sigv4_uri_encode (s, params[i].value ? params[i].value : "", -1, FALSE);
      pairs[i].value = g_string_free (s, FALSE);
    }
  qsort (pairs, n_params, sizeof (EncodedPair), compare_pairs);
  for (gsize i = 0; i < n_params; i++)
    {
      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, pairs[i].name);
      g_string_append_c (out, '=');
      g_string_append (out, pairs[i].value);
      g_free (pairs[i].name);
      g_free (pairs[i].value);
    }
  return g_string_free (out, FALSE);
}

/* Header values: trimmed, runs of whitespace (and line breaks, which must
 * never reach the wire anyway) folded into one space. */
static char *
canonical_header_value (const char *value)
{
  GString *out = g_string_sized_new (strlen (value));
  gboolean space = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * gk_sigv4_canonical_request:
 * @signed_headers_out: (out) (optional): the `SignedHeaders` list
 *
 * Returns: (transfer full): the canonical request
 */
char *
gk_sigv4_canonical_request (const char         *method,
                            const char         *path,
                            const GkSigv4Pair  *query,
                            gsize               n_query,
                            const GkSigv4Pair  *headers,
                            gsize               n_headers,
                            const char         *payload_hash,
                            char              **signed_headers_out)
{
  g_autofree EncodedPair *hs = g_new0 (EncodedPair, n_headers + 1);
  g_autofree char *cq = gk_sigv4_canonical_query (query, n_query);
  GString *out = g_string_new (method);
  GString *signed_headers = g_string_new (NULL);
  gsize n = 0;

  g_string_append_c (out, '\n');
  gk_sigv4_uri_encode (out, path, -1, TRUE);
  g_string_append_c (out, '\n');
  g_string_append (out, cq);
  g_string_append_c (out, '\n');

  for (gsize i = 0; i < n_headers; i++)
    {
      hs[i].name = g_ascii_strdown (headers[i].name, -1);
      hs[i].value = canonical_header_value (headers[i].value ? headers[i].value : "");
    }
  qsort (hs, n_headers, sizeof (EncodedPair), compare_pairs);

  /* A header given twice is one header whose values are joined by commas. */
  for (gsize i = 0; i < n_headers; i++)
    {
      if (n > 0 && g_str_equal (hs[n - 1].name, hs[i].name))
        {
          char *joined = g_strconcat (hs[n - 1].value, ",", hs[i].value, NULL);

          g_free (hs[n - 1].value);
          hs[n - 1].value = joined;
          g_free (hs[i].name);
          g_free (hs[i].value);
        }
      else
        hs[n++] = hs[i];
    }

  for (gsize i = 0; i < n; i++)
    {
      g_string_append_printf (out, "%s:%s\n", hs[i].name, hs[i].value);
      if (i > 0)
        g_string_append_c (signed_headers, ';');
      g_string_append (signed_headers, hs[i].name);
      g_free (hs[i].name);
      g_free (hs[i].value);
    }
  g_string_append_c (out, '\n');
  g_string_append (out, signed_headers->str);
  g_string_append_c (out, '\n');
  g_string_append (out, payload_hash);

  if (signed_headers_out != NULL)
    *signed_headers_out = g_string_free (signed_headers, FALSE);
  else
    g_string_free (signed_headers, TRUE);
  return g_string_free (out, FALSE);
}

static void
sha256_parts (EVP_MD_CTX   *md,
              const EVP_MD *sha256,
              const void   *a,
              gsize         a_len,
              const void   *b,
              gsize         b_len,
              const void   *c,
              gsize         c_len,
              guint8        out[32])
{
  EVP_DigestInit_ex (md, sha256, NULL);
  EVP_DigestUpdate (md, a, a_len);
  if (b_len > 0)
    EVP_DigestUpdate (md, b, b_len);
  if (c_len > 0)
    EVP_DigestUpdate (md, c, c_len);
  EVP_DigestFinal_ex (md, out, NULL);
}

static void
make_pads (const guint8 *key,
           gsize         key_len,
           guint8        ipad[HMAC_BLOCK],
           guint8        opad[HMAC_BLOCK])
{
  g_assert (key_len <= HMAC_BLOCK);
  memset (ipad, 0x36, HMAC_BLOCK);
  memset (opad, 0x5c, HMAC_BLOCK);
  for (gsize i = 0; i < key_len; i++)
    {
      ipad[i] ^= key[i];
      opad[i] ^= key[i];
    }
}

/* HMAC-SHA256 (RFC 2104) over one reused digest context. */
static void
hmac_sha256 (EVP_MD_CTX   *md,
             const EVP_MD *sha256,
             const guint8 *key,
             gsize         key_len,
             const void   *data,
             gsize         data_len,
             guint8        out[32])
{
  guint8 hashed_key[32], ipad[HMAC_BLOCK], opad[HMAC_BLOCK], inner[32];

  if (key_len > HMAC_BLOCK)
    {
      sha256_parts (md, sha256, key, key_len, NULL, 0, NULL, 0, hashed_key);
      key = hashed_key;
      key_len = 32;
    }
  make_pads (key, key_len, ipad, opad);
  sha256_parts (md, sha256, ipad, HMAC_BLOCK, data, data_len, NULL, 0, inner);
  sha256_parts (md, sha256, opad, HMAC_BLOCK, inner, 32, NULL, 0, out);
  OPENSSL_cleanse (hashed_key, sizeof hashed_key);
  OPENSSL_cleanse (inner, sizeof inner);
  OPENSSL_cleanse (ipad, sizeof ipad);
  OPENSSL_cleanse (opad, sizeof opad);
}

static void
derive_key (EVP_MD_CTX   *md,
            const EVP_MD *sha256,
            const char   *secret,
            const char   *short_date,
            const char   *region,
            const char   *service,
            guint8        key[32])
{
  g_autofree char *k_secret = g_strconcat ("AWS4", secret, NULL);
  gsize k_secret_len = strlen (k_secret);
  guint8 k_date[32], k_region[32], k_service[32];

  hmac_sha256 (md, sha256, (guint8 *) k_secret, k_secret_len, short_date, strlen (short_date), k_date);
  hmac_sha256 (md, sha256, k_date, 32, region, strlen (region), k_region);
  hmac_sha256 (md, sha256, k_region, 32, service, strlen (service), k_service);
  hmac_sha256 (md, sha256, k_service, 32, "aws4_request", 12, key);

  OPENSSL_cleanse (k_secret, k_secret_len);
  OPENSSL_cleanse (k_date, 32);
  OPENSSL_cleanse (k_region, 32);
  OPENSSL_cleanse (k_service, 32);
}

/**
 * gk_sigv4_string_to_sign:
 *
 * Returns: (transfer full): `AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256>`
 */
char *
gk_sigv4_string_to_sign (const char *long_date,
                         const char *scope,
                         const char *canonical_request)
{
  EVP_MD_CTX *md = EVP_MD_CTX_new ();
  guint8 hash[32];
  char hex[65];

  sha256_parts (md, EVP_sha256 (), canonical_request, strlen (canonical_request),
                NULL, 0, NULL, 0, hash);
  EVP_MD_CTX_free (md);
  hex_encode (hash, 32, hex);
  return g_strdup_printf (GK_SIGV4_ALGORITHM "\n%s\n%s\n%s", long_date, scope, hex);
}

void
gk_sigv4_derive_signing_key (const char *secret_access_key,
                             const char *short_date,
                             const char *region,
                             const char *service,
                             guint8      key[32])
{
  EVP_MD_CTX *md = EVP_MD_CTX_new ();

  derive_key (md, EVP_sha256 (), secret_access_key, short_date, region, service, key);
  EVP_MD_CTX_free (md);
}

void
gk_sigv4_signature (const guint8  key[32],
                    const char   *string_to_sign,
                    char          hex[65])
{
  EVP_MD_CTX *md = EVP_MD_CTX_new ();
  guint8 sig[32];

  hmac_sha256 (md, EVP_sha256 (), key, 32, string_to_sign, strlen (string_to_sign), sig);
  EVP_MD_CTX_free (md);
  hex_encode (sig, 32, hex);
  OPENSSL_cleanse (sig, sizeof sig);
}

/* ---- the fast path ---------------------------------------------------- */

GkSigv4Signer *
gk_sigv4_signer_new (void)
{
  GkSigv4Signer *self = g_new0 (GkSigv4Signer, 1);

  /* Fetched once: an implicit fetch per digest is what makes naive
   * OpenSSL 3 loops slow. */
  self->sha256 = EVP_MD_fetch (NULL, "SHA256", NULL);
  self->md = EVP_MD_CTX_new ();
  self->q_query = g_string_sized_new (1024);
  self->q_sts_prefix = g_string_sized_new (128);
  g_assert (self->sha256 != NULL && self->md != NULL);
  return self;
}

static void
key_entry_clear (KeyEntry *entry)
{
  if (entry->secret != NULL)
    OPENSSL_cleanse (entry->secret, strlen (entry->secret));
  g_clear_pointer (&entry->secret, g_free);
  g_clear_pointer (&entry->region, g_free);
  g_clear_pointer (&entry->service, g_free);
  OPENSSL_cleanse (entry->ipad, sizeof entry->ipad);
  OPENSSL_cleanse (entry->opad, sizeof entry->opad);
  memset (entry->short_date, 0, sizeof entry->short_date);
  entry->last_used = 0;
}

static void
drop_query_cache (GkSigv4Signer *self)
{
  g_clear_pointer (&self->q_credentials, gk_credentials_unref);
  g_clear_pointer (&self->q_region, g_free);
  g_clear_pointer (&self->q_service, g_free);
  /* The cached query holds the session token. */
  OPENSSL_cleanse (self->q_query->str, self->q_query->len);
  g_string_truncate (self->q_query, 0);
  g_string_truncate (self->q_sts_prefix, 0);
  self->q_key = NULL;
}

void
gk_sigv4_signer_free (GkSigv4Signer *self)
{
  if (self == NULL)
    return;
  drop_query_cache (self);
  for (guint i = 0; i < KEY_CACHE_SIZE; i++)
    key_entry_clear (&self->keys[i]);
  g_string_free (self->q_query, TRUE);
  g_string_free (self->q_sts_prefix, TRUE);
  EVP_MD_CTX_free (self->md);
  EVP_MD_free (self->sha256);
  g_free (self);
}

/* The signing key for (secret, date, region, service), derived at most once
 * a day per scope; the least recently used of KEY_CACHE_SIZE is dropped. */
static KeyEntry *
lookup_key (GkSigv4Signer *self,
            const char    *secret,
            const char    *short_date,
            const char    *region,
            const char    *service)
{
  KeyEntry *victim = &self->keys[0];
  guint8 key[32];

  self->clock++;
  for (guint i = 0; i < KEY_CACHE_SIZE; i++)
    {
      KeyEntry *e = &self->keys[i];

      if (e->secret != NULL
          && memcmp (e->short_date, short_date, 8) == 0
          && g_str_equal (e->region, region)
          && g_str_equal (e->service, service)
          && g_str_equal (e->secret, secret))
        {
          e->last_used = self->clock;
          return e;
        }
      if (e->last_used < victim->last_used)
        victim = e;
    }

  /* The cached presign query points at its key entry. */
  if (victim == self->q_key)
    drop_query_cache (self);
  key_entry_clear (victim);
  derive_key (self->md, self->sha256, secret, short_date, region, service, key);
  make_pads (key, 32, victim->ipad, victim->opad);
  OPENSSL_cleanse (key, sizeof key);
  victim->secret = g_strdup (secret);
  victim->region = g_strdup (region);
  victim->service = g_strdup (service);
  memcpy (victim->short_date, short_date, 9);
  victim->last_used = self->clock;
  return victim;
}

static void
sign_with_entry (GkSigv4Signer *self,
                 KeyEntry      *entry,
                 const char    *prefix,
                 gsize          prefix_len,
                 const char    *tail,
                 gsize          tail_len,
                 char           hex[65])
{
  guint8 inner[32], sig[32];

  sha256_parts (self->md, self->sha256, entry->ipad, HMAC_BLOCK, prefix, prefix_len,
                tail, tail_len, inner);
  sha256_parts (self->md, self->sha256, entry->opad, HMAC_BLOCK, inner, 32, NULL, 0, sig);
  hex_encode (sig, 32, hex);
  /* The caller wipes the hex; the raw bytes are the same signature. */
  OPENSSL_cleanse (inner, sizeof inner);
  OPENSSL_cleanse (sig, sizeof sig);
}

static gboolean
check_common (const char  *region,
              const char  *service,
              const char  *host,
              const char  *path,
              GError     **error)
{
  if (region == NULL || *region == '\0' || service == NULL || *service == '\0')
    {
      g_set_error_literal (error, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_INPUT,
                           _("No AWS region to sign for. Set aws_region in the profile, or AWS_REGION."));
      return FALSE;
    }
  if (host == NULL || *host == '\0' || path == NULL || path[0] != '/')
    {
      g_set_error_literal (error, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_INPUT,
                           _("A request to sign needs a host and a path starting with “/”."));
      return FALSE;
    }
  return TRUE;
}

static void
update_query_cache (GkSigv4Signer *self,
                    GkCredentials *credentials,
                    const char    *long_date,
                    const char    *region,
                    const char    *service,
                    guint          expires)
{
  const char *token = gk_credentials_get_session_token (credentials);
  char short_date[9];

  if (self->q_credentials == credentials
      && self->q_expires == expires
      && memcmp (self->q_long_date, long_date, 16) == 0
      && g_str_equal (self->q_region, region)
      && g_str_equal (self->q_service, service))
    return;

  drop_query_cache (self);
  memcpy (short_date, long_date, 8);
  short_date[8] = '\0';

  self->q_credentials = gk_credentials_ref (credentials);
  memcpy (self->q_long_date, long_date, 17);
  self->q_region = g_strdup (region);
  self->q_service = g_strdup (service);
  self->q_expires = expires;
  self->q_key = lookup_key (self, gk_credentials_get_secret_access_key (credentials),
                            short_date, region, service);

  /* Already in canonical (byte) order: Algorithm, Credential, Date,
   * Expires, Security-Token, SignedHeaders. The token is signed: S3 refuses
   * presigned URLs whose token is left out of the canonical query. */
  g_string_append (self->q_query, "X-Amz-Algorithm=" GK_SIGV4_ALGORITHM "&X-Amz-Credential=");
  gk_sigv4_uri_encode (self->q_query, gk_credentials_get_access_key_id (credentials), -1, FALSE);
  g_string_append_printf (self->q_query, "%%2F%s%%2F", short_date);
  gk_sigv4_uri_encode (self->q_query, region, -1, FALSE);
  g_string_append (self->q_query, "%2F");
  gk_sigv4_uri_encode (self->q_query, service, -1, FALSE);
  g_string_append_printf (self->q_query, "%%2Faws4_request&X-Amz-Date=%s&X-Amz-Expires=%u",
                          long_date, expires);
  if (token != NULL)
    {
      g_string_append (self->q_query, "&X-Amz-Security-Token=");
      gk_sigv4_uri_encode (self->q_query, token, -1, FALSE);
    }
  g_string_append (self->q_query, "&X-Amz-SignedHeaders=host");

  g_string_printf (self->q_sts_prefix, GK_SIGV4_ALGORITHM "\n%s\n%s/%s/%s/aws4_request\n",
                   long_date, short_date, region, service);
}

/**
 * gk_sigv4_signer_presign:
 * @method: usually "GET"
 * @scheme: "https" (or "http" for a loopback endpoint)
 * @host: the Host header value, with ":port" when not the default
 * @path: the raw path: "/KEY" (virtual-hosted) or "/BUCKET/KEY" (path style)
 * @path_len: length of @path or -1
 * @now: the signing time, Unix seconds
 * @expires: lifetime in seconds, 1–604800
 * @out: the URL is appended here
 * @stages: (nullable): receives the intermediate stages (slow; for tests)
 *
 * Appends a query-authenticated URL (payload `UNSIGNED-PAYLOAD`, only the
 * host header signed, `X-Amz-Signature` last).
 */
gboolean
gk_sigv4_signer_presign (GkSigv4Signer  *self,
                         GkCredentials  *credentials,
                         const char     *region,
                         const char     *service,
                         const char     *method,
                         const char     *scheme,
                         const char     *host,
                         const char     *path,
                         gssize          path_len,
                         gint64          now,
                         guint           expires,
                         GString        *out,
                         GkSigv4Stages  *stages,
                         GError        **error)
{
  static const char tail[] = "\n\nhost\n" GK_SIGV4_UNSIGNED_PAYLOAD;
  gsize path_start, path_end, method_len, host_len;
  guint8 hash[32];
  char hash_hex[65], sig_hex[65];

  g_return_val_if_fail (self != NULL && credentials != NULL && out != NULL, FALSE);

  if (!check_common (region, service, host, path, error))
    return FALSE;
  if (expires < GK_SIGV4_MIN_EXPIRES || expires > GK_SIGV4_MAX_EXPIRES)
    {
      g_set_error (error, GK_SIGV4_ERROR, GK_SIGV4_ERROR_INVALID_EXPIRES,
                   _("A link must live between 1 second and 7 days (604800 seconds), not %u seconds."),
                   expires);
      return FALSE;
    }

  if (now != self->last_now || self->last_long_date[0] == '\0')
    {
      gk_sigv4_format_date (now, self->last_long_date, NULL);
      self->last_now = now;
    }
  update_query_cache (self, credentials, self->last_long_date, region, service, expires);

  g_string_append (out, scheme);
  g_string_append (out, "://");
  g_string_append (out, host);
  path_start = out->len;
  gk_sigv4_uri_encode (out, path, path_len, TRUE);
  path_end = out->len;

  /* The canonical request, hashed in pieces straight from where the bytes
   * already are (the URL being built and the cached query). */
  method_len = strlen (method);
  host_len = strlen (host);
  EVP_DigestInit_ex (self->md, self->sha256, NULL);
  EVP_DigestUpdate (self->md, method, method_len);
  EVP_DigestUpdate (self->md, "\n", 1);
  EVP_DigestUpdate (self->md, out->str + path_start, path_end - path_start);
  EVP_DigestUpdate (self->md, "\n", 1);
  EVP_DigestUpdate (self->md, self->q_query->str, self->q_query->len);
  EVP_DigestUpdate (self->md, "\nhost:", 6);
  EVP_DigestUpdate (self->md, host, host_len);
  EVP_DigestUpdate (self->md, tail, sizeof tail - 1);
  EVP_DigestFinal_ex (self->md, hash, NULL);
  hex_encode (hash, 32, hash_hex);

  sign_with_entry (self, self->q_key, self->q_sts_prefix->str, self->q_sts_prefix->len,
                   hash_hex, 64, sig_hex);

  if (stages != NULL)
    {
      gk_sigv4_stages_clear (stages);
      stages->canonical_request = g_strdup_printf ("%s\n%.*s\n%s\nhost:%s%s", method,
                                                   (int) (path_end - path_start),
                                                   out->str + path_start,
                                                   self->q_query->str, host, tail);
      stages->string_to_sign = g_strconcat (self->q_sts_prefix->str, hash_hex, NULL);
    }

  g_string_append_c (out, '?');
  g_string_append_len (out, self->q_query->str, self->q_query->len);
  g_string_append (out, "&X-Amz-Signature=");
  g_string_append_len (out, sig_hex, 64);
  OPENSSL_cleanse (sig_hex, sizeof sig_hex);
  return TRUE;
}

/**
 * gk_sigv4_signer_sign_headers:
 * @host: the Host header value
 * @path: the raw path
 * @query: raw query parameters; send them as gk_sigv4_canonical_query() gives
 * @headers: further headers to sign (e.g. content-type, range); host,
 *   x-amz-date, x-amz-content-sha256 and x-amz-security-token are added here
 * @payload_hash: hex SHA-256 of the body, %GK_SIGV4_EMPTY_SHA256 or
 *   %GK_SIGV4_UNSIGNED_PAYLOAD
 *
 * Signs an S3 API request with the `Authorization` header.
 *
 * Returns: (transfer full): the headers to add, as name, value, name, value,
 *   …, %NULL: x-amz-date, x-amz-content-sha256, x-amz-security-token (with
 *   temporary credentials) and Authorization
 */
char **
gk_sigv4_signer_sign_headers (GkSigv4Signer      *self,
                              GkCredentials      *credentials,
                              const char         *region,
                              const char         *service,
                              const char         *method,
                              const char         *host,
                              const char         *path,
                              const GkSigv4Pair  *query,
                              gsize               n_query,
                              const GkSigv4Pair  *headers,
                              gsize               n_headers,
                              const char         *payload_hash,
                              gint64              now,
                              GkSigv4Stages      *stages,
                              GError            **error)
{
  const char *token = gk_credentials_get_session_token (credentials);
  g_autofree GkSigv4Pair *all = g_new0 (GkSigv4Pair, n_headers + 4);
  g_autofree char *canonical = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *sts = NULL;
  char long_date[17], short_date[9], sig_hex[65];
  KeyEntry *entry;
  GPtrArray *result;
  gsize n = 0;

  g_return_val_if_fail (self != NULL && credentials != NULL, NULL);

  if (!check_common (region, service, host, path, error))
    return NULL;

  gk_sigv4_format_date (now, long_date, short_date);
  for (gsize i = 0; i < n_headers; i++)
    all[n++] = headers[i];
  all[n++] = (GkSigv4Pair) { "host", host };
  all[n++] = (GkSigv4Pair) { "x-amz-content-sha256", payload_hash };
  all[n++] = (GkSigv4Pair) { "x-amz-date", long_date };
  if (token != NULL)
    all[n++] = (GkSigv4Pair) { "x-amz-security-token", token };

  canonical = gk_sigv4_canonical_request (method, path, query, n_query, all, n,
                                          payload_hash, &signed_headers);
  scope = gk_sigv4_scope (short_date, region, service);
  sts = gk_sigv4_string_to_sign (long_date, scope, canonical);
  entry = lookup_key (self, gk_credentials_get_secret_access_key (credentials),
                      short_date, region, service);
  sign_with_entry (self, entry, sts, strlen (sts), NULL, 0, sig_hex);

  if (stages != NULL)
    {
      gk_sigv4_stages_clear (stages);
      stages->canonical_request = g_strdup (canonical);
      stages->string_to_sign = g_strdup (sts);
    }

  result = g_ptr_array_new ();
  g_ptr_array_add (result, g_strdup ("x-amz-date"));
  g_ptr_array_add (result, g_strdup (long_date));
  g_ptr_array_add (result, g_strdup ("x-amz-content-sha256"));
  g_ptr_array_add (result, g_strdup (payload_hash));
  if (token != NULL)
    {
      g_ptr_array_add (result, g_strdup ("x-amz-security-token"));
      g_ptr_array_add (result, g_strdup (token));
    }
  g_ptr_array_add (result, g_strdup ("Authorization"));
  g_ptr_array_add (result, g_strdup_printf (GK_SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                                            gk_credentials_get_access_key_id (credentials),
                                            scope, signed_headers, sig_hex));
  g_ptr_array_add (result, NULL);
  OPENSSL_cleanse (sig_hex, sizeof sig_hex);
  return (char **) g_ptr_array_free (result, FALSE);
}
