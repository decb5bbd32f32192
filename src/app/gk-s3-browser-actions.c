/* gk-s3-browser-actions.c: what the browser hands a file to
 *
 * Copy Link, Open in IGV and Open in IGV-Web (Chromoscope's set and
 * folders are in gk-s3-browser-chromoscope.c). Each links the file (and
 * its index) through core's linker and gives the link to core's hand-off;
 * the window only shows what came of it. The viewers get gateway links;
 * Copy Link, for sharing, presigned ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-chromoscope.h"
#include "gk-chromoscope-publish.h"
#include "gk-igv.h"
#include "gk-igv-web.h"
#include "gk-s3-browser-actions.h"
#include "gk-s3-browser-private.h"

/* These actions are installed on GkS3Browser's class only, so the widget
 * is always the browser: a plain cast keeps this file off the browser's
 * functions (see gk-s3-browser-private.h). */
static GkS3Browser *
browser_of (GtkWidget *widget)
{
  return (GkS3Browser *) widget;
}

/* Web genome browsers (Chromoscope, IGV-Web) fetch the files from the
 * page itself, so S3 must allow their origin by CORS or they show nothing.
 * The check never stops the hand-off: the admin may fix CORS later. */

typedef struct
{
  GkS3Browser *self;
  char *bucket;
  GkViewer viewer;
} CorsCheck;

static void
cors_check_free (CorsCheck *check)
{
  g_object_unref (check->self);
  g_free (check->bucket);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CorsCheck, cors_check_free)

static void
on_cors_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CorsCheck) check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkS3CorsVerdict) verdict = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *message = NULL;

  verdict = gk_s3_cors_check_finish (result, &error);
  if (verdict == NULL)
    {
      /* Lab members often may not read a bucket's CORS rules; that says
       * nothing about whether the browser will manage. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("CORS rules of bucket %s not checked: %s", check->bucket, error->message);
      return;
    }
  problem = gk_web_viewer_describe_cors (check->viewer, verdict);
  if (problem == NULL)
    return;
  /* Translators: the first %s is a sentence on what is wrong, the second a
   * web address such as https://igv.org, the third a bucket name */
  message = g_strdup_printf (_("%s Ask the lab’s AWS admin to allow %s in the CORS configuration "
                               "of bucket “%s”."), problem, gk_web_viewer_origin (check->viewer),
                             check->bucket);
  _gk_s3_browser_show_message (check->self, message);
}

/**
 * _gk_s3_browser_check_cors:
 *
 * Tells the user, when @viewer's page may not read @bucket, what the lab's
 * admin must allow. Never stops a hand-off.
 */
void
_gk_s3_browser_check_cors (GkS3Browser *self,
                           const char  *bucket,
                           GkViewer     viewer)
{
  CorsCheck *check = g_new0 (CorsCheck, 1);

  check->self = g_object_ref (self);
  check->bucket = g_strdup (bucket);
  check->viewer = viewer;
  gk_s3_cors_check_async (self->client, bucket, gk_web_viewer_cors_request (viewer),
                          self->action_cancellable, on_cors_checked_cb, check);
}

/* The viewers' links: gateway links (they work while the user stays signed
 * in, and the gateway answers the web viewers' sites itself), unless the
 * user asked for presigned ones (Main Menu › Presigned Links for Viewers),
 * for a viewer on another computer. */
GkLinker *
_gk_s3_browser_viewer_linker (GkS3Browser *self)
{
  if (self->gateway_linker == NULL || g_settings_get_boolean (self->settings, "presigned-links"))
    return self->linker;
  return self->gateway_linker;
}

/* Chrome asks the user once before an https page (igv.org,
 * chromoscope.bio) may reach apps on this computer; said once, the first
 * time a web viewer reads through the gateway, so the user knows to
 * allow it. */
void
_gk_s3_browser_tell_about_local_access (GkS3Browser *self,
                                        const char  *site)
{
  g_autofree char *message = NULL;

  if (g_settings_get_boolean (self->settings, "web-viewer-notice-shown"))
    return;
  g_settings_set_boolean (self->settings, "web-viewer-notice-shown", TRUE);
  /* Translators: %s is a web site such as https://igv.org */
  message = g_strdup_printf (_("Your browser may ask once whether %s may access apps on this computer. "
                               "Allow it: the files come from Genokey on this computer."), site);
  _gk_s3_browser_show_message (self, message);
}

/* The lifetime from Preferences; for a web viewer at most an hour (see
 * GK_WEB_VIEWER_LINK_LIFETIME: its links travel in another site's
 * address). */
guint
_gk_s3_browser_link_lifetime (GkS3Browser *self,
               gboolean     web_viewer)
{
  guint lifetime = g_settings_get_uint (self->settings, "link-lifetime");

  return web_viewer ? MIN (lifetime, GK_WEB_VIEWER_LINK_LIFETIME) : lifetime;
}

