/* test-store.c
 *
 * Sessions on disk: everything a user made comes back byte for byte, images are stored once,
 * files are private, and every failure (damaged or too-new session.json, read-only folder,
 * full disk, a journal line torn by a crash) is reported without losing anything.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-session.h"
#include "peel-store.h"
#include "peel-session-private.h"
#include "peel-store-private.h"

static GBytes *
make_png (int     width,
          int     height,
          guint32 color)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, color);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL));
  return g_bytes_new_take (buffer, len);
}

static PeelNode *
generate_with (PeelSession  *session,
               PeelNode     *parent,
               const char   *prompt,
               GBytes       *image,
               GError      **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 peel_source_free);
  g_autoptr(GBytes) interim = make_png (16, 9, 0x999999ff);
  const char *queries[] = { "lighthouse at dusk", NULL };
  PeelTurnResult result = { 18, 1126, 310, 0.067, "STOP", NULL, sources, queries };
  g_autoptr(GError) begin_error = NULL;
  PeelPart *part;
  PeelNode *node;

  g_ptr_array_add (sources, peel_source_new ("Lighthouses", "https://example.org/l"));

  /* If saving the pending turn fails, completing it fails the same way: report that one. */
  node = peel_session_begin_turn (session, parent,
                                  &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = "16:9",
                                                    .size = PEEL_IMAGE_SIZE_2K },
                                  &begin_error);
  g_assert_nonnull (node);
  g_ptr_array_add (parts, peel_part_new_text ("**Planning** the scene", TRUE));
  g_ptr_array_add (parts, peel_part_new_image ("image/png", interim, TRUE));
  part = peel_part_new_text ("Here it is.", FALSE);
  peel_part_set_signature (part, "EqYCCqMCAdHtim9x/+==");
  g_ptr_array_add (parts, part);
  part = peel_part_new_image ("image/png", image, FALSE);
  peel_part_set_signature (part, "Ct4BAdHtim8KkZ_odd-padding=");
  g_ptr_array_add (parts, part);
  peel_session_complete_turn (session, node, parts, &result, error);
  return node;
}

static PeelNode *
generate (PeelSession *session,
          PeelNode    *parent,
          const char  *prompt,
          guint32      color)
{
  g_autoptr(GBytes) image = make_png (64, 36, color);
  g_autoptr(GError) error = NULL;
  PeelNode *node = generate_with (session, parent, prompt, image, &error);

  g_assert_no_error (error);
  return node;
}

static char *
sessions_dir (void)
{
  return peel_store_get_default_dir ();
}

static char *
session_file (PeelSession *session,
              const char  *name)
{
  return g_build_filename (peel_store_get_path (peel_session_get_store (session)), name, NULL);
}

static void
assert_same_node (PeelNode *a,
                  PeelNode *b)
{
  GPtrArray *pa = peel_node_get_parts (a);
  GPtrArray *pb = peel_node_get_parts (b);

  g_assert_cmpstr (peel_node_get_id (a), ==, peel_node_get_id (b));
  g_assert_cmpstr (peel_node_get_parent_id (a), ==, peel_node_get_parent_id (b));
  g_assert_cmpstr (peel_node_get_prompt (a), ==, peel_node_get_prompt (b));
  g_assert_cmpstr (peel_node_get_title (a), ==, peel_node_get_title (b));
  g_assert_cmpint (peel_node_get_status (a), ==, peel_node_get_status (b));
  g_assert_cmpint (peel_node_get_starred (a), ==, peel_node_get_starred (b));
  g_assert_cmpint (peel_node_get_hidden (a), ==, peel_node_get_hidden (b));
  g_assert_cmpstr (peel_node_get_aspect_ratio (a), ==, peel_node_get_aspect_ratio (b));
  g_assert_cmpint (peel_node_get_size (a), ==, peel_node_get_size (b));
  g_assert_cmpstr (peel_node_get_error_code (a), ==, peel_node_get_error_code (b));
  g_assert_cmpstr (peel_node_get_error_message (a), ==, peel_node_get_error_message (b));
  g_assert_cmpfloat (peel_node_get_cost (a), ==, peel_node_get_cost (b));
  g_assert_cmpint (peel_node_get_final_width (a), ==, peel_node_get_final_width (b));
  g_assert_cmpuint (pa->len, ==, pb->len);
  for (guint i = 0; i < pa->len; i++)
    {
      const PeelPart *x = g_ptr_array_index (pa, i);
      const PeelPart *y = g_ptr_array_index (pb, i);

      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpint (x->thought, ==, y->thought);
      g_assert_cmpstr (x->text, ==, y->text);
      g_assert_cmpstr (x->signature, ==, y->signature);
      g_assert_cmpstr (x->mime_type, ==, y->mime_type);
      if (x->kind == PEEL_PART_IMAGE)
        {
          g_autoptr(GBytes) bx = peel_node_dup_part_data (a, i, NULL);
          g_autoptr(GBytes) by = peel_node_dup_part_data (b, i, NULL);

          g_assert_nonnull (bx);
          g_assert_nonnull (by);
          g_assert_true (g_bytes_equal (bx, by));
        }
    }
}

