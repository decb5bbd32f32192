/* gk-env-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-env-credentials.h"
#include "gk-profile.h"

struct _GkEnvCredentials
{
  GObject parent_instance;

  GkCredentials *credentials;
  char *region;
  char *endpoint;
};

static void gk_env_credentials_source_iface_init (GkCredentialSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkEnvCredentials, gk_env_credentials, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_CREDENTIAL_SOURCE,
                                                      gk_env_credentials_source_iface_init))

G_DEFINE_QUARK (gk-env-credentials-error-quark, gk_env_credentials_error)

static const char *
env_get (const char * const *envp,
         const char         *name)
{
  const char *value = envp != NULL ? g_environ_getenv ((char **) envp, name) : g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

static gboolean
endpoint_is_acceptable (const char *endpoint)
{
  /* As written (see gk-profile.c's endpoint check): a host must be a
   * plain host name or IP address, not escapes that decode to others. */
  g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme, *host;

  if (uri == NULL || !gk_profile_host_is_valid (g_uri_get_host (uri)))
    return FALSE;
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  /* Plain http only to this computer (the local stand-in, a MinIO on localhost). */
  return g_ascii_strcasecmp (scheme, "http") == 0 && gk_profile_host_is_loopback (host);
}

/**
 * gk_env_credentials_new:
 * @envp: (nullable): the environment to read (g_get_environ() form), or
 *   %NULL for the process environment
 *
 * Returns: (transfer full): the source, or %NULL with an error that names
 *   the missing or bad variable
 */
GkEnvCredentials *
gk_env_credentials_new (const char * const  *envp,
                        GError             **error)
{
  g_autoptr(GkEnvCredentials) self = NULL;
  const char *key_id = env_get (envp, "AWS_ACCESS_KEY_ID");
  const char *secret = env_get (envp, "AWS_SECRET_ACCESS_KEY");
  const char *token = env_get (envp, "AWS_SESSION_TOKEN");
  const char *expiration = env_get (envp, "AWS_CREDENTIAL_EXPIRATION");
  const char *region = env_get (envp, "AWS_REGION");
  const char *endpoint = env_get (envp, "AWS_ENDPOINT_URL_S3");
  gint64 expires_at = 0;

  if (key_id == NULL || secret == NULL)
    {
      g_set_error (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_MISSING,
                   _("%s is not set. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
                     "AWS_SESSION_TOKEN for temporary credentials)."),
                   key_id == NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY");
      return NULL;
    }
  if (g_str_has_prefix (key_id, "ASIA") && token == NULL)
    {
      g_set_error_literal (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_MISSING,
                           _("AWS_ACCESS_KEY_ID holds temporary credentials (ASIA…) but "
                             "AWS_SESSION_TOKEN is not set. Set the session token that came with them."));
      return NULL;
    }
  if (expiration != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (expiration, NULL);

      if (dt == NULL)
        {
          g_set_error_literal (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_INVALID,
                               _("AWS_CREDENTIAL_EXPIRATION is not a date such as "
                                 "2026-11-23T14:05:00Z. Fix or unset it."));
          return NULL;
        }
      expires_at = g_date_time_to_unix (dt);
      if (expires_at <= 0)
        expires_at = 1;
    }
  if (region == NULL)
    region = env_get (envp, "AWS_DEFAULT_REGION");
  if (endpoint == NULL)
    endpoint = env_get (envp, "AWS_ENDPOINT_URL");
  if (endpoint != NULL && !endpoint_is_acceptable (endpoint))
    {
      /* Shown without the user info or query it may have been refused for. */
      g_autofree char *shown = gk_profile_describe_url (endpoint);

      g_set_error (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_INVALID,
                   _("The S3 endpoint “%s” (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) must be an "
                     "https:// URL whose host is a plain host name or IP address (no %% escapes "
                     "or quotes), without user name or query; plain http:// only to this computer."),
                   shown);
      return NULL;
    }
  if (endpoint != NULL && region == NULL)
    {
      g_set_error_literal (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_MISSING,
                           _("An S3 endpoint is set but no region: set AWS_REGION too (the "
                             "region is part of every signature)."));
      return NULL;
    }

  self = g_object_new (GK_TYPE_ENV_CREDENTIALS, NULL);
  self->credentials = gk_credentials_new (key_id, secret, token, expires_at);
  self->region = g_strdup (region);
  self->endpoint = g_strdup (endpoint);
  return g_steal_pointer (&self);
}

/**
 * gk_env_credentials_get_region:
 *
 * Returns: (nullable): AWS_REGION or AWS_DEFAULT_REGION
 */
const char *
gk_env_credentials_get_region (GkEnvCredentials *self)
{
  g_return_val_if_fail (GK_IS_ENV_CREDENTIALS (self), NULL);
  return self->region;
}

/**
 * gk_env_credentials_get_endpoint:
 *
 * Returns: (nullable): AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; S3 is then
 *   addressed path-style at it, in the region above
 */
const char *
gk_env_credentials_get_endpoint (GkEnvCredentials *self)
{
  g_return_val_if_fail (GK_IS_ENV_CREDENTIALS (self), NULL);
  return self->endpoint;
}

/**
 * gk_env_credentials_peek:
 *
 * Returns: (transfer none): the credentials as read
 */
GkCredentials *
gk_env_credentials_peek (GkEnvCredentials *self)
{
  g_return_val_if_fail (GK_IS_ENV_CREDENTIALS (self), NULL);
  return self->credentials;
}

static void
gk_env_credentials_get_credentials_async (GkCredentialSource  *source,
                                          gint64               min_valid,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GkEnvCredentials *self = GK_ENV_CREDENTIALS (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_task_set_source_tag (task, gk_env_credentials_get_credentials_async);

  /* Environment variables cannot be renewed: hand out what there is while
   * it still works at all, and say what to do once it does not. */
  if (!gk_credentials_is_valid_at (self->credentials, now, 0))
    {
      g_task_return_new_error (task, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_EXPIRED,
                               _("The credentials in AWS_ACCESS_KEY_ID and AWS_SESSION_TOKEN "
                                 "expired (AWS_CREDENTIAL_EXPIRATION). Get new ones and set them again."));
      return;
    }
  g_task_return_pointer (task, gk_credentials_ref (self->credentials),
                         (GDestroyNotify) gk_credentials_unref);
}

static GkCredentials *
gk_env_credentials_get_credentials_finish (GkCredentialSource  *source,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
gk_env_credentials_get_description (GkCredentialSource *source)
{
  return _("AWS environment variables");
}

static void
gk_env_credentials_source_iface_init (GkCredentialSourceInterface *iface)
{
  iface->get_credentials_async = gk_env_credentials_get_credentials_async;
  iface->get_credentials_finish = gk_env_credentials_get_credentials_finish;
  iface->get_description = gk_env_credentials_get_description;
}

static void
gk_env_credentials_finalize (GObject *object)
{
  GkEnvCredentials *self = GK_ENV_CREDENTIALS (object);

  g_clear_pointer (&self->credentials, gk_credentials_unref);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->endpoint, g_free);

  G_OBJECT_CLASS (gk_env_credentials_parent_class)->finalize (object);
}

static void
gk_env_credentials_class_init (GkEnvCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gk_env_credentials_finalize;
}

static void
gk_env_credentials_init (GkEnvCredentials *self)
{
}
