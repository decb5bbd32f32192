/* gk-s3-parse.h: S3's XML answers read into plain structs (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* No answer S3 sends to Genokey's requests (XML of 1,000 keys at most, or
 * no body) comes near this; anything larger is not S3. */
#define GK_S3_MAX_ANSWER_SIZE (32 * 1024 * 1024)

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

void          gk_s3_bucket_free            (GkS3Bucket    *bucket);
void          gk_s3_object_free            (GkS3Object    *object);
void          gk_s3_list_page_free         (GkS3ListPage  *page);
void          gk_s3_cors_rule_free         (GkS3CorsRule  *rule);

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

/* A bucket's versioning, as GetBucketVersioning says it. */
typedef enum
{
  GK_S3_VERSIONING_UNKNOWN,   /* not read */
  GK_S3_VERSIONING_NEVER,     /* never turned on */
  GK_S3_VERSIONING_ENABLED,
  GK_S3_VERSIONING_SUSPENDED, /* was on; new writes keep no versions */
} GkS3Versioning;

GkS3Versioning gk_s3_parse_versioning      (GBytes        *body,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3Bucket, gk_s3_bucket_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3Object, gk_s3_object_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3ListPage, gk_s3_list_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkS3CorsRule, gk_s3_cors_rule_free)

G_END_DECLS
