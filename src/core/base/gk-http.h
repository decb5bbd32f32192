/* gk-http.h: HTTP answers and streams read with a size limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define GK_HTTP_ERROR (gk_http_error_quark ())

typedef enum
{
  GK_HTTP_ERROR_TOO_LARGE,         /* the body goes on past the caller's limit */
  GK_HTTP_ERROR_REDIRECT_REFUSED,  /* a redirect to plain http elsewhere, or of a POST */
} GkHttpError;

/* Every session Genokey makes gives up on a stalled server. */
#define GK_HTTP_TIMEOUT_SECONDS      30
#define GK_HTTP_IDLE_TIMEOUT_SECONDS 60

GQuark  gk_http_error_quark          (void);

SoupSession  *gk_http_session_new         (void);
gboolean      gk_http_redirect_is_allowed (const char           *method,
                                           GUri                 *from,
                                           GUri                 *to);
void          gk_http_send_async          (SoupSession          *session,
                                           SoupMessage          *message,
                                           int                   io_priority,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GInputStream *gk_http_send_finish         (GAsyncResult         *result,
                                           GError              **error);

void    gk_http_read_all_async       (GInputStream         *stream,
                                      gsize                 max_size,
                                      int                   io_priority,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GBytes *gk_http_read_all_finish      (GAsyncResult         *result,
                                      GError              **error);

void    gk_http_send_and_read_async  (SoupSession          *session,
                                      SoupMessage          *message,
                                      gsize                 max_size,
                                      int                   io_priority,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GBytes *gk_http_send_and_read_finish (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
