/* gk-s3.h: the few S3 calls Genokey needs, over libsoup, signed with SigV4
 *
 * GkS3Client asks its GkCredentialSource for credentials before each call,
 * finds and caches each bucket's region (the region is part of every
 * signature), addresses buckets virtual-hosted on AWS and path-style for
 * dotted names and custom endpoints, and maps every S3 error code to a
 * GK_S3_ERROR whose message says what to do.
 *
 * The pure parts are plain functions so tests need no network: names and
 * addresses (gk-s3-names.h), XML answers (gk-s3-parse.h) and error mapping
 * (gk-s3-error.h). The client's own code is spread over gk-s3.c (requests),
 * gk-s3-presign.c, gk-s3-list.c and gk-s3-object.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gk-credential-source.h"
#include "gk-profile.h"
#include "gk-s3-error.h"
#include "gk-s3-names.h"
#include "gk-s3-parse.h"

G_BEGIN_DECLS

/* Connections one client keeps to one S3 host: room for the lookups a
 * cohort runs side by side (gk-parallel.h). */
#define GK_S3_MAX_CONNECTIONS 32

#define GK_TYPE_S3_CLIENT (gk_s3_client_get_type ())

G_DECLARE_FINAL_TYPE (GkS3Client, gk_s3_client, GK, S3_CLIENT, GObject)

GkS3Client         *gk_s3_client_new                    (GkCredentialSource   *source,
                                                         const char           *region,
                                                         const char           *endpoint,
                                                         const char * const   *buckets);
GkS3Client         *gk_s3_client_new_for_profile        (GkProfile            *profile,
                                                         GkCredentialSource   *source);
GkCredentialSource *gk_s3_client_get_source             (GkS3Client           *self);
const char         *gk_s3_client_get_region             (GkS3Client           *self);
const char         *gk_s3_client_get_endpoint           (GkS3Client           *self);
const char * const *gk_s3_client_get_allowed_buckets    (GkS3Client           *self);
gboolean            gk_s3_client_check_allowed          (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *key,
                                                         GError              **error);
const char         *gk_s3_client_peek_bucket_region     (GkS3Client           *self,
                                                         const char           *bucket);
void                gk_s3_client_set_bucket_region      (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *region);

gboolean            gk_s3_client_presign                (GkS3Client           *self,
                                                         GkCredentials        *credentials,
                                                         const char           *bucket,
                                                         const char           *key,
                                                         gint64                now,
                                                         guint                 expires,
                                                         GString              *out,
                                                         GError              **error);
gboolean            gk_s3_client_presign_ending_in_name (GkS3Client           *self,
                                                         GkCredentials        *credentials,
                                                         const char           *bucket,
                                                         const char           *key,
                                                         const char           *file_name,
                                                         gint64                now,
                                                         guint                 expires,
                                                         GString              *out,
                                                         GError              **error);

SoupMessage        *gk_s3_client_new_object_message     (GkS3Client           *self,
                                                         GkCredentials        *credentials,
                                                         const char           *method,
                                                         const char           *bucket,
                                                         const char           *key,
                                                         gint64                now,
                                                         GError              **error);

void                gk_s3_client_get_bucket_region_async  (GkS3Client          *self,
                                                           const char          *bucket,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char               *gk_s3_client_get_bucket_region_finish (GkS3Client          *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

void                gk_s3_client_list_buckets_async     (GkS3Client           *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray          *gk_s3_client_list_buckets_finish    (GkS3Client           *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                gk_s3_client_list_page_async        (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *prefix,
                                                         const char           *delimiter,
                                                         const char           *continuation_token,
                                                         guint                 max_keys,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GkS3ListPage       *gk_s3_client_list_page_finish       (GkS3Client           *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                gk_s3_client_list_page_after_async  (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *prefix,
                                                         const char           *delimiter,
                                                         const char           *start_after,
                                                         const char           *continuation_token,
                                                         guint                 max_keys,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);

typedef void (*GkS3ListProgressFunc) (guint    n_entries,
                                      gpointer user_data);

void                gk_s3_client_list_objects_with_progress_async (GkS3Client           *self,
                                                                   const char           *bucket,
                                                                   const char           *prefix,
                                                                   const char           *delimiter,
                                                                   GkS3ListProgressFunc  progress,
                                                                   gpointer              progress_data,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
void                gk_s3_client_list_objects_async     (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *prefix,
                                                         const char           *delimiter,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GkS3ListPage       *gk_s3_client_list_objects_finish    (GkS3Client           *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                gk_s3_client_head_object_async      (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *key,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GkS3Object         *gk_s3_client_head_object_finish     (GkS3Client           *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                gk_s3_client_put_object_async       (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *key,
                                                         GBytes               *body,
                                                         const char           *content_type,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            gk_s3_client_put_object_finish      (GkS3Client           *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                gk_s3_client_delete_object_async    (GkS3Client           *self,
                                                         const char           *bucket,
                                                         const char           *key,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            gk_s3_client_delete_object_finish   (GkS3Client           *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                gk_s3_client_get_bucket_cors_async  (GkS3Client           *self,
                                                         const char           *bucket,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray          *gk_s3_client_get_bucket_cors_finish (GkS3Client           *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                gk_s3_client_get_bucket_versioning_async  (GkS3Client          *self,
                                                               const char          *bucket,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GkS3Versioning      gk_s3_client_get_bucket_versioning_finish (GkS3Client          *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
