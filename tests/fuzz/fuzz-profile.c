/* fuzz-profile.c: an oauth-config.json to import, or a saved profile file,
 * as bytes: plain JSON, or gzip (which the parser recognises by its magic)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "fuzz-profile-common.h"

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
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) named = NULL;

  /* An import names the profiles after themselves; a saved file is loaded
   * under its file's name. */
  imported = fuzz_profile_parse (bytes, NULL);
  named = fuzz_profile_parse (bytes, "lab");
  FUZZ_CHECK ((imported == NULL) == (named == NULL) || imported == NULL,
              "a configuration that imports under its own name fails under a given one");
  return 0;
}
