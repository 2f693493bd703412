/* test-batch.c
 *
 * Generate with variations (PeelBatch) through the demo server on loopback: siblings of one
 * parent that share a batch id, a concurrency limit the server sees, one backoff shared by
 * every request of the client, Cancel that stops all and keeps what arrived, a blocked sibling
 * kept with its reason, and the batch id after the session is reopened.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-batch.h"
#include "peel-demo-server.h"
#include "peel-store.h"

typedef struct
{
  char             *dir;
  PeelDemoServer   *server;
  PeelGeminiClient *client;
  PeelSession      *session;
  GMainLoop        *loop;
  GAsyncResult     *result;

  /* What the server saw: when each generate request arrived, and how many were in flight. */
  GArray           *arrivals;     /* gint64, monotonic µs */
  guint             max_in_flight;

  GPtrArray        *finished;     /* char *: "index status error-code-or-ok", in order */
  guint             started;
  GCancellable     *cancellable;
  guint             cancel_after; /* cancel once this many siblings ended; 0: never */
  guint             retried;      /* bit i: sibling i said "Trying again" */
  guint             held;         /* bit i: sibling i said it waits before sending */
  GHashTable       *wakes;        /* PeelGeminiRequest → the last wake announced (gint64 *) */
} Fixture;

/* How much longer than usual a wait may take: PEEL_TEST_TIME_SCALE, set by the sanitizer
 * stage. Only the upper bounds grow; a wait is never allowed to be shorter. */
static gint64
scaled (gint64 us)
{
  const char *scale = g_getenv ("PEEL_TEST_TIME_SCALE");
  double factor = scale != NULL ? g_ascii_strtod (scale, NULL) : 1.0;

  return (gint64) (us * CLAMP (factor, 1.0, 100.0));
}

static void
backing_off_cb (PeelGeminiClient *client,
                guint             attempt,
                double            delay,
                const GError     *error,
                Fixture          *f)
{
  gint64 *wake = g_new (gint64, 1);

  *wake = g_get_monotonic_time () + (gint64) (delay * G_USEC_PER_SEC);
  g_assert_nonnull (peel_gemini_client_get_signal_request (client));
  g_hash_table_replace (f->wakes, peel_gemini_client_get_signal_request (client), wake);
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
status_cb (PeelGeneration *generation,
           GParamSpec     *pspec,
           Fixture        *f)
{
  const char *status = peel_generation_get_status (generation);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (generation), "index"));

  if (status != NULL && strstr (status, "Trying again") != NULL)
    f->retried |= 1u << index;
  if (status != NULL && strstr (status, "before sending") != NULL)
    f->held |= 1u << index;
}

