/* test-picker-state.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-picker-state.h"

static const PeelModelFamily all_families[] = {
  PEEL_MODEL_FAMILY_FLASH_3_1,
  PEEL_MODEL_FAMILY_FLASH_LITE_3_1,
  PEEL_MODEL_FAMILY_PRO_3,
  PEEL_MODEL_FAMILY_FLASH_2_5,
};

static const char *extreme_ratios[] = { "1:4", "4:1", "1:8", "8:1" };

static gboolean
is_extreme (const char *ratio)
{
  for (guint i = 0; i < G_N_ELEMENTS (extreme_ratios); i++)
    if (g_str_equal (extreme_ratios[i], ratio))
      return TRUE;

  return FALSE;
}

/* Only Nano Banana 2 makes the four extreme ratios; every family makes the other ten. */
static void
test_ratios_per_family (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (all_families); f++)
    {
      PeelModelFamily family = all_families[f];
      guint enabled = 0;

      for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
        {
          const char *ratio = peel_aspect_ratio_get_name (i);
          gboolean expected = family == PEEL_MODEL_FAMILY_FLASH_3_1 ||
                              family == PEEL_MODEL_FAMILY_FLASH_LITE_3_1 || !is_extreme (ratio);
          g_autofree char *reason = peel_view_ratio_disabled_reason (family, ratio);

          g_assert_cmpint (peel_view_ratio_enabled (family, ratio), ==, expected);
          if (expected)
            {
              g_assert_null (reason);
              enabled++;
            }
          else
            {
              g_assert_nonnull (reason);
              g_assert_true (strstr (reason, ratio) != NULL);
              g_assert_true (strstr (reason, peel_model_family_get_display_name (family)) != NULL);
            }
        }

      g_assert_cmpuint (enabled, ==, family == PEEL_MODEL_FAMILY_FLASH_3_1 ||
                                     family == PEEL_MODEL_FAMILY_FLASH_LITE_3_1 ? 14 : 10);
    }
}

static void
test_ratio_reason_text (void)
{
  g_autofree char *pro = peel_view_ratio_disabled_reason (PEEL_MODEL_FAMILY_PRO_3, "1:8");
  g_autofree char *none = peel_view_ratio_disabled_reason (PEEL_MODEL_FAMILY_PRO_3, NULL);

  g_assert_cmpstr (pro, ==, "Nano Banana Pro does not make 1:8 images");
  g_assert_null (none);
}

static void
test_ratio_accessible_labels (void)
{
  static const struct {
    const char *ratio;
    const char *label;
  } cases[] = {
    { "1:1", "1:1, square" },
    { "2:3", "2:3, portrait" },
    { "3:2", "3:2, landscape" },
    { "3:4", "3:4, portrait" },
    { "4:3", "4:3, landscape" },
    { "4:5", "4:5, portrait" },
    { "5:4", "5:4, landscape" },
    { "9:16", "9:16, portrait" },
    { "16:9", "16:9, landscape" },
    { "21:9", "21:9, landscape" },
    { "1:4", "1:4, portrait" },
    { "4:1", "4:1, landscape" },
    { "1:8", "1:8, portrait" },
    { "8:1", "8:1, landscape" },
  };
  g_autofree char *match = peel_view_ratio_accessible_label (NULL);

  g_assert_cmpuint (G_N_ELEMENTS (cases), ==, PEEL_N_ASPECT_RATIOS);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = peel_view_ratio_accessible_label (cases[i].ratio);

      g_assert_cmpint (peel_aspect_ratio_find (cases[i].ratio), >=, 0);
      g_assert_cmpstr (label, ==, cases[i].label);
    }

  g_assert_cmpstr (match, ==, "Match input");
}

/* Each shape fills the box along its long side and keeps its proportions. */
static void
test_ratio_shape_box (void)
{
  static const double boxes[] = { 16, 40 };
  double w, h;

  for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
    {
      for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
        {
          const char *ratio = peel_aspect_ratio_get_name (i);
          int rw, rh;

          g_assert_true (peel_view_ratio_shape_box (ratio, boxes[b], &w, &h));
          g_assert_true (peel_aspect_ratio_get_shape (ratio, &rw, &rh));
          g_assert_cmpfloat (MAX (w, h), ==, boxes[b]);
          g_assert_cmpfloat (w, <=, boxes[b]);
          g_assert_cmpfloat (h, <=, boxes[b]);
          g_assert_cmpfloat_with_epsilon (w / h, (double) rw / rh, 1e-9);
        }
    }

  g_assert_true (peel_view_ratio_shape_box ("16:9", 16, &w, &h));
  g_assert_cmpfloat (w, ==, 16);
  g_assert_cmpfloat (h, ==, 9);
  g_assert_true (peel_view_ratio_shape_box ("1:8", 40, &w, &h));
  g_assert_cmpfloat (w, ==, 5);
  g_assert_cmpfloat (h, ==, 40);
  g_assert_true (peel_view_ratio_shape_box ("1:1", 40, &w, &h));
  g_assert_cmpfloat (w, ==, 40);
  g_assert_cmpfloat (h, ==, 40);
  g_assert_false (peel_view_ratio_shape_box (NULL, 16, &w, &h));
  g_assert_false (peel_view_ratio_shape_box ("9:21", 16, &w, &h));
}

