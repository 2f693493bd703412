/* test-canvas-select.c
 *
 * The canvas's selection tools and marks, driven through the canvas's own drag path as a
 * pointer drives it: a rectangle dragged and read back from the mask, invert, clear, the brush
 * and its keys, the overlay drawn one texel per device pixel at any zoom, and marks added,
 * moved, deleted and undone.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "peel-canvas-tools-private.h"

#define IMAGE_WIDTH  400
#define IMAGE_HEIGHT 200

typedef struct
{
  GtkWidget  *window;
  PeelCanvas *canvas;
} Fixture;

static GdkTexture *
make_texture (int width,
              int height)
{
  gsize stride = (gsize) width * 4;
  guint8 *data = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < stride * height; i += 4)
    {
      data[i] = (guint8) (i / 4 % width);
      data[i + 1] = 90;
      data[i + 2] = 160;
      data[i + 3] = 255;
    }
  bytes = g_bytes_new_take (data, stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

static gboolean
spin_until_drawn (PeelCanvas *canvas)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  canvas->image_drawn = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (canvas));
  while (!canvas->image_drawn && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return canvas->image_drawn;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = make_texture (IMAGE_WIDTH, IMAGE_HEIGHT);

  f->window = gtk_window_new ();
  f->canvas = PEEL_CANVAS (peel_canvas_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->canvas));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 400);
  gtk_window_present (GTK_WINDOW (f->window));
  peel_canvas_set_texture (f->canvas, texture);
  g_assert_true (spin_until_drawn (f->canvas));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->canvas)), >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkGestureDrag *
canvas_drag_gesture (PeelCanvas *canvas)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller) && !GTK_IS_GESTURE_SWIPE (controller))
        return GTK_GESTURE_DRAG (controller);
    }
  g_assert_not_reached ();
}

/* A drag through the canvas's own handlers, in widget coordinates, as the pointer makes it. */
static void
drag (PeelCanvas *canvas,
      double      x1,
      double      y1,
      double      x2,
      double      y2)
{
  GtkGestureDrag *gesture = canvas_drag_gesture (canvas);

  g_assert_true (_peel_canvas_tools_drag_begin (canvas, gesture, x1, y1));
  for (int i = 1; i <= 8; i++)
    g_assert_true (_peel_canvas_tools_drag_update (canvas, gesture, (x2 - x1) * i / 8,
                                                   (y2 - y1) * i / 8));
  g_assert_true (_peel_canvas_tools_drag_end (canvas, gesture));
}

static void
image_to_widget (PeelCanvas *canvas,
                 double      u,
                 double      v,
                 double     *x,
                 double     *y)
{
  *x = canvas->view.x + u * canvas->view.scale;
  *y = canvas->view.y + v * canvas->view.scale;
}

static guint8
mask_at (PeelCanvas *canvas,
         int         u,
         int         v)
{
  const PeelRegionMask *mask = peel_canvas_get_selection (canvas);

  g_assert_nonnull (mask);
  return mask->data[(gsize) v * mask->width + u];
}

static void
count_signal_cb (gpointer  instance,
                 guint    *count)
{
  (*count)++;
}

