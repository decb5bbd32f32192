/* gk-igv.c: IGV's batch port, session files and launcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-http.h"
#include "gk-igv-private.h"

/* IGV's replies are short; anything longer is not IGV. */
#define MAX_REPLY_LENGTH 65536

struct _GkIgvClient
{
  GObject parent_instance;

  guint16 port;
  guint timeout_ms;
  SoupSession *http;  /* for checking links, made when first needed */
};

G_DEFINE_FINAL_TYPE (GkIgvClient, gk_igv_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-igv-error-quark, gk_igv_error)

/* Tracks */

GkIgvTrack *
gk_igv_track_new (const char *url,
                  const char *index_url,
                  const char *name,
                  const char *format)
{
  GkIgvTrack *track = g_new0 (GkIgvTrack, 1);

  g_return_val_if_fail (url != NULL, NULL);

  track->url = g_strdup (url);
  track->index_url = g_strdup (index_url);
  track->name = g_strdup (name);
  track->format = g_strdup (format);
  return track;
}

void
gk_igv_track_free (GkIgvTrack *track)
{
  if (track == NULL)
    return;
  g_free (track->url);
  g_free (track->index_url);
  g_free (track->name);
  g_free (track->format);
  g_free (track);
}

/* How IGV's port reads a command line (CommandExecutor, 2.16 and later):
 * it splits the line on spaces but keeps a double-quoted value whole, and
 * only strips the quotes from it. Every *unquoted* value that looks like a
 * URL goes through Java's URLDecoder (`+` becomes a space, %xx is decoded,
 * so S3 is asked for another key) and file lists are split on commas. So
 * each value goes in double quotes. A quote cannot be escaped inside one,
 * and a line break ends the command: a link holding either is refused
 * (signed links never do: SigV4 percent-encodes them), a name gets them
 * replaced. */
