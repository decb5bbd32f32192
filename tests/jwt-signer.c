/* jwt-signer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <string.h>

#include "gk-oauth.h"
#include "jwt-signer.h"

EVP_PKEY *key1;
EVP_PKEY *key2;
EVP_PKEY *other;

char *
b64url (const void *data,
        gsize       len)
{
  return gk_oauth_base64url_encode (data, len);
}

char *
b64url_str (const char *text)
{
  return b64url (text, strlen (text));
}

static char *
bn_b64url (EVP_PKEY   *pkey,
           const char *name)
{
  BIGNUM *bn = NULL;
  guint8 *buf;
  int len;
  char *out;

  g_assert_true (EVP_PKEY_get_bn_param (pkey, name, &bn));
  len = BN_num_bytes (bn);
  buf = g_malloc (len);
  BN_bn2bin (bn, buf);
  out = b64url (buf, len);
  g_free (buf);
  BN_free (bn);
  return out;
}

char *
jwk_json (EVP_PKEY   *pkey,
          const char *kid)
{
  g_autofree char *n = bn_b64url (pkey, OSSL_PKEY_PARAM_RSA_N);
  g_autofree char *e = bn_b64url (pkey, OSSL_PKEY_PARAM_RSA_E);

  return g_strdup_printf ("{\"alg\":\"RS256\",\"e\":\"%s\",\"kid\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\",\"use\":\"sig\"}",
                          e, kid, n);
}

char *
jwks_json (const char *kid_a,
           EVP_PKEY   *a,
           const char *kid_b,
           EVP_PKEY   *b)
{
  g_autofree char *ja = jwk_json (a, kid_a);
  g_autofree char *jb = b != NULL ? jwk_json (b, kid_b) : NULL;

  return g_strdup_printf ("{\"keys\":[%s%s%s]}", ja, jb ? "," : "", jb ? jb : "");
}

static char *
sign_rs256 (EVP_PKEY   *pkey,
            const char *input)
{
  EVP_MD_CTX *md = EVP_MD_CTX_new ();
  guint8 sig[1024];
  gsize sig_len = sizeof sig;

  g_assert_cmpint (EVP_DigestSignInit_ex (md, NULL, "SHA256", NULL, NULL, pkey, NULL), ==, 1);
  g_assert_cmpint (EVP_DigestSign (md, sig, &sig_len, (const guint8 *) input, strlen (input)), ==, 1);
  EVP_MD_CTX_free (md);
  return b64url (sig, sig_len);
}

char *
make_token (EVP_PKEY   *pkey,
            const char *header,
            const char *payload)
{
  g_autofree char *h = b64url_str (header);
  g_autofree char *p = b64url_str (payload);
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autofree char *sig = sign_rs256 (pkey, input);

  return g_strconcat (input, ".", sig, NULL);
}


Claims
good_claims (void)
{
  Claims c = { "k1", ISSUER, CLIENT_ID, "id", NONCE, NOW + 3600, NOW - 10 };
  return c;
}

char *
payload_json (const Claims *c)
{
  g_autofree char *nonce = c->nonce ? g_strdup_printf (",\"nonce\":\"%s\"", c->nonce) : g_strdup ("");

  return g_strdup_printf ("{\"sub\":\"0b1c2d3e-aaaa-bbbb-cccc-123456789abc\",\"email_verified\":true,"
                          "\"iss\":\"%s\",\"cognito:username\":\"alice\",\"aud\":\"%s\","
                          "\"token_use\":\"%s\",\"auth_time\":%" G_GINT64_FORMAT ","
                          "\"exp\":%" G_GINT64_FORMAT ",\"iat\":%" G_GINT64_FORMAT ","
                          "\"email\":\"alice@lab.example\"%s}",
                          c->iss, c->aud, c->token_use, c->iat, c->exp, c->iat, nonce);
}

char *
token_for (EVP_PKEY     *pkey,
           const Claims *c)
{
  g_autofree char *header = g_strdup_printf ("{\"kid\":\"%s\",\"alg\":\"RS256\"}", c->kid);
  g_autofree char *payload = payload_json (c);

  return make_token (pkey, header, payload);
}

void
signer_init (void)
{
  key1 = EVP_RSA_gen (2048);
  key2 = EVP_RSA_gen (2048);
  other = EVP_RSA_gen (2048);
  g_assert_nonnull (key1);
  g_assert_nonnull (key2);
  g_assert_nonnull (other);
}

void
signer_clear (void)
{
  g_clear_pointer (&key1, EVP_PKEY_free);
  g_clear_pointer (&key2, EVP_PKEY_free);
  g_clear_pointer (&other, EVP_PKEY_free);
}
