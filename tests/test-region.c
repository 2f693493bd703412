/* test-region.c
 *
 * A region edit changes the selection and nothing else: every pixel further than the feather
 * from the selection is the parent's, byte for byte.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-region-turn.h"

/* An image of noise, so that any blend or shift outside the selection shows as a difference. */
static GdkPixbuf *
noise_image (int      width,
             int      height,
             gboolean alpha,
             guint32  seed)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * channels; x++)
      pixels[(gsize) y * stride + x] = (guint8) g_rand_int_range (rand, 0, 256);
  return pixbuf;
}

static GdkPixbuf *
solid_image (int     width,
             int     height,
             guint32 rgb)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);

  gdk_pixbuf_fill (pixbuf, rgb << 8 | 0xff);
  return pixbuf;
}

static PeelRegionMask *
ellipse_mask (int width,
              int height,
              int cx,
              int cy,
              int rx,
              int ry)
{
  PeelRegionMask *mask = peel_region_mask_new (width, height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double dx = (double) (x - cx) / rx, dy = (double) (y - cy) / ry;

        if (dx * dx + dy * dy <= 1.0)
          mask->data[(gsize) y * width + x] = 255;
      }
  return mask;
}

/* Whether (x, y) is within @feather pixels (in both directions) of a selected pixel: the only
 * pixels a region edit may change. */
static gboolean
near_selection (const PeelRegionMask *mask,
                int                   x,
                int                   y,
                int                   feather)
{
  for (int j = MAX (0, y - feather); j <= MIN (mask->height - 1, y + feather); j++)
    for (int i = MAX (0, x - feather); i <= MIN (mask->width - 1, x + feather); i++)
      if (mask->data[(gsize) j * mask->width + i] != 0)
        return TRUE;
  return FALSE;
}

/* Counts the pixels that differ between @a and @b, outside and well inside the selection. */
static void
count_differences (GdkPixbuf            *a,
                   GdkPixbuf            *b,
                   const PeelRegionMask *mask,
                   int                   feather,
                   guint                *outside,
                   guint                *inside)
{
  int channels = gdk_pixbuf_get_n_channels (a);
  int sa = gdk_pixbuf_get_rowstride (a), sb = gdk_pixbuf_get_rowstride (b);
  const guint8 *pa = gdk_pixbuf_read_pixels (a), *pb = gdk_pixbuf_read_pixels (b);

  g_assert_cmpint (gdk_pixbuf_get_n_channels (b), ==, channels);
  *outside = *inside = 0;
  for (int y = 0; y < gdk_pixbuf_get_height (a); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (a); x++)
      {
        gboolean differs = memcmp (pa + (gsize) y * sa + (gsize) x * channels,
                                   pb + (gsize) y * sb + (gsize) x * channels, channels) != 0;

        if (!differs)
          continue;
        if (!near_selection (mask, x, y, feather))
          (*outside)++;
        else if (mask->data[(gsize) y * mask->width + x] == 255)
          (*inside)++;
      }
}

static void
check_exact_outside (gboolean alpha,
                     int      feather)
{
  g_autoptr(GdkPixbuf) parent = noise_image (640, 400, alpha, 7);
  g_autoptr(PeelRegionMask) mask = ellipse_mask (640, 400, 420, 150, 90, 60);
  g_autoptr(GdkPixbuf) crop = NULL;
  g_autoptr(GdkPixbuf) answer = NULL;
  g_autoptr(GdkPixbuf) result = NULL;
  g_autoptr(GError) error = NULL;
  PeelRegionPlan plan;
  gboolean fitted = TRUE;
  guint outside, inside;
  int w, h;

  g_assert_true (peel_region_plan (mask, feather, PEEL_MODEL_FAMILY_FLASH_3_1, &plan, &error));
  g_assert_no_error (error);

  /* The model answers at the ratio and size asked, with a different picture. */
  g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, plan.aspect_ratio,
                                        plan.size, &w, &h));
  crop = peel_region_crop (parent, &plan);
  g_assert_cmpint (gdk_pixbuf_get_width (crop), ==, plan.crop.width);
  answer = solid_image (w, h, 0xff8020);

  result = peel_region_composite (parent, mask, &plan, answer, &fitted, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (gdk_pixbuf_get_has_alpha (result), ==, alpha);

  count_differences (parent, result, mask, feather, &outside, &inside);
  g_assert_cmpuint (outside, ==, 0);
  g_assert_cmpuint (inside, >, 90 * 60);
}

