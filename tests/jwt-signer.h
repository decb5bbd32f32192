/* jwt-signer.h: a user pool in miniature for the token tests
 *
 * RSA keys made here, published as JWKS documents and used to sign ID
 * tokens whose claims each test bends one way or another.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <openssl/evp.h>

G_BEGIN_DECLS

#define ISSUER    "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123"
#define CLIENT_ID "4l1ent1d"
#define NONCE     "n-0S6_WzA2Mj"
#define NOW       ((gint64) 1800000000)

extern EVP_PKEY *key1;  /* kid k1, published */
extern EVP_PKEY *key2;  /* kid k2, published later (rotation) */
extern EVP_PKEY *other; /* never published */

typedef struct
{
  const char *kid;
  const char *iss;
  const char *aud;
  const char *token_use;
  const char *nonce;   /* NULL: no nonce claim */
  gint64 exp;
  gint64 iat;
} Claims;

void    signer_init       (void);
void    signer_clear      (void);

char   *b64url            (const void   *data,
                           gsize         len);
char   *b64url_str        (const char   *text);
char   *jwk_json          (EVP_PKEY     *pkey,
                           const char   *kid);
char   *jwks_json         (const char   *kid_a,
                           EVP_PKEY     *a,
                           const char   *kid_b,
                           EVP_PKEY     *b);
char   *make_token        (EVP_PKEY     *pkey,
                           const char   *header,
                           const char   *payload);
Claims  good_claims       (void);
char   *payload_json      (const Claims *c);
char   *token_for         (EVP_PKEY     *pkey,
                           const Claims *c);

G_END_DECLS
