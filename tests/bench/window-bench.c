/* window-bench.c
 *
 * The real window against the in-process demo server, while a 4K reply (16:9 4K, 5504×3072)
 * arrives and is shown: the longest main-loop stall, the time from "Generate" until the final
 * image is on screen, and frame times while panning and zooming it. Not a test: run it with
 * tests/bench/window-bench, which starts it under Xvfb and a private D-Bus.
 *
 * Stalls are explained by sampling the main thread: a watchdog thread notices when the 1 ms
 * heartbeat on the main loop is late and takes the main thread's stack (SIGPROF + backtrace()),
 * so each stall is charged to the code that held the main loop, the demo server's included.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "config.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "peel-application.h"
#include "peel-renderer.h"
#include "peel-canvas-private.h"
#include "peel-canvas-tools-private.h"
#include "peel-demo-server.h"
#include "peel-session.h"
#include "peel-window.h"

#define STALL_SAMPLE_US   8000
#define MAX_SAMPLES       8192
#define MAX_DEPTH         48
#define MAX_GAPS          4096
#define N_FRAMES          120

typedef struct
{
  gint64  time;
  int     depth;
  void   *frames[MAX_DEPTH];
} Sample;

typedef struct
{
  gint64 start;
  gint64 end;
} Gap;

static Sample    samples[MAX_SAMPLES];
static int       n_samples;
static gint64    last_beat;
static int       measuring;
static int       watchdog_running;
static pthread_t main_thread;

static Gap       gaps[MAX_GAPS];
static guint     n_gaps;
static gint64    max_gap;

static void
sigprof_handler (int sig)
{
  int i = __atomic_fetch_add (&n_samples, 1, __ATOMIC_RELAXED);

  if (i >= MAX_SAMPLES)
    return;
  samples[i].time = g_get_monotonic_time ();
  samples[i].depth = backtrace (samples[i].frames, MAX_DEPTH);
}

static gpointer
watchdog_thread (gpointer data)
{
  while (__atomic_load_n (&watchdog_running, __ATOMIC_RELAXED))
    {
      gint64 beat = __atomic_load_n (&last_beat, __ATOMIC_RELAXED);

      g_usleep (1000);
      if (__atomic_load_n (&measuring, __ATOMIC_RELAXED) &&
          g_get_monotonic_time () - beat > STALL_SAMPLE_US)
        {
          pthread_kill (main_thread, SIGPROF);
          g_usleep (1000);
        }
    }
  return NULL;
}

static gboolean
heartbeat_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 beat = __atomic_load_n (&last_beat, __ATOMIC_RELAXED);

  if (__atomic_load_n (&measuring, __ATOMIC_RELAXED) && beat != 0)
    {
      gint64 gap = now - beat;

      if (gap > max_gap)
        max_gap = gap;
      if (gap > STALL_SAMPLE_US && n_gaps < MAX_GAPS)
        gaps[n_gaps++] = (Gap) { beat, now };
    }
  __atomic_store_n (&last_beat, now, __ATOMIC_RELAXED);
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while ((condition == NULL || !condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return condition == NULL || condition (data);
}

/* What the bench watches for: the final texture set on the canvas, then a frame after it. */
typedef struct
{
  PeelWindow *window;
  PeelCanvas *canvas;
  int         width;
  int         height;
  gint64      started;
  gint64      texture_set;
  gint64      first_shown;
  gint64      first_image;
  gint64      generation_done;
} Watch;

/* The final image is on the canvas once the turn is over and the canvas shows an image of its
 * size undimmed: whether that image was set then or (decoded once, as the preview) before. */
static void
texture_check_cb (Watch *watch)
{
  GdkTexture *texture = peel_canvas_get_texture (watch->canvas);

  if (watch->started == 0 || texture == NULL ||
      gdk_texture_get_width (texture) != watch->width ||
      gdk_texture_get_height (texture) != watch->height)
    return;
  if (watch->first_image == 0)
    watch->first_image = g_get_monotonic_time ();
  if (watch->texture_set != 0 || peel_window_get_busy (watch->window) ||
      peel_canvas_get_dimmed (watch->canvas))
    return;
  watch->texture_set = g_get_monotonic_time ();
}

static void
texture_notify_cb (PeelCanvas *canvas,
                   GParamSpec *pspec,
                   Watch      *watch)
{
  texture_check_cb (watch);
}

static void
busy_check_cb (Watch *watch)
{
  if (watch->started != 0 && watch->generation_done == 0 && !peel_window_get_busy (watch->window))
    watch->generation_done = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Watch         *watch)
{
  busy_check_cb (watch);
  if (watch->texture_set != 0 && watch->first_shown == 0)
    watch->first_shown = g_get_monotonic_time ();
}

static gboolean
shown (gpointer data)
{
  return ((Watch *) data)->first_shown != 0;
}

static gboolean
idle_and_shown (gpointer data)
{
  Watch *watch = data;
  GdkTexture *texture = peel_canvas_get_texture (watch->canvas);

  return !peel_window_get_busy (watch->window) && texture != NULL &&
         !peel_canvas_get_dimmed (watch->canvas);
}

/* Pan and zoom across frames, as a hand would, and record the intervals between frames. */
typedef struct
{
  int     frame;
  int     n_frames;
  gint64  last_after_paint;
  GArray *intervals;
} Motion;

