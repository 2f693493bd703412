/* test-canvas.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "peel-canvas-private.h"

/* Helpers */

static GdkTexture *
make_texture (int    width,
              int    height,
              guint8 r,
              guint8 g,
              guint8 b,
              guint8 a)
{
  gsize stride = (gsize) width * 4;
  guint8 *data = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < stride * height; i += 4)
    {
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = a;
    }
  bytes = g_bytes_new_take (data, stride * height);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

/* A photo-sized texture with structure (gradients and stripes) so scaling does real work. */
static GdkTexture *
make_pattern_texture (int width,
                      int height)
{
  gsize stride = (gsize) width * 4;
  guint8 *data = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    {
      guint8 *row = data + y * stride;

      for (int x = 0; x < width; x++)
        {
          row[4 * x] = (guint8) (x * 255 / width);
          row[4 * x + 1] = (guint8) (y * 255 / height);
          row[4 * x + 2] = ((x / 16 + y / 16) & 1) ? 220 : 40;
          row[4 * x + 3] = 255;
        }
    }
  bytes = g_bytes_new_take (data, stride * height);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

static gboolean
has_mipmaps (gpointer data)
{
  return _peel_canvas_get_n_mipmaps (data) > 0;
}

/* The worker has finished with the image, whether or not it made smaller copies. */
static gboolean
mipmaps_done (gpointer data)
{
  return PEEL_CANVAS (data)->image.cancellable == NULL;
}

static gboolean
has_difference (gpointer data)
{
  return _peel_canvas_get_difference (data) != NULL;
}

static GtkWidget *
show_canvas (int         width,
             int         height,
             GtkWindow **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = peel_canvas_new ();

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (is_allocated, canvas, 5000));

  *window_out = GTK_WINDOW (window);

  return g_object_ref (canvas);
}

static void
close_canvas (GtkWindow *window,
              GtkWidget *canvas)
{
  gtk_window_destroy (window);
  g_assert_finalize_object (canvas);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(int *) user_data)++;
}

/* Pure geometry */

