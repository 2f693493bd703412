/* test-board.c
 *
 * The session as a board, in the real window against the in-process demo server, under Xvfb:
 * the tree's layout, a card dragged and found where it was dropped after the session is opened
 * again, a damaged board.json ignored, Combine and Apply to Each on two selected cards, what a
 * screen reader hears of a card, and the size of the thumbnail a card draws at each zoom.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "peel-application.h"
#include "peel-board-card.h"
#include "peel-board-places.h"
#include "peel-board-private.h"
#include "peel-board.h"
#include "peel-demo-server.h"
#include "peel-json-reader.h"
#include "peel-service.h"
#include "peel-store.h"
#include "peel-window-private.h"
#include "window-test-util.h"

#define GENERATION_TIMEOUT_MS 60000

static PeelApplication *app;

typedef struct
{
  PeelWindow *window;
  PeelNode   *a, *b, *c, *d, *e, *failed;
} Fixture;

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
add_turn_sized (PeelSession *session,
                PeelNode    *parent,
                const char  *prompt,
                guint32      color,
                int          width,
                int          height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) png = make_png (width, height, color);
  PeelTurnResult result = { 18, 1126, 0, -1, "STOP", NULL, NULL, NULL };
  PeelNode *node;

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
add_turn (PeelSession *session,
          PeelNode    *parent,
          const char  *prompt,
          guint32      color)
{
  return add_turn_sized (session, parent, prompt, color, 64, 36);
}

static PeelNode *
add_failed_turn (PeelSession *session,
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

/* a ─┬─ b ── e
 *    ├─ c ── failed
 *    └─ d */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelSession *session;

  g_settings_reset (settings, "last-session");
  g_settings_set_string (settings, "aspect-ratio", "1:1");
  g_settings_set_string (settings, "image-size", "512");
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  f->window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  session = peel_window_get_session (f->window);
  g_assert_nonnull (session);
  f->a = add_turn (session, NULL, "a lighthouse at dusk", 0x3060a0ff);
  f->b = add_turn (session, f->a, "make the sky stormy", 0x404040ff);
  f->c = add_turn (session, f->a, "sunny, pastel", 0xf0c0a0ff);
  f->d = add_turn (session, f->a, "as a watercolour", 0x80c0f0ff);
  f->e = add_turn (session, f->b, "add a boat", 0x203050ff);
  f->failed = add_failed_turn (session, f->c, "add seagulls");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_window (&f->window);
}

static PeelBoard *
show_board (Fixture *f)
{
  PeelBoard *board = PEEL_BOARD (peel_window_get_board (f->window));

  /* Ctrl+B and the header bar's Board button toggle this state. */
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "show-board",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (wait_until ((Condition) gtk_widget_get_mapped, board, 5000));
  /* Its first layout and fit take a few frames; many more on a sanitizer build. */
  spin_for (200 * test_time_scale ());
  return board;
}

static graphene_rect_t
card_rect (PeelBoard *board,
           PeelNode  *node)
{
  graphene_rect_t rect;

  g_assert_true (peel_board_get_card_rect (board, node, &rect));
  return rect;
}

static void
assert_right_of (PeelBoard *board,
                 PeelNode  *parent,
                 PeelNode  *child)
{
  graphene_rect_t p = card_rect (board, parent);
  graphene_rect_t c = card_rect (board, child);

  g_assert_cmpfloat (c.origin.x, >=, p.origin.x + p.size.width);
}

static void
test_layout (Fixture       *f,
             gconstpointer  data)
{
  PeelBoard *board = show_board (f);
  PeelNode *nodes[] = { f->a, f->b, f->c, f->d, f->e, f->failed };

  /* Shown instead of the canvas, and every turn is a card. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->canvas_stack)));
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    g_assert_nonnull (peel_board_get_card (board, nodes[i]));

  /* Depth from left to right. */
  assert_right_of (board, f->a, f->b);
  assert_right_of (board, f->a, f->c);
  assert_right_of (board, f->a, f->d);
  assert_right_of (board, f->b, f->e);
  assert_right_of (board, f->c, f->failed);

  /* No two cards overlap, siblings stacked in one column. */
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (nodes); j++)
      {
        graphene_rect_t one = card_rect (board, nodes[i]);
        graphene_rect_t two = card_rect (board, nodes[j]);

        g_assert_false (graphene_rect_intersection (&one, &two, NULL));
      }
  g_assert_cmpfloat (card_rect (board, f->b).origin.x, ==, card_rect (board, f->c).origin.x);
  g_assert_cmpfloat (card_rect (board, f->b).origin.y, <, card_rect (board, f->c).origin.y);
  g_assert_cmpfloat (card_rect (board, f->c).origin.y, <, card_rect (board, f->d).origin.y);

  /* A turn added later shows as a card without reopening the board. */
  {
    PeelNode *late = add_turn (peel_window_get_session (f->window), f->d, "late", 0xffffffff);

    spin_for (200);
    g_assert_nonnull (peel_board_get_card (board, late));
    assert_right_of (board, f->d, late);
  }
}

