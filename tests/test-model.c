/* test-model.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-model.h"

static void
test_ratios_all_fourteen (void)
{
  static const char *expected[] = {
    "1:1", "1:4", "1:8", "2:3", "3:2", "3:4", "4:1",
    "4:3", "4:5", "5:4", "8:1", "9:16", "16:9", "21:9",
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpint (peel_aspect_ratio_find (expected[i]), >=, 0);
      g_assert_true (peel_model_supports_ratio (PEEL_MODEL_FAMILY_FLASH_3_1, expected[i]));
    }

  g_assert_cmpint (peel_aspect_ratio_find ("9:21"), ==, -1);
  g_assert_cmpint (peel_aspect_ratio_find ("16x9"), ==, -1);
  g_assert_cmpint (peel_aspect_ratio_find (NULL), ==, -1);
}

static void
test_ratios_per_family (void)
{
  g_assert_false (peel_model_supports_ratio (PEEL_MODEL_FAMILY_PRO_3, "1:8"));
  g_assert_false (peel_model_supports_ratio (PEEL_MODEL_FAMILY_FLASH_2_5, "4:1"));
  g_assert_true (peel_model_supports_ratio (PEEL_MODEL_FAMILY_PRO_3, "21:9"));
  g_assert_true (peel_model_supports_ratio (PEEL_MODEL_FAMILY_FLASH_2_5, "9:16"));
}

static void
test_sizes_exact_strings (void)
{
  PeelImageSize size;

  g_assert_true (peel_image_size_from_string ("512", &size));
  g_assert_cmpint (size, ==, PEEL_IMAGE_SIZE_512);
  g_assert_true (peel_image_size_from_string ("4K", &size));
  g_assert_cmpint (size, ==, PEEL_IMAGE_SIZE_4K);
  g_assert_false (peel_image_size_from_string ("1k", &size));
  g_assert_false (peel_image_size_from_string ("0.5K", &size));
  g_assert_false (peel_image_size_from_string ("512px", &size));
  g_assert_cmpstr (peel_image_size_to_string (PEEL_IMAGE_SIZE_2K), ==, "2K");

  g_assert_false (peel_model_supports_size (PEEL_MODEL_FAMILY_PRO_3, PEEL_IMAGE_SIZE_512));
  g_assert_true (peel_model_supports_size (PEEL_MODEL_FAMILY_PRO_3, PEEL_IMAGE_SIZE_4K));
  g_assert_false (peel_model_sends_image_size (PEEL_MODEL_FAMILY_FLASH_2_5));
}

static void
test_pixel_sizes (void)
{
  int w, h;

  g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, "16:9", PEEL_IMAGE_SIZE_2K, &w, &h));
  g_assert_cmpint (w, ==, 2752);
  g_assert_cmpint (h, ==, 1536);
  g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, "21:9", PEEL_IMAGE_SIZE_2K, &w, &h));
  g_assert_cmpint (w, ==, 3168);
  g_assert_cmpint (h, ==, 1344);
  g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, "1:8", PEEL_IMAGE_SIZE_4K, &w, &h));
  g_assert_cmpint (w, ==, 1536);
  g_assert_cmpint (h, ==, 12288);
  g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_2_5, "16:9", PEEL_IMAGE_SIZE_1K, &w, &h));
  g_assert_cmpint (w, ==, 1344);
  g_assert_cmpint (h, ==, 768);
  g_assert_false (peel_model_pixel_size (PEEL_MODEL_FAMILY_PRO_3, "8:1", PEEL_IMAGE_SIZE_1K, &w, &h));
}

static void
test_family_for_id (void)
{
  g_assert_cmpint (peel_model_family_for_id ("gemini-3.1-flash-image-preview"), ==, PEEL_MODEL_FAMILY_FLASH_3_1);
  g_assert_cmpint (peel_model_family_for_id ("gemini-3.1-flash-image"), ==, PEEL_MODEL_FAMILY_FLASH_3_1);
  g_assert_cmpint (peel_model_family_for_id ("models/gemini-3-pro-image-preview"), ==, PEEL_MODEL_FAMILY_PRO_3);
  g_assert_cmpint (peel_model_family_for_id ("gemini-3-pro-image"), ==, PEEL_MODEL_FAMILY_PRO_3);
  g_assert_cmpint (peel_model_family_for_id ("gemini-2.5-flash-image"), ==, PEEL_MODEL_FAMILY_FLASH_2_5);
  g_assert_cmpint (peel_model_family_for_id ("gemini-3.1-flash-lite-image"), ==, PEEL_MODEL_FAMILY_FLASH_LITE_3_1);
  g_assert_cmpuint (peel_model_max_input_images (PEEL_MODEL_FAMILY_FLASH_2_5), ==, 3);
  g_assert_cmpuint (peel_model_max_input_images (PEEL_MODEL_FAMILY_FLASH_3_1), ==, 14);
}

static void
test_prices (void)
{
  g_assert_cmpfloat_with_epsilon (peel_model_price_per_image (PEEL_MODEL_FAMILY_FLASH_3_1, PEEL_IMAGE_SIZE_4K), 0.151, 1e-9);
  g_assert_cmpfloat (peel_model_price_per_image (PEEL_MODEL_FAMILY_PRO_3, PEEL_IMAGE_SIZE_512), <, 0);
  /* 1120 image tokens at $60 per million is the published $0.067 of a 1K image */
  g_assert_cmpfloat_with_epsilon (peel_model_cost (PEEL_MODEL_FAMILY_FLASH_3_1, 0, 1120, 0), 0.0672, 1e-6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Model/ratios-all-fourteen", test_ratios_all_fourteen);
  g_test_add_func ("/Peel/Model/ratios-per-family", test_ratios_per_family);
  g_test_add_func ("/Peel/Model/sizes-exact-strings", test_sizes_exact_strings);
  g_test_add_func ("/Peel/Model/pixel-sizes", test_pixel_sizes);
  g_test_add_func ("/Peel/Model/family-for-id", test_family_for_id);
  g_test_add_func ("/Peel/Model/prices", test_prices);

  return g_test_run ();
}
