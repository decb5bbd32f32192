/* gk-gateway-dbus.h: the gateway's D-Bus interface, shared by the service
 * (the application's primary instance) and its clients (the command line)
 *
 * The interface lives on the application's own object path, beside
 * GApplication's, under its well-known name (the app id), so a call
 * activates the application when it is not running: a windowless service
 * when no window is wanted.
 *
 *   Links (s profile, as uris) → (as links)
 *   PublishConfig (s profile, s name, ay json) → (s link)
 *   Status () → (a{sv} status)
 *   Start () → (q port)
 *   Stop ()
 *   Revoke (s profile)
 *   Forget (s profile)        a sign-out elsewhere: stop serving its links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GK_GATEWAY_DBUS_INTERFACE "io.github.genokey.Genokey.Gateway"

/* Calls that may start the service wait this long: a first start-up reads
 * the keyring and may renew credentials, slowly on a loaded machine. */
#define GK_GATEWAY_DBUS_START_TIMEOUT_MS (180 * 1000)
#define GK_GATEWAY_DBUS_TIMEOUT_MS       (60 * 1000)

GDBusInterfaceInfo *gk_gateway_dbus_get_interface_info (void);
char               *gk_gateway_dbus_object_path        (const char *app_id);
void                gk_gateway_dbus_ensure_errors      (void);

G_END_DECLS
