/* peel-generation-save.c
 *
 * Money spent must not be lost to a disk. Before a turn is sent, the store is asked whether it
 * could save one (peel_store_check_writable()); a session that cannot hold the answer is found
 * out before anyone pays. If saving still fails once the answer is in, the image is kept under
 * $XDG_CACHE_HOME/peel/unsaved/ and the error says where.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "peel-generation-private.h"
#include "peel-store.h"

G_DEFINE_QUARK (peel-generation-error-quark, peel_generation_error)

/**
 * _peel_generation_check_writable:
 *
 * Asks the store whether a turn could be saved now (its folders written to, room on the
 * disk), before anything is sent.
 *
 * Returns: %TRUE when @session can take a turn; else %FALSE with a
 *   %PEEL_GENERATION_ERROR_CANNOT_SAVE error that says nothing was sent
 */
gboolean
_peel_generation_check_writable (PeelSession  *session,
                                 GError      **error)
{
  PeelStore *store = peel_session_get_store (session);
  g_autoptr(GError) local = NULL;

  if (store == NULL || peel_store_check_writable (store, &local))
    return TRUE;

  g_set_error (error, PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_CANNOT_SAVE,
               /* Translators: %s says why the session cannot be written, and what to do */
               _("This session cannot take a new turn now, so nothing was sent and nothing was "
                 "paid for. %s"), local->message);
  return FALSE;
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
