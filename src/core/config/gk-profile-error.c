/* gk-profile-error.c: GK_PROFILE_ERROR, with the profile key and the
 * profile it is about
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-profile-error.h"

/* What a GK_PROFILE_ERROR is about, for the faces to word their own hints
 * (a command names its options, the window its fields). */
typedef struct
{
  char *key;      /* the profile key whose value is wrong or missing */
  char *profile;  /* the profile's name */
} GkProfileErrorPrivate;

static void
gk_profile_error_private_init (GkProfileErrorPrivate *priv)
{
}

static void
gk_profile_error_private_copy (const GkProfileErrorPrivate *src,
                               GkProfileErrorPrivate       *dest)
{
  dest->key = g_strdup (src->key);
  dest->profile = g_strdup (src->profile);
}

static void
gk_profile_error_private_clear (GkProfileErrorPrivate *priv)
{
  g_clear_pointer (&priv->key, g_free);
  g_clear_pointer (&priv->profile, g_free);
}

G_DEFINE_EXTENDED_ERROR (GkProfileError, gk_profile_error)

/**
 * gk_profile_error_get_key:
 * @error: any error
 *
 * Returns: (nullable): the profile key (such as `aws_region`) a
 *   #GK_PROFILE_ERROR is about; %NULL for another error, or one about no
 *   single key
 */
const char *
gk_profile_error_get_key (const GError *error)
{
  GkProfileErrorPrivate *priv;

  if (error == NULL || error->domain != GK_PROFILE_ERROR)
    return NULL;
  priv = gk_profile_error_get_private (error);
  return priv != NULL ? priv->key : NULL;
}

/**
 * gk_profile_error_get_profile:
 * @error: any error
 *
 * Returns: (nullable): the name of the profile a #GK_PROFILE_ERROR is
 *   about (one that is not there, exists already, or is not valid); %NULL
 *   for another error
 */
const char *
gk_profile_error_get_profile (const GError *error)
{
  GkProfileErrorPrivate *priv;

  if (error == NULL || error->domain != GK_PROFILE_ERROR)
    return NULL;
  priv = gk_profile_error_get_private (error);
  return priv != NULL ? priv->profile : NULL;
}

/**
 * gk_profile_error_set_key:
 * @error: a #GK_PROFILE_ERROR
 * @key: (nullable): the profile key it is about
 */
void
gk_profile_error_set_key (GError     *error,
                          const char *key)
{
  GkProfileErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == GK_PROFILE_ERROR);

  priv = gk_profile_error_get_private (error);
  g_free (priv->key);
  priv->key = g_strdup (key);
}

/**
 * gk_profile_error_set_profile:
 * @error: a #GK_PROFILE_ERROR
 * @profile: (nullable): the name of the profile it is about
 */
void
gk_profile_error_set_profile (GError     *error,
                              const char *profile)
{
  GkProfileErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == GK_PROFILE_ERROR);

  priv = gk_profile_error_get_private (error);
  g_free (priv->profile);
  priv->profile = g_strdup (profile);
}

/**
 * gk_profile_set_error:
 * @key: (nullable): the profile key the error is about (%NULL: no single key)
 *
 * Sets a #GK_PROFILE_ERROR about @key.
 *
 * Returns: %FALSE, so a check can end in `return gk_profile_set_error (…)`
 */
gboolean
gk_profile_set_error (GError    **error,
                      int         code,
                      const char *key,
                      const char *format,
                      ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  g_return_val_if_fail (*error == NULL, FALSE);

  va_start (args, format);
  *error = g_error_new_valist (GK_PROFILE_ERROR, code, format, args);
  va_end (args);
  gk_profile_error_set_key (*error, key);
  return FALSE;
}
