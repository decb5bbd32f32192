/* gk-gateway-http.h: the small, strict slice of HTTP/1.1 the gateway speaks
 *
 * Pure functions over bytes: finding and parsing a request head with hard
 * limits, the Range header, and the refusals each malformed piece earns.
 * Genome browsers (Java's HttpURLConnection in IGV, XHR and fetch in
 * igv.js and gosling) send short, well-formed GET, HEAD and OPTIONS
 * requests without bodies; everything else is refused rather than guessed
 * at, because a lenient parser in front of a bearer capability is how
 * request smuggling and cache confusion start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A request line longer than this is refused (414). Links are at most
 * "/" + capability + "/" + bucket (63) + "/" + a 1,024-byte key encoded as
 * %XX (3 × 1,024), so about 3.2 KiB. */
#define GK_GATEWAY_MAX_REQUEST_LINE 4096
/* The whole head (request line and headers) must fit in this (431). */
#define GK_GATEWAY_MAX_HEAD         16384
/* More header fields than a browser ever sends (431). */
#define GK_GATEWAY_MAX_HEADERS      64

typedef enum
{
  GK_GATEWAY_METHOD_OTHER,
  GK_GATEWAY_METHOD_GET,
  GK_GATEWAY_METHOD_HEAD,
  GK_GATEWAY_METHOD_OPTIONS,
} GkGatewayMethod;

typedef struct
{
  const char *name;   /* lower-case */
  const char *value;  /* without surrounding whitespace */
} GkGatewayHeader;

typedef struct
{
  GkGatewayMethod method;
  char *method_name;
  char *target;        /* the request target exactly as sent */
  gboolean http11;     /* HTTP/1.1 (keep-alive by default) rather than 1.0 */
  gboolean keep_alive; /* what the client asked for */
  GkGatewayHeader headers[GK_GATEWAY_MAX_HEADERS];
  guint n_headers;
  char *storage;       /* the head's bytes, which headers point into */
} GkGatewayRequest;

/* Why a head was refused: the HTTP status to answer with, and the reason
 * given in the one-line body. */
typedef struct
{
  guint status;
  const char *reason; /* marked for translation, translated when answered */
} GkGatewayRefusal;

typedef enum
{
  GK_GATEWAY_RANGE_NONE,     /* no Range header: the whole object */
  GK_GATEWAY_RANGE_ONE,      /* one byte range */
  GK_GATEWAY_RANGE_MULTIPLE, /* several ranges: refused with 416 */
  GK_GATEWAY_RANGE_INVALID,  /* not a byte range at all: refused with 400 */
} GkGatewayRangeKind;

typedef struct
{
  /* first-last (last -1: to the end), or the last @suffix bytes when
   * first is -1. */
  gint64 first;
  gint64 last;
  gint64 suffix;
} GkGatewayRange;

gssize            gk_gateway_http_find_head_end (const char              *data,
                                                 gsize                    len,
                                                 GkGatewayRefusal        *refusal);
GkGatewayRequest *gk_gateway_request_parse      (const char              *head,
                                                 gsize                    len,
                                                 GkGatewayRefusal        *refusal);
void              gk_gateway_request_free       (GkGatewayRequest        *request);
const char       *gk_gateway_request_get_header (const GkGatewayRequest  *request,
                                                 const char              *lower_name);
guint             gk_gateway_request_count_header (const GkGatewayRequest *request,
                                                   const char             *lower_name);

GkGatewayRangeKind gk_gateway_range_parse       (const char              *value,
                                                 GkGatewayRange          *range);
gboolean          gk_gateway_range_resolve      (const GkGatewayRange    *range,
                                                 guint64                  size,
                                                 guint64                 *start,
                                                 guint64                 *end);
gboolean          gk_gateway_content_range_parse (const char             *value,
                                                  guint64                *start,
                                                  guint64                *end,
                                                  guint64                *size);

const char       *gk_gateway_http_status_phrase (guint                    status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkGatewayRequest, gk_gateway_request_free)

G_END_DECLS
