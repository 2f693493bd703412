/* peel-store-blobs.c
 *
 * Image blobs: written once, named by their SHA-256, ahead of the journal line that names
 * them, in a thread when the caller prepares them.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-node-record.h"
#include "peel-store-private.h"

/* Blobs are immutable and named by content: one that exists is already right, and a crash
 * while writing leaves only a temporary file. */
gboolean
_peel_store_write_blob (PeelStore   *self,
                        const char  *hash,
                        const char  *mime_type,
                        GBytes      *bytes,
                        gboolean    *wrote,
                        GError     **error)
{
  g_autofree char *path = _peel_blob_path (self->blob_dir, hash, mime_type);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *trashed = g_build_filename (self->trash_dir, name, NULL);
  g_autofree char *tmp = NULL;
  struct stat st;
  gsize len;
  const char *data;

  /* A regular file of that name is the image; a link or anything else is replaced. */
  if (lstat (path, &st) == 0 && S_ISREG (st.st_mode) && _peel_store_get_io_error () == 0)
    return TRUE;
  if (!_peel_ensure_dir (self->blob_dir, error))
    return FALSE;
  /* Collected, but a turn names it again (another process still had it): bring it back. */
  if (lstat (trashed, &st) == 0 && S_ISREG (st.st_mode) && _peel_store_get_io_error () == 0 &&
      g_rename (trashed, path) == 0)
    {
      *wrote = TRUE;
      return TRUE;
    }

  /* blobs/ is synced once for the whole batch, before the journal line that names it. */
  tmp = g_build_filename (self->blob_dir, ".blob-XXXXXX", NULL);
  data = g_bytes_get_data (bytes, &len);
  if (!_peel_write_atomic (path, tmp, data, len, 0600, FALSE, error))
    return FALSE;
  *wrote = TRUE;
  return TRUE;
}

static void
prepare_parts_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PeelStore *self = source_object;
  GPtrArray *parts = task_data;
  GError *error = NULL;
  gboolean wrote = FALSE;

  for (guint i = 0; i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);
      g_autofree char *hash = NULL;

      if (part->kind != PEEL_PART_IMAGE || part->data == NULL)
        continue;
      if (g_task_return_error_if_cancelled (task))
        return;
      hash = peel_node_hash_bytes (part->data);
      if (!_peel_store_write_blob (self, hash, part->mime_type, part->data, &wrote, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      peel_node_remember_hash (part->data, hash);
    }
  if (wrote && !_peel_fsync_dir (self->blob_dir, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * peel_store_prepare_parts_async:
 * @store: a store
 * @parts: (element-type PeelPart): the parts of an answer about to be recorded
 * @cancellable: (nullable): a cancellable
 * @callback: called when the images are on disk
 * @user_data: data for @callback
 *
 * Writes and syncs the image blobs of @parts in a thread, so that the
 * peel_session_complete_turn() that follows only appends its journal line: a 4K image takes
 * a tenth of a second or more to reach the disk, which the main loop should not wait for.
 * Calling it is optional; complete_turn writes whatever blob is still missing.
 */
void
peel_store_prepare_parts_async (PeelStore           *store,
                                GPtrArray           *parts,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *copy;

  g_return_if_fail (PEEL_IS_STORE (store));
  g_return_if_fail (parts != NULL);

  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (copy, peel_part_copy (g_ptr_array_index (parts, i)));
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_store_prepare_parts_async);
  g_task_set_task_data (task, copy, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, prepare_parts_thread);
}

gboolean
peel_store_prepare_parts_finish (PeelStore     *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (PEEL_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
_peel_blob_name_parse (const char *name,
              char      **hash)
{
  const char *dot = strchr (name, '.');

  if (dot == NULL || dot - name != 64)
    return FALSE;
  for (const char *c = name; c < dot; c++)
    if (!g_ascii_isxdigit (*c) || g_ascii_isupper (*c))
      return FALSE;
  *hash = g_strndup (name, 64);
  return TRUE;
}

const char *
_peel_blob_mime_for_name (const char *name)
{
  if (g_str_has_suffix (name, ".png"))
    return "image/png";
  if (g_str_has_suffix (name, ".jpg"))
    return "image/jpeg";
  if (g_str_has_suffix (name, ".webp"))
    return "image/webp";
  if (g_str_has_suffix (name, ".gif"))
    return "image/gif";
  return "application/octet-stream";
}