static void
round_trip (guint compact_threshold)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *gone_id = NULL;
  g_autofree char *a_id = NULL;
  g_autofree char *b_id = NULL;
  PeelNode *root, *a, *b, *failed, *gone;
  GPtrArray *sources;

  session = peel_store_create_session (dir, "Lighthouse study", &error);
  g_assert_no_error (error);
  peel_store_set_compact_threshold (peel_session_get_store (session), compact_threshold);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));

  root = generate (session, NULL, "a lighthouse at dusk", 0xff0000ff);
  a = generate (session, root, "make the sky stormy", 0x00ff00ff);
  b = generate (session, a, "add a boat", 0x0000ffff);
  gone = generate (session, root, "sunny, pastel", 0x00ffffff);
  failed = peel_session_begin_turn (session, root,
                                    &(PeelTurnSpec) { .prompt = "blocked one",
                                                      .size = PEEL_IMAGE_SIZE_1K },
                                    &error);
  g_assert_true (peel_session_fail_turn (session, failed, "IMAGE_SAFETY",
                                         "The image was filtered out.", &error));
  g_assert_true (peel_session_set_starred (session, a, TRUE, &error));
  g_assert_true (peel_session_set_hidden (session, b, TRUE, &error));
  g_assert_true (peel_session_rename_node (session, root, "The original", &error));
  g_assert_true (peel_session_delete_branch (session, gone, &error));
  g_assert_true (peel_session_set_name (session, "Coast study", &error));
  peel_session_set_current (session, a);
  g_assert_no_error (error);

  before = peel_session_dup_nodes (session);
  gone_id = g_strdup (peel_node_get_id (gone));
  a_id = g_strdup (peel_node_get_id (a));
  b_id = g_strdup (peel_node_get_id (b));
  g_clear_object (&session);   /* no close: the journal alone must be enough */

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_session_get_name (again), ==, "Coast study");
  after = peel_session_dup_nodes (again);
  g_assert_cmpuint (after->len, ==, 4);
  g_assert_cmpuint (before->len, ==, after->len);
  for (guint i = 0; i < before->len; i++)
    assert_same_node (g_ptr_array_index (before, i), g_ptr_array_index (after, i));
  g_assert_null (peel_session_get_node (again, gone_id));
  g_assert_cmpstr (peel_node_get_id (peel_session_get_current (again)), ==, a_id);
  sources = peel_node_get_sources (peel_session_get_node (again, b_id));
  g_assert_cmpuint (sources->len, ==, 1);
  g_assert_cmpstr (((PeelSource *) sources->pdata[0])->uri, ==, "https://example.org/l");
  g_assert_cmpstr (peel_node_get_search_queries (peel_session_get_node (again, b_id))[0], ==,
                   "lighthouse at dusk");
}

static void
test_round_trip_journal (void)
{
  round_trip (1000);
}

static void
test_round_trip_compacted (void)
{
  /* Compacting every 3 lines exercises snapshot + journal together. */
  round_trip (3);
}

static void
test_lazy_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  PeelNode *node;
  const PeelPart *part;

  session = peel_store_create_session (dir, NULL, &error);
  g_assert_no_error (error);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  node = generate (session, NULL, "a fox", 0x123456ff);
  /* Saved bytes are released from memory once written, and come back from disk. */
  g_assert_true (peel_session_flush (session, &error));
  part = peel_node_get_final_image (node);
  g_assert_null (part->data);
  g_clear_object (&session);

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  node = peel_session_get_current (again);
  part = peel_node_get_final_image (node);
  g_assert_null (part->data);
  g_assert_cmpint (part->width, ==, 64);   /* known without reading the image */
  bytes = peel_node_dup_final_image_bytes (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
  history = peel_node_dup_history_parts (node);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_true (g_bytes_equal (((PeelPart *) history->pdata[1])->data, bytes));
}

static void
test_blobs_content_addressed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GBytes) image = make_png (40, 40, 0xabcdefff);
  g_autofree char *dir = sessions_dir ();
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  g_autofree char *name = g_strconcat (hash, ".png", NULL);
  g_autofree char *blob = NULL;
  g_autofree char *blobs = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDir) d = NULL;
  gsize len;
  guint n_files = 0;
  PeelNode *a, *b;

  session = peel_store_create_session (dir, NULL, &error);
  a = generate_with (session, NULL, "same", image, &error);
  b = generate_with (session, a, "same again", image, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_node_get_final_blob (a), ==, hash);
  g_assert_cmpstr (peel_node_get_final_blob (b), ==, hash);
  g_assert_true (peel_session_flush (session, &error));

  blobs = session_file (session, "blobs");
  blob = g_build_filename (blobs, name, NULL);
  g_assert_true (g_file_get_contents (blob, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (image, NULL), g_bytes_get_size (image));

  /* One final image shared by both turns, one interim image shared by both. */
  d = g_dir_open (blobs, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 2);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
test_permissions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *blobs = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;
  const char *files[] = { "session.json", "journal.jsonl", "meta.json" };

  session = peel_store_create_session (dir, NULL, &error);
  g_assert_no_error (error);
  generate (session, NULL, "private", 0x000000ff);
  g_assert_true (peel_session_flush (session, &error));

  assert_mode (peel_store_get_path (peel_session_get_store (session)), 0700);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *f = session_file (session, files[i]);

      assert_mode (f, 0600);
    }
  blobs = session_file (session, "blobs");
  assert_mode (blobs, 0700);
  d = g_dir_open (blobs, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *f = g_build_filename (blobs, name, NULL);

      assert_mode (f, 0600);
    }
}