static void
test_fit_extreme_ratios (void)
{
  PeelCanvasView view;

  /* 8:1 in a wide widget: the width limits. */
  g_assert_cmpfloat_with_epsilon (peel_canvas_fit_scale (8192, 1024, 1280, 800),
                                  1280.0 / 8192, 1e-9);
  /* 8:1 in a tall widget. */
  g_assert_cmpfloat_with_epsilon (peel_canvas_fit_scale (8192, 1024, 400, 1000),
                                  400.0 / 8192, 1e-9);
  /* 1:8 in a wide widget: the height limits. */
  g_assert_cmpfloat_with_epsilon (peel_canvas_fit_scale (1024, 8192, 1280, 800),
                                  800.0 / 8192, 1e-9);
  /* 1:8 in a tall widget: still the height. */
  g_assert_cmpfloat_with_epsilon (peel_canvas_fit_scale (1024, 8192, 400, 1000),
                                  1000.0 / 8192, 1e-9);
  /* Small images are not enlarged. */
  g_assert_cmpfloat (peel_canvas_fit_scale (200, 100, 1280, 800), ==, 1.0);

  /* Fitted, the 8:1 image spans the width and is centred vertically. */
  peel_canvas_view_fit (&view, 8192, 1024, 1280, 800);
  g_assert_cmpfloat_with_epsilon (view.x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (view.y, (800 - 1024 * 1280.0 / 8192) / 2, 1e-9);

  /* The 1:8 image spans the height and is centred horizontally. */
  peel_canvas_view_fit (&view, 1024, 8192, 1280, 800);
  g_assert_cmpfloat_with_epsilon (view.y, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (view.x, (1280 - 1024 * 800.0 / 8192) / 2, 1e-9);

  /* A small image sits at 100 % in the middle. */
  peel_canvas_view_fit (&view, 200, 100, 1280, 800);
  g_assert_cmpfloat (view.scale, ==, 1.0);
  g_assert_cmpfloat (view.x, ==, 540);
  g_assert_cmpfloat (view.y, ==, 350);
}

static void
test_zoom_around_point (void)
{
  PeelCanvasView view;
  double px = 300, py = 200;
  double u, v;

  peel_canvas_view_fit (&view, 5504, 3072, 1280, 800);
  u = (px - view.x) / view.scale;
  v = (py - view.y) / view.scale;

  peel_canvas_view_zoom_around (&view, 2.0, px, py);
  peel_canvas_view_clamp (&view, 5504, 3072, 1280, 800);

  g_assert_cmpfloat (view.scale, ==, 2.0);
  g_assert_cmpfloat_with_epsilon ((px - view.x) / view.scale, u, 1e-6);
  g_assert_cmpfloat_with_epsilon ((py - view.y) / view.scale, v, 1e-6);

  /* And back out: the same point stays under the pointer again. */
  peel_canvas_view_zoom_around (&view, 0.5, px, py);
  g_assert_cmpfloat_with_epsilon ((px - view.x) / view.scale, u, 1e-6);
  g_assert_cmpfloat_with_epsilon ((py - view.y) / view.scale, v, 1e-6);
}

static void
test_clamp (void)
{
  PeelCanvasView view = { 1.0, 5000, -99999 };
  PeelCanvasRect source;

  /* Dragged far right and far up: the image still covers the widget. */
  peel_canvas_view_clamp (&view, 5504, 3072, 1280, 800);
  g_assert_cmpfloat (view.x, ==, 0);
  g_assert_cmpfloat (view.y, ==, 800 - 3072);

  view.x = -99999;
  view.y = 5000;
  peel_canvas_view_clamp (&view, 5504, 3072, 1280, 800);
  g_assert_cmpfloat (view.x, ==, 1280 - 5504);
  g_assert_cmpfloat (view.y, ==, 0);

  /* An axis where the image is smaller than the widget stays centred: 12288×1536 at 1/8 is
   * 1536×192, wider than the widget but much less tall.
   */
  view = (PeelCanvasView) { 0.125, -100, -500 };
  peel_canvas_view_clamp (&view, 12288, 1536, 1280, 800);
  g_assert_cmpfloat (view.x, ==, -100);
  g_assert_cmpfloat (view.y, ==, (800 - 192) / 2.0);

  /* What is visible at 100 % in the bottom right corner. */
  view = (PeelCanvasView) { 1.0, 1280 - 5504, 800 - 3072 };
  g_assert_true (peel_canvas_visible_source (&view, 5504, 3072, 1280, 800, &source));
  g_assert_cmpfloat (source.x, ==, 5504 - 1280);
  g_assert_cmpfloat (source.y, ==, 3072 - 800);
  g_assert_cmpfloat (source.width, ==, 1280);
  g_assert_cmpfloat (source.height, ==, 800);

  /* At 200 % a quarter of the pixels are visible. */
  view = (PeelCanvasView) { 2.0, 0, 0 };
  g_assert_true (peel_canvas_visible_source (&view, 5504, 3072, 1280, 800, &source));
  g_assert_cmpfloat (source.width, ==, 640);
  g_assert_cmpfloat (source.height, ==, 400);
}

static void
test_zoom_ladder (void)
{
  double scale = PEEL_CANVAS_ZOOM_MIN;
  gboolean saw_100 = FALSE;
  int steps = 0;

  g_assert_cmpfloat (peel_canvas_zoom_step (1.0, 1), ==, 1.5);
  g_assert_cmpfloat_with_epsilon (peel_canvas_zoom_step (1.0, -1), 2.0 / 3, 1e-9);
  /* From a fitted 23 % the next step in is the next rung, not a fixed factor. */
  g_assert_cmpfloat (peel_canvas_zoom_step (0.23, 1), ==, 0.25);
  g_assert_cmpfloat (peel_canvas_zoom_step (0.23, -1), ==, 1.0 / 6);
  /* The ends hold. */
  g_assert_cmpfloat (peel_canvas_zoom_step (16, 1), ==, 16);
  g_assert_cmpfloat (peel_canvas_zoom_step (0.125, -1), ==, 0.125);
  g_assert_cmpfloat (peel_canvas_zoom_step (0.01, 1), ==, 0.125);

  while (scale < PEEL_CANVAS_ZOOM_MAX)
    {
      double next = peel_canvas_zoom_step (scale, 1);

      g_assert_cmpfloat (next, >, scale);
      g_assert_cmpfloat (peel_canvas_zoom_step (next, -1), ==, scale);
      saw_100 |= next == 1.0;
      scale = next;
      steps++;
    }
  g_assert_true (saw_100);
  g_assert_cmpint (steps, ==, 14);
}

static void
test_mipmap_choice (void)
{
  g_assert_cmpint (peel_canvas_mipmap_count (5504, 3072), ==, 4);
  g_assert_cmpint (peel_canvas_mipmap_count (12288, 1536), ==, 5);
  g_assert_cmpint (peel_canvas_mipmap_count (6336, 2688), ==, 4);
  g_assert_cmpint (peel_canvas_mipmap_count (512, 512), ==, 1);
  g_assert_cmpint (peel_canvas_mipmap_count (300, 300), ==, 0);

  /* Above half size the full texture is drawn. */
  g_assert_cmpint (peel_canvas_mipmap_level (1.0, 4), ==, 0);
  g_assert_cmpint (peel_canvas_mipmap_level (0.6, 4), ==, 0);
  /* At and below half, the level that still has a texel per device pixel. */
  g_assert_cmpint (peel_canvas_mipmap_level (0.5, 4), ==, 1);
  g_assert_cmpint (peel_canvas_mipmap_level (0.3, 4), ==, 1);
  g_assert_cmpint (peel_canvas_mipmap_level (0.25, 4), ==, 2);
  g_assert_cmpint (peel_canvas_mipmap_level (0.2325, 4), ==, 2);
  g_assert_cmpint (peel_canvas_mipmap_level (0.1, 4), ==, 3);
  /* Never a level that was not made. */
  g_assert_cmpint (peel_canvas_mipmap_level (0.01, 4), ==, 4);
  g_assert_cmpint (peel_canvas_mipmap_level (0.01, 0), ==, 0);
  /* 5504×3072 fitted in 1280×800 (scale 0.2326) on a 2× screen draws level 1. */
  g_assert_cmpint (peel_canvas_mipmap_level (2 * 1280.0 / 5504, 4), ==, 1);
}

static void
test_zoom_label_text (void)
{
  g_autofree char *full = peel_canvas_format_zoom (1.0);
  g_autofree char *eighth = peel_canvas_format_zoom (0.125);
  g_autofree char *twothirds = peel_canvas_format_zoom (2.0 / 3);
  g_autofree char *sixteen = peel_canvas_format_zoom (16);

  g_assert_cmpstr (full, ==, "100 %");
  g_assert_cmpstr (eighth, ==, "12.5 %");
  g_assert_cmpstr (twothirds, ==, "66.7 %");
  g_assert_cmpstr (sixteen, ==, "1600 %");
}

static void
test_pixels_downsample (void)
{
  /* 3×2 → 1×1: the odd column is folded in, not dropped. */
  const guint8 src[] = {
    0, 0, 0, 255,   100, 0, 0, 255,   200, 0, 0, 255,
    40, 0, 0, 255,  60, 0, 0, 255,    250, 0, 0, 255,
  };
  guint8 dst[4];
  const guint8 big[] = {
    10, 20, 30, 40,  10, 20, 30, 40,
    10, 20, 30, 40,  10, 20, 30, 40,
  };
  guint8 small[4 * 4];

  peel_canvas_downsample_half (src, 3, 2, 12, dst, 4);
  g_assert_cmpint (dst[0], ==, (0 + 100 + 40 + 60 + 2) / 4);
  g_assert_cmpint (dst[3], ==, 255);

  /* Enlarging 1×1 → 2×2 by resampling repeats the pixel; shrinking averages. */
  peel_canvas_resample (big, 2, 2, 8, small, 1, 1, 4);
  g_assert_cmpmem (small, 4, big, 4);
  peel_canvas_resample (dst, 1, 1, 4, small, 2, 2, 8);
  for (int i = 0; i < 4; i++)
    g_assert_cmpmem (small + 4 * i, 4, dst, 4);
}

static void
test_pixels_opaque (void)
{
  /* Two rows of two pixels and a padding pixel past each row, which must not count. */
  guint8 pixels[] = {
    9, 9, 9, 255,  9, 9, 9, 255,  0, 0, 0, 0,
    9, 9, 9, 255,  9, 9, 9, 255,  0, 0, 0, 0,
  };

  g_assert_true (peel_canvas_pixels_opaque (pixels, 2, 2, 12));
  pixels[12 + 4 + 3] = 254;
  g_assert_false (peel_canvas_pixels_opaque (pixels, 2, 2, 12));
}

static void
test_pixels_difference (void)
{
  /* Two pixels each, in memory order; the alpha byte is 3 on little-endian machines. */
  guint8 a[] = { 50, 100, 200, 255,  7, 7, 7, 255 };
  guint8 b[] = { 80, 100, 150, 255,  7, 7, 7, 255 };
  guint8 out[8];

  if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
    {
      g_test_skip ("the expected bytes are written for little-endian pixels");
      return;
    }

  peel_canvas_difference (a, 8, b, 8, 2, 1, out, 8);
  g_assert_cmpint (out[0], ==, 30);
  g_assert_cmpint (out[1], ==, 0);
  g_assert_cmpint (out[2], ==, 50);
  g_assert_cmpint (out[3], ==, 50);
  /* Equal pixels leave nothing over the dimmed image. */
  g_assert_cmpint (out[4] | out[5] | out[6] | out[7], ==, 0);
}

/* The widget */

static void
test_widget_zoom_actions (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (800, 600, &window);
  g_autoptr(GdkTexture) texture = make_texture (2000, 1000, 255, 0, 0, 255);
  int label_notifies = 0;
  double fit;

  g_signal_connect (canvas, "notify::zoom-label", G_CALLBACK (count_cb), &label_notifies);

  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);
  fit = peel_canvas_fit_scale (2000, 1000, gtk_widget_get_width (canvas),
                               gtk_widget_get_height (canvas));
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "Fit");
  g_assert_true (peel_canvas_get_fit (PEEL_CANVAS (canvas)));
  g_assert_cmpfloat (peel_canvas_get_zoom (PEEL_CANVAS (canvas)), ==, 0);
  g_assert_cmpfloat_with_epsilon (peel_canvas_get_scale (PEEL_CANVAS (canvas)), fit, 1e-9);
  g_assert_cmpint (label_notifies, ==, 0);

  gtk_widget_activate_action (canvas, "canvas.zoom-100", NULL);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "100 %");
  g_assert_false (peel_canvas_get_fit (PEEL_CANVAS (canvas)));
  g_assert_cmpfloat (peel_canvas_get_scale (PEEL_CANVAS (canvas)), ==, 1.0);
  g_assert_cmpint (label_notifies, ==, 1);

  gtk_widget_activate_action (canvas, "canvas.zoom-in", NULL);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "150 %");
  gtk_widget_activate_action (canvas, "canvas.zoom-out", NULL);
  gtk_widget_activate_action (canvas, "canvas.zoom-out", NULL);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "66.7 %");

  /* Zooming out ends at fit, never below it. */
  for (int i = 0; i < 10; i++)
    gtk_widget_activate_action (canvas, "canvas.zoom-out", NULL);
  g_assert_true (peel_canvas_get_fit (PEEL_CANVAS (canvas)));
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "Fit");

  /* Zooming in from fit goes to the next rung above the fitted scale. */
  gtk_widget_activate_action (canvas, "canvas.zoom-in", NULL);
  g_assert_cmpfloat (peel_canvas_get_zoom (PEEL_CANVAS (canvas)), ==,
                     peel_canvas_zoom_step (fit, 1));

  /* The same-size next turn keeps the zoom; another size fits again. */
  {
    g_autoptr(GdkTexture) same = make_texture (2000, 1000, 0, 255, 0, 255);
    g_autoptr(GdkTexture) other = make_texture (1000, 1000, 0, 255, 0, 255);

    peel_canvas_set_texture (PEEL_CANVAS (canvas), same);
    g_assert_false (peel_canvas_get_fit (PEEL_CANVAS (canvas)));
    peel_canvas_set_texture (PEEL_CANVAS (canvas), other);
    g_assert_true (peel_canvas_get_fit (PEEL_CANVAS (canvas)));
  }

  close_canvas (window, canvas);
}

