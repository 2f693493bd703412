/* test-generation.c
 *
 * A session driven through real generations against the demo server on loopback: new images,
 * edits that carry their signed context, branches, failures kept with their reason, and all of
 * it still there after the session is reopened from disk.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "peel-demo-server.h"
#include "peel-export.h"
#include "peel-gemini-error.h"
#include "peel-generation.h"
#include "peel-store.h"
#include "peel-store-private.h"

typedef struct
{
  char             *dir;
  PeelDemoServer   *server;
  PeelGeminiClient *client;
  PeelSession      *session;
  GMainLoop        *loop;
  GAsyncResult     *result;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;

  f->dir = g_dir_make_tmp ("peel-generation-XXXXXX", &error);
  g_assert_no_error (error);

  f->server = peel_demo_server_new ();
  g_assert_true (peel_demo_server_start (f->server, 0, &error));
  g_assert_no_error (error);

  provider = peel_provider_new ("demo", peel_demo_server_get_base_url (f->server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  f->client = peel_gemini_client_new (provider, "demo-key");
  peel_gemini_client_set_backoff (f->client, 0.01, 0.05);

  f->session = peel_store_create_session (f->dir, "Lighthouse study", &error);
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (f->dir);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->session != NULL)
    peel_store_close_session (f->session, NULL);
  g_clear_object (&f->session);
  g_clear_object (&f->client);
  peel_demo_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static PeelNode *
generate (Fixture     *f,
          PeelNode    *parent,
          const char  *prompt,
          const char  *ratio,
          PeelImageSize size,
          gboolean     thoughts,
          PeelGeneration **out_generation,
          GError     **error)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (f->session, f->client);
  PeelTurnSpec spec = { 0 };
  PeelNode *node;

  spec.prompt = prompt;
  spec.aspect_ratio = ratio;
  spec.size = size;
  spec.model = PEEL_DEFAULT_MODEL;
  spec.options.include_thoughts = thoughts;
  spec.options.thinking_level = thoughts ? PEEL_THINKING_HIGH : PEEL_THINKING_DEFAULT;

  peel_generation_run_async (generation, parent, &spec, TRUE, NULL, run_cb, f);
  /* The pending node is in the session at once, before any byte came back. */
  if (peel_generation_get_node (generation) != NULL)
    g_assert_cmpint (peel_node_get_status (peel_generation_get_node (generation)), ==,
                     PEEL_NODE_PENDING);
  g_main_loop_run (f->loop);

  node = peel_generation_run_finish (generation, f->result, error);
  g_clear_object (&f->result);
  if (out_generation != NULL)
    *out_generation = g_steal_pointer (&generation);
  return node;
}

static void
test_text_to_image (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeneration) generation = NULL;
  g_autoptr(PeelNode) node = NULL;

  node = generate (f, NULL, "a lighthouse at dusk", "21:9", PEEL_IMAGE_SIZE_2K, TRUE,
                   &generation, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_DONE);
  g_assert_true (peel_node_get_has_image (node));
  g_assert_cmpint (peel_node_get_final_width (node), ==, 3168);
  g_assert_cmpint (peel_node_get_final_height (node), ==, 1344);
  g_assert_true (peel_session_get_current (f->session) == node);

  /* What streamed in while it worked: thoughts and at least one image to preview. */
  g_assert_cmpstr (peel_generation_get_thoughts (generation), !=, "");
  g_assert_nonnull (peel_generation_get_preview (generation));
  g_assert_cmpfloat (peel_node_get_cost (node), >, 0);
}

static void
test_edit_and_branch (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(PeelNode) edit2 = NULL;
  g_autoptr(PeelNode) branch = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autofree char *path = NULL;
  const char *body;

  root = generate (f, NULL, "a lighthouse", "16:9", PEEL_IMAGE_SIZE_512, TRUE, NULL, &error);
  g_assert_no_error (error);

  /* The demo server refuses a model turn whose signatures it did not issue, so a successful
   * edit proves the branch's context went back with its signatures intact. */
  edit = generate (f, root, "make the sky orange", "16:9", PEEL_IMAGE_SIZE_512, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (peel_node_get_parent (edit) == root);

  edit2 = generate (f, edit, "add a boat", "16:9", PEEL_IMAGE_SIZE_512, FALSE, NULL, &error);
  g_assert_no_error (error);

  request = peel_demo_server_dup_last_request_body (f->server);
  body = g_bytes_get_data (request, NULL);
  g_assert_nonnull (g_strstr_len (body, g_bytes_get_size (request), "\"make the sky orange\""));
  g_assert_nonnull (g_strstr_len (body, g_bytes_get_size (request), "\"a lighthouse\""));
  g_assert_nonnull (g_strstr_len (body, g_bytes_get_size (request), "thoughtSignature"));
  /* Thoughts are not sent back: they cost tokens and the API does not need them. */
  g_assert_null (g_strstr_len (body, g_bytes_get_size (request), "\"thought\":true"));

  /* Going back to the first image and asking for something else starts a branch. */
  branch = generate (f, root, "sunny, pastel", "16:9", PEEL_IMAGE_SIZE_512, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (peel_node_get_children (root)), ==, 2);

  path = g_strdup (peel_store_get_path (peel_session_get_store (f->session)));
  g_assert_true (peel_store_close_session (f->session, &error));
  g_assert_no_error (error);
  g_clear_object (&f->session);

  f->session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (f->session), ==, 4);
  g_assert_nonnull (peel_session_find_node (f->session, peel_node_get_id (edit2)));
}

