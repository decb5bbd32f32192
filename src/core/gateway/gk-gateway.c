/* gk-gateway.c: the listener, the served profiles and their secrets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <string.h>

#include "gk-gateway.h"
#include "gk-gateway-connection.h"
#include "gk-gateway-context.h"

/* Connections arriving faster than the main loop accepts them wait in the
 * kernel's queue; a short queue would make a burst of idle connections
 * delay a real client's connect by a SYN retry (a second or more). */
#define LISTEN_BACKLOG 512
/* The largest config a viewer gets from the gateway (a cohort of
 * thousands of samples is a few MiB). */
#define MAX_CONFIG_SIZE (16 * 1024 * 1024)

/* The gateway owns the listener, the set of connections and the context
 * (gk-gateway-context.h): the served profiles and their secrets, which
 * every exchange reads. Its files depend one way: this one makes
 * connections (gk-gateway-connection.c), each connection starts an
 * exchange per request (gk-gateway-exchange.c), and the exchange answers
 * from the context; nothing below calls back up. */
struct _GkGateway
{
  GObject parent_instance;

  GkKeyring *keyring;
  GkGatewayContext *ctx;
  GSocketService *service;
  GQueue connections;          /* GkGatewayConnection, oldest first */
  guint sweep_id;
};

G_DEFINE_FINAL_TYPE (GkGateway, gk_gateway, G_TYPE_OBJECT)

/* ---- connections ---------------------------------------------------------- */

static void
close_all_connections (GkGateway  *self,
                       const char *profile)
{
  GList *l = self->connections.head;

  while (l != NULL)
    {
      GkGatewayConnection *conn = l->data;

      l = l->next;
      if (profile == NULL || g_strcmp0 (_gk_gateway_connection_get_profile (conn), profile) == 0)
        _gk_gateway_connection_close (conn);
    }
}

