/* gk-gateway-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-gateway-capability.h"
#include "gk-gateway-service.h"
#include "gk-sources.h"

struct _GkGatewayService
{
  GObject parent_instance;

  GkProfileStore *store;
  GkKeyring *keyring;
  GkGateway *gateway;
  guint port;
  gboolean stopped;            /* by `genokey gateway stop`: no start until asked again */
  GError *error;               /* why the gateway last failed to start */
  gboolean active;
  GHashTable *opened;          /* profile → GkS3Client opened here for the command line */

  /* What the account last said it has (gk_gateway_service_follow()). */
  GkProfile *selected;
  GkS3Client *client;          /* the selected profile's, while it is signed in */
  gboolean loading;            /* its sign-in is still being read from the keyring */
  GQueue waiting;              /* GTask*: asked before that read was done */

  GkSession *watched;          /* the selected profile's sign-in, watched for its sign-out */
  GkSessionState watched_state;
  char *watched_profile;
};

static void gk_gateway_service_iface_init (GkLinkMinterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkGatewayService, gk_gateway_service, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_LINK_MINTER,
                                                      gk_gateway_service_iface_init))

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_PORT,
  PROP_ALLOWED_ORIGINS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FORGOTTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- running ------------------------------------------------------------------ */

static void
update_active (GkGatewayService *self)
{
  g_auto(GStrv) served = gk_gateway_list_profiles (self->gateway);
  gboolean active = gk_gateway_is_running (self->gateway) && served[0] != NULL;

  if (active == self->active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
set_error (GkGatewayService *self,
           const GError     *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Listens on the configured port, unless it already does. */
static gboolean
start (GkGatewayService  *self,
       GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (gk_gateway_is_running (self->gateway) && gk_gateway_get_port (self->gateway) == self->port)
    return TRUE;
  if (!gk_gateway_start (self->gateway, self->port, &local_error))
    {
      set_error (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      update_active (self);
      return FALSE;
    }
  self->stopped = FALSE;
  set_error (self, NULL);
  update_active (self);
  return TRUE;
}

/* ---- following the selected profile ------------------------------------------------------ */

static void
on_served_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GkGatewayService) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_gateway_serve_profile_finish (GK_GATEWAY (object), result, &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  /* A profile signed in: its links from before work again, now. */
  if (!self->stopped)
    start (self, NULL);
  update_active (self);
}

static void
serve_selected (GkGatewayService *self)
{
  if (self->selected == NULL || self->client == NULL)
    return;
  g_hash_table_remove (self->opened, gk_profile_get_name (self->selected));
  gk_gateway_serve_profile_async (self->gateway, gk_profile_get_name (self->selected), self->client, NULL,
                                  on_served_cb, g_object_ref (self));
}

/**
 * gk_gateway_service_forget:
 *
 * @profile signed out (here or in another process): its links stop now.
 */
void
gk_gateway_service_forget (GkGatewayService *self,
                           const char       *profile)
{
  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));

  gk_gateway_forget_profile (self->gateway, profile);
  g_hash_table_remove (self->opened, profile);
  update_active (self);
}

/**
 * gk_gateway_service_forget_signed_out:
 *
 * @profile signed out in another process (`genokey logout`): its links
 * stop now, and #GkGatewayService::forgotten tells whoever shows its
 * sign-in to read it again.
 */
void
gk_gateway_service_forget_signed_out (GkGatewayService *self,
                                      const char       *profile)
{
  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));

  gk_gateway_service_forget (self, profile);
  g_signal_emit (self, signals[FORGOTTEN], 0, profile);
}

static void
on_session_state_cb (GkGatewayService *self)
{
  GkSessionState state = gk_session_get_state (self->watched);
  GkSessionState before = self->watched_state;

  self->watched_state = state;
  /* A sign-out, not a first restore that found nothing: links of a
   * profile that was signed in die with its sign-in. A refused renewal
   * (NEEDS_SIGN_IN) keeps them: they answer 503 until the user signs in
   * again. */
  if (state == GK_SESSION_STATE_SIGNED_OUT && before != GK_SESSION_STATE_SIGNED_OUT &&
      before != GK_SESSION_STATE_SIGNING_IN)
    gk_gateway_service_forget (self, self->watched_profile);
}

static void
watch_session (GkGatewayService *self,
               GkSession        *session)
{
  if (session == self->watched)
    return;
  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_set_object (&self->watched, session);
  g_clear_pointer (&self->watched_profile, g_free);
  if (session == NULL)
    return;
  self->watched_state = gk_session_get_state (session);
  self->watched_profile = g_strdup (gk_profile_get_name (gk_session_get_profile (session)));
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_session_state_cb), self);
}

