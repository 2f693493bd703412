/* peel-canvas-math.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PEEL_CANVAS_ZOOM_MIN 0.125
#define PEEL_CANVAS_ZOOM_MAX 16.0

/* Where the image sits in the widget: image pixel (u, v) is drawn at
 * widget point (x + u * scale, y + v * scale).
 */
typedef struct
{
  double scale;
  double x;
  double y;
} PeelCanvasView;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} PeelCanvasRect;

double   peel_canvas_fit_scale          (double                image_width,
                                         double                image_height,
                                         double                view_width,
                                         double                view_height);
void     peel_canvas_fit_rect           (const PeelCanvasRect *frame,
                                         double                image_width,
                                         double                image_height,
                                         PeelCanvasRect       *fitted);
double   peel_canvas_zoom_step          (double                scale,
                                         int                   direction);
void     peel_canvas_view_zoom_around   (PeelCanvasView       *view,
                                         double                new_scale,
                                         double                px,
                                         double                py);
void     peel_canvas_view_clamp         (PeelCanvasView       *view,
                                         double                image_width,
                                         double                image_height,
                                         double                view_width,
                                         double                view_height);
void     peel_canvas_view_fit           (PeelCanvasView       *view,
                                         double                image_width,
                                         double                image_height,
                                         double                view_width,
                                         double                view_height);
gboolean peel_canvas_visible_source     (const PeelCanvasView *view,
                                         double                image_width,
                                         double                image_height,
                                         double                view_width,
                                         double                view_height,
                                         PeelCanvasRect       *source);
int      peel_canvas_mipmap_level       (double                device_scale,
                                         int                   n_levels);
int      peel_canvas_mipmap_count       (int                   width,
                                         int                   height);
char    *peel_canvas_format_zoom        (double                scale);

gboolean peel_canvas_pixels_opaque      (const guint8         *pixels,
                                         int                   width,
                                         int                   height,
                                         gsize                 stride);
void     peel_canvas_downsample_half    (const guint8         *src,
                                         int                   src_width,
                                         int                   src_height,
                                         gsize                 src_stride,
                                         guint8               *dst,
                                         gsize                 dst_stride);
void     peel_canvas_resample           (const guint8         *src,
                                         int                   src_width,
                                         int                   src_height,
                                         gsize                 src_stride,
                                         guint8               *dst,
                                         int                   dst_width,
                                         int                   dst_height,
                                         gsize                 dst_stride);
void     peel_canvas_difference         (const guint8         *a,
                                         gsize                 a_stride,
                                         const guint8         *b,
                                         gsize                 b_stride,
                                         int                   width,
                                         int                   height,
                                         guint8               *dst,
                                         gsize                 dst_stride);

G_END_DECLS