static gboolean
on_sweep_cb (gpointer user_data)
{
  GkGateway *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *l = self->connections.head;

  while (l != NULL)
    {
      GkGatewayConnection *conn = l->data;

      l = l->next;
      _gk_gateway_connection_check_deadline (conn, now);
    }
  if (self->connections.length == 0)
    {
      self->sweep_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Makes room for one more connection by closing the one that has waited
 * longest for a request (idle keep-alives first, then slow heads), never
 * one whose answer is under way: a thousand idle sockets cannot lock out a
 * genome browser, and cannot cut off a running read. */
static gboolean
make_room (GkGateway *self)
{
  GkGatewayConnection *oldest = NULL;
  gint64 oldest_since = G_MAXINT64;

  for (GList *l = self->connections.head; l != NULL; l = l->next)
    {
      gint64 since;

      if (_gk_gateway_connection_is_waiting (l->data, &since) && since < oldest_since)
        {
          oldest = l->data;
          oldest_since = since;
        }
    }
  if (oldest == NULL)
    return FALSE;
  _gk_gateway_connection_close (oldest);
  return TRUE;
}

static gboolean
on_incoming_cb (GSocketService    *service,
                GSocketConnection *socket,
                GObject           *source_object,
                gpointer           user_data)
{
  GkGateway *self = user_data;

  if (self->connections.length >= GK_GATEWAY_MAX_CONNECTIONS && !make_room (self))
    {
      /* Every slot is streaming an answer: refuse by closing. */
      g_io_stream_close (G_IO_STREAM (socket), NULL, NULL);
      return TRUE;
    }
  /* It lives in the queue until it closes. */
  _gk_gateway_connection_new (self->ctx, socket, &self->connections);
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add_seconds (1, on_sweep_cb, self);
  return TRUE;
}

/* ---- GObject -------------------------------------------------------------- */

static void
gk_gateway_dispose (GObject *object)
{
  GkGateway *self = GK_GATEWAY (object);

  gk_gateway_stop (self);
  g_clear_object (&self->keyring);
  /* Exchanges still under way hold the context: they find no profile. */
  g_hash_table_remove_all (self->ctx->profiles);

  G_OBJECT_CLASS (gk_gateway_parent_class)->dispose (object);
}

static void
gk_gateway_finalize (GObject *object)
{
  GkGateway *self = GK_GATEWAY (object);

  g_clear_pointer (&self->ctx, _gk_gateway_context_unref);

  G_OBJECT_CLASS (gk_gateway_parent_class)->finalize (object);
}

static void
gk_gateway_class_init (GkGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_gateway_dispose;
  object_class->finalize = gk_gateway_finalize;
}

static void
gk_gateway_init (GkGateway *self)
{
  g_queue_init (&self->connections);
}

/* ---- public API ----------------------------------------------------------- */

/**
 * gk_gateway_new:
 * @keyring: where each profile's gateway secret lives
 * @config_dir: (nullable): where served configs are kept (one folder per
 *   profile); %NULL for `$XDG_STATE_HOME/genokey/gateway`
 */
GkGateway *
gk_gateway_new (GkKeyring  *keyring,
                const char *config_dir)
{
  const char *origins[] = GK_GATEWAY_DEFAULT_ORIGINS;
  g_autofree char *default_dir = NULL;
  GkGateway *self;

  g_return_val_if_fail (GK_IS_KEYRING (keyring), NULL);

  default_dir = g_build_filename (g_get_user_state_dir (), "genokey", "gateway", NULL);
  self = g_object_new (GK_TYPE_GATEWAY, NULL);
  self->keyring = g_object_ref (keyring);
  self->ctx = _gk_gateway_context_new (config_dir != NULL ? config_dir : default_dir);
  self->ctx->origins = g_strdupv ((GStrv) origins);
  return self;
}

/**
 * gk_gateway_start:
 * @port: the port on 127.0.0.1, never another
 *
 * Listens on 127.0.0.1:@port only: links made for this port must keep
 * working, so a taken port is an error and no other port is tried.
 */
gboolean
gk_gateway_start (GkGateway  *self,
                  guint16     port,
                  GError    **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) local_error = NULL;
  GSocketService *service;

  g_return_val_if_fail (GK_IS_GATEWAY (self), FALSE);

  if (self->service != NULL && (port == 0 || port == self->ctx->port))
    return TRUE;
  /* Below 1024 is privileged, and 0 would be a port chosen anew each
   * time, which no saved link could follow. */
  if (port < 1024)
    {
      g_set_error_literal (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_INVALID_PORT,
                           _("The gateway needs a fixed port between 1024 and 65535."));
      return FALSE;
    }

  /* Only 127.0.0.1: not ::1 (links say 127.0.0.1, which browsers treat as
   * potentially trustworthy) and never any other interface. */
  address = g_inet_socket_address_new (loopback, port);
  service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), LISTEN_BACKLOG);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &local_error))
    {
      g_object_unref (service);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_PORT_IN_USE,
                     _("Port %u on 127.0.0.1 is in use by another program, so the gateway cannot "
                       "serve its links there. Close that program, or choose another port for "
                       "the gateway (links made for port %u then stop working)."),
                     port, port);
      else
        g_set_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_FAILED,
                     _("The gateway cannot listen on 127.0.0.1:%u: %s"), port,
                     local_error->message);
      _gk_gateway_context_record_error (self->ctx, (*error)->message);
      return FALSE;
    }

  gk_gateway_stop (self);
  self->service = service;
  self->ctx->port = port;
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming_cb), self);
  g_socket_service_start (service);
  return TRUE;
}

/**
 * gk_gateway_stop:
 *
 * Closes the port and every connection. Profiles and secrets stay, so the
 * same links work again after gk_gateway_start() on the same port.
 */
void
gk_gateway_stop (GkGateway *self)
{
  g_return_if_fail (GK_IS_GATEWAY (self));

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
  self->ctx->port = 0;
  close_all_connections (self, NULL);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
}

gboolean
gk_gateway_is_running (GkGateway *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY (self), FALSE);
  return self->service != NULL;
}

guint16
gk_gateway_get_port (GkGateway *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY (self), 0);
  return self->ctx->port;
}

/**
 * gk_gateway_set_allowed_origins:
 * @origins: web origins (`https://igv.org`) whose pages may read through
 *   the gateway; compared exactly
 */