static GtkShortcut *
find_shortcut (GtkWidget       *widget,
               guint            keyval,
               GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return shortcut;
        }
    }

  return NULL;
}

static void
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  modifiers)
{
  GtkShortcut *shortcut = find_shortcut (widget, keyval, modifiers);

  g_assert_nonnull (shortcut);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                               gtk_shortcut_get_arguments (shortcut)));
}

static void
test_widget_shortcuts (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (800, 600, &window);
  g_autoptr(GdkTexture) texture = make_texture (3000, 2000, 0, 0, 255, 255);

  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);

  press_shortcut (canvas, GDK_KEY_1, GDK_CONTROL_MASK);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "100 %");
  press_shortcut (canvas, GDK_KEY_plus, GDK_CONTROL_MASK);
  press_shortcut (canvas, GDK_KEY_equal, GDK_CONTROL_MASK);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "200 %");
  press_shortcut (canvas, GDK_KEY_minus, GDK_CONTROL_MASK);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "150 %");
  press_shortcut (canvas, GDK_KEY_0, GDK_CONTROL_MASK);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "Fit");
  g_assert_true (peel_canvas_get_fit (PEEL_CANVAS (canvas)));

  /* Plain digits are left to whoever else wants them. */
  g_assert_null (find_shortcut (canvas, GDK_KEY_0, 0));

  close_canvas (window, canvas);
}