static void
test_rectangle (Fixture       *f,
                gconstpointer  data)
{
  PeelRegionRect bounds;
  double x1, y1, x2, y2;
  guint changes = 0;

  g_signal_connect (f->canvas, "selection-changed", G_CALLBACK (count_signal_cb), &changes);

  /* Panning never selects. */
  g_assert_false (_peel_canvas_tools_drag_begin (f->canvas, canvas_drag_gesture (f->canvas),
                                                 10, 10));
  g_assert_false (peel_canvas_has_selection (f->canvas));

  peel_canvas_set_tool (f->canvas, PEEL_CANVAS_TOOL_RECTANGLE);
  image_to_widget (f->canvas, 100, 50, &x1, &y1);
  image_to_widget (f->canvas, 300, 150, &x2, &y2);
  drag (f->canvas, x1, y1, x2, y2);

  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (peel_canvas_has_selection (f->canvas));
  g_assert_false (peel_canvas_selection_is_empty (f->canvas));
  g_assert_true (peel_region_mask_bounds (peel_canvas_get_selection (f->canvas), &bounds));
  g_assert_cmpint (ABS (bounds.x - 100), <=, 1);
  g_assert_cmpint (ABS (bounds.y - 50), <=, 1);
  g_assert_cmpint (ABS (bounds.width - 200), <=, 2);
  g_assert_cmpint (ABS (bounds.height - 100), <=, 2);
  g_assert_cmpuint (mask_at (f->canvas, 200, 100), ==, 255);
  g_assert_cmpuint (mask_at (f->canvas, 20, 20), ==, 0);
  g_assert_cmpuint (mask_at (f->canvas, 350, 180), ==, 0);

  /* Shift adds an ellipse beside it; a plain drag replaces. */
  peel_canvas_select_rect (f->canvas, PEEL_CANVAS_TOOL_ELLIPSE, PEEL_CANVAS_SELECT_ADD,
                           320, 20, 380, 80);
  g_assert_cmpuint (mask_at (f->canvas, 350, 50), ==, 255);
  g_assert_cmpuint (mask_at (f->canvas, 321, 21), ==, 0);
  g_assert_cmpuint (mask_at (f->canvas, 200, 100), ==, 255);

  peel_canvas_invert_selection (f->canvas);
  g_assert_cmpuint (mask_at (f->canvas, 200, 100), ==, 0);
  g_assert_cmpuint (mask_at (f->canvas, 20, 20), ==, 255);
  g_assert_cmpuint (mask_at (f->canvas, 350, 50), ==, 0);

  peel_canvas_clear_selection (f->canvas);
  g_assert_false (peel_canvas_has_selection (f->canvas));
  g_assert_null (peel_canvas_get_selection (f->canvas));
  g_assert_cmpuint (changes, ==, 4);

  /* A click without a drag leaves nothing selected. */
  drag (f->canvas, x1, y1, x1, y1);
  g_assert_false (peel_canvas_has_selection (f->canvas));
}

static void
test_lasso_and_brush (Fixture       *f,
                      gconstpointer  data)
{
  PeelMarkPoint triangle[] = { { 50, 20 }, { 150, 180 }, { 10, 180 } };
  PeelMarkPoint stroke[] = { { 200, 100 }, { 300, 100 } };
  double x, y;

  peel_canvas_select_polygon (f->canvas, PEEL_CANVAS_SELECT_REPLACE, triangle, 3);
  g_assert_cmpuint (mask_at (f->canvas, 70, 150), ==, 255);
  g_assert_cmpuint (mask_at (f->canvas, 140, 40), ==, 0);

  /* The brush paints a band as wide as its size, and with Ctrl erases it again. */
  peel_canvas_set_brush_size (f->canvas, 20);
  peel_canvas_brush_stroke (f->canvas, FALSE, stroke, 2);
  g_assert_cmpuint (mask_at (f->canvas, 250, 100), ==, 255);
  g_assert_cmpuint (mask_at (f->canvas, 250, 108), ==, 255);
  g_assert_cmpuint (mask_at (f->canvas, 250, 115), ==, 0);
  g_assert_cmpuint (mask_at (f->canvas, 70, 150), ==, 255);

  peel_canvas_brush_stroke (f->canvas, TRUE, stroke, 2);
  g_assert_cmpuint (mask_at (f->canvas, 250, 100), ==, 0);
  g_assert_cmpuint (mask_at (f->canvas, 70, 150), ==, 255);

  /* Erasing everything leaves an empty selection, which Generate refuses. */
  peel_canvas_set_tool (f->canvas, PEEL_CANVAS_TOOL_BRUSH);
  peel_canvas_set_brush_size (f->canvas, 1024);
  image_to_widget (f->canvas, 100, 100, &x, &y);
  peel_canvas_brush_stroke (f->canvas, TRUE, (PeelMarkPoint[]) { { 100, 100 } }, 1);
  g_assert_true (peel_canvas_has_selection (f->canvas));
  g_assert_true (peel_canvas_selection_is_empty (f->canvas));

  /* Painting with the pointer. */
  peel_canvas_set_brush_size (f->canvas, 30);
  drag (f->canvas, x, y, x + 40 * f->canvas->view.scale, y);
  g_assert_cmpuint (mask_at (f->canvas, 120, 100), ==, 255);
  g_assert_false (peel_canvas_selection_is_empty (f->canvas));

  /* The size is kept within bounds. */
  peel_canvas_set_brush_size (f->canvas, 100000);
  g_assert_cmpfloat (peel_canvas_get_brush_size (f->canvas), ==, PEEL_CANVAS_BRUSH_MAX);
  peel_canvas_set_brush_size (f->canvas, 0);
  g_assert_cmpfloat (peel_canvas_get_brush_size (f->canvas), ==, PEEL_CANVAS_BRUSH_MIN);
}

