/* fuzz-jwks.c: the user pool's key set (JWKS) as any server at jwks_uri
 * could send it
 *
 * The harness makes one RSA key and one ID token signed with it (kid
 * "fuzz-k1"); "$N" and "$E" in the input stand for that key's modulus and
 * exponent, so seeds can publish the key without holding key material.
 * Each input is loaded as the key set, then the token is verified against
 * it. Checked: a key set either loads or fails with a readable
 * GK_JWT_ERROR, and the token verifies only with a key the set holds
 * under its kid, into the claims it was signed with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <string.h>

#include "fuzz-common.h"
#include "gk-jwks.h"
#include "gk-oauth.h"

#define ISSUER    "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123"
#define CLIENT_ID "4l1ent1d"
#define NONCE     "n-0S6_WzA2Mj"
#define NOW       ((gint64) 1800000000)
#define SUBJECT   "0b1c2d3e-aaaa-bbbb-cccc-123456789abc"

static char *modulus, *exponent, *token;

static char *
bn_b64url (EVP_PKEY   *pkey,
           const char *name)
{
  BIGNUM *bn = NULL;
  g_autofree guint8 *buf = NULL;
  int len;
  char *out;

  FUZZ_CHECK (EVP_PKEY_get_bn_param (pkey, name, &bn), "no %s", name);
  len = BN_num_bytes (bn);
  buf = g_malloc (len);
  BN_bn2bin (bn, buf);
  out = gk_oauth_base64url_encode (buf, len);
  BN_free (bn);
  return out;
}

static char *
b64url_str (const char *text)
{
  return gk_oauth_base64url_encode ((const guint8 *) text, strlen (text));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  EVP_PKEY *key;
  EVP_MD_CTX *md;
  g_autofree char *h = NULL, *p = NULL, *input = NULL, *sig = NULL;
  guint8 raw[512];
  gsize raw_len = sizeof raw;

  fuzz_init ();
  /* Cognito's size; the key set refuses smaller ones. */
  key = EVP_RSA_gen (2048);
  FUZZ_CHECK (key != NULL, "no RSA key");
  modulus = bn_b64url (key, OSSL_PKEY_PARAM_RSA_N);
  exponent = bn_b64url (key, OSSL_PKEY_PARAM_RSA_E);

  h = b64url_str ("{\"kid\":\"fuzz-k1\",\"alg\":\"RS256\"}");
  p = b64url_str ("{\"sub\":\"" SUBJECT "\",\"iss\":\"" ISSUER "\",\"aud\":\"" CLIENT_ID "\","
                  "\"token_use\":\"id\",\"exp\":1800003600,\"iat\":1799999990,\"nonce\":\"" NONCE "\","
                  "\"email\":\"alice@lab.example\"}");
  input = g_strconcat (h, ".", p, NULL);
  md = EVP_MD_CTX_new ();
  FUZZ_CHECK (md != NULL && EVP_DigestSignInit_ex (md, NULL, "SHA256", NULL, NULL, key, NULL) == 1
              && EVP_DigestSign (md, raw, &raw_len, (const guint8 *) input, strlen (input)) == 1,
              "signing failed");
  EVP_MD_CTX_free (md);
  EVP_PKEY_free (key);
  sig = gk_oauth_base64url_encode (raw, raw_len);
  token = g_strconcat (input, ".", sig, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) json = g_string_new_len ((const char *) data, size);
  g_autoptr(GkJwks) jwks = gk_jwks_new (NULL, NULL);
  g_autoptr(GError) error = NULL, verify_error = NULL;
  g_autoptr(GkJwtClaims) claims = NULL;

  g_string_replace (json, "$N", modulus, 0);
  g_string_replace (json, "$E", exponent, 0);

  if (!gk_jwks_load_from_data (jwks, json->str, json->len, &error))
    {
      fuzz_check_error (error, GK_JWT_ERROR);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "a key set loaded with an error");

  claims = gk_jwks_verify_id_token (jwks, token, ISSUER, CLIENT_ID, NONCE, NOW, &verify_error);
  if (claims == NULL)
    {
      fuzz_check_error (verify_error, GK_JWT_ERROR);
      return 0;
    }
  FUZZ_CHECK (gk_jwks_has_key (jwks, "fuzz-k1"), "a token verified without its key in the set");
  FUZZ_CHECK (strstr (json->str, modulus) != NULL, "a token verified against a set without its modulus");
  FUZZ_CHECK (g_strcmp0 (gk_jwt_claims_get_subject (claims), SUBJECT) == 0, "the claims changed");
  return 0;
}
