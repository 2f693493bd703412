/* peel-region-turn.c
 *
 * One region edit from the parent's image to the node's: the parent is decoded once, the
 * selection's crop (with context, at the plan's ratio) is what the model is sent, and the
 * model's answer is placed back through the feathered mask. Decoding and encoding take long on
 * a 4K image, so prepare and composite are meant for a worker thread; nothing here touches
 * the session.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-region-turn.h"

struct _PeelRegionTurn
{
  PeelRegionMask *mask;
  int             feather;
  PeelRegionPlan  plan;
  GdkPixbuf      *parent;
  PeelPart       *crop;
};

/**
 * peel_region_turn_new:
 * @mask: (transfer full): what may change, the parent image's size
 * @feather: the feather radius in pixels
 */
PeelRegionTurn *
peel_region_turn_new (PeelRegionMask *mask,
                      int             feather)
{
  PeelRegionTurn *turn = g_new0 (PeelRegionTurn, 1);

  turn->mask = mask;
  turn->feather = CLAMP (feather, 0, PEEL_REGION_MAX_FEATHER);
  return turn;
}

void
peel_region_turn_free (PeelRegionTurn *turn)
{
  if (turn == NULL)
    return;
  peel_region_mask_free (turn->mask);
  g_clear_object (&turn->parent);
  g_clear_pointer (&turn->crop, peel_part_free);
  g_free (turn);
}

static GBytes *
encode_png (GdkPixbuf  *pixbuf,
            GError    **error)
{
  char *buffer = NULL;
  gsize length = 0;

  /* Level 3 of zlib: a 4K image is saved in a fraction of the default's time, a little larger. */
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", error,
                                  "compression", "3", NULL))
    return NULL;
  return g_bytes_new_take (buffer, length);
}

/**
 * peel_region_turn_prepare:
 * @turn: a region turn
 * @parent_image: the parent node's image, encoded
 * @family: the model the crop is sent to
 * @error: #PEEL_REGION_ERROR: the selection is empty, the mask does not fit the image, or the
 *   image cannot be read
 *
 * Decodes the parent, plans the crop and encodes it. May run in any thread.
 */
gboolean
peel_region_turn_prepare (PeelRegionTurn   *turn,
                          GBytes           *parent_image,
                          PeelModelFamily   family,
                          GError          **error)
{
  g_autoptr(GdkPixbuf) crop = NULL;
  g_autoptr(GBytes) png = NULL;
  PeelPart *part;

  turn->parent = peel_region_decode_image (parent_image, _("The image to edit cannot be read"), error);
  if (turn->parent == NULL)
    return FALSE;

  if (gdk_pixbuf_get_width (turn->parent) != turn->mask->width ||
      gdk_pixbuf_get_height (turn->parent) != turn->mask->height)
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask is %d × %d pixels, but the image is %d × %d. Make the mask the "
                     "image’s size (white where it may change)."),
                   turn->mask->width, turn->mask->height,
                   gdk_pixbuf_get_width (turn->parent), gdk_pixbuf_get_height (turn->parent));
      return FALSE;
    }

  if (!peel_region_plan (turn->mask, turn->feather, family, &turn->plan, error))
    return FALSE;

  crop = peel_region_crop (turn->parent, &turn->plan);
  if (crop == NULL || (png = encode_png (crop, error)) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                             _("Not enough memory to cut out the region."));
      return FALSE;
    }

  part = peel_part_new_image ("image/png", png, FALSE);
  part->width = turn->plan.crop.width;
  part->height = turn->plan.crop.height;
  turn->crop = part;
  return TRUE;
}

const PeelRegionPlan *
peel_region_turn_get_plan (PeelRegionTurn *turn)
{
  return &turn->plan;
}

const PeelRegionMask *
peel_region_turn_get_mask (PeelRegionTurn *turn)
{
  return turn->mask;
}

int
peel_region_turn_get_feather (PeelRegionTurn *turn)
{
  return turn->feather;
}

/**
 * peel_region_turn_dup_crop:
 *
 * Returns: (transfer full): the crop sent to the model, as the user's own image
 */
PeelPart *
peel_region_turn_dup_crop (PeelRegionTurn *turn)
{
  g_return_val_if_fail (turn->crop != NULL, NULL);
  return peel_part_copy (turn->crop);
}

/**
 * peel_region_turn_dup_prompt:
 * @prompt: what the designer asked for
 *
 * The words sent with the crop (in English, as every instruction to the model is): the
 * designer's request, and that the picture is a part of a larger one that goes back in place,
 * so framing, perspective and light must stay.
 *
 * Returns: (transfer full): the text of the turn
 */
char *
peel_region_turn_dup_prompt (PeelRegionTurn *turn,
                             const char     *prompt)
{
  return g_strdup_printf ("This picture is a part cut out of a larger image, and will be put "
                          "back in place. Edit it as requested below. Keep its framing, "
                          "perspective, lighting and everything that the request does not "
                          "name exactly as they are, and answer with the whole picture, not "
                          "cropped.\nThe request: %s",
                          prompt != NULL ? prompt : "");
}

/**
 * peel_region_turn_composite:
 * @answer: the model's image, encoded
 * @fitted: (out) (optional): %TRUE when the answer had another shape than the crop
 *
 * Places @answer into the parent's image, once: the turn's decoded parent becomes the
 * composite. May run in any thread.
 *
 * Returns: (transfer full): the node's image, a PNG of the parent's size
 */
GBytes *
peel_region_turn_composite (PeelRegionTurn  *turn,
                            GBytes          *answer,
                            gboolean        *fitted,
                            GError         **error)
{
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GdkPixbuf) parent = NULL;

  image = peel_region_decode_image (answer, _("The model’s answer cannot be read"), error);
  if (image == NULL)
    return NULL;
  if (turn->parent == NULL)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("This region edit’s answer has already been placed. Generate "
                             "again to place another."));
      return NULL;
    }

  /* The answer is placed into the decoded parent itself, which the turn gives up: a copy of a
   * whole 4K image would cost more than the composite. Redoing the placement starts from the
   * node's parent and the stored answer, in a new turn. */
  parent = g_steal_pointer (&turn->parent);
  if (!peel_region_composite_in_place (parent, turn->mask, &turn->plan, image, fitted, error))
    return NULL;
  return encode_png (parent, error);
}

/**
 * peel_region_turn_dup_mask_png:
 *
 * Returns: (transfer full): the mask as a PNG, for the session's blobs
 */
GBytes *
peel_region_turn_dup_mask_png (PeelRegionTurn  *turn,
                               GError         **error)
{
  return peel_region_mask_to_png (turn->mask, error);
}
