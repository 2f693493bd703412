/* test-region-turn.c
 *
 * A region edit and "Send with marks" end to end through the demo server: what is sent, what
 * the node keeps, and that the region edit's image differs from the parent's nowhere further
 * than the feather from the selection.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "generation-test-util.h"
#include "peel-demo-server.h"
#include "peel-export.h"
#include "peel-png-meta.h"
#include "peel-generation.h"
#include "peel-marks.h"
#include "peel-store.h"

/* One turn; @mask makes it a region edit, @marks sends them. */
static PeelNode *
run (Fixture         *f,
     PeelNode        *parent,
     const char      *prompt,
     PeelRegionMask  *mask,
     int              feather,
     GPtrArray       *marks,
     GError         **error)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (f->session, f->client);
  PeelTurnSpec spec = { 0 };
  PeelNode *node;

  spec.prompt = prompt;
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_1K;
  spec.model = PEEL_DEFAULT_MODEL;
  if (mask != NULL)
    peel_generation_set_region (generation, mask, feather);
  peel_generation_set_marks (generation, marks);
  peel_generation_run_async (generation, parent, &spec, FALSE, NULL, run_cb, f);
  g_main_loop_run (f->loop);
  node = peel_generation_run_finish (generation, f->result, error);
  g_clear_object (&f->result);
  return node;
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, NULL));
  g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static char *
last_request (Fixture *f)
{
  g_autoptr(GBytes) body = peel_demo_server_dup_last_request_body (f->server);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
test_region_edit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(PeelNode) next = NULL;
  g_autoptr(GBytes) parent_png = NULL;
  g_autoptr(GBytes) edit_png = NULL;
  g_autoptr(GBytes) mask_png = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GdkPixbuf) parent = NULL;
  g_autoptr(GdkPixbuf) result = NULL;
  g_autofree char *request = NULL;
  g_autofree char *composite_b64 = NULL;
  PeelRegionRect rect = { 600, 120, 260, 180 };
  PeelRegionInfo info = { 0 };
  int feather = 8, w, h, channels, ps, rs;
  guint outside = 0, inside = 0;

  root = run (f, NULL, "a lighthouse on a cliff", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  w = peel_node_get_final_width (root);
  h = peel_node_get_final_height (root);

  edit = run (f, root, "a red kite in the sky",
              peel_region_mask_new_rect (w, h, &rect), feather, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (peel_node_get_status (edit), ==, PEEL_NODE_DONE);
  g_assert_true (peel_node_get_parent (edit) == root);

  /* What went: the cut-out alone, with the words of a region edit, no earlier turn. */
  request = last_request (f);
  g_assert_cmpuint (count (request, "\"inlineData\""), ==, 1);
  g_assert_cmpuint (count (request, "\"role\":\"model\""), ==, 0);
  g_assert_nonnull (strstr (request, "cut out of a larger image"));
  g_assert_nonnull (strstr (request, "a red kite in the sky"));

  /* What the node keeps. */
  g_assert_true (peel_node_get_region (edit, &info));
  g_assert_cmpint (info.x, ==, rect.x);
  g_assert_cmpint (info.y, ==, rect.y);
  g_assert_cmpint (info.width, ==, rect.width);
  g_assert_cmpint (info.height, ==, rect.height);
  g_assert_cmpint (info.feather, ==, feather);
  g_assert_cmpstr (peel_node_get_prompt (edit), ==, "a red kite in the sky");
  /* The node's image is the parent's shape and size; only the cut-out went at its own. */
  g_assert_cmpstr (peel_node_get_aspect_ratio (edit), ==, peel_node_get_aspect_ratio (root));
  g_assert_cmpint (peel_node_get_size (edit), ==, peel_node_get_size (root));
  g_assert_null (strstr (request, "\"aspectRatio\":\"1:1\""));
  mask_png = peel_node_dup_extra (edit, PEEL_EXTRA_REGION_MASK, &error);
  answer = peel_node_dup_extra (edit, PEEL_EXTRA_REGION_ANSWER, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mask_png);
  g_assert_nonnull (answer);

  /* Every pixel further than the feather from the selection is the parent's, exactly. */
  parent_png = peel_node_dup_final_image_bytes (root, &error);
  edit_png = peel_node_dup_final_image_bytes (edit, &error);
  g_assert_no_error (error);
  parent = decode (parent_png);
  result = decode (edit_png);
  g_assert_cmpint (gdk_pixbuf_get_width (result), ==, w);
  g_assert_cmpint (gdk_pixbuf_get_height (result), ==, h);
  channels = gdk_pixbuf_get_n_channels (parent);
  g_assert_cmpint (gdk_pixbuf_get_n_channels (result), ==, channels);
  ps = gdk_pixbuf_get_rowstride (parent);
  rs = gdk_pixbuf_get_rowstride (result);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gboolean near = x >= rect.x - feather && x < rect.x + rect.width + feather &&
                        y >= rect.y - feather && y < rect.y + rect.height + feather;
        gboolean same = memcmp (gdk_pixbuf_read_pixels (parent) + (gsize) y * ps + x * channels,
                                gdk_pixbuf_read_pixels (result) + (gsize) y * rs + x * channels,
                                channels) == 0;

        if (!same && !near)
          outside++;
        else if (!same)
          inside++;
      }
  g_assert_cmpuint (outside, ==, 0);
  g_assert_cmpuint (inside, >, rect.width * rect.height / 4);

  /* A turn from the region edit sends its composite as the user's own image. */
  next = run (f, edit, "make it dusk", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&request, g_free);
  request = last_request (f);
  composite_b64 = g_base64_encode (g_bytes_get_data (edit_png, NULL),
                                   g_bytes_get_size (edit_png));
  g_assert_nonnull (strstr (request, composite_b64));
}

