/* gk-doctor.h: a lab check, from the outside, as the signed-in user
 *
 * Labs leak data and lose hours through settings nobody checks: an
 * identity pool that gives anyone credentials, the basic flow left on, a
 * role that sees every bucket, CORS that keeps web viewers out, buckets in
 * another region, a callback URL the hosted login does not know. GkDoctor
 * checks a profile for all of them, and for what this computer adds (its
 * clock, the reach of each endpoint, the gateway's port), and finishes
 * with findings (gk-doctor-finding.h), each with its fix.
 *
 * The checks run side by side, a bounded number at a time, and the
 * findings come in a fixed order: endpoints and the clock, the hosted
 * login, the identity pool and the sign-in, the role and each bucket, the
 * gateway. Checks that need credentials are skipped, with a note, when
 * there are none. A check of the sign-in renews it once, through the
 * session, as any renewal would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credential-source.h"
#include "gk-doctor-finding.h"
#include "gk-profile.h"

G_BEGIN_DECLS

/* The gateway as the face knows it (its settings, and whether it runs). */
typedef struct
{
  guint16 port;                  /* the configured port */
  gboolean running;              /* a gateway serves on it now */
  const char * const *origins;   /* the web pages allowed to read through it */
} GkDoctorGateway;

#define GK_TYPE_DOCTOR (gk_doctor_get_type ())

G_DECLARE_FINAL_TYPE (GkDoctor, gk_doctor, GK, DOCTOR, GObject)

GkDoctor  *gk_doctor_new          (GkProfile              *profile,
                                   GkCredentialSource     *source);
GkProfile *gk_doctor_get_profile  (GkDoctor               *self);
void       gk_doctor_set_gateway  (GkDoctor               *self,
                                   const GkDoctorGateway  *gateway);
void       gk_doctor_run_async    (GkDoctor               *self,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data);
GPtrArray *gk_doctor_run_finish   (GkDoctor               *self,
                                   GAsyncResult           *result,
                                   GError                **error);

G_END_DECLS
