/* peel-store-io.c
 *
 * Durable writes: a file is written to a temporary name, synced, renamed over the old one,
 * and its folder synced, so a crash leaves either the old file or the new one. Errors say
 * what the user can do about them (free space, check the folder's permissions).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "peel-store-private.h"

/* Tests set this to make every write fail as a full disk or read-only folder would, which
 * chmod cannot do when the tests run as root. Read by the writer thread. */
static int injected_errno;

void
_peel_store_set_io_error (int errno_value)
{
  g_atomic_int_set (&injected_errno, errno_value);
}

int
_peel_store_get_io_error (void)
{
  return g_atomic_int_get (&injected_errno);
}

void
_peel_set_write_error (GError     **error,
                       const char  *path,
                       int          saved_errno)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *what;

  switch (saved_errno)
    {
    case ENOSPC:
    case EDQUOT:
      what = _("The disk is full. Free some space; Peel keeps the change and saves it on the "
               "next write.");
      break;
    case EROFS:
    case EACCES:
    case EPERM:
      what = _("The folder is read-only. Check its permissions; Peel keeps the change and saves "
               "it on the next write.");
      break;
    default:
      what = g_strerror (saved_errno);
      break;
    }
  /* Translators: the first %s is a folder, the second what went wrong and what to do */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not save to “%s”: %s"), dir, what);
}

static gboolean
check_injected (const char  *path,
                GError     **error)
{
  int injected = _peel_store_get_io_error ();

  if (injected == 0)
    return TRUE;
  _peel_set_write_error (error, path, injected);
  return FALSE;
}

gboolean
_peel_write_all (int          fd,
                 const char  *path,
                 const void  *data,
                 gsize        len,
                 GError     **error)
{
  const char *p = data;

  if (!check_injected (path, error))
    return FALSE;
  while (len > 0)
    {
      gssize n = write (fd, p, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          _peel_set_write_error (error, path, errno);
          return FALSE;
        }
      p += n;
      len -= n;
    }
  return TRUE;
}

gboolean
_peel_fsync_dir (const char  *dir,
                 GError     **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      _peel_set_write_error (error, dir, errno);
      return FALSE;
    }
  /* Some file systems refuse fsync on a folder; the rename is still as durable as they allow. */
  if (fsync (fd) < 0 && errno != EINVAL && errno != EROFS)
    {
      int saved = errno;

      close (fd);
      _peel_set_write_error (error, dir, saved);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
_peel_ensure_dir (const char  *path,
                  GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (!check_injected (path, error))
    return FALSE;
  if (g_mkdir_with_parents (path, 0700) < 0)
    {
      _peel_set_write_error (error, path, errno);
      return FALSE;
    }
  return TRUE;
}

/**
 * _peel_write_atomic:
 * @path: the file to write or replace
 * @tmp_template: (nullable): a g_mkstemp() template in @path's folder where the bytes go
 *   first; %NULL for @path followed by ".XXXXXX"
 * @data: the file's new contents
 * @len: the length of @data
 * @mode: the file's mode
 * @sync_dir: whether to fsync the folder after the rename; a caller that writes many files
 *   into one folder syncs it once itself
 * @error: return location for an error
 *
 * The one durable write of the store: a temporary file, written whole, fsynced, then renamed
 * over @path. A crash leaves either the old file or the new one, never half of one, and at
 * worst a temporary file the store removes once it is old.
 *
 * Returns: %FALSE on error, with nothing at @path changed
 */
gboolean
_peel_write_atomic (const char  *path,
                    const char  *tmp_template,
                    const void  *data,
                    gsize        len,
                    int          mode,
                    gboolean     sync_dir,
                    GError     **error)
{
  g_autofree char *tmp = tmp_template ? g_strdup (tmp_template)
                                       : g_strconcat (path, ".XXXXXX", NULL);
  int fd;

  if (!check_injected (path, error))
    return FALSE;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0)
    {
      _peel_set_write_error (error, path, errno);
      return FALSE;
    }
  if (!_peel_write_all (fd, path, data, len, error))
    goto fail;
  if (fsync (fd) < 0)
    {
      _peel_set_write_error (error, path, errno);
      goto fail;
    }
  close (fd);
  fd = -1;
  if (g_rename (tmp, path) < 0)
    {
      _peel_set_write_error (error, path, errno);
      goto fail;
    }
  if (sync_dir)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      return _peel_fsync_dir (dir, error);
    }
  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return FALSE;
}

/* A small file beside the session's others (meta.json, session.json, a thumbnail). */
gboolean
_peel_write_file_atomic (const char  *path,
                         const char  *data,
                         gsize        len,
                         int          mode,
                         GError     **error)
{
  return _peel_write_atomic (path, NULL, data, len, mode, TRUE, error);
}