static gboolean
quotable (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if (*p == '"' || *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static char *
quotable_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    g_string_append_c (out, *p == '"' ? '\'' : (*p < 0x20 || *p == 0x7f) ? '_' : (char) *p);
  return g_string_free (out, FALSE);
}

/**
 * gk_igv_load_command:
 *
 * Returns: (transfer full) (nullable): the `load` batch command for @track,
 *   `load "URL" index="URL" name="NAME" format=FORMAT`, or %NULL when a link
 *   holds a quote or a control character and cannot be sent
 */
char *
gk_igv_load_command (const GkIgvTrack *track)
{
  GString *command;

  if (!quotable (track->url) || (track->index_url != NULL && !quotable (track->index_url)))
    return NULL;

  command = g_string_new ("load \"");
  g_string_append (command, track->url);
  g_string_append_c (command, '"');
  if (track->index_url != NULL)
    g_string_append_printf (command, " index=\"%s\"", track->index_url);
  if (track->name != NULL && *track->name != '\0')
    {
      g_autofree char *name = quotable_name (track->name);

      g_string_append_printf (command, " name=\"%s\"", name);
    }
  if (track->format != NULL)
    g_string_append_printf (command, " format=%s", track->format);
  return g_string_free (command, FALSE);
}

/**
 * gk_igv_argument_is_valid:
 * @what: what @value is, for the message ("--locus", "the genome")
 *
 * A genome or locus goes to IGV's port quoted, on one line: a line break
 * would start a command of its own (`saveSession` anywhere, `exit`), so
 * control characters and quotes are refused.
 */
gboolean
gk_igv_argument_is_valid (const char  *value,
                          const char  *what,
                          GError     **error)
{
  if (value != NULL && (!quotable (value) || *value == '\0'))
    {
      g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_INVALID,
                   _("%s holds a line break, another control character or a double quote, "
                     "which IGV cannot take. Give it without them."), what);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_igv_session_xml:
 * @genome: (nullable): a genome id ("hg38") or path
 * @locus: (nullable): the initial locus
 * @tracks: (element-type GkIgvTrack)
 *
 * Returns: (transfer full): an IGV session (version 8) holding @tracks
 */
char *
gk_igv_session_xml (const char *genome,
                    const char *locus,
                    GPtrArray  *tracks)
{
  GString *xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<Session");

  /* g_markup_escape_text() turns & into &amp; (signed links are full of
   * them), and quotes into entities, so values stay inside their attribute. */
  if (genome != NULL)
    {
      g_autofree char *v = g_markup_escape_text (genome, -1);

      g_string_append_printf (xml, " genome=\"%s\"", v);
    }
  if (locus != NULL)
    {
      g_autofree char *v = g_markup_escape_text (locus, -1);

      g_string_append_printf (xml, " locus=\"%s\"", v);
    }
  g_string_append (xml, " version=\"8\">\n  <Resources>\n");
  for (guint i = 0; tracks != NULL && i < tracks->len; i++)
    {
      const GkIgvTrack *track = tracks->pdata[i];
      g_autofree char *path = g_markup_escape_text (track->url, -1);

      g_string_append_printf (xml, "    <Resource path=\"%s\"", path);
      if (track->index_url != NULL)
        {
          g_autofree char *v = g_markup_escape_text (track->index_url, -1);

          g_string_append_printf (xml, " index=\"%s\"", v);
        }
      if (track->name != NULL)
        {
          g_autofree char *v = g_markup_escape_text (track->name, -1);

          g_string_append_printf (xml, " name=\"%s\"", v);
        }
      /* IGV's session reader takes a resource's format from "type"; it
       * ignores "format". */
      if (track->format != NULL)
        {
          g_autofree char *v = g_markup_escape_text (track->format, -1);

          g_string_append_printf (xml, " type=\"%s\"", v);
        }
      g_string_append (xml, "/>\n");
    }
  g_string_append (xml, "  </Resources>\n</Session>\n");
  return g_string_free (xml, FALSE);
}

/**
 * gk_igv_redact_reply:
 *
 * IGV's error texts may quote the file they failed on — a signed link.
 * Every word that looks like a link or a signature parameter is replaced.
 * Whatever holds the port may send any bytes; what is not UTF-8 becomes
 * U+FFFD, since an error that is not UTF-8 cannot be shown.
 *
 * Returns: (transfer full): @reply fit for an error message
 */
char *
gk_igv_redact_reply (const char *reply)
{
  g_autofree char *text = g_utf8_make_valid (reply, -1);
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (words[i], "://") != NULL || strstr (words[i], "X-Amz-") != NULL
        || strstr (words[i], "x-amz-") != NULL)
      {
        g_free (words[i]);
        words[i] = g_strdup ("[link]");
      }
  return g_strjoinv (" ", words);
}

static char *
command_verb (const char *command)
{
  const char *space = strchr (command, ' ');

  return space ? g_strndup (command, space - command) : g_strdup (command);
}

/* Commands that answer exactly "OK" when they worked. */
static gboolean
verb_answers_ok (const char *verb)
{
  static const char * const verbs[] = {
    "load", "genome", "goto", "tofront", "new", "snapshot", "snapshotDirectory",
    "region", "maxPanelHeight", "collapse", "expand", "squish", "sort", NULL
  };

  return g_strv_contains (verbs, verb);
}

/**
 * gk_igv_check_reply:
 *
 * Judges IGV's reply line (without its newline) to @command.
 *
 * Returns: %TRUE when it says the command worked
 */
gboolean
gk_igv_check_reply (const char  *command,
                    const char  *reply,
                    GError     **error)
{
  g_autofree char *verb = command_verb (command);

  /* IGV 2.16 spells it "UNKOWN COMMAND: x"; current IGV "UNKNOWN COMMAND". */
  if (g_str_has_prefix (reply, "UNKOWN COMMAND") || g_str_has_prefix (reply, "UNKNOWN COMMAND"))
    {
      g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_UNKNOWN_COMMAND,
                   _("IGV does not know the command “%s”. Update IGV to version 2.11 or later."),
                   verb);
      return FALSE;
    }
  if (g_str_equal (verb, "echo"))
    {
      if (g_str_equal (reply, "echo"))
        return TRUE;
      g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_IGV,
                   _("The program listening on IGV’s port does not answer like IGV. "
                     "Quit it, or set the port IGV uses (IGV: View › Preferences › Advanced)."));
      return FALSE;
    }
  if (g_ascii_strncasecmp (reply, "error", 5) == 0
      || (verb_answers_ok (verb) && !g_str_equal (reply, "OK")))
    {
      g_autofree char *redacted = gk_igv_redact_reply (reply);

      g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_FAILED,
                   _("IGV could not run “%s”: %s"), verb, redacted);
      return FALSE;
    }
  return TRUE;
}

/* The blocking conversation, run in a worker thread */

typedef struct
{
  guint16 port;
  guint timeout_ms;
  GStrv commands;
} SendData;

static void
send_data_free (SendData *data)
{
  g_strfreev (data->commands);
  g_free (data);
}

static void
set_not_running_error (GError  **error,
                       guint16   port)
{
  g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_RUNNING,
               _("IGV is not running, or its port %u is off. Start IGV, or turn on "
                 "View › Preferences › Advanced › Enable port in IGV."), port);
}

