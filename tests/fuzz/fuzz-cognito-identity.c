/* fuzz-cognito-identity.c: Cognito Identity's JSON answers — GetId,
 * GetOpenIdToken, GetCredentialsForIdentity — and its error answers
 *
 * Every input goes through each reader. Checked: what it hands out is
 * whole and text; every failure is a GK_COGNITO_IDENTITY_ERROR with a
 * readable message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "gk-cognito-identity-private.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_member (const char *json,
              gsize       size,
              const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = gk_cognito_identity_parse_member (json, size, member, &error);

  if (value == NULL)
    {
      fuzz_check_error (error, GK_COGNITO_IDENTITY_ERROR);
      return;
    }
  FUZZ_CHECK (*value != '\0', "an empty %s", member);
  fuzz_check_text (value, member);
}

static void
check_credentials (const char *json,
                   gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *identity_id = NULL;
  g_autoptr(GkCredentials) credentials = gk_cognito_identity_parse_credentials (json, size, &identity_id,
                                                                                &error);

  if (credentials == NULL)
    {
      fuzz_check_error (error, GK_COGNITO_IDENTITY_ERROR);
      return;
    }
  fuzz_check_credentials (credentials);
  FUZZ_CHECK (gk_credentials_get_expiration (credentials) > 0, "credentials without an expiry");
  if (identity_id != NULL)
    fuzz_check_text (identity_id, "IdentityId");
}

static void
check_failure (const char *json,
               gsize       size)
{
  static const guint statuses[] = { 400, 403, 500 };
  static const GkCognitoIdentityOp ops[] = {
    GK_COGNITO_IDENTITY_OP_GET_ID,
    GK_COGNITO_IDENTITY_OP_GET_CREDENTIALS_FOR_IDENTITY,
    GK_COGNITO_IDENTITY_OP_GET_OPEN_ID_TOKEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = gk_cognito_identity_parse_failure (ops[i], statuses[i], json, size, NULL);

      fuzz_check_error (error, GK_COGNITO_IDENTITY_ERROR);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *json = (const char *) data;

  check_member (json, size, "IdentityId");
  check_member (json, size, "Token");
  check_credentials (json, size);
  check_failure (json, size);
  return 0;
}
