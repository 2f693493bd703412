/* peel-board-draw.c
 *
 * Placing and drawing the board. Only the cards in view are mapped and allocated (each at its
 * size in board units, scaled by the zoom through its transform); the rest are left unmapped,
 * so panning across 500 turns costs what the few dozen on screen cost. Cards are placed at whole
 * pixels, so that the pixels a card keeps of itself (peel-board-card.c) are copied as they
 * are. Lines from parent to child are drawn as elbows of plain colour nodes, which every
 * renderer draws cheaply.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "peel-board-private.h"

/* Below this zoom a card's text is too small to read and is not drawn. */
#define DETAIL_ZOOM 0.4
#define LINE_WIDTH  2.0

static gboolean
item_in_view (PeelBoard     *self,
              PeelBoardItem *item,
              double         width,
              double         height)
{
  double x = (item->x - self->offset_x) * self->zoom;
  double y = (item->y - self->offset_y) * self->zoom;
  double margin = 8 * self->zoom;

  return x + (PEEL_BOARD_CARD_WIDTH + margin) * self->zoom > 0 && x - margin < width &&
         y + (PEEL_BOARD_CARD_HEIGHT + margin) * self->zoom > 0 && y - margin < height;
}

static void
peel_board_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  PeelBoard *self = PEEL_BOARD (widget);
  gboolean detail = self->zoom >= DETAIL_ZOOM;
  int bar_width, bar_height;

  if (!self->fitted_once && width > 0 && height > 0 && self->items->len > 0)
    {
      PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;
      PeelBoardItem *shown = peel_board_find_item (self, current);

      /* The whole tree if it fits at a readable size; else around the turn shown. */
      self->fitted_once = TRUE;
      peel_board_zoom_fit (self);
      if (self->zoom < 0.5)
        {
          self->zoom = 0.5;
          if (shown != NULL)
            {
              self->offset_x = shown->x + PEEL_BOARD_CARD_WIDTH / 2 - width / 2.0 / self->zoom;
              self->offset_y = shown->y + PEEL_BOARD_CARD_HEIGHT / 2 - height / 2.0 / self->zoom;
            }
        }
      detail = self->zoom >= DETAIL_ZOOM;
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);
      GtkWidget *card = GTK_WIDGET (item->card);
      gboolean focused = self->focus_id != NULL &&
                         g_str_equal (self->focus_id, peel_node_get_id (item->node)) &&
                         gtk_widget_has_focus (card);
      GskTransform *transform;

      /* The card with the keyboard focus stays mapped, or the focus would fall off the board. */
      if (!item_in_view (self, item, width, height) && !focused)
        {
          if (gtk_widget_get_child_visible (card))
            gtk_widget_set_child_visible (card, FALSE);
          continue;
        }
      if (!gtk_widget_get_child_visible (card))
        gtk_widget_set_child_visible (card, TRUE);
      peel_board_card_set_detail (item->card, detail);
      peel_board_card_set_zoom (item->card, self->zoom);
      /* At whole pixels, so that a card's pixels are copied as they are. */
      transform = gsk_transform_translate (NULL,
                                           &GRAPHENE_POINT_INIT (round ((item->x - self->offset_x) *
                                                                        self->zoom),
                                                                 round ((item->y - self->offset_y) *
                                                                        self->zoom)));
      transform = gsk_transform_scale (transform, self->zoom, self->zoom);
      gtk_widget_allocate (card, PEEL_BOARD_CARD_WIDTH, PEEL_BOARD_CARD_HEIGHT, -1, transform);
    }

  gtk_widget_measure (self->action_bar, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &bar_width,
                      NULL, NULL);
  bar_width = MIN (bar_width, width);
  gtk_widget_measure (self->action_bar, GTK_ORIENTATION_VERTICAL, bar_width, NULL, &bar_height,
                      NULL, NULL);
  gtk_widget_size_allocate (self->action_bar,
                            &(GtkAllocation) { (width - bar_width) / 2,
                                               MAX (0, height - bar_height - 12),
                                               bar_width, bar_height }, -1);
  gtk_widget_size_allocate (self->empty_label, &(GtkAllocation) { 0, 0, width, height }, -1);
}

static void
peel_board_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  PeelBoard *self = PEEL_BOARD (widget);
  int bar_min = 0, label_min = 0;

  gtk_widget_measure (self->action_bar, orientation, -1, &bar_min, NULL, NULL, NULL);
  gtk_widget_measure (self->empty_label, orientation, -1, &label_min, NULL, NULL, NULL);
  *minimum = MAX (bar_min, label_min);
  *natural = MAX (*minimum, 400);
}

/* A line from the middle of a parent's right edge to the middle of its child's left edge. */
static void
draw_line (PeelBoard     *self,
           GtkSnapshot   *snapshot,
           PeelBoardItem *parent,
           PeelBoardItem *child,
           const GdkRGBA *color)
{
  double z = self->zoom;
  double x0 = (parent->x + PEEL_BOARD_CARD_WIDTH - self->offset_x) * z;
  double y0 = (parent->y + PEEL_BOARD_CARD_HEIGHT / 2 - self->offset_y) * z;
  double x1 = (child->x - self->offset_x) * z;
  double y1 = (child->y + PEEL_BOARD_CARD_HEIGHT / 2 - self->offset_y) * z;
  double w = MAX (1.0, LINE_WIDTH * MIN (z, 1.0));
  double mid = x1 >= x0 ? (x0 + x1) / 2 : x0 + PEEL_BOARD_GAP_X / 2 * z;

  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (MIN (x0, mid), y0 - w / 2, fabs (mid - x0), w));
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (mid - w / 2, MIN (y0, y1) - w / 2, w,
                                                  fabs (y1 - y0) + w));
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (MIN (mid, x1), y1 - w / 2, fabs (x1 - mid), w));
}