static void
test_failed_card_and_names (Fixture       *f,
                            gconstpointer  data)
{
  PeelBoard *board = show_board (f);
  PeelBoardCard *failed = PEEL_BOARD_CARD (peel_board_get_card (board, f->failed));
  PeelBoardCard *done = PEEL_BOARD_CARD (peel_board_get_card (board, f->e));
  g_autofree char *failed_label = peel_board_card_dup_label (failed);
  g_autofree char *done_label = peel_board_card_dup_label (done);

  /* What a screen reader says: title, status (the reason for a failure), size. */
  g_assert_nonnull (strstr (failed_label, "add seagulls"));
  g_assert_nonnull (strstr (failed_label, "Failed"));
  g_assert_nonnull (strstr (failed_label, "Too many requests: wait a minute"));
  g_assert_nonnull (strstr (done_label, "add a boat"));
  g_assert_nonnull (strstr (done_label, "64 × 36"));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (done)));

  /* Selected says so. */
  peel_board_select (board, f->e, FALSE);
  {
    g_autofree char *selected = peel_board_card_dup_label (done);
    g_assert_nonnull (strstr (selected, "selected"));
  }
}

/* The picture a node draws: its width in pixels and the width it is drawn at (in the node's
 * units, through the scales of the transforms above it). */
static gboolean
find_picture (GskRenderNode *node,
              double         scale,
              int           *pixels,
              double        *drawn)
{
  GskRenderNodeType type = gsk_render_node_get_node_type (node);
  graphene_rect_t bounds;

  gsk_render_node_get_bounds (node, &bounds);
  if (type == GSK_TEXTURE_NODE)
    {
      *pixels = gdk_texture_get_width (gsk_texture_node_get_texture (node));
      *drawn = bounds.size.width * scale;
      return TRUE;
    }
  if (type == GSK_CAIRO_NODE)
    {
      /* The card's copies of its thumbnail: one unit of the node is one pixel. */
      *pixels = (int) bounds.size.width;
      *drawn = bounds.size.width * scale;
      return TRUE;
    }
  if (type == GSK_CONTAINER_NODE)
    {
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        if (find_picture (gsk_container_node_get_child (node, i), scale, pixels, drawn))
          return TRUE;
      return FALSE;
    }
  if (type == GSK_TRANSFORM_NODE)
    {
      float xx, yx, xy, yy, dx, dy;

      gsk_transform_to_2d (gsk_transform_node_get_transform (node), &xx, &yx, &xy, &yy,
                           &dx, &dy);
      return find_picture (gsk_transform_node_get_child (node), scale * xx, pixels, drawn);
    }
  if (type == GSK_CLIP_NODE)
    return find_picture (gsk_clip_node_get_child (node), scale, pixels, drawn);
  if (type == GSK_ROUNDED_CLIP_NODE)
    return find_picture (gsk_rounded_clip_node_get_child (node), scale, pixels, drawn);
  return FALSE;
}

/* How many times more pixels the card's first picture has than it shows on screen, and
 * (@shown) how wide it is on screen. */
static double
picture_shrink (PeelBoard *board,
                GtkWidget *card,
                double    *shown)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int pixels = 0;
  double drawn = 0;

  GTK_WIDGET_GET_CLASS (card)->snapshot (card, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_true (find_picture (node, 1.0, &pixels, &drawn));
  if (shown != NULL)
    *shown = drawn * peel_board_get_zoom (board);
  return pixels / (drawn * peel_board_get_zoom (board));
}

static gboolean
card_loaded (gpointer card)
{
  return gtk_widget_get_mapped (card) && !peel_board_card_get_loading (card) &&
         peel_board_card_get_texture (card) != NULL;
}

/* Brings a card to the middle of the board's view. */
static void
pan_to (PeelBoard *board,
        PeelNode  *node)
{
  graphene_rect_t rect = card_rect (board, node);
  double zoom = peel_board_get_zoom (board);

  peel_board_pan (board,
                  (rect.origin.x + rect.size.width / 2 - board->offset_x) * zoom -
                  gtk_widget_get_width (GTK_WIDGET (board)) / 2.0,
                  (rect.origin.y + rect.size.height / 2 - board->offset_y) * zoom -
                  gtk_widget_get_height (GTK_WIDGET (board)) / 2.0);
  spin_for (100);
}