/* Says until when a web viewer's links work, and why not longer. */
void
_gk_s3_browser_tell_web_viewer_expiry (GkS3Browser *self,
                        GkViewer     viewer,
                        gint64       expires_at)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *until = NULL;
  g_autofree char *message = NULL;

  if (expires_at <= 0)
    return;
  when = g_date_time_new_from_unix_local (expires_at);
  /* Translators: a time of day, strftime format */
  until = g_date_time_format (when, _("%H:%M"));
  /* Translators: the first %s is IGV-Web or Chromoscope, the second a time of
   * day, the third a web address such as https://igv.org */
  message = g_strdup_printf (_("Opened in %s. Its links work until %s, at most an hour: they travel "
                               "in the address of %s, and so into its history and logs."),
                             gk_viewer_get_name (viewer), until, gk_web_viewer_origin (viewer));
  _gk_s3_browser_show_message (self, message);
}

/* File actions: each signs the file (and its index) through core's linker,
 * then hands the links on. */

typedef enum
{
  HAND_TO_CLIPBOARD,
  HAND_TO_IGV,
  HAND_TO_IGV_WEB,
} HandTo;

typedef struct
{
  GkS3Browser *self;
  HandTo to;
  char *name;
  GkLink *link;
} FileAction;

static void
file_action_free (FileAction *action)
{
  g_clear_object (&action->self);
  g_clear_pointer (&action->link, gk_link_unref);
  g_free (action->name);
  g_free (action);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileAction, file_action_free)

static char *
format_expiry (const GkLink *link)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (link->expires_at);

  /* Translators: a time of day, strftime format */
  return when ? g_date_time_format (when, _("%H:%M")) : g_strdup ("?");
}

static GPtrArray *
tracks_for (FileAction *action)
{
  GPtrArray *tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_igv_track_free);

  g_ptr_array_add (tracks, gk_igv_track_new (action->link->url, action->link->index_url, action->name,
                                             gk_genomic_file_classify (action->name)->igv_format));
  return tracks;
}

/* Inside Flatpak IGV cannot be started: core has saved the session in the
 * app's cache; offer to save a copy where the user wants it (through the
 * FileChooser portal) and say how to open it in IGV. */
typedef struct
{
  GkS3Browser *self;
  GFile *session;
  GError *error;
} SaveSession;

static void
save_session_free (SaveSession *save)
{
  g_clear_object (&save->self);
  g_clear_object (&save->session);
  g_clear_error (&save->error);
  g_free (save);
}

static void
on_session_copied_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SaveSession *save = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_copy_finish (G_FILE (object), result, &error))
    _gk_s3_browser_show_message (save->self, _("Session saved. In IGV, choose File › Open Session… and open it."));
  else
    _gk_s3_browser_show_error (save->self, error);
  save_session_free (save);
}

static void
on_save_session_response_cb (GtkNativeDialog *dialog,
                             int              response,
                             gpointer         user_data)
{
  SaveSession *save = user_data;
  g_autoptr(GFile) target = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    target = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (target == NULL)
    {
      /* Not saved: say why IGV did not open, and where the session is. */
      _gk_s3_browser_show_error (save->self, save->error);
      save_session_free (save);
      return;
    }
  /* The copy holds links: only the user may read it, as the original. */
  g_file_copy_async (save->session, target, G_FILE_COPY_OVERWRITE | G_FILE_COPY_ALL_METADATA,
                     G_PRIORITY_DEFAULT, save->self->action_cancellable, NULL, NULL,
                     on_session_copied_cb, save);
}

static void
offer_to_save_session (GkS3Browser  *self,
                       const char   *session_path,
                       const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  SaveSession *save = g_new0 (SaveSession, 1);

  save->self = g_object_ref (self);
  save->session = g_file_new_for_path (session_path);
  save->error = g_error_copy (error);
  /* GtkFileDialog is GTK 4.10; Debian 12 has 4.8. */
  chooser = gtk_file_chooser_native_new (_("IGV Is Not Running: Save the Session for IGV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save Session"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "igv-session.xml");
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_session_response_cb), save);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_igv_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FileAction) action = user_data;
  GkS3Browser *self = action->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *session_path = NULL;
  g_autofree char *until = NULL;
  g_autofree char *message = NULL;
  GkIgvOpened opened;

  opened = gk_igv_open_tracks_finish (GK_IGV_CLIENT (object), result, &session_path, &error);
  if (opened == GK_IGV_OPENED_NONE)
    {
      if (g_error_matches (error, GK_IGV_ERROR, GK_IGV_ERROR_SANDBOXED) && session_path != NULL)
        offer_to_save_session (self, session_path, error);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gk_s3_browser_show_error (self, error);
      return;
    }

  until = format_expiry (action->link);
  if (action->link->expires_at == 0)
    message = g_strdup (opened == GK_IGV_OPENED_LAUNCHED
                        ? _("IGV started with the file. The link works as long as you stay signed in.")
                        : _("Sent to IGV. The link works as long as you stay signed in."));
  else if (opened == GK_IGV_OPENED_LAUNCHED)
    /* Translators: %s is a time of day */
    message = g_strdup_printf (_("IGV started with the file. The link works until %s."), until);
  else
    /* Translators: %s is a time of day */
    message = g_strdup_printf (_("Sent to IGV. The link works until %s."), until);
  _gk_s3_browser_show_message (self, message);
}

