/* peel-canvas-divider.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PEEL_TYPE_CANVAS_DIVIDER (peel_canvas_divider_get_type ())

G_DECLARE_FINAL_TYPE (PeelCanvasDivider, peel_canvas_divider, PEEL, CANVAS_DIVIDER, GtkWidget)

GtkWidget *peel_canvas_divider_new    (void);
void       peel_canvas_divider_update (PeelCanvasDivider *self,
                                       double             position,
                                       const char        *label_a,
                                       const char        *label_b);

G_END_DECLS
