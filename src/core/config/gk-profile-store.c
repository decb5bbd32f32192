/* gk-profile-store.c
 *
 * Profiles are not secret: one JSON file each, as imported, under
 * $XDG_CONFIG_HOME/genokey/profiles/. Secrets (refresh token, credentials)
 * are in the keyring, keyed by the profile name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-http.h"
#include "gk-profile-import.h"
#include "gk-profile-store.h"

#define PROFILE_SUFFIX ".json"
#define MAX_DOWNLOAD (1024 * 1024)

struct _GkProfileStore
{
  GObject parent_instance;

  char *directory;     /* …/genokey */
  char *profiles_dir;  /* …/genokey/profiles */
  SoupSession *soup;   /* for provisioning URLs, created on first use */
};

G_DEFINE_FINAL_TYPE (GkProfileStore, gk_profile_store, G_TYPE_OBJECT)

static char *
profile_path (GkProfileStore *self,
              const char     *name)
{
  g_autofree char *file = g_strconcat (name, PROFILE_SUFFIX, NULL);

  return g_build_filename (self->profiles_dir, file, NULL);
}

static char *
state_path (GkProfileStore *self)
{
  return g_build_filename (self->directory, "state.ini", NULL);
}

static gboolean
ensure_directory (GkProfileStore  *self,
                  GError         **error)
{
  if (g_mkdir_with_parents (self->profiles_dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot create the folder %s for profiles: %s. Check its permissions."),
                   self->profiles_dir, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/* The messages say what is wrong; the faces say how to go on in their own
 * terms (a command's options, the window's fields), reading the profile
 * name from the error. */
static void
set_not_found (GError     **error,
               const char  *name)
{
  if (error == NULL)
    return;
  g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND,
               _("There is no profile “%s”."), name);
  gk_profile_error_set_profile (*error, name);
}

static void
set_exists (GError     **error,
            const char  *name)
{
  if (error == NULL)
    return;
  g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_EXISTS,
               _("A profile called “%s” exists already."), name);
  gk_profile_error_set_profile (*error, name);
}

static gint
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  return g_strcmp0 (gk_profile_get_name (*(GkProfile **) a),
                    gk_profile_get_name (*(GkProfile **) b));
}

static GkProfile *
load_file (const char  *path,
           const char  *name,
           GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  profiles = gk_profile_import_parse (bytes, name, error);
  if (profiles == NULL)
    {
      g_prefix_error (error, _("The saved profile “%s” (%s) is not valid: "), name, path);
      if (error != NULL && (*error)->domain == GK_PROFILE_ERROR)
        gk_profile_error_set_profile (*error, name);
      return NULL;
    }
  if (profiles->len != 1)
    {
      g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                   _("The saved profile “%s” (%s) holds several configurations. Remove it and import them again."),
                   name, path);
      return NULL;
    }
  return g_object_ref (profiles->pdata[0]);
}

static void
gk_profile_store_finalize (GObject *object)
{
  GkProfileStore *self = GK_PROFILE_STORE (object);

  g_clear_object (&self->soup);
  g_free (self->directory);
  g_free (self->profiles_dir);

  G_OBJECT_CLASS (gk_profile_store_parent_class)->finalize (object);
}

static void
gk_profile_store_class_init (GkProfileStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_profile_store_finalize;
}

static void
gk_profile_store_init (GkProfileStore *self)
{
}

/**
 * gk_profile_store_new:
 * @directory: (nullable): where to keep profiles; %NULL for
 *   `$XDG_CONFIG_HOME/genokey` (inside Flatpak, the app's own config folder)
 */
GkProfileStore *
gk_profile_store_new (const char *directory)
{
  GkProfileStore *self = g_object_new (GK_TYPE_PROFILE_STORE, NULL);

  self->directory = directory
    ? g_strdup (directory) : g_build_filename (g_get_user_config_dir (), "genokey", NULL);
  self->profiles_dir = g_build_filename (self->directory, "profiles", NULL);
  return self;
}

const char *
gk_profile_store_get_directory (GkProfileStore *self)
{
  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), NULL);
  return self->directory;
}

/**
 * gk_profile_store_list:
 *
 * Profiles that fail to load are skipped with a warning, so one broken file
 * does not hide the others; gk_profile_store_load() reports its error.
 *
 * Returns: (transfer full) (element-type GkProfile): the profiles, by name
 */
