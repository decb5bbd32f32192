/* gk-sigv4.h: AWS Signature Version 4 for S3, as separate pure stages
 *
 * canonical request → string to sign → signing key → signature, with the
 * time always passed in (like aws-c-auth and curl's http_aws_sigv4.c), so
 * every stage can be checked against a reference without a clock.
 *
 * GkSigv4Signer is the fast path: it caches the derived signing keys per
 * (secret, date, region, service), reuses its digest contexts and scratch
 * buffers, and appends each presigned URL to a caller's GString, so signing
 * allocates nothing per URL beyond the result. One signer per thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gk-credentials.h"

G_BEGIN_DECLS

#define GK_SIGV4_ERROR (gk_sigv4_error_quark ())

typedef enum
{
  GK_SIGV4_ERROR_INVALID_EXPIRES, /* X-Amz-Expires outside 1–604800 */
  GK_SIGV4_ERROR_INVALID_INPUT,   /* empty region/host, path without leading '/', … */
} GkSigv4Error;

#define GK_SIGV4_ALGORITHM          "AWS4-HMAC-SHA256"
#define GK_SIGV4_UNSIGNED_PAYLOAD   "UNSIGNED-PAYLOAD"
#define GK_SIGV4_EMPTY_SHA256       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define GK_SIGV4_MIN_EXPIRES        1
#define GK_SIGV4_MAX_EXPIRES        604800 /* seven days: S3's limit for query auth */

/* A name/value pair: a query parameter (raw, not encoded) or a header. */
typedef struct
{
  const char *name;
  const char *value;
} GkSigv4Pair;

/* Optional copies of the intermediate stages, for tests and diagnostics.
 * Never log them: the canonical request of a presigned URL holds the token. */
typedef struct
{
  char *canonical_request;
  char *string_to_sign;
} GkSigv4Stages;

void   gk_sigv4_stages_clear            (GkSigv4Stages       *stages);

GQuark gk_sigv4_error_quark             (void);

/* Encoding: every byte but A-Za-z0-9-._~ as %XX (upper-case hex); '/' kept
 * when @keep_slash (S3 paths: no normalisation of //, ./ or ../). */
void   gk_sigv4_uri_encode              (GString             *out,
                                         const char          *data,
                                         gssize               len,
                                         gboolean             keep_slash);
char  *gk_sigv4_canonical_query         (const GkSigv4Pair   *params,
                                         gsize                n_params);
void   gk_sigv4_format_date             (gint64               now,
                                         char                 long_date[17],
                                         char                 short_date[9]);

/* Stage 1: the canonical request. @path is the raw (unencoded) path starting
 * with '/'; @headers must include host; names are lower-cased, values
 * trimmed, and the list sorted here. */
char  *gk_sigv4_canonical_request       (const char          *method,
                                         const char          *path,
                                         const GkSigv4Pair   *query,
                                         gsize                n_query,
                                         const GkSigv4Pair   *headers,
                                         gsize                n_headers,
                                         const char          *payload_hash,
                                         char               **signed_headers_out);
/* Stage 2 */
char  *gk_sigv4_string_to_sign          (const char          *long_date,
                                         const char          *scope,
                                         const char          *canonical_request);
char  *gk_sigv4_scope                   (const char          *short_date,
                                         const char          *region,
                                         const char          *service);
/* Stage 3 */
void   gk_sigv4_derive_signing_key      (const char          *secret_access_key,
                                         const char          *short_date,
                                         const char          *region,
                                         const char          *service,
                                         guint8               key[32]);
/* Stage 4: lower-case hex HMAC-SHA256 of @string_to_sign under @key. */
void   gk_sigv4_signature               (const guint8         key[32],
                                         const char          *string_to_sign,
                                         char                 hex[65]);

/* The fast path. */
typedef struct _GkSigv4Signer GkSigv4Signer;

GkSigv4Signer *gk_sigv4_signer_new     (void);
void           gk_sigv4_signer_free    (GkSigv4Signer       *self);

gboolean gk_sigv4_signer_presign       (GkSigv4Signer       *self,
                                        GkCredentials       *credentials,
                                        const char          *region,
                                        const char          *service,
                                        const char          *method,
                                        const char          *scheme,
                                        const char          *host,
                                        const char          *path,
                                        gssize               path_len,
                                        gint64               now,
                                        guint                expires,
                                        GString             *out,
                                        GkSigv4Stages       *stages,
                                        GError             **error);

char   **gk_sigv4_signer_sign_headers  (GkSigv4Signer       *self,
                                        GkCredentials       *credentials,
                                        const char          *region,
                                        const char          *service,
                                        const char          *method,
                                        const char          *host,
                                        const char          *path,
                                        const GkSigv4Pair   *query,
                                        gsize                n_query,
                                        const GkSigv4Pair   *headers,
                                        gsize                n_headers,
                                        const char          *payload_hash,
                                        gint64               now,
                                        GkSigv4Stages       *stages,
                                        GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GkSigv4Stages, gk_sigv4_stages_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkSigv4Signer, gk_sigv4_signer_free)

G_END_DECLS
