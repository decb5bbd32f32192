/* gk-doctor-identity.c: the identity pool and the sign-in, as anyone and
 * as the signed-in user
 *
 * First as anyone on the internet: GetId without a token must be refused.
 * Then, for a signed-in lab sign-in, one renewal now (the session's own,
 * so rotation and other processes are respected): it hands back a fresh
 * ID token, fresh credentials and when the sign-in began, which say how
 * long credentials and sign-ins last; with the ID token, GetOpenIdToken
 * says whether the basic (classic) flow is on. When it is, and the profile
 * does not use it, the OpenID token is tried on the role the pool gives
 * (GetCallerIdentity names it) with AssumeRoleWithWebIdentity, as anyone
 * signed in could: the credentials STS gives are dropped at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-cognito-identity.h"
#include "gk-doctor-identity.h"
#include "gk-doctor-judge.h"
#include "gk-lab-admin.h"
#include "gk-secret.h"
#include "gk-sts.h"

typedef struct
{
  GkDoctorContext *context;
  GkCognitoIdentityClient *identity;
  GkStsClient *sts;
  GPtrArray *findings;
  GkRenewalResult *renewal;
  char *open_id_token;      /* as good as credentials while it lives: wiped */
  char *role_arn;
} IdentityData;

static void
identity_data_free (IdentityData *data)
{
  g_clear_object (&data->identity);
  g_clear_object (&data->sts);
  g_clear_pointer (&data->findings, g_ptr_array_unref);
  gk_secret_free (data->open_id_token);
  g_free (data->role_arn);
  g_clear_pointer (&data->renewal, gk_renewal_result_unref);
  g_free (data);
}

static void
finish (GTask *task)
{
  IdentityData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->findings), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static gboolean
return_if_cancelled (GTask  *task,
                     GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  g_task_return_error (task, g_error_copy (error));
  g_object_unref (task);
  return TRUE;
}

static void
on_assumed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  IdentityData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) taken = NULL;

  taken = gk_sts_client_assume_role_with_web_identity_finish (GK_STS_CLIENT (object), result, &error);
  if (return_if_cancelled (task, error))
    return;
  /* The credentials themselves are not kept: that STS gave them is the finding. */
  g_ptr_array_add (data->findings,
                   gk_doctor_judge_classic_flow (data->context->profile, TRUE,
                                                 taken != NULL ? data->role_arn : NULL, NULL));
  finish (task);
}

static void
on_caller_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  IdentityData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *caller = NULL;

  caller = gk_sts_client_get_caller_identity_finish (GK_STS_CLIENT (object), result, &error);
  if (return_if_cancelled (task, error))
    return;
  data->role_arn = gk_lab_admin_role_arn_from_caller (caller);
  if (data->role_arn == NULL)
    {
      g_ptr_array_add (data->findings,
                       gk_doctor_judge_classic_flow (data->context->profile, TRUE, NULL, NULL));
      finish (task);
      return;
    }
  gk_sts_client_assume_role_with_web_identity_async (data->sts, data->role_arn, "genokey-lab-check",
                                                     data->open_id_token, GK_STS_MIN_DURATION,
                                                     g_task_get_cancellable (task), on_assumed_cb,
                                                     task);
}

static void
on_open_id_token_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  IdentityData *data = g_task_get_task_data (task);
  GkProfile *profile = data->context->profile;
  g_autoptr(GError) error = NULL;

  data->open_id_token =
    gk_cognito_identity_client_get_open_id_token_finish (GK_COGNITO_IDENTITY_CLIENT (object),
                                                         result, &error);
  if (return_if_cancelled (task, error))
    return;
  /* A basic-flow profile's own sign-in already took this path. */
  if (data->open_id_token == NULL || gk_profile_get_flow (profile) == GK_PROFILE_FLOW_BASIC)
    {
      g_ptr_array_add (data->findings,
                       gk_doctor_judge_classic_flow (profile, data->open_id_token != NULL, NULL, error));
      finish (task);
      return;
    }
  data->sts = gk_sts_client_new (gk_profile_get_sts_endpoint (profile), gk_profile_get_region (profile));
  gk_sts_client_get_caller_identity_async (data->sts, gk_renewal_result_get_credentials (data->renewal),
                                           g_task_get_cancellable (task), on_caller_cb, task);
}