GPtrArray *
gk_profile_store_list (GkProfileStore  *self,
                       GError         **error)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *entry;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), NULL);

  dir = g_dir_open (self->profiles_dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&profiles);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GkProfile) profile = NULL;
      g_autoptr(GError) load_error = NULL;

      if (!g_str_has_suffix (entry, PROFILE_SUFFIX))
        continue;
      name = g_strndup (entry, strlen (entry) - strlen (PROFILE_SUFFIX));
      if (!gk_profile_name_is_valid (name))
        continue;
      path = g_build_filename (self->profiles_dir, entry, NULL);
      profile = load_file (path, name, &load_error);
      if (profile == NULL)
        {
          g_warning ("%s", load_error->message);
          continue;
        }
      g_ptr_array_add (profiles, g_steal_pointer (&profile));
    }
  g_ptr_array_sort (profiles, compare_profiles);
  return g_steal_pointer (&profiles);
}

/**
 * gk_profile_store_load:
 *
 * Returns: (transfer full): the profile called @name
 */
GkProfile *
gk_profile_store_load (GkProfileStore  *self,
                       const char      *name,
                       GError         **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  path = gk_profile_name_is_valid (name) ? profile_path (self, name) : NULL;
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      set_not_found (error, name);
      return NULL;
    }
  return load_file (path, name, error);
}

/**
 * gk_profile_store_resolve:
 * @name: (nullable): the profile asked for, or %NULL for the default
 *
 * The default is the only profile, else the one used last.
 *
 * Returns: (transfer full): the profile
 */
GkProfile *
gk_profile_store_resolve (GkProfileStore  *self,
                          const char      *name,
                          GError         **error)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GString) names = NULL;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), NULL);

  if (name != NULL)
    return gk_profile_store_load (self, name, error);

  profiles = gk_profile_store_list (self, error);
  if (profiles == NULL)
    return NULL;
  if (profiles->len == 1)
    return g_object_ref (profiles->pdata[0]);
  if (profiles->len == 0)
    {
      /* NOT_FOUND without a profile name: there is none at all. */
      g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND,
                   _("No profile is set up yet."));
      return NULL;
    }

  last = gk_profile_store_dup_last_used (self);
  for (guint i = 0; last != NULL && i < profiles->len; i++)
    if (g_str_equal (gk_profile_get_name (profiles->pdata[i]), last))
      return g_object_ref (profiles->pdata[i]);

  names = g_string_new (NULL);
  for (guint i = 0; i < profiles->len; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", gk_profile_get_name (profiles->pdata[i]));
  g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_AMBIGUOUS,
               _("There are several profiles (%s), and none was chosen."), names->str);
  return NULL;
}

/**
 * gk_profile_store_save:
 * @replace: whether an existing profile of the same name may be replaced
 */
gboolean
gk_profile_store_save (GkProfileStore  *self,
                       GkProfile       *profile,
                       gboolean         replace,
                       GError         **error)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (GK_IS_PROFILE (profile), FALSE);

  if (!ensure_directory (self, error))
    return FALSE;

  path = profile_path (self, gk_profile_get_name (profile));
  if (!replace && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      set_exists (error, gk_profile_get_name (profile));
      return FALSE;
    }

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, gk_profile_to_json (profile));
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  /* A profile may carry a confidential client's secret, so keep it private.
   * g_file_set_contents() writes a temporary file and renames it, so a crash
   * never leaves half a profile. */
  return g_file_set_contents_full (path, text, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0600, error);
}

/**
 * gk_profile_store_save_learned_issuer:
 * @name: the saved profile that learned its user pool
 * @issuer: the issuer it learned, verified (gk_profile_learn_issuer())
 *
 * Adds `aws_cognito_pool_id` to the saved profile, so that later runs and
 * other processes use the issuer instead of learning it again. The file is
 * read again rather than written from memory, so every other key stays as
 * it is on disk, and replaced in one rename. A profile that meanwhile names
 * another user pool is left alone, with an error.
 *
 * Returns: %TRUE when the saved profile holds @issuer
 */
gboolean
gk_profile_store_save_learned_issuer (GkProfileStore  *self,
                                      const char      *name,
                                      const char      *issuer,
                                      GError         **error)
{
  g_autoptr(GkProfile) saved = NULL;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (issuer != NULL, FALSE);

  saved = gk_profile_store_load (self, name, error);
  if (saved == NULL)
    return FALSE;
  /* Another process's sign-in got there first. */
  if (g_strcmp0 (gk_profile_get_issuer (saved), issuer) == 0)
    return TRUE;
  return gk_profile_learn_issuer (saved, issuer, error)
         && gk_profile_store_save (self, saved, TRUE, error);
}

