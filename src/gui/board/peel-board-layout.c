/* peel-board-layout.c
 *
 * Where the cards go: the tree from left to right (a turn's depth is its column), siblings
 * stacked, a parent halfway down its children, each leaf on a row of its own so no two cards
 * of the tree overlap. A card the designer dragged stays where it was dropped. The layout is
 * computed once per change of the tree, not per frame; panning and zooming only move the view.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-board-places.h"
#include "peel-board-private.h"

typedef struct
{
  PeelBoard  *self;
  GHashTable *old_cards;    /* node id → PeelBoardCard, reused so focus and thumbnails stay */
  PeelStore  *store;
  double      next_row;
} LayoutRun;

static double
place_node (LayoutRun *run,
            PeelNode  *node,
            int        parent_index,
            guint      depth)
{
  PeelBoard *self = run->self;
  GListModel *children = peel_node_get_children (node);
  guint n_children = children ? g_list_model_get_n_items (children) : 0;
  PeelBoardItem item = { 0 };
  PeelBoardPlace *place;
  int index = self->items->len;
  double first = 0, last = 0;

  item.node = g_object_ref (node);
  item.parent_index = parent_index;
  {
    g_autofree char *old_id = NULL;
    gpointer card = NULL;

    /* Taken out of the table without unparenting it; the table's copy of the id is freed. */
    if (g_hash_table_steal_extended (run->old_cards, peel_node_get_id (node),
                                     (gpointer *) &old_id, &card))
      item.card = g_object_ref (card);
  }
  if (item.card == NULL)
    {
      item.card = g_object_ref_sink (peel_board_card_new (node, run->store));
      gtk_widget_set_parent (GTK_WIDGET (item.card), GTK_WIDGET (self));
      gtk_widget_set_child_visible (GTK_WIDGET (item.card), FALSE);
    }
  g_array_append_val (self->items, item);
  g_hash_table_insert (self->index, (gpointer) peel_node_get_id (node),
                       GINT_TO_POINTER (index + 1));

  for (guint i = 0; i < n_children; i++)
    {
      g_autoptr(PeelNode) child = g_list_model_get_item (children, i);
      double y = place_node (run, child, index, depth + 1);

      if (i == 0)
        first = y;
      last = y;
    }

  {
    PeelBoardItem *placed = &g_array_index (self->items, PeelBoardItem, index);

    placed->x = PEEL_BOARD_MARGIN + depth * (PEEL_BOARD_CARD_WIDTH + PEEL_BOARD_GAP_X);
    if (n_children == 0)
      placed->y = PEEL_BOARD_MARGIN +
                  run->next_row++ * (PEEL_BOARD_CARD_HEIGHT + PEEL_BOARD_GAP_Y);
    else
      placed->y = (first + last) / 2;

    /* The tree's place is what its children are centred on, even if this card was moved. */
    {
      double tree_y = placed->y;

      place = g_hash_table_lookup (self->placed, peel_node_get_id (node));
      if (place != NULL)
        {
          placed->x = place->x;
          placed->y = place->y;
          placed->placed = TRUE;
        }
      return tree_y;
    }
  }
}

static void
unparent_card (gpointer data)
{
  gtk_widget_unparent (GTK_WIDGET (data));
}

/**
 * peel_board_layout_tree:
 *
 * Makes the items again from the session's tree, reusing the cards of turns that are still
 * there and dropping those of turns that went.
 */
void
peel_board_layout_tree (PeelBoard *self)
{
  g_autoptr(GHashTable) old_cards =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unparent_card);
  LayoutRun run = { self, old_cards, NULL, 0 };
  GListModel *roots;

  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);

      g_hash_table_insert (old_cards, g_strdup (peel_node_get_id (item->node)), item->card);
      g_clear_object (&item->node);
    }
  g_array_set_size (self->items, 0);
  g_hash_table_remove_all (self->index);

  if (self->session != NULL)
    {
      run.store = peel_session_get_store (self->session);
      roots = peel_session_get_roots (self->session);
      for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
        {
          g_autoptr(PeelNode) root = g_list_model_get_item (roots, i);
          place_node (&run, root, -1, 0);
        }
    }

  /* The cards the tree no longer has: their widgets were reffed by the items; the table
   * unparents them now. */
  for (guint i = 0; i < self->items->len; i++)
    g_object_unref (g_array_index (self->items, PeelBoardItem, i).card);
}

void
peel_board_get_bounds (PeelBoard       *self,
                       graphene_rect_t *bounds)
{
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);

      if (i == 0 || item->x < x0)
        x0 = item->x;
      if (i == 0 || item->y < y0)
        y0 = item->y;
      if (i == 0 || item->x + PEEL_BOARD_CARD_WIDTH > x1)
        x1 = item->x + PEEL_BOARD_CARD_WIDTH;
      if (i == 0 || item->y + PEEL_BOARD_CARD_HEIGHT > y1)
        y1 = item->y + PEEL_BOARD_CARD_HEIGHT;
    }
  graphene_rect_init (bounds, x0 - PEEL_BOARD_MARGIN, y0 - PEEL_BOARD_MARGIN,
                      x1 - x0 + 2 * PEEL_BOARD_MARGIN, y1 - y0 + 2 * PEEL_BOARD_MARGIN);
}

/* The card the arrow key leads to: left is the parent, right the first child, up and down the
 * nearest card above or below in the same column. */
PeelBoardItem *
peel_board_item_next_to (PeelBoard     *self,
                         PeelBoardItem *item,
                         guint          keyval)
{
  PeelBoardItem *best = NULL;
  double best_distance = G_MAXDOUBLE;
  int index = item - &g_array_index (self->items, PeelBoardItem, 0);

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      return item->parent_index >= 0
             ? &g_array_index (self->items, PeelBoardItem, item->parent_index) : NULL;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      for (guint i = index + 1; i < self->items->len; i++)
        if (g_array_index (self->items, PeelBoardItem, i).parent_index == index)
          return &g_array_index (self->items, PeelBoardItem, i);
      return NULL;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      for (guint i = 0; i < self->items->len; i++)
        {
          PeelBoardItem *other = &g_array_index (self->items, PeelBoardItem, i);
          gboolean up = keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up;
          double dy = other->y - item->y;
          double distance;

          if (other == item || (up ? dy >= 0 : dy <= 0))
            continue;
          distance = fabs (dy) + 4 * fabs (other->x - item->x);
          if (distance < best_distance)
            {
              best = other;
              best_distance = distance;
            }
        }
      return best;

    default:
      return NULL;
    }
}
