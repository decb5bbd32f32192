/* gk-doctor-probe.h: one HTTP request of a lab check, and what its answer
 * says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What a check needs of one answer. */
typedef struct
{
  guint status;
  char *location;                  /* Location, for redirects */
  gint64 skew;                     /* Date minus this computer's time, seconds */
  gboolean has_date;
  GTlsCertificateFlags tls_errors; /* why a certificate was refused */
  SoupMessageHeaders *headers;     /* all of them */
} GkDoctorProbe;

void           gk_doctor_probe_free   (GkDoctorProbe *probe);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkDoctorProbe, gk_doctor_probe_free)

void           gk_doctor_probe_async  (SoupSession         *http,
                                       SoupMessage         *message,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GkDoctorProbe *gk_doctor_probe_finish (GAsyncResult        *result,
                                       GTlsCertificateFlags *tls_errors,
                                       GError             **error);

G_END_DECLS
