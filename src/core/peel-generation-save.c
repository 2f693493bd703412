/* peel-generation-save.c
 *
 * Money spent must not be lost to a disk. Before a turn is sent, the session's folders are
 * written to (a probe file, made and removed) and the free space is compared with what the
 * image may take; a session that cannot hold the answer is found out before anyone pays. If
 * saving still fails once the answer is in, the image is kept under
 * $XDG_CACHE_HOME/peel/unsaved/ and the error says where.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "peel-generation-private.h"
#include "peel-model.h"
#include "peel-store.h"

G_DEFINE_QUARK (peel-generation-error-quark, peel_generation_error)

/* Whether a file can be made, written and removed in @dir. */
static gboolean
probe_dir (const char  *dir,
           GError     **error)
{
  g_autofree char *template = g_build_filename (dir, ".peel-write-check-XXXXXX", NULL);
  int fd;
  int saved;

  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           g_strerror (saved));
      return FALSE;
    }

  if (write (fd, "", 1) != 1)
    {
      saved = errno;
      close (fd);
      g_unlink (template);
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           g_strerror (saved));
      return FALSE;
    }

  close (fd);
  g_unlink (template);
  return TRUE;
}

/* The most an answer of @size may take on disk: an image that does not compress at all, four
 * bytes a pixel, and a megabyte for its thumbnail and the journal. */
static guint64
bytes_needed (const char    *model,
              const char    *aspect_ratio,
              PeelImageSize  size)
{
  int width = 0;
  int height = 0;

  if (!peel_model_pixel_size (peel_model_family_for_id (model),
                              aspect_ratio != NULL ? aspect_ratio : "1:1", size,
                              &width, &height))
    peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, "1:1", PEEL_IMAGE_SIZE_4K,
                           &width, &height);

  return (guint64) MAX (width, 1) * (guint64) MAX (height, 1) * 4 + 1024 * 1024;
}

/**
 * _peel_generation_check_writable:
 *
 * Returns: %TRUE when @session can take a turn of @size; else %FALSE with a
 *   %PEEL_GENERATION_ERROR_CANNOT_SAVE error that says nothing was sent
 */
gboolean
_peel_generation_check_writable (PeelSession    *session,
                                 const char     *model,
                                 const char     *aspect_ratio,
                                 PeelImageSize   size,
                                 GError        **error)
{
  PeelStore *store = peel_session_get_store (session);
  const char *dirs[2];
  struct statvfs fs;
  guint64 needed;

  if (store == NULL)
    return TRUE;

  dirs[0] = peel_store_get_path (store);
  dirs[1] = peel_store_get_blob_dir (store);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(GError) local = NULL;

      if (dirs[i] == NULL || probe_dir (dirs[i], &local))
        continue;

      g_set_error (error, PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_CANNOT_SAVE,
                   /* Translators: a folder, then why it cannot be written */
                   _("Peel cannot write to the session’s folder %s (%s), so nothing was sent "
                     "and nothing was paid for. Check the folder’s permissions and the free "
                     "space, then try again."), dirs[i], local->message);
      return FALSE;
    }

  needed = bytes_needed (model, aspect_ratio, size);
  if (statvfs (dirs[1] != NULL ? dirs[1] : dirs[0], &fs) == 0 &&
      (guint64) fs.f_bavail * fs.f_frsize < needed)
    {
      g_autofree char *free_text = g_format_size ((guint64) fs.f_bavail * fs.f_frsize);
      g_autofree char *needed_text = g_format_size (needed);

      g_set_error (error, PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_CANNOT_SAVE,
                   /* Translators: the free space, then what the image may need */
                   _("Only %s is free on the disk that holds this session, and the image may "
                     "need %s, so nothing was sent and nothing was paid for. Free some space, "
                     "then try again."), free_text, needed_text);
      return FALSE;
    }

  return TRUE;
}

static const char *
extension_for (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "webp";
  if (g_strcmp0 (mime_type, "image/png") == 0)
    return "png";
  return "img";
}

/**
 * peel_generation_keep_unsaved:
 * @image: the final image of an answer that could not be saved
 * @name: (nullable): a word for the file's name, such as the node's id
 * @why: what went wrong when saving
 * @path: (out) (transfer full) (nullable): where the image is kept, if it could be
 *
 * Keeps a paid image that could not be saved where it was meant to go, in
 * $XDG_CACHE_HOME/peel/unsaved/ (0700), named by the time and @name.
 *
 * Returns: (transfer full): a %PEEL_GENERATION_ERROR_NOT_SAVED error that says what failed,
 *   and where the image is, or that it could not be kept either
 */
GError *
peel_generation_keep_unsaved (const PeelPart  *image,
                              const char      *name,
                              const GError    *why,
                              char           **path)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "peel", "unsaved", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *base = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;

  *path = NULL;

  if (image == NULL || image->data == NULL)
    return g_error_new (PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_NOT_SAVED,
                        _("The answer arrived but could not be saved (%s), and it held no "
                          "image to keep elsewhere."), why->message);

  base = g_strdup_printf ("%s-%s.%s", stamp, name != NULL ? name : "image",
                          extension_for (image->mime_type));
  file = g_build_filename (dir, base, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error_literal (&error, G_IO_ERROR, g_io_error_from_errno (saved),
                           g_strerror (saved));
    }
  else
    g_file_set_contents_full (file, g_bytes_get_data (image->data, NULL),
                              g_bytes_get_size (image->data), G_FILE_SET_CONTENTS_CONSISTENT,
                              0600, &error);

  if (error != NULL)
    return g_error_new (PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_NOT_SAVED,
                        /* Translators: why saving failed, a folder, why that failed too */
                        _("The image arrived but could not be saved (%s), nor kept in %s (%s). "
                          "Free some space or fix the folders’ permissions."),
                        why->message, dir, error->message);

  *path = g_steal_pointer (&file);
  return g_error_new (PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_NOT_SAVED,
                      /* Translators: why saving failed, then where the image is kept */
                      _("The image arrived but could not be saved (%s). It is kept in %s, so "
                        "nothing you paid for is lost: fix the folder, then import or copy the "
                        "image from there."), why->message, *path);
}
