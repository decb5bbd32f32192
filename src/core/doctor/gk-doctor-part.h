/* gk-doctor-part.h: what the parts of a lab check share
 *
 * A check runs in parts, side by side (gk-doctor.c): the endpoints and the
 * hosted login (gk-doctor-endpoints.h), the identity pool and the sign-in
 * (gk-doctor-identity.h), the buckets (gk-doctor-buckets.h) and the gateway
 * (gk-doctor-gateway.h). Each part is a GkDoctorPartFunc: it gets the run's
 * context, observes, and finishes with its findings in a fixed order; the
 * rules that judge each observation are gk-doctor-judge.h's. HTTP probes go
 * through gk-doctor-probe.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gk-credential-source.h"
#include "gk-doctor-finding.h"
#include "gk-profile.h"
#include "gk-s3.h"
#include "gk-session.h"

G_BEGIN_DECLS

/* Parts and per-bucket checks in flight at once: a lab has a handful of
 * endpoints and seldom more than a few dozen buckets. */
#define GK_DOCTOR_IN_FLIGHT 8
/* Buckets checked one by one when the profile names none (ListBuckets'):
 * enough to show a pattern, few enough for a quick check. */
#define GK_DOCTOR_MAX_LISTED_BUCKETS 20

typedef struct
{
  GkProfile *profile;
  GkCredentialSource *source;    /* nullable: nothing to sign requests with */
  GkSession *session;            /* nullable: the source is not a lab sign-in */
  GkCredentials *credentials;    /* nullable: not signed in */
  GError *credentials_error;     /* why there are no credentials */
  GkS3Client *s3;                /* over the source, without the profile's allow-list */
  SoupSession *http;             /* unsigned probes; never follows redirects */
  GStrv origins;                 /* web viewers' origins, the gateway's allow-list's too */
  gboolean has_gateway;
  guint16 gateway_port;
  gboolean gateway_running;
  GStrv gateway_origins;
} GkDoctorContext;

/* One part of a check: finishes with a GPtrArray of GkDoctorFinding. */
typedef void (*GkDoctorPartFunc) (GkDoctorContext     *context,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);

GPtrArray *gk_doctor_part_finish (GAsyncResult  *result,
                                  GError       **error);

G_END_DECLS
