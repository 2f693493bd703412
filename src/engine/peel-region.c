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
#include "peel-region-private.h"

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

gboolean
peel_region_rect_clip (PeelRegionRect *rect,
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

  if (peel_region_rect_clip (&r, width, height))
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

static void
add_row (PeelRegionFeather *f,
         int                y,
         int                sign)
{
  const guint8 *row = f->mask->data + (gsize) y * f->mask->width + f->left;
  guint *columns = f->columns;
  int span = f->right - f->left;

  if (sign > 0)
    for (int i = 0; i < span; i++)
      columns[i] += row[i];
  else
    for (int i = 0; i < span; i++)
      columns[i] -= row[i];
}

/* Feathers the part @area of @mask one row at a time: each pixel becomes the mean of the mask
 * over the square of side 2 * @feather + 1 around it, eased with a smoothstep so that the edge
 * fades in and out softly. Pixels past the image's edge count as 0. A pixel further than
 * @feather from every selected pixel stays 0; one further than @feather from every unselected
 * pixel stays 255. The square's sum is kept running: one sum per column over the rows in
 * reach, and one along the row over those, so each pixel costs a few additions whatever the
 * radius, and the only memory is one sum per column: a 4K composite never holds a feathered
 * copy of its mask (fresh pages cost more than the feather). */
void
peel_region_feather_init (PeelRegionFeather    *f,
                          const PeelRegionMask *mask,
                          const PeelRegionRect *area,
                          int                   feather)
{
  guint64 window = (guint64) (2 * feather + 1) * (2 * feather + 1);

  memset (f, 0, sizeof *f);
  f->mask = mask;
  f->area = *area;
  f->feather = feather;
  f->row = 0;
  if (feather <= 0)
    return;

  f->inverse = ((G_GUINT64_CONSTANT (1) << 32) + window / 2) / window;
  for (int i = 0; i < 256; i++)
    {
      double v = i / 255.0;

      f->ease[i] = (guint8) lround (255.0 * v * v * (3.0 - 2.0 * v));
    }
  f->left = MAX (0, area->x - feather);
  f->right = MIN (mask->width, area->x + area->width + feather);

  /* columns[i] sums mask column left + i over the rows in reach of the current row. */
  f->columns = g_new0 (guint, f->right - f->left);
  for (int y = area->y - feather; y < area->y + feather; y++)
    if (y >= 0 && y < mask->height)
      add_row (f, y, 1);
}

void
peel_region_feather_clear (PeelRegionFeather *f)
{
  g_clear_pointer (&f->columns, g_free);
}

/* Produces the next row of the area into @out (@area's width), or only moves past it when @out
 * is %NULL. */
void
peel_region_feather_next (PeelRegionFeather *f,
                          guint8            *out)
{
  const PeelRegionMask *mask = f->mask;
  const PeelRegionRect *area = &f->area;
  int feather = f->feather;
  int y = area->y + f->row++;
  guint64 run = 0;

  if (feather <= 0)
    {
      if (out != NULL)
        memcpy (out, mask->data + (gsize) y * mask->width + area->x, area->width);
      return;
    }

  if (y + feather < mask->height)
    add_row (f, y + feather, 1);

  if (out != NULL)
    {
      const guint *columns = f->columns;
      int left = f->left;
      guint64 inverse = f->inverse;

      /* Along the row: the sum of the columns within reach of x. */
      for (int x = area->x - feather; x < area->x + feather; x++)
        if (x >= f->left && x < f->right)
          run += columns[x - left];
      for (int x = 0; x < area->width; x++)
        {
          int ix = area->x + x;

          if (ix + feather < f->right)
            run += columns[ix + feather - left];
          out[x] = f->ease[MIN (255, (run * inverse + (G_GUINT64_CONSTANT (1) << 31)) >> 32)];
          if (ix - feather >= f->left)
            run -= columns[ix - feather - left];
        }
    }

  if (y - feather >= 0)
    add_row (f, y - feather, -1);
}

/* Feathers the part @area of @mask into @out (@area's size, @stride bytes a row). */
static void
feather_into (const PeelRegionMask *mask,
              const PeelRegionRect *area,
              int                   feather,
              guint8               *out,
              int                   stride)
{
  PeelRegionFeather f;

  peel_region_feather_init (&f, mask, area, feather);
  for (int y = 0; y < area->height; y++)
    peel_region_feather_next (&f, out + (gsize) y * stride);
  peel_region_feather_clear (&f);
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
  peel_region_rect_clip (&area, mask->width, mask->height);
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
  peel_region_rect_clip (&crop, mask->width, mask->height);

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
