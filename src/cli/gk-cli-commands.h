/* gk-cli-commands.h: the table of subcommands, and what each one brings
 *
 * Each gk-cli-<name>.c holds one command: its options (a struct the
 * table allocates), the usage checks of its arguments, and its run
 * function. gk-cli-commands.c lists them with what each needs opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-cli.h"

G_BEGIN_DECLS

/* profile: parses its own arguments (import, list, show, remove). */
int  gk_cli_profile_run             (GkCli *cli, gpointer options, int argc, char **argv);

/* login */
typedef struct
{
  gboolean no_browser;
  gboolean paste;
} GkCliLoginOptions;

void gk_cli_login_add_options       (GOptionContext *context, gpointer options);
int  gk_cli_login_run               (GkCli *cli, gpointer options, int argc, char **argv);

/* status */
typedef struct
{
  gboolean json;
} GkCliStatusOptions;

void gk_cli_status_add_options      (GOptionContext *context, gpointer options);
int  gk_cli_status_run              (GkCli *cli, gpointer options, int argc, char **argv);

/* logout */
typedef struct
{
  gboolean yes;
} GkCliLogoutOptions;

void gk_cli_logout_add_options      (GOptionContext *context, gpointer options);
int  gk_cli_logout_run              (GkCli *cli, gpointer options, int argc, char **argv);

/* credential-process, env: no options of their own */
int  gk_cli_credential_process_run  (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_env_check               (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_env_run                 (GkCli *cli, gpointer options, int argc, char **argv);

/* ls */
typedef struct
{
  gboolean json;
  char *bucket;  /* from the argument, by the check */
  char *prefix;
  gboolean quiet;   /* -q: no progress line */
} GkCliLsOptions;

void gk_cli_ls_add_options          (GOptionContext *context, gpointer options);
void gk_cli_ls_clear_options        (gpointer options);
int  gk_cli_ls_check                (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_ls_run                  (GkCli *cli, gpointer options, int argc, char **argv);

/* presign */
typedef struct
{
  gint64 expires;
  gboolean with_index;
  gboolean json;
  gboolean quiet;   /* -q: no progress line */
} GkCliPresignOptions;

void gk_cli_presign_add_options     (GOptionContext *context, gpointer options);
int  gk_cli_presign_check           (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_presign_run             (GkCli *cli, gpointer options, int argc, char **argv);

/* link */
typedef struct
{
  gboolean with_index;
  gboolean json;
} GkCliLinkOptions;

void gk_cli_link_add_options        (GOptionContext *context, gpointer options);
int  gk_cli_link_check              (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_link_run                (GkCli *cli, gpointer options, int argc, char **argv);

/* gateway: parses its own arguments */
int  gk_cli_gateway_run             (GkCli *cli, gpointer options, int argc, char **argv);

/* igv */
typedef struct
{
  char *genome;
  char *locus;
  char *command;
  gint64 expires;
  int port;
  int timeout;
  int launch_timeout;
  gboolean presigned;
} GkCliIgvOptions;

void gk_cli_igv_add_options         (GOptionContext *context, gpointer options);
void gk_cli_igv_clear_options       (gpointer options);
int  gk_cli_igv_check               (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_igv_run                 (GkCli *cli, gpointer options, int argc, char **argv);

/* igv-web */
typedef struct
{
  char *genome;
  char *locus;
  gint64 expires;
  gboolean no_open;
  gboolean presigned;
} GkCliIgvWebOptions;

void gk_cli_igv_web_add_options     (GOptionContext *context, gpointer options);
void gk_cli_igv_web_clear_options   (gpointer options);
int  gk_cli_igv_web_check           (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_igv_web_run             (GkCli *cli, gpointer options, int argc, char **argv);

/* chromoscope */
typedef struct
{
  char *manifest;
  char *name;
  char *id;
  char *cancer;
  char *assembly;
  char *output;
  gint64 expires;
  gboolean no_open;
  gboolean no_upload;
  gboolean quiet;   /* -q: no progress line */
  gboolean presigned;
  gboolean upload;
} GkCliChromoscopeOptions;

void gk_cli_chromoscope_add_options   (GOptionContext *context, gpointer options);
void gk_cli_chromoscope_clear_options (gpointer options);
int  gk_cli_chromoscope_check         (GkCli *cli, gpointer options, int argc, char **argv);
int  gk_cli_chromoscope_run           (GkCli *cli, gpointer options, int argc, char **argv);

/* doctor */
typedef struct
{
  gboolean json;
} GkCliDoctorOptions;

void  gk_cli_doctor_add_options     (GOptionContext *context, gpointer options);
int   gk_cli_doctor_run             (GkCli *cli, gpointer options, int argc, char **argv);
/* The gateway's port and allowed origins from the settings (doctor, admin). */
GStrv gk_cli_gateway_settings       (guint16 *out_port);

/* admin: parses its own arguments (cors, policy, igv-config, cognito) */
int  gk_cli_admin_run               (GkCli *cli, gpointer options, int argc, char **argv);

const GkCliCommand *gk_cli_commands_get_all (void);

G_END_DECLS