static void
test_exact_outside (void)
{
  check_exact_outside (FALSE, 0);
  check_exact_outside (FALSE, 1);
  check_exact_outside (FALSE, 12);
  check_exact_outside (TRUE, 12);
}

/* An answer of another shape than the crop is fitted, said so, and still changes nothing
 * outside. */
static void
test_fitted_answer (void)
{
  g_autoptr(GdkPixbuf) parent = noise_image (500, 500, FALSE, 3);
  PeelRegionRect rect = { 100, 200, 120, 80 };
  g_autoptr(PeelRegionMask) mask = peel_region_mask_new_rect (500, 500, &rect);
  g_autoptr(GdkPixbuf) answer = solid_image (300, 900, 0x2040ff);
  g_autoptr(GdkPixbuf) result = NULL;
  g_autoptr(GError) error = NULL;
  PeelRegionPlan plan;
  gboolean fitted = FALSE;
  guint outside, inside;

  g_assert_true (peel_region_plan (mask, 8, PEEL_MODEL_FAMILY_FLASH_3_1, &plan, &error));
  result = peel_region_composite (parent, mask, &plan, answer, &fitted, &error);
  g_assert_no_error (error);
  g_assert_true (fitted);
  count_differences (parent, result, mask, 8, &outside, &inside);
  g_assert_cmpuint (outside, ==, 0);
  g_assert_cmpuint (inside, >, 100 * 60);
}

/* A smooth image that changes fast (up to 20 levels a pixel), so a sample taken half a pixel
 * off shows, while bilinear sampling reproduces it to within rounding. */
static GdkPixbuf *
ramp_image (int      width,
            int      height,
            gboolean alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;

        p[0] = (guint8) lround (127.5 + 127.0 * sin (x * G_PI / 20.0));
        p[1] = (guint8) lround (127.5 + 127.0 * sin (y * G_PI / 20.0));
        p[2] = (guint8) lround (127.5 + 127.0 * sin ((x + y) * G_PI / 30.0));
        if (alpha)
          p[3] = 255;
      }
  return pixbuf;
}

/* An answer that is the crop itself, at the size the model answers in (larger, and for the
 * alpha case of another channel count), is placed back where it came from: the selection shows
 * the parent again, to within rounding, whichever way the answer was resampled. */
static void
check_answer_in_place (int      scale_percent,
                       gboolean alpha)
{
  g_autoptr(GdkPixbuf) parent = ramp_image (900, 600, alpha);
  PeelRegionRect rect = { 250, 150, 300, 200 };
  g_autoptr(PeelRegionMask) mask = peel_region_mask_new_rect (900, 600, &rect);
  g_autoptr(GdkPixbuf) crop = NULL;
  g_autoptr(GdkPixbuf) answer = NULL;
  g_autoptr(GdkPixbuf) result = NULL;
  g_autoptr(GError) error = NULL;
  PeelRegionPlan plan;
  int channels = alpha ? 4 : 3;
  int worst = 0;

  g_assert_true (peel_region_plan (mask, 6, PEEL_MODEL_FAMILY_FLASH_3_1, &plan, &error));
  crop = peel_region_crop (parent, &plan);
  answer = gdk_pixbuf_scale_simple (crop, plan.crop.width * scale_percent / 100,
                                    plan.crop.height * scale_percent / 100,
                                    GDK_INTERP_BILINEAR);
  result = peel_region_composite (parent, mask, &plan, answer, NULL, &error);
  g_assert_no_error (error);

  for (int y = rect.y; y < rect.y + rect.height; y++)
    for (int x = rect.x; x < rect.x + rect.width; x++)
      {
        const guint8 *p = gdk_pixbuf_read_pixels (parent) +
                          (gsize) y * gdk_pixbuf_get_rowstride (parent) + (gsize) x * channels;
        const guint8 *r = gdk_pixbuf_read_pixels (result) +
                          (gsize) y * gdk_pixbuf_get_rowstride (result) + (gsize) x * channels;

        for (int c = 0; c < channels; c++)
          worst = MAX (worst, ABS ((int) p[c] - (int) r[c]));
      }
  g_test_message ("answer at %d %%, alpha %d: at most %d apart", scale_percent, alpha, worst);
  g_assert_cmpint (worst, <=, 6);
}

