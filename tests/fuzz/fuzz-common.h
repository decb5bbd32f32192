/* fuzz-common.h: what every libFuzzer harness shares
 *
 * A harness fails — libFuzzer saves the input and stops — on a crash, a
 * leak, undefined behaviour (the build makes it fatal), a GLib critical or
 * warning, or a broken invariant checked with FUZZ_CHECK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gk-credentials.h"

G_BEGIN_DECLS

/* libFuzzer's entry points. */
int  LLVMFuzzerInitialize    (int            *argc,
                              char         ***argv);
int  LLVMFuzzerTestOneInput  (const uint8_t  *data,
                              size_t          size);

/* Aborts, naming the condition, when it does not hold: libFuzzer reports
 * the abort as a crash and keeps the input. */
#define FUZZ_CHECK(cond, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        fprintf (stderr, "fuzz check failed: %s: ", #cond); \
        fprintf (stderr, __VA_ARGS__); \
        fputc ('\n', stderr); \
        abort (); \
      } \
  } G_STMT_END

void fuzz_init           (void);
void fuzz_check_error    (const GError  *error,
                          GQuark         domain);
void fuzz_check_text     (const char    *text,
                          const char    *what);
char *fuzz_strndup       (const uint8_t *data,
                          size_t         size);

void fuzz_check_credentials (GkCredentials *credentials);

G_END_DECLS
