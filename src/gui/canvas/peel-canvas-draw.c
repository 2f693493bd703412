/* peel-canvas-draw.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-canvas-private.h"

#define CHECKER_SIZE 8
#define TILE_SIZE    512
#define TILED_SIZE   2048   /* levels wider or taller than this are drawn as tiles with GL */

/* Drawing */

static void
peel_canvas_append_checkerboard (PeelCanvas            *self,
                                 GtkSnapshot           *snapshot,
                                 const graphene_rect_t *image_bounds,
                                 const graphene_rect_t *clip)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  G_GNUC_END_IGNORE_DEPRECATIONS
  GdkRGBA fg, light, dark;
  graphene_rect_t visible;
  graphene_rect_t tile;

  if (!graphene_rect_intersection (image_bounds, clip, &visible))
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  light = fg;
  light.alpha = 0.05;
  dark = fg;
  dark.alpha = 0.13;

  /* One 2×2-square tile anchored at the image origin, repeated: the pattern moves with the
   * image when panning and costs one node however large the image is.
   */
  tile = GRAPHENE_RECT_INIT (image_bounds->origin.x, image_bounds->origin.y,
                             2 * CHECKER_SIZE, 2 * CHECKER_SIZE);
  gtk_snapshot_push_repeat (snapshot, &visible, &tile);
  gtk_snapshot_append_color (snapshot, &light, &tile);
  gtk_snapshot_append_color (snapshot, &dark,
                             &GRAPHENE_RECT_INIT (tile.origin.x, tile.origin.y,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_append_color (snapshot, &dark,
                             &GRAPHENE_RECT_INIT (tile.origin.x + CHECKER_SIZE,
                                                  tile.origin.y + CHECKER_SIZE,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_pop (snapshot);
}

/* The cairo renderer draws a texture with CAIRO_FILTER_GOOD, which shrinks by more than a third
 * with a convolution: 30–50 ms a frame at 1280×800 where bilinear takes 5–10. A level is never
 * shrunk by more than half, so bilinear filtering still reads every texel (as GL's GL_LINEAR
 * does with the same level); this shrinks the visible part so, into a surface of whole window
 * pixels covering @area, with the part's texels stretched over @dest, and draws it into a
 * cairo node.
 *
 * Shrunk once, not on every frame: a cairo node only records the drawing, and the renderer
 * replays it each time the canvas is drawn, as on every frame of the fade when a new image
 * arrives. Recording the shrinking itself made each of those frames shrink the image again,
 * after copying the visible part of the level (the recording's copy of a surface that does not
 * own its pixels). The node now records a plain copy of the kept surface; cairo copies a
 * surface that owns its pixels only if it changes, which this one never does. A texture node
 * would not do: the cairo renderer copies a texture whole into a new surface on every frame
 * that draws any part of it, the spinner's included.
 */
static void
append_shrunk_part (GtkSnapshot           *snapshot,
                    PeelCanvasImage       *image,
                    GBytes                *pixels,
                    gsize                  offset,
                    int                    width,
                    int                    height,
                    gsize                  stride,
                    const graphene_rect_t *dest,
                    const graphene_rect_t *area)
{
  const guint8 *data = g_bytes_get_data (pixels, NULL);
  graphene_rect_t target;
  cairo_t *cr;

  /* Whole pixels, so the surface lines up with the window's. */
  target = GRAPHENE_RECT_INIT (floor (area->origin.x), floor (area->origin.y), 0, 0);
  target.size.width = ceil (area->origin.x + area->size.width) - target.origin.x;
  target.size.height = ceil (area->origin.y + area->size.height) - target.origin.y;

  if (image->shrunk == NULL || image->shrunk_source != pixels ||
      !graphene_rect_equal (&image->shrunk_dest, dest) ||
      !graphene_rect_equal (&image->shrunk_area, area))
    {
      cairo_surface_t *source;
      cairo_pattern_t *pattern;
      cairo_matrix_t matrix;

      source = cairo_image_surface_create_for_data ((guint8 *) data + offset,
                                                    CAIRO_FORMAT_ARGB32, width, height, stride);
      pattern = cairo_pattern_create_for_surface (source);
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
      cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
      cairo_matrix_init_scale (&matrix, width / dest->size.width, height / dest->size.height);
      cairo_matrix_translate (&matrix, target.origin.x - dest->origin.x,
                              target.origin.y - dest->origin.y);
      cairo_pattern_set_matrix (pattern, &matrix);

      g_clear_pointer (&image->shrunk_node, gsk_render_node_unref);
      g_clear_pointer (&image->shrunk, cairo_surface_destroy);
      image->shrunk = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, target.size.width,
                                                  target.size.height);
      cr = cairo_create (image->shrunk);
      cairo_set_source (cr, pattern);
      cairo_rectangle (cr, area->origin.x - target.origin.x, area->origin.y - target.origin.y,
                       area->size.width, area->size.height);
      cairo_fill (cr);
      cairo_destroy (cr);
      cairo_pattern_destroy (pattern);
      cairo_surface_destroy (source);

      if (image->shrunk_source != pixels)
        {
          g_clear_pointer (&image->shrunk_source, g_bytes_unref);
          image->shrunk_source = g_bytes_ref (pixels);
        }
      image->shrunk_dest = *dest;
      image->shrunk_area = *area;
    }

  /* One node while the part stays: GTK compares a frame's nodes with the last's by identity,
   * and a cairo node made anew each frame would redraw the whole image under a brush dab. */
  if (image->shrunk_node == NULL)
    {
      image->shrunk_node = gsk_cairo_node_new (&target);
      cr = gsk_cairo_node_get_draw_context (image->shrunk_node);
      cairo_set_source_surface (cr, image->shrunk, target.origin.x, target.origin.y);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  gtk_snapshot_append_node (snapshot, image->shrunk_node);
}

/* Draws only the visible part of a level (plus a texel of margin for filtering), as a texture
 * that shares the level's pixels, or shrunk into a cairo node (see above).
 */
static void
append_visible_part (GtkSnapshot           *snapshot,
                     PeelCanvasImage       *image,
                     GBytes                *pixels,
                     int                    width,
                     int                    height,
                     const graphene_rect_t *bounds,
                     const graphene_rect_t *clip,
                     gboolean               shrink_in_cairo)
{
  gsize stride = (gsize) width * 4;
  double k = bounds->size.width / width;
  int u0 = CLAMP ((int) floor ((clip->origin.x - bounds->origin.x) / k) - 1, 0, width);
  int v0 = CLAMP ((int) floor ((clip->origin.y - bounds->origin.y) / k) - 1, 0, height);
  int u1 = CLAMP ((int) ceil ((clip->origin.x + clip->size.width - bounds->origin.x) / k) + 1,
                  0, width);
  int v1 = CLAMP ((int) ceil ((clip->origin.y + clip->size.height - bounds->origin.y) / k) + 1,
                  0, height);
  graphene_rect_t dest;
  g_autoptr(GBytes) part = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (u1 <= u0 || v1 <= v0)
    return;

  dest = GRAPHENE_RECT_INIT (bounds->origin.x + u0 * k, bounds->origin.y + v0 * k,
                             (u1 - u0) * k, (v1 - v0) * k);

  /* At 100 % too, where the shrinking is a plain copy: GTK 4.8's cairo renderer converts a
   * texture through floats on every frame that draws it, twice the cost of a frame that pans
   * at 100 % with the copy (window-bench: renderer 7.7–8.1 ms a frame, 3.6 with the copy). */
  if (shrink_in_cairo && k <= 1)
    {
      graphene_rect_t visible;

      /* The surface covers only what is on screen; the texel margin stays in the pattern. */
      if (!graphene_rect_intersection (&dest, clip, &visible))
        return;
      append_shrunk_part (snapshot, image, pixels, v0 * stride + u0 * 4, u1 - u0, v1 - v0,
                          stride, &dest, &visible);
      return;
    }

  part = g_bytes_new_from_bytes (pixels, v0 * stride + u0 * 4,
                                 (v1 - v0 - 1) * stride + (u1 - u0) * 4);
  texture = gdk_memory_texture_new (u1 - u0, v1 - v0, GDK_MEMORY_DEFAULT, part, stride);
  gtk_snapshot_append_texture (snapshot, texture, &dest);
}

/* A tile of a level, with a texel of the neighbouring tiles around it so that filtering across
 * its edges reads the same texels as one texture would; made once, sharing the level's pixels.
 */
static GdkTexture *
get_tile (PeelCanvasImage *image,
          int              level,
          GBytes          *pixels,
          int              width,
          int              height,
          int              tx,
          int              ty,
          int             *u0,
          int             *v0)
{
  guint key = ((guint) level << 24) | ((guint) ty << 12) | (guint) tx;
  gsize stride = (gsize) width * 4;
  g_autoptr(GBytes) part = NULL;
  GdkTexture *tile;
  int u1, v1;

  *u0 = MAX (0, tx * TILE_SIZE - 1);
  *v0 = MAX (0, ty * TILE_SIZE - 1);
  u1 = MIN (width, (tx + 1) * TILE_SIZE + 1);
  v1 = MIN (height, (ty + 1) * TILE_SIZE + 1);

  if (image->tiles == NULL)
    image->tiles = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  tile = g_hash_table_lookup (image->tiles, GUINT_TO_POINTER (key));
  if (tile != NULL)
    return tile;

  part = g_bytes_new_from_bytes (pixels, *v0 * stride + *u0 * 4,
                                 (v1 - *v0 - 1) * stride + (u1 - *u0) * 4);
  tile = gdk_memory_texture_new (u1 - *u0, v1 - *v0, GDK_MEMORY_DEFAULT, part, stride);
  g_hash_table_insert (image->tiles, GUINT_TO_POINTER (key), tile);
  return tile;
}

/* With GL a texture is uploaded whole the first time it is drawn: 67 MB for a 4K image, a
 * stall of a third of a second with llvmpipe on the first frame at 100 %. Tiles of a large
 * level are uploaded only once they are on screen, and only the visible ones are drawn.
 */
static void
append_tiles (GtkSnapshot           *snapshot,
              PeelCanvasImage       *image,
              int                    level,
              GBytes                *pixels,
              int                    width,
              int                    height,
              const graphene_rect_t *bounds,
              const graphene_rect_t *clip)
{
  double k = bounds->size.width / width;
  int n_x = (width + TILE_SIZE - 1) / TILE_SIZE;
  int n_y = (height + TILE_SIZE - 1) / TILE_SIZE;
  int tx0 = CLAMP ((int) floor ((clip->origin.x - bounds->origin.x) / k / TILE_SIZE), 0, n_x);
  int ty0 = CLAMP ((int) floor ((clip->origin.y - bounds->origin.y) / k / TILE_SIZE), 0, n_y);
  int tx1 = CLAMP ((int) ceil ((clip->origin.x + clip->size.width - bounds->origin.x) / k /
                               TILE_SIZE), 0, n_x);
  int ty1 = CLAMP ((int) ceil ((clip->origin.y + clip->size.height - bounds->origin.y) / k /
                               TILE_SIZE), 0, n_y);

  for (int ty = ty0; ty < ty1; ty++)
    for (int tx = tx0; tx < tx1; tx++)
      {
        int u0, v0;
        GdkTexture *tile = get_tile (image, level, pixels, width, height, tx, ty, &u0, &v0);
        graphene_rect_t core = GRAPHENE_RECT_INIT (bounds->origin.x + tx * TILE_SIZE * k,
                                                   bounds->origin.y + ty * TILE_SIZE * k,
                                                   MIN (TILE_SIZE, width - tx * TILE_SIZE) * k,
                                                   MIN (TILE_SIZE, height - ty * TILE_SIZE) * k);

        /* The margin texels are there to be filtered with, not drawn. */
        gtk_snapshot_push_clip (snapshot, &core);
        gtk_snapshot_append_texture (snapshot, tile,
                                     &GRAPHENE_RECT_INIT (bounds->origin.x + u0 * k,
                                                          bounds->origin.y + v0 * k,
                                                          gdk_texture_get_width (tile) * k,
                                                          gdk_texture_get_height (tile) * k));
        gtk_snapshot_pop (snapshot);
      }
}

void
_peel_canvas_append_image (PeelCanvas            *self,
                           GtkSnapshot           *snapshot,
                           PeelCanvasImage       *image,
                           const graphene_rect_t *bounds,
                           double                 device_scale)
{
  graphene_rect_t clip = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                             gtk_widget_get_height (GTK_WIDGET (self)));
  GdkTexture *texture;
  GBytes *pixels;
  int level, width, height;

  if (image->texture == NULL)
    return;

  /* Under an opaque image the checkerboard would be drawn only to be covered: a whole pass
   * over the visible image that the software renderers pay for on every frame. */
  if (!image->opaque)
    peel_canvas_append_checkerboard (self, snapshot, bounds, &clip);
  texture = _peel_canvas_image_pick (image, device_scale, &level);

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = image->pixels && (guint) level < image->pixels->len
           ? g_ptr_array_index (image->pixels, level) : NULL;

  if (pixels != NULL && _peel_canvas_wants_pixels (self))
    append_visible_part (snapshot, image, pixels, width, height, bounds, &clip,
                         gtk_widget_get_scale_factor (GTK_WIDGET (self)) == 1);
  else if (pixels != NULL && (width > TILED_SIZE || height > TILED_SIZE))
    append_tiles (snapshot, image, level, pixels, width, height, bounds, &clip);
  else
    gtk_snapshot_append_texture (snapshot, texture, bounds);
}

void
_peel_canvas_append_pill (PeelCanvas  *self,
                          GtkSnapshot *snapshot,
                          const char  *text,
                          double       x,
                          double       y,
                          gboolean     align_right)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  GdkRGBA background = { 0, 0, 0, 0.6 };
  GdkRGBA foreground = { 1, 1, 1, 1 };
  GskRoundedRect outline;
  int tw, th;
  double w, h;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_layout_get_pixel_size (layout, &tw, &th);

  w = tw + 16;
  h = th + 6;
  if (align_right)
    x -= w;

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (x, y, w, h), h / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &background, &outline.bounds);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 8, y + 3));
  gtk_snapshot_append_layout (snapshot, layout, &foreground);
  gtk_snapshot_restore (snapshot);
}

