/* fuzz-common.c: what every libFuzzer harness shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* Criticals and warnings are fatal, as in the unit tests: a
 * g_return_if_fail() that outside input can reach is a bug. GLib's own
 * fatal path ends in a breakpoint trap, which libFuzzer does not catch; an
 * abort it reports as a crash, with the input kept. */
static GLogWriterOutput
fatal_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  GLogWriterOutput written = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return written;
}

void
fuzz_init (void)
{
  g_log_set_writer_func (fatal_writer, NULL, NULL);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

/* Text that reaches a person (an error, a label in the window) must be
 * UTF-8: GTK refuses anything else with a critical and shows nothing. */
void
fuzz_check_text (const char *text,
                 const char *what)
{
  const char *end = NULL;

  FUZZ_CHECK (text != NULL, "%s is NULL", what);
  FUZZ_CHECK (g_utf8_validate (text, -1, &end), "%s is not UTF-8 at byte %zu", what,
              (size_t) (end - text));
}

/* Every refusal is an error of the module's own domain with a message. */
void
fuzz_check_error (const GError *error,
                  GQuark        domain)
{
  FUZZ_CHECK (error != NULL, "a failure without an error");
  FUZZ_CHECK (error->domain == domain, "error domain %s, expected %s",
              g_quark_to_string (error->domain), g_quark_to_string (domain));
  FUZZ_CHECK (error->message != NULL && *error->message != '\0', "an error without a message");
  fuzz_check_text (error->message, "the error message");
}

/* The input as a C string: what a caller holding text would pass. */
char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  char *s = g_malloc (size + 1);

  if (size > 0)
    memcpy (s, data, size);
  s[size] = '\0';
  return s;
}

/* They go to the keyring, into credential_process JSON and into signed
 * requests: each part must be non-empty text without control characters. */
void
fuzz_check_credentials (GkCredentials *credentials)
{
  const char *parts[] = {
    gk_credentials_get_access_key_id (credentials),
    gk_credentials_get_secret_access_key (credentials),
    gk_credentials_get_session_token (credentials),
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      FUZZ_CHECK (parts[i] != NULL && *parts[i] != '\0', "credentials with an empty part %u", i);
      fuzz_check_text (parts[i], "a part of the credentials");
      /* libsoup refuses a header value with a line break, and says so in a
       * warning that quotes the value: the session token, in a log. */
      for (const char *p = parts[i]; *p != '\0'; p++)
        FUZZ_CHECK ((guchar) *p >= 0x20 && *p != 0x7f,
                    "part %u of the credentials holds the control character 0x%02x", i, (guint) (guchar) *p);
    }
}
