/* gk-access-key-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-access-key-source.h"
#include "gk-iam.h"

struct _GkAccessKeySource
{
  GObject parent_instance;

  GkProfile *profile;
  GkKeyring *keyring;
  char *description;
};

static void gk_access_key_source_iface_init (GkCredentialSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkAccessKeySource, gk_access_key_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_CREDENTIAL_SOURCE,
                                                      gk_access_key_source_iface_init))

G_DEFINE_QUARK (gk-access-key-error-quark, gk_access_key_error)

void
gk_access_key_age_free (GkAccessKeyAge *age)
{
  if (age == NULL)
    return;
  g_free (age->last_used_service);
  g_free (age->last_used_region);
  g_free (age->status);
  g_free (age);
}

gboolean
gk_access_key_secret_is_plausible (const char *secret)
{
  gsize len;

  if (secret == NULL)
    return FALSE;
  len = strlen (secret);
  return len >= 16 && len <= 128
         && secret[strspn (secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")] == '\0';
}

/**
 * gk_access_key_source_new:
 *
 * Returns: (transfer full): the source of an access-key profile
 */
GkAccessKeySource *
gk_access_key_source_new (GkProfile *profile,
                          GkKeyring *keyring)
{
  GkAccessKeySource *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (gk_profile_get_source (profile) == GK_PROFILE_SOURCE_ACCESS_KEY, NULL);
  g_return_val_if_fail (GK_IS_KEYRING (keyring), NULL);

  self = g_object_new (GK_TYPE_ACCESS_KEY_SOURCE, NULL);
  self->profile = g_object_ref (profile);
  self->keyring = g_object_ref (keyring);
  self->description = g_strdup_printf (_("access key of profile “%s”"), gk_profile_get_name (profile));
  return self;
}

GkProfile *
gk_access_key_source_get_profile (GkAccessKeySource *self)
{
  g_return_val_if_fail (GK_IS_ACCESS_KEY_SOURCE (self), NULL);
  return self->profile;
}

/* ---- the credentials --------------------------------------------------- */

static void
on_secret_looked_up_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkAccessKeySource *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *secret = gk_keyring_lookup_finish (self->keyring, result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (secret == NULL)
    {
      g_task_return_new_error (task, GK_ACCESS_KEY_ERROR, GK_ACCESS_KEY_ERROR_NO_SECRET,
                               _("No secret access key is stored for profile “%s”. Store it again; "
                                 "it is kept only in the keyring."),
                               gk_profile_get_name (self->profile));
      return;
    }
  g_task_return_pointer (task,
                         gk_credentials_new (gk_profile_get_access_key_id (self->profile), secret, NULL, 0),
                         (GDestroyNotify) gk_credentials_unref);
  gk_keyring_free_secret (secret);
}

static void
gk_access_key_source_get_credentials_async (GkCredentialSource  *source,
                                            gint64               min_valid,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GkAccessKeySource *self = GK_ACCESS_KEY_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, gk_access_key_source_get_credentials_async);
  /* Long-term keys do not expire: @min_valid is always met. The secret is
   * read from the keyring each time, so a rotation by another process (or
   * the window) is seen at once. */
  gk_keyring_lookup_async (self->keyring, gk_profile_get_name (self->profile),
                           GK_KEYRING_KIND_ACCESS_KEY_SECRET, cancellable,
                           on_secret_looked_up_cb, task);
}

static GkCredentials *
gk_access_key_source_get_credentials_finish (GkCredentialSource  *source,
                                             GAsyncResult        *result,
                                             GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
gk_access_key_source_get_description (GkCredentialSource *source)
{
  return GK_ACCESS_KEY_SOURCE (source)->description;
}

/* ---- storing and deleting the secret ----------------------------------- */

/**
 * gk_access_key_source_store_secret_async:
 * @secret: the secret access key as the user typed it
 *
 * Stores @secret in the keyring for the profile, replacing what was there.
 * What cannot be a secret (a space, a line break, the key ID pasted in the
 * wrong field) is refused without storing, and without being repeated.
 */
void
gk_access_key_source_store_secret_async (GkAccessKeySource   *self,
                                         const char          *secret,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_ACCESS_KEY_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_access_key_source_store_secret_async);
  if (!gk_access_key_secret_is_plausible (secret)
      || g_strcmp0 (secret, gk_profile_get_access_key_id (self->profile)) == 0)
    {
      g_task_return_new_error (task, GK_ACCESS_KEY_ERROR, GK_ACCESS_KEY_ERROR_INVALID_SECRET,
                               _("That is not a secret access key: it is 40 letters, digits, “+” "
                                 "and “/”, shown once when the key was created. Nothing was stored."));
      g_object_unref (task);
      return;
    }
  gk_keyring_store_async (self->keyring, gk_profile_get_name (self->profile),
                          GK_KEYRING_KIND_ACCESS_KEY_SECRET, secret, cancellable,
                          gk_keyring_return_on_task_cb, task);
}

