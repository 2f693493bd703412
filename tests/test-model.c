/* test-model.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-model-catalog.h"

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
  g_assert_cmpint (peel_model_family_for_id ("gemini-9-flash-image"), ==, PEEL_MODEL_FAMILY_OTHER);
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

/* Today's models: Nano Banana 2 by default, Pro and Lite beside it, no shut-down id offered. */
static void
test_catalogue (void)
{
  g_autoptr(GPtrArray) offered = peel_model_dup_offered_ids ();
  const PeelModelInfo *lite = peel_model_lookup ("models/gemini-3.1-flash-lite-image");

  g_assert_cmpstr (PEEL_DEFAULT_MODEL, ==, "gemini-3.1-flash-image");
  g_assert_cmpstr (peel_model_catalogue_get (0)->id, ==, PEEL_DEFAULT_MODEL);
  g_assert_cmpuint (offered->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (offered, 0), ==, PEEL_DEFAULT_MODEL);
  g_assert_cmpstr (g_ptr_array_index (offered, 1), ==, "gemini-3-pro-image");
  g_assert_cmpstr (g_ptr_array_index (offered, 2), ==, "gemini-3.1-flash-lite-image");
  for (guint i = 0; i < offered->len; i++)
    g_assert_false (peel_model_is_shut_down (g_ptr_array_index (offered, i)));

  g_assert_nonnull (lite);
  g_assert_cmpstr (lite->display_name, ==, "Nano Banana 2 Lite");
  g_assert_false (peel_model_supports_size (lite->family, PEEL_IMAGE_SIZE_2K));
  g_assert_false (peel_model_supports_search (lite->family));
  g_assert_cmpfloat_with_epsilon (peel_model_batch_price_per_image (lite->family,
                                                                    PEEL_IMAGE_SIZE_1K),
                                  0.017, 1e-9);

  for (guint i = 0; i < peel_model_catalogue_get_n (); i++)
    {
      const PeelModelInfo *info = peel_model_catalogue_get (i);

      g_assert_true (peel_model_id_is_image (info->id));
      if (info->shut_down_year != 0)
        {
          g_assert_nonnull (peel_model_get_replacement (info->id));
          g_assert_false (peel_model_is_shut_down (peel_model_get_replacement (info->id)));
        }
      else
        g_assert_null (peel_model_get_replacement (info->id));
    }
  g_assert_null (peel_model_catalogue_get (peel_model_catalogue_get_n ()));

  g_assert_cmpstr (peel_model_get_replacement ("gemini-3.1-flash-image-preview"), ==,
                   PEEL_DEFAULT_MODEL);
  g_assert_cmpstr (peel_model_get_replacement ("gemini-3-pro-image-preview"), ==,
                   "gemini-3-pro-image");
}

/* An image model Peel does not know yet gets what every image model takes. */
static void
test_unknown_image_model (void)
{
  g_autofree char *name = peel_model_dup_display_name ("gemini-4-flash-image");
  PeelModelFamily family = peel_model_family_for_id ("gemini-4-flash-image");

  g_assert_true (peel_model_id_is_image ("models/gemini-4-flash-image"));
  g_assert_false (peel_model_id_is_image ("gemini-3-flash"));
  g_assert_false (peel_model_id_is_image ("text-embedding-004"));
  g_assert_cmpstr (name, ==, "gemini-4-flash-image (not yet known to Peel)");
  g_assert_cmpint (family, ==, PEEL_MODEL_FAMILY_OTHER);
  g_assert_true (peel_model_supports_ratio (family, "21:9"));
  g_assert_false (peel_model_supports_ratio (family, "8:1"));
  g_assert_true (peel_model_supports_size (family, PEEL_IMAGE_SIZE_1K));
  g_assert_false (peel_model_supports_size (family, PEEL_IMAGE_SIZE_2K));
  g_assert_false (peel_model_supports_search (family));
  g_assert_cmpfloat (peel_model_price_per_image (family, PEEL_IMAGE_SIZE_1K), <, 0);
  g_assert_cmpfloat (peel_model_cost (family, 10, 1120, 0), <, 0);
}

/* The catalogue is the only place that names a model: a Gemini model id anywhere else in the
 * program's sources or interface files fails here. */
static void
scan_for_ids (const char *dir_path,
              GRegex     *id,
              GString    *found)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          scan_for_ids (path, id, found);
          continue;
        }
      if (strcmp (name, "peel-model-catalog.c") == 0 || strcmp (name, "peel-model-catalog.h") == 0)
        continue;
      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h") &&
          !g_str_has_suffix (name, ".ui") && !g_str_has_suffix (name, ".xml"))
        continue;

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      if (g_regex_match (id, contents, 0, &match))
        {
          g_autofree char *word = g_match_info_fetch (match, 0);

          g_string_append_printf (found, "%s: %s\n", path, word);
        }
    }
}

static void
test_ids_only_in_catalogue (void)
{
  g_autoptr(GRegex) id = g_regex_new ("gemini-[0-9][a-z0-9.-]*", 0, 0, NULL);
  g_autoptr(GString) found = g_string_new (NULL);
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "..", "src", NULL);
  g_autofree char *ui = g_test_build_filename (G_TEST_DIST, "..", "ui", NULL);

  scan_for_ids (src, id, found);
  scan_for_ids (ui, id, found);
  if (found->len > 0)
    g_error ("Model ids outside the catalogue (src/base/peel-model-catalog.c):\n%s", found->str);
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

  g_test_add_func ("/Peel/Model/catalogue", test_catalogue);
  g_test_add_func ("/Peel/Model/unknown-image-model", test_unknown_image_model);
  g_test_add_func ("/Peel/Model/ids-only-in-catalogue", test_ids_only_in_catalogue);

  return g_test_run ();
}