static char *
make_session_with_orphan (PeelSession **out_session,
                          char        **out_snapshot)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = sessions_dir ();
  PeelSession *session;

  session = peel_store_create_session (dir, "Damaged", &error);
  g_assert_no_error (error);
  generate (session, NULL, "before the snapshot", 0x101010ff);
  g_assert_true (peel_store_close_session (session, &error));   /* now in session.json only */
  generate (session, NULL, "after the snapshot", 0x202020ff);  /* in the journal */
  *out_snapshot = session_file (session, "session.json");
  *out_session = session;
  return g_strdup (peel_store_get_path (peel_session_get_store (session)));
}

static void
test_damaged_snapshot (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) recovered = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *path = make_session_with_orphan (&session, &snapshot);
  g_autofree char *after = NULL;
  const char *garbage = "{\"format\": \"peel-session\", \"version\": 1, \"nodes\": [ {\"id\": tr";
  gsize len;

  g_clear_object (&session);
  g_assert_true (g_file_set_contents (snapshot, garbage, -1, NULL));

  g_assert_null (peel_store_open_session (path, &error));
  g_assert_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, snapshot));   /* says where the file is */
  g_clear_error (&error);

  recovered = peel_store_recover_session (path, &error);
  g_assert_no_error (error);
  /* The turn from the journal, and the image only the lost snapshot knew. */
  found = peel_session_search (recovered, "after the snapshot");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  g_clear_object (&found);
  found = peel_session_search (recovered, "Recovered image");
  g_assert_cmpuint (g_list_model_get_n_items (found), >=, 1);
  g_assert_cmpstr (peel_store_get_path (peel_session_get_store (recovered)), !=, path);

  /* The damaged file was never overwritten. */
  g_assert_true (g_file_get_contents (snapshot, &after, &len, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

static void
test_unknown_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *path = make_session_with_orphan (&session, &snapshot);
  g_autofree char *newer = NULL;
  g_autofree char *after = NULL;
  g_autoptr(PeelSession) recovered = NULL;

  g_clear_object (&session);
  newer = g_strdup ("{\"format\": \"peel-session\", \"version\": 99, \"nodes\": [], "
                    "\"shinyNewThing\": true}");
  g_assert_true (g_file_set_contents (snapshot, newer, -1, NULL));

  g_assert_null (peel_store_open_session (path, &error));
  g_assert_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_UNKNOWN_VERSION);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);
  recovered = peel_store_recover_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (recovered), >=, 2);

  g_assert_true (g_file_get_contents (snapshot, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, newer);
}

static gboolean
chmod_blocks_writes (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "probe", NULL);
  gboolean blocked;

  g_chmod (dir, 0500);
  blocked = !g_file_set_contents (probe, "x", 1, NULL);
  g_unlink (probe);
  g_chmod (dir, 0700);
  return blocked;
}

static void
save_failed_cb (PeelSession  *session,
                const GError *error,
                GError      **out)
{
  g_clear_error (out);
  *out = g_error_copy (error);
}

static void
unwritable (int errno_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autoptr(GBytes) image = make_png (50, 20, 0x445566ff);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  g_autofree char *blobs = NULL;
  g_autofree char *id = NULL;
  gboolean use_chmod;
  PeelNode *node;

  session = peel_store_create_session (dir, NULL, &error);
  g_assert_no_error (error);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  blobs = session_file (session, "blobs");
  generate (session, NULL, "saved before", 0x111111ff);
  g_assert_true (peel_session_flush (session, &error));

  /* As root, chmod does not stop writes, so the failure is injected at the system call. */
  use_chmod = errno_value == EROFS && chmod_blocks_writes (path);
  if (use_chmod)
    {
      g_chmod (blobs, 0500);
      g_chmod (path, 0500);
    }
  else
    _peel_store_set_io_error (errno_value);

  /* Writing happens in the background: the turn is recorded at once, the failure comes
   * from peel_session_flush(). */
  node = generate_with (session, peel_session_get_current (session), "paid for", image, &error);
  g_assert_nonnull (node);
  g_assert_no_error (error);
  g_assert_false (peel_session_flush (session, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, errno_value == ENOSPC ? "full" : "read-only"));
  g_clear_error (&error);

  /* Nothing dropped: the node, its answer and its image are all still here. */
  id = g_strdup (peel_node_get_id (node));
  g_assert_true (peel_node_get_unsaved (node));
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_DONE);
  bytes = peel_node_dup_final_image_bytes (node, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, image));

  /* With nobody waiting, as in the window, the session says why when the write fails. */
  g_signal_connect (session, "save-failed", G_CALLBACK (save_failed_cb), &save_error);
  g_assert_true (peel_session_set_starred (session, node, TRUE, &error));
  g_assert_no_error (error);
  while (save_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (save_error->message, errno_value == ENOSPC ? "full" : "read-only"));
  g_assert_true (peel_node_get_unsaved (node));

  if (use_chmod)
    {
      g_chmod (path, 0700);
      g_chmod (blobs, 0700);
    }
  else
    _peel_store_set_io_error (0);

  g_assert_true (peel_session_flush (session, &error));
  g_assert_no_error (error);
  g_assert_false (peel_node_get_unsaved (node));
  g_clear_object (&session);

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  node = peel_session_get_node (again, id);
  g_assert_nonnull (node);
  g_assert_true (peel_node_get_starred (node));
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = peel_node_dup_final_image_bytes (node, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, image));
}

