/* gk-doctor-judge.c
 *
 * Severity rules, in one place:
 * - problem: something does not work for the lab (an endpoint, a bucket,
 *   the callback, the gateway's port), or it leaks (unauthenticated
 *   identities give anyone credentials);
 * - warning: it works, but badly or less safely than it should (a role
 *   that sees every bucket, the basic flow on without need, CORS that keeps
 *   web viewers out, a clock far enough off to break signatures, buckets in
 *   another region);
 * - note: worth knowing (versioning on, short lifetimes, the basic flow a
 *   profile relies on, what could not be checked);
 * - ok: checked and fine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-cognito-identity.h"
#include "gk-doctor-judge.h"
#include "gk-lab-admin.h"
#include "gk-web-viewer.h"

/* ---- wording helpers --------------------------------------------------- */

static char *
format_duration (gint64 seconds)
{
  gint64 hours = seconds / 3600;
  gint64 minutes = (seconds % 3600) / 60;

  if (seconds < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", (gulong) seconds),
                            (int) seconds);
  if (hours == 0)
    /* Translators: a duration in minutes */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) minutes),
                            (int) minutes);
  if (minutes == 0)
    /* Translators: a duration in hours */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong) hours),
                            (int) hours);
  /* Translators: a duration in hours and minutes, such as "2 h 5 min" */
  return g_strdup_printf (_("%d h %d min"), (int) hours, (int) minutes);
}

/* A web viewer's name for its origin, or the origin itself. */
static const char *
origin_name (const char *origin)
{
  if (g_str_equal (origin, GK_IGV_WEB_ORIGIN))
    return gk_viewer_get_name (GK_VIEWER_IGV_WEB);
  if (g_str_equal (origin, GK_CHROMOSCOPE_ORIGIN))
    return gk_viewer_get_name (GK_VIEWER_CHROMOSCOPE);
  return origin;
}

static char *
join_names (const char * const *origins)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; origins != NULL && origins[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, origins[i + 1] == NULL ? _(" and ") : ", ");
      g_string_append (out, origin_name (origins[i]));
    }
  return g_string_free (out, FALSE);
}

/* At most three names, then an ellipsis: a finding is one sentence. */
static char *
join_some (const char * const *names)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; names != NULL && names[i] != NULL && i < 3; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", names[i]);
  if (names != NULL && names[i] != NULL)
    g_string_append (out, ", …");
  return g_string_free (out, FALSE);
}

/* ---- endpoints and the clock ------------------------------------------ */

/**
 * gk_doctor_endpoint_get_name:
 *
 * Returns: what the endpoint is, translated, to begin a sentence ("The
 *   hosted login", "S3")
 */
const char *
gk_doctor_endpoint_get_name (GkDoctorEndpoint endpoint)
{
  switch (endpoint)
    {
    /* Translators: these begin sentences such as "%s is reachable" */
    case GK_DOCTOR_ENDPOINT_HOSTED_LOGIN:  return _("The hosted login");
    case GK_DOCTOR_ENDPOINT_KEYS:          return _("The user pool’s key set");
    case GK_DOCTOR_ENDPOINT_IDENTITY_POOL: return _("The identity pool");
    case GK_DOCTOR_ENDPOINT_STS:           return _("STS");
    case GK_DOCTOR_ENDPOINT_S3:            return _("S3");
    case GK_DOCTOR_ENDPOINT_IAM:           return _("IAM");
    default:                               g_return_val_if_reached ("");
    }
}

/**
 * gk_doctor_endpoint_get_key:
 *
 * Returns: the profile key that says where the endpoint is
 */
const char *
gk_doctor_endpoint_get_key (GkDoctorEndpoint endpoint)
{
  switch (endpoint)
    {
    case GK_DOCTOR_ENDPOINT_HOSTED_LOGIN:  return "authorization_endpoint";
    case GK_DOCTOR_ENDPOINT_KEYS:          return "jwks_uri";
    case GK_DOCTOR_ENDPOINT_IDENTITY_POOL: return "cognito_identity_endpoint";
    case GK_DOCTOR_ENDPOINT_STS:           return "sts_endpoint";
    case GK_DOCTOR_ENDPOINT_S3:            return "endpoint_url";
    case GK_DOCTOR_ENDPOINT_IAM:           return "iam_endpoint";
    default:                               g_return_val_if_reached ("");
    }
}