void
gk_gateway_set_allowed_origins (GkGateway          *self,
                                const char * const *origins)
{
  g_return_if_fail (GK_IS_GATEWAY (self));

  g_strfreev (self->ctx->origins);
  self->ctx->origins = g_strdupv ((GStrv) origins);
}

const char * const *
gk_gateway_get_allowed_origins (GkGateway *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY (self), NULL);
  return (const char * const *) self->ctx->origins;
}

void
gk_gateway_get_stats (GkGateway      *self,
                      GkGatewayStats *stats)
{
  g_return_if_fail (GK_IS_GATEWAY (self));

  *stats = (GkGatewayStats) {
    .port = self->ctx->port,
    .requests = self->ctx->requests,
    .links_served = g_hash_table_size (self->ctx->served),
    .bytes_served = self->ctx->bytes_served,
    .connections = self->connections.length,
    .refused = self->ctx->refused,
    .last_error = self->ctx->last_error,
    .last_error_time = self->ctx->last_error_time,
  };
}

/* ---- profiles and secrets ------------------------------------------------- */

typedef struct
{
  char *profile;
  GkS3Client *client;
  guint8 secret[GK_GATEWAY_SECRET_SIZE];
} SecretData;

static void
secret_data_free (SecretData *data)
{
  OPENSSL_cleanse (data->secret, sizeof data->secret);
  g_free (data->profile);
  g_clear_object (&data->client);
  g_free (data);
}

/* Serves the profile with @data's secret from now on. A new secret makes
 * every earlier link of the profile fail, including answers under way. */
static void
install_secret (GkGateway  *self,
                SecretData *data)
{
  GkGatewayProfile *profile = _gk_gateway_context_find_profile (self->ctx, data->profile);

  if (profile == NULL)
    {
      profile = g_new0 (GkGatewayProfile, 1);
      profile->name = g_strdup (data->profile);
      g_hash_table_insert (self->ctx->profiles, profile->name, profile);
    }
  else if (CRYPTO_memcmp (profile->secret, data->secret, GK_GATEWAY_SECRET_SIZE) != 0)
    {
      profile->generation++;
      close_all_connections (self, data->profile);
    }
  memcpy (profile->secret, data->secret, GK_GATEWAY_SECRET_SIZE);
  if (data->client != NULL && profile->client != data->client)
    {
      g_set_object (&profile->client, data->client);
      g_clear_pointer (&profile->credentials, gk_credentials_unref);
    }
}

