/* gk-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <openssl/crypto.h>
#include <string.h>

#include "gk-credentials.h"

struct _GkCredentials
{
  gatomicrefcount ref_count;
  char *access_key_id;
  char *secret_access_key;
  char *session_token;
  gint64 expiration; /* Unix seconds; 0 when the credentials never expire */
};

G_DEFINE_BOXED_TYPE (GkCredentials, gk_credentials, gk_credentials_ref, gk_credentials_unref)

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      OPENSSL_cleanse (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/**
 * gk_credentials_new:
 * @access_key_id: the access key id (AKIA… or ASIA…)
 * @secret_access_key: the secret key
 * @session_token: (nullable): the session token of temporary credentials
 * @expiration: Unix time at which they stop working, or 0 for never
 *
 * Returns: (transfer full): new credentials
 */
GkCredentials *
gk_credentials_new (const char *access_key_id,
                    const char *secret_access_key,
                    const char *session_token,
                    gint64      expiration)
{
  GkCredentials *self;

  g_return_val_if_fail (access_key_id != NULL && *access_key_id != '\0', NULL);
  g_return_val_if_fail (secret_access_key != NULL && *secret_access_key != '\0', NULL);
  g_return_val_if_fail (expiration >= 0, NULL);

  self = g_new0 (GkCredentials, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->access_key_id = g_strdup (access_key_id);
  self->secret_access_key = g_strdup (secret_access_key);
  self->session_token = (session_token != NULL && *session_token != '\0')
                          ? g_strdup (session_token) : NULL;
  self->expiration = expiration;

  return self;
}

GkCredentials *
gk_credentials_ref (GkCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gk_credentials_unref (GkCredentials *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->access_key_id);
      wipe_string (&self->secret_access_key);
      wipe_string (&self->session_token);
      g_free (self);
    }
}

const char *
gk_credentials_get_access_key_id (const GkCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->access_key_id;
}

const char *
gk_credentials_get_secret_access_key (const GkCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->secret_access_key;
}

/**
 * gk_credentials_get_session_token:
 *
 * Returns: (nullable): the session token, %NULL for long-term keys
 */
const char *
gk_credentials_get_session_token (const GkCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->session_token;
}

/**
 * gk_credentials_get_expiration:
 *
 * Returns: Unix time of expiry, or 0 if the credentials do not expire
 */
gint64
gk_credentials_get_expiration (const GkCredentials *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->expiration;
}

gboolean
gk_credentials_expires (const GkCredentials *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->expiration != 0;
}

/**
 * gk_credentials_get_remaining:
 * @now: current Unix time
 *
 * Returns: seconds of life left (negative once expired), or %G_MAXINT64 for
 *   credentials that do not expire
 */
gint64
gk_credentials_get_remaining (const GkCredentials *self,
                              gint64               now)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->expiration == 0)
    return G_MAXINT64;
  return self->expiration - now;
}

/**
 * gk_credentials_is_valid_at:
 * @now: current Unix time
 * @margin: seconds that must still be left
 *
 * Returns: %TRUE if the credentials still have more than @margin seconds
 */
gboolean
gk_credentials_is_valid_at (const GkCredentials *self,
                            gint64               now,
                            gint64               margin)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->expiration == 0 || self->expiration - now > margin;
}

/**
 * gk_credentials_format_expiration:
 *
 * Returns: (transfer full) (nullable): the expiry as RFC 3339 UTC
 *   (`2026-11-23T14:05:00Z`, the form credential_process wants), or %NULL
 */
char *
gk_credentials_format_expiration (const GkCredentials *self)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->expiration == 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (self->expiration);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * gk_credentials_part_is_valid:
 * @part: (nullable): an access key id, secret key or session token as an
 *   answer gave it
 *
 * Whether @part can be used: not empty, and without control characters.
 * The parts go into HTTP headers, where libsoup refuses a line break with a
 * critical (the request then goes without them) and S3 refuses any other
 * control character; no AWS service hands out such a key.
 */
gboolean
gk_credentials_part_is_valid (const char *part)
{
  if (part == NULL || *part == '\0')
    return FALSE;
  for (const char *p = part; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}
