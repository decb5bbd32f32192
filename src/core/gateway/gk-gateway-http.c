/* gk-gateway-http.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-gateway-http.h"

/* RFC 9110 5.6.2: the characters of a token (method and field names). */
static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static void
refuse (GkGatewayRefusal *refusal,
        guint             status,
        const char       *reason)
{
  if (refusal != NULL)
    {
      refusal->status = status;
      refusal->reason = reason;
    }
}

/**
 * gk_gateway_http_find_head_end:
 * @data: what arrived so far on a connection
 *
 * Returns: the length of the head including its closing empty line, 0 when
 *   more bytes are needed, or -1 with @refusal set when the head can no
 *   longer become acceptable (too long a request line or head)
 */
gssize
gk_gateway_http_find_head_end (const char       *data,
                               gsize             len,
                               GkGatewayRefusal *refusal)
{
  const char *line_end = memchr (data, '\n', MIN (len, GK_GATEWAY_MAX_REQUEST_LINE + 1));
  const char *end;

  /* Decided as soon as the request line is too long, so a client cannot
   * make the gateway hold 16 KiB of one endless line per connection. */
  if (line_end == NULL && len > GK_GATEWAY_MAX_REQUEST_LINE)
    {
      refuse (refusal, 414, N_("The request line is too long to be a gateway link."));
      return -1;
    }

  end = g_strstr_len (data, MIN (len, GK_GATEWAY_MAX_HEAD), "\r\n\r\n");
  if (end != NULL)
    return end - data + 4;
  if (len >= GK_GATEWAY_MAX_HEAD)
    {
      refuse (refusal, 431, N_("The request's header fields are too large."));
      return -1;
    }
  return 0;
}

static gboolean
has_token (const char *list,
           const char *token)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (parts[i]), token) == 0)
      return TRUE;
  return FALSE;
}

static GkGatewayMethod
method_from_name (const char *name)
{
  /* Methods are case-sensitive (RFC 9110 9.1): "get" is not GET. */
  if (strcmp (name, "GET") == 0)
    return GK_GATEWAY_METHOD_GET;
  if (strcmp (name, "HEAD") == 0)
    return GK_GATEWAY_METHOD_HEAD;
  if (strcmp (name, "OPTIONS") == 0)
    return GK_GATEWAY_METHOD_OPTIONS;
  return GK_GATEWAY_METHOD_OTHER;
}

