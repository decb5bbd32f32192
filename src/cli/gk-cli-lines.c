/* gk-cli-lines.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "gk-cli-lines.h"

#define READ_SIZE (64 * 1024)
#define WAIT_MS   100

struct _GkCliLines
{
  GkCli *cli;
  int fd;
  GByteArray *buffer;  /* read, not yet handed out */
  gsize scanned;       /* bytes of buffer known to hold no newline */
  guint64 next_line;   /* the number of the next line (from 1) */
  gboolean eof;
};

GkCliLines *
gk_cli_lines_new (GkCli *cli,
                  int    fd)
{
  GkCliLines *self = g_new0 (GkCliLines, 1);

  self->cli = cli;
  self->fd = fd;
  self->buffer = g_byte_array_sized_new (READ_SIZE);
  self->next_line = 1;
  return self;
}

void
gk_cli_lines_free (GkCliLines *self)
{
  if (self == NULL)
    return;
  /* Addresses are not secret, but a pipe may carry anything. */
  memset (self->buffer->data, 0, self->buffer->len);
  g_byte_array_unref (self->buffer);
  g_free (self);
}

/* Whether @fd can be read within @timeout_ms (0: now). */
static gboolean
readable (int fd,
          int timeout_ms)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };

  return poll (&p, 1, timeout_ms) > 0;
}

static gboolean
read_more (GkCliLines  *self,
           GError     **error)
{
  gsize old = self->buffer->len;
  ssize_t n;

  g_byte_array_set_size (self->buffer, old + READ_SIZE);
  do
    n = read (self->fd, self->buffer->data + old, READ_SIZE);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;

      g_byte_array_set_size (self->buffer, old);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not read the standard input: %s"), g_strerror (saved));
      return FALSE;
    }
  g_byte_array_set_size (self->buffer, old + n);
  if (n == 0)
    self->eof = TRUE;
  return TRUE;
}

/* Moves every complete line (and at the end of input the last, unended
 * one) from the buffer into @lines, up to @max_lines. */
static void
take_lines (GkCliLines *self,
            GPtrArray  *lines,
            guint       max_lines)
{
  const char *data = (const char *) self->buffer->data;
  gsize start = 0;
  gsize i = self->scanned;

  for (; i < self->buffer->len && lines->len < max_lines; i++)
    if (data[i] == '\n')
      {
        gsize end = i;

        if (end > start && data[end - 1] == '\r')
          end--;
        g_ptr_array_add (lines, g_strndup (data + start, end - start));
        start = i + 1;
      }
  if (self->eof && lines->len < max_lines && start < self->buffer->len && i == self->buffer->len)
    {
      gsize end = self->buffer->len;

      if (data[end - 1] == '\r')
        end--;
      g_ptr_array_add (lines, g_strndup (data + start, end - start));
      start = self->buffer->len;
    }
  g_byte_array_remove_range (self->buffer, 0, start);
  self->scanned = lines->len < max_lines ? self->buffer->len : 0;
}

/**
 * gk_cli_lines_next_batch:
 * @max_lines: at most this many
 * @first_line: (out): the number of the batch's first line (from 1)
 *
 * Waits for at least one line, then returns those that have arrived.
 *
 * Returns: (transfer full) (nullable): the lines without their line ends
 *   (empty ones too, so numbers stay right), or %NULL at the end of the
 *   input, when cancelled (@error says so) or when reading failed
 */
GPtrArray *
gk_cli_lines_next_batch (GkCliLines  *self,
                         guint        max_lines,
                         guint64     *first_line,
                         GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GCancellable *cancellable = gk_cli_get_cancellable (self->cli);

  take_lines (self, lines, max_lines);
  while (lines->len == 0 && !self->eof)
    {
      /* Wait, turning the main loop so Ctrl-C is noticed. */
      while (!readable (self->fd, WAIT_MS))
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
        }
      if (!read_more (self, error))
        return NULL;
      take_lines (self, lines, max_lines);
    }
  /* Whatever else has arrived joins this batch; nothing is waited for. */
  while (lines->len < max_lines && !self->eof && readable (self->fd, 0))
    {
      if (!read_more (self, error))
        return NULL;
      take_lines (self, lines, max_lines);
    }
  if (lines->len == 0)
    return NULL;
  *first_line = self->next_line;
  self->next_line += lines->len;
  return g_steal_pointer (&lines);
}