/* What fails for the lab when the endpoint cannot be used. */
static const char *
endpoint_use (GkDoctorEndpoint endpoint)
{
  switch (endpoint)
    {
    case GK_DOCTOR_ENDPOINT_HOSTED_LOGIN:  return _("nobody can sign in");
    case GK_DOCTOR_ENDPOINT_KEYS:          return _("no sign-in can be verified");
    case GK_DOCTOR_ENDPOINT_IDENTITY_POOL:
    case GK_DOCTOR_ENDPOINT_STS:           return _("nobody gets AWS credentials");
    case GK_DOCTOR_ENDPOINT_S3:            return _("no file can be listed or opened");
    case GK_DOCTOR_ENDPOINT_IAM:           return _("the access key’s age cannot be shown");
    default:                               g_return_val_if_reached ("");
    }
}

static const char *
tls_reason (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("its issuer is not trusted here");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("it is for another host");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("it has expired");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("it was revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("it uses an insecure algorithm");
  return _("it is not valid");
}

/**
 * gk_doctor_judge_endpoint:
 * @origin: the endpoint's scheme, host and port
 * @http_status: the answer's status; any answer means it is reachable
 * @tls_errors: what was wrong with the certificate, if it was refused
 * @error: (nullable): why there was no answer
 */
GkDoctorFinding *
gk_doctor_judge_endpoint (GkDoctorEndpoint      endpoint,
                          const char           *origin,
                          guint                 http_status,
                          GTlsCertificateFlags  tls_errors,
                          const GError         *error)
{
  const char *name = gk_doctor_endpoint_get_name (endpoint);
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;

  if (error == NULL && tls_errors == 0)
    {
      /* Translators: %s is a service, such as "The identity pool" */
      title = g_strdup_printf (_("%s is reachable"), name);
      /* Translators: the first %s is a service, the second its address */
      meaning = g_strdup_printf (_("%s answered at %s."), name, origin);
      return gk_doctor_finding_new ("endpoint", GK_DOCTOR_OK, origin, title, meaning);
    }

  if (tls_errors != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      /* Translators: %s is a service, such as "The identity pool" */
      title = g_strdup_printf (_("%s’s certificate is refused"), name);
      /* Translators: the first %s is an address, the second why its
       * certificate is refused, the third what then fails */
      meaning = g_strdup_printf (_("Genokey will not talk to %s because %s, so %s; a proxy that "
                                   "looks into HTTPS causes this."),
                                 origin, tls_reason (tls_errors), endpoint_use (endpoint));
      if (tls_errors == 0 || (tls_errors & G_TLS_CERTIFICATE_UNKNOWN_CA))
        fix = g_strdup_printf ("# %s\nsudo cp PROXY-CA.crt /usr/local/share/ca-certificates/\n"
                               "sudo update-ca-certificates\n",
                               _("Trust the proxy’s certificate authority on this computer:"));
      else
        fix = g_strdup_printf (_("Check that “%s” in the profile names the service itself."),
                               gk_doctor_endpoint_get_key (endpoint));
      return gk_doctor_finding_new_with_fix ("endpoint", GK_DOCTOR_PROBLEM, origin, title, meaning,
                                             fix[0] == '#' ? GK_DOCTOR_FIX_COMMANDS
                                                           : GK_DOCTOR_FIX_SETTING, fix);
    }

  /* Translators: %s is a service, such as "The identity pool" */
  title = g_strdup_printf (_("%s cannot be reached"), name);
  /* Translators: the first %s is an address, the second the network error,
   * the third what then fails */
  meaning = g_strdup_printf (_("Genokey got no answer from %s (%s), so %s."), origin,
                             error->message, endpoint_use (endpoint));
  fix = g_strdup_printf (_("Check “%s” in the profile, and this computer’s network connection "
                           "and proxy."), gk_doctor_endpoint_get_key (endpoint));
  return gk_doctor_finding_new_with_fix ("endpoint", GK_DOCTOR_PROBLEM, origin, title, meaning,
                                         GK_DOCTOR_FIX_SETTING, fix);
}

/**
 * gk_doctor_judge_clock:
 * @skew: the endpoint's clock minus this computer's, in seconds
 * @origin: the endpoint whose Date header was furthest off
 */
GkDoctorFinding *
gk_doctor_judge_clock (gint64      skew,
                       const char *origin)
{
  gint64 off = ABS (skew);
  g_autofree char *amount = format_duration (off);
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;

  if (off <= GK_DOCTOR_CLOCK_SKEW_WARNING)
    {
      /* Translators: the first %s is an address, the second a duration */
      meaning = g_strdup_printf (_("It agrees with the clock at %s to within %s."),
                                 origin, amount);
      return gk_doctor_finding_new ("clock-skew", GK_DOCTOR_OK, origin,
                                    _("This computer’s clock is right"), meaning);
    }
  /* Translators: %s is a duration, such as "2 minutes" */
  title = g_strdup_printf (skew > 0 ? _("This computer’s clock is %s behind")
                                    : _("This computer’s clock is %s ahead"), amount);
  /* Translators: %s is a duration, such as "2 minutes" */
  meaning = g_strdup_printf (_("AWS checks the time in every signature: requests fail once the "
                               "clocks are 15 minutes apart, and links made here start or end "
                               "%s early or late already."), amount);
  return gk_doctor_finding_new_with_fix ("clock-skew", GK_DOCTOR_WARNING, origin, title, meaning,
                                         GK_DOCTOR_FIX_COMMANDS, "sudo timedatectl set-ntp true\n");
}

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
  /* Translators: the first %s is an OAuth error code or an HTTP status,
   * the second an app client id */
  title = g_strdup (_("The hosted login refuses Genokey’s sign-in request"));
  {
    g_autofree char *what = code != NULL ? g_strdup (code)
                                         : g_strdup_printf ("HTTP %u", http_status);

    meaning = g_strdup_printf (_("It answers “%s” for app client %s, so nobody can sign in with "
                                 "this profile."), what, gk_profile_get_client_id (profile));
  }
  return gk_doctor_finding_new_with_fix ("callback-url", GK_DOCTOR_PROBLEM, redirect_uri, title,
                                         meaning, GK_DOCTOR_FIX_COMMANDS, fix);
}

