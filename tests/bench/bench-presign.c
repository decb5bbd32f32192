/* bench-presign.c: how many presigned S3 links per second one core makes
 *
 * Usage: bench-presign [N]   (default 1000000)
 * Prints "links_per_second <value>" (per second of CPU time of this
 * process, so a busy machine does not skew it) and the wall-clock figure;
 * the URLs themselves are only checksummed, never printed. Credentials are made up; the session
 * token is ~800 characters like a Cognito identity-pool token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gk-sigv4.h"

#define TOKEN_LEN 800

int
main (int    argc,
      char **argv)
{
  guint64 n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_autoptr(GkCredentials) creds = NULL;
  char token[TOKEN_LEN + 1];
  char key[64];
  GString *url = g_string_sized_new (2048);
  guint64 checksum = 0;
  gint64 start, end, now = g_get_real_time () / G_USEC_PER_SEC;
  struct timespec cpu0, cpu1;
  double secs, cpu;

  /* Base64-looking, with the + / = a real token has. */
  for (guint i = 0; i < TOKEN_LEN; i++)
    token[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 7 + 3) % 64];
  token[TOKEN_LEN - 1] = '=';
  token[TOKEN_LEN] = '\0';
  creds = gk_credentials_new ("ASIAEXAMPLEEXAMPLE12", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                              token, 0);

  start = g_get_monotonic_time ();
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu0);
  for (guint64 i = 0; i < n; i++)
    {
      int len = g_snprintf (key, sizeof key, "/cohort-7/sample-%06u/reads.bam", (guint) (i % 1000000));

      g_string_truncate (url, 0);
      if (!gk_sigv4_signer_presign (signer, creds, "eu-west-2", "s3", "GET", "https",
                                    "demo-lab.s3.eu-west-2.amazonaws.com", key, len, now, 3600,
                                    url, NULL, NULL))
        return 1;
      checksum += (guint8) url->str[url->len - 1];
    }
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu1);
  end = g_get_monotonic_time ();
  secs = (end - start) / 1e6;
  cpu = (cpu1.tv_sec - cpu0.tv_sec) + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e9;

  printf ("links %" G_GUINT64_FORMAT "\ncpu_seconds %.3f\nwall_seconds %.3f\nlinks_per_second %.0f\n"
          "links_per_wall_second %.0f\nurl_length %" G_GSIZE_FORMAT "\nchecksum %" G_GUINT64_FORMAT "\n",
          n, cpu, secs, n / cpu, n / secs, url->len, checksum);
  g_string_free (url, TRUE);
  return 0;
}
