/* test-render.c
 *
 * Render Larger end to end through the demo server: the new node is the draft's sibling with
 * its prompt, references, ratio and model at the larger size, linked to the draft by draftOf,
 * which survives closing and reopening the session; what cannot be rendered larger is refused
 * with a reason before anything is sent.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "generation-test-util.h"
#include "peel-demo-server.h"
#include "peel-generation.h"
#include "peel-render.h"
#include "peel-store.h"

static PeelNode *
run_spec (Fixture            *f,
          PeelNode           *parent,
          const PeelTurnSpec *spec,
          PeelRegionMask     *mask)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (f->session, f->client);
  g_autoptr(GError) error = NULL;
  PeelNode *node;

  if (mask != NULL)
    peel_generation_set_region (generation, mask, 4);
  peel_generation_run_async (generation, parent, spec, FALSE, NULL, run_cb, f);
  g_main_loop_run (f->loop);
  node = peel_generation_run_finish (generation, f->result, &error);
  g_assert_no_error (error);
  g_clear_object (&f->result);
  return node;
}

static PeelNode *
run (Fixture       *f,
     PeelNode      *parent,
     const char    *prompt,
     const char    *model,
     PeelImageSize  size,
     GPtrArray     *references)
{
  PeelTurnSpec spec = { 0 };

  spec.prompt = prompt;
  spec.aspect_ratio = "16:9";
  spec.size = size;
  spec.model = model;
  spec.references = references;
  spec.options.search = g_strcmp0 (model, PEEL_DEFAULT_MODEL) == 0;
  return run_spec (f, parent, &spec, NULL);
}

static GPtrArray *
make_references (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 48, 32);
  GPtrArray *references = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) png = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x3070c0ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL));
  png = g_bytes_new_take (buffer, len);
  g_ptr_array_add (references, peel_part_new_image ("image/png", png, FALSE));
  return references;
}

static char *
last_request (Fixture *f)
{
  g_autoptr(GBytes) body = peel_demo_server_dup_last_request_body (f->server);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
assert_same_turn (PeelNode *final,
                  PeelNode *draft)
{
  GPtrArray *a = peel_node_get_references (final);
  GPtrArray *b = peel_node_get_references (draft);
  g_autoptr(GPtrArray) bytes_a = peel_node_dup_references (final, NULL);
  g_autoptr(GPtrArray) bytes_b = peel_node_dup_references (draft, NULL);
  PeelTurnOptions options_a, options_b;

  g_assert_true (peel_node_get_parent (final) == peel_node_get_parent (draft));
  g_assert_cmpstr (peel_node_get_parent_id (final), ==, peel_node_get_parent_id (draft));
  g_assert_cmpstr (peel_node_get_prompt (final), ==, peel_node_get_prompt (draft));
  g_assert_cmpstr (peel_node_get_aspect_ratio (final), ==, peel_node_get_aspect_ratio (draft));
  g_assert_cmpstr (peel_node_get_model (final), ==, peel_node_get_model (draft));
  peel_node_get_options (final, &options_a);
  peel_node_get_options (draft, &options_b);
  g_assert_true (memcmp (&options_a, &options_b, sizeof options_a) == 0);
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_nonnull (bytes_a);
  g_assert_nonnull (bytes_b);
  for (guint i = 0; i < bytes_a->len; i++)
    g_assert_true (g_bytes_equal (((PeelPart *) g_ptr_array_index (bytes_a, i))->data,
                                  ((PeelPart *) g_ptr_array_index (bytes_b, i))->data));
  g_assert_cmpstr (peel_node_get_draft_of (final), ==, peel_node_get_id (draft));
}

/* A draft with a parent (so the context is the branch) and a reference; rendered at 2K it is
 * a sibling of the same turn, asked at 2K, and stays linked after reopening. */
