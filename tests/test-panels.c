/* test-panels.c
 *
 * The history, details, sessions and preferences widgets on a real session in a temporary
 * folder, under Xvfb.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <adwaita.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "peel-demo-server.h"
#include "peel-details-panel.h"
#include "peel-history-row.h"
#include "peel-history-view.h"
#include "peel-preferences-window.h"
#include "peel-service.h"
#include "peel-resources.h"
#include "peel-sessions-popover.h"
#include "peel-store-private.h"
#include "peel-store.h"
#include "peel-thumbnail-cache.h"
#include "window-test-util.h"

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

static PeelNode *
generate (PeelSession *session,
          PeelNode    *parent,
          const char  *prompt,
          guint32      color)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) png = make_png (64, 36, color);
  PeelTurnResult result = { 18, 1126, 310, -1, "STOP", NULL, NULL, NULL };
  PeelNode *node;

  g_ptr_array_add (parts, peel_part_new_text ("Composing the scene", TRUE));
  g_ptr_array_add (parts, peel_part_new_text ("Here is your image.", FALSE));
  g_ptr_array_add (parts, peel_part_new_image ("image/png", png, FALSE));
  node = peel_session_begin_turn (session, parent,
                                  &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = "16:9",
                                                    .size = PEEL_IMAGE_SIZE_1K },
                                  &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_complete_turn (session, node, parts, &result, &error));
  g_assert_no_error (error);
  return node;
}

static PeelNode *
fail (PeelSession *session,
      PeelNode    *parent,
      const char  *prompt)
{
  g_autoptr(GError) error = NULL;
  PeelNode *node;

  node = peel_session_begin_turn (session, parent,
                                  &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = "1:1",
                                                    .size = PEEL_IMAGE_SIZE_1K },
                                  &error);
  g_assert_no_error (error);
  g_assert_true (peel_session_fail_turn (session, node, "RATE_LIMITED",
                                         "Too many requests: wait a minute", &error));
  g_assert_no_error (error);
  return node;
}

static void
iterate (void)
{
  for (int i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static void
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (data));
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

/* The visible labels under @widget, one per line. */
static char *
visible_text (GtkWidget *widget)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (labels->pdata[i]))
      g_string_append_printf (out, "%s\n", gtk_label_get_label (labels->pdata[i]));
  return g_string_free (out, FALSE);
}

static PeelHistoryRow *
row_for (GtkWidget *view,
         PeelNode  *node)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (view, PEEL_TYPE_HISTORY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (peel_history_row_get_node (rows->pdata[i]) == node)
      return rows->pdata[i];
  return NULL;
}

static GtkWidget *
visible_button_with_action (GtkWidget  *root,
                            const char *action)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_is_visible (buttons->pdata[i]) &&
        g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), action) == 0)
      return buttons->pdata[i];
  return NULL;
}

typedef struct
{
  PeelSession *session;
  PeelNode    *root;
  PeelNode    *stormy;
  PeelNode    *boat;
  PeelNode    *failed;
  GtkWidget   *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = peel_store_get_default_dir ();

  f->session = peel_store_create_session (dir, "Lighthouse study", &error);
  g_assert_no_error (error);
  f->root = generate (f->session, NULL, "a lighthouse at dusk", 0xff0000ff);
  f->stormy = generate (f->session, f->root, "make the sky stormy", 0x00ff00ff);
  f->boat = generate (f->session, f->stormy, "add a boat", 0x0000ffff);
  f->failed = fail (f->session, f->root, "sunny, pastel");
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_true (peel_store_close_session (f->session, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (f->session);
}

static GtkWidget *
show_history (Fixture *f)
{
  GtkWidget *view = peel_history_view_new ();

  g_object_ref_sink (view);
  peel_history_view_set_session (PEEL_HISTORY_VIEW (view), f->session);
  gtk_window_set_child (GTK_WINDOW (f->window), view);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
  return view;
}

static PeelNode *
node_at (GListModel *rows,
         guint       position,
         guint      *depth)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, position);
  PeelNode *node = gtk_tree_list_row_get_item (row);

  if (depth != NULL)
    *depth = gtk_tree_list_row_get_depth (row);
  g_object_unref (node);          /* the session keeps it */
  return node;
}

