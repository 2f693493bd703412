/* peel-canvas-select.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-canvas-private.h"
#include "peel-canvas-tools-private.h"

/* The selection is a mask of the image's size. What is drawn over the image is made in widget
 * space instead: each device pixel of the image's visible part looks the mask up, so the tint
 * and the outline stay one device pixel sharp at any zoom, and the cost follows the window's
 * size, not the image's (a 4K mask is never scaled as a bitmap). */

#define TINT_ALPHA    0.45
#define ANTS_DASH     4
#define TILE_SIZE     256   /* device pixels: a brush dab makes only the tiles it reaches again */

PeelCanvasSelect *
_peel_canvas_select_new (void)
{
  PeelCanvasSelect *select = g_new0 (PeelCanvasSelect, 1);

  select->feather = 12;
  select->brush_size = 64;
  select->shape = g_array_new (FALSE, FALSE, sizeof (PeelMarkPoint));
  return select;
}

void
_peel_canvas_select_free (PeelCanvasSelect *select)
{
  g_clear_pointer (&select->mask, peel_region_mask_free);
  g_clear_pointer (&select->shape, g_array_unref);
  g_clear_pointer (&select->tiles, g_ptr_array_unref);
  g_free (select);
}

static gboolean
peel_canvas_select_fits (PeelCanvas *self)
{
  PeelRegionMask *mask = self->select->mask;

  return mask != NULL && self->image.texture != NULL
         && mask->width == _peel_canvas_image_width (&self->image)
         && mask->height == _peel_canvas_image_height (&self->image);
}

void
_peel_canvas_select_changed (PeelCanvas *self,
                             gboolean    notify)
{
  self->select->serial++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (notify)
    g_signal_emit_by_name (self, "selection-changed");
}

static PeelRegionMask *
peel_canvas_select_ensure (PeelCanvas *self)
{
  int width = _peel_canvas_image_width (&self->image);
  int height = _peel_canvas_image_height (&self->image);

  if (width <= 0 || height <= 0)
    return NULL;
  if (!peel_canvas_select_fits (self))
    {
      g_clear_pointer (&self->select->mask, peel_region_mask_free);
      self->select->mask = peel_region_mask_new (width, height);
      self->select->serial++;
    }
  return self->select->mask;
}

const PeelRegionMask *
peel_canvas_get_selection (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), NULL);

  return peel_canvas_select_fits (self) ? self->select->mask : NULL;
}

gboolean
peel_canvas_has_selection (PeelCanvas *self)
{
  return peel_canvas_get_selection (self) != NULL;
}

/**
 * peel_canvas_selection_is_empty:
 *
 * Returns: %TRUE when there is a selection and it holds no pixel (everything was erased)
 */
gboolean
peel_canvas_selection_is_empty (PeelCanvas *self)
{
  const PeelRegionMask *mask = peel_canvas_get_selection (self);
  PeelRegionRect bounds;

  return mask != NULL && !peel_region_mask_bounds (mask, &bounds);
}

/**
 * peel_canvas_set_selection:
 * @mask: (nullable): the selection, of the image's size, or %NULL for none
 *
 * Shows @mask (copied) as the selection, without emitting ::selection-changed: for the window,
 * which keeps each node's selection.
 */
void
peel_canvas_set_selection (PeelCanvas           *self,
                           const PeelRegionMask *mask)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  g_clear_pointer (&self->select->mask, peel_region_mask_free);
  if (mask != NULL)
    self->select->mask = peel_region_mask_copy (mask);
  _peel_canvas_select_changed (self, FALSE);
}

void
peel_canvas_clear_selection (PeelCanvas *self)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  if (self->select->mask == NULL)
    return;
  g_clear_pointer (&self->select->mask, peel_region_mask_free);
  _peel_canvas_select_changed (self, TRUE);
}

/* Inverting nothing selects everything, as in other editors. */
void
peel_canvas_invert_selection (PeelCanvas *self)
{
  PeelRegionMask *mask;
  gsize n;

  g_return_if_fail (PEEL_IS_CANVAS (self));

  mask = peel_canvas_select_ensure (self);
  if (mask == NULL)
    return;
  n = (gsize) mask->width * mask->height;
  for (gsize i = 0; i < n; i++)
    mask->data[i] = 255 - mask->data[i];
  _peel_canvas_select_changed (self, TRUE);
}

