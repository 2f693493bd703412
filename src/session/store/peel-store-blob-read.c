/* peel-store-blob-read.c
 *
 * Reading image bytes back from blobs/: a blob is named by the SHA-256 of its bytes and an
 * extension for its type; a file whose bytes do not match its name is damaged and never
 * shown or sent; a blob collected to trash/ that a turn still names comes back. A node reads
 * its saved bytes through _peel_store_read_blob(), which the store gives it with the folder.
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
#include <sys/stat.h>
#include <unistd.h>

#include "peel-store-private.h"

const char *
_peel_blob_extension (const char *mime_type)
{
  if (mime_type == NULL)
    return "bin";
  if (g_str_equal (mime_type, "image/png"))
    return "png";
  if (g_str_equal (mime_type, "image/jpeg"))
    return "jpg";
  if (g_str_equal (mime_type, "image/webp"))
    return "webp";
  if (g_str_equal (mime_type, "image/gif"))
    return "gif";
  if (g_str_equal (mime_type, "image/heic"))
    return "heic";
  if (g_str_equal (mime_type, "image/heif"))
    return "heif";
  return "bin";
}

char *
_peel_blob_path (const char *blob_dir,
                 const char *hash,
                 const char *mime_type)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", hash, _peel_blob_extension (mime_type));

  return g_build_filename (blob_dir, name, NULL);
}

/* Larger than any image Peel keeps (a reply is capped at 256 MiB). */
#define BLOB_MAX_SIZE ((gsize) 1 << 30)

/* Files whose bytes were checked against their name, by identity: a file changed since has
 * another ctime, which no one can set back, so it is checked again. */
#define VERIFIED_SIZE 64

typedef struct
{
  dev_t           dev;
  ino_t           ino;
  off_t           size;
  struct timespec mtime;
  struct timespec ctime;
  char            hash[65];   /* the name it was checked against */
} Verified;

static GMutex verified_lock;
static Verified verified[VERIFIED_SIZE];
static guint verified_next;

static gboolean
same_file (const Verified    *v,
           const struct stat *st,
           const char        *name)
{
  return strncmp (v->hash, name, 64) == 0 && v->dev == st->st_dev && v->ino == st->st_ino && v->size == st->st_size &&
         v->mtime.tv_sec == st->st_mtim.tv_sec && v->mtime.tv_nsec == st->st_mtim.tv_nsec &&
         v->ctime.tv_sec == st->st_ctim.tv_sec && v->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

static gboolean
was_verified (const struct stat *st,
              const char        *name)
{
  gboolean found = FALSE;

  g_mutex_lock (&verified_lock);
  for (guint i = 0; i < VERIFIED_SIZE && !found; i++)
    found = verified[i].ino != 0 && same_file (&verified[i], st, name);
  g_mutex_unlock (&verified_lock);
  return found;
}

static void
remember_verified (const struct stat *st,
                   const char        *name)
{
  g_mutex_lock (&verified_lock);
  verified[verified_next] = (Verified) { st->st_dev, st->st_ino, st->st_size, st->st_mtim,
                                         st->st_ctim, "" };
  g_strlcpy (verified[verified_next].hash, name, 65);
  verified_next = (verified_next + 1) % VERIFIED_SIZE;
  g_mutex_unlock (&verified_lock);
}

/* A blob the session collected into trash/ while a turn still names it comes back. */
static void
restore_from_trash (const char *blob_dir,
                    const char *name,
                    const char *path)
{
  g_autofree char *session_dir = g_path_get_dirname (blob_dir);
  g_autofree char *trashed = g_build_filename (session_dir, "trash", name, NULL);
  struct stat st;

  if (lstat (trashed, &st) == 0 && S_ISREG (st.st_mode))
    g_rename (trashed, path);
}

static gboolean
read_fd (int          fd,
         char        *buffer,
         gsize        len,
         const char  *path,
         GError     **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = read (fd, buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("“%s” could not be read: %s"), path, g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

/**
 * _peel_blob_read:
 * @blob_dir: a session's blobs/ folder
 * @name: a blob's file name, `<sha256>.<ext>`
 * @error: return location for an error
 *
 * Reads a blob the safe way: a symbolic link is not followed (it could point at any file of
 * the user's, which would then be sent as an image), only a regular file is read, and its
 * bytes must have the SHA-256 its name says, or they are neither shown nor sent.
 *
 * Returns: (transfer full): the bytes, or %NULL with %PEEL_STORE_ERROR_DAMAGED or an I/O error
 */
GBytes *
_peel_blob_read (const char  *blob_dir,
                 const char  *name,
                 GError     **error)
{
  g_autofree char *path = g_build_filename (blob_dir, name, NULL);
  g_autofree char *buffer = NULL;
  g_autofree char *hash = NULL;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0 && errno == ENOENT)
    {
      restore_from_trash (blob_dir, name, path);
      fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
    }
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ELOOP)
        g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED,
                     _("“%s” is a symbolic link, not an image Peel saved. Peel does not follow "
                       "links in a session folder (one could send any of your files), so the "
                       "turn is damaged. Remove the link; the turn’s prompt and settings are "
                       "intact."), path);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("“%s” could not be opened: %s"), path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || (gsize) st.st_size > BLOB_MAX_SIZE)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED,
                   _("“%s” is not an image file Peel saved (not a regular file, or too large), "
                     "so it was not read and the turn is damaged. Remove it; the turn’s prompt "
                     "and settings are intact."), path);
      close (fd);
      return NULL;
    }
  buffer = g_malloc (MAX (st.st_size, 1));
  if (!read_fd (fd, buffer, st.st_size, path, error))
    {
      close (fd);
      return NULL;
    }
  close (fd);

  if (strlen (name) < 64 || !was_verified (&st, name))
    {
      hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) buffer,
                                          st.st_size);
      if (strlen (name) < 64 || strncmp (hash, name, 64) != 0)
        {
          g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED,
                       _("“%s” does not hold the image saved under that name (its SHA-256 "
                         "differs), so it was neither shown nor sent: the turn is damaged. Its "
                         "prompt and settings are intact; generate it again to get an image."),
                       path);
          return NULL;
        }
      remember_verified (&st, name);
    }
  return g_bytes_new_take (g_steal_pointer (&buffer), st.st_size);
}

/* A node's PeelNodeReadBlob: @blob_dir is the folder the store gave it. */
GBytes *
_peel_store_read_blob (const char  *blob_dir,
                       const char  *hash,
                       const char  *mime_type,
                       GError     **error)
{
  g_autofree char *path = _peel_blob_path (blob_dir, hash, mime_type);
  g_autofree char *name = g_path_get_basename (path);

  return _peel_blob_read (blob_dir, name, error);
}

/* A node read from disk, or made by the session, reads its saved bytes from blobs/. */
void
_peel_store_give_blob_reader (PeelStore *store,
                              PeelNode  *node)
{
  peel_node_set_blob_reader (node, _peel_store_read_blob, store->blob_dir);
}