static void
test_read_only_folder (void)
{
  unwritable (EROFS);
}

static void
test_full_disk (void)
{
  unwritable (ENOSPC);
}

static void
test_torn_journal_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autoptr(PeelSession) third = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *added = NULL;
  FILE *f;

  session = peel_store_create_session (dir, NULL, &error);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  journal = session_file (session, "journal.jsonl");
  generate (session, NULL, "one", 0x111111ff);
  generate (session, peel_session_get_current (session), "two", 0x222222ff);
  g_clear_object (&session);

  /* A crash in the middle of write(): half a line, no newline. */
  f = fopen (journal, "a");
  fputs ("{\"op\":\"node\",\"seq\":99,\"node\":{\"id\":\"deadbeef\",\"prompt\":\"thr", f);
  fclose (f);

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (again), ==, 2);

  /* The next line must not be glued to the torn one. */
  added = g_strdup (peel_node_get_id (generate (again, NULL, "three", 0x333333ff)));
  g_clear_object (&again);
  third = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (third), ==, 3);
  g_assert_nonnull (peel_session_get_node (third, added));
}

static void
test_interrupted_turn (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  PeelNode *node;

  session = peel_store_create_session (dir, NULL, &error);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  node = peel_session_begin_turn (session, NULL,
                                  &(PeelTurnSpec) { .prompt = "never answered",
                                                    .aspect_ratio = "1:1",
                                                    .size = PEEL_IMAGE_SIZE_1K },
                                  &error);
  id = g_strdup (peel_node_get_id (node));
  g_clear_object (&session);

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  node = peel_session_get_node (again, id);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_FAILED);
  g_assert_cmpstr (peel_node_get_error_code (node), ==, "INTERRUPTED");
  g_assert_cmpstr (peel_node_get_prompt (node), ==, "never answered");
}