static void
test_failure_is_kept (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) failed = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  PeelNode *kept = NULL;

  root = generate (f, NULL, "a lighthouse", "1:1", PEEL_IMAGE_SIZE_512, FALSE, NULL, &error);
  g_assert_no_error (error);

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_IMAGE_SAFETY);
  failed = generate (f, root, "something the filter refuses", "1:1", PEEL_IMAGE_SIZE_512,
                     FALSE, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED);

  nodes = peel_session_dup_nodes (f->session);
  for (guint i = 0; i < nodes->len; i++)
    if (peel_node_get_status (g_ptr_array_index (nodes, i)) == PEEL_NODE_FAILED)
      kept = g_ptr_array_index (nodes, i);

  g_assert_nonnull (kept);
  g_assert_cmpstr (peel_node_get_prompt (kept), ==, "something the filter refuses");
  g_assert_cmpstr (peel_node_get_error_code (kept), ==, "blocked");
  g_assert_cmpstr (peel_node_get_error_message (kept), ==, error->message);
  g_assert_true (peel_node_get_parent (kept) == root);
}

/* An exported PNG restored as a branch continues like any other: its last image, the PNG
 * itself, goes with the next turn. */
static void
test_continue_restored_png (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(PeelNode) next = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) request = NULL;
  PeelNode *restored;
  guint added = 0;
  const char *body;

  root = generate (f, NULL, "a lighthouse", "16:9", PEEL_IMAGE_SIZE_512, FALSE, NULL, &error);
  g_assert_no_error (error);
  edit = generate (f, root, "make the sky orange", "16:9", PEEL_IMAGE_SIZE_512, FALSE, NULL,
                   &error);
  g_assert_no_error (error);
  png = peel_export_node_png (edit, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);

  g_clear_object (&root);
  g_clear_object (&edit);
  g_assert_true (peel_store_close_session (f->session, &error));
  g_clear_object (&f->session);
  f->session = peel_store_create_session (f->dir, "Elsewhere", &error);
  g_assert_no_error (error);

  restored = peel_session_import_png (f->session, png, &added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 2);

  next = generate (f, restored, "add a boat", "16:9", PEEL_IMAGE_SIZE_512, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (peel_node_get_has_image (next));
  g_assert_true (peel_node_get_parent (next) == restored);

  request = peel_demo_server_dup_last_request_body (f->server);
  body = g_bytes_get_data (request, NULL);
  g_assert_nonnull (g_strstr_len (body, g_bytes_get_size (request), "\"add a boat\""));
  g_assert_nonnull (g_strstr_len (body, g_bytes_get_size (request), "inlineData"));
}

/* A session that cannot be written is found out before anything is sent: no request, no
 * pending turn, an error that says nothing was paid for. Its blobs folder is swapped for a
 * file, which stops root as well as anyone. */
static void
test_unwritable_checked_first (Fixture       *f,
                               gconstpointer  data)
{
  PeelStore *store = peel_session_get_store (f->session);
  g_autofree char *blobs = g_strdup (peel_store_get_blob_dir (store));
  g_autofree char *aside = g_strconcat (blobs, ".aside", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeneration) generation = NULL;
  g_autoptr(PeelNode) node = NULL;
  guint requests = peel_demo_server_get_request_count (f->server);
  guint nodes = peel_session_get_n_nodes (f->session);

  g_assert_cmpint (g_rename (blobs, aside), ==, 0);
  g_assert_true (g_file_set_contents (blobs, "not a folder", -1, NULL));

  node = generate (f, NULL, "a lighthouse at dusk", "1:1", PEEL_IMAGE_SIZE_512, FALSE,
                   &generation, &error);
  g_assert_null (node);
  g_assert_error (error, PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_CANNOT_SAVE);
  g_assert_nonnull (strstr (error->message, "cannot take a new turn now, so nothing was sent and nothing was paid for"));
  g_assert_cmpuint (peel_demo_server_get_request_count (f->server), ==, requests);
  g_assert_null (peel_generation_get_node (generation));
  g_assert_cmpuint (peel_session_get_n_nodes (f->session), ==, nodes);

  /* Put right, the same session takes the turn. */
  g_assert_cmpint (g_unlink (blobs), ==, 0);
  g_assert_cmpint (g_rename (aside, blobs), ==, 0);
  g_clear_object (&generation);
  g_clear_error (&error);
  node = generate (f, NULL, "a lighthouse at dusk", "1:1", PEEL_IMAGE_SIZE_512, FALSE,
                   &generation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_demo_server_get_request_count (f->server), ==, requests + 1);
}

