/* gk-s3-names.h: bucket names, keys, s3:// addresses and the host and path
 * a request goes to (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GK_S3_BUCKET_NAME_MAX 63 /* S3's limit on bucket name length */

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
gboolean      gk_s3_region_is_plausible    (const char    *region);

G_END_DECLS