gboolean
gk_access_key_source_store_secret_finish (GkAccessKeySource  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gk_access_key_source_delete_secret_async (GkAccessKeySource   *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_ACCESS_KEY_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_access_key_source_delete_secret_async);
  gk_keyring_delete_async (self->keyring, gk_profile_get_name (self->profile),
                           GK_KEYRING_KIND_ACCESS_KEY_SECRET, cancellable,
                           gk_keyring_return_on_task_cb, task);
}

gboolean
gk_access_key_source_delete_secret_finish (GkAccessKeySource  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the key's age, from IAM ------------------------------------------- */

typedef struct
{
  GkIamClient *iam;
  GkCredentials *credentials;
  GkAccessKeyAge *age;
} AgeData;

static void
age_data_free (AgeData *data)
{
  g_clear_object (&data->iam);
  g_clear_pointer (&data->credentials, gk_credentials_unref);
  g_clear_pointer (&data->age, gk_access_key_age_free);
  g_free (data);
}

static void
on_last_used_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AgeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkIamKeyLastUsed) last_used = NULL;

  /* The creation date is what was asked; the last use is a bonus that a
   * policy may allow separately, so its failure is not the call's. */
  last_used = gk_iam_client_get_access_key_last_used_finish (GK_IAM_CLIENT (object), result, &error);
  if (last_used == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (last_used == NULL)
    g_debug ("IAM did not say when the key was last used: %s", error->message);
  else if (last_used->last_used > 0)
    {
      data->age->last_used = last_used->last_used;
      data->age->last_used_service = g_steal_pointer (&last_used->service_name);
      data->age->last_used_region = g_steal_pointer (&last_used->region);
    }
  g_task_return_pointer (task, g_steal_pointer (&data->age), (GDestroyNotify) gk_access_key_age_free);
}

static void
on_list_access_keys_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkAccessKeySource *self = g_task_get_source_object (task);
  AgeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  const char *key_id = gk_profile_get_access_key_id (self->profile);
  GkIamAccessKey *key;

  keys = gk_iam_client_list_access_keys_finish (data->iam, result, &error);
  if (keys == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  key = gk_iam_find_access_key (keys, key_id);
  if (key == NULL)
    {
      g_task_return_new_error (task, GK_IAM_ERROR, GK_IAM_ERROR_NOT_FOUND,
                               _("IAM did not list the key %s among the user’s keys."), key_id);
      return;
    }
  data->age = g_new0 (GkAccessKeyAge, 1);
  data->age->created = key->created;
  data->age->status = g_strdup (key->status);
  gk_iam_client_get_access_key_last_used_async (data->iam, key_id, data->credentials,
                                                g_task_get_cancellable (task), on_last_used_cb,
                                                g_object_ref (task));
}

static void
on_age_credentials_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkAccessKeySource *self = g_task_get_source_object (task);
  AgeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (self), result, &error);
  if (data->credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->iam = gk_iam_client_new (gk_profile_get_iam_endpoint (self->profile));
  gk_iam_client_list_access_keys_async (data->iam, data->credentials, g_task_get_cancellable (task),
                                        on_list_access_keys_cb, g_object_ref (task));
}

void
gk_access_key_source_query_age_async (GkAccessKeySource   *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_ACCESS_KEY_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_access_key_source_query_age_async);
  g_task_set_task_data (task, g_new0 (AgeData, 1), (GDestroyNotify) age_data_free);
  gk_credential_source_get_credentials_async (GK_CREDENTIAL_SOURCE (self), 0, cancellable,
                                              on_age_credentials_cb, task);
}

/**
 * gk_access_key_source_query_age_finish:
 *
 * Returns: (transfer full): what IAM says, or %NULL with @error set (a
 *   #GK_IAM_ERROR: %GK_IAM_ERROR_ACCESS_DENIED when a policy does not
 *   allow asking)
 */
GkAccessKeyAge *
gk_access_key_source_query_age_finish (GkAccessKeySource  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------ */

static void
gk_access_key_source_iface_init (GkCredentialSourceInterface *iface)
{
  iface->get_credentials_async = gk_access_key_source_get_credentials_async;
  iface->get_credentials_finish = gk_access_key_source_get_credentials_finish;
  iface->get_description = gk_access_key_source_get_description;
}

static void
gk_access_key_source_dispose (GObject *object)
{
  GkAccessKeySource *self = GK_ACCESS_KEY_SOURCE (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->keyring);

  G_OBJECT_CLASS (gk_access_key_source_parent_class)->dispose (object);
}

static void
gk_access_key_source_finalize (GObject *object)
{
  g_free (GK_ACCESS_KEY_SOURCE (object)->description);

  G_OBJECT_CLASS (gk_access_key_source_parent_class)->finalize (object);
}

static void
gk_access_key_source_class_init (GkAccessKeySourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_access_key_source_dispose;
  object_class->finalize = gk_access_key_source_finalize;
}

static void
gk_access_key_source_init (GkAccessKeySource *self)
{
}