static void
test_history_rows (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *view = show_history (f);
  GListModel *rows = peel_history_view_get_rows (PEEL_HISTORY_VIEW (view));
  PeelNode *expected[] = { f->root, f->failed, f->stormy, f->boat };
  guint depths[] = { 0, 1, 0, 0 };

  /* As a commit graph: the first line of turns at one level, the branch from the root (the
   * failed attempt) indented under it. */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      guint depth;

      g_assert_true (node_at (rows, i, &depth) == expected[i]);
      g_assert_cmpuint (depth, ==, depths[i]);
    }

  /* The last turn made is current: its row is selected and it is on the current branch. */
  g_assert_true (peel_session_get_current (f->session) == f->failed);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (rows)), ==, 1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_for (view, f->failed)), "current"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_for (view, f->root)),
                                           "current-branch"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row_for (view, f->boat)),
                                            "current-branch"));

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

/* A chain of edits stays at one indentation however long it grows; only where a branch
 * starts is there a step in, and the first row of each branch is marked as such. */
static void
test_history_lanes (Fixture       *f,
                    gconstpointer  data)
{
  PeelNode *sunset = generate (f->session, f->stormy, "at sunset instead", 0x884400ff);
  PeelNode *heavy = generate (f->session, f->boat, "add heavy rain", 0x222222ff);
  PeelNode *gulls = generate (f->session, heavy, "add gulls", 0x333333ff);
  PeelNode *moon = generate (f->session, gulls, "a moon behind the clouds", 0x444444ff);
  PeelNode *night = generate (f->session, sunset, "at night", 0x000022ff);
  PeelNode *fog = generate (f->session, f->root, "in fog", 0x999999ff);
  GtkWidget *view = show_history (f);
  GListModel *rows = peel_history_view_get_rows (PEEL_HISTORY_VIEW (view));
  PeelNode *expected[] = { f->root, f->failed, fog, f->stormy, sunset, night, f->boat, heavy,
                           gulls, moon };
  guint depths[] = { 0, 1, 1, 0, 1, 1, 0, 0, 0, 0 };
  gboolean starts[] = { FALSE, TRUE, TRUE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE };

  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      guint depth;

      g_assert_true (node_at (rows, i, &depth) == expected[i]);
      g_assert_cmpuint (depth, ==, depths[i]);
      g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (row_for (view, expected[i])),
                                                 "branch-start"), ==, starts[i]);
    }

  /* A new turn at the end of the chain joins it, one level as before. */
  generate (f->session, moon, "and a lighthouse keeper", 0x555555ff);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, G_N_ELEMENTS (expected) + 1);
  {
    guint depth;

    node_at (rows, G_N_ELEMENTS (expected), &depth);
    g_assert_cmpuint (depth, ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

static void
test_history_click (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *view = show_history (f);
  GListModel *rows = peel_history_view_get_rows (PEEL_HISTORY_VIEW (view));

  /* Picking a row (what a click does) goes there. */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (rows), 3, TRUE);
  g_assert_true (peel_session_get_current (f->session) == f->boat);
  iterate ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_for (view, f->stormy)),
                                           "current-branch"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row_for (view, f->boat)), "current"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row_for (view, f->failed)),
                                            "current-branch"));

  /* And going somewhere else (undo: up to the parent) moves the selection. */
  g_assert_true (peel_session_undo (f->session));
  g_assert_true (peel_session_get_current (f->session) == f->stormy);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (rows)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

