/* gk-cli-progress.c
 *
 * The line is redrawn in place ("\r" then the text, then "erase to the end
 * of the line") at most ten times a second, and by a timer too, so it keeps
 * counting the seconds while one slow answer holds everything up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "gk-cli-progress.h"

#define REDRAW_MS 100

struct _GkCliProgress
{
  GkCli *cli;
  char *what;
  gboolean enabled;
  gboolean shown;        /* the line is on the terminal now */
  gint64 started;        /* monotonic µs */
  gint64 drawn_at;
  guint64 done;
  guint64 total;
  guint timer;
};

static char *
format_duration (double seconds)
{
  guint s = (guint) (seconds + 0.5);

  if (s < 1)
    return g_strdup (_("under a second"));
  if (s < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%u s"), s);
  if (s < 3600)
    /* Translators: a duration in minutes and seconds */
    return g_strdup_printf (_("%u min %02u s"), s / 60, s % 60);
  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%u h %02u min"), s / 3600, (s / 60) % 60);
}

/**
 * gk_cli_progress_format:
 * @what: what is being counted, e.g. "Pairing indexes"
 * @total: 0 when unknown
 * @seconds: since the work began
 *
 * Returns: (transfer full): the line, without a newline
 */
char *
gk_cli_progress_format (const char *what,
                        guint64     done,
                        guint64     total,
                        double      seconds)
{
  double rate = seconds > 0 ? done / seconds : 0;
  g_autofree char *left = NULL;

  if (total == 0)
    /* Translators: progress without a known total: what, items done, items per second */
    return g_strdup_printf (_("%s: %llu done, %.0f/s"), what, (unsigned long long) done, rate);
  if (done >= total)
    left = g_strdup (_("nothing"));
  else if (rate > 0)
    left = format_duration ((total - done) / rate);
  else
    left = g_strdup ("?");
  /* Translators: progress: what, items done, of how many, items per second, time left */
  return g_strdup_printf (_("%s: %llu of %llu, %.0f/s, %s left"), what, (unsigned long long) done,
                          (unsigned long long) total, rate, left);
}

static void
draw (GkCliProgress *self,
      gint64         now)
{
  g_autofree char *line = NULL;

  line = gk_cli_progress_format (self->what, self->done, self->total,
                                 (now - self->started) / (double) G_USEC_PER_SEC);
  fprintf (stderr, "\r%s\033[K", line);
  fflush (stderr);
  self->shown = TRUE;
  self->drawn_at = now;
}

static void
maybe_draw (GkCliProgress *self)
{
  gint64 now = g_get_monotonic_time ();

  if (!self->enabled || now - self->started < GK_CLI_PROGRESS_DELAY_MS * (gint64) 1000)
    return;
  if (self->shown && now - self->drawn_at < REDRAW_MS * (gint64) 1000)
    return;
  draw (self, now);
}

/* Wipes the line, so a message starts at the left margin; the next update
 * draws it again below. */
static void
hide (GkCliProgress *self)
{
  if (!self->shown)
    return;
  fputs ("\r\033[K", stderr);
  fflush (stderr);
  self->shown = FALSE;
}

static void
on_message_cb (gpointer data,
               gpointer user_data)
{
  hide (data);
}

static gboolean
on_tick_cb (gpointer user_data)
{
  maybe_draw (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * gk_cli_progress_add_option:
 * @quiet: set by -q, --quiet
 *
 * Adds -q, --quiet to a command that may show a progress line: with it, it
 * shows none.
 */
void
gk_cli_progress_add_option (GOptionContext *context,
                            gboolean       *quiet)
{
  const GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, quiet,
      N_("Show no progress line, even on a terminal"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/**
 * gk_cli_progress_new:
 * @what: (transfer none): what is counted, already translated
 * @quiet: the command's --quiet: draw nothing
 *
 * Starts the clock. Nothing is drawn unless stderr is a terminal and
 * @quiet is %FALSE.
 */
GkCliProgress *
gk_cli_progress_new (GkCli      *cli,
                     const char *what,
                     gboolean    quiet)
{
  GkCliProgress *self = g_new0 (GkCliProgress, 1);
  const char *term = g_getenv ("TERM");

  self->cli = cli;
  self->what = g_strdup (what);
  self->started = g_get_monotonic_time ();
  /* A "dumb" terminal (Emacs' shell, some CI logs) cannot go back along
   * the line. */
  self->enabled = !quiet && isatty (STDERR_FILENO)
                  && g_strcmp0 (term, "dumb") != 0;
  if (self->enabled)
    {
      self->timer = g_timeout_add (REDRAW_MS * 2, on_tick_cb, self);
      gk_cli_set_message_hook (cli, on_message_cb, self);
    }
  return self;
}

/**
 * gk_cli_progress_update:
 * @total: 0 when not known (yet)
 */
void
gk_cli_progress_update (GkCliProgress *self,
                        guint64        done,
                        guint64        total)
{
  g_return_if_fail (self != NULL);

  self->done = done;
  self->total = total;
  maybe_draw (self);
}

/**
 * gk_cli_progress_free:
 *
 * Wipes the line if it was drawn.
 */
void
gk_cli_progress_free (GkCliProgress *self)
{
  if (self == NULL)
    return;
  if (self->enabled)
    {
      hide (self);
      gk_cli_set_message_hook (self->cli, NULL, NULL);
    }
  g_clear_handle_id (&self->timer, g_source_remove);
  g_free (self->what);
  g_free (self);
}