static void
request_received_cb (PeelDemoServer *server,
                     const char     *path,
                     Fixture        *f)
{
  gint64 now = g_get_monotonic_time ();

  if (strstr (path, "GenerateContent") == NULL && strstr (path, "generateContent") == NULL)
    return;
  g_array_append_val (f->arrivals, now);
  f->max_in_flight = MAX (f->max_in_flight, peel_demo_server_get_in_flight (server));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;

  f->dir = g_dir_make_tmp ("peel-batch-XXXXXX", &error);
  g_assert_no_error (error);

  f->server = peel_demo_server_new ();
  g_assert_true (peel_demo_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  g_signal_connect (f->server, "request-received", G_CALLBACK (request_received_cb), f);

  provider = peel_provider_new ("demo", peel_demo_server_get_base_url (f->server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  f->client = peel_gemini_client_new (provider, "demo-key");

  f->session = peel_store_create_session (f->dir, "Variations", &error);
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->finished = g_ptr_array_new_with_free_func (g_free);
  f->cancellable = g_cancellable_new ();
  f->wakes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_signal_connect (f->client, "backing-off", G_CALLBACK (backing_off_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->session != NULL)
    peel_store_close_session (f->session, NULL);
  g_clear_object (&f->session);
  g_clear_object (&f->client);
  peel_demo_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_pointer (&f->arrivals, g_array_unref);
  g_clear_pointer (&f->finished, g_ptr_array_unref);
  g_clear_object (&f->cancellable);
  g_clear_pointer (&f->wakes, g_hash_table_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static PeelNode *
generate_root (Fixture *f)
{
  g_autoptr(PeelGeneration) generation = peel_generation_new (f->session, f->client);
  g_autoptr(GError) error = NULL;
  PeelTurnSpec spec = { 0 };
  PeelNode *node;

  spec.prompt = "a lighthouse";
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_512;
  spec.model = PEEL_DEFAULT_MODEL;
  peel_generation_run_async (generation, NULL, &spec, TRUE, NULL, run_cb, f);
  g_main_loop_run (f->loop);
  node = peel_generation_run_finish (generation, f->result, &error);
  g_clear_object (&f->result);
  g_assert_no_error (error);
  /* Only the batch's requests count from here. */
  g_array_set_size (f->arrivals, 0);
  f->max_in_flight = 0;
  return node;
}

static void
item_started_cb (PeelBatch      *batch,
                 guint           index,
                 PeelGeneration *generation,
                 Fixture        *f)
{
  PeelNode *node = peel_generation_get_node (generation);

  g_assert_true (peel_batch_get_generation (batch, index) == generation);
  g_assert_nonnull (node);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_PENDING);
  g_assert_cmpstr (peel_node_get_batch (node), ==, peel_batch_get_id (batch));
  g_object_set_data (G_OBJECT (generation), "index", GUINT_TO_POINTER (index));
  g_signal_connect (generation, "notify::status", G_CALLBACK (status_cb), f);
  f->started++;
}

static void
item_finished_cb (PeelBatch    *batch,
                  guint         index,
                  PeelNode     *node,
                  const GError *error,
                  Fixture      *f)
{
  const char *status = node == NULL ? "none"
                       : peel_node_get_status (node) == PEEL_NODE_DONE ? "done" : "failed";

  g_ptr_array_add (f->finished, g_strdup_printf ("%u %s", index, status));
  if (node != NULL && peel_node_get_status (node) == PEEL_NODE_DONE)
    g_assert_null (error);
  else
    g_assert_nonnull (error);
  if (f->cancel_after > 0 && f->finished->len == f->cancel_after)
    g_cancellable_cancel (f->cancellable);
}

static GPtrArray *
run_batch (Fixture    *f,
           PeelBatch  *batch,
           PeelNode   *parent,
           const char *prompt,
           GError    **error)
{
  PeelTurnSpec spec = { 0 };
  GPtrArray *nodes;

  spec.prompt = prompt;
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_512;
  spec.model = PEEL_DEFAULT_MODEL;
  g_signal_connect (batch, "item-started", G_CALLBACK (item_started_cb), f);
  g_signal_connect (batch, "item-finished", G_CALLBACK (item_finished_cb), f);
  peel_batch_run_async (batch, parent, &spec, TRUE, f->cancellable, run_cb, f);
  g_main_loop_run (f->loop);
  nodes = peel_batch_run_finish (batch, f->result, error);
  g_clear_object (&f->result);
  return nodes;
}

static void
assert_siblings (PeelBatch *batch,
                 PeelNode  *parent,
                 GPtrArray *nodes)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);

      g_assert_true (peel_node_get_parent (node) == parent);
      g_assert_cmpstr (peel_node_get_batch (node), ==, peel_batch_get_id (batch));
      for (guint j = 0; j < i; j++)
        g_assert_true (g_ptr_array_index (nodes, j) != node);
    }
}

/* A batch of 4 at once; the second request to arrive is told the model is overloaded, which
 * alone would be retried after the client's own 0.8 s, and the third, answered just after, is
 * rate limited (the server asks for 3 s). The backoff is shared: no request reaches the
 * server until the rate limit's wait is over, and then all four end as done siblings. */
static void
test_rate_limit_shared (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PeelNode) root = generate_root (f);
  g_autoptr(PeelBatch) batch = peel_batch_new (f->session, f->client, 4, 4);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) wakes = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer value;
  guint trying = 0;
  gint64 limited;

  peel_gemini_client_set_backoff (f->client, 0.8, 5);
  peel_demo_server_set_latency (f->server, 200);
  peel_demo_server_set_retry_delay (f->server, 3);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_NONE);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_UNAVAILABLE);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_RATE_LIMIT);

  nodes = run_batch (f, batch, root, "four lighthouses", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 4);
  assert_siblings (batch, root, nodes);
  for (guint i = 0; i < nodes->len; i++)
    g_assert_cmpint (peel_node_get_status (g_ptr_array_index (nodes, i)), ==, PEEL_NODE_DONE);
  g_assert_cmpuint (f->started, ==, 4);
  g_assert_cmpuint (f->finished->len, ==, 4);

  /* Four first attempts, then the two retries, after the rate limit's wait. */
  g_assert_cmpuint (f->arrivals->len, ==, 6);
  limited = g_array_index (f->arrivals, gint64, 2);
  for (guint i = 4; i < f->arrivals->len; i++)
    g_assert_cmpint (g_array_index (f->arrivals, gint64, i) - limited, >=, 2900 * 1000);

  /* What each waiting request was last told is when it really went: the overloaded one,
   * first told 0.8 s, was told again when the rate limit made it wait longer. */
  g_hash_table_iter_init (&iter, f->wakes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_array_append_val (wakes, *(gint64 *) value);
  g_assert_cmpuint (wakes->len, ==, 2);
  g_array_sort (wakes, compare_times);
  for (guint i = 0; i < 2; i++)
    {
      gint64 wake = g_array_index (wakes, gint64, i);
      gint64 went = g_array_index (f->arrivals, gint64, 4 + i);

      g_assert_cmpint (wake - limited, >=, 2900 * 1000);
      g_assert_cmpint (went, >=, wake - 20 * 1000);
      g_assert_cmpint (went, <=, wake + scaled (G_USEC_PER_SEC));
    }

  /* Each generation shows its own wait only: the two that were answered at once never
   * waited. */
  for (guint i = 0; i < 4; i++)
    if (f->retried & (1u << i))
      trying++;
  g_assert_cmpuint (trying, ==, 2);
  g_assert_cmpuint (f->held, ==, 0);
}

