/* region-bench.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "peel-region.h"

/*
 * How long placing a region edit's answer takes on a 4K image (4096 × 4096, 1:1 at 4K): the
 * mask's bounds, the feather, fitting the answer to the crop, matching tone and blending, on
 * one thread: the median wall time, the slowest, and the median CPU time of the thread. Three selections: a small one, a quarter of the image, and nine tenths of it.
 * Not a test: run it by hand.
 *
 *   region-bench [rounds]
 */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* This thread's CPU time in ms: what the composite costs, less moved by other processes. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
run (GdkPixbuf  *parent,
     double      fraction,
     int         feather,
     int         rounds)
{
  int side = gdk_pixbuf_get_width (parent);
  int edge = (int) (side * fraction);
  PeelRegionRect rect = { (side - edge) / 2, (side - edge) / 2, edge, edge };
  g_autoptr(PeelRegionMask) mask = peel_region_mask_new_rect (side, side, &rect);
  g_autofree double *times = g_new (double, rounds);
  g_autofree double *cpu = g_new (double, rounds);
  PeelRegionPlan plan;
  int w, h;

  if (!peel_region_plan (mask, feather, PEEL_MODEL_FAMILY_FLASH_3_1, &plan, NULL) ||
      !peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, plan.aspect_ratio, plan.size, &w, &h))
    g_error ("no plan");

  for (int i = 0; i < rounds; i++)
    {
      g_autoptr(GdkPixbuf) answer = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
      g_autoptr(GdkPixbuf) result = NULL;
      gint64 start;
      double cpu_start;

      gdk_pixbuf_fill (answer, 0x3366ccff);
      start = g_get_monotonic_time ();
      cpu_start = cpu_ms ();
      result = peel_region_composite (parent, mask, &plan, answer, NULL, NULL);
      cpu[i] = cpu_ms () - cpu_start;
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (result != NULL);
    }
  qsort (times, rounds, sizeof (double), compare_doubles);
  qsort (cpu, rounds, sizeof (double), compare_doubles);
  printf ("selection=%d%% side=%d feather=%d crop=%dx%d answer=%dx%d composite_ms=%.1f "
          "max_ms=%.1f cpu_ms=%.1f\n",
          (int) (fraction * 100), side, feather, plan.crop.width, plan.crop.height, w, h,
          times[rounds / 2], times[rounds - 1], cpu[rounds / 2]);
}

int
main (int   argc,
      char *argv[])
{
  int rounds = argc > 1 ? atoi (argv[1]) : 7;
  g_autoptr(GdkPixbuf) parent = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4096, 4096);

  rounds = CLAMP (rounds, 1, 100);
  gdk_pixbuf_fill (parent, 0x808080ff);
  run (parent, 0.1, 16, rounds);
  run (parent, 0.5, 16, rounds);
  run (parent, 0.9, 32, rounds);
  return 0;
}
