/* peel-canvas-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "peel-canvas.h"
#include "peel-canvas-divider.h"
#include "peel-canvas-math.h"
#include "peel-canvas-tools.h"

G_BEGIN_DECLS

#define SIDE_BY_SIDE_GAP 12

/* The smaller copies of one texture, made in a worker. */
typedef struct _PeelCanvasMipmaps PeelCanvasMipmaps;

void               _peel_canvas_mipmaps_free (PeelCanvasMipmaps *mipmaps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelCanvasMipmaps, _peel_canvas_mipmaps_free)

/* The selection tools' and the marks' state: peel-canvas-tools-private.h. */
typedef struct _PeelCanvasSelect PeelCanvasSelect;
typedef struct _PeelCanvasMarks PeelCanvasMarks;

/* One texture and its half-size copies, made in a worker thread. */
typedef struct
{
  GdkTexture   *texture;
  GBytes       *source;       /* the encoded image it was decoded from, if the canvas did */
  GPtrArray    *mipmaps;      /* level 1, 2, …; NULL until made */
  GPtrArray    *pixels;       /* GBytes of level 0, 1, … */
  GHashTable   *tiles;        /* tile key → GdkTexture cut from a large level, for GL */
  gboolean      opaque;       /* no pixel lets the checkerboard through; FALSE until known */
  GCancellable *cancellable;

  /* The visible part of a level as last shrunk for the cairo renderer, and what it was shrunk
   * from and to: drawn again as it is while only something above it changes. */
  cairo_surface_t *shrunk;
  GskRenderNode   *shrunk_node;     /* drawing it: the same node each frame, so GTK skips it */
  GBytes          *shrunk_source;
  graphene_rect_t  shrunk_dest;
  graphene_rect_t  shrunk_area;
} PeelCanvasImage;

/* The loads of one layer (the image, or the one it is compared with): peel-canvas-load.c. */
typedef struct
{
  guint      serial;          /* of the newest load or set; an older one is not shown */
  GPtrArray *decoding;        /* PeelCanvasDecode in flight, oldest first */
  gpointer   spare;           /* a decode that finished after a newer load asked for it */
} PeelCanvasLoads;

/* When the image shown was asked for, decoded, shrunk and set by a load (monotonic µs), and
 * when a later load found its bytes already shown, for window-bench. */
typedef struct
{
  gint64 started;
  gint64 decoded;
  gint64 shrunk;
  gint64 set;
  gint64 reused;
} PeelCanvasLoadTimes;

struct _PeelCanvas
{
  GtkWidget              parent_instance;

  PeelCanvasImage        image;
  PeelCanvasImage        compare;
  PeelCanvasLoads        loads[2];        /* PeelCanvasLayer → its loads */
  PeelCanvasLoadTimes    load_times;

  PeelCanvasView         view;
  double                 zoom;            /* 0 while fitting */
  char                  *zoom_label;
  int                    last_width;
  int                    last_height;
  double                 pointer_x;
  double                 pointer_y;
  gboolean               pointer_inside;

  double                 drag_start_x;
  double                 drag_start_y;
  double                 pinch_start_scale;
  gboolean               dragging_divider;

  PeelCanvasCompareMode  compare_mode;
  double                 split_position;
  char                  *label_a;
  char                  *label_b;

  GdkTexture            *difference;
  int                    difference_level;
  int                    difference_wanted;
  GCancellable          *difference_cancellable;

  gboolean               dimmed;
  gboolean               image_drawn;     /* the image has been drawn since it was set */
  double                 opacity;
  AdwAnimation          *dim_animation;
  char                  *description;
  GtkWidget             *divider;         /* the split view's divider, for the keyboard */

  PeelCanvasTool         tool;
  PeelCanvasSelect      *select;
  PeelCanvasMarks       *marks;
  gboolean               tool_dragging;   /* a drag belongs to the tool, not to panning */
};

void        _peel_canvas_image_clear          (PeelCanvasImage       *image);
GdkTexture *_peel_canvas_image_pick           (PeelCanvasImage       *image,
                                               double                 device_scale,
                                               int                   *level);
int         _peel_canvas_image_width          (PeelCanvasImage       *image);
int         _peel_canvas_image_height         (PeelCanvasImage       *image);
guint8     *_peel_canvas_download             (GdkTexture            *texture,
                                               gsize                 *stride);
GdkTexture *_peel_canvas_wrap_pixels          (guint8                *pixels,
                                               int                    width,
                                               int                    height,
                                               gsize                  stride);