static gboolean
line_in_view (PeelBoard     *self,
              PeelBoardItem *parent,
              PeelBoardItem *child,
              double         width,
              double         height)
{
  double x0 = (MIN (parent->x + PEEL_BOARD_CARD_WIDTH, child->x) - self->offset_x) * self->zoom;
  double x1 = (MAX (parent->x + PEEL_BOARD_CARD_WIDTH, child->x) - self->offset_x) * self->zoom;
  double y0 = (MIN (parent->y, child->y) - self->offset_y) * self->zoom;
  double y1 = (MAX (parent->y, child->y) + PEEL_BOARD_CARD_HEIGHT - self->offset_y) * self->zoom;

  return x1 >= -PEEL_BOARD_GAP_X && x0 <= width + PEEL_BOARD_GAP_X && y1 >= 0 && y0 <= height;
}

static void
peel_board_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  PeelBoard *self = PEEL_BOARD (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA background, line, band_fill, band_edge;

  gdk_rgba_parse (&background, dark ? "#1e1e1e" : "#f0f0f0");
  gdk_rgba_parse (&line, dark ? "rgba(255,255,255,0.35)" : "rgba(0,0,0,0.3)");
  gdk_rgba_parse (&band_fill, dark ? "rgba(120,174,237,0.2)" : "rgba(28,113,216,0.15)");
  gdk_rgba_parse (&band_edge, dark ? "#78aeed" : "#1c71d8");

  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));

  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);
      PeelBoardItem *parent;

      if (item->parent_index < 0)
        continue;
      parent = &g_array_index (self->items, PeelBoardItem, item->parent_index);
      if (line_in_view (self, parent, item, width, height))
        draw_line (self, snapshot, parent, item, &line);
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      GtkWidget *card = GTK_WIDGET (g_array_index (self->items, PeelBoardItem, i).card);

      if (gtk_widget_get_child_visible (card))
        gtk_widget_snapshot_child (widget, card, snapshot);
    }

  if (self->band.size.width > 0 || self->band.size.height > 0)
    {
      GskRoundedRect edge;
      float widths[4] = { 1, 1, 1, 1 };
      GdkRGBA colors[4] = { band_edge, band_edge, band_edge, band_edge };

      gtk_snapshot_append_color (snapshot, &band_fill, &self->band);
      gsk_rounded_rect_init_from_rect (&edge, &self->band, 0);
      gtk_snapshot_append_border (snapshot, &edge, widths, colors);
    }

  gtk_widget_snapshot_child (widget, self->empty_label, snapshot);
  gtk_widget_snapshot_child (widget, self->action_bar, snapshot);
}

/* Pixels the board keeps so that GSK's cairo renderer copies them instead of drawing again on
 * every frame: a thumbnail shrunk once to about its size on screen, and a whole card drawn once
 * at the board's zoom. Both are cairo nodes holding only a paint of an image surface: a cairo
 * node records what is drawn into it and replays that on every frame, so whatever is costly
 * (shrinking, text, rounded edges) is done into the image first. */

/* A cairo node of w × h units that paints @image (w × h pixels) as it is. */
static GskRenderNode *
node_for_image (cairo_surface_t *image,
                int              width,
                int              height)
{
  GskRenderNode *node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);

  cairo_set_source_surface (cr, image, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  return node;
}

/**
 * peel_board_shrink_texture:
 *
 * Returns: (transfer full): @texture shrunk (or grown) to @width × @height pixels, well
 *   (cairo's box filter), as a cairo node of @width × @height units
 */
GskRenderNode *
peel_board_shrink_texture (GdkTexture *texture,
                           int         width,
                           int         height)
{
  int sw = gdk_texture_get_width (texture), sh = gdk_texture_get_height (texture);
  cairo_surface_t *source = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, sw, sh);
  cairo_surface_t *shrunk = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  GskRenderNode *node;
  cairo_pattern_t *pattern;
  cairo_t *cr;

  gdk_texture_download (texture, cairo_image_surface_get_data (source),
                        cairo_image_surface_get_stride (source));
  cairo_surface_mark_dirty (source);
  cr = cairo_create (shrunk);
  cairo_scale (cr, width / (double) sw, height / (double) sh);
  pattern = cairo_pattern_create_for_surface (source);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_source (cr, pattern);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
  cairo_destroy (cr);
  cairo_surface_destroy (source);

  node = node_for_image (shrunk, width, height);
  cairo_surface_destroy (shrunk);
  return node;
}

/**
 * peel_board_flatten:
 * @content: what to draw, in units of which @bounds is a part
 * @bounds: the part of @content to keep
 * @scale: pixels per unit
 *
 * Returns: (transfer full): @content drawn once into ceil (@bounds × @scale) pixels, as a
 *   cairo node with one unit per pixel whose top left is @bounds's top left
 */
GskRenderNode *
peel_board_flatten (GskRenderNode         *content,
                    const graphene_rect_t *bounds,
                    double                 scale)
{
  int width = MAX (1, (int) ceil (bounds->size.width * scale));
  int height = MAX (1, (int) ceil (bounds->size.height * scale));
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  GskRenderNode *node;
  cairo_t *cr = cairo_create (image);

  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -bounds->origin.x, -bounds->origin.y);
  gsk_render_node_draw (content, cr);
  cairo_destroy (cr);

  node = node_for_image (image, width, height);
  cairo_surface_destroy (image);
  return node;
}

void
peel_board_draw_class_init (GtkWidgetClass *widget_class)
{
  widget_class->size_allocate = peel_board_size_allocate;
  widget_class->measure = peel_board_measure;
  widget_class->snapshot = peel_board_snapshot;
}
