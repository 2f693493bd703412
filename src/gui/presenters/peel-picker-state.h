/* peel-picker-state.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "peel-model-catalog.h"

G_BEGIN_DECLS

typedef enum
{
  PEEL_RATIO_SQUARE,
  PEEL_RATIO_PORTRAIT,
  PEEL_RATIO_LANDSCAPE,
} PeelRatioOrientation;

gboolean              peel_view_ratio_enabled            (PeelModelFamily  family,
                                                          const char      *ratio);
char                 *peel_view_ratio_disabled_reason    (PeelModelFamily  family,
                                                          const char      *ratio);
PeelRatioOrientation  peel_view_ratio_orientation        (const char      *ratio);
char                 *peel_view_ratio_accessible_label   (const char      *ratio);
gboolean              peel_view_ratio_shape_box          (const char      *ratio,
                                                          double           box,
                                                          double          *width,
                                                          double          *height);
const char           *peel_view_closest_ratio            (PeelModelFamily  family,
                                                          const char      *ratio);

gboolean              peel_view_size_enabled             (PeelModelFamily  family,
                                                          PeelImageSize    size);
char                 *peel_view_size_disabled_reason     (PeelModelFamily  family,
                                                          PeelImageSize    size);
char                 *peel_view_size_pixels_text         (PeelModelFamily  family,
                                                          const char      *ratio,
                                                          PeelImageSize    size);
char                 *peel_view_price_text               (PeelModelFamily  family,
                                                          PeelImageSize    size);
char                 *peel_view_total_price_text         (PeelModelFamily  family,
                                                          PeelImageSize    size,
                                                          guint            count);
char                 *peel_view_size_detail_text         (PeelModelFamily  family,
                                                          const char      *ratio,
                                                          PeelImageSize    size);
PeelImageSize         peel_view_closest_size             (PeelModelFamily  family,
                                                          PeelImageSize    size);

char                 *peel_view_reference_count_text     (guint            n_references,
                                                          guint            max_references);
gboolean              peel_view_can_add_reference        (guint            n_references,
                                                          guint            max_references);
char                 *peel_view_reference_limit_message  (PeelModelFamily  family);
char                 *peel_view_small_reference_warning  (const char      *name,
                                                          int              width,
                                                          int              height);

gboolean              peel_view_show_thoughts_enabled    (PeelModelFamily  family);

gboolean              peel_view_generate_enabled         (const char      *prompt,
                                                          guint            n_references,
                                                          guint            max_references,
                                                          gboolean         busy);

G_END_DECLS
