/* test-canvas-load.c
 *
 * The canvas takes encoded images: it decodes each once, off the main loop, shows the newest
 * one asked for, and says why one cannot be shown.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "peel-canvas-private.h"

/* Helpers */

static GBytes *
make_png (int    width,
          int    height,
          guint8 red)
{
  gsize stride = (gsize) width * 4;
  guint8 *data = g_malloc (stride * height);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (gsize i = 0; i < stride * height; i += 4)
    {
      data[i] = red;
      data[i + 1] = (guint8) (i / stride);
      data[i + 2] = 90;
      data[i + 3] = 255;
    }
  pixels = g_bytes_new_take (data, stride * height);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, stride);
  return gdk_texture_save_to_png_bytes (texture);
}

/* The same image in other memory, as a session read from disk gives it. */
static GBytes *
copy_bytes (GBytes *bytes)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  return g_bytes_new (data, size);
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

static GtkWidget *
show_canvas (GtkWindow **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = peel_canvas_new ();

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
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

/* What one load ended with. */
typedef struct
{
  gboolean  done;
  gboolean  shown;
  GError   *error;
} Load;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Load *load = user_data;

  load->shown = peel_canvas_load_finish (PEEL_CANVAS (object), result, &load->error);
  load->done = TRUE;
}

static gboolean
load_done (gpointer data)
{
  return ((Load *) data)->done;
}

static void
load_clear (Load *load)
{
  g_clear_error (&load->error);
  memset (load, 0, sizeof *load);
}

static GBytes *
read_bytes (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return copy_bytes (data);
}

static GBytes *
read_fails (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The image file is missing.");
  return NULL;
}

static void
load_and_wait (PeelCanvas      *canvas,
               PeelCanvasLayer  layer,
               GBytes          *bytes,
               Load            *load)
{
  peel_canvas_load_bytes_async (canvas, layer, bytes, NULL, load_cb, load);
  g_assert_true (wait_until (load_done, load, 20000));
}

/* Tests */

/* Encoded bytes in, the image shown, with its smaller copies made in the same worker. */
static void
test_load_bytes (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (&window);
  g_autoptr(GBytes) png = make_png (2048, 1024, 200);
  PeelCanvasLoadTimes times;
  Load load = { 0 };

  load_and_wait (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, png, &load);
  g_assert_no_error (load.error);
  g_assert_true (load.shown);
  g_assert_cmpint (gdk_texture_get_width (peel_canvas_get_texture (PEEL_CANVAS (canvas))), ==,
                   2048);
  /* Ready when shown: no second pass to make the copies after the image appears. */
  g_assert_cmpuint (_peel_canvas_get_n_mipmaps (PEEL_CANVAS (canvas)), ==, 3);
  _peel_canvas_get_load_times (PEEL_CANVAS (canvas), &times);
  g_assert_cmpint (times.decoded, >=, times.started);
  g_assert_cmpint (times.shrunk, >=, times.decoded);
  g_assert_cmpint (times.set, >=, times.shrunk);

  /* The image compared with it goes the same way. */
  load_clear (&load);
  load_and_wait (PEEL_CANVAS (canvas), PEEL_CANVAS_COMPARE_IMAGE, png, &load);
  g_assert_true (load.shown);
  g_assert_nonnull (peel_canvas_get_compare_texture (PEEL_CANVAS (canvas)));
  g_assert_true (peel_canvas_get_compare_texture (PEEL_CANVAS (canvas)) !=
                 peel_canvas_get_texture (PEEL_CANVAS (canvas)));

  load_clear (&load);
  close_canvas (window, canvas);
}

/* The canvas decodes into the pixels it draws from: they are GTK's own decoding's, colour and
 * transparency alike. */
static void
test_same_pixels_as_gtk (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (&window);
  gsize stride = 64 * 4;
  g_autofree guint8 *data = g_malloc (stride * 48);
  g_autofree guint8 *ours = g_malloc (stride * 48);
  g_autofree guint8 *theirs = g_malloc (stride * 48);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) source = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GdkTexture) reference = NULL;
  Load load = { 0 };

  for (gsize i = 0; i < stride * 48; i += 4)
    {
      data[i] = (guint8) (i * 7);
      data[i + 1] = (guint8) (i / 3);
      data[i + 2] = 200;
      data[i + 3] = (guint8) (i / 4);   /* every alpha from clear to opaque */
    }
  pixels = g_bytes_new (data, stride * 48);
  source = gdk_memory_texture_new (64, 48, GDK_MEMORY_R8G8B8A8, pixels, stride);
  png = gdk_texture_save_to_png_bytes (source);
  reference = gdk_texture_new_from_bytes (png, NULL);

  load_and_wait (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, png, &load);
  g_assert_true (load.shown);
  gdk_texture_download (peel_canvas_get_texture (PEEL_CANVAS (canvas)), ours, stride);
  gdk_texture_download (reference, theirs, stride);
  for (gsize i = 0; i < stride * 48; i++)
    g_assert_cmpint (ABS ((int) ours[i] - (int) theirs[i]), <=, 1);

  load_clear (&load);
  close_canvas (window, canvas);
}

/* The final image of a turn is the last preview, byte for byte, but read again from the
 * session: shown already, it is not decoded again. */