static gboolean
parse_request_line (GkGatewayRequest *request,
                    char             *line,
                    GkGatewayRefusal *refusal)
{
  char *sp1 = strchr (line, ' ');
  char *sp2 = sp1 != NULL ? strchr (sp1 + 1, ' ') : NULL;
  const char *version;

  if (sp1 == NULL || sp2 == NULL || strchr (sp2 + 1, ' ') != NULL || sp1 == line || sp2 == sp1 + 1)
    {
      refuse (refusal, 400, N_("The request line is not METHOD TARGET HTTP/1.1."));
      return FALSE;
    }
  *sp1 = '\0';
  *sp2 = '\0';
  version = sp2 + 1;

  for (const char *p = line; *p != '\0'; p++)
    if (!is_tchar (*p))
      {
        refuse (refusal, 400, N_("The request method is not a token."));
        return FALSE;
      }
  /* Visible ASCII only: a space, a control byte or raw UTF-8 in a target
   * is a client bug or an attempt to split the line differently than a
   * proxy in front would. */
  for (const char *p = sp1 + 1; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
      {
        refuse (refusal, 400, N_("The request target holds a byte that must be percent-encoded."));
        return FALSE;
      }

  if (strcmp (version, "HTTP/1.1") == 0)
    request->http11 = TRUE;
  else if (strcmp (version, "HTTP/1.0") == 0)
    request->http11 = FALSE;
  else
    {
      refuse (refusal, 505, N_("Only HTTP/1.1 and HTTP/1.0 are spoken here."));
      return FALSE;
    }

  request->method_name = g_strdup (line);
  request->method = method_from_name (line);
  request->target = g_strdup (sp1 + 1);
  return TRUE;
}

static gboolean
parse_header_line (GkGatewayRequest *request,
                   char             *line,
                   GkGatewayRefusal *refusal)
{
  char *colon;
  char *value;
  char *end;

  /* Obsolete line folding (RFC 9112 5.2) lets a header hide in the
   * previous one's value; nobody needs it. */
  if (line[0] == ' ' || line[0] == '\t')
    {
      refuse (refusal, 400, N_("Folded header lines are not accepted."));
      return FALSE;
    }
  colon = strchr (line, ':');
  if (colon == NULL || colon == line)
    {
      refuse (refusal, 400, N_("A header line has no field name."));
      return FALSE;
    }
  /* "Host : x" (whitespace before the colon) is what request smuggling
   * uses to make two parsers disagree; RFC 9112 5.1 says reject it. */
  for (char *p = line; p < colon; p++)
    {
      if (!is_tchar (*p))
        {
          refuse (refusal, 400, N_("A header field name holds a character that is not allowed."));
          return FALSE;
        }
      *p = g_ascii_tolower (*p);
    }
  *colon = '\0';
  value = colon + 1;
  for (char *p = value; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
      {
        refuse (refusal, 400, N_("A header value holds a control character."));
        return FALSE;
      }
  while (*value == ' ' || *value == '\t')
    value++;
  end = value + strlen (value);
  while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
    *--end = '\0';

  if (request->n_headers == GK_GATEWAY_MAX_HEADERS)
    {
      refuse (refusal, 431, N_("The request has too many header fields."));
      return FALSE;
    }
  request->headers[request->n_headers++] = (GkGatewayHeader) { line, value };
  return TRUE;
}

/**
 * gk_gateway_request_parse:
 * @head: a complete head, as measured by gk_gateway_http_find_head_end()
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with @refusal
 *   set
 */
GkGatewayRequest *
gk_gateway_request_parse (const char       *head,
                          gsize             len,
                          GkGatewayRefusal *refusal)
{
  g_autoptr(GkGatewayRequest) request = g_new0 (GkGatewayRequest, 1);
  const char *connection;
  const char *length;
  char *line;
  char *next;
  gboolean first = TRUE;

  g_return_val_if_fail (len >= 4 && memcmp (head + len - 4, "\r\n\r\n", 4) == 0, NULL);

  if (memchr (head, '\0', len) != NULL)
    {
      refuse (refusal, 400, N_("The request holds a NUL byte."));
      return NULL;
    }
  request->storage = g_strndup (head, len - 2);

  for (line = request->storage; *line != '\0'; line = next)
    {
      char *crlf = strstr (line, "\r\n");

      /* A bare CR or LF inside a line would end it for some parsers and
       * not for others. */
      *crlf = '\0';
      next = crlf + 2;
      if (strpbrk (line, "\r\n") != NULL)
        {
          refuse (refusal, 400, N_("A line ends in a bare CR or LF rather than CRLF."));
          return NULL;
        }
      if (first)
        {
          if (strlen (line) > GK_GATEWAY_MAX_REQUEST_LINE)
            {
              refuse (refusal, 414, N_("The request line is too long to be a gateway link."));
              return NULL;
            }
          if (!parse_request_line (request, line, refusal))
            return NULL;
          first = FALSE;
        }
      else if (!parse_header_line (request, line, refusal))
        return NULL;
    }

  /* Requests to the gateway never have a body; refusing one outright
   * means no body is ever left on the connection to be read as the next
   * request. */
  if (gk_gateway_request_get_header (request, "transfer-encoding") != NULL)
    {
      refuse (refusal, 400, N_("Requests to the gateway have no body (Transfer-Encoding)."));
      return NULL;
    }
  length = gk_gateway_request_get_header (request, "content-length");
  if (gk_gateway_request_count_header (request, "content-length") > 1 ||
      (length != NULL && strcmp (length, "0") != 0))
    {
      refuse (refusal, 400, N_("Requests to the gateway have no body (Content-Length)."));
      return NULL;
    }

  connection = gk_gateway_request_get_header (request, "connection");
  if (request->http11)
    request->keep_alive = connection == NULL || !has_token (connection, "close");
  else
    request->keep_alive = connection != NULL && has_token (connection, "keep-alive");

  return g_steal_pointer (&request);
}

void
gk_gateway_request_free (GkGatewayRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method_name);
  g_free (request->target);
  g_free (request->storage);
  g_free (request);
}

/**
 * gk_gateway_request_get_header:
 * @lower_name: the field name in lower case
 *
 * Returns: (nullable): the first value of the field
 */
const char *
gk_gateway_request_get_header (const GkGatewayRequest *request,
                               const char             *lower_name)
{
  for (guint i = 0; i < request->n_headers; i++)
    if (strcmp (request->headers[i].name, lower_name) == 0)
      return request->headers[i].value;
  return NULL;
}

guint
gk_gateway_request_count_header (const GkGatewayRequest *request,
                                 const char             *lower_name)
{
  guint n = 0;

  for (guint i = 0; i < request->n_headers; i++)
    if (strcmp (request->headers[i].name, lower_name) == 0)
      n++;
  return n;
}

/* Digits only, at most 18 of them, so the value fits in a gint64. */
static gboolean
parse_position (const char **p,
                gint64      *out)
{
  const char *s = *p;
  gint64 v = 0;
  guint n = 0;

  while (g_ascii_isdigit (*s))
    {
      if (++n > 18)
        return FALSE;
      v = v * 10 + (*s - '0');
      s++;
    }
  if (n == 0)
    return FALSE;
  *p = s;
  *out = v;
  return TRUE;
}

/**
 * gk_gateway_range_parse:
 * @value: (nullable): the Range header's value
 *
 * One `bytes=FIRST-LAST`, `bytes=FIRST-` or `bytes=-SUFFIX` is served;
 * several ranges and anything else are refused by the caller.
 */
GkGatewayRangeKind
gk_gateway_range_parse (const char     *value,
                        GkGatewayRange *range)
{
  const char *p;

  *range = (GkGatewayRange) { -1, -1, 0 };
  if (value == NULL)
    return GK_GATEWAY_RANGE_NONE;
  /* The unit is case-insensitive (RFC 9110 14.1); whitespace around the
   * range spec is allowed. */
  if (g_ascii_strncasecmp (value, "bytes", 5) != 0)
    return GK_GATEWAY_RANGE_INVALID;
  p = value + 5;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p++ != '=')
    return GK_GATEWAY_RANGE_INVALID;
  if (strchr (p, ',') != NULL)
    return GK_GATEWAY_RANGE_MULTIPLE;
  while (*p == ' ' || *p == '\t')
    p++;

  if (*p == '-')
    {
      p++;
      if (!parse_position (&p, &range->suffix))
        return GK_GATEWAY_RANGE_INVALID;
    }
  else
    {
      if (!parse_position (&p, &range->first) || *p++ != '-')
        return GK_GATEWAY_RANGE_INVALID;
      if (g_ascii_isdigit (*p))
        {
          if (!parse_position (&p, &range->last) || range->last < range->first)
            return GK_GATEWAY_RANGE_INVALID;
        }
    }
  while (*p == ' ' || *p == '\t')
    p++;
  return *p == '\0' ? GK_GATEWAY_RANGE_ONE : GK_GATEWAY_RANGE_INVALID;
}