/* The outline and tint are made per device pixel of what is visible, at every zoom. */
static void
test_overlay_crisp (Fixture       *f,
                    gconstpointer  data)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (f->canvas));
  int width = gtk_widget_get_width (GTK_WIDGET (f->canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (f->canvas));

  peel_canvas_select_rect (f->canvas, PEEL_CANVAS_TOOL_RECTANGLE, PEEL_CANVAS_SELECT_REPLACE,
                           100, 50, 300, 150);
  g_assert_true (spin_until_drawn (f->canvas));
  g_assert_nonnull (f->canvas->select->tiles);
  g_assert_cmpint (ABS (f->canvas->select->overlay_width
                        - (int) (IMAGE_WIDTH * f->canvas->view.scale * sf)), <=, 1);

  /* A dab of the brush makes again only the tiles it reaches. */
  {
    g_autoptr(GPtrArray) before =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);
    guint kept = 0;

    for (guint i = 0; i < f->canvas->select->tiles->len; i++)
      g_ptr_array_add (before,
                       gsk_render_node_ref (g_ptr_array_index (f->canvas->select->tiles, i)));
    g_assert_cmpuint (before->len, >, 1);
    peel_canvas_set_brush_size (f->canvas, 4);
    peel_canvas_brush_stroke (f->canvas, FALSE, (PeelMarkPoint[]) { { 10, 10 } }, 1);
    g_assert_true (spin_until_drawn (f->canvas));
    g_assert_cmpuint (mask_at (f->canvas, 10, 10), ==, 255);
    g_assert_true (g_ptr_array_index (f->canvas->select->tiles, 0) != before->pdata[0]);
    for (guint i = 1; i < before->len; i++)
      kept += g_ptr_array_index (f->canvas->select->tiles, i) == before->pdata[i];
    g_assert_cmpuint (kept, ==, before->len - 1);
  }

  peel_canvas_set_zoom (f->canvas, 8);
  g_assert_true (spin_until_drawn (f->canvas));
  /* At 800 %, the image is far larger than the widget: the overlay is the widget's size, not
   * the image's at that zoom. */
  g_assert_cmpint (f->canvas->select->overlay_width, <=, width * sf);
  g_assert_cmpint (f->canvas->select->overlay_height, <=, height * sf);
  g_assert_cmpint (f->canvas->select->overlay_width, >=, width * sf - 1);
  for (guint i = 0; i < f->canvas->select->tiles->len; i++)
    {
      graphene_rect_t bounds;

      gsk_render_node_get_bounds (g_ptr_array_index (f->canvas->select->tiles, i), &bounds);
      g_assert_cmpfloat (bounds.size.width * sf, <=, 256);
      g_assert_cmpfloat (bounds.size.height * sf, <=, 256);
    }
}

/* The pictures a frame of the canvas is made of (textures and cairo drawings), in order. */
static void
collect_pictures (GskRenderNode *node,
                  GPtrArray     *out)
{
  GskRenderNodeType type = gsk_render_node_get_node_type (node);

  if (type == GSK_CONTAINER_NODE)
    for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
      collect_pictures (gsk_container_node_get_child (node, i), out);
  else if (type == GSK_TRANSFORM_NODE)
    collect_pictures (gsk_transform_node_get_child (node), out);
  else if (type == GSK_CLIP_NODE)
    collect_pictures (gsk_clip_node_get_child (node), out);
  else if (type == GSK_OPACITY_NODE)
    collect_pictures (gsk_opacity_node_get_child (node), out);
  else if (type == GSK_CAIRO_NODE || type == GSK_TEXTURE_NODE)
    g_ptr_array_add (out, gsk_render_node_ref (node));
}

