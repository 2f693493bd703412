/* fuzz-store.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Opening a session folder whose files are hostile. The input up to its first NUL byte is
 * session.json (left out when empty); what follows the NUL, if there is one, is journal.jsonl.
 * The session that opens is read the way the history panel and a new turn read it. */

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "peel-session.h"
#include "peel-store.h"

int peel_fuzz_store (const guint8 *data, size_t size);

static char *fuzz_store_dir;

static void
write_or_remove (const char *name,
                 const char *data,
                 gsize       len,
                 gboolean    present)
{
  g_autofree char *path = g_build_filename (fuzz_store_dir, name, NULL);

  if (!present)
    {
      g_remove (path);
      return;
    }
  if (!g_file_set_contents (path, data, len, NULL))
    g_error ("cannot write %s", path);
}

static void
clear_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        clear_dir (child);
      g_remove (child);
    }
}

static void
read_node (PeelNode *node)
{
  g_autoptr(GPtrArray) branch = peel_session_dup_branch (node);
  g_autoptr(GPtrArray) history = peel_node_dup_history_parts (node);
  g_autofree char *text = peel_node_dup_text (node);
  g_autofree char *thoughts = peel_node_dup_thoughts (node);
  GListModel *children = peel_node_get_children (node);
  PeelTurnOptions options;
  gint64 a, b, c;

  g_assert_nonnull (branch);
  g_assert_cmpuint (branch->len, >=, 1);
  g_assert_true (g_ptr_array_index (branch, branch->len - 1) == node);
  peel_fuzz_check_utf8 (peel_node_get_display_title (node));
  peel_fuzz_check_utf8 (peel_node_get_prompt (node));
  (void) peel_node_get_aspect_ratio (node);
  (void) peel_node_get_model (node);
  (void) peel_node_get_size (node);
  (void) peel_node_get_status (node);
  (void) peel_node_get_depth (node);
  (void) peel_node_get_final_blob (node);
  (void) peel_node_get_final_image (node);
  (void) peel_node_get_error_message (node);
  (void) peel_node_get_cost (node);
  (void) peel_node_get_search_queries (node);
  peel_node_get_options (node, &options);
  peel_node_get_usage (node, &a, &b, &c);
  if (children != NULL)
    (void) g_list_model_get_n_items (children);
}

int
peel_fuzz_store (const guint8 *data,
                 size_t        size)
{
  const guint8 *nul = memchr (data, '\0', size);
  gsize snapshot_len = nul != NULL ? (gsize) (nul - data) : size;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (fuzz_store_dir == NULL)
    {
      g_autofree char *base = g_dir_make_tmp ("peel-fuzz-store-XXXXXX", NULL);

      g_assert_nonnull (base);
      fuzz_store_dir = g_build_filename (base, "session", NULL);
    }
  clear_dir (fuzz_store_dir);
  g_mkdir_with_parents (fuzz_store_dir, 0700);

  write_or_remove ("session.json", (const char *) data, snapshot_len, snapshot_len > 0);
  write_or_remove ("journal.jsonl", nul != NULL ? (const char *) nul + 1 : "",
                   nul != NULL ? size - snapshot_len - 1 : 0, nul != NULL);

  session = peel_store_open_session (fuzz_store_dir, &error);
  if (session == NULL)
    {
      peel_fuzz_check_error (error);
      return 0;
    }
  g_assert_no_error (error);

  {
    g_autoptr(GPtrArray) nodes = peel_session_dup_nodes (session);
    GListModel *roots = peel_session_get_roots (session);
    GListModel *branch = peel_session_get_current_branch (session);
    g_autoptr(GListModel) found = peel_session_search (session, "a");

    peel_fuzz_check_utf8 (peel_session_get_name (session));
    g_assert_cmpuint (nodes->len, ==, peel_session_get_n_nodes (session));
    for (guint i = 0; i < nodes->len; i++)
      {
        PeelNode *node = g_ptr_array_index (nodes, i);

        read_node (node);
        g_assert_true (peel_session_get_node (session, peel_node_get_id (node)) == node);
      }
    (void) g_list_model_get_n_items (roots);
    (void) g_list_model_get_n_items (branch);
    (void) g_list_model_get_n_items (found);
  }

  /* What loaded must take a new turn and save, as the app does right after opening. */
  {
    g_autoptr(GError) turn_error = NULL;
    PeelTurnSpec spec = { .prompt = "fuzz", .aspect_ratio = "1:1", .size = PEEL_IMAGE_SIZE_512,
                          .model = "gemini-3.1-flash-image-preview" };
    PeelNode *node = peel_session_begin_turn (session, peel_session_get_current (session), &spec,
                                              &turn_error);

    if (node == NULL)
      peel_fuzz_check_error (turn_error);
    else if (!peel_session_fail_turn (session, node, "network", "fuzz", &turn_error))
      peel_fuzz_check_error (turn_error);
  }
  return 0;
}

PEEL_FUZZ_TARGET ("store", peel_fuzz_store)
