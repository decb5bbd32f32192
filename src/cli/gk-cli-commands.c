/* gk-cli-commands.c: every subcommand, in the order --help lists them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "gk-cli-commands.h"

/* What each command needs before it runs (GkCliNeeds), and how --profile
 * reads in its help. Commands that only need credentials take
 * `--profile env` too. */
#define PROFILE_OR_ENV N_("The profile to use, or “env” for the AWS environment variables")

static const GkCliCommand commands[] = {
  { "profile", "ACTION",
    N_("Manage profiles: import the lab’s IGV oauth-config.json, list, show, remove"),
    GK_CLI_NEEDS_NOTHING, NULL,
    0, NULL, NULL, NULL, gk_cli_profile_run },
  { "login", NULL,
    N_("Sign in to a profile in the browser (--no-browser prints the link; --paste takes back the address from another computer)"),
    GK_CLI_NEEDS_SESSION, N_("The profile to sign in to"),
    sizeof (GkCliLoginOptions), gk_cli_login_add_options, NULL, NULL, gk_cli_login_run },
  { "status", NULL,
    N_("Show who is signed in, until when, and where the sign-in is kept"),
    GK_CLI_NEEDS_PROFILE, N_("The profile to show"),
    sizeof (GkCliStatusOptions), gk_cli_status_add_options, NULL, NULL, gk_cli_status_run },
  { "logout", NULL,
    N_("Sign out: revoke the sign-in and delete it from the keyring"),
    GK_CLI_NEEDS_PROFILE, N_("The profile to sign out of"),
    sizeof (GkCliLogoutOptions), gk_cli_logout_add_options, NULL, NULL, gk_cli_logout_run },
  { "credential-process", NULL,
    N_("Print AWS credentials as JSON for credential_process in ~/.aws/config"),
    GK_CLI_NEEDS_CREDENTIALS,
    N_("The profile whose credentials to print (“env”: the AWS environment variables)"),
    0, NULL, NULL, NULL, gk_cli_credential_process_run },
  { "env", NULL,
    N_("Print export lines with AWS credentials for a shell"),
    GK_CLI_NEEDS_PROFILE, N_("The profile whose credentials to print"),
    0, NULL, NULL, gk_cli_env_check, gk_cli_env_run },
  { "ls", "[s3://BUCKET/PREFIX/]",
    N_("List buckets, or the folders and files under an S3 prefix"),
    GK_CLI_NEEDS_CREDENTIALS, PROFILE_OR_ENV,
    sizeof (GkCliLsOptions), gk_cli_ls_add_options, gk_cli_ls_clear_options,
    gk_cli_ls_check, gk_cli_ls_run },
  { "presign", "s3://BUCKET/KEY|-",
    N_("Print signed links (and index links) to S3 files, with their expiry"),
    GK_CLI_NEEDS_CREDENTIALS, PROFILE_OR_ENV,
    sizeof (GkCliPresignOptions), gk_cli_presign_add_options, NULL,
    gk_cli_presign_check, gk_cli_presign_run },
  { "link", "s3://BUCKET/KEY…|-",
    N_("Print gateway links to S3 files: they work as long as you stay signed in, on this computer"),
    GK_CLI_NEEDS_PROFILE, N_("The profile whose links to make"),
    sizeof (GkCliLinkOptions), gk_cli_link_add_options, NULL, gk_cli_link_check, gk_cli_link_run },
  { "gateway", "status|start|stop|revoke",
    N_("Show, start or stop the gateway that serves links to genome browsers, or revoke its links"),
    GK_CLI_NEEDS_NOTHING, NULL,
    0, NULL, NULL, NULL, gk_cli_gateway_run },
  { "doctor", NULL,
    N_("Check the lab’s setup as the signed-in user: what is wrong, what it means, how to fix it"),
    GK_CLI_NEEDS_PROFILE, N_("The profile to check"),
    sizeof (GkCliDoctorOptions), gk_cli_doctor_add_options, NULL, NULL, gk_cli_doctor_run },
  { "admin", "cors|policy|igv-config|cognito",
    N_("Print what the lab’s admin sets: bucket CORS, the role’s policy, IGV’s oauth-config.json, the app client"),
    GK_CLI_NEEDS_NOTHING, NULL,
    0, NULL, NULL, NULL, gk_cli_admin_run },
  { "igv", "s3://BUCKET/KEY…",
    N_("Open files in IGV desktop: sent to a running IGV, or IGV started with them"),
    GK_CLI_NEEDS_CREDENTIALS, PROFILE_OR_ENV,
    sizeof (GkCliIgvOptions), gk_cli_igv_add_options, gk_cli_igv_clear_options,
    gk_cli_igv_check, gk_cli_igv_run },
  { "igv-web", "s3://BUCKET/KEY…",
    N_("Print and open an IGV-Web link holding the files"),
    GK_CLI_NEEDS_CREDENTIALS, PROFILE_OR_ENV,
    sizeof (GkCliIgvWebOptions), gk_cli_igv_web_add_options, gk_cli_igv_web_clear_options,
    gk_cli_igv_web_check, gk_cli_igv_web_run },
  { "chromoscope", "--manifest FILE | s3://…",
    N_("Build, upload and open a Chromoscope config for samples or a cohort"),
    GK_CLI_NEEDS_CREDENTIALS, PROFILE_OR_ENV,
    sizeof (GkCliChromoscopeOptions), gk_cli_chromoscope_add_options,
    gk_cli_chromoscope_clear_options, gk_cli_chromoscope_check, gk_cli_chromoscope_run },
  { NULL }
};

const GkCliCommand *
gk_cli_commands_get_all (void)
{
  return commands;
}
