/* gk-profile-private.h: GkProfile's fields, shared by gk-profile.c (the
 * object, its getters, the issuer it learns) and gk-profile-keys.c (reading
 * them from JSON)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gk-profile-values.h"

G_BEGIN_DECLS

struct _GkProfile
{
  GObject parent_instance;

  char *name;
  JsonObject *source;   /* the object as imported, unknown keys included */

  char *client_id;
  char *client_secret;
  char *authorization_endpoint;
  char *token_endpoint;
  char *revocation_endpoint;
  char *logout_endpoint;
  char *userinfo_endpoint;
  char *scope;
  char *redirect_uri;
  char *redirect_path;
  guint16 redirect_port;
  char *region;
  char *user_pool_id;
  char *identity_pool_id;
  char *role_arn;
  char *issuer;
  char *jwks_uri;
  char *cognito_identity_endpoint;
  char *sts_endpoint;
  char *s3_endpoint;
  GkProfileFlow flow;
  guint duration_seconds;
  GStrv buckets;
  char *chromoscope_prefix;

  /* The other credential sources (section 3 of DESIGN.md's key style). */
  GkProfileSource source_kind;
  char *access_key_id;
  char *iam_endpoint;
  char *assume_role_arn;
  char *external_id;
  char *source_profile;
  char *role_session_name;
  char *source_identity;
  GStrv session_tags;   /* key, value, key, value… */
};

G_END_DECLS
