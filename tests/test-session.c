/* test-session.c
 *
 * The session tree in memory: branching, navigation with undo/redo, delete and undelete,
 * search, star and hide, the branch a request is built from.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "peel-session.h"

static GBytes *
make_png (int     width,
          int     height,
          guint32 color)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, color);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, len);
}

static GPtrArray *
model_turn (guint32 color)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) interim = make_png (32, 18, 0x808080ff);
  g_autoptr(GBytes) final = make_png (64, 36, color);
  PeelPart *part;

  g_ptr_array_add (parts, peel_part_new_text ("Composing the scene", TRUE));
  g_ptr_array_add (parts, peel_part_new_image ("image/png", interim, TRUE));
  part = peel_part_new_text ("Here is your image.", FALSE);
  peel_part_set_signature (part, "EqYCCqMCAdHtim9x==");
  g_ptr_array_add (parts, part);
  part = peel_part_new_image ("image/png", final, FALSE);
  peel_part_set_signature (part, "Ct4BAdHtim8KkZ==");
  g_ptr_array_add (parts, part);
  return parts;
}

static PeelNode *
generate (PeelSession *session,
          PeelNode    *parent,
          const char  *prompt,
          guint32      color)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = model_turn (color);
  PeelTurnResult result = { 18, 1126, 310, -1, "STOP", NULL, NULL, NULL };
  PeelNode *node;

  node = peel_session_begin_turn (session, parent,
                                  &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = "16:9",
                                                    .size = PEEL_IMAGE_SIZE_1K },
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_PENDING);
  g_assert_true (peel_session_complete_turn (session, node, parts, &result, &error));
  g_assert_no_error (error);
  return node;
}

static guint
n_children (PeelNode *node)
{
  return g_list_model_get_n_items (peel_node_get_children (node));
}

static void
test_branch (void)
{
  g_autoptr(PeelSession) session = peel_session_new ("Lighthouse");
  g_autoptr(GPtrArray) branch = NULL;
  PeelNode *root, *a, *b, *c;

  root = generate (session, NULL, "a lighthouse at dusk", 0xff0000ff);
  a = generate (session, root, "make the sky stormy", 0x00ff00ff);
  c = generate (session, a, "add a boat", 0x0000ffff);
  b = generate (session, root, "sunny, pastel", 0xffff00ff);

  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_roots (session)), ==, 1);
  g_assert_cmpuint (n_children (root), ==, 2);
  g_assert_true (peel_node_get_parent (b) == root);
  g_assert_cmpstr (peel_node_get_parent_id (c), ==, peel_node_get_id (a));
  g_assert_cmpuint (peel_node_get_depth (c), ==, 2);

  /* The new turn is current; the branch model follows it. */
  g_assert_true (peel_session_get_current (session) == b);
  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_current_branch (session)), ==, 2);

  branch = peel_session_dup_branch (c);
  g_assert_cmpuint (branch->len, ==, 3);
  g_assert_true (g_ptr_array_index (branch, 0) == root);
  g_assert_true (g_ptr_array_index (branch, 2) == c);

  /* Ids are short and unique. */
  g_assert_cmpuint (strlen (peel_node_get_id (root)), ==, 8);
  g_assert_cmpstr (peel_node_get_id (root), !=, peel_node_get_id (a));
  g_assert_true (peel_session_find_node (session, peel_node_get_id (c)) == c);
}