static GPtrArray *
canvas_pictures (PeelCanvas *canvas)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GPtrArray *pictures = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  collect_pictures (node, pictures);
  return pictures;
}

/* Painting on a large image keeps 60 frames a second only if a dab redraws what it reaches:
 * GTK redraws the nodes of a frame that are not the very nodes of the frame before, so the
 * image and every tile of the overlay the dab does not reach must be the same nodes again. */
static void
test_dab_redraws_little (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  guint kept = 0;

  peel_canvas_select_rect (f->canvas, PEEL_CANVAS_TOOL_RECTANGLE, PEEL_CANVAS_SELECT_REPLACE,
                           100, 50, 300, 150);
  g_assert_true (spin_until_drawn (f->canvas));
  before = canvas_pictures (f->canvas);
  g_assert_cmpuint (before->len, >, 2);

  peel_canvas_set_brush_size (f->canvas, 4);
  peel_canvas_brush_stroke (f->canvas, FALSE, (PeelMarkPoint[]) { { 10, 10 } }, 1);
  g_assert_true (spin_until_drawn (f->canvas));
  after = canvas_pictures (f->canvas);
  g_assert_cmpuint (after->len, ==, before->len);

  for (guint i = 0; i < after->len; i++)
    kept += g_ptr_array_find (before, after->pdata[i], NULL);
  g_test_message ("%u of %u pictures kept", kept, after->len);
  /* Only the tile under the dab is new. */
  g_assert_cmpuint (kept, ==, after->len - 1);
}

