/* gk-s3.h: the few S3 calls Genokey needs, over libsoup, signed with SigV4
 *
 * GkS3Client asks its GkCredentialSource for credentials before each call,
 * finds and caches each bucket's region (the region is part of every
 * signature), addresses buckets virtual-hosted on AWS and path-style for
 * dotted names and custom endpoints, and maps every S3 error code to a
 * GK_S3_ERROR whose message says what to do.
 *
 * The pure parts (bucket names, s3:// URIs, XML answers, error mapping) are
 * plain functions so tests need no network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gk-credential-source.h"
#include "gk-profile.h"

G_BEGIN_DECLS

#define GK_S3_ERROR (gk_s3_error_quark ())

/* No answer S3 sends to Genokey's requests (XML of 1,000 keys at most, or
 * no body) comes near this; anything larger is not S3. */
#define GK_S3_MAX_ANSWER_SIZE (32 * 1024 * 1024)

/* Connections one client keeps to one S3 host: room for the lookups a
 * cohort runs side by side (gk-parallel.h). */
#define GK_S3_MAX_CONNECTIONS 32

typedef enum
{
  GK_S3_ERROR_FAILED,               /* an S3 error without a more specific code below */
  GK_S3_ERROR_ACCESS_DENIED,        /* AccessDenied, AllAccessDisabled, AccountProblem */
  GK_S3_ERROR_INVALID_CREDENTIALS,  /* InvalidAccessKeyId, SignatureDoesNotMatch */
  GK_S3_ERROR_EXPIRED_CREDENTIALS,  /* ExpiredToken, InvalidToken, TokenRefreshRequired, expired link */
  GK_S3_ERROR_CLOCK_SKEW,           /* RequestTimeTooSkewed */
  GK_S3_ERROR_NO_SUCH_BUCKET,
  GK_S3_ERROR_NO_SUCH_KEY,          /* NoSuchKey, or 404 on HEAD */
  GK_S3_ERROR_WRONG_REGION,         /* PermanentRedirect, AuthorizationHeaderMalformed, … */
  GK_S3_ERROR_UNAVAILABLE,          /* SlowDown, ServiceUnavailable, InternalError, 5xx */
  GK_S3_ERROR_NO_CORS,              /* NoSuchCORSConfiguration */
  GK_S3_ERROR_INVALID_REQUEST,      /* InvalidArgument, InvalidRequest, KeyTooLongError, … */
  GK_S3_ERROR_INVALID_BUCKET_NAME,  /* refused before sending, or InvalidBucketName */
  GK_S3_ERROR_INVALID_KEY,          /* refused before sending: empty, too long, control bytes */
  GK_S3_ERROR_INVALID_URI,          /* not s3://BUCKET/KEY */
  GK_S3_ERROR_NOT_ALLOWED,          /* not in the profile's bucket list */
  GK_S3_ERROR_BAD_RESPONSE,         /* unparsable XML, a DOCTYPE, a pagination loop */
  GK_S3_ERROR_ARCHIVED,             /* InvalidObjectState: in Glacier/Deep Archive */
} GkS3Error;

/* Which permission a call needs, for AccessDenied messages. */
typedef enum
{
  GK_S3_ACTION_LIST_BUCKETS,
  GK_S3_ACTION_LIST_OBJECTS,
  GK_S3_ACTION_GET_OBJECT,
  GK_S3_ACTION_PUT_OBJECT,
  GK_S3_ACTION_GET_CORS,
  GK_S3_ACTION_HEAD_BUCKET,
  GK_S3_ACTION_DELETE_OBJECT,
} GkS3Action;

typedef struct
{
  char *name;
  char *prefix;     /* from a `bucket/prefix` allow-list entry, else NULL */
  gint64 created;   /* Unix seconds, 0 when unknown */
} GkS3Bucket;

typedef struct
{
  char *key;
  guint64 size;
  gint64 last_modified; /* Unix seconds, 0 when unknown */
  char *etag;
  char *storage_class;
  char *content_type;   /* HeadObject only */
} GkS3Object;

typedef struct
{
  char *bucket;
  char *prefix;
  GPtrArray *folders;   /* (element-type utf8): common prefixes, full keys ending in the delimiter */
  GPtrArray *objects;   /* (element-type GkS3Object) */
  gboolean truncated;
  char *next_token;     /* continuation token of the next page, or NULL */
} GkS3ListPage;

typedef struct
{
  GStrv allowed_origins;
  GStrv allowed_methods;
  GStrv allowed_headers;
  GStrv expose_headers;
} GkS3CorsRule;

GQuark        gk_s3_error_quark            (void);

void          gk_s3_bucket_free            (GkS3Bucket    *bucket);
void          gk_s3_object_free            (GkS3Object    *object);
void          gk_s3_list_page_free         (GkS3ListPage  *page);
void          gk_s3_cors_rule_free         (GkS3CorsRule  *rule);

#define GK_S3_BUCKET_NAME_MAX 63 /* S3's limit on bucket name length */

/* Pure helpers. */
gboolean      gk_s3_bucket_name_is_valid   (const char    *name,
                                            GError       **error);
gboolean      gk_s3_key_is_valid           (const char    *key,
                                            gboolean       allow_empty,
                                            GError       **error);
gboolean      gk_s3_parse_uri              (const char    *uri,
                                            char         **bucket,
                                            char         **key,
                                            GError       **error);
gboolean      gk_s3_split_object_uri       (const char    *uri,
                                            char           bucket[GK_S3_BUCKET_NAME_MAX + 1],
                                            const char   **key,
                                            GError       **error);
gboolean      gk_s3_region_is_plausible    (const char    *region);
char         *gk_s3_key_common_prefix      (const char    *a,
                                            const char    *b);
char         *gk_s3_key_before             (const char    *key);
gboolean      gk_s3_uses_path_style        (const char    *bucket,
                                            const char    *endpoint);
gboolean      gk_s3_build_target           (const char    *endpoint,
                                            const char    *region,
                                            const char    *bucket,
                                            const char    *key,
                                            char         **scheme,
                                            char         **host,
                                            char         **path,
                                            GError       **error);

GError       *gk_s3_error_new              (guint          http_status,
                                            const char    *code,
                                            const char    *message,
                                            GkS3Action     action,
                                            const char    *bucket,
                                            const char    *key);
gboolean      gk_s3_parse_error            (GBytes        *body,
                                            char         **code,
                                            char         **message,
                                            char         **region);
GkS3ListPage *gk_s3_parse_list_objects     (GBytes        *body,
                                            GError       **error);
GPtrArray    *gk_s3_parse_list_buckets     (GBytes        *body,
                                            GError       **error);
GPtrArray    *gk_s3_parse_cors             (GBytes        *body,
                                            GError       **error);

/* The client. */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3Bucket, gk_s3_bucket_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3Object, gk_s3_object_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3ListPage, gk_s3_list_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3CorsRule, gk_s3_cors_rule_free)

G_END_DECLS
