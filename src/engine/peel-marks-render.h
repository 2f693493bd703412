/* peel-marks-render.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "peel-marks.h"

G_BEGIN_DECLS

void       peel_marks_draw   (cairo_t   *cr,
                              GPtrArray *marks);
GdkPixbuf *peel_marks_render (GdkPixbuf *image,
                              GPtrArray *marks);

G_END_DECLS
