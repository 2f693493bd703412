/* peel-picker-state.c
 *
 * What the prompt bar shows, computed from the model table alone. This file
 * includes no GTK header: the core tests compile it on its own.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "peel-picker-state.h"

gboolean
peel_view_ratio_enabled (PeelModelFamily  family,
                         const char      *ratio)
{
  return peel_model_supports_ratio (family, ratio);
}

/**
 * peel_view_ratio_disabled_reason:
 *
 * Returns: (transfer full) (nullable): why @family cannot make @ratio, or
 *   %NULL when it can
 */
char *
peel_view_ratio_disabled_reason (PeelModelFamily  family,
                                 const char      *ratio)
{
  if (ratio == NULL || peel_model_supports_ratio (family, ratio))
    return NULL;

  /* Translators: the first %s is a model such as "Nano Banana Pro", the second a ratio such
   * as "1:8" */
  return g_strdup_printf (_("%s does not make %s images"),
                          peel_model_family_get_display_name (family), ratio);
}

PeelRatioOrientation
peel_view_ratio_orientation (const char *ratio)
{
  int w, h;

  if (!peel_aspect_ratio_get_shape (ratio, &w, &h) || w == h)
    return PEEL_RATIO_SQUARE;

  return w > h ? PEEL_RATIO_LANDSCAPE : PEEL_RATIO_PORTRAIT;
}

/**
 * peel_view_ratio_accessible_label:
 *
 * Returns: (transfer full): what a screen reader says for @ratio, such as
 *   "16:9, landscape"; "Match input" for %NULL
 */
char *
peel_view_ratio_accessible_label (const char *ratio)
{
  if (ratio == NULL)
    return g_strdup (_("Match input"));

  switch (peel_view_ratio_orientation (ratio))
    {
    case PEEL_RATIO_PORTRAIT:
      /* Translators: %s is an aspect ratio such as "9:16" */
      return g_strdup_printf (_("%s, portrait"), ratio);
    case PEEL_RATIO_LANDSCAPE:
      /* Translators: %s is an aspect ratio such as "16:9" */
      return g_strdup_printf (_("%s, landscape"), ratio);
    case PEEL_RATIO_SQUARE:
    default:
      /* Translators: %s is an aspect ratio, "1:1" */
      return g_strdup_printf (_("%s, square"), ratio);
    }
}

/**
 * peel_view_ratio_shape_box:
 * @ratio: one of the 14 ratios
 * @box: the side of the square the shape is fitted into
 * @width: (out): the shape's width, @box for a landscape or square ratio
 * @height: (out): the shape's height, @box for a portrait or square ratio
 *
 * Every ratio is drawn to scale in the same box, so 8:1 and 1:1 are as wide as
 * each other and 8:1 is an eighth as tall.
 *
 * Returns: %FALSE when @ratio is not one of the 14
 */
gboolean
peel_view_ratio_shape_box (const char *ratio,
                           double      box,
                           double     *width,
                           double     *height)
{
  int w, h;

  if (!peel_aspect_ratio_get_shape (ratio, &w, &h))
    return FALSE;

  if (w >= h)
    {
      *width = box;
      *height = box * h / w;
    }
  else
    {
      *width = box * w / h;
      *height = box;
    }

  return TRUE;
}

/**
 * peel_view_closest_ratio:
 *
 * The ratio @family takes that is nearest in shape to @ratio, for when the
 * model changes under a ratio it cannot make. %NULL (match input) stays %NULL.
 *
 * Returns: (nullable): a static string
 */
const char *
peel_view_closest_ratio (PeelModelFamily  family,
                         const char      *ratio)
{
  const char *best = NULL;
  double best_distance = G_MAXDOUBLE;
  double target;
  int w, h;

  if (ratio == NULL)
    return NULL;

  if (!peel_aspect_ratio_get_shape (ratio, &w, &h))
    return peel_aspect_ratio_get_name (0);

  target = log ((double) w / h);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);
      double distance;

      if (!peel_model_supports_ratio (family, name))
        continue;

      peel_aspect_ratio_get_shape (name, &w, &h);
      distance = fabs (log ((double) w / h) - target);
      if (distance < best_distance)
        {
          best_distance = distance;
          best = name;
        }
    }

  return best;
}

gboolean
peel_view_size_enabled (PeelModelFamily family,
                        PeelImageSize   size)
{
  return peel_model_supports_size (family, size);
}

char *
peel_view_size_disabled_reason (PeelModelFamily family,
                                PeelImageSize   size)
{
  if (size >= PEEL_N_IMAGE_SIZES || peel_model_supports_size (family, size))
    return NULL;

  /* Translators: the first %s is a model such as "Nano Banana Pro", the second a size such
   * as "512" or "4K" */
  return g_strdup_printf (_("%s does not make %s images"),
                          peel_model_family_get_display_name (family),
                          peel_image_size_to_string (size));
}

/**
 * peel_view_size_pixels_text:
 *
 * Returns: (transfer full) (nullable): "2752 × 1536", or %NULL when the size
 *   is not known beforehand (@ratio is %NULL: the output follows the input) or
 *   the model does not make it
 */
char *
peel_view_size_pixels_text (PeelModelFamily  family,
                            const char      *ratio,
                            PeelImageSize    size)
{
  int width, height;

  if (!peel_model_pixel_size (family, ratio, size, &width, &height))
    return NULL;

  /* Translators: an image's width and height in pixels */
  return g_strdup_printf (_("%d × %d"), width, height);
}

/**
 * peel_view_price_text:
 *
 * Returns: (transfer full) (nullable): the price of one image, "$0.101", or
 *   %NULL when it is not published
 */
