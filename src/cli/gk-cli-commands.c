/* gk-cli-commands.c: every subcommand, in the order --help lists them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-cli-commands.h"

static const GkCliCommand commands[] = {
  { "profile", "ACTION",
    N_("Manage profiles: import the lab’s IGV oauth-config.json, list, show, remove"),
    gk_cli_profile_run },
  { "login", NULL,
    N_("Sign in to a profile in the browser (--no-browser prints the link)"),
    gk_cli_login_run },
  { "status", NULL,
    N_("Show who is signed in, until when, and where the sign-in is kept"),
    gk_cli_status_run },
  { "logout", NULL,
    N_("Sign out: revoke the sign-in and delete it from the keyring"),
    gk_cli_logout_run },
  { "credential-process", NULL,
    N_("Print AWS credentials as JSON for credential_process in ~/.aws/config"),
    gk_cli_credential_process_run },
  { "env", NULL,
    N_("Print export lines with AWS credentials for a shell"),
    gk_cli_env_run },
  { "ls", "[s3://BUCKET/PREFIX/]",
    N_("List buckets, or the folders and files under an S3 prefix"),
    gk_cli_ls_run },
  { "presign", "s3://BUCKET/KEY|-",
    N_("Print signed links (and index links) to S3 files, with their expiry"),
    gk_cli_presign_run },
  { "igv", "s3://BUCKET/KEY…",
    N_("Open files in IGV desktop: sent to a running IGV, or IGV started with them"),
    gk_cli_igv_run },
  { "igv-web", "s3://BUCKET/KEY…",
    N_("Print and open an IGV-Web link holding the files"),
    gk_cli_igv_web_run },
  { "chromoscope", "--manifest FILE | s3://…",
    N_("Build, upload and open a Chromoscope config for samples or a cohort"),
    gk_cli_chromoscope_run },
  { NULL }
};

const GkCliCommand *
gk_cli_commands_get_all (void)
{
  return commands;
}

const GkCliCommand *
gk_cli_commands_lookup (const char *name)
{
  for (const GkCliCommand *c = commands; c->name != NULL; c++)
    if (g_str_equal (c->name, name))
      return c;
  return NULL;
}