static GSocketConnection *
connect_to_igv (guint16        port,
                guint          timeout_ms,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local_error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, MAX (1, (timeout_ms + 999) / 1000));
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, cancellable,
                                                &local_error);
  if (connection != NULL)
    return connection;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_TIMEOUT,
                 _("IGV’s port %u did not accept a connection in time. IGV may be busy or "
                   "showing a dialog: check its window."), port);
  else
    set_not_running_error (error, port);
  return NULL;
}

/**
 * gk_igv_take_reply_line:
 * @buffer: what has come from IGV's port so far; the line is removed
 *
 * Returns: (transfer full) (nullable): the first whole line, without its
 *   line end; %NULL when none has come yet, or with @error when what came
 *   is too long to be a reply of IGV's
 */
char *
gk_igv_take_reply_line (GString  *buffer,
                        GError  **error)
{
  const char *newline = memchr (buffer->str, '\n', buffer->len);

  if (newline != NULL)
    {
      gsize length = newline - buffer->str;
      char *line = g_strndup (buffer->str, length);

      g_string_erase (buffer, 0, length + 1);
      g_strchomp (line); /* "\r\n" too */
      return line;
    }
  if (buffer->len > MAX_REPLY_LENGTH)
    g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_IGV,
                 _("The program on IGV’s port sent a reply that is too long to be IGV’s."));
  return NULL;
}

/* Reads one line from @socket, keeping what follows it in @buffer. */
static char *
read_reply_line (GSocket       *socket,
                 GString       *buffer,
                 gint64         deadline,
                 const char    *verb,
                 GCancellable  *cancellable,
                 GError       **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      char chunk[4096];
      gssize n;
      gint64 remaining;

      char *line = gk_igv_take_reply_line (buffer, &local_error);

      if (line != NULL)
        return line;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      remaining = deadline - g_get_monotonic_time ();
      if (remaining <= 0
          || !g_socket_condition_timed_wait (socket, G_IO_IN, remaining, cancellable, &local_error))
        {
          if (local_error != NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_TIMEOUT,
                       _("IGV did not answer “%s” in time. It may be busy loading or showing a "
                         "dialog: check the IGV window, then try again."), verb);
          return NULL;
        }

      n = g_socket_receive (socket, chunk, sizeof chunk, cancellable, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            continue;
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          n = 0;
        }
      if (n == 0)
        {
          g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_DISCONNECTED,
                       _("IGV closed the connection before answering “%s”. It may have quit or "
                         "failed; check the IGV window."), verb);
          return NULL;
        }
      g_string_append_len (buffer, chunk, n);
    }
}

/* Also used by the launcher, from its worker thread. */
GStrv
gk_igv_send_commands_sync (guint16              port,
                           guint                timeout_ms,
                           const char * const  *commands,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GStrvBuilder) replies = g_strv_builder_new ();
  g_autoptr(GString) buffer = g_string_new (NULL);
  GOutputStream *out;
  GSocket *socket;

  connection = connect_to_igv (port, timeout_ms, cancellable, error);
  if (connection == NULL)
    return NULL;
  socket = g_socket_connection_get_socket (connection);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  /* One command, then its reply, then the next: IGV handles a connection's
   * lines in order but a reply read late belongs to the wrong command. */
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *verb = command_verb (commands[i]);
      g_autofree char *line = g_strconcat (commands[i], "\n", NULL);
      g_autofree char *reply = NULL;
      gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

      if (!g_output_stream_write_all (out, line, strlen (line), NULL, cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_DISCONNECTED,
                         _("IGV closed the connection before “%s” could be sent. It may have "
                           "quit; check the IGV window."), verb);
          return NULL;
        }
      reply = read_reply_line (socket, buffer, deadline, verb, cancellable, error);
      if (reply == NULL)
        return NULL;
      if (!gk_igv_check_reply (commands[i], reply, error))
        return NULL;
      g_strv_builder_add (replies, reply);
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return g_strv_builder_end (replies);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *data = task_data;
  GError *error = NULL;
  GStrv replies;

  replies = gk_igv_send_commands_sync (data->port, data->timeout_ms,
                                       (const char * const *) data->commands, cancellable, &error);
  if (replies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, replies, (GDestroyNotify) g_strfreev);
}

/* GObject */

static void
gk_igv_client_dispose (GObject *object)
{
  GkIgvClient *self = GK_IGV_CLIENT (object);

  g_clear_object (&self->http);

  G_OBJECT_CLASS (gk_igv_client_parent_class)->dispose (object);
}

static void
gk_igv_client_class_init (GkIgvClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_igv_client_dispose;
}