static void
test_widget_pan_clamped (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (800, 600, &window);
  g_autoptr(GdkTexture) texture = make_texture (3000, 2000, 0, 0, 255, 255);
  PeelCanvasView view;
  int w, h;

  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);
  peel_canvas_set_zoom (PEEL_CANVAS (canvas), 1.0);
  w = gtk_widget_get_width (canvas);
  h = gtk_widget_get_height (canvas);

  /* Zoomed around the middle: the middle of the image is in the middle of the widget. */
  _peel_canvas_get_view (PEEL_CANVAS (canvas), &view);
  g_assert_cmpfloat_with_epsilon (view.x, w / 2.0 - 1500, 0.5);
  g_assert_cmpfloat_with_epsilon (view.y, h / 2.0 - 1000, 0.5);

  /* Back to a size where the image fits: the zoom gives way to fit. */
  peel_canvas_set_zoom (PEEL_CANVAS (canvas), 0.01);
  g_assert_true (peel_canvas_get_fit (PEEL_CANVAS (canvas)));

  close_canvas (window, canvas);
}

static void
test_widget_compare_properties (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (800, 600, &window);
  g_autoptr(GdkTexture) a = make_texture (1600, 900, 255, 0, 0, 255);
  g_autoptr(GdkTexture) b = make_texture (1600, 900, 0, 0, 255, 255);
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (PEEL_TYPE_CANVAS_COMPARE_MODE);
  int mode_notifies = 0;
  double whole, half;
  PeelCanvasCompareMode mode;

  peel_canvas_set_texture (PEEL_CANVAS (canvas), a);
  g_signal_connect (canvas, "notify::compare-mode", G_CALLBACK (count_cb), &mode_notifies);

  g_assert_cmpint (peel_canvas_get_compare_mode (PEEL_CANVAS (canvas)), ==,
                   PEEL_CANVAS_COMPARE_NONE);
  g_object_set (canvas, "compare-texture", b, "compare-mode", PEEL_CANVAS_COMPARE_SPLIT, NULL);
  g_assert_true (peel_canvas_get_compare_texture (PEEL_CANVAS (canvas)) == b);
  g_assert_cmpint (mode_notifies, ==, 1);
  peel_canvas_set_compare_mode (PEEL_CANVAS (canvas), PEEL_CANVAS_COMPARE_SPLIT);
  g_assert_cmpint (mode_notifies, ==, 1);

  g_assert_cmpfloat (peel_canvas_get_split_position (PEEL_CANVAS (canvas)), ==, 0.5);
  peel_canvas_set_split_position (PEEL_CANVAS (canvas), 1.7);
  g_assert_cmpfloat (peel_canvas_get_split_position (PEEL_CANVAS (canvas)), ==, 1.0);

  /* Side by side halves the room, so the fitted scale drops. */
  whole = peel_canvas_get_scale (PEEL_CANVAS (canvas));
  peel_canvas_set_compare_mode (PEEL_CANVAS (canvas), PEEL_CANVAS_COMPARE_SIDE_BY_SIDE);
  half = peel_canvas_get_scale (PEEL_CANVAS (canvas));
  g_assert_cmpfloat (half, <, whole * 0.6);
  g_assert_cmpstr (peel_canvas_get_zoom_label (PEEL_CANVAS (canvas)), ==, "Fit");

  /* The modes have names a .ui file or GSettings can use. */
  g_assert_nonnull (g_enum_get_value_by_nick (enum_class, "none"));
  g_assert_nonnull (g_enum_get_value_by_nick (enum_class, "split"));
  g_assert_nonnull (g_enum_get_value_by_nick (enum_class, "side-by-side"));
  g_assert_nonnull (g_enum_get_value_by_nick (enum_class, "difference"));
  g_object_set (canvas, "compare-mode", PEEL_CANVAS_COMPARE_DIFFERENCE, NULL);
  g_object_get (canvas, "compare-mode", &mode, NULL);
  g_assert_cmpint (mode, ==, PEEL_CANVAS_COMPARE_DIFFERENCE);
  g_assert_cmpint (mode_notifies, ==, 3);

  peel_canvas_set_compare_labels (PEEL_CANVAS (canvas), "stormy sky", "add a boat");
  gtk_widget_queue_draw (canvas);
  g_main_context_iteration (NULL, FALSE);

  close_canvas (window, canvas);
}

static void
test_widget_difference_pixels (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (400, 300, &window);
  /* Opaque, so premultiplied bytes equal the colours. B is twice the size: it is scaled to A's
   * size first, and being uniform that changes nothing.
   */
  g_autoptr(GdkTexture) a = make_texture (4, 2, 200, 100, 50, 255);
  g_autoptr(GdkTexture) b = make_texture (8, 4, 150, 100, 80, 255);
  guint8 pixels[4 * 2 * 4];
  GdkTexture *difference;

  peel_canvas_set_texture (PEEL_CANVAS (canvas), a);
  peel_canvas_set_compare_texture (PEEL_CANVAS (canvas), b);
  peel_canvas_set_compare_mode (PEEL_CANVAS (canvas), PEEL_CANVAS_COMPARE_DIFFERENCE);
  g_assert_true (wait_until (has_difference, canvas, 5000));

  difference = _peel_canvas_get_difference (PEEL_CANVAS (canvas));
  g_assert_cmpint (gdk_texture_get_width (difference), ==, 4);
  g_assert_cmpint (gdk_texture_get_height (difference), ==, 2);
  gdk_texture_download (difference, pixels, 16);

  for (int i = 0; i < 8; i++)
    {
      guint32 p;

      /* GDK_MEMORY_DEFAULT is ARGB32 in native order. */
      memcpy (&p, pixels + 4 * i, 4);
      g_assert_cmphex ((p >> 16) & 0xff, ==, 50);  /* |200 − 150| red */
      g_assert_cmphex ((p >> 8) & 0xff, ==, 0);    /* |100 − 100| green */
      g_assert_cmphex (p & 0xff, ==, 30);          /* |50 − 80| blue */
      g_assert_cmphex (p >> 24, ==, 50);           /* the largest difference */
    }

  /* Leaving the mode drops it; a new B makes a new one. */
  peel_canvas_set_compare_mode (PEEL_CANVAS (canvas), PEEL_CANVAS_COMPARE_NONE);
  g_assert_null (_peel_canvas_get_difference (PEEL_CANVAS (canvas)));

  close_canvas (window, canvas);
}

