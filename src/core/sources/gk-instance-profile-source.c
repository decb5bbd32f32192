/* gk-instance-profile-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-http.h"
#include "gk-instance-profile-source.h"

/* The SDKs wait one second per metadata request and retry once; Genokey
 * allows a little more, since a loaded machine (or a sanitizer build) is
 * slow too, but never the minutes a TCP connect to an address that does
 * not answer can take. */
#define IMDS_TIMEOUT_SECONDS 3
#define IMDS_TOKEN_TTL       21600
#define IMDS_MAX_ANSWER      (64 * 1024)
#define CREDENTIALS_PATH     "/latest/meta-data/iam/security-credentials/"

struct _GkInstanceProfileSource
{
  GObject parent_instance;

  GkProfile *profile;
  SoupSession *http;
  char *endpoint;       /* without a trailing slash */
  gboolean disabled;
  char *description;

  char *token;          /* the IMDSv2 session token, kept until near its end */
  gint64 token_expires;
  char *role_name;
  GkCredentials *credentials;
};

static void gk_instance_profile_source_iface_init (GkCredentialSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GkInstanceProfileSource, gk_instance_profile_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GK_TYPE_CREDENTIAL_SOURCE,
                                                      gk_instance_profile_source_iface_init))

G_DEFINE_QUARK (gk-instance-profile-error-quark, gk_instance_profile_error)

