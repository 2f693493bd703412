/* peel-demo-painter.c
 *
 * The pictures of the offline demo: a soft landscape or an abstract composition whose
 * colours and shapes come from a hash of the prompt and of how many times the server painted
 * it before (so a prompt's first picture is the same in every run, and the variations of one
 * Generate differ), with the prompt on a card and a "DEMO" badge so nobody mistakes it for a
 * generated image. Runs in worker threads: it only uses cairo, pango and gdk-pixbuf.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "peel-demo-painter.h"
#include "peel-text.h"
#include "peel-util.h"

typedef struct
{
  guint8 d[32];
  double hue;
} Seed;

/* The SHA-256 of the prompt and the variant alone: drafts share the final picture's
 * composition, and the server can describe the picture in its thoughts from the same hash. */
static void
seed_init (Seed       *seed,
           const char *text,
           guint       variant)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *suffix = g_strdup_printf ("\n#%u", variant);
  gsize len = sizeof seed->d;

  g_checksum_update (sum, (const guchar *) (text ? text : ""), -1);
  if (variant > 0)
    g_checksum_update (sum, (const guchar *) suffix, -1);
  g_checksum_get_digest (sum, seed->d, &len);
  seed->hue = (seed->d[0] | (seed->d[1] << 8)) / 65536.0 * 360.0;
}

static double
seed_unit (const Seed *seed,
           guint       i)
{
  return seed->d[i % G_N_ELEMENTS (seed->d)] / 255.0;
}

static void
hsl_to_rgb (double  h,
            double  s,
            double  l,
            double *r,
            double *g,
            double *b)
{
  double c = (1 - fabs (2 * l - 1)) * s;
  double hp = fmod (fmod (h, 360.0) + 360.0, 360.0) / 60.0;
  double x = c * (1 - fabs (fmod (hp, 2) - 1));
  double m = l - c / 2;
  double rr = 0, gg = 0, bb = 0;

  if (hp < 1)
    rr = c, gg = x;
  else if (hp < 2)
    rr = x, gg = c;
  else if (hp < 3)
    gg = c, bb = x;
  else if (hp < 4)
    gg = x, bb = c;
  else if (hp < 5)
    rr = x, bb = c;
  else
    rr = c, bb = x;

  *r = rr + m;
  *g = gg + m;
  *b = bb + m;
}

static void
set_hsla (cairo_t *cr,
          double   h,
          double   s,
          double   l,
          double   a)
{
  double r, g, b;

  hsl_to_rgb (h, s, l, &r, &g, &b);
  cairo_set_source_rgba (cr, r, g, b, a);
}

