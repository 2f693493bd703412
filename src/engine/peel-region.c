/* peel-region.c
 *
 * A region edit: which part of an image is sent to the model, and how the model's answer goes
 * back into the image so that every pixel outside the feathered selection is the parent's
 * pixel, exactly. The model repaints whatever it is given (there is no mask field for the
 * image models), so the exactness is made here: the answer only ever reaches the image through
 * the feathered mask, and a pixel whose mask is 0 is copied, never blended.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "peel-image-probe.h"
#include "peel-region.h"

/* The tone of the answer is matched to the parent's by the mean difference over the context
 * the model was sent but may not change; a model that shifts colours shifts them everywhere.
 * More than this is a wanted change of light, not drift, and is left alone. */
#define TONE_MAX_SHIFT 48

/* Context around the selection: a quarter of its longer side, at least this many pixels. */
#define MIN_MARGIN 32

G_DEFINE_QUARK (peel-region-error-quark, peel_region_error)

PeelRegionMask *
peel_region_mask_new (int width,
                      int height)
{
  PeelRegionMask *mask;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail ((guint64) width * height <= PEEL_IMAGE_MAX_PIXELS, NULL);

  mask = g_new0 (PeelRegionMask, 1);
  mask->width = width;
  mask->height = height;
  mask->data = g_malloc0 ((gsize) width * height);
  return mask;
}

void
peel_region_mask_free (PeelRegionMask *mask)
{
  if (mask == NULL)
    return;
  g_free (mask->data);
  g_free (mask);
}

PeelRegionMask *
peel_region_mask_copy (const PeelRegionMask *mask)
{
  PeelRegionMask *copy = peel_region_mask_new (mask->width, mask->height);

  memcpy (copy->data, mask->data, (gsize) mask->width * mask->height);
  return copy;
}

static gboolean
rect_clip (PeelRegionRect *rect,
           int             width,
           int             height)
{
  int x1 = CLAMP (rect->x, 0, width);
  int y1 = CLAMP (rect->y, 0, height);
  int x2 = CLAMP ((gint64) rect->x + rect->width, 0, width);
  int y2 = CLAMP ((gint64) rect->y + rect->height, 0, height);

  rect->x = x1;
  rect->y = y1;
  rect->width = MAX (0, x2 - x1);
  rect->height = MAX (0, y2 - y1);
  return rect->width > 0 && rect->height > 0;
}

/**
 * peel_region_mask_new_rect:
 * @width: the image's width
 * @height: the image's height
 * @rect: the selected rectangle, clipped to the image
 *
 * Returns: (transfer full): a mask selecting @rect
 */
PeelRegionMask *
peel_region_mask_new_rect (int                   width,
                           int                   height,
                           const PeelRegionRect *rect)
{
  PeelRegionMask *mask = peel_region_mask_new (width, height);
  PeelRegionRect r = *rect;

  if (rect_clip (&r, width, height))
    for (int y = r.y; y < r.y + r.height; y++)
      memset (mask->data + (gsize) y * width + r.x, 255, r.width);
  return mask;
}

/**
 * peel_region_mask_from_pixbuf:
 * @pixbuf: a mask image: white changes, black keeps, grey blends; transparent keeps
 * @width: the width the mask must have (the image's)
 * @height: the height the mask must have
 * @error: #PEEL_REGION_ERROR_MASK when the sizes differ
 *
 * Returns: (transfer full): the mask
 */
PeelRegionMask *
peel_region_mask_from_pixbuf (GdkPixbuf  *pixbuf,
                              int         width,
                              int         height,
                              GError    **error)
{
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  PeelRegionMask *mask;

  if (w != width || h != height)
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask is %d × %d pixels, but the image is %d × %d. Make the mask the "
                     "image’s size (white where it may change)."),
                   w, h, width, height);
      return NULL;
    }
  if (gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 || channels < 3)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                           _("The mask’s pixel format is not supported. Save it as an 8-bit "
                             "PNG."));
      return NULL;
    }

  mask = peel_region_mask_new (width, height);
  for (int y = 0; y < h; y++)
    {
      const guint8 *p = pixels + (gsize) y * stride;
      guint8 *out = mask->data + (gsize) y * width;

      for (int x = 0; x < w; x++, p += channels)
        {
          guint luma = (p[0] * 299u + p[1] * 587u + p[2] * 114u + 500u) / 1000u;

          if (alpha)
            luma = (luma * p[3] + 127u) / 255u;
          out[x] = (guint8) luma;
        }
    }
  return mask;
}

