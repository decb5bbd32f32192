/* test-doctor.c: the lab check's rules, observation by observation, and
 * its findings' summary and JSON
 *
 * The checks against a live lab are tests/integration/doctor.test.mjs;
 * here every severity rule gets the observations on both sides of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-cognito-identity.h"
#include "gk-doctor-judge.h"
#include "gk-doctor.h"
#include "gk-test.h"

static GkProfile *
make_profile (gboolean            basic,
              const char * const *buckets,
              const char         *chromoscope_prefix)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  GkProfile *profile;

  json_object_set_string_member (object, "client_id", "labclient");
  json_object_set_string_member (object, "authorization_endpoint",
                                 "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/authorize");
  json_object_set_string_member (object, "token_endpoint",
                                 "https://lab.auth.eu-west-2.amazoncognito.com/oauth2/token");
  json_object_set_string_member (object, "aws_region", "eu-west-2");
  json_object_set_string_member (object, "aws_cognito_pool_id", "eu-west-2_AbCdEf123");
  json_object_set_string_member (object, "aws_cognito_fed_pool_id",
                                 "eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789");
  if (basic)
    json_object_set_string_member (object, "aws_cognito_role_arn",
                                   "arn:aws:iam::123456789012:role/lab/LabReaders");
  if (buckets != NULL)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; buckets[i] != NULL; i++)
        json_array_add_string_element (array, buckets[i]);
      json_object_set_array_member (object, "buckets", array);
    }
  if (chromoscope_prefix != NULL)
    json_object_set_string_member (object, "chromoscope_prefix", chromoscope_prefix);
  profile = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);
  return profile;
}

static void
assert_finding (GkDoctorFinding  *finding,
                const char       *check,
                GkDoctorSeverity  severity)
{
  g_assert_nonnull (finding);
  g_assert_cmpstr (gk_doctor_finding_get_check (finding), ==, check);
  g_assert_cmpint (gk_doctor_finding_get_severity (finding), ==, severity);
  g_assert_nonnull (gk_doctor_finding_get_title (finding));
  /* One sentence, ending with a full stop. */
  if (!g_str_has_suffix (gk_doctor_finding_get_meaning (finding), "."))
    g_error ("“%s” is not a sentence", gk_doctor_finding_get_meaning (finding));
}

static void
assert_fix_has (GkDoctorFinding *finding,
                const char      *text)
{
  const char *fix = gk_doctor_finding_get_fix (finding);

  g_assert_nonnull (fix);
  if (strstr (fix, text) == NULL)
    g_error ("the fix does not hold “%s”:\n%s", text, fix);
}

/* ---- findings ---------------------------------------------------------- */

static void
test_summary_counts_each_severity (void)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  g_autofree char *none = NULL;
  g_autofree char *summary = NULL;

  none = gk_doctor_findings_dup_summary (findings);
  g_assert_cmpstr (none, ==, "0 problems, 0 warnings, 0 notes; 0 checks passed.");
  g_assert_cmpint (gk_doctor_findings_get_worst (findings), ==, GK_DOCTOR_OK);

  g_ptr_array_add (findings, gk_doctor_finding_new ("a", GK_DOCTOR_WARNING, NULL, "t", "m."));
  g_ptr_array_add (findings, gk_doctor_finding_new ("b", GK_DOCTOR_OK, NULL, "t", "m."));
  g_ptr_array_add (findings, gk_doctor_finding_new ("c", GK_DOCTOR_WARNING, NULL, "t", "m."));
  g_ptr_array_add (findings, gk_doctor_finding_new ("d", GK_DOCTOR_NOTE, NULL, "t", "m."));
  g_assert_cmpint (gk_doctor_findings_get_worst (findings), ==, GK_DOCTOR_WARNING);
  g_ptr_array_add (findings, gk_doctor_finding_new ("e", GK_DOCTOR_PROBLEM, NULL, "t", "m."));
  summary = gk_doctor_findings_dup_summary (findings);
  g_assert_cmpstr (summary, ==, "1 problem, 2 warnings, 1 note; 1 check passed.");
  g_assert_cmpint (gk_doctor_findings_get_worst (findings), ==, GK_DOCTOR_PROBLEM);
}

