/* gk-doctor-part.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-doctor-part.h"

/**
 * gk_doctor_part_finish:
 *
 * Every part finishes with a GTask holding its findings.
 *
 * Returns: (transfer full) (element-type GkDoctorFinding): a part's findings
 */
GPtrArray *
gk_doctor_part_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
