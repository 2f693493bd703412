/* soak.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fault soak: a demo server on loopback that fails about half of all requests with every
 * kind of fault it knows, and REQUESTS generations driven through it — most through
 * PeelGeneration into a real session on disk, some as bare client calls the way `peel-cli
 * generate` makes them, and, given the path of peel-cli, some by peel-cli itself. After each:
 * the error (if any) is the typed kind the fault calls for, with words; the session reopens from
 * disk holding every node that finished, the second writer's too; at the end, RSS has not grown
 * since the warm-up.
 *
 * Usage: soak REQUESTS [PEEL-CLI]. The last line reads
 *   requests=N faults=N crashes=N lost=N rss_growth_kb=N
 * and the exit status is non-zero when anything was lost, unexpected or crashed. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-model-catalog.h"
#include "peel-generation.h"
#include "peel-memory.h"
#include "peel-session.h"
#include "peel-store.h"

#define SEED       20260101
#define FAULT_RATE 0.5
#define MODEL      PEEL_DEFAULT_MODEL
#define WARM_UP    20

/* Every fault the demo server knows; stall and huge-body are kept rarer, as each costs a timeout
 * or a few megabytes read before the cap. */
static const PeelDemoFault common_faults[] = {
  PEEL_DEMO_FAULT_RATE_LIMIT, PEEL_DEMO_FAULT_SERVER_ERROR, PEEL_DEMO_FAULT_UNAVAILABLE,
  PEEL_DEMO_FAULT_RESET, PEEL_DEMO_FAULT_TRUNCATED_STREAM, PEEL_DEMO_FAULT_MALFORMED_JSON,
  PEEL_DEMO_FAULT_BLOCKED_PROMPT, PEEL_DEMO_FAULT_IMAGE_SAFETY, PEEL_DEMO_FAULT_DATA_URI,
  PEEL_DEMO_FAULT_IMAGE_URL,
};

typedef struct
{
  PeelDemoServer   *server;
  PeelGeminiClient *client;
  PeelSession      *session;
  char             *session_path;
  char             *dir;
  const char       *cli;
  GRand            *rand;
  GHashTable       *finished;        /* node id → PeelNodeStatus */
  PeelDemoFault     last_fault;      /* of the latest request */
  guint             faults_this_run;
  guint             faults[PEEL_DEMO_N_FAULTS];
  guint             n_faults;
  guint             requests;
  guint             succeeded;
  guint             failed;
  guint             recoveries;
  guint             unexpected;
  guint             crashes;
  guint             lost;
  guint             cli_runs;
  gboolean          done;
  gboolean          in_cli;
  guint             data_uri_nodes;
  PeelNode         *node;
  GError           *error;
  int               cli_status;

  /* The second writer: peel-cli adding turns to the same session meanwhile. */
  PeelDemoServer   *server2;
  GSubprocess      *writer;
  gboolean          writer_stop;
  guint             writer_turns;
  guint             writer_failed;
} Soak;

static void
request_received_cb (PeelDemoServer *server,
                     const char     *path,
                     Soak           *soak)
{
  PeelDemoFault fault = PEEL_DEMO_FAULT_NONE;

  /* The fetch of an image link is not a model request: it never takes a fault. */
  if (g_str_has_prefix (path, "/files/"))
    return;
  if (g_rand_double (soak->rand) < FAULT_RATE)
    {
      double pick = g_rand_double (soak->rand);

      /* peel-cli waits 300 s for a stalled answer: it gets only the faults it recovers from. */
      if (pick < 0.03 && !soak->in_cli)
        fault = PEEL_DEMO_FAULT_STALL;
      else if (pick < 0.06 && !soak->in_cli)
        fault = PEEL_DEMO_FAULT_HUGE_BODY;
      else
        fault = common_faults[g_rand_int_range (soak->rand, 0, G_N_ELEMENTS (common_faults))];
      peel_demo_server_push_fault (server, fault);
      soak->faults[fault]++;
      soak->n_faults++;
      soak->faults_this_run++;
    }
  soak->last_fault = fault;
}

