/* gk-s3-private.h: what the files of GkS3Client share
 *
 * GkS3Client is one object in several files: gk-s3.c (construction, the
 * allow-list, regions, sending one request), gk-s3-presign.c (links),
 * gk-s3-list.c (ListBuckets, ListObjectsV2) and gk-s3-object.c (HeadObject,
 * PutObject, DeleteObject, GetBucketCors). Each call builds a GkS3Request
 * and hands it to gk_s3_client_send_request(), which adds credentials, the
 * region, the signature and the region retry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gk-s3.h"
#include "gk-sigv4.h"

G_BEGIN_DECLS

struct _GkS3Client
{
  GObject parent_instance;

  GkCredentialSource *source;
  char *region;
  char *endpoint;
  GStrv buckets;
  SoupSession *session;
  GkSigv4Signer *signer;
  GHashTable *regions; /* bucket → region */

  /* gk_s3_client_presign()'s target, kept while the bucket stays the same. */
  char *p_bucket;
  char *p_region;
  char *p_scheme;
  char *p_host;
  GString *p_path;
  gsize p_prefix_len;
};

typedef struct
{
  char *method;
  char *bucket;
  char *key;
  GPtrArray *query; /* alternating name, value (owned) */
  GBytes *body;
  char *content_type;
  GkS3Action action;
  gboolean region_known;  /* the region was given, do not discover */
  gboolean retried;
  GkCredentials *credentials;
  char *region;
  SoupMessage *msg;
  GBytes *response;
} GkS3Request;

GkS3Request *gk_s3_request_new              (const char          *method,
                                             const char          *bucket,
                                             const char          *key,
                                             GkS3Action           action);
void         gk_s3_request_free             (GkS3Request         *r);
void         gk_s3_request_add_query        (GkS3Request         *r,
                                             const char          *name,
                                             const char          *value);

/* Takes ownership of @r; the result is a boolean task whose data is @r. */
void         gk_s3_client_send_request      (GkS3Client          *self,
                                             GkS3Request         *r,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GkS3Request *gk_s3_client_send_finish       (GAsyncResult        *result,
                                             GError             **error);

/* An allow-list entry, `bucket` or `bucket/prefix`, in its two parts. */
void         gk_s3_split_allow_entry        (const char          *entry,
                                             char               **bucket,
                                             char               **prefix);

G_END_DECLS