static const char *
env_get (const char * const *envp,
         const char         *name)
{
  const char *value = envp != NULL ? g_environ_getenv ((char **) envp, name) : g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

/**
 * gk_instance_profile_source_new:
 *
 * Returns: (transfer full): the source; nothing is asked before the first
 *   get_credentials
 */
GkInstanceProfileSource *
gk_instance_profile_source_new (GkProfile          *profile,
                                const char * const *envp)
{
  GkInstanceProfileSource *self;
  const char *endpoint = env_get (envp, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  const char *disabled = env_get (envp, "AWS_EC2_METADATA_DISABLED");

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);

  self = g_object_new (GK_TYPE_INSTANCE_PROFILE_SOURCE, NULL);
  self->profile = g_object_ref (profile);
  self->endpoint = g_strdup (endpoint != NULL ? endpoint : GK_INSTANCE_PROFILE_DEFAULT_ENDPOINT);
  while (g_str_has_suffix (self->endpoint, "/"))
    self->endpoint[strlen (self->endpoint) - 1] = '\0';
  /* As the SDKs read it: "true" in any case turns the service off. */
  self->disabled = disabled != NULL && g_ascii_strcasecmp (disabled, "true") == 0;
  self->description = g_strdup_printf (_("instance profile of profile “%s”"), gk_profile_get_name (profile));
  return self;
}

const char *
gk_instance_profile_source_get_endpoint (GkInstanceProfileSource *self)
{
  g_return_val_if_fail (GK_IS_INSTANCE_PROFILE_SOURCE (self), NULL);
  return self->endpoint;
}

const char *
gk_instance_profile_source_get_role_name (GkInstanceProfileSource *self)
{
  g_return_val_if_fail (GK_IS_INSTANCE_PROFILE_SOURCE (self), NULL);
  return self->role_name;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

GkCredentials *
gk_instance_profile_parse_credentials (const char  *json,
                                       gssize       length,
                                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GDateTime) expiration = NULL;
  JsonObject *object;
  const char *code, *key_id, *secret, *token, *expires;

  if (!json_parser_load_from_data (parser, json, length, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_INVALID,
                           _("The instance metadata service answered with something that is not the role's credentials."));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  code = member_string (object, "Code");
  if (g_strcmp0 (code, "Success") != 0)
    {
      g_set_error (error, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_REFUSED,
                   _("The instance metadata service has no credentials for the role now (%s). "
                     "Check the instance profile's role in the EC2 console."),
                   code != NULL ? code : "?");
      return NULL;
    }
  key_id = member_string (object, "AccessKeyId");
  secret = member_string (object, "SecretAccessKey");
  token = member_string (object, "Token");
  expires = member_string (object, "Expiration");
  expiration = expires != NULL ? g_date_time_new_from_iso8601 (expires, NULL) : NULL;
  if (key_id == NULL || secret == NULL || token == NULL || expiration == NULL)
    {
      g_set_error_literal (error, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_INVALID,
                           _("The role's credentials from the instance metadata service lack a key, "
                             "token or expiry."));
      return NULL;
    }
  return gk_credentials_new (key_id, secret, token, g_date_time_to_unix (expiration));
}

/* ---- the three requests -------------------------------------------------
 * A state machine over one task: TOKEN (PUT) → ROLE (GET) → CREDENTIALS
 * (GET). A 401 on a GET means the token expired: start again once. */

typedef enum
{
  STEP_TOKEN,
  STEP_ROLE,
  STEP_CREDENTIALS,
} Step;

typedef struct
{
  Step step;
  SoupMessage *message;
  gboolean retried;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->message);
  g_free (data);
}

static void send_step (GTask *task);

static GError *
not_ec2_error (GkInstanceProfileSource *self,
               const GError            *cause)
{
  return g_error_new (GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_NOT_EC2,
                      _("No instance metadata service answered at %s (%s): this does not look like "
                        "an EC2 instance, so its instance profile cannot be used here. Use a profile "
                        "with another source on this computer."),
                      self->endpoint, cause->message);
}

static void
on_step_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GkInstanceProfileSource *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = gk_http_send_and_read_finish (result, &error);
  g_autofree char *text = NULL;
  guint status;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, not_ec2_error (self, error));
      return;
    }
  status = soup_message_get_status (data->message);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  if (status == 401 && data->step != STEP_TOKEN && !data->retried)
    {
      /* The token ran out (or the service restarted): one new one. */
      data->retried = TRUE;
      g_clear_pointer (&self->token, g_free);
      data->step = STEP_TOKEN;
      send_step (g_steal_pointer (&task));
      return;
    }
  if (status == 404 && data->step != STEP_TOKEN)
    {
      g_task_return_new_error (task, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_NO_ROLE,
                               _("This EC2 instance has no instance profile (IAM role) attached. "
                                 "Attach one in the EC2 console (Actions › Security › Modify IAM role)."));
      return;
    }
  if (status != 200)
    {
      /* 403 to the token request: IMDS is off, or the request came through
       * a proxy; 400: the TTL header was refused. Genokey never falls back
       * to IMDSv1. */
      g_task_return_new_error (task, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_REFUSED,
                               data->step == STEP_TOKEN
                               ? _("The instance metadata service at %s refused an IMDSv2 session token "
                                   "(HTTP %u). Check that instance metadata is turned on for this instance.")
                               : _("The instance metadata service at %s refused the request (HTTP %u)."),
                               self->endpoint, status);
      return;
    }

  switch (data->step)
    {
    case STEP_TOKEN:
      g_free (self->token);
      self->token = g_strstrip (g_steal_pointer (&text));
      self->token_expires = g_get_monotonic_time () / G_USEC_PER_SEC + IMDS_TOKEN_TTL;
      data->step = STEP_ROLE;
      send_step (g_steal_pointer (&task));
      return;
    case STEP_ROLE:
      {
        g_auto(GStrv) lines = g_strsplit (g_strstrip (text), "\n", 2);

        if (lines[0] == NULL || *lines[0] == '\0' || strchr (lines[0], '/') != NULL)
          {
            g_task_return_new_error (task, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_NO_ROLE,
                                     _("This EC2 instance has no instance profile (IAM role) attached. "
                                       "Attach one in the EC2 console (Actions › Security › Modify IAM role)."));
            return;
          }
        g_free (self->role_name);
        self->role_name = g_strdup (g_strstrip (lines[0]));
        data->step = STEP_CREDENTIALS;
        send_step (g_steal_pointer (&task));
        return;
      }
    case STEP_CREDENTIALS:
    default:
      {
        GkCredentials *credentials = gk_instance_profile_parse_credentials (text, -1, &error);

        if (credentials == NULL)
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        g_clear_pointer (&self->credentials, gk_credentials_unref);
        self->credentials = gk_credentials_ref (credentials);
        g_task_return_pointer (task, credentials, (GDestroyNotify) gk_credentials_unref);
        return;
      }
    }
}