static void
motion_after_paint_cb (GdkFrameClock *clock,
                       Motion        *motion)
{
  gint64 now = g_get_monotonic_time ();

  if (motion->last_after_paint != 0 && motion->frame > 1 && motion->frame <= motion->n_frames)
    {
      double interval = (now - motion->last_after_paint) / 1000.0;
      g_array_append_val (motion->intervals, interval);
    }
  motion->last_after_paint = now;
}

static gboolean
motion_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Motion *motion = user_data;
  int half = motion->n_frames / 2;
  double t, wave;

  if (motion->frame < half)
    {
      /* A drag left and right at 100 %, about 40 px a frame. */
      t = (double) motion->frame / half;
      wave = sin (t * 2 * G_PI);
      _peel_canvas_pan_by (PEEL_CANVAS (widget), 40 * (wave >= 0 ? 1 : -1), 10 * wave);
    }
  else
    {
      /* Zooming between 25 % and 200 %. */
      t = (double) (motion->frame - half) / half;
      wave = sin (t * 2 * G_PI);
      peel_canvas_set_zoom (PEEL_CANVAS (widget), 0.25 * pow (8, 0.5 + 0.5 * wave));
    }

  motion->frame++;
  return motion->frame <= motion->n_frames ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Where a frame's time goes. The app's part: the update and layout phases (tick callbacks,
 * size requests and allocation) and the window's snapshot (widgets to render nodes, GTK's CSS
 * drawing included), with the canvas's own snapshot counted apart. The renderer's part: the
 * rest of the paint phase, turning the nodes into pixels and presenting them (GSK, the GL
 * driver, the X server).
 */
typedef struct
{
  int       active;           /* 1 while the reply arrives, 2 while panning and zooming,
                                3 right after zooming to 100 % */
  gint64    frame_start;
  gint64    pre_paint_done;
  gint64    snapshot_us;
  gint64    canvas_us;
  gint64    origin;            /* when the generation started */
  gint64    cpu_start;
  gint64    main_cpu_start;
  GArray   *cpu;
  GtkWidget *canvas_widget;
  GArray   *app;
  GArray   *renderer;
  GArray   *canvas;
  double    longest_app;       /* the longest frame while the reply arrives, split */
  double    longest_renderer;
  double    longest_zoom_in;   /* the longest frame after first zooming to 100 % */
  int       arriving_frames;   /* frames drawn while the reply arrives, and their cost */
  double    arriving_renderer;
  double    arriving_cpu;
  double    arriving_main;     /* CPU time of the main thread in those frames, and the most */
  double    longest_main;      /* one of them took: what other processes move the least */
} Split;

static Split split;
static void (*window_snapshot) (GtkWidget *widget, GtkSnapshot *snapshot);
static void (*canvas_snapshot) (GtkWidget *widget, GtkSnapshot *snapshot);

static void
timed_window_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  gint64 start = g_get_monotonic_time ();

  window_snapshot (widget, snapshot);
  split.snapshot_us += g_get_monotonic_time () - start;
}

static void
timed_canvas_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  gint64 start = g_get_monotonic_time ();

  /* A diagnosis, not a figure: how much the rest of the window costs without the image. */
  if (g_getenv ("WINDOW_BENCH_NO_CANVAS") == NULL)
    canvas_snapshot (widget, snapshot);
  split.canvas_us += g_get_monotonic_time () - start;
}

/* CPU time of the whole process, llvmpipe's threads included: less at the mercy of other
 * processes on a busy machine than the wall clock.
 */
static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* CPU time of the main thread alone (frames are drawn there with cairo): neither the demo
 * server's nor the decoders' threads, nor waiting for a core. */
static gint64
main_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
split_before_paint_cb (GdkFrameClock *clock,
                       gpointer       data)
{
  split.frame_start = split.pre_paint_done = g_get_monotonic_time ();
  split.cpu_start = process_cpu_us ();
  split.main_cpu_start = main_cpu_us ();
  split.snapshot_us = split.canvas_us = 0;
}

static void
split_pre_paint_cb (GdkFrameClock *clock,
                    gpointer       data)
{
  split.pre_paint_done = g_get_monotonic_time ();
}

static void
split_after_paint_cb (GdkFrameClock *clock,
                      gpointer       data)
{
  gint64 now = g_get_monotonic_time ();
  double app, renderer, canvas, cpu, main_cpu;

  if (!split.active || split.frame_start == 0)
    return;
  app = (split.pre_paint_done - split.frame_start + split.snapshot_us) / 1000.0;
  renderer = (now - split.pre_paint_done - split.snapshot_us) / 1000.0;
  canvas = split.canvas_us / 1000.0;
  cpu = (process_cpu_us () - split.cpu_start) / 1000.0;
  main_cpu = (main_cpu_us () - split.main_cpu_start) / 1000.0;
  if (g_getenv ("WINDOW_BENCH_FRAMES") != NULL)
    {
      PeelCanvas *shown = PEEL_CANVAS (split.canvas_widget);
      GdkTexture *texture = peel_canvas_get_texture (shown);

      printf ("frame %s at %.0f ms: app %.1f ms, renderer %.1f ms, cpu %.1f ms, "
              "main thread cpu %.1f ms, scale %.3f, image %d px wide\n",
              split.active == 1 ? "arriving" : "moving",
              (split.frame_start - split.origin) / 1000.0, app, renderer, cpu, main_cpu,
              peel_canvas_get_scale (shown), texture ? gdk_texture_get_width (texture) : 0);
    }
  split.frame_start = 0;
  if (split.active == 3)
    {
      split.longest_zoom_in = MAX (split.longest_zoom_in, app + renderer);
      return;
    }
  if (split.active == 1)
    {
      split.arriving_frames++;
      split.arriving_renderer += renderer;
      split.arriving_cpu += cpu;
      split.arriving_main += main_cpu;
      split.longest_main = MAX (split.longest_main, main_cpu);
      if (app + renderer > split.longest_app + split.longest_renderer)
        split.longest_app = app, split.longest_renderer = renderer;
      return;
    }
  g_array_append_val (split.app, app);
  g_array_append_val (split.renderer, renderer);
  g_array_append_val (split.canvas, canvas);
  g_array_append_val (split.cpu, cpu);
}

