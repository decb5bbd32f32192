/* gk-cli-presign.c: genokey presign s3://BUCKET/KEY|- [--expires S] [--with-index] [--json]
 *
 * Prints signed links (this command's job: the only place a link goes to
 * stdout) and tells, on stderr, until when they work. With "-" it reads
 * s3:// addresses from stdin, one per line, and writes one result per line
 * as it goes, for cohorts of thousands of files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gk-cli-commands.h"
#include "gk-cli-lines.h"
#include "gk-cli-progress.h"
#include "gk-link-batch.h"
#include "gk-links.h"

#define DEFAULT_EXPIRES 3600
#define FLUSH_AT        (256 * 1024)
/* Lines paired together: a cohort's worth, with their keys in memory. */
#define BATCH_LINES     20000
/* Lines signed without lookups before the output is flushed. */
#define FLUSH_LINES     4096

typedef struct
{
  GkCli *cli;
  GkS3Client *client;
  GkLinker *linker;
  gint64 expires;
  gboolean with_index;
  gboolean json;
  gboolean quiet;
  gboolean told_cap;
} Presign;

typedef struct
{
  GkCliProgress *progress;
  guint64 before;   /* lines done in earlier batches */
  guint64 total;
} BatchProgress;

static void
on_batch_progress_cb (GkLinkBatch *batch,
                      guint        done,
                      guint        total,
                      gpointer     user_data)
{
  BatchProgress *bp = user_data;

  gk_cli_progress_update (bp->progress, bp->before + done, bp->total);
}

static char *
format_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
format_local (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static void
tell_cap (Presign   *p,
          GkLinkCap  cap,
          guint      expires_in,
          gint64     expires_at)
{
  g_autofree char *when = NULL;

  if (cap == GK_LINK_CAP_NONE || p->told_cap)
    return;
  p->told_cap = TRUE;
  when = format_local (expires_at);
  if (cap == GK_LINK_CAP_CREDENTIALS)
    gk_cli_notice (p->cli,
                   _("Links expire at %s (in %u seconds), sooner than the %lld"
                     " seconds asked: the credentials that sign them expire then."),
                   when, expires_in, (long long) p->expires);
  else
    gk_cli_notice (p->cli,
                   _("Links expire at %s (in %u seconds, S3's 7-day maximum), sooner than the %lld"
                     " seconds asked."),
                   when, expires_in, (long long) p->expires);
}

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = NULL;

  json_node_set_string (node, s);
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
}

/* One result line, built by json-glib: a link holds only what SigV4 or
 * the endpoint check let through, but JSON is not the place to rely on it. */
static void
append_json_link (GString    *out,
                  const char *url,
                  const char *index_url,
                  const char *expires_at,
                  guint       expires_in)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "index_url");
  if (index_url != NULL)
    json_builder_add_string_value (builder, index_url);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_at);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, expires_in);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

static int
presign_one (Presign    *p,
             const char *uri)
{
  g_autofree char *bucket = NULL, *key = NULL, *expires_at = NULL, *local = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GkLink) link = NULL;
  g_autoptr(GError) error = NULL;

  if (!gk_s3_parse_uri (uri, &bucket, &key, &error) || !gk_s3_key_is_valid (key, FALSE, &error))
    return gk_cli_usage_error (p->cli, "%s", error->message);

  gk_linker_sign_async (p->linker, bucket, key, p->expires,
                        p->with_index ? GK_LINK_WITH_INDEX : GK_LINK_FLAGS_NONE,
                        gk_cli_get_cancellable (p->cli), gk_cli_async_ready, p->cli);
  result = gk_cli_wait (p->cli);
  link = gk_linker_sign_finish (p->linker, result, &error);
  if (link == NULL)
    return gk_cli_fail (p->cli, error);

  tell_cap (p, link->cap, link->expires_in, link->expires_at);
  expires_at = format_utc (link->expires_at);
  if (p->json)
    {
      GString *out = g_string_new (NULL);

      append_json_link (out, link->url, link->index_url, expires_at, link->expires_in);
      fputs (out->str, stdout);
      g_string_free (out, TRUE);
    }
  else
    {
      printf ("%s\n", link->url);
      if (link->index_url != NULL)
        printf ("%s\n", link->index_url);
      local = format_local (link->expires_at);
      gk_cli_notice (p->cli, _("Valid until %s (%u seconds)."), local, link->expires_in);
    }
  return GK_CLI_EXIT_OK;
}

