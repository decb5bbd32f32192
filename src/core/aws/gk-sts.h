/* gk-sts.h: AWS STS, the calls that answer with temporary credentials
 *
 * STS speaks the query API: a form POST with Action and Version, answered
 * with XML. Every call that hands out credentials (AssumeRoleWithWebIdentity,
 * AssumeRole; later GetSessionToken…) answers the same <Credentials> and
 * the same <ErrorResponse>, so one generic call does the sending, retrying,
 * reading and error mapping, and each action is a thin function that fills
 * in its parameters. Calls that need a caller's credentials are SigV4-signed
 * for service `sts` in the client's region; web-identity calls are not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credentials.h"
#include "gk-sigv4.h"

G_BEGIN_DECLS

#define GK_STS_ERROR (gk_sts_error_quark ())

typedef enum
{
  GK_STS_ERROR_FAILED,
  GK_STS_ERROR_ACCESS_DENIED,          /* the role's trust policy refuses the caller */
  GK_STS_ERROR_INVALID_IDENTITY_TOKEN, /* the web identity token is not acceptable */
  GK_STS_ERROR_EXPIRED_TOKEN,          /* the web identity token expired on the way */
  GK_STS_ERROR_IDP_REJECTED,           /* the identity provider refused the claims */
  GK_STS_ERROR_INVALID_PARAMETER,      /* a parameter (often DurationSeconds) refused */
  GK_STS_ERROR_POLICY,                 /* the session policy or tags were refused */
  GK_STS_ERROR_REGION_DISABLED,        /* STS is not activated in this region */
  GK_STS_ERROR_THROTTLED,              /* still throttled after the retries */
  GK_STS_ERROR_UNAVAILABLE,            /* 5xx, or no connection */
  GK_STS_ERROR_INVALID_RESPONSE,       /* an answer we cannot read */
  GK_STS_ERROR_DURATION_TOO_LONG,      /* above the role's maximum, or role chaining's hour */
} GkStsError;

/* The calls, for the error table: a row may be for some of them only. */
typedef enum
{
  GK_STS_OPERATION_WEB_IDENTITY            = 1 << 0,
  GK_STS_OPERATION_ASSUME_ROLE             = 1 << 1,
  GK_STS_OPERATION_ASSUME_ROLE_EXTERNAL_ID = 1 << 2, /* AssumeRole sent with an ExternalId */
} GkStsOperation;

/* What AssumeRole is asked. Strings are borrowed. */
typedef struct
{
  const char         *role_arn;
  const char         *role_session_name; /* sanitised when sent; nullable: "genokey-" */
  const char         *external_id;       /* nullable */
  guint               duration_seconds;  /* clamped to 900–43200; 0: STS's default hour */
  const char * const *tags;              /* nullable: key, value, key, value…, NULL */
  const char         *source_identity;   /* nullable */
  const char         *caller;            /* nullable: who signs, for error messages,
                                          * e.g. "access key of profile “ak”" */
} GkStsAssumeRoleRequest;

#define GK_STS_MIN_DURATION 900
#define GK_STS_MAX_DURATION 43200

#define GK_TYPE_STS_CLIENT (gk_sts_client_get_type ())

G_DECLARE_FINAL_TYPE (GkStsClient, gk_sts_client, GK, STS_CLIENT, GObject)

GQuark         gk_sts_error_quark                                  (void);

/* Pure helpers (tested without a network) */
char          *gk_sts_sanitize_session_name                        (const char          *user);
guint          gk_sts_clamp_duration                               (guint                seconds);
GError        *gk_sts_error_from_aws                               (guint                http_status,
                                                                    const char          *code,
                                                                    const char          *message);
GError        *gk_sts_error_from_aws_for                           (guint                http_status,
                                                                    const char          *code,
                                                                    const char          *message,
                                                                    guint                operation,
                                                                    const char * const  *fields);
gboolean       gk_sts_error_is_retryable                           (const GError        *error);
GPtrArray     *gk_sts_assume_role_params                           (const GkStsAssumeRoleRequest *request);
GStrv          gk_sts_assume_role_error_fields                     (const GkStsAssumeRoleRequest *request);
GkCredentials *gk_sts_parse_credentials_response                   (const char          *xml,
                                                                    gssize               length,
                                                                    guint                http_status,
                                                                    GError             **error);
char          *gk_sts_parse_caller_identity                        (const char          *xml,
                                                                    gssize               length,
                                                                    guint                http_status,
                                                                    GError             **error);

/* @endpoint is STS's URL (`https://sts.<region>.amazonaws.com/`, or a
 * stand-in's); @region is the one signed requests are signed for. */
GkStsClient   *gk_sts_client_new                                   (const char          *endpoint,
                                                                    const char          *region);
void           gk_sts_client_set_retry                             (GkStsClient         *self,
                                                                    guint                max_attempts,
                                                                    guint                base_delay_ms);

/* Any action that answers with <Credentials>: @params are its parameters
 * (Action and Version are added here), raw, not encoded. @signer NULL
 * sends it unsigned (the web-identity calls); otherwise the request is
 * signed with @signer's credentials. */
void           gk_sts_client_request_credentials_async             (GkStsClient         *self,
                                                                    const char          *action,
                                                                    const GkSigv4Pair   *params,
                                                                    gsize                n_params,
                                                                    GkCredentials       *signer,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
GkCredentials *gk_sts_client_request_credentials_finish            (GkStsClient         *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* AssumeRoleWithWebIdentity: @session_name is sanitised and @duration
 * clamped here; @web_identity_token never reaches a log or an error. */
void           gk_sts_client_get_caller_identity_async             (GkStsClient         *self,
                                                                    GkCredentials       *signer,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
char          *gk_sts_client_get_caller_identity_finish            (GkStsClient         *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);
void           gk_sts_client_assume_role_with_web_identity_async   (GkStsClient         *self,
                                                                    const char          *role_arn,
                                                                    const char          *session_name,
                                                                    const char          *web_identity_token,
                                                                    guint                duration_seconds,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
GkCredentials *gk_sts_client_assume_role_with_web_identity_finish  (GkStsClient         *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* AssumeRole, signed with @signer (see gk_sts_assume_role_params()). */
void           gk_sts_client_assume_role_async                     (GkStsClient                  *self,
                                                                    const GkStsAssumeRoleRequest *request,
                                                                    GkCredentials                *signer,
                                                                    GCancellable                 *cancellable,
                                                                    GAsyncReadyCallback           callback,
                                                                    gpointer                      user_data);
GkCredentials *gk_sts_client_assume_role_finish                    (GkStsClient         *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

G_END_DECLS