static void
add_hsla_stop (cairo_pattern_t *pattern,
               double           offset,
               double           h,
               double           s,
               double           l,
               double           a)
{
  double r, g, b;

  hsl_to_rgb (h, s, l, &r, &g, &b);
  cairo_pattern_add_color_stop_rgba (pattern, offset, r, g, b, a);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Scale that reads well from a 192-pixel strip to a 12288-pixel banner. */
static double
type_scale (int w,
            int h)
{
  double s = sqrt ((double) w * h) * 0.034;

  return CLAMP (s, 8.0, MAX (8.0, MIN (w, h) * 0.11));
}

static void
paint_landscape (cairo_t    *cr,
                 const Seed *seed,
                 int         w,
                 int         h)
{
  double hue = seed->hue;
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, 0, h);
  cairo_pattern_t *glow;
  double sun_x = w * (0.15 + 0.7 * seed_unit (seed, 2));
  double sun_y = h * (0.18 + 0.22 * seed_unit (seed, 3));
  double sun_r = MIN (sqrt ((double) w * h) * 0.09, MIN (w, h) * 0.3);
  double step = MAX (2.0, w / 240.0);

  add_hsla_stop (sky, 0.0, hue, 0.45, 0.52, 1);
  add_hsla_stop (sky, 0.55, hue + 35, 0.55, 0.78, 1);
  add_hsla_stop (sky, 1.0, hue + 60, 0.6, 0.9, 1);
  cairo_set_source (cr, sky);
  cairo_paint (cr);
  cairo_pattern_destroy (sky);

  glow = cairo_pattern_create_radial (sun_x, sun_y, 0, sun_x, sun_y, sun_r * 3);
  add_hsla_stop (glow, 0.0, hue + 190, 0.9, 0.93, 1);
  add_hsla_stop (glow, 0.33, hue + 190, 0.85, 0.85, 0.9);
  add_hsla_stop (glow, 0.36, hue + 190, 0.8, 0.85, 0.35);
  add_hsla_stop (glow, 1.0, hue + 190, 0.8, 0.85, 0);
  cairo_set_source (cr, glow);
  cairo_arc (cr, sun_x, sun_y, sun_r * 3, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_pattern_destroy (glow);

  for (guint layer = 0; layer < 4; layer++)
    {
      double base = h * (0.52 + 0.13 * layer);
      double amp = h * (0.07 - 0.012 * layer);
      double f1 = (1.5 + 3 * seed_unit (seed, 4 + layer)) * 2 * G_PI / w;
      double f2 = (4 + 6 * seed_unit (seed, 8 + layer)) * 2 * G_PI / w;
      double p1 = seed_unit (seed, 12 + layer) * 2 * G_PI;
      cairo_pattern_t *fill = cairo_pattern_create_linear (0, base - amp, 0, h);

      add_hsla_stop (fill, 0, hue + 110 + 25 * layer, 0.35 + 0.08 * layer, 0.55 - 0.09 * layer, 1);
      add_hsla_stop (fill, 1, hue + 130 + 25 * layer, 0.4 + 0.08 * layer, 0.35 - 0.06 * layer, 1);

      cairo_move_to (cr, 0, h);
      for (double x = 0; x <= w + step; x += step)
        cairo_line_to (cr, x, base + amp * sin (f1 * x + p1) + amp * 0.35 * sin (f2 * x + 2 * p1));
      cairo_line_to (cr, w, h);
      cairo_close_path (cr);
      cairo_set_source (cr, fill);
      cairo_fill (cr);
      cairo_pattern_destroy (fill);
    }
}

static void
paint_abstract (cairo_t    *cr,
                const Seed *seed,
                int         w,
                int         h)
{
  double hue = seed->hue;
  double s = sqrt ((double) w * h);
  cairo_pattern_t *bg = cairo_pattern_create_linear (0, 0, w, h);

  add_hsla_stop (bg, 0, hue, 0.55, 0.82, 1);
  add_hsla_stop (bg, 1, hue + 70, 0.5, 0.62, 1);
  cairo_set_source (cr, bg);
  cairo_paint (cr);
  cairo_pattern_destroy (bg);

  for (guint i = 0; i < 7; i++)
    {
      double cx = w * seed_unit (seed, 2 + 3 * i);
      double cy = h * seed_unit (seed, 3 + 3 * i);
      double r = s * (0.12 + 0.25 * seed_unit (seed, 4 + 3 * i));
      cairo_pattern_t *blob = cairo_pattern_create_radial (cx, cy, 0, cx, cy, r);

      add_hsla_stop (blob, 0, hue + 40 * i, 0.75, 0.7, 0.75);
      add_hsla_stop (blob, 0.7, hue + 40 * i, 0.7, 0.65, 0.35);
      add_hsla_stop (blob, 1, hue + 40 * i, 0.7, 0.65, 0);
      cairo_set_source (cr, blob);
      cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_pattern_destroy (blob);
    }

  cairo_save (cr);
  cairo_set_line_width (cr, s * 0.012);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < 3; i++)
    {
      double y = h * (0.2 + 0.3 * i) + h * 0.1 * seed_unit (seed, 26 + i);

      set_hsla (cr, hue + 180 + 30 * i, 0.6, 0.95, 0.55);
      cairo_move_to (cr, -w * 0.05, y);
      cairo_curve_to (cr, w * 0.3, y - h * 0.25, w * 0.6, y + h * 0.25, w * 1.05, y);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  int n = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32
                                                               : CAIRO_FORMAT_RGB24, w, h);
  guint8 *dst = cairo_image_surface_get_data (surface);
  int dst_stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  for (int y = 0; y < h; y++)
    {
      const guint8 *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (gpointer) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < w; x++, s += n)
        {
          guint a = alpha ? s[3] : 255;
          guint r = (s[0] * a + 127) / 255;
          guint g = (s[1] * a + 127) / 255;
          guint b = (s[2] * a + 127) / 255;

          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);

  return surface;
}