static gboolean
motion_done (gpointer data)
{
  Motion *motion = data;

  return motion->frame > motion->n_frames;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            int     percent)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, values->len * percent / 100));
}

/* The time one renderer takes to turn a node into pixels, offscreen and read back (which
 * waits for the GPU, or llvmpipe's threads, to finish): the median of a few runs.
 */
static double
render_ms (GskRenderer           *renderer,
           GskRenderNode         *node,
           const graphene_rect_t *viewport)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  int width = ceil (viewport->size.width), height = ceil (viewport->size.height);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);

  for (int i = 0; i < 7; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GdkTexture) texture = gsk_renderer_render_texture (renderer, node, viewport);
      double ms;

      gdk_texture_download (texture, pixels, (gsize) width * 4);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }
  return percentile (times, 50);
}

/* The same frame through the window's renderer and through the cairo renderer: the whole
 * window, the canvas alone, and a plain colour of the window's size (the renderer's floor).
 */
static void
report_offline_renders (GtkWidget  *window,
                        PeelCanvas *canvas,
                        const char *state)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_autoptr(GskRenderer) cairo = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) window_node = NULL;
  g_autoptr(GskRenderNode) canvas_node = NULL;
  g_autoptr(GskRenderNode) plain_node = NULL;
  GtkSnapshot *snapshot;
  graphene_rect_t window_box = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window),
                                                   gtk_widget_get_height (window));
  graphene_rect_t canvas_box =
    GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (canvas)),
                        gtk_widget_get_height (GTK_WIDGET (canvas)));
  gint64 start;
  double window_snapshot_ms, canvas_snapshot_ms;

  gsk_renderer_realize (cairo, NULL, NULL);

  snapshot = gtk_snapshot_new ();
  start = g_get_monotonic_time ();
  window_snapshot (window, snapshot);
  window_snapshot_ms = (g_get_monotonic_time () - start) / 1000.0;
  window_node = gtk_snapshot_free_to_node (snapshot);

  snapshot = gtk_snapshot_new ();
  start = g_get_monotonic_time ();
  canvas_snapshot (GTK_WIDGET (canvas), snapshot);
  canvas_snapshot_ms = (g_get_monotonic_time () - start) / 1000.0;
  canvas_node = gtk_snapshot_free_to_node (snapshot);

  plain_node = gsk_color_node_new (&(GdkRGBA) { 0.5, 0.5, 0.5, 1 }, &window_box);

  printf ("offline, %s, %s renderer / cairo renderer (ms): window %.1f / %.1f, canvas alone "
          "%.1f / %.1f, plain colour %.1f / %.1f; snapshot: window (cached widgets) %.2f, "
          "canvas %.2f\n", state, G_OBJECT_TYPE_NAME (renderer),
          render_ms (renderer, window_node, &window_box),
          render_ms (cairo, window_node, &window_box),
          canvas_node ? render_ms (renderer, canvas_node, &canvas_box) : 0,
          canvas_node ? render_ms (cairo, canvas_node, &canvas_box) : 0,
          render_ms (renderer, plain_node, &window_box), render_ms (cairo, plain_node, &window_box),
          window_snapshot_ms, canvas_snapshot_ms);
  /* To look at: WINDOW_BENCH_SHOT=prefix saves this frame as drawn by each renderer. */
  if (g_getenv ("WINDOW_BENCH_SHOT") != NULL)
    {
      g_autoptr(GdkTexture) by_window = gsk_renderer_render_texture (renderer, window_node,
                                                                    &window_box);
      g_autoptr(GdkTexture) by_cairo = gsk_renderer_render_texture (cairo, window_node,
                                                                   &window_box);
      g_autofree char *a = g_strdup_printf ("%s-%s-%s.png", g_getenv ("WINDOW_BENCH_SHOT"),
                                            state, G_OBJECT_TYPE_NAME (renderer));
      g_autofree char *b = g_strdup_printf ("%s-%s-cairo.png", g_getenv ("WINDOW_BENCH_SHOT"),
                                            state);

      gdk_texture_save_to_png (by_window, a);
      gdk_texture_save_to_png (by_cairo, b);
    }
  gsk_renderer_unrealize (cairo);
}

/* Symbols: dladdr for libraries, addr2line for Peel's own static functions. */
typedef struct
{
  char *name;
  char *where;
  gboolean own;
} Symbol;

static GHashTable *symbols;

