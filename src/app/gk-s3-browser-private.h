/* gk-s3-browser-private.h: the browser's state, which gk-s3-browser.c and
 * the per-file actions of gk-s3-browser-actions.c both work on
 *
 * The dependency runs one way: the browser installs the actions
 * (gk-s3-browser-actions.h), and the actions see only this state and the
 * browser's public signals, never the browser's functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gk-browser-item.h"
#include "gk-links.h"
#include "gk-s3.h"

G_BEGIN_DECLS

/* The same typedef as G_DECLARE_FINAL_TYPE's in gk-s3-browser.h. */
typedef struct _GkS3Browser GkS3Browser;

struct _GkS3Browser
{
  AdwBin parent_instance;

  GkS3Client *client;
  GkLinker *linker;          /* presigned links: Copy Link, and viewers when asked for */
  GkLinkMinter *minter;      /* the gateway's, for the viewers' links */
  GkLinker *gateway_linker;  /* over client, with minter */
  GSettings *settings;
  GCancellable *buckets_cancellable;
  GCancellable *action_cancellable;
  GPtrArray *chromoscope_set;
  char *chromoscope_prefix;
  GCancellable *build_cancellable; /* a Chromoscope build, while it runs */
  char *build_status;

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
  GtkButton *chromoscope_folder_button;
  GtkRevealer *build_revealer;
  GtkLabel *build_label;
  GtkProgressBar *build_progress;
  GtkSpinner *status_spinner;
  GtkLabel *status_label;
};

static inline GkBrowserItem *
_gk_s3_browser_selected_item (GkS3Browser *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/* Core's errors and notices go to the window, which shows them as toasts. */
static inline void
_gk_s3_browser_show_error (GkS3Browser  *self,
                           const GError *error)
{
  g_signal_emit_by_name (self, "show-error", error);
}

static inline void
_gk_s3_browser_show_message (GkS3Browser *self,
                             const char  *message)
{
  g_signal_emit_by_name (self, "show-message", message);
}

G_END_DECLS