static void
gk_igv_client_init (GkIgvClient *self)
{
  self->port = GK_IGV_DEFAULT_PORT;
  self->timeout_ms = GK_IGV_DEFAULT_TIMEOUT_MS;
}

/* Public API */

GkIgvClient *
gk_igv_client_new (guint16 port)
{
  GkIgvClient *self = g_object_new (GK_TYPE_IGV_CLIENT, NULL);

  self->port = port != 0 ? port : GK_IGV_DEFAULT_PORT;
  return self;
}

guint16
gk_igv_client_get_port (GkIgvClient *self)
{
  g_return_val_if_fail (GK_IS_IGV_CLIENT (self), 0);
  return self->port;
}

/**
 * gk_igv_client_set_timeout:
 *
 * Sets how long to wait for each reply (and for the connection).
 */
void
gk_igv_client_set_timeout (GkIgvClient *self,
                           guint        timeout_ms)
{
  g_return_if_fail (GK_IS_IGV_CLIENT (self));
  self->timeout_ms = timeout_ms > 0 ? timeout_ms : GK_IGV_DEFAULT_TIMEOUT_MS;
}

guint
gk_igv_client_get_timeout (GkIgvClient *self)
{
  g_return_val_if_fail (GK_IS_IGV_CLIENT (self), 0);
  return self->timeout_ms;
}

/**
 * gk_igv_client_get_http_session:
 *
 * The session every link is checked with before it goes to IGV
 * (gk_igv_open_tracks_async()): Genokey's own (gk_http_session_new()), so a
 * stalled server ends the check with an error instead of a hang, and one
 * for all the checks, so they share connections.
 *
 * Returns: (transfer none): the session
 */
SoupSession *
gk_igv_client_get_http_session (GkIgvClient *self)
{
  g_return_val_if_fail (GK_IS_IGV_CLIENT (self), NULL);

  if (self->http == NULL)
    self->http = gk_http_session_new ();
  return self->http;
}

static void
start_send (GkIgvClient         *self,
            const char * const  *commands,
            guint                timeout_ms,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SendData *data = g_new0 (SendData, 1);

  g_task_set_source_tag (task, source_tag);
  data->port = self->port;
  data->timeout_ms = timeout_ms;
  data->commands = g_strdupv ((char **) commands);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_thread);
}

/**
 * gk_igv_client_probe_async:
 *
 * Asks IGV `echo` on its port: finishes with %GK_IGV_ERROR_NOT_RUNNING when
 * nothing listens, %GK_IGV_ERROR_TIMEOUT when IGV is stuck and
 * %GK_IGV_ERROR_NOT_IGV when another program holds the port.
 */
void
gk_igv_client_probe_async (GkIgvClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  static const char * const commands[] = { "echo", NULL };

  g_return_if_fail (GK_IS_IGV_CLIENT (self));
  start_send (self, commands, MIN (self->timeout_ms, GK_IGV_PROBE_TIMEOUT_MS),
              gk_igv_client_probe_async, cancellable, callback, user_data);
}

gboolean
gk_igv_client_probe_finish (GkIgvClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_auto(GStrv) replies = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  replies = g_task_propagate_pointer (G_TASK (result), error);
  return replies != NULL;
}

/**
 * gk_igv_client_send_async:
 * @commands: batch commands, sent one at a time, each reply read and checked
 *   before the next
 */
void
gk_igv_client_send_async (GkIgvClient         *self,
                          const char * const  *commands,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (GK_IS_IGV_CLIENT (self));
  g_return_if_fail (commands != NULL);
  start_send (self, commands, self->timeout_ms, gk_igv_client_send_async, cancellable,
              callback, user_data);
}

/**
 * gk_igv_client_send_finish:
 *
 * Returns: (transfer full): the reply line to each command
 */
