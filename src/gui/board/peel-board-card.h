/* peel-board-card.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-node.h"
#include "peel-store.h"

G_BEGIN_DECLS

#define PEEL_TYPE_BOARD_CARD (peel_board_card_get_type ())

G_DECLARE_FINAL_TYPE (PeelBoardCard, peel_board_card, PEEL, BOARD_CARD, GtkWidget)

PeelBoardCard *peel_board_card_new          (PeelNode      *node,
                                             PeelStore     *store);
PeelNode      *peel_board_card_get_node     (PeelBoardCard *self);
void           peel_board_card_set_selected (PeelBoardCard *self,
                                             gboolean       selected);
gboolean       peel_board_card_get_selected (PeelBoardCard *self);
void           peel_board_card_set_current  (PeelBoardCard *self,
                                             gboolean       current);
void           peel_board_card_set_detail   (PeelBoardCard *self,
                                             gboolean       detail);
void           peel_board_card_set_zoom     (PeelBoardCard *self,
                                             double         zoom);
gboolean       peel_board_card_get_loading  (PeelBoardCard *self);
GdkTexture    *peel_board_card_get_texture  (PeelBoardCard *self);
char          *peel_board_card_dup_label    (PeelBoardCard *self);

G_END_DECLS