static void
test_json_has_stable_names (void)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *first, *second;

  g_ptr_array_add (findings, gk_doctor_finding_new_with_fix ("versioning", GK_DOCTOR_NOTE, "lab-data",
                                                             "Versioning is on", "It is.",
                                                             GK_DOCTOR_FIX_COMMANDS, "aws s3api …\n"));
  g_ptr_array_add (findings, gk_doctor_finding_new ("bucket", GK_DOCTOR_OK, NULL, "Fine", "It is."));
  root = gk_doctor_findings_to_json (findings, "lab");
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "profile"), ==, "lab");
  g_assert_cmpstr (json_object_get_string_member (object, "worst"), ==, "note");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "summary"), "note"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "summary"), "problem"), ==, 0);
  first = json_array_get_object_element (json_object_get_array_member (object, "findings"), 0);
  second = json_array_get_object_element (json_object_get_array_member (object, "findings"), 1);
  g_assert_cmpstr (json_object_get_string_member (first, "check"), ==, "versioning");
  g_assert_cmpstr (json_object_get_string_member (first, "severity"), ==, "note");
  g_assert_cmpstr (json_object_get_string_member (first, "subject"), ==, "lab-data");
  g_assert_cmpstr (json_object_get_string_member (first, "fix_kind"), ==, "commands");
  g_assert_cmpstr (json_object_get_string_member (first, "fix"), ==, "aws s3api …\n");
  g_assert_true (json_object_get_null_member (second, "fix"));
  g_assert_true (json_object_get_null_member (second, "subject"));
}

/* ---- endpoints and the clock -------------------------------------------- */

static void
test_endpoint (void)
{
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                   "Could not connect: Connection refused");
  g_autoptr(GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                               "Unacceptable TLS certificate");
  g_autoptr(GkDoctorFinding) ok = NULL, down = NULL, untrusted = NULL, other_host = NULL;

  /* Any answer, even a 403, means the endpoint is reachable. */
  ok = gk_doctor_judge_endpoint (GK_DOCTOR_ENDPOINT_S3, "https://s3.eu-west-2.amazonaws.com", 403, 0, NULL);
  assert_finding (ok, "endpoint", GK_DOCTOR_OK);
  g_assert_cmpstr (gk_doctor_finding_get_subject (ok), ==, "https://s3.eu-west-2.amazonaws.com");

  down = gk_doctor_judge_endpoint (GK_DOCTOR_ENDPOINT_IDENTITY_POOL, "https://cognito-identity.example",
                                   0, 0, refused);
  assert_finding (down, "endpoint", GK_DOCTOR_PROBLEM);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (down), "Connection refused"));
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (down), "credentials"));
  assert_fix_has (down, "cognito_identity_endpoint");

  untrusted = gk_doctor_judge_endpoint (GK_DOCTOR_ENDPOINT_HOSTED_LOGIN, "https://login.example", 0,
                                        G_TLS_CERTIFICATE_UNKNOWN_CA, tls);
  assert_finding (untrusted, "endpoint", GK_DOCTOR_PROBLEM);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (untrusted), "issuer"));
  g_assert_cmpint (gk_doctor_finding_get_fix_kind (untrusted), ==, GK_DOCTOR_FIX_COMMANDS);
  assert_fix_has (untrusted, "update-ca-certificates");

  other_host = gk_doctor_judge_endpoint (GK_DOCTOR_ENDPOINT_S3, "https://s3.example", 0,
                                         G_TLS_CERTIFICATE_BAD_IDENTITY, tls);
  assert_finding (other_host, "endpoint", GK_DOCTOR_PROBLEM);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (other_host), "another host"));
  assert_fix_has (other_host, "endpoint_url");
}

static void
test_clock_warns_above_a_minute (void)
{
  g_autoptr(GkDoctorFinding) exact = gk_doctor_judge_clock (60, "https://sts.example");
  g_autoptr(GkDoctorFinding) behind = gk_doctor_judge_clock (61, "https://sts.example");
  g_autoptr(GkDoctorFinding) ahead = gk_doctor_judge_clock (-300, "https://sts.example");

  assert_finding (exact, "clock-skew", GK_DOCTOR_OK);
  assert_finding (behind, "clock-skew", GK_DOCTOR_WARNING);
  /* The endpoint's clock ahead of ours: ours is behind. */
  g_assert_nonnull (strstr (gk_doctor_finding_get_title (behind), "behind"));
  g_assert_nonnull (strstr (gk_doctor_finding_get_title (ahead), "ahead"));
  g_assert_nonnull (strstr (gk_doctor_finding_get_title (ahead), "5 minutes"));
  assert_fix_has (ahead, "timedatectl set-ntp true");
}

