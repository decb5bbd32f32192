/* gk-jwt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

#include "gk-json.h"
#include "gk-jwt.h"

struct _GkJwtClaims
{
  gatomicrefcount ref_count;
  JsonObject *json;
  char *subject;
  char *email;
  char *username;
  char *issuer;
  gint64 expiration;
  gint64 issued_at;
};

G_DEFINE_QUARK (gk-jwt-error-quark, gk_jwt_error)

G_DEFINE_BOXED_TYPE (GkJwtClaims, gk_jwt_claims, gk_jwt_claims_ref, gk_jwt_claims_unref)

/* ------------------------------------------------------------------ */
/* base64url and token splitting                                       */

static int
b64url_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

/**
 * gk_jwt_base64url_decode:
 * @text: base64url without padding (RFC 7515 section 2)
 * @length: bytes of @text, or -1 if nul-terminated
 *
 * Strict: refuses padding, whitespace, the standard alphabet's `+` and `/`,
 * and a length no encoder produces.
 *
 * Returns: (transfer full): the bytes, or %NULL with #GK_JWT_ERROR_MALFORMED
 */
GBytes *
gk_jwt_base64url_decode (const char  *text,
                         gssize       length,
                         GError     **error)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  guint8 *out;
  gsize n = 0;
  guint32 acc = 0;
  guint bits = 0;

  if (len % 4 == 1)
    goto bad;

  out = g_malloc (len * 3 / 4 + 1);
  for (gsize i = 0; i < len; i++)
    {
      int v = b64url_value (text[i]);

      if (v < 0)
        {
          g_free (out);
          goto bad;
        }
      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          out[n++] = (acc >> bits) & 0xff;
        }
    }

  /* leftover bits must be zero, or two encodings would decode the same */
  if ((acc & ((1u << bits) - 1)) != 0)
    {
      g_free (out);
      goto bad;
    }

  return g_bytes_new_take (out, n);

bad:
  g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_MALFORMED,
                       _("The sign-in token is damaged (bad base64url). Sign in again."));
  return NULL;
}

static gboolean
split_token (const char  *token,
             char      ***out_parts,
             GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (token == NULL || strlen (token) > GK_JWT_MAX_LENGTH)
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_TOO_LARGE,
                           _("The sign-in token is larger than any real ID token and was refused. Sign in again."));
      return FALSE;
    }

  parts = g_strsplit (token, ".", 5);
  /* An empty signature is let through here so that `alg: none` is refused
   * for what it is, by parse_header(). */
  if (g_strv_length (parts) != 3 || *parts[0] == '\0' || *parts[1] == '\0')
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_MALFORMED,
                           _("The sign-in token is not a signed JWT (it must have three parts). Sign in again."));
      return FALSE;
    }

  *out_parts = g_steal_pointer (&parts);
  return TRUE;
}

static JsonObject *
decode_json_part (const char  *part,
                  GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gsize size;
  const char *data;
  JsonNode *root;

  bytes = gk_jwt_base64url_decode (part, -1, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  parser = json_parser_new_immutable ();
  if (size == 0 || memchr (data, '\0', size) != NULL ||
      !gk_json_parser_load (parser, data, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_MALFORMED,
                           _("The sign-in token is damaged (not JSON). Sign in again."));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_time_member (JsonObject *object,
                 const char *name,
                 gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!(d > -1e15 && d < 1e15))
        return FALSE;
      *out = (gint64) d;
    }
  else
    return FALSE;

  return TRUE;
}

static gboolean
parse_header (const char  *part,
              char       **out_kid,
              GError     **error)
{
  g_autoptr(JsonObject) header = decode_json_part (part, error);
  const char *alg;
  const char *kid;

  if (header == NULL)
    return FALSE;

  /* Only RS256, as Cognito signs. `none` and HS256 are the classic ways to
   * make a verifier accept a token nobody with the private key signed. */
  alg = get_string_member (header, "alg");
  if (alg == NULL || !g_str_equal (alg, "RS256"))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_UNSUPPORTED_ALGORITHM,
                           _("The sign-in token is not signed with RS256 and was refused. Check that the profile points at the lab’s Cognito user pool."));
      return FALSE;
    }

  /* RFC 7515 section 4.1.11: extensions we do not understand must fail. */
  if (json_object_has_member (header, "crit"))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_UNSUPPORTED_ALGORITHM,
                           _("The sign-in token uses extensions Genokey does not support and was refused."));
      return FALSE;
    }

  kid = get_string_member (header, "kid");
  if (kid == NULL || *kid == '\0')
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_UNKNOWN_KEY,
                           _("The sign-in token does not name its signing key. Check that the profile points at the lab’s Cognito user pool."));
      return FALSE;
    }

  if (out_kid != NULL)
    *out_kid = g_strdup (kid);
  return TRUE;
}