/**
 * peel_region_mask_from_png:
 * @bytes: an encoded image (PNG, or any format the image loaders read)
 * @width: the width the mask must have
 * @height: the height the mask must have
 * @error: #PEEL_REGION_ERROR_MASK when @bytes is not an image or has another size
 *
 * The image's header is checked before anything is decoded, so a damaged file or a
 * decompression bomb is refused cheaply.
 *
 * Returns: (transfer full): the mask
 */
PeelRegionMask *
peel_region_mask_from_png (GBytes  *bytes,
                           int      width,
                           int      height,
                           GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *mime_type = NULL;
  GdkPixbuf *pixbuf;
  int w, h;

  if (!peel_image_probe (bytes, &w, &h, &mime_type, &local_error))
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask cannot be read: %s"), local_error->message);
      return NULL;
    }
  if (w != width || h != height)
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask is %d × %d pixels, but the image is %d × %d. Make the mask the "
                     "image’s size (white where it may change)."),
                   w, h, width, height);
      return NULL;
    }

  loader = gdk_pixbuf_loader_new ();
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask cannot be read: %s"), local_error->message);
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                           _("The mask cannot be read: it holds no image."));
      return NULL;
    }
  return peel_region_mask_from_pixbuf (pixbuf, width, height, error);
}

/**
 * peel_region_decode_image:
 * @bytes: an encoded image
 * @what: the start of the message when it cannot be used, e.g. "The image to edit cannot be
 *   read"
 * @error: #PEEL_REGION_ERROR_IMAGE, "@what: why"
 *
 * Decodes an image that the probe has passed, so a damaged file or a bomb never reaches a
 * loader, in 8-bit RGB or RGBA.
 *
 * Returns: (transfer full): the image
 */
GdkPixbuf *
peel_region_decode_image (GBytes      *bytes,
                          const char  *what,
                          GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;
  int width, height;

  if (!peel_image_probe (bytes, &width, &height, NULL, &local_error))
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                   "%s: %s", what, local_error->message);
      return NULL;
    }

  loader = gdk_pixbuf_loader_new ();
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE, "%s: %s", what,
                   local_error != NULL ? local_error->message : _("it holds no image"));
      return NULL;
    }
  if (gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 || gdk_pixbuf_get_n_channels (pixbuf) < 3)
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE, "%s: %s", what,
                   _("its pixel format is not supported"));
      return NULL;
    }
  return g_object_ref (pixbuf);
}

/**
 * peel_region_mask_to_png:
 * @mask: a mask
 * @error: where a failure to encode goes
 *
 * Returns: (transfer full): @mask as a greyscale-looking RGB PNG, white where it changes
 */
GBytes *
peel_region_mask_to_png (const PeelRegionMask  *mask,
                         GError               **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                                mask->width, mask->height);
  int stride;
  guint8 *pixels;
  char *buffer = NULL;
  gsize length = 0;

  if (pixbuf == NULL)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("Not enough memory for the mask."));
      return NULL;
    }
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  for (int y = 0; y < mask->height; y++)
    {
      guint8 *p = pixels + (gsize) y * stride;
      const guint8 *m = mask->data + (gsize) y * mask->width;

      for (int x = 0; x < mask->width; x++, p += 3)
        p[0] = p[1] = p[2] = m[x];
    }
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", error, NULL))
    return NULL;
  return g_bytes_new_take (buffer, length);
}

/**
 * peel_region_mask_bounds:
 * @mask: a mask
 * @bounds: (out): the smallest rectangle holding every pixel the mask selects
 *
 * Returns: %FALSE when the mask selects nothing
 */
gboolean
peel_region_mask_bounds (const PeelRegionMask *mask,
                         PeelRegionRect       *bounds)
{
  int x1 = mask->width, y1 = mask->height, x2 = -1, y2 = -1;

  for (int y = 0; y < mask->height; y++)
    {
      const guint8 *row = mask->data + (gsize) y * mask->width;
      int first = -1, last = -1;

      for (int x = 0; x < mask->width; x++)
        if (row[x] != 0)
          {
            first = x;
            break;
          }
      if (first < 0)
        continue;
      for (int x = mask->width - 1; x >= first; x--)
        if (row[x] != 0)
          {
            last = x;
            break;
          }
      x1 = MIN (x1, first);
      x2 = MAX (x2, last);
      y1 = MIN (y1, y);
      y2 = y;
    }
  if (x2 < 0)
    return FALSE;

  bounds->x = x1;
  bounds->y = y1;
  bounds->width = x2 - x1 + 1;
  bounds->height = y2 - y1 + 1;
  return TRUE;
}

