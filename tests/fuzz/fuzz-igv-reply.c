/* fuzz-igv-reply.c: what a program on IGV's port (IGV, or anything else
 * holding 60151) sends back to Genokey's batch commands
 *
 * The input is the byte stream from the port. It is cut into reply lines
 * as the client does, and each line is judged as the reply to the next
 * command of a hand-off. Checked: an error never carries a link or a
 * signature parameter and is readable; `echo` passes only with `echo`,
 * and the commands IGV answers with OK pass only with OK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "gk-igv-private.h"

static const char * const commands[] = {
  "echo",
  "new",
  "genome hg38",
  "load \"https://demo-lab.s3.eu-west-2.amazonaws.com/S1.bam?X-Amz-Signature=abc\" "
    "index=\"https://demo-lab.s3.eu-west-2.amazonaws.com/S1.bam.bai?X-Amz-Signature=def\" "
    "name=\"S1.bam\" format=bam",
  "goto chr17:7661779-7687538",
  "setSleepInterval 0",
  "tofront",
};

static const char * const answers_ok[] = { "new", "genome", "load", "goto", "tofront", NULL };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_message_hides_links (const char *message)
{
  FUZZ_CHECK (strstr (message, "://") == NULL, "a link in an error: %s", message);
  FUZZ_CHECK (strstr (message, "X-Amz-") == NULL && strstr (message, "x-amz-") == NULL,
              "a signature parameter in an error: %s", message);
}

static void
judge (const char *command,
       const char *reply)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *verb = g_strndup (command, strcspn (command, " "));
  g_autofree char *redacted = gk_igv_redact_reply (reply);

  fuzz_check_text (redacted, "the redacted reply");
  check_message_hides_links (redacted);

  if (!gk_igv_check_reply (command, reply, &error))
    {
      fuzz_check_error (error, GK_IGV_ERROR);
      check_message_hides_links (error->message);
      return;
    }
  FUZZ_CHECK (error == NULL, "a reply passed with an error");
  if (g_str_equal (verb, "echo"))
    FUZZ_CHECK (g_str_equal (reply, "echo"), "“%s” passed as the answer to echo", reply);
  if (g_strv_contains (answers_ok, verb))
    FUZZ_CHECK (g_str_equal (reply, "OK"), "“%s” passed as the answer to %s", reply, verb);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) buffer = g_string_new_len ((const char *) data, size);
  guint i = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = gk_igv_take_reply_line (buffer, &error);

      if (line == NULL)
        {
          if (error != NULL)
            fuzz_check_error (error, GK_IGV_ERROR);
          break;
        }
      FUZZ_CHECK (strchr (line, '\n') == NULL, "a line end inside a reply line");
      judge (commands[i++ % G_N_ELEMENTS (commands)], line);
    }
  return 0;
}