/* Whether @error is what the last request's @fault should end in, after the client's retries. */
static gboolean
error_expected (const GError  *error,
                PeelDemoFault  fault)
{
  if (error == NULL || error->domain != PEEL_GEMINI_ERROR || error->message == NULL ||
      error->message[0] == '\0' || !g_utf8_validate (error->message, -1, NULL))
    return FALSE;

  switch (fault)
    {
    case PEEL_DEMO_FAULT_RATE_LIMIT:
      return error->code == PEEL_GEMINI_ERROR_RATE_LIMITED;
    case PEEL_DEMO_FAULT_SERVER_ERROR:
    case PEEL_DEMO_FAULT_UNAVAILABLE:
      return error->code == PEEL_GEMINI_ERROR_SERVER;
    case PEEL_DEMO_FAULT_RESET:
    case PEEL_DEMO_FAULT_TRUNCATED_STREAM:
      return error->code == PEEL_GEMINI_ERROR_NETWORK || error->code == PEEL_GEMINI_ERROR_MALFORMED;
    case PEEL_DEMO_FAULT_STALL:
      return error->code == PEEL_GEMINI_ERROR_TIMEOUT || error->code == PEEL_GEMINI_ERROR_NETWORK;
    case PEEL_DEMO_FAULT_MALFORMED_JSON:
      return error->code == PEEL_GEMINI_ERROR_MALFORMED;
    case PEEL_DEMO_FAULT_BLOCKED_PROMPT:
    case PEEL_DEMO_FAULT_IMAGE_SAFETY:
      return error->code == PEEL_GEMINI_ERROR_BLOCKED || error->code == PEEL_GEMINI_ERROR_NO_IMAGE;
    case PEEL_DEMO_FAULT_DATA_URI:
      return error->code == PEEL_GEMINI_ERROR_NO_IMAGE || error->code == PEEL_GEMINI_ERROR_MALFORMED;
    case PEEL_DEMO_FAULT_HUGE_BODY:
    case PEEL_DEMO_FAULT_IMAGE_URL_BOMB:
    case PEEL_DEMO_FAULT_IMAGE_URL_HUGE:
      return error->code == PEEL_GEMINI_ERROR_TOO_LARGE;
    case PEEL_DEMO_FAULT_IMAGE_URL_MISSING:
    case PEEL_DEMO_FAULT_IMAGE_URL_NOT_IMAGE:
      return error->code == PEEL_GEMINI_ERROR_NO_IMAGE;
    case PEEL_DEMO_FAULT_IMAGE_URL_STALL:
    case PEEL_DEMO_FAULT_TRICKLE:
    case PEEL_DEMO_FAULT_KEEP_ALIVE:
      return error->code == PEEL_GEMINI_ERROR_TIMEOUT;
    case PEEL_DEMO_FAULT_IMAGE_URL:
    case PEEL_DEMO_FAULT_NONE:
    case PEEL_DEMO_N_FAULTS:
    default:
      return FALSE;
    }
}

static gsize
vm_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static void
generation_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Soak *soak = user_data;

  soak->node = peel_generation_run_finish (PEEL_GENERATION (object), result, &soak->error);
  soak->done = TRUE;
}

static void
client_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Soak *soak = user_data;
  g_autoptr(PeelGeminiReply) reply = NULL;

  reply = peel_gemini_client_generate_finish (PEEL_GEMINI_CLIENT (object), result, &soak->error);
  if (reply != NULL && peel_gemini_reply_get_final_image (reply) == NULL && soak->error == NULL)
    g_set_error (&soak->error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE, "no image");
  soak->done = TRUE;
}

static void
cli_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Soak *soak = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  if (!g_subprocess_wait_finish (process, result, &soak->error))
    soak->cli_status = -1;
  else if (g_subprocess_get_if_signaled (process))
    soak->cli_status = 1000 + g_subprocess_get_term_sig (process);
  else
    soak->cli_status = g_subprocess_get_exit_status (process);
  soak->done = TRUE;
}

static void
wait_done (Soak *soak)
{
  while (!soak->done)
    g_main_context_iteration (NULL, TRUE);
}

