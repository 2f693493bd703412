/* peel-render.c
 *
 * Render Larger: a node's turn made again at a larger size, as its sibling, linked to it as
 * its draft (docs/render-larger.md). What may be rendered larger and at which sizes is decided
 * here, for the window and peel-cli alike; the turn itself is an ordinary one.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-model-catalog.h"
#include "peel-render.h"

G_DEFINE_QUARK (peel-render-error-quark, peel_render_error)

/**
 * peel_render_check:
 * @draft: a node
 * @error: return location for an error
 *
 * Whether @draft's turn can be made again at a larger size at all: it must have an image a
 * model made, with a model that is still served, and must not be a region edit.
 *
 * Returns: %TRUE if it can; otherwise @error says why and what to do instead
 */
gboolean
peel_render_check (PeelNode  *draft,
                   GError   **error)
{
  const char *model;

  g_return_val_if_fail (PEEL_IS_NODE (draft), FALSE);

  if (peel_node_get_status (draft) != PEEL_NODE_DONE || !peel_node_get_has_image (draft))
    {
      g_set_error_literal (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_NO_IMAGE,
                           _("This turn has no image to render larger. Retry it first."));
      return FALSE;
    }
  if (peel_node_get_imported (draft))
    {
      g_set_error_literal (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_NO_IMAGE,
                           _("This image was imported, not made by a model, so there is no "
                             "turn to make again. Continue from it with a prompt instead."));
      return FALSE;
    }
  /* A region edit keeps every pixel outside the selection byte for byte from the image it
   * edited, which has the draft's size: a larger image cannot hold those pixels. */
  if (peel_node_get_region (draft, NULL))
    {
      g_set_error_literal (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_REGION,
                           _("A region edit cannot be rendered larger: it keeps every pixel "
                             "outside its selection exactly as in the image it edited, which "
                             "a larger image cannot. Render that image larger, then edit the "
                             "region of the larger one."));
      return FALSE;
    }
  model = peel_node_get_model (draft);
  if (peel_model_is_shut_down (model))
    {
      g_autofree char *message = peel_model_dup_shut_down_message (model);

      g_set_error_literal (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_MODEL, message);
      return FALSE;
    }
  return TRUE;
}

/**
 * peel_render_larger_sizes:
 * @draft: a node
 * @sizes: (out caller-allocates) (array fixed-size=4): where the sizes go, smallest first
 *
 * The sizes @draft can be rendered at: those larger than its own that its model makes. None
 * when peel_render_check() fails.
 *
 * Returns: how many sizes were written to @sizes
 */
guint
peel_render_larger_sizes (PeelNode      *draft,
                          PeelImageSize *sizes)
{
  PeelModelFamily family;
  guint n = 0;

  g_return_val_if_fail (PEEL_IS_NODE (draft), 0);
  g_return_val_if_fail (sizes != NULL, 0);

  if (!peel_render_check (draft, NULL))
    return 0;
  family = peel_model_family_for_id (peel_node_get_model (draft));
  for (int size = peel_node_get_size (draft) + 1; size < PEEL_N_IMAGE_SIZES; size++)
    if (peel_model_supports_size (family, size))
      sizes[n++] = size;
  return n;
}

/**
 * peel_render_price:
 *
 * Returns: what one image of @draft's model at @size costs in US dollars, or a negative
 *   number when the catalogue does not know
 */
double
peel_render_price (PeelNode      *draft,
                   PeelImageSize  size)
{
  g_return_val_if_fail (PEEL_IS_NODE (draft), -1);

  return peel_model_price_per_image (peel_model_family_for_id (peel_node_get_model (draft)),
                                     size);
}

static char *
join_larger_sizes (PeelNode *draft)
{
  PeelImageSize sizes[PEEL_N_IMAGE_SIZES];
  guint n = peel_render_larger_sizes (draft, sizes);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, peel_image_size_to_string (sizes[i]));
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/**
 * peel_render_dup_spec:
 * @draft: the node to render larger
 * @size: the size to render it at
 * @error: return location for an error
 *
 * The turn of @draft (peel_turn_spec_new_from_node(): prompt, references, ratio, model and
 * options) at @size, linked to @draft. Start it from @draft's parent, so that it is @draft's
 * sibling and is sent with the same context.
 *
 * Returns: (transfer full) (nullable): the spec, or %NULL when @draft cannot be rendered
 *   larger, @size is not larger than its size or not one its model makes, or a reference
 *   image could not be read
 */
PeelTurnSpec *
peel_render_dup_spec (PeelNode       *draft,
                      PeelImageSize   size,
                      GError        **error)
{
  g_autoptr(PeelTurnSpec) spec = NULL;
  PeelModelFamily family;

  g_return_val_if_fail (PEEL_IS_NODE (draft), NULL);

  if (!peel_render_check (draft, error))
    return NULL;

  family = peel_model_family_for_id (peel_node_get_model (draft));
  if ((int) size >= PEEL_N_IMAGE_SIZES || size <= peel_node_get_size (draft) ||
      !peel_model_supports_size (family, size))
    {
      g_autofree char *sizes = join_larger_sizes (draft);
      g_autofree char *name = peel_model_dup_display_name (peel_node_get_model (draft));
      const char *asked = (int) size < PEEL_N_IMAGE_SIZES ? peel_image_size_to_string (size)
                                                          : "?";

      if (*sizes == '\0')
        /* Translators: the draft's size, then the model's name */
        g_set_error (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_SIZE,
                     _("There is no larger size to render this image at: %s is the largest "
                       "%s makes."), peel_image_size_to_string (peel_node_get_size (draft)),
                     name);
      else if (size <= peel_node_get_size (draft))
        /* Translators: the size asked for, the draft's size, then the sizes to choose from */
        g_set_error (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_SIZE,
                     _("%s is not larger than this image’s %s. Use %s."), asked,
                     peel_image_size_to_string (peel_node_get_size (draft)), sizes);
      else
        /* Translators: the model's name, the size asked for, then the sizes to choose from */
        g_set_error (error, PEEL_RENDER_ERROR, PEEL_RENDER_ERROR_SIZE,
                     _("%s does not make %s images. Use %s."), name, asked, sizes);
      return NULL;
    }

  spec = peel_turn_spec_new_from_node (draft, error);
  if (spec == NULL)
    return NULL;
  spec->size = size;
  g_free ((char *) spec->draft_of);
  spec->draft_of = g_strdup (peel_node_get_id (draft));
  return g_steal_pointer (&spec);
}