/* ---- the hosted login and the identity pool ----------------------------- */

static void
test_callback (void)
{
  g_autoptr(GkProfile) profile = make_profile (FALSE, NULL, NULL);
  g_autoptr(GError) down = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Timed out");
  g_autoptr(GkDoctorFinding) login = NULL, relative = NULL, mismatch = NULL, scope = NULL;
  g_autoptr(GkDoctorFinding) shown = NULL, bad = NULL, unknown = NULL;

  login = gk_doctor_judge_callback (profile, 302,
                                    "https://lab.auth.eu-west-2.amazoncognito.com/login?client_id=labclient", NULL);
  assert_finding (login, "callback-url", GK_DOCTOR_OK);
  g_assert_cmpstr (gk_doctor_finding_get_subject (login), ==, "http://localhost:60151/oauthCallback");
  relative = gk_doctor_judge_callback (profile, 302, "/login?client_id=labclient", NULL);
  assert_finding (relative, "callback-url", GK_DOCTOR_OK);
  shown = gk_doctor_judge_callback (profile, 200, NULL, NULL);
  assert_finding (shown, "callback-url", GK_DOCTOR_OK);

  /* Cognito's answer to an unregistered callback. */
  mismatch = gk_doctor_judge_callback (profile, 302, "/error?error=redirect_mismatch&client_id=labclient", NULL);
  assert_finding (mismatch, "callback-url", GK_DOCTOR_PROBLEM);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (mismatch), "labclient"));
  assert_fix_has (mismatch, "update-user-pool-client");
  assert_fix_has (mismatch, "\"CallbackURLs\"");
  assert_fix_has (mismatch, "http://localhost:60151/oauthCallback");

  /* The callback is right, the client is not: the error comes back to it. */
  scope = gk_doctor_judge_callback (profile, 302,
                                    "http://localhost:60151/oauthCallback?error=invalid_scope&state=x", NULL);
  assert_finding (scope, "callback-url", GK_DOCTOR_PROBLEM);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (scope), "invalid_scope"));

  bad = gk_doctor_judge_callback (profile, 400, NULL, NULL);
  assert_finding (bad, "callback-url", GK_DOCTOR_PROBLEM);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (bad), "HTTP 400"));

  unknown = gk_doctor_judge_callback (profile, 0, NULL, down);
  assert_finding (unknown, "callback-url", GK_DOCTOR_NOTE);
}

static void
test_unauthenticated (void)
{
  g_autoptr(GkProfile) profile = make_profile (FALSE, NULL, NULL);
  g_autoptr(GError) refused = g_error_new_literal (GK_COGNITO_IDENTITY_ERROR,
                                                   GK_COGNITO_IDENTITY_ERROR_NOT_AUTHORIZED, "No.");
  g_autoptr(GError) missing = g_error_new_literal (GK_COGNITO_IDENTITY_ERROR,
                                                   GK_COGNITO_IDENTITY_ERROR_POOL_NOT_FOUND, "Gone.");
  g_autoptr(GError) busy = g_error_new_literal (GK_COGNITO_IDENTITY_ERROR,
                                                GK_COGNITO_IDENTITY_ERROR_UNAVAILABLE, "Busy.");
  g_autoptr(GkDoctorFinding) open = gk_doctor_judge_unauthenticated (profile, TRUE, NULL);
  g_autoptr(GkDoctorFinding) closed = gk_doctor_judge_unauthenticated (profile, FALSE, refused);
  g_autoptr(GkDoctorFinding) gone = gk_doctor_judge_unauthenticated (profile, FALSE, missing);
  g_autoptr(GkDoctorFinding) unknown = gk_doctor_judge_unauthenticated (profile, FALSE, busy);

  assert_finding (open, "unauthenticated-identities", GK_DOCTOR_PROBLEM);
  assert_fix_has (open, "describe-identity-pool --identity-pool-id 'eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789' --region 'eu-west-2'");
  assert_fix_has (open, "\"AllowUnauthenticatedIdentities\": false");
  assert_fix_has (open, "update-identity-pool");
  assert_finding (closed, "unauthenticated-identities", GK_DOCTOR_OK);
  assert_finding (gone, "unauthenticated-identities", GK_DOCTOR_PROBLEM);
  assert_fix_has (gone, "aws_cognito_fed_pool_id");
  assert_finding (unknown, "unauthenticated-identities", GK_DOCTOR_NOTE);
}

