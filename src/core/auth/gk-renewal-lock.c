/* gk-renewal-lock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "gk-renewal-lock.h"

/* Polling for the lock (flock has no asynchronous form). */
#define LOCK_POLL_MS 50

struct _GkRenewalLock
{
  int fd;
  gint64 deadline;
  GSource *source;
  GSourceFunc callback;
  gpointer callback_data;
};

GkRenewalLock *
gk_renewal_lock_new (const char *profile_name)
{
  GkRenewalLock *lock = g_new0 (GkRenewalLock, 1);
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  lock->fd = -1;
  dir = g_build_filename (g_get_user_runtime_dir (), "genokey", NULL);
  name = g_strconcat (profile_name, ".lock", NULL);
  path = g_build_filename (dir, name, NULL);
  if (g_mkdir_with_parents (dir, 0700) == 0)
    lock->fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  return lock;
}

gboolean
gk_renewal_lock_try (GkRenewalLock *lock)
{
  if (lock->fd < 0)
    return TRUE;
  return flock (lock->fd, LOCK_EX | LOCK_NB) == 0;
}

static gboolean
on_lock_poll_cb (gpointer user_data)
{
  GkRenewalLock *lock = user_data;

  if (!gk_renewal_lock_try (lock) && g_get_monotonic_time () < lock->deadline)
    return G_SOURCE_CONTINUE;

  /* The callback may free the lock: touch nothing after it. */
  g_clear_pointer (&lock->source, g_source_unref);
  lock->callback (lock->callback_data);
  return G_SOURCE_REMOVE;
}

void
gk_renewal_lock_wait (GkRenewalLock *lock,
                      guint          timeout_seconds,
                      GSourceFunc    callback,
                      gpointer       user_data)
{
  g_return_if_fail (lock->source == NULL);

  lock->callback = callback;
  lock->callback_data = user_data;
  lock->deadline = g_get_monotonic_time () + (gint64) timeout_seconds * G_USEC_PER_SEC;
  lock->source = g_timeout_source_new (LOCK_POLL_MS);
  g_source_set_callback (lock->source, on_lock_poll_cb, lock, NULL);
  g_source_attach (lock->source, g_main_context_get_thread_default ());
}

void
gk_renewal_lock_free (GkRenewalLock *lock)
{
  if (lock == NULL)
    return;
  if (lock->fd >= 0)
    {
      flock (lock->fd, LOCK_UN);
      close (lock->fd);
    }
  if (lock->source != NULL)
    {
      g_source_destroy (lock->source);
      g_source_unref (lock->source);
    }
  g_free (lock);
}