static void
symbol_free (Symbol *symbol)
{
  g_free (symbol->name);
  g_free (symbol->where);
  g_free (symbol);
}

static void
resolve_symbols (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GPtrArray) own = g_ptr_array_new ();
  g_autoptr(GString) input = g_string_new (NULL);
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  int limit = MIN (n_samples, MAX_SAMPLES);

  symbols = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) symbol_free);
  for (int i = 0; i < limit; i++)
    for (int d = 0; d < samples[i].depth; d++)
      {
        void *addr = samples[i].frames[d];
        Dl_info info = { 0 };
        Symbol *symbol;

        if (g_hash_table_contains (symbols, addr))
          continue;
        symbol = g_new0 (Symbol, 1);
        g_hash_table_insert (symbols, addr, symbol);
        if (dladdr ((char *) addr - 1, &info) == 0)
          continue;
        if (info.dli_fname != NULL && exe != NULL &&
            (g_strcmp0 (info.dli_fname, exe) == 0 || strstr (info.dli_fname, "window-bench")))
          {
            symbol->own = TRUE;
            g_ptr_array_add (own, addr);
            g_string_append_printf (input, "%#lx\n",
                                    (unsigned long) ((char *) addr - 1 - (char *) info.dli_fbase));
          }
        else
          {
            g_autofree char *lib = g_path_get_basename (info.dli_fname ? info.dli_fname : "?");
            symbol->name = info.dli_sname ? g_strdup (info.dli_sname)
                                          : g_strdup_printf ("?@%s", lib);
            symbol->where = g_steal_pointer (&lib);
          }
      }

  if (own->len > 0 && exe != NULL)
    {
      g_autofree char *tmp = NULL;
      g_autofree char *command = NULL;
      int fd = g_file_open_tmp ("window-bench-XXXXXX", &tmp, NULL);

      if (fd >= 0)
        {
          close (fd);
          g_file_set_contents (tmp, input->str, -1, NULL);
          command = g_strdup_printf ("sh -c 'addr2line -f -s -e \"%s\" < \"%s\"'", exe, tmp);
          g_spawn_command_line_sync (command, &output, NULL, NULL, NULL);
          g_unlink (tmp);
        }
    }

  if (output != NULL)
    {
      lines = g_strsplit (output, "\n", -1);
      for (guint i = 0; i < own->len && 2 * i + 1 < g_strv_length (lines); i++)
        {
          Symbol *symbol = g_hash_table_lookup (symbols, own->pdata[i]);
          symbol->name = g_strdup (lines[2 * i]);
          symbol->where = g_strdup (lines[2 * i + 1]);
        }
    }
}

static const char *
symbol_name (void *addr)
{
  Symbol *symbol = g_hash_table_lookup (symbols, addr);

  return symbol && symbol->name ? symbol->name : "??";
}

/* Who held the main loop in one sample: the innermost Peel function (with its file), the
 * innermost library function under it, and whether it was the demo server, the client, the
 * canvas or GTK drawing. */
static char *
sample_label (Sample     *sample,
              const char **category)
{
  g_autoptr(GString) chain = g_string_new (NULL);
  const char *last = NULL;
  Symbol *own = NULL;
  gboolean painting = FALSE;
  int named = 0;

  /* frames[0] is the handler, frames[1] the signal trampoline. */
  for (int d = 2; d < sample->depth; d++)
    {
      Symbol *symbol = g_hash_table_lookup (symbols, sample->frames[d]);

      if (symbol == NULL || symbol->name == NULL)
        continue;
      if (symbol->own)
        {
          /* The bench's own loop is not the culprit; the first Peel function under it is. */
          if (own == NULL && symbol->where != NULL && !g_str_has_prefix (symbol->where, "??") &&
              !g_str_has_prefix (symbol->where, "window-bench"))
            own = symbol;
          continue;
        }
      if (own == NULL && named < 3 && g_strcmp0 (symbol->name, last) != 0)
        {
          g_string_append_printf (chain, "%s%s", named ? " < " : "", symbol->name);
          last = symbol->name;
          named++;
        }
      if (g_str_has_prefix (symbol->name, "gsk_renderer_render") ||
          g_str_has_prefix (symbol->name, "gdk_frame_clock") ||
          g_str_has_prefix (symbol->name, "gtk_widget_snapshot"))
        painting = TRUE;
    }

  if (own != NULL && own->where != NULL && strstr (own->where, "peel-demo"))
    *category = "demo server";
  else if (own != NULL && own->where != NULL && (strstr (own->where, "peel-gemini") ||
                                                 strstr (own->where, "peel-sse")))
    *category = "client";
  else if (painting)
    *category = "drawing (GTK/GSK)";
  else if (own != NULL && own->where != NULL && strstr (own->where, "peel-canvas"))
    *category = "canvas";
  else if (own != NULL && own->where != NULL && (strstr (own->where, "peel-store") ||
                                                 strstr (own->where, "peel-node") ||
                                                 strstr (own->where, "peel-session")))
    *category = "session and store";
  else if (own != NULL)
    *category = "other Peel code";
  else
    *category = "main loop, other";

  return g_strdup_printf ("%s (%s) <- %s", own ? own->name : "-",
                          own && own->where ? own->where : "-",
                          chain->len ? chain->str : "-");
}