static void
test_region_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  PeelNode *node;
  guint before;

  root = run (f, NULL, "a lighthouse", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  before = peel_session_get_n_nodes (f->session);

  /* An empty selection, and a mask of another size: refused before anything is sent or
   * added. */
  node = run (f, root, "a kite", peel_region_mask_new (peel_node_get_final_width (root),
                                                       peel_node_get_final_height (root)),
              4, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_EMPTY);
  g_clear_error (&error);

  node = run (f, root, "a kite", peel_region_mask_new_rect (10, 10, &(PeelRegionRect) { 0, 0, 5, 5 }),
              4, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_MASK);
  g_clear_error (&error);

  /* And with no image to edit. */
  node = run (f, NULL, "a kite", peel_region_mask_new_rect (10, 10, &(PeelRegionRect) { 0, 0, 5, 5 }),
              4, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_IMAGE);
  g_assert_cmpuint (peel_session_get_n_nodes (f->session), ==, before);
}

static void
test_send_with_marks (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) child = NULL;
  g_autoptr(GPtrArray) marks = peel_marks_from_json (
    "{\"version\":1,\"marks\":[{\"kind\":\"arrow\",\"points\":[[100,100],[400,300]]},"
    "{\"kind\":\"text\",\"points\":[[420,300]],\"text\":\"a brass bell here\"}]}", -1, &error);
  g_autofree char *request = NULL;

  g_assert_no_error (error);
  root = run (f, NULL, "a lighthouse", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_set_marks (f->session, root, marks, &error));

  child = run (f, root, "follow the marks", NULL, 0, marks, &error);
  g_assert_no_error (error);
  request = last_request (f);
  /* The clean image (the model's turn) and the marked copy (the user's), and the words. */
  g_assert_cmpuint (count (request, "\"inlineData\""), ==, 2);
  g_assert_nonnull (strstr (request, "must not show any of the marks"));
  g_assert_nonnull (strstr (request, "a brass bell here"));
  /* The result is a normal child whose marks start empty; the parent keeps its own. */
  g_assert_false (peel_node_get_region (child, NULL));
  g_assert_null (peel_node_get_marks (child));
  g_assert_cmpuint (peel_node_get_marks (root)->len, ==, 2);
}

