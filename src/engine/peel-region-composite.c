/* peel-region-composite.c
 *
 * Placing a region edit's answer into the parent's image: the answer is scaled to cover the
 * crop it was asked for, its tone matched to the parent's over the context, and blended through
 * the feathered mask. Only the feathered selection's bounds are read or written, so compositing
 * a 4K image costs what the selection covers, not what the image does, and a pixel whose mask is
 * 0 is never touched: it stays the parent's byte for byte.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "peel-region-private.h"

/* The tone of the answer is matched to the parent's by the mean difference over the context
 * the model was sent but may not change; a model that shifts colours shifts them everywhere.
 * More than this is a wanted change of light, not drift, and is left alone. */
#define TONE_MAX_SHIFT 48

/* How crop pixels map to the answer: the answer is scaled to cover the crop and centred, and
 * sampled bilinearly, in 8-bit fixed point. An answer more than twice the crop's size is first
 * scaled down whole (bilinear sampling of it would alias). */
typedef struct
{
  GdkPixbuf *pixbuf;
  int        channels;
  int        stride;
  const guint8 *pixels;
  int       *x0;   /* per crop column: the answer column left of the sample */
  guint8    *fx;   /* and the weight of the one right of it, of 256 */
  int       *y0;
  guint8    *fy;
  int        width;
  int        height;
} Sampler;

static void
sampler_clear (Sampler *s)
{
  g_clear_object (&s->pixbuf);
  g_clear_pointer (&s->x0, g_free);
  g_clear_pointer (&s->fx, g_free);
  g_clear_pointer (&s->y0, g_free);
  g_clear_pointer (&s->fy, g_free);
}

static void
sampler_axis (int      crop_length,
              int      answer_length,
              double   scale,
              int    **index,
              guint8 **weight)
{
  double offset = (answer_length * scale - crop_length) / 2.0;

  *index = g_new (int, crop_length);
  *weight = g_new (guint8, crop_length);
  for (int i = 0; i < crop_length; i++)
    {
      double u = (i + 0.5 + offset) / scale - 0.5;
      int u0;

      u = CLAMP (u, 0.0, answer_length - 1.0);
      u0 = MIN ((int) u, answer_length - 2 >= 0 ? answer_length - 2 : 0);
      (*index)[i] = u0;
      (*weight)[i] = answer_length > 1 ? (guint8) MIN (255, lround ((u - u0) * 256.0)) : 0;
    }
}

static gboolean
sampler_init (Sampler              *s,
              GdkPixbuf            *answer,
              const PeelRegionRect *crop,
              gboolean             *fitted)
{
  int aw = gdk_pixbuf_get_width (answer);
  int ah = gdk_pixbuf_get_height (answer);
  double scale;

  memset (s, 0, sizeof *s);
  *fitted = fabs (((double) aw / ah) / ((double) crop->width / crop->height) - 1.0) > 0.01;

  scale = MAX ((double) crop->width / aw, (double) crop->height / ah);
  if (scale < 0.5)
    {
      int w = MAX (1, (int) ceil (aw * scale * 2.0));
      int h = MAX (1, (int) ceil (ah * scale * 2.0));

      s->pixbuf = gdk_pixbuf_scale_simple (answer, w, h, GDK_INTERP_HYPER);
      if (s->pixbuf == NULL)
        return FALSE;
      aw = w;
      ah = h;
      scale = MAX ((double) crop->width / aw, (double) crop->height / ah);
    }
  else
    s->pixbuf = g_object_ref (answer);

  s->channels = gdk_pixbuf_get_n_channels (s->pixbuf);
  s->stride = gdk_pixbuf_get_rowstride (s->pixbuf);
  s->pixels = gdk_pixbuf_read_pixels (s->pixbuf);
  s->width = aw;
  s->height = ah;
  sampler_axis (crop->width, aw, scale, &s->x0, &s->fx);
  sampler_axis (crop->height, ah, scale, &s->y0, &s->fy);
  return TRUE;
}

/* The answer's colour at crop pixel (x, y): RGB and alpha (255 when the answer has none). */
static inline void
sampler_get (const Sampler *s,
             int            x,
             int            y,
             guint          out[4])
{
  int x0 = s->x0[x], y0 = s->y0[y];
  int x1 = MIN (x0 + 1, s->width - 1), y1 = MIN (y0 + 1, s->height - 1);
  guint wx = s->fx[x], wy = s->fy[y];
  const guint8 *r0 = s->pixels + (gsize) y0 * s->stride;
  const guint8 *r1 = s->pixels + (gsize) y1 * s->stride;
  const guint8 *a = r0 + (gsize) x0 * s->channels, *b = r0 + (gsize) x1 * s->channels;
  const guint8 *c = r1 + (gsize) x0 * s->channels, *d = r1 + (gsize) x1 * s->channels;
  int n = MIN (s->channels, 4);

  out[3] = 255;
  for (int i = 0; i < n; i++)
    {
      guint top = a[i] * (256 - wx) + b[i] * wx;
      guint bottom = c[i] * (256 - wx) + d[i] * wx;

      out[i] = (top * (256 - wy) + bottom * wy + 32768) >> 16;
    }
}

