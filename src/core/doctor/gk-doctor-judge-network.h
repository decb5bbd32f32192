/* gk-doctor-judge-network.h: what this computer meets: the lab's
 * endpoints, its own clock, the gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-doctor-finding.h"

G_BEGIN_DECLS

/* Above this many seconds apart, SigV4 signatures start to fail: S3
 * refuses requests 15 minutes off, and links are born expired or not yet
 * valid well before that. */
#define GK_DOCTOR_CLOCK_SKEW_WARNING 60

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
  GK_DOCTOR_PORT_FREE,          /* nothing listens: the gateway can start there */
  GK_DOCTOR_PORT_SERVING,       /* the gateway runs there and answers */
  GK_DOCTOR_PORT_TAKEN,         /* another program holds it */
  GK_DOCTOR_PORT_NOT_ANSWERING, /* the gateway runs there but does not answer */
} GkDoctorPortState;

const char      *gk_doctor_endpoint_get_name     (GkDoctorEndpoint      endpoint);
const char      *gk_doctor_endpoint_get_key      (GkDoctorEndpoint      endpoint);

GkDoctorFinding *gk_doctor_judge_endpoint        (GkDoctorEndpoint      endpoint,
                                                  const char           *origin,
                                                  guint                 http_status,
                                                  GTlsCertificateFlags  tls_errors,
                                                  const GError         *error);
GkDoctorFinding *gk_doctor_judge_clock           (gint64                skew,
                                                  const char           *origin);
GkDoctorFinding *gk_doctor_judge_gateway_port    (guint16               port,
                                                  GkDoctorPortState     state,
                                                  guint16               free_port);
GkDoctorFinding *gk_doctor_judge_gateway_origins (const char * const   *origins);

G_END_DECLS