int
peel_canvas_get_feather (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), 0);

  return self->select->feather;
}

void
peel_canvas_set_feather (PeelCanvas *self,
                         int         feather)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  feather = CLAMP (feather, 0, PEEL_REGION_MAX_FEATHER);
  if (self->select->feather == feather)
    return;
  self->select->feather = feather;
  if (self->select->mask != NULL)
    g_signal_emit_by_name (self, "selection-changed");
}

double
peel_canvas_get_brush_size (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), 0);

  return self->select->brush_size;
}

void
peel_canvas_set_brush_size (PeelCanvas *self,
                            double      size)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  size = CLAMP (round (size), PEEL_CANVAS_BRUSH_MIN, PEEL_CANVAS_BRUSH_MAX);
  if (self->select->brush_size == size)
    return;
  self->select->brush_size = size;
  g_signal_emit_by_name (self, "brush-size-changed");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Rasterises a closed path into the selection, only over its bounds. */
static void
peel_canvas_select_fill (PeelCanvas           *self,
                         PeelCanvasSelectMode  mode,
                         PeelCanvasTool        shape,
                         const PeelMarkPoint  *points,
                         guint                 n_points)
{
  PeelRegionMask *mask = peel_canvas_select_ensure (self);
  double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;
  int bx, by, bw, bh, stride;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint8 *data;

  if (mask == NULL)
    return;

  if (mode == PEEL_CANVAS_SELECT_REPLACE)
    memset (mask->data, 0, (gsize) mask->width * mask->height);

  for (guint i = 0; i < n_points; i++)
    {
      x1 = MIN (x1, points[i].x);
      y1 = MIN (y1, points[i].y);
      x2 = MAX (x2, points[i].x);
      y2 = MAX (y2, points[i].y);
    }
  bx = CLAMP ((int) floor (x1), 0, mask->width);
  by = CLAMP ((int) floor (y1), 0, mask->height);
  bw = CLAMP ((int) ceil (x2), 0, mask->width) - bx;
  bh = CLAMP ((int) ceil (y2), 0, mask->height) - by;

  if (n_points >= 2 && bw > 0 && bh > 0)
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_A8, bw, bh);
      cr = cairo_create (surface);
      cairo_translate (cr, -bx, -by);
      if (shape == PEEL_CANVAS_TOOL_ELLIPSE)
        {
          cairo_save (cr);
          cairo_translate (cr, (x1 + x2) / 2, (y1 + y2) / 2);
          cairo_scale (cr, MAX ((x2 - x1) / 2, 0.01), MAX ((y2 - y1) / 2, 0.01));
          cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
          cairo_restore (cr);
        }
      else if (shape == PEEL_CANVAS_TOOL_RECTANGLE)
        cairo_rectangle (cr, x1, y1, x2 - x1, y2 - y1);
      else
        {
          for (guint i = 0; i < n_points; i++)
            cairo_line_to (cr, points[i].x, points[i].y);
          cairo_close_path (cr);
        }
      cairo_fill (cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      data = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      for (int y = 0; y < bh; y++)
        {
          const guint8 *src = data + (gsize) y * stride;
          guint8 *dst = mask->data + (gsize) (by + y) * mask->width + bx;

          for (int x = 0; x < bw; x++)
            {
              if (mode == PEEL_CANVAS_SELECT_SUBTRACT)
                dst[x] = MIN (dst[x], 255 - src[x]);
              else
                dst[x] = MAX (dst[x], src[x]);
            }
        }
      cairo_surface_destroy (surface);
    }

  /* A click without a drag, replacing, leaves nothing selected: no selection at all. */
  if (mode == PEEL_CANVAS_SELECT_REPLACE && peel_canvas_selection_is_empty (self))
    g_clear_pointer (&self->select->mask, peel_region_mask_free);
  _peel_canvas_select_changed (self, TRUE);
}

/**
 * peel_canvas_select_rect:
 * @shape: %PEEL_CANVAS_TOOL_RECTANGLE or %PEEL_CANVAS_TOOL_ELLIPSE
 *
 * Selects the rectangle, or the ellipse inside it, between two corners in image pixels.
 */
