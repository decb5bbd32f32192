/* gk-aws-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-aws-error.h"

/* AWS's messages are short; a longer one is cut rather than passed on. */
#define MAX_AWS_MESSAGE_CHARS 200

/**
 * gk_aws_error_normalize_code:
 * @raw: (nullable): an error code as it arrived
 *
 * The JSON protocols answer `__type` as "NotAuthorizedException" or with a
 * namespace ("com.amazonaws.cognito.identity#NotAuthorizedException"), and
 * the x-amzn-ErrorType header as "Name:http://internal.amazon.com/...".
 *
 * Returns: (transfer full) (nullable): the bare code, or %NULL for none
 */
char *
gk_aws_error_normalize_code (const char *raw)
{
  const char *hash;
  const char *colon;

  if (raw == NULL)
    return NULL;
  hash = strrchr (raw, '#');
  if (hash != NULL)
    raw = hash + 1;
  colon = strchr (raw, ':');
  if (colon == raw || *raw == '\0')
    return NULL;
  return colon != NULL ? g_strndup (raw, colon - raw) : g_strdup (raw);
}

/**
 * gk_aws_error_find:
 * @rows: the client's table
 * @aws_code: the bare AWS error code
 * @aws_message: (nullable): AWS's message
 * @operation: the client's bit for the call that failed
 *
 * Rows are tried in order; the first whose code, operations and message
 * prefix all fit wins, so rows with a prefix come before their code's
 * general row.
 *
 * Returns: (nullable): the row, or %NULL when the table does not know it
 */
const GkAwsErrorRow *
gk_aws_error_find (const GkAwsErrorRow *rows,
                   gsize                n_rows,
                   const char          *aws_code,
                   const char          *aws_message,
                   guint                operation)
{
  if (aws_code == NULL)
    return NULL;

  for (gsize i = 0; i < n_rows; i++)
    {
      const GkAwsErrorRow *row = &rows[i];

      if (!g_str_equal (row->aws_code, aws_code))
        continue;
      if (row->operations != 0 && (row->operations & operation) == 0)
        continue;
      if (row->aws_message_prefix != NULL &&
          (aws_message == NULL || !g_str_has_prefix (aws_message, row->aws_message_prefix)))
        continue;
      return row;
    }

  return NULL;
}

/**
 * gk_aws_error_clean_message:
 * @aws_message: (nullable): AWS's message
 *
 * AWS's own words are worth showing (they name the role, the parameter, the
 * limit), but only as valid UTF-8 on one line and not without end.
 *
 * Returns: (transfer full): the message fit to quote, "" for none
 */
char *
gk_aws_error_clean_message (const char *aws_message)
{
  g_autofree char *cut = NULL;

  if (aws_message == NULL || !g_utf8_validate (aws_message, -1, NULL))
    return g_strdup ("");

  cut = g_utf8_substring (aws_message, 0, MIN (g_utf8_strlen (aws_message, -1),
                                                MAX_AWS_MESSAGE_CHARS));
  for (char *p = cut; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  g_strstrip (cut);
  return g_steal_pointer (&cut);
}

/**
 * gk_aws_error_expand:
 * @template: a translated message with `{name}` fields
 * @fields: (array zero-terminated=1): name, value, name, value…, %NULL
 *
 * A field the list does not name stays as it is, so a translation that
 * mistypes one shows it rather than losing text.
 *
 * Returns: (transfer full): the message
 */
char *
gk_aws_error_expand (const char         *template,
                     const char * const *fields)
{
  GString *out = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      const char *close;
      gboolean replaced = FALSE;

      if (*p != '{' || (close = strchr (p, '}')) == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      for (guint i = 0; fields != NULL && fields[i] != NULL && fields[i + 1] != NULL; i += 2)
        {
          if (strlen (fields[i]) == (gsize) (close - p - 1) &&
              strncmp (fields[i], p + 1, close - p - 1) == 0)
            {
              g_string_append (out, fields[i + 1]);
              replaced = TRUE;
              break;
            }
        }

      if (replaced)
        p = close + 1;
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/**
 * gk_aws_error_new_from_row:
 * @domain: the client's error domain
 * @row: a row of its table
 * @fields: (array zero-terminated=1) (nullable): the template's fields
 *
 * Returns: (transfer full): the error, its message translated and filled in
 */
GError *
gk_aws_error_new_from_row (GQuark               domain,
                           const GkAwsErrorRow *row,
                           const char * const  *fields)
{
  g_autofree char *message = gk_aws_error_expand (_(row->message), fields);

  return g_error_new_literal (domain, row->code, message);
}

/**
 * gk_aws_error_from_answer:
 * @domain: the client's error domain
 * @rows: (array length=n_rows): the client's table
 * @fallbacks: the rows for answers the table does not know
 * @operation: the client's bit for the call that failed, 0 for any
 * @http_status: the answer's status, 0 for no answer
 * @code: (nullable): the error code as it arrived
 * @message: (nullable): AWS's message
 * @fields: (array zero-terminated=1) (nullable): more fields for the
 *   client's templates: name, value…
 *
 * Looks the answer up and fills in the template: `{code}`, `{aws_message}`
 * (AWS's own words, cut to one line) and `{status}`, and @fields.
 *
 * Returns: (transfer full): the error
 */
GError *
gk_aws_error_from_answer (GQuark                     domain,
                          const GkAwsErrorRow       *rows,
                          gsize                      n_rows,
                          const GkAwsErrorFallbacks *fallbacks,
                          guint                      operation,
                          guint                      http_status,
                          const char                *code,
                          const char                *message,
                          const char * const        *fields)
{
  g_autofree char *bare = gk_aws_error_normalize_code (code);
  g_autofree char *quoted = gk_aws_error_clean_message (message);
  g_autofree char *status = g_strdup_printf ("%u", http_status);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  const GkAwsErrorRow *row;

  g_ptr_array_add (all, (gpointer) "code");
  g_ptr_array_add (all, bare != NULL ? bare : (gpointer) "");
  g_ptr_array_add (all, (gpointer) "aws_message");
  g_ptr_array_add (all, quoted);
  g_ptr_array_add (all, (gpointer) "status");
  g_ptr_array_add (all, status);
  for (guint i = 0; fields != NULL && fields[i] != NULL && fields[i + 1] != NULL; i += 2)
    {
      g_ptr_array_add (all, (gpointer) fields[i]);
      g_ptr_array_add (all, (gpointer) fields[i + 1]);
    }
  g_ptr_array_add (all, NULL);

  row = gk_aws_error_find (rows, n_rows, bare, message, operation);
  if (row == NULL && bare != NULL)
    row = fallbacks->unknown_code;
  else if (row == NULL && http_status == 429)
    row = fallbacks->throttled;
  else if (row == NULL && (http_status >= 500 || http_status == 0))
    row = fallbacks->unavailable;
  else if (row == NULL)
    row = fallbacks->no_code;

  return gk_aws_error_new_from_row (domain, row, (const char * const *) all->pdata);
}