static void ensure_serving (GTask *task);

/**
 * gk_gateway_service_follow:
 * @selected: (nullable): the account's selected profile
 * @session: (nullable): its sign-in, when it is a lab sign-in
 * @client: (nullable): its S3 client, only while it is signed in
 * @loading: whether its sign-in is still being read from the keyring
 *
 * The account says what it has now, each time that changes. The service
 * keeps what it is told rather than asking the account back, so it knows
 * nothing of the account: a signed-in profile is served (its links from
 * before work again), a sign-out of @session forgets it, and requests made
 * while @loading wait for the sign-in that is being read.
 */
void
gk_gateway_service_follow (GkGatewayService *self,
                           GkProfile        *selected,
                           GkSession        *session,
                           GkS3Client       *client,
                           gboolean          loading)
{
  gboolean serve;

  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));

  /* Only a new sign-in is served anew: the account says the same again
   * at each renewal. */
  serve = client != self->client;
  g_set_object (&self->selected, selected);
  g_set_object (&self->client, client);
  self->loading = loading;
  watch_session (self, session);
  if (serve)
    serve_selected (self);
  while (!self->loading && !g_queue_is_empty (&self->waiting))
    ensure_serving (g_queue_pop_head (&self->waiting));
}

/* ---- links ------------------------------------------------------------------------ */

typedef struct
{
  char *profile;
  GStrv uris;
  GkProfile *opened_profile;
  GkCredentialSource *source;
} LinksData;

static void
links_data_free (LinksData *data)
{
  g_free (data->profile);
  g_strfreev (data->uris);
  g_clear_object (&data->opened_profile);
  g_clear_object (&data->source);
  g_free (data);
}