void
peel_canvas_select_rect (PeelCanvas           *self,
                         PeelCanvasTool        shape,
                         PeelCanvasSelectMode  mode,
                         double                x1,
                         double                y1,
                         double                x2,
                         double                y2)
{
  PeelMarkPoint corners[2] = { { x1, y1 }, { x2, y2 } };

  g_return_if_fail (PEEL_IS_CANVAS (self));

  peel_canvas_select_fill (self, mode, shape, corners, 2);
}

void
peel_canvas_select_polygon (PeelCanvas          *self,
                            PeelCanvasSelectMode mode,
                            const PeelMarkPoint *points,
                            guint                n_points)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  peel_canvas_select_fill (self, mode, PEEL_CANVAS_TOOL_LASSO, points, n_points);
}

/* One round dab of the brush, its edge smoothed over one pixel. Each row's pixels wholly inside
 * the circle are one span set at once; only the pixel or two at either end are measured. */
static void
peel_canvas_select_dab (PeelRegionMask *mask,
                        gboolean        erase,
                        double          cx,
                        double          cy,
                        double          radius)
{
  int x0 = MAX ((int) floor (cx - radius - 1), 0);
  int x1 = MIN ((int) ceil (cx + radius + 1), mask->width);
  int y0 = MAX ((int) floor (cy - radius - 1), 0);
  int y1 = MIN ((int) ceil (cy + radius + 1), mask->height);

  for (int y = y0; y < y1; y++)
    {
      guint8 *row = mask->data + (gsize) y * mask->width;
      double dy = y + 0.5 - cy;
      double inner = radius - 0.5;
      double outer = radius + 0.5;
      int full0 = x1, full1 = x1;
      int from, to;

      /* Pixels whose centre is further than radius + 0.5 are not touched. */
      if (outer <= fabs (dy))
        continue;
      from = MAX ((int) floor (cx - sqrt (outer * outer - dy * dy) - 0.5), x0);
      to = MIN ((int) ceil (cx + sqrt (outer * outer - dy * dy) - 0.5) + 1, x1);
      if (to <= from)
        continue;

      /* Pixels whose centre is within radius - 0.5 of the centre are covered wholly. */
      if (inner > fabs (dy))
        {
          double half = sqrt (inner * inner - dy * dy);

          full0 = CLAMP ((int) ceil (cx - half - 0.5), from, to);
          full1 = CLAMP ((int) floor (cx + half - 0.5) + 1, full0, to);
          memset (row + full0, erase ? 0 : 255, full1 - full0);
        }

      for (int x = from; x < to; x++)
        {
          double dx, cover;
          guint8 value;

          if (x == full0 && full1 > full0)
            {
              x = full1 - 1;
              continue;
            }
          dx = x + 0.5 - cx;
          cover = radius + 0.5 - sqrt (dx * dx + dy * dy);
          if (cover <= 0)
            continue;
          value = cover >= 1 ? 255 : (guint8) (cover * 255);
          if (erase)
            row[x] = MIN (row[x], 255 - value);
          else
            row[x] = MAX (row[x], value);
        }
    }
}

/* Dabs from one point to the next a quarter of the brush apart, so a fast stroke stays whole. */
void
_peel_canvas_select_brush_to (PeelCanvas *self,
                              gboolean    erase,
                              double      u,
                              double      v,
                              gboolean    first)
{
  PeelCanvasSelect *select = self->select;
  PeelRegionMask *mask = peel_canvas_select_ensure (self);
  double radius = select->brush_size / 2;
  double step = MAX (radius / 4, 0.5);
  double distance;
  int n;

  if (mask == NULL)
    return;

  if (first)
    {
      select->last_u = u;
      select->last_v = v;
    }
  distance = hypot (u - select->last_u, v - select->last_v);
  n = MAX ((int) ceil (distance / step), 1);
  for (int i = first ? 0 : 1; i <= n; i++)
    peel_canvas_select_dab (mask, erase,
                            select->last_u + (u - select->last_u) * i / n,
                            select->last_v + (v - select->last_v) * i / n, radius);
  _peel_canvas_select_damage (self, MIN (u, select->last_u) - radius - 1,
                              MIN (v, select->last_v) - radius - 1,
                              MAX (u, select->last_u) + radius + 1,
                              MAX (v, select->last_v) + radius + 1);
  select->last_u = u;
  select->last_v = v;
}