static void
test_sibling (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) references = make_references ();
  g_autoptr(PeelTurnSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *path = NULL;
  g_autofree char *draft_id = NULL;
  g_autofree char *final_id = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) draft = NULL;
  g_autoptr(PeelNode) final = NULL;
  PeelImageSize sizes[PEEL_N_IMAGE_SIZES];
  PeelNode *reopened_draft;
  PeelNode *reopened_final;

  root = run (f, NULL, "a lighthouse at dusk", PEEL_DEFAULT_MODEL, PEEL_IMAGE_SIZE_512, NULL);
  draft = run (f, root, "add a sailing boat", PEEL_DEFAULT_MODEL, PEEL_IMAGE_SIZE_512,
               references);
  g_assert_null (peel_node_get_draft_of (draft));

  g_assert_cmpuint (peel_render_larger_sizes (draft, sizes), ==, 3);
  g_assert_cmpint (sizes[0], ==, PEEL_IMAGE_SIZE_1K);
  g_assert_cmpint (sizes[2], ==, PEEL_IMAGE_SIZE_4K);
  g_assert_cmpfloat_with_epsilon (peel_render_price (draft, PEEL_IMAGE_SIZE_2K), 0.101, 1e-9);

  spec = peel_render_dup_spec (draft, PEEL_IMAGE_SIZE_2K, &error);
  g_assert_no_error (error);
  final = run_spec (f, peel_node_get_parent (draft), spec, NULL);
  g_assert_cmpint (peel_node_get_size (final), ==, PEEL_IMAGE_SIZE_2K);
  g_assert_cmpint (peel_node_get_final_width (final), ==, 2752);
  g_assert_cmpint (peel_node_get_final_height (final), ==, 1536);
  assert_same_turn (final, draft);
  g_assert_cmpuint (g_list_model_get_n_items (peel_node_get_children (root)), ==, 2);

  /* Retry of a final makes the same turn: still at 2K, still linked to the draft. */
  {
    g_autoptr(PeelTurnSpec) again = peel_turn_spec_new_from_node (final, &error);

    g_assert_no_error (error);
    g_assert_cmpint (again->size, ==, PEEL_IMAGE_SIZE_2K);
    g_assert_cmpstr (again->draft_of, ==, peel_node_get_id (draft));
    g_assert_cmpuint (again->references->len, ==, 1);
  }

  /* Sent as the draft was: the branch's image first, the reference after, at 2K. */
  request = last_request (f);
  g_assert_nonnull (strstr (request, "\"imageSize\":\"2K\""));
  g_assert_nonnull (strstr (request, "add a sailing boat"));
  g_assert_nonnull (strstr (request, "a lighthouse at dusk"));

  draft_id = g_strdup (peel_node_get_id (draft));
  final_id = g_strdup (peel_node_get_id (final));
  path = g_strdup (peel_store_get_path (peel_session_get_store (f->session)));
  g_clear_object (&root);
  g_clear_object (&draft);
  g_clear_object (&final);
  g_assert_true (peel_store_close_session (f->session, &error));
  g_assert_no_error (error);
  g_clear_object (&f->session);

  f->session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  reopened_draft = peel_session_find_node (f->session, draft_id);
  reopened_final = peel_session_find_node (f->session, final_id);
  g_assert_nonnull (reopened_draft);
  g_assert_nonnull (reopened_final);
  assert_same_turn (reopened_final, reopened_draft);
  g_assert_cmpint (peel_node_get_size (reopened_final), ==, PEEL_IMAGE_SIZE_2K);
  g_assert_null (peel_node_get_draft_of (reopened_draft));
}

static void
assert_refused (PeelNode      *draft,
                PeelImageSize  size,
                int            code,
                const char    *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelTurnSpec) spec = peel_render_dup_spec (draft, size, &error);

  g_assert_null (spec);
  g_assert_error (error, PEEL_RENDER_ERROR, code);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
}

