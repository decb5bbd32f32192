/* gk-aws-error.h: AWS error codes mapped through tables
 *
 * Each AWS client (S3, STS, Cognito Identity) keeps a table: the error code
 * AWS sends → the client's own error code and a message that says what to
 * change. A row may also name the start of AWS's own message, where AWS
 * uses one code for cases that need different fixes (Cognito's
 * NotAuthorizedException for an expired token and for a foreign user pool);
 * those prefixes are AWS's documented wording, not guesses. Messages never
 * name a command-line option: the CLI and the window add their own hints.
 *
 * Messages are templates with named fields, `{what}`, `{aws_message}`…,
 * filled in after translation, so one table serves every language and the
 * compiler still checks every format string.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *aws_code;           /* exactly as AWS sends it, without namespace */
  const char *aws_message_prefix; /* nullable: AWS's wording this row is for */
  guint       operations;         /* the client's operation bits, 0 for every one */
  int         code;               /* the client's error code */
  const char *message;            /* a template marked for translation */
} GkAwsErrorRow;

/* What a client answers when its table does not know the answer. */
typedef struct
{
  const GkAwsErrorRow *unknown_code; /* a code the table does not list */
  const GkAwsErrorRow *throttled;    /* HTTP 429 without a code */
  const GkAwsErrorRow *unavailable;  /* 5xx, or no answer, without a code */
  const GkAwsErrorRow *no_code;      /* any other answer without a code */
} GkAwsErrorFallbacks;

GError              *gk_aws_error_from_answer    (GQuark                     domain,
                                                  const GkAwsErrorRow       *rows,
                                                  gsize                      n_rows,
                                                  const GkAwsErrorFallbacks *fallbacks,
                                                  guint                      operation,
                                                  guint                      http_status,
                                                  const char                *code,
                                                  const char                *message,
                                                  const char * const        *fields);

char                *gk_aws_error_normalize_code (const char          *raw);
const GkAwsErrorRow *gk_aws_error_find           (const GkAwsErrorRow *rows,
                                                  gsize                n_rows,
                                                  const char          *aws_code,
                                                  const char          *aws_message,
                                                  guint                operation);
char                *gk_aws_error_clean_message  (const char          *aws_message);
char                *gk_aws_error_expand         (const char          *template,
                                                  const char * const  *fields);
GError              *gk_aws_error_new_from_row   (GQuark               domain,
                                                  const GkAwsErrorRow *row,
                                                  const char * const  *fields);

G_END_DECLS