/* A card's thumbnail is drawn from a copy of about its size on screen at every zoom, never
 * shrunk by the renderer by more than a quarter (which GSK's cairo renderer does with a
 * convolution on every frame); once the zoom stays, the whole card is one picture of its size
 * on screen; a card out of view is not drawn, and is again when panned into view, where a click
 * finds it. */
static void
test_thumbnail_sizes (Fixture       *f,
                      gconstpointer  data)
{
  PeelNode *big = add_turn_sized (peel_window_get_session (f->window), f->e, "a wide one",
                                  0x806040ff, 1024, 576);
  PeelBoard *board = show_board (f);
  GtkWidget *card = peel_board_get_card (board, big);
  double zooms[] = { 0.5, 1.0, 0.15, 0.3, 2.0 };
  graphene_rect_t rect;
  PeelBoardItem *hit;

  g_assert_nonnull (card);
  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      double shrink, shown;

      peel_board_set_zoom (board, zooms[i]);
      pan_to (board, big);
      g_assert_true (wait_until (card_loaded, card, 10000));

      /* While zooming the card is drawn from its parts, the thumbnail the first picture. */
      peel_board_set_zoom (board, zooms[i] * 0.99);
      spin_for (50);
      shrink = picture_shrink (board, card, NULL);
      g_test_message ("zooming at %.2f: the thumbnail has %.2f times the pixels it shows",
                      zooms[i], shrink);
      g_assert_cmpfloat (shrink, <=, 1 / 0.75 + 0.02);
      /* Not smaller than shown, unless the thumbnail itself is (at 200 %). */
      if (zooms[i] <= 1.0)
        g_assert_cmpfloat (shrink, >=, 0.98);

      /* Panning at that zoom: the whole card is one picture, one pixel per pixel on screen. */
      peel_board_pan (board, 1, 0);
      spin_for (50);
      shrink = picture_shrink (board, card, &shown);
      g_test_message ("panning at %.2f: the card has %.2f times the pixels it shows", zooms[i],
                      shrink);
      g_assert_cmpfloat (shown, >=, PEEL_BOARD_CARD_WIDTH * zooms[i] * 0.99);
      g_assert_cmpfloat (shrink, >=, 0.99);
      g_assert_cmpfloat (shrink, <=, 1.02);
    }

  /* Far out of view: not mapped, so not drawn. */
  peel_board_set_zoom (board, 1.0);
  spin_for (50);
  peel_board_pan (board, 0, -20000);
  spin_for (100);
  g_assert_false (gtk_widget_get_mapped (card));

  /* Back in view: drawn again, and a click in its middle finds it. */
  pan_to (board, big);
  g_assert_true (wait_until (card_loaded, card, 10000));
  g_assert_cmpfloat (picture_shrink (board, card, NULL), <=, 1 / 0.75 + 0.02);
  rect = card_rect (board, big);
  hit = peel_board_item_at_point (board,
                                  (rect.origin.x + 20 - board->offset_x) * board->zoom,
                                  (rect.origin.y + 20 - board->offset_y) * board->zoom);
  g_assert_nonnull (hit);
  g_assert_true (hit->node == big);
}

static GtkGestureDrag *
board_drag_gesture (PeelBoard *board)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (board));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE_DRAG (controller);
    }
  g_assert_not_reached ();
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* Opens another session and then @path again, so the board reads board.json afresh. */
static void
reopen_session (Fixture    *f,
                const char *path)
{
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-session", NULL));
  session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  peel_window_open_session (f->window, session);
  spin_for (200);
}