gboolean
gk_profile_store_remove (GkProfileStore  *self,
                         const char      *name,
                         GError         **error)
{
  g_autofree char *path = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), FALSE);

  if (!gk_profile_name_is_valid (name)
      || !g_file_test ((path = profile_path (self, name)), G_FILE_TEST_EXISTS))
    {
      set_not_found (error, name);
      return FALSE;
    }
  if (g_unlink (path) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot remove %s: %s"), path, g_strerror (errsv));
      return FALSE;
    }

  last = gk_profile_store_dup_last_used (self);
  if (g_strcmp0 (last, name) == 0)
    gk_profile_store_set_last_used (self, NULL);
  return TRUE;
}

/**
 * gk_profile_store_dup_last_used:
 *
 * Returns: (transfer full) (nullable): the profile used last
 */
char *
gk_profile_store_dup_last_used (GkProfileStore *self)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = state_path (self);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_key_file_get_string (keyfile, "profiles", "last-used", NULL);
}

/**
 * gk_profile_store_set_last_used:
 * @name: (nullable): the profile, or %NULL to forget
 *
 * Best effort: failing to remember the choice is not worth an error.
 */
void
gk_profile_store_set_last_used (GkProfileStore *self,
                                const char     *name)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = state_path (self);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GK_IS_PROFILE_STORE (self));

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  if (name != NULL)
    g_key_file_set_string (keyfile, "profiles", "last-used", name);
  else
    g_key_file_remove_key (keyfile, "profiles", "last-used", NULL);
  if (!ensure_directory (self, &error) || !g_key_file_save_to_file (keyfile, path, &error))
    g_debug ("Could not remember the last used profile: %s", error->message);
}

/**
 * gk_profile_store_import_bytes:
 * @data: an oauth-config.json (one object or a list), plain or gzip
 * @name: (nullable): the name for the profile
 *
 * Validates everything before saving anything: a list with one bad entry
 * imports nothing.
 *
 * Returns: (transfer full) (element-type GkProfile): the saved profiles
 */
GPtrArray *
gk_profile_store_import_bytes (GkProfileStore  *self,
                               GBytes          *data,
                               const char      *name,
                               gboolean         replace,
                               GError         **error)
{
  g_autoptr(GPtrArray) profiles = NULL;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), NULL);

  profiles = gk_profile_import_parse (data, name, error);
  if (profiles == NULL)
    return NULL;

  if (!replace)
    for (guint i = 0; i < profiles->len; i++)
      {
        g_autofree char *path = profile_path (self, gk_profile_get_name (profiles->pdata[i]));

        if (g_file_test (path, G_FILE_TEST_EXISTS))
          {
            set_exists (error, gk_profile_get_name (profiles->pdata[i]));
            return NULL;
          }
      }

  for (guint i = 0; i < profiles->len; i++)
    if (!gk_profile_store_save (self, profiles->pdata[i], TRUE, error))
      return NULL;

  gk_profile_store_set_last_used (self, gk_profile_get_name (profiles->pdata[0]));
  return g_steal_pointer (&profiles);
}

typedef struct
{
  char *name;
  gboolean replace;
  char *source;
  gboolean from_url;
  SoupMessage *message;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->name);
  g_free (data->source);
  g_clear_object (&data->message);
  g_free (data);
}

/* How errors name what was imported. A provisioning address is often a
 * presigned S3 link, whose query is a signature and a session token: errors
 * show it without query, fragment or user info. */
static char *
describe_source (const char *file_or_url,
                 const char *scheme)
{
  if (scheme == NULL || g_ascii_strcasecmp (scheme, "file") == 0)
    return g_strdup (file_or_url);
  return gk_profile_describe_url (file_or_url);
}

static void
finish_import (GTask  *task,
               GBytes *bytes)
{
  GkProfileStore *self = g_task_get_source_object (task);
  ImportData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *profiles;

  profiles = gk_profile_store_import_bytes (self, bytes, data->name, data->replace, &error);
  if (profiles == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, profiles, (GDestroyNotify) g_ptr_array_unref);
}

static void
return_read_error (GTask  *task,
                   GError *error)
{
  ImportData *data = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, error);
  else if (g_error_matches (error, GK_HTTP_ERROR, GK_HTTP_ERROR_REDIRECT_REFUSED))
    {
      /* Its message says what to check; the network is not the problem. */
      g_prefix_error (&error, _("Cannot download the configuration from %s: "), data->source);
      g_task_return_error (task, error);
    }
  else if (data->from_url)
    {
      g_task_return_new_error (task, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH,
                               _("Cannot download the configuration from %s: %s. Check the address and your network."),
                               data->source, error->message);
      g_error_free (error);
    }
  else
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("Cannot read %s: %s"), data->source, error->message);
      g_error_free (error);
    }
}