static void
mint (GTask *task)
{
  GkGatewayService *self = g_task_get_source_object (task);
  LinksData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GStrv links;

  if (!start (self, &error) ||
      (links = gk_gateway_mint_links (self->gateway, data->profile, (const char * const *) data->uris,
                                      &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, links, (GDestroyNotify) g_strfreev);
}

static void
on_opened_served_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!gk_gateway_serve_profile_finish (GK_GATEWAY (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_get_task_data (task) != NULL && ((LinksData *) g_task_get_task_data (task))->uris != NULL)
    mint (task);
  else
    g_task_return_boolean (task, TRUE);
}

/* The profile's source is ready: serve it with an S3 client of its own. */
static void
serve_opened (GTask *task)
{
  GkGatewayService *self = g_task_get_source_object (task);
  LinksData *data = g_task_get_task_data (task);
  g_autoptr(GkS3Client) client = gk_s3_client_new_for_profile (data->opened_profile, data->source);

  g_hash_table_replace (self->opened, g_strdup (data->profile), g_object_ref (client));
  gk_gateway_serve_profile_async (self->gateway, data->profile, client,
                                  g_task_get_cancellable (task), on_opened_served_cb, task);
}

static void
on_restored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  LinksData *data = g_task_get_task_data (task);
  GkSession *session = GK_SESSION (object);
  GError *error = NULL;

  if (!gk_session_restore_finish (session, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (gk_session_get_state (session) == GK_SESSION_STATE_SIGNED_OUT)
    {
      g_task_return_new_error (task, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_SERVING,
                               _("You are not signed in to profile “%s”, so the gateway has no links for it. Sign in first."),
                               data->profile);
      g_object_unref (task);
      return;
    }
  serve_opened (task);
}

/* Serves @data->profile for the command line: the account's sign-in when
 * it is the selected profile, else the profile's own source, read from
 * the keyring here. */
static void
ensure_serving (GTask *task)
{
  GkGatewayService *self = g_task_get_source_object (task);
  LinksData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (gk_gateway_is_serving (self->gateway, data->profile))
    {
      if (data->uris != NULL)
        mint (task);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (self->selected != NULL && g_str_equal (gk_profile_get_name (self->selected), data->profile) &&
      self->client != NULL)
    {
      gk_gateway_serve_profile_async (self->gateway, data->profile, self->client,
                                      g_task_get_cancellable (task), on_opened_served_cb, task);
      return;
    }

  data->opened_profile = gk_profile_store_load (self->store, data->profile, &error);
  if (data->opened_profile != NULL)
    data->source = gk_sources_open_for_profile (self->store, data->opened_profile, self->keyring,
                                                &error);
  if (data->source == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (GK_IS_SESSION (data->source))
    {
      gk_session_restore_async (GK_SESSION (data->source), g_task_get_cancellable (task),
                                on_restored_cb, task);
      return;
    }
  serve_opened (task);
}

/* Right after start-up the account is still reading the keyring: the
 * selected profile's sign-in is used once it is known (the account says
 * so in gk_gateway_service_follow()). */
static void
after_loaded (GkGatewayService *self,
              GTask            *task)
{
  if (self->loading)
    g_queue_push_tail (&self->waiting, task);
  else
    ensure_serving (task);
}

/**
 * gk_gateway_service_links_async:
 * @uris: `s3://BUCKET/KEY` addresses
 *
 * The gateway links of @uris for @profile, serving the profile first (and
 * starting the gateway) when needed.
 */
void
gk_gateway_service_links_async (GkGatewayService    *self,
                                const char          *profile,
                                const char * const  *uris,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  LinksData *data;

  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));
  g_return_if_fail (profile != NULL && uris != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_gateway_service_links_async);
  data = g_new0 (LinksData, 1);
  data->profile = g_strdup (profile);
  data->uris = g_strdupv ((GStrv) uris);
  g_task_set_task_data (task, data, (GDestroyNotify) links_data_free);
  after_loaded (self, task);
}

GStrv
gk_gateway_service_links_finish (GkGatewayService  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_gateway_service_start_async:
 *
 * Starts the gateway for the selected profile (`genokey gateway start`),
 * once the account has read its sign-in.
 */
void
gk_gateway_service_start_async (GkGatewayService    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  LinksData *data;
  GkProfile *selected;

  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_gateway_service_start_async);
  self->stopped = FALSE;
  selected = self->selected;
  if (selected == NULL)
    {
      g_task_return_new_error (task, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_SERVING,
                               _("No profile is set up, so the gateway has nothing to serve. Import the lab’s configuration and sign in first."));
      g_object_unref (task);
      return;
    }
  data = g_new0 (LinksData, 1);
  data->profile = g_strdup (gk_profile_get_name (selected));
  g_task_set_task_data (task, data, (GDestroyNotify) links_data_free);
  after_loaded (self, task);
}

gboolean
gk_gateway_service_start_finish (GkGatewayService  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  return start (self, error);
}

/**
 * gk_gateway_service_stop:
 *
 * Closes the port (`genokey gateway stop`). Links work again once the
 * gateway starts again on the same port: asked for links, or started.
 */
void
gk_gateway_service_stop (GkGatewayService *self)
{
  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));

  self->stopped = TRUE;
  gk_gateway_stop (self->gateway);
  update_active (self);
}

/**
 * gk_gateway_service_dup_status:
 *
 * Returns: (transfer full): `a{sv}`: running, port, configured-port,
 *   profiles, requests, links-served, bytes-served, connections, refused,
 *   last-error and last-error-time (when there was one)
 */
GVariant *
gk_gateway_service_dup_status (GkGatewayService *self)
{
  g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GStrv) profiles = NULL;
  GkGatewayStats stats;
  const char *error;

  g_return_val_if_fail (GK_IS_GATEWAY_SERVICE (self), NULL);

  gk_gateway_get_stats (self->gateway, &stats);
  profiles = gk_gateway_list_profiles (self->gateway);
  /* A failure to start is the more urgent news. */
  error = self->error != NULL ? self->error->message : stats.last_error;
  g_variant_builder_add (&b, "{sv}", "running", g_variant_new_boolean (gk_gateway_is_running (self->gateway)));
  g_variant_builder_add (&b, "{sv}", "port", g_variant_new_uint16 (stats.port));
  g_variant_builder_add (&b, "{sv}", "configured-port", g_variant_new_uint16 (self->port));
  g_variant_builder_add (&b, "{sv}", "profiles", g_variant_new_strv ((const char * const *) profiles, -1));
  g_variant_builder_add (&b, "{sv}", "requests", g_variant_new_uint64 (stats.requests));
  g_variant_builder_add (&b, "{sv}", "links-served", g_variant_new_uint64 (stats.links_served));
  g_variant_builder_add (&b, "{sv}", "bytes-served", g_variant_new_uint64 (stats.bytes_served));
  g_variant_builder_add (&b, "{sv}", "connections", g_variant_new_uint32 (stats.connections));
  g_variant_builder_add (&b, "{sv}", "refused", g_variant_new_uint64 (stats.refused));
  if (error != NULL)
    {
      g_variant_builder_add (&b, "{sv}", "last-error", g_variant_new_string (error));
      g_variant_builder_add (&b, "{sv}", "last-error-time",
                             g_variant_new_int64 (self->error != NULL ? g_get_real_time () / G_USEC_PER_SEC
                                                                      : stats.last_error_time));
    }
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

/* ---- GkLinkMinter: the selected profile's links, for the window ---------------------- */

static void
gk_gateway_service_mint_async (GkLinkMinter        *minter,
                               const char * const  *uris,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GkGatewayService *self = GK_GATEWAY_SERVICE (minter);
  GkProfile *selected = self->selected;

  if (selected == NULL)
    {
      g_task_report_new_error (self, callback, user_data, gk_gateway_service_links_async,
                               GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_SERVING,
                               _("No profile is selected."));
      return;
    }
  gk_gateway_service_links_async (self, gk_profile_get_name (selected), uris, cancellable, callback,
                                  user_data);
}

static GStrv
gk_gateway_service_mint_finish (GkLinkMinter  *minter,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_minter_published_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *link = gk_gateway_publish_config_finish (GK_GATEWAY (object), result, &error);

  if (link == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, link, g_free);
}

static void
on_minter_publish_ready_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkGatewayService *self = GK_GATEWAY_SERVICE (object);
  GError *error = NULL;
  g_auto(GStrv) none = gk_gateway_service_links_finish (self, result, &error);
  GkProfile *selected = self->selected;

  if (none == NULL || selected == NULL)
    {
      g_task_return_error (task, error != NULL ? error
                           : g_error_new_literal (GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_SERVING,
                                                  _("No profile is selected.")));
      return;
    }
  gk_gateway_publish_config_async (self->gateway, gk_profile_get_name (selected),
                                   g_object_get_data (G_OBJECT (task), "name"),
                                   g_task_get_task_data (task), g_task_get_cancellable (task),
                                   on_minter_published_cb, g_object_ref (task));
}