static void
count_into (GHashTable *table,
            const char *key)
{
  g_hash_table_insert (table, g_strdup (key),
                       GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (table, key)) + 1));
}

static int
compare_counts (gconstpointer a,
                gconstpointer b,
                gpointer      table)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (table, *(char **) b)) -
         GPOINTER_TO_INT (g_hash_table_lookup (table, *(char **) a));
}

static void
print_table (const char *title,
             GHashTable *table,
             int         total,
             guint       max_rows)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (table, NULL);
  guint n = g_hash_table_size (table);

  g_qsort_with_data (keys, n, sizeof (gpointer), compare_counts, table);
  printf ("%s\n", title);
  for (guint i = 0; i < n && i < max_rows; i++)
    printf ("  %5.1f%%  %s\n", 100.0 * GPOINTER_TO_INT (g_hash_table_lookup (table, keys[i])) / total,
            (char *) keys[i]);
}

/* Where the time to the first shown image goes. What a worker pays for the 4K image on this
 * machine is measured apart, after the run: decoding it, and making its smaller copies. */
typedef struct
{
  double receive;       /* Generate until the turn is over: the reply in, the node saved */
  double after_turn;    /* then until the final image is set (undimmed) on the canvas */
  double first_frame;   /* then until the first frame with it is drawn */
  double decode;
  double mipmaps;
} Phases;

static Phases phases;

static double
worker_costs (GBytes *bytes,
              double *mipmaps_ms)
{
  g_autoptr(GArray) decode = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) shrink = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < 3; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (bytes, NULL);
      g_autoptr(PeelCanvasMipmaps) mipmaps = NULL;
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (texture == NULL)
        return 0;
      g_array_append_val (decode, ms);
      start = g_get_monotonic_time ();
      mipmaps = _peel_canvas_make_mipmaps (texture, NULL);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (shrink, ms);
    }
  *mipmaps_ms = percentile (shrink, 50);
  return percentile (decode, 50);
}

/* The canvas's own account of the load that put the image shown on screen. */
static void
report_canvas_load (Watch *watch)
{
  PeelCanvasLoadTimes times;

  _peel_canvas_get_load_times (watch->canvas, &times);
  if (times.started < watch->started)
    {
      printf ("the canvas: the image shown was not loaded during the run\n");
      return;
    }
  printf ("the canvas, from Generate (ms): bytes handed to it %.0f, decoded %.0f, smaller copies "
          "made %.0f, set %.0f; the final image %s\n",
          (times.started - watch->started) / 1000.0, (times.decoded - watch->started) / 1000.0,
          (times.shrunk - watch->started) / 1000.0, (times.set - watch->started) / 1000.0,
          times.reused > 0 ? "was the preview's bytes, not decoded again"
                           : "was decoded for itself");
}

static void
report_phases (Watch *watch)
{
  PeelNode *node = peel_session_get_current (peel_window_get_session (watch->window));
  g_autoptr(GBytes) bytes = node ? peel_node_dup_final_image_bytes (node, NULL) : NULL;

  phases.receive = (watch->generation_done - watch->started) / 1000.0;
  phases.after_turn = (watch->texture_set - watch->generation_done) / 1000.0;
  phases.first_frame = (watch->first_shown - watch->texture_set) / 1000.0;
  if (bytes != NULL)
    phases.decode = worker_costs (bytes, &phases.mipmaps);

  printf ("time to the first shown image: %.0f ms receiving (until the turn is over: reply in, "
          "node saved; the streamed image was first on the canvas, dimmed, at %.0f ms), %.0f ms "
          "from then until the final image was set, %.0f ms until a frame showed it\n",
          phases.receive, (watch->first_image - watch->started) / 1000.0, phases.after_turn,
          phases.first_frame);
  printf ("the 4K image in a worker (median of 3, measured after the run): decoding %.0f ms, "
          "smaller copies %.0f ms\n", phases.decode, phases.mipmaps);
  report_canvas_load (watch);
}

static void
report_stalls (void)
{
  int limit = MIN (n_samples, MAX_SAMPLES);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint longest = 0;
  gint64 stalled = 0;

  for (guint i = 0; i < n_gaps; i++)
    {
      stalled += gaps[i].end - gaps[i].start;
      if (gaps[i].end - gaps[i].start > gaps[longest].end - gaps[longest].start)
        longest = i;
    }
  printf ("main loop: %u stalls over %d ms, %.0f ms stalled in all\n", n_gaps,
          STALL_SAMPLE_US / 1000, stalled / 1000.0);
  if (limit == 0)
    return;

  resolve_symbols ();
  for (int i = 0; i < limit; i++)
    {
      const char *category = NULL;
      g_autofree char *label = sample_label (&samples[i], &category);

      count_into (categories, category);
      count_into (labels, label);
    }
  print_table ("where the main thread was during stalls (share of samples, all stalls):",
               categories, limit, 10);
  print_table ("top stacks (innermost Peel function <- library calls under it, innermost first):",
               labels, limit, 12);

  if (n_gaps > 0)
    {
      g_autoptr(GHashTable) longest_labels =
        g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      int in_longest = 0;

      for (int i = 0; i < limit; i++)
        {
          const char *category = NULL;
          g_autofree char *label = NULL;

          if (samples[i].time < gaps[longest].start || samples[i].time > gaps[longest].end)
            continue;
          label = sample_label (&samples[i], &category);
          count_into (longest_labels, label);
          in_longest++;
        }
      if (in_longest > 0)
        {
          g_autofree char *title =
            g_strdup_printf ("the longest stall, %.0f ms, %d samples:",
                             (gaps[longest].end - gaps[longest].start) / 1000.0, in_longest);
          print_table (title, longest_labels, in_longest, 6);
        }
    }

  if (g_getenv ("WINDOW_BENCH_STACKS") != NULL)
    for (int i = 0; i < limit; i++)
      {
        printf ("sample %d at %+.1f ms:\n", i, samples[i].time / 1000.0);
        for (int d = 2; d < samples[i].depth; d++)
          {
            Symbol *symbol = g_hash_table_lookup (symbols, samples[i].frames[d]);
            printf ("    %s  %s\n", symbol_name (samples[i].frames[d]),
                    symbol && symbol->where ? symbol->where : "");
          }
      }
}

