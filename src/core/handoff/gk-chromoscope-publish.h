/* gk-chromoscope-publish.h: a Chromoscope config made public — its files
 * signed, the config uploaded and signed, the app's URL
 *
 * gk_chromoscope_publish_async() (gk-chromoscope.h) does it in one call;
 * a GkChromoscopePublisher also tells how far the signing has got, takes a
 * listing the caller already made, counts the S3 requests, and can have the
 * linker's minter (the gateway) serve the config instead of uploading it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-chromoscope.h"

G_BEGIN_DECLS

#define GK_TYPE_CHROMOSCOPE_PUBLISHER (gk_chromoscope_publisher_get_type ())

G_DECLARE_FINAL_TYPE (GkChromoscopePublisher, gk_chromoscope_publisher, GK, CHROMOSCOPE_PUBLISHER, GObject)

typedef enum
{
  GK_CHROMOSCOPE_STAGE_SIGNING,   /* the samples' files: @done of @total */
  GK_CHROMOSCOPE_STAGE_UPLOADING, /* the config (all files are signed) */
} GkChromoscopeStage;

/* How far publishing has got. */
typedef void (*GkChromoscopeProgressFunc) (GkChromoscopePublisher *publisher,
                                           GkChromoscopeStage      stage,
                                           guint                   done,
                                           guint                   total,
                                           gpointer                user_data);

GkChromoscopePublisher *gk_chromoscope_publisher_new                (GkLinker                  *linker,
                                                                     GPtrArray                 *samples,
                                                                     gint64                     expires);
void                    gk_chromoscope_publisher_set_name           (GkChromoscopePublisher    *self,
                                                                     const char                *name);
void                    gk_chromoscope_publisher_set_upload         (GkChromoscopePublisher    *self,
                                                                     gboolean                   upload,
                                                                     const char                *prefix);
void                    gk_chromoscope_publisher_set_serve          (GkChromoscopePublisher    *self,
                                                                     gboolean                   serve);
void                    gk_chromoscope_publisher_add_listing        (GkChromoscopePublisher    *self,
                                                                     const char                *bucket,
                                                                     const char                *prefix,
                                                                     const char * const        *keys);
void                    gk_chromoscope_publisher_set_progress_func  (GkChromoscopePublisher    *self,
                                                                     GkChromoscopeProgressFunc  func,
                                                                     gpointer                   user_data,
                                                                     GDestroyNotify             notify);
void                    gk_chromoscope_publisher_publish_async      (GkChromoscopePublisher    *self,
                                                                     GCancellable              *cancellable,
                                                                     GAsyncReadyCallback        callback,
                                                                     gpointer                   user_data);
GkChromoscopePublished *gk_chromoscope_publisher_publish_finish     (GkChromoscopePublisher    *self,
                                                                     GAsyncResult              *result,
                                                                     GError                   **error);
guint                   gk_chromoscope_publisher_get_n_requests     (GkChromoscopePublisher    *self);

G_END_DECLS
