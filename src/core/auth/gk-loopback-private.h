/* gk-loopback-private.h: the listener's judgement of one request, pure
 *
 * Everything gk-loopback.c decides about a request it decides here, from
 * what libsoup parsed out of it, so the decision can be tested and fuzzed
 * without a socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "gk-loopback.h"

G_BEGIN_DECLS

/* The static pages; none echoes anything from the request. */
typedef enum
{
  GK_LOOPBACK_PAGE_SIGNED_IN,
  GK_LOOPBACK_PAGE_DID_NOT_COMPLETE,
  GK_LOOPBACK_PAGE_BAD_REQUEST,
  GK_LOOPBACK_PAGE_NOT_FOUND,
  GK_LOOPBACK_PAGE_ALREADY_USED,
} GkLoopbackPage;

typedef struct
{
  guint status;         /* the HTTP status to answer with */
  GkLoopbackPage page;  /* the page to answer with */
  gboolean final;       /* this sign-in's answer: @code, or @error from the provider */
  char *code;           /* the authorization code */
  GError *error;        /* the identity provider's error (#GK_OAUTH_ERROR) */
} GkLoopbackVerdict;

/* @uri is the request's URI as SoupServer built it (NULL when it could
 * not), @port the port listened on, @path the redirect URI's path. */
void gk_loopback_judge_request  (const char          *method,
                                 SoupMessageHeaders  *headers,
                                 GUri                *uri,
                                 guint16              port,
                                 const char          *path,
                                 const char          *expected_state,
                                 GkLoopbackVerdict   *verdict);
void gk_loopback_verdict_clear  (GkLoopbackVerdict   *verdict);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GkLoopbackVerdict, gk_loopback_verdict_clear)

G_END_DECLS