static void
send_step (GTask *task)
{
  GkInstanceProfileSource *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;

  if (data->step == STEP_TOKEN && self->token != NULL
      && g_get_monotonic_time () / G_USEC_PER_SEC < self->token_expires - 60)
    data->step = STEP_ROLE;

  g_clear_object (&data->message);
  if (data->step == STEP_TOKEN)
    url = g_strconcat (self->endpoint, "/latest/api/token", NULL);
  else if (data->step == STEP_ROLE)
    url = g_strconcat (self->endpoint, CREDENTIALS_PATH, NULL);
  else
    {
      g_autofree char *escaped = g_uri_escape_string (self->role_name, NULL, FALSE);

      url = g_strconcat (self->endpoint, CREDENTIALS_PATH, escaped, NULL);
    }
  data->message = soup_message_new (data->step == STEP_TOKEN ? "PUT" : "GET", url);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_INVALID,
                               _("The instance metadata address “%s” (AWS_EC2_METADATA_SERVICE_ENDPOINT) "
                                 "is not an http:// address."), self->endpoint);
      g_object_unref (task);
      return;
    }
  /* Metadata never redirects; a redirect would carry the token elsewhere. */
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (data->message);
  if (data->step == STEP_TOKEN)
    {
      g_autofree char *ttl = g_strdup_printf ("%d", IMDS_TOKEN_TTL);

      soup_message_headers_replace (headers, "X-aws-ec2-metadata-token-ttl-seconds", ttl);
    }
  else
    soup_message_headers_replace (headers, "X-aws-ec2-metadata-token", self->token);

  gk_http_send_and_read_async (self->http, data->message, IMDS_MAX_ANSWER, G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task), on_step_read_cb, task);
}

static void
gk_instance_profile_source_get_credentials_async (GkCredentialSource  *source,
                                                  gint64               min_valid,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data)
{
  GkInstanceProfileSource *self = GK_INSTANCE_PROFILE_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_task_set_source_tag (task, gk_instance_profile_source_get_credentials_async);

  if (self->disabled)
    {
      g_task_return_new_error (task, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_DISABLED,
                               _("Instance metadata is turned off here (AWS_EC2_METADATA_DISABLED is "
                                 "true), so the instance profile cannot be used. Unset it, or use a "
                                 "profile with another source."));
      g_object_unref (task);
      return;
    }
  /* EC2 rotates the role's credentials well before they expire, so
   * whatever the service hands out now is the freshest there is. */
  if (self->credentials != NULL && gk_credentials_is_valid_at (self->credentials, now, min_valid))
    {
      g_task_return_pointer (task, gk_credentials_ref (self->credentials),
                             (GDestroyNotify) gk_credentials_unref);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, g_new0 (FetchData, 1), (GDestroyNotify) fetch_data_free);
  send_step (task);
}

static GkCredentials *
gk_instance_profile_source_get_credentials_finish (GkCredentialSource  *source,
                                                   GAsyncResult        *result,
                                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const char *
gk_instance_profile_source_get_description (GkCredentialSource *source)
{
  return GK_INSTANCE_PROFILE_SOURCE (source)->description;
}

static void
gk_instance_profile_source_iface_init (GkCredentialSourceInterface *iface)
{
  iface->get_credentials_async = gk_instance_profile_source_get_credentials_async;
  iface->get_credentials_finish = gk_instance_profile_source_get_credentials_finish;
  iface->get_description = gk_instance_profile_source_get_description;
}

static void
gk_instance_profile_source_dispose (GObject *object)
{
  GkInstanceProfileSource *self = GK_INSTANCE_PROFILE_SOURCE (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (gk_instance_profile_source_parent_class)->dispose (object);
}

static void
gk_instance_profile_source_finalize (GObject *object)
{
  GkInstanceProfileSource *self = GK_INSTANCE_PROFILE_SOURCE (object);

  g_free (self->endpoint);
  g_free (self->description);
  g_free (self->token);
  g_free (self->role_name);
  g_clear_pointer (&self->credentials, gk_credentials_unref);

  G_OBJECT_CLASS (gk_instance_profile_source_parent_class)->finalize (object);
}

static void
gk_instance_profile_source_class_init (GkInstanceProfileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gk_instance_profile_source_dispose;
  object_class->finalize = gk_instance_profile_source_finalize;
}

static void
gk_instance_profile_source_init (GkInstanceProfileSource *self)
{
  /* No proxy: the metadata address is link-local, and IMDS refuses tokens
   * asked for through one. */
  self->http = soup_session_new_with_options ("timeout", IMDS_TIMEOUT_SECONDS,
                                              "proxy-resolver", NULL,
                                              "user-agent", "Genokey", NULL);
}