static void
test_closest_ratio (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (all_families); f++)
    for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
      {
        const char *ratio = peel_aspect_ratio_get_name (i);
        const char *closest = peel_view_closest_ratio (all_families[f], ratio);

        g_assert_true (peel_model_supports_ratio (all_families[f], closest));
        if (peel_model_supports_ratio (all_families[f], ratio))
          g_assert_cmpstr (closest, ==, ratio);
      }

  g_assert_cmpstr (peel_view_closest_ratio (PEEL_MODEL_FAMILY_PRO_3, "1:8"), ==, "9:16");
  g_assert_cmpstr (peel_view_closest_ratio (PEEL_MODEL_FAMILY_PRO_3, "1:4"), ==, "9:16");
  g_assert_cmpstr (peel_view_closest_ratio (PEEL_MODEL_FAMILY_FLASH_2_5, "8:1"), ==, "21:9");
  g_assert_cmpstr (peel_view_closest_ratio (PEEL_MODEL_FAMILY_FLASH_2_5, "4:1"), ==, "21:9");
  g_assert_null (peel_view_closest_ratio (PEEL_MODEL_FAMILY_PRO_3, NULL));
  g_assert_cmpstr (peel_view_closest_ratio (PEEL_MODEL_FAMILY_PRO_3, "7:3"), ==, "1:1");
}

static void
test_sizes_per_family (void)
{
  static const gboolean expected[][PEEL_N_IMAGE_SIZES] = {
    [PEEL_MODEL_FAMILY_FLASH_3_1] = { TRUE, TRUE, TRUE, TRUE },
    [PEEL_MODEL_FAMILY_FLASH_LITE_3_1] = { FALSE, TRUE, FALSE, FALSE },
    [PEEL_MODEL_FAMILY_PRO_3] = { FALSE, TRUE, TRUE, TRUE },
    [PEEL_MODEL_FAMILY_FLASH_2_5] = { FALSE, TRUE, FALSE, FALSE },
  };
  g_autofree char *pro_512 = NULL;

  for (guint f = 0; f < G_N_ELEMENTS (all_families); f++)
    for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
      {
        PeelModelFamily family = all_families[f];
        g_autofree char *reason = peel_view_size_disabled_reason (family, s);
        PeelImageSize closest = peel_view_closest_size (family, s);

        g_assert_cmpint (peel_view_size_enabled (family, s), ==, expected[family][s]);
        g_assert_true ((reason == NULL) == expected[family][s]);
        g_assert_true (expected[family][closest]);
        if (expected[family][s])
          g_assert_cmpint (closest, ==, s);
      }

  pro_512 = peel_view_size_disabled_reason (PEEL_MODEL_FAMILY_PRO_3, PEEL_IMAGE_SIZE_512);
  g_assert_cmpstr (pro_512, ==, "Nano Banana Pro does not make 512 images");
  g_assert_cmpint (peel_view_closest_size (PEEL_MODEL_FAMILY_PRO_3, PEEL_IMAGE_SIZE_512),
                   ==, PEEL_IMAGE_SIZE_1K);
  g_assert_cmpint (peel_view_closest_size (PEEL_MODEL_FAMILY_FLASH_2_5, PEEL_IMAGE_SIZE_4K),
                   ==, PEEL_IMAGE_SIZE_1K);
}

/* The published price of one image, per family and size; NULL where there is none. */
static void
test_price_text (void)
{
  static const char *expected[][PEEL_N_IMAGE_SIZES] = {
    [PEEL_MODEL_FAMILY_FLASH_3_1] = { "$0.045", "$0.067", "$0.101", "$0.151" },
    [PEEL_MODEL_FAMILY_FLASH_LITE_3_1] = { NULL, "$0.034", NULL, NULL },
    [PEEL_MODEL_FAMILY_PRO_3] = { NULL, "$0.134", "$0.134", "$0.24" },
    [PEEL_MODEL_FAMILY_FLASH_2_5] = { NULL, "$0.039", NULL, NULL },
  };

  for (guint f = 0; f < G_N_ELEMENTS (all_families); f++)
    for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
      {
        g_autofree char *text = peel_view_price_text (all_families[f], s);

        g_assert_cmpstr (text, ==, expected[all_families[f]][s]);
      }
}

