/* session-bench.c
 *
 * How a session's cost grows with its size: for sessions of 10, 100 and 500 turns, each with
 * a ~10 MB image (a 4K answer), the time to open, the resident memory after opening (each in
 * a fresh process), and the time to add one more turn and to star one. Adding and starring
 * are timed twice: on the calling (main) thread, which is what the window's frame budget
 * sees, and until the change is on disk (peel_session_flush_async() completed), which the
 * writer thread does in the background. Not a test: run tests/bench/session-bench.
 *
 *   session-bench run               all sizes, a table, and the ratios on the last line
 *   session-bench make DIR N        a session of N turns under DIR; prints its folder
 *   session-bench open PATH         prints "open_ms rss_kb turns cpu_ms walk_ms walk_rss_kb"
 *   session-bench add PATH K        adds K turns, then stars K; prints the median ms of each,
 *                                   on the main thread and until saved:
 *                                   "add_ms add_saved_ms star_ms star_saved_ms"
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peel-session.h"
#include "peel-store.h"

#define BLOB_SIZE (10 * 1024 * 1024)
#define ADDS 5
#define OPENS 15

static GBytes *template_blob;

/* One random-ish PNG-like buffer made once; each turn changes its first bytes after the
 * header so every image is a distinct blob, as real answers are. */
static GBytes *
image_for (guint n)
{
  gsize len;
  const guint8 *src;
  guint8 *data;

  if (template_blob == NULL)
    {
      static const guint8 header[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
        0, 0, 0x15, 0x80, 0, 0, 0x0c, 0x00, 8, 2, 0, 0, 0, 0, 0, 0, 0,
      };
      g_autoptr(GRand) rand = g_rand_new_with_seed (4096);
      guint8 *buf = g_malloc (BLOB_SIZE);

      memcpy (buf, header, sizeof header);
      for (gsize i = sizeof header; i + 4 <= BLOB_SIZE; i += 4)
        {
          guint32 v = g_rand_int (rand);

          memcpy (buf + i, &v, 4);
        }
      template_blob = g_bytes_new_take (buf, BLOB_SIZE);
    }
  src = g_bytes_get_data (template_blob, &len);
  data = g_memdup2 (src, len);
  memcpy (data + 40, &n, sizeof n);
  memcpy (data + 44, "peel-bench", 10);
  return g_bytes_new_take (data, len);
}

static PeelNode *
add_turn (PeelSession *session,
          PeelNode    *parent,
          guint        n)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) image = image_for (n);
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = g_strdup_printf ("turn %u: a lighthouse, a little different", n);
  PeelTurnResult result = { 30, 1120, 300, -1, "STOP", NULL, NULL, NULL };
  PeelNode *node;
  PeelPart *part;

  node = peel_session_begin_turn (session, parent,
                                  &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = "16:9",
                                                    .size = PEEL_IMAGE_SIZE_4K },
                                  &error);
  g_ptr_array_add (parts, peel_part_new_text ("Thinking about the light.", TRUE));
  part = peel_part_new_text ("Here it is.", FALSE);
  peel_part_set_signature (part, "EqYCCqMCAdHtim9x==");
  g_ptr_array_add (parts, part);
  part = peel_part_new_image ("image/png", image, FALSE);
  peel_part_set_signature (part, "Ct4BAdHtim8KkZ==");
  g_ptr_array_add (parts, part);
  if (error != NULL || !peel_session_complete_turn (session, node, parts, &result, &error))
    {
      g_printerr ("session-bench: %s\n", error->message);
      exit (1);
    }
  return node;
}

