/* gk-cli-hints.c: how to go on after an error, in the command line's terms
 *
 * Core's messages say what is wrong and what to fix, in words that hold in
 * the window too. What to type next is the command line's own: its
 * commands and options. The hint follows the message on the same line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-chromoscope.h"
#include "gk-cli.h"
#include "gk-env-credentials.h"
#include "gk-gateway-error.h"
#include "gk-links.h"

/* Whether the command's credentials are the environment's (--profile env). */
static gboolean
uses_environment (GkCli *cli)
{
  GkCredentialSource *source = gk_cli_get_source (cli);

  return source != NULL && GK_IS_ENV_CREDENTIALS (source);
}

static char *
profile_hint (GkCli        *cli,
              const GError *error)
{
  const char *profile = gk_profile_error_get_profile (error);
  const char *key = gk_profile_error_get_key (error);

  switch ((GkProfileError) error->code)
    {
    case GK_PROFILE_ERROR_NOT_FOUND:
      if (profile == NULL)
        return g_strdup (_("Import your lab’s configuration with “genokey profile import FILE|URL”."));
      return g_strdup (_("Run “genokey profile list” to see the profiles."));
    case GK_PROFILE_ERROR_AMBIGUOUS:
      return g_strdup (_("Choose one with --profile NAME."));
    case GK_PROFILE_ERROR_EXISTS:
      return g_strdup (_("Choose another name with --name, or replace it with --replace."));
    case GK_PROFILE_ERROR_INVALID:
    case GK_PROFILE_ERROR_MISSING_KEY:
      /* A saved profile that no longer holds: where to fix it. */
      if (profile != NULL && key != NULL)
        return g_strdup_printf (_("Correct “%s” in the lab’s configuration and import it again with "
                                  "“genokey profile import FILE --name %s --replace”."), key, profile);
      return NULL;
    case GK_PROFILE_ERROR_PARSE:
    case GK_PROFILE_ERROR_FETCH:
    default:
      return NULL;
    }
}

static char *
s3_hint (GkCli        *cli,
         const GError *error)
{
  gboolean env = uses_environment (cli);

  switch ((GkS3Error) error->code)
    {
    case GK_S3_ERROR_INVALID_CREDENTIALS:
      return env ? g_strdup (_("With --profile env, check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")) : NULL;
    case GK_S3_ERROR_EXPIRED_CREDENTIALS:
      return env ? g_strdup (_("With --profile env, set fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY "
                               "and AWS_SESSION_TOKEN.")) : NULL;
    case GK_S3_ERROR_WRONG_REGION:
      return env ? g_strdup (_("With --profile env, set AWS_REGION to the bucket’s region.")) : NULL;
    case GK_S3_ERROR_NOT_ALLOWED:
      return g_strdup (_("“genokey ls” lists the buckets of the profile."));
    case GK_S3_ERROR_FAILED:
    case GK_S3_ERROR_ACCESS_DENIED:
    case GK_S3_ERROR_CLOCK_SKEW:
    case GK_S3_ERROR_NO_SUCH_BUCKET:
    case GK_S3_ERROR_NO_SUCH_KEY:
    case GK_S3_ERROR_UNAVAILABLE:
    case GK_S3_ERROR_NO_CORS:
    case GK_S3_ERROR_INVALID_REQUEST:
    case GK_S3_ERROR_INVALID_BUCKET_NAME:
    case GK_S3_ERROR_INVALID_KEY:
    case GK_S3_ERROR_INVALID_URI:
    case GK_S3_ERROR_BAD_RESPONSE:
    case GK_S3_ERROR_ARCHIVED:
    default:
      return NULL;
    }
}

/**
 * gk_cli_dup_hint:
 *
 * Returns: (transfer full) (nullable): what to type next after @error, in
 *   the command line's terms; %NULL when the message says it all
 */
char *
gk_cli_dup_hint (GkCli        *cli,
                 const GError *error)
{
  if (error->domain == GK_PROFILE_ERROR)
    return profile_hint (cli, error);
  if (error->domain == GK_S3_ERROR)
    return s3_hint (cli, error);
  if (g_error_matches (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_MISSING))
    return g_strdup (_("--profile env reads the standard AWS variables; "
                       "“eval \"$(genokey env --profile NAME)\"” sets them from a profile."));
  if (g_error_matches (error, GK_LINKS_ERROR, GK_LINKS_ERROR_EXPIRED) && uses_environment (cli))
    return g_strdup (_("With --profile env, set fresh AWS credentials in the environment."));
  /* The profile opened, also when none was named (the only one, or the
   * one used last). */
  if ((g_error_matches (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NEEDS_SIGN_IN) ||
       g_error_matches (error, GK_SESSION_ERROR, GK_SESSION_ERROR_NOT_SIGNED_IN)) &&
      gk_cli_get_profile (cli) != NULL)
    return g_strdup_printf (_("Sign in with “genokey login --profile %s”."),
                            gk_profile_get_name (gk_cli_get_profile (cli)));
  if (g_error_matches (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_NOT_RUNNING))
    return g_strdup (_("Or start it with “genokey gateway start”."));
  if (g_error_matches (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_PORT_IN_USE))
    return g_strdup_printf (_("Choose the port in Genokey’s Preferences › Gateway, or with "
                              "“gsettings set %s gateway-port PORT”; or use --presigned."), APP_ID);
  if (g_error_matches (error, GK_CHROMOSCOPE_ERROR, GK_CHROMOSCOPE_ERROR_NO_PLACE))
    return g_strdup (_("Or keep the config on this computer with --no-upload."));
  return NULL;
}