static void
test_final_image_and_history (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GBytes) final = NULL;
  g_autofree char *text = NULL;
  g_autofree char *thoughts = NULL;
  PeelNode *node = generate (session, NULL, "a red square", 0xff0000ff);
  const PeelPart *part;
  gint64 prompt_tokens, output_tokens, thought_tokens;

  g_assert_true (peel_node_get_has_image (node));
  g_assert_cmpint (peel_node_get_final_image_index (node), ==, 3);
  g_assert_cmpint (peel_node_get_final_width (node), ==, 64);
  g_assert_cmpint (peel_node_get_final_height (node), ==, 36);
  part = peel_node_get_final_image (node);
  g_assert_cmpstr (part->signature, ==, "Ct4BAdHtim8KkZ==");
  final = peel_node_dup_final_image_bytes (node, NULL);
  g_assert_nonnull (final);

  /* History echoes every non-thought part, signatures included, in order. */
  history = peel_node_dup_history_parts (node);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (((PeelPart *) history->pdata[0])->signature, ==, "EqYCCqMCAdHtim9x==");
  g_assert_true (g_bytes_equal (((PeelPart *) history->pdata[1])->data, final));

  text = peel_node_dup_text (node);
  thoughts = peel_node_dup_thoughts (node);
  g_assert_cmpstr (text, ==, "Here is your image.");
  g_assert_cmpstr (thoughts, ==, "Composing the scene");
  peel_node_get_usage (node, &prompt_tokens, &output_tokens, &thought_tokens);
  g_assert_cmpint (output_tokens, ==, 1126);
  g_assert_cmpfloat (peel_node_get_cost (node), >, 0.0);
  g_assert_cmpstr (peel_node_get_finish_reason (node), ==, "STOP");
}

/* A text that arrived in pieces (streamed, or cut where a signature came) reads as one text;
 * only an image between two texts makes two paragraphs. */
static void
test_text_joined_as_meant (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) image = make_png (64, 36, 0xff0000ff);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *thoughts = NULL;
  PeelTurnResult result = { 18, 1126, 0, -1, "STOP", NULL, NULL, NULL };
  PeelNode *node;
  PeelPart *part;

  g_ptr_array_add (parts, peel_part_new_text ("Planning **the frame**", TRUE));
  g_ptr_array_add (parts, peel_part_new_text ("Choosing the light", TRUE));
  g_ptr_array_add (parts, peel_part_new_text ("Here is your 16:9 image at 512", FALSE));
  part = peel_part_new_text (" (688x384): a lighthouse at dusk.", FALSE);
  peel_part_set_signature (part, "EqYCCqMCAdHtim9x==");
  g_ptr_array_add (parts, part);
  g_ptr_array_add (parts, peel_part_new_image ("image/png", image, FALSE));
  g_ptr_array_add (parts, peel_part_new_text ("Want it warmer?", FALSE));

  node = peel_session_begin_turn (session, NULL,
                                  &(PeelTurnSpec) { .prompt = "a lighthouse",
                                                    .aspect_ratio = "16:9",
                                                    .size = PEEL_IMAGE_SIZE_512 },
                                  &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_complete_turn (session, node, parts, &result, &error));

  text = peel_node_dup_text (node);
  g_assert_cmpstr (text, ==, "Here is your 16:9 image at 512 (688x384): a lighthouse at dusk."
                             "\n\nWant it warmer?");
  thoughts = peel_node_dup_thoughts (node);
  g_assert_cmpstr (thoughts, ==, "Planning **the frame**\n\nChoosing the light");
}

static void
test_failed_turn_stays (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GError) error = NULL;
  PeelNode *root = generate (session, NULL, "a cat", 0x112233ff);
  PeelNode *node;

  node = peel_session_begin_turn (session, root,
                                  &(PeelTurnSpec) { .prompt = "a cat, but blocked",
                                                    .size = PEEL_IMAGE_SIZE_2K },
                                  &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_fail_turn (session, node, "RATE_LIMITED",
                                         "Too many requests; retry in a minute.", &error));
  g_assert_no_error (error);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_FAILED);
  g_assert_cmpstr (peel_node_get_error_code (node), ==, "RATE_LIMITED");
  g_assert_false (peel_node_get_has_image (node));
  g_assert_cmpuint (n_children (root), ==, 1);
  g_assert_null (peel_node_get_aspect_ratio (node));

  /* A finished turn cannot be finished again. */
  g_assert_false (peel_session_complete_turn (session, node, NULL, NULL, &error));
  g_assert_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOT_PENDING);
}

