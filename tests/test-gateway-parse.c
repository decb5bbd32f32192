/* test-gateway-parse.c: the gateway's pure parts: request heads and their
 * limits, byte ranges, capabilities and the one spelling of a link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-gateway-capability.h"
#include "gk-gateway-error.h"
#include "gk-gateway-http.h"

static const guint8 SECRET[GK_GATEWAY_SECRET_SIZE] = "0123456789abcdef0123456789abcde";
static const guint8 OTHER_SECRET[GK_GATEWAY_SECRET_SIZE] = "fedcba9876543210fedcba987654321";

/* ---- request heads ---------------------------------------------------------- */

static GkGatewayRequest *
parse (const char *head,
       guint      *status)
{
  GkGatewayRefusal refusal = { 0, NULL };
  gssize len = gk_gateway_http_find_head_end (head, strlen (head), &refusal);
  GkGatewayRequest *request;

  g_assert_cmpint (len, ==, strlen (head));
  request = gk_gateway_request_parse (head, len, &refusal);
  if (status != NULL)
    *status = request != NULL ? 0 : refusal.status;
  if (request == NULL)
    g_assert_nonnull (refusal.reason);
  return request;
}

static void
test_http_well_formed (void)
{
  g_autoptr(GkGatewayRequest) r = parse ("GET /a/b HTTP/1.1\r\nHost: 127.0.0.1:28151\r\n"
                                         "RANGE:  bytes=0-9 \t\r\nOrigin: https://igv.org\r\n\r\n",
                                         NULL);

  g_assert_nonnull (r);
  g_assert_cmpint (r->method, ==, GK_GATEWAY_METHOD_GET);
  g_assert_cmpstr (r->target, ==, "/a/b");
  g_assert_true (r->http11);
  g_assert_true (r->keep_alive);
  /* Names are matched case-insensitively, values trimmed. */
  g_assert_cmpstr (gk_gateway_request_get_header (r, "range"), ==, "bytes=0-9");
  g_assert_cmpstr (gk_gateway_request_get_header (r, "host"), ==, "127.0.0.1:28151");
  g_assert_null (gk_gateway_request_get_header (r, "cookie"));
}

static void
test_http_keep_alive_rules (void)
{
  g_autoptr(GkGatewayRequest) closing = parse ("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", NULL);
  g_autoptr(GkGatewayRequest) old = parse ("HEAD / HTTP/1.0\r\n\r\n", NULL);
  g_autoptr(GkGatewayRequest) old_kept = parse ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", NULL);
  g_autoptr(GkGatewayRequest) other = parse ("DELETE / HTTP/1.1\r\n\r\n", NULL);

  g_assert_false (closing->keep_alive);
  g_assert_false (old->keep_alive);
  g_assert_cmpint (old->method, ==, GK_GATEWAY_METHOD_HEAD);
  g_assert_true (old_kept->keep_alive);
  /* Unknown methods parse, so the gateway can answer 405 with Allow. */
  g_assert_cmpint (other->method, ==, GK_GATEWAY_METHOD_OTHER);
}