/* An error's message as a finding's sentence: GIO's and libsoup's own
 * messages end without a full stop. */
static char *
as_sentence (const char *message)
{
  if (g_str_has_suffix (message, ".") || g_str_has_suffix (message, "!") ||
      g_str_has_suffix (message, "?"))
    return g_strdup (message);
  return g_strconcat (message, ".", NULL);
}

static GkDoctorFinding *
not_checked (const char   *check,
             const char   *subject,
             const char   *title,
             const GError *error)
{
  g_autofree char *meaning = as_sentence (error->message);

  return gk_doctor_finding_new (check, GK_DOCTOR_NOTE, subject, title, meaning);
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
      meaning = as_sentence (error->message);
      return gk_doctor_finding_new_with_fix ("unauthenticated-identities", GK_DOCTOR_PROBLEM, pool,
                                             _("The identity pool does not exist"), meaning,
                                             GK_DOCTOR_FIX_SETTING,
                                             _("Check “aws_cognito_fed_pool_id” and “aws_region” "
                                               "in the profile."));
    }
  return not_checked ("unauthenticated-identities", pool,
                      _("Unauthenticated identities could not be checked"), error);
}

/**
 * gk_doctor_judge_classic_flow:
 * @token_given: GetOpenIdToken gave the signed-in user a token
 * @error: (nullable): why it did not
 */
