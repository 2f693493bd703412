/* peel-render-menu.c
 *
 * The Render Larger menu of a node (docs/render-larger.md), shared by the history row's menu
 * and the details panel: one item per size larger than the node's that its model makes, each
 * with its pixel size and price, so the price is seen before anything is sent.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-picker-state.h"
#include "peel-render-menu.h"
#include "peel-render.h"

/**
 * peel_render_menu_new:
 * @node: a node
 *
 * Each item activates `win.render-larger` with the node's id and a size. A node with an image
 * that cannot be rendered larger (a region edit, the largest size its model makes) gets one
 * item that says why when activated (the size is then empty), rather than no item at all.
 *
 * Returns: (transfer full) (nullable): the menu, or %NULL when @node has no image
 */
GMenuModel *
peel_render_menu_new (PeelNode *node)
{
  PeelImageSize sizes[PEEL_N_IMAGE_SIZES];
  PeelModelFamily family;
  GMenu *menu;
  guint n;

  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  if (peel_node_get_status (node) != PEEL_NODE_DONE || !peel_node_get_has_image (node))
    return NULL;

  menu = g_menu_new ();
  n = peel_render_larger_sizes (node, sizes);
  if (n == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("Why Not Larger?"), NULL);

      g_menu_item_set_action_and_target_value (item, "win.render-larger",
                                               g_variant_new ("(ss)", peel_node_get_id (node),
                                                              ""));
      g_menu_append_item (menu, item);
      return G_MENU_MODEL (menu);
    }

  family = peel_model_family_for_id (peel_node_get_model (node));
  for (guint i = 0; i < n; i++)
    {
      const char *name = peel_image_size_to_string (sizes[i]);
      g_autofree char *detail =
        peel_view_size_detail_text (family, peel_node_get_aspect_ratio (node), sizes[i]);
      /* Translators: a size to render at, then its pixels and price: "4K · 5504 × 3072 ·
       * $0.151" */
      g_autofree char *label = g_strdup_printf (_("%s · %s"), name, detail);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.render-larger",
                                               g_variant_new ("(ss)", peel_node_get_id (node),
                                                              name));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}