static void
test_history_failed_row (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *view = show_history (f);
  PeelHistoryRow *row = row_for (view, f->failed);
  PeelHistoryRow *done = row_for (view, f->stormy);
  g_autofree char *text = NULL;
  g_autofree char *done_text = NULL;
  GtkWidget *retry;
  GVariant *target;

  g_assert_nonnull (row);
  text = visible_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (text, "sunny, pastel\n"));
  g_assert_nonnull (strstr (text, "⚠ failed: Too many requests: wait a minute"));
  retry = visible_button_with_action (GTK_WIDGET (row), "win.retry");
  g_assert_nonnull (retry);
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (retry));
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, peel_node_get_id (f->failed));

  done_text = visible_text (GTK_WIDGET (done));
  g_assert_nonnull (strstr (done_text, "64×36"));
  g_assert_null (visible_button_with_action (GTK_WIDGET (done), "win.retry"));

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

static void
test_history_delete_undelete (Fixture       *f,
                              gconstpointer  data)
{
  GtkWidget *view = show_history (f);
  GListModel *rows = peel_history_view_get_rows (PEEL_HISTORY_VIEW (view));
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_session_delete_branch (f->session, f->stormy, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  g_assert_true (node_at (rows, 1, NULL) == f->failed);
  iterate ();
  g_assert_null (row_for (view, f->boat));

  g_assert_true (peel_session_undelete (f->session, &error) == f->stormy);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);
  g_assert_true (node_at (rows, 3, NULL) == f->boat);

  /* A new turn shows up under its parent at once. */
  generate (f->session, f->boat, "a second boat", 0x888888ff);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

static void
test_history_hidden_and_search (Fixture       *f,
                                gconstpointer  data)
{
  GtkWidget *view = show_history (f);
  GListModel *rows = peel_history_view_get_rows (PEEL_HISTORY_VIEW (view));
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_session_set_hidden (f->session, f->failed, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  peel_history_view_set_show_hidden (PEEL_HISTORY_VIEW (view), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);
  peel_history_view_set_show_hidden (PEEL_HISTORY_VIEW (view), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);

  /* A hidden parent hides its branch. */
  g_assert_true (peel_session_set_hidden (f->session, f->stormy, TRUE, &error));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);
  g_assert_true (peel_session_set_hidden (f->session, f->stormy, FALSE, &error));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);

  peel_history_view_set_search_text (PEEL_HISTORY_VIEW (view), "BOAT");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);
  g_assert_true (node_at (rows, 0, NULL) == f->boat);
  peel_history_view_set_search_text (PEEL_HISTORY_VIEW (view), "no such words");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  peel_history_view_set_search_text (PEEL_HISTORY_VIEW (view), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

static gboolean
row_has_picture (gpointer data)
{
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();

  iterate ();
  collect (data, GTK_TYPE_PICTURE, pictures);
  return pictures->len > 0 && gtk_picture_get_paintable (pictures->pdata[0]) != NULL &&
         gtk_widget_is_visible (pictures->pdata[0]);
}

static void
test_history_thumbnails (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *view = show_history (f);
  PeelHistoryRow *row = row_for (view, f->root);

  /* The thumbnail arrives from a thread; the row shows it when it comes. */
  wait_for (row_has_picture, row);
  g_assert_nonnull (peel_thumbnail_cache_lookup (peel_thumbnail_cache_get_default (),
                                                 peel_node_get_final_blob (f->root)));

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (view);
}

typedef struct
{
  GdkTexture *texture;
  gboolean    done;
} LoadResult;

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadResult *r = user_data;

  r->texture = peel_thumbnail_cache_load_finish (PEEL_THUMBNAIL_CACHE (object), result, NULL);
  r->done = TRUE;
}

static gboolean
load_done (gpointer data)
{
  return ((LoadResult *) data)->done;
}

