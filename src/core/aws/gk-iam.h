/* gk-iam.h: AWS IAM, asked how old an access key is
 *
 * An IAM user's access key does not expire, so the one thing worth telling
 * its owner is its age (keys are meant to be rotated) and when it was last
 * used. IAM speaks the query API, as STS does: a SigV4-signed form POST,
 * answered with XML. Both calls ask about the key that signs them:
 * ListAccessKeys without a UserName lists the signing user's own keys
 * (with their creation date and status), and GetAccessKeyLastUsed says
 * when and where a key was last used. IAM is global: every call is signed
 * for us-east-1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gk-credentials.h"

G_BEGIN_DECLS

#define GK_IAM_ERROR (gk_iam_error_quark ())

typedef enum
{
  GK_IAM_ERROR_FAILED,
  GK_IAM_ERROR_ACCESS_DENIED,    /* a policy does not let the caller ask */
  GK_IAM_ERROR_KEY_REFUSED,      /* IAM does not accept the signing key (unknown, inactive, wrong secret) */
  GK_IAM_ERROR_NOT_FOUND,        /* NoSuchEntity: no such user or key */
  GK_IAM_ERROR_THROTTLED,        /* still throttled after the retries */
  GK_IAM_ERROR_UNAVAILABLE,      /* 5xx, or no connection */
  GK_IAM_ERROR_INVALID_RESPONSE, /* an answer we cannot read */
} GkIamError;

/* IAM's signing region, whatever the profile's. */
#define GK_IAM_SIGNING_REGION "us-east-1"

/* One key of ListAccessKeys. */
typedef struct
{
  char   *access_key_id;
  char   *status;        /* "Active" or "Inactive" */
  gint64  created;       /* Unix seconds */
} GkIamAccessKey;

/* GetAccessKeyLastUsed. */
typedef struct
{
  gint64  last_used;     /* Unix seconds; 0 when the key was never used */
  char   *service_name;  /* "s3", or NULL when never used */
  char   *region;        /* NULL when never used */
} GkIamKeyLastUsed;

void              gk_iam_access_key_free                       (GkIamAccessKey   *key);
void              gk_iam_key_last_used_free                    (GkIamKeyLastUsed *last_used);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkIamAccessKey, gk_iam_access_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkIamKeyLastUsed, gk_iam_key_last_used_free)

#define GK_TYPE_IAM_CLIENT (gk_iam_client_get_type ())

G_DECLARE_FINAL_TYPE (GkIamClient, gk_iam_client, GK, IAM_CLIENT, GObject)

GQuark            gk_iam_error_quark                           (void);

/* Pure: IAM's answers, errors (an <ErrorResponse>, or a status without
 * one) included. */
GPtrArray        *gk_iam_parse_list_access_keys                (const char           *xml,
                                                                gssize                length,
                                                                guint                 http_status,
                                                                GError              **error);
GkIamKeyLastUsed *gk_iam_parse_access_key_last_used            (const char           *xml,
                                                                gssize                length,
                                                                guint                 http_status,
                                                                GError              **error);
GkIamAccessKey   *gk_iam_find_access_key                       (GPtrArray            *keys,
                                                                const char           *access_key_id);
GError           *gk_iam_error_from_aws                        (guint                 http_status,
                                                                const char           *code,
                                                                const char           *message);

/* @endpoint: IAM's URL (`https://iam.amazonaws.com/`, or a stand-in's). */
GkIamClient      *gk_iam_client_new                            (const char           *endpoint);
void              gk_iam_client_set_retry                      (GkIamClient          *self,
                                                                guint                 max_attempts,
                                                                guint                 base_delay_ms);

/* The signing user's own keys (element type #GkIamAccessKey). */
void              gk_iam_client_list_access_keys_async         (GkIamClient          *self,
                                                                GkCredentials        *signer,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
GPtrArray        *gk_iam_client_list_access_keys_finish        (GkIamClient          *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);
void              gk_iam_client_get_access_key_last_used_async (GkIamClient          *self,
                                                                const char           *access_key_id,
                                                                GkCredentials        *signer,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
GkIamKeyLastUsed *gk_iam_client_get_access_key_last_used_finish (GkIamClient         *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);

G_END_DECLS
