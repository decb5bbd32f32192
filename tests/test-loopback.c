/* test-loopback.c: real HTTP requests, good and bad, to the live listener
 *
 * The requests are written by hand on a plain socket (in a thread, as the
 * listener runs on this thread's main loop), so paths like
 * /oauthCallback/../x reach the listener exactly as written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-loopback.h"
#include "gk-oauth.h"
#include "gk-test.h"

#define STATE "c3RhdGUtb2YtMTI4LWJpdHMtb3ItbW9yZS14eXo"
#define PATH  "/oauthCallback"

/* ------------------------------------------------------------------ */
/* A raw HTTP client in a thread                                       */

typedef struct
{
  GSocketFamily family;
  guint16 port;
  char *request;
  gsize request_len;
  GString *response;
  gboolean connected;
  gint done;
} RawRequest;

static gpointer
raw_request_thread (gpointer data)
{
  RawRequest *rr = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (rr->family);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (lo, rr->port);
  g_autoptr(GSocketConnection) connection = NULL;
  GSocket *socket;
  gsize sent = 0;
  char buf[4096];

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, NULL);
  if (connection != NULL)
    {
      rr->connected = TRUE;
      socket = g_socket_connection_get_socket (connection);
      g_socket_set_timeout (socket, 10);
      while (sent < rr->request_len)
        {
          gssize n = g_socket_send (socket, rr->request + sent, rr->request_len - sent, NULL, NULL);

          if (n <= 0)
            break;
          sent += n;
        }
      for (;;)
        {
          gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);

          if (n <= 0)
            break;
          g_string_append_len (rr->response, buf, n);
        }
    }

  g_atomic_int_set (&rr->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Returns the whole response ("" if the server closed without one), or
 * NULL if the connection was refused. */
static char *
raw_request_family (GSocketFamily family,
                    guint16       port,
                    const char   *request,
                    gsize         length)
{
  RawRequest rr = { family, port, (char *) request, length, g_string_new (NULL), FALSE, 0 };
  GThread *thread = g_thread_new ("raw-request", raw_request_thread, &rr);

  gk_test_wait_until_msg (g_atomic_int_get (&rr.done), "the raw HTTP request's answer");
  g_thread_join (thread);

  if (!rr.connected)
    {
      g_string_free (rr.response, TRUE);
      return NULL;
    }
  return g_string_free (rr.response, FALSE);
}

static char *
raw_request (guint16     port,
             const char *request)
{
  return raw_request_family (G_SOCKET_FAMILY_IPV4, port, request, strlen (request));
}

static char *
get (guint16     port,
     const char *target)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: localhost:%u\r\n"
                                              "User-Agent: test\r\nConnection: close\r\n\r\n",
                                              target, port);

  return raw_request (port, request);
}

static guint
status_of (const char *response)
{
  g_assert_nonnull (response);
  if (!g_str_has_prefix (response, "HTTP/1.1 ") && !g_str_has_prefix (response, "HTTP/1.0 "))
    return 0;
  return (guint) g_ascii_strtoull (response + 9, NULL, 10);
}

static const char *
body_of (const char *response)
{
  const char *body = strstr (response, "\r\n\r\n");

  return body != NULL ? body + 4 : "";
}

/* ------------------------------------------------------------------ */
/* Waiting                                                             */

typedef struct
{
  GkLoopback *loopback;
  GAsyncResult *result;
} Wait;

static void
wait_start (Wait         *w,
            GkLoopback   *loopback,
            guint         timeout,
            GCancellable *cancellable)
{
  w->loopback = loopback;
  w->result = NULL;
  gk_loopback_wait_async (loopback, timeout, cancellable, gk_test_store_result_cb, &w->result);
}

static char *
wait_finish (Wait    *w,
             GError **error)
{
  char *code;

  code = gk_loopback_wait_finish (w->loopback, gk_test_wait_for_result (&w->result), error);
  g_clear_object (&w->result);
  return code;
}

