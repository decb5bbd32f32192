/* fuzz-profile-common.c: an oauth-config.json or saved profile parsed, and
 * every profile it gives saved and loaded again as the profile store does
 *
 * Checked: a failure is a GK_PROFILE_ERROR with a readable message; every
 * profile has the keys sign-in needs; and a profile that was imported
 * survives being saved and read back (a profile that imports but cannot
 * be loaded again would be lost at the next start) with the same values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"
#include "fuzz-profile-common.h"
#include "gk-profile-import.h"

typedef const char *(*Getter) (GkProfile *profile);

static const struct
{
  const char *name;
  Getter get;
} getters[] = {
  { "name", gk_profile_get_name },
  { "client_id", gk_profile_get_client_id },
  { "client_secret", gk_profile_get_client_secret },
  { "authorization_endpoint", gk_profile_get_authorization_endpoint },
  { "token_endpoint", gk_profile_get_token_endpoint },
  { "revocation_endpoint", gk_profile_get_revocation_endpoint },
  { "logout_endpoint", gk_profile_get_logout_endpoint },
  { "scope", gk_profile_get_scope },
  { "redirect_uri", gk_profile_get_redirect_uri },
  { "redirect_path", gk_profile_get_redirect_path },
  { "region", gk_profile_get_region },
  { "user_pool_id", gk_profile_get_user_pool_id },
  { "identity_pool_id", gk_profile_get_identity_pool_id },
  { "role_arn", gk_profile_get_role_arn },
  { "issuer", gk_profile_get_issuer },
  { "jwks_uri", gk_profile_get_jwks_uri },
  { "s3_endpoint", gk_profile_get_s3_endpoint },
  { "sts_endpoint", gk_profile_get_sts_endpoint },
  { "cognito_identity_endpoint", gk_profile_get_cognito_identity_endpoint },
  { "chromoscope_prefix", gk_profile_get_chromoscope_prefix },
};

/* As gk_profile_store_save() writes it. */
static GBytes *
saved_form (GkProfile *profile)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  gsize len;
  char *text;

  json_node_take_object (root, gk_profile_to_json (profile));
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void
check_profile (GkProfile *profile)
{
  g_autoptr(GBytes) saved = saved_form (profile);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) again = NULL;
  GkProfile *loaded;

  FUZZ_CHECK (gk_profile_get_client_id (profile) != NULL, "a profile without client_id");
  FUZZ_CHECK (gk_profile_get_authorization_endpoint (profile) != NULL
              && gk_profile_get_token_endpoint (profile) != NULL,
              "a profile without its sign-in endpoints");
  FUZZ_CHECK (gk_profile_get_redirect_port (profile) > 0, "a profile without a redirect port");
  FUZZ_CHECK (gk_profile_name_is_valid (gk_profile_get_name (profile)), "an invalid profile name");
  for (guint i = 0; i < G_N_ELEMENTS (getters); i++)
    {
      const char *value = getters[i].get (profile);

      if (value != NULL)
        fuzz_check_text (value, getters[i].name);
    }

  /* Saved and loaded again under its own name, as the store does. */
  again = gk_profile_import_parse (saved, gk_profile_get_name (profile), &error);
  FUZZ_CHECK (again != NULL, "a profile that imported cannot be loaded once saved: %s",
              error->message);
  FUZZ_CHECK (again->len == 1, "a saved profile loads as %u profiles", again->len);
  loaded = g_ptr_array_index (again, 0);
  for (guint i = 0; i < G_N_ELEMENTS (getters); i++)
    FUZZ_CHECK (g_strcmp0 (getters[i].get (profile), getters[i].get (loaded)) == 0,
                "%s changed from “%s” to “%s” when saved and loaded", getters[i].name,
                getters[i].get (profile), getters[i].get (loaded));
  FUZZ_CHECK (gk_profile_get_flow (profile) == gk_profile_get_flow (loaded), "the flow changed");
  FUZZ_CHECK (gk_profile_get_duration_seconds (profile) == gk_profile_get_duration_seconds (loaded),
              "the duration changed");
  FUZZ_CHECK (gk_profile_get_redirect_port (profile) == gk_profile_get_redirect_port (loaded),
              "the redirect port changed");
}

GPtrArray *
fuzz_profile_parse (GBytes     *data,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = gk_profile_import_parse (data, name, &error);

  if (profiles == NULL)
    {
      fuzz_check_error (error, GK_PROFILE_ERROR);
      return NULL;
    }
  FUZZ_CHECK (error == NULL, "profiles and an error");
  FUZZ_CHECK (profiles->len > 0, "no profiles and no error");
  for (guint i = 0; i < profiles->len; i++)
    check_profile (g_ptr_array_index (profiles, i));
  return g_steal_pointer (&profiles);
}
