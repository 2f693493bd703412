/* peel-canvas-tools.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-canvas.h"
#include "peel-region.h"
#include "peel-marks.h"

G_BEGIN_DECLS

/* What a drag on the canvas does. */
typedef enum
{
  PEEL_CANVAS_TOOL_PAN,
  PEEL_CANVAS_TOOL_RECTANGLE,
  PEEL_CANVAS_TOOL_ELLIPSE,
  PEEL_CANVAS_TOOL_LASSO,
  PEEL_CANVAS_TOOL_BRUSH,
  PEEL_CANVAS_TOOL_MARKS,
} PeelCanvasTool;

/* How a new shape combines with the selection already there. */
typedef enum
{
  PEEL_CANVAS_SELECT_REPLACE,
  PEEL_CANVAS_SELECT_ADD,
  PEEL_CANVAS_SELECT_SUBTRACT,
} PeelCanvasSelectMode;

#define PEEL_CANVAS_BRUSH_MIN 2.0
#define PEEL_CANVAS_BRUSH_MAX 1024.0

PeelCanvasTool        peel_canvas_get_tool             (PeelCanvas            *self);
void                  peel_canvas_set_tool             (PeelCanvas            *self,
                                                        PeelCanvasTool         tool);
const char           *peel_canvas_tool_to_string       (PeelCanvasTool         tool);
gboolean              peel_canvas_tool_from_string     (const char            *name,
                                                        PeelCanvasTool        *tool);

/* The selection, in pixels of the image shown. */
const PeelRegionMask *peel_canvas_get_selection        (PeelCanvas            *self);
gboolean              peel_canvas_has_selection        (PeelCanvas            *self);
gboolean              peel_canvas_selection_is_empty   (PeelCanvas            *self);
void                  peel_canvas_set_selection        (PeelCanvas            *self,
                                                        const PeelRegionMask  *mask);
void                  peel_canvas_select_rect          (PeelCanvas            *self,
                                                        PeelCanvasTool         shape,
                                                        PeelCanvasSelectMode   mode,
                                                        double                 x1,
                                                        double                 y1,
                                                        double                 x2,
                                                        double                 y2);
void                  peel_canvas_select_polygon       (PeelCanvas            *self,
                                                        PeelCanvasSelectMode   mode,
                                                        const PeelMarkPoint   *points,
                                                        guint                  n_points);
void                  peel_canvas_brush_stroke         (PeelCanvas            *self,
                                                        gboolean               erase,
                                                        const PeelMarkPoint   *points,
                                                        guint                  n_points);
void                  peel_canvas_invert_selection     (PeelCanvas            *self);
void                  peel_canvas_clear_selection      (PeelCanvas            *self);
int                   peel_canvas_get_feather          (PeelCanvas            *self);
void                  peel_canvas_set_feather          (PeelCanvas            *self,
                                                        int                    feather);
double                peel_canvas_get_brush_size       (PeelCanvas            *self);
void                  peel_canvas_set_brush_size       (PeelCanvas            *self,
                                                        double                 size);
void                  peel_canvas_widget_to_image      (PeelCanvas            *self,
                                                        double                 x,
                                                        double                 y,
                                                        double                *u,
                                                        double                *v);

/* The marks drawn over the image shown; never part of it. */
GPtrArray            *peel_canvas_get_marks            (PeelCanvas            *self);
void                  peel_canvas_set_marks            (PeelCanvas            *self,
                                                        GPtrArray             *marks);
void                  peel_canvas_set_mark_kind        (PeelCanvas            *self,
                                                        PeelMarkKind           kind);
PeelMarkKind          peel_canvas_get_mark_kind        (PeelCanvas            *self);
void                  peel_canvas_set_mark_color       (PeelCanvas            *self,
                                                        const char            *color);
const char           *peel_canvas_get_mark_color       (PeelCanvas            *self);
void                  peel_canvas_set_note_text        (PeelCanvas            *self,
                                                        const char            *text);
void                  peel_canvas_add_mark             (PeelCanvas            *self,
                                                        PeelMark              *mark);
int                   peel_canvas_get_selected_mark    (PeelCanvas            *self);
gboolean              peel_canvas_select_mark_at       (PeelCanvas            *self,
                                                        double                 u,
                                                        double                 v);
void                  peel_canvas_move_selected_mark   (PeelCanvas            *self,
                                                        double                 du,
                                                        double                 dv);
gboolean              peel_canvas_delete_selected_mark (PeelCanvas            *self);
gboolean              peel_canvas_can_undo_marks       (PeelCanvas            *self);
gboolean              peel_canvas_undo_marks           (PeelCanvas            *self);

G_END_DECLS