/* Feathers the part @area of @mask into @out (@area's size, @stride bytes a row): each pixel
 * becomes the mean of the mask over the square of side 2 * @feather + 1 around it, eased with a
 * smoothstep so that the edge fades in and out softly. Pixels past the image's edge count as 0.
 * A pixel further than @feather from every selected pixel stays 0; one further than @feather
 * from every unselected pixel stays 255. The square's sum is kept running: one sum per column
 * over the rows in reach, and one along the row over those, so each pixel costs a few additions
 * whatever the radius. */
static void
feather_into (const PeelRegionMask *mask,
              const PeelRegionRect *area,
              int                   feather,
              guint8               *out,
              int                   stride)
{
  int width = area->width;
  guint64 window = (guint64) (2 * feather + 1) * (2 * feather + 1);
  guint64 inverse = ((G_GUINT64_CONSTANT (1) << 32) + window / 2) / window;
  g_autofree guint *columns = NULL;
  guint8 ease[256];
  int left = MAX (0, area->x - feather);
  int right = MIN (mask->width, area->x + width + feather);
  int span = right - left;

  if (feather <= 0)
    {
      for (int y = 0; y < area->height; y++)
        memcpy (out + (gsize) y * stride,
                mask->data + (gsize) (area->y + y) * mask->width + area->x, width);
      return;
    }

  for (int i = 0; i < 256; i++)
    {
      double v = i / 255.0;

      ease[i] = (guint8) lround (255.0 * v * v * (3.0 - 2.0 * v));
    }

  /* columns[i] sums mask column left + i over the rows in reach of the current row. */
  columns = g_new0 (guint, span);
  for (int y = area->y - feather; y < area->y + feather; y++)
    if (y >= 0 && y < mask->height)
      {
        const guint8 *row = mask->data + (gsize) y * mask->width + left;

        for (int i = 0; i < span; i++)
          columns[i] += row[i];
      }

  for (int y = 0; y < area->height; y++)
    {
      int entering = area->y + y + feather, leaving = area->y + y - feather;
      guint8 *o = out + (gsize) y * stride;
      guint64 run = 0;

      if (entering < mask->height)
        {
          const guint8 *row = mask->data + (gsize) entering * mask->width + left;

          for (int i = 0; i < span; i++)
            columns[i] += row[i];
        }

      /* Along the row: the sum of the columns within reach of x. */
      for (int x = area->x - feather; x < area->x + feather; x++)
        if (x >= left && x < right)
          run += columns[x - left];
      for (int x = 0; x < width; x++)
        {
          int ix = area->x + x;

          if (ix + feather < right)
            run += columns[ix + feather - left];
          o[x] = ease[MIN (255, (run * inverse + (G_GUINT64_CONSTANT (1) << 31)) >> 32)];
          if (ix - feather >= left)
            run -= columns[ix - feather - left];
        }

      if (leaving >= 0)
        {
          const guint8 *row = mask->data + (gsize) leaving * mask->width + left;

          for (int i = 0; i < span; i++)
            columns[i] -= row[i];
        }
    }
}

/**
 * peel_region_mask_feather:
 * @mask: a mask
 * @feather: the radius, in pixels, over which the edge fades
 *
 * Softens the mask's edge over @feather pixels on either side of it: a pixel further than
 * @feather from every selected pixel stays 0.
 *
 * Returns: (transfer full): the feathered mask
 */
PeelRegionMask *
peel_region_mask_feather (const PeelRegionMask *mask,
                          int                   feather)
{
  PeelRegionMask *soft;
  PeelRegionRect area;

  feather = CLAMP (feather, 0, PEEL_REGION_MAX_FEATHER);
  if (feather == 0 || !peel_region_mask_bounds (mask, &area))
    return peel_region_mask_copy (mask);

  soft = peel_region_mask_new (mask->width, mask->height);
  area.x -= feather;
  area.y -= feather;
  area.width += 2 * feather;
  area.height += 2 * feather;
  rect_clip (&area, mask->width, mask->height);
  feather_into (mask, &area, feather,
                soft->data + (gsize) area.y * soft->width + area.x, soft->width);
  return soft;
}