GkDoctorFinding *
gk_doctor_judge_classic_flow (GkProfile    *profile,
                              gboolean      token_given,
                              const GError *error)
{
  const char *pool = gk_profile_get_identity_pool_id (profile);
  g_autofree char *fix = NULL;

  if (token_given && gk_profile_get_flow (profile) == GK_PROFILE_FLOW_BASIC)
    return gk_doctor_finding_new ("classic-flow", GK_DOCTOR_NOTE, pool,
                                  _("The basic (classic) flow is on, and this profile uses it"),
                                  _("Any signed-in user can take the OpenID token and assume any "
                                    "role that trusts the identity pool, so give those roles only "
                                    "what every lab member may do."));
  if (token_given)
    {
      fix = gk_lab_admin_identity_pool_commands (profile, "AllowClassicFlow", FALSE);
      return gk_doctor_finding_new_with_fix ("classic-flow", GK_DOCTOR_WARNING, pool,
                                             _("The basic (classic) flow is on"),
                                             _("Any signed-in user can take an OpenID token and "
                                               "assume any role that trusts the identity pool, "
                                               "around the pool’s own choice of role; this profile "
                                               "does not need it."),
                                             GK_DOCTOR_FIX_COMMANDS, fix);
    }
  if (g_error_matches (error, GK_COGNITO_IDENTITY_ERROR,
                       GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED))
    return gk_doctor_finding_new ("classic-flow", GK_DOCTOR_OK, pool,
                                  _("The basic (classic) flow is off"),
                                  _("Credentials come only through the identity pool’s own choice "
                                    "of role."));
  return not_checked ("classic-flow", pool, _("The basic (classic) flow could not be checked"),
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

/* ---- buckets ------------------------------------------------------------ */

static gboolean
profile_has_bucket (GkProfile  *profile,
                    const char *name)
{
  const char * const *buckets = gk_profile_get_buckets (profile);
  gsize len = strlen (name);

  for (guint i = 0; buckets != NULL && buckets[i] != NULL; i++)
    {
      const char *entry = g_str_has_prefix (buckets[i], "s3://") ? buckets[i] + 5 : buckets[i];

      if (strncmp (entry, name, len) == 0 && (entry[len] == '\0' || entry[len] == '/'))
        return TRUE;
    }
  return FALSE;
}

static char *
scoped_policy_fix (GkProfile *profile)
{
  g_autoptr(GArray) read = NULL;
  g_autoptr(GArray) write = NULL;
  g_autofree char *policy = NULL;

  if (!gk_lab_admin_profile_locations (profile, &read, &write))
    return NULL;
  policy = gk_lab_admin_role_policy ((GkLabLocation *) (gpointer) read->data, read->len,
                                     (GkLabLocation *) (gpointer) write->data, write->len);
  return gk_lab_admin_role_policy_commands (profile, policy);
}

/**
 * gk_doctor_judge_list_buckets:
 * @names: (nullable): what ListBuckets showed
 * @error: (nullable): why it showed nothing
 */
GkDoctorFinding *
gk_doctor_judge_list_buckets (GkProfile          *profile,
                              const char * const *names,
                              const GError       *error)
{
  gboolean has_list = gk_profile_get_buckets (profile) != NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autofree char *some = NULL;
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;

  if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED))
    {
      if (has_list)
        return gk_doctor_finding_new ("list-buckets", GK_DOCTOR_OK, NULL,
                                      _("The role cannot list the account’s buckets"),
                                      _("ListBuckets is refused, as for a role scoped to the lab’s "
                                        "buckets."));
      return gk_doctor_finding_new_with_fix ("list-buckets", GK_DOCTOR_WARNING, NULL,
                                             _("The profile names no buckets, and the role may not "
                                               "list them"),
                                             _("Lab members see no buckets until the profile names "
                                               "them."),
                                             GK_DOCTOR_FIX_SETTING,
                                             _("List the lab’s buckets in the profile’s “buckets” "
                                               "(“bucket” or “bucket/prefix” entries)."));
    }
  if (error != NULL)
    return not_checked ("list-buckets", NULL, _("The role’s reach could not be checked"), error);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (!has_list || !profile_has_bucket (profile, names[i]))
      g_ptr_array_add (others, (gpointer) names[i]);
  g_ptr_array_add (others, NULL);
  some = join_some ((const char * const *) others->pdata);

  if (!has_list)
    {
      /* Translators: %s lists bucket names */
      meaning = g_strdup_printf (_("The profile names no buckets, so every lab member sees every "
                                   "bucket the role can list (%s); naming the lab’s buckets in the "
                                   "profile lets the role do without s3:ListAllMyBuckets."),
                                 some);
      return gk_doctor_finding_new_with_fix ("list-buckets", GK_DOCTOR_NOTE, NULL,
                                             _("The role can list every bucket of the account"),
                                             meaning, GK_DOCTOR_FIX_SETTING,
                                             _("List the lab’s buckets in the profile’s “buckets” "
                                               "(“bucket” or “bucket/prefix” entries)."));
    }
  if (others->len == 1)
    return gk_doctor_finding_new ("list-buckets", GK_DOCTOR_OK, NULL,
                                  _("The role sees only the profile’s buckets"),
                                  _("ListBuckets shows no bucket beyond those the profile names."));

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The role can see %u bucket beyond the profile’s",
                                        "The role can see %u buckets beyond the profile’s",
                                        others->len - 1), others->len - 1);
  /* Translators: %s lists bucket names */
  meaning = g_strdup_printf (_("ListBuckets shows every lab member the account’s other buckets "
                               "(%s): a role scoped to the lab’s buckets shows them nothing."),
                             some);
  fix = scoped_policy_fix (profile);
  return gk_doctor_finding_new_with_fix ("list-buckets", GK_DOCTOR_WARNING, NULL, title, meaning,
                                         GK_DOCTOR_FIX_COMMANDS, fix);
}

