/* window-bench-board.c
 *
 * window-bench's board scenario: the real window showing a 500-turn session as a board, panned
 * and zoomed across frames. The session is written as a session folder first (500 small PNGs
 * in a tree of many branches), opened as the last session, and the board shown with every
 * thumbnail loaded once (so the figures are about drawing, not about making thumbnails). Then
 * 240 frames: 120 panning at 50 %, 120 zooming between 15 % and 100 %. Prints the frame
 * intervals (median, p95, max), the time inside each frame from its start to the end of its
 * paint, the process's CPU time per frame (all, panning, zooming: what the load of other
 * processes moves least) and last `frame_p95_ms=X`; on stderr, when the motion ran, for
 * `perf report --time`. Run it under Xvfb as tests/bench/README.md says.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "peel-application.h"
#include "peel-renderer.h"
#include "peel-board.h"
#include "peel-demo-server.h"
#include "peel-session.h"
#include "peel-store.h"
#include "peel-window.h"

#define N_TURNS  500
#define N_FRAMES 240

typedef struct
{
  PeelBoard *board;
  int        frame;
  gint64     last_after_paint;
  gint64     frame_start;
  GArray    *intervals;
  GArray    *work;
  GArray    *cpu;
  GArray    *cpu_pan;
  GArray    *cpu_zoom;
  gint64     last_cpu;
} Motion;

/* The process's CPU time (the renderer's threads included), in microseconds: what the load of
 * other processes on the machine moves less than the wall clock. */
static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
wait_until (gboolean (*condition) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (g_get_monotonic_time () < end)
    {
      if (condition != NULL && condition (data))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return condition == NULL;
}

static GBytes *
make_png (guint32 color,
          int     width,
          int     height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GdkPixbuf) spot = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width / 3,
                                              height / 3);
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, color);
  gdk_pixbuf_fill (spot, ~color | 0xff);
  gdk_pixbuf_copy_area (spot, 0, 0, width / 3, height / 3, pixbuf, width / 3, height / 3);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL))
    g_error ("could not make a PNG");
  return g_bytes_new_take (buffer, len);
}

/* 500 turns: mostly continuing the last one, often branching from an earlier one, a few
 * failed, like a long afternoon of work. */
static char *
write_session (const char *sessions_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_create_session (sessions_dir, "Board bench",
                                                              &error);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  char *path;

  if (session == NULL)
    g_error ("%s", error->message);
  for (int i = 0; i < N_TURNS; i++)
    {
      PeelNode *parent = NULL;
      g_autofree char *prompt = g_strdup_printf ("turn %d: a lighthouse, variation %d", i,
                                                 g_rand_int_range (rand, 0, 1000));
      PeelNode *node;
      double r = g_rand_double (rand);

      if (nodes->len > 0)
        parent = r < 0.6 ? g_ptr_array_index (nodes, nodes->len - 1)
                         : g_ptr_array_index (nodes, g_rand_int_range (rand, 0, nodes->len));
      node = peel_session_begin_turn (session, parent,
                                      &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = "16:9",
                                                        .size = PEEL_IMAGE_SIZE_1K },
                                      &error);
      if (node == NULL)
        g_error ("%s", error->message);
      if (i % 37 == 36)
        {
          if (!peel_session_fail_turn (session, node, "RATE_LIMITED",
                                       "Too many requests: wait a minute", &error))
            g_error ("%s", error->message);
          continue;
        }
      {
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
        g_autoptr(GBytes) png = make_png (g_rand_int (rand) | 0xff, 256, 144);
        PeelTurnResult result = { 10, 1120, 0, -1, "STOP", NULL, NULL, NULL };

        g_ptr_array_add (parts, peel_part_new_image ("image/png", png, FALSE));
        if (!peel_session_complete_turn (session, node, parts, &result, &error))
          g_error ("%s", error->message);
      }
      g_ptr_array_add (nodes, node);
    }
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  if (!peel_store_close_session (session, &error))
    g_error ("%s", error->message);
  return path;
}

static gboolean
thumbnails_loaded (gpointer data)
{
  static gint64 quiet_since;

  if (peel_board_get_n_loading (data) > 0)
    {
      quiet_since = 0;
      return FALSE;
    }
  if (quiet_since == 0)
    quiet_since = g_get_monotonic_time ();
  return g_get_monotonic_time () - quiet_since > 500000;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Motion        *motion)
{
  motion->frame_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Motion        *motion)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu_now = process_cpu_us ();

  if (motion->last_after_paint != 0 && motion->frame > 1 && motion->frame <= N_FRAMES)
    {
      double interval = (now - motion->last_after_paint) / 1000.0;
      double work = (now - motion->frame_start) / 1000.0;
      double cpu = (cpu_now - motion->last_cpu) / 1000.0;

      g_array_append_val (motion->intervals, interval);
      g_array_append_val (motion->work, work);
      g_array_append_val (motion->cpu, cpu);
      g_array_append_val (motion->frame <= N_FRAMES / 2 ? motion->cpu_pan : motion->cpu_zoom,
                          cpu);
    }
  motion->last_after_paint = now;
  motion->last_cpu = cpu_now;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Motion *motion = user_data;
  int half = N_FRAMES / 2;
  double t;

  motion->frame++;
  if (motion->frame <= half)
    {
      t = motion->frame / (double) half * 2 * G_PI;
      peel_board_pan (motion->board, 14 * cos (t), 9 * sin (2 * t));
    }
  else if (motion->frame <= N_FRAMES)
    {
      t = (motion->frame - half) / (double) half * 2 * G_PI;
      peel_board_set_zoom (motion->board, 0.15 + 0.85 * (0.5 + 0.5 * cos (t)));
    }
  return motion->frame <= N_FRAMES + 2 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
