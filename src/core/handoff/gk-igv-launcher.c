/* gk-igv-launcher.c: IGV session files and starting IGV with one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gk-igv-private.h"

#define LAUNCH_POLL_INTERVAL_MS 250

/* Session files */

/* Session and genome files hold signed links (or gateway links, which are
 * capabilities): once a week has passed, every presigned link in them is
 * dead anyway, and the files only keep links lying around. Each write
 * removes the old ones it finds. */
static void
remove_stale_files (const char *dir,
                    gint64      now)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!(g_str_has_prefix (name, "genokey-session-") && g_str_has_suffix (name, ".xml"))
          && !(g_str_has_prefix (name, "genokey-genome-") && g_str_has_suffix (name, ".json")))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode)
          && now - (gint64) st.st_mtime > GK_IGV_CACHE_MAX_AGE_SECONDS)
        g_unlink (path);
    }
}

/* Writes @contents to a new file named after @template in @directory
 * (default a private folder in the user's cache, which a host IGV can read
 * even from inside Flatpak), readable by the user only: it holds links. */
static gboolean
write_private_file (const char  *contents,
                    const char  *directory,
                    const char  *template,
                    char       **out_path,
                    GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gsize length = strlen (contents);
  gsize written = 0;
  int fd;

  dir = directory ? g_strdup (directory)
                  : g_build_filename (g_get_user_cache_dir (), "genokey", "igv-sessions", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder %s for the IGV session: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }

  remove_stale_files (dir, g_get_real_time () / G_USEC_PER_SEC);
  path = g_build_filename (dir, template, NULL);
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the IGV session file in %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  while (written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          g_unlink (path);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write the IGV session file: %s"), g_strerror (saved));
          return FALSE;
        }
      written += n;
    }
  if (close (fd) != 0)
    {
      int saved = errno;

      g_unlink (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write the IGV session file: %s"), g_strerror (saved));
      return FALSE;
    }
  *out_path = g_steal_pointer (&path);
  return TRUE;
}

/**
 * gk_igv_write_session_file:
 * @directory: (nullable): where to write; default a private directory in
 *   the user's cache (readable by a host IGV even from inside Flatpak)
 * @out_path: (out): the new file
 *
 * Writes @xml to a new file only the user can read: it holds signed links.
 */
gboolean
gk_igv_write_session_file (const char  *xml,
                           const char  *directory,
                           char       **out_path,
                           GError     **error)
{
  return write_private_file (xml, directory, "genokey-session-XXXXXX.xml", out_path, error);
}

/**
 * gk_igv_genome_json:
 *
 * Returns: (transfer full): an IGV genome definition for a FASTA and its
 *   .fai given as links
 */
char *
gk_igv_genome_json (const char *name,
                    const char *fasta_url,
                    const char *index_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "fastaURL");
  json_builder_add_string_value (builder, fasta_url);
  json_builder_set_member_name (builder, "indexURL");
  json_builder_add_string_value (builder, index_url);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * gk_igv_write_genome_file:
 *
 * Like gk_igv_write_session_file(), for a genome definition: IGV knows it
 * by its .json name.
 */
gboolean
gk_igv_write_genome_file (const char  *json,
                          const char  *directory,
                          char       **out_path,
                          GError     **error)
{
  return write_private_file (json, directory, "genokey-genome-XXXXXX.json", out_path, error);
}

/**
 * gk_igv_is_sandboxed:
 *
 * Returns: %TRUE inside Flatpak, where IGV (a host program) cannot be run
 */
gboolean
gk_igv_is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/**
 * gk_igv_default_genome:
 *
 * The genome IGV opens by itself: `DEFAULT_GENOME_KEY` in its preferences
 * (~/igv/prefs.properties, a Java properties file), as IGV reads it.
 *
 * Returns: (transfer full) (nullable): a genome id or path, or %NULL when
 *   IGV has no preferences (or names none) here
 */
char *
gk_igv_default_genome (void)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), "igv", "prefs.properties", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  char *found = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *value;
      GString *unescaped;

      if (!g_str_has_prefix (line, "DEFAULT_GENOME_KEY"))
        continue;
      value = line + strlen ("DEFAULT_GENOME_KEY");
      while (*value == ' ' || *value == '\t')
        value++;
      if (*value != '=' && *value != ':')
        continue;
      value++;
      while (*value == ' ' || *value == '\t')
        value++;
      /* Java escapes one character with a backslash (\\, \:, \=). */
      unescaped = g_string_new (NULL);
      for (const char *c = value; *c != '\0'; c++)
        {
          if (*c == '\\' && c[1] != '\0')
            c++;
          g_string_append_c (unescaped, *c);
        }
      g_free (found);
      found = g_string_free (unescaped, FALSE);
    }
  if (found != NULL && found[0] == '\0')
    g_clear_pointer (&found, g_free);
  return found;
}

