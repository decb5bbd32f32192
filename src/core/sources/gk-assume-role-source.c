/* gk-assume-role-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gk-assume-role-source.h"
#include "gk-session.h"
#include "gk-sts.h"

/* The signing credentials must outlive the AssumeRole call itself. */
#define SIGNER_MIN_VALID 60

struct _GkAssumeRoleSource
{
  GObject parent_instance;

  GkProfile *profile;
  GkCredentialSource *source;
  GkKeyring *keyring;
  GkStsClient *sts;
  char *description;

  GkCredentials *credentials;
  GList *waiting;     /* GTasks waiting for the AssumeRole in flight */
  gboolean assuming;
  gboolean source_restored;
  gint64 min_valid;   /* the most any waiting caller asked for */
};

static void gk_assume_role_source_iface_init (GkCredentialSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkAssumeRoleSource, gk_assume_role_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_CREDENTIAL_SOURCE,
                                                      gk_assume_role_source_iface_init))

/* ---- the credentials in the keyring -------------------------------------- */

static char *
credentials_to_json (GkCredentials *credentials)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "AccessKeyId");
  json_builder_add_string_value (builder, gk_credentials_get_access_key_id (credentials));
  json_builder_set_member_name (builder, "SecretAccessKey");
  json_builder_add_string_value (builder, gk_credentials_get_secret_access_key (credentials));
  json_builder_set_member_name (builder, "SessionToken");
  json_builder_add_string_value (builder, gk_credentials_get_session_token (credentials));
  json_builder_set_member_name (builder, "Expiration");
  json_builder_add_int_value (builder, gk_credentials_get_expiration (credentials));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static GkCredentials *
credentials_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *o;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (o, "AccessKeyId") || !json_object_has_member (o, "SecretAccessKey")
      || !json_object_has_member (o, "SessionToken") || !json_object_has_member (o, "Expiration"))
    return NULL;
  return gk_credentials_new (json_object_get_string_member (o, "AccessKeyId"),
                             json_object_get_string_member (o, "SecretAccessKey"),
                             json_object_get_string_member (o, "SessionToken"),
                             json_object_get_int_member (o, "Expiration"));
}

/* ---- assuming the role ---------------------------------------------------- */

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
finish_waiting (GkAssumeRoleSource *self,
                GkCredentials      *credentials,
                const GError       *error)
{
  GList *waiting = g_steal_pointer (&self->waiting);

  self->assuming = FALSE;
  self->min_valid = 0;
  for (GList *l = waiting; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      if (credentials != NULL)
        g_task_return_pointer (task, gk_credentials_ref (credentials), (GDestroyNotify) gk_credentials_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  g_list_free (waiting);
}

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GkAssumeRoleSource) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Without the keyring (memory only, or a dismissed prompt) the
   * credentials still work for this process; the next one assumes anew. */
  if (!gk_keyring_store_finish (self->keyring, result, &error))
    g_debug ("Could not keep the role's credentials in the keyring: %s", error->message);
}

static void
on_assume_role_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GkAssumeRoleSource) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) credentials = NULL;
  g_autofree char *json = NULL;

  credentials = gk_sts_client_assume_role_finish (self->sts, result, &error);
  if (credentials == NULL)
    {
      finish_waiting (self, NULL, error);
      return;
    }
  g_clear_pointer (&self->credentials, gk_credentials_unref);
  self->credentials = gk_credentials_ref (credentials);

  json = credentials_to_json (credentials);
  gk_keyring_store_async (self->keyring, gk_profile_get_name (self->profile), GK_KEYRING_KIND_CREDENTIALS,
                          json, NULL, on_stored_cb, g_object_ref (self));
  memset (json, 0, strlen (json));
  finish_waiting (self, credentials, NULL);
}