static void
on_link_signed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FileAction) action = user_data;
  GkS3Browser *self = action->self;
  g_autoptr(GError) error = NULL;

  action->link = gk_linker_sign_finish (GK_LINKER (object), result, &error);
  if (action->link == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gk_s3_browser_show_error (self, error);
      return;
    }

  switch (action->to)
    {
    case HAND_TO_CLIPBOARD:
      {
        g_autofree char *text = NULL;
        g_autofree char *until = format_expiry (action->link);
        g_autofree char *message = NULL;

        /* The index link goes on a second line: IGV's "Load from URL" has
         * a field for each, and a derived index URL would break the
         * signature. */
        text = action->link->index_url
          ? g_strconcat (action->link->url, "\n", action->link->index_url, NULL)
          : g_strdup (action->link->url);
        gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
        if (action->link->index_url != NULL)
          /* Translators: %s is a time of day */
          message = g_strdup_printf (_("Link and index link copied, valid until %s"), until);
        else
          /* Translators: %s is a time of day */
          message = g_strdup_printf (_("Link copied, valid until %s"), until);
        _gk_s3_browser_show_message (self, message);
      }
      break;

    case HAND_TO_IGV:
      {
        g_autoptr(GkIgvClient) igv = gk_igv_client_new ((guint16) g_settings_get_int (self->settings, "igv-port"));
        g_autoptr(GPtrArray) tracks = tracks_for (action);

        g_autofree char *command = g_settings_get_string (self->settings, "igv-command");

        /* The same hand-off as `genokey igv`: every link is tried first
         * (IGV answers OK even when it cannot read one), then the tracks go
         * to a running IGV, or IGV starts with a session file. The window
         * offers no file action while signing in, so no sign-in holds the
         * port here. */
        gk_igv_open_tracks_async (igv, NULL, NULL, tracks, command, FALSE,
                                  GK_IGV_DEFAULT_LAUNCH_TIMEOUT_MS, self->action_cancellable,
                                  on_igv_opened_cb, g_steal_pointer (&action));
      }
      break;

    case HAND_TO_IGV_WEB:
      {
        g_autoptr(GPtrArray) tracks = tracks_for (action);
        g_autofree char *url = gk_igv_web_url (NULL, NULL, NULL, tracks, &error);
        GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

        if (url == NULL)
          {
            _gk_s3_browser_show_error (self, error);
            break;
          }
        /* As `genokey igv-web`: igv.org reads the bucket from the page,
         * unless it reads through the gateway, which answers igv.org. */
        if (action->link->kind == GK_LINK_GATEWAY)
          _gk_s3_browser_tell_about_local_access (self, gk_web_viewer_origin (GK_VIEWER_IGV_WEB));
        else
          _gk_s3_browser_check_cors (self, self->bucket, GK_VIEWER_IGV_WEB);
        gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
        _gk_s3_browser_tell_web_viewer_expiry (self, GK_VIEWER_IGV_WEB, action->link->expires_at);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
hand_file (GkS3Browser *self,
           HandTo       to)
{
  GkBrowserItem *item = _gk_s3_browser_selected_item (self);
  g_auto(GStrv) index_names = NULL;
  FileAction *action;

  if (item == NULL || gk_browser_item_is_folder (item) || self->linker == NULL)
    return;
  action = g_new0 (FileAction, 1);
  action->self = g_object_ref (self);
  action->to = to;
  action->name = g_strdup (gk_browser_item_get_name (item));
  /* Core knows which files need an index; sign it along when one does. */
  index_names = gk_genomic_file_index_candidates (gk_browser_item_get_key (item), GK_VIEWER_ANY);
  if (self->action_cancellable == NULL)
    self->action_cancellable = g_cancellable_new ();
  gk_linker_sign_async (to == HAND_TO_CLIPBOARD ? self->linker : _gk_s3_browser_viewer_linker (self),
                        self->bucket, gk_browser_item_get_key (item),
                        _gk_s3_browser_link_lifetime (self, to == HAND_TO_IGV_WEB),
                        index_names != NULL && index_names[0] != NULL ? GK_LINK_WITH_INDEX : GK_LINK_FLAGS_NONE,
                        self->action_cancellable, on_link_signed_cb, action);
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  hand_file (browser_of (widget), HAND_TO_CLIPBOARD);
}

static void
open_in_igv_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  hand_file (browser_of (widget), HAND_TO_IGV);
}

static void
open_in_igv_web_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  hand_file (browser_of (widget), HAND_TO_IGV_WEB);
}

/**
 * _gk_s3_browser_class_add_file_actions:
 *
 * The per-file actions, installed by the class.
 */
void
_gk_s3_browser_class_add_file_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "browser.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "browser.open-in-igv", NULL, open_in_igv_action);
  gtk_widget_class_install_action (widget_class, "browser.open-in-igv-web", NULL, open_in_igv_web_action);
}