static void
test_classic_flow (void)
{
  g_autoptr(GkProfile) enhanced = make_profile (FALSE, NULL, NULL);
  g_autoptr(GkProfile) basic = make_profile (TRUE, NULL, NULL);
  g_autoptr(GError) off = g_error_new_literal (GK_COGNITO_IDENTITY_ERROR,
                                               GK_COGNITO_IDENTITY_ERROR_BASIC_FLOW_DISABLED, "Off.");
  g_autoptr(GkDoctorFinding) unneeded = gk_doctor_judge_classic_flow (enhanced, TRUE, NULL, NULL);
  g_autoptr(GkDoctorFinding) proven = gk_doctor_judge_classic_flow (enhanced, TRUE,
                                                                    "arn:aws:iam::123456789012:role/LabAuth", NULL);
  g_autoptr(GkDoctorFinding) used = gk_doctor_judge_classic_flow (basic, TRUE, NULL, NULL);
  g_autoptr(GkDoctorFinding) disabled = gk_doctor_judge_classic_flow (enhanced, FALSE, NULL, off);

  assert_finding (unneeded, "classic-flow", GK_DOCTOR_WARNING);
  assert_fix_has (unneeded, "\"AllowClassicFlow\": false");
  assert_finding (proven, "classic-flow", GK_DOCTOR_WARNING);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (proven),
                            "STS just gave credentials for arn:aws:iam::123456789012:role/LabAuth"));
  assert_finding (used, "classic-flow", GK_DOCTOR_NOTE);
  g_assert_null (gk_doctor_finding_get_fix (used));
  assert_finding (disabled, "classic-flow", GK_DOCTOR_OK);
}

/* ---- buckets ------------------------------------------------------------ */

static void
test_list_buckets (void)
{
  const char * const lab[] = { "lab-data", "lab-results/cohort1/", NULL };
  const char * const listed[] = { "lab-data", "lab-results", "hr-payroll", "finance", NULL };
  const char * const own[] = { "lab-data", "lab-results", NULL };
  g_autoptr(GkProfile) scoped = make_profile (FALSE, lab, "s3://lab-results/chromoscope/");
  g_autoptr(GkProfile) unscoped = make_profile (FALSE, NULL, NULL);
  g_autoptr(GError) denied = gk_s3_error_new (403, "AccessDenied", "Access Denied",
                                              GK_S3_ACTION_LIST_BUCKETS, NULL, NULL);
  g_autoptr(GkDoctorFinding) more = gk_doctor_judge_list_buckets (scoped, listed, NULL);
  g_autoptr(GkDoctorFinding) only = gk_doctor_judge_list_buckets (scoped, own, NULL);
  g_autoptr(GkDoctorFinding) refused = gk_doctor_judge_list_buckets (scoped, NULL, denied);
  g_autoptr(GkDoctorFinding) everything = gk_doctor_judge_list_buckets (unscoped, listed, NULL);
  g_autoptr(GkDoctorFinding) nothing = gk_doctor_judge_list_buckets (unscoped, NULL, denied);
  const char *fix;

  assert_finding (more, "list-buckets", GK_DOCTOR_WARNING);
  g_assert_nonnull (strstr (gk_doctor_finding_get_title (more), "2 buckets"));
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (more), "hr-payroll, finance"));
  /* The fix is a policy scoped to the profile's buckets, and nothing else. */
  fix = gk_doctor_finding_get_fix (more);
  assert_fix_has (more, "put-role-policy --role-name ROLE");
  assert_fix_has (more, "arn:aws:s3:::lab-data/*");
  assert_fix_has (more, "arn:aws:s3:::lab-results/cohort1/*");
  assert_fix_has (more, "arn:aws:s3:::lab-results/chromoscope/*");
  g_assert_null (strstr (fix, "hr-payroll"));
  g_assert_null (strstr (fix, "ListAllMyBuckets"));

  assert_finding (only, "list-buckets", GK_DOCTOR_OK);
  assert_finding (refused, "list-buckets", GK_DOCTOR_OK);
  assert_finding (everything, "list-buckets", GK_DOCTOR_NOTE);
  assert_finding (nothing, "list-buckets", GK_DOCTOR_WARNING);
}