void
peel_canvas_brush_stroke (PeelCanvas          *self,
                          gboolean             erase,
                          const PeelMarkPoint *points,
                          guint                n_points)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  for (guint i = 0; i < n_points; i++)
    _peel_canvas_select_brush_to (self, erase, points[i].x, points[i].y, i == 0);
  if (n_points > 0)
    g_signal_emit_by_name (self, "selection-changed");
}

/* The tint outside the selection and its outline over one tile of the visible part of the
 * image, one texel per device pixel, in cairo's own pixel format. The pixel left of the tile and
 * the row above it are looked up too, so the outline runs on across tiles. */
static cairo_surface_t *
peel_canvas_select_make_tile (const PeelRegionMask *mask,
                              const PeelCanvasView *view,
                              int                   sf,
                              int                   x0,
                              int                   y0,
                              int                   width,
                              int                   height)
{
  g_autofree int *columns = g_new (int, width + 1);
  g_autofree guint8 *previous = g_malloc0 (width + 1);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *pixels = cairo_image_surface_get_data (surface);
  double device_scale = view->scale * sf;
  guint32 tint[256];

  /* Black, premultiplied: only the alpha is not 0. */
  for (int m = 0; m < 256; m++)
    tint[m] = (guint32) (TINT_ALPHA * (255 - m)) << 24;

  for (int x = 0; x <= width; x++)
    columns[x] = CLAMP ((int) floor ((x0 + x - 1 + 0.5 - view->x * sf) / device_scale), 0,
                        mask->width - 1);

  cairo_surface_flush (surface);
  for (int y = -1; y < height; y++)
    {
      int v = CLAMP ((int) floor ((y0 + y + 0.5 - view->y * sf) / device_scale), 0,
                     mask->height - 1);
      const guint8 *row = mask->data + (gsize) v * mask->width;
      guint32 *out;
      guint8 left;

      if (y < 0)
        {
          for (int x = 0; x <= width; x++)
            previous[x] = row[columns[x]] >= 128;
          continue;
        }
      out = (guint32 *) (pixels + (gsize) y * stride);
      left = row[columns[0]] >= 128;
      for (int x = 0; x < width; x++)
        {
          guint8 m = row[columns[x + 1]];
          guint8 inside = m >= 128;
          gboolean edge = inside != left || inside != previous[x + 1];

          left = inside;
          previous[x + 1] = inside;
          if (edge)
            out[x] = (((x0 + x + y0 + y) / ANTS_DASH) & 1) ? 0xffffffff : 0xff000000;
          else
            out[x] = tint[m];
        }
    }
  cairo_surface_mark_dirty (surface);
  cairo_surface_set_device_scale (surface, sf, sf);
  return surface;
}

/* One tile as a render node, made once and appended unchanged on every frame until the mask
 * under it changes: GTK compares a frame's nodes with the last's by identity and redraws only
 * what differs, so a dab redraws the tiles it reaches, not the canvas. The cairo renderer
 * converts a texture node's pixels on every frame that draws any of it; a cairo node of the
 * tile is only composited. GL keeps a texture uploaded. */