/* Undo goes up the tree, to the parent; redo comes down the child visited last. */
static void
test_navigation_undo_redo (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GError) error = NULL;
  PeelNode *root = generate (session, NULL, "one", 0x111111ff);
  PeelNode *a = generate (session, root, "two", 0x222222ff);
  PeelNode *a2 = generate (session, a, "two, darker", 0x232323ff);
  PeelNode *a3 = generate (session, a2, "two, darker still", 0x242424ff);
  PeelNode *b = generate (session, root, "three", 0x333333ff);

  /* A chain: three undos climb to the root, three redos come back down the same way. */
  peel_session_set_current (session, a3);
  g_assert_true (peel_session_undo (session));
  g_assert_true (peel_session_get_current (session) == a2);
  g_assert_true (peel_session_undo (session));
  g_assert_true (peel_session_undo (session));
  g_assert_true (peel_session_get_current (session) == root);
  g_assert_false (peel_session_can_undo (session));
  g_assert_false (peel_session_undo (session));
  g_assert_true (peel_session_can_redo (session));
  g_assert_true (peel_session_redo (session));
  g_assert_true (peel_session_get_current (session) == a);
  g_assert_true (peel_session_redo (session));
  g_assert_true (peel_session_redo (session));
  g_assert_true (peel_session_get_current (session) == a3);
  g_assert_false (peel_session_can_redo (session));

  /* Having been on the other branch, redo from the root goes there. */
  peel_session_set_current (session, b);
  g_assert_true (peel_session_undo (session));
  g_assert_true (peel_session_get_current (session) == root);
  g_assert_true (peel_session_redo (session));
  g_assert_true (peel_session_get_current (session) == b);

  /* A turn whose remembered child was deleted has nowhere to redo to; its parent still
   * remembers the way down to it. */
  peel_session_set_current (session, a2);
  peel_session_set_current (session, a);
  g_assert_true (peel_session_delete_branch (session, a2, &error));
  g_assert_no_error (error);
  g_assert_false (peel_session_can_redo (session));
  peel_session_set_current (session, root);
  g_assert_true (peel_session_redo (session));
  g_assert_true (peel_session_get_current (session) == a);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_delete_undelete (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GError) error = NULL;
  PeelNode *root = generate (session, NULL, "one", 0x111111ff);
  PeelNode *a = generate (session, root, "two", 0x222222ff);
  PeelNode *a1 = generate (session, a, "two and a half", 0x252525ff);
  PeelNode *b = generate (session, root, "three", 0x333333ff);
  PeelNode *back;
  guint changes = 0;

  g_signal_connect (peel_node_get_children (root), "items-changed",
                    G_CALLBACK (count_changes_cb), &changes);
  peel_session_set_current (session, a1);
  g_assert_true (peel_session_delete_branch (session, a, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 2);
  g_assert_cmpuint (n_children (root), ==, 1);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_null (peel_session_get_node (session, peel_node_get_id (a1)));
  /* The current node was deleted: its parent's parent is where we are now. */
  g_assert_true (peel_session_get_current (session) == root);

  back = peel_session_undelete (session, &error);
  g_assert_no_error (error);
  g_assert_true (back == a);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 4);
  g_assert_true (g_list_model_get_item (peel_node_get_children (root), 0) == (gpointer) a);
  g_object_unref (a);
  g_assert_true (peel_session_get_node (session, peel_node_get_id (a1)) == a1);
  g_assert_true (peel_node_get_parent (a1) == a);
  g_assert_true (peel_node_get_parent (b) == root);
  g_assert_false (peel_session_can_undelete (session));
  g_assert_null (peel_session_undelete (session, &error));
  g_assert_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOTHING_TO_UNDELETE);
}