static void
on_signer_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GkAssumeRoleSource) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) signer = NULL;
  GkStsAssumeRoleRequest request = { 0 };

  signer = gk_credential_source_get_credentials_finish (self->source, result, &error);
  if (signer == NULL)
    {
      g_prefix_error (&error, _("The credentials of profile “%s”, which assume the role, are not available: "),
                      gk_profile_get_source_profile (self->profile));
      finish_waiting (self, NULL, error);
      return;
    }

  request.role_arn = gk_profile_get_assume_role_arn (self->profile);
  /* Without a name of its own, the session is named after the user, as
   * AWS's console and the SDKs' examples do; STS's rules are applied to it
   * when it is sent. */
  request.role_session_name = gk_profile_get_role_session_name (self->profile) != NULL
                              ? gk_profile_get_role_session_name (self->profile)
                              : g_get_user_name ();
  request.external_id = gk_profile_get_external_id (self->profile);
  request.duration_seconds = gk_profile_get_duration_seconds (self->profile);
  request.tags = gk_profile_get_session_tags (self->profile);
  request.source_identity = gk_profile_get_source_identity (self->profile);
  request.caller = gk_credential_source_get_description (self->source);
  gk_sts_client_assume_role_async (self->sts, &request, signer, NULL, on_assume_role_cb,
                                   g_object_ref (self));
}

static void
on_source_restored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GkAssumeRoleSource) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gk_session_restore_finish (GK_SESSION (self->source), result, &error))
    {
      finish_waiting (self, NULL, error);
      return;
    }
  gk_credential_source_get_credentials_async (self->source, SIGNER_MIN_VALID, NULL,
                                              on_signer_cb, g_object_ref (self));
}

static void
start_assume_role (GkAssumeRoleSource *self)
{
  self->assuming = TRUE;
  /* A lab sign-in as source profile is read from the keyring on first use,
   * as the command line and the window do for their own profile. */
  if (GK_IS_SESSION (self->source) && !self->source_restored
      && gk_session_get_state (GK_SESSION (self->source)) == GK_SESSION_STATE_SIGNED_OUT)
    {
      self->source_restored = TRUE;
      gk_session_restore_async (GK_SESSION (self->source), NULL, on_source_restored_cb, g_object_ref (self));
      return;
    }
  gk_credential_source_get_credentials_async (self->source, SIGNER_MIN_VALID, NULL,
                                              on_signer_cb, g_object_ref (self));
}

static void
on_cached_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GkAssumeRoleSource) self = user_data;
  g_autofree char *json = gk_keyring_lookup_finish (self->keyring, result, NULL);
  g_autoptr(GkCredentials) cached = credentials_from_json (json);

  if (json != NULL)
    memset (json, 0, strlen (json));
  /* Another Genokey process may have renewed them meanwhile. */
  if (cached != NULL && gk_credentials_is_valid_at (cached, now_unix (), self->min_valid))
    {
      g_clear_pointer (&self->credentials, gk_credentials_unref);
      self->credentials = gk_credentials_ref (cached);
      finish_waiting (self, cached, NULL);
      return;
    }
  start_assume_role (self);
}

static void
gk_assume_role_source_get_credentials_async (GkCredentialSource  *source,
                                             gint64               min_valid,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  GkAssumeRoleSource *self = GK_ASSUME_ROLE_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, gk_assume_role_source_get_credentials_async);

  if (self->credentials != NULL && gk_credentials_is_valid_at (self->credentials, now_unix (), min_valid))
    {
      g_task_return_pointer (task, gk_credentials_ref (self->credentials), (GDestroyNotify) gk_credentials_unref);
      g_object_unref (task);
      return;
    }
  /* One AssumeRole at a time: later callers wait for the one in flight. */
  self->waiting = g_list_append (self->waiting, task);
  self->min_valid = MAX (self->min_valid, min_valid);
  if (self->assuming)
    return;
  self->assuming = TRUE;
  gk_keyring_lookup_async (self->keyring, gk_profile_get_name (self->profile), GK_KEYRING_KIND_CREDENTIALS,
                           NULL, on_cached_cb, g_object_ref (self));
}

