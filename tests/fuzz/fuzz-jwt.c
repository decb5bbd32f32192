/* fuzz-jwt.c: ID tokens — as raw text, and as a header and payload the
 * harness signs, so the fuzzer's changes reach the claims behind the
 * signature check
 *
 * The first byte chooses: even, the rest is a token as it arrives; odd,
 * the rest is header JSON, a NUL, payload JSON, which the harness encodes
 * and signs with RS256 (bit 2 set: verified without a nonce, as after a
 * refresh). Checked: a token is accepted only when a plain reading of the
 * rules accepts it too (RS256, a kid, no crit, our issuer and audience,
 * token_use id, a subject, exp and iat in time, our nonce), its claims are
 * text, and every refusal is a readable GK_JWT_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <string.h>

#include "fuzz-common.h"
#include "gk-jwt.h"
#include "gk-oauth.h"

#define ISSUER    "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123"
#define CLIENT_ID "4l1ent1d"
#define NONCE     "n-0S6_WzA2Mj"
#define NOW       ((gint64) 1800000000)

static EVP_PKEY *key;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  /* The checks under test do not depend on the key's size; a small one
   * keeps signing every input fast. */
  key = EVP_RSA_gen (512);
  FUZZ_CHECK (key != NULL, "no RSA key");
  return 0;
}

static char *
sign (const char *signing_input)
{
  EVP_MD_CTX *md = EVP_MD_CTX_new ();
  guint8 sig[512];
  gsize sig_len = sizeof sig;

  FUZZ_CHECK (md != NULL && EVP_DigestSignInit_ex (md, NULL, "SHA256", NULL, NULL, key, NULL) == 1
              && EVP_DigestSign (md, sig, &sig_len, (const guint8 *) signing_input,
                                 strlen (signing_input)) == 1, "signing failed");
  EVP_MD_CTX_free (md);
  return gk_oauth_base64url_encode (sig, sig_len);
}

/* ---- the rules, read plainly ----------------------------------------- */

static JsonObject *
plain_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static const char *
plain_string (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
plain_number (JsonObject *object,
              const char *name,
              double     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static gboolean
plain_audience_ok (JsonObject *payload)
{
  JsonNode *aud = json_object_get_member (payload, "aud");

  if (aud != NULL && JSON_NODE_HOLDS_ARRAY (aud))
    {
      JsonArray *array = json_node_get_array (aud);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING
              && g_str_equal (json_node_get_string (item), CLIENT_ID))
            return TRUE;
        }
      return FALSE;
    }
  return g_strcmp0 (plain_string (payload, "aud"), CLIENT_ID) == 0;
}

static void
check_accepted (const char  *header_json,
                const char  *payload_json,
                const char  *nonce,
                GkJwtClaims *claims)
{
  g_autoptr(JsonObject) header = plain_object (header_json);
  g_autoptr(JsonObject) payload = plain_object (payload_json);
  double exp, iat, nbf;
  const char *kid;

  FUZZ_CHECK (header != NULL && payload != NULL, "a token accepted whose parts are not JSON objects");
  FUZZ_CHECK (g_strcmp0 (plain_string (header, "alg"), "RS256") == 0, "a token accepted that is not RS256");
  FUZZ_CHECK (!json_object_has_member (header, "crit"), "a token with crit accepted");
  kid = plain_string (header, "kid");
  FUZZ_CHECK (kid != NULL && *kid != '\0', "a token without a kid accepted");
  FUZZ_CHECK (g_strcmp0 (plain_string (payload, "iss"), ISSUER) == 0, "another issuer's token accepted");
  FUZZ_CHECK (plain_audience_ok (payload), "another client's token accepted");
  FUZZ_CHECK (g_strcmp0 (plain_string (payload, "token_use"), "id") == 0, "a token that is not an ID token accepted");
  FUZZ_CHECK (plain_string (payload, "sub") != NULL && *plain_string (payload, "sub") != '\0',
              "a token without a subject accepted");
  FUZZ_CHECK (plain_number (payload, "exp", &exp) && (double) NOW < exp + GK_JWT_CLOCK_SKEW,
              "an expired token accepted");
  FUZZ_CHECK (plain_number (payload, "iat", &iat) && iat <= (double) (NOW + GK_JWT_CLOCK_SKEW),
              "a token issued in the future accepted");
  FUZZ_CHECK (!plain_number (payload, "nbf", &nbf) || nbf <= (double) (NOW + GK_JWT_CLOCK_SKEW),
              "a token not yet valid accepted");
  if (nonce != NULL)
    FUZZ_CHECK (g_strcmp0 (plain_string (payload, "nonce"), nonce) == 0, "another sign-in's token accepted");

  fuzz_check_text (gk_jwt_claims_get_subject (claims), "the subject");
  fuzz_check_text (gk_jwt_claims_get_issuer (claims), "the issuer");
  if (gk_jwt_claims_get_email (claims) != NULL)
    fuzz_check_text (gk_jwt_claims_get_email (claims), "the email");
  if (gk_jwt_claims_get_username (claims) != NULL)
    fuzz_check_text (gk_jwt_claims_get_username (claims), "the user name");
}

/* ---- the two ways in ------------------------------------------------- */

static void
raw_token (const char *token,
           gsize       length)
{
  g_autoptr(GError) kid_error = NULL, error = NULL, b64_error = NULL;
  g_autofree char *kid = gk_jwt_dup_kid (token, &kid_error);
  g_autoptr(GkJwtClaims) claims = NULL;
  g_autoptr(GBytes) decoded = gk_jwt_base64url_decode (token, length, &b64_error);

  if (kid == NULL)
    fuzz_check_error (kid_error, GK_JWT_ERROR);
  if (decoded == NULL)
    fuzz_check_error (b64_error, GK_JWT_ERROR);
  claims = gk_jwt_verify_id_token (token, key, ISSUER, CLIENT_ID, NONCE, NOW, &error);
  /* Nothing here is signed with the key: a forgery would be accepted. */
  FUZZ_CHECK (claims == NULL, "an unsigned token was accepted");
  fuzz_check_error (error, GK_JWT_ERROR);
}

static void
signed_token (const char *header,
              const char *payload,
              const char *nonce)
{
  g_autofree char *h = gk_oauth_base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *p = gk_oauth_base64url_encode ((const guint8 *) payload, strlen (payload));
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autofree char *signature = sign (input);
  g_autofree char *token = g_strconcat (input, ".", signature, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkJwtClaims) claims = gk_jwt_verify_id_token (token, key, ISSUER, CLIENT_ID, nonce, NOW, &error);

  if (claims == NULL)
    {
      fuzz_check_error (error, GK_JWT_ERROR);
      return;
    }
  check_accepted (header, payload, nonce, claims);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *rest = NULL;

  if (size == 0)
    return 0;
  rest = fuzz_strndup (data + 1, size - 1);
  if ((data[0] & 1) == 0)
    raw_token (rest, strlen (rest));
  else
    {
      /* header NUL payload; a missing payload is empty */
      gsize header_len = strlen (rest);
      const char *payload = header_len + 1 < size - 1 ? rest + header_len + 1 : "";

      signed_token (rest, payload, (data[0] & 4) ? NULL : NONCE);
    }
  return 0;
}
