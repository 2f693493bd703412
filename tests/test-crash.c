/* test-crash.c
 *
 * A paid generation is never lost, even on kill -9. This program runs itself as a child
 * (`--crash-child SESSION SEED`) that keeps adding turns to a session, printing each turn's
 * id, image hash and signature on its stdout once it is reported saved: when the
 * peel_session_flush_async() that followed peel_session_complete_turn() completed, as a
 * generation in the app is reported done. Several turns are being written at a time, and
 * stars are queued in between. The test kills it with SIGKILL at random moments (fixed
 * seed), then checks that the session opens and holds every turn the child had reported,
 * byte for byte.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peel-session.h"
#include "peel-store.h"

#define N_KILLS 30
#define SEED 20261129

/* Looks enough like a PNG for the store, with random bytes so every image is a new blob. */
static GBytes *
random_image (GRand *rand)
{
  static const guint8 header[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0x0a, 0xc0, 0, 0, 0x06, 0x00, 8, 2, 0, 0, 0, 0, 0, 0, 0,
  };
  gsize len = g_rand_int_range (rand, 20 * 1024, 400 * 1024);
  guint8 *data = g_malloc (len);

  memcpy (data, header, sizeof header);
  for (gsize i = sizeof header; i + 4 <= len; i += 4)
    {
      guint32 v = g_rand_int (rand);

      memcpy (data + i, &v, 4);
    }
  return g_bytes_new_take (data, len);
}

static guint unreported;

static void
turn_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *report = user_data;
  g_autoptr(GError) error = NULL;

  if (!peel_session_flush_finish (PEEL_SESSION (object), result, &error))
    {
      g_printerr ("child: %s\n", error->message);
      exit (1);
    }
  /* Reported only now: from here on the turn must survive anything. */
  fputs (report, stdout);
  fflush (stdout);
  unreported--;
}

static int
run_child (const char *path,
           guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_open_session (path, &error);

  if (session == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  /* Compact often, so kills also land while the snapshot is being rewritten. */
  peel_store_set_compact_threshold (peel_session_get_store (session), 5);

  for (guint turn = 0;; turn++)
    {
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   peel_part_free);
      g_autoptr(GPtrArray) nodes = peel_session_dup_nodes (session);
      g_autoptr(GBytes) image = random_image (rand);
      g_autofree char *prompt = g_strdup_printf ("turn %u of child %u", turn, seed);
      g_autofree char *signature = g_strdup_printf ("sig-%08x%08x==", g_rand_int (rand),
                                                    g_rand_int (rand));
      g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
      PeelNode *parent = NULL;
      PeelNode *node;
      PeelPart *part;

      if (nodes->len > 0 && g_rand_int_range (rand, 0, 4) > 0)
        parent = g_ptr_array_index (nodes, g_rand_int_range (rand, 0, nodes->len));
      node = peel_session_begin_turn (session, parent,
                                      &(PeelTurnSpec) { .prompt = prompt, .aspect_ratio = "16:9",
                                                        .size = PEEL_IMAGE_SIZE_4K },
                                      &error);
      if (error != NULL)
        return 1;
      g_ptr_array_add (parts, peel_part_new_text ("thinking about it", TRUE));
      part = peel_part_new_image ("image/png", image, FALSE);
      peel_part_set_signature (part, signature);
      g_ptr_array_add (parts, part);
      if (!peel_session_complete_turn (session, node, parts, NULL, &error))
        {
          g_printerr ("child: %s\n", error->message);
          return 1;
        }
      unreported++;
      peel_session_flush_async (session, NULL, turn_saved_cb,
                                g_strdup_printf ("done %s %s %s\n", peel_node_get_id (node),
                                                 hash, signature));
      if (g_rand_int_range (rand, 0, 5) == 0)
        peel_session_set_starred (session, node, TRUE, NULL);
      /* The next turns are made while this one is written, as in the app; a few at most. */
      g_main_context_iteration (NULL, FALSE);
      while (unreported > 3)
        g_main_context_iteration (NULL, TRUE);
    }
  return 0;
}

typedef struct
{
  char *hash;
  char *signature;
} Reported;

static void
reported_free (Reported *r)
{
  g_free (r->hash);
  g_free (r->signature);
  g_free (r);
}

static void
read_reports (int         fd,
              GHashTable *reported)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  char chunk[4096];
  gssize n;

  while ((n = read (fd, chunk, sizeof chunk)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (buffer, chunk, n);
    }
  lines = g_strsplit (buffer->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      Reported *r;

      /* A line cut by the kill was not a full report. */
      if (g_strv_length (f) != 4 || !g_str_equal (f[0], "done") || lines[i + 1] == NULL)
        continue;
      r = g_new0 (Reported, 1);
      r->hash = g_strdup (f[2]);
      r->signature = g_strdup (f[3]);
      g_hash_table_replace (reported, g_strdup (f[1]), r);
    }
}

static void
check_session (const char *path,
               GHashTable *reported)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = peel_store_open_session (path, &error);
  GHashTableIter iter;
  gpointer key, value;

  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpuint (peel_session_get_n_nodes (session), >=, g_hash_table_size (reported));

  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Reported *r = value;
      PeelNode *node = peel_session_get_node (session, key);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *hash = NULL;

      if (node == NULL)
        g_error ("turn %s was reported complete but is missing after kill -9", (char *) key);
      g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_DONE);
      g_assert_cmpstr (peel_node_get_final_image (node)->signature, ==, r->signature);
      bytes = peel_node_dup_final_image_bytes (node, &error);
      g_assert_no_error (error);
      hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_assert_cmpstr (hash, ==, r->hash);
    }
}

static void
test_kill_nine (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) reported_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *path = NULL;
  guint total_kills = 0;

  session = peel_store_create_session (NULL, "Crash test", &error);
  g_assert_no_error (error);
  path = g_strdup (peel_store_get_path (peel_session_get_store (session)));
  g_clear_object (&session);

  for (guint i = 0; i < N_KILLS; i++)
    {
      g_autofree char *seed = g_strdup_printf ("%u", g_rand_int (rand));
      const char *argv[] = { self, "--crash-child", path, seed, NULL };
      guint delay_ms = g_rand_int_range (rand, 20, 500);
      GPid pid;
      int out_fd, status;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                               NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);
      g_usleep (delay_ms * 1000);
      if (kill (pid, SIGKILL) == 0)
        total_kills++;
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      read_reports (out_fd, reported);
      close (out_fd);
      g_spawn_close_pid (pid);

      check_session (path, reported);
      g_test_message ("kill %u after %u ms: %u turns reported so far", i + 1, delay_ms,
                      g_hash_table_size (reported));
    }
  g_assert_cmpuint (total_kills, ==, N_KILLS);
  /* The test means nothing unless the children got real work done. */
  g_assert_cmpuint (g_hash_table_size (reported), >=, N_KILLS);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return run_child (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/Peel/Store/crash/kill-nine", test_kill_nine);
  return g_test_run ();
}
