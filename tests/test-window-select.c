/* test-window-select.c
 *
 * Selections and marks in the real window against the in-process demo server: each node keeps
 * its own as the node shown changes, the prompt bar says what a selection sends, an empty one
 * keeps Generate off with a hint, and the brush keys change the brush.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-application.h"
#include "peel-canvas-private.h"
#include "peel-canvas-tools-private.h"
#include "peel-demo-server.h"
#include "peel-panel-text.h"
#include "peel-turn-settings.h"
#include "peel-window-private.h"
#include "window-test-util.h"

#define GENERATION_TIMEOUT_MS 60000

static PeelApplication *app;

typedef struct
{
  PeelWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "last-session");
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  f->window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  peel_turn_settings_set_image_size (peel_prompt_bar_get_settings (f->window->prompt_bar),
                                     PEEL_IMAGE_SIZE_512);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_window (&f->window);
}

typedef struct
{
  PeelCanvas *canvas;
  PeelNode   *node;
} Shown;

static gboolean
canvas_shows_node (gpointer data)
{
  Shown *shown = data;
  GdkTexture *texture = peel_canvas_get_texture (shown->canvas);
  int width = peel_node_get_final_width (shown->node);
  int height = peel_node_get_final_height (shown->node);

  return texture != NULL && !peel_canvas_get_dimmed (shown->canvas) &&
         gdk_texture_get_width (texture) == width && gdk_texture_get_height (texture) == height;
}

static PeelNode *
generate (Fixture    *f,
          const char *prompt)
{
  PeelSession *session = peel_window_get_session (f->window);
  Shown shown = { f->window->canvas, NULL };

  peel_prompt_bar_set_prompt (f->window->prompt_bar, prompt);
  g_assert_true (peel_prompt_bar_get_can_generate (f->window->prompt_bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  shown.node = peel_session_get_current (session);
  g_assert_cmpint (peel_node_get_status (shown.node), ==, PEEL_NODE_DONE);
  g_assert_true (wait_until (canvas_shows_node, &shown, 20000));
  return shown.node;
}

static void
go_to (Fixture  *f,
       PeelNode *node)
{
  Shown shown = { f->window->canvas, node };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-to", "s",
                                             peel_node_get_id (node)));
  g_assert_true (wait_until (canvas_shows_node, &shown, 20000));
}

static void
test_survives_switching (Fixture       *f,
                         gconstpointer  data)
{
  PeelCanvas *canvas = f->window->canvas;
  PeelNode *first, *second;
  PeelRegionRect bounds;
  const char *note;

  first = generate (f, "a lighthouse on a cliff");
  second = generate (f, "make the sky stormy");
  g_assert_null (peel_prompt_bar_get_region_note (f->window->prompt_bar));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.canvas-tool", "s", "rectangle");
  g_assert_cmpint (peel_canvas_get_tool (canvas), ==, PEEL_CANVAS_TOOL_RECTANGLE);
  peel_canvas_select_rect (canvas, PEEL_CANVAS_TOOL_RECTANGLE, PEEL_CANVAS_SELECT_REPLACE,
                           40, 30, 200, 150);
  peel_canvas_add_mark (canvas, peel_mark_new (PEEL_MARK_ARROW, "#e01b24", 4));
  peel_mark_add_point (g_ptr_array_index (peel_canvas_get_marks (canvas), 0), 10, 10);
  peel_mark_add_point (g_ptr_array_index (peel_canvas_get_marks (canvas), 0), 90, 60);
  g_signal_emit_by_name (canvas, "marks-changed");

  /* The bar says the turn edits the selection, at what shape and size, and for how much. */
  note = peel_prompt_bar_get_region_note (f->window->prompt_bar);
  g_assert_nonnull (note);
  g_assert_true (g_str_has_prefix (note, "Editing the selection"));
  g_assert_nonnull (strstr (note, "feather"));
  g_assert_nonnull (strstr (note, "$"));

  /* The first image has neither. */
  go_to (f, first);
  g_assert_false (peel_canvas_has_selection (canvas));
  g_assert_cmpuint (peel_canvas_get_marks (canvas)->len, ==, 0);
  g_assert_null (peel_prompt_bar_get_region_note (f->window->prompt_bar));

  /* Back to the second: both as they were. */
  go_to (f, second);
  g_assert_true (peel_canvas_has_selection (canvas));
  g_assert_true (peel_region_mask_bounds (peel_canvas_get_selection (canvas), &bounds));
  g_assert_cmpint (bounds.x, ==, 40);
  g_assert_cmpint (bounds.y, ==, 30);
  g_assert_cmpint (bounds.width, ==, 160);
  g_assert_cmpint (bounds.height, ==, 120);
  g_assert_cmpuint (peel_canvas_get_marks (canvas)->len, ==, 1);
  g_assert_nonnull (peel_prompt_bar_get_region_note (f->window->prompt_bar));
}

