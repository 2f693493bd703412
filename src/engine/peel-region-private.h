/* peel-region-private.h
 *
 * What peel-region.c (masks, plans) shares with peel-region-composite.c (placing the answer).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-region.h"

G_BEGIN_DECLS

gboolean peel_region_rect_clip    (PeelRegionRect       *rect,
                                   int                   width,
                                   int                   height);

/* The feathered mask over an area, made one row at a time, top to bottom. */
typedef struct
{
  const PeelRegionMask *mask;
  PeelRegionRect        area;
  int                   feather;
  int                   row;
  int                   left;
  int                   right;
  guint                *columns;
  guint64               inverse;
  guint8                ease[256];
} PeelRegionFeather;

void     peel_region_feather_init  (PeelRegionFeather    *f,
                                    const PeelRegionMask *mask,
                                    const PeelRegionRect *area,
                                    int                   feather);
void     peel_region_feather_next  (PeelRegionFeather    *f,
                                    guint8               *out);
void     peel_region_feather_clear (PeelRegionFeather    *f);

G_END_DECLS