static void
test_answer_in_place (void)
{
  check_answer_in_place (100, FALSE);
  check_answer_in_place (100, TRUE);
  check_answer_in_place (150, FALSE);
  check_answer_in_place (133, TRUE);
  check_answer_in_place (70, FALSE);
}

/* The crop holds the selection and its feather, has the catalogue ratio it asks for (where the
 * image allows), and is not scaled down by the size asked. */
static void
test_plan (void)
{
  PeelRegionRect rect = { 900, 100, 300, 100 };
  g_autoptr(PeelRegionMask) mask = peel_region_mask_new_rect (2000, 1200, &rect);
  g_autoptr(GError) error = NULL;
  PeelRegionPlan plan;
  int rw, rh, w, h;

  g_assert_true (peel_region_plan (mask, 20, PEEL_MODEL_FAMILY_FLASH_3_1, &plan, &error));
  g_assert_cmpint (plan.bounds.x, ==, 900);
  g_assert_cmpint (plan.bounds.width, ==, 300);
  g_assert_cmpint (plan.crop.x, <=, 900 - 20);
  g_assert_cmpint (plan.crop.y, <=, 100 - 20);
  g_assert_cmpint (plan.crop.x + plan.crop.width, >=, 1200 + 20);
  g_assert_cmpint (plan.crop.y + plan.crop.height, >=, 200 + 20);
  g_assert_cmpint (plan.crop.x + plan.crop.width, <=, 2000);
  g_assert_true (peel_aspect_ratio_get_shape (plan.aspect_ratio, &rw, &rh));
  g_assert_cmpfloat (fabs ((double) plan.crop.width / plan.crop.height - (double) rw / rh),
                     <, 0.01);
  g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, plan.aspect_ratio,
                                        plan.size, &w, &h));
  g_assert_cmpint (w, >=, plan.crop.width);

  /* Lite makes 1K only. */
  g_assert_true (peel_region_plan (mask, 20, PEEL_MODEL_FAMILY_FLASH_LITE_3_1, &plan, &error));
  g_assert_cmpint (plan.size, ==, PEEL_IMAGE_SIZE_1K);
}

static void
test_empty_selection (void)
{
  g_autoptr(PeelRegionMask) mask = peel_region_mask_new (100, 100);
  g_autoptr(GError) error = NULL;
  PeelRegionPlan plan;

  g_assert_false (peel_region_plan (mask, 4, PEEL_MODEL_FAMILY_FLASH_3_1, &plan, &error));
  g_assert_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_EMPTY);
}

/* The feather fades the edge over its radius and reaches no further. */
static void
test_feather (void)
{
  PeelRegionRect rect = { 50, 50, 100, 100 };
  g_autoptr(PeelRegionMask) mask = peel_region_mask_new_rect (200, 200, &rect);
  g_autoptr(PeelRegionMask) soft = peel_region_mask_feather (mask, 9);

  g_assert_cmpint (soft->data[100 * 200 + 100], ==, 255);
  g_assert_cmpint (soft->data[100 * 200 + 50], >, 0);
  g_assert_cmpint (soft->data[100 * 200 + 50], <, 255);
  g_assert_cmpint (soft->data[100 * 200 + 45], >, 0);
  g_assert_cmpint (soft->data[100 * 200 + 40], ==, 0);
}