/**
 * gk_gateway_range_resolve:
 * @start: (out): the first byte to send
 * @end: (out): the last byte to send (inclusive)
 *
 * Returns: %FALSE when the range is unsatisfiable for an object of @size
 *   bytes (RFC 9110 14.1.1): a first byte at or past the end, a suffix of
 *   zero bytes, or any range of an empty object
 */
gboolean
gk_gateway_range_resolve (const GkGatewayRange *range,
                          guint64               size,
                          guint64              *start,
                          guint64              *end)
{
  if (size == 0)
    return FALSE;
  if (range->first < 0)
    {
      if (range->suffix <= 0)
        return FALSE;
      *start = (guint64) range->suffix >= size ? 0 : size - (guint64) range->suffix;
      *end = size - 1;
      return TRUE;
    }
  if ((guint64) range->first >= size)
    return FALSE;
  *start = range->first;
  *end = range->last < 0 || (guint64) range->last >= size ? size - 1 : (guint64) range->last;
  return TRUE;
}

/**
 * gk_gateway_content_range_parse:
 * @value: an upstream `Content-Range: bytes FIRST-LAST/SIZE`
 *
 * Returns: %FALSE unless @value is exactly that, with a known size
 */
gboolean
gk_gateway_content_range_parse (const char *value,
                                guint64    *start,
                                guint64    *end,
                                guint64    *size)
{
  const char *p = value;
  gint64 a, b, n;

  if (value == NULL || g_ascii_strncasecmp (p, "bytes ", 6) != 0)
    return FALSE;
  p += 6;
  if (!parse_position (&p, &a) || *p++ != '-' || !parse_position (&p, &b) || *p++ != '/' ||
      !parse_position (&p, &n) || *p != '\0' || b < a || b >= n)
    return FALSE;
  *start = a;
  *end = b;
  *size = n;
  return TRUE;
}

const char *
gk_gateway_http_status_phrase (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 421: return "Misdirected Request";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}
