/* peel-generation-private.h
 *
 * What peel-generation.c shares with peel-generation-save.c.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-generation.h"
#include "peel-region-turn.h"

G_BEGIN_DECLS

gboolean _peel_generation_check_writable (PeelSession     *session,
                                          GError         **error);

char    *_peel_generation_budget_images  (GPtrArray          *users,
                                          const guint        *turns,
                                          const char * const *prompts,
                                          guint               n_new,
                                          const char         *model);

GBytes  *_peel_generation_render_marks   (GBytes             *image,
                                          GPtrArray          *marks,
                                          GError            **error);
gboolean _peel_generation_region_compose (PeelRegionTurn     *turn,
                                          GPtrArray          *reply_parts,
                                          GPtrArray         **parts,
                                          PeelPart          **answer,
                                          gboolean           *fitted,
                                          GError            **error);

G_END_DECLS