/**
 * gk_jwt_dup_kid:
 * @token: a JWT
 *
 * Reads the (unverified) header: size, shape and `alg` checked.
 *
 * Returns: (transfer full): the `kid`, or %NULL with a #GK_JWT_ERROR
 */
char *
gk_jwt_dup_kid (const char  *token,
                GError     **error)
{
  g_auto(GStrv) parts = NULL;
  char *kid = NULL;

  if (!split_token (token, &parts, error) || !parse_header (parts[0], &kid, error))
    return NULL;

  return kid;
}

/**
 * gk_jwt_dup_unverified_issuer:
 * @token: a JWT
 *
 * Reads `iss` from the payload with only the token's shape and header
 * checked. For choosing which user pool's keys to verify the token with,
 * never for believing it: the caller checks the issuer's form first and
 * verifies the whole token against it afterwards.
 *
 * Returns: (transfer full): the claimed issuer, or %NULL with a #GK_JWT_ERROR
 */
char *
gk_jwt_dup_unverified_issuer (const char  *token,
                              GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) payload = NULL;
  const char *iss;

  if (!split_token (token, &parts, error) || !parse_header (parts[0], NULL, error))
    return NULL;
  payload = decode_json_part (parts[1], error);
  if (payload == NULL)
    return NULL;
  iss = get_string_member (payload, "iss");
  if (iss == NULL || *iss == '\0')
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_MISSING_CLAIM,
                           _("The sign-in token names no issuer (iss) and was refused."));
      return NULL;
    }
  return g_strdup (iss);
}

/* ------------------------------------------------------------------ */
/* Claims                                                              */

GkJwtClaims *
gk_jwt_claims_ref (GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gk_jwt_claims_unref (GkJwtClaims *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->json, json_object_unref);
      g_free (self->subject);
      g_free (self->email);
      g_free (self->username);
      g_free (self->issuer);
      g_free (self);
    }
}

const char *
gk_jwt_claims_get_subject (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->subject;
}

const char *
gk_jwt_claims_get_email (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->email;
}

const char *
gk_jwt_claims_get_username (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->username;
}

const char *
gk_jwt_claims_get_issuer (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->issuer;
}

gint64
gk_jwt_claims_get_expiration (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->expiration;
}

gint64
gk_jwt_claims_get_issued_at (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->issued_at;
}

/**
 * gk_jwt_claims_get_auth_time:
 *
 * Returns: the `auth_time` claim: when the user signed in with a password
 *   (Cognito keeps it through refreshes), or 0 when absent
 */
gint64
gk_jwt_claims_get_auth_time (const GkJwtClaims *self)
{
  JsonNode *node;

  g_return_val_if_fail (self != NULL, 0);
  node = json_object_get_member (self->json, "auth_time");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return MAX (json_node_get_int (node), 0);
}

/**
 * gk_jwt_claims_get_json:
 *
 * Returns: (transfer none): all claims of the verified payload
 */
JsonObject *
gk_jwt_claims_get_json (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->json;
}

/**
 * gk_jwt_claims_get_display_name:
 *
 * Returns: what to call the user: the email, else the user name, else the
 *   subject (which every ID token has)
 */
const char *
gk_jwt_claims_get_display_name (const GkJwtClaims *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->email != NULL)
    return self->email;
  if (self->username != NULL)
    return self->username;
  return self->subject;
}

/* ------------------------------------------------------------------ */
/* Verification                                                        */

static gboolean
verify_signature (EVP_PKEY   *pkey,
                  const char *signing_input,
                  gsize       signing_input_len,
                  const char *signature_part)
{
  g_autoptr(GBytes) signature = gk_jwt_base64url_decode (signature_part, -1, NULL);
  EVP_MD_CTX *md = NULL;
  const guint8 *sig;
  gsize sig_len;
  gboolean ok = FALSE;

  if (signature == NULL || *signature_part == '\0')
    return FALSE;

  sig = g_bytes_get_data (signature, &sig_len);
  if (sig_len != (gsize) EVP_PKEY_get_size (pkey))
    return FALSE;

  md = EVP_MD_CTX_new ();
  if (md != NULL &&
      EVP_DigestVerifyInit_ex (md, NULL, "SHA256", NULL, NULL, pkey, NULL) == 1 &&
      EVP_DigestVerify (md, sig, sig_len, (const guint8 *) signing_input, signing_input_len) == 1)
    ok = TRUE;

  EVP_MD_CTX_free (md);
  return ok;
}

/* OpenID Connect Core 3.1.3.7: the ID token's audience must contain our
 * client id. Cognito issues it as the bare string; an audience of several
 * parties (our client plus others, with azp naming us) is a token meant
 * for others too, which an app that trusts nobody else has no use for. So
 * exactly our client id, or a list of exactly it. */