static GkCredentials *
fetch_credentials (Presign  *p,
                   GError  **error)
{
  GkCredentialSource *source = gk_s3_client_get_source (p->client);
  g_autoptr(GAsyncResult) result = NULL;

  gk_credential_source_get_credentials_async (source, MIN (p->expires, GK_CREDENTIALS_REFRESH_MARGIN),
                                              gk_cli_get_cancellable (p->cli), gk_cli_async_ready,
                                              p->cli);
  result = gk_cli_wait (p->cli);
  return gk_credential_source_get_credentials_finish (source, result, error);
}

static gboolean
ensure_region (Presign     *p,
               const char  *bucket,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *region = NULL;

  if (gk_s3_client_peek_bucket_region (p->client, bucket) != NULL)
    return TRUE;
  gk_s3_client_get_bucket_region_async (p->client, bucket, gk_cli_get_cancellable (p->cli),
                                        gk_cli_async_ready, p->cli);
  result = gk_cli_wait (p->cli);
  region = gk_s3_client_get_bucket_region_finish (p->client, result, error);
  return region != NULL;
}

static void
line_failed (Presign      *p,
             guint64       lineno,
             const GError *error,
             GString      *out)
{
  gk_cli_notice (p->cli, _("genokey presign: line %llu: %s"), (unsigned long long) lineno,
                 error->message);
  /* Keep one result per input line, so scripts can pair them up. */
  if (p->json)
    {
      g_string_append (out, "{\"error\":");
      append_json_string (out, error->message);
      g_string_append (out, "}\n");
    }
  else
    g_string_append_c (out, '\n');
}

/* Once a second of the stream: renew the credentials before they run out
 * mid-stream (or fail clearly), and work out the links' lifetime. */
static gboolean
update_lifetime (Presign        *p,
                 GkCredentials **credentials,
                 gint64          now,
                 guint          *expires_in,
                 char            expires_at[32],
                 GError        **error)
{
  GkLinkCap cap = GK_LINK_CAP_NONE;
  g_autofree char *when = NULL;

  if (gk_credentials_expires (*credentials)
      && gk_credentials_get_remaining (*credentials, now) < MIN (p->expires, 60))
    {
      g_clear_pointer (credentials, gk_credentials_unref);
      *credentials = fetch_credentials (p, error);
      if (*credentials == NULL)
        return FALSE;
    }
  *expires_in = gk_links_clamp_expiry (p->expires, *credentials, now, &cap, error);
  if (*expires_in == 0)
    return FALSE;
  tell_cap (p, cap, *expires_in, now + *expires_in);
  when = format_utc (now + *expires_in);
  g_strlcpy (expires_at, when, 32);
  return TRUE;
}

/* One line's result, appended to @out; on failure @out is left as it was. */
static gboolean
sign_line (Presign        *p,
           GkCredentials  *credentials,
           const char     *bucket,
           const char     *key,
           gint64          now,
           guint           expires_in,
           const char     *expires_at,
           GString        *out,
           GError        **error)
{
  gsize start = out->len;

  if (!gk_s3_key_is_valid (key, FALSE, error)
      || !gk_s3_client_check_allowed (p->client, bucket, key, error)
      || !ensure_region (p, bucket, error))
    return FALSE;

  if (!gk_linker_sign_now (p->linker, credentials, bucket, key, expires_in, now, out, error))
    {
      g_string_truncate (out, start);
      return FALSE;
    }
  if (p->json)
    {
      g_autofree char *url = g_strdup (out->str + start);

      g_string_truncate (out, start);
      append_json_link (out, url, NULL, expires_at, expires_in);
    }
  else
    g_string_append_c (out, '\n');
  return TRUE;
}

/* A batch of lines with their indexes: the indexes of all are paired from
 * listings (GkLinkBatch), then the results are written in input order, a
 * failed line as an empty line (or {"error"}) with its message. */
