/* peel-canvas-tools-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-canvas-private.h"
#include "peel-canvas-tools.h"

G_BEGIN_DECLS

/* The selection and the shape being dragged: peel-canvas-select.c. */
struct _PeelCanvasSelect
{
  PeelRegionMask       *mask;         /* NULL: nothing selected */
  int                   feather;
  double                brush_size;   /* diameter in pixels of the image */
  guint                 serial;       /* bumped by every change of the mask */

  gboolean              shaping;      /* a rectangle, ellipse or lasso is being dragged */
  gboolean              painting;
  gboolean              erasing;
  PeelCanvasSelectMode  mode;
  GArray               *shape;        /* PeelMarkPoint in pixels of the image */
  double                last_u;
  double                last_v;

  GPtrArray            *tiles;        /* GskRenderNode: the tint and outline as last drawn */
  int                   tiles_x;
  int                   tiles_y;
  guint                 overlay_serial;
  PeelCanvasView        overlay_view;
  int                   overlay_sf;
  int                   overlay_x;      /* the visible part of the image, in device pixels */
  int                   overlay_y;
  int                   overlay_width;
  int                   overlay_height;
};

/* The marks and the one being drawn or moved: peel-canvas-marks.c. */
struct _PeelCanvasMarks
{
  GPtrArray    *marks;                /* PeelMark */
  GPtrArray    *undo;                 /* earlier copies of marks, newest last */
  PeelMarkKind  kind;
  char         *color;
  char         *note_text;
  int           selected;             /* index into marks, or -1 */
  PeelMark     *drawing;              /* a mark being drawn, not yet in marks */
  gboolean      moving;
  gboolean      moved;
  double        last_u;
  double        last_v;
};

PeelCanvasSelect *_peel_canvas_select_new          (void);
void              _peel_canvas_select_free         (PeelCanvasSelect *select);
void              _peel_canvas_select_changed      (PeelCanvas       *self,
                                                    gboolean          notify);
void              _peel_canvas_select_damage       (PeelCanvas       *self,
                                                    double            u0,
                                                    double            v0,
                                                    double            u1,
                                                    double            v1);
void              _peel_canvas_select_brush_to     (PeelCanvas       *self,
                                                    gboolean          erase,
                                                    double            u,
                                                    double            v,
                                                    gboolean          first);
void              _peel_canvas_select_snapshot     (PeelCanvas       *self,
                                                    GtkSnapshot      *snapshot,
                                                    int               width,
                                                    int               height);

PeelCanvasMarks  *_peel_canvas_marks_new           (void);
void              _peel_canvas_marks_free          (PeelCanvasMarks  *marks);
void              _peel_canvas_marks_snapshot      (PeelCanvas       *self,
                                                    GtkSnapshot      *snapshot,
                                                    int               width,
                                                    int               height);
void              _peel_canvas_marks_drag_begin    (PeelCanvas       *self,
                                                    double            u,
                                                    double            v);
void              _peel_canvas_marks_drag_update   (PeelCanvas       *self,
                                                    double            u,
                                                    double            v);
void              _peel_canvas_marks_drag_end      (PeelCanvas       *self);

G_END_DECLS
