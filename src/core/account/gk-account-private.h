/* gk-account-private.h: what gk-account.c shares with gk-account-sign-in.c
 *
 * The fields, and the two calls the sign-in actions need: to make what
 * follows the source agree with it again, and to keep why a sign-in
 * failed. gk-account.c defines both and includes nothing of
 * gk-account-sign-in.c: the dependency runs one way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-account.h"
#include "gk-gateway-service.h"

G_BEGIN_DECLS

struct _GkAccount
{
  GObject parent_instance;

  GkProfileStore *store;
  GkKeyring *keyring;            /* made on first use when none was given */
  gboolean auto_renew;

  GPtrArray *profiles;           /* GkProfile*, as last read from the store */
  GkProfile *profile;            /* the selected one */
  GkCredentialSource *source;    /* its credentials */
  GkSession *session;            /* source, when it is a lab sign-in */
  GkS3Client *client;            /* over source, while signed in */

  GCancellable *restore_cancellable; /* non-NULL while the keyring is read */
  GError *open_error;            /* why the source could not be made or read */
  GPtrArray *restore_waiters;    /* GTask*: gk_account_open_async() calls */
  GCancellable *sign_in_cancellable;
  GError *sign_in_error;

  GkAccountState state;
  gboolean needs_sign_in;
  gboolean expiry_warning;
  gboolean expiry_warning_skipped;
  guint expiry_warning_id;
  guint expired_id;

  GkGatewayService *gateway;     /* made on first use */
};

void _gk_account_update            (GkAccount    *self);
void _gk_account_set_sign_in_error (GkAccount    *self,
                                    const GError *error);

G_END_DECLS