/* Launching */

typedef struct
{
  GStrv argv;
  guint16 port;
  guint timeout_ms;
} LaunchData;

static void
launch_data_free (LaunchData *data)
{
  g_strfreev (data->argv);
  g_free (data);
}

static void
child_setup (gpointer user_data)
{
  /* Its own session: Ctrl-C in the terminal that ran genokey, or genokey
   * quitting, must not take IGV down with it. */
  setsid ();
}

static void
on_child_exited_cb (GPid     pid,
                    int      status,
                    gpointer user_data)
{
  g_spawn_close_pid (pid);
}

static void
launch_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LaunchData *data = task_data;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) data->timeout_ms * 1000;
  gboolean child_running = TRUE;
  GPid pid;

  if (!g_spawn_async (NULL, data->argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                      | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      child_setup, NULL, &pid, &error))
    {
      g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_LAUNCH_FAILED,
                               _("Could not start IGV with “%s”: %s. Install IGV, or set the "
                                 "command that starts it."), data->argv[0], error->message);
      return;
    }

  for (;;)
    {
      static const char * const echo[] = { "echo", NULL };
      g_autoptr(GError) probe_error = NULL;
      g_auto(GStrv) replies = NULL;
      int status;

      if (child_running && waitpid (pid, &status, WNOHANG) == pid)
        {
          child_running = FALSE;
          g_spawn_close_pid (pid);
          /* A wrapper that hands IGV to another process exits with 0: keep
           * waiting for the port. Anything else is a failure to start. */
          if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
            {
              g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_LAUNCH_FAILED,
                                       _("IGV (“%s”) quit before opening its port (exit status "
                                         "%d). Run it in a terminal to see why."),
                                       data->argv[0],
                                       WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
              return;
            }
        }

      replies = gk_igv_send_commands_sync (data->port, GK_IGV_PROBE_TIMEOUT_MS, echo, cancellable,
                                           &probe_error);
      if (replies != NULL)
        break;
      if (g_error_matches (probe_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (probe_error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_IGV))
        {
          g_task_return_error (task, g_steal_pointer (&probe_error));
          goto out;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_TIMEOUT,
                                   _("IGV started but did not open port %u within %u s. Check "
                                     "View › Preferences › Advanced in IGV: the port must be "
                                     "enabled and set to %u."),
                                   data->port, data->timeout_ms / 1000, data->port);
          goto out;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_task_return_error_if_cancelled (task);
          goto out;
        }
      g_usleep (LAUNCH_POLL_INTERVAL_MS * 1000);
    }

  g_task_return_boolean (task, TRUE);

out:
  /* IGV keeps running after this; reap it whenever it quits. */
  if (child_running)
    g_child_watch_add (pid, on_child_exited_cb, NULL);
}

/**
 * gk_igv_launch_argv:
 * @command_line: (nullable): how to start IGV (default "igv")
 * @session_path: (nullable): a session file for IGV to open
 * @port: the port to open (0 for IGV's default)
 *
 * `--port` goes in always: IGV opens its port only when its preference says
 * so or when it is given `--port`, and a user who turned the preference off
 * would otherwise get an IGV that Genokey waits for in vain.
 *
 * Returns: (transfer full): the command to run, or %NULL with @error
 */
GStrv
gk_igv_launch_argv (const char  *command_line,
                    const char  *session_path,
                    guint16      port,
                    GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *p = g_strdup_printf ("%u", port != 0 ? port : GK_IGV_DEFAULT_PORT);

  if (command_line == NULL || *command_line == '\0')
    command_line = GK_IGV_DEFAULT_COMMAND;
  if (!g_shell_parse_argv (command_line, NULL, &argv, &local_error))
    {
      g_set_error (error, GK_IGV_ERROR, GK_IGV_ERROR_LAUNCH_FAILED,
                   _("The IGV command “%s” cannot be read: %s"),
                   command_line, local_error->message);
      return NULL;
    }
  g_strv_builder_addv (builder, (const char **) argv);
  g_strv_builder_add_many (builder, "--port", p, NULL);
  if (session_path != NULL)
    g_strv_builder_add (builder, session_path);
  return g_strv_builder_end (builder);
}

/**
 * gk_igv_launch_async:
 * @command_line: (nullable): how to start IGV, e.g. "igv" (the default) or
 *   "/opt/IGV_2.19/igv.sh"; the session file is appended
 * @session_path: (nullable): a session file for IGV to open
 * @port: the port IGV listens on (its preference); always passed as `--port`
 * @sign_in_active: %TRUE while a sign-in holds the loopback port; IGV
 *   started then runs without its port, so this refuses
 *
 * Starts IGV and waits until it answers `echo` on @port.
 */
