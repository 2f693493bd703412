/* peel-canvas-math.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "peel-canvas-math.h"

/* A mipmap level stops being worth its memory once its longer side is this small. */
#define MIPMAP_MIN_SIDE 256
#define MIPMAP_MAX_LEVELS 6

/* Where alpha sits in GDK_MEMORY_DEFAULT (cairo's ARGB32 in native byte order). */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
# define ALPHA_BYTE 3
#else
# define ALPHA_BYTE 0
#endif

/* Fixed steps so that 100 % and the usual fractions are always reachable. */
static const double zoom_ladder[] = {
  1.0 / 8, 1.0 / 6, 1.0 / 4, 1.0 / 3, 1.0 / 2, 2.0 / 3,
  1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0,
};

/**
 * peel_canvas_fit_scale:
 *
 * Returns: the scale that shows the whole image in the view, never above 1: an image smaller
 *   than the view is shown at 100 %.
 */
double
peel_canvas_fit_scale (double image_width,
                       double image_height,
                       double view_width,
                       double view_height)
{
  double scale;

  if (image_width <= 0 || image_height <= 0 || view_width <= 0 || view_height <= 0)
    return 1.0;

  scale = MIN (view_width / image_width, view_height / image_height);

  return MIN (scale, 1.0);
}

/**
 * peel_canvas_fit_rect:
 * @frame: the frame to fit into
 * @fitted: (out): the largest rectangle of the image's shape inside @frame, centred
 *
 * How an image of another shape than the frame is shown in it (the second image of a
 * comparison in the first one's frame): whole, undistorted, letterboxed. Unlike
 * peel_canvas_fit_scale() it scales up as well as down, since the frame is already the size
 * the user chose to look at.
 */
void
peel_canvas_fit_rect (const PeelCanvasRect *frame,
                      double                image_width,
                      double                image_height,
                      PeelCanvasRect       *fitted)
{
  double scale;

  g_return_if_fail (frame != NULL && fitted != NULL);

  if (image_width <= 0 || image_height <= 0)
    {
      *fitted = *frame;
      return;
    }

  scale = MIN (frame->width / image_width, frame->height / image_height);
  fitted->width = image_width * scale;
  fitted->height = image_height * scale;
  fitted->x = frame->x + (frame->width - fitted->width) / 2;
  fitted->y = frame->y + (frame->height - fitted->height) / 2;
}

/**
 * peel_canvas_zoom_step:
 * @direction: 1 to zoom in, -1 to zoom out
 *
 * Returns: the next step of the zoom ladder above (or below) @scale, clamped to the ladder.
 */
double
peel_canvas_zoom_step (double scale,
                       int    direction)
{
  const double eps = 1e-6;

  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (zoom_ladder); i++)
        if (zoom_ladder[i] > scale * (1 + eps))
          return zoom_ladder[i];

      return PEEL_CANVAS_ZOOM_MAX;
    }

  for (guint i = G_N_ELEMENTS (zoom_ladder); i > 0; i--)
    if (zoom_ladder[i - 1] < scale * (1 - eps))
      return zoom_ladder[i - 1];

  return PEEL_CANVAS_ZOOM_MIN;
}

/**
 * peel_canvas_view_zoom_around:
 *
 * Changes the scale so that the image point under the widget point (@px, @py) stays there.
 */
void
peel_canvas_view_zoom_around (PeelCanvasView *view,
                              double          new_scale,
                              double          px,
                              double          py)
{
  double u, v;

  g_return_if_fail (view != NULL);
  g_return_if_fail (view->scale > 0 && new_scale > 0);

  u = (px - view->x) / view->scale;
  v = (py - view->y) / view->scale;

  view->scale = new_scale;
  view->x = px - u * new_scale;
  view->y = py - v * new_scale;
}

static double
clamp_axis (double origin,
            double image_extent,
            double view_extent)
{
  if (image_extent <= view_extent)
    return (view_extent - image_extent) / 2;

  return CLAMP (origin, view_extent - image_extent, 0);
}

/**
 * peel_canvas_view_clamp:
 *
 * Keeps the image from being lost: along an axis where it is smaller than the view it is
 * centred, along one where it is larger it always covers the view (no empty margin).
 */