static void
test_widget_mipmaps (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (400, 300, &window);
  g_autoptr(GdkTexture) texture = make_pattern_texture (2048, 1024);
  GdkTexture *drawn;
  int level;

  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);
  g_assert_true (wait_until (has_mipmaps, canvas, 10000));
  g_assert_cmpuint (_peel_canvas_get_n_mipmaps (PEEL_CANVAS (canvas)), ==, 3);

  /* Fitted at 400 / 2048 ≈ 0.195, the quarter-size level (512×256) is drawn. */
  drawn = _peel_canvas_image_pick (&PEEL_CANVAS (canvas)->image,
                                   peel_canvas_get_scale (PEEL_CANVAS (canvas)), &level);
  g_assert_cmpint (level, ==, 2);
  g_assert_cmpint (gdk_texture_get_width (drawn), ==, 512);
  g_assert_cmpint (gdk_texture_get_height (drawn), ==, 256);

  /* At 100 % the full texture. */
  peel_canvas_set_zoom (PEEL_CANVAS (canvas), 1.0);
  drawn = _peel_canvas_image_pick (&PEEL_CANVAS (canvas)->image,
                                   peel_canvas_get_scale (PEEL_CANVAS (canvas)), &level);
  g_assert_true (drawn == texture);

  /* Replacing the texture before the worker ends must not leak or crash. */
  peel_canvas_set_texture (PEEL_CANVAS (canvas), NULL);
  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);

  close_canvas (window, canvas);
}

static gboolean
compare_done (gpointer data)
{
  return PEEL_CANVAS (data)->image.cancellable == NULL &&
         PEEL_CANVAS (data)->compare.cancellable == NULL;
}

/* The canvas as the cairo renderer draws it, B G R A. */
static guint8 *
render_canvas (GtkWidget *canvas,
               int        width,
               int        height)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) drawn = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  guint8 *pixels = g_malloc ((gsize) width * height * 4);

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  drawn = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  gdk_texture_download (drawn, pixels, (gsize) width * 4);
  return pixels;
}

static gboolean
is_blue (const guint8 *pixels,
         int           width,
         double        x,
         double        y)
{
  const guint8 *p = pixels + ((gsize) y * width + (gsize) x) * 4;

  return p[0] > 200 && p[1] < 60 && p[2] < 60;
}

/* A tall B beside a wide A keeps its shape: fitted into A's frame, centred, not stretched to
 * it, in split, side by side and difference alike. */
static void
test_widget_compare_aspect (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (400, 300, &window);
  PeelCanvas *self = PEEL_CANVAS (canvas);
  g_autoptr(GdkTexture) a = make_texture (160, 90, 255, 0, 0, 255);
  g_autoptr(GdkTexture) b = make_texture (20, 160, 0, 0, 255, 255);
  g_autoptr(GdkTexture) small_a = make_texture (40, 20, 255, 0, 0, 255);
  g_autoptr(GdkTexture) small_b = make_texture (10, 80, 0, 0, 255, 255);
  g_autofree guint8 *split = NULL;
  g_autofree guint8 *side = NULL;
  guint8 pixels[40 * 20 * 4];
  double fx, fy, fw, fh, vw, vh, cy;
  guint32 p;

  peel_canvas_set_texture (self, a);
  peel_canvas_set_compare_texture (self, b);
  peel_canvas_set_compare_mode (self, PEEL_CANVAS_COMPARE_SPLIT);
  peel_canvas_set_split_position (self, 0.4);
  g_assert_true (wait_until (compare_done, canvas, 10000));

  fx = self->view.x;
  fy = self->view.y;
  fw = 160 * self->view.scale;
  fh = 90 * self->view.scale;
  cy = fy + fh / 2;
  g_assert_cmpfloat (fx + fw / 2 - 8, >, 160);
  split = render_canvas (canvas, 400, 300);
  /* Right of the divider: B is a narrow upright strip in the middle of the frame... */
  g_assert_true (is_blue (split, 400, fx + fw / 2 + 2, cy));
  g_assert_true (is_blue (split, 400, fx + fw / 2 + 2, fy + 2));
  /* ...and does not fill the frame's right edge. */
  g_assert_false (is_blue (split, 400, fx + fw - 3, cy));

  peel_canvas_set_compare_mode (self, PEEL_CANVAS_COMPARE_SIDE_BY_SIDE);
  g_assert_true (wait_until (compare_done, canvas, 10000));
  _peel_canvas_viewport_size (self, &vw, &vh);
  fx = self->view.x + vw + SIDE_BY_SIDE_GAP;
  fy = self->view.y;
  fw = 160 * self->view.scale;
  fh = 90 * self->view.scale;
  side = render_canvas (canvas, 400, 300);
  g_assert_true (is_blue (side, 400, fx + fw / 2, fy + fh / 2));
  g_assert_true (is_blue (side, 400, fx + fw / 2, fy + fh - 2));
  g_assert_false (is_blue (side, 400, fx + 3, fy + fh / 2));
  g_assert_false (is_blue (side, 400, fx + fw / 2, MIN (299, fy + fh + 4)));

  /* Difference: where B is not, A differs from nothing; where it is, red from blue. */
  peel_canvas_set_texture (self, small_a);
  peel_canvas_set_compare_texture (self, small_b);
  peel_canvas_set_compare_mode (self, PEEL_CANVAS_COMPARE_DIFFERENCE);
  g_assert_true (wait_until (has_difference, canvas, 5000));
  g_assert_cmpint (gdk_texture_get_width (_peel_canvas_get_difference (self)), ==, 40);
  gdk_texture_download (_peel_canvas_get_difference (self), pixels, 40 * 4);
  memcpy (&p, pixels + (10 * 40 + 2) * 4, 4);
  g_assert_cmphex ((p >> 16) & 0xff, ==, 255);
  g_assert_cmphex (p & 0xff, ==, 0);
  memcpy (&p, pixels + (10 * 40 + 19) * 4, 4);
  g_assert_cmphex ((p >> 16) & 0xff, ==, 255);
  g_assert_cmphex (p & 0xff, ==, 255);

  close_canvas (window, canvas);
}

