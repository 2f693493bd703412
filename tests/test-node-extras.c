/* test-node-extras.c
 *
 * What a designer adds to a turn besides its image (marks, a selection) and what a region edit
 * records (mask, bounds, feather, the model's raw answer) are saved with the session, come back
 * after a restart and after compaction, and their images are never cleaned away.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-marks.h"
#include "peel-store.h"
#include "store-test-util.h"

static const char *marks_json =
  "{\"version\":1,\"marks\":["
  "{\"kind\":\"arrow\",\"color\":\"#e01b24\",\"width\":6,\"points\":[[1,2],[30,20]]},"
  "{\"kind\":\"text\",\"color\":\"#ffffff\",\"width\":5,\"points\":[[4,5]],"
  "\"text\":\"brass, not gold\"}]}";

static char *
blob_path (PeelSession *session,
           GBytes      *bytes)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *name = g_strconcat (hash, ".png", NULL);

  return g_build_filename (peel_store_get_path (peel_session_get_store (session)), "blobs",
                           name, NULL);
}

static void
reopen (PeelSession **session,
        const char   *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_store_close_session (*session, &error));
  g_assert_no_error (error);
  g_clear_object (session);
  *session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*session);
}

static void
test_marks_and_selection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Extras", &error);
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autoptr(GPtrArray) marks = peel_marks_from_json (marks_json, -1, &error);
  g_autoptr(GBytes) mask = store_test_png (64, 36, 0xffffffff);
  g_autofree char *id = NULL;
  g_autofree char *mask_file = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *expected = peel_marks_to_json (marks);
  g_autoptr(GBytes) back = NULL;
  PeelNode *node;
  int feather = 0;

  node = store_test_generate (session, NULL, "a lamp", 0x806040ff);
  id = g_strdup (peel_node_get_id (node));
  g_assert_null (peel_node_get_marks (node));
  g_assert_null (peel_node_dup_selection (node, &feather, &error));
  g_assert_no_error (error);

  g_assert_true (peel_session_set_marks (session, node, marks, &error));
  g_assert_true (peel_session_set_selection (session, node, mask, 12, &error));
  g_assert_no_error (error);
  mask_file = blob_path (session, mask);

  /* After a restart: the journal replayed. */
  reopen (&session, path);
  node = peel_session_get_node (session, id);
  saved = peel_marks_to_json (peel_node_get_marks (node));
  g_assert_cmpstr (saved, ==, expected);
  back = peel_node_dup_selection (node, &feather, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, mask));
  g_assert_cmpint (feather, ==, 12);

  /* After compaction into session.json, and the clean-up of unused images on close. */
  g_assert_true (peel_store_compact (peel_session_get_store (session), &error));
  reopen (&session, path);
  reopen (&session, path);
  g_assert_true (g_file_test (mask_file, G_FILE_TEST_IS_REGULAR));
  node = peel_session_get_node (session, id);
  g_clear_pointer (&back, g_bytes_unref);
  back = peel_node_dup_selection (node, &feather, &error);
  g_assert_true (g_bytes_equal (back, mask));
  g_clear_pointer (&saved, g_free);
  saved = peel_marks_to_json (peel_node_get_marks (node));
  g_assert_cmpstr (saved, ==, expected);

  /* Cleared: gone from the node, and after a restart too. */
  g_assert_true (peel_session_set_marks (session, node, NULL, &error));
  g_assert_true (peel_session_set_selection (session, node, NULL, 0, &error));
  reopen (&session, path);
  node = peel_session_get_node (session, id);
  g_assert_null (peel_node_get_marks (node));
  g_assert_null (peel_node_dup_selection (node, &feather, &error));
  g_assert_cmpint (feather, ==, 0);
  g_assert_true (peel_store_close_session (session, &error));
}

static void
test_region_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Region", &error);
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autoptr(GBytes) composite = store_test_png (64, 36, 0x204060ff);
  g_autoptr(GBytes) mask = store_test_png (64, 36, 0x000000ff);
  g_autoptr(GBytes) answer = store_test_png (40, 40, 0xa0c020ff);
  g_autoptr(PeelPart) mask_part = peel_part_new_image ("image/png", mask, FALSE);
  g_autoptr(PeelPart) answer_part = peel_part_new_image ("image/png", answer, FALSE);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) back = NULL;
  g_autofree char *answer_file = NULL;
  g_autofree char *id = NULL;
  PeelRegionInfo region = { 10, 4, 20, 12, 6, TRUE };
  PeelRegionInfo read = { 0 };
  PeelTurnResult result = { 0 };
  PeelNode *parent, *node;

  parent = store_test_generate (session, NULL, "a room", 0x808080ff);
  g_assert_false (peel_node_get_region (parent, NULL));
  node = peel_session_begin_turn (session, parent,
                                  &(PeelTurnSpec) { .prompt = "a brass lamp",
                                                    .aspect_ratio = "1:1",
                                                    .size = PEEL_IMAGE_SIZE_512 },
                                  &error);
  g_assert_no_error (error);
  id = g_strdup (peel_node_get_id (node));
  g_ptr_array_add (parts, peel_part_new_image ("image/png", composite, FALSE));
  result.region = &region;
  result.region_mask = mask_part;
  result.region_answer = answer_part;
  g_assert_true (peel_session_complete_turn (session, node, parts, &result, &error));
  g_assert_no_error (error);
  answer_file = blob_path (session, answer);

  reopen (&session, path);
  reopen (&session, path);
  node = peel_session_get_node (session, id);
  g_assert_true (peel_node_get_region (node, &read));
  g_assert_cmpmem (&read, sizeof read, &region, sizeof region);
  back = peel_node_dup_extra (node, PEEL_EXTRA_REGION_ANSWER, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, answer));
  g_clear_pointer (&back, g_bytes_unref);
  back = peel_node_dup_extra (node, PEEL_EXTRA_REGION_MASK, &error);
  g_assert_true (g_bytes_equal (back, mask));
  g_clear_pointer (&back, g_bytes_unref);
  back = peel_node_dup_final_image_bytes (node, &error);
  g_assert_true (g_bytes_equal (back, composite));
  g_assert_true (g_file_test (answer_file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (peel_store_close_session (session, &error));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Peel/NodeExtras/marks-and-selection", test_marks_and_selection);
  g_test_add_func ("/Peel/NodeExtras/region-record", test_region_record);

  return g_test_run ();
}
