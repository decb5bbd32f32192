/* fuzz-oauth-callback.c: the query of the browser's redirect to the
 * loopback listener, as any page the user visits could forge it, and the
 * same text as an address pasted back when signing in away from the desktop
 *
 * Checked against a plain reading of the rules: a callback is accepted only
 * with exactly one state, equal to this sign-in's, exactly one non-empty
 * code and no error; everything else fails with a readable GK_OAUTH_ERROR.
 * A pasted address is accepted only when it holds this sign-in's state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gk-oauth.h"

#define STATE        "Zm9vYmFyLXN0YXRlLTEyOC1iaXRzLW9mLXJhbmRvbQ"
#define REDIRECT_URI "http://localhost:60151/oauthCallback"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* How often @name appears as a parameter name, and its last raw value. */
static guint
count_param (const char  *query,
             const char  *name,
             const char **value,
             gsize       *value_len)
{
  gsize name_len = strlen (name);
  guint n = 0;

  for (const char *p = query; p != NULL; p = strchr (p, '&') ? strchr (p, '&') + 1 : NULL)
    {
      gsize len = strchr (p, '&') ? (gsize) (strchr (p, '&') - p) : strlen (p);
      const char *eq = memchr (p, '=', len);
      gsize this_name_len = eq != NULL ? (gsize) (eq - p) : len;

      if (this_name_len == name_len && memcmp (p, name, name_len) == 0)
        {
          n++;
          *value = eq != NULL ? eq + 1 : p + len;
          *value_len = eq != NULL ? len - name_len - 1 : 0;
        }
    }
  return n;
}

static void
check_pasted (const char *address)
{
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *decoded = NULL;

  if (!gk_oauth_parse_callback_uri (address, REDIRECT_URI, STATE, &code, &error))
    {
      fuzz_check_error (error, GK_OAUTH_ERROR);
      FUZZ_CHECK (code == NULL, "a code handed out with an error");
      return;
    }
  FUZZ_CHECK (error == NULL && code != NULL && *code != '\0', "a pasted address accepted without a code");
  plain = g_strdup (address);
  g_strdelimit (plain, "+", ' ');
  decoded = g_uri_unescape_string (plain, NULL);
  FUZZ_CHECK (decoded != NULL && strstr (decoded, "state=" STATE) != NULL,
              "a pasted address without this sign-in's state was accepted");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *query = fuzz_strndup (data, size);
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  const char *value = NULL;
  gsize value_len = 0;

  check_pasted (query);
  if (!gk_oauth_parse_callback (query, STATE, &code, &error))
    {
      fuzz_check_error (error, GK_OAUTH_ERROR);
      FUZZ_CHECK (code == NULL, "a code handed out with an error");
      return 0;
    }

  FUZZ_CHECK (error == NULL, "success with an error");
  FUZZ_CHECK (code != NULL && *code != '\0', "success without a code");
  FUZZ_CHECK (count_param (query, "error", &value, &value_len) == 0,
              "a callback carrying an identity provider's error was accepted");
  FUZZ_CHECK (count_param (query, "code", &value, &value_len) == 1,
              "a callback without exactly one code was accepted");
  FUZZ_CHECK (count_param (query, "state", &value, &value_len) == 1,
              "a callback without exactly one state was accepted");
  {
    /* The state's form decoding, done the slow way. */
    g_autofree char *raw = g_strndup (value, value_len);
    g_autofree char *decoded = NULL;

    g_strdelimit (raw, "+", ' ');
    decoded = g_uri_unescape_string (raw, NULL);
    FUZZ_CHECK (decoded != NULL && g_str_equal (decoded, STATE),
                "a callback with another state was accepted");
  }
  return 0;
}