static void
on_secret_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The secret is in use already; a keyring that cannot keep it only
   * means the links end with this process. */
  if (!gk_keyring_store_finish (GK_KEYRING (object), result, &error))
    g_warning ("The gateway secret could not be stored in the keyring: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
make_new_secret (GTask *task)
{
  GkGateway *self = g_task_get_source_object (task);
  SecretData *data = g_task_get_task_data (task);
  g_autofree char *encoded = NULL;

  gk_gateway_secret_generate (data->secret);
  /* In memory first: a revocation takes effect before the keyring
   * answers. */
  install_secret (self, data);
  encoded = gk_gateway_secret_encode (data->secret);
  gk_keyring_store_async (self->keyring, data->profile, GK_KEYRING_KIND_GATEWAY_SECRET, encoded,
                          g_task_get_cancellable (task), on_secret_stored_cb, task);
  OPENSSL_cleanse (encoded, strlen (encoded));
}

static void
on_secret_looked_up_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  GkGateway *self = g_task_get_source_object (task);
  SecretData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *stored = gk_keyring_lookup_finish (GK_KEYRING (object), result, &error);

  if (error != NULL)
    {
      g_prefix_error (&error, _("The gateway could not read its secret for profile “%s” from the keyring: "),
                      data->profile);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (stored != NULL && gk_gateway_secret_decode (stored, data->secret))
    {
      gk_keyring_free_secret (stored);
      install_secret (self, data);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* None yet (first use, or signed out since), or a damaged item. */
  gk_keyring_free_secret (stored);
  make_new_secret (task);
}

/**
 * gk_gateway_serve_profile_async:
 * @client: the profile's S3 client: its credential source signs every
 *   request, its region cache and endpoint address them
 *
 * Serves links of @profile from now on, with its gateway secret from the
 * keyring (made and stored on first use), so links from an earlier run
 * work again. Calling it again for a served profile only updates @client.
 */
void
gk_gateway_serve_profile_async (GkGateway           *self,
                                const char          *profile,
                                GkS3Client          *client,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  SecretData *data;
  GkGatewayProfile *served;

  g_return_if_fail (GK_IS_GATEWAY (self));
  g_return_if_fail (profile != NULL && GK_IS_S3_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_gateway_serve_profile_async);
  data = g_new0 (SecretData, 1);
  data->profile = g_strdup (profile);
  data->client = g_object_ref (client);
  g_task_set_task_data (task, data, (GDestroyNotify) secret_data_free);

  served = _gk_gateway_context_find_profile (self->ctx, profile);
  if (served != NULL)
    {
      memcpy (data->secret, served->secret, GK_GATEWAY_SECRET_SIZE);
      install_secret (self, data);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  gk_keyring_lookup_async (self->keyring, profile, GK_KEYRING_KIND_GATEWAY_SECRET, cancellable,
                           on_secret_looked_up_cb, task);
}

gboolean
gk_gateway_serve_profile_finish (GkGateway     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_gateway_is_serving:
 *
 * Whether links of @profile are served: its secret is known and it has an
 * S3 client to sign with.
 */
gboolean
gk_gateway_is_serving (GkGateway  *self,
                       const char *profile)
{
  GkGatewayProfile *served;

  g_return_val_if_fail (GK_IS_GATEWAY (self), FALSE);

  served = _gk_gateway_context_find_profile (self->ctx, profile);
  return served != NULL && served->client != NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * gk_gateway_list_profiles:
 *
 * Returns: (transfer full): the served profiles' names, sorted
 */
GStrv
gk_gateway_list_profiles (GkGateway *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  GkGatewayProfile *profile;

  g_return_val_if_fail (GK_IS_GATEWAY (self), NULL);

  g_hash_table_iter_init (&iter, self->ctx->profiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &profile))
    if (profile->client != NULL)
      g_ptr_array_add (names, g_strdup (profile->name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * gk_gateway_forget_profile:
 *
 * Stops serving @profile at once (after its sign-out): its links and the
 * answers under way fail from now on, and its served configs are deleted.
 * The secret in the keyring is left to the sign-out, which deletes every
 * item of the profile.
 */
void
gk_gateway_forget_profile (GkGateway  *self,
                           const char *profile)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  g_return_if_fail (GK_IS_GATEWAY (self));

  close_all_connections (self, profile);
  g_hash_table_remove (self->ctx->profiles, profile);

  dir = g_build_filename (self->ctx->config_dir, profile, NULL);
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/**
 * gk_gateway_revoke_async:
 *
 * Replaces @profile's secret, in memory at once and then in the keyring:
 * every link made before stops working, answers under way included. New
 * links work as before.
 */
void
gk_gateway_revoke_async (GkGateway           *self,
                         const char          *profile,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  SecretData *data;

  g_return_if_fail (GK_IS_GATEWAY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_gateway_revoke_async);
  data = g_new0 (SecretData, 1);
  data->profile = g_strdup (profile);
  g_task_set_task_data (task, data, (GDestroyNotify) secret_data_free);
  make_new_secret (task);
}

gboolean
gk_gateway_revoke_finish (GkGateway     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
check_serving (GkGateway           *self,
               const char          *profile,
               GkGatewayProfile   **out,
               GError             **error)
{
  *out = _gk_gateway_context_find_profile (self->ctx, profile);
  if (*out == NULL || (*out)->client == NULL)
    {
      g_set_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_SERVING,
                   _("The gateway is not serving profile “%s”: sign in to it first."), profile);
      return FALSE;
    }
  if (self->service == NULL)
    {
      g_set_error_literal (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_RUNNING,
                           _("The gateway is not running."));
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_gateway_append_link:
 *
 * Appends the gateway link of s3://@bucket/@key for @profile to @out. No
 * network: the bucket allow-list and the key's shape are checked here,
 * whether the object exists when the link is read.
 */
gboolean
gk_gateway_append_link (GkGateway   *self,
                        const char  *profile,
                        const char  *bucket,
                        const char  *key,
                        GString     *out,
                        GError     **error)
{
  GkGatewayProfile *served;
  char capability[GK_GATEWAY_CAPABILITY_LEN + 1];

  g_return_val_if_fail (GK_IS_GATEWAY (self), FALSE);

  if (!check_serving (self, profile, &served, error) ||
      !gk_gateway_key_is_servable (bucket, key, error) ||
      !gk_s3_client_check_allowed (served->client, bucket, key, error))
    return FALSE;

  gk_gateway_capability_for_object (served->secret, profile, bucket, key, capability);
  g_string_append_printf (out, "http://127.0.0.1:%u", self->ctx->port);
  gk_gateway_append_object_path (out, capability, bucket, key);
  OPENSSL_cleanse (capability, sizeof capability);
  return TRUE;
}

/**
 * gk_gateway_mint_links:
 * @uris: `s3://BUCKET/KEY` addresses
 *
 * Returns: (transfer full): the gateway link of each address, in order, or
 *   %NULL with @error set by the first that cannot have one
 */
GStrv
gk_gateway_mint_links (GkGateway           *self,
                       const char          *profile,
                       const char * const  *uris,
                       GError             **error)
{
  g_autoptr(GStrvBuilder) links = g_strv_builder_new ();
  g_autoptr(GString) link = g_string_sized_new (256);

  g_return_val_if_fail (GK_IS_GATEWAY (self), NULL);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autofree char *bucket = NULL, *key = NULL;

      g_string_truncate (link, 0);
      if (!gk_s3_parse_uri (uris[i], &bucket, &key, error) ||
          !gk_gateway_append_link (self, profile, bucket, key, link, error))
        return NULL;
      g_strv_builder_add (links, link->str);
    }
  return g_strv_builder_end (links);
}

static void
on_config_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_prefix_error (&error, _("The gateway could not keep the config: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_strdup (g_task_get_task_data (task)), g_free);
}

/**
 * gk_gateway_publish_config_async:
 * @name: the config's name (see gk_gateway_config_name_is_valid()); an
 *   earlier config of that name is replaced
 * @json: the config
 *
 * Keeps @json in the profile's private folder (mode 0700, the file 0600)
 * and returns its link, `http://127.0.0.1:PORT/<capability>/config/<name>.json`.
 * It is served until the profile signs out.
 */
void
gk_gateway_publish_config_async (GkGateway           *self,
                                 const char          *profile,
                                 const char          *name,
                                 GBytes              *json,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GString) url = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *file_name = NULL;
  GkGatewayProfile *served;
  char capability[GK_GATEWAY_CAPABILITY_LEN + 1];

  g_return_if_fail (GK_IS_GATEWAY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_gateway_publish_config_async);

  if (!check_serving (self, profile, &served, &error) ||
      !gk_gateway_config_name_is_valid (name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (json) > MAX_CONFIG_SIZE)
    {
      g_task_return_new_error (task, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_FAILED,
                               _("The config is larger than %d MiB, too large to serve."),
                               MAX_CONFIG_SIZE / (1024 * 1024));
      return;
    }

  dir = g_build_filename (self->ctx->config_dir, profile, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("The gateway could not create the folder %s: %s"), dir,
                               g_strerror (saved));
      return;
    }
  g_chmod (dir, 0700);

  gk_gateway_capability_for_config (served->secret, profile, name, capability);
  g_string_append_printf (url, "http://127.0.0.1:%u", self->ctx->port);
  gk_gateway_append_config_path (url, capability, name);
  OPENSSL_cleanse (capability, sizeof capability);
  g_task_set_task_data (task, g_string_free (g_steal_pointer (&url), FALSE), g_free);

  file_name = g_strconcat (name, ".json", NULL);
  file = g_file_new_build_filename (dir, file_name, NULL);
  g_file_replace_contents_bytes_async (file, json, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, on_config_written_cb, g_steal_pointer (&task));
}

char *
gk_gateway_publish_config_finish (GkGateway     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