/* The session on disk, opened afresh, must hold every node that finished, as it finished. */
static guint
count_lost (Soak *soak)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelSession) reopened = peel_store_open_session (soak->session_path, &error);
  GHashTableIter iter;
  gpointer key, value;
  guint lost = 0;

  if (reopened == NULL)
    {
      g_printerr ("soak: the session does not reopen: %s\n", error->message);
      return g_hash_table_size (soak->finished);
    }
  g_hash_table_iter_init (&iter, soak->finished);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PeelNode *node = peel_session_get_node (reopened, key);

      if (node == NULL || peel_node_get_status (node) != (PeelNodeStatus) GPOINTER_TO_UINT (value))
        {
          g_printerr ("soak: node %s is %s on disk\n", (const char *) key,
                      node == NULL ? "missing" : "in another state");
          lost++;
        }
    }
  return lost;
}

static void second_writer_start (Soak *soak);

/* A turn the second writer reported (exit 0, its node id in --json) must be on disk, done. */
static void
second_writer_done_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Soak *soak = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *node = NULL;

  if (!g_subprocess_communicate_finish (process, result, &out, NULL, &error) ||
      !g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      if (g_subprocess_get_if_signaled (process))
        soak->crashes++;
      g_printerr ("soak: the second writer failed: %s\n",
                  error ? error->message : "its exit status was not 0");
      soak->writer_failed++;
      soak->unexpected++;
    }
  else if (json_parser_load_from_data (parser, g_bytes_get_data (out, NULL),
                                       g_bytes_get_size (out), NULL) &&
           JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) &&
           (node = json_object_get_string_member_with_default (
              json_node_get_object (json_parser_get_root (parser)), "node", NULL)) != NULL)
    {
      g_hash_table_insert (soak->finished, g_strdup (node), GUINT_TO_POINTER (PEEL_NODE_DONE));
      soak->writer_turns++;
    }
  else
    {
      g_printerr ("soak: the second writer printed no node\n");
      soak->writer_failed++;
      soak->unexpected++;
    }
  g_clear_object (&soak->writer);
  if (!soak->writer_stop)
    second_writer_start (soak);
}

static void
second_writer_start (Soak *soak)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = g_strdup_printf ("second writer turn %u", soak->writer_turns);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "GEMINI_API_KEY", "soak-key", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  soak->writer = g_subprocess_launcher_spawn (launcher, &error, soak->cli, "generate",
                                              "--base-url",
                                              peel_demo_server_get_base_url (soak->server2),
                                              "--session", soak->session_path,
                                              "--prompt", prompt, "--size", "512",
                                              "--aspect", "1:1", "--json", NULL);
  if (soak->writer == NULL)
    {
      g_printerr ("soak: the second writer does not start: %s\n", error->message);
      soak->writer_failed++;
      return;
    }
  g_subprocess_communicate_async (soak->writer, NULL, NULL, second_writer_done_cb, soak);
}

static void
run_generation (Soak *soak,
                guint i)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (soak->session, soak->client);
  g_autofree char *prompt = g_strdup_printf ("soak turn %u: a lighthouse, variation %u", i, i % 7);
  PeelNode *parent = NULL;
  PeelTurnSpec spec = { 0 };

  /* Grow a tree: mostly continue the current branch, sometimes start over from a root. */
  if (i % 5 != 0)
    parent = peel_session_get_current (soak->session);
  spec.prompt = prompt;
  spec.aspect_ratio = (i % 3 == 0) ? "16:9" : "1:1";
  spec.size = PEEL_IMAGE_SIZE_512;
  spec.model = MODEL;
  peel_generation_run_async (generation, parent, &spec, i % 2 == 0, NULL, generation_done_cb,
                             soak);
  wait_done (soak);

  if (soak->node != NULL)
    {
      /* Continued like any other: its history keeps the signed text as received. */
      if (soak->last_fault == PEEL_DEMO_FAULT_DATA_URI)
        soak->data_uri_nodes++;
      if (peel_node_get_status (soak->node) != PEEL_NODE_DONE)
        soak->unexpected++;
      g_hash_table_insert (soak->finished, g_strdup (peel_node_get_id (soak->node)),
                           GUINT_TO_POINTER (peel_node_get_status (soak->node)));
    }
  else
    {
      PeelNode *node = peel_generation_get_node (generation);

      if (node != NULL && peel_node_get_status (node) == PEEL_NODE_FAILED)
        g_hash_table_insert (soak->finished, g_strdup (peel_node_get_id (node)),
                             GUINT_TO_POINTER (PEEL_NODE_FAILED));
      else
        soak->unexpected++;
    }
}

