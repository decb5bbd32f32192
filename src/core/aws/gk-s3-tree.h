/* gk-s3-tree.h: every key under a prefix, read by listings side by side
 *
 * A folder of 10,000 sample folders holds 60,000 keys: 60 pages that
 * ListObjectsV2 hands out one after another (each page names the next),
 * so about 60 round trips in a row. Its sub-folders, though, are known
 * after a short listing with a delimiter, and they cut the key space into
 * ranges that separate listings can read at the same time (StartAfter).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-s3.h"

G_BEGIN_DECLS

void          gk_s3_tree_list_async  (GkS3Client           *client,
                                      const char           *bucket,
                                      const char           *prefix,
                                      GkS3ListProgressFunc  progress,
                                      gpointer              progress_data,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GkS3ListPage *gk_s3_tree_list_finish (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
