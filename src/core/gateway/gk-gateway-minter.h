/* gk-gateway-minter.h: gateway links of one profile, minted in this process
 *
 * The GkLinkMinter the process running the gateway hands to its GkLinker
 * (the window's hand-offs) and to its D-Bus service (the command line's).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-gateway.h"
#include "gk-link-minter.h"

G_BEGIN_DECLS

#define GK_TYPE_GATEWAY_MINTER (gk_gateway_minter_get_type ())

G_DECLARE_FINAL_TYPE (GkGatewayMinter, gk_gateway_minter, GK, GATEWAY_MINTER, GObject)

GkGatewayMinter *gk_gateway_minter_new         (GkGateway       *gateway,
                                                const char      *profile);
const char      *gk_gateway_minter_get_profile (GkGatewayMinter *self);

G_END_DECLS
