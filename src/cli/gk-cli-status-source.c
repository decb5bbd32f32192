/* gk-cli-status-source.c: genokey status for profiles whose credentials
 * are not a lab sign-in: where they come from, whether they work now, and
 * for an access key how old it is (when IAM lets the key ask). Never a
 * secret: only the key ID, the role and the endpoints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "gk-access-key-source.h"
#include "gk-assume-role-source.h"
#include "gk-cli-session.h"
#include "gk-cli-status-source.h"
#include "gk-instance-profile-source.h"

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
iso_utc (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static const char *
source_label (GkProfileSource source)
{
  switch (source)
    {
    case GK_PROFILE_SOURCE_ACCESS_KEY: return _("an IAM user's access key");
    case GK_PROFILE_SOURCE_ASSUME_ROLE: return _("a role assumed with STS");
    case GK_PROFILE_SOURCE_INSTANCE_PROFILE: return _("this EC2 instance's instance profile");
    case GK_PROFILE_SOURCE_COGNITO:
    default: return _("a lab sign-in");
    }
}

int
gk_cli_status_source_run (GkCli    *cli,
                          gboolean  json)
{
  GkProfile *profile = gk_cli_get_profile (cli);
  GkCredentialSource *source = gk_cli_get_source (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkCredentials) credentials = NULL;
  g_autoptr(GkAccessKeyAge) age = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) age_error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GkProfileSource kind = gk_profile_get_source (profile);

  gk_credential_source_get_credentials_async (source, 0, gk_cli_get_cancellable (cli), gk_cli_async_ready, cli);
  result = gk_cli_wait (cli);
  credentials = gk_credential_source_get_credentials_finish (source, result, &error);
  g_clear_object (&result);
  if (credentials != NULL && GK_IS_ACCESS_KEY_SOURCE (source))
    {
      gk_access_key_source_query_age_async (GK_ACCESS_KEY_SOURCE (source), gk_cli_get_cancellable (cli),
                                            gk_cli_async_ready, cli);
      result = gk_cli_wait (cli);
      age = gk_access_key_source_query_age_finish (GK_ACCESS_KEY_SOURCE (source), result, &age_error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      g_autofree char *expires = NULL;

      json_builder_begin_object (builder);
      add_string (builder, "profile", gk_profile_get_name (profile));
      add_string (builder, "source", gk_profile_source_to_string (kind));
      add_string (builder, "state", credentials != NULL ? "ready" : "failed");
      if (kind == GK_PROFILE_SOURCE_ACCESS_KEY)
        {
          add_string (builder, "access_key_id", gk_profile_get_access_key_id (profile));
          json_builder_set_member_name (builder, "secret_stored");
          json_builder_add_boolean_value (builder, credentials != NULL);
          if (age != NULL)
            {
              g_autofree char *created = iso_utc (age->created);
              g_autofree char *used = age->last_used > 0 ? iso_utc (age->last_used) : NULL;

              add_string (builder, "key_created", created);
              json_builder_set_member_name (builder, "key_age_days");
              json_builder_add_int_value (builder, (now - age->created) / 86400);
              add_string (builder, "key_last_used", used);
              add_string (builder, "key_last_used_service", age->last_used_service);
            }
          add_string (builder, "key_age_error", age_error != NULL ? age_error->message : NULL);
        }
      if (kind == GK_PROFILE_SOURCE_ASSUME_ROLE)
        {
          add_string (builder, "role_arn", gk_profile_get_assume_role_arn (profile));
          add_string (builder, "source_profile", gk_profile_get_source_profile (profile));
          add_string (builder, "external_id", gk_profile_get_external_id (profile));
        }
      if (kind == GK_PROFILE_SOURCE_INSTANCE_PROFILE)
        {
          add_string (builder, "metadata_endpoint",
                      gk_instance_profile_source_get_endpoint (GK_INSTANCE_PROFILE_SOURCE (source)));
          add_string (builder, "role", gk_instance_profile_source_get_role_name (GK_INSTANCE_PROFILE_SOURCE (source)));
        }
      if (credentials != NULL && gk_credentials_expires (credentials))
        expires = iso_utc (gk_credentials_get_expiration (credentials));
      add_string (builder, "credentials_expiration", expires);
      json_builder_set_member_name (builder, "credentials_valid");
      json_builder_add_boolean_value (builder, credentials != NULL);
      add_string (builder, "error", error != NULL ? error->message : NULL);
      add_string (builder, "keyring",
                  gk_keyring_is_memory_only (gk_account_get_keyring (gk_cli_get_account (cli)))
                  ? "memory" : "secret-service");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
      return GK_CLI_EXIT_OK;
    }

  printf (_("Profile:      %s\n"), gk_profile_get_name (profile));
  printf (_("Source:       %s\n"), source_label (kind));
  if (kind == GK_PROFILE_SOURCE_ACCESS_KEY)
    {
      printf (_("Access key:   %s (its secret is in the keyring)\n"), gk_profile_get_access_key_id (profile));
      if (age != NULL)
        {
          g_autofree char *created = gk_cli_format_local_time (age->created);

          printf (_("Key age:      %lld days (created %s)\n"), (long long) ((now - age->created) / 86400), created);
          if (age->last_used > 0)
            {
              g_autofree char *used = gk_cli_format_local_time (age->last_used);

              printf (_("Last used:    %s (%s)\n"), used, age->last_used_service);
            }
        }
      else if (age_error != NULL)
        printf (_("Key age:      unknown: %s\n"), age_error->message);
    }
  if (kind == GK_PROFILE_SOURCE_ASSUME_ROLE)
    {
      printf (_("Role:         %s\n"), gk_profile_get_assume_role_arn (profile));
      printf (_("Assumed with: profile %s\n"), gk_profile_get_source_profile (profile));
    }
  if (kind == GK_PROFILE_SOURCE_INSTANCE_PROFILE && gk_instance_profile_source_get_role_name (GK_INSTANCE_PROFILE_SOURCE (source)))
    printf (_("Role:         %s\n"), gk_instance_profile_source_get_role_name (GK_INSTANCE_PROFILE_SOURCE (source)));
  if (credentials == NULL)
    printf (_("Credentials:  not available: %s\n"), error->message);
  else if (gk_credentials_expires (credentials))
    {
      g_autofree char *until = gk_cli_format_local_time (gk_credentials_get_expiration (credentials));

      printf (_("Credentials:  valid until %s (%lld min left), renewed automatically\n"), until,
              (long long) ((gk_credentials_get_expiration (credentials) - now) / 60));
    }
  else
    printf (_("Credentials:  long-term (they do not expire)\n"));
  return credentials != NULL ? GK_CLI_EXIT_OK : GK_CLI_EXIT_FAILURE;
}
