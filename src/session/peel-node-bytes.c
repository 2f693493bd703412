/* peel-node-bytes.c
 *
 * The bytes of a node: their content hash, image sizes read from headers, and the lazy
 * loading that keeps a session of hundreds of 4K images small in memory: once saved, bytes
 * are read back only when asked for, through the reader the store gave the node.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "peel-node-private.h"

/* SHA-256 of a 4K image takes tens of milliseconds. peel_store_prepare_parts_async() hashes
 * in its thread and leaves the result here, keyed by the GBytes itself (parts copied from the
 * same answer share it), so recording the turn on the main thread does not hash again. */
#define HASH_CACHE_SIZE 16

static GMutex hash_lock;
static GQueue hash_cache = G_QUEUE_INIT;   /* of KnownHash, newest first */

typedef struct
{
  GBytes *bytes;
  char   *hash;
} KnownHash;

static void
known_hash_free (KnownHash *known)
{
  g_bytes_unref (known->bytes);
  g_free (known->hash);
  g_free (known);
}

void
peel_node_remember_hash (GBytes     *bytes,
                         const char *hash)
{
  KnownHash *known = g_new0 (KnownHash, 1);

  known->bytes = g_bytes_ref (bytes);
  known->hash = g_strdup (hash);
  g_mutex_lock (&hash_lock);
  g_queue_push_head (&hash_cache, known);
  while (hash_cache.length > HASH_CACHE_SIZE)
    known_hash_free (g_queue_pop_tail (&hash_cache));
  g_mutex_unlock (&hash_lock);
}

char *
peel_node_hash_bytes (GBytes *bytes)
{
  char *hash = NULL;

  g_mutex_lock (&hash_lock);
  for (GList *l = hash_cache.head; l != NULL; l = l->next)
    {
      KnownHash *known = l->data;

      if (known->bytes == bytes)
        {
          hash = g_steal_pointer (&known->hash);
          known_hash_free (known);
          g_queue_delete_link (&hash_cache, l);
          break;
        }
    }
  g_mutex_unlock (&hash_lock);
  return hash ? hash : g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int *size = user_data;

  size[0] = width;
  size[1] = height;
}

/**
 * peel_image_bytes_get_size:
 * @bytes: an encoded image
 * @mime_type: (nullable): its type, if known (then no sniffing is needed)
 * @width: (out): its width in pixels
 * @height: (out): its height in pixels
 *
 * Reads the pixel size from the header, without decoding the image.
 *
 * Returns: whether the size could be read
 */
gboolean
peel_image_bytes_get_size (GBytes     *bytes,
                           const char *mime_type,
                           int        *width,
                           int        *height)
{
  static const guint8 png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GdkPixbufLoader) loader = NULL;
  const guint8 *data;
  gsize len;
  gsize offset = 0;
  int size[2] = { 0, 0 };

  *width = *height = 0;
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &len);
  if (len >= 24 && memcmp (data, png_sig, 8) == 0 && memcmp (data + 12, "IHDR", 4) == 0)
    {
      *width = (int) GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (data + 16));
      *height = (int) GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (data + 20));
      return *width > 0 && *height > 0;
    }

  /* Other formats: feed the loader until it knows the size, then stop before decoding. */
  if (mime_type != NULL)
    loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), size);
  while (offset < len && size[0] == 0)
    {
      gsize chunk = MIN (len - offset, 4096);

      if (!gdk_pixbuf_loader_write (loader, data + offset, chunk, NULL))
        break;
      offset += chunk;
    }
  gdk_pixbuf_loader_close (loader, NULL);
  *width = size[0];
  *height = size[1];
  return size[0] > 0 && size[1] > 0;
}

static void
drop_bytes (GPtrArray *parts,
            GPtrArray *blobs)
{
  for (guint i = 0; i < parts->len; i++)
    {
      PeelPart *part = g_ptr_array_index (parts, i);

      if (g_ptr_array_index (blobs, i) != NULL)
        g_clear_pointer (&part->data, g_bytes_unref);
    }
}

/* Once the blobs are on disk, the bytes come back from there on demand: a long session of
 * 4K images must not stay in memory. */
void
_peel_node_drop_saved_bytes (PeelNode *node)
{
  if (node->read_blob == NULL)
    return;
  drop_bytes (node->references, node->reference_blobs);
  drop_bytes (node->parts, node->part_blobs);
  drop_bytes (node->extras, node->extra_blobs);
}

static GBytes *
load_bytes (PeelNode        *node,
            const PeelPart  *part,
            const char      *hash,
            GError         **error)
{
  GBytes *bytes;

  if (part->data != NULL)
    return g_bytes_ref (part->data);
  if (part->kind != PEEL_PART_IMAGE)
    return NULL;
  if (node->read_blob == NULL || hash == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The image of turn %s is not available."), node->id);
      return NULL;
    }

  bytes = node->read_blob (node->blob_dir, hash, part->mime_type, error);
  if (bytes == NULL)
    g_prefix_error (error, _("Could not read the image of turn %s: "), node->id);
  return bytes;
}

/**
 * peel_node_dup_references:
 * @node: a node
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PeelPart): copies of the reference images with
 *   their bytes loaded, or %NULL if one could not be read
 */
GPtrArray *
peel_node_dup_references (PeelNode  *node,
                          GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  for (guint i = 0; i < node->references->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (node->references, i);
      g_autoptr(PeelPart) copy = peel_part_copy (part);

      if (copy->data == NULL)
        {
          copy->data = load_bytes (node, part, g_ptr_array_index (node->reference_blobs, i), error);
          if (copy->data == NULL)
            return NULL;
        }
      g_ptr_array_add (out, g_steal_pointer (&copy));
    }
  return g_steal_pointer (&out);
}