static gboolean
node_has_type (GskRenderNode     *node,
               GskRenderNodeType  type)
{
  if (node == NULL)
    return FALSE;
  if (gsk_render_node_get_node_type (node) == type)
    return TRUE;

  if (gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
    {
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        if (node_has_type (gsk_container_node_get_child (node, i), type))
          return TRUE;
      return FALSE;
    }
  if (gsk_render_node_get_node_type (node) == GSK_CLIP_NODE)
    return node_has_type (gsk_clip_node_get_child (node), type);
  if (gsk_render_node_get_node_type (node) == GSK_OPACITY_NODE)
    return node_has_type (gsk_opacity_node_get_child (node), type);
  if (gsk_render_node_get_node_type (node) == GSK_TRANSFORM_NODE)
    return node_has_type (gsk_transform_node_get_child (node), type);
  return FALSE;
}

static gboolean
canvas_draws_checkerboard (GtkWidget *canvas)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return node_has_type (node, GSK_REPEAT_NODE);
}

static void
test_widget_checkerboard (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (400, 300, &window);
  g_autoptr(GdkTexture) opaque = make_pattern_texture (64, 32);
  g_autoptr(GdkTexture) translucent = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *data = g_malloc (64 * 32 * 4);

  /* The checkerboard shows what is transparent; under an opaque image it is not drawn. */
  peel_canvas_set_texture (PEEL_CANVAS (canvas), opaque);
  g_assert_true (wait_until (mipmaps_done, canvas, 10000));
  g_assert_true (PEEL_CANVAS (canvas)->image.opaque);
  g_assert_false (canvas_draws_checkerboard (canvas));

  gdk_texture_download (opaque, data, 64 * 4);
  data[(31 * 64 + 63) * 4 + 3] = 0;
  bytes = g_bytes_new_take (data, 64 * 32 * 4);
  translucent = gdk_memory_texture_new (64, 32, GDK_MEMORY_DEFAULT, bytes, 64 * 4);
  peel_canvas_set_texture (PEEL_CANVAS (canvas), translucent);
  g_assert_true (canvas_draws_checkerboard (canvas));
  g_assert_true (wait_until (mipmaps_done, canvas, 10000));
  g_assert_false (PEEL_CANVAS (canvas)->image.opaque);
  g_assert_true (canvas_draws_checkerboard (canvas));

  close_canvas (window, canvas);
}

/* The widest texture a node draws, and how many there are. */
static void
texture_nodes (GskRenderNode *node,
               int           *count,
               int           *widest)
{
  GskRenderNodeType type = gsk_render_node_get_node_type (node);

  if (type == GSK_TEXTURE_NODE)
    {
      (*count)++;
      *widest = MAX (*widest, gdk_texture_get_width (gsk_texture_node_get_texture (node)));
    }
  else if (type == GSK_CONTAINER_NODE)
    for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
      texture_nodes (gsk_container_node_get_child (node, i), count, widest);
  else if (type == GSK_CLIP_NODE)
    texture_nodes (gsk_clip_node_get_child (node), count, widest);
  else if (type == GSK_OPACITY_NODE)
    texture_nodes (gsk_opacity_node_get_child (node), count, widest);
}

static void
test_widget_tiles (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (400, 300, &window);
  g_autoptr(GdkTexture) texture = make_pattern_texture (3000, 1000);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  int count = 0, widest = 0;

  if (_peel_canvas_wants_pixels (PEEL_CANVAS (canvas)))
    {
      close_canvas (window, canvas);
      g_test_skip ("tiles are for the GL renderer");
      return;
    }

  /* At 100 % only the tiles on screen are drawn (400 px: two or three across), never the
   * 3000 px texture that would be uploaded whole. */
  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);
  g_assert_true (wait_until (mipmaps_done, canvas, 10000));
  peel_canvas_set_zoom (PEEL_CANVAS (canvas), 1.0);

  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture_nodes (node, &count, &widest);
  g_assert_cmpint (count, >=, 1);
  g_assert_cmpint (count, <=, 6);
  g_assert_cmpint (widest, <=, 512 + 2);

  close_canvas (window, canvas);
}

static void
test_widget_accessible_dimmed (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (400, 300, &window);
  int notifies = 0;

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (canvas)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
  g_signal_connect (canvas, "notify::description", G_CALLBACK (count_cb), &notifies);
  peel_canvas_set_description (PEEL_CANVAS (canvas), "a lighthouse at dusk");
  peel_canvas_set_description (PEEL_CANVAS (canvas), "a lighthouse at dusk");
  g_assert_cmpint (notifies, ==, 1);
  g_assert_cmpstr (peel_canvas_get_description (PEEL_CANVAS (canvas)), ==, "a lighthouse at dusk");

  peel_canvas_set_dimmed (PEEL_CANVAS (canvas), TRUE);
  g_assert_true (peel_canvas_get_dimmed (PEEL_CANVAS (canvas)));
  peel_canvas_set_dimmed (PEEL_CANVAS (canvas), FALSE);
  g_assert_false (peel_canvas_get_dimmed (PEEL_CANVAS (canvas)));

  close_canvas (window, canvas);
}

