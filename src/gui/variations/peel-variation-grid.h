/* peel-variation-grid.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-generation.h"
#include "peel-session.h"
#include "peel-variation-cell.h"

G_BEGIN_DECLS

#define PEEL_TYPE_VARIATION_GRID (peel_variation_grid_get_type ())

G_DECLARE_FINAL_TYPE (PeelVariationGrid, peel_variation_grid, PEEL, VARIATION_GRID, GtkWidget)

GtkWidget         *peel_variation_grid_new               (void);
void               peel_variation_grid_set_session       (PeelVariationGrid *self,
                                                          PeelSession       *session);
void               peel_variation_grid_reset             (PeelVariationGrid *self,
                                                          guint              count);
void               peel_variation_grid_set_item          (PeelVariationGrid *self,
                                                          guint              index,
                                                          PeelGeneration    *generation,
                                                          PeelNode          *node);
void               peel_variation_grid_show_nodes        (PeelVariationGrid *self,
                                                          GPtrArray         *nodes);
guint              peel_variation_grid_get_n_cells       (PeelVariationGrid *self);
PeelVariationCell *peel_variation_grid_get_cell          (PeelVariationGrid *self,
                                                          guint              index);
gboolean           peel_variation_grid_contains          (PeelVariationGrid *self,
                                                          PeelNode          *node);
guint              peel_variation_grid_get_selected      (PeelVariationGrid *self);
void               peel_variation_grid_set_selected      (PeelVariationGrid *self,
                                                          guint              index);
void               peel_variation_grid_set_running       (PeelVariationGrid *self,
                                                          gboolean           running);
const char        *peel_variation_grid_get_summary       (PeelVariationGrid *self);

G_END_DECLS