/* Sizes not larger, sizes the model does not make, a region edit and a failed turn: each
 * refused with its reason, and no size offered where none can be. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PeelNode) flash = NULL;
  g_autoptr(PeelNode) pro = NULL;
  g_autoptr(PeelNode) lite = NULL;
  g_autoptr(PeelNode) region = NULL;
  g_autoptr(PeelRegionMask) mask = NULL;
  g_autoptr(GError) error = NULL;
  PeelImageSize sizes[PEEL_N_IMAGE_SIZES];
  PeelTurnSpec spec = { 0 };
  PeelNode *failed;

  flash = run (f, NULL, "a fox", PEEL_DEFAULT_MODEL, PEEL_IMAGE_SIZE_1K, NULL);
  assert_refused (flash, PEEL_IMAGE_SIZE_1K, PEEL_RENDER_ERROR_SIZE, "not larger");
  assert_refused (flash, PEEL_IMAGE_SIZE_512, PEEL_RENDER_ERROR_SIZE, "Use 2K, 4K");
  g_assert_cmpuint (peel_render_larger_sizes (flash, sizes), ==, 2);

  pro = run (f, NULL, "a fox", "gemini-3-pro-image", PEEL_IMAGE_SIZE_2K, NULL);
  g_assert_cmpuint (peel_render_larger_sizes (pro, sizes), ==, 1);
  g_assert_cmpint (sizes[0], ==, PEEL_IMAGE_SIZE_4K);

  lite = run (f, NULL, "a fox", "gemini-3.1-flash-lite-image", PEEL_IMAGE_SIZE_1K, NULL);
  g_assert_cmpuint (peel_render_larger_sizes (lite, sizes), ==, 0);
  assert_refused (lite, PEEL_IMAGE_SIZE_2K, PEEL_RENDER_ERROR_SIZE, "no larger size");

  mask = peel_region_mask_new_rect (1376, 768, &(PeelRegionRect) { 100, 100, 200, 150 });
  spec.prompt = "a kite";
  spec.aspect_ratio = "16:9";
  spec.size = PEEL_IMAGE_SIZE_1K;
  spec.model = PEEL_DEFAULT_MODEL;
  region = run_spec (f, flash, &spec, g_steal_pointer (&mask));
  g_assert_true (peel_node_get_region (region, NULL));
  g_assert_cmpuint (peel_render_larger_sizes (region, sizes), ==, 0);
  assert_refused (region, PEEL_IMAGE_SIZE_4K, PEEL_RENDER_ERROR_REGION, "region edit");

  failed = peel_session_begin_turn (f->session, flash, &spec, &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_fail_turn (f->session, failed, "SERVER", "It broke.", &error));
  assert_refused (failed, PEEL_IMAGE_SIZE_4K, PEEL_RENDER_ERROR_NO_IMAGE, "no image");
}

/* A session written before draftOf loads with no links, and a draftOf that is not a turn's id
 * is dropped, not followed. */
static void
test_old_and_hostile (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PeelNode) draft = NULL;
  g_autoptr(PeelNode) final = NULL;
  g_autoptr(PeelTurnSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *final_id = NULL;
  g_autoptr(GString) edited = NULL;

  draft = run (f, NULL, "a fox", PEEL_DEFAULT_MODEL, PEEL_IMAGE_SIZE_512, NULL);
  spec = peel_render_dup_spec (draft, PEEL_IMAGE_SIZE_1K, &error);
  g_assert_no_error (error);
  final = run_spec (f, NULL, spec, NULL);
  final_id = g_strdup (peel_node_get_id (final));
  needle = g_strdup_printf ("\"draftOf\":\"%s\"", peel_node_get_id (draft));
  g_clear_object (&draft);
  g_clear_object (&final);
  path = g_strdup (peel_store_get_path (peel_session_get_store (f->session)));
  g_assert_true (peel_store_close_session (f->session, &error));
  g_clear_object (&f->session);

  file = g_build_filename (path, "session.json", NULL);
  g_assert_true (g_file_get_contents (file, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, needle));
  edited = g_string_new (contents);
  g_string_replace (edited, needle, "\"draftOf\":\"../../etc/passwd\"", 1);
  g_assert_true (g_file_set_contents (file, edited->str, -1, &error));

  f->session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_null (peel_node_get_draft_of (peel_session_find_node (f->session, final_id)));
  g_assert_true (peel_store_close_session (f->session, &error));
  g_clear_object (&f->session);

  /* Without the member at all, as every session before Render Larger. */
  g_string_replace (edited, "\"draftOf\":\"../../etc/passwd\",", "", 1);
  g_string_replace (edited, ",\"draftOf\":\"../../etc/passwd\"", "", 1);
  g_assert_null (strstr (edited->str, "draftOf"));
  g_assert_true (g_file_set_contents (file, edited->str, -1, &error));
  f->session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (f->session), ==, 2);
  g_assert_null (peel_node_get_draft_of (peel_session_find_node (f->session, final_id)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Peel/Render/sibling", Fixture, NULL,
              fixture_set_up, test_sibling, fixture_tear_down);
  g_test_add ("/Peel/Render/refused", Fixture, NULL,
              fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/Peel/Render/old-and-hostile", Fixture, NULL,
              fixture_set_up, test_old_and_hostile, fixture_tear_down);

  return g_test_run ();
}