/* The mean difference, per colour channel, between the parent and the answer over the pixels of
 * the crop the feathered mask keeps: how far the model moved the tone of what it was not asked
 * to change. */
static void
tone_shift (GdkPixbuf            *parent,
            const Sampler        *answer,
            const PeelRegionMask *mask,
            int                   feather,
            const PeelRegionRect *area,
            const PeelRegionRect *crop,
            int                   shift[3])
{
  int pc = gdk_pixbuf_get_n_channels (parent);
  int ps = gdk_pixbuf_get_rowstride (parent);
  const guint8 *pp = gdk_pixbuf_read_pixels (parent);
  g_autofree guint8 *soft = g_malloc (area->width);
  PeelRegionFeather rows;
  gint64 sum[3] = { 0, 0, 0 };
  gint64 count = 0;
  int step = MAX (1, MIN (crop->width, crop->height) / 256);

  peel_region_feather_init (&rows, mask, area, feather);
  for (int y = 0; y < crop->height; y += step)
    {
      int iy = crop->y + y;
      gboolean in_area = iy >= area->y && iy < area->y + area->height;

      /* The feathered mask of this row; the rows between are only passed. */
      if (in_area)
        {
          while (area->y + rows.row < iy)
            peel_region_feather_next (&rows, NULL);
          peel_region_feather_next (&rows, soft);
        }

      for (int x = 0; x < crop->width; x += step)
        {
          int ix = crop->x + x;
          const guint8 *p;
          guint a[4];

          if (in_area && ix >= area->x && ix < area->x + area->width && soft[ix - area->x] != 0)
            continue;
          p = pp + (gsize) iy * ps + (gsize) ix * pc;
          sampler_get (answer, x, y, a);
          for (int c = 0; c < 3; c++)
            sum[c] += (int) p[c] - (int) a[c];
          count++;
        }
    }
  peel_region_feather_clear (&rows);

  for (int c = 0; c < 3; c++)
    {
      shift[c] = count > 0 ? (int) (sum[c] / count) : 0;
      if (ABS (shift[c]) > TONE_MAX_SHIFT)
        shift[c] = 0;
    }
}

/* Whether crop pixel i samples answer pixel first + i exactly along an axis (the answer is
 * the crop's size): then the answer's rows are used as they are. */
static gboolean
axis_is_identity (const int    *index,
                  const guint8 *weight,
                  int           length)
{
  for (int i = 0; i < length; i++)
    if (weight[i] != 0 || index[i] != index[0] + i)
      return FALSE;
  return TRUE;
}

/* Two answer rows mixed, @wy of 256 towards @b, rounded: plain bytes in and out, so the
 * compiler vectorises it. */
static void
mix_rows (const guint8 *a,
          const guint8 *b,
          guint         wy,
          int           n,
          guint8       *out)
{
  guint wa = 256 - wy;

  for (int i = 0; i < n; i++)
    out[i] = (guint8) ((a[i] * wa + b[i] * wy + 128) >> 8);
}

/* One row of the answer, already mixed between its two rows, sampled along x for @n crop
 * columns into @out with the image's @channels (alpha 255 when the answer has none). Inlined
 * with @ac and @channels constants, so the inner loops unroll. */
static inline void
resample_span (const guint8 *line,
               int           ac,
               int           last,
               const int    *x0,
               const guint8 *fx,
               int           n,
               int           channels,
               guint8       *out)
{
  for (int x = 0; x < n; x++, out += channels)
    {
      const guint8 *a = line + (gsize) x0[x] * ac;
      const guint8 *b = line + (gsize) MIN (x0[x] + 1, last) * ac;
      guint wx = fx[x], wa = 256 - wx;

      for (int c = 0; c < 3; c++)
        out[c] = (guint8) ((a[c] * wa + b[c] * wx + 128) >> 8);
      if (channels == 4)
        out[3] = ac == 4 ? (guint8) ((a[3] * wa + b[3] * wx + 128) >> 8) : 255;
    }
}

/* Blends @n pixels of @answer into @row through @m: 255 takes the answer, 0 leaves the pixel
 * untouched, values between mix with (t + 127) / 255 done exactly; colours go through @tone.
 * Inlined with @ac (the answer's channels here) and @channels constants. */