motion_done (gpointer data)
{
  return ((Motion *) data)->frame > N_FRAMES + 2;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            int     p)
{
  g_array_sort (values, compare_doubles);
  return values->len ? g_array_index (values, double, MIN (values->len - 1,
                                                           values->len * p / 100)) : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PeelApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("peel-board-bench-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (tmp, "data", NULL);
  g_autofree char *cache_home = g_build_filename (tmp, "cache", NULL);
  g_autofree char *sessions = g_build_filename (data_home, "peel", "sessions", NULL);
  g_autofree char *path = NULL;
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp);
  Motion motion = { 0 };
  GdkFrameClock *clock;
  PeelWindow *window;
  gint64 started;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("GEMINI_API_KEY");
  peel_renderer_pick ();
  gtk_init ();

  started = g_get_monotonic_time ();
  g_mkdir_with_parents (sessions, 0700);
  path = write_session (sessions);
  printf ("wrote a session of %d turns in %.0f ms\n", N_TURNS,
          (g_get_monotonic_time () - started) / 1000.0);

  settings = g_settings_new (APP_ID);
  g_settings_set (settings, "window-size", "(ii)", 1280, 800);
  g_settings_set_string (settings, "last-session", path);
  app = peel_application_new_for_test (TRUE);
  peel_application_set_demo_start (app, peel_demo_server_new_started);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (NULL, NULL, 1000);
  motion.board = PEEL_BOARD (peel_window_get_board (window));

  /* Every thumbnail made and loaded once: the whole tree in view, then back to 50 %. */
  started = g_get_monotonic_time ();
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-board",
                                      g_variant_new_boolean (TRUE));
  wait_until (NULL, NULL, 300);
  peel_board_zoom_fit (motion.board);
  if (!wait_until (thumbnails_loaded, motion.board, 300000))
    g_error ("the thumbnails did not load within five minutes");
  printf ("board shown with every thumbnail after %.0f ms\n",
          (g_get_monotonic_time () - started) / 1000.0);
  peel_board_set_zoom (motion.board, 0.5);
  wait_until (thumbnails_loaded, motion.board, 60000);

  motion.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  motion.work = g_array_new (FALSE, FALSE, sizeof (double));
  motion.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  motion.cpu_pan = g_array_new (FALSE, FALSE, sizeof (double));
  motion.cpu_zoom = g_array_new (FALSE, FALSE, sizeof (double));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (motion.board));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &motion);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &motion);
  gtk_widget_add_tick_callback (GTK_WIDGET (motion.board), tick_cb, &motion, NULL);
  started = g_get_monotonic_time ();
  if (!wait_until (motion_done, &motion, 120000))
    g_error ("panning and zooming did not finish");
  /* For `perf record -k CLOCK_MONOTONIC` and `perf report --time FROM,TO`. */
  g_printerr ("motion from %.6f to %.6f (CLOCK_MONOTONIC, s)\n", started / 1e6,
              g_get_monotonic_time () / 1e6);
  g_signal_handlers_disconnect_by_data (clock, &motion);

  printf ("renderer=%s turns=%d\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), N_TURNS);
  printf ("board pan and zoom: %u frames, interval median %.1f ms, p95 %.1f ms, max %.1f ms; "
          "work per frame median %.1f ms, p95 %.1f ms\n",
          motion.intervals->len, percentile (motion.intervals, 50),
          percentile (motion.intervals, 95), percentile (motion.intervals, 100),
          percentile (motion.work, 50), percentile (motion.work, 95));
  printf ("CPU time of the process per frame: median %.1f ms, p95 %.1f ms\n",
          percentile (motion.cpu, 50), percentile (motion.cpu, 95));
  printf ("  panning: median %.1f ms, p95 %.1f ms; zooming: median %.1f ms, p95 %.1f ms\n",
          percentile (motion.cpu_pan, 50), percentile (motion.cpu_pan, 95),
          percentile (motion.cpu_zoom, 50), percentile (motion.cpu_zoom, 95));
  printf ("frame_p95_ms=%.1f\n", percentile (motion.intervals, 95));
  fflush (stdout);

  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (NULL, NULL, 200);
  g_array_unref (motion.intervals);
  g_array_unref (motion.work);
  g_array_unref (motion.cpu);
  g_array_unref (motion.cpu_pan);
  g_array_unref (motion.cpu_zoom);
  if (system (command) != 0)
    g_printerr ("could not remove %s\n", tmp);
  return 0;
}
