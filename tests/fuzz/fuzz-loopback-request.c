/* fuzz-loopback-request.c: any HTTP request a local program or a web page
 * can send to the sign-in listener on localhost:60151
 *
 * The request goes through libsoup's own header parser, and the URI is
 * built the way SoupServer 3.2 builds it before any handler runs
 * (parse_headers, then got_headers' path decoding); then the listener's
 * judgement, gk_loopback_judge_request(), decides. Checked: only a GET of
 * the exact path, on a loopback Host with our port, without a body, with
 * our state can end the sign-in; every answer is a known page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gk-loopback-private.h"
#include "gk-oauth.h"

#define PORT  60151
#define PATH  "/oauthCallback"
#define STATE "Zm9vYmFyLXN0YXRlLTEyOC1iaXRzLW9mLXJhbmRvbQ"

/* libsoup's SOUP_HTTP_URI_FLAGS, which it keeps private. */
#define HTTP_URI_FLAGS (G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_PATH \
                        | G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_ENCODED_FRAGMENT \
                        | G_URI_FLAGS_SCHEME_NORMALIZE)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* The request URI as SoupServer 3.2 makes it from the request line and
 * Host, or NULL where it answers 400 itself and no handler runs. */
static GUri *
server_uri (const char         *method,
            const char         *target,
            SoupMessageHeaders *headers,
            SoupHTTPVersion     version)
{
  const char *host = soup_message_headers_get_one (headers, "Host");
  g_autoptr(GUri) uri = NULL;
  g_autofree char *decoded = NULL;

  if (host != NULL && strchr (host, '/') != NULL)
    return NULL;
  if (g_str_equal (target, "*") && host != NULL)
    {
      g_autofree char *url = g_strdup_printf ("http://%s/", host);

      uri = g_uri_parse (url, HTTP_URI_FLAGS, NULL);
    }
  else if (g_str_equal (method, "CONNECT"))
    return NULL; /* an authority, never our path */
  else if (*target != '/')
    uri = g_uri_parse (target, HTTP_URI_FLAGS, NULL);
  else if (host != NULL)
    {
      g_autofree char *url = g_strdup_printf ("http://%s%s", host, target);

      uri = g_uri_parse (url, HTTP_URI_FLAGS, NULL);
    }
  else if (version == SOUP_HTTP_1_0)
    uri = g_uri_build (HTTP_URI_FLAGS, "http", NULL, "127.0.0.1", PORT, target, NULL, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL
      || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return NULL;

  /* got_headers: the path decoded, no new ".." segments. */
  decoded = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  if (decoded == NULL || strstr (decoded, "/../") != NULL || g_str_has_suffix (decoded, "/.."))
    return NULL;
  return soup_uri_copy (uri, SOUP_URI_PATH, decoded, SOUP_URI_NONE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *method = NULL, *target = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GkLoopbackVerdict) verdict = { 0 };
  SoupHTTPVersion version;
  guint status;

  /* libsoup reads up to the blank line and parses that block. */
  if (size > G_MAXINT)
    return 0;
  status = soup_headers_parse_request ((const char *) data, (int) size, headers,
                                       &method, &target, &version);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    return 0;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_UNRECOGNIZED)
    return 0;
  uri = server_uri (method, target, headers, version);

  gk_loopback_judge_request (method, headers, uri, PORT, PATH, STATE, &verdict);

  FUZZ_CHECK (verdict.page <= GK_LOOPBACK_PAGE_ALREADY_USED, "an unknown page %d", verdict.page);
  FUZZ_CHECK (verdict.status >= 200 && verdict.status < 600, "HTTP status %u", verdict.status);
  if (!verdict.final)
    {
      FUZZ_CHECK (verdict.code == NULL && verdict.error == NULL, "a refusal with a result");
      FUZZ_CHECK (verdict.status != SOUP_STATUS_OK, "a refusal answered 200");
      return 0;
    }

  /* Only the real callback may end the sign-in. */
  FUZZ_CHECK (g_str_equal (method, "GET"), "a %s request ended the sign-in", method);
  FUZZ_CHECK (uri != NULL && g_str_equal (g_uri_get_path (uri), PATH),
              "a request for another path ended the sign-in");
  FUZZ_CHECK (g_uri_get_port (uri) == PORT, "a request for port %d ended the sign-in",
              g_uri_get_port (uri));
  FUZZ_CHECK (g_ascii_strcasecmp (g_uri_get_host (uri), "localhost") == 0
              || g_str_equal (g_uri_get_host (uri), "127.0.0.1")
              || g_str_equal (g_uri_get_host (uri), "::1") || g_str_equal (g_uri_get_host (uri), "[::1]"),
              "a request for host %s ended the sign-in", g_uri_get_host (uri));
  {
    const char *host = soup_message_headers_get_one (headers, "Host");

    FUZZ_CHECK (host != NULL && (g_ascii_strcasecmp (host, "localhost:60151") == 0
                                 || g_str_equal (host, "127.0.0.1:60151")
                                 || g_str_equal (host, "[::1]:60151")),
                "a request with Host %s ended the sign-in", host != NULL ? host : "(none)");
  }
  FUZZ_CHECK (soup_message_headers_get_content_length (headers) <= 0
              && soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CHUNKED,
              "a request with a body ended the sign-in");
  FUZZ_CHECK ((verdict.code != NULL) != (verdict.error != NULL),
              "the sign-in ended with both or neither of a code and an error");
  if (verdict.error != NULL)
    fuzz_check_error (verdict.error, GK_OAUTH_ERROR);
  return 0;
}