static const char *
closest_ratio (PeelModelFamily family,
               double          aspect,
               double         *ratio_aspect)
{
  const char *best = "1:1";
  double best_distance = G_MAXDOUBLE;

  *ratio_aspect = 1.0;
  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);
      int w, h;
      double distance;

      if (!peel_model_supports_ratio (family, name) ||
          !peel_aspect_ratio_get_shape (name, &w, &h))
        continue;
      distance = fabs (log (aspect) - log ((double) w / h));
      if (distance < best_distance)
        {
          best_distance = distance;
          best = name;
          *ratio_aspect = (double) w / h;
        }
    }
  return best;
}

/* Grows @crop along one side to @aspect, centred, shifted back into the image; where the image
 * is too small it stops at the image's edge (the answer is then fitted). */
static void
grow_to_aspect (PeelRegionRect *crop,
                double          aspect,
                int             width,
                int             height)
{
  double current = (double) crop->width / crop->height;

  if (current < aspect)
    {
      int target = MIN (width, (int) lround (crop->height * aspect));
      int grow = target - crop->width;

      crop->x = CLAMP (crop->x - grow / 2, 0, width - target);
      crop->width = target;
    }
  else if (current > aspect)
    {
      int target = MIN (height, (int) lround (crop->width / aspect));
      int grow = target - crop->height;

      crop->y = CLAMP (crop->y - grow / 2, 0, height - target);
      crop->height = target;
    }
}

/**
 * peel_region_plan:
 * @mask: what may change, the size of the image
 * @feather: the feather radius in pixels (clamped to 0 … %PEEL_REGION_MAX_FEATHER)
 * @family: the model the region goes to: its ratios and sizes
 * @plan: (out): what to send
 * @error: #PEEL_REGION_ERROR_EMPTY when the mask selects nothing
 *
 * Chooses the part of the image to send: the selection's bounds with a margin of context (so the
 * model sees what surrounds the region and the seam can be toned), grown to the catalogue ratio
 * nearest its shape, at the smallest size that does not scale the region down.
 *
 * Returns: %TRUE on success
 */
gboolean
peel_region_plan (const PeelRegionMask  *mask,
                  int                    feather,
                  PeelModelFamily        family,
                  PeelRegionPlan        *plan,
                  GError               **error)
{
  PeelRegionRect crop;
  double ratio_aspect;
  int margin;
  PeelImageSize chosen = PEEL_IMAGE_SIZE_1K;
  gboolean found = FALSE;

  memset (plan, 0, sizeof *plan);
  if (!peel_region_mask_bounds (mask, &plan->bounds))
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_EMPTY,
                           _("The selection is empty. Select the part of the image to change, "
                             "or clear the selection to change the whole image."));
      return FALSE;
    }

  plan->feather = CLAMP (feather, 0, PEEL_REGION_MAX_FEATHER);
  margin = MAX (plan->feather * 2, MAX (MIN_MARGIN, MAX (plan->bounds.width,
                                                         plan->bounds.height) / 4));
  crop.x = plan->bounds.x - margin;
  crop.y = plan->bounds.y - margin;
  crop.width = plan->bounds.width + 2 * margin;
  crop.height = plan->bounds.height + 2 * margin;
  rect_clip (&crop, mask->width, mask->height);

  plan->aspect_ratio = closest_ratio (family, (double) crop.width / crop.height, &ratio_aspect);
  grow_to_aspect (&crop, ratio_aspect, mask->width, mask->height);
  plan->crop = crop;

  for (int s = PEEL_IMAGE_SIZE_512; s < PEEL_N_IMAGE_SIZES; s++)
    {
      int w, h;

      if (!peel_model_supports_size (family, s) ||
          !peel_model_pixel_size (family, plan->aspect_ratio, s, &w, &h))
        continue;
      chosen = s;
      found = TRUE;
      if (w >= crop.width && h >= crop.height)
        break;
    }
  plan->size = found ? chosen : peel_model_default_size (family);
  return TRUE;
}

