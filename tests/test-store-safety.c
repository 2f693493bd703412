/* test-store-safety.c
 *
 * Recovery that deletes nothing and files that are what they claim: images go to trash/ (not
 * unlinked) and only after a session was read whole; a blob that is a link, a FIFO, or holds
 * other bytes than its name says is neither shown nor sent.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-session.h"
#include "peel-store.h"
#include "peel-node-private.h"
#include "peel-session-private.h"
#include "peel-store-private.h"
#include "store-test-util.h"

static char *
blob_file (PeelSession *session,
           PeelNode    *node,
           const char  *folder)
{
  g_autofree char *name = g_strdup_printf ("%s.png", peel_node_get_final_blob (node));

  return g_build_filename (peel_store_get_path (peel_session_get_store (session)), folder, name,
                           NULL);
}

/* One damaged byte in one turn's line: that turn's image was deleted when the session
 * closed, although the line itself is kept. */
static void
test_damaged_line_keeps_image (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Damaged", &error);
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autofree char *snapshot = g_build_filename (path, "session.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *id = NULL;
  g_autofree char *start = NULL;
  PeelNode *root, *child;
  char *line, *mark;

  root = store_test_generate (session, NULL, "a lighthouse", 0x101010ff);
  child = store_test_generate (session, root, "stormy", 0x202020ff);
  id = g_strdup (peel_node_get_id (child));
  blob = blob_file (session, child, "blobs");
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);

  /* Break the record after its id, parent and created, so only that turn is damaged. */
  g_assert_true (g_file_get_contents (snapshot, &contents, NULL, NULL));
  start = g_strdup_printf ("{\"id\":\"%s\"", id);
  line = strstr (contents, start);
  g_assert_nonnull (line);
  mark = strstr (line, "\"status\"");
  g_assert_nonnull (mark);
  mark[1] = '\x01';
  g_assert_true (g_file_set_contents (snapshot, contents, -1, NULL));

  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_node_get_error_code (peel_session_get_node (session, id)), ==,
                   "DAMAGED");
  g_assert_true (peel_store_close_session (session, &error));
  g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));
}

/* Images no turn names go to trash/, stay there 30 days, and come back if a turn needs them. */
static void
test_trash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Trash", &error);
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autofree char *kept_blob = NULL, *gone_blob = NULL, *gone_trash = NULL, *kept_trash = NULL;
  g_autofree char *kept_id = NULL;
  g_autoptr(GBytes) bytes = NULL;
  struct timespec old[2] = { { 0, 0 }, { 0, 0 } };
  PeelNode *kept, *gone;

  kept = store_test_generate (session, NULL, "kept", 0x303030ff);
  gone = store_test_generate (session, NULL, "deleted", 0x404040ff);
  kept_id = g_strdup (peel_node_get_id (kept));
  kept_blob = blob_file (session, kept, "blobs");
  kept_trash = blob_file (session, kept, "trash");
  gone_blob = blob_file (session, gone, "blobs");
  gone_trash = blob_file (session, gone, "trash");
  g_assert_true (peel_session_delete_branch (session, gone, &error));
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);
  /* Still undeletable while that session was open: kept. */
  g_assert_true (g_file_test (gone_blob, G_FILE_TEST_IS_REGULAR));

  session = peel_store_open_session (path, &error);
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);
  g_assert_false (g_file_test (gone_blob, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (gone_trash, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (kept_blob, G_FILE_TEST_IS_REGULAR));

  /* A blob in the trash that a turn names comes back when it is read. */
  g_assert_cmpint (g_rename (kept_blob, kept_trash), ==, 0);
  session = peel_store_open_session (path, &error);
  bytes = peel_node_dup_final_image_bytes (peel_session_get_node (session, kept_id), &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_true (g_file_test (kept_blob, G_FILE_TEST_IS_REGULAR));

  /* After 30 days in the trash, gone. */
  old[0].tv_sec = old[1].tv_sec = time (NULL) - 31 * 24 * 3600;
  g_assert_cmpint (utimensat (AT_FDCWD, gone_trash, old, 0), ==, 0);
  g_assert_true (peel_store_close_session (session, &error));
  g_assert_false (g_file_test (gone_trash, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept_blob, G_FILE_TEST_IS_REGULAR));
}

/* A blob replaced by @replace is refused with a message containing @words, and none of the
 * replacement's bytes are read as the image, for showing or for sending. */
static void
check_refused (void      (*replace) (const char *blob,
                                     const char *dir),
               const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Hostile", &error);
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autofree char *blob = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  PeelNode *node;

  node = store_test_generate (session, NULL, "a lighthouse", 0x505050ff);
  id = g_strdup (peel_node_get_id (node));
  blob = blob_file (session, node, "blobs");
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);
  replace (blob, path);

  session = peel_store_open_session (path, &error);
  node = peel_session_get_node (session, id);
  bytes = peel_node_dup_final_image_bytes (node, &error);
  g_assert_null (bytes);
  g_assert_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_nonnull (strstr (error->message, id));
  g_clear_error (&error);
  /* What a continued branch would send. */
  sent = peel_node_dup_history_parts_full (node, &error);
  g_assert_null (sent);
  g_assert_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED);
}

