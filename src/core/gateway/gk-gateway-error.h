/* gk-gateway-error.h: the gateway's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GK_GATEWAY_ERROR (gk_gateway_error_quark ())

typedef enum
{
  GK_GATEWAY_ERROR_FAILED,
  GK_GATEWAY_ERROR_PORT_IN_USE,       /* another program holds the gateway's port */
  GK_GATEWAY_ERROR_NOT_RUNNING,       /* stopped, or never started */
  GK_GATEWAY_ERROR_UNSERVABLE_KEY,    /* a key a browser would rewrite (// . ..) */
  GK_GATEWAY_ERROR_INVALID_CONFIG_NAME,
  GK_GATEWAY_ERROR_NOT_SERVING,       /* the profile is not signed in to the gateway */
  GK_GATEWAY_ERROR_INVALID_PORT,
  GK_GATEWAY_ERROR_CANNOT_START,      /* Genokey could not be started in the background */
} GkGatewayError;

GQuark gk_gateway_error_quark (void);

G_END_DECLS
