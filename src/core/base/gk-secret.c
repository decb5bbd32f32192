/* gk-secret.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/crypto.h>
#include <string.h>

#include "gk-secret.h"

/**
 * gk_secret_free:
 * @secret: (nullable): a nul-terminated string holding a secret
 *
 * Overwrites the string with OPENSSL_cleanse(), which the compiler may not
 * optimise away as it may a memset() before free(), then frees it. A
 * #GDestroyNotify, so it also frees the values of tables and #GBytes.
 */
void
gk_secret_free (gpointer secret)
{
  char *s = secret;

  if (s == NULL)
    return;
  OPENSSL_cleanse (s, strlen (s));
  g_free (s);
}