/**
 * gk_doctor_judge_bucket:
 * @prefix: (nullable): the profile's prefix in it
 * @region: (nullable): the region S3 named for it
 * @error: (nullable): why it cannot be listed
 */
GkDoctorFinding *
gk_doctor_judge_bucket (GkProfile    *profile,
                        const char   *bucket,
                        const char   *prefix,
                        const char   *region,
                        const GError *error)
{
  const char *own = gk_profile_get_region (profile);
  g_autofree char *where = g_strdup_printf ("s3://%s/%s", bucket, prefix != NULL ? prefix : "");
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;

  if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_BUCKET))
    {
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("Bucket %s does not exist"), bucket);
      fix = g_strdup_printf (_("Correct “%s” in the profile’s “buckets”."), bucket);
      return gk_doctor_finding_new_with_fix ("bucket", GK_DOCTOR_PROBLEM, bucket, title,
                                             _("S3 has no bucket by that name, so lab members "
                                               "cannot open it."),
                                             GK_DOCTOR_FIX_SETTING, fix);
    }
  if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED))
    {
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("The role cannot list %s"), bucket);
      /* Translators: %s is an s3:// address */
      meaning = g_strdup_printf (_("S3 refuses to list %s, so lab members see nothing there."), where);
      fix = scoped_policy_fix (profile);
      return gk_doctor_finding_new_with_fix ("bucket", GK_DOCTOR_PROBLEM, bucket, title, meaning,
                                             GK_DOCTOR_FIX_COMMANDS, fix);
    }
  if (error != NULL)
    {
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("Bucket %s cannot be reached"), bucket);
      meaning = as_sentence (error->message);
      return gk_doctor_finding_new ("bucket", GK_DOCTOR_PROBLEM, bucket, title, meaning);
    }
  if (region != NULL && own != NULL && !g_str_equal (region, own))
    {
      /* Translators: a bucket name, then two AWS regions */
      title = g_strdup_printf (_("Bucket %s is in %s, not in %s"), bucket, region, own);
      /* Translators: %s is an AWS region */
      meaning = g_strdup_printf (_("Requests signed for %s are refused there and must be sent "
                                   "again, and IGV’s own Amazon sign-in and tools that take "
                                   "aws_region as it is ask the wrong region."), own);
      fix = g_strdup_printf (_("Set “aws_region” to “%s” in the profile, or keep the lab’s "
                               "buckets in one region."), region);
      return gk_doctor_finding_new_with_fix ("bucket", GK_DOCTOR_WARNING, bucket, title, meaning,
                                             GK_DOCTOR_FIX_SETTING, fix);
    }
  /* Translators: %s is a bucket name */
  title = g_strdup_printf (_("Bucket %s can be listed"), bucket);
  /* Translators: an s3:// address, then an AWS region */
  meaning = g_strdup_printf (_("%s answers in %s, the profile’s region."), where,
                             region != NULL ? region : own);
  return gk_doctor_finding_new ("bucket", GK_DOCTOR_OK, bucket, title, meaning);
}

/**
 * gk_doctor_judge_cors:
 * @origins: the origins whose preflights were sent
 * @refused: (nullable): those S3 refused
 * @error: (nullable): why there was no answer
 */