static void
gk_gateway_service_publish_config_async (GkLinkMinter        *minter,
                                         const char          *name,
                                         GBytes              *json,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GkGatewayService *self = GK_GATEWAY_SERVICE (minter);
  GkProfile *selected = self->selected;
  const char *none[] = { NULL };
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, gk_gateway_service_publish_config_async);
  g_task_set_task_data (task, g_bytes_ref (json), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (task), "name", g_strdup (name), g_free);
  if (selected == NULL)
    {
      g_task_return_new_error (task, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_SERVING,
                               _("No profile is selected."));
      g_object_unref (task);
      return;
    }
  gk_gateway_service_links_async (self, gk_profile_get_name (selected), none, cancellable,
                                  on_minter_publish_ready_cb, task);
}

static char *
gk_gateway_service_publish_config_finish (GkLinkMinter  *minter,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Keys a browser would rewrite cannot have a gateway link; said locally. */
static gboolean
gk_gateway_service_check_key (GkLinkMinter  *minter,
                              const char    *bucket,
                              const char    *key,
                              GError       **error)
{
  return gk_gateway_key_is_servable (bucket, key, error);
}

static void
gk_gateway_service_iface_init (GkLinkMinterInterface *iface)
{
  iface->check_key = gk_gateway_service_check_key;
  iface->mint_async = gk_gateway_service_mint_async;
  iface->mint_finish = gk_gateway_service_mint_finish;
  iface->publish_config_async = gk_gateway_service_publish_config_async;
  iface->publish_config_finish = gk_gateway_service_publish_config_finish;
}

/* ---- properties ------------------------------------------------------------------------ */

gboolean
gk_gateway_service_get_active (GkGatewayService *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY_SERVICE (self), FALSE);
  return self->active;
}

guint
gk_gateway_service_get_port (GkGatewayService *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY_SERVICE (self), 0);
  return self->port;
}

/**
 * gk_gateway_service_set_port:
 *
 * Moves a running gateway to @port. When @port is taken the gateway stays
 * where it was, the port goes back to the old one, and #GkGatewayService:error
 * says why: links keep working rather than the gateway silently moving
 * somewhere else.
 */
void
gk_gateway_service_set_port (GkGatewayService *self,
                             guint             port)
{
  guint old;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));

  if (port == self->port)
    return;
  old = self->port;
  self->port = port;
  if (gk_gateway_is_running (self->gateway) && !gk_gateway_start (self->gateway, port, &error))
    {
      set_error (self, error);
      self->port = old;
    }
  else if (gk_gateway_is_running (self->gateway))
    set_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

