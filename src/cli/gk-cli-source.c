/* gk-cli-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-cli-source.h"
#include "gk-cli-session.h"
#include "gk-env-credentials.h"
#include "gk-profile-store.h"
#include "gk-sources.h"

/* ---- --profile env (the "links" part) ---------------------------------- */

static GkCredentialSource *
open_env_source (GError **error)
{
  GkEnvCredentials *env = gk_env_credentials_new (NULL, error);

  return env != NULL ? GK_CREDENTIAL_SOURCE (env) : NULL;
}

/* ---- --profile NAME (the "session" part) -------------------------------
 * A profile's signed-in session. Returns the source and, in @out_profile,
 * the profile (region, S3 endpoint, bucket list). */

static GkCredentialSource *
open_profile_source (GkCli       *cli,
                     const char  *profile_name,
                     GkProfile  **out_profile,
                     GError     **error)
{
  g_autoptr(GkProfileStore) store = NULL;
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GkKeyring) keyring = NULL;
  g_autoptr(GkCredentialSource) source = NULL;

  store = gk_profile_store_new (NULL);
  profile = gk_profile_store_resolve (store, profile_name, error);
  if (profile == NULL)
    return NULL;
  if (gk_profile_is_sign_in (profile))
    {
      /* A lab sign-in is restored from the keyring before use. */
      g_autoptr(GkSession) session = gk_cli_open_session (cli, gk_profile_get_name (profile), error);

      if (session == NULL)
        return NULL;
      source = GK_CREDENTIAL_SOURCE (g_steal_pointer (&session));
    }
  else
    {
      keyring = gk_keyring_new ();
      source = gk_sources_open_for_profile (store, profile, keyring, error);
      if (source == NULL)
        return NULL;
    }
  if (out_profile != NULL)
    *out_profile = g_steal_pointer (&profile);
  return g_steal_pointer (&source);
}

/* ---- the choice ---------------------------------------------------------- */

/**
 * gk_cli_open_source:
 * @profile_name_or_env: (nullable): a profile name, "env", or %NULL for
 *   the default profile
 * @out_profile: (out) (optional) (transfer full) (nullable): the profile,
 *   %NULL for the environment
 *
 * Returns: (transfer full): the credential source, or %NULL with @error set
 */
GkCredentialSource *
gk_cli_open_source (GkCli        *cli,
                    const char   *profile_name_or_env,
                    GkProfile   **out_profile,
                    GError      **error)
{
  if (out_profile != NULL)
    *out_profile = NULL;
  if (g_strcmp0 (profile_name_or_env, GK_CLI_PROFILE_ENV) == 0)
    return open_env_source (error);
  return open_profile_source (cli, profile_name_or_env, out_profile, error);
}

/**
 * gk_cli_open_s3_client:
 *
 * Returns: (transfer full): an S3 client over the chosen source, set up
 *   from the profile (region, endpoint_url, buckets) or the environment
 *   (AWS_REGION, AWS_ENDPOINT_URL_S3)
 */
GkS3Client *
gk_cli_open_s3_client (GkCli       *cli,
                       const char  *profile_name_or_env,
                       GError     **error)
{
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GkCredentialSource) source = NULL;

  source = gk_cli_open_source (cli, profile_name_or_env, &profile, error);
  if (source == NULL)
    return NULL;
  if (profile != NULL)
    return gk_s3_client_new_for_profile (profile, source);
  if (GK_IS_ENV_CREDENTIALS (source))
    {
      GkEnvCredentials *env = GK_ENV_CREDENTIALS (source);

      return gk_s3_client_new (source, gk_env_credentials_get_region (env),
                               gk_env_credentials_get_endpoint (env), NULL);
    }
  return gk_s3_client_new (source, NULL, NULL, NULL);
}