static gboolean
sign_batch_with_index (Presign        *p,
                       GPtrArray      *lines,
                       guint64         first_line,
                       GString        *out,
                       GkCliProgress  *progress,
                       guint64        *done,
                       guint64        *failures,
                       GError        **error)
{
  g_autoptr(GkLinkBatch) batch = gk_link_batch_new (p->linker, p->expires);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) slots = g_array_sized_new (FALSE, FALSE, sizeof (gint), lines->len);
  g_autoptr(GPtrArray) parse_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  BatchProgress bp = { progress, *done, 0 };
  char bucket[GK_S3_BUCKET_NAME_MAX + 1];

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = lines->pdata[i];
      const char *key;
      GError *e = NULL;
      gint slot = -1;

      if (line[0] != '\0')
        {
          if (gk_s3_split_object_uri (line, bucket, &key, &e))
            slot = (gint) gk_link_batch_add (batch, bucket, key, GK_LINK_WITH_INDEX);
          else
            {
              slot = -2 - (gint) parse_errors->len;
              g_ptr_array_add (parse_errors, e);
            }
        }
      g_array_append_val (slots, slot);
    }
  bp.total = *done + gk_link_batch_get_n_files (batch);
  gk_link_batch_set_progress_func (batch, on_batch_progress_cb, &bp, NULL);
  gk_link_batch_sign_async (batch, gk_cli_get_cancellable (p->cli), gk_cli_async_ready, p->cli);
  result = gk_cli_wait (p->cli);
  if (!gk_link_batch_sign_finish (batch, result, error))
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      gint slot = g_array_index (slots, gint, i);
      g_autoptr(GkLink) link = NULL;
      g_autoptr(GError) e = NULL;
      g_autofree char *expires_at = NULL;

      if (slot == -1)
        continue;
      if (slot <= -2)
        {
          line_failed (p, first_line + i, parse_errors->pdata[-2 - slot], out);
          (*failures)++;
          continue;
        }
      link = gk_link_batch_get_link (batch, (guint) slot, &e);
      if (link == NULL)
        {
          line_failed (p, first_line + i, e, out);
          (*failures)++;
          continue;
        }
      tell_cap (p, link->cap, link->expires_in, link->expires_at);
      expires_at = format_utc (link->expires_at);
      if (p->json)
        append_json_link (out, link->url, link->index_url, expires_at, link->expires_in);
      else
        g_string_append_printf (out, "%s %s\n", link->url,
                                link->index_url != NULL ? link->index_url : "");
    }
  *done += gk_link_batch_get_n_files (batch);
  return TRUE;
}

/* A batch of lines without indexes: signed here and now, no lookups. */
static gboolean
sign_batch (Presign         *p,
            GPtrArray       *lines,
            guint64          first_line,
            GkCredentials  **credentials,
            gint64          *last_now,
            guint           *expires_in,
            char             expires_at[32],
            GString         *out,
            GkCliProgress   *progress,
            guint64         *done,
            guint64         *failures,
            GError         **error)
{
  char bucket[GK_S3_BUCKET_NAME_MAX + 1];

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = lines->pdata[i];
      g_autoptr(GError) e = NULL;
      const char *key;
      gint64 now;

      if (line[0] == '\0')
        continue;
      if (!gk_s3_split_object_uri (line, bucket, &key, &e))
        {
          line_failed (p, first_line + i, e, out);
          (*failures)++;
          continue;
        }
      now = g_get_real_time () / G_USEC_PER_SEC;
      if (now != *last_now)
        {
          if (!update_lifetime (p, credentials, now, expires_in, expires_at, error))
            return FALSE;
          *last_now = now;
        }
      if (!sign_line (p, *credentials, bucket, key, now, *expires_in, expires_at, out, &e))
        {
          if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&e));
              return FALSE;
            }
          line_failed (p, first_line + i, e, out);
          (*failures)++;
        }
      if ((++*done & 1023) == 0)
        gk_cli_progress_update (progress, *done, 0);
      if (out->len >= FLUSH_AT)
        {
          fwrite (out->str, 1, out->len, stdout);
          g_string_truncate (out, 0);
        }
    }
  return TRUE;
}