gboolean    _peel_canvas_wants_pixels         (PeelCanvas            *self);
gboolean    _peel_canvas_image_set_prepared   (PeelCanvas            *self,
                                               PeelCanvasImage       *image,
                                               GdkTexture            *texture,
                                               PeelCanvasMipmaps     *prepared);
gboolean    _peel_canvas_image_set            (PeelCanvas            *self,
                                               PeelCanvasImage       *image,
                                               GdkTexture            *texture);
GBytes     *_peel_canvas_new_pixels          (gsize                  size,
                                               guint8               **data);
PeelCanvasMipmaps *_peel_canvas_make_mipmaps  (GdkTexture            *texture,
                                               GCancellable          *cancellable);
PeelCanvasMipmaps *_peel_canvas_make_mipmaps_from (GdkTexture        *texture,
                                                   GBytes            *level0,
                                                   gsize              stride,
                                                   int                opaque,
                                                   GCancellable      *cancellable);
void        _peel_canvas_set_prepared         (PeelCanvas            *self,
                                               PeelCanvasLayer        layer,
                                               GdkTexture            *texture,
                                               PeelCanvasMipmaps     *mipmaps,
                                               GBytes                *source);

void        _peel_canvas_loads_init           (PeelCanvas            *self);
void        _peel_canvas_loads_clear          (PeelCanvas            *self);
void        _peel_canvas_loads_supersede      (PeelCanvas            *self,
                                               PeelCanvasLayer        layer);

void        _peel_canvas_snapshot             (GtkWidget             *widget,
                                               GtkSnapshot           *snapshot);

void        _peel_canvas_compare_snapshot     (PeelCanvas            *self,
                                               GtkSnapshot           *snapshot,
                                               int                    width,
                                               int                    height);
void        _peel_canvas_append_image         (PeelCanvas            *self,
                                               GtkSnapshot           *snapshot,
                                               PeelCanvasImage       *image,
                                               const graphene_rect_t *bounds,
                                               double                 device_scale);
void        _peel_canvas_append_pill          (PeelCanvas            *self,
                                               GtkSnapshot           *snapshot,
                                               const char            *text,
                                               double                 x,
                                               double                 y,
                                               gboolean               align_right);
void        _peel_canvas_update_difference    (PeelCanvas            *self);
void        _peel_canvas_clear_difference     (PeelCanvas            *self);
void        _peel_canvas_viewport_size        (PeelCanvas            *self,
                                               double                *width,
                                               double                *height);

void        _peel_canvas_init_input           (PeelCanvas            *self);
void        _peel_canvas_allocate_divider     (PeelCanvas            *self,
                                               int                    width,
                                               int                    height);
void        _peel_canvas_zoom_to              (PeelCanvas            *self,
                                               double                 scale,
                                               double                 px,
                                               double                 py);
gboolean    _peel_canvas_can_pan              (PeelCanvas            *self);
void        _peel_canvas_pan_by               (PeelCanvas            *self,
                                               double                 dx,
                                               double                 dy);

void        _peel_canvas_tools_class_init     (GtkWidgetClass        *widget_class);
void        _peel_canvas_tools_init           (PeelCanvas            *self);
void        _peel_canvas_tools_finalize       (PeelCanvas            *self);
void        _peel_canvas_tools_snapshot       (PeelCanvas            *self,
                                               GtkSnapshot           *snapshot,
                                               int                    width,
                                               int                    height);
gboolean    _peel_canvas_tools_drag_begin     (PeelCanvas            *self,
                                               GtkGestureDrag        *gesture,
                                               double                 x,
                                               double                 y);
gboolean    _peel_canvas_tools_drag_update    (PeelCanvas            *self,
                                               GtkGestureDrag        *gesture,
                                               double                 offset_x,
                                               double                 offset_y);
gboolean    _peel_canvas_tools_drag_end       (PeelCanvas            *self,
                                               GtkGestureDrag        *gesture);

/* For tests. */
GdkTexture *_peel_canvas_get_difference       (PeelCanvas            *self);
guint       _peel_canvas_get_n_mipmaps        (PeelCanvas            *self);
void        _peel_canvas_get_view             (PeelCanvas            *self,
                                               PeelCanvasView        *view);
void        _peel_canvas_get_load_times       (PeelCanvas            *self,
                                               PeelCanvasLoadTimes   *times);

G_END_DECLS