static gboolean
dim_settled (gpointer data)
{
  return PEEL_CANVAS (data)->opacity < 0.36;
}

/* A dimmed image is a third of itself over the window's background, as if drawn faded. */
static void
test_widget_dimmed_pixels (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (200, 100, &window);
  g_autoptr(GdkTexture) red = make_texture (200, 100, 255, 0, 0, 255);
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) drawn = NULL;
  GtkSnapshot *snapshot;
  GdkRGBA bg;
  g_autofree guint8 *pixels = g_malloc (200 * 100 * 4);
  const guint8 *pixel = pixels + (50 * 200 + 100) * 4;
  double expected[3];

  peel_canvas_set_texture (PEEL_CANVAS (canvas), red);
  g_assert_true (wait_until (mipmaps_done, canvas, 10000));
  peel_canvas_set_dimmed (PEEL_CANVAS (canvas), TRUE);
  g_assert_true (wait_until (dim_settled, canvas, 5000));

  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  drawn = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, 200, 100));
  gsk_renderer_unrealize (renderer);
  gdk_texture_download (drawn, pixels, 200 * 4);   /* B G R A */

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (canvas),
                                                 "window_bg_color", &bg));
  G_GNUC_END_IGNORE_DEPRECATIONS
  expected[0] = 255 * (0.35 + 0.65 * bg.red);
  expected[1] = 255 * 0.65 * bg.green;
  expected[2] = 255 * 0.65 * bg.blue;
  g_assert_cmpfloat_with_epsilon (pixel[2], expected[0], 3);
  g_assert_cmpfloat_with_epsilon (pixel[1], expected[1], 3);
  g_assert_cmpfloat_with_epsilon (pixel[0], expected[2], 3);
  g_assert_cmpint (pixel[3], ==, 255);

  close_canvas (window, canvas);
}

static gboolean
image_drawn (gpointer data)
{
  return PEEL_CANVAS (data)->image_drawn;
}

/* Cancelling brings the dimmed image back with a fade (with GL); the image that was being
 * made, just arrived, is shown bright at once (a fade would redraw the whole canvas on every
 * frame). */
static void
test_widget_undim_new_image (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (200, 100, &window);
  PeelCanvas *self = PEEL_CANVAS (canvas);
  g_autoptr(GdkTexture) red = make_texture (200, 100, 255, 0, 0, 255);
  g_autoptr(GdkTexture) blue = make_texture (200, 100, 0, 0, 255, 255);

  peel_canvas_set_texture (self, red);
  g_assert_true (wait_until (mipmaps_done, canvas, 10000));
  peel_canvas_set_dimmed (self, TRUE);
  g_assert_true (wait_until (dim_settled, canvas, 5000));
  g_assert_true (wait_until (image_drawn, canvas, 5000));

  peel_canvas_set_dimmed (self, FALSE);
  /* Without a GPU, where a fade redraws the whole canvas on every frame, there is none. */
  if (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window))))
    g_assert_cmpfloat (self->opacity, ==, 1.0);
  else
    g_assert_cmpfloat (self->opacity, <, 0.5);

  peel_canvas_set_dimmed (self, TRUE);
  g_assert_true (wait_until (dim_settled, canvas, 5000));
  peel_canvas_set_texture (self, blue);
  peel_canvas_set_dimmed (self, FALSE);
  g_assert_cmpfloat (self->opacity, ==, 1.0);
  g_assert_null (self->dim_animation);

  close_canvas (window, canvas);
}

/* Frame times while zooming and panning a 5504×3072 image. Run with -m perf. */

typedef enum
{
  BENCH_ZOOM_MIPMAPPED,
  BENCH_ZOOM_FULL,
  BENCH_PAN_100,
  BENCH_REDRAW,
} BenchPhase;

typedef struct
{
  GtkWidget  *canvas;
  BenchPhase  phase;
  GArray     *intervals;
  GArray     *paints;
  gint64      last_after_paint;
  gint64      before_paint;
  int         frame;
  int         n_frames;
} Bench;

static void
bench_before_paint_cb (GdkFrameClock *clock,
                       Bench         *bench)
{
  bench->before_paint = g_get_monotonic_time ();
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();
  double paint = (now - bench->before_paint) / 1000.0;

  if (bench->last_after_paint && bench->frame > 0 && bench->frame <= bench->n_frames)
    {
      double interval = (now - bench->last_after_paint) / 1000.0;

      g_array_append_val (bench->intervals, interval);
      g_array_append_val (bench->paints, paint);
    }
  bench->last_after_paint = now;
}

static gboolean
bench_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  Bench *bench = user_data;
  double t = (double) bench->frame / bench->n_frames;
  double wave = sin (t * 2 * G_PI);

  switch (bench->phase)
    {
    case BENCH_ZOOM_MIPMAPPED:
      /* Between fit (≈ 0.23) and 0.45: drawn from half- and quarter-size copies. */
      peel_canvas_set_zoom (PEEL_CANVAS (widget), 0.34 + 0.1 * wave);
      break;
    case BENCH_ZOOM_FULL:
      /* Between 60 % and 300 %: drawn from the full texture. */
      peel_canvas_set_zoom (PEEL_CANVAS (widget), 0.6 * pow (5, 0.5 + 0.5 * wave));
      break;
    case BENCH_PAN_100:
      /* A hand dragging left and right at 100 %, about 40 px a frame. */
      if (bench->frame == 0)
        peel_canvas_set_zoom (PEEL_CANVAS (widget), 1.0);
      _peel_canvas_pan_by (PEEL_CANVAS (widget), 40 * (wave >= 0 ? 1 : -1), 10 * wave);
      break;
    case BENCH_REDRAW:
      gtk_widget_queue_draw (widget);
      break;
    default:
      break;
    }
  bench->frame++;

  return bench->frame <= bench->n_frames ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