/* Draws @pixbuf over the rectangle, cropped to fill it as a photo print would be. */
static void
draw_pixbuf_cover (cairo_t   *cr,
                   GdkPixbuf *pixbuf,
                   double     x,
                   double     y,
                   double     w,
                   double     h)
{
  cairo_surface_t *surface = surface_from_pixbuf (pixbuf);
  double pw = gdk_pixbuf_get_width (pixbuf);
  double ph = gdk_pixbuf_get_height (pixbuf);
  double scale = MAX (w / pw, h / ph);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_translate (cr, x + (w - pw * scale) / 2, y + (h - ph * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

/* The new prompt's mark on an edited image: a tint and a star that were not there before. */
static void
paint_edit_marks (cairo_t    *cr,
                  const Seed *seed,
                  int         w,
                  int         h)
{
  double s = sqrt ((double) w * h);
  double cx = w * (0.2 + 0.6 * seed_unit (seed, 20));
  double cy = h * (0.2 + 0.35 * seed_unit (seed, 21));
  double r = MIN (s * 0.16, MIN (w, h) * 0.4);
  cairo_pattern_t *wash = cairo_pattern_create_linear (0, 0, w, h);

  add_hsla_stop (wash, 0, seed->hue, 0.8, 0.55, 0.38);
  add_hsla_stop (wash, 1, seed->hue + 60, 0.8, 0.45, 0.18);
  cairo_set_source (cr, wash);
  cairo_paint (cr);
  cairo_pattern_destroy (wash);

  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_rotate (cr, seed_unit (seed, 22) * G_PI);
  for (guint i = 0; i < 10; i++)
    {
      double a = i * G_PI / 5;
      double rr = (i % 2 == 0) ? r : r * 0.45;

      cairo_line_to (cr, rr * cos (a), rr * sin (a));
    }
  cairo_close_path (cr);
  set_hsla (cr, seed->hue + 180, 0.85, 0.7, 0.8);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, MAX (1.0, r * 0.05));
  set_hsla (cr, seed->hue + 180, 0.9, 0.95, 0.9);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
paint_polaroids (cairo_t   *cr,
                 GPtrArray *inputs,
                 int        w,
                 int        h)
{
  guint n = MIN (inputs->len, 6);
  double side = MIN (MIN (w, h) * 0.34, w * 0.8 / MAX (n, 1));
  double x = side * 0.25;

  for (guint i = 0; i < n; i++)
    {
      GdkPixbuf *pixbuf = g_ptr_array_index (inputs, i);
      double frame = side * 0.06;

      cairo_save (cr);
      cairo_translate (cr, x + side / 2, side * 0.25 + side / 2);
      cairo_rotate (cr, ((i % 3) - 1) * 0.12);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
      cairo_rectangle (cr, -side / 2 + frame / 2, -side / 2 + frame, side, side * 1.15);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.98, 0.97, 0.94);
      cairo_rectangle (cr, -side / 2, -side / 2, side, side * 1.15);
      cairo_fill (cr);
      draw_pixbuf_cover (cr, pixbuf, -side / 2 + frame, -side / 2 + frame,
                         side - 2 * frame, side - 2 * frame);
      cairo_restore (cr);
      x += side * 0.9;
    }
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      px,
             gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

/* A pill of text with its top-left or top-right corner at (x, y); returns its height. */
static double
paint_pill (cairo_t    *cr,
            const char *text,
            double      px,
            gboolean    bold,
            double      x,
            double      y,
            gboolean    from_right,
            double      max_width,
            const double rgba[4])
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, px, bold);
  double pad = px * 0.45;
  int tw, th;

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, MAX (1, (int) ((max_width - 2 * pad) * PANGO_SCALE)));
  pango_layout_get_pixel_size (layout, &tw, &th);
  if (from_right)
    x -= tw + 2 * pad;

  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
  rounded_rect (cr, x, y, tw + 2 * pad, th + pad, (th + pad) / 2);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.96);
  cairo_move_to (cr, x + pad, y + pad / 2);
  pango_cairo_show_layout (cr, layout);

  return th + pad;
}