static void
make_symlink (const char *blob,
              const char *dir)
{
  g_autofree char *secret = g_build_filename (dir, "..", "secret.txt", NULL);

  g_assert_true (g_file_set_contents (secret, "root:x:0:0:root:/root:/bin/bash\n", -1, NULL));
  g_assert_cmpint (g_unlink (blob), ==, 0);
  g_assert_cmpint (symlink (secret, blob), ==, 0);
}

static void
make_fifo (const char *blob,
           const char *dir)
{
  g_assert_cmpint (g_unlink (blob), ==, 0);
  g_assert_cmpint (mkfifo (blob, 0600), ==, 0);
}

static void
make_other_bytes (const char *blob,
                  const char *dir)
{
  g_autoptr(GBytes) other = store_test_png (64, 36, 0xff0000ff);

  g_assert_cmpint (g_unlink (blob), ==, 0);
  g_assert_true (g_file_set_contents (blob, g_bytes_get_data (other, NULL),
                                      g_bytes_get_size (other), NULL));
}

static void
test_symlink_blob (void)
{
  check_refused (make_symlink, "symbolic link");
}

static void
test_fifo_blob (void)
{
  check_refused (make_fifo, "not a regular file");
}

static void
test_blob_mismatch (void)
{
  check_refused (make_other_bytes, "SHA-256");
}

/* session.json gone, images there: it opened empty and the next close deleted every image. */
static void
test_missing_snapshot (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Lighthouse study", &error);
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autofree char *snapshot = g_build_filename (path, "session.json", NULL);
  g_autofree char *index = g_build_filename (path, "session.idx", NULL);
  g_autofree char *blob_a = NULL, *blob_b = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  PeelNode *a, *b;

  a = store_test_generate (session, NULL, "a lighthouse", 0x606060ff);
  b = store_test_generate (session, a, "stormy", 0x707070ff);
  blob_a = blob_file (session, a, "blobs");
  blob_b = blob_file (session, b, "blobs");
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);
  g_assert_cmpint (g_unlink (snapshot), ==, 0);
  g_unlink (index);

  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_session_get_name (session), ==, "Lighthouse study");
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 2);
  nodes = peel_session_dup_nodes (session);
  for (guint i = 0; i < nodes->len; i++)
    {
      g_autoptr(GBytes) bytes = peel_node_dup_final_image_bytes (g_ptr_array_index (nodes, i),
                                                                 &error);

      g_assert_no_error (error);
      g_assert_nonnull (bytes);
    }
  g_assert_true (g_file_test (snapshot, G_FILE_TEST_IS_REGULAR));
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);
  g_assert_true (g_file_test (blob_a, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (blob_b, G_FILE_TEST_IS_REGULAR));

  session = peel_store_open_session (path, &error);
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, 2);
}

