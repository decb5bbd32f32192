/* gk-gateway-dbus.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-gateway-dbus.h"
#include "gk-gateway-error.h"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='" GK_GATEWAY_DBUS_INTERFACE "'>"
  "    <method name='Links'>"
  "      <arg type='s' name='profile' direction='in'/>"
  "      <arg type='as' name='uris' direction='in'/>"
  "      <arg type='as' name='links' direction='out'/>"
  "    </method>"
  "    <method name='PublishConfig'>"
  "      <arg type='s' name='profile' direction='in'/>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='ay' name='json' direction='in'/>"
  "      <arg type='s' name='link' direction='out'/>"
  "    </method>"
  "    <method name='Status'>"
  "      <arg type='a{sv}' name='status' direction='out'/>"
  "    </method>"
  "    <method name='Start'>"
  "      <arg type='q' name='port' direction='out'/>"
  "    </method>"
  "    <method name='Stop'/>"
  "    <method name='Revoke'>"
  "      <arg type='s' name='profile' direction='in'/>"
  "    </method>"
  "    <method name='Forget'>"
  "      <arg type='s' name='profile' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/**
 * gk_gateway_dbus_get_interface_info:
 *
 * Returns: (transfer none): the interface, parsed once
 */
GDBusInterfaceInfo *
gk_gateway_dbus_get_interface_info (void)
{
  static gsize node = 0;

  if (g_once_init_enter (&node))
    {
      g_autoptr(GError) error = NULL;
      GDBusNodeInfo *parsed = g_dbus_node_info_new_for_xml (introspection_xml, &error);

      g_assert_no_error (error);
      g_once_init_leave (&node, (gsize) parsed);
    }
  return ((GDBusNodeInfo *) node)->interfaces[0];
}

/**
 * gk_gateway_dbus_object_path:
 *
 * Returns: (transfer full): GApplication's object path for @app_id
 *   (`io.github.genokey.Genokey` → `/io/github/genokey/Genokey`)
 */
char *
gk_gateway_dbus_object_path (const char *app_id)
{
  char *path = g_strconcat ("/", app_id, NULL);

  for (char *p = path; *p != '\0'; p++)
    if (*p == '.')
      *p = '/';
    else if (*p == '-')
      *p = '_';
  return path;
}

/**
 * gk_gateway_dbus_ensure_errors:
 *
 * Maps %GK_GATEWAY_ERROR to D-Bus error names both ways, so a client gets
 * the service's error code and message, not a generic D-Bus error.
 */
void
gk_gateway_dbus_ensure_errors (void)
{
  static gsize registered = 0;
  static const GDBusErrorEntry entries[] = {
    { GK_GATEWAY_ERROR_FAILED, GK_GATEWAY_DBUS_INTERFACE ".Error.Failed" },
    { GK_GATEWAY_ERROR_PORT_IN_USE, GK_GATEWAY_DBUS_INTERFACE ".Error.PortInUse" },
    { GK_GATEWAY_ERROR_NOT_RUNNING, GK_GATEWAY_DBUS_INTERFACE ".Error.NotRunning" },
    { GK_GATEWAY_ERROR_UNSERVABLE_KEY, GK_GATEWAY_DBUS_INTERFACE ".Error.UnservableKey" },
    { GK_GATEWAY_ERROR_INVALID_CONFIG_NAME, GK_GATEWAY_DBUS_INTERFACE ".Error.InvalidConfigName" },
    { GK_GATEWAY_ERROR_NOT_SERVING, GK_GATEWAY_DBUS_INTERFACE ".Error.NotServing" },
    { GK_GATEWAY_ERROR_INVALID_PORT, GK_GATEWAY_DBUS_INTERFACE ".Error.InvalidPort" },
    { GK_GATEWAY_ERROR_CANNOT_START, GK_GATEWAY_DBUS_INTERFACE ".Error.CannotStart" },
  };

  g_dbus_error_register_error_domain ("gk-gateway-error-quark", &registered, entries,
                                      G_N_ELEMENTS (entries));
}