void
gk_igv_launch_async (const char          *command_line,
                     const char          *session_path,
                     guint16              port,
                     gboolean             sign_in_active,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  LaunchData *data;

  g_task_set_source_tag (task, gk_igv_launch_async);
  if (port == 0)
    port = GK_IGV_DEFAULT_PORT;

  if (gk_igv_is_sandboxed ())
    {
      /* The session file is under ~/.var/app/<id>/, which the host sees at
       * the same path. */
      if (session_path != NULL)
        g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_SANDBOXED,
                                 _("Genokey runs inside Flatpak and cannot start IGV. The tracks "
                                   "are saved in the session file %s: open it in IGV with "
                                   "File › Open Session…, or start IGV and open the tracks again."),
                                 session_path);
      else
        g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_SANDBOXED,
                                 _("Genokey runs inside Flatpak and cannot start IGV. Start IGV "
                                   "yourself and open the tracks again, or open the saved session "
                                   "file in IGV (File › Open Session)."));
      return;
    }
  if (sign_in_active)
    {
      g_task_return_new_error (task, GK_IGV_ERROR, GK_IGV_ERROR_SIGN_IN_ACTIVE,
                               _("A sign-in is waiting for the browser on the port IGV also "
                                 "uses; IGV started now would run without its port. Finish or "
                                 "cancel the sign-in, then open in IGV again."));
      return;
    }
  argv = gk_igv_launch_argv (command_line, session_path, port, &error);
  if (argv == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (LaunchData, 1);
  data->argv = g_steal_pointer (&argv);
  data->port = port;
  data->timeout_ms = timeout_ms > 0 ? timeout_ms : GK_IGV_DEFAULT_LAUNCH_TIMEOUT_MS;
  g_task_set_task_data (task, data, (GDestroyNotify) launch_data_free);
  g_task_run_in_thread (task, launch_thread);
}

gboolean
gk_igv_launch_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The whole hand-off */

typedef struct
{
  char *genome;
  char *locus;
  GPtrArray *tracks;
  char *igv_command;
  gboolean sign_in_active;
  guint launch_timeout_ms;
  guint next_link;      /* 2 per track: the file, then its index */
  char *session_path;
  gboolean session_has_genome; /* IGV starts on the session's genome */
  gboolean launched;    /* IGV was started here */
} OpenData;

static void open_check_next (GTask *task);

static void
open_data_free (OpenData *data)
{
  g_free (data->genome);
  g_free (data->locus);
  g_clear_pointer (&data->tracks, g_ptr_array_unref);
  g_free (data->igv_command);
  g_free (data->session_path);
  g_free (data);
}

/* The file name in a link, for messages: never the link itself. */
static char *
link_file_name (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *path = uri ? g_uri_get_path (uri) : NULL;
  const char *slash = path ? strrchr (path, '/') : NULL;

  return g_uri_unescape_string (slash ? slash + 1 : "?", NULL);
}

static void
on_open_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!gk_igv_client_load_finish (GK_IGV_CLIENT (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, data->launched ? GK_IGV_OPENED_LAUNCHED : GK_IGV_OPENED_SENT);
}

static void
on_open_launched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  GkIgvClient *client = g_task_get_source_object (task);
  GError *error = NULL;

  if (!gk_igv_launch_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->launched = TRUE;
  if (data->session_has_genome)
    {
      g_task_return_int (task, GK_IGV_OPENED_LAUNCHED);
      return;
    }
  /* Started without the session (see below): the tracks go over the port,
   * onto the genome IGV opened by itself. */
  gk_igv_client_load_async (client, NULL, data->locus, data->tracks, g_task_get_cancellable (task),
                            on_open_loaded_cb, g_object_ref (task));
}

