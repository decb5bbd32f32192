/* gk-keyring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "gk-keyring.h"

struct _GkKeyring
{
  GObject parent_instance;

  gboolean memory_only;
  gboolean bus_reached;   /* the session bus answered once */
  char *memory_only_message;
  GHashTable *memory; /* "profile\nkind" → secret */
};

G_DEFINE_FINAL_TYPE (GkKeyring, gk_keyring, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-keyring-error-quark, gk_keyring_error)

enum {
  PROP_0,
  PROP_MEMORY_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Named after the app id, so Seahorse shows whose items these are. The
 * attributes are for lookup only; no secret ever goes into one. */
static const SecretSchema keyring_schema = {
  APP_ID, SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static const char * const kind_names[GK_KEYRING_N_KINDS] = {
  [GK_KEYRING_KIND_REFRESH_TOKEN] = "refresh-token",
  [GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN] = "previous-refresh-token",
  [GK_KEYRING_KIND_IDENTITY_ID] = "identity-id",
  [GK_KEYRING_KIND_CREDENTIALS] = "credentials",
  [GK_KEYRING_KIND_USER] = "user",
  [GK_KEYRING_KIND_ACCESS_KEY_SECRET] = "access-key-secret",
  [GK_KEYRING_KIND_GATEWAY_SECRET] = "gateway-secret",
};

const char *
gk_keyring_kind_to_string (GkKeyringKind kind)
{
  g_return_val_if_fail (kind < GK_KEYRING_N_KINDS, NULL);
  return kind_names[kind];
}

static char *
make_label (const char    *profile,
            GkKeyringKind  kind)
{
  switch (kind)
    {
    case GK_KEYRING_KIND_REFRESH_TOKEN:
      return g_strdup_printf (_("Genokey sign-in for profile “%s”"), profile);
    case GK_KEYRING_KIND_PREVIOUS_REFRESH_TOKEN:
      return g_strdup_printf (_("Genokey previous sign-in for profile “%s”"), profile);
    case GK_KEYRING_KIND_IDENTITY_ID:
      return g_strdup_printf (_("Genokey identity for profile “%s”"), profile);
    case GK_KEYRING_KIND_CREDENTIALS:
      return g_strdup_printf (_("Genokey AWS credentials for profile “%s”"), profile);
    case GK_KEYRING_KIND_USER:
      return g_strdup_printf (_("Genokey user for profile “%s”"), profile);
    case GK_KEYRING_KIND_ACCESS_KEY_SECRET:
      return g_strdup_printf (_("Genokey AWS secret access key for profile “%s”"), profile);
    case GK_KEYRING_KIND_GATEWAY_SECRET:
      return g_strdup_printf (_("Genokey gateway links for profile “%s”"), profile);
    case GK_KEYRING_N_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
memory_key (const char *profile,
            int         kind)
{
  return g_strdup_printf ("%s\n%s", profile, kind_names[kind]);
}

static void
wipe_secret (gpointer data)
{
  char *s = data;

  if (s != NULL)
    {
      memset (s, 0, strlen (s));
      g_free (s);
    }
}

/**
 * gk_keyring_free_secret:
 *
 * Wipes and frees a secret returned by gk_keyring_lookup_finish().
 */
void
gk_keyring_free_secret (char *secret)
{
  wipe_secret (secret);
}

static void
switch_to_memory (GkKeyring    *self,
                  const GError *error)
{
  if (self->memory_only)
    return;

  g_debug ("Secret Service unusable (%s); keeping secrets in memory",
           error ? error->message : "unlock dismissed");
  self->memory_only = TRUE;
  g_free (self->memory_only_message);
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    self->memory_only_message =
      g_strdup (_("The keyring was not unlocked, so you will have to sign in again next time: "
                  "Genokey keeps this sign-in in memory only, until it quits."));
  else
    self->memory_only_message =
      g_strdup (_("No keyring is available, so you will have to sign in again next time: "
                  "Genokey keeps this sign-in in memory only, until it quits. Start a Secret "
                  "Service such as GNOME Keyring to stay signed in."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_ONLY]);
}

/* An error of the keyring itself (not our own cancellation) sends us to
 * memory: no Secret Service on the bus, no session bus, no default
 * collection, or a dismissed unlock prompt. */
static gboolean
is_own_cancellation (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

/* ------------------------------------------------------------------------ */

typedef void (*OpStart) (GTask *task);

typedef struct
{
  char *profile;
  int kind;
  char *secret;
  OpStart start;  /* what the operation does once the bus is known */
} OpData;

static void
op_data_free (OpData *data)
{
  g_free (data->profile);
  wipe_secret (data->secret);
  g_free (data);
}

static GTask *
op_new (GkKeyring           *self,
        gpointer             source_tag,
        const char          *profile,
        int                  kind,
        const char          *secret,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  OpData *data = g_new0 (OpData, 1);

  g_task_set_source_tag (task, source_tag);
  data->profile = g_strdup (profile);
  data->kind = kind;
  data->secret = g_strdup (secret);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);
  return task;
}

static GHashTable *
build_attributes (const char *profile,
                  int         kind)
{
  if (kind < 0)
    return secret_attributes_build (&keyring_schema, "profile", profile, NULL);
  return secret_attributes_build (&keyring_schema, "profile", profile,
                                  "kind", kind_names[kind], NULL);
}

static void
on_bus_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkKeyring *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);

  if (bus != NULL)
    self->bus_reached = TRUE;
  else if (is_own_cancellation (task))
    {
      g_task_return_error_if_cancelled (task);
      return;
    }
  else
    switch_to_memory (self, error);
  data->start (g_steal_pointer (&task));
}

/* Starts @task's operation, once the session bus is known to be there.
 * Inside a Flatpak sandbox libsecret keeps secrets in a file whose key it
 * asks a portal for, over the session bus, and when there is no bus it
 * prints a warning instead of returning an error. Reaching the bus first
 * sends a missing one to memory with Genokey's own message, in the sandbox
 * or out of it. GLib keeps the connection, so only the first operation
 * waits for it. */
static void
op_start (GkKeyring *self,
          GTask     *task,
          OpStart    start)
{
  OpData *data = g_task_get_task_data (task);

  if (self->memory_only || self->bus_reached)
    {
      start (task);
      return;
    }
  data->start = start;
  g_bus_get (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), on_bus_cb, task);
}

static void
memory_store (GkKeyring *self,
              OpData    *data)
{
  g_hash_table_replace (self->memory, memory_key (data->profile, data->kind),
                        g_strdup (data->secret));
}

static void
memory_delete (GkKeyring *self,
               OpData    *data)
{
  for (int k = 0; k < GK_KEYRING_N_KINDS; k++)
    if (data->kind < 0 || data->kind == k)
      {
        g_autofree char *key = memory_key (data->profile, k);

        g_hash_table_remove (self->memory, key);
      }
}

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkKeyring *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (is_own_cancellation (task))
    {
      g_task_return_error_if_cancelled (task);
      return;
    }
  switch_to_memory (self, error);
  memory_store (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

static void
store_start (GTask *task)
{
  GkKeyring *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  if (self->memory_only)
    {
      memory_store (self, data);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  attributes = build_attributes (data->profile, data->kind);
  label = make_label (data->profile, data->kind);
  secret_password_storev (&keyring_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          data->secret, g_task_get_cancellable (task), on_stored_cb, task);
}

/**
 * gk_keyring_store_async:
 * @profile: the profile name
 * @secret: what to keep; replaces an item of the same profile and kind
 *
 * Stores @secret. When the Secret Service is unusable the keyring switches
 * to memory only (see gk_keyring_is_memory_only()) and the store succeeds.
 */
void
gk_keyring_store_async (GkKeyring           *self,
                        const char          *profile,
                        GkKeyringKind        kind,
                        const char          *secret,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (GK_IS_KEYRING (self));
  g_return_if_fail (profile != NULL);
  g_return_if_fail (kind < GK_KEYRING_N_KINDS);
  g_return_if_fail (secret != NULL);

  op_start (self, op_new (self, gk_keyring_store_async, profile, kind, secret, cancellable,
                          callback, user_data),
            store_start);
}

gboolean
gk_keyring_store_finish (GkKeyring     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkKeyring *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error == NULL)
    {
      /* Hand out a GLib-allocated copy; libsecret's wipes itself. */
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, copy, wipe_secret);
      return;
    }
  if (is_own_cancellation (task))
    {
      g_task_return_error_if_cancelled (task);
      return;
    }
  switch_to_memory (self, error);
  key = memory_key (data->profile, data->kind);
  g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->memory, key)), wipe_secret);
}