/* Painting a selection with the brush, then dragging a mark, across frames on the 4K image,
 * through the canvas's own drag path, as a hand would: each frame moves the pointer, the mask
 * takes the dabs and the overlay is made again. Prints the frame intervals' 95th percentile. */
typedef struct
{
  PeelCanvas     *canvas;
  GtkGestureDrag *gesture;
  int             frame;
  int             n_frames;
  gboolean        marks;
  double          start_x;
  double          start_y;
  gint64          last_after_paint;
  GArray         *intervals;
} Stroke;

static void
stroke_after_paint_cb (GdkFrameClock *clock,
                       Stroke        *stroke)
{
  gint64 now = g_get_monotonic_time ();

  if (stroke->last_after_paint != 0 && stroke->frame > 1 && stroke->frame <= stroke->n_frames)
    {
      double interval = (now - stroke->last_after_paint) / 1000.0;

      g_array_append_val (stroke->intervals, interval);
    }
  stroke->last_after_paint = now;
}

static gboolean
stroke_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Stroke *stroke = user_data;
  double t = (double) stroke->frame / stroke->n_frames;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  /* Across the image and back in a wave, about 15 px a frame. */
  double dx = (0.5 - fabs (t - 0.5)) * 2 * width * 0.6;
  double dy = sin (t * 6 * G_PI) * height * 0.2;

  if (stroke->frame == 0)
    _peel_canvas_tools_drag_begin (stroke->canvas, stroke->gesture, stroke->start_x,
                                   stroke->start_y);
  else if (stroke->frame < stroke->n_frames)
    _peel_canvas_tools_drag_update (stroke->canvas, stroke->gesture, dx, dy);
  else
    _peel_canvas_tools_drag_end (stroke->canvas, stroke->gesture);

  stroke->frame++;
  return stroke->frame <= stroke->n_frames ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
stroke_done (gpointer data)
{
  Stroke *stroke = data;

  return stroke->frame > stroke->n_frames;
}

static double
run_stroke (PeelCanvas     *canvas,
            GdkFrameClock  *clock,
            PeelCanvasTool  tool)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas));
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
  Stroke stroke = { canvas, NULL, 0, N_FRAMES, FALSE, 0, 0, 0, intervals };

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        stroke.gesture = GTK_GESTURE_DRAG (controller);
    }
  g_assert (stroke.gesture != NULL);

  peel_canvas_set_tool (canvas, tool);
  stroke.start_x = gtk_widget_get_width (GTK_WIDGET (canvas)) * 0.2;
  stroke.start_y = gtk_widget_get_height (GTK_WIDGET (canvas)) * 0.5;
  if (tool == PEEL_CANVAS_TOOL_MARKS)
    {
      /* A mark under the pointer, dragged about. */
      double u, v;
      PeelMark *mark = peel_mark_new (PEEL_MARK_ARROW, "#e01b24", 16);

      peel_canvas_widget_to_image (canvas, stroke.start_x, stroke.start_y, &u, &v);
      peel_mark_add_point (mark, u - 300, v - 200);
      peel_mark_add_point (mark, u, v);
      peel_canvas_add_mark (canvas, mark);
    }
  g_signal_connect (clock, "after-paint", G_CALLBACK (stroke_after_paint_cb), &stroke);
  gtk_widget_add_tick_callback (GTK_WIDGET (canvas), stroke_tick_cb, &stroke, NULL);
  if (!wait_until (stroke_done, &stroke, 120000))
    g_error ("the stroke did not finish");
  g_signal_handlers_disconnect_by_data (clock, &stroke);
  peel_canvas_set_tool (canvas, PEEL_CANVAS_TOOL_PAN);
  return percentile (intervals, 95);
}

static void
report_stroke (const char    *what,
               PeelCanvas    *canvas,
               GdkFrameClock *clock,
               PeelCanvasTool tool)
{
  /* The pan and zoom figures are kept aside: this scenario's frames are split apart. */
  Split kept = split;
  double frame;

  split.app = g_array_new (FALSE, FALSE, sizeof (double));
  split.renderer = g_array_new (FALSE, FALSE, sizeof (double));
  split.canvas = g_array_new (FALSE, FALSE, sizeof (double));
  split.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  split.active = 2;
  frame = run_stroke (canvas, clock, tool);
  split.active = 0;
  printf ("%s on the %d×%d image, fitted: %s_frame_p95_ms=%.1f; per frame (p95 ms): app %.1f "
          "(canvas snapshot %.1f), renderer %.1f\n", what,
          _peel_canvas_image_width (&canvas->image), _peel_canvas_image_height (&canvas->image),
          tool == PEEL_CANVAS_TOOL_BRUSH ? "brush" : "mark", frame, percentile (split.app, 95),
          percentile (split.canvas, 95), percentile (split.renderer, 95));
  g_array_unref (split.app);
  g_array_unref (split.renderer);
  g_array_unref (split.canvas);
  g_array_unref (split.cpu);
  split = kept;
}