static inline void
blend_span (guint8       *row,
            const guint8 *m,
            const guint8 *answer,
            int           n,
            int           ac,
            int           channels,
            const guint8  tone[3][256])
{
  for (int x = 0; x < n; x++, row += channels, answer += ac)
    {
      guint a = m[x];
      guint v[4];

      if (a == 0)
        continue;
      v[0] = tone[0][answer[0]];
      v[1] = tone[1][answer[1]];
      v[2] = tone[2][answer[2]];
      if (channels == 4)
        v[3] = ac == 4 ? answer[3] : 255;
      if (a == 255)
        {
          for (int c = 0; c < channels; c++)
            row[c] = (guint8) v[c];
          continue;
        }
      for (int c = 0; c < channels; c++)
        {
          guint t = row[c] * (255u - a) + v[c] * a + 128u;

          row[c] = (guint8) ((t + (t >> 8)) >> 8);
        }
    }
}

static void
blend (GdkPixbuf            *result,
       const Sampler        *answer,
       const PeelRegionMask *mask,
       int                   feather,
       const PeelRegionRect *area,
       const PeelRegionRect *crop,
       const int             shift[3])
{
  int channels = gdk_pixbuf_get_n_channels (result);
  int stride = gdk_pixbuf_get_rowstride (result);
  guint8 *pixels = gdk_pixbuf_get_pixels (result);
  int ac = answer->channels;
  int first = area->x - crop->x;
  const int *x0 = answer->x0 + first;
  const guint8 *fx = answer->fx + first;
  gboolean x_identity = axis_is_identity (x0, fx, area->width) && ac == channels;
  g_autofree guint8 *mixed = g_malloc ((gsize) answer->stride);
  g_autofree guint8 *sampled = g_malloc ((gsize) 4 * area->width);
  g_autofree guint8 *m = g_malloc (area->width);
  PeelRegionFeather soft;
  guint8 tone[3][256];

  for (int c = 0; c < 3; c++)
    for (int v = 0; v < 256; v++)
      tone[c][v] = (guint8) CLAMP (v + shift[c], 0, 255);

  peel_region_feather_init (&soft, mask, area, feather);
  for (int y = 0; y < area->height; y++)
    {
      guint8 *r = pixels + (gsize) (area->y + y) * stride;
      int cy = area->y + y - crop->y;
      int y0 = answer->y0[cy], y1 = MIN (y0 + 1, answer->height - 1);
      guint wy = answer->fy[cy];
      const guint8 *line = answer->pixels + (gsize) y0 * answer->stride;
      const guint8 *span;
      int from = 0, to = area->width;

      peel_region_feather_next (&soft, m);

      /* Only the part of the row the mask reaches is sampled and blended. */
      while (from < to && m[from] == 0)
        from++;
      while (to > from && m[to - 1] == 0)
        to--;
      if (from == to)
        continue;

      /* Between two answer rows: mixed first, over the answer columns this span samples. */
      if (wy != 0)
        {
          gsize lo = (gsize) x0[from] * ac;
          gsize hi = (gsize) (MIN (x0[to - 1] + 1, answer->width - 1) + 1) * ac;

          mix_rows (line + lo, answer->pixels + (gsize) y1 * answer->stride + lo, wy,
                    (int) (hi - lo), mixed + lo);
          line = mixed;
        }

      if (x_identity)
        span = line + (gsize) x0[from] * ac;
      else
        {
          int last = answer->width - 1;

          if (channels == 4 && ac == 4)
            resample_span (line, 4, last, x0 + from, fx + from, to - from, 4, sampled);
          else if (channels == 4)
            resample_span (line, 3, last, x0 + from, fx + from, to - from, 4, sampled);
          else if (ac == 4)
            resample_span (line, 4, last, x0 + from, fx + from, to - from, 3, sampled);
          else
            resample_span (line, 3, last, x0 + from, fx + from, to - from, 3, sampled);
          span = sampled;
        }

      r += (gsize) (area->x + from) * channels;
      if (x_identity && ac == 4)
        blend_span (r, m + from, span, to - from, 4, 4, (const guint8 (*)[256]) tone);
      else if (x_identity)
        blend_span (r, m + from, span, to - from, 3, 3, (const guint8 (*)[256]) tone);
      else if (channels == 4)
        blend_span (r, m + from, span, to - from, 4, 4, (const guint8 (*)[256]) tone);
      else
        blend_span (r, m + from, span, to - from, 3, 3, (const guint8 (*)[256]) tone);
    }
  peel_region_feather_clear (&soft);
}

