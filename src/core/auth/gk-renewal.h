/* gk-renewal.h: renewing a sign-in's tokens and AWS credentials
 *
 * One renewal at a time: callers that come while one runs join it and get
 * its result, and processes take turns through a lock file
 * (gk-renewal-lock.h), so one that waited adopts what another renewed
 * instead of spending the refresh token again. A rotated refresh token is
 * stored before it is used (gk-session-store.h), and a failed renewal
 * never throws away a refresh token that still works.
 *
 * A renewal changes nothing but the keyring: it hands back a
 * #GkRenewalResult, which its owner (the session) applies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-cognito-identity.h"
#include "gk-credentials.h"
#include "gk-id-token-verifier.h"
#include "gk-profile.h"
#include "gk-session-store.h"
#include "gk-token-client.h"

G_BEGIN_DECLS

#define GK_RENEWAL_ERROR (gk_renewal_error_quark ())

typedef enum
{
  GK_RENEWAL_ERROR_NO_REFRESH_TOKEN, /* the keyring holds no refresh token any more */
} GkRenewalError;

typedef enum
{
  GK_RENEWAL_RENEWED, /* new credentials, from a refresh */
  GK_RENEWAL_ADOPTED, /* another process renewed meanwhile: its credentials */
  GK_RENEWAL_FAILED,  /* failed for now (network, service); the refresh token still works */
  GK_RENEWAL_REFUSED, /* the identity provider refused the refresh token */
  GK_RENEWAL_STALE,   /* the sign-in changed meanwhile: nothing kept, nothing to apply */
} GkRenewalOutcome;

/* What a renewal found. Boxed, refcounted, immutable. */
typedef struct _GkRenewalResult GkRenewalResult;

#define GK_TYPE_RENEWAL_RESULT (gk_renewal_result_get_type ())
#define GK_TYPE_RENEWAL (gk_renewal_get_type ())

G_DECLARE_FINAL_TYPE (GkRenewal, gk_renewal, GK, RENEWAL, GObject)

GQuark            gk_renewal_error_quark             (void);

GType             gk_renewal_result_get_type         (void) G_GNUC_CONST;
GkRenewalResult  *gk_renewal_result_new              (GkRenewalOutcome        outcome,
                                                      GkCredentials          *credentials,
                                                      gint64                  obtained_at,
                                                      const char             *identity_id,
                                                      const char             *display_name,
                                                      const GError           *error);
GkRenewalResult  *gk_renewal_result_ref              (GkRenewalResult        *self);
void              gk_renewal_result_unref            (GkRenewalResult        *self);
GkRenewalOutcome  gk_renewal_result_get_outcome      (const GkRenewalResult  *self);
GkCredentials    *gk_renewal_result_get_credentials  (const GkRenewalResult  *self);
gint64            gk_renewal_result_get_obtained_at  (const GkRenewalResult  *self);
const char       *gk_renewal_result_get_identity_id  (const GkRenewalResult  *self);
const char       *gk_renewal_result_get_display_name (const GkRenewalResult  *self);
const GError     *gk_renewal_result_get_error        (const GkRenewalResult  *self);
const char       *gk_renewal_result_get_id_token     (const GkRenewalResult  *self);
GkJwtClaims      *gk_renewal_result_get_claims       (const GkRenewalResult  *self);
gint64            gk_renewal_result_get_signed_in_at (const GkRenewalResult  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkRenewalResult, gk_renewal_result_unref)

GkRenewal        *gk_renewal_new                     (GkProfile               *profile,
                                                      GkSessionStore          *store,
                                                      GkTokenClient           *token_client,
                                                      GkIdTokenVerifier       *verifier,
                                                      GkCognitoIdentityClient *identity);
gboolean          gk_renewal_is_running              (GkRenewal               *self);

/* Renews, or joins the renewal that runs. @in_hand: the credentials the
 * caller has (newer ones in the keyring are adopted instead of renewing);
 * @identity_id: the identity id the caller knows, if the keyring has none;
 * @sign_in: cancelled when the sign-in this renewal is for ends (sign-out,
 * or a new sign-in): the renewal then stores nothing more and ends STALE.
 * Never fails: the result says what happened. */
void              gk_renewal_run_async               (GkRenewal               *self,
                                                      GkCredentials           *in_hand,
                                                      const char              *identity_id,
                                                      gint64                   min_valid,
                                                      GCancellable            *sign_in,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
GkRenewalResult  *gk_renewal_run_finish              (GkRenewal               *self,
                                                      GAsyncResult            *result);

G_END_DECLS