typedef struct
{
  gint64 last;
  gint64 longest;
} Ticker;

static gboolean
on_tick_cb (gpointer data)
{
  Ticker *ticker = data;
  gint64 now = g_get_monotonic_time ();

  ticker->longest = MAX (ticker->longest, now - ticker->last);
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

/* Creates the listener as the session does, with the main loop turning;
 * @longest_stall (optional) is the longest the loop went without a turn. */
static GkLoopback *
create_loopback (guint16        port,
                 GCancellable  *cancellable,
                 gint64        *longest_stall,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Ticker ticker = { g_get_monotonic_time (), 0 };
  guint tick_id = g_timeout_add (10, on_tick_cb, &ticker);

  gk_loopback_new_async (port, PATH, STATE, cancellable, gk_test_store_result_cb, &result);
  gk_test_wait_for_result (&result);
  g_source_remove (tick_id);
  on_tick_cb (&ticker);
  if (longest_stall != NULL)
    *longest_stall = ticker.longest;
  return gk_loopback_new_finish (result, error);
}

static GkLoopback *
new_loopback (void)
{
  g_autoptr(GError) error = NULL;
  GkLoopback *loopback = create_loopback (0, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (loopback);
  g_assert_cmpuint (gk_loopback_get_port (loopback), >, 0);
  g_assert_true (gk_loopback_is_listening (loopback));
  return loopback;
}

/* The legitimate callback still completes, and then the port is closed. */
static void
assert_legit_callback_completes (GkLoopback *loopback,
                                 Wait       *w)
{
  guint16 port = gk_loopback_get_port (loopback);
  g_autofree char *response = get (port, PATH "?code=the-code&state=" STATE);
  g_autofree char *code = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (status_of (response), ==, 200);
  g_assert_nonnull (strstr (body_of (response), "Signed in — you can close this tab and return to Genokey"));
  g_assert_null (strstr (response, "the-code"));

  code = wait_finish (w, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "the-code");
  g_assert_false (gk_loopback_is_listening (loopback));

  /* a second callback after success finds the port closed */
  again = get (port, PATH "?code=the-code&state=" STATE);
  g_assert_null (again);
}

static void
assert_bad_then_legit (const char *request_fmt,
                       guint       expected_status)
{
  g_autoptr(GkLoopback) loopback = new_loopback ();
  guint16 port = gk_loopback_get_port (loopback);
  g_autofree char *request = NULL;
  g_autofree char *response = NULL;
  Wait w;

  wait_start (&w, loopback, 30, NULL);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  request = g_strdup_printf (request_fmt, port);
#pragma GCC diagnostic pop

  response = raw_request (port, request);
  g_assert_nonnull (response);
  g_assert_cmpuint (status_of (response), ==, expected_status);
  g_assert_null (strstr (response, "Signed in"));
  /* nothing of the request is echoed */
  g_assert_null (strstr (body_of (response), "code"));
  g_assert_null (strstr (body_of (response), "evil"));
  g_assert_null (strstr (body_of (response), "oauthCallback"));
  g_assert_null (strstr (body_of (response), "OAUTHCALLBACK"));
  g_assert_true (gk_loopback_is_listening (loopback));

  assert_legit_callback_completes (loopback, &w);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void
test_loopback_valid_callback (void)
{
  g_autoptr(GkLoopback) loopback = new_loopback ();
  Wait w;

  wait_start (&w, loopback, 30, NULL);
  assert_legit_callback_completes (loopback, &w);
}

static void
test_loopback_callback_before_wait (void)
{
  /* the browser may be quicker than the caller's wait_async */
  g_autoptr(GkLoopback) loopback = new_loopback ();
  g_autofree char *response = get (gk_loopback_get_port (loopback), PATH "?state=" STATE "&code=early");
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  Wait w;

  g_assert_cmpuint (status_of (response), ==, 200);
  wait_start (&w, loopback, 30, NULL);
  code = wait_finish (&w, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "early");
  g_assert_false (gk_loopback_is_listening (loopback));
}

static void
test_loopback_wrong_state (void)
{
  assert_bad_then_legit ("GET " PATH "?code=evil-code&state=d3Jvbmc HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", 400);
}

static void
test_loopback_missing_state (void)
{
  assert_bad_then_legit ("GET " PATH "?code=evil-code HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", 400);
}

static void
test_loopback_repeated_state (void)
{
  assert_bad_then_legit ("GET " PATH "?code=evil-code&state=" STATE "&state=" STATE " HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n\r\n", 400);
}

static void
test_loopback_access_denied_without_state_ignored (void)
{
  assert_bad_then_legit ("GET " PATH "?error=access_denied HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", 400);
}

static void
test_loopback_access_denied (void)
{
  g_autoptr(GkLoopback) loopback = new_loopback ();
  guint16 port = gk_loopback_get_port (loopback);
  g_autofree char *response = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  Wait w;

  wait_start (&w, loopback, 30, NULL);
  response = get (port, PATH "?error=access_denied&error_description=User+cancelled&state=" STATE);
  g_assert_cmpuint (status_of (response), ==, 200);
  g_assert_nonnull (strstr (body_of (response), "Sign-in did not complete"));
  g_assert_null (strstr (response, "cancelled"));

  code = wait_finish (&w, &error);
  g_assert_null (code);
  g_assert_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_ACCESS_DENIED);
  g_assert_false (gk_loopback_is_listening (loopback));
  g_clear_pointer (&response, g_free);
  response = get (port, PATH "?code=late&state=" STATE);
  g_assert_null (response);
}

static void
test_loopback_html_description_not_reflected (void)
{
  const char *description = "%3Cscript%3Ealert(%27evil%27)%3C%2Fscript%3E%3Cb%3Ebold%3C%2Fb%3E";
  g_auto(GStrv) pieces = g_strsplit (description, "%", -1);
  g_autofree char *doubled = g_strjoinv ("%%", pieces); /* it becomes a format */
  g_autofree char *bad = g_strdup_printf ("GET " PATH "?error=access_denied&error_description=%s&state=d3Jvbmc HTTP/1.1\r\n"
                                          "Host: localhost:%%u\r\nConnection: close\r\n\r\n", doubled);
  g_autoptr(GkLoopback) loopback = NULL;
  g_autofree char *target = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GError) error = NULL;
  Wait w;

  /* with a wrong state: ignored, not reflected, the real callback still works */
  assert_bad_then_legit (bad, 400);

  /* with our state: final, and still not reflected in the page */
  loopback = new_loopback ();
  wait_start (&w, loopback, 30, NULL);
  target = g_strdup_printf (PATH "?error=access_denied&error_description=%s&state=" STATE, description);
  response = get (gk_loopback_get_port (loopback), target);
  g_assert_cmpuint (status_of (response), ==, 200);
  g_assert_null (strstr (response, "<script"));
  g_assert_null (strstr (response, "alert"));
  g_assert_null (strstr (response, "<b>"));
  g_assert_null (strstr (response, "bold"));
  g_assert_null (wait_finish (&w, &error));
  g_assert_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_ACCESS_DENIED);
}