static void
test_thumbnail_cache (Fixture       *f,
                      gconstpointer  data)
{
  PeelThumbnailCache *cache = peel_thumbnail_cache_new (1);
  PeelStore *store = peel_session_get_store (f->session);
  LoadResult first = { 0, }, second = { 0, };
  g_autofree char *key = peel_thumbnail_cache_key_for_blob ("blobs/abc123.png");

  g_assert_cmpstr (key, ==, "abc123");

  peel_thumbnail_cache_load_node_async (cache, store, f->root, NULL, loaded_cb, &first);
  wait_for (load_done, &first);
  g_assert_nonnull (first.texture);
  g_assert_cmpint (gdk_texture_get_width (first.texture), >, 0);
  g_assert_true (peel_thumbnail_cache_lookup (cache, peel_node_get_final_blob (f->root)) ==
                 first.texture);

  /* One texture fits: the older one goes. */
  peel_thumbnail_cache_load_node_async (cache, store, f->stormy, NULL, loaded_cb, &second);
  wait_for (load_done, &second);
  g_assert_nonnull (second.texture);
  g_assert_cmpuint (peel_thumbnail_cache_get_n_textures (cache), ==, 1);
  g_assert_null (peel_thumbnail_cache_lookup (cache, peel_node_get_final_blob (f->root)));

  g_clear_object (&first.texture);
  g_clear_object (&second.texture);
  /* A worker thread may drop its task (and the task's reference to the cache) just after
   * the callback ran, so wait for the last reference instead of asserting it at once. */
  {
    gpointer weak = cache;
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_object_add_weak_pointer (G_OBJECT (cache), &weak);
    g_object_unref (cache);
    while (weak != NULL && g_get_monotonic_time () < end)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_null (weak);
  }
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *panel = peel_details_panel_new ();
  g_autofree char *done_text = NULL;
  g_autofree char *failed_text = NULL;
  GtkWidget *retry;

  g_object_ref_sink (panel);
  peel_details_panel_set_session (PEEL_DETAILS_PANEL (panel), f->session);
  peel_details_panel_set_node (PEEL_DETAILS_PANEL (panel), f->stormy);
  gtk_window_set_child (GTK_WINDOW (f->window), panel);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();

  done_text = visible_text (panel);
  g_assert_nonnull (strstr (done_text, "Here is your image.\n"));
  /* 16:9 at 1K is 1376 × 768; the test image is smaller, and says so. */
  g_assert_nonnull (strstr (done_text, "Asked 1376 × 768 — got 64 × 36"));
  g_assert_nonnull (strstr (done_text, "18 prompt · 1126 output · 310 thinking tokens"));
  g_assert_null (visible_button_with_action (panel, "win.retry"));

  peel_details_panel_set_node (PEEL_DETAILS_PANEL (panel), f->failed);
  iterate ();
  failed_text = visible_text (panel);
  g_assert_nonnull (strstr (failed_text, "Too many requests: wait a minute"));
  g_assert_null (strstr (failed_text, "Here is your image."));
  retry = visible_button_with_action (panel, "win.retry");
  g_assert_nonnull (retry);
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                     GTK_ACTIONABLE (retry)), NULL), ==, peel_node_get_id (f->failed));

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (panel);
}

static gboolean
not_loading (gpointer data)
{
  return !peel_sessions_popover_get_loading (data);
}

static void
activated_cb (PeelSessionsPopover *popover,
              const char          *path,
              char               **out)
{
  g_free (*out);
  *out = g_strdup (path);
}

