/* test-store-share.c
 *
 * One session written by several writers at once (the window and `peel-cli generate`, or
 * several CLIs), each with its own PeelStore as another process would have: every turn any of
 * them reported saved is there afterwards with its image; a writer that finds the session
 * locked too long says by whom; an idle window takes in what another adds. And recovery never
 * deletes what it may need: garbage goes to trash/ only after a clean parse.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-session.h"
#include "peel-store.h"
#include "peel-session-private.h"
#include "peel-store-private.h"
#include "store-test-util.h"

static void
assert_has_image (PeelSession *session,
                  const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  PeelNode *node = peel_session_get_node (session, id);

  g_assert_nonnull (node);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_DONE);
  bytes = peel_node_dup_final_image_bytes (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
}

/* Two writers take turns on one session; each closes with its own view of the tree. Before
 * the lock and taking in, the second close wrote a snapshot without the first's turns and
 * deleted their images. */
static void
test_two_writers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) a = peel_store_create_session (NULL, "Shared", &error);
  g_autoptr(PeelSession) b = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *root = NULL, *a1 = NULL, *b1 = NULL, *a2 = NULL, *b2 = NULL;

  g_assert_no_error (error);
  path = g_strdup (peel_store_get_path (peel_session_get_store (a)));
  root = g_strdup (peel_node_get_id (store_test_generate (a, NULL, "a lighthouse", 0x102030ff)));
  g_assert_true (peel_session_flush (a, &error));

  b = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  a1 = g_strdup (peel_node_get_id (store_test_generate (a, peel_session_get_node (a, root),
                                                        "stormy", 0x203040ff)));
  g_assert_true (peel_session_flush (a, &error));
  b1 = g_strdup (peel_node_get_id (store_test_generate (b, peel_session_get_node (b, root),
                                                        "sunny", 0x304050ff)));
  g_assert_true (peel_session_flush (b, &error));
  a2 = g_strdup (peel_node_get_id (store_test_generate (a, peel_session_get_node (a, a1),
                                                        "add a boat", 0x405060ff)));
  g_assert_true (peel_session_flush (a, &error));
  /* A took in B's turn when it wrote after it. */
  g_assert_cmpuint (peel_session_get_n_nodes (a), ==, 4);
  g_assert_nonnull (peel_session_get_node (a, b1));

  /* B compacts in the background, with A's turns taken in first. */
  peel_store_set_compact_threshold (peel_session_get_store (b), 1);
  b2 = g_strdup (peel_node_get_id (store_test_generate (b, peel_session_get_node (b, b1),
                                                        "pastel", 0x506070ff)));
  g_assert_true (peel_session_flush (b, &error));

  g_assert_true (peel_store_close_session (b, &error));
  g_assert_no_error (error);
  g_clear_object (&b);
  g_assert_true (peel_store_close_session (a, &error));
  g_assert_no_error (error);
  g_clear_object (&a);

  again = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peel_session_get_n_nodes (again), ==, 5);
  assert_has_image (again, root);
  assert_has_image (again, a1);
  assert_has_image (again, b1);
  assert_has_image (again, a2);
  assert_has_image (again, b2);
  g_assert_cmpstr (peel_node_get_parent_id (peel_session_get_node (again, a2)), ==, a1);
  g_assert_cmpstr (peel_node_get_parent_id (peel_session_get_node (again, b2)), ==, b1);
}

/* A turn another writer finished replaces the pending one this writer read, in place. */
static void
test_pending_finished_elsewhere (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) cli = peel_store_create_session (NULL, "Pending", &error);
  g_autoptr(PeelSession) window = NULL;
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (cli)));
  g_autofree char *id = NULL;
  PeelNode *pending, *seen;

  pending = peel_session_begin_turn (cli, NULL,
                                     &(PeelTurnSpec) { .prompt = "a harbour",
                                                       .aspect_ratio = "1:1",
                                                       .size = PEEL_IMAGE_SIZE_1K },
                                     &error);
  g_assert_no_error (error);
  id = g_strdup (peel_node_get_id (pending));
  g_assert_true (peel_session_flush (cli, &error));

  window = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  seen = peel_session_get_node (window, id);
  g_assert_nonnull (seen);

  store_test_complete (cli, pending, 0x0a0b0cff);
  g_assert_true (peel_session_flush (cli, &error));

  /* The window writes something of its own: it takes in the finished turn first. */
  g_assert_true (peel_session_set_name (window, "Harbour", &error));
  g_assert_true (peel_session_flush (window, &error));
  g_assert_true (peel_session_get_node (window, id) == seen);
  g_assert_cmpint (peel_node_get_status (seen), ==, PEEL_NODE_DONE);
  g_assert_true (peel_node_get_has_image (seen));

  g_assert_true (peel_store_close_session (window, &error));
  g_clear_object (&window);
  g_assert_true (peel_store_close_session (cli, &error));
  g_clear_object (&cli);
  window = peel_store_open_session (path, &error);
  assert_has_image (window, id);
}

