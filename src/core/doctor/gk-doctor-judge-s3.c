/* gk-doctor-judge-s3.c: what the role reaches in S3: the account's
 * buckets, each of the lab's, their CORS for web viewers and versioning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-doctor-judge-s3.h"
#include "gk-doctor-words.h"
#include "gk-lab-admin.h"

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
    return gk_doctor_not_checked ("list-buckets", NULL, _("The role’s reach could not be checked"), error);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (!has_list || !profile_has_bucket (profile, names[i]))
      g_ptr_array_add (others, (gpointer) names[i]);
  g_ptr_array_add (others, NULL);
  some = gk_doctor_join_some ((const char * const *) others->pdata);

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
      meaning = gk_doctor_as_sentence (error->message);
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
      return gk_doctor_not_checked ("cors", bucket, title, error);
    }
  if (refused == NULL || refused[0] == NULL)
    {
      names = gk_doctor_join_names (origins);
      /* Translators: %s is a bucket name */
      title = g_strdup_printf (_("Web viewers may read %s"), bucket);
      /* Translators: %s lists web viewers, such as "IGV-Web and Chromoscope" */
      meaning = g_strdup_printf (_("The bucket’s CORS rules let %s read byte ranges of its files."),
                                 names);
      return gk_doctor_finding_new ("cors", GK_DOCTOR_OK, bucket, title, meaning);
    }
  names = gk_doctor_join_names (refused);
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
      return gk_doctor_not_checked ("versioning", bucket, title, error);
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