static void
test_bucket (void)
{
  const char * const lab[] = { "lab-data", NULL };
  g_autoptr(GkProfile) profile = make_profile (TRUE, lab, NULL);
  g_autoptr(GError) missing = gk_s3_error_new (404, "NoSuchBucket", NULL, GK_S3_ACTION_HEAD_BUCKET, "lab-dta", NULL);
  g_autoptr(GError) denied = gk_s3_error_new (403, "AccessDenied", "Access Denied",
                                              GK_S3_ACTION_LIST_OBJECTS, "lab-data", NULL);
  g_autoptr(GkDoctorFinding) home = gk_doctor_judge_bucket (profile, "lab-data", NULL, "eu-west-2", NULL);
  g_autoptr(GkDoctorFinding) away = gk_doctor_judge_bucket (profile, "lab-data", NULL, "us-east-1", NULL);
  g_autoptr(GkDoctorFinding) gone = gk_doctor_judge_bucket (profile, "lab-dta", NULL, NULL, missing);
  g_autoptr(GkDoctorFinding) closed = gk_doctor_judge_bucket (profile, "lab-data", "cohort1/", "eu-west-2", denied);

  assert_finding (home, "bucket", GK_DOCTOR_OK);
  assert_finding (away, "bucket", GK_DOCTOR_WARNING);
  g_assert_nonnull (strstr (gk_doctor_finding_get_title (away), "us-east-1"));
  assert_fix_has (away, "“aws_region” to “us-east-1”");
  assert_finding (gone, "bucket", GK_DOCTOR_PROBLEM);
  assert_fix_has (gone, "lab-dta");
  assert_finding (closed, "bucket", GK_DOCTOR_PROBLEM);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (closed), "s3://lab-data/cohort1/"));
  /* The basic flow's role is named: the fix needs no look-up. */
  assert_fix_has (closed, "--role-name 'LabReaders'");
}

static void
test_cors (void)
{
  const char * const origins[] = { "https://igv.org", "https://chromoscope.bio", "https://igv.lab.example", NULL };
  const char * const one[] = { "https://chromoscope.bio", NULL };
  g_autoptr(GError) down = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Timed out");
  g_autoptr(GkDoctorFinding) open = gk_doctor_judge_cors ("lab-data", origins, NULL, NULL);
  g_autoptr(GkDoctorFinding) shut = gk_doctor_judge_cors ("lab-data", origins, one, NULL);
  g_autoptr(GkDoctorFinding) unknown = gk_doctor_judge_cors ("lab-data", origins, NULL, down);

  assert_finding (open, "cors", GK_DOCTOR_OK);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (open),
                            "IGV-Web, Chromoscope and https://igv.lab.example"));
  assert_finding (shut, "cors", GK_DOCTOR_WARNING);
  g_assert_cmpstr (gk_doctor_finding_get_title (shut), ==, "Chromoscope cannot read lab-data");
  /* The rule to set lets every origin in, not only the one refused. */
  assert_fix_has (shut, "aws s3api put-bucket-cors --bucket 'lab-data' --cors-configuration '{");
  assert_fix_has (shut, "\"https://igv.lab.example\"");
  assert_finding (unknown, "cors", GK_DOCTOR_NOTE);
}

static void
test_versioning (void)
{
  g_autoptr(GError) denied = gk_s3_error_new (403, "AccessDenied", "Access Denied",
                                              GK_S3_ACTION_GET_VERSIONING, "lab-data", NULL);
  g_autoptr(GkDoctorFinding) on = gk_doctor_judge_versioning ("lab-data", GK_S3_VERSIONING_ENABLED, NULL);
  g_autoptr(GkDoctorFinding) paused = gk_doctor_judge_versioning ("lab-data", GK_S3_VERSIONING_SUSPENDED, NULL);
  g_autoptr(GkDoctorFinding) never = gk_doctor_judge_versioning ("lab-data", GK_S3_VERSIONING_NEVER, NULL);
  g_autoptr(GkDoctorFinding) hidden = gk_doctor_judge_versioning ("lab-data", GK_S3_VERSIONING_UNKNOWN, denied);

  assert_finding (on, "versioning", GK_DOCTOR_NOTE);
  assert_fix_has (on, "aws s3api put-bucket-versioning --bucket 'lab-data' --versioning-configuration Status=Suspended");
  assert_finding (paused, "versioning", GK_DOCTOR_OK);
  assert_finding (never, "versioning", GK_DOCTOR_OK);
  assert_finding (hidden, "versioning", GK_DOCTOR_OK);
}