/* Four variations, two at a time: the server never has more than two of them, the others
 * wait in the queue (no generation, no node yet), and all four are made. */
static void
test_queued (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PeelNode) root = generate_root (f);
  g_autoptr(PeelBatch) batch = peel_batch_new (f->session, f->client, 4, 2);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  PeelTurnSpec spec = { 0 };

  peel_demo_server_set_latency (f->server, 150);
  spec.prompt = "two at a time";
  spec.aspect_ratio = "1:1";
  spec.size = PEEL_IMAGE_SIZE_512;
  spec.model = PEEL_DEFAULT_MODEL;
  g_signal_connect (batch, "item-started", G_CALLBACK (item_started_cb), f);
  g_signal_connect (batch, "item-finished", G_CALLBACK (item_finished_cb), f);
  peel_batch_run_async (batch, root, &spec, FALSE, NULL, run_cb, f);
  g_assert_nonnull (peel_batch_get_generation (batch, 0));
  g_assert_nonnull (peel_batch_get_generation (batch, 1));
  g_assert_null (peel_batch_get_generation (batch, 2));
  g_assert_null (peel_batch_get_generation (batch, 3));
  g_assert_cmpuint (f->started, ==, 2);
  g_main_loop_run (f->loop);
  nodes = peel_batch_run_finish (batch, f->result, &error);
  g_clear_object (&f->result);
  g_assert_no_error (error);

  g_assert_cmpuint (nodes->len, ==, 4);
  assert_siblings (batch, root, nodes);
  g_assert_cmpuint (f->arrivals->len, ==, 4);
  /* Two at once, as a rule; under load the first may be answered before the second is sent. */
  g_assert_cmpuint (f->max_in_flight, >=, 1);
  g_assert_cmpuint (f->max_in_flight, <=, 2);
  g_assert_cmpuint (f->started, ==, 4);
}

