/* gk-doctor-judge-sign-in.c: the hosted login, the identity pool and how
 * long credentials and sign-ins last
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-cognito-identity.h"
#include "gk-doctor-judge-sign-in.h"
#include "gk-doctor-words.h"
#include "gk-lab-admin.h"

/* ---- the hosted login and the identity pool ---------------------------- */

/* Whether @uri is the profile's callback (scheme, host, port and path). */
static gboolean
is_callback (GUri       *uri,
             const char *redirect_uri)
{
  g_autoptr(GUri) callback = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);

  return callback != NULL &&
         g_strcmp0 (g_uri_get_scheme (uri), g_uri_get_scheme (callback)) == 0 &&
         g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (callback)) == 0 &&
         g_uri_get_port (uri) == g_uri_get_port (callback) &&
         g_strcmp0 (g_uri_get_path (uri), g_uri_get_path (callback)) == 0;
}

static char *
query_param (GUri       *uri,
             const char *name)
{
  g_autoptr(GHashTable) params = NULL;

  if (g_uri_get_query (uri) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  return params != NULL ? g_strdup (g_hash_table_lookup (params, name)) : NULL;
}

/**
 * gk_doctor_judge_callback:
 * @http_status: the authorize request's status (not followed)
 * @location: (nullable): its Location header
 * @error: (nullable): why there was no answer
 *
 * Cognito answers an authorize request with a redirect: to its login page
 * when the request is good, to its /error page (redirect_mismatch) when the
 * callback URL is not registered, or back to the callback with an error
 * (invalid_scope, unauthorized_client) when the callback is right but the
 * client is not.
 */
GkDoctorFinding *
gk_doctor_judge_callback (GkProfile    *profile,
                          guint         http_status,
                          const char   *location,
                          const GError *error)
{
  const char *redirect_uri = gk_profile_get_redirect_uri (profile);
  g_autoptr(GUri) target = NULL;
  g_autofree char *code = NULL;
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;

  if (error != NULL)
    {
      /* Translators: %s is a network error */
      meaning = g_strdup_printf (_("The hosted login did not answer the sign-in request (%s)."),
                                 error->message);
      return gk_doctor_finding_new ("callback-url", GK_DOCTOR_NOTE, redirect_uri,
                                    _("The callback URL could not be checked"), meaning);
    }
  if (location != NULL)
    target = g_uri_parse_relative (NULL, location, G_URI_FLAGS_NONE, NULL);
  if (target == NULL && location != NULL)
    {
      g_autoptr(GUri) base = g_uri_parse (gk_profile_get_authorization_endpoint (profile),
                                          G_URI_FLAGS_NONE, NULL);

      target = base != NULL ? g_uri_parse_relative (base, location, G_URI_FLAGS_NONE, NULL) : NULL;
    }

  if (http_status >= 300 && http_status < 400 && target != NULL)
    {
      if (is_callback (target, redirect_uri))
        code = query_param (target, "error");
      else if (g_str_has_suffix (g_uri_get_path (target), "/error"))
        code = query_param (target, "error");
      if (code == NULL && !g_str_has_suffix (g_uri_get_path (target), "/error"))
        {
          /* Translators: %s is a URL */
          meaning = g_strdup_printf (_("The hosted login shows its sign-in page for sign-ins that "
                                       "return to %s."), redirect_uri);
          return gk_doctor_finding_new ("callback-url", GK_DOCTOR_OK, redirect_uri,
                                        _("The callback URL is registered"), meaning);
        }
    }
  else if (http_status == 200)
    {
      meaning = g_strdup_printf (_("The hosted login shows its sign-in page for sign-ins that "
                                   "return to %s."), redirect_uri);
      return gk_doctor_finding_new ("callback-url", GK_DOCTOR_OK, redirect_uri,
                                    _("The callback URL is registered"), meaning);
    }

  fix = gk_lab_admin_app_client_commands (profile);
  if (g_strcmp0 (code, "redirect_mismatch") == 0)
    {
      /* Translators: the first %s is a URL, the second an app client id */
      meaning = g_strdup_printf (_("The hosted login refuses sign-ins that return to %s, so "
                                   "nobody can sign in until app client %s lists it among its "
                                   "callback URLs."),
                                 redirect_uri, gk_profile_get_client_id (profile));
      return gk_doctor_finding_new_with_fix ("callback-url", GK_DOCTOR_PROBLEM, redirect_uri,
                                             _("The callback URL is not registered"), meaning,
                                             GK_DOCTOR_FIX_COMMANDS, fix);
    }
  title = g_strdup (_("The hosted login refuses Genokey’s sign-in request"));
  {
    g_autofree char *what = code != NULL ? g_strdup (code)
                                         : g_strdup_printf ("HTTP %u", http_status);

    /* Translators: the first %s is an OAuth error code or an HTTP status,
     * the second an app client id */
    meaning = g_strdup_printf (_("It answers “%s” for app client %s, so nobody can sign in with "
                                 "this profile."), what, gk_profile_get_client_id (profile));
  }
  return gk_doctor_finding_new_with_fix ("callback-url", GK_DOCTOR_PROBLEM, redirect_uri, title,
                                         meaning, GK_DOCTOR_FIX_COMMANDS, fix);
}


/**
 * gk_doctor_judge_unauthenticated:
 * @identity_given: GetId without Logins gave an identity
 * @error: (nullable): why it did not
 */
GkDoctorFinding *
gk_doctor_judge_unauthenticated (GkProfile    *profile,
                                 gboolean      identity_given,
                                 const GError *error)
{
  const char *pool = gk_profile_get_identity_pool_id (profile);
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;

  if (identity_given)
    {
      /* Translators: %s is an identity pool id */
      meaning = g_strdup_printf (_("Anyone on the internet can get AWS credentials from identity "
                                   "pool %s without signing in, and do whatever its "
                                   "unauthenticated role may do."), pool);
      fix = gk_lab_admin_identity_pool_commands (profile, "AllowUnauthenticatedIdentities", FALSE);
      return gk_doctor_finding_new_with_fix ("unauthenticated-identities", GK_DOCTOR_PROBLEM, pool,
                                             _("Unauthenticated identities are allowed"), meaning,
                                             GK_DOCTOR_FIX_COMMANDS, fix);
    }
  if (g_error_matches (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED))
    {
      meaning = g_strdup_printf (_("Identity pool %s gives credentials only to signed-in users."),
                                 pool);
      return gk_doctor_finding_new ("unauthenticated-identities", GK_DOCTOR_OK, pool,
                                    _("Unauthenticated identities are refused"), meaning);
    }
  if (g_error_matches (error, GK_COGNITO_IDENTITY_ERROR, GK_COGNITO_IDENTITY_ERROR_POOL_NOT_FOUND))
    {
      meaning = gk_doctor_as_sentence (error->message);
      return gk_doctor_finding_new_with_fix ("unauthenticated-identities", GK_DOCTOR_PROBLEM, pool,
                                             _("The identity pool does not exist"), meaning,
                                             GK_DOCTOR_FIX_SETTING,
                                             _("Check “aws_cognito_fed_pool_id” and “aws_region” "
                                               "in the profile."));
    }
  return gk_doctor_not_checked ("unauthenticated-identities", pool,
                      _("Unauthenticated identities could not be checked"), error);
}

/**
 * gk_doctor_judge_classic_flow:
 * @token_given: GetOpenIdToken gave the signed-in user a token
 * @assumed_role: (nullable): the role STS then let that token assume
 * @error: (nullable): why there was no token
 */
GkDoctorFinding *
gk_doctor_judge_classic_flow (GkProfile    *profile,
                              gboolean      token_given,
                              const char   *assumed_role,
                              const GError *error)
{
  const char *pool = gk_profile_get_identity_pool_id (profile);
  g_autofree char *fix = NULL;
  g_autofree char *meaning = NULL;

  if (token_given && gk_profile_get_flow (profile) == GK_PROFILE_FLOW_BASIC)
    return gk_doctor_finding_new ("classic-flow", GK_DOCTOR_NOTE, pool,
                                  _("The basic (classic) flow is on, and this profile uses it"),
                                  _("Any signed-in user can take the OpenID token and assume any "
                                    "role that trusts the identity pool, so give those roles only "
                                    "what every lab member may do."));
  if (token_given)
    {
      fix = gk_lab_admin_identity_pool_commands (profile, "AllowClassicFlow", FALSE);
      if (assumed_role != NULL)
        /* Translators: %s is an IAM role's ARN */
        meaning = g_strdup_printf (_("Any signed-in user can take an OpenID token and assume any "
                                     "role that trusts the identity pool, around the pool’s own "
                                     "choice of role (STS just gave credentials for %s this way); "
                                     "this profile does not need it."), assumed_role);
      else
        meaning = g_strdup (_("Any signed-in user can take an OpenID token and assume any role "
                              "that trusts the identity pool, around the pool’s own choice of "
                              "role; this profile does not need it."));
      return gk_doctor_finding_new_with_fix ("classic-flow", GK_DOCTOR_WARNING, pool,
                                             _("The basic (classic) flow is on"), meaning,
                                             GK_DOCTOR_FIX_COMMANDS, fix);
    }
  if (g_error_matches (error, GK_COGNITO_IDENTITY_ERROR,
                       GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED))
    return gk_doctor_finding_new ("classic-flow", GK_DOCTOR_OK, pool,
                                  _("The basic (classic) flow is off"),
                                  _("Credentials come only through the identity pool’s own choice "
                                    "of role."));
  return gk_doctor_not_checked ("classic-flow", pool, _("The basic (classic) flow could not be checked"),
                      error);
}

/**
 * gk_doctor_judge_not_signed_in:
 * @error: (nullable): why there is no sign-in to check with
 */
GkDoctorFinding *
gk_doctor_judge_not_signed_in (GkProfile    *profile,
                               const GError *error)
{
  g_autofree char *meaning = NULL;

  meaning = g_strdup_printf (_("The basic flow, the role’s reach, the buckets, CORS, versioning "
                               "and lifetimes are checked as the signed-in user of profile "
                               "“%s”%s%s"),
                             gk_profile_get_name (profile), error != NULL ? ": " : ".",
                             error != NULL ? error->message : "");
  return gk_doctor_finding_new ("sign-in", GK_DOCTOR_NOTE, gk_profile_get_name (profile),
                                _("Not signed in: the checks that need a sign-in were skipped"),
                                meaning);
}

/* ---- lifetimes ------------------------------------------------------------ */

/**
 * gk_doctor_judge_credential_lifetime:
 * @lifetime: seconds from issue to expiry of fresh credentials
 */
GkDoctorFinding *
gk_doctor_judge_credential_lifetime (GkProfile *profile,
                                     gint64     lifetime)
{
  g_autofree char *amount = gk_doctor_format_duration (lifetime);
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *role = NULL;

  if (lifetime >= GK_DOCTOR_SHORT_CREDENTIALS)
    {
      /* Translators: %s is a duration, such as "1 hour" */
      title = g_strdup_printf (_("Credentials last %s"), amount);
      return gk_doctor_finding_new ("credential-lifetime", GK_DOCTOR_OK, NULL, title,
                                    _("Genokey renews them quietly before they run out."));
    }
  /* Translators: %s is a duration, such as "10 minutes" */
  title = g_strdup_printf (_("Credentials last only %s"), amount);
  /* Translators: %s is a duration, such as "10 minutes" */
  meaning = g_strdup_printf (_("Presigned links die within %s, and AWS tools using "
                               "credential_process ask for new credentials at every call, since "
                               "they renew whatever has less than 15 minutes left."), amount);
  if (gk_profile_get_flow (profile) != GK_PROFILE_FLOW_BASIC)
    return gk_doctor_finding_new ("credential-lifetime", GK_DOCTOR_NOTE, NULL, title, meaning);

  role = gk_lab_admin_role_name (profile);
  {
    g_autofree char *quoted = g_shell_quote (role != NULL ? role : "ROLE");

    fix = g_strdup_printf ("aws iam update-role --role-name %s --max-session-duration 43200\n"
                           "# %s\n", quoted,
                           _("and set “duration_seconds” to 3600 or more in the profile"));
  }
  return gk_doctor_finding_new_with_fix ("credential-lifetime", GK_DOCTOR_NOTE, NULL, title,
                                         meaning, GK_DOCTOR_FIX_COMMANDS, fix);
}

/**
 * gk_doctor_judge_sign_in_lifetime:
 * @refused: the hosted login refused to renew the sign-in
 * @lasted: seconds since the browser sign-in, or -1 when unknown
 *
 * The refresh token's lifetime cannot be read (Cognito's is encrypted), so
 * it shows only in how long a sign-in actually lasts.
 */
GkDoctorFinding *
gk_doctor_judge_sign_in_lifetime (GkProfile *profile,
                                  gboolean   refused,
                                  gint64     lasted)
{
  g_autofree char *amount = lasted >= 0 ? gk_doctor_format_duration (lasted) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;

  if (!refused)
    {
      /* Translators: %s is a duration, such as "3 hours" */
      meaning = amount != NULL
        ? g_strdup_printf (_("It began %s ago and still renews without the browser."), amount)
        : g_strdup (_("It still renews without the browser."));
      return gk_doctor_finding_new ("sign-in-lifetime", GK_DOCTOR_OK, NULL,
                                    _("The sign-in still renews"), meaning);
    }
  if (amount != NULL && lasted < GK_DOCTOR_WORKING_DAY)
    {
      /* Translators: %s is a duration, such as "1 hour" */
      title = g_strdup_printf (_("Sign-ins end after %s"), amount);
      /* Translators: %s is a duration, such as "1 hour" */
      meaning = g_strdup_printf (_("The hosted login stopped renewing this sign-in %s after it "
                                   "began, so lab members sign in again during the day (the app "
                                   "client’s refresh token lifetime, unless it was revoked)."),
                                 amount);
      fix = gk_lab_admin_app_client_commands (profile);
      return gk_doctor_finding_new_with_fix ("sign-in-lifetime", GK_DOCTOR_NOTE, NULL, title,
                                             meaning, GK_DOCTOR_FIX_COMMANDS, fix);
    }
  meaning = amount != NULL
    ? g_strdup_printf (_("The hosted login stopped renewing it %s after it began: sign in again."),
                       amount)
    : g_strdup (_("The hosted login stopped renewing it: sign in again."));
  return gk_doctor_finding_new ("sign-in-lifetime", GK_DOCTOR_NOTE, NULL,
                                _("The sign-in has ended"), meaning);
}

/**
 * gk_doctor_judge_sign_in_not_renewed:
 * @error: why the renewal did not finish (a network failure, another
 *   sign-in that took its place)
 */
GkDoctorFinding *
gk_doctor_judge_sign_in_not_renewed (const GError *error)
{
  return gk_doctor_not_checked ("sign-in-lifetime", NULL, _("The sign-in could not be renewed"), error);
}