static void
test_drag_saved (Fixture       *f,
                 gconstpointer  data)
{
  PeelBoard *board = show_board (f);
  GtkGestureDrag *drag = board_drag_gesture (board);
  GtkWidget *card = peel_board_get_card (board, f->d);
  g_autofree char *path =
    g_strdup (peel_store_get_path (peel_session_get_store (peel_window_get_session (f->window))));
  g_autofree char *places = g_build_filename (path, PEEL_BOARD_PLACES_FILE, NULL);
  g_autofree char *id = g_strdup (peel_node_get_id (f->d));
  graphene_rect_t before;
  graphene_point_t grab;
  double zoom;
  PeelNode *d;

  /* The drag gesture's own handlers, fed a press on the card and a move of 120 × 80 px.
   * Where the card is and the zoom are read once it is mapped: the wait runs the main loop,
   * and the board may still be laying out and fitting (on a slow sanitizer build it was). */
  g_assert_true (wait_until ((Condition) gtk_widget_get_mapped, card, 5000));
  before = card_rect (board, f->d);
  zoom = peel_board_get_zoom (board);
  g_assert_true (gtk_widget_compute_point (card, GTK_WIDGET (board),
                                           &GRAPHENE_POINT_INIT (20, 20), &grab));
  g_signal_emit_by_name (drag, "drag-begin", (double) grab.x, (double) grab.y);
  g_signal_emit_by_name (drag, "drag-update", 60.0, 40.0);
  g_signal_emit_by_name (drag, "drag-update", 120.0, 80.0);
  g_signal_emit_by_name (drag, "drag-end", 120.0, 80.0);

  g_assert_cmpfloat_with_epsilon (card_rect (board, f->d).origin.x,
                                  before.origin.x + 120 / zoom, 0.01);
  g_assert_cmpfloat_with_epsilon (card_rect (board, f->d).origin.y,
                                  before.origin.y + 80 / zoom, 0.01);
  g_assert_true (wait_until (file_exists, places, 5000));
  spin_for (200);

  reopen_session (f, path);
  board = show_board (f);
  d = peel_session_get_node (peel_window_get_session (f->window), id);
  g_assert_nonnull (d);
  g_assert_cmpfloat_with_epsilon (card_rect (board, d).origin.x, before.origin.x + 120 / zoom,
                                  0.1);
  g_assert_cmpfloat_with_epsilon (card_rect (board, d).origin.y, before.origin.y + 80 / zoom,
                                  0.1);

  /* A damaged board.json is ignored: the card goes back to where the tree puts it. */
  g_assert_true (g_file_set_contents (places, "{\"version\":1,\"places\":{\"", -1, NULL));
  reopen_session (f, path);
  board = show_board (f);
  d = peel_session_get_node (peel_window_get_session (f->window), id);
  g_assert_cmpfloat (card_rect (board, d).origin.x, ==, before.origin.x);
  g_assert_cmpfloat (card_rect (board, d).origin.y, ==, before.origin.y);
}

static void
test_follows_and_opens (Fixture       *f,
                        gconstpointer  data)
{
  PeelBoard *board = show_board (f);
  PeelSession *session = peel_window_get_session (f->window);

  /* The board follows the current node... */
  peel_session_set_current (session, f->b);
  spin_for (100);
  {
    g_autofree char *label =
      peel_board_card_dup_label (PEEL_BOARD_CARD (peel_board_get_card (board, f->b)));
    g_assert_nonnull (strstr (label, "shown"));
  }

  /* ...and a double-click (Enter) on a card opens its turn on the canvas. */
  g_signal_emit_by_name (board, "node-activated", f->d);
  g_assert_true (peel_session_get_current (session) == f->d);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (board)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->canvas_stack)));
}

static void
test_combine (Fixture       *f,
              gconstpointer  data)
{
  PeelBoard *board = show_board (f);
  GListModel *references = peel_prompt_bar_get_references (peel_window_get_prompt_bar (f->window));

  peel_board_select (board, f->b, TRUE);
  peel_board_select (board, f->d, TRUE);
  {
    g_autoptr(GPtrArray) selection = peel_board_dup_selection (board);
    g_assert_cmpuint (selection->len, ==, 2);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (board), "board.combine", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 2);
  {
    g_autoptr(GPtrArray) selection = peel_board_dup_selection (board);
    g_assert_cmpuint (selection->len, ==, 0);
  }
}

static guint
count_children_with_prompt (PeelNode   *node,
                            const char *prompt,
                            gboolean    done)
{
  GListModel *children = peel_node_get_children (node);
  guint n = 0;

  for (guint i = 0; children != NULL && i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(PeelNode) child = g_list_model_get_item (children, i);

      if (g_strcmp0 (peel_node_get_prompt (child), prompt) == 0 &&
          (!done || peel_node_get_status (child) == PEEL_NODE_DONE))
        n++;
    }
  return n;
}

typedef struct
{
  PeelNode *one, *two;
} Pair;

static gboolean
both_continued (gpointer data)
{
  Pair *pair = data;

  return count_children_with_prompt (pair->one, "make it blue", TRUE) == 1 &&
         count_children_with_prompt (pair->two, "make it blue", TRUE) == 1;
}