static void
test_sessions (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("peel-sessions-XXXXXX", NULL);
  g_autoptr(PeelSession) harbour = NULL;
  g_autoptr(PeelSession) lighthouse = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_autofree char *activated = NULL;
  GtkWidget *popover = peel_sessions_popover_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GListModel *sessions;
  GtkListBoxRow *row;
  gint64 end;

  g_assert_nonnull (dir);
  lighthouse = peel_store_create_session (dir, "Lighthouse", &error);
  g_assert_no_error (error);
  generate (lighthouse, generate (lighthouse, NULL, "a lighthouse", 0x336699ff), "at night",
            0x111111ff);
  harbour = peel_store_create_session (dir, "Harbour", &error);
  g_assert_no_error (error);
  generate (harbour, NULL, "a harbour", 0x336699ff);
  g_assert_true (peel_store_close_session (lighthouse, &error));
  g_assert_true (peel_store_close_session (harbour, &error));

  g_object_ref (popover);
  peel_sessions_popover_set_sessions_dir (PEEL_SESSIONS_POPOVER (popover), dir);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_window_set_child (GTK_WINDOW (f->window), button);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  wait_for (not_loading, popover);
  iterate ();

  /* Newest first, each with when it changed and how many turns it has. */
  sessions = peel_sessions_popover_get_sessions (PEEL_SESSIONS_POPOVER (popover));
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 2);
  text = visible_text (popover);
  g_assert_nonnull (strstr (text, "Harbour\nChanged just now · 1 turn\n"));
  g_assert_nonnull (strstr (text, "Lighthouse\nChanged just now · 2 turns\n"));

  /* Picking a row asks for that session. */
  collect (popover, GTK_TYPE_LIST_BOX, boxes);
  g_assert_cmpuint (boxes->len, ==, 1);
  g_signal_connect (popover, "session-activated", G_CALLBACK (activated_cb), &activated);
  row = gtk_list_box_get_row_at_index (boxes->pdata[0], 1);
  g_signal_emit_by_name (boxes->pdata[0], "row-activated", row);
  {
    g_autoptr(PeelSessionItem) item = g_list_model_get_item (sessions, 1);

    g_assert_cmpstr (activated, ==, peel_session_item_get_info (item)->path);
  }

  /* Duplicating runs in a thread and lists the copy. */
  {
    g_autoptr(PeelSessionItem) item = g_list_model_get_item (sessions, 0);

    gtk_widget_activate_action (popover, "sessions.duplicate", "s",
                                peel_session_item_get_info (item)->path);
  }
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (sessions) < 3 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 3);
  wait_for (not_loading, popover);

  /* The open session writes in the background: its copy holds the change made just before. */
  {
    g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(PeelSession) open = NULL;
    g_autoptr(PeelSession) copy = NULL;
    g_autofree char *open_path = g_strdup (peel_store_get_path (peel_session_get_store (harbour)));
    const char *copy_path = NULL;
    g_autofree char *message = NULL;

    open = peel_store_open_session (open_path, &error);
    g_assert_no_error (error);
    peel_sessions_popover_set_current_session (PEEL_SESSIONS_POPOVER (popover), open);
    for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
      {
        g_autoptr(PeelSessionItem) item = g_list_model_get_item (sessions, i);

        g_hash_table_add (before, g_strdup (peel_session_item_get_info (item)->path));
      }
    /* While the disk is full the change cannot be saved: no copy, and a message saying why.
     * (The disk fills before the star, so the star's own write fails, whenever it runs.) */
    g_signal_connect (popover, "show-message", G_CALLBACK (activated_cb), &message);
    _peel_store_set_io_error (ENOSPC);
    g_assert_true (peel_session_set_starred (open, peel_session_get_current (open), TRUE,
                                             &error));
    gtk_widget_activate_action (popover, "sessions.duplicate", "s", open_path);
    end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (message == NULL && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    _peel_store_set_io_error (0);
    g_assert_nonnull (message);
    g_assert_nonnull (strstr (message, "not copied"));
    wait_for (not_loading, popover);
    g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 3);

    gtk_widget_activate_action (popover, "sessions.duplicate", "s", open_path);
    end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (g_list_model_get_n_items (sessions) < 4 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 4);
    wait_for (not_loading, popover);
    for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
      {
        g_autoptr(PeelSessionItem) item = g_list_model_get_item (sessions, i);

        if (!g_hash_table_contains (before, peel_session_item_get_info (item)->path))
          copy_path = peel_session_item_get_info (item)->path;
      }
    g_assert_nonnull (copy_path);
    copy = peel_store_open_session (copy_path, &error);
    g_assert_no_error (error);
    g_assert_true (peel_node_get_starred (peel_session_get_current (copy)));
    peel_sessions_popover_set_current_session (PEEL_SESSIONS_POPOVER (popover), NULL);
    g_assert_true (peel_store_close_session (open, &error));
  }

  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr(PeelSessionItem) item = g_list_model_get_item (sessions, i);

      g_assert_true (peel_store_delete_session (peel_session_item_get_info (item)->path, &error));
      g_assert_no_error (error);
    }
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_finalize_object (popover);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gboolean
key_looked_up (gpointer data)
{
  g_autofree char *text = NULL;

  iterate ();
  text = visible_text (data);
  return strstr (text, "Looking for a key") == NULL;
}

