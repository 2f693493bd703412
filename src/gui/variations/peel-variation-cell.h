/* peel-variation-cell.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-generation.h"
#include "peel-node.h"

G_BEGIN_DECLS

#define PEEL_TYPE_VARIATION_CELL (peel_variation_cell_get_type ())

G_DECLARE_FINAL_TYPE (PeelVariationCell, peel_variation_cell, PEEL, VARIATION_CELL, GtkWidget)

GtkWidget      *peel_variation_cell_new            (guint              index,
                                                    guint              count);
PeelNode       *peel_variation_cell_get_node       (PeelVariationCell *self);
void            peel_variation_cell_set_node       (PeelVariationCell *self,
                                                    PeelNode          *node);
void            peel_variation_cell_set_generation (PeelVariationCell *self,
                                                    PeelGeneration    *generation);
void            peel_variation_cell_set_unsent     (PeelVariationCell *self,
                                                    const char        *reason);
gboolean        peel_variation_cell_get_selected   (PeelVariationCell *self);
void            peel_variation_cell_set_selected   (PeelVariationCell *self,
                                                    gboolean           selected);
gboolean        peel_variation_cell_get_has_texture (PeelVariationCell *self);
const char     *peel_variation_cell_get_state_text (PeelVariationCell *self);

G_END_DECLS