static void
run_client (Soak *soak,
            guint i)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (MODEL);

  peel_gemini_request_set_prompt (request, "a lighthouse at dusk");
  peel_gemini_request_set_aspect_ratio (request, "1:1");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_512);
  peel_gemini_client_generate_async (soak->client, request, i % 2 == 0, NULL, client_done_cb,
                                     soak);
  wait_done (soak);
}

static void
run_cli (Soak *soak,
         guint i)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = g_strdup_printf ("%s/cli-%u.png", soak->dir, i);

  g_subprocess_launcher_setenv (launcher, "GEMINI_API_KEY", "soak-key", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  process = g_subprocess_launcher_spawn (launcher, &soak->error, soak->cli, "generate",
                                         "--base-url",
                                         peel_demo_server_get_base_url (soak->server),
                                         "--prompt", "a lighthouse at dusk", "--size", "512",
                                         "--aspect", "1:1", "--max-attempts", "5",
                                         i % 2 == 0 ? "--stream" : "--json",
                                         "--output", output, NULL);
  if (process == NULL)
    {
      soak->done = TRUE;
      return;
    }
  soak->cli_status = -1;
  soak->in_cli = TRUE;
  g_subprocess_wait_async (process, NULL, cli_done_cb, soak);
  wait_done (soak);
  soak->in_cli = FALSE;
  soak->cli_runs++;
  if (soak->cli_status >= 1000)
    {
      g_printerr ("soak: peel-cli died of signal %d\n", soak->cli_status - 1000);
      soak->crashes++;
    }
  else if (soak->cli_status == 0)
    g_clear_error (&soak->error);
  else if (soak->error == NULL)
    {
      /* 3: refused or blocked; 4: network or server failure after retries. */
      if (soak->cli_status != 3 && soak->cli_status != 4)
        soak->unexpected++;
      g_set_error (&soak->error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER, "peel-cli: %d",
                   soak->cli_status);
    }
}

