/* gk-links-private.h: what gk-links.c shares with gk-link-batch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-links.h"

G_BEGIN_DECLS

gboolean _gk_linker_is_gateway   (GkLinker           *self);
GkLink *_gk_linker_make_gateway_link (const char     *bucket,
                                      const char     *key,
                                      const char     *index_key,
                                      char           *url,
                                      char           *index_url);

GkLink *_gk_linker_make_link     (GkLinker           *self,
                                  GkCredentials      *credentials,
                                  const char         *bucket,
                                  const char         *key,
                                  const char         *index_key,
                                  gint64              requested,
                                  gint64              now,
                                  GError            **error);
gboolean _gk_linker_end_in_name  (GkLinker           *self,
                                  GkCredentials      *credentials,
                                  GkLink             *link,
                                  gint64              now,
                                  GError            **error);
GError *_gk_links_no_index_error (const char         *bucket,
                                  const char         *key,
                                  const char * const *candidates);

G_END_DECLS