static void
test_loopback_post (void)
{
  assert_bad_then_legit ("POST " PATH "?code=evil-code&state=" STATE " HTTP/1.1\r\nHost: localhost:%u\r\n"
                         "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 27\r\nConnection: close\r\n\r\n"
                         "code=evil-code&state=" "xxxxxx", 405);
}

static void
test_loopback_dot_dot_path (void)
{
  assert_bad_then_legit ("GET " PATH "/../x?code=evil-code&state=" STATE " HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", 404);
}

static void
test_loopback_uppercase_path (void)
{
  assert_bad_then_legit ("GET /OAUTHCALLBACK?code=evil-code&state=" STATE " HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", 404);
}

static void
test_loopback_other_paths (void)
{
  assert_bad_then_legit ("GET " PATH "/?code=evil-code&state=" STATE " HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", 404);
  assert_bad_then_legit ("GET /favicon.ico HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", 404);
}

static void
test_loopback_foreign_host (void)
{
  assert_bad_then_legit ("GET " PATH "?code=evil-code&state=" STATE " HTTP/1.1\r\nHost: evil.example:%u\r\nConnection: close\r\n\r\n", 400);
  /* right name, wrong port */
  assert_bad_then_legit ("GET " PATH "?code=evil-code&state=" STATE " HTTP/1.1\r\nHost: localhost:1%u\r\nConnection: close\r\n\r\n", 400);
  /* absolute-form naming another host */
  assert_bad_then_legit ("GET http://evil.example:%u" PATH "?code=evil-code&state=" STATE " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", 400);
}

