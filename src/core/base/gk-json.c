/* gk-json.c: JSON from outside, read as RFC 8259 has it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-json.h"

static gboolean
is_u_escape (const char *data,
             gsize       length,
             gsize       i,
             guint      *code_unit)
{
  if (i + 5 >= length || data[i] != '\\' || data[i + 1] != 'u')
    return FALSE;
  for (guint k = 2; k < 6; k++)
    if (!g_ascii_isxdigit (data[i + k]))
      return FALSE;
  *code_unit = (g_ascii_xdigit_value (data[i + 2]) << 12) | (g_ascii_xdigit_value (data[i + 3]) << 8)
               | (g_ascii_xdigit_value (data[i + 4]) << 4) | g_ascii_xdigit_value (data[i + 5]);
  return TRUE;
}

/* RFC 8259 section 7: the only escapes are \" \\ \/ \b \f \n \r \t and
 * \u with four hex digits. A backslash anywhere else is not JSON either,
 * so the text need not be tokenised to find the strings. A \u of a UTF-16
 * surrogate must be the first half of a pair followed by its second half:
 * json-glib writes half a pair as bytes that are not UTF-8. */
static gboolean
check_escapes (const char  *data,
               gsize        length,
               GError     **error)
{
  guint line = 1;

  for (gsize i = 0; i < length; i++)
    {
      guint unit, low;

      if (data[i] == '\n')
        line++;
      if (data[i] != '\\')
        continue;
      if (i + 1 < length && strchr ("\"\\/bfnrt", data[i + 1]) != NULL && data[i + 1] != '\0')
        {
          i++;
          continue;
        }
      if (!is_u_escape (data, length, i, &unit))
        {
          g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                       _("line %u holds a backslash escape that JSON does not have"), line);
          return FALSE;
        }
      if (unit >= 0xD800 && unit <= 0xDBFF && is_u_escape (data, length, i + 6, &low)
          && low >= 0xDC00 && low <= 0xDFFF)
        i += 6;
      else if (unit >= 0xD800 && unit <= 0xDFFF)
        {
          g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                       _("line %u holds \\u%04X, half of a UTF-16 surrogate pair without its other half"),
                       line, unit);
          return FALSE;
        }
      i += 5;
    }
  return TRUE;
}

G_DEFINE_QUARK (gk-json-error-quark, gk_json_error)

/* json-glib keeps the last of two members with one name, silently. Which
 * one a reader meant cannot be known (and two readers may disagree, which
 * is how token and config confusion starts), so a name twice in one object
 * is refused. Names are collected per object while the parser runs. */
typedef struct
{
  GHashTable *seen;   /* JsonObject * → GHashTable of names */
  char *duplicate;
} Duplicates;

static void
on_object_member_cb (JsonParser *parser,
                     JsonObject *object,
                     const char *name,
                     gpointer    user_data)
{
  Duplicates *d = user_data;
  GHashTable *names = g_hash_table_lookup (d->seen, object);

  if (names == NULL)
    {
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (d->seen, object, names);
    }
  if (!g_hash_table_add (names, g_strdup (name)) && d->duplicate == NULL)
    d->duplicate = g_strdup (name);
}

/**
 * gk_json_parser_load:
 * @length: the length of @data, or -1 when it is nul-terminated
 *
 * json_parser_load_from_data(), after refusing escapes that JSON does not
 * have and halves of surrogate pairs (see gk-json.h) with a
 * %JSON_PARSER_ERROR_INVALID_DATA, and with an
 * error message that is always UTF-8. A member name twice in one object is
 * %GK_JSON_ERROR_DUPLICATE_KEY, naming it.
 */
gboolean
gk_json_parser_load (JsonParser  *parser,
                     const char  *data,
                     gssize       length,
                     GError     **error)
{
  gsize len = length < 0 ? strlen (data) : (gsize) length;
  g_autoptr(GError) local = NULL;
  Duplicates duplicates = { NULL, NULL };
  gulong handler;
  gboolean loaded;

  if (!check_escapes (data, len, error))
    return FALSE;
  duplicates.seen = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);
  handler = g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member_cb), &duplicates);
  loaded = json_parser_load_from_data (parser, data, len, &local);
  g_signal_handler_disconnect (parser, handler);
  g_hash_table_unref (duplicates.seen);
  if (loaded && duplicates.duplicate != NULL)
    {
      g_autofree char *name = g_utf8_make_valid (duplicates.duplicate, -1);

      g_set_error (error, GK_JSON_ERROR, GK_JSON_ERROR_DUPLICATE_KEY,
                   _("“%s” appears twice in one object, and which value is meant cannot be "
                     "known. Keep one of them."), name);
      g_free (duplicates.duplicate);
      return FALSE;
    }
  g_free (duplicates.duplicate);
  if (!loaded)
    {
      /* GScanner cuts the token it quotes at a byte count, so even for
       * UTF-8 text the message can end inside a character; a message that
       * is not UTF-8 cannot be shown. */
      g_autofree char *why = g_utf8_make_valid (local->message, -1);

      g_set_error_literal (error, local->domain, local->code, why);
      return FALSE;
    }
  return TRUE;
}