void
_peel_canvas_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PeelCanvas *self = PEEL_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double device_scale;
  graphene_rect_t bounds;

  if (self->image.texture == NULL || width <= 0 || height <= 0)
    return;

  self->image_drawn = TRUE;
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->compare_mode != PEEL_CANVAS_COMPARE_NONE && self->compare.texture != NULL)
    _peel_canvas_compare_snapshot (self, snapshot, width, height);
  else
    {
      int sf = gtk_widget_get_scale_factor (widget);

      device_scale = self->view.scale * sf;
      /* Snapped to device pixels, so 100 % is sharp. */
      bounds = GRAPHENE_RECT_INIT (round (self->view.x * sf) / sf, round (self->view.y * sf) / sf,
                                   _peel_canvas_image_width (&self->image) * self->view.scale,
                                   _peel_canvas_image_height (&self->image) * self->view.scale);
      _peel_canvas_append_image (self, snapshot, &self->image, &bounds, device_scale);
      _peel_canvas_tools_snapshot (self, snapshot, width, height);
    }

  /* Dimmed: the window's background laid over the image, which looks the same as drawing the
   * image with less opacity on it, but costs one fill rather than drawing the image into a
   * group first (window-bench: the longest frames under cairo while a reply arrived). */
  if (self->opacity < 1)
    {
      GdkRGBA veil;

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                           "window_bg_color", &veil))
        veil = (GdkRGBA) { 0.98, 0.98, 0.98, 1 };
      G_GNUC_END_IGNORE_DEPRECATIONS
      veil.alpha *= 1 - self->opacity;
      gtk_snapshot_append_color (snapshot, &veil, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  gtk_snapshot_pop (snapshot);

  if (self->divider != NULL && gtk_widget_get_visible (self->divider))
    gtk_widget_snapshot_child (widget, self->divider, snapshot);
}
