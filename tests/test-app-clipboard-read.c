/* test-app-clipboard-read.c: prints the X clipboard's text on stdout
 *
 * A helper for the end-to-end test (no xclip on the test machines): it reads
 * the clipboard the way any GTK app pasting would. Its output is a signed
 * link; the caller must not log it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gtk/gtk.h>
#include <stdio.h>

#include "gk-test.h"

static void
on_text_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  int *status = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);

  if (text == NULL)
    {
      fprintf (stderr, "clipboard: %s\n", error ? error->message : "empty");
      *status = 1;
      return;
    }
  fputs (text, stdout);
  *status = 0;
}

int
main (int    argc,
      char **argv)
{
  int status = -1;

  gtk_init ();
  gdk_clipboard_read_text_async (gdk_display_get_clipboard (gdk_display_get_default ()),
                                 NULL, on_text_cb, &status);
  gk_test_wait_until_msg (status >= 0, "the clipboard's owner to hand over its text");
  return status;
}
