/* peel-marks-render.c
 *
 * Draws marks: on the canvas (through the cairo context GTK gives) and onto a copy of an image
 * for "Send with marks", the same way in both, so the model sees what the designer drew.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "peel-marks-render.h"

static void
set_color (cairo_t    *cr,
           const char *color)
{
  guint r = 0xe0, g = 0x1b, b = 0x24;

  if (color != NULL && strlen (color) == 7 && color[0] == '#')
    {
      guint64 value = g_ascii_strtoull (color + 1, NULL, 16);

      r = (value >> 16) & 0xff;
      g = (value >> 8) & 0xff;
      b = value & 0xff;
    }
  cairo_set_source_rgb (cr, r / 255.0, g / 255.0, b / 255.0);
}

/* A dark or light halo under the mark, so that it reads on any image. */
static void
set_halo (cairo_t    *cr,
          const char *color)
{
  if (g_ascii_strcasecmp (color, "#000000") == 0)
    cairo_set_source_rgba (cr, 1, 1, 1, 0.7);
  else
    cairo_set_source_rgba (cr, 0, 0, 0, 0.45);
}

static void
path_for (cairo_t        *cr,
          const PeelMark *mark)
{
  const PeelMarkPoint *p = (const PeelMarkPoint *) mark->points->data;
  guint n = mark->points->len;

  cairo_new_path (cr);
  switch (mark->kind)
    {
    case PEEL_MARK_ARROW:
      {
        double dx = p[1].x - p[0].x, dy = p[1].y - p[0].y;
        double angle = atan2 (dy, dx);
        double head = MAX (mark->width * 3.5, 14.0);

        cairo_move_to (cr, p[0].x, p[0].y);
        cairo_line_to (cr, p[1].x, p[1].y);
        cairo_move_to (cr, p[1].x - head * cos (angle - G_PI / 7),
                       p[1].y - head * sin (angle - G_PI / 7));
        cairo_line_to (cr, p[1].x, p[1].y);
        cairo_line_to (cr, p[1].x - head * cos (angle + G_PI / 7),
                       p[1].y - head * sin (angle + G_PI / 7));
        break;
      }

    case PEEL_MARK_RECTANGLE:
      cairo_rectangle (cr, MIN (p[0].x, p[1].x), MIN (p[0].y, p[1].y),
                       fabs (p[1].x - p[0].x), fabs (p[1].y - p[0].y));
      break;

    case PEEL_MARK_ELLIPSE:
      {
        double w = fabs (p[1].x - p[0].x), h = fabs (p[1].y - p[0].y);

        if (w < 1 || h < 1)
          break;
        cairo_save (cr);
        cairo_translate (cr, (p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2);
        cairo_scale (cr, w / 2, h / 2);
        cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
        cairo_restore (cr);
        break;
      }

    case PEEL_MARK_STROKE:
      cairo_move_to (cr, p[0].x, p[0].y);
      if (n == 1)
        cairo_line_to (cr, p[0].x + 0.01, p[0].y);
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, p[i].x, p[i].y);
      break;

    case PEEL_MARK_TEXT:
    default:
      break;
    }
}

static void
draw_text (cairo_t        *cr,
           const PeelMark *mark)
{
  const PeelMarkPoint *p = (const PeelMarkPoint *) mark->points->data;
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans Bold");
  int width, height;
  double pad;

  pango_font_description_set_absolute_size (font, MAX (mark->width * 4, 12.0) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, mark->text != NULL ? mark->text : "", -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  pad = height * 0.25;

  /* The note sits on a plate of its colour's halo, so it reads on any image. */
  set_halo (cr, mark->color);
  cairo_rectangle (cr, p[0].x - pad, p[0].y - pad, width + 2 * pad, height + 2 * pad);
  cairo_fill (cr);
  set_color (cr, mark->color);
  cairo_move_to (cr, p[0].x, p[0].y);
  pango_cairo_show_layout (cr, layout);

  pango_font_description_free (font);
  g_object_unref (layout);
}

/**
 * peel_marks_draw:
 * @cr: a context whose user space is the image's pixels
 * @marks: (element-type PeelMark): what to draw
 */
void
peel_marks_draw (cairo_t   *cr,
                 GPtrArray *marks)
{
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < marks->len; i++)
    {
      const PeelMark *mark = g_ptr_array_index (marks, i);

      if (mark->points->len == 0)
        continue;
      if (mark->kind == PEEL_MARK_TEXT)
        {
          draw_text (cr, mark);
          continue;
        }
      path_for (cr, mark);
      set_halo (cr, mark->color);
      cairo_set_line_width (cr, mark->width + MAX (2.0, mark->width * 0.5));
      cairo_stroke_preserve (cr);
      set_color (cr, mark->color);
      cairo_set_line_width (cr, mark->width);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/**
 * peel_marks_render:
 * @image: an image
 * @marks: (element-type PeelMark): marks in @image's pixels
 *
 * Returns: (transfer full) (nullable): a copy of @image, without alpha, with @marks drawn on
 *   it; %NULL when there is not enough memory
 */
GdkPixbuf *
peel_marks_render (GdkPixbuf *image,
                   GPtrArray *marks)
{
  int width = gdk_pixbuf_get_width (image);
  int height = gdk_pixbuf_get_height (image);
  int channels = gdk_pixbuf_get_n_channels (image);
  int in_stride = gdk_pixbuf_get_rowstride (image);
  const guint8 *in = gdk_pixbuf_read_pixels (image);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  GdkPixbuf *out;
  cairo_t *cr;
  guint8 *data;
  int stride;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  /* Into cairo's native-endian xRGB, alpha dropped: the model is sent an opaque image. */
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *p = in + (gsize) y * in_stride;
      guint32 *q = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++, p += channels)
        q[x] = (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
    }
  cairo_surface_mark_dirty (surface);

  cr = cairo_create (surface);
  peel_marks_draw (cr, marks);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  out = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (out != NULL)
    {
      int out_stride = gdk_pixbuf_get_rowstride (out);
      guint8 *pixels = gdk_pixbuf_get_pixels (out);

      for (int y = 0; y < height; y++)
        {
          const guint32 *q = (const guint32 *) (data + (gsize) y * stride);
          guint8 *p = pixels + (gsize) y * out_stride;

          for (int x = 0; x < width; x++, p += 3)
            {
              p[0] = (q[x] >> 16) & 0xff;
              p[1] = (q[x] >> 8) & 0xff;
              p[2] = q[x] & 0xff;
            }
        }
    }
  cairo_surface_destroy (surface);
  return out;
}
