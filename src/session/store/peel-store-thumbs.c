/* peel-store-thumbs.c
 *
 * 256 px thumbnails cached beside the blobs (thumbs/<sha256>.png), made when missing, in a
 * thread for the GUI. The loader is told the MIME type rather than sniffing it, and scales
 * while decoding, so a 4K image never sits in memory at full size.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>

#include "peel-node-record.h"
#include "peel-store-private.h"

typedef struct
{
  char   *blob_path;
  GBytes *bytes;
  char   *mime_type;
  char   *thumb_path;
} ThumbJob;

static void
thumb_size_prepared_cb (GdkPixbufLoader *loader,
                        int              width,
                        int              height,
                        gpointer         user_data)
{
  double scale = MIN (1.0, (double) PEEL_THUMBNAIL_SIZE / MAX (width, height));

  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)),
                              MAX (1, (int) (height * scale + 0.5)));
}

static gboolean
make_thumbnail (const char  *blob_path,
                GBytes      *bytes,
                const char  *mime_type,
                const char  *thumb_path,
                GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *dir = g_path_get_dirname (thumb_path);
  GdkPixbuf *pixbuf;
  gsize len;

  if (blob_path != NULL)
    {
      g_autofree char *blob_dir = g_path_get_dirname (blob_path);
      g_autofree char *name = g_path_get_basename (blob_path);

      /* Not followed if a link, and checked against its name, like every blob read. */
      if (!(data = _peel_blob_read (blob_dir, name, error)))
        return FALSE;
    }
  else
    data = g_bytes_ref (bytes);

  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (thumb_size_prepared_cb), NULL);
  if (!gdk_pixbuf_loader_write_bytes (loader, data, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return FALSE;
    }
  if (!gdk_pixbuf_loader_close (loader, error))
    return FALSE;
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND,
                   _("The image could not be read to make its thumbnail."));
      return FALSE;
    }
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", error, NULL))
    return FALSE;
  if (!_peel_ensure_dir (dir, error))
    return FALSE;
  return _peel_write_file_atomic (thumb_path, buffer, len, 0600, error);
}

/**
 * peel_store_ensure_thumbnail_for_blob:
 * @session_path: a session's folder
 * @blob_name: a blob, as "blobs/HASH.EXT" or "HASH.EXT"
 * @error: return location for an error
 *
 * Makes the 256 px thumbnail of a blob if it is missing. Blocks: call it in a thread.
 *
 * Returns: (transfer full): the thumbnail's path
 */
char *
peel_store_ensure_thumbnail_for_blob (const char  *session_path,
                                      const char  *blob_name,
                                      GError     **error)
{
  g_autofree char *base = g_path_get_basename (blob_name);
  g_autofree char *hash = NULL;
  g_autofree char *blob_path = g_build_filename (session_path, "blobs", base, NULL);
  g_autofree char *thumb_name = NULL;
  g_autofree char *thumb_path = NULL;

  if (!_peel_blob_name_parse (base, &hash))
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND,
                   _("“%s” is not an image of the session."), blob_name);
      return NULL;
    }
  thumb_name = g_strconcat (hash, ".png", NULL);
  thumb_path = g_build_filename (session_path, "thumbs", thumb_name, NULL);
  if (g_file_test (thumb_path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&thumb_path);
  if (!make_thumbnail (blob_path, NULL, _peel_blob_mime_for_name (base), thumb_path, error))
    return NULL;
  return g_steal_pointer (&thumb_path);
}

/**
 * peel_store_ensure_thumbnail:
 * @store: a store
 * @node: a node with an image
 * @error: return location for an error
 *
 * Makes the node's thumbnail if it is missing. Blocks; see the async variant.
 *
 * Returns: (transfer full): the thumbnail's path
 */
char *
peel_store_ensure_thumbnail (PeelStore  *store,
                             PeelNode   *node,
                             GError    **error)
{
  const PeelPart *part;
  const char *hash;
  g_autofree char *name = NULL;
  g_autofree char *thumb_path = NULL;
  g_autofree char *blob_path = NULL;

  g_return_val_if_fail (PEEL_IS_STORE (store), NULL);
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  part = peel_node_get_final_image (node);
  hash = peel_node_get_final_blob (node);
  if (part == NULL || hash == NULL)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND,
                   _("Turn %s has no image."), peel_node_get_id (node));
      return NULL;
    }
  name = g_strconcat (hash, ".png", NULL);
  thumb_path = g_build_filename (store->thumb_dir, name, NULL);
  if (g_file_test (thumb_path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&thumb_path);

  blob_path = _peel_blob_path (store->blob_dir, hash, part->mime_type);
  if (part->data != NULL || !g_file_test (blob_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GBytes) bytes = peel_node_dup_final_image_bytes (node, error);

      if (bytes == NULL || !make_thumbnail (NULL, bytes, part->mime_type, thumb_path, error))
        return NULL;
    }
  else if (!make_thumbnail (blob_path, NULL, part->mime_type, thumb_path, error))
    return NULL;
  return g_steal_pointer (&thumb_path);
}

static void
thumb_job_free (ThumbJob *job)
{
  g_free (job->blob_path);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->mime_type);
  g_free (job->thumb_path);
  g_free (job);
}

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ThumbJob *job = task_data;
  GError *error = NULL;

  if (!g_file_test (job->thumb_path, G_FILE_TEST_EXISTS) &&
      !make_thumbnail (job->bytes ? NULL : job->blob_path, job->bytes, job->mime_type,
                       job->thumb_path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_strdup (job->thumb_path), g_free);
}

/**
 * peel_store_ensure_thumbnail_async:
 * @store: a store
 * @node: a node with an image
 * @cancellable: (nullable): a cancellable
 * @callback: called with the thumbnail's path
 * @user_data: data for @callback
 *
 * Makes the node's thumbnail in a thread if it is missing.
 */
void
peel_store_ensure_thumbnail_async (PeelStore           *store,
                                   PeelNode            *node,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const PeelPart *part;
  const char *hash;
  ThumbJob *job;
  g_autofree char *name = NULL;

  g_return_if_fail (PEEL_IS_STORE (store));
  g_return_if_fail (PEEL_IS_NODE (node));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_store_ensure_thumbnail_async);

  part = peel_node_get_final_image (node);
  hash = peel_node_get_final_blob (node);
  if (part == NULL || hash == NULL)
    {
      g_task_return_new_error (task, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_FOUND,
                               _("Turn %s has no image."), peel_node_get_id (node));
      return;
    }
  job = g_new0 (ThumbJob, 1);
  name = g_strconcat (hash, ".png", NULL);
  job->thumb_path = g_build_filename (store->thumb_dir, name, NULL);
  job->blob_path = _peel_blob_path (store->blob_dir, hash, part->mime_type);
  job->mime_type = g_strdup (part->mime_type);
  if (part->data != NULL)
    job->bytes = g_bytes_ref (part->data);
  g_task_set_task_data (task, job, (GDestroyNotify) thumb_job_free);
  g_task_run_in_thread (task, thumbnail_thread);
}

char *
peel_store_ensure_thumbnail_finish (PeelStore     *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (PEEL_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