/**
 * peel_region_crop:
 * @image: the parent's image
 * @plan: a plan made for a mask of @image's size
 *
 * Returns: (transfer full): the part of @image the plan sends, a copy
 */
GdkPixbuf *
peel_region_crop (GdkPixbuf            *image,
                  const PeelRegionPlan *plan)
{
  g_autoptr(GdkPixbuf) view = gdk_pixbuf_new_subpixbuf (image, plan->crop.x, plan->crop.y,
                                                        plan->crop.width, plan->crop.height);

  return gdk_pixbuf_copy (view);
}

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

/* The feathered mask over @area (the selection's bounds grown by the feather), as its own
 * buffer: everything outside @area is 0. */
static guint8 *
feather_area (const PeelRegionMask *mask,
              const PeelRegionRect *area,
              int                   feather)
{
  guint8 *soft = g_malloc ((gsize) area->width * area->height);

  feather_into (mask, area, feather, soft, area->width);
  return soft;
}

static inline gboolean
in_rect (const PeelRegionRect *r,
         int                   x,
         int                   y)
{
  return x >= r->x && y >= r->y && x < r->x + r->width && y < r->y + r->height;
}

/* The mean difference, per colour channel, between the parent and the answer over the pixels of
 * the crop the feathered mask keeps: how far the model moved the tone of what it was not asked
 * to change. */
static void
tone_shift (GdkPixbuf            *parent,
            const Sampler        *answer,
            const guint8         *soft,
            const PeelRegionRect *area,
            const PeelRegionRect *crop,
            int                   shift[3])
{
  int pc = gdk_pixbuf_get_n_channels (parent);
  int ps = gdk_pixbuf_get_rowstride (parent);
  const guint8 *pp = gdk_pixbuf_read_pixels (parent);
  gint64 sum[3] = { 0, 0, 0 };
  gint64 count = 0;
  int step = MAX (1, MIN (crop->width, crop->height) / 256);

  for (int y = 0; y < crop->height; y += step)
    for (int x = 0; x < crop->width; x += step)
      {
        int ix = crop->x + x, iy = crop->y + y;
        const guint8 *p;
        guint a[4];

        if (in_rect (area, ix, iy) &&
            soft[(gsize) (iy - area->y) * area->width + (ix - area->x)] != 0)
          continue;
        p = pp + (gsize) iy * ps + (gsize) ix * pc;
        sampler_get (answer, x, y, a);
        for (int c = 0; c < 3; c++)
          sum[c] += (int) p[c] - (int) a[c];
        count++;
      }

  for (int c = 0; c < 3; c++)
    {
      shift[c] = count > 0 ? (int) (sum[c] / count) : 0;
      if (ABS (shift[c]) > TONE_MAX_SHIFT)
        shift[c] = 0;
    }
}

/* Answer row @row resampled along x for the crop columns @first … @first + @n - 1, four
 * values per pixel in 8.8 fixed point. */
static void
resample_row (const Sampler *s,
              int            row,
              int            first,
              int            n,
              guint16       *out)
{
  const guint8 *line = s->pixels + (gsize) row * s->stride;
  int channels = MIN (s->channels, 4);

  for (int x = 0; x < n; x++, out += 4)
    {
      int x0 = s->x0[first + x];
      const guint8 *a = line + (gsize) x0 * s->channels;
      const guint8 *b = line + (gsize) MIN (x0 + 1, s->width - 1) * s->channels;
      guint wx = s->fx[first + x];

      out[3] = 255 << 8;
      for (int c = 0; c < channels; c++)
        out[c] = (guint16) (a[c] * (256 - wx) + b[c] * wx);
    }
}