static void
lookup_start (GTask *task)
{
  GkKeyring *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  if (self->memory_only)
    {
      g_autofree char *key = memory_key (data->profile, data->kind);

      g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->memory, key)),
                             wipe_secret);
      g_object_unref (task);
      return;
    }
  attributes = build_attributes (data->profile, data->kind);
  secret_password_lookupv (&keyring_schema, attributes, g_task_get_cancellable (task),
                           on_looked_up_cb, task);
}

/**
 * gk_keyring_lookup_async:
 *
 * Looks up the item of @profile and @kind; a missing item is not an error.
 */
void
gk_keyring_lookup_async (GkKeyring           *self,
                         const char          *profile,
                         GkKeyringKind        kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (GK_IS_KEYRING (self));
  g_return_if_fail (profile != NULL);
  g_return_if_fail (kind < GK_KEYRING_N_KINDS);

  op_start (self, op_new (self, gk_keyring_lookup_async, profile, kind, NULL, cancellable,
                          callback, user_data),
            lookup_start);
}

/**
 * gk_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret (free it with
 *   gk_keyring_free_secret()), or %NULL when there is none or on error
 */
char *
gk_keyring_lookup_finish (GkKeyring     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means "nothing matched". */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      if (is_own_cancellation (task))
        {
          g_task_return_error_if_cancelled (task);
          return;
        }
      g_task_return_new_error (task, GK_KEYRING_ERROR, GK_KEYRING_ERROR_FAILED,
                               _("Could not delete the sign-in from the keyring: %s. "
                                 "Unlock the keyring and sign out again."),
                               error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
delete_start (GTask *task)
{
  GkKeyring *self = g_task_get_source_object (task);
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  if (self->memory_only)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  attributes = build_attributes (data->profile, data->kind);
  secret_password_clearv (&keyring_schema, attributes, g_task_get_cancellable (task),
                          on_cleared_cb, task);
}

/**
 * gk_keyring_delete_async:
 * @kind: a #GkKeyringKind, or -1 for every item of @profile
 */
void
gk_keyring_delete_async (GkKeyring           *self,
                         const char          *profile,
                         int                  kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_KEYRING (self));
  g_return_if_fail (profile != NULL);
  g_return_if_fail (kind < GK_KEYRING_N_KINDS);

  task = op_new (self, gk_keyring_delete_async, profile, kind, NULL, cancellable, callback,
                 user_data);
  memory_delete (self, g_task_get_task_data (task));
  op_start (self, task, delete_start);
}

gboolean
gk_keyring_delete_finish (GkKeyring     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_keyring_return_on_task_cb:
 * @object: the keyring
 * @result: the result of gk_keyring_store_async() or gk_keyring_delete_async()
 * @user_data: (transfer full): the #GTask to end
 *
 * For the objects that keep a secret here and answer a store or a delete
 * with their own task (their source object and tag) and the keyring's
 * outcome.
 */
void
gk_keyring_return_on_task_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (g_task_get_source_tag (G_TASK (result)) == gk_keyring_store_async)
    done = gk_keyring_store_finish (GK_KEYRING (object), result, &error);
  else
    done = gk_keyring_delete_finish (GK_KEYRING (object), result, &error);
  if (!done)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------ */

static void
gk_keyring_finalize (GObject *object)
{
  GkKeyring *self = GK_KEYRING (object);

  g_clear_pointer (&self->memory, g_hash_table_unref);
  g_free (self->memory_only_message);

  G_OBJECT_CLASS (gk_keyring_parent_class)->finalize (object);
}

static void
gk_keyring_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GkKeyring *self = GK_KEYRING (object);

  switch (prop_id)
    {
    case PROP_MEMORY_ONLY:
      g_value_set_boolean (value, self->memory_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_keyring_class_init (GkKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_keyring_finalize;
  object_class->get_property = gk_keyring_get_property;

  /**
   * GkKeyring:memory-only:
   *
   * %TRUE once secrets are kept in this process's memory only.
   */
  properties[PROP_MEMORY_ONLY] =
    g_param_spec_boolean ("memory-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gk_keyring_init (GkKeyring *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_secret);
}

/**
 * gk_keyring_new:
 *
 * Returns: (transfer full): a keyring on the Secret Service (inside Flatpak,
 *   libsecret uses the Secret portal by itself)
 */
GkKeyring *
gk_keyring_new (void)
{
  return g_object_new (GK_TYPE_KEYRING, NULL);
}

/**
 * gk_keyring_new_memory_only:
 *
 * Returns: (transfer full): a keyring that never touches the Secret Service
 */
GkKeyring *
gk_keyring_new_memory_only (void)
{
  GkKeyring *self = gk_keyring_new ();

  self->memory_only = TRUE;
  self->memory_only_message =
    g_strdup (_("No keyring is used, so you will have to sign in again next time: Genokey "
                "keeps this sign-in in memory only, until it quits."));
  return self;
}

gboolean
gk_keyring_is_memory_only (GkKeyring *self)
{
  g_return_val_if_fail (GK_IS_KEYRING (self), FALSE);
  return self->memory_only;
}

/**
 * gk_keyring_get_memory_only_message:
 *
 * Returns: (nullable): what to tell the user while memory-only, else %NULL
 */
const char *
gk_keyring_get_memory_only_message (GkKeyring *self)
{
  g_return_val_if_fail (GK_IS_KEYRING (self), NULL);
  return self->memory_only ? self->memory_only_message : NULL;
}