/* ---- lifetimes ----------------------------------------------------------- */

static void
test_lifetimes (void)
{
  g_autoptr(GkProfile) enhanced = make_profile (FALSE, NULL, NULL);
  g_autoptr(GkProfile) basic = make_profile (TRUE, NULL, NULL);
  g_autoptr(GkDoctorFinding) short_creds = gk_doctor_judge_credential_lifetime (enhanced, 899);
  g_autoptr(GkDoctorFinding) enough = gk_doctor_judge_credential_lifetime (enhanced, 900);
  g_autoptr(GkDoctorFinding) short_role = gk_doctor_judge_credential_lifetime (basic, 600);
  g_autoptr(GkDoctorFinding) renews = gk_doctor_judge_sign_in_lifetime (enhanced, FALSE, 3 * 3600);
  g_autoptr(GkDoctorFinding) short_day = gk_doctor_judge_sign_in_lifetime (enhanced, TRUE, 3 * 3600 + 300);
  g_autoptr(GkDoctorFinding) long_day = gk_doctor_judge_sign_in_lifetime (enhanced, TRUE, 9 * 3600);
  g_autoptr(GkDoctorFinding) unknown = gk_doctor_judge_sign_in_lifetime (enhanced, TRUE, -1);

  assert_finding (short_creds, "credential-lifetime", GK_DOCTOR_NOTE);
  g_assert_nonnull (strstr (gk_doctor_finding_get_title (short_creds), "14 minutes"));
  /* The enhanced flow's hour is AWS's own: nothing for the lab to set. */
  g_assert_null (gk_doctor_finding_get_fix (short_creds));
  assert_finding (enough, "credential-lifetime", GK_DOCTOR_OK);
  assert_finding (short_role, "credential-lifetime", GK_DOCTOR_NOTE);
  assert_fix_has (short_role, "aws iam update-role --role-name 'LabReaders' --max-session-duration 43200");

  assert_finding (renews, "sign-in-lifetime", GK_DOCTOR_OK);
  g_assert_nonnull (strstr (gk_doctor_finding_get_meaning (renews), "3 hours"));
  assert_finding (short_day, "sign-in-lifetime", GK_DOCTOR_NOTE);
  g_assert_cmpstr (gk_doctor_finding_get_title (short_day), ==, "Sign-ins end after 3 h 5 min");
  assert_fix_has (short_day, "\"RefreshTokenValidity\"");
  assert_finding (long_day, "sign-in-lifetime", GK_DOCTOR_NOTE);
  g_assert_null (gk_doctor_finding_get_fix (long_day));
  assert_finding (unknown, "sign-in-lifetime", GK_DOCTOR_NOTE);
}

/* ---- the gateway ---------------------------------------------------------- */

static void
test_gateway (void)
{
  const char * const both[] = { "https://igv.org", "https://chromoscope.bio", NULL };
  const char * const igv_only[] = { "https://igv.org", "https://igv.lab.example", NULL };
  const char * const none[] = { NULL };
  g_autoptr(GkDoctorFinding) free_port = gk_doctor_judge_gateway_port (28151, GK_DOCTOR_PORT_FREE, 0);
  g_autoptr(GkDoctorFinding) serving = gk_doctor_judge_gateway_port (28151, GK_DOCTOR_PORT_SERVING, 0);
  g_autoptr(GkDoctorFinding) taken = gk_doctor_judge_gateway_port (28151, GK_DOCTOR_PORT_TAKEN, 28153);
  g_autoptr(GkDoctorFinding) silent = gk_doctor_judge_gateway_port (28151, GK_DOCTOR_PORT_NOT_ANSWERING, 0);
  g_autoptr(GkDoctorFinding) allowed = gk_doctor_judge_gateway_origins (both);
  g_autoptr(GkDoctorFinding) partial = gk_doctor_judge_gateway_origins (igv_only);
  g_autoptr(GkDoctorFinding) empty = gk_doctor_judge_gateway_origins (none);
  g_autofree char *port_fix = g_strdup_printf ("gsettings set %s gateway-port 28153", APP_ID);
  g_autofree char *origins_fix =
    g_strdup_printf ("gsettings set %s gateway-origins \"['https://igv.org', 'https://chromoscope.bio', "
                     "'https://igv.lab.example']\"", APP_ID);

  assert_finding (free_port, "gateway-port", GK_DOCTOR_OK);
  assert_finding (serving, "gateway-port", GK_DOCTOR_OK);
  assert_finding (taken, "gateway-port", GK_DOCTOR_PROBLEM);
  assert_fix_has (taken, port_fix);
  assert_finding (silent, "gateway-port", GK_DOCTOR_PROBLEM);

  assert_finding (allowed, "gateway-origins", GK_DOCTOR_OK);
  assert_finding (partial, "gateway-origins", GK_DOCTOR_NOTE);
  g_assert_cmpstr (gk_doctor_finding_get_title (partial), ==, "The gateway keeps Chromoscope out");
  /* The lab's own origin stays in the list the fix sets. */
  assert_fix_has (partial, origins_fix);
  assert_finding (empty, "gateway-origins", GK_DOCTOR_WARNING);
}