void
peel_canvas_view_clamp (PeelCanvasView *view,
                        double          image_width,
                        double          image_height,
                        double          view_width,
                        double          view_height)
{
  g_return_if_fail (view != NULL);

  view->x = clamp_axis (view->x, image_width * view->scale, view_width);
  view->y = clamp_axis (view->y, image_height * view->scale, view_height);
}

void
peel_canvas_view_fit (PeelCanvasView *view,
                      double          image_width,
                      double          image_height,
                      double          view_width,
                      double          view_height)
{
  g_return_if_fail (view != NULL);

  view->scale = peel_canvas_fit_scale (image_width, image_height, view_width, view_height);
  view->x = 0;
  view->y = 0;
  peel_canvas_view_clamp (view, image_width, image_height, view_width, view_height);
}

/**
 * peel_canvas_visible_source:
 * @source: (out): the part of the image, in image pixels, that the view shows
 *
 * Returns: %FALSE when no part of the image is visible
 */
gboolean
peel_canvas_visible_source (const PeelCanvasView *view,
                            double                image_width,
                            double                image_height,
                            double                view_width,
                            double                view_height,
                            PeelCanvasRect       *source)
{
  double x0, y0, x1, y1;

  g_return_val_if_fail (view != NULL && view->scale > 0, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  x0 = MAX (0, -view->x / view->scale);
  y0 = MAX (0, -view->y / view->scale);
  x1 = MIN (image_width, (view_width - view->x) / view->scale);
  y1 = MIN (image_height, (view_height - view->y) / view->scale);

  *source = (PeelCanvasRect) { x0, y0, MAX (0, x1 - x0), MAX (0, y1 - y0) };

  return x1 > x0 && y1 > y0;
}

/**
 * peel_canvas_mipmap_count:
 *
 * Returns: how many half-size levels (1 = half, 2 = quarter, …) are worth making for an
 *   image of this size
 */
int
peel_canvas_mipmap_count (int width,
                          int height)
{
  int n = 0;

  while (n < MIPMAP_MAX_LEVELS && MAX (width >> (n + 1), height >> (n + 1)) >= MIPMAP_MIN_SIDE
         && MIN (width >> (n + 1), height >> (n + 1)) >= 1)
    n++;

  return n;
}

/**
 * peel_canvas_mipmap_level:
 * @device_scale: the scale from image pixels to device pixels
 * @n_levels: how many half-size levels exist
 *
 * Returns: the level to draw: the smallest one that still has at least one texel per device
 *   pixel, so that linear filtering never skips texels (0 = the full image)
 */
int
peel_canvas_mipmap_level (double device_scale,
                          int    n_levels)
{
  int level;

  if (device_scale <= 0 || n_levels <= 0 || device_scale > 0.5)
    return 0;

  level = (int) floor (log2 (1.0 / device_scale) + 1e-9);

  return CLAMP (level, 0, n_levels);
}

/**
 * peel_canvas_format_zoom:
 *
 * Returns: (transfer full): the scale as a percentage for a label, e.g. "100 %"
 */
char *
peel_canvas_format_zoom (double scale)
{
  double percent = scale * 100;

  /* 12.5 % and 66.7 % say more than 13 % and 67 %; above 100 % whole numbers suffice. */
  if (percent < 100 && fabs (percent - round (percent)) >= 0.05)
    /* Translators: a zoom level; keep the space before % if your language uses one */
    return g_strdup_printf (_("%.1f %%"), percent);

  /* Translators: a zoom level; keep the space before % if your language uses one */
  return g_strdup_printf (_("%.0f %%"), round (percent));
}

/**
 * peel_canvas_pixels_opaque:
 *
 * Returns: whether every pixel of a 4-byte-per-pixel image in the default memory format
 *   (B8G8R8A8, premultiplied) is fully opaque: nothing behind such an image shows through, so
 *   the canvas need not draw the checkerboard under it
 */
gboolean
peel_canvas_pixels_opaque (const guint8 *pixels,
                           int           width,
                           int           height,
                           gsize         stride)
{
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = pixels + y * stride;
      guint8 alpha = 0xff;

      /* And all alphas of a row, then test once: no branch in the loop that scans 4K. */
      for (int x = 0; x < width; x++)
        alpha &= row[4 * x + 3];
      if (alpha != 0xff)
        return FALSE;
    }
  return TRUE;
}

