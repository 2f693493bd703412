/* peel-ratio-shape.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PEEL_TYPE_RATIO_SHAPE (peel_ratio_shape_get_type ())

G_DECLARE_FINAL_TYPE (PeelRatioShape, peel_ratio_shape, PEEL, RATIO_SHAPE, GtkWidget)

GtkWidget  *peel_ratio_shape_new          (const char     *ratio,
                                           int             box_size);
const char *peel_ratio_shape_get_ratio    (PeelRatioShape *self);
void        peel_ratio_shape_set_ratio    (PeelRatioShape *self,
                                           const char     *ratio);
int         peel_ratio_shape_get_box_size (PeelRatioShape *self);
void        peel_ratio_shape_set_box_size (PeelRatioShape *self,
                                           int             box_size);

G_END_DECLS