bench_done (gpointer data)
{
  Bench *bench = data;

  return bench->frame > bench->n_frames;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
report (const char *what,
        GArray     *values)
{
  double sum = 0;

  g_array_sort (values, compare_doubles);
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);

  g_test_message ("%s, %u frames: mean %.1f ms, median %.1f ms, p95 %.1f ms, max %.1f ms",
                  what, values->len, sum / values->len,
                  g_array_index (values, double, values->len / 2),
                  g_array_index (values, double, values->len * 95 / 100),
                  g_array_index (values, double, values->len - 1));
}

static void
bench_run (GtkWidget  *canvas,
           BenchPhase  phase,
           const char *what)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (canvas);
  Bench bench = { 0 };
  g_autofree char *interval_what = g_strdup_printf ("%s: frame interval", what);
  g_autofree char *paint_what = g_strdup_printf ("%s: paint", what);

  bench.canvas = canvas;
  bench.phase = phase;
  bench.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  bench.paints = g_array_new (FALSE, FALSE, sizeof (double));
  bench.n_frames = 120;

  g_signal_connect (clock, "before-paint", G_CALLBACK (bench_before_paint_cb), &bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), &bench);
  gtk_widget_add_tick_callback (canvas, bench_tick_cb, &bench, NULL);
  g_assert_true (wait_until (bench_done, &bench, 120000));
  g_signal_handlers_disconnect_by_data (clock, &bench);

  g_assert_cmpuint (bench.intervals->len, >, 10);
  report (interval_what, bench.intervals);
  report (paint_what, bench.paints);

  g_array_unref (bench.intervals);
  g_array_unref (bench.paints);
}

static void
test_perf_zoom_frames (void)
{
  GtkWindow *window;
  GtkWidget *canvas;
  g_autoptr(GdkTexture) texture = NULL;
  const char *size = g_getenv ("PEEL_BENCH_SIZE");
  int width = 5504, height = 3072;
  gint64 start;

  if (!g_test_perf ())
    {
      g_test_skip ("a benchmark: run with -m perf");
      return;
    }

  if (size)
    sscanf (size, "%dx%d", &width, &height);

  canvas = show_canvas (1280, 800, &window);
  texture = make_pattern_texture (width, height);
  start = g_get_monotonic_time ();
  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);
  g_assert_true (wait_until (has_mipmaps, canvas, 20000));
  g_test_message ("%s, %d×%d: mipmaps ready %.0f ms after set_texture",
                  G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
                  width, height, (g_get_monotonic_time () - start) / 1000.0);

  bench_run (canvas, BENCH_ZOOM_MIPMAPPED, "zoom 24–44 % (mipmaps)");
  bench_run (canvas, BENCH_ZOOM_FULL, "zoom 60–300 % (full texture)");
  bench_run (canvas, BENCH_PAN_100, "pan at 100 % (full texture)");

  /* What any full-window redraw costs on this machine, for scale. */
  g_clear_object (&texture);
  texture = make_pattern_texture (1280, 800);
  peel_canvas_set_texture (PEEL_CANVAS (canvas), texture);
  bench_run (canvas, BENCH_REDRAW, "baseline: redraw a 1280×800 image at 100 %");

  close_canvas (window, canvas);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/Peel/Canvas/fit-extreme-ratios", test_fit_extreme_ratios);
  g_test_add_func ("/Peel/Canvas/zoom-around-point", test_zoom_around_point);
  g_test_add_func ("/Peel/Canvas/clamp", test_clamp);
  g_test_add_func ("/Peel/Canvas/zoom-ladder", test_zoom_ladder);
  g_test_add_func ("/Peel/Canvas/mipmap-choice", test_mipmap_choice);
  g_test_add_func ("/Peel/Canvas/zoom-label-text", test_zoom_label_text);
  g_test_add_func ("/Peel/Canvas/pixels-downsample", test_pixels_downsample);
  g_test_add_func ("/Peel/Canvas/pixels-opaque", test_pixels_opaque);
  g_test_add_func ("/Peel/Canvas/pixels-difference", test_pixels_difference);
  g_test_add_func ("/Peel/Canvas/widget-zoom-actions", test_widget_zoom_actions);
  g_test_add_func ("/Peel/Canvas/widget-shortcuts", test_widget_shortcuts);
  g_test_add_func ("/Peel/Canvas/widget-pan-clamped", test_widget_pan_clamped);
  g_test_add_func ("/Peel/Canvas/widget-compare-properties", test_widget_compare_properties);
  g_test_add_func ("/Peel/Canvas/widget-difference-pixels", test_widget_difference_pixels);
  g_test_add_func ("/Peel/Canvas/widget-compare-aspect", test_widget_compare_aspect);
  g_test_add_func ("/Peel/Canvas/widget-mipmaps", test_widget_mipmaps);
  g_test_add_func ("/Peel/Canvas/widget-checkerboard", test_widget_checkerboard);
  g_test_add_func ("/Peel/Canvas/widget-tiles", test_widget_tiles);
  g_test_add_func ("/Peel/Canvas/widget-accessible-dimmed", test_widget_accessible_dimmed);
  g_test_add_func ("/Peel/Canvas/widget-dimmed-pixels", test_widget_dimmed_pixels);
  g_test_add_func ("/Peel/Canvas/widget-undim-new-image", test_widget_undim_new_image);
  g_test_add_func ("/Peel/Canvas/perf/zoom-frames", test_perf_zoom_frames);

  return g_test_run ();
}