static void
on_read_all_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) all = NULL;
  GError *error = NULL;

  /* The read stops one byte past the limit, whether the file is /dev/zero
   * or the server never stops sending. */
  all = gk_http_read_all_finish (result, &error);
  if (g_error_matches (error, GK_HTTP_ERROR, GK_HTTP_ERROR_TOO_LARGE))
    {
      g_error_free (error);
      if (data->from_url)
        g_task_return_new_error (task, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH,
                                 _("The provisioning address %s returned more than 1 MiB; that is not an oauth-config.json."),
                                 data->source);
      else
        g_task_return_new_error (task, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                                 _("%s is larger than 1 MiB; that is not an oauth-config.json file."),
                                 data->source);
      return;
    }
  if (all == NULL)
    {
      return_read_error (task, error);
      return;
    }
  finish_import (task, all);
}

/* Takes both references. */
static void
read_all (GTask        *task,
          GInputStream *stream)
{
  gk_http_read_all_async (stream, MAX_DOWNLOAD, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                          on_read_all_cb, task);
  g_object_unref (stream);
}

static void
on_file_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  GFileInputStream *stream;

  stream = g_file_read_finish (G_FILE (object), result, &error);
  if (stream == NULL)
    {
      return_read_error (task, error);
      g_object_unref (task);
      return;
    }
  read_all (task, G_INPUT_STREAM (stream));
}

static void
on_url_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ImportData *data = g_task_get_task_data (task);
  SoupMessage *message = data->message;
  GError *error = NULL;
  GInputStream *stream;
  guint status;

  stream = gk_http_send_finish (result, &error);
  if (stream == NULL)
    {
      return_read_error (task, error);
      g_object_unref (task);
      return;
    }
  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH,
                               _("The provisioning address %s answered “%u %s”. Check the address with your lab’s admin."),
                               data->source, status, soup_message_get_reason_phrase (message));
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_object_unref (stream);
      g_object_unref (task);
      return;
    }
  read_all (task, stream);
}

/**
 * gk_profile_store_import_async:
 * @file_or_url: a path, a `file://` URI, or an http(s) provisioning URL
 *   (plain http only on this computer)
 * @name: (nullable): the profile's name
 *
 * Reads IGV's oauth-config.json (plain or gzip) and saves it as profiles.
 */
void
gk_profile_store_import_async (GkProfileStore      *self,
                               const char          *file_or_url,
                               const char          *name,
                               gboolean             replace,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *scheme = NULL;
  ImportData *data;

  g_return_if_fail (GK_IS_PROFILE_STORE (self));
  g_return_if_fail (file_or_url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_profile_store_import_async);
  data = g_new0 (ImportData, 1);
  data->name = g_strdup (name);
  data->replace = replace;
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);

  scheme = g_uri_parse_scheme (file_or_url);
  data->source = describe_source (file_or_url, scheme);
  if (scheme != NULL && (g_ascii_strcasecmp (scheme, "https") == 0
                         || g_ascii_strcasecmp (scheme, "http") == 0))
    {
      g_autoptr(GUri) uri = g_uri_parse (file_or_url, G_URI_FLAGS_NONE, NULL);
      g_autoptr(SoupMessage) message = NULL;
      const char *host = uri ? g_uri_get_host (uri) : NULL;

      if (uri == NULL || host == NULL)
        {
          g_task_return_new_error (task, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH,
                                   _("“%s” is not a valid address."), data->source);
          return;
        }
      /* The configuration decides where passwords and tokens go: never take
       * it over plain http from another machine. */
      if (g_ascii_strcasecmp (scheme, "http") == 0 && !gk_profile_host_is_loopback (host))
        {
          g_task_return_new_error (task, GK_PROFILE_ERROR, GK_PROFILE_ERROR_FETCH,
                                   _("The provisioning address uses plain http. Ask your lab’s admin for its https:// address."));
          return;
        }

      if (self->soup == NULL)
        self->soup = gk_http_session_new ();
      message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
      data->from_url = TRUE;
      data->message = g_object_ref (message);
      /* Every redirect is checked too: an https address must not hand the
       * configuration over to plain http elsewhere. */
      gk_http_send_async (self->soup, message, G_PRIORITY_DEFAULT, cancellable,
                          on_url_sent_cb, g_steal_pointer (&task));
      return;
    }

  {
    g_autoptr(GFile) file = scheme ? g_file_new_for_uri (file_or_url)
                                   : g_file_new_for_path (file_or_url);

    g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, on_file_opened_cb,
                       g_steal_pointer (&task));
  }
}

/**
 * gk_profile_store_import_finish:
 *
 * Returns: (transfer full) (element-type GkProfile): the imported profiles
 */
GPtrArray *
gk_profile_store_import_finish (GkProfileStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (GK_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_profile_store_import_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