static void
on_open_probed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkIgvClient *client = GK_IGV_CLIENT (object);
  OpenData *data = g_task_get_task_data (task);
  g_autofree char *xml = NULL;
  g_autofree char *default_genome = NULL;
  const char *genome = data->genome;
  GError *error = NULL;

  if (gk_igv_client_probe_finish (client, result, &error))
    {
      gk_igv_client_load_async (client, data->genome, data->locus, data->tracks,
                                g_task_get_cancellable (task), on_open_loaded_cb, g_object_ref (task));
      return;
    }
  if (!g_error_matches (error, GK_IGV_ERROR, GK_IGV_ERROR_NOT_RUNNING))
    {
      /* Busy, stuck at a dialog, or not IGV: never start a second one. */
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  /* IGV (2.16) started with a session that names no genome loads none of
   * its tracks, and tracks sent over its port while it still opens its
   * default genome are dropped when that genome arrives. So the session
   * names the genome IGV would open by itself, from its preferences. */
  if (genome == NULL)
    genome = default_genome = gk_igv_default_genome ();
  xml = gk_igv_session_xml (genome, data->locus, data->tracks);
  if (!gk_igv_write_session_file (xml, NULL, &data->session_path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* With no genome to name at all (IGV never ran here), IGV starts on its
   * built-in default and is sent the tracks once its port answers; the
   * session file stays for the user to open (Flatpak, or a failed start). */
  data->session_has_genome = genome != NULL;
  gk_igv_launch_async (data->igv_command,
                       (genome != NULL || gk_igv_is_sandboxed ()) ? data->session_path : NULL,
                       gk_igv_client_get_port (client),
                       data->sign_in_active, data->launch_timeout_ms, g_task_get_cancellable (task),
                       on_open_launched_cb, g_object_ref (task));
}

static void
on_open_link_checked_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!gk_igv_check_link_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  open_check_next (task);
}

static void
open_check_next (GTask *task)
{
  OpenData *data = g_task_get_task_data (task);
  GkIgvClient *client = g_task_get_source_object (task);

  while (data->next_link < 2 * data->tracks->len)
    {
      const GkIgvTrack *track = data->tracks->pdata[data->next_link / 2];
      gboolean is_index = data->next_link % 2 == 1;
      const char *url = is_index ? track->index_url : track->url;
      g_autofree char *file = NULL;
      g_autofree char *label = NULL;

      data->next_link++;
      if (url == NULL)
        continue;
      file = link_file_name (url);
      label = is_index ? g_strdup_printf (_("%s (its index %s)"), track->name ? track->name : "?", file)
                       : g_strdup (track->name ? track->name : file);
      gk_igv_check_link_async (gk_igv_client_get_http_session (client), url, label,
                               g_task_get_cancellable (task),
                               on_open_link_checked_cb, g_object_ref (task));
      return;
    }

  gk_igv_client_probe_async (client, g_task_get_cancellable (task), on_open_probed_cb,
                             g_object_ref (task));
}

/**
 * gk_igv_open_tracks_async:
 * @genome: (nullable): genome id or path (for `genome`, or the session)
 * @locus: (nullable): where to go
 * @tracks: (element-type GkIgvTrack): signed links
 * @igv_command: (nullable): how to start IGV (default "igv")
 * @sign_in_active: %TRUE while a sign-in holds the loopback port
 *
 * Reads one byte through every link and index (IGV answers OK to a load
 * that failed), then sends the tracks to IGV on @client's port; when no IGV
 * listens there, writes a private session file and starts IGV with it.
 */
void
gk_igv_open_tracks_async (GkIgvClient         *client,
                          const char          *genome,
                          const char          *locus,
                          GPtrArray           *tracks,
                          const char          *igv_command,
                          gboolean             sign_in_active,
                          guint                launch_timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  OpenData *data = g_new0 (OpenData, 1);
  GError *error = NULL;

  g_return_if_fail (GK_IS_IGV_CLIENT (client));
  g_return_if_fail (tracks != NULL);

  g_task_set_source_tag (task, gk_igv_open_tracks_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  /* Refused before any link is checked or IGV started. */
  if (!gk_igv_argument_is_valid (genome, _("The genome"), &error)
      || !gk_igv_argument_is_valid (locus, _("The locus"), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->genome = g_strdup (genome);
  data->locus = g_strdup (locus);
  data->tracks = g_ptr_array_ref (tracks);
  data->igv_command = g_strdup (igv_command);
  data->sign_in_active = sign_in_active;
  data->launch_timeout_ms = launch_timeout_ms;
  open_check_next (task);
}

/**
 * gk_igv_open_tracks_finish:
 * @session_path: (out) (optional) (nullable): the session file, when one
 *   was written (also when IGV then could not be started, so the user can
 *   open it)
 *
 * Returns: how the tracks reached IGV, or %GK_IGV_OPENED_NONE with @error
 */
GkIgvOpened
gk_igv_open_tracks_finish (GkIgvClient   *client,
                           GAsyncResult  *result,
                           char         **session_path,
                           GError       **error)
{
  OpenData *data;
  gssize opened;

  g_return_val_if_fail (g_task_is_valid (result, client), GK_IGV_OPENED_NONE);
  data = g_task_get_task_data (G_TASK (result));
  if (session_path != NULL)
    *session_path = g_strdup (data->session_path);
  opened = g_task_propagate_int (G_TASK (result), error);
  return opened < 0 ? GK_IGV_OPENED_NONE : (GkIgvOpened) opened;
}
