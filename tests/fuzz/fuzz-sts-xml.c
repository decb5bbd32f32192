/* fuzz-sts-xml.c: AWS STS's XML answers (AssumeRoleWithWebIdentity and the
 * other actions that hand out credentials), and its <ErrorResponse>
 *
 * Each input is read as the answer to a request that got HTTP 200, 400,
 * 403 and 500. Checked: credentials are whole and text; everything else is
 * a GK_STS_ERROR with a readable message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "gk-sts.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 400, 403, 500 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GkCredentials) credentials = NULL;

      credentials = gk_sts_parse_credentials_response ((const char *) data, size, statuses[i], &error);
      if (credentials == NULL)
        {
          fuzz_check_error (error, GK_STS_ERROR);
          continue;
        }
      FUZZ_CHECK (error == NULL, "credentials and an error");
      FUZZ_CHECK (statuses[i] == 200, "credentials from an answer with HTTP %u", statuses[i]);
      fuzz_check_credentials (credentials);
    }
  return 0;
}