static void
test_sessions_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) a = NULL;
  g_autoptr(PeelSession) b = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(PeelSession) copy = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "list-test", NULL);
  g_autofree char *dup = NULL;
  g_autofree char *thumb = NULL;
  g_autofree char *resolved = NULL;
  PeelSessionInfo *info;

  a = peel_store_create_session (dir, "Alpha", &error);
  generate (a, NULL, "one", 0x111111ff);
  b = peel_store_create_session (dir, "Beta", &error);
  generate (b, NULL, "one", 0x222222ff);
  generate (b, peel_session_get_current (b), "two", 0x333333ff);
  g_assert_no_error (error);
  /* The list reads meta.json, which the writer thread replaces after each change. */
  g_assert_true (peel_session_flush (a, &error));
  g_assert_true (peel_session_flush (b, &error));

  list = peel_store_list_sessions (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  info = g_ptr_array_index (list, 0);   /* last changed first */
  g_assert_cmpstr (info->name, ==, "Beta");
  g_assert_cmpuint (info->n_nodes, ==, 2);
  g_assert_nonnull (info->thumbnail);
  thumb = peel_store_ensure_thumbnail_for_blob (info->path, info->image, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (thumb, ==, info->thumbnail);
  g_assert_true (g_file_test (thumb, G_FILE_TEST_EXISTS));

  resolved = peel_store_resolve_session (info->path, &error);
  g_assert_cmpstr (resolved, ==, info->path);

  dup = peel_store_duplicate_session (info->path, &error);
  g_assert_no_error (error);
  copy = peel_store_open_session (dup, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_session_get_name (copy), ==, "Beta (copy)");
  g_assert_cmpuint (peel_session_get_n_nodes (copy), ==, 2);
  g_assert_cmpstr (peel_session_get_id (copy), !=, peel_session_get_id (b));
  g_clear_object (&copy);

  g_assert_true (peel_store_delete_session (dup, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dup, G_FILE_TEST_EXISTS));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = peel_store_list_sessions (dir, &error);
  g_assert_cmpuint (list->len, ==, 2);
}

static void
test_archive_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) imported = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *archive = g_build_filename (g_get_tmp_dir (), "study.peel", NULL);
  g_autofree char *bad = g_build_filename (g_get_tmp_dir (), "bad.peel", NULL);
  g_autofree char *path = NULL;
  PeelNode *root;

  session = peel_store_create_session (dir, "Packed", &error);
  root = generate (session, NULL, "one", 0x111111ff);
  generate (session, root, "two", 0x222222ff);
  g_assert_true (peel_session_flush (session, &error));
  g_assert_true (peel_store_export_archive (peel_store_get_path (peel_session_get_store (session)),
                                            archive, &error));
  g_assert_no_error (error);

  path = peel_store_import_archive (archive, dir, &error);
  g_assert_no_error (error);
  imported = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_session_get_name (imported), ==, "Packed");
  before = peel_session_dup_nodes (session);
  after = peel_session_dup_nodes (imported);
  g_assert_cmpuint (before->len, ==, after->len);
  for (guint i = 0; i < before->len; i++)
    assert_same_node (g_ptr_array_index (before, i), g_ptr_array_index (after, i));

  g_assert_true (g_file_set_contents (bad, "PEELARCH\0\0\0\1\0\0\0\x10../../etc/passwd", 28, NULL));
  g_assert_null (peel_store_import_archive (bad, dir, &error));
  g_assert_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_ARCHIVE);
}

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = peel_store_ensure_thumbnail_finish (PEEL_STORE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_thumbnail (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GBytes) image = make_png (1024, 512, 0xff8800ff);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  gsize len;
  int width, height;
  PeelNode *node;

  session = peel_store_create_session (dir, NULL, &error);
  node = generate_with (session, NULL, "wide", image, &error);
  g_assert_no_error (error);
  peel_store_ensure_thumbnail_async (peel_session_get_store (session), node, NULL,
                                     thumbnail_cb, &path);
  while (path == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_assert_true (peel_image_bytes_get_size (bytes, "image/png", &width, &height));
  g_assert_cmpint (width, ==, 256);
  g_assert_cmpint (height, ==, 128);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_store_prepare_parts_finish (PEEL_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_prepare_parts_and_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) image = make_png (30, 30, 0x0f0f0fff);
  g_autoptr(GBytes) kept_image = make_png (31, 31, 0x0e0e0eff);
  g_autofree char *dir = sessions_dir ();
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  g_autofree char *kept_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, kept_image);
  g_autofree char *name = g_strconcat ("blobs/", hash, ".png", NULL);
  g_autofree char *kept_name = g_strconcat ("blobs/", kept_hash, ".png", NULL);
  g_autofree char *blob = NULL;
  g_autofree char *kept_blob = NULL;
  gboolean done = FALSE;
  PeelNode *root, *node;

  session = peel_store_create_session (dir, NULL, &error);
  blob = session_file (session, name);
  kept_blob = session_file (session, kept_name);
  root = generate_with (session, NULL, "kept", kept_image, &error);
  g_assert_no_error (error);

  /* The heavy write happens in a thread before the turn is recorded. */
  g_ptr_array_add (parts, peel_part_new_image ("image/png", image, FALSE));
  peel_store_prepare_parts_async (peel_session_get_store (session), parts, NULL, prepared_cb,
                                  &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_test (blob, G_FILE_TEST_EXISTS));
  node = peel_session_begin_turn (session, root,
                                  &(PeelTurnSpec) { .prompt = "thrown away",
                                                    .size = PEEL_IMAGE_SIZE_1K },
                                  &error);
  g_assert_true (peel_session_complete_turn (session, node, parts, NULL, &error));
  g_assert_no_error (error);

  /* Deleted but still undeletable: the image stays. */
  g_assert_true (peel_session_delete_branch (session, node, &error));
  g_assert_true (peel_store_close_session (session, &error));
  g_assert_true (g_file_test (blob, G_FILE_TEST_EXISTS));

  /* Once the session is reopened the deletion is final, and closing removes the image. */
  {
    g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
    g_autoptr(PeelSession) again = NULL;

    g_clear_object (&session);
    again = peel_store_open_session (path, &error);
    g_assert_no_error (error);
    g_assert_true (peel_store_close_session (again, &error));
    g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (kept_blob, G_FILE_TEST_EXISTS));
  }
}

static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (src, G_FILE_TEST_IS_DIR))
        {
          copy_tree (src, dst);
          continue;
        }
      g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (dst, contents, len, NULL));
    }
}

/* A session written by format 1, kept in tests/data: if this fails, the format changed and
 * sessions people already have would not open. Its journal also holds a line the snapshot
 * already contains (a delete that must not be replayed) and a torn last line. */
static void
test_format_v1_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *fixture = g_build_filename (TEST_DATA_DIR, "sessions", "v1-sample", NULL);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "v1-sample", NULL);
  g_autofree char *hash = NULL;
  g_autofree char *thoughts = NULL;
  GPtrArray *parts;
  PeelNode *root, *failed, *sunny;

  copy_tree (fixture, path);
  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_session_get_name (session), ==, "Format v1 sample");
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 3);
  g_assert_null (peel_session_get_node (session, "deadbeef"));

  root = peel_session_get_node (session, "74d539fb");
  g_assert_nonnull (root);
  g_assert_cmpstr (peel_node_get_prompt (root), ==, "a lighthouse at dusk");
  parts = peel_node_get_parts (root);
  g_assert_cmpuint (parts->len, ==, 3);
  g_assert_cmpstr (((PeelPart *) parts->pdata[1])->signature, ==, "EqYCCqMCAdHtim9x/+Q==");
  g_assert_cmpstr (((PeelPart *) parts->pdata[2])->signature, ==, "Ct4BAdHtim8KkZ==");
  thoughts = peel_node_dup_thoughts (root);
  g_assert_cmpstr (thoughts, ==, "Composing the scene");
  g_assert_cmpint (peel_node_get_final_width (root), ==, 32);
  bytes = peel_node_dup_final_image_bytes (root, &error);
  g_assert_no_error (error);
  hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_assert_cmpstr (hash, ==, peel_node_get_final_blob (root));

  failed = peel_session_get_node (session, "4d92e811");
  g_assert_cmpint (peel_node_get_status (failed), ==, PEEL_NODE_FAILED);
  g_assert_cmpstr (peel_node_get_error_code (failed), ==, "RATE_LIMITED");
  sunny = peel_session_get_node (session, "c3c68865");
  g_assert_true (peel_node_get_starred (sunny));
  g_assert_true (peel_session_get_current (session) == sunny);
  g_assert_cmpuint (g_list_model_get_n_items (peel_node_get_children (root)), ==, 2);
}

