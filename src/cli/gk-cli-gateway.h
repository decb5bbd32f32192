/* gk-cli-gateway.h: the command line's way to the running gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"
#include "gk-gateway-client.h"
#include "gk-links.h"

G_BEGIN_DECLS

GkGatewayClient *gk_cli_gateway_client     (GkCli       *cli,
                                            const char  *profile,
                                            GError     **error);
gboolean         gk_cli_use_gateway        (GkCli       *cli,
                                            GkLinker    *linker,
                                            gboolean     presigned,
                                            GError     **error);
void             gk_cli_gateway_forget     (GkCli       *cli,
                                            const char  *profile);
void             gk_cli_tell_gateway_links (GkCli       *cli,
                                            GkLinker    *linker,
                                            const char  *site);

G_END_DECLS
