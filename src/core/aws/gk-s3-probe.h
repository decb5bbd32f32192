/* gk-s3-probe.h: which of many S3 keys exist, from listings
 *
 * Genome browsers need each data file's index, and an index has several
 * possible names (`.bam.bai` or `.bai`, …). Asking S3 with one HEAD per name
 * costs a round trip each: for a 10,000-sample cohort, minutes at real S3's
 * latency. A listing answers up to 1,000 keys per request, so GkS3Probe
 * lists the key ranges the names fall in (several ranges side by side) and
 * answers each question from the listings. It asks HEAD only for names no
 * listing covered: a listing that S3 refuses (no s3:ListBucket), that
 * fails, or that would cost more requests than the HEADs it saves.
 *
 * A question is a list of candidate keys in one bucket, in order of
 * preference; its answer is the first candidate that exists, exactly as
 * asking HEAD for each in turn would give (a HEAD refused with 403 counts
 * as missing, as S3 answers 403 for a missing key without s3:ListBucket).
 * Which names to ask for is the caller's business (gk-genomic-file's
 * rules); this module knows only S3.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-s3.h"

G_BEGIN_DECLS

#define GK_TYPE_S3_PROBE (gk_s3_probe_get_type ())

G_DECLARE_FINAL_TYPE (GkS3Probe, gk_s3_probe, GK, S3_PROBE, GObject)

/* Called as questions get their answers: @done of @total. */
typedef void (*GkS3ProbeProgressFunc) (GkS3Probe *probe,
                                       guint      done,
                                       guint      total,
                                       gpointer   user_data);

GkS3Probe    *gk_s3_probe_new               (GkS3Client            *client);
void          gk_s3_probe_set_max_in_flight (GkS3Probe             *self,
                                             guint                  max_in_flight);
void          gk_s3_probe_set_use_listings  (GkS3Probe             *self,
                                             gboolean               use_listings);
void          gk_s3_probe_add_listing       (GkS3Probe             *self,
                                             const char            *bucket,
                                             const char            *prefix,
                                             const char * const    *keys);
guint         gk_s3_probe_add               (GkS3Probe             *self,
                                             const char            *bucket,
                                             const char * const    *candidates);
void          gk_s3_probe_set_progress_func (GkS3Probe             *self,
                                             GkS3ProbeProgressFunc  func,
                                             gpointer               user_data,
                                             GDestroyNotify         notify);

void          gk_s3_probe_run_async         (GkS3Probe             *self,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
gboolean      gk_s3_probe_run_finish        (GkS3Probe             *self,
                                             GAsyncResult          *result,
                                             GError               **error);

const char   *gk_s3_probe_get_found         (GkS3Probe             *self,
                                             guint                  question,
                                             const GError         **error);
guint         gk_s3_probe_get_n_lists       (GkS3Probe             *self);
guint         gk_s3_probe_get_n_heads       (GkS3Probe             *self);

G_END_DECLS
