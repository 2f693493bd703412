/* peel-store-lock.c
 *
 * One writer per session, across processes: every write to a session folder (a batch of
 * journal lines, a snapshot, the trash) happens while holding an flock() on its `lock` file.
 * The kernel drops the lock when its process dies, so a crash never leaves a session locked.
 * The lock is held only while writing, never while a session is merely open: the window and
 * any number of `peel-cli generate` runs can add turns to one session, each in turn, and each
 * takes in the lines the others wrote (peel-store-share.c) before writing its own.
 *
 * Within one process the lock is shared by the main thread, the writer thread and the
 * compaction thread, which may take it in one thread and give it back in another: a flag
 * under a mutex, not a mutex, says who has it.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "peel-store-private.h"

#define DEFAULT_LOCK_TIMEOUT_MS 30000

static guint lock_timeout_ms = DEFAULT_LOCK_TIMEOUT_MS;

/**
 * _peel_store_set_lock_timeout:
 * @ms: how long a writer waits for another process to finish writing
 *
 * For tests; the default is 30 seconds, far longer than any one write takes.
 */
void
_peel_store_set_lock_timeout (guint ms)
{
  lock_timeout_ms = ms;
}

void
_peel_store_lock_init (PeelStore *store)
{
  store->lock_fd = -1;
  g_mutex_init (&store->lock_mutex);
  g_cond_init (&store->lock_cond);
}

void
_peel_store_lock_clear (PeelStore *store)
{
  if (store->lock_fd >= 0)
    close (store->lock_fd);
  store->lock_fd = -1;
  g_cond_clear (&store->lock_cond);
  g_mutex_clear (&store->lock_mutex);
}

/* "pid name" of whoever wrote the lock file last: the holder, while it is held. */
static char *
describe_holder (int fd)
{
  char buf[256];
  ssize_t n = pread (fd, buf, sizeof buf - 1, 0);
  char *space, *nl;
  int pid;

  if (n <= 0)
    return g_strdup (_("another program"));
  buf[n] = '\0';
  if ((nl = strchr (buf, '\n')) != NULL)
    *nl = '\0';
  pid = atoi (buf);
  space = strchr (buf, ' ');
  if (pid <= 0 || space == NULL || !g_utf8_validate (space + 1, -1, NULL))
    return g_strdup (_("another program"));
  for (char *c = space + 1; *c != '\0'; c++)
    if (g_ascii_iscntrl (*c))
      *c = '?';
  /* Translators: a program's name, then its process id */
  return g_strdup_printf (_("%s (process %d)"), space + 1, pid);
}

static gboolean
take_flock (PeelStore  *store,
            gboolean    wait,
            GError    **error)
{
  g_autofree char *path = g_build_filename (store->path, "lock", NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) lock_timeout_ms * 1000;
  g_autofree char *me = NULL;

  if (store->lock_fd < 0)
    {
      store->lock_fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (store->lock_fd < 0)
        {
          _peel_set_write_error (error, path, errno);
          return FALSE;
        }
    }
  while (flock (store->lock_fd, LOCK_EX | LOCK_NB) < 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          _peel_set_write_error (error, path, errno);
          return FALSE;
        }
      if (!wait)
        {
          g_set_error_literal (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_BUSY, "busy");
          return FALSE;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_autofree char *holder = describe_holder (store->lock_fd);

          g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_BUSY,
                       _("The session in “%s” is being written by %s, which did not finish "
                         "within %u seconds. Nothing was lost: the change is kept and saved "
                         "with the next one, or try again once that program is done."),
                       store->path, holder, (lock_timeout_ms + 999) / 1000);
          return FALSE;
        }
      g_usleep (5000);
    }
  /* Who holds it, for the message another writer shows if it has to give up. */
  me = g_strdup_printf ("%d %s\n", (int) getpid (),
                        g_get_prgname () ? g_get_prgname () : "peel");
  if (ftruncate (store->lock_fd, 0) == 0)
    {
      ssize_t ignored = pwrite (store->lock_fd, me, strlen (me), 0);

      (void) ignored;
    }
  return TRUE;
}

/**
 * _peel_store_lock:
 * @store: a store
 * @error: return location for %PEEL_STORE_ERROR_BUSY or a write error
 *
 * Waits, a bounded time, until no other thread of this process and no other process writes
 * to the session, and makes it this caller's turn. Any thread may give it back.
 *
 * Returns: %FALSE if the session could not be locked
 */
gboolean
_peel_store_lock (PeelStore  *store,
                  GError    **error)
{
  gboolean ok;

  g_mutex_lock (&store->lock_mutex);
  while (store->lock_held)
    g_cond_wait (&store->lock_cond, &store->lock_mutex);
  store->lock_held = TRUE;
  g_mutex_unlock (&store->lock_mutex);

  ok = take_flock (store, TRUE, error);
  if (!ok)
    _peel_store_unlock (store);
  return ok;
}

/**
 * _peel_store_try_lock:
 * @store: a store
 *
 * Like _peel_store_lock(), for the main thread: never waits.
 *
 * Returns: %TRUE if the session is locked now
 */
gboolean
_peel_store_try_lock (PeelStore *store)
{
  gboolean was_free;

  g_mutex_lock (&store->lock_mutex);
  was_free = !store->lock_held;
  store->lock_held = TRUE;
  g_mutex_unlock (&store->lock_mutex);
  if (!was_free)
    return FALSE;
  if (!take_flock (store, FALSE, NULL))
    {
      _peel_store_unlock (store);
      return FALSE;
    }
  return TRUE;
}