static int
cmd_make (const char *dir,
          guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("bench-%u", n);
  g_autoptr(PeelSession) session = peel_store_create_session (dir, name, &error);
  PeelNode *parent = NULL;

  if (session == NULL)
    {
      g_printerr ("session-bench: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < n; i++)
    {
      /* Mostly a chain, with a new branch every seventh turn. */
      PeelNode *node = add_turn (session, (i % 7 == 6 && parent) ? peel_node_get_parent (parent)
                                                                 : parent, i);
      parent = node;
    }
  if (!peel_store_close_session (session, &error))
    {
      g_printerr ("session-bench: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", peel_store_get_path (peel_session_get_store (session)));
  return 0;
}

static long
vm_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Wall time is what a user waits; CPU time is what stays meaningful on a busy machine.
 * Opening makes no node (see peel-store-lazy.c); "walk" then makes every one, as the
 * window's history does when it shows the whole tree, so the cost that moved is shown too. */
static int
cmd_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu_start = cpu_ms ();
  double ms, cpu, walk;
  long rss;

  session = peel_store_open_session (path, &error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  cpu = cpu_ms () - cpu_start;
  if (session == NULL)
    {
      g_printerr ("session-bench: %s\n", error->message);
      return 1;
    }
  rss = vm_rss_kb ();
  start = g_get_monotonic_time ();
  peel_session_get_current (session);
  all = peel_session_dup_nodes (session);
  walk = (g_get_monotonic_time () - start) / 1000.0;
  g_print ("%.3f %ld %u %.3f %.3f %ld\n", ms, rss, all->len, cpu, walk, vm_rss_kb ());
  return 0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!peel_session_flush_finish (PEEL_SESSION (object), result, &error))
    {
      g_printerr ("session-bench: %s\n", error->message);
      exit (1);
    }
  *(gboolean *) user_data = TRUE;
}

/* Milliseconds from @start until everything changed so far is on disk. */
static double
wait_saved (PeelSession *session,
            gint64       start)
{
  gboolean saved = FALSE;

  peel_session_flush_async (session, NULL, saved_cb, &saved);
  while (!saved)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
median (double *times,
        guint   n)
{
  qsort (times, n, sizeof times[0], compare_double);
  return times[n / 2];
}

static int
cmd_add (const char *path,
         guint       k)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_open_session (path, &error);
  double times[64], saved[64];

  if (session == NULL)
    {
      g_printerr ("session-bench: %s\n", error->message);
      return 1;
    }
  k = MIN (k, G_N_ELEMENTS (times));
  image_for (0);   /* make the template before timing */
  for (guint i = 0; i < k; i++)
    {
      gint64 start = g_get_monotonic_time ();

      add_turn (session, peel_session_get_current (session), 100000 + i);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      saved[i] = wait_saved (session, start);
    }
  g_print ("%.3f %.3f ", median (times, k), median (saved, k));

  /* A change without an image: one journal line and meta.json, whatever the session's size. */
  for (guint i = 0; i < k; i++)
    {
      gint64 start = g_get_monotonic_time ();

      peel_session_set_starred (session, peel_session_get_current (session), i % 2 == 0, NULL);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      saved[i] = wait_saved (session, start);
    }
  g_print ("%.3f %.3f\n", median (times, k), median (saved, k));
  return 0;
}

static char *
run_self (const char  *self,
          const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_ptr_array_add (argv, (char *) self);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("session-bench: %s\n", error->message);
      exit (1);
    }
  return g_strstrip (g_steal_pointer (&out));
}

static char *
find_or_make (const char *self,
              const char *dir,
              guint       n)
{
  g_autoptr(GPtrArray) sessions = peel_store_list_sessions (dir, NULL);
  g_autofree char *name = g_strdup_printf ("bench-%u", n);
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *args[] = { "make", dir, count, NULL };

  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      PeelSessionInfo *info = g_ptr_array_index (sessions, i);

      if (g_strcmp0 (info->name, name) == 0 && info->n_nodes == n)
        return g_strdup (info->path);
    }
  g_printerr ("making a session of %u turns of %d MB images…\n", n, BLOB_SIZE >> 20);
  return run_self (self, args);
}