GStrv
gk_igv_client_send_finish (GkIgvClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_igv_client_load_async:
 * @genome: (nullable): genome id or path to switch to first
 * @locus: (nullable): where to go afterwards
 * @tracks: (element-type GkIgvTrack): links already checked to work — IGV
 *   answers `load` with OK even when it failed to read the file
 *
 * Sends `echo` (so no link goes to a program that is not IGV), `genome`,
 * one `load` per track, `goto` and `tofront`.
 */
void
gk_igv_client_load_async (GkIgvClient         *self,
                          const char          *genome,
                          const char          *locus,
                          GPtrArray           *tracks,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) commands = NULL;
  GError *error = NULL;

  g_return_if_fail (GK_IS_IGV_CLIENT (self));
  g_return_if_fail (tracks != NULL);

  if (!gk_igv_argument_is_valid (genome, _("The genome"), &error)
      || !gk_igv_argument_is_valid (locus, _("The locus"), &error))
    {
      g_task_report_error (self, callback, user_data, gk_igv_client_load_async,
                           g_steal_pointer (&error));
      return;
    }

  g_strv_builder_add (builder, "echo");
  if (genome != NULL)
    {
      /* Quoted: the path Genokey writes for a lab's own genome lies in the
       * cache folder, which may hold a space. */
      g_autofree char *command = g_strdup_printf ("genome \"%s\"", genome);

      g_strv_builder_add (builder, command);
    }
  for (guint i = 0; i < tracks->len; i++)
    {
      g_autofree char *command = gk_igv_load_command (tracks->pdata[i]);

      if (command == NULL)
        {
          const GkIgvTrack *track = tracks->pdata[i];

          g_task_report_new_error (self, callback, user_data, gk_igv_client_load_async,
                                   GK_IGV_ERROR, GK_IGV_ERROR_INVALID,
                                   _("The link for “%s” holds a double quote or a control "
                                     "character, which IGV’s port cannot take."),
                                   track->name ? track->name : "?");
          return;
        }
      g_strv_builder_add (builder, command);
    }
  if (locus != NULL)
    {
      g_autofree char *command = g_strdup_printf ("goto \"%s\"", locus);

      g_strv_builder_add (builder, command);
    }
  g_strv_builder_add (builder, "tofront");
  commands = g_strv_builder_end (builder);

  start_send (self, (const char * const *) commands, self->timeout_ms, gk_igv_client_load_async,
              cancellable, callback, user_data);
}

gboolean
gk_igv_client_load_finish (GkIgvClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_auto(GStrv) replies = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  replies = g_task_propagate_pointer (G_TASK (result), error);
  return replies != NULL;
}

/* Link checks */

static char *
s3_error_code (GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = data ? g_strndup (data, MIN (size, 4096)) : NULL;
  const char *start, *end;

  if (text == NULL || (start = strstr (text, "<Code>")) == NULL)
    return NULL;
  start += strlen ("<Code>");
  end = strstr (start, "</Code>");
  if (end == NULL || end - start > 64)
    return NULL;
  return g_strndup (start, end - start);
}

static void
link_error_from_status (GTask  *task,
                        guint   status,
                        GBytes *body)
{
  const char *label = g_object_get_data (G_OBJECT (task), "label");
  g_autofree char *code = s3_error_code (body);

  g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_LINK_BROKEN,
                           _("The link for “%s” does not work (HTTP %u%s%s). %s"),
                           label, status, code ? ", " : "", code ? code : "",
                           status == SOUP_STATUS_NOT_FOUND ? _("Check that the file exists.")
                           : status == SOUP_STATUS_FORBIDDEN ? _("Check that your role may read it and that you are signed in.")
                           : _("Try again later."));
}

static void
on_check_link_body_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  g_input_stream_close (G_INPUT_STREAM (object), NULL, NULL);
  link_error_from_status (task, soup_message_get_status (message), body);
}

static void
on_check_link_sent_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  const char *label = g_object_get_data (G_OBJECT (task), "label");
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_LINK_BROKEN,
                                 _("The link for “%s” could not be reached: %s"),
                                 label, error->message);
      return;
    }

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_PARTIAL_CONTENT || status == SOUP_STATUS_OK)
    {
      /* A server that ignores Range would send the whole file: stop here. */
      g_input_stream_close (stream, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* S3 says why in a short XML body. */
  g_input_stream_read_bytes_async (stream, 4096, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   on_check_link_body_cb, g_object_ref (task));
}

/**
 * gk_igv_check_link_async:
 *
 * Reads the first byte of @url. Genome browsers cannot say why a track
 * stays empty, so each link and index is tried before it is handed over.
 */
void
gk_igv_check_link_async (SoupSession         *session,
                         const char          *url,
                         const char          *label,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessage *message;

  g_task_set_source_tag (task, gk_igv_check_link_async);
  g_object_set_data_full (G_OBJECT (task), "label", g_strdup (label ? label : "?"), g_free);
  if (session == NULL)
    {
      session = gk_http_session_new ();
      g_object_set_data_full (G_OBJECT (task), "session", session, g_object_unref);
    }

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_INVALID,
                               _("The link for “%s” is not a valid URL."), label);
      return;
    }
  message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_headers_set_range (soup_message_get_request_headers (message), 0, 0);
  g_task_set_task_data (task, message, g_object_unref);
  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, cancellable,
                           on_check_link_sent_cb, g_object_ref (task));
}

gboolean
gk_igv_check_link_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