static void
test_search (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GListModel) hits = NULL;
  g_autoptr(GListModel) none = NULL;
  PeelNode *root = generate (session, NULL, "A Lighthouse at dusk", 0x111111ff);

  generate (session, root, "stormy sky over the LIGHTHOUSE", 0x222222ff);
  generate (session, root, "a boat", 0x333333ff);
  generate (session, NULL, "Café au lait", 0x444444ff);

  hits = peel_session_search (session, "lighthouse");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 2);
  g_clear_object (&hits);
  hits = peel_session_search (session, "CAFÉ");
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  none = peel_session_search (session, "zebra");
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_star_hide_rename (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  PeelNode *node = generate (session, NULL, "a lighthouse", 0x111111ff);
  guint starred_notifies = 0;

  g_signal_connect (node, "notify::starred", G_CALLBACK (notify_count_cb), &starred_notifies);
  g_assert_true (peel_session_set_starred (session, node, TRUE, NULL));
  g_assert_true (peel_session_set_starred (session, node, TRUE, NULL));
  g_assert_true (peel_node_get_starred (node));
  g_assert_cmpuint (starred_notifies, ==, 1);

  g_assert_true (peel_session_set_hidden (session, node, TRUE, NULL));
  g_assert_true (peel_node_get_hidden (node));

  g_assert_cmpstr (peel_node_get_display_title (node), ==, "a lighthouse");
  g_assert_true (peel_session_rename_node (session, node, "Hero shot", NULL));
  g_assert_cmpstr (peel_node_get_display_title (node), ==, "Hero shot");
  g_assert_true (peel_session_rename_node (session, node, "", NULL));
  g_assert_null (peel_node_get_title (node));

  g_assert_true (peel_session_set_name (session, "Coastline", NULL));
  g_assert_cmpstr (peel_session_get_name (session), ==, "Coastline");
}

static void
test_references_kept (void)
{
  g_autoptr(PeelSession) session = peel_session_new (NULL);
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) png = make_png (20, 10, 0x00ff00ff);
  g_autoptr(GPtrArray) loaded = NULL;
  PeelTurnOptions options = { PEEL_THINKING_HIGH, TRUE, TRUE, FALSE };
  PeelTurnOptions got;
  PeelNode *node;

  g_ptr_array_add (refs, peel_part_new_image ("image/png", png, FALSE));
  node = peel_session_begin_turn (session, NULL,
                                  &(PeelTurnSpec) { .prompt = "use this", .references = refs,
                                                    .size = PEEL_IMAGE_SIZE_4K,
                                                    .model = "gemini-3-pro-image-preview",
                                                    .options = options },
                                  NULL);
  loaded = peel_node_dup_references (node, NULL);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_true (g_bytes_equal (((PeelPart *) loaded->pdata[0])->data, png));
  g_assert_cmpint (((PeelPart *) loaded->pdata[0])->width, ==, 20);
  peel_node_get_options (node, &got);
  g_assert_cmpint (got.thinking_level, ==, PEEL_THINKING_HIGH);
  g_assert_true (got.include_thoughts);
  g_assert_true (got.search);
  g_assert_cmpstr (peel_node_get_model (node), ==, "gemini-3-pro-image-preview");
  g_assert_cmpint (peel_node_get_size (node), ==, PEEL_IMAGE_SIZE_4K);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Peel/Session/branch", test_branch);
  g_test_add_func ("/Peel/Session/final-image-and-history", test_final_image_and_history);
  g_test_add_func ("/Peel/Session/failed-turn-stays", test_failed_turn_stays);
  g_test_add_func ("/Peel/Session/text-joined-as-meant", test_text_joined_as_meant);
  g_test_add_func ("/Peel/Session/navigation-undo-redo", test_navigation_undo_redo);
  g_test_add_func ("/Peel/Session/delete-undelete", test_delete_undelete);
  g_test_add_func ("/Peel/Session/search", test_search);
  g_test_add_func ("/Peel/Session/star-hide-rename", test_star_hide_rename);
  g_test_add_func ("/Peel/Session/references-kept", test_references_kept);

  return g_test_run ();
}