static int
presign_stream (Presign *p)
{
  g_autoptr(GkCredentials) credentials = NULL;
  g_autoptr(GkCliLines) input = gk_cli_lines_new (p->cli, 0);
  g_autoptr(GkCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  GString *out = g_string_sized_new (FLUSH_AT + 4096);
  guint64 done = 0, failures = 0, n_lines = 0;
  gint64 last_now = -1;
  guint expires_in = 0;
  char expires_at[32] = "";

  credentials = fetch_credentials (p, &error);
  if (credentials == NULL)
    {
      g_string_free (out, TRUE);
      return gk_cli_fail (p->cli, error);
    }
  progress = gk_cli_progress_new (p->cli, _("Signing links"), p->quiet);

  for (;;)
    {
      g_autoptr(GPtrArray) lines = NULL;
      guint64 first_line = 0;
      gboolean ok;

      lines = gk_cli_lines_next_batch (input, p->with_index ? BATCH_LINES : FLUSH_LINES,
                                       &first_line, &error);
      if (lines == NULL)
        break;
      n_lines = first_line + lines->len - 1;
      if (p->with_index)
        ok = sign_batch_with_index (p, lines, first_line, out, progress, &done, &failures, &error);
      else
        ok = sign_batch (p, lines, first_line, &credentials, &last_now, &expires_in, expires_at,
                         out, progress, &done, &failures, &error);
      /* Each batch's results go out before the next is read: a script
       * feeding addresses one by one gets each answer at once. */
      fwrite (out->str, 1, out->len, stdout);
      fflush (stdout);
      memset (out->str, 0, out->len);
      g_string_truncate (out, 0);
      if (!ok)
        break;
    }
  g_clear_pointer (&progress, gk_cli_progress_free);

  /* The buffer held signed links. */
  memset (out->str, 0, out->allocated_len);
  g_string_free (out, TRUE);

  if (error != NULL)
    return gk_cli_fail (p->cli, error);
  if (failures > 0)
    {
      gk_cli_notice (p->cli, _("%llu of %llu lines could not be signed (see above)."),
                     (unsigned long long) failures, (unsigned long long) n_lines);
      return GK_CLI_EXIT_FAILURE;
    }
  return GK_CLI_EXIT_OK;
}

void
gk_cli_presign_add_options (GOptionContext *context,
                            gpointer        options)
{
  GkCliPresignOptions *o = options;
  const GOptionEntry entries[] = {
    { "expires", 'e', 0, G_OPTION_ARG_INT64, &o->expires,
      N_("Seconds the link should work (default 3600, at most 604800; never beyond the credentials)"),
      N_("SECONDS") },
    { "with-index", 'i', 0, G_OPTION_ARG_NONE, &o->with_index,
      N_("Also sign the index (.bai, .crai, .tbi, .csi); an error if there is none"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
      N_("Print {url, index_url, expires_at} as JSON, one object per line"), NULL },
    { NULL }
  };

  o->expires = DEFAULT_EXPIRES;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  gk_cli_progress_add_option (context, &o->quiet);
}

int
gk_cli_presign_check (GkCli    *cli,
                      gpointer  options,
                      int       argc,
                      char    **argv)
{
  GkCliPresignOptions *o = options;

  if (argc != 2)
    return gk_cli_usage_error (cli, _("Give one s3://BUCKET/KEY address, or “-” to read them from stdin."));
  if (o->expires < 1)
    return gk_cli_usage_error (cli, _("--expires must be at least 1 second (and at most 604800, 7 days)."));
  return GK_CLI_EXIT_OK;
}

int
gk_cli_presign_run (GkCli    *cli,
                    gpointer  options,
                    int       argc,
                    char    **argv)
{
  GkCliPresignOptions *o = options;
  GkS3Client *client = gk_cli_get_s3_client (cli);
  g_autoptr(GkLinker) linker = gk_linker_new (client);
  Presign p = { 0 };

  p.cli = cli;
  p.client = client;
  p.linker = linker;
  p.expires = o->expires;
  p.with_index = o->with_index;
  p.json = o->json;
  p.quiet = o->quiet;

  if (g_str_equal (argv[1], "-"))
    return presign_stream (&p);
  return presign_one (&p, argv[1]);
}