static void
paint_card (cairo_t    *cr,
            const char *prompt,
            int         w,
            int         h,
            double      px,
            double      bottom_space)
{
  double margin = px * 0.9;
  double pad = px * 0.8;
  double card_w = MIN (w - 2 * margin, px * 30);
  double min_w = MIN (w - 2 * margin, px * 22);
  double max_h = MAX (px * 1.4, h * 0.5 - bottom_space);
  /* The prompt as a label would show it: no controls or BiDi overrides on the card. */
  g_autofree char *text = peel_text_strip_for_label (prompt && *prompt ? prompt : "…", -1);
  g_autoptr(PangoLayout) layout = make_layout (cr, text, px, FALSE);
  int tw, th;
  double card_h, x, y;

  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, MAX (1, (int) ((card_w - 2 * pad) * PANGO_SCALE)));
  pango_layout_set_height (layout, MAX (1, (int) ((max_h - 2 * pad) * PANGO_SCALE)));
  pango_layout_get_pixel_size (layout, &tw, &th);

  /* A card never shrinks below a common width, so it covers a shorter earlier one. */
  card_w = MIN (card_w, MAX (min_w, tw + 2 * pad));
  card_h = th + 2 * pad * 0.8;
  x = (w - card_w) / 2;
  y = MAX (margin, h - bottom_space - card_h - margin * 0.5);

  cairo_set_source_rgba (cr, 0, 0, 0, 0.12);
  rounded_rect (cr, x, y + px * 0.15, card_w, card_h, px * 0.8);
  cairo_fill (cr);
  /* Nearly opaque: an edit's card lands where the previous turn's card was painted. */
  cairo_set_source_rgba (cr, 1, 1, 1, 0.94);
  rounded_rect (cr, x, y, card_w, card_h, px * 0.8);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, 0.13, 0.13, 0.16, 0.92);
  cairo_move_to (cr, x + (card_w - tw) / 2, y + pad * 0.8);
  pango_cairo_show_layout (cr, layout);
}

static void
paint_labels (cairo_t                 *cr,
              const PeelDemoPaintSpec *spec,
              const Seed              *seed,
              int                      w,
              int                      h,
              double                   px,
              double                  *bottom_space)
{
  double small = MAX (7.0, px * 0.55);
  double margin = px * 0.6;
  /* Dark and opaque enough that the white text keeps 4.5:1 over any image and any hue
   * (tests/check-contrast.py). */
  double badge[4], dark[4] = { 0.08, 0.08, 0.1, 0.8 };
  g_autofree char *info = NULL;
  g_autofree char *draft = NULL;

  hsl_to_rgb (seed->hue + 180, 0.7, 0.25, &badge[0], &badge[1], &badge[2]);
  badge[3] = 1.0;
  paint_pill (cr, "DEMO", px * 0.8, TRUE, w - margin, margin, TRUE, w - 2 * margin, badge);

  if (spec->draft > 0)
    {
      draft = g_strdup_printf ("draft %u", spec->draft);
      paint_pill (cr, draft, small, FALSE, margin, margin, FALSE, w / 2.0, dark);
    }

  info = g_strdup_printf ("%d × %d%s%s%s%s · Peel demo", spec->width, spec->height,
                          spec->ratio ? " · " : "", spec->ratio ? spec->ratio : "",
                          spec->size_label ? " · " : "",
                          spec->size_label ? spec->size_label : "");
  *bottom_space = small * 1.6 + margin;
  paint_pill (cr, info, small, FALSE, margin, h - margin * 0.6 - small * 1.6, FALSE,
              w - 2 * margin, dark);
}

/* Rule-of-thirds lines: what a draft of the composition looks like. */
static void
paint_draft_grid (cairo_t *cr,
                  int      w,
                  int      h)
{
  cairo_save (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.45);
  cairo_set_line_width (cr, MAX (1.0, MIN (w, h) / 200.0));
  for (guint i = 1; i < 3; i++)
    {
      cairo_move_to (cr, w * i / 3.0, 0);
      cairo_line_to (cr, w * i / 3.0, h);
      cairo_move_to (cr, 0, h * i / 3.0);
      cairo_line_to (cr, w, h * i / 3.0);
    }
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.3);
  cairo_paint (cr);
  cairo_restore (cr);
}

