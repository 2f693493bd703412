/* peel-canvas-tool-strip.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-canvas.h"

G_BEGIN_DECLS

#define PEEL_TYPE_CANVAS_TOOL_STRIP (peel_canvas_tool_strip_get_type ())

G_DECLARE_FINAL_TYPE (PeelCanvasToolStrip, peel_canvas_tool_strip, PEEL, CANVAS_TOOL_STRIP,
                      GtkWidget)

PeelCanvas *peel_canvas_tool_strip_get_canvas     (PeelCanvasToolStrip *self);
void        peel_canvas_tool_strip_set_canvas     (PeelCanvasToolStrip *self,
                                                   PeelCanvas          *canvas);
const char *peel_canvas_tool_strip_get_tool       (PeelCanvasToolStrip *self);
void        peel_canvas_tool_strip_set_tool       (PeelCanvasToolStrip *self,
                                                   const char          *tool);
gboolean    peel_canvas_tool_strip_get_send_marks (PeelCanvasToolStrip *self);
void        peel_canvas_tool_strip_set_send_marks (PeelCanvasToolStrip *self,
                                                   gboolean             send_marks);

void        peel_canvas_tool_strip_sync_marks     (PeelCanvasToolStrip *self);

G_END_DECLS
