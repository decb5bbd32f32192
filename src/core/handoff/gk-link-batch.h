/* gk-link-batch.h: links for many files at once, indexes paired from
 * listings
 *
 * A cohort hands thousands of files to a genome browser, each with its
 * index. gk_linker_sign_async() finds an index with one HEAD per name; a
 * GkLinkBatch asks S3 for the whole cohort together: credentials once, each
 * bucket's region once, the indexes from listings (GkS3Probe: one request
 * per 1,000 keys, several side by side), HEAD only where no listing
 * answered. The links are exactly those gk_linker_sign_async() would make,
 * of the linker's kind, with the same errors per file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-links.h"

G_BEGIN_DECLS

#define GK_TYPE_LINK_BATCH (gk_link_batch_get_type ())

G_DECLARE_FINAL_TYPE (GkLinkBatch, gk_link_batch, GK, LINK_BATCH, GObject)

/* @done of @total files have their link (or their error). */
typedef void (*GkLinkBatchProgressFunc) (GkLinkBatch *batch,
                                         guint        done,
                                         guint        total,
                                         gpointer     user_data);

GkLinkBatch *gk_link_batch_new               (GkLinker                *linker,
                                              gint64                   expires);
guint        gk_link_batch_add               (GkLinkBatch             *self,
                                              const char              *bucket,
                                              const char              *key,
                                              GkLinkFlags              flags);
guint        gk_link_batch_add_with_index    (GkLinkBatch             *self,
                                              const char              *bucket,
                                              const char              *key,
                                              const char * const      *index_names);
void         gk_link_batch_add_listing       (GkLinkBatch             *self,
                                              const char              *bucket,
                                              const char              *prefix,
                                              const char * const      *keys);
void         gk_link_batch_set_use_listings  (GkLinkBatch             *self,
                                              gboolean                 use_listings);
void         gk_link_batch_set_progress_func (GkLinkBatch             *self,
                                              GkLinkBatchProgressFunc  func,
                                              gpointer                 user_data,
                                              GDestroyNotify           notify);

void         gk_link_batch_sign_async        (GkLinkBatch             *self,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
gboolean     gk_link_batch_sign_finish       (GkLinkBatch             *self,
                                              GAsyncResult            *result,
                                              GError                 **error);

guint        gk_link_batch_get_n_files       (GkLinkBatch             *self);
GkLink      *gk_link_batch_get_link          (GkLinkBatch             *self,
                                              guint                    index,
                                              GError                 **error);
guint        gk_link_batch_get_n_requests    (GkLinkBatch             *self);

G_END_DECLS
