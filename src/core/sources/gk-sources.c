/* gk-sources.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-access-key-source.h"
#include "gk-assume-role-source.h"
#include "gk-instance-profile-source.h"
#include "gk-session.h"
#include "gk-sources.h"

G_DEFINE_QUARK (gk-sources-error-quark, gk_sources_error)

static GkCredentialSource *
open_source (GkProfileStore  *store,
             GkProfile       *profile,
             GkKeyring       *keyring,
             GPtrArray       *chain,
             GError         **error)
{
  switch (gk_profile_get_source (profile))
    {
    case GK_PROFILE_SOURCE_ACCESS_KEY:
      return GK_CREDENTIAL_SOURCE (gk_access_key_source_new (profile, keyring));
    case GK_PROFILE_SOURCE_INSTANCE_PROFILE:
      return GK_CREDENTIAL_SOURCE (gk_instance_profile_source_new (profile, NULL));
    case GK_PROFILE_SOURCE_ASSUME_ROLE:
      {
        const char *name = gk_profile_get_source_profile (profile);
        g_autoptr(GkProfile) source_profile = NULL;
        g_autoptr(GkCredentialSource) source = NULL;

        for (guint i = 0; i < chain->len; i++)
          if (g_str_equal (chain->pdata[i], name))
            {
              g_set_error (error, GK_SOURCES_ERROR, GK_SOURCES_ERROR_CHAIN,
                           _("Profile “%s” assumes its role with profile “%s”, which leads back to "
                             "it. Set source_profile to a profile that signs in, has an access key "
                             "or uses the instance profile."),
                           gk_profile_get_name (profile), name);
              return NULL;
            }
        if (chain->len >= GK_SOURCES_MAX_CHAIN)
          {
            g_set_error (error, GK_SOURCES_ERROR, GK_SOURCES_ERROR_CHAIN,
                         _("Profile “%s” reaches its credentials through more than %d roles. "
                           "Point source_profile at a profile closer to a sign-in or key."),
                         gk_profile_get_name (profile), GK_SOURCES_MAX_CHAIN);
            return NULL;
          }
        source_profile = gk_profile_store_load (store, name, error);
        if (source_profile == NULL)
          {
            g_prefix_error (error, _("The source profile of “%s”: "), gk_profile_get_name (profile));
            return NULL;
          }
        g_ptr_array_add (chain, (gpointer) gk_profile_get_name (profile));
        source = open_source (store, source_profile, keyring, chain, error);
        if (source == NULL)
          return NULL;
        return GK_CREDENTIAL_SOURCE (gk_assume_role_source_new (profile, source, keyring));
      }
    case GK_PROFILE_SOURCE_COGNITO:
    default:
      return GK_CREDENTIAL_SOURCE (gk_session_new_saved (store, profile, keyring));
    }
}

/**
 * gk_sources_open_for_profile:
 *
 * Returns: (transfer full): the profile's credential source, or %NULL with
 *   @error set (a source profile that is missing or leads in a circle)
 */
GkCredentialSource *
gk_sources_open_for_profile (GkProfileStore  *store,
                             GkProfile       *profile,
                             GkKeyring       *keyring,
                             GError         **error)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();

  g_return_val_if_fail (GK_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (GK_IS_KEYRING (keyring), NULL);

  g_ptr_array_add (chain, (gpointer) gk_profile_get_name (profile));
  return open_source (store, profile, keyring, chain, error);
}