/* Another process read this one's turn while it waited for its answer (so as interrupted) and
 * wrote its snapshot: the turn stays pending here, and its answer is recorded. */
static void
test_pending_read_elsewhere (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) window = peel_store_create_session (NULL, "Waiting", &error);
  g_autoptr(PeelSession) cli = NULL;
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (window)));
  g_autofree char *id = NULL;
  PeelNode *pending;

  pending = peel_session_begin_turn (window, NULL,
                                     &(PeelTurnSpec) { .prompt = "a harbour",
                                                       .aspect_ratio = "1:1",
                                                       .size = PEEL_IMAGE_SIZE_1K },
                                     &error);
  id = g_strdup (peel_node_get_id (pending));
  g_assert_true (peel_session_flush (window, &error));

  cli = peel_store_open_session (path, &error);
  g_assert_cmpstr (peel_node_get_error_code (peel_session_get_node (cli, id)), ==,
                   "INTERRUPTED");
  store_test_generate (cli, NULL, "a dune", 0x121212ff);
  g_assert_true (peel_store_close_session (cli, &error));
  g_clear_object (&cli);

  g_assert_true (peel_session_set_name (window, "Harbour", &error));
  g_assert_true (peel_session_flush (window, &error));
  g_assert_cmpuint (peel_session_get_n_nodes (window), ==, 2);
  g_assert_cmpint (peel_node_get_status (pending), ==, PEEL_NODE_PENDING);
  store_test_complete (window, pending, 0x343434ff);
  g_assert_true (peel_store_close_session (window, &error));
  g_clear_object (&window);

  window = peel_store_open_session (path, &error);
  assert_has_image (window, id);
}

/* A writer that cannot get the lock in time says who holds it and keeps its change. */
static void
test_lock_busy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) a = peel_store_create_session (NULL, "Busy", &error);
  g_autoptr(PeelSession) b = NULL;
  g_autoptr(PeelSession) again = NULL;
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (a)));
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  PeelNode *node;

  b = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_true (_peel_store_lock (peel_session_get_store (a), &error));
  _peel_store_set_lock_timeout (300);

  node = store_test_generate_unchecked (b, NULL, "locked out", 0x112233ff, &error);
  g_clear_error (&error);
  g_assert_false (peel_session_flush (b, &error));
  g_assert_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, pid));
  g_assert_nonnull (strstr (error->message, "Nothing was lost"));
  g_assert_true (peel_node_get_unsaved (node));
  g_clear_error (&error);

  _peel_store_unlock (peel_session_get_store (a));
  _peel_store_set_lock_timeout (30000);
  g_assert_true (peel_session_flush (b, &error));
  g_assert_no_error (error);
  g_assert_false (peel_node_get_unsaved (node));
  g_assert_true (peel_store_close_session (b, &error));
  g_assert_true (peel_store_close_session (a, &error));
  g_clear_object (&a);
  g_clear_object (&b);
  again = peel_store_open_session (path, &error);
  g_assert_cmpuint (peel_session_get_n_nodes (again), ==, 1);
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* An idle window takes in a turn another process adds, without writing anything itself. */
static void
test_watch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) window = peel_store_create_session (NULL, "Watched", &error);
  g_autoptr(PeelSession) cli = NULL;
  g_autofree char *path = g_strdup (peel_store_get_path (peel_session_get_store (window)));
  g_autofree char *id = NULL;
  gboolean timed_out = FALSE;
  guint timeout;

  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_roots (window)), ==, 0);
  cli = peel_store_open_session (path, &error);
  id = g_strdup (peel_node_get_id (store_test_generate (cli, NULL, "a dune", 0x998877ff)));
  g_assert_true (peel_session_flush (cli, &error));

  timeout = g_timeout_add_seconds (10, quit_cb, &timed_out);
  while (!timed_out && peel_session_get_n_nodes (window) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout);
  g_assert_cmpuint (g_list_model_get_n_items (peel_session_get_roots (window)), ==, 1);
  assert_has_image (window, id);
  g_assert_true (peel_store_close_session (cli, &error));
  g_assert_true (peel_store_close_session (window, &error));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Peel/StoreShare/two-writers", test_two_writers);
  g_test_add_func ("/Peel/StoreShare/pending-finished-elsewhere",
                   test_pending_finished_elsewhere);
  g_test_add_func ("/Peel/StoreShare/pending-read-elsewhere", test_pending_read_elsewhere);
  g_test_add_func ("/Peel/StoreShare/lock-busy", test_lock_busy);
  g_test_add_func ("/Peel/StoreShare/watch", test_watch);

  return g_test_run ();
}