static void
test_apply_to_each (Fixture       *f,
                    gconstpointer  data)
{
  PeelBoard *board = show_board (f);
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  Pair pair = { f->e, f->d };

  /* Without an instruction nothing is sent. */
  peel_board_select (board, f->e, TRUE);
  peel_board_select (board, f->d, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (board), "board.apply-to-each", NULL));
  g_assert_false (peel_window_get_busy (f->window));

  /* The demo connection is ready before anything is sent. */
  g_assert_true (wait_until ((Condition) peel_service_get_client,
                             peel_application_get_service (app), 10000));
  peel_prompt_bar_set_prompt (bar, "make it blue");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (board), "board.apply-to-each", NULL));
  if (!wait_until (both_continued, &pair, GENERATION_TIMEOUT_MS))
    {
      PeelNode *each[] = { f->e, f->d };

      for (guint i = 0; i < G_N_ELEMENTS (each); i++)
        {
          GListModel *children = peel_node_get_children (each[i]);

          for (guint j = 0; children != NULL && j < g_list_model_get_n_items (children); j++)
            {
              g_autoptr(PeelNode) child = g_list_model_get_item (children, j);

              g_test_message ("%s → %s: %s %s", peel_node_get_prompt (each[i]),
                              peel_node_get_prompt (child),
                              peel_node_status_to_string (peel_node_get_status (child)),
                              peel_node_get_error_message (child));
            }
        }
      g_error ("Apply to Each did not continue both turns");
    }
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  spin_for (300);

  /* One turn per selected node, each on its own branch, and no more. */
  g_assert_cmpuint (count_children_with_prompt (f->e, "make it blue", FALSE), ==, 1);
  g_assert_cmpuint (count_children_with_prompt (f->d, "make it blue", FALSE), ==, 1);
  g_assert_cmpuint (count_children_with_prompt (f->b, "make it blue", FALSE), ==, 0);
  g_assert_cmpuint (count_children_with_prompt (f->a, "make it blue", FALSE), ==, 0);
}

static void
test_places_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("peel-board-places-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, PEEL_BOARD_PLACES_FILE, NULL);
  g_autofree char *target = g_build_filename (dir, "elsewhere.json", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(GHashTable) places = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"version\":1,\"places\":");
  PeelBoardPlace *place;

  /* No file: no places. */
  places = peel_board_places_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (places), ==, 0);
  g_clear_pointer (&places, g_hash_table_unref);

  /* Bad entries cost only themselves. */
  g_assert_true (g_file_set_contents (path, "{\"version\":1,\"places\":{"
                                      "\"good\":[10,20.5],\"../x\":[1,2],\"nan\":[1e400,2],"
                                      "\"far\":[1e9,0],\"short\":[1],\"text\":[\"a\",2]}}",
                                      -1, NULL));
  places = peel_board_places_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (places), ==, 1);
  place = g_hash_table_lookup (places, "good");
  g_assert_nonnull (place);
  g_assert_cmpfloat (place->x, ==, 10);
  g_assert_cmpfloat (place->y, ==, 20.5);

  /* Round trip. */
  g_assert_true (peel_board_places_save (dir, places, &error));
  g_assert_no_error (error);
  g_clear_pointer (&places, g_hash_table_unref);
  places = peel_board_places_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (places), ==, 1);
  g_clear_pointer (&places, g_hash_table_unref);

  /* Nested far too deep, another version, a symlink: refused, nothing read. */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_true (g_file_set_contents (path, deep->str, deep->len, NULL));
  g_assert_null (peel_board_places_load (dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{\"version\":2,\"places\":{}}", -1, NULL));
  g_assert_null (peel_board_places_load (dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (g_file_set_contents (target, "{\"version\":1,\"places\":{\"a\":[1,2]}}", -1,
                                      NULL));
  g_assert_cmpint (symlink (target, path), ==, 0);
  g_assert_null (peel_board_places_load (dir, &error));
  g_assert_error (error, PEEL_JSON_ERROR, PEEL_JSON_ERROR_NOT_A_FILE);
  g_clear_error (&error);

  g_assert_cmpint (system (command), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  window_test_init (&argc, &argv);
  g_unsetenv ("GEMINI_API_KEY");

  app = peel_application_new_for_test (TRUE);
  peel_application_set_demo_start (app, peel_demo_server_new_started);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/Peel/Board/layout", test_layout);
  ADD ("/Peel/Board/failed-card-and-names", test_failed_card_and_names);
  ADD ("/Peel/Board/drag-saved", test_drag_saved);
  ADD ("/Peel/Board/follows-and-opens", test_follows_and_opens);
  ADD ("/Peel/Board/combine", test_combine);
  ADD ("/Peel/Board/apply-to-each", test_apply_to_each);
  ADD ("/Peel/Board/thumbnail-sizes", test_thumbnail_sizes);
#undef ADD
  g_test_add_func ("/Peel/Board/places-hostile", test_places_hostile);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