static GPtrArray *
snapshot_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

static gboolean
lines_contain (GPtrArray  *lines,
               const char *line)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (g_ptr_array_index (lines, i), line))
      return TRUE;
  return FALSE;
}

/* A session opened from its snapshot makes its turns when they are reached, and behaves in
 * every way as one read whole: children complete and in order, lookups by id and prefix,
 * search, delete and undelete, new turns, and a snapshot written again from it. */
static void
test_lazy_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autoptr(PeelSession) third = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  g_autofree char *snapshot = NULL;
  char *ids[5] = { NULL };
  g_autofree char *prefix = NULL;
  PeelNode *root, *a, *b, *c, *other, *node;
  GListModel *children;

  session = peel_store_create_session (dir, "Lazy", &error);
  g_assert_no_error (error);
  root = generate (session, NULL, "a lighthouse", 0xff0000ff);
  a = generate (session, root, "stormy sky", 0x00ff00ff);
  b = generate (session, a, "add a boat", 0x0000ffff);
  c = generate (session, root, "pastel morning", 0x00ffffff);
  other = generate (session, NULL, "a windmill\nat noon", 0xffff00ff);   /* stays one line */
  g_assert_true (peel_session_set_starred (session, c, TRUE, &error));
  peel_session_set_current (session, b);
  ids[0] = g_strdup (peel_node_get_id (root));
  ids[1] = g_strdup (peel_node_get_id (a));
  ids[2] = g_strdup (peel_node_get_id (b));
  ids[3] = g_strdup (peel_node_get_id (c));
  ids[4] = g_strdup (peel_node_get_id (other));
  before = peel_session_dup_nodes (session);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  snapshot = session_file (session, "session.json");
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);

  /* One turn a line, between the session's fields and the closing bracket. */
  lines = snapshot_lines (snapshot);
  g_assert_cmpuint (lines->len, ==, 1 + 5 + 1 + 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (lines, 0), "\"nodes\":["));
  for (guint i = 1; i <= 5; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, i), "{\"id\":\""));
  g_assert_cmpstr (g_ptr_array_index (lines, 6), ==, "]}");

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (again), ==, 5);
  node = peel_session_get_current (again);
  g_assert_cmpstr (peel_node_get_id (node), ==, ids[2]);
  g_assert_cmpstr (peel_node_get_prompt (peel_node_get_parent (node)), ==, "stormy sky");
  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_current_branch (again)), ==, 3);
  children = peel_node_get_children (peel_session_get_node (again, ids[0]));
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);
  node = g_list_model_get_item (children, 0);
  g_assert_cmpstr (peel_node_get_id (node), ==, ids[1]);   /* oldest first */
  g_object_unref (node);
  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_roots (again)), ==, 2);
  prefix = g_strndup (ids[4], 6);
  g_assert_cmpstr (peel_node_get_id (peel_session_find_node (again, prefix)), ==, ids[4]);
  found = peel_session_search (again, "PASTEL");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  after = peel_session_dup_nodes (again);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    assert_same_node (g_ptr_array_index (before, i), g_ptr_array_index (after, i));
  g_clear_pointer (&after, g_ptr_array_unref);

  /* Changes on top of it, then written out and read back. */
  g_assert_true (peel_session_delete_branch (again, peel_session_get_node (again, ids[1]),
                                             &error));
  g_assert_cmpuint (peel_session_get_n_nodes (again), ==, 3);
  g_assert_nonnull (peel_session_undelete (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (again), ==, 5);
  generate (again, peel_session_get_node (again, ids[3]), "more pastel", 0x777777ff);
  g_clear_pointer (&before, g_ptr_array_unref);
  before = peel_session_dup_nodes (again);
  g_assert_true (peel_store_close_session (again, &error));

  third = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (third), ==, 6);
  after = peel_session_dup_nodes (third);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    assert_same_node (g_ptr_array_index (before, i), g_ptr_array_index (after, i));
  g_assert_true (peel_node_get_starred (peel_session_get_node (third, ids[3])));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

/* A line damaged inside (its start still readable) costs that turn only: the others open,
 * the turn says what happened, and rewriting the snapshot keeps the line as it was. The
 * lines no one reached are copied byte for byte. */