const GError *
gk_gateway_service_get_error (GkGatewayService *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY_SERVICE (self), NULL);
  return self->error;
}

GkGateway *
gk_gateway_service_get_gateway (GkGatewayService *self)
{
  g_return_val_if_fail (GK_IS_GATEWAY_SERVICE (self), NULL);
  return self->gateway;
}

/**
 * gk_gateway_service_bind_settings:
 *
 * Follows the `gateway-port` and `gateway-origins` keys of @settings.
 */
void
gk_gateway_service_bind_settings (GkGatewayService *self,
                                  GSettings        *settings)
{
  g_return_if_fail (GK_IS_GATEWAY_SERVICE (self));

  g_settings_bind (settings, "gateway-port", self, "port", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "gateway-origins", self, "allowed-origins", G_SETTINGS_BIND_GET);
}

static void
gk_gateway_service_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GkGatewayService *self = GK_GATEWAY_SERVICE (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_ALLOWED_ORIGINS:
      g_value_set_boxed (value, gk_gateway_get_allowed_origins (self->gateway));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_gateway_service_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GkGatewayService *self = GK_GATEWAY_SERVICE (object);

  switch (prop_id)
    {
    case PROP_PORT:
      gk_gateway_service_set_port (self, g_value_get_uint (value));
      break;
    case PROP_ALLOWED_ORIGINS:
      gk_gateway_set_allowed_origins (self->gateway, g_value_get_boxed (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_gateway_service_dispose (GObject *object)
{
  GkGatewayService *self = GK_GATEWAY_SERVICE (object);

  /* Requests still waiting for a sign-in that will not be read now. */
  while (!g_queue_is_empty (&self->waiting))
    {
      GTask *task = g_queue_pop_head (&self->waiting);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Genokey quit before the selected profile’s sign-in was read. Run the command again."));
      g_object_unref (task);
    }
  watch_session (self, NULL);
  g_clear_object (&self->selected);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->keyring);
  g_clear_object (&self->gateway);
  g_clear_pointer (&self->opened, g_hash_table_unref);

  G_OBJECT_CLASS (gk_gateway_service_parent_class)->dispose (object);
}

static void
gk_gateway_service_finalize (GObject *object)
{
  GkGatewayService *self = GK_GATEWAY_SERVICE (object);

  g_clear_error (&self->error);
  g_free (self->watched_profile);

  G_OBJECT_CLASS (gk_gateway_service_parent_class)->finalize (object);
}

static void
gk_gateway_service_class_init (GkGatewayServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gk_gateway_service_get_property;
  object_class->set_property = gk_gateway_service_set_property;
  object_class->dispose = gk_gateway_service_dispose;
  object_class->finalize = gk_gateway_service_finalize;

  /**
   * GkGatewayService:active:
   *
   * Running and serving a signed-in profile: keep the process alive.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1024, 65535, GK_GATEWAY_DEFAULT_PORT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOWED_ORIGINS] =
    g_param_spec_boxed ("allowed-origins", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * GkGatewayService:error:
   *
   * Why the gateway could not start (its port taken), or %NULL.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GkGatewayService::forgotten:
   * @profile: the profile signed out elsewhere
   *
   * Another process (`genokey logout`) signed @profile out and the
   * gateway forgot it: who shows its sign-in should read it again.
   */
  signals[FORGOTTEN] =
    g_signal_new ("forgotten", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gk_gateway_service_init (GkGatewayService *self)
{
  self->port = GK_GATEWAY_DEFAULT_PORT;
  self->opened = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->waiting);
}

/**
 * gk_gateway_service_new:
 * @store: where the profiles the command line asks for are read
 * @keyring: where their sign-ins and the gateway's secrets are kept
 * @config_dir: (nullable): where served configs are kept, %NULL for the
 *   default
 *
 * A gateway service with no profile selected until
 * gk_gateway_service_follow() says which.
 */
GkGatewayService *
gk_gateway_service_new (GkProfileStore *store,
                        GkKeyring      *keyring,
                        const char     *config_dir)
{
  GkGatewayService *self;

  g_return_val_if_fail (GK_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (GK_IS_KEYRING (keyring), NULL);

  self = g_object_new (GK_TYPE_GATEWAY_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->keyring = g_object_ref (keyring);
  self->gateway = gk_gateway_new (keyring, config_dir);
  return self;
}