static guint32 crc_table[256];

static gpointer
init_crc_table (gpointer data)
{
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;

      for (guint k = 0; k < 8; k++)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }

  return NULL;
}

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc;
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         len)
{
  guint32 be_len = GUINT32_TO_BE ((guint32) len);
  guint32 crc = 0xffffffffu;
  guint32 be_crc;

  g_byte_array_append (png, (const guint8 *) &be_len, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  g_byte_array_append (png, data, len);
  crc = crc32_update (crc, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, len);
  be_crc = GUINT32_TO_BE (crc ^ 0xffffffffu);
  g_byte_array_append (png, (const guint8 *) &be_crc, 4);
}

/* A PNG written directly from cairo's pixels: 8-bit RGB, the Sub filter on every row (the
 * pictures are mostly smooth gradients) and zlib level 1. gdk-pixbuf's and cairo's writers
 * spend seconds on a 4K picture in libpng's filter search; this spends a fraction of it. */
static GBytes *
encode_png (cairo_surface_t  *surface,
            GError          **error)
{
  static GOnce crc_once = G_ONCE_INIT;
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *pixels;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1);
  g_autoptr(GOutputStream) deflate = g_converter_output_stream_new (memory, G_CONVERTER (zlib));
  g_autofree guint8 *row = g_malloc (1 + (gsize) w * 3);
  g_autoptr(GByteArray) png = NULL;
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  GMemoryOutputStream *idat;
  guint8 header[13];
  guint32 be;

  g_once (&crc_once, init_crc_table, NULL);
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);

  for (int y = 0; y < h; y++)
    {
      const guint32 *src = (const guint32 *) (gconstpointer) (pixels + (gsize) y * stride);
      guint8 *d = row + 1;
      guint8 pr = 0, pg = 0, pb = 0;

      row[0] = 1;
      for (int x = 0; x < w; x++, d += 3)
        {
          guint8 r = (src[x] >> 16) & 0xff;
          guint8 g = (src[x] >> 8) & 0xff;
          guint8 b = src[x] & 0xff;

          d[0] = (guint8) (r - pr);
          d[1] = (guint8) (g - pg);
          d[2] = (guint8) (b - pb);
          pr = r, pg = g, pb = b;
        }

      if (!g_output_stream_write_all (deflate, row, 1 + (gsize) w * 3, NULL, NULL, error))
        return NULL;
    }

  if (!g_output_stream_close (deflate, NULL, error))
    return NULL;

  be = GUINT32_TO_BE ((guint32) w);
  memcpy (header, &be, 4);
  be = GUINT32_TO_BE ((guint32) h);
  memcpy (header + 4, &be, 4);
  header[8] = 8;      /* bits per sample */
  header[9] = 2;      /* RGB */
  header[10] = 0;     /* deflate */
  header[11] = 0;     /* adaptive filtering, one filter byte per row */
  header[12] = 0;     /* not interlaced */

  idat = G_MEMORY_OUTPUT_STREAM (memory);
  png = g_byte_array_sized_new (g_memory_output_stream_get_data_size (idat) + 64);
  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", header, sizeof header);
  /* Says where the picture comes from, so an export records the demo, not a model. */
  append_chunk (png, "tEXt", (const guint8 *) PEEL_DEMO_SOURCE_KEYWORD "\0" PEEL_DEMO_SOURCE_TEXT,
                sizeof PEEL_DEMO_SOURCE_KEYWORD "\0" PEEL_DEMO_SOURCE_TEXT - 1);
  append_chunk (png, "IDAT", g_memory_output_stream_get_data (idat),
                g_memory_output_stream_get_data_size (idat));
  append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* A region edit's change: a disc of the prompt's colour with a star, in the middle of the
 * cut-out, where the selection is (the margin around it is context the model must keep). */
