/* gk-cognito-identity-private.h: the identity pool's answers read without
 * a request, for tests and fuzzing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cognito-identity.h"

G_BEGIN_DECLS

char   *gk_cognito_identity_parse_member  (const char          *json,
                                           gsize                length,
                                           const char          *member,
                                           GError             **error);
GError *gk_cognito_identity_parse_failure (GkCognitoIdentityOp  op,
                                           guint                http_status,
                                           const char          *json,
                                           gsize                length,
                                           const char          *error_type);

G_END_DECLS