static void
test_same_bytes_once (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (&window);
  g_autoptr(GBytes) png = make_png (640, 360, 10);
  GdkTexture *preview;
  PeelCanvasLoadTimes times;
  Load load = { 0 };

  load_and_wait (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, png, &load);
  preview = peel_canvas_get_texture (PEEL_CANVAS (canvas));
  load_clear (&load);

  peel_canvas_load_async (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, read_bytes,
                          g_bytes_ref (png), (GDestroyNotify) g_bytes_unref, NULL, load_cb,
                          &load);
  g_assert_true (wait_until (load_done, &load, 20000));
  g_assert_no_error (load.error);
  g_assert_true (load.shown);
  g_assert_true (peel_canvas_get_texture (PEEL_CANVAS (canvas)) == preview);
  _peel_canvas_get_load_times (PEEL_CANVAS (canvas), &times);
  g_assert_cmpint (times.reused, >, 0);

  load_clear (&load);
  close_canvas (window, canvas);
}

/* The turn ends while the preview is still being decoded: the final image waits for that
 * decode rather than starting its own. */
static void
test_same_bytes_while_decoding (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (&window);
  g_autoptr(GBytes) png = make_png (3000, 2000, 10);
  PeelCanvasLoadTimes times;
  Load preview = { 0 };
  Load final = { 0 };

  peel_canvas_load_bytes_async (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, png, NULL, load_cb,
                                &preview);
  peel_canvas_load_async (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, read_bytes,
                          g_bytes_ref (png), (GDestroyNotify) g_bytes_unref, NULL, load_cb,
                          &final);
  g_assert_true (wait_until (load_done, &final, 20000));
  g_assert_true (wait_until (load_done, &preview, 20000));
  g_assert_no_error (final.error);
  g_assert_true (final.shown);
  /* The preview was overtaken: it says so, and is not what made the image shown. */
  g_assert_error (preview.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (gdk_texture_get_width (peel_canvas_get_texture (PEEL_CANVAS (canvas))), ==,
                   3000);
  _peel_canvas_get_load_times (PEEL_CANVAS (canvas), &times);
  g_assert_cmpint (times.reused, >, 0);
  g_assert_cmpuint (_peel_canvas_get_n_mipmaps (PEEL_CANVAS (canvas)), >, 0);

  load_clear (&preview);
  load_clear (&final);
  close_canvas (window, canvas);
}

/* Only the newest image asked for is shown, whichever decode ends first. */
static void
test_newest_wins (void)
{
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (&window);
  g_autoptr(GBytes) large = make_png (3000, 2000, 10);
  g_autoptr(GBytes) small = make_png (300, 200, 250);
  Load first = { 0 };
  Load second = { 0 };
  Load third = { 0 };

  peel_canvas_load_bytes_async (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, small, NULL, load_cb,
                                &first);
  peel_canvas_load_bytes_async (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, large, NULL, load_cb,
                                &second);
  g_assert_true (wait_until (load_done, &first, 20000));
  g_assert_true (wait_until (load_done, &second, 20000));
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (second.shown);
  g_assert_cmpint (gdk_texture_get_width (peel_canvas_get_texture (PEEL_CANVAS (canvas))), ==,
                   3000);

  /* A texture set (or cleared) directly is newer than a load under way. */
  peel_canvas_load_bytes_async (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, small, NULL, load_cb,
                                &third);
  peel_canvas_set_texture (PEEL_CANVAS (canvas), NULL);
  g_assert_true (wait_until (load_done, &third, 20000));
  g_assert_error (third.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (peel_canvas_get_texture (PEEL_CANVAS (canvas)));

  load_clear (&first);
  load_clear (&second);
  load_clear (&third);
  close_canvas (window, canvas);
}

/* Damaged data, an image that claims more pixels than Peel opens, a file that cannot be read:
 * each says why, and the image shown stays. */
static void
test_hostile (void)
{
  static const guint8 bomb[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20,   /* 20000 × 20000 */
    8, 6, 0, 0, 0, 0, 0, 0, 0,
  };
  GtkWindow *window;
  GtkWidget *canvas = show_canvas (&window);
  g_autoptr(GBytes) png = make_png (320, 200, 10);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) huge = g_bytes_new_static (bomb, sizeof bomb);
  GdkTexture *shown;
  Load load = { 0 };

  load_and_wait (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, png, &load);
  shown = peel_canvas_get_texture (PEEL_CANVAS (canvas));
  load_clear (&load);

  load_and_wait (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, truncated, &load);
  g_assert_false (load.shown);
  g_assert_nonnull (load.error);
  g_assert_false (g_error_matches (load.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_true (peel_canvas_get_texture (PEEL_CANVAS (canvas)) == shown);
  load_clear (&load);

  load_and_wait (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, huge, &load);
  g_assert_false (load.shown);
  g_assert_nonnull (load.error);
  g_assert_nonnull (strstr (load.error->message, "20000 × 20000"));
  g_assert_true (peel_canvas_get_texture (PEEL_CANVAS (canvas)) == shown);
  load_clear (&load);

  peel_canvas_load_async (PEEL_CANVAS (canvas), PEEL_CANVAS_IMAGE, read_fails, NULL, NULL, NULL,
                          load_cb, &load);
  g_assert_true (wait_until (load_done, &load, 20000));
  g_assert_error (load.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (load.error->message, ==, "The image file is missing.");
  g_assert_true (peel_canvas_get_texture (PEEL_CANVAS (canvas)) == shown);
  load_clear (&load);

  close_canvas (window, canvas);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/Peel/CanvasLoad/bytes", test_load_bytes);
  g_test_add_func ("/Peel/CanvasLoad/same-pixels-as-gtk", test_same_pixels_as_gtk);
  g_test_add_func ("/Peel/CanvasLoad/same-bytes-once", test_same_bytes_once);
  g_test_add_func ("/Peel/CanvasLoad/same-bytes-while-decoding", test_same_bytes_while_decoding);
  g_test_add_func ("/Peel/CanvasLoad/newest-wins", test_newest_wins);
  g_test_add_func ("/Peel/CanvasLoad/hostile", test_hostile);

  return g_test_run ();
}