static void
test_empty_selection (Fixture       *f,
                      gconstpointer  data)
{
  PeelCanvas *canvas = f->window->canvas;
  PeelPromptBar *bar = f->window->prompt_bar;
  double size;

  generate (f, "a lighthouse on a cliff");
  peel_prompt_bar_set_prompt (bar, "make the lamp brass");
  g_assert_true (peel_prompt_bar_get_can_generate (bar));

  /* The brush keys, as the shortcuts window lists them. */
  size = peel_canvas_get_brush_size (canvas);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.brush-larger", NULL));
  g_assert_cmpfloat (peel_canvas_get_brush_size (canvas), ==, round (size * 1.25));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.brush-smaller", NULL));
  g_assert_cmpfloat (fabs (peel_canvas_get_brush_size (canvas) - size), <=, 1);

  /* Everything erased: Generate is off, and the bar says why and what to do. */
  peel_canvas_select_rect (canvas, PEEL_CANVAS_TOOL_RECTANGLE, PEEL_CANVAS_SELECT_REPLACE,
                           10, 10, 100, 100);
  peel_canvas_select_rect (canvas, PEEL_CANVAS_TOOL_RECTANGLE, PEEL_CANVAS_SELECT_SUBTRACT,
                           0, 0, 200, 200);
  g_assert_true (peel_canvas_selection_is_empty (canvas));
  g_assert_false (peel_prompt_bar_get_can_generate (bar));
  g_assert_nonnull (strstr (peel_prompt_bar_get_region_note (bar), "empty"));
  g_assert_nonnull (strstr (peel_prompt_bar_get_region_note (bar), "clear"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-selection",
                                             NULL));
  g_assert_false (peel_canvas_has_selection (canvas));
  g_assert_true (peel_prompt_bar_get_can_generate (bar));
  g_assert_null (peel_prompt_bar_get_region_note (bar));

  /* Inverting nothing selects everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.invert-selection",
                                             NULL));
  g_assert_true (peel_canvas_has_selection (canvas));
  g_assert_false (peel_canvas_selection_is_empty (canvas));
  g_assert_true (peel_prompt_bar_get_can_generate (bar));
}

static GdkPixbuf *
decode_node (PeelNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = peel_node_dup_final_image_bytes (node, &error);
  g_autoptr(GInputStream) stream = NULL;
  GdkPixbuf *pixbuf;

  g_assert_no_error (error);
  stream = g_memory_input_stream_new_from_bytes (bytes);
  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  return pixbuf;
}

/* Offline, as a user does it: select, type, Generate through the demo server. The result is a
 * region edit whose every pixel beyond the feathered selection is the parent's, exactly. */
static void
test_region_edit (Fixture       *f,
                  gconstpointer  data)
{
  PeelCanvas *canvas = f->window->canvas;
  g_autoptr(PeelRegionMask) mask = NULL;
  g_autoptr(PeelRegionMask) feathered = NULL;
  g_autoptr(GdkPixbuf) before = NULL;
  g_autoptr(GdkPixbuf) after = NULL;
  PeelNode *parent, *child;
  PeelRegionInfo info;
  int width, height, n_channels, outside_changed = 0, inside_changed = 0;

  peel_turn_settings_set_aspect_ratio (peel_prompt_bar_get_settings (f->window->prompt_bar),
                                       "16:9");
  parent = generate (f, "a lighthouse on a cliff");
  width = peel_node_get_final_width (parent);
  height = peel_node_get_final_height (parent);
  peel_canvas_set_feather (canvas, 8);
  peel_canvas_select_rect (canvas, PEEL_CANVAS_TOOL_ELLIPSE, PEEL_CANVAS_SELECT_REPLACE,
                           width * 0.4, height * 0.3, width * 0.4 + height * 0.4,
                           height * 0.7);
  mask = peel_region_mask_copy (peel_canvas_get_selection (canvas));

  child = generate (f, "make the lamp glow brass");
  g_assert_true (peel_node_get_parent (child) == parent);
  g_assert_true (peel_node_get_region (child, &info));
  g_assert_cmpint (info.feather, ==, 8);
  {
    g_autofree char *text = peel_panels_region_text (&info);

    g_assert_true (g_str_has_prefix (text, "Region edit · feather 8 px"));
  }
  /* The new image starts with no selection of its own; the parent's is kept. */
  g_assert_false (peel_canvas_has_selection (canvas));

  before = decode_node (parent);
  after = decode_node (child);
  g_assert_cmpint (gdk_pixbuf_get_width (after), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (after), ==, height);
  g_assert_cmpint (gdk_pixbuf_get_n_channels (after), ==, gdk_pixbuf_get_n_channels (before));
  n_channels = gdk_pixbuf_get_n_channels (before);
  feathered = peel_region_mask_feather (mask, 8);
  for (int y = 0; y < height; y++)
    {
      const guint8 *a = gdk_pixbuf_read_pixels (before)
                        + (gsize) y * gdk_pixbuf_get_rowstride (before);
      const guint8 *b = gdk_pixbuf_read_pixels (after)
                        + (gsize) y * gdk_pixbuf_get_rowstride (after);

      for (int x = 0; x < width; x++)
        {
          gboolean differs = memcmp (a + x * n_channels, b + x * n_channels, n_channels) != 0;

          if (feathered->data[(gsize) y * width + x] == 0)
            outside_changed += differs;
          else
            inside_changed += differs;
        }
    }
  g_assert_cmpint (outside_changed, ==, 0);
  g_assert_cmpint (inside_changed, >, width * height / 50);

  /* Compared with its parent, the region edit's side says what it is. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare-mode", "s", "split");
  g_assert_cmpstr (canvas->label_a, ==, "This · region edit");
  g_assert_cmpstr (canvas->label_b, ==, "a lighthouse on a cliff");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare-mode", "s", "none");

  /* Back on the parent, its selection is there again. */
  go_to (f, parent);
  g_assert_true (peel_canvas_has_selection (canvas));
  g_assert_cmpmem (peel_canvas_get_selection (canvas)->data, (gsize) width * height,
                   mask->data, (gsize) width * height);
}

/* Send with marks: the child is an ordinary node whose marks start empty; the parent keeps its
 * own. */
static void
test_send_with_marks (Fixture       *f,
                      gconstpointer  data)
{
  PeelCanvas *canvas = f->window->canvas;
  PeelNode *parent, *child;
  PeelRegionInfo info;
  PeelMark *mark = peel_mark_new (PEEL_MARK_ARROW, "#e01b24", 6);

  parent = generate (f, "a lighthouse on a cliff");
  peel_mark_add_point (mark, 20, 20);
  peel_mark_add_point (mark, 120, 90);
  peel_canvas_add_mark (canvas, mark);
  g_assert_nonnull (peel_node_get_marks (parent));
  g_assert_cmpuint (peel_node_get_marks (parent)->len, ==, 1);
  peel_canvas_tool_strip_set_send_marks (f->window->tool_strip, TRUE);

  child = generate (f, "move the lighthouse where the arrow points");
  g_assert_false (peel_node_get_region (child, &info));
  g_assert_true (peel_node_get_marks (child) == NULL || peel_node_get_marks (child)->len == 0);
  g_assert_cmpuint (peel_canvas_get_marks (canvas)->len, ==, 0);
  g_assert_false (peel_canvas_tool_strip_get_send_marks (f->window->tool_strip));
  go_to (f, parent);
  g_assert_cmpuint (peel_canvas_get_marks (canvas)->len, ==, 1);
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
  ADD ("/Peel/WindowSelect/survives-switching", test_survives_switching);
  ADD ("/Peel/WindowSelect/empty-selection", test_empty_selection);
  ADD ("/Peel/WindowSelect/region-edit", test_region_edit);
  ADD ("/Peel/WindowSelect/send-with-marks", test_send_with_marks);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
