/* test-callback-paste.c: waiting for the sign-in's answer pasted by the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-callback-paste.h"
#include "gk-oauth.h"
#include "gk-test.h"

#define REDIRECT "http://localhost:60151/oauthCallback"
#define STATE    "dGhpcyBpcyBhIHN0YXRlIG9mIDEyOCBiaXRzIG9yIG1vcmU"
#define OTHER    "eGhpcyBpcyBhIHN0YXRlIG9mIDEyOCBiaXRzIG9yIG1vcmU"

/* Runs whatever the main context has ready: a wrongly completed wait
 * would have returned by then. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_refused_then_answered (void)
{
  g_autoptr(GkCallbackPaste) paste = gk_callback_paste_new (REDIRECT, STATE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  gk_callback_paste_wait_async (paste, 60, NULL, gk_test_store_result_cb, &result);

  /* another sign-in's address: refused, and the wait goes on */
  g_assert_false (gk_callback_paste_submit (paste, REDIRECT "?code=old&state=" OTHER, &error));
  g_assert_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_STATE_MISMATCH);
  g_clear_error (&error);
  g_assert_false (gk_callback_paste_submit (paste, "not an address", &error));
  g_assert_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK);
  g_clear_error (&error);
  drain ();
  g_assert_null (result);

  g_assert_true (gk_callback_paste_submit (paste, REDIRECT "?code=new&state=" STATE, &error));
  g_assert_no_error (error);
  /* the answer reaches the wait from the main loop, not from inside submit */
  g_assert_null (result);
  code = gk_callback_paste_wait_finish (paste, gk_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "new");

  /* used up: a second answer is not taken */
  g_assert_false (gk_callback_paste_submit (paste, REDIRECT "?code=new&state=" STATE, &error));
  g_assert_error (error, GK_CALLBACK_PASTE_ERROR, GK_CALLBACK_PASTE_ERROR_DONE);
}

static void
test_provider_error_ends_the_wait (void)
{
  g_autoptr(GkCallbackPaste) paste = gk_callback_paste_new (REDIRECT, STATE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  gk_callback_paste_wait_async (paste, 60, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_callback_paste_submit (paste, REDIRECT "?error=access_denied&state=" STATE, &error));
  g_assert_no_error (error);
  code = gk_callback_paste_wait_finish (paste, gk_test_wait_for_result (&result), &error);
  g_assert_null (code);
  g_assert_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_ACCESS_DENIED);
}

static void
test_answer_before_the_wait (void)
{
  g_autoptr(GkCallbackPaste) paste = gk_callback_paste_new (REDIRECT, STATE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_true (gk_callback_paste_submit (paste, REDIRECT "?code=early&state=" STATE, &error));
  gk_callback_paste_wait_async (paste, 60, NULL, gk_test_store_result_cb, &result);
  code = gk_callback_paste_wait_finish (paste, gk_test_wait_for_result (&result), &error);
  g_assert_cmpstr (code, ==, "early");
}

static void
test_cancelled (void)
{
  g_autoptr(GkCallbackPaste) paste = gk_callback_paste_new (REDIRECT, STATE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  gk_callback_paste_wait_async (paste, 60, cancellable, gk_test_store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  code = gk_callback_paste_wait_finish (paste, gk_test_wait_for_result (&result), &error);
  g_assert_null (code);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_timed_out (void)
{
  g_autoptr(GkCallbackPaste) paste = gk_callback_paste_new (REDIRECT, STATE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  gk_callback_paste_wait_async (paste, 1, NULL, gk_test_store_result_cb, &result);
  code = gk_callback_paste_wait_finish (paste, gk_test_wait_for_result (&result), &error);
  g_assert_null (code);
  g_assert_error (error, GK_CALLBACK_PASTE_ERROR, GK_CALLBACK_PASTE_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/callback-paste/refused-addresses-keep-it-waiting", test_refused_then_answered);
  g_test_add_func ("/callback-paste/provider-error-ends-the-wait", test_provider_error_ends_the_wait);
  g_test_add_func ("/callback-paste/answer-before-the-wait-is-kept", test_answer_before_the_wait);
  g_test_add_func ("/callback-paste/cancelled", test_cancelled);
  g_test_add_func ("/callback-paste/timed-out-says-so", test_timed_out);

  return g_test_run ();
}
