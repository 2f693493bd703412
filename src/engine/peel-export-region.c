/* peel-export-region.c
 *
 * A region edit in an exported PNG: each lineage entry of a region edit carries its bounds,
 * feather and whether the answer was fitted (`"region": {…}`), and the exported node's mask
 * goes in a chunk of its own, so that dropping the PNG back into Peel restores a node that is
 * shown as the region edit it was. What comes back from a file is checked like any input: a
 * region that does not fit the image, or a mask of another size or that is no image, is left
 * out, never trusted.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-export-private.h"
#include "peel-image-probe.h"
#include "peel-region.h"

/**
 * peel_export_add_region:
 * @builder: a builder inside a lineage entry's object
 * @node: the entry's node
 *
 * Adds `"region": {"x", "y", "width", "height", "feather", "fitted"}` when @node is a region
 * edit, and nothing otherwise.
 */
void
peel_export_add_region (JsonBuilder *builder,
                         PeelNode    *node)
{
  PeelRegionInfo info;

  if (!peel_node_get_region (node, &info))
    return;

  json_builder_set_member_name (builder, "region");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "x");
  json_builder_add_int_value (builder, info.x);
  json_builder_set_member_name (builder, "y");
  json_builder_add_int_value (builder, info.y);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, info.width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, info.height);
  json_builder_set_member_name (builder, "feather");
  json_builder_add_int_value (builder, info.feather);
  json_builder_set_member_name (builder, "fitted");
  json_builder_add_boolean_value (builder, info.fitted);
  json_builder_end_object (builder);
}

/**
 * _peel_export_region_mask_text:
 * @node: the exported node
 *
 * Returns: (transfer full) (nullable): the `peel:region-mask` chunk when @node is a region edit
 *   whose mask is in the session and small enough for a text chunk, else %NULL
 */
PeelPngText *
_peel_export_region_mask_text (PeelNode *node)
{
  g_autoptr(GBytes) mask = NULL;
  g_autofree char *base64 = NULL;
  PeelRegionInfo info;

  if (!peel_node_get_region (node, &info) ||
      (mask = peel_node_dup_extra (node, PEEL_EXTRA_REGION_MASK, NULL)) == NULL ||
      g_bytes_get_size (mask) / 3 * 4 + 4 > PEEL_PNG_TEXT_MAX_BYTES)
    return NULL;
  base64 = g_base64_encode (g_bytes_get_data (mask, NULL), g_bytes_get_size (mask));
  /* Latin-1 text: a tEXt chunk, which any reader takes. */
  return peel_png_text_new (PEEL_EXPORT_REGION_MASK_KEYWORD, base64, FALSE);
}

static gboolean
read_int (JsonObject *o,
          const char *name,
          gint64      min,
          gint64      max,
          int        *out)
{
  JsonNode *member = json_object_get_member (o, name);
  gint64 value;

  if (member == NULL || json_node_get_value_type (member) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (member);
  if (value < min || value > max)
    return FALSE;
  *out = (int) value;
  return TRUE;
}

/**
 * _peel_export_read_region:
 * @entry: a lineage entry
 * @width: the width of the image the entry's node has, or 0 when it has none
 * @height: its height, or 0
 * @info: (out): the region
 *
 * Returns: %TRUE when @entry names a region edit whose bounds are sound (and inside the image,
 *   when its size is known)
 */
gboolean
_peel_export_read_region (JsonObject     *entry,
                          int             width,
                          int             height,
                          PeelRegionInfo *info)
{
  JsonNode *node = json_object_get_member (entry, "region");
  JsonObject *o;
  gint64 max_x = width > 0 ? width : G_MAXINT;
  gint64 max_y = height > 0 ? height : G_MAXINT;

  memset (info, 0, sizeof *info);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  o = json_node_get_object (node);
  if (!read_int (o, "x", 0, max_x - 1, &info->x) ||
      !read_int (o, "y", 0, max_y - 1, &info->y) ||
      !read_int (o, "width", 1, max_x - info->x, &info->width) ||
      !read_int (o, "height", 1, max_y - info->y, &info->height) ||
      !read_int (o, "feather", 0, PEEL_REGION_MAX_FEATHER, &info->feather))
    return FALSE;
  info->fitted = json_object_get_boolean_member_with_default (o, "fitted", FALSE);
  return TRUE;
}

/**
 * _peel_export_read_region_mask:
 * @meta: an exported PNG's text chunks
 * @width: the image's width
 * @height: the image's height
 *
 * Returns: (transfer full) (nullable): the mask of the PNG's node as an image part, when the
 *   chunk holds an image of @width × @height
 */
PeelPart *
_peel_export_read_region_mask (GHashTable *meta,
                               int         width,
                               int         height)
{
  const char *text = g_hash_table_lookup (meta, PEEL_EXPORT_REGION_MASK_KEYWORD);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mime_type = NULL;
  PeelPart *part;
  guchar *data;
  gsize length = 0;
  int w, h;

  if (text == NULL || *text == '\0')
    return NULL;
  data = g_base64_decode (text, &length);
  bytes = g_bytes_new_take (data, length);
  if (!peel_image_probe (bytes, &w, &h, &mime_type, NULL) || w != width || h != height ||
      g_strcmp0 (mime_type, "image/png") != 0)
    return NULL;
  part = peel_part_new_image ("image/png", bytes, FALSE);
  part->width = w;
  part->height = h;
  return part;
}