static void
test_lazy_damaged_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) rewritten = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *damaged_id = NULL;
  g_autofree char *damaged_line = NULL;
  PeelNode *root, *bad, *good;
  char *prompt_at;

  session = peel_store_create_session (dir, "Damaged line", &error);
  g_assert_no_error (error);
  root = generate (session, NULL, "a lighthouse", 0xff0000ff);
  bad = generate (session, root, "the damaged one", 0x00ff00ff);
  generate (session, root, "the good one", 0x0000ffff);
  damaged_id = g_strdup (peel_node_get_id (bad));
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  snapshot = session_file (session, "session.json");
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);

  lines = snapshot_lines (snapshot);
  for (guint i = 0; i < lines->len; i++)
    {
      char *line = g_ptr_array_index (lines, i);

      if (strstr (line, "the damaged one") != NULL)
        {
          /* Cut the prompt's closing quote: the record no longer parses. */
          prompt_at = strstr (line, "the damaged one\"");
          prompt_at[strlen ("the damaged one")] = ' ';
          damaged_line = g_strdup (line);
        }
      g_string_append (text, line);
      if (i + 1 < lines->len)
        g_string_append_c (text, '\n');
    }
  g_assert_nonnull (damaged_line);
  g_assert_true (g_file_set_contents (snapshot, text->str, text->len, NULL));

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (again), ==, 3);
  bad = peel_session_get_node (again, damaged_id);
  g_assert_nonnull (bad);
  g_assert_cmpint (peel_node_get_status (bad), ==, PEEL_NODE_FAILED);
  g_assert_cmpstr (peel_node_get_error_code (bad), ==, "DAMAGED");
  good = peel_node_get_parent (bad);
  g_assert_nonnull (good);
  g_assert_cmpstr (peel_node_get_prompt (good), ==, "a lighthouse");
  g_assert_cmpuint (g_list_model_get_n_items (peel_node_get_children (good)), ==, 2);

  /* Written again: the damaged line as it was (with or without its comma), the others too. */
  g_assert_true (peel_store_compact (peel_session_get_store (again), &error));
  g_assert_no_error (error);
  rewritten = snapshot_lines (snapshot);
  for (guint i = 1; i + 2 < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *bare = g_strndup (line, strlen (line) - g_str_has_suffix (line, ","));
      g_autofree char *with_comma = g_strconcat (bare, ",", NULL);

      g_assert_true (lines_contain (rewritten, bare) || lines_contain (rewritten, with_comma));
    }
}

/* Parents that name each other (a damaged file) neither hang nor lose a turn. */
static void
test_lazy_parent_cycle (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "cycle-sample", NULL);
  g_autofree char *snapshot = g_build_filename (path, "session.json", NULL);
  const char *text =
    "{\"format\":\"peel-session\",\"version\":1,\"id\":\"cycle\",\"name\":\"Cycle\",\"seq\":3,"
    "\"current\":\"aaaaaaaa\",\"nodes\":[\n"
    "{\"id\":\"rrrrrrrr\",\"created\":1,\"status\":\"failed\",\"prompt\":\"root\"},\n"
    "{\"id\":\"aaaaaaaa\",\"parent\":\"bbbbbbbb\",\"created\":2,\"status\":\"failed\",\"prompt\":\"a\"},\n"
    "{\"id\":\"bbbbbbbb\",\"parent\":\"aaaaaaaa\",\"created\":3,\"status\":\"failed\",\"prompt\":\"b\"}\n"
    "]}\n";

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (snapshot, text, -1, NULL));
  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 3);
  g_assert_cmpstr (peel_node_get_prompt (peel_session_get_current (session)), ==, "a");
  all = peel_session_dup_nodes (session);
  g_assert_cmpuint (all->len, ==, 3);
}

static void
assert_same_sessions (PeelSession *a,
                      PeelSession *b)
{
  g_autoptr(GPtrArray) na = peel_session_dup_nodes (a);
  g_autoptr(GPtrArray) nb = peel_session_dup_nodes (b);

  g_assert_cmpuint (peel_session_get_n_nodes (a), ==, peel_session_get_n_nodes (b));
  g_assert_cmpuint (na->len, ==, nb->len);
  g_assert_cmpuint (na->len, ==, peel_session_get_n_nodes (a));
  for (guint i = 0; i < na->len; i++)
    assert_same_node (g_ptr_array_index (na, i), g_ptr_array_index (nb, i));
  g_assert_cmpstr (peel_node_get_id (peel_session_get_current (a)), ==,
                   peel_node_get_id (peel_session_get_current (b)));
}

/* session.idx, written with each snapshot, opens the session without reading its lines; the
 * same session read without it, with a stale one, or with a damaged one is the same tree. */