/* What the offline demo drew is exported as the demo's, not as the real model's work. */
static void
test_demo_export_records_demo (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GHashTable) meta = NULL;
  const char *lineage;

  root = generate (f, NULL, "a lighthouse", "1:1", PEEL_IMAGE_SIZE_512, FALSE, NULL, &error);
  g_assert_no_error (error);
  edit = generate (f, root, "make it red", "1:1", PEEL_IMAGE_SIZE_512, FALSE, NULL, &error);
  g_assert_no_error (error);
  png = peel_export_node_png (edit, PEEL_EXPORT_DEFAULT, &error);
  g_assert_no_error (error);
  meta = peel_export_read_metadata (png, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (g_hash_table_lookup (meta, "peel:model"), ==, "peel-demo");
  g_assert_nonnull (strstr (g_hash_table_lookup (meta, "parameters"), "Model: peel-demo,"));
  lineage = g_hash_table_lookup (meta, "peel:lineage");
  g_assert_nonnull (strstr (lineage, "\"model\":\"peel-demo\""));
  g_assert_null (strstr (lineage, PEEL_DEFAULT_MODEL));
}

static void
disk_fills_cb (PeelDemoServer *server,
               const char     *path,
               gpointer        user_data)
{
  _peel_store_set_io_error (ENOSPC);
}

/* The disk fills while the answer is on its way: the paid image is kept in the cache, and the
 * error says where. */
static void
test_unsaved_kept (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeneration) generation = NULL;
  g_autoptr(PeelNode) node = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "peel", "unsaved", NULL);
  g_autofree char *contents = NULL;
  const char *kept;
  gsize len = 0;
  gulong handler;

  handler = g_signal_connect (f->server, "request-received", G_CALLBACK (disk_fills_cb), NULL);
  node = generate (f, NULL, "a lighthouse at dusk", "1:1", PEEL_IMAGE_SIZE_512, FALSE,
                   &generation, &error);
  _peel_store_set_io_error (0);
  g_signal_handler_disconnect (f->server, handler);
  g_test_message ("%s", error ? error->message : "(no error)");

  g_assert_null (node);
  g_assert_error (error, PEEL_GENERATION_ERROR, PEEL_GENERATION_ERROR_NOT_SAVED);
  kept = peel_generation_get_unsaved_path (generation);
  g_assert_nonnull (kept);
  g_assert_true (g_str_has_prefix (kept, dir));
  g_assert_nonnull (strstr (error->message, kept));
  g_assert_nonnull (strstr (error->message, "The disk is full"));
  g_assert_true (g_file_get_contents (kept, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpint (g_unlink (kept), ==, 0);
}

static GPtrArray *
make_references (guint n)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 16);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *png = NULL;
      gsize len = 0;

      gdk_pixbuf_fill (pixbuf, 0x10203000u + (i << 8));
      g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", NULL, NULL));
      bytes = g_bytes_new_take (g_steal_pointer (&png), len);
      g_ptr_array_add (parts, peel_part_new_image ("image/png", bytes, FALSE));
    }
  return parts;
}

static PeelNode *
generate_with_references (Fixture     *f,
                          PeelNode    *parent,
                          const char  *prompt,
                          guint        n_references,
                          GError     **error)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (f->session, f->client);
  g_autoptr(GPtrArray) references = make_references (n_references);
  PeelTurnSpec spec = { 0 };
  PeelNode *node;

  spec.prompt = prompt;
  spec.references = references;
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_512;
  spec.model = "gemini-3.1-flash-image";
  peel_generation_run_async (generation, parent, &spec, FALSE, NULL, run_cb, f);
  g_main_loop_run (f->loop);
  node = peel_generation_run_finish (generation, f->result, error);
  g_clear_object (&f->result);
  return node;
}

