/* gk-profile-import.c: IGV's oauth-config.json as files, URLs and pasted
 * text deliver it
 *
 * The file is what labs already hand to IGV: one object or a list of them,
 * plain or gzip-compressed (recognised by its magic bytes, as IGV does).
 * Each object becomes a profile (gk-profile.c checks its keys).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "gk-json.h"
#include "gk-profile-import.h"

/* Profiles are small; anything bigger is not a config file. */
#define MAX_CONFIG_SIZE (1024 * 1024)

static char *
name_for_item (const char *name,
               JsonObject *object,
               guint       index,
               guint       count)
{
  const char *own = NULL;

  if (json_object_has_member (object, "name")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "name"))
      && json_node_get_value_type (json_object_get_member (object, "name")) == G_TYPE_STRING)
    own = json_object_get_string_member (object, "name");

  if (count == 1)
    return g_strdup (name ? name : own ? own : "default");
  if (name != NULL)
    return g_strdup_printf ("%s-%u", name, index + 1);
  if (own != NULL)
    return g_strdup (own);
  return g_strdup_printf ("profile-%u", index + 1);
}

static GBytes *
maybe_gunzip (GBytes  *data,
              GError **error)
{
  g_autoptr(GConverter) converter = NULL;
  g_autoptr(GByteArray) out = NULL;
  const guint8 *in;
  gsize in_len, consumed, written, total_in = 0;
  guint8 buffer[16384];

  in = g_bytes_get_data (data, &in_len);
  if (in_len < 2 || in[0] != 0x1f || in[1] != 0x8b)
    return g_bytes_ref (data);

  converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  out = g_byte_array_new ();
  for (;;)
    {
      GConverterResult result;
      g_autoptr(GError) local_error = NULL;

      result = g_converter_convert (converter, in + total_in, in_len - total_in, buffer,
                                    sizeof buffer, G_CONVERTER_INPUT_AT_END, &consumed, &written,
                                    &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                     _("The file looks compressed (gzip) but cannot be decompressed: %s"),
                     local_error->message);
          return NULL;
        }
      total_in += consumed;
      g_byte_array_append (out, buffer, written);
      if (out->len > MAX_CONFIG_SIZE)
        {
          g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                     _("The configuration is larger than 1 MiB once decompressed; this is not an oauth-config.json file."));
          return NULL;
        }
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* IGV's own reading (OAuthUtils): a list may hold several providers, and
 * an entry is Amazon's when its auth_provider says "Amazon" or it has
 * aws_region. When a list holds such entries, only they are profiles: a
 * lab's file with a Google entry beside the Cognito one imports the
 * latter. A list without any is taken whole, as Genokey's own files are
 * (they may leave aws_region to the pool ids). */
static gboolean
is_amazon_entry (JsonObject *object)
{
  JsonNode *provider = json_object_get_member (object, "auth_provider");

  if (json_object_has_member (object, "aws_region"))
    return TRUE;
  return provider != NULL && JSON_NODE_HOLDS_VALUE (provider)
         && json_node_get_value_type (provider) == G_TYPE_STRING
         && g_str_equal (json_node_get_string (provider), "Amazon");
}

static void
keep_amazon_entries (GPtrArray *objects)
{
  guint amazon = 0;

  for (guint i = 0; i < objects->len; i++)
    amazon += is_amazon_entry (objects->pdata[i]) ? 1 : 0;
  if (amazon == 0 || amazon == objects->len)
    return;
  for (guint i = objects->len; i > 0; i--)
    if (!is_amazon_entry (objects->pdata[i - 1]))
      g_ptr_array_remove_index (objects, i - 1);
}

/**
 * gk_profile_import_parse:
 * @data: the contents of an oauth-config.json, plain or gzip-compressed
 * @name: (nullable): the name to give; with several objects, "-1", "-2"… is
 *   appended; without, the objects' own `name` or "default"
 *
 * Accepts one object or an array of objects, as IGV does.
 *
 * Returns: (transfer full) (element-type GkProfile): the profiles
 */
GPtrArray *
gk_profile_import_parse (GBytes      *data,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  const char *text;
  gsize len;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);

  if (g_bytes_get_size (data) > MAX_CONFIG_SIZE)
    {
      g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                 _("The configuration is larger than 1 MiB; this is not an oauth-config.json file."));
      return NULL;
    }
  plain = maybe_gunzip (data, error);
  if (plain == NULL)
    return NULL;

  text = g_bytes_get_data (plain, &len);
  parser = json_parser_new_immutable ();
  if (len > 0 && !gk_json_parser_load (parser, text, len, &local_error)
      && g_error_matches (local_error, GK_JSON_ERROR, GK_JSON_ERROR_DUPLICATE_KEY))
    {
      /* Today's IGV takes the last value; an edited file often holds both
       * an old and a new one. */
      g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                   _("The configuration is ambiguous: %s"), local_error->message);
      return NULL;
    }
  if (len == 0 || local_error != NULL)
    {
      g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                 _("This is not valid JSON (%s). Check that the whole oauth-config.json was copied."),
                 local_error ? local_error->message : _("it is empty"));
      return NULL;
    }

  /* json-glib accepts text that holds only whitespace or a comment, with no
   * root at all; JSON_NODE_HOLDS_*() must not be asked about that. */
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                   _("This is not valid JSON (%s). Check that the whole oauth-config.json was copied."),
                   _("it is empty"));
      return NULL;
    }

  objects = g_ptr_array_new ();
  if (JSON_NODE_HOLDS_OBJECT (root))
    g_ptr_array_add (objects, json_node_get_object (root));
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                         _("Item %u of the list is not an object { … }; an oauth-config.json holds one object or a list of objects."),
                         i + 1);
              return NULL;
            }
          g_ptr_array_add (objects, json_node_get_object (item));
        }
    }
  if (objects->len == 0)
    {
      g_set_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_PARSE,
                 _("An oauth-config.json holds one object { … } or a list of them; this holds none."));
      return NULL;
    }
  keep_amazon_entries (objects);

  profiles = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < objects->len; i++)
    {
      g_autofree char *item_name = name_for_item (name, objects->pdata[i], i, objects->len);
      GkProfile *profile = gk_profile_new_from_json (objects->pdata[i], item_name, error);

      if (profile == NULL)
        {
          if (objects->len > 1)
            g_prefix_error (error, _("Profile %u of %u: "), i + 1, objects->len);
          return NULL;
        }
      g_ptr_array_add (profiles, profile);
    }
  return g_steal_pointer (&profiles);
}