static void
test_marks (Fixture       *f,
            gconstpointer  data)
{
  GPtrArray *marks;
  PeelMarkPoint *tail;
  double x1, y1, x2, y2;
  guint changes = 0;

  g_signal_connect (f->canvas, "marks-changed", G_CALLBACK (count_signal_cb), &changes);
  peel_canvas_set_tool (f->canvas, PEEL_CANVAS_TOOL_MARKS);
  peel_canvas_set_mark_kind (f->canvas, PEEL_MARK_ARROW);
  peel_canvas_set_mark_color (f->canvas, "#3584e4");

  image_to_widget (f->canvas, 40, 40, &x1, &y1);
  image_to_widget (f->canvas, 160, 120, &x2, &y2);
  drag (f->canvas, x1, y1, x2, y2);
  marks = peel_canvas_get_marks (f->canvas);
  g_assert_cmpuint (marks->len, ==, 1);
  g_assert_cmpint (((PeelMark *) marks->pdata[0])->kind, ==, PEEL_MARK_ARROW);
  g_assert_cmpstr (((PeelMark *) marks->pdata[0])->color, ==, "#3584e4");
  tail = &g_array_index (((PeelMark *) marks->pdata[0])->points, PeelMarkPoint, 0);
  g_assert_cmpfloat_with_epsilon (tail->x, 40, 0.01);
  g_assert_cmpuint (changes, ==, 1);

  /* A rectangle elsewhere, then a note where the text is set. */
  peel_canvas_set_mark_kind (f->canvas, PEEL_MARK_RECTANGLE);
  image_to_widget (f->canvas, 250, 20, &x1, &y1);
  image_to_widget (f->canvas, 380, 90, &x2, &y2);
  drag (f->canvas, x1, y1, x2, y2);
  peel_canvas_set_mark_kind (f->canvas, PEEL_MARK_TEXT);
  peel_canvas_set_note_text (f->canvas, "make this brass");
  image_to_widget (f->canvas, 250, 160, &x1, &y1);
  drag (f->canvas, x1, y1, x1, y1);
  marks = peel_canvas_get_marks (f->canvas);
  g_assert_cmpuint (marks->len, ==, 3);
  g_assert_cmpstr (((PeelMark *) marks->pdata[2])->text, ==, "make this brass");

  /* Dragging the arrow moves it, whatever tool shape is chosen. */
  image_to_widget (f->canvas, 100, 80, &x1, &y1);
  drag (f->canvas, x1, y1, x1 + 20 * f->canvas->view.scale, y1 + 10 * f->canvas->view.scale);
  marks = peel_canvas_get_marks (f->canvas);
  g_assert_cmpuint (marks->len, ==, 3);
  g_assert_cmpint (peel_canvas_get_selected_mark (f->canvas), ==, 0);
  tail = &g_array_index (((PeelMark *) marks->pdata[0])->points, PeelMarkPoint, 0);
  g_assert_cmpfloat_with_epsilon (tail->x, 60, 0.01);
  g_assert_cmpfloat_with_epsilon (tail->y, 50, 0.01);

  g_assert_true (peel_canvas_delete_selected_mark (f->canvas));
  marks = peel_canvas_get_marks (f->canvas);
  g_assert_cmpuint (marks->len, ==, 2);
  g_assert_cmpint (((PeelMark *) marks->pdata[0])->kind, ==, PEEL_MARK_RECTANGLE);
  g_assert_false (peel_canvas_delete_selected_mark (f->canvas));

  /* Undo brings the arrow back where it was moved to, then where it was drawn. */
  g_assert_true (peel_canvas_undo_marks (f->canvas));
  marks = peel_canvas_get_marks (f->canvas);
  g_assert_cmpuint (marks->len, ==, 3);
  tail = &g_array_index (((PeelMark *) marks->pdata[0])->points, PeelMarkPoint, 0);
  g_assert_cmpfloat_with_epsilon (tail->x, 60, 0.01);
  g_assert_true (peel_canvas_undo_marks (f->canvas));
  marks = peel_canvas_get_marks (f->canvas);
  tail = &g_array_index (((PeelMark *) marks->pdata[0])->points, PeelMarkPoint, 0);
  g_assert_cmpfloat_with_epsilon (tail->x, 40, 0.01);
  g_assert_true (peel_canvas_undo_marks (f->canvas));
  g_assert_true (peel_canvas_undo_marks (f->canvas));
  g_assert_true (peel_canvas_undo_marks (f->canvas));
  g_assert_cmpuint (peel_canvas_get_marks (f->canvas)->len, ==, 0);
  g_assert_false (peel_canvas_undo_marks (f->canvas));

  /* What the marks are drawn with is what the model is sent: the JSON form round-trips. */
  peel_canvas_set_mark_kind (f->canvas, PEEL_MARK_STROKE);
  image_to_widget (f->canvas, 40, 40, &x1, &y1);
  drag (f->canvas, x1, y1, x1 + 50, y1 + 30);
  {
    g_autofree char *json = peel_marks_to_json (peel_canvas_get_marks (f->canvas));
    g_autoptr(GPtrArray) back = peel_marks_from_json (json, -1, NULL);

    g_assert_nonnull (back);
    g_assert_cmpuint (back->len, ==, 1);
    g_assert_cmpuint (((PeelMark *) back->pdata[0])->points->len, ==, 9);
  }

  /* Showing another node's marks forgets the undo steps. */
  peel_canvas_set_marks (f->canvas, NULL);
  g_assert_cmpuint (peel_canvas_get_marks (f->canvas)->len, ==, 0);
  g_assert_false (peel_canvas_can_undo_marks (f->canvas));
}

int
main (int   argc,
      char *argv[])
{
  /* As Peel draws where there is no GPU, as here (peel-renderer.c). */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/Peel/CanvasSelect/rectangle", test_rectangle);
  ADD ("/Peel/CanvasSelect/lasso-and-brush", test_lasso_and_brush);
  ADD ("/Peel/CanvasSelect/overlay-crisp", test_overlay_crisp);
  ADD ("/Peel/CanvasSelect/dab-redraws-little", test_dab_redraws_little);
  ADD ("/Peel/CanvasSelect/marks", test_marks);
#undef ADD

  return g_test_run ();
}
