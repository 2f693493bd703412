/* peel-region-turn.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-part.h"
#include "peel-region.h"

G_BEGIN_DECLS

typedef struct _PeelRegionTurn PeelRegionTurn;

PeelRegionTurn       *peel_region_turn_new          (PeelRegionMask   *mask,
                                                     int               feather);
void                  peel_region_turn_free         (PeelRegionTurn   *turn);
gboolean              peel_region_turn_prepare      (PeelRegionTurn   *turn,
                                                     GBytes           *parent_image,
                                                     PeelModelFamily   family,
                                                     GError          **error);
const PeelRegionPlan *peel_region_turn_get_plan     (PeelRegionTurn   *turn);
const PeelRegionMask *peel_region_turn_get_mask     (PeelRegionTurn   *turn);
int                   peel_region_turn_get_feather  (PeelRegionTurn   *turn);
PeelPart             *peel_region_turn_dup_crop     (PeelRegionTurn   *turn);
char                 *peel_region_turn_dup_prompt   (PeelRegionTurn   *turn,
                                                     const char       *prompt);
GBytes               *peel_region_turn_composite    (PeelRegionTurn   *turn,
                                                     GBytes           *answer,
                                                     gboolean         *fitted,
                                                     GError          **error);
GBytes               *peel_region_turn_dup_mask_png (PeelRegionTurn   *turn,
                                                     GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelRegionTurn, peel_region_turn_free)

G_END_DECLS