static gboolean
audience_matches (JsonObject *payload,
                  const char *client_id)
{
  JsonNode *aud = json_object_get_member (payload, "aud");
  JsonNode *only;

  if (aud == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (aud))
    {
      if (json_array_get_length (json_node_get_array (aud)) != 1)
        return FALSE;
      only = json_array_get_element (json_node_get_array (aud), 0);
    }
  else
    only = aud;
  return JSON_NODE_HOLDS_VALUE (only) && json_node_get_value_type (only) == G_TYPE_STRING
         && g_str_equal (json_node_get_string (only), client_id);
}

/**
 * gk_jwt_verify_id_token:
 * @token: the ID token
 * @key: the public key its header's `kid` names (the caller looks it up)
 * @issuer: the profile's issuer, compared exactly
 * @client_id: the app client, which must be the audience
 * @nonce: (nullable): the sign-in's nonce, or %NULL after a refresh
 * @now: Unix seconds
 *
 * Pure: checks shape, algorithm, signature and claims in that order, so a
 * token is only read once its signature is known to be good.
 *
 * Returns: (transfer full): the verified claims, or %NULL with a #GK_JWT_ERROR
 */
GkJwtClaims *
gk_jwt_verify_id_token (const char  *token,
                        EVP_PKEY    *key,
                        const char  *issuer,
                        const char  *client_id,
                        const char  *nonce,
                        gint64       now,
                        GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) payload = NULL;
  const char *iss, *token_use, *sub, *token_nonce;
  gint64 exp = 0, iat = 0, nbf = 0;
  GkJwtClaims *claims;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (issuer != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  if (!split_token (token, &parts, error) || !parse_header (parts[0], NULL, error))
    return NULL;

  /* signing input = header "." payload, exactly as received */
  if (!verify_signature (key, token, strlen (parts[0]) + 1 + strlen (parts[1]), parts[2]))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_BAD_SIGNATURE,
                           _("The sign-in token’s signature is not valid, so it was refused. Sign in again."));
      return NULL;
    }

  payload = decode_json_part (parts[1], error);
  if (payload == NULL)
    return NULL;

  iss = get_string_member (payload, "iss");
  if (iss == NULL || !g_str_equal (iss, issuer))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_WRONG_ISSUER,
                           _("The sign-in token comes from a different user pool than the profile names. Check aws_cognito_pool_id, aws_region and issuer in the profile."));
      return NULL;
    }

  if (!audience_matches (payload, client_id))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_WRONG_AUDIENCE,
                           _("The sign-in token was issued to a different app client. Check client_id in the profile."));
      return NULL;
    }

  /* Cognito's access tokens are signed by the same keys; only an ID token
   * may be taken as proof of who signed in. */
  token_use = get_string_member (payload, "token_use");
  if (token_use == NULL || !g_str_equal (token_use, "id"))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_WRONG_TOKEN_USE,
                           _("The token is not an ID token and was refused."));
      return NULL;
    }

  sub = get_string_member (payload, "sub");
  if (sub == NULL || *sub == '\0' ||
      !get_time_member (payload, "exp", &exp) ||
      !get_time_member (payload, "iat", &iat))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_MISSING_CLAIM,
                           _("The sign-in token lacks sub, exp or iat and was refused."));
      return NULL;
    }

  if (now >= exp + GK_JWT_CLOCK_SKEW)
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_EXPIRED,
                           _("The sign-in token has expired. Sign in again; if this keeps happening, check that the computer’s clock is right."));
      return NULL;
    }

  if (iat > now + GK_JWT_CLOCK_SKEW ||
      (get_time_member (payload, "nbf", &nbf) && nbf > now + GK_JWT_CLOCK_SKEW))
    {
      g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_NOT_YET_VALID,
                           _("The sign-in token was issued in the future. Check that the computer’s clock is right, then sign in again."));
      return NULL;
    }

  if (nonce != NULL)
    {
      token_nonce = get_string_member (payload, "nonce");
      if (token_nonce == NULL || strlen (token_nonce) != strlen (nonce) ||
          CRYPTO_memcmp (token_nonce, nonce, strlen (nonce)) != 0)
        {
          g_set_error_literal (error, GK_JWT_ERROR, GK_JWT_ERROR_WRONG_NONCE,
                               _("The sign-in token does not belong to this sign-in (nonce mismatch). Sign in again."));
          return NULL;
        }
    }

  claims = g_new0 (GkJwtClaims, 1);
  g_atomic_ref_count_init (&claims->ref_count);
  claims->json = json_object_ref (payload);
  claims->subject = g_strdup (sub);
  claims->email = g_strdup (get_string_member (payload, "email"));
  claims->username = g_strdup (get_string_member (payload, "cognito:username"));
  claims->issuer = g_strdup (iss);
  claims->expiration = exp;
  claims->issued_at = iat;
  return claims;
}