/**
 * peel_region_plan_area:
 * @plan: a plan
 * @width: the image's width
 * @height: the image's height
 * @area: (out): the part of the image a composite with @plan may change: the selection's
 *   bounds grown by the feather, clipped to the image
 *
 * Returns: %FALSE when @area is empty
 */
gboolean
peel_region_plan_area (const PeelRegionPlan *plan,
                       int                   width,
                       int                   height,
                       PeelRegionRect       *area)
{
  *area = plan->bounds;
  area->x -= plan->feather;
  area->y -= plan->feather;
  area->width += 2 * plan->feather;
  area->height += 2 * plan->feather;
  return peel_region_rect_clip (area, width, height);
}

/**
 * peel_region_composite_in_place:
 * @image: the parent's image, changed in place
 * @mask: what may change, @image's size
 * @plan: the plan the answer was asked with
 * @answer: the model's image for the plan's crop, any size
 * @fitted: (out) (optional): %TRUE when @answer had another shape than the crop and was fitted
 * @error: #PEEL_REGION_ERROR_MASK or #PEEL_REGION_ERROR_IMAGE
 *
 * Scales @answer to cover the crop, matches its tone to the parent's over the context, and
 * blends it into @image through @mask feathered by the plan's radius. Only pixels inside
 * peel_region_plan_area() are written, and of those only where the feathered mask is not 0:
 * every other pixel stays as it was, byte for byte, alpha included. On failure @image is
 * untouched.
 *
 * Returns: %TRUE on success
 */
gboolean
peel_region_composite_in_place (GdkPixbuf             *image,
                                const PeelRegionMask  *mask,
                                const PeelRegionPlan  *plan,
                                GdkPixbuf             *answer,
                                gboolean              *fitted,
                                GError               **error)
{
  int width = gdk_pixbuf_get_width (image);
  int height = gdk_pixbuf_get_height (image);
  PeelRegionRect crop = plan->crop;
  PeelRegionRect area;
  gboolean was_fitted = FALSE;
  Sampler sampler;
  int shift[3];

  if (mask->width != width || mask->height != height)
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask is %d × %d pixels, but the image is %d × %d. Make the mask the "
                     "image’s size (white where it may change)."),
                   mask->width, mask->height, width, height);
      return FALSE;
    }

  if (gdk_pixbuf_get_bits_per_sample (image) != 8 ||
      gdk_pixbuf_get_n_channels (image) < 3 ||
      gdk_pixbuf_get_n_channels (image) > 4 ||
      gdk_pixbuf_get_bits_per_sample (answer) != 8 ||
      gdk_pixbuf_get_n_channels (answer) < 3 ||
      !peel_region_rect_clip (&crop, width, height) ||
      crop.width != plan->crop.width || crop.height != plan->crop.height ||
      !peel_region_plan_area (plan, width, height, &area) ||
      area.x < crop.x || area.y < crop.y ||
      area.x + area.width > crop.x + crop.width ||
      area.y + area.height > crop.y + crop.height)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("The region edit’s images do not fit together. Select the region "
                             "again and retry."));
      return FALSE;
    }

  if (!sampler_init (&sampler, answer, &crop, &was_fitted))
    {
      sampler_clear (&sampler);
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("Not enough memory to place the answer in the image."));
      return FALSE;
    }

  tone_shift (image, &sampler, mask, plan->feather, &area, &crop, shift);
  blend (image, &sampler, mask, plan->feather, &area, &crop, shift);
  sampler_clear (&sampler);

  if (fitted != NULL)
    *fitted = was_fitted;
  return TRUE;
}

/**
 * peel_region_composite:
 * @parent: the parent's image
 * @mask: what may change, @parent's size
 * @plan: the plan the answer was asked with
 * @answer: the model's image for the plan's crop, any size
 * @fitted: (out) (optional): %TRUE when @answer had another shape than the crop and was fitted
 * @error: #PEEL_REGION_ERROR_MASK or #PEEL_REGION_ERROR_IMAGE
 *
 * Like peel_region_composite_in_place(), into a copy of @parent.
 *
 * Returns: (transfer full): the composite, with @parent's channels
 */
GdkPixbuf *
peel_region_composite (GdkPixbuf             *parent,
                       const PeelRegionMask  *mask,
                       const PeelRegionPlan  *plan,
                       GdkPixbuf             *answer,
                       gboolean              *fitted,
                       GError               **error)
{
  g_autoptr(GdkPixbuf) result = gdk_pixbuf_copy (parent);

  if (result == NULL)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("Not enough memory to place the answer in the image."));
      return NULL;
    }
  if (!peel_region_composite_in_place (result, mask, plan, answer, fitted, error))
    return NULL;
  return g_steal_pointer (&result);
}