static void
test_http_refuses_ambiguous_heads (void)
{
  struct { const char *head; guint status; } cases[] = {
    /* Request smuggling: bodies, and headers two parsers would split apart. */
    { "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nX: \x01\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\n: empty\r\n\r\n", 400 },
    /* Request lines that are not one. */
    { "GET /  HTTP/1.1\r\n\r\n", 400 },
    { "GET /a b HTTP/1.1\r\n\r\n", 400 },
    { "GET /\xc3\xa9 HTTP/1.1\r\n\r\n", 400 },
    { "GET / HTTP/2.0\r\n\r\n", 505 },
    { "GET / http/1.1\r\n\r\n", 505 },
    { "G(T / HTTP/1.1\r\n\r\n", 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint status = 0;
      g_autoptr(GkGatewayRequest) r = NULL;

      g_test_message ("%s", cases[i].head);
      r = parse (cases[i].head, &status);
      g_assert_null (r);
      g_assert_cmpuint (status, ==, cases[i].status);
    }
}

static void
test_http_limits (void)
{
  GkGatewayRefusal refusal = { 0, NULL };
  g_autoptr(GString) line = g_string_new ("GET /");
  g_autoptr(GString) head = g_string_new ("GET / HTTP/1.1\r\n");
  g_autoptr(GString) many = g_string_new ("GET / HTTP/1.1\r\n");
  g_autoptr(GkGatewayRequest) r = NULL;
  gssize end;

  /* An endless request line is refused as soon as it passes the limit,
   * before the head limit: no 16 KiB held for one line. */
  while (line->len <= GK_GATEWAY_MAX_REQUEST_LINE)
    g_string_append_c (line, 'a');
  g_assert_cmpint (gk_gateway_http_find_head_end (line->str, line->len, &refusal), ==, -1);
  g_assert_cmpuint (refusal.status, ==, 414);

  /* Incomplete, under the limits: wait for more. */
  g_assert_cmpint (gk_gateway_http_find_head_end ("GET / HTTP/1.1\r\nHost: x\r\n", 25, &refusal), ==, 0);

  while (head->len < GK_GATEWAY_MAX_HEAD)
    g_string_append (head, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
  g_assert_cmpint (gk_gateway_http_find_head_end (head->str, head->len, &refusal), ==, -1);
  g_assert_cmpuint (refusal.status, ==, 431);

  for (guint i = 0; i <= GK_GATEWAY_MAX_HEADERS; i++)
    g_string_append_printf (many, "X-%u: v\r\n", i);
  g_string_append (many, "\r\n");
  end = gk_gateway_http_find_head_end (many->str, many->len, &refusal);
  g_assert_cmpint (end, ==, many->len);
  r = gk_gateway_request_parse (many->str, end, &refusal);
  g_assert_null (r);
  g_assert_cmpuint (refusal.status, ==, 431);
}

/* ---- ranges ------------------------------------------------------------------ */

static void
test_range_parse (void)
{
  struct { const char *value; GkGatewayRangeKind kind; gint64 first, last, suffix; } cases[] = {
    { NULL, GK_GATEWAY_RANGE_NONE, -1, -1, 0 },
    { "bytes=0-65535", GK_GATEWAY_RANGE_ONE, 0, 65535, 0 },
    { "bytes=100-", GK_GATEWAY_RANGE_ONE, 100, -1, 0 },
    { "bytes=-500", GK_GATEWAY_RANGE_ONE, -1, -1, 500 },
    { "Bytes = 7-7 ", GK_GATEWAY_RANGE_ONE, 7, 7, 0 },
    { "bytes=0-1,5-6", GK_GATEWAY_RANGE_MULTIPLE, -1, -1, 0 },
    { "bytes=0-1, 5-", GK_GATEWAY_RANGE_MULTIPLE, -1, -1, 0 },
    { "bytes=5-1", GK_GATEWAY_RANGE_INVALID, 0, 0, 0 },
    { "bytes=a-b", GK_GATEWAY_RANGE_INVALID, 0, 0, 0 },
    { "bytes=-", GK_GATEWAY_RANGE_INVALID, 0, 0, 0 },
    { "bytes=1-2x", GK_GATEWAY_RANGE_INVALID, 0, 0, 0 },
    { "items=0-1", GK_GATEWAY_RANGE_INVALID, 0, 0, 0 },
    { "bytes=0-1234567890123456789", GK_GATEWAY_RANGE_INVALID, 0, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GkGatewayRange range;

      g_test_message ("%s", cases[i].value ? cases[i].value : "(none)");
      g_assert_cmpint (gk_gateway_range_parse (cases[i].value, &range), ==, cases[i].kind);
      if (cases[i].kind == GK_GATEWAY_RANGE_ONE)
        {
          g_assert_cmpint (range.first, ==, cases[i].first);
          g_assert_cmpint (range.last, ==, cases[i].last);
          g_assert_cmpint (range.suffix, ==, cases[i].suffix);
        }
    }
}

static void
test_range_resolve (void)
{
  struct { const char *value; guint64 size; gboolean ok; guint64 start, end; } cases[] = {
    { "bytes=0-9", 100, TRUE, 0, 9 },
    { "bytes=90-200", 100, TRUE, 90, 99 },
    { "bytes=99-", 100, TRUE, 99, 99 },
    { "bytes=-10", 100, TRUE, 90, 99 },
    { "bytes=-1000", 100, TRUE, 0, 99 },
    { "bytes=100-", 100, FALSE, 0, 0 },
    { "bytes=100-200", 100, FALSE, 0, 0 },
    { "bytes=-0", 100, FALSE, 0, 0 },
    { "bytes=0-0", 0, FALSE, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GkGatewayRange range;
      guint64 start = 0, end = 0;

      g_assert_cmpint (gk_gateway_range_parse (cases[i].value, &range), ==, GK_GATEWAY_RANGE_ONE);
      g_assert_cmpint (gk_gateway_range_resolve (&range, cases[i].size, &start, &end), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_cmpuint (start, ==, cases[i].start);
          g_assert_cmpuint (end, ==, cases[i].end);
        }
    }
}

static void
test_content_range_parse (void)
{
  guint64 a, b, n;

  g_assert_true (gk_gateway_content_range_parse ("bytes 0-9/100", &a, &b, &n));
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 9);
  g_assert_cmpuint (n, ==, 100);
  g_assert_false (gk_gateway_content_range_parse ("bytes 0-9/*", &a, &b, &n));
  g_assert_false (gk_gateway_content_range_parse ("bytes 9-0/100", &a, &b, &n));
  g_assert_false (gk_gateway_content_range_parse ("bytes 0-100/100", &a, &b, &n));
  g_assert_false (gk_gateway_content_range_parse ("bytes */100", &a, &b, &n));
  g_assert_false (gk_gateway_content_range_parse (NULL, &a, &b, &n));
}

/* ---- capabilities and links ---------------------------------------------------- */

static void
test_capability_bound_to_one_object (void)
{
  char a[GK_GATEWAY_CAPABILITY_LEN + 1], again[GK_GATEWAY_CAPABILITY_LEN + 1];
  char other_key[GK_GATEWAY_CAPABILITY_LEN + 1], other_bucket[GK_GATEWAY_CAPABILITY_LEN + 1];
  char other_profile[GK_GATEWAY_CAPABILITY_LEN + 1], other_secret[GK_GATEWAY_CAPABILITY_LEN + 1];
  char shifted[GK_GATEWAY_CAPABILITY_LEN + 1];

  gk_gateway_capability_for_object (SECRET, "lab", "demo-lab", "c/S1.bam", a);
  gk_gateway_capability_for_object (SECRET, "lab", "demo-lab", "c/S1.bam", again);
  gk_gateway_capability_for_object (SECRET, "lab", "demo-lab", "c/S1.bam.bai", other_key);
  gk_gateway_capability_for_object (SECRET, "lab", "demo-lab2", "c/S1.bam", other_bucket);
  gk_gateway_capability_for_object (SECRET, "lab2", "demo-lab", "c/S1.bam", other_profile);
  gk_gateway_capability_for_object (OTHER_SECRET, "lab", "demo-lab", "c/S1.bam", other_secret);
  /* Fields cannot slide into each other. */
  gk_gateway_capability_for_object (SECRET, "lab", "demo-labc", "/S1.bam", shifted);

  g_assert_cmpuint (strlen (a), ==, GK_GATEWAY_CAPABILITY_LEN);
  g_assert_cmpuint (strspn (a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), ==,
                    GK_GATEWAY_CAPABILITY_LEN);
  g_assert_true (gk_gateway_capability_equal (a, again));
  g_assert_false (gk_gateway_capability_equal (a, other_key));
  g_assert_false (gk_gateway_capability_equal (a, other_bucket));
  g_assert_false (gk_gateway_capability_equal (a, other_profile));
  g_assert_false (gk_gateway_capability_equal (a, other_secret));
  g_assert_false (gk_gateway_capability_equal (a, shifted));
  g_assert_false (gk_gateway_capability_equal (a, "short"));
}

static void
test_capability_config_domain_separate (void)
{
  char object[GK_GATEWAY_CAPABILITY_LEN + 1], config[GK_GATEWAY_CAPABILITY_LEN + 1];

  /* The config "x" and the object s3://config/x.json are different things. */
  gk_gateway_capability_for_object (SECRET, "lab", "config", "x.json", object);
  gk_gateway_capability_for_config (SECRET, "lab", "x", config);
  g_assert_false (gk_gateway_capability_equal (object, config));
}

static char *
object_path (const char *bucket,
             const char *key)
{
  char capability[GK_GATEWAY_CAPABILITY_LEN + 1];
  GString *path = g_string_new (NULL);

  gk_gateway_capability_for_object (SECRET, "lab", bucket, key, capability);
  gk_gateway_append_object_path (path, capability, bucket, key);
  return g_string_free (path, FALSE);
}

static void
test_target_round_trip (void)
{
  const char *keys[] = { "c/S1.bam", "a b/é+ü=ሴ/x.bam", "folder/", "x%41y", "~tilde-_.bam" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *path = object_path ("demo-lab", keys[i]);
      g_auto(GkGatewayTarget) target = { 0 };
      const char *reason = NULL;

      g_test_message ("%s", path);
      g_assert_true (gk_gateway_target_parse (path, &target, &reason));
      g_assert_cmpstr (target.bucket, ==, "demo-lab");
      g_assert_cmpstr (target.key, ==, keys[i]);
      g_assert_null (target.config_name);
    }
}

static void
test_target_one_spelling_only (void)
{
  g_autofree char *good = object_path ("demo-lab", "a b/S1.bam");
  const char *tail = strstr (good, "/demo-lab/");
  g_autofree char *cap_part = g_strndup (good, tail - good);
  const char *bad_tails[] = {
    "/demo-lab/a%20b%2FS1.bam",   /* an encoded slash */
    "/demo-lab/a%20b/S1%2ebam",   /* lower-case hex, and an encoded unreserved byte */
    "/demo-lab/a+b/S1.bam",       /* '+' for a space */
    "/demo-lab/a%20b//S1.bam",    /* a double slash */
    "/demo-lab/a%20b/../S1.bam",  /* traversal */
    "/demo-lab/./a%20b/S1.bam",
    "/demo-lab/a%20b/S1.bam%00",  /* a NUL cutting the key */
    "/demo-lab/a%20b/S1.bam%",    /* broken encoding */
    "/demo-lab/a%20b/S1.bam?x=1", /* a query */
    "/demo-lab/a%20b/S1.bam#f",
    "/Demo-Lab/a%20b/S1.bam",     /* not a bucket name */
    "//demo-lab/a%20b/S1.bam",
    "/demo-lab/",
    "/demo-lab",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_tails); i++)
    {
      g_autofree char *path = g_strconcat (cap_part, bad_tails[i], NULL);
      g_auto(GkGatewayTarget) target = { 0 };
      const char *reason = NULL;

      g_test_message ("%s", bad_tails[i]);
      g_assert_false (gk_gateway_target_parse (path, &target, &reason));
      g_assert_nonnull (reason);
      g_assert_null (target.key);
    }

  {
    const char *bad[] = { "no-slash", "http://127.0.0.1/x", "/short/demo-lab/k",
                          "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!/demo-lab/k" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(GkGatewayTarget) target = { 0 };
        const char *reason = NULL;

        g_assert_false (gk_gateway_target_parse (bad[i], &target, &reason));
      }
  }
}

static void
test_target_config_form (void)
{
  char capability[GK_GATEWAY_CAPABILITY_LEN + 1];
  g_autoptr(GString) path = g_string_new (NULL);
  g_auto(GkGatewayTarget) target = { 0 };
  const char *reason = NULL;

  gk_gateway_capability_for_config (SECRET, "lab", "cohort-1", capability);
  gk_gateway_append_config_path (path, capability, "cohort-1");
  g_assert_true (gk_gateway_target_parse (path->str, &target, &reason));
  g_assert_cmpstr (target.config_name, ==, "cohort-1");
  /* Also an object address, should a bucket be called "config". */
  g_assert_cmpstr (target.bucket, ==, "config");
  g_assert_cmpstr (target.key, ==, "cohort-1.json");
}

static void
test_servable_keys (void)
{
  const char *good[] = { "a/b.bam", "folder/", "x..y/z", ".hidden/file", "a.../b" };
  const char *bad[] = { "a//b.bam", "/a.bam", "a/./b", "a/../b", "..", "./a", "a/..", "a/." };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (gk_gateway_key_is_servable ("demo-lab", good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (gk_gateway_key_is_servable ("demo-lab", bad[i], &error));
      g_assert_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_UNSERVABLE_KEY);
      g_assert_nonnull (strstr (error->message, "presigned link"));
    }
}

static void
test_config_names (void)
{
  const char *good[] = { "cohort-1", "S1_2024.v2", "a" };
  const char *bad[] = { "", ".hidden", "../x", "a/b", "a b", "é" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (gk_gateway_config_name_is_valid (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (gk_gateway_config_name_is_valid (bad[i], &error));
      g_assert_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_INVALID_CONFIG_NAME);
    }
}

static void
test_secret_round_trip (void)
{
  guint8 a[GK_GATEWAY_SECRET_SIZE], b[GK_GATEWAY_SECRET_SIZE], c[GK_GATEWAY_SECRET_SIZE];
  g_autofree char *text = NULL;

  gk_gateway_secret_generate (a);
  gk_gateway_secret_generate (c);
  g_assert_true (memcmp (a, c, sizeof a) != 0);
  text = gk_gateway_secret_encode (a);
  g_assert_true (gk_gateway_secret_decode (text, b));
  g_assert_true (memcmp (a, b, sizeof a) == 0);
  g_assert_false (gk_gateway_secret_decode ("c2hvcnQ=", b));
  g_assert_false (gk_gateway_secret_decode ("not base64 at all, but 44 characters long!!", b));
  g_assert_false (gk_gateway_secret_decode (NULL, b));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gateway/http/well-formed", test_http_well_formed);
  g_test_add_func ("/gateway/http/keep-alive-rules", test_http_keep_alive_rules);
  g_test_add_func ("/gateway/http/refuses-ambiguous-heads", test_http_refuses_ambiguous_heads);
  g_test_add_func ("/gateway/http/limits", test_http_limits);
  g_test_add_func ("/gateway/range/parse", test_range_parse);
  g_test_add_func ("/gateway/range/resolve", test_range_resolve);
  g_test_add_func ("/gateway/range/content-range", test_content_range_parse);
  g_test_add_func ("/gateway/capability/bound-to-one-object", test_capability_bound_to_one_object);
  g_test_add_func ("/gateway/capability/config-domain-separate", test_capability_config_domain_separate);
  g_test_add_func ("/gateway/target/round-trip", test_target_round_trip);
  g_test_add_func ("/gateway/target/one-spelling-only", test_target_one_spelling_only);
  g_test_add_func ("/gateway/target/config-form", test_target_config_form);
  g_test_add_func ("/gateway/target/servable-keys", test_servable_keys);
  g_test_add_func ("/gateway/target/config-names", test_config_names);
  g_test_add_func ("/gateway/secret/round-trip", test_secret_round_trip);

  return g_test_run ();
}