static GkCredentials *
gk_assume_role_source_get_credentials_finish (GkCredentialSource  *source,
                                              GAsyncResult        *result,
                                              GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
gk_assume_role_source_get_description (GkCredentialSource *source)
{
  return GK_ASSUME_ROLE_SOURCE (source)->description;
}

/* ---- public ---------------------------------------------------------------- */

GkAssumeRoleSource *
gk_assume_role_source_new (GkProfile          *profile,
                           GkCredentialSource *source,
                           GkKeyring          *keyring)
{
  GkAssumeRoleSource *self;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (gk_profile_get_source (profile) == GK_PROFILE_SOURCE_ASSUME_ROLE, NULL);
  g_return_val_if_fail (GK_IS_CREDENTIAL_SOURCE (source), NULL);
  g_return_val_if_fail (GK_IS_KEYRING (keyring), NULL);

  self = g_object_new (GK_TYPE_ASSUME_ROLE_SOURCE, NULL);
  self->profile = g_object_ref (profile);
  self->source = g_object_ref (source);
  self->keyring = g_object_ref (keyring);
  /* STS is signed for the region of its endpoint: the profile's. */
  self->sts = gk_sts_client_new (gk_profile_get_sts_endpoint (profile), gk_profile_get_region (profile));
  self->description = g_strdup_printf (_("role %s of profile “%s”"),
                                       gk_profile_get_assume_role_arn (profile), gk_profile_get_name (profile));
  return self;
}

GkCredentialSource *
gk_assume_role_source_get_source (GkAssumeRoleSource *self)
{
  g_return_val_if_fail (GK_IS_ASSUME_ROLE_SOURCE (self), NULL);
  return self->source;
}

gint64
gk_assume_role_source_get_expiration (GkAssumeRoleSource *self)
{
  g_return_val_if_fail (GK_IS_ASSUME_ROLE_SOURCE (self), 0);
  return self->credentials != NULL ? gk_credentials_get_expiration (self->credentials) : 0;
}

void
gk_assume_role_source_forget_async (GkAssumeRoleSource  *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_ASSUME_ROLE_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_assume_role_source_forget_async);
  g_clear_pointer (&self->credentials, gk_credentials_unref);
  gk_keyring_delete_async (self->keyring, gk_profile_get_name (self->profile), GK_KEYRING_KIND_CREDENTIALS,
                           cancellable, gk_keyring_return_on_task_cb, task);
}

gboolean
gk_assume_role_source_forget_finish (GkAssumeRoleSource  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
gk_assume_role_source_iface_init (GkCredentialSourceInterface *iface)
{
  iface->get_credentials_async = gk_assume_role_source_get_credentials_async;
  iface->get_credentials_finish = gk_assume_role_source_get_credentials_finish;
  iface->get_description = gk_assume_role_source_get_description;
}

static void
gk_assume_role_source_dispose (GObject *object)
{
  GkAssumeRoleSource *self = GK_ASSUME_ROLE_SOURCE (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->source);
  g_clear_object (&self->keyring);
  g_clear_object (&self->sts);

  G_OBJECT_CLASS (gk_assume_role_source_parent_class)->dispose (object);
}

static void
gk_assume_role_source_finalize (GObject *object)
{
  GkAssumeRoleSource *self = GK_ASSUME_ROLE_SOURCE (object);

  g_free (self->description);
  g_clear_pointer (&self->credentials, gk_credentials_unref);

  G_OBJECT_CLASS (gk_assume_role_source_parent_class)->finalize (object);
}

static void
gk_assume_role_source_class_init (GkAssumeRoleSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_assume_role_source_dispose;
  object_class->finalize = gk_assume_role_source_finalize;
}

static void
gk_assume_role_source_init (GkAssumeRoleSource *self)
{
}
