/* gk-account.h: the lab account of one running Genokey
 *
 * The account is what a running Genokey is signed in to: the profiles saved
 * on this computer, the one selected, its credential source (for a lab
 * sign-in, its GkSession), and the S3 client over that source while
 * credentials can be had. It renews by itself when asked to (auto-renew),
 * and says through properties when the user is needed: #GkAccount:needs-sign-in
 * once renewal was refused, #GkAccount:expiry-warning a few minutes before
 * the credentials still in hand run out. No GTK: the faces decide how to
 * show all this.
 *
 * The window application holds one account, and every window is a view over
 * it, so a second window (or no window at all) shares the one sign-in;
 * sign-in, cancel and sign-out are the application's actions, and its
 * notifications follow the two properties above. Page tests give the
 * account a memory-only #GkKeyring and need no keyring daemon.
 *
 * Plugging in:
 *
 * - A new kind of credential source: gk_sources_open_for_profile()
 *   (src/core/sources/) is the one place that turns a profile into a
 *   #GkCredentialSource, and the account (hence the window and the command
 *   line) opens every profile through it: a lab sign-in becomes its
 *   #GkSession, an access key, an assumed role or an instance profile its
 *   own source. Consumers (the S3 client, links, the window's file list)
 *   only ever ask gk_account_get_source(), so they work unchanged;
 *   gk_account_get_session() is %NULL for a source that is not a sign-in,
 *   and such a source counts as %GK_ACCOUNT_STATE_SIGNED_IN once selected
 *   (a profile whose source cannot be made, as %GK_ACCOUNT_STATE_SIGNED_OUT,
 *   and #GkAccount::failed says why).
 *
 * - An account-level service (the loopback gateway): the account owns it,
 *   as a field created on first use and disposed with the account, so it
 *   lives as long as the sign-in and not as long as a window. The account
 *   tells it the selected profile, its sign-in and S3 client each time they
 *   change (gk_gateway_service_follow() at the end of every update), and
 *   listens to its signals; the service never includes this header, so the
 *   two do not depend on each other in a circle. A windowless
 *   (D-Bus activated) mode of the application keeps itself alive while
 *   gk_account_get_state() is %GK_ACCOUNT_STATE_SIGNED_IN, and with it the
 *   account and its services.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credential-source.h"
#include "gk-gateway-service.h"
#include "gk-keyring.h"
#include "gk-profile-store.h"
#include "gk-s3.h"
#include "gk-session.h"

G_BEGIN_DECLS

typedef enum
{
  GK_ACCOUNT_STATE_NO_PROFILE,  /* no profile is set up yet */
  GK_ACCOUNT_STATE_LOADING,     /* reading the selected profile's sign-in from the keyring */
  GK_ACCOUNT_STATE_SIGNED_OUT,  /* also: renewal was refused and the credentials ran out */
  GK_ACCOUNT_STATE_SIGNING_IN,  /* the browser sign-in is under way */
  GK_ACCOUNT_STATE_SIGNED_IN,   /* credentials can be had now (while renewing, or until they run out) */
} GkAccountState;

/* How long before credentials that cannot be renewed run out the user is
 * warned (#GkAccount:expiry-warning). */
#define GK_ACCOUNT_EXPIRY_WARNING_SECONDS (5 * 60)

#define GK_TYPE_ACCOUNT (gk_account_get_type ())
#define GK_TYPE_ACCOUNT_STATE (gk_account_state_get_type ())

G_DECLARE_FINAL_TYPE (GkAccount, gk_account, GK, ACCOUNT, GObject)

GType               gk_account_state_get_type         (void) G_GNUC_CONST;

GkAccount          *gk_account_new                    (GkProfileStore *store,
                                                       GkKeyring      *keyring);
GkProfileStore     *gk_account_get_store              (GkAccount      *self);
GkKeyring          *gk_account_get_keyring            (GkAccount      *self);
void                gk_account_set_auto_renew         (GkAccount      *self,
                                                       gboolean        auto_renew);
gboolean            gk_account_get_auto_renew         (GkAccount      *self);

gboolean            gk_account_reload_profiles        (GkAccount      *self,
                                                       const char     *select,
                                                       GError        **error);
GPtrArray          *gk_account_get_profiles           (GkAccount      *self);
void                gk_account_select_profile         (GkAccount      *self,
                                                       const char     *name);
void                gk_account_open_async             (GkAccount           *self,
                                                       const char          *name,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            gk_account_open_finish            (GkAccount           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
GkProfile          *gk_account_get_profile            (GkAccount      *self);

GkAccountState      gk_account_get_state              (GkAccount      *self);
GkCredentialSource *gk_account_get_source             (GkAccount      *self);
GkSession          *gk_account_get_session            (GkAccount      *self);
GkS3Client         *gk_account_get_s3_client          (GkAccount      *self);
gboolean            gk_account_get_needs_sign_in      (GkAccount      *self);
gboolean            gk_account_get_expiry_warning     (GkAccount      *self);
const GError       *gk_account_get_sign_in_error      (GkAccount      *self);
void                gk_account_clear_sign_in_error    (GkAccount      *self);

void                gk_account_sign_in_async          (GkAccount           *self,
                                                       GkSignInFlags        flags,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            gk_account_sign_in_finish         (GkAccount           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void                gk_account_cancel_sign_in         (GkAccount           *self);
void                gk_account_sign_out_async         (GkAccount           *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            gk_account_sign_out_finish        (GkAccount           *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

GkGatewayService   *gk_account_get_gateway            (GkAccount      *self);

G_END_DECLS