GkDoctorFinding *
gk_doctor_judge_cors (const char         *bucket,
                      const char * const *origins,
                      const char * const *refused,
                      const GError       *error)
{
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *names = NULL;
  g_autofree char *fix = NULL;

  if (error != NULL)
    {
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("CORS of %s could not be checked"), bucket);
      return not_checked ("cors", bucket, title, error);
    }
  if (refused == NULL || refused[0] == NULL)
    {
      names = join_names (origins);
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("Web viewers may read %s"), bucket);
      /* Translators: %s lists web viewers, such as "IGV-Web and Chromoscope" */
      meaning = g_strdup_printf (_("The bucket’s CORS rules let %s read byte ranges of its files."),
                                 names);
      return gk_doctor_finding_new ("cors", GK_DOCTOR_OK, bucket, title, meaning);
    }
  names = join_names (refused);
  /* Translators: the first %s lists web viewers, the second is a bucket */
  title = g_strdup_printf (_("%s cannot read %s"), names, bucket);
  /* Translators: %s lists web viewers, such as "IGV-Web and Chromoscope" */
  meaning = g_strdup_printf (_("The bucket’s CORS rules keep %s from reading its files, so presigned "
                               "links to it do not open there (gateway links still do)."), names);
  fix = gk_lab_admin_cors_commands (bucket, origins);
  return gk_doctor_finding_new_with_fix ("cors", GK_DOCTOR_WARNING, bucket, title, meaning,
                                         GK_DOCTOR_FIX_COMMANDS, fix);
}

/**
 * gk_doctor_judge_versioning:
 * @error: (nullable): why it could not be read
 */
GkDoctorFinding *
gk_doctor_judge_versioning (const char     *bucket,
                            GkS3Versioning  versioning,
                            const GError   *error)
{
  g_autofree char *title = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *quoted = NULL;

  if (g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED))
    {
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("Versioning of %s was not checked"), bucket);
      return gk_doctor_finding_new ("versioning", GK_DOCTOR_OK, bucket, title,
                                    _("The role may not read it (s3:GetBucketVersioning), which "
                                      "lab members do not need."));
    }
  if (error != NULL)
    {
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("Versioning of %s could not be checked"), bucket);
      return not_checked ("versioning", bucket, title, error);
    }
  if (versioning == GK_S3_VERSIONING_ENABLED)
    {
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("Versioning is on for %s"), bucket);
      quoted = g_shell_quote (bucket);
      fix = g_strdup_printf ("aws s3api put-bucket-versioning --bucket %s "
                             "--versioning-configuration Status=Suspended\n", quoted);
      return gk_doctor_finding_new_with_fix ("versioning", GK_DOCTOR_NOTE, bucket, title,
                                             _("Tools that bring their own bucket, such as "
                                               "Illumina Connected Analytics, expect it off, and "
                                               "every overwrite keeps the old copy, which is "
                                               "billed too."),
                                             GK_DOCTOR_FIX_COMMANDS, fix);
    }
  /* Translators: %s is a bucket name */
  title = g_strdup_printf (_("Versioning is off for %s"), bucket);
  return gk_doctor_finding_new ("versioning", GK_DOCTOR_OK, bucket, title,
                                versioning == GK_S3_VERSIONING_SUSPENDED
                                ? _("It is suspended: new writes keep no old copies.")
                                : _("It was never turned on."));
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
  g_autofree char *amount = format_duration (lifetime);
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
  g_autofree char *amount = lasted >= 0 ? format_duration (lasted) : NULL;
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
  return not_checked ("sign-in-lifetime", NULL, _("The sign-in could not be renewed"), error);
}

/* ---- the gateway ---------------------------------------------------------- */

/**
 * gk_doctor_judge_gateway_port:
 * @free_port: a free port to move to, for %GK_DOCTOR_PORT_TAKEN
 */