/* The lineage of an exported region edit says it was one (its bounds and feather), and the
 * mask goes with it; dropping the PNG into another session restores a node that is a region
 * edit with the same bounds, feather and mask. A lineage whose region does not fit the image is
 * not trusted: the turn comes back as a plain image. */
static void
test_export_restore (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(PeelSession) other = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) mask_png = NULL;
  g_autoptr(GBytes) restored_mask = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree char *lineage = NULL;
  g_autofree char *bad_lineage = NULL;
  g_autofree char *region_text = NULL;
  PeelRegionRect rect = { 100, 60, 300, 200 };
  PeelRegionInfo info = { 0 };
  PeelNode *restored;
  int w, h;

  root = run (f, NULL, "a harbour at noon", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  w = peel_node_get_final_width (root);
  h = peel_node_get_final_height (root);
  edit = run (f, root, "a sailing boat", peel_region_mask_new_rect (w, h, &rect), 6, NULL,
              &error);
  g_assert_no_error (error);

  png = peel_export_node_png (edit, 0, &error);
  g_assert_no_error (error);
  meta = peel_export_read_metadata (png, &error);
  g_assert_no_error (error);
  lineage = g_strdup (g_hash_table_lookup (meta, "peel:lineage"));
  region_text = g_strdup_printf ("\"region\":{\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d,"
                                 "\"feather\":6,\"fitted\":false}",
                                 rect.x, rect.y, rect.width, rect.height);
  g_assert_nonnull (strstr (lineage, region_text));
  /* Only the region edit's entry says so. */
  g_assert_cmpuint (count (lineage, "\"region\""), ==, 1);
  g_assert_nonnull (g_hash_table_lookup (meta, "peel:region-mask"));

  other = peel_store_create_session (f->dir, "Restored", &error);
  g_assert_no_error (error);
  restored = peel_session_import_png (other, png, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  g_assert_true (peel_node_get_imported (restored));
  g_assert_true (peel_node_get_region (restored, &info));
  g_assert_cmpint (info.x, ==, rect.x);
  g_assert_cmpint (info.y, ==, rect.y);
  g_assert_cmpint (info.width, ==, rect.width);
  g_assert_cmpint (info.height, ==, rect.height);
  g_assert_cmpint (info.feather, ==, 6);
  /* Its parent, known only by its prompt, was no region edit. */
  g_assert_false (peel_node_get_region (peel_node_get_parent (restored), NULL));
  mask_png = peel_node_dup_extra (edit, PEEL_EXTRA_REGION_MASK, &error);
  restored_mask = peel_node_dup_extra (restored, PEEL_EXTRA_REGION_MASK, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored_mask);
  g_assert_true (g_bytes_equal (mask_png, restored_mask));

  /* A region past the image's edge is left out, and the image still comes in. */
  bad_lineage = g_strdup (lineage);
  memcpy (strstr (bad_lineage, "\"width\":300"), "\"width\":999", strlen ("\"width\":999"));
  texts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_png_text_free);
  g_ptr_array_add (texts, peel_png_text_new ("peel:lineage", bad_lineage, TRUE));
  tampered = peel_png_set_text (png, texts, TRUE, &error);
  g_assert_no_error (error);
  restored = peel_session_import_png (other, tampered, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  g_assert_true (peel_node_get_has_image (restored));
  g_assert_false (peel_node_get_region (restored, NULL));
  peel_store_close_session (other, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Peel/RegionTurn/region-edit", Fixture, NULL,
              fixture_set_up, test_region_edit, fixture_tear_down);
  g_test_add ("/Peel/RegionTurn/export-restore", Fixture, NULL,
              fixture_set_up, test_export_restore, fixture_tear_down);
  g_test_add ("/Peel/RegionTurn/refused", Fixture, NULL,
              fixture_set_up, test_region_refused, fixture_tear_down);
  g_test_add ("/Peel/RegionTurn/send-with-marks", Fixture, NULL,
              fixture_set_up, test_send_with_marks, fixture_tear_down);

  return g_test_run ();
}