static char *
format_price (double price)
{
  char *text;
  gsize len;

  /* Prices are quoted to a tenth of a cent; "$0.240" reads better as "$0.24". */
  text = g_strdup_printf ("$%.3f", price);
  len = strlen (text);
  if (text[len - 1] == '0')
    text[len - 1] = '\0';

  return text;
}

char *
peel_view_price_text (PeelModelFamily family,
                      PeelImageSize   size)
{
  double price = peel_model_price_per_image (family, size);

  if (price < 0)
    return NULL;
  return format_price (price);
}

/**
 * peel_view_total_price_text:
 * @count: how many images one Generate makes
 *
 * Returns: (transfer full) (nullable): what Generate will cost: the price of one image,
 *   "$0.067", or for several the count, the price and the total, "4 × $0.067 = $0.268";
 *   %NULL when the price is not published
 */
char *
peel_view_total_price_text (PeelModelFamily family,
                            PeelImageSize   size,
                            guint           count)
{
  double price = peel_model_price_per_image (family, size);
  g_autofree char *each = NULL;
  g_autofree char *total = NULL;

  if (price < 0)
    return NULL;
  each = format_price (price);
  if (count <= 1)
    return g_steal_pointer (&each);
  total = format_price (price * count);
  /* Translators: the cost of several images, "4 × $0.067 = $0.268" */
  return g_strdup_printf (_("%u × %s = %s"), count, each, total);
}

/**
 * peel_view_size_detail_text:
 *
 * Returns: (transfer full): what the size picker shows beside @size:
 *   "2752 × 1536 · $0.101", or why the model does not make it
 */
char *
peel_view_size_detail_text (PeelModelFamily  family,
                            const char      *ratio,
                            PeelImageSize    size)
{
  g_autofree char *pixels = NULL;
  g_autofree char *price = NULL;

  if (!peel_model_supports_size (family, size))
    return peel_view_size_disabled_reason (family, size);

  pixels = peel_view_size_pixels_text (family, ratio, size);
  price = peel_view_price_text (family, size);

  if (pixels == NULL)
    pixels = g_strdup (ratio == NULL ? _("Shape of the input") : _("Size not known"));

  if (price == NULL)
    return g_steal_pointer (&pixels);

  /* Translators: a pixel size and a price, "2752 × 1536 · $0.101" */
  return g_strdup_printf (_("%s · %s"), pixels, price);
}

/**
 * peel_view_closest_size:
 *
 * The size @family makes that is nearest to @size, the larger one on a tie,
 * for when the model changes under a size it cannot make.
 */
PeelImageSize
peel_view_closest_size (PeelModelFamily family,
                        PeelImageSize   size)
{
  for (int distance = 0; distance < PEEL_N_IMAGE_SIZES; distance++)
    {
      if (peel_model_supports_size (family, size + distance))
        return size + distance;
      if ((int) size - distance >= 0 && peel_model_supports_size (family, size - distance))
        return size - distance;
    }

  return peel_model_default_size (family);
}

char *
peel_view_reference_count_text (guint n_references,
                                guint max_references)
{
  /* Translators: how many reference images there are, out of how many the model takes */
  return g_strdup_printf (_("%u / %u"), n_references, max_references);
}

/**
 * peel_view_small_reference_warning:
 * @name: (nullable): the image's name
 * @width: its width in pixels
 * @height: its height in pixels
 *
 * Returns: (transfer full) (nullable): a warning for a reference so small the model can see
 *   almost nothing in it (under 16 pixels a side), or %NULL
 */
char *
peel_view_small_reference_warning (const char *name,
                                   int         width,
                                   int         height)
{
  if (width <= 0 || height <= 0 || MIN (width, height) >= 16)
    return NULL;
  /* Translators: %s is a file name, the numbers its size in pixels */
  return g_strdup_printf (_("“%s” is only %d × %d pixels: the model can see almost nothing in "
                            "it. It was added; a larger image works better."),
                          name ? name : _("The image"), width, height);
}

gboolean
peel_view_can_add_reference (guint n_references,
                             guint max_references)
{
  return n_references < max_references;
}

char *
peel_view_reference_limit_message (PeelModelFamily family)
{
  guint max = peel_model_max_input_images (family);

  return g_strdup_printf (
    /* Translators: %s is a model such as "Nano Banana 2", %u how many images it takes */
    g_dngettext (GETTEXT_PACKAGE,
                 "%s takes at most %u reference image. Remove it to add another.",
                 "%s takes at most %u reference images. Remove one to add another.",
                 max),
    peel_model_family_get_display_name (family), max);
}

/**
 * peel_view_show_thoughts_enabled:
 *
 * Whether asking for the model's thoughts means anything: Nano Banana 2 thinks
 * at the level it is given, Nano Banana Pro always thinks; the others do not.
 */
gboolean
peel_view_show_thoughts_enabled (PeelModelFamily family)
{
  return peel_model_supports_thinking_level (family) || family == PEEL_MODEL_FAMILY_PRO_3;
}

/**
 * peel_view_generate_enabled:
 *
 * Generate needs something to say (a prompt that is not only blank, or a
 * reference image), no more references than the model takes, and no request
 * already running.
 */
gboolean
peel_view_generate_enabled (const char *prompt,
                            guint       n_references,
                            guint       max_references,
                            gboolean    busy)
{
  gboolean has_text = FALSE;

  if (busy || n_references > max_references)
    return FALSE;

  for (const char *p = prompt; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        {
          has_text = TRUE;
          break;
        }
    }

  return has_text || n_references > 0;
}