static void
paint_region_change (cairo_t    *cr,
                     const Seed *seed,
                     int         w,
                     int         h)
{
  double r = MIN (w, h) * 0.3;

  cairo_arc (cr, w / 2.0, h / 2.0, r, 0, 2 * G_PI);
  set_hsla (cr, seed->hue, 0.75, 0.55, 0.85);
  cairo_fill (cr);

  cairo_save (cr);
  cairo_translate (cr, w / 2.0, h / 2.0 - r * 0.15);
  cairo_rotate (cr, seed_unit (seed, 22) * G_PI);
  for (guint i = 0; i < 10; i++)
    {
      double a = i * G_PI / 5;
      double rr = (i % 2 == 0) ? r * 0.6 : r * 0.27;

      cairo_line_to (cr, rr * cos (a), rr * sin (a));
    }
  cairo_close_path (cr);
  set_hsla (cr, seed->hue + 180, 0.85, 0.75, 0.95);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* A region edit's answer: the request, across the middle of the cut-out, so that the change
 * is visible where it lands in the image. */
static void
paint_caption (cairo_t    *cr,
               const char *text,
               int         w,
               int         h)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans Bold");
  double size = CLAMP (MIN (w, h) * 0.06, 10.0, 64.0);
  int tw, th;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (w * 0.45) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &tw, &th);

  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_rectangle (cr, (w - tw) / 2.0 - size * 0.3, h * 0.62 - size * 0.2, tw + size * 0.6,
                   th + size * 0.4);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, (w - tw) / 2.0, h * 0.62);
  pango_cairo_show_layout (cr, layout);

  pango_font_description_free (font);
  g_object_unref (layout);
}

/**
 * peel_demo_painter_paint:
 * @spec: what to draw
 * @error: return location for an error
 *
 * Paints the picture and encodes it as PNG. Safe to call from any thread.
 *
 * Returns: (transfer full): the PNG bytes, or %NULL with @error set
 */
GBytes *
peel_demo_painter_paint (const PeelDemoPaintSpec  *spec,
                         GError                  **error)
{
  int w = spec->width;
  int h = spec->height;
  cairo_surface_t *surface;
  cairo_t *cr;
  Seed seed;
  double px, bottom_space = 0;
  GBytes *png;

  g_return_val_if_fail (w > 0 && h > 0, NULL);

  seed_init (&seed, spec->prompt, spec->variant);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Not enough memory for a %d × %d picture", w, h);
      return NULL;
    }
  cr = cairo_create (surface);
  px = type_scale (w, h);

  if (spec->base != NULL && spec->region)
    {
      draw_pixbuf_cover (cr, spec->base, 0, 0, w, h);
      paint_region_change (cr, &seed, w, h);
    }
  else if (spec->base != NULL)
    {
      draw_pixbuf_cover (cr, spec->base, 0, 0, w, h);
      paint_edit_marks (cr, &seed, w, h);
    }
  else if (spec->inputs != NULL && spec->inputs->len > 0)
    {
      draw_pixbuf_cover (cr, g_ptr_array_index (spec->inputs, 0), 0, 0, w, h);
      paint_edit_marks (cr, &seed, w, h);
    }
  else if (seed.d[31] & 1)
    paint_landscape (cr, &seed, w, h);
  else
    paint_abstract (cr, &seed, w, h);

  if (spec->inputs != NULL && spec->inputs->len > 0)
    paint_polaroids (cr, spec->inputs, w, h);

  if (spec->draft > 0)
    paint_draft_grid (cr, w, h);

  if (spec->region)
    paint_caption (cr, spec->prompt, w, h);
  else
    {
      paint_labels (cr, spec, &seed, w, h, px, &bottom_space);
      if (spec->draft == 0)
        paint_card (cr, spec->prompt, w, h, px, bottom_space);
    }

  cairo_destroy (cr);
  png = encode_png (surface, error);
  cairo_surface_destroy (surface);

  return png;
}

/**
 * peel_demo_painter_decode:
 * @bytes: an encoded image (PNG, JPEG, WebP…)
 * @error: return location for an error
 *
 * Returns: (transfer full): the decoded image, or %NULL with @error set
 */
GdkPixbuf *
peel_demo_painter_decode (GBytes  *bytes,
                          GError **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return gdk_pixbuf_new_from_stream (stream, NULL, error);
}
