/* gk-loopback.h: the one-shot listener for the browser's redirect
 *
 * Bound on the loopback addresses (127.0.0.1, and ::1 where the system has
 * IPv6) when created, so a port conflict is known before the browser opens.
 * It accepts exactly one valid callback — GET, the exact path, a localhost
 * Host with the right port, the right state — answers every request with a
 * static page that echoes nothing from the request, and closes the port once
 * done, on timeout or on cancel. It never moves to another port: the
 * identity provider only redirects to the registered one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_LOOPBACK_ERROR (gk_loopback_error_quark ())

typedef enum
{
  GK_LOOPBACK_ERROR_FAILED,
  GK_LOOPBACK_ERROR_IGV_HOLDS_PORT, /* IGV's batch port answered `echo` */
  GK_LOOPBACK_ERROR_PORT_IN_USE,    /* something else holds the port */
  GK_LOOPBACK_ERROR_TIMED_OUT,      /* no valid callback in time */
} GkLoopbackError;

#define GK_LOOPBACK_DEFAULT_TIMEOUT (5 * 60)
#define GK_LOOPBACK_MAX_REQUEST     8192 /* bytes of request target we read */

#define GK_TYPE_LOOPBACK (gk_loopback_get_type ())

G_DECLARE_FINAL_TYPE (GkLoopback, gk_loopback, GK, LOOPBACK, GObject)

GQuark      gk_loopback_error_quark  (void);

/* @port 0 picks a free port (tests); @path is the redirect URI's path
 * (`/oauthCallback`). Binds at once; errors are #GK_LOOPBACK_ERROR. Only
 * when the port is taken does it take a while, at most about two seconds,
 * while it asks the holder IGV's `echo`.
 *
 * Paths are compared after libsoup has removed dot segments, as a browser
 * would have: `/oauthCallback/../x` is `/x` and refused. Requests whose
 * headers exceed libsoup's limit are dropped by libsoup without a page. */
void        gk_loopback_new_async    (guint16              port,
                                      const char          *path,
                                      const char          *expected_state,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GkLoopback *gk_loopback_new_finish   (GAsyncResult        *result,
                                      GError             **error);
guint16     gk_loopback_get_port     (GkLoopback          *self);
gboolean    gk_loopback_is_listening (GkLoopback          *self);
void        gk_loopback_close        (GkLoopback          *self);

/* Completes with the authorization code, or the identity provider's error
 * (#GK_OAUTH_ERROR), #GK_LOOPBACK_ERROR_TIMED_OUT or G_IO_ERROR_CANCELLED.
 * The port is closed when it completes. @timeout_seconds 0 means the
 * default. Call once. */
void        gk_loopback_wait_async   (GkLoopback          *self,
                                      guint                timeout_seconds,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char       *gk_loopback_wait_finish  (GkLoopback          *self,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