static void
report_brush_and_marks (PeelWindow    *window,
                        PeelCanvas    *canvas,
                        GdkFrameClock *clock)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL);
  wait_until (NULL, NULL, 300);
  peel_canvas_set_brush_size (canvas, 160);
  report_stroke ("painting the selection with the brush", canvas, clock,
                 PEEL_CANVAS_TOOL_BRUSH);
  report_stroke ("dragging a mark over the selection", canvas, clock, PEEL_CANVAS_TOOL_MARKS);
  peel_canvas_clear_selection (canvas);
  peel_canvas_set_marks (canvas, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PeelApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *tmp = NULL;
  g_autofree char *data_home = NULL;
  struct sigaction action = { 0 };
  GThread *watchdog;
  PeelWindow *window;
  PeelPromptBar *bar;
  PeelCanvas *canvas;
  GdkFrameClock *clock;
  Watch watch = { 0 };
  Motion motion = { 0 };
  void *warm[4];
  double frame_p95;
  guint heartbeat;
  int window_width, window_height;

  /* A private place for the session, unless the caller chose one. */
  if (g_getenv ("WINDOW_BENCH_KEEP_XDG") == NULL)
    {
      tmp = g_dir_make_tmp ("peel-window-bench-XXXXXX", &error);
      g_assert_no_error (error);
      data_home = g_build_filename (tmp, "data", NULL);
      g_setenv ("XDG_DATA_HOME", data_home, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("GEMINI_API_KEY");

  /* The renderer Peel itself would draw with here (cairo when there is no GPU). */
  peel_renderer_pick ();
  gtk_init ();

  /* backtrace() loads libgcc on first use: do that now, not in the signal handler. */
  backtrace (warm, G_N_ELEMENTS (warm));
  main_thread = pthread_self ();
  action.sa_handler = sigprof_handler;
  action.sa_flags = SA_RESTART;
  sigaction (SIGPROF, &action, NULL);

  settings = g_settings_new (APP_ID);
  if (g_getenv ("WINDOW_BENCH_SIZE") == NULL ||
      sscanf (g_getenv ("WINDOW_BENCH_SIZE"), "%dx%d", &window_width, &window_height) != 2)
    window_width = 1280, window_height = 800;
  g_settings_set (settings, "window-size", "(ii)", window_width, window_height);

  app = peel_application_new_for_test (TRUE);
  peel_application_set_demo_start (app, peel_demo_server_new_started);

  window_snapshot = GTK_WIDGET_CLASS (g_type_class_ref (PEEL_TYPE_WINDOW))->snapshot;
  GTK_WIDGET_CLASS (g_type_class_peek (PEEL_TYPE_WINDOW))->snapshot = timed_window_snapshot;
  canvas_snapshot = GTK_WIDGET_CLASS (g_type_class_ref (PEEL_TYPE_CANVAS))->snapshot;
  GTK_WIDGET_CLASS (g_type_class_peek (PEEL_TYPE_CANVAS))->snapshot = timed_canvas_snapshot;
  split.app = g_array_new (FALSE, FALSE, sizeof (double));
  split.renderer = g_array_new (FALSE, FALSE, sizeof (double));
  split.canvas = g_array_new (FALSE, FALSE, sizeof (double));
  split.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  gtk_window_present (GTK_WINDOW (window));
  bar = peel_window_get_prompt_bar (window);
  canvas = peel_window_get_canvas (window);
  watch.window = window;
  split.canvas_widget = GTK_WIDGET (canvas);
  watch.canvas = canvas;
  watch.width = 5504;
  watch.height = 3072;
  wait_until (NULL, NULL, 1000);

  /* A first 1K image: shaders, fonts and thread pools are made outside the measurement. */
  peel_turn_settings_set_aspect_ratio (peel_prompt_bar_get_settings (bar), "16:9");
  peel_turn_settings_set_image_size (peel_prompt_bar_get_settings (bar), PEEL_IMAGE_SIZE_1K);
  peel_prompt_bar_set_prompt (bar, "warm up: a lighthouse");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  if (!wait_until (idle_and_shown, &watch, 60000))
    g_error ("the warm-up generation did not finish");
  wait_until (NULL, NULL, 500);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (canvas));
  g_signal_connect (canvas, "notify::texture", G_CALLBACK (texture_notify_cb), &watch);
  g_signal_connect (canvas, "notify::dimmed", G_CALLBACK (texture_notify_cb), &watch);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &watch);
  g_signal_connect (clock, "before-paint", G_CALLBACK (split_before_paint_cb), NULL);
  g_signal_connect_after (clock, "update", G_CALLBACK (split_pre_paint_cb), NULL);
  g_signal_connect_after (clock, "layout", G_CALLBACK (split_pre_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (split_after_paint_cb), NULL);

  heartbeat = g_timeout_add_full (G_PRIORITY_HIGH, 1, heartbeat_cb, NULL, NULL);
  watchdog_running = TRUE;
  watchdog = g_thread_new ("stall-watchdog", watchdog_thread, NULL);

  peel_turn_settings_set_image_size (peel_prompt_bar_get_settings (bar), PEEL_IMAGE_SIZE_4K);
  peel_prompt_bar_set_prompt (bar, "a lighthouse at dusk, 4K");
  __atomic_store_n (&last_beat, g_get_monotonic_time (), __ATOMIC_RELAXED);
  __atomic_store_n (&measuring, 1, __ATOMIC_RELAXED);
  watch.started = g_get_monotonic_time ();
  split.active = 1;
  split.origin = watch.started;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  if (!wait_until (shown, &watch, 120000))
    g_error ("the 4K image was not shown within two minutes");
  /* The work that follows the first frame (smaller copies for zooming out) counts too. */
  wait_until (NULL, NULL, 1000);
  __atomic_store_n (&measuring, 0, __ATOMIC_RELAXED);
  split.active = 0;

  /* Pan at 100 %, then zoom, across frames. */
  split.active = 3;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-100", NULL);
  wait_until (NULL, NULL, 300);
  motion.n_frames = 2 * N_FRAMES;
  motion.intervals = intervals;
  g_signal_connect (clock, "after-paint", G_CALLBACK (motion_after_paint_cb), &motion);
  gtk_widget_add_tick_callback (GTK_WIDGET (canvas), motion_tick_cb, &motion, NULL);
  split.active = 2;
  if (!wait_until (motion_done, &motion, 120000))
    g_error ("panning and zooming did not finish");
  split.active = FALSE;
  g_signal_handlers_disconnect_by_data (clock, &motion);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-100", NULL);
  wait_until (NULL, NULL, 300);
  report_offline_renders (GTK_WIDGET (window), canvas, "100 %");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL);
  wait_until (NULL, NULL, 300);
  report_offline_renders (GTK_WIDGET (window), canvas, "fitted");

  watchdog_running = FALSE;
  g_thread_join (watchdog);
  g_source_remove (heartbeat);
  g_signal_handlers_disconnect_by_data (clock, &watch);
  g_signal_handlers_disconnect_by_data (canvas, &watch);

  report_brush_and_marks (window, canvas, clock);

  g_array_sort (intervals, compare_doubles);
  frame_p95 = intervals->len ? g_array_index (intervals, double, intervals->len * 95 / 100) : 0;

  printf ("generation finished (reply in, node saved) at %.0f ms; final texture set at %.0f ms\n",
          watch.generation_done ? (watch.generation_done - watch.started) / 1000.0 : -1.0,
          (watch.texture_set - watch.started) / 1000.0);
  report_phases (&watch);
  printf ("pan and zoom: %u frames, median %.1f ms, p95 %.1f ms, max %.1f ms\n", intervals->len,
          intervals->len ? g_array_index (intervals, double, intervals->len / 2) : 0,
          frame_p95, intervals->len ? g_array_index (intervals, double, intervals->len - 1) : 0);
  printf ("pan and zoom, per frame (median / p95 ms): app %.1f / %.1f (canvas snapshot "
          "%.2f / %.2f), renderer %.1f / %.1f; CPU time of the process %.1f / %.1f\n",
          percentile (split.app, 50), percentile (split.app, 95),
          percentile (split.canvas, 50), percentile (split.canvas, 95),
          percentile (split.renderer, 50), percentile (split.renderer, 95),
          percentile (split.cpu, 50), percentile (split.cpu, 95));
  printf ("the longest frame after zooming to 100 %% (the full-size image drawn for the first "
          "time): %.1f ms\n", split.longest_zoom_in);
  printf ("the longest frame while the 4K reply arrived: app %.1f ms, renderer %.1f ms; "
          "%d frames drawn until it was shown and 1 s after, %.0f ms in the renderer, "
          "%.0f ms of CPU time\n", split.longest_app, split.longest_renderer,
          split.arriving_frames, split.arriving_renderer, split.arriving_cpu);
  printf ("the main thread's CPU time in those frames: %.0f ms, %.1f ms in the costliest\n",
          split.arriving_main, split.longest_main);
  report_stalls ();
  /* The split, for tests/bench/window-bench to summarise: the frame figures of the last line
   * divided into the app's work and the renderer's. */
  printf ("renderer=%s app_frame_p95_ms=%.1f renderer_frame_p95_ms=%.1f "
          "stall_app_ms=%.1f stall_renderer_ms=%.1f receive_ms=%.0f after_turn_ms=%.0f "
          "first_frame_ms=%.0f decode_ms=%.0f mipmaps_ms=%.0f\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
          percentile (split.app, 95), percentile (split.renderer, 95),
          split.longest_app, split.longest_renderer, phases.receive, phases.after_turn,
          phases.first_frame, phases.decode, phases.mipmaps);
  printf ("stall_ms=%.0f first_shown_ms=%.0f frame_p95_ms=%.1f\n", max_gap / 1000.0,
          (watch.first_shown - watch.started) / 1000.0, frame_p95);
  fflush (stdout);

  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (NULL, NULL, 200);
  if (tmp != NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp);
      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }
  return 0;
}