static void
blend (GdkPixbuf            *result,
       const Sampler        *answer,
       const guint8         *soft,
       const PeelRegionRect *area,
       const PeelRegionRect *crop,
       const int             shift[3])
{
  int channels = gdk_pixbuf_get_n_channels (result);
  int stride = gdk_pixbuf_get_rowstride (result);
  guint8 *pixels = gdk_pixbuf_get_pixels (result);
  int first = area->x - crop->x;
  g_autofree guint16 *rows = g_new (guint16, (gsize) 2 * 4 * area->width);
  guint16 *cached[2] = { rows, rows + (gsize) 4 * area->width };
  int cached_row[2] = { -1, -1 };

  for (int y = 0; y < area->height; y++)
    {
      const guint8 *m = soft + (gsize) y * area->width;
      guint8 *r = pixels + (gsize) (area->y + y) * stride + (gsize) area->x * channels;
      int cy = area->y + y - crop->y;
      int y0 = answer->y0[cy], y1 = MIN (y0 + 1, answer->height - 1);
      guint wy = answer->fy[cy];
      const guint16 *top = NULL, *bottom = NULL;

      if (m[0] == 0 && memcmp (m, m + 1, area->width - 1) == 0)
        continue;

      /* The two answer rows this row lies between, resampled along x once each. */
      for (int k = 0; k < 2; k++)
        {
          int want = k == 0 ? y0 : y1;
          int slot = cached_row[0] == want ? 0 : cached_row[1] == want ? 1 : -1;

          if (slot < 0)
            {
              slot = (cached_row[0] == y0 || cached_row[0] == y1) ? 1 : 0;
              resample_row (answer, want, first, area->width, cached[slot]);
              cached_row[slot] = want;
            }
          if (k == 0)
            top = cached[slot];
          else
            bottom = cached[slot];
        }

      for (int x = 0; x < area->width; x++, r += channels)
        {
          guint a = m[x];
          const guint16 *t0 = top + 4 * x, *b0 = bottom + 4 * x;

          if (a == 0)
            continue;
          for (int c = 0; c < channels; c++)
            {
              int v = (int) ((t0[c] * (256 - wy) + b0[c] * wy + 32768) >> 16);
              guint t;

              if (c < 3)
                v = CLAMP (v + shift[c], 0, 255);
              if (a == 255)
                {
                  r[c] = (guint8) v;
                  continue;
                }
              /* (t + 127) / 255, exactly, for t up to 255 * 255. */
              t = r[c] * (255u - a) + (guint) v * a + 128u;
              r[c] = (guint8) ((t + (t >> 8)) >> 8);
            }
        }
    }
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
 * Scales @answer to cover the crop, matches its tone to the parent's over the context, and
 * blends it into a copy of @parent through @mask feathered by the plan's radius. Where the
 * feathered mask is 0 (everywhere further than the feather from the selection) the result's
 * pixel is the parent's, byte for byte, alpha included.
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
  int width = gdk_pixbuf_get_width (parent);
  int height = gdk_pixbuf_get_height (parent);
  g_autofree guint8 *soft = NULL;
  PeelRegionRect crop = plan->crop;
  PeelRegionRect area = plan->bounds;
  gboolean was_fitted = FALSE;
  Sampler sampler;
  GdkPixbuf *result;
  int shift[3];

  if (mask->width != width || mask->height != height)
    {
      g_set_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK,
                   _("The mask is %d × %d pixels, but the image is %d × %d. Make the mask the "
                     "image’s size (white where it may change)."),
                   mask->width, mask->height, width, height);
      return NULL;
    }

  area.x -= plan->feather;
  area.y -= plan->feather;
  area.width += 2 * plan->feather;
  area.height += 2 * plan->feather;
  if (gdk_pixbuf_get_bits_per_sample (parent) != 8 ||
      gdk_pixbuf_get_n_channels (parent) < 3 ||
      gdk_pixbuf_get_bits_per_sample (answer) != 8 ||
      gdk_pixbuf_get_n_channels (answer) < 3 ||
      !rect_clip (&crop, width, height) ||
      crop.width != plan->crop.width || crop.height != plan->crop.height ||
      !rect_clip (&area, width, height) ||
      area.x < crop.x || area.y < crop.y ||
      area.x + area.width > crop.x + crop.width ||
      area.y + area.height > crop.y + crop.height)
    {
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("The region edit’s images do not fit together. Select the region "
                             "again and retry."));
      return NULL;
    }

  result = gdk_pixbuf_copy (parent);
  if (result == NULL || !sampler_init (&sampler, answer, &crop, &was_fitted))
    {
      g_clear_object (&result);
      sampler_clear (&sampler);
      g_set_error_literal (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE,
                           _("Not enough memory to place the answer in the image."));
      return NULL;
    }

  soft = feather_area (mask, &area, plan->feather);
  tone_shift (parent, &sampler, soft, &area, &crop, shift);
  blend (result, &sampler, soft, &area, &crop, shift);
  sampler_clear (&sampler);

  if (fitted != NULL)
    *fitted = was_fitted;
  return result;
}
