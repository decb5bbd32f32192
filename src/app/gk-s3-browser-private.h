/* gk-s3-browser-private.h: what gk-s3-browser.c shares with
 * gk-s3-browser-actions.c (the per-file actions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-links.h"
#include "gk-s3-browser.h"

G_BEGIN_DECLS

struct _GkS3Browser
{
  AdwBin parent_instance;

  GkS3Client *client;
  GkLinker *linker;
  GSettings *settings;
  GCancellable *buckets_cancellable;
  GCancellable *action_cancellable;
  GPtrArray *chromoscope_set;
  char *chromoscope_prefix;

  char *bucket;
  char *prefix;
  char *continuation;
  GCancellable *cancellable;
  GListStore *items;
  GtkFilterListModel *filter_model;
  GtkStringFilter *filter;
  GtkSingleSelection *selection;
  guint pages_loaded;
  gboolean loading;
  char *reveal_name;

  AdwFlap *flap;
  GtkStack *bucket_stack;
  GtkListBox *bucket_list;
  GtkBox *path_bar;
  GtkSearchEntry *filter_entry;
  GtkStack *content_stack;
  GtkColumnView *column_view;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
  GtkRevealer *action_revealer;
  GtkButton *chromoscope_button;
  GtkButton *chromoscope_open_button;
  GtkSpinner *status_spinner;
  GtkLabel *status_label;
};

void _gk_s3_browser_update_selection       (GkS3Browser    *self);
void _gk_s3_browser_show_error             (GkS3Browser    *self,
                                            const GError   *error);
void _gk_s3_browser_show_message           (GkS3Browser    *self,
                                            const char     *message);
void _gk_s3_browser_class_add_file_actions (GtkWidgetClass *widget_class);

G_END_DECLS