void
_peel_store_unlock (PeelStore *store)
{
  if (store->lock_fd >= 0)
    flock (store->lock_fd, LOCK_UN);
  g_mutex_lock (&store->lock_mutex);
  store->lock_held = FALSE;
  g_cond_broadcast (&store->lock_cond);
  g_mutex_unlock (&store->lock_mutex);
}

/* The "seq" of the last whole line of @path, 0 if none; whether it ends in a torn line. */
static guint64
last_seq_of (const char *path,
             gboolean   *torn)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
  const char *data, *end, *p;
  gsize len;

  if (mapped == NULL || (len = g_mapped_file_get_length (mapped)) == 0)
    return 0;
  data = g_mapped_file_get_contents (mapped);
  end = data + len;
  if (torn != NULL)
    *torn = end[-1] != '\n';
  /* Back to the last newline that ends a line, then to the start of that line. */
  while (end > data && end[-1] != '\n')
    end--;
  while (end > data)
    {
      const char *start = end - 1;
      const char *key;

      while (start > data && start[-1] != '\n')
        start--;
      key = g_strstr_len (start, end - start, "\"seq\":");
      /* The writer puts "seq" last; the last one in a line is the line's own. */
      for (p = key; p != NULL; p = g_strstr_len (p + 6, end - (p + 6), "\"seq\":"))
        key = p;
      if (key != NULL)
        return g_ascii_strtoull (key + 6, NULL, 10);
      end = start;
    }
  return 0;
}

/* The "seq" in the first line of session.json. */
guint64
_peel_store_snapshot_seq (PeelStore *store)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (store->snapshot_path, FALSE, NULL);
  const char *data, *nl, *key;
  gsize len;

  if (mapped == NULL || (len = g_mapped_file_get_length (mapped)) == 0)
    return 0;
  data = g_mapped_file_get_contents (mapped);
  nl = memchr (data, '\n', len);
  key = g_strstr_len (data, nl ? nl - data : (gssize) len, "\"seq\":");
  return key ? g_ascii_strtoull (key + 6, NULL, 10) : 0;
}

/**
 * _peel_store_disk_seq:
 * @store: a store, locked
 * @torn: (out): whether journal.jsonl ends in a line torn by a crash
 *
 * Returns: the newest "seq" any writer put in the session's files
 */
guint64
_peel_store_disk_seq (PeelStore *store,
                      gboolean  *torn)
{
  guint64 seq = _peel_store_snapshot_seq (store);

  *torn = FALSE;
  seq = MAX (seq, last_seq_of (store->old_journal_path, NULL));
  seq = MAX (seq, last_seq_of (store->journal_path, torn));
  return seq;
}

/**
 * _peel_store_reopen_journal_if_moved:
 * @store: a store, locked
 *
 * Another process compacting the session puts a new journal.jsonl in place: lines must go
 * to that one, not to the old file this store still has open.
 */
void
_peel_store_reopen_journal_if_moved (PeelStore *store)
{
  struct stat open_st, path_st;

  if (store->journal_fd < 0)
    return;
  if (fstat (store->journal_fd, &open_st) == 0 && stat (store->journal_path, &path_st) == 0 &&
      open_st.st_ino == path_st.st_ino && open_st.st_dev == path_st.st_dev)
    return;
  /* Lines written without a sync are in the old file, which the snapshot holds now. */
  if (store->journal_unsynced)
    fdatasync (store->journal_fd);
  close (store->journal_fd);
  store->journal_fd = -1;
  store->journal_unsynced = FALSE;
}

/* Below this, a turn's image and lines may not fit: say so before paying for one. */
#define MIN_FREE_BYTES ((guint64) 64 << 20)

/**
 * peel_store_check_writable:
 * @store: a store
 * @error: return location for an error saying what stands in the way
 *
 * Finds out, before a request is paid for, whether a turn could be saved in the session: the
 * folder and its blobs/ can be written (a file is made and removed in each), and the disk
 * holding them has room for a large image. Nothing of the session is changed.
 *
 * Returns: %TRUE if a turn can be saved now
 */
gboolean
peel_store_check_writable (PeelStore  *store,
                           GError    **error)
{
  const char *dirs[] = { store->path, store->blob_dir };
  struct statvfs fs;

  g_return_val_if_fail (PEEL_IS_STORE (store), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *tmp = g_build_filename (dirs[i], ".check-XXXXXX", NULL);
      int fd;

      if (_peel_store_get_io_error () != 0)
        {
          _peel_set_write_error (error, tmp, _peel_store_get_io_error ());
          return FALSE;
        }
      if (!_peel_ensure_dir (dirs[i], error))
        return FALSE;
      fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          _peel_set_write_error (error, tmp, errno);
          return FALSE;
        }
      close (fd);
      g_unlink (tmp);
    }
  if (statvfs (store->blob_dir, &fs) == 0 &&
      (guint64) fs.f_bavail * fs.f_frsize < MIN_FREE_BYTES)
    {
      g_autofree char *file = g_build_filename (store->blob_dir, ".check", NULL);

      _peel_set_write_error (error, file, ENOSPC);
      return FALSE;
    }
  return TRUE;
}