int
main (int   argc,
      char *argv[])
{
  Soak soak = { 0 };
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  guint n_requests = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  gsize rss_warm = 0, rss_end;
  gssize rss_growth;

  peel_memory_init ();   /* as peel and peel-cli do */
  soak.cli = argc > 2 ? argv[2] : NULL;
  soak.dir = g_dir_make_tmp ("peel-soak-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", soak.dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", soak.dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", soak.dir, TRUE);
  soak.rand = g_rand_new_with_seed (SEED);
  soak.finished = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  soak.server = peel_demo_server_new ();
  peel_demo_server_set_api_key (soak.server, "soak-key");
  peel_demo_server_set_retry_delay (soak.server, 0.001);
  if (!peel_demo_server_start (soak.server, 0, &error))
    g_error ("soak: the demo server does not start: %s", error->message);
  g_signal_connect (soak.server, "request-received", G_CALLBACK (request_received_cb), &soak);

  provider = peel_provider_new ("demo", peel_demo_server_get_base_url (soak.server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  soak.client = peel_gemini_client_new (provider, "soak-key");
  peel_gemini_client_set_backoff (soak.client, 0.001, 0.005);
  peel_gemini_client_set_max_attempts (soak.client, 4);
  peel_gemini_client_set_timeout (soak.client, 2);
  /* A huge body is refused at the cap: 16 MiB, not the default 256, keeps the soak quick. */
  peel_gemini_client_set_max_reply_bytes (soak.client, 16 * 1024 * 1024);

  soak.session = peel_store_create_session (soak.dir, "Soak", &error);
  g_assert_no_error (error);
  soak.session_path = g_strdup (peel_store_get_path (peel_session_get_store (soak.session)));

  if (soak.cli != NULL)
    {
      soak.server2 = peel_demo_server_new ();
      peel_demo_server_set_api_key (soak.server2, "soak-key");
      if (!peel_demo_server_start (soak.server2, 0, &error))
        g_error ("soak: the second demo server does not start: %s", error->message);
      second_writer_start (&soak);
    }

  for (guint i = 0; i < n_requests; i++)
    {
      soak.done = FALSE;
      soak.node = NULL;
      soak.faults_this_run = 0;
      soak.last_fault = PEEL_DEMO_FAULT_NONE;
      g_clear_error (&soak.error);

      if (soak.cli != NULL && i % 20 == 19)
        run_cli (&soak, i);
      else if (i % 10 == 9)
        run_client (&soak, i);
      else
        run_generation (&soak, i);
      soak.requests++;

      if (soak.error == NULL)
        {
          soak.succeeded++;
          if (soak.faults_this_run > 0)
            soak.recoveries++;
        }
      else
        {
          soak.failed++;
          /* peel-cli's exit status was checked above; its faults are the server's to count. */
          if (!g_str_has_prefix (soak.error->message, "peel-cli:") &&
              !error_expected (soak.error, soak.last_fault))
            {
              g_printerr ("soak: request %u: unexpected error after fault %s: %s %d: %s\n", i,
                          peel_demo_fault_to_string (soak.last_fault),
                          g_quark_to_string (soak.error->domain), soak.error->code,
                          soak.error->message);
              soak.unexpected++;
            }
        }
      if (g_getenv ("SOAK_VERBOSE") != NULL)
        g_printerr ("soak: request %u: faults %u, last %s: %s\n", i, soak.faults_this_run,
                    peel_demo_fault_to_string (soak.last_fault),
                    soak.error != NULL ? soak.error->message : "done");
      g_clear_object (&soak.node);

      if (i % 10 == 9 || i + 1 == n_requests)
        soak.lost = count_lost (&soak);
      if (i + 1 == WARM_UP)
        rss_warm = vm_rss_kb ();
    }
  /* The second writer finishes its turn; then everything it reported must be there too. */
  soak.writer_stop = TRUE;
  while (soak.writer != NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!peel_store_close_session (soak.session, &error))
    g_printerr ("soak: closing the session: %s\n", error->message);
  g_clear_error (&error);
  soak.lost = count_lost (&soak);
  rss_end = vm_rss_kb ();
  rss_growth = n_requests > WARM_UP ? (gssize) rss_end - (gssize) rss_warm : 0;

  printf ("generations: %u succeeded, %u failed with a typed error, %u unexpected\n",
          soak.succeeded, soak.failed, soak.unexpected);
  printf ("server requests: %u (retries: %u), recoveries: %u, peel-cli runs: %u\n",
          peel_demo_server_get_request_count (soak.server),
          peel_demo_server_get_request_count (soak.server) - soak.requests, soak.recoveries,
          soak.cli_runs);
  printf ("nodes made from a data-URI reply (continued like any other): %u\n",
          soak.data_uri_nodes);
  printf ("second writer (peel-cli on the same session meanwhile): %u turns, %u failed\n",
          soak.writer_turns, soak.writer_failed);
  printf ("faults:");
  for (guint f = 1; f < PEEL_DEMO_N_FAULTS; f++)
    printf (" %s=%u", peel_demo_fault_to_string (f), soak.faults[f]);
  printf ("\nnodes on disk: %u checked, rss: %" G_GSIZE_FORMAT " kB after warm-up, %"
          G_GSIZE_FORMAT " kB at the end\n", g_hash_table_size (soak.finished), rss_warm, rss_end);
  printf ("requests=%u faults=%u crashes=%u lost=%u rss_growth_kb=%" G_GSSIZE_FORMAT "\n",
          soak.requests, soak.n_faults, soak.crashes, soak.lost, rss_growth);
  fflush (stdout);

  peel_demo_server_stop (soak.server);
  if (soak.server2 != NULL)
    peel_demo_server_stop (soak.server2);
  g_clear_object (&soak.server2);
  g_clear_object (&soak.session);
  g_clear_object (&soak.client);
  g_clear_object (&soak.server);
  g_rand_free (soak.rand);
  g_hash_table_unref (soak.finished);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", soak.dir);

    if (system (cmd) != 0)
      g_printerr ("soak: could not remove %s\n", soak.dir);
  }
  g_free (soak.dir);
  g_free (soak.session_path);
  g_clear_error (&soak.error);

  return soak.crashes == 0 && soak.lost == 0 && soak.unexpected == 0 ? 0 : 1;
}