/* A profile with no credential source: only what needs none is checked,
 * and the note says why the rest was skipped. */
static void
test_run_without_credentials_notes_the_skip (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GkProfile) profile = NULL;
  g_autoptr(GkDoctor) doctor = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  GkDoctorFinding *first;

  /* Endpoints nobody listens on: nothing leaves this machine. */
  json_object_set_string_member (object, "client_id", "labclient");
  json_object_set_string_member (object, "authorization_endpoint", "http://127.0.0.1:9/oauth2/authorize");
  json_object_set_string_member (object, "token_endpoint", "http://127.0.0.1:9/oauth2/token");
  json_object_set_string_member (object, "aws_region", "eu-west-2");
  json_object_set_string_member (object, "aws_cognito_pool_id", "eu-west-2_AbCdEf123");
  json_object_set_string_member (object, "aws_cognito_fed_pool_id", "eu-west-2:0a1b2c3d-4e5f-6789-abcd-ef0123456789");
  json_object_set_string_member (object, "issuer", "http://127.0.0.1:9/eu-west-2_AbCdEf123");
  json_object_set_string_member (object, "cognito_identity_endpoint", "http://127.0.0.1:9/");
  json_object_set_string_member (object, "endpoint_url", "http://127.0.0.1:9/");
  profile = gk_profile_new_from_json (object, "lab", &error);
  g_assert_no_error (error);

  doctor = gk_doctor_new (profile, NULL);
  gk_doctor_run_async (doctor, NULL, gk_test_store_result_cb, &result);
  findings = gk_doctor_run_finish (doctor, gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  first = g_ptr_array_index (findings, 0);
  assert_finding (first, "sign-in", GK_DOCTOR_NOTE);
  for (guint i = 0; i < findings->len; i++)
    {
      const char *check = gk_doctor_finding_get_check (g_ptr_array_index (findings, i));

      g_assert_cmpstr (check, !=, "bucket");
      g_assert_cmpstr (check, !=, "list-buckets");
    }
  /* Nobody listens: the endpoints are problems, not silence. */
  g_assert_cmpint (gk_doctor_findings_get_worst (findings), ==, GK_DOCTOR_PROBLEM);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/doctor/finding/summary-counts-each-severity", test_summary_counts_each_severity);
  g_test_add_func ("/doctor/finding/json-has-stable-names", test_json_has_stable_names);
  g_test_add_func ("/doctor/judge/endpoint-any-answer-reaches-it", test_endpoint);
  g_test_add_func ("/doctor/judge/clock-warns-above-a-minute", test_clock_warns_above_a_minute);
  g_test_add_func ("/doctor/judge/callback-url-by-where-the-login-sends-it", test_callback);
  g_test_add_func ("/doctor/judge/unauthenticated-identities-are-a-problem", test_unauthenticated);
  g_test_add_func ("/doctor/judge/classic-flow-note-if-used-warning-if-not", test_classic_flow);
  g_test_add_func ("/doctor/judge/list-buckets-beyond-the-profile-warns", test_list_buckets);
  g_test_add_func ("/doctor/judge/bucket-missing-refused-or-elsewhere", test_bucket);
  g_test_add_func ("/doctor/judge/cors-refused-origins-get-the-rule", test_cors);
  g_test_add_func ("/doctor/judge/versioning-on-is-a-note", test_versioning);
  g_test_add_func ("/doctor/judge/lifetimes-shorter-than-needed-are-notes", test_lifetimes);
  g_test_add_func ("/doctor/judge/gateway-port-and-origins", test_gateway);
  g_test_add_func ("/doctor/run/without-credentials-notes-the-skip", test_run_without_credentials_notes_the_skip);

  return g_test_run ();
}