/* A first attempt that leaves the queue while another request waits out a rate limit waits
 * too: the server sees nothing until the wait is over. */
static void
test_queued_waits_for_hold (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(PeelNode) root = generate_root (f);
  g_autoptr(PeelBatch) batch = peel_batch_new (f->session, f->client, 3, 2);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 limited;

  peel_demo_server_set_latency (f->server, 100);
  peel_demo_server_set_retry_delay (f->server, 1.5);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_RATE_LIMIT);

  nodes = run_batch (f, batch, root, "wait your turn", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 3);
  for (guint i = 0; i < nodes->len; i++)
    g_assert_cmpint (peel_node_get_status (g_ptr_array_index (nodes, i)), ==, PEEL_NODE_DONE);

  /* The limited one, the other first one, then the third and the retry after the wait. */
  g_assert_cmpuint (f->arrivals->len, ==, 4);
  limited = MIN (g_array_index (f->arrivals, gint64, 0), g_array_index (f->arrivals, gint64, 1));
  for (guint i = 2; i < f->arrivals->len; i++)
    g_assert_cmpint (g_array_index (f->arrivals, gint64, i) - limited, >=, 1400 * 1000);

  /* The third was told why it waited before it was sent. */
  g_assert_cmpuint (f->held, ==, 1u << 2);
}

/* Cancel once the first sibling is done: the one in flight stops and stays as a failed turn
 * that says it was cancelled, the two queued never start, nothing more reaches the server,
 * and the finished one is kept. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PeelNode) root = generate_root (f);
  g_autoptr(PeelBatch) batch = peel_batch_new (f->session, f->client, 4, 2);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  guint done = 0, failed = 0;

  peel_demo_server_set_latency (f->server, 100);
  /* The second request stalls: it is still in flight when the first ends. */
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_NONE);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_STALL);
  f->cancel_after = 1;

  nodes = run_batch (f, batch, root, "stop them all", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 2);
  assert_siblings (batch, root, nodes);
  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);

      if (peel_node_get_status (node) == PEEL_NODE_DONE)
        {
          g_assert_true (peel_node_get_has_image (node));
          done++;
        }
      else
        {
          g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_FAILED);
          g_assert_cmpstr (peel_node_get_error_code (node), ==, "cancelled");
          failed++;
        }
    }
  g_assert_cmpuint (done, ==, 1);
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (f->finished->len, ==, 4);
  /* The queued two never reach the server (the stalled one may not have either, under load). */
  g_assert_cmpuint (f->arrivals->len, <=, 2);
  g_assert_null (peel_batch_get_generation (batch, 2));
  g_assert_null (peel_batch_get_generation (batch, 3));
  g_assert_cmpuint (g_list_model_get_n_items (peel_node_get_children (root)), ==, 2);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Cancel while every request waits out a long rate limit: all stop at once. */
static void
test_cancel_during_hold (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PeelNode) root = generate_root (f);
  g_autoptr(PeelBatch) batch = peel_batch_new (f->session, f->client, 3, 2);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  peel_demo_server_set_retry_delay (f->server, 30);
  peel_gemini_client_set_backoff (f->client, 1, 60);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_RATE_LIMIT);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_RATE_LIMIT);
  g_timeout_add (500, cancel_cb, f->cancellable);

  start = g_get_monotonic_time ();
  nodes = run_batch (f, batch, root, "never mind", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, scaled (5 * G_USEC_PER_SEC));
  g_assert_cmpuint (nodes->len, ==, 2);
  for (guint i = 0; i < nodes->len; i++)
    g_assert_cmpstr (peel_node_get_error_code (g_ptr_array_index (nodes, i)), ==, "cancelled");
  g_assert_cmpuint (f->arrivals->len, <=, 2);
  g_assert_cmpuint (f->finished->len, ==, 3);
}