static guint
count_user_images (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *contents;
  guint n = 0;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), NULL));
  contents = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "contents");
  for (guint i = 0; i < json_array_get_length (contents); i++)
    {
      JsonObject *turn = json_array_get_object_element (contents, i);
      JsonArray *parts = json_object_get_array_member (turn, "parts");

      if (g_strcmp0 (json_object_get_string_member (turn, "role"), "user") != 0)
        continue;
      for (guint p = 0; p < json_array_get_length (parts); p++)
        if (json_object_has_member (json_array_get_object_element (parts, p), "inlineData"))
          n++;
    }
  return n;
}

/* A branch that holds more of the user's images than the model takes (14): the oldest are left
 * out, the new turn's all go, and the node says which were left out, also once reopened.
 * Before the budget every further edit failed with "Too many input images". */
static void
test_image_budget (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelNode) root = NULL;
  g_autoptr(PeelNode) edit = NULL;
  g_autoptr(PeelNode) next = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (f->session)));
  g_autofree char *id = NULL;
  const char *note;

  root = generate_with_references (f, NULL, "a lighthouse on a rock", 8, &error);
  g_assert_no_error (error);
  edit = generate_with_references (f, root, "add these boats", 6, &error);
  g_assert_no_error (error);
  g_assert_null (peel_node_get_context_note (edit));

  next = generate_with_references (f, edit, "and these gulls", 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  body = peel_demo_server_dup_last_request_body (f->server);
  g_assert_cmpuint (count_user_images (body), ==, 14);
  /* The new turn's three went: the last user turn of the request holds them. */
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "\"and these gulls\""));

  note = peel_node_get_context_note (next);
  g_test_message ("%s", note);
  g_assert_cmpstr (note, ==, "3 of your earlier images were left out, to stay within the 14 "
                             "input images Nano Banana 2 takes: 3 from turn 1 (“a lighthouse on "
                             "a rock”).");

  /* Kept with the node. */
  id = g_strdup (peel_node_get_id (next));
  g_clear_object (&root);
  g_clear_object (&edit);
  g_clear_object (&next);
  g_assert_true (peel_store_close_session (f->session, &error));
  g_clear_object (&f->session);
  f->session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_node_get_context_note (peel_session_get_node (f->session, id)), ==,
                   note != NULL ? "3 of your earlier images were left out, to stay within the "
                                  "14 input images Nano Banana 2 takes: 3 from turn 1 (“a "
                                  "lighthouse on a rock”)." : NULL);
}

static void
test_error_codes (void)
{
  g_autoptr(GError) prohibited = g_error_new_literal (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED,
                                                      "Google blocked the prompt "
                                                      "(PROHIBITED_CONTENT). Rephrase the prompt.");
  g_autoptr(GError) safety = g_error_new_literal (PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED,
                                                  "Google blocked the answer (IMAGE_SAFETY).");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

  /* A prohibited prompt is refused every time, so it is told apart from other blocks. */
  g_assert_cmpstr (peel_generation_error_code (prohibited), ==, "prohibited");
  g_assert_cmpstr (peel_generation_error_code (safety), ==, "blocked");
  g_assert_cmpstr (peel_generation_error_code (cancelled), ==, "cancelled");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("peel-generation-cache-XXXXXX", NULL);
  g_autofree char *peel = g_build_filename (cache, "peel", NULL);
  g_autofree char *unsaved = g_build_filename (peel, "unsaved", NULL);
  int status;

  /* Images kept after a failed save go under the cache: this test's own. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Peel/Generation/text-to-image", Fixture, NULL,
              fixture_set_up, test_text_to_image, fixture_tear_down);
  g_test_add ("/Peel/Generation/edit-and-branch", Fixture, NULL,
              fixture_set_up, test_edit_and_branch, fixture_tear_down);
  g_test_add ("/Peel/Generation/failure-is-kept", Fixture, NULL,
              fixture_set_up, test_failure_is_kept, fixture_tear_down);

  g_test_add ("/Peel/Generation/continue-restored-png", Fixture, NULL,
              fixture_set_up, test_continue_restored_png, fixture_tear_down);
  g_test_add ("/Peel/Generation/unwritable-checked-first", Fixture, NULL,
              fixture_set_up, test_unwritable_checked_first, fixture_tear_down);
  g_test_add ("/Peel/Generation/unsaved-kept", Fixture, NULL,
              fixture_set_up, test_unsaved_kept, fixture_tear_down);
  g_test_add ("/Peel/Generation/demo-export-records-demo", Fixture, NULL,
              fixture_set_up, test_demo_export_records_demo, fixture_tear_down);
  g_test_add ("/Peel/Generation/image-budget", Fixture, NULL,
              fixture_set_up, test_image_budget, fixture_tear_down);
  g_test_add_func ("/Peel/Generation/error-codes", test_error_codes);

  status = g_test_run ();
  g_rmdir (unsaved);
  g_rmdir (peel);
  g_rmdir (cache);
  return status;
}