static void
test_mask_png (void)
{
  PeelRegionRect rect = { 10, 20, 30, 40 };
  g_autoptr(PeelRegionMask) mask = peel_region_mask_new_rect (64, 80, &rect);
  g_autoptr(PeelRegionMask) back = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("white where it changes", 22);
  g_autoptr(GError) error = NULL;

  png = peel_region_mask_to_png (mask, &error);
  g_assert_no_error (error);
  back = peel_region_mask_from_png (png, 64, 80, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (back->data, 64 * 80, mask->data, 64 * 80);

  /* Another size than the image's, or not an image: refused with a message that says why. */
  g_assert_null (peel_region_mask_from_png (png, 65, 80, &error));
  g_assert_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK);
  g_assert_nonnull (strstr (error->message, "64 × 80"));
  g_clear_error (&error);
  g_assert_null (peel_region_mask_from_png (text, 64, 80, &error));
  g_assert_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK);
}

static GBytes *
to_png (GdkPixbuf *pixbuf)
{
  char *buffer = NULL;
  gsize length = 0;

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", NULL, NULL));
  return g_bytes_new_take (buffer, length);
}

static GdkPixbuf *
from_png (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, NULL));
  g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* The whole turn on encoded images, as the session holds them: the crop sent is the plan's,
 * and the node's image, decoded, differs from the parent's nowhere outside the feather. */
static void
test_turn (void)
{
  g_autoptr(GdkPixbuf) parent = noise_image (512, 384, FALSE, 11);
  g_autoptr(GBytes) parent_png = to_png (parent);
  PeelRegionRect rect = { 300, 40, 150, 120 };
  g_autoptr(PeelRegionTurn) turn =
    peel_region_turn_new (peel_region_mask_new_rect (512, 384, &rect), 10);
  g_autoptr(PeelPart) crop = NULL;
  g_autoptr(GdkPixbuf) answer = NULL;
  g_autoptr(GBytes) answer_png = NULL;
  g_autoptr(GBytes) result_png = NULL;
  g_autoptr(GdkPixbuf) result = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  const PeelRegionPlan *plan;
  gboolean fitted = TRUE;
  guint outside, inside;
  int w, h;

  g_assert_true (peel_region_turn_prepare (turn, parent_png, PEEL_MODEL_FAMILY_FLASH_3_1,
                                           &error));
  g_assert_no_error (error);
  plan = peel_region_turn_get_plan (turn);
  crop = peel_region_turn_dup_crop (turn);
  g_assert_cmpint (crop->width, ==, plan->crop.width);
  g_assert_cmpint (crop->height, ==, plan->crop.height);
  prompt = peel_region_turn_dup_prompt (turn, "a red kite");
  g_assert_nonnull (strstr (prompt, "a red kite"));

  g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, plan->aspect_ratio,
                                        plan->size, &w, &h));
  answer = solid_image (w, h, 0x10a050);
  answer_png = to_png (answer);
  result_png = peel_region_turn_composite (turn, answer_png, &fitted, &error);
  g_assert_no_error (error);
  g_assert_false (fitted);
  result = from_png (result_png);
  count_differences (parent, result, peel_region_turn_get_mask (turn), 10, &outside, &inside);
  g_assert_cmpuint (outside, ==, 0);
  g_assert_cmpuint (inside, >, 150 * 100);

  /* An answer that is not an image is refused with a message, not composited. */
  g_assert_null (peel_region_turn_composite (turn, garbage, NULL, &error));
  g_assert_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Region/exact-outside", test_exact_outside);
  g_test_add_func ("/Peel/Region/fitted-answer", test_fitted_answer);
  g_test_add_func ("/Peel/Region/answer-in-place", test_answer_in_place);
  g_test_add_func ("/Peel/Region/plan", test_plan);
  g_test_add_func ("/Peel/Region/empty-selection", test_empty_selection);
  g_test_add_func ("/Peel/Region/feather", test_feather);
  g_test_add_func ("/Peel/Region/mask-png", test_mask_png);
  g_test_add_func ("/Peel/Region/turn", test_turn);

  return g_test_run ();
}
