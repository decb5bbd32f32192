/* gk-source-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-access-key-source.h"
#include "gk-source-profile.h"

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

static void
set_string (JsonObject *object,
            const char *key,
            const char *value)
{
  if (is_set (value))
    json_object_set_string_member (object, key, value);
}

/**
 * gk_source_profile_build:
 * @name: the new profile's name
 * @fields: what the face gathered
 *
 * Writes the fields as the profile file's keys and lets the profile read
 * them back, so the window and the command line get the same checks (and
 * the same messages, naming the key) as a hand-written file.
 *
 * Returns: (transfer full): the profile, or %NULL with a #GK_PROFILE_ERROR
 */
GkProfile *
gk_source_profile_build (const char                   *name,
                         const GkSourceProfileFields  *fields,
                         GError                      **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (fields->source != GK_PROFILE_SOURCE_COGNITO, NULL);

  json_object_set_string_member (object, "source", gk_profile_source_to_string (fields->source));
  set_string (object, "aws_region", fields->region);
  set_string (object, "endpoint_url", fields->endpoint_url);

  switch (fields->source)
    {
    case GK_PROFILE_SOURCE_ACCESS_KEY:
      set_string (object, "access_key_id", fields->access_key_id);
      set_string (object, "iam_endpoint", fields->iam_endpoint);
      break;
    case GK_PROFILE_SOURCE_ASSUME_ROLE:
      set_string (object, "role_arn", fields->role_arn);
      set_string (object, "external_id", fields->external_id);
      set_string (object, "source_profile", fields->source_profile);
      set_string (object, "role_session_name", fields->role_session_name);
      set_string (object, "source_identity", fields->source_identity);
      set_string (object, "sts_endpoint", fields->sts_endpoint);
      if (fields->duration_seconds != 0)
        json_object_set_int_member (object, "duration_seconds", fields->duration_seconds);
      if (fields->tags != NULL && fields->tags[0] != NULL)
        {
          JsonObject *tags = json_object_new ();

          for (guint i = 0; fields->tags[i] != NULL && fields->tags[i + 1] != NULL; i += 2)
            json_object_set_string_member (tags, fields->tags[i], fields->tags[i + 1]);
          json_object_set_object_member (object, "tags", tags);
        }
      break;
    case GK_PROFILE_SOURCE_INSTANCE_PROFILE:
    case GK_PROFILE_SOURCE_COGNITO:
    default:
      break;
    }

  if (is_set (fields->buckets))
    {
      g_auto(GStrv) names = g_strsplit (fields->buckets, ",", -1);
      JsonArray *array = json_array_new ();

      for (guint i = 0; names[i] != NULL; i++)
        if (*g_strstrip (names[i]) != '\0')
          json_array_add_string_element (array, names[i]);
      json_object_set_array_member (object, "buckets", array);
    }

  return gk_profile_new_from_json (object, name, error);
}

/* ---- adding it ------------------------------------------------------------ */

typedef struct
{
  GkProfileStore *store;
  GkKeyring *keyring;
  GkProfile *profile;
  GkSourceProfileAddFlags flags;
} AddData;

static void
add_data_free (AddData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->keyring);
  g_clear_object (&data->profile);
  g_free (data);
}

static void
save (GTask *task)
{
  AddData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!gk_profile_store_save (data->store, data->profile,
                              (data->flags & GK_SOURCE_PROFILE_ADD_REPLACE) != 0, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_secret_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AddData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!gk_access_key_source_store_secret_finish (GK_ACCESS_KEY_SOURCE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The secret is kept only in a keyring, never in a file: where the
   * keyring holds it only in this process's memory, a command that ends
   * now would lose it, and a profile without it would only fail later. */
  if ((data->flags & GK_SOURCE_PROFILE_ADD_LASTING_SECRET) && gk_keyring_is_memory_only (data->keyring))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("%s The secret access key can only be kept in a keyring, so nothing was saved."),
                               gk_keyring_get_memory_only_message (data->keyring));
      return;
    }
  save (task);
}

/**
 * gk_source_profile_add_async:
 * @store: where the profile is saved
 * @keyring: where an access key's secret is kept
 * @profile: from gk_source_profile_build()
 * @secret: (nullable): the secret access key, for an access-key profile
 *
 * Saves @profile unless its name is taken (without
 * %GK_SOURCE_PROFILE_ADD_REPLACE) or, for a role, its source profile does
 * not exist; an access key's secret is checked and stored first, and
 * nothing is saved when it cannot be.
 */
void
gk_source_profile_add_async (GkProfileStore           *store,
                             GkKeyring                *keyring,
                             GkProfile                *profile,
                             const char               *secret,
                             GkSourceProfileAddFlags   flags,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GkProfile) existing = NULL;
  AddData *data;
  GError *error = NULL;

  g_return_if_fail (GK_IS_PROFILE_STORE (store));
  g_return_if_fail (GK_IS_KEYRING (keyring));
  g_return_if_fail (GK_IS_PROFILE (profile));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_source_profile_add_async);
  data = g_new0 (AddData, 1);
  data->store = g_object_ref (store);
  data->keyring = g_object_ref (keyring);
  data->profile = g_object_ref (profile);
  data->flags = flags;
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  if (!(flags & GK_SOURCE_PROFILE_ADD_REPLACE) &&
      (existing = gk_profile_store_load (store, gk_profile_get_name (profile), NULL)) != NULL)
    {
      error = g_error_new (GK_PROFILE_ERROR, GK_PROFILE_ERROR_EXISTS,
                           _("A profile called “%s” exists already."), gk_profile_get_name (profile));
      gk_profile_error_set_profile (error, gk_profile_get_name (profile));
      g_task_return_error (task, error);
      return;
    }

  if (gk_profile_get_source (profile) == GK_PROFILE_SOURCE_ASSUME_ROLE)
    {
      g_autoptr(GkProfile) other = gk_profile_store_load (store, gk_profile_get_source_profile (profile),
                                                          &error);

      if (other == NULL)
        {
          g_prefix_error (&error, _("The role’s source profile “%s”: "),
                          gk_profile_get_source_profile (profile));
          g_task_return_error (task, error);
          return;
        }
    }

  if (gk_profile_get_source (profile) == GK_PROFILE_SOURCE_ACCESS_KEY)
    {
      g_autoptr(GkAccessKeySource) source = gk_access_key_source_new (profile, keyring);

      /* The secret first: a profile without its secret would only fail later. */
      gk_access_key_source_store_secret_async (source, secret, cancellable, on_secret_stored_cb,
                                               g_steal_pointer (&task));
      return;
    }

  save (task);
}

/**
 * gk_source_profile_add_finish:
 *
 * Returns: %TRUE when the profile was saved
 */
gboolean
gk_source_profile_add_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gk_source_profile_add_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
