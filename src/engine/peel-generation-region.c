/* peel-generation-region.c
 *
 * The parts of a turn that change the image sent or received, for peel-generation.c: a region
 * edit's answer placed into the parent's image, and "Send with marks", the parent's image with
 * the marks drawn on it. Both run in a worker thread (a 4K image takes a while to decode and
 * encode).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-generation-private.h"
#include "peel-marks-render.h"

/**
 * _peel_generation_render_marks:
 * @image: the parent's image, encoded
 * @marks: (element-type PeelMark): the marks drawn over it
 *
 * Returns: (transfer full): a PNG of @image with @marks drawn on it
 */
GBytes *
_peel_generation_render_marks (GBytes     *image,
                               GPtrArray  *marks,
                               GError    **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) marked = NULL;
  char *buffer = NULL;
  gsize length = 0;

  pixbuf = peel_region_decode_image (image, _("The image to draw the marks on cannot be read"),
                                     error);
  if (pixbuf == NULL)
    return NULL;

  marked = peel_marks_render (pixbuf, marks);
  if (marked == NULL)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("Not enough memory to draw the marks."));
      return NULL;
    }
  if (!gdk_pixbuf_save_to_buffer (marked, &buffer, &length, "png", error,
                                  "compression", "3", NULL))
    return NULL;
  return g_bytes_new_take (buffer, length);
}

/* The model's image: the last image part that is not a thought. */
static const PeelPart *
answer_image (GPtrArray *parts)
{
  for (guint i = parts->len; i > 0; i--)
    {
      const PeelPart *part = g_ptr_array_index (parts, i - 1);

      if (part->kind == PEEL_PART_IMAGE && !part->thought && part->data != NULL)
        return part;
    }
  return NULL;
}

/**
 * _peel_generation_region_compose:
 * @turn: the region turn the request was made from
 * @reply_parts: (element-type PeelPart): the model's parts
 * @parts: (out) (transfer full): what the node keeps: the text, the thoughts' text and the
 *   composite in place of the model's image
 * @answer: (out) (transfer full) (nullable): the model's image as received, or %NULL when it
 *   sent none
 * @fitted: (out): the answer had another shape than was asked
 *
 * Returns: %FALSE when the answer cannot be placed (it is not an image)
 */
gboolean
_peel_generation_region_compose (PeelRegionTurn  *turn,
                                 GPtrArray       *reply_parts,
                                 GPtrArray      **parts,
                                 PeelPart       **answer,
                                 gboolean        *fitted,
                                 GError         **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  const PeelPart *image = answer_image (reply_parts);
  g_autoptr(GBytes) composite = NULL;

  *answer = NULL;
  *fitted = FALSE;
  if (image != NULL)
    {
      composite = peel_region_turn_composite (turn, image->data, fitted, error);
      if (composite == NULL)
        return FALSE;
    }

  /* Interim images are of the cut-out, not of the image: they are left out. */
  for (guint i = 0; i < reply_parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (reply_parts, i);

      if (part == image)
        g_ptr_array_add (out, peel_part_new_image ("image/png", composite, FALSE));
      else if (part->kind == PEEL_PART_TEXT)
        {
          PeelPart *copy = peel_part_copy (part);

          g_clear_pointer (&copy->signature, g_free);
          g_ptr_array_add (out, copy);
        }
    }

  if (image != NULL)
    {
      *answer = peel_part_copy (image);
      g_clear_pointer (&(*answer)->signature, g_free);
    }
  *parts = g_steal_pointer (&out);
  return TRUE;
}