static AdwComboRow *
combo_titled (GtkWidget  *root,
              const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (root, ADW_TYPE_COMBO_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0)
      return rows->pdata[i];
  g_assert_not_reached ();
}

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static gboolean
key_tested (gpointer data)
{
  g_autofree char *text = visible_text (GTK_WIDGET (data));

  return strstr (text, "The key works") != NULL || strstr (text, "The key was refused") != NULL;
}

/* Test Key asks for the model list, which costs nothing, never for an image. */
static void
test_preferences_test_key (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PeelDemoServer) server = peel_demo_server_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  PeelPreferencesWindow *window;
  GtkWidget *test_button = NULL;

  g_unsetenv ("GEMINI_API_KEY");
  peel_demo_server_set_api_key (server, "the-right-key");
  g_assert_true (peel_demo_server_start (server, 0, &error));
  g_settings_set_string (settings, "provider", "custom");
  g_settings_set_string (settings, "custom-base-url", peel_demo_server_get_base_url (server));

  window = peel_preferences_window_new (settings, FALSE);
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (key_looked_up, window);

  collect (GTK_WIDGET (window), ADW_TYPE_PASSWORD_ENTRY_ROW, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "the-right-key");
  collect (GTK_WIDGET (window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Test Key") == 0 ||
        g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "Test Key") == 0)
      test_button = buttons->pdata[i];
  g_assert_nonnull (test_button);
  g_signal_emit_by_name (test_button, "clicked");
  wait_for (key_tested, window);

  text = visible_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "The key works: the service offers 3 image models."));
  path = peel_demo_server_dup_last_request_path (server);
  g_assert_true (g_str_has_prefix (path, "/v1beta/models"));
  g_assert_null (strchr (path, ':'));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  peel_demo_server_stop (server);
  g_settings_reset (settings, "provider");
  g_settings_reset (settings, "custom-base-url");
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelPreferencesWindow *window;
  AdwComboRow *provider, *size, *model;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  GtkWidget *base_url = NULL;
  g_autofree char *text = NULL;

  g_unsetenv ("GEMINI_API_KEY");
  window = peel_preferences_window_new (settings, FALSE);
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (key_looked_up, window);

  /* With no key anywhere, the window says what Peel will do. */
  text = visible_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "No key set"));
  g_assert_nonnull (strstr (text, "Without a key Peel runs in demo mode"));

  provider = combo_titled (GTK_WIDGET (window), "_Provider");
  g_assert_cmpuint (adw_combo_row_get_selected (provider), ==, 0);
  collect (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW, entries);
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (entries->pdata[i]), "Base URL") == 0)
      base_url = entries->pdata[i];
  g_assert_nonnull (base_url);
  g_assert_false (gtk_widget_get_visible (base_url));

  adw_combo_row_set_selected (provider, 2);
  assert_setting (settings, "provider", "custom");
  g_assert_true (gtk_widget_get_visible (base_url));
  g_settings_set_string (settings, "provider", "cometapi");
  g_assert_cmpuint (adw_combo_row_get_selected (provider), ==, 1);
  g_assert_false (gtk_widget_get_visible (base_url));

  size = combo_titled (GTK_WIDGET (window), "_Size");
  g_settings_set_string (settings, "image-size", "4K");
  g_assert_cmpuint (adw_combo_row_get_selected (size), ==, 3);
  adw_combo_row_set_selected (size, 0);
  assert_setting (settings, "image-size", "512");

  model = combo_titled (GTK_WIDGET (window), "_Model");
  /* Today's models, made from the catalogue, then "Other"; no shut-down id is offered. */
  {
    GListModel *labels = adw_combo_row_get_model (model);

    g_assert_cmpuint (g_list_model_get_n_items (labels), ==, 4);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), 0), ==,
                     "Nano Banana 2 (gemini-3.1-flash-image)");
    for (guint i = 0; i < 4; i++)
      g_assert_null (strstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), i),
                             "preview"));
  }
  adw_combo_row_set_selected (model, 1);
  assert_setting (settings, "model", "gemini-3-pro-image");
  g_settings_set_string (settings, "model", "my-own-model");
  g_assert_cmpuint (adw_combo_row_get_selected (model), ==, 3);

  collect (GTK_WIDGET (window), GTK_TYPE_SWITCH, switches);
  g_assert_cmpuint (switches->len, ==, 1);
  g_assert_true (gtk_switch_get_active (switches->pdata[0]));
  gtk_switch_set_active (switches->pdata[0], FALSE);
  g_assert_false (g_settings_get_boolean (settings, "export-metadata"));

  /* The time limit: five minutes unless changed, and the service's client follows it. */
  {
    g_autoptr(GPtrArray) spins = g_ptr_array_new ();
    g_autoptr(PeelService) service = NULL;
    GtkSpinButton *spin;

    collect (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON, spins);
    g_assert_cmpuint (spins->len, ==, 2);
    spin = spins->pdata[0];
    g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 300);
    gtk_spin_button_set_value (spin, 45);
    g_assert_cmpuint (g_settings_get_uint (settings, "request-timeout"), ==, 45);

    service = peel_service_new (settings, TRUE, peel_demo_server_new_started);
    g_assert_nonnull (peel_service_get_client (service));
    g_assert_cmpuint (peel_gemini_client_get_timeout (peel_service_get_client (service)), ==, 45);
    g_settings_set_uint (settings, "request-timeout", 600);
    g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 600);
    g_assert_cmpuint (peel_gemini_client_get_timeout (peel_service_get_client (service)), ==,
                      600);

    /* Variations at once: four unless changed, one to eight. */
    spin = spins->pdata[1];
    g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 4);
    gtk_spin_button_set_value (spin, 2);
    g_assert_cmpuint (g_settings_get_uint (settings, "variations-at-once"), ==, 2);
    gtk_spin_button_set_value (spin, 20);
    g_assert_cmpuint (g_settings_get_uint (settings, "variations-at-once"), ==, 8);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_settings_reset (settings, "provider");
  g_settings_reset (settings, "image-size");
  g_settings_reset (settings, "model");
  g_settings_reset (settings, "export-metadata");
  g_settings_reset (settings, "request-timeout");
  g_settings_reset (settings, "variations-at-once");
}

int
main (int   argc,
      char *argv[])
{
  window_test_init (&argc, &argv);
  adw_init ();
  peel_register_resource ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/Peel/Preferences/test-key", test_preferences_test_key);
  ADD ("/Peel/History/rows", test_history_rows);
  ADD ("/Peel/History/lanes", test_history_lanes);
  ADD ("/Peel/History/click", test_history_click);
  ADD ("/Peel/History/failed-row", test_history_failed_row);
  ADD ("/Peel/History/delete-undelete", test_history_delete_undelete);
  ADD ("/Peel/History/hidden-and-search", test_history_hidden_and_search);
  ADD ("/Peel/History/thumbnails", test_history_thumbnails);
  ADD ("/Peel/History/thumbnail-cache", test_thumbnail_cache);
  ADD ("/Peel/Details/done-and-failed", test_details);
  ADD ("/Peel/Sessions/list", test_sessions);
#undef ADD
  g_test_add_func ("/Peel/Preferences/settings", test_preferences);

  return g_test_run ();
}