static void
test_lazy_index (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelSession) indexed = NULL;
  g_autoptr(PeelSession) scanned = NULL;
  g_autoptr(PeelSession) stale = NULL;
  g_autoptr(PeelSession) damaged = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  g_autofree char *index = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *text = NULL;
  gsize len;
  PeelNode *root, *a;

  session = peel_store_create_session (dir, "Indexed", &error);
  g_assert_no_error (error);
  root = generate (session, NULL, "a lighthouse", 0xff0000ff);
  a = generate (session, root, "stormy", 0x00ff00ff);
  generate (session, a, "a boat", 0x0000ffff);
  generate (session, root, "pastel", 0x00ffffff);
  generate (session, NULL, "a windmill", 0xffff00ff);
  peel_session_set_current (session, a);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  index = session_file (session, "session.idx");
  snapshot = session_file (session, "session.json");
  g_assert_true (peel_store_close_session (session, &error));
  g_assert_true (g_file_test (index, G_FILE_TEST_EXISTS));

  indexed = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_true (_peel_store_opened_from_index (peel_session_get_store (indexed)));
  g_assert_cmpuint (peel_session_get_n_nodes (indexed), ==, 5);
  g_assert_cmpstr (peel_node_get_prompt (peel_session_get_current (indexed)), ==, "stormy");
  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_roots (indexed)), ==, 2);

  /* Without it: the lines are scanned. */
  g_assert_true (g_file_get_contents (index, &bytes, &len, NULL));
  g_assert_cmpint (g_unlink (index), ==, 0);
  scanned = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_false (_peel_store_opened_from_index (peel_session_get_store (scanned)));
  assert_same_sessions (indexed, scanned);
  g_assert_true (peel_store_close_session (scanned, &error));   /* writes a new one */
  g_assert_true (g_file_test (index, G_FILE_TEST_EXISTS));

  /* An index of another snapshot (the one before) is not used. */
  g_assert_true (g_file_set_contents (index, bytes, len, NULL));
  stale = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_false (_peel_store_opened_from_index (peel_session_get_store (stale)));
  assert_same_sessions (indexed, stale);
  g_clear_object (&stale);

  /* An index whose records were damaged is refused by its checksum. */
  g_clear_pointer (&bytes, g_free);
  g_assert_true (peel_store_close_session (indexed, &error));
  g_assert_true (g_file_get_contents (index, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 64);
  memset (bytes + 48, 0xff, len - 48);
  g_assert_true (g_file_set_contents (index, bytes, len, NULL));
  damaged = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_false (_peel_store_opened_from_index (peel_session_get_store (damaged)));
  assert_same_sessions (indexed, damaged);

  /* The snapshot stays a plain JSON document that names its index. */
  g_assert_true (g_file_get_contents (snapshot, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"index\":\""));
}

/* Killed between switching to a new journal and writing the snapshot: both journals count. */
static void
test_compaction_cut_short (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autofree char *dir = sessions_dir ();
  g_autofree char *path = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *old = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *contents = NULL;

  session = peel_store_create_session (dir, NULL, &error);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  journal = session_file (session, "journal.jsonl");
  old = session_file (session, "journal.old.jsonl");
  snapshot = session_file (session, "session.json");
  generate (session, NULL, "one", 0x111111ff);
  generate (session, peel_session_get_current (session), "two", 0x222222ff);
  g_clear_object (&session);
  g_assert_cmpint (g_rename (journal, old), ==, 0);

  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 2);
  generate (session, peel_session_get_current (session), "three", 0x333333ff);
  g_clear_object (&session);

  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 3);
  g_assert_true (peel_store_close_session (session, &error));
  g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  g_clear_object (&session);

  session = peel_store_open_session (path, &error);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 3);

  /* Compaction in the background, every three lines. */
  peel_store_set_compact_threshold (peel_session_get_store (session), 3);
  for (guint i = 0; i < 7; i++)
    generate (session, peel_session_get_current (session), "more", 0x010101ff * (i + 4));
  g_assert_true (peel_store_compact (peel_session_get_store (session), &error));
  g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (snapshot, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"three\""));
  g_clear_object (&session);
  session = peel_store_open_session (path, &error);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Peel/Store/round-trip-journal", test_round_trip_journal);
  g_test_add_func ("/Peel/Store/round-trip-compacted", test_round_trip_compacted);
  g_test_add_func ("/Peel/Store/lazy-bytes", test_lazy_bytes);
  g_test_add_func ("/Peel/Store/blobs-content-addressed", test_blobs_content_addressed);
  g_test_add_func ("/Peel/Store/permissions", test_permissions);
  g_test_add_func ("/Peel/Store/damaged-snapshot", test_damaged_snapshot);
  g_test_add_func ("/Peel/Store/unknown-version", test_unknown_version);
  g_test_add_func ("/Peel/Store/read-only-folder", test_read_only_folder);
  g_test_add_func ("/Peel/Store/full-disk", test_full_disk);
  g_test_add_func ("/Peel/Store/torn-journal-line", test_torn_journal_line);
  g_test_add_func ("/Peel/Store/compaction-cut-short", test_compaction_cut_short);
  g_test_add_func ("/Peel/Store/interrupted-turn", test_interrupted_turn);
  g_test_add_func ("/Peel/Store/sessions-list", test_sessions_list);
  g_test_add_func ("/Peel/Store/archive-round-trip", test_archive_round_trip);
  g_test_add_func ("/Peel/Store/thumbnail", test_thumbnail);
  g_test_add_func ("/Peel/Store/format-v1-fixture", test_format_v1_fixture);
  g_test_add_func ("/Peel/Store/lazy-open", test_lazy_open);
  g_test_add_func ("/Peel/Store/lazy-damaged-line", test_lazy_damaged_line);
  g_test_add_func ("/Peel/Store/lazy-parent-cycle", test_lazy_parent_cycle);
  g_test_add_func ("/Peel/Store/lazy-index", test_lazy_index);
  g_test_add_func ("/Peel/Store/prepare-parts-and-garbage", test_prepare_parts_and_garbage);

  return g_test_run ();
}