static void
on_renewed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  IdentityData *data = g_task_get_task_data (task);
  GkProfile *profile = data->context->profile;
  g_autoptr(GError) error = NULL;
  GkCredentials *credentials;
  gint64 signed_in_at;
  gint64 lasted;

  data->renewal = gk_session_renew_now_finish (GK_SESSION (object), result, &error);
  if (data->renewal == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      g_ptr_array_add (data->findings, gk_doctor_judge_sign_in_not_renewed (error));
      finish (task);
      return;
    }

  signed_in_at = gk_renewal_result_get_signed_in_at (data->renewal);
  lasted = signed_in_at > 0 ? MAX (g_get_real_time () / G_USEC_PER_SEC - signed_in_at, 0) : -1;
  switch (gk_renewal_result_get_outcome (data->renewal))
    {
    case GK_RENEWAL_RENEWED:
      credentials = gk_renewal_result_get_credentials (data->renewal);
      g_ptr_array_add (data->findings,
                       gk_doctor_judge_credential_lifetime (profile,
                                                            gk_credentials_get_expiration (credentials) -
                                                            gk_renewal_result_get_obtained_at (data->renewal)));
      g_ptr_array_add (data->findings, gk_doctor_judge_sign_in_lifetime (profile, FALSE, lasted));
      gk_cognito_identity_client_get_open_id_token_async (data->identity,
                                                          gk_renewal_result_get_identity_id (data->renewal),
                                                          gk_renewal_result_get_id_token (data->renewal),
                                                          g_task_get_cancellable (task),
                                                          on_open_id_token_cb, task);
      return;
    case GK_RENEWAL_REFUSED:
      g_ptr_array_add (data->findings, gk_doctor_judge_sign_in_lifetime (profile, TRUE, lasted));
      break;
    case GK_RENEWAL_ADOPTED:
    case GK_RENEWAL_FAILED:
    case GK_RENEWAL_STALE:
    default:
      if (gk_renewal_result_get_error (data->renewal) != NULL)
        g_ptr_array_add (data->findings,
                         gk_doctor_judge_sign_in_not_renewed (gk_renewal_result_get_error (data->renewal)));
      else
        {
          /* Adopted: another process renewed in the meantime. */
          g_autoptr(GError) adopted = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BUSY,
                                                           _("Another Genokey renewed it meanwhile; run the check again."));

          g_ptr_array_add (data->findings, gk_doctor_judge_sign_in_not_renewed (adopted));
        }
      break;
    }
  finish (task);
}

static void
on_unauthenticated_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  IdentityData *data = g_task_get_task_data (task);
  GkDoctorContext *context = data->context;
  g_autoptr(GError) error = NULL;
  g_autofree char *identity_id = NULL;

  identity_id = gk_cognito_identity_client_get_id_finish (GK_COGNITO_IDENTITY_CLIENT (object),
                                                          result, &error);
  if (return_if_cancelled (task, error))
    return;
  g_ptr_array_add (data->findings,
                   gk_doctor_judge_unauthenticated (context->profile, identity_id != NULL, error));

  if (context->session == NULL || context->credentials == NULL)
    {
      finish (task);
      return;
    }
  gk_session_renew_now_async (context->session, g_task_get_cancellable (task), on_renewed_cb, task);
}

/**
 * gk_doctor_identity_async:
 *
 * Finishes with findings on unauthenticated identities and, when signed
 * in, on credential and sign-in lifetimes and the basic flow. Nothing for
 * a profile that is not a lab sign-in.
 */
void
gk_doctor_identity_async (GkDoctorContext     *context,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  IdentityData *data = g_new0 (IdentityData, 1);

  g_task_set_source_tag (task, gk_doctor_identity_async);
  g_task_set_task_data (task, data, (GDestroyNotify) identity_data_free);
  data->context = context;
  data->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_doctor_finding_unref);
  if (!gk_profile_is_sign_in (context->profile))
    {
      finish (task);
      return;
    }
  data->identity = gk_cognito_identity_client_new (context->profile);
  gk_cognito_identity_client_get_id_async (data->identity, NULL, cancellable, on_unauthenticated_cb,
                                           task);
}