/**
 * peel_canvas_downsample_half:
 *
 * Halves a 4-byte-per-pixel image with a 2×2 box filter; the result is MAX (1, w / 2) by
 * MAX (1, h / 2). On premultiplied pixels this is the correct average. An odd last row or
 * column is folded into its neighbour so no part of the image is dropped.
 */
void
peel_canvas_downsample_half (const guint8 *src,
                             int           src_width,
                             int           src_height,
                             gsize         src_stride,
                             guint8       *dst,
                             gsize         dst_stride)
{
  int dst_width = MAX (1, src_width / 2);
  int dst_height = MAX (1, src_height / 2);

  for (int y = 0; y < dst_height; y++)
    {
      int y0 = MIN (2 * y, src_height - 1);
      int y1 = MIN (2 * y + 1, src_height - 1);
      const guint8 *r0 = src + y0 * src_stride;
      const guint8 *r1 = src + y1 * src_stride;
      guint8 *out = dst + y * dst_stride;

      for (int x = 0; x < dst_width; x++)
        {
          int x0 = MIN (2 * x, src_width - 1) * 4;
          int x1 = MIN (2 * x + 1, src_width - 1) * 4;

          for (int c = 0; c < 4; c++)
            out[4 * x + c] = (r0[x0 + c] + r0[x1 + c] + r1[x0 + c] + r1[x1 + c] + 2) / 4;
        }
    }
}

/**
 * peel_canvas_resample:
 *
 * Scales a 4-byte-per-pixel image to any size by averaging the source pixels that fall in
 * each destination pixel (nearest pixel when enlarging).
 */
void
peel_canvas_resample (const guint8 *src,
                      int           src_width,
                      int           src_height,
                      gsize         src_stride,
                      guint8       *dst,
                      int           dst_width,
                      int           dst_height,
                      gsize         dst_stride)
{
  for (int y = 0; y < dst_height; y++)
    {
      int sy0 = (int) ((gint64) y * src_height / dst_height);
      int sy1 = MAX (sy0 + 1, (int) ((gint64) (y + 1) * src_height / dst_height));
      guint8 *out = dst + y * dst_stride;

      for (int x = 0; x < dst_width; x++)
        {
          int sx0 = (int) ((gint64) x * src_width / dst_width);
          int sx1 = MAX (sx0 + 1, (int) ((gint64) (x + 1) * src_width / dst_width));
          guint sum[4] = { 0, 0, 0, 0 };
          guint n = (guint) ((sx1 - sx0) * (sy1 - sy0));

          for (int sy = sy0; sy < sy1; sy++)
            {
              const guint8 *p = src + sy * src_stride + sx0 * 4;

              for (int sx = sx0; sx < sx1; sx++, p += 4)
                {
                  sum[0] += p[0];
                  sum[1] += p[1];
                  sum[2] += p[2];
                  sum[3] += p[3];
                }
            }

          for (int c = 0; c < 4; c++)
            out[4 * x + c] = (guint8) ((sum[c] + n / 2) / n);
        }
    }
}

/**
 * peel_canvas_difference:
 *
 * Writes |A − B| per channel of two premultiplied images of the same size. The three colour
 * channels hold the differences; the alpha channel holds the largest difference of all four
 * channels, so the result is itself valid premultiplied data: transparent where the images
 * agree, opaque where they differ most, and can be drawn over the first image.
 * The pixels are GDK_MEMORY_DEFAULT: premultiplied, alpha in byte 3 on little-endian machines.
 */
void
peel_canvas_difference (const guint8 *a,
                        gsize         a_stride,
                        const guint8 *b,
                        gsize         b_stride,
                        int           width,
                        int           height,
                        guint8       *dst,
                        gsize         dst_stride)
{
  for (int y = 0; y < height; y++)
    {
      const guint8 *pa = a + y * a_stride;
      const guint8 *pb = b + y * b_stride;
      guint8 *out = dst + y * dst_stride;

      for (int x = 0; x < width; x++, pa += 4, pb += 4, out += 4)
        {
          int d0 = ABS (pa[0] - pb[0]);
          int d1 = ABS (pa[1] - pb[1]);
          int d2 = ABS (pa[2] - pb[2]);
          int d3 = ABS (pa[3] - pb[3]);

          out[0] = d0;
          out[1] = d1;
          out[2] = d2;
          out[3] = d3;
          out[ALPHA_BYTE] = MAX (MAX (d0, d1), MAX (d2, d3));
        }
    }
}
