/* gk-profile-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gk-profile-export.h"

/* The keys IGV reads, first and in this order, so the file reads as IGV's
 * own examples do; Genokey's keys follow as the profile has them. */
static const char * const igv_keys[] = {
  "client_id", "authorization_endpoint", "token_endpoint", "scope", "redirect_uris",
  "aws_region", "aws_cognito_fed_pool_id", "aws_cognito_role_arn", "endpoint_url",
};

/* Keys the file must not carry: a secret (IGV and Genokey need a public
 * client, and a file for colleagues is no place for one), and IGV's other
 * spellings of keys written above. */
static const char * const left_out[] = {
  "client_secret", "auth_uri", "token_uri", "redirect_uri",
};

static gboolean
is_one_of (const char         *key,
           const char * const *keys,
           gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (key, keys[i]))
      return TRUE;
  return FALSE;
}

static void
set_string (JsonObject *object,
            const char *key,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, key, value);
}

/**
 * gk_profile_export_igv_config:
 * @out_secret_left_out: (out) (optional): %TRUE when the profile had a
 *   client secret, which the file does not carry
 *
 * IGV appends `scope` to its authorization URL as it is, so the scopes are
 * written with `%20` between them (Genokey reads both spellings), and the
 * callback goes in `redirect_uris`, which IGV reads first.
 *
 * Returns: (transfer full): the oauth-config.json text, or %NULL with
 *   @error for a profile that is not a lab sign-in
 */
char *
gk_profile_export_igv_config (GkProfile  *profile,
                              gboolean   *out_secret_left_out,
                              GError    **error)
{
  g_autoptr(JsonObject) source = NULL;
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonArray) redirect_uris = json_array_new ();
  g_autoptr(GList) members = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);

  if (!gk_profile_is_sign_in (profile))
    {
      GError *local = g_error_new (GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID,
                                   _("Profile “%s” gets its credentials from %s, not from a lab "
                                     "sign-in: IGV has nothing to sign in to."),
                                   gk_profile_get_name (profile),
                                   gk_profile_source_to_string (gk_profile_get_source (profile)));

      gk_profile_error_set_key (local, "source");
      gk_profile_error_set_profile (local, gk_profile_get_name (profile));
      g_propagate_error (error, local);
      return NULL;
    }

  scopes = g_strsplit (gk_profile_get_scope (profile), " ", -1);
  scope = g_strjoinv ("%20", scopes);
  json_array_add_string_element (redirect_uris, gk_profile_get_redirect_uri (profile));

  set_string (out, "client_id", gk_profile_get_client_id (profile));
  set_string (out, "authorization_endpoint", gk_profile_get_authorization_endpoint (profile));
  set_string (out, "token_endpoint", gk_profile_get_token_endpoint (profile));
  set_string (out, "scope", scope);
  json_object_set_array_member (out, "redirect_uris", json_array_ref (redirect_uris));
  set_string (out, "aws_region", gk_profile_get_region (profile));
  set_string (out, "aws_cognito_fed_pool_id", gk_profile_get_identity_pool_id (profile));
  set_string (out, "aws_cognito_role_arn", gk_profile_get_role_arn (profile));
  source = gk_profile_to_json (profile);
  if (json_object_has_member (source, "endpoint_url"))
    set_string (out, "endpoint_url", gk_profile_get_s3_endpoint (profile));

  members = json_object_get_members (source);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      if (is_one_of (key, igv_keys, G_N_ELEMENTS (igv_keys)) ||
          is_one_of (key, left_out, G_N_ELEMENTS (left_out)))
        continue;
      json_object_set_member (out, key, json_node_copy (json_object_get_member (source, key)));
    }

  if (out_secret_left_out != NULL)
    *out_secret_left_out = gk_profile_get_client_secret (profile) != NULL;
  json_node_set_object (root, out);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

/**
 * gk_profile_export_gzip:
 *
 * Returns: (transfer full): @text gzip-compressed, for a provisioning URL
 */
GBytes *
gk_profile_export_gzip (const char *text)
{
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize in_len = strlen (text), total_in = 0;
  guint8 buffer[16384];

  for (;;)
    {
      gsize consumed = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (compressor, text + total_in, in_len - total_in, buffer,
                                    sizeof buffer, G_CONVERTER_INPUT_AT_END, &consumed, &written,
                                    NULL);
      total_in += consumed;
      g_byte_array_append (out, buffer, written);
      /* Compressing memory into memory cannot fail but for a bug. */
      g_return_val_if_fail (result != G_CONVERTER_ERROR, NULL);
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