static void
test_loopback_huge_request_line (void)
{
  g_autoptr(GkLoopback) loopback = new_loopback ();
  guint16 port = gk_loopback_get_port (loopback);
  GString *request = g_string_new ("GET " PATH "?code=evil-code&state=" STATE "&pad=");
  g_autofree char *response = NULL;
  Wait w;

  wait_start (&w, loopback, 30, NULL);
  while (request->len < 1024 * 1024)
    g_string_append (request, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_string_append_printf (request, " HTTP/1.1\r\nHost: localhost:%u\r\nConnection: close\r\n\r\n", port);

  response = raw_request (port, request->str);
  g_string_free (request, TRUE);
  /* refused (or cut off) without a success page, and the listener lives on */
  g_assert_nonnull (response);
  g_assert_null (strstr (response, "Signed in"));
  if (*response != '\0')
    g_assert_cmpuint (status_of (response), >=, 400);
  g_assert_true (gk_loopback_is_listening (loopback));

  assert_legit_callback_completes (loopback, &w);
}

static void
test_loopback_ipv6 (void)
{
  g_autoptr(GkLoopback) loopback = new_loopback ();
  guint16 port = gk_loopback_get_port (loopback);
  g_autofree char *request = g_strdup_printf ("GET " PATH "?code=v6-code&state=" STATE " HTTP/1.1\r\n"
                                              "Host: [::1]:%u\r\nConnection: close\r\n\r\n", port);
  g_autofree char *response = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  Wait w;

  if (probe == NULL)
    {
      g_test_skip ("no IPv6 on this system");
      return;
    }

  wait_start (&w, loopback, 30, NULL);
  response = raw_request_family (G_SOCKET_FAMILY_IPV6, port, request, strlen (request));
  if (response == NULL)
    {
      g_test_skip ("::1 not reachable on this system");
      gk_loopback_close (loopback);
      g_assert_null (wait_finish (&w, NULL));
      return;
    }
  g_assert_cmpuint (status_of (response), ==, 200);
  code = wait_finish (&w, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "v6-code");
}

static void
test_loopback_timeout (void)
{
  g_autoptr(GkLoopback) loopback = new_loopback ();
  guint16 port = gk_loopback_get_port (loopback);
  g_autofree char *response = NULL;
  g_autoptr(GError) error = NULL;
  Wait w;

  wait_start (&w, loopback, 1, NULL);
  g_assert_null (wait_finish (&w, &error));
  g_assert_error (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_TIMED_OUT);
  g_assert_false (gk_loopback_is_listening (loopback));
  response = get (port, PATH "?code=late&state=" STATE);
  g_assert_null (response);
}

static gboolean
cancel_soon_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_loopback_cancel (void)
{
  g_autoptr(GkLoopback) loopback = new_loopback ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint16 port = gk_loopback_get_port (loopback);
  g_autofree char *response = NULL;
  g_autoptr(GError) error = NULL;
  Wait w;

  wait_start (&w, loopback, 30, cancellable);
  g_timeout_add (50, cancel_soon_cb, cancellable);
  g_assert_null (wait_finish (&w, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (gk_loopback_is_listening (loopback));
  response = get (port, PATH "?code=late&state=" STATE);
  g_assert_null (response);
}

/* ------------------------------------------------------------------ */
/* Port conflicts                                                      */

typedef struct
{
  GSocket *listener;
  gboolean answer_echo;
  char line[64];
} FakeIgv;

static gpointer
fake_igv_thread (gpointer data)
{
  FakeIgv *igv = data;
  g_autoptr(GSocket) client = g_socket_accept (igv->listener, NULL, NULL);
  gsize got = 0;

  if (client == NULL)
    return NULL;

  g_socket_set_timeout (client, 5);
  while (got < sizeof igv->line - 1)
    {
      gssize n = g_socket_receive (client, igv->line + got, 1, NULL, NULL);

      if (n <= 0 || igv->line[got] == '\n')
        break;
      got += n;
    }
  igv->line[got] = '\0';

  if (g_str_equal (igv->line, "echo"))
    g_socket_send (client, "echo\n", 5, NULL, NULL);
  return NULL;
}

static GSocket *
listen_any_port (guint16 *out_port)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  g_autoptr(GSocketAddress) local = NULL;

  /* IGV binds all interfaces, so does this stand-in */
  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  g_assert_true (g_socket_listen (socket, NULL));
  local = g_socket_get_local_address (socket, NULL);
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return socket;
}

static void
test_loopback_port_held_by_igv (void)
{
  FakeIgv igv = { 0 };
  guint16 port;
  GThread *thread;
  g_autoptr(GError) error = NULL;
  g_autoptr(GkLoopback) loopback = NULL;
  g_autofree char *expected = NULL;

  igv.listener = listen_any_port (&port);
  thread = g_thread_new ("fake-igv", fake_igv_thread, &igv);

  loopback = create_loopback (port, NULL, NULL, &error);
  g_assert_null (loopback);
  g_assert_error (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_IGV_HOLDS_PORT);
  expected = g_strdup_printf ("IGV is using port %u, which Genokey needs for a few seconds to finish signing in. "
                              "Quit IGV (or turn off its port in View › Preferences › Advanced), sign in, then start IGV again.",
                              port);
  g_assert_cmpstr (error->message, ==, expected);

  g_thread_join (thread);
  g_assert_cmpstr (igv.line, ==, "echo");
  g_socket_close (igv.listener, NULL);
  g_object_unref (igv.listener);
}

static void
test_loopback_port_held_by_other (void)
{
  guint16 port;
  g_autoptr(GSocket) other G_GNUC_UNUSED = listen_any_port (&port); /* listens, never answers */
  g_autoptr(GError) error = NULL;
  g_autoptr(GkLoopback) loopback = NULL;
  g_autofree char *port_text = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 stall = 0;

  loopback = create_loopback (port, NULL, &stall, &error);
  g_assert_null (loopback);
  g_assert_error (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_PORT_IN_USE);
  port_text = g_strdup_printf ("Port %u", port);
  g_assert_true (g_str_has_prefix (error->message, port_text));
  g_assert_nonnull (strstr (error->message, "redirect_uri"));
  /* The probe gives up on its own (a probe without a deadline would hang
   * here until the wait gave up), and the window keeps drawing meanwhile:
   * a probe that blocked the main loop would stall it for its whole
   * deadline, which is far above this bound. */
  g_test_message ("the probe took %" G_GINT64_FORMAT " ms; longest main-loop stall: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000, stall / 1000);
  g_assert_cmpint (stall, <, 1000 * G_TIME_SPAN_MILLISECOND);
}

/* A holder that answers a byte at a time, never ending the line. */
static gpointer
dribbling_holder_thread (gpointer data)
{
  GSocket *listener = data;
  g_autoptr(GSocket) client = g_socket_accept (listener, NULL, NULL);

  if (client == NULL)
    return NULL;
  g_socket_set_timeout (client, 5);
  for (guint i = 0; i < 100; i++)
    {
      if (g_socket_send (client, "x", 1, NULL, NULL) != 1)
        break;
      g_usleep (200 * G_TIME_SPAN_MILLISECOND);
    }
  return NULL;
}

static void
test_loopback_port_held_by_dribbler (void)
{
  guint16 port;
  g_autoptr(GSocket) other = listen_any_port (&port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkLoopback) loopback = NULL;
  gint64 started = g_get_monotonic_time ();
  GThread *thread = g_thread_new ("dribbler", dribbling_holder_thread, other);
  gint64 stall = 0;

  loopback = create_loopback (port, NULL, &stall, &error);
  g_assert_null (loopback);
  g_assert_error (error, GK_LOOPBACK_ERROR, GK_LOOPBACK_ERROR_PORT_IN_USE);
  /* The probe gives up on its own deadline, not after a timeout per byte
   * received: the holder drips for 20 s, twice this bound. And it never
   * holds up the main loop. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (stall, <, 1000 * G_TIME_SPAN_MILLISECOND);
  g_thread_join (thread);
}

static gboolean
on_cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_loopback_probe_cancel (void)
{
  guint16 port;
  g_autoptr(GSocket) other G_GNUC_UNUSED = listen_any_port (&port); /* listens, never answers */
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GkLoopback) loopback = NULL;

  g_timeout_add (100, on_cancel_cb, cancellable);
  loopback = create_loopback (port, cancellable, NULL, &error);
  g_assert_null (loopback);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled, not run to the probe's deadline (which would have said the
   * port is in use, as in the test above). */
}

static void
test_loopback_never_moves_port (void)
{
  guint16 port;
  g_autoptr(GSocket) other = listen_any_port (&port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkLoopback) loopback = NULL;

  g_socket_close (other, NULL);
  /* free again: binds exactly that port */
  loopback = create_loopback (port, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gk_loopback_get_port (loopback), ==, port);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loopback/valid-callback", test_loopback_valid_callback);
  g_test_add_func ("/loopback/callback-before-wait", test_loopback_callback_before_wait);
  g_test_add_func ("/loopback/refuse/wrong-state", test_loopback_wrong_state);
  g_test_add_func ("/loopback/refuse/missing-state", test_loopback_missing_state);
  g_test_add_func ("/loopback/refuse/repeated-state", test_loopback_repeated_state);
  g_test_add_func ("/loopback/refuse/access-denied-without-state", test_loopback_access_denied_without_state_ignored);
  g_test_add_func ("/loopback/access-denied-is-final", test_loopback_access_denied);
  g_test_add_func ("/loopback/refuse/html-description-not-reflected", test_loopback_html_description_not_reflected);
  g_test_add_func ("/loopback/refuse/post", test_loopback_post);
  g_test_add_func ("/loopback/refuse/dot-dot-path", test_loopback_dot_dot_path);
  g_test_add_func ("/loopback/refuse/uppercase-path", test_loopback_uppercase_path);
  g_test_add_func ("/loopback/refuse/other-paths", test_loopback_other_paths);
  g_test_add_func ("/loopback/refuse/foreign-host", test_loopback_foreign_host);
  g_test_add_func ("/loopback/refuse/huge-request-line", test_loopback_huge_request_line);
  g_test_add_func ("/loopback/ipv6", test_loopback_ipv6);
  g_test_add_func ("/loopback/timeout-closes-port", test_loopback_timeout);
  g_test_add_func ("/loopback/cancel-closes-port", test_loopback_cancel);
  g_test_add_func ("/loopback/port/held-by-igv", test_loopback_port_held_by_igv);
  g_test_add_func ("/loopback/port/held-by-other", test_loopback_port_held_by_other);
  g_test_add_func ("/loopback/port/held-by-dribbler", test_loopback_port_held_by_dribbler);
  g_test_add_func ("/loopback/port/probe-cancel", test_loopback_probe_cancel);
  g_test_add_func ("/loopback/port/exact-port", test_loopback_never_moves_port);

  return g_test_run ();
}