static GskRenderNode *
peel_canvas_select_tile_node (cairo_surface_t       *tile,
                              const graphene_rect_t *bounds,
                              gboolean               with_cairo)
{
  GskRenderNode *node;

  if (with_cairo)
    {
      cairo_t *cr;

      node = gsk_cairo_node_new (bounds);
      cr = gsk_cairo_node_get_draw_context (node);
      cairo_set_source_surface (cr, tile, bounds->origin.x, bounds->origin.y);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  else
    {
      int height = cairo_image_surface_get_height (tile);
      int stride = cairo_image_surface_get_stride (tile);
      g_autoptr(GBytes) bytes = g_bytes_new (cairo_image_surface_get_data (tile),
                                             (gsize) stride * height);
      g_autoptr(GdkTexture) texture = gdk_memory_texture_new (cairo_image_surface_get_width (tile),
                                                              height, GDK_MEMORY_DEFAULT, bytes,
                                                              stride);

      node = gsk_texture_node_new (texture, bounds);
    }
  return node;
}

/* Forgets the tiles a change of the mask within (u0, v0)–(u1, v1) reaches, or all of them. */
static void
peel_canvas_select_drop_tiles (PeelCanvas *self,
                               gboolean    all,
                               double      u0,
                               double      v0,
                               double      u1,
                               double      v1)
{
  PeelCanvasSelect *select = self->select;
  int sf = select->overlay_sf;
  double ds = select->overlay_view.scale * sf;
  int tx0, ty0, tx1, ty1;

  if (select->tiles == NULL)
    return;
  if (all)
    {
      g_ptr_array_set_size (select->tiles, 0);
      return;
    }
  /* A changed pixel also changes the outline on the device pixels right of and below it. */
  tx0 = (int) floor ((select->overlay_view.x * sf + u0 * ds - select->overlay_x - 2) / TILE_SIZE);
  ty0 = (int) floor ((select->overlay_view.y * sf + v0 * ds - select->overlay_y - 2) / TILE_SIZE);
  tx1 = (int) floor ((select->overlay_view.x * sf + u1 * ds - select->overlay_x + 2) / TILE_SIZE);
  ty1 = (int) floor ((select->overlay_view.y * sf + v1 * ds - select->overlay_y + 2) / TILE_SIZE);
  for (int ty = MAX (ty0, 0); ty <= MIN (ty1, select->tiles_y - 1); ty++)
    for (int tx = MAX (tx0, 0); tx <= MIN (tx1, select->tiles_x - 1); tx++)
      if ((guint) (ty * select->tiles_x + tx) < select->tiles->len)
        g_clear_pointer (&g_ptr_array_index (select->tiles, ty * select->tiles_x + tx),
                         gsk_render_node_unref);
}

void
_peel_canvas_select_damage (PeelCanvas *self,
                            double      u0,
                            double      v0,
                            double      u1,
                            double      v1)
{
  peel_canvas_select_drop_tiles (self, FALSE, u0, v0, u1, v1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
peel_canvas_select_append_overlay (PeelCanvas  *self,
                                   GtkSnapshot *snapshot,
                                   int          sf,
                                   int          x0,
                                   int          y0,
                                   int          width,
                                   int          height)
{
  PeelCanvasSelect *select = self->select;
  int tiles_x = (width + TILE_SIZE - 1) / TILE_SIZE;
  int tiles_y = (height + TILE_SIZE - 1) / TILE_SIZE;
  gboolean with_cairo;

  if (select->tiles == NULL)
    select->tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);
  if (select->overlay_serial != select->serial
      || memcmp (&select->overlay_view, &self->view, sizeof self->view) != 0
      || select->overlay_x != x0 || select->overlay_y != y0 || select->overlay_sf != sf
      || select->overlay_width != width || select->overlay_height != height)
    {
      g_ptr_array_set_size (select->tiles, 0);
      select->overlay_serial = select->serial;
      select->overlay_view = self->view;
      select->overlay_x = x0;
      select->overlay_y = y0;
      select->overlay_sf = sf;
      select->overlay_width = width;
      select->overlay_height = height;
      select->tiles_x = tiles_x;
      select->tiles_y = tiles_y;
    }
  g_ptr_array_set_size (select->tiles, tiles_x * tiles_y);

  with_cairo = _peel_canvas_wants_pixels (self);
  for (int ty = 0; ty < tiles_y; ty++)
    for (int tx = 0; tx < tiles_x; tx++)
      {
        GskRenderNode **tile = (GskRenderNode **) &g_ptr_array_index (select->tiles,
                                                                      ty * tiles_x + tx);
        int tile_x = x0 + tx * TILE_SIZE;
        int tile_y = y0 + ty * TILE_SIZE;
        int tile_width = MIN (TILE_SIZE, width - tx * TILE_SIZE);
        int tile_height = MIN (TILE_SIZE, height - ty * TILE_SIZE);

        if (*tile == NULL)
          {
            graphene_rect_t bounds = GRAPHENE_RECT_INIT ((float) tile_x / sf,
                                                         (float) tile_y / sf,
                                                         (float) tile_width / sf,
                                                         (float) tile_height / sf);
            cairo_surface_t *pixels;

            pixels = peel_canvas_select_make_tile (select->mask, &self->view, sf, tile_x,
                                                   tile_y, tile_width, tile_height);
            *tile = peel_canvas_select_tile_node (pixels, &bounds, with_cairo);
            cairo_surface_destroy (pixels);
          }
        gtk_snapshot_append_node (snapshot, *tile);
      }
}

static void
peel_canvas_select_append_shape (PeelCanvas  *self,
                                 GtkSnapshot *snapshot,
                                 int          width,
                                 int          height)
{
  PeelCanvasSelect *select = self->select;
  const PeelMarkPoint *p = (const PeelMarkPoint *) select->shape->data;
  double scale = self->view.scale;
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->tool == PEEL_CANVAS_TOOL_LASSO)
    {
      for (guint i = 0; i < select->shape->len; i++)
        cairo_line_to (cr, self->view.x + p[i].x * scale, self->view.y + p[i].y * scale);
      cairo_close_path (cr);
    }
  else if (select->shape->len == 2)
    {
      double x1 = self->view.x + MIN (p[0].x, p[1].x) * scale;
      double y1 = self->view.y + MIN (p[0].y, p[1].y) * scale;
      double w = fabs (p[1].x - p[0].x) * scale;
      double h = fabs (p[1].y - p[0].y) * scale;

      if (self->tool == PEEL_CANVAS_TOOL_ELLIPSE && w > 0 && h > 0)
        {
          cairo_save (cr);
          cairo_translate (cr, x1 + w / 2, y1 + h / 2);
          cairo_scale (cr, w / 2, h / 2);
          cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
          cairo_restore (cr);
        }
      else
        cairo_rectangle (cr, round (x1) + 0.5, round (y1) + 0.5, round (w), round (h));
    }
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_stroke_preserve (cr);
  cairo_set_dash (cr, (double[]) { ANTS_DASH, ANTS_DASH }, 2, 0);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
peel_canvas_select_append_brush (PeelCanvas  *self,
                                 GtkSnapshot *snapshot,
                                 int          width,
                                 int          height)
{
  double radius = MAX (self->select->brush_size / 2 * self->view.scale, 2);
  cairo_t *cr;

  /* Only the circle's square: the image under the rest of the canvas is not drawn again. */
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (floor (self->pointer_x - radius - 2),
                                                       floor (self->pointer_y - radius - 2),
                                                       ceil (2 * radius + 4),
                                                       ceil (2 * radius + 4)));
  cairo_arc (cr, self->pointer_x, self->pointer_y, radius, 0, 2 * G_PI);
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.8);
  cairo_stroke_preserve (cr);
  cairo_set_dash (cr, (double[]) { 3, 3 }, 2, 0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

void
_peel_canvas_select_snapshot (PeelCanvas  *self,
                              GtkSnapshot *snapshot,
                              int          width,
                              int          height)
{
  PeelCanvasSelect *select = self->select;
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int iw = _peel_canvas_image_width (&self->image);
  int ih = _peel_canvas_image_height (&self->image);
  int x0, y0, x1, y1;

  if (peel_canvas_select_fits (self))
    {
      x0 = MAX ((int) ceil (self->view.x * sf), 0);
      y0 = MAX ((int) ceil (self->view.y * sf), 0);
      x1 = MIN ((int) floor ((self->view.x + iw * self->view.scale) * sf), width * sf);
      y1 = MIN ((int) floor ((self->view.y + ih * self->view.scale) * sf), height * sf);

      if (x1 > x0 && y1 > y0)
        peel_canvas_select_append_overlay (self, snapshot, sf, x0, y0, x1 - x0, y1 - y0);
    }

  if (select->shaping && select->shape->len > 0)
    peel_canvas_select_append_shape (self, snapshot, width, height);
  if (self->tool == PEEL_CANVAS_TOOL_BRUSH && self->pointer_inside)
    peel_canvas_select_append_brush (self, snapshot, width, height);
}