/* One sibling's image is refused by the safety filter: it stays a failed sibling with its
 * reason, the others are done. */
static void
test_blocked_sibling (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PeelNode) root = generate_root (f);
  g_autoptr(PeelBatch) batch = peel_batch_new (f->session, f->client, 3, 1);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  PeelNode *blocked;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_NONE);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_IMAGE_SAFETY);

  nodes = run_batch (f, batch, root, "one of these is refused", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 3);
  assert_siblings (batch, root, nodes);
  blocked = g_ptr_array_index (nodes, 1);
  g_assert_cmpint (peel_node_get_status (blocked), ==, PEEL_NODE_FAILED);
  g_assert_nonnull (peel_node_get_error_code (blocked));
  g_assert_cmpstr (peel_node_get_error_code (blocked), !=, "cancelled");
  g_assert_nonnull (peel_node_get_error_message (blocked));
  g_assert_cmpuint (strlen (peel_node_get_error_message (blocked)), >, 10);
  g_assert_cmpint (peel_node_get_status (g_ptr_array_index (nodes, 0)), ==, PEEL_NODE_DONE);
  g_assert_cmpint (peel_node_get_status (g_ptr_array_index (nodes, 2)), ==, PEEL_NODE_DONE);
  g_assert_cmpstr (g_ptr_array_index (f->finished, 1), ==, "1 failed");
}

/* The batch id is saved with each sibling and read back; an ordinary turn has none. */
static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PeelNode) root = generate_root (f);
  g_autoptr(PeelBatch) batch = peel_batch_new (f->session, f->client, 2, 2);
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *root_id = NULL;

  nodes = run_batch (f, batch, root, "keep the batch", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 2);
  id = g_strdup (peel_batch_get_id (batch));
  g_assert_cmpuint (strlen (id), ==, 16);
  first = g_strdup (peel_node_get_id (g_ptr_array_index (nodes, 0)));
  second = g_strdup (peel_node_get_id (g_ptr_array_index (nodes, 1)));
  root_id = g_strdup (peel_node_get_id (root));
  g_assert_null (peel_node_get_batch (root));

  path = g_strdup (peel_store_get_path (peel_session_get_store (f->session)));
  g_clear_pointer (&nodes, g_ptr_array_unref);
  g_clear_object (&root);
  g_assert_true (peel_store_close_session (f->session, &error));
  g_assert_no_error (error);
  g_clear_object (&f->session);

  f->session = peel_store_open_session (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (peel_node_get_batch (peel_session_find_node (f->session, first)), ==, id);
  g_assert_cmpstr (peel_node_get_batch (peel_session_find_node (f->session, second)), ==, id);
  g_assert_null (peel_node_get_batch (peel_session_find_node (f->session, root_id)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Peel/Batch/rate-limit-shared", Fixture, NULL,
              fixture_set_up, test_rate_limit_shared, fixture_tear_down);
  g_test_add ("/Peel/Batch/queued", Fixture, NULL,
              fixture_set_up, test_queued, fixture_tear_down);
  g_test_add ("/Peel/Batch/queued-waits-for-hold", Fixture, NULL,
              fixture_set_up, test_queued_waits_for_hold, fixture_tear_down);
  g_test_add ("/Peel/Batch/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/Peel/Batch/cancel-during-hold", Fixture, NULL,
              fixture_set_up, test_cancel_during_hold, fixture_tear_down);
  g_test_add ("/Peel/Batch/blocked-sibling", Fixture, NULL,
              fixture_set_up, test_blocked_sibling, fixture_tear_down);
  g_test_add ("/Peel/Batch/reopen", Fixture, NULL,
              fixture_set_up, test_reopen, fixture_tear_down);

  return g_test_run ();
}
