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
  GK_HTTP_ERROR_TOO_LARGE,   /* the body goes on past the caller's limit */
} GkHttpError;

GQuark  gk_http_error_quark          (void);

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
