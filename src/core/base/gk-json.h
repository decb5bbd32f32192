/* gk-json.h: JSON from outside, read as RFC 8259 has it
 *
 * json-glib 1.6 (Debian 12, GNOME 44 runtime) reads strings with GLib's
 * GScanner, which takes C escapes JSON does not have: "\234" becomes the
 * single byte 0x9c, "\q" becomes "q"; and it writes "\ud9ce" not followed
 * by the pair's second half as bytes. UTF-8 text then gives strings that
 * are not UTF-8, which json-glib writes back out as they are, and quotes in
 * its own error messages, which can also cut a character in two. Every
 * parse of outside JSON goes through here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GK_JSON_ERROR (gk_json_error_quark ())

typedef enum
{
  GK_JSON_ERROR_DUPLICATE_KEY,  /* a member name twice in one object */
} GkJsonError;

GQuark   gk_json_error_quark (void);

gboolean gk_json_parser_load (JsonParser  *parser,
                              const char  *data,
                              gssize       length,
                              GError     **error);

G_END_DECLS
