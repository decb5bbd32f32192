/* gk-doctor-judge-network.c: what this computer meets: the lab's
 * endpoints, its own clock, the gateway's port and allowed pages
 *
 * The severity rules, here and in the other judges: a problem when
 * something does not work for the lab (an endpoint, a bucket, the callback,
 * the gateway's port) or leaks (unauthenticated identities give anyone
 * credentials); a warning when it works badly or less safely than it should
 * (a role that sees every bucket, the basic flow on without need, CORS that
 * keeps web viewers out, a clock far enough off to break signatures,
 * buckets in another region); a note for what is worth knowing (versioning
 * on, short lifetimes, the basic flow a profile relies on, what could not
 * be checked); ok when checked and fine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-doctor-judge-network.h"
#include "gk-doctor-words.h"
#include "gk-web-viewer.h"

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
  g_autofree char *amount = gk_doctor_format_duration (off);
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
      names = gk_doctor_join_names (origins);
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
  names = gk_doctor_join_names ((const char * const *) missing->pdata);
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