/**
 * peel_node_get_part_blob:
 * @node: a node
 * @index: a part index
 *
 * Returns: (nullable): the SHA-256 (hex) of the image part's bytes
 */
const char *
peel_node_get_part_blob (PeelNode *node,
                         guint     index)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  g_return_val_if_fail (index < node->parts->len, NULL);
  return g_ptr_array_index (node->part_blobs, index);
}

/**
 * peel_node_dup_part_data:
 * @node: a node
 * @index: the index of an image part
 * @error: return location for an error
 *
 * Returns: (transfer full): the bytes of the image exactly as received
 */
GBytes *
peel_node_dup_part_data (PeelNode  *node,
                         guint      index,
                         GError   **error)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  g_return_val_if_fail (index < node->parts->len, NULL);

  return load_bytes (node, g_ptr_array_index (node->parts, index),
                     g_ptr_array_index (node->part_blobs, index), error);
}

/* The same joining as a reply's (peel_parts_join_text()), so the text reads as the model
 * meant it and not cut wherever a streamed piece ended. */
static char *
join_text (PeelNode *node,
           gboolean  thought)
{
  char *text = peel_parts_join_text (node->parts, thought);

  return text != NULL ? text : g_strdup ("");
}

/**
 * peel_node_dup_text:
 * @node: a node
 *
 * Returns: (transfer full): the model's visible text, as peel_parts_join_text() joins it
 */
char *
peel_node_dup_text (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return join_text (node, FALSE);
}

/**
 * peel_node_dup_thoughts:
 * @node: a node
 *
 * Returns: (transfer full): the model's thought summaries, joined by blank lines
 */
char *
peel_node_dup_thoughts (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return join_text (node, TRUE);
}

/**
 * peel_node_get_final_image_index:
 * @node: a node
 *
 * Returns: the index of the final image (the last image part that is not a thought), or -1
 */
int
peel_node_get_final_image_index (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), -1);

  for (guint i = node->parts->len; i > 0; i--)
    {
      const PeelPart *part = g_ptr_array_index (node->parts, i - 1);

      if (part->kind == PEEL_PART_IMAGE && !part->thought)
        return (int) i - 1;
    }
  return -1;
}

/**
 * peel_node_get_final_image:
 * @node: a node
 *
 * Returns: (transfer none) (nullable): the final image part; its bytes may not be loaded
 */
const PeelPart *
peel_node_get_final_image (PeelNode *node)
{
  int index = peel_node_get_final_image_index (node);

  return index < 0 ? NULL : g_ptr_array_index (node->parts, index);
}

gboolean
peel_node_get_has_image (PeelNode *node)
{
  return peel_node_get_final_image_index (node) >= 0;
}

/**
 * peel_node_dup_final_image_bytes:
 * @node: a node
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the bytes of the final image, exactly as received
 */
GBytes *
peel_node_dup_final_image_bytes (PeelNode  *node,
                                 GError   **error)
{
  int index = peel_node_get_final_image_index (node);

  if (index < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Turn %s has no image."), node->id);
      return NULL;
    }
  return peel_node_dup_part_data (node, index, error);
}

int
peel_node_get_final_width (PeelNode *node)
{
  const PeelPart *part = peel_node_get_final_image (node);

  return part ? part->width : 0;
}

int
peel_node_get_final_height (PeelNode *node)
{
  const PeelPart *part = peel_node_get_final_image (node);

  return part ? part->height : 0;
}

const char *
peel_node_get_final_blob (PeelNode *node)
{
  int index = peel_node_get_final_image_index (node);

  return index < 0 ? NULL : g_ptr_array_index (node->part_blobs, index);
}

/**
 * peel_node_get_region:
 * @node: a node
 * @info: (out) (optional): the region edit's bounds, feather and fit
 *
 * Returns: whether @node is a region edit: its image is the model's answer placed into the
 *   parent's through a mask
 */
gboolean
peel_node_get_region (PeelNode       *node,
                      PeelRegionInfo *info)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (node->is_region && info != NULL)
    *info = node->region;
  return node->is_region;
}

/**
 * peel_node_dup_extra:
 * @node: a node
 * @role: one of the PEEL_EXTRA_* roles
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the bytes of @node's extra image of @role; %NULL
 *   without @error set when it has none
 */
GBytes *
peel_node_dup_extra (PeelNode    *node,
                     const char  *role,
                     GError     **error)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  for (guint i = 0; i < node->extras->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (node->extras, i);

      if (g_strcmp0 (part->text, role) == 0)
        return load_bytes (node, part, g_ptr_array_index (node->extra_blobs, i), error);
    }
  return NULL;
}

/**
 * peel_node_dup_selection:
 * @node: a node
 * @feather: (out) (optional): the selection's feather radius
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the selection kept with @node, a mask PNG of its
 *   image's size; %NULL without @error set when it has none
 */
GBytes *
peel_node_dup_selection (PeelNode  *node,
                         int       *feather,
                         GError   **error)
{
  GBytes *mask = peel_node_dup_extra (node, PEEL_EXTRA_SELECTION, error);

  if (feather != NULL)
    *feather = mask != NULL ? node->selection_feather : 0;
  return mask;
}

/**
 * peel_node_get_marks:
 * @node: a node
 *
 * Returns: (transfer none) (nullable) (element-type PeelMark): the marks drawn over @node's
 *   image, or %NULL when there are none
 */
GPtrArray *
peel_node_get_marks (PeelNode *node)
{
  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);
  return node->marks;
}