/* "current" naming a turn the file does not hold: the next turn started a new root. */
static void
test_missing_current (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Current", &error);
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autofree char *snapshot = g_build_filename (path, "session.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *newest = NULL;
  g_auto(GStrv) pieces = NULL;
  PeelNode *root;

  root = store_test_generate (session, NULL, "a lighthouse", 0x808080ff);
  newest = g_strdup (peel_node_get_id (store_test_generate (session, root, "stormy",
                                                            0x909090ff)));
  peel_session_set_current (session, root);
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);

  g_assert_true (g_file_get_contents (snapshot, &contents, NULL, NULL));
  pieces = g_strsplit (contents, "\"current\":\"", 2);
  g_assert_cmpuint (g_strv_length (pieces), ==, 2);
  g_clear_pointer (&contents, g_free);
  contents = g_strconcat (pieces[0], "\"current\":\"deadbeef", pieces[1] + 8, NULL);
  g_assert_true (g_file_set_contents (snapshot, contents, -1, NULL));

  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (peel_session_get_current (session));
  g_assert_cmpstr (peel_node_get_id (peel_session_get_current (session)), ==, newest);
  g_assert_cmpstr (peel_session_get_missing_current (session), ==, "deadbeef");
}

/* A snapshot whose first line is damaged: recovery kept only the journal's turns and made
 * every image a bare "Recovered image", ignoring the intact lines. */
static void
test_recover_keeps_intact_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Intact", &error);
  g_autoptr(PeelSession) recovered = NULL;
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_autofree char *snapshot = g_build_filename (path, "session.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *child_id = NULL;
  PeelNode *root, *child;
  char *format;

  root = store_test_generate (session, NULL, "a lighthouse", 0xa0a0a0ff);
  child = store_test_generate (session, root, "stormy", 0xb0b0b0ff);
  child_id = g_strdup (peel_node_get_id (child));
  g_assert_true (peel_store_close_session (session, &error));
  g_clear_object (&session);

  g_assert_true (g_file_get_contents (snapshot, &contents, NULL, NULL));
  format = strstr (contents, "\"format\"");
  g_assert_nonnull (format);
  format[0] = '#';
  g_assert_true (g_file_set_contents (snapshot, contents, -1, NULL));
  g_assert_null (peel_store_open_session (path, &error));
  g_assert_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED);
  g_clear_error (&error);

  recovered = peel_store_recover_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_session_get_name (recovered), ==, "Intact (recovered)");
  g_assert_cmpuint (peel_session_get_n_nodes (recovered), ==, 2);
  child = peel_session_get_node (recovered, child_id);
  g_assert_nonnull (child);
  g_assert_cmpstr (peel_node_get_prompt (child), ==, "stormy");
  g_assert_nonnull (peel_node_get_parent_id (child));
}

/* What peel-cli and the window ask before paying for a request. */
static void
test_check_writable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (NULL, "Writable", &error);
  PeelStore *store = peel_session_get_store (session);

  g_assert_true (peel_store_check_writable (store, &error));
  g_assert_no_error (error);
  _peel_store_set_io_error (EROFS);
  g_assert_false (peel_store_check_writable (store, &error));
  _peel_store_set_io_error (0);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, peel_store_get_path (store)));
  g_clear_error (&error);
  g_assert_true (peel_store_check_writable (store, &error));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Peel/StoreSafety/damaged-line-keeps-image", test_damaged_line_keeps_image);
  g_test_add_func ("/Peel/StoreSafety/trash", test_trash);
  g_test_add_func ("/Peel/StoreSafety/symlink-blob", test_symlink_blob);
  g_test_add_func ("/Peel/StoreSafety/fifo-blob", test_fifo_blob);
  g_test_add_func ("/Peel/StoreSafety/blob-mismatch", test_blob_mismatch);
  g_test_add_func ("/Peel/StoreSafety/missing-snapshot", test_missing_snapshot);
  g_test_add_func ("/Peel/StoreSafety/missing-current", test_missing_current);
  g_test_add_func ("/Peel/StoreSafety/check-writable", test_check_writable);
  g_test_add_func ("/Peel/StoreSafety/recover-keeps-intact-lines",
                   test_recover_keeps_intact_lines);

  return g_test_run ();
}