/* What Generate will cost: one image's price, or for several the count, price and total. */
static void
test_total_price_text (void)
{
  static const struct {
    PeelModelFamily  family;
    PeelImageSize    size;
    guint            count;
    const char      *text;
  } cases[] = {
    { PEEL_MODEL_FAMILY_FLASH_3_1, PEEL_IMAGE_SIZE_1K, 1, "$0.067" },
    { PEEL_MODEL_FAMILY_FLASH_3_1, PEEL_IMAGE_SIZE_1K, 4, "4 × $0.067 = $0.268" },
    { PEEL_MODEL_FAMILY_FLASH_3_1, PEEL_IMAGE_SIZE_4K, 8, "8 × $0.151 = $1.208" },
    { PEEL_MODEL_FAMILY_PRO_3, PEEL_IMAGE_SIZE_4K, 2, "2 × $0.24 = $0.48" },
    { PEEL_MODEL_FAMILY_PRO_3, PEEL_IMAGE_SIZE_512, 4, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = peel_view_total_price_text (cases[i].family, cases[i].size,
                                                          cases[i].count);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_pixels_text (void)
{
  static const struct {
    PeelModelFamily  family;
    const char      *ratio;
    PeelImageSize    size;
    const char      *text;
  } cases[] = {
    { PEEL_MODEL_FAMILY_FLASH_3_1, "16:9", PEEL_IMAGE_SIZE_2K, "2752 × 1536" },
    { PEEL_MODEL_FAMILY_FLASH_3_1, "21:9", PEEL_IMAGE_SIZE_2K, "3168 × 1344" },
    { PEEL_MODEL_FAMILY_FLASH_3_1, "1:1", PEEL_IMAGE_SIZE_512, "512 × 512" },
    { PEEL_MODEL_FAMILY_FLASH_3_1, "8:1", PEEL_IMAGE_SIZE_4K, "12288 × 1536" },
    { PEEL_MODEL_FAMILY_PRO_3, "21:9", PEEL_IMAGE_SIZE_2K, "3168 × 1344" },
    { PEEL_MODEL_FAMILY_PRO_3, "1:8", PEEL_IMAGE_SIZE_2K, NULL },
    { PEEL_MODEL_FAMILY_PRO_3, "1:1", PEEL_IMAGE_SIZE_512, NULL },
    { PEEL_MODEL_FAMILY_FLASH_2_5, "21:9", PEEL_IMAGE_SIZE_1K, "1536 × 672" },
    { PEEL_MODEL_FAMILY_FLASH_2_5, "21:9", PEEL_IMAGE_SIZE_2K, NULL },
    { PEEL_MODEL_FAMILY_FLASH_3_1, NULL, PEEL_IMAGE_SIZE_2K, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = peel_view_size_pixels_text (cases[i].family, cases[i].ratio,
                                                          cases[i].size);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Every supported ratio and size has a pixel size; every unsupported one has none. */
  for (guint f = 0; f < G_N_ELEMENTS (all_families); f++)
    for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
      for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
        {
          const char *ratio = peel_aspect_ratio_get_name (i);
          g_autofree char *text = peel_view_size_pixels_text (all_families[f], ratio, s);
          gboolean expected = peel_view_ratio_enabled (all_families[f], ratio) &&
                              peel_view_size_enabled (all_families[f], s);

          g_assert_true ((text != NULL) == expected);
        }
}

static void
test_size_detail_text (void)
{
  g_autofree char *nb2 = peel_view_size_detail_text (PEEL_MODEL_FAMILY_FLASH_3_1, "16:9",
                                                     PEEL_IMAGE_SIZE_2K);
  g_autofree char *pro = peel_view_size_detail_text (PEEL_MODEL_FAMILY_PRO_3, "16:9",
                                                     PEEL_IMAGE_SIZE_512);
  g_autofree char *lite = peel_view_size_detail_text (PEEL_MODEL_FAMILY_FLASH_LITE_3_1, "1:1",
                                                      PEEL_IMAGE_SIZE_1K);
  g_autofree char *match = peel_view_size_detail_text (PEEL_MODEL_FAMILY_FLASH_3_1, NULL,
                                                       PEEL_IMAGE_SIZE_4K);

  g_assert_cmpstr (nb2, ==, "2752 × 1536 · $0.101");
  g_assert_cmpstr (pro, ==, "Nano Banana Pro does not make 512 images");
  g_assert_cmpstr (lite, ==, "1024 × 1024 · $0.034");
  g_assert_cmpstr (match, ==, "Shape of the input · $0.151");
}

static void
test_reference_count (void)
{
  g_autofree char *three = peel_view_reference_count_text (3, 14);
  g_autofree char *full = peel_view_reference_count_text (3, 3);
  g_autofree char *nb2 = peel_view_reference_limit_message (PEEL_MODEL_FAMILY_FLASH_3_1);
  g_autofree char *nb = peel_view_reference_limit_message (PEEL_MODEL_FAMILY_FLASH_2_5);

  g_assert_cmpstr (three, ==, "3 / 14");
  g_assert_cmpstr (full, ==, "3 / 3");

  for (guint f = 0; f < G_N_ELEMENTS (all_families); f++)
    {
      guint max = peel_model_max_input_images (all_families[f]);

      for (guint n = 0; n <= max + 1; n++)
        g_assert_cmpint (peel_view_can_add_reference (n, max), ==, n < max);
    }

  g_assert_cmpstr (nb2, ==,
                   "Nano Banana 2 takes at most 14 reference images. Remove one to add another.");
  g_assert_cmpstr (nb, ==,
                   "Nano Banana takes at most 3 reference images. Remove one to add another.");
}

static void
test_small_reference_warning (void)
{
  g_autofree char *dot = peel_view_small_reference_warning ("dot.png", 1, 1);
  g_autofree char *thin = peel_view_small_reference_warning ("line.png", 800, 8);
  g_autofree char *fine = peel_view_small_reference_warning ("ok.png", 64, 16);

  g_assert_cmpstr (dot, ==, "“dot.png” is only 1 × 1 pixels: the model can see almost nothing "
                            "in it. It was added; a larger image works better.");
  g_assert_nonnull (thin);
  g_assert_null (fine);
  g_assert_null (peel_view_small_reference_warning ("unknown.png", 0, 0));
}

static void
test_generate_enabled (void)
{
  g_assert_false (peel_view_generate_enabled (NULL, 0, 14, FALSE));
  g_assert_false (peel_view_generate_enabled ("", 0, 14, FALSE));
  g_assert_false (peel_view_generate_enabled (" \n\t\u00a0", 0, 14, FALSE));
  g_assert_true (peel_view_generate_enabled ("a lighthouse", 0, 14, FALSE));
  g_assert_true (peel_view_generate_enabled ("  x  ", 0, 14, FALSE));
  g_assert_true (peel_view_generate_enabled ("", 1, 14, FALSE));
  g_assert_false (peel_view_generate_enabled ("a lighthouse", 0, 14, TRUE));
  g_assert_false (peel_view_generate_enabled ("", 2, 14, TRUE));
  /* More references than the model takes, after switching to a smaller model */
  g_assert_true (peel_view_generate_enabled ("a lighthouse", 3, 3, FALSE));
  g_assert_false (peel_view_generate_enabled ("a lighthouse", 4, 3, FALSE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/ViewLogic/ratios-per-family", test_ratios_per_family);
  g_test_add_func ("/Peel/ViewLogic/ratio-reason-text", test_ratio_reason_text);
  g_test_add_func ("/Peel/ViewLogic/ratio-accessible-labels", test_ratio_accessible_labels);
  g_test_add_func ("/Peel/ViewLogic/ratio-shape-box", test_ratio_shape_box);
  g_test_add_func ("/Peel/ViewLogic/closest-ratio", test_closest_ratio);
  g_test_add_func ("/Peel/ViewLogic/sizes-per-family", test_sizes_per_family);
  g_test_add_func ("/Peel/ViewLogic/price-text", test_price_text);
  g_test_add_func ("/Peel/ViewLogic/total-price-text", test_total_price_text);
  g_test_add_func ("/Peel/ViewLogic/pixels-text", test_pixels_text);
  g_test_add_func ("/Peel/ViewLogic/size-detail-text", test_size_detail_text);
  g_test_add_func ("/Peel/ViewLogic/reference-count", test_reference_count);
  g_test_add_func ("/Peel/ViewLogic/small-reference-warning", test_small_reference_warning);
  g_test_add_func ("/Peel/ViewLogic/generate-enabled", test_generate_enabled);

  return g_test_run ();
}