static int
cmd_run (const char *self)
{
  static const guint sizes[] = { 10, 100, 500 };
  const char *env = g_getenv ("PEEL_BENCH_DIR");
  g_autofree char *dir = g_strdup (env ? env : "/tmp/peel-session-bench");
  double open_ms[3], open_cpu[3], add_ms[3], add_saved[3], star_ms[3], star_saved[3];
  double walk_ms[3];
  double opens[3][OPENS], cpus[3][OPENS], walks[3][OPENS];
  char *paths[3] = { NULL };
  long rss[3], walk_rss[3];

  g_print ("%s\n", dir);
  g_print ("%-6s %10s %12s %10s %10s %12s %10s %12s %10s %14s\n", "turns", "open ms",
           "open cpu ms", "rss kB", "add ms", "add saved ms", "star ms", "star saved ms",
           "walk ms", "walked rss kB");
  /* Opens are interleaved across the sizes, so load from elsewhere falls on all of them
   * alike: the median of 15 fresh processes each (the first round also warms the page
   * cache). */
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    paths[s] = find_or_make (self, dir, sizes[s]);
  for (guint r = 0; r < OPENS; r++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        const char *args[] = { "open", paths[s], NULL };
        g_autofree char *out = run_self (self, args);
        guint turns;

        if (sscanf (out, "%lf %ld %u %lf %lf %ld", &opens[s][r], &rss[s], &turns, &cpus[s][r],
                    &walks[s][r], &walk_rss[s]) != 6)
          return 1;
      }

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      const char *path = paths[s];
      g_autofree char *copy = NULL;
      g_autofree char *adds = g_strdup_printf ("%d", ADDS);

      qsort (walks[s], OPENS, sizeof (double), compare_double);
      walk_ms[s] = walks[s][OPENS / 2];
      qsort (opens[s], OPENS, sizeof (double), compare_double);
      qsort (cpus[s], OPENS, sizeof (double), compare_double);
      open_ms[s] = opens[s][OPENS / 2];
      open_cpu[s] = cpus[s][OPENS / 2];

      /* Adding changes the session: add to a copy (its images are hard links). */
      copy = peel_store_duplicate_session (path, NULL);
      {
        const char *args[] = { "add", copy, adds, NULL };
        g_autofree char *out = run_self (self, args);

        if (sscanf (out, "%lf %lf %lf %lf", &add_ms[s], &add_saved[s], &star_ms[s],
                    &star_saved[s]) != 4)
          return 1;
      }
      peel_store_delete_session (copy, NULL);
      g_print ("%-6u %10.2f %12.2f %10ld %10.2f %12.2f %10.2f %12.2f %10.2f %14ld\n", sizes[s],
               open_ms[s], open_cpu[s], rss[s], add_ms[s], add_saved[s], star_ms[s],
               star_saved[s], walk_ms[s], walk_rss[s]);
    }
  g_print ("add ms and star ms: time on the calling (main) thread; saved: until on disk\n");
  g_print ("cpu: open500/open10=%.2f  star500/star10=%.2f\n", open_cpu[2] / open_cpu[0],
           star_ms[2] / star_ms[0]);
  g_print ("open500/open10=%.2f rss500/rss10=%.2f add500/add10=%.2f\n",
           open_ms[2] / open_ms[0], (double) rss[2] / rss[0], add_ms[2] / add_ms[0]);
  for (guint s = 0; s < G_N_ELEMENTS (paths); s++)
    g_free (paths[s]);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (argc == 4 && g_str_equal (argv[1], "make"))
    return cmd_make (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 3 && g_str_equal (argv[1], "open"))
    return cmd_open (argv[2]);
  if (argc == 4 && g_str_equal (argv[1], "add"))
    return cmd_add (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 1 || (argc == 2 && g_str_equal (argv[1], "run")))
    return cmd_run (self);
  g_printerr ("usage: session-bench [run | make DIR N | open PATH | add PATH K]\n");
  return 2;
}