GkDoctorFinding *
gk_doctor_judge_gateway_port (guint16           port,
                              GkDoctorPortState state,
                              guint16           free_port)
{
  g_autofree char *subject = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *fix = NULL;

  switch (state)
    {
    case GK_DOCTOR_PORT_FREE:
      /* Translators: %u is a port number */
      title = g_strdup_printf (_("The gateway’s port %u is free"), port);
      meaning = g_strdup_printf (_("Links for IGV, IGV-Web and Chromoscope can be served on %s."),
                                 subject);
      return gk_doctor_finding_new ("gateway-port", GK_DOCTOR_OK, subject, title, meaning);
    case GK_DOCTOR_PORT_SERVING:
      /* Translators: %u is a port number */
      title = g_strdup_printf (_("The gateway answers on port %u"), port);
      meaning = g_strdup_printf (_("Genome browsers read files through %s."), subject);
      return gk_doctor_finding_new ("gateway-port", GK_DOCTOR_OK, subject, title, meaning);
    case GK_DOCTOR_PORT_TAKEN:
      /* Translators: %u is a port number */
      title = g_strdup_printf (_("Another program holds the gateway’s port %u"), port);
      meaning = g_strdup_printf (_("Genokey cannot serve links for IGV, IGV-Web and Chromoscope "
                                   "on %s, so opening files in them fails."), subject);
      fix = g_strdup_printf ("gsettings set %s gateway-port %u\n", APP_ID,
                             free_port != 0 ? free_port : port + 1);
      return gk_doctor_finding_new_with_fix ("gateway-port", GK_DOCTOR_PROBLEM, subject, title,
                                             meaning, GK_DOCTOR_FIX_COMMANDS, fix);
    case GK_DOCTOR_PORT_NOT_ANSWERING:
    default:
      /* Translators: %u is a port number */
      title = g_strdup_printf (_("The gateway does not answer on port %u"), port);
      return gk_doctor_finding_new_with_fix ("gateway-port", GK_DOCTOR_PROBLEM, subject, title,
                                             _("It runs, but genome browsers get no answer from "
                                               "it, so gateway links do not open."),
                                             GK_DOCTOR_FIX_COMMANDS,
                                             "genokey gateway stop\ngenokey gateway start\n");
    }
}

/**
 * gk_doctor_judge_gateway_origins:
 * @origins: (nullable): the web pages allowed to read through the gateway
 */
GkDoctorFinding *
gk_doctor_judge_gateway_origins (const char * const *origins)
{
  const char *viewers[] = { GK_IGV_WEB_ORIGIN, GK_CHROMOSCOPE_ORIGIN, NULL };
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *fix = NULL;
  g_autofree char *title = NULL;
  g_autofree char *meaning = NULL;
  g_autofree char *names = NULL;

  for (guint v = 0; viewers[v] != NULL; v++)
    if (origins == NULL || !g_strv_contains (origins, viewers[v]))
      g_ptr_array_add (missing, (gpointer) viewers[v]);
  g_ptr_array_add (missing, NULL);

  if (missing->len == 1)
    {
      names = join_names (origins);
      /* Translators: %s lists web viewers and sites */
      meaning = g_strdup_printf (_("The gateway lets %s read through its links."), names);
      return gk_doctor_finding_new ("gateway-origins", GK_DOCTOR_OK, NULL,
                                    _("Web viewers may read through the gateway"), meaning);
    }

  {
    g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
    g_auto(GStrv) wanted = NULL;
    g_autoptr(GString) list = g_string_new ("[");

    g_strv_builder_addv (all, (const char **) viewers);
    for (guint i = 0; origins != NULL && origins[i] != NULL; i++)
      if (!g_strv_contains (viewers, origins[i]))
        g_strv_builder_add (all, origins[i]);
    wanted = g_strv_builder_end (all);
    for (guint i = 0; wanted[i] != NULL; i++)
      g_string_append_printf (list, "%s'%s'", i > 0 ? ", " : "", wanted[i]);
    g_string_append (list, "]");
    fix = g_strdup_printf ("gsettings set %s gateway-origins \"%s\"\n", APP_ID, list->str);
  }
  names = join_names ((const char * const *) missing->pdata);
  if (origins == NULL || origins[0] == NULL)
    return gk_doctor_finding_new_with_fix ("gateway-origins", GK_DOCTOR_WARNING, NULL,
                                           _("No web viewer may read through the gateway"),
                                           _("Its list of allowed web pages is empty, so IGV-Web "
                                             "and Chromoscope get no files through gateway links."),
                                           GK_DOCTOR_FIX_COMMANDS, fix);
  /* Translators: %s lists web viewers, such as "IGV-Web" */
  title = g_strdup_printf (_("The gateway keeps %s out"), names);
  /* Translators: %s lists web viewers, such as "IGV-Web" */
  meaning = g_strdup_printf (_("%s gets no files through gateway links, since the gateway’s list "
                               "of allowed web pages leaves it out."), names);
  return gk_doctor_finding_new_with_fix ("gateway-origins", GK_DOCTOR_NOTE, NULL, title, meaning,
                                         GK_DOCTOR_FIX_COMMANDS, fix);
}
