/* gk-doctor-judge.h: what each observation of a lab check means
 *
 * The checks (gk-doctor-*.c) observe: an HTTP status, a header, an AWS
 * error, a lifetime. These rules turn one observation into a finding, with
 * its severity, its sentence and its fix. Pure: the tests give them
 * observations, and the severities are decided here only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-doctor-finding.h"
#include "gk-profile.h"
#include "gk-s3.h"

G_BEGIN_DECLS

/* Above this many seconds apart, SigV4 signatures start to fail: S3
 * refuses requests 15 minutes off, and links are born expired or not yet
 * valid well before that. */
#define GK_DOCTOR_CLOCK_SKEW_WARNING 60
/* botocore renews credentials with less than 15 minutes left: shorter
 * credentials are renewed at every call of an AWS tool. */
#define GK_DOCTOR_SHORT_CREDENTIALS (15 * 60)
/* A sign-in should outlast a working day. */
#define GK_DOCTOR_WORKING_DAY (8 * 60 * 60)

/* Where a profile's endpoints lead. */
typedef enum
{
  GK_DOCTOR_ENDPOINT_HOSTED_LOGIN,  /* authorization, token and revocation endpoints */
  GK_DOCTOR_ENDPOINT_KEYS,          /* the user pool's signing keys */
  GK_DOCTOR_ENDPOINT_IDENTITY_POOL,
  GK_DOCTOR_ENDPOINT_STS,
  GK_DOCTOR_ENDPOINT_S3,
  GK_DOCTOR_ENDPOINT_IAM,
} GkDoctorEndpoint;

/* The gateway's port, as found. */
typedef enum
{
  GK_DOCTOR_PORT_FREE,         /* nothing listens: the gateway can start there */
  GK_DOCTOR_PORT_SERVING,      /* the gateway runs there and answers */
  GK_DOCTOR_PORT_TAKEN,        /* another program holds it */
  GK_DOCTOR_PORT_NOT_ANSWERING,/* the gateway runs there but does not answer */
} GkDoctorPortState;

const char      *gk_doctor_endpoint_get_name          (GkDoctorEndpoint         endpoint);
const char      *gk_doctor_endpoint_get_key           (GkDoctorEndpoint         endpoint);

GkDoctorFinding *gk_doctor_judge_endpoint             (GkDoctorEndpoint         endpoint,
                                                       const char              *origin,
                                                       guint                    http_status,
                                                       GTlsCertificateFlags     tls_errors,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_clock                (gint64                   skew,
                                                       const char              *origin);
GkDoctorFinding *gk_doctor_judge_callback             (GkProfile               *profile,
                                                       guint                    http_status,
                                                       const char              *location,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_unauthenticated      (GkProfile               *profile,
                                                       gboolean                 identity_given,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_classic_flow         (GkProfile               *profile,
                                                       gboolean                 token_given,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_not_signed_in        (GkProfile               *profile,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_list_buckets         (GkProfile               *profile,
                                                       const char * const      *names,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_bucket               (GkProfile               *profile,
                                                       const char              *bucket,
                                                       const char              *prefix,
                                                       const char              *region,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_cors                 (const char              *bucket,
                                                       const char * const      *origins,
                                                       const char * const      *refused,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_versioning           (const char              *bucket,
                                                       GkS3Versioning           versioning,
                                                       const GError            *error);
GkDoctorFinding *gk_doctor_judge_credential_lifetime  (GkProfile               *profile,
                                                       gint64                   lifetime);
GkDoctorFinding *gk_doctor_judge_sign_in_lifetime     (GkProfile               *profile,
                                                       gboolean                 refused,
                                                       gint64                   lasted);
GkDoctorFinding *gk_doctor_judge_sign_in_not_renewed (const GError           *error);
GkDoctorFinding *gk_doctor_judge_gateway_port         (guint16                  port,
                                                       GkDoctorPortState        state,
                                                       guint16                  free_port);
GkDoctorFinding *gk_doctor_judge_gateway_origins      (const char * const      *origins);

G_END_DECLS
