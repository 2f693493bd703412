/* test-deadline.c
 *
 * The client's own limits against servers that never finish: one that sends its answer a byte
 * a second, from the status line on, and one whose event stream holds only keep-alive
 * comments. Each request must end, soon after its limit, with a TIMEOUT error that says what
 * the server did; a caller's Cancel must still be a plain cancel; a normal request on the same
 * client afterwards must succeed.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"

typedef struct
{
  PeelDemoServer   *server;
  PeelProvider     *provider;
  PeelGeminiClient *client;
  guint             n_retrying;
} Fixture;

static void
retrying_cb (PeelGeminiClient *client,
             guint             attempt,
             double            delay,
             const GError     *error,
             Fixture          *fixture)
{
  fixture->n_retrying++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = peel_demo_server_new ();
  peel_demo_server_start (fixture->server, 0, &error);
  g_assert_no_error (error);

  fixture->provider = peel_provider_new ("Demo", peel_demo_server_get_base_url (fixture->server),
                                         PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);

  fixture->client = peel_gemini_client_new (fixture->provider, "test-key");
  peel_gemini_client_set_backoff (fixture->client, 0.01, 0.2);
  g_signal_connect (fixture->client, "backing-off", G_CALLBACK (retrying_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->provider);
  peel_demo_server_stop (fixture->server);
  g_clear_object (&fixture->server);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs one request; @seconds: (out): how long it took. */
static PeelGeminiReply *
generate (Fixture       *fixture,
          gboolean       stream,
          GCancellable  *cancellable,
          double        *seconds,
          GError       **error)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  peel_gemini_request_set_prompt (request, "a lighthouse at dusk");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_512);
  peel_gemini_client_generate_async (fixture->client, request, stream, cancellable, result_cb,
                                     &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (seconds != NULL)
    *seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  return peel_gemini_client_generate_finish (fixture->client, result, error);
}

static void
assert_next_request_works (Fixture *fixture)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = generate (fixture, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (peel_gemini_reply_get_final_image (reply));
}

/* One byte a second, of the status line first: no read ever waits long, so only a deadline on
 * the whole request ends it. Without one this ran for hours. */
static void
test_trickle_deadline (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  double seconds = 0;

  peel_gemini_client_set_timeout (fixture->client, 2);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_TRICKLE);
  reply = generate (fixture, FALSE, NULL, &seconds, &error);
  g_test_message ("after %.1f s: %s", seconds, error ? error->message : "(no error)");

  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT);
  g_assert_cmpfloat (seconds, >=, 1.9);
  g_assert_cmpfloat (seconds, <, 4);
  g_assert_nonnull (strstr (error->message, "127.0.0.1 had not finished sending even the status "
                                            "line and headers of its answer after 2 seconds"));
  g_assert_nonnull (strstr (error->message, "allow more time"));
  /* The deadline is the end: no retry starts after it. */
  g_assert_cmpuint (fixture->n_retrying, ==, 0);

  assert_next_request_works (fixture);
}

/* A 200 stream of nothing but ": keep-alive" comments: the comments are not progress. */
static void
test_keep_alive_idle (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  double seconds = 0;

  peel_gemini_client_set_timeout (fixture->client, 60);
  peel_gemini_client_set_stream_idle_timeout (fixture->client, 1);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_KEEP_ALIVE);
  reply = generate (fixture, TRUE, NULL, &seconds, &error);
  g_test_message ("after %.1f s: %s", seconds, error ? error->message : "(no error)");

  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT);
  g_assert_cmpfloat (seconds, <, 4);
  g_assert_nonnull (strstr (error->message, "127.0.0.1 sent only "));
  g_assert_nonnull (strstr (error->message, " keep-alive comments and no part of the answer for "
                                            "1 second, so Peel stopped the stream."));
  g_assert_cmpuint (fixture->n_retrying, ==, 0);

  assert_next_request_works (fixture);
}

/* The same stream under the whole-request deadline alone. */
static void
test_keep_alive_deadline (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  double seconds = 0;

  peel_gemini_client_set_timeout (fixture->client, 2);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_KEEP_ALIVE);
  reply = generate (fixture, TRUE, NULL, &seconds, &error);
  g_test_message ("after %.1f s: %s", seconds, error ? error->message : "(no error)");

  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT);
  g_assert_cmpfloat (seconds, <, 4);
  g_assert_nonnull (strstr (error->message, "127.0.0.1 answered, then sent only "));
  g_assert_nonnull (strstr (error->message, "keep-alive comments and no part of the image "
                                            "within 2 seconds"));
}

/* A deadline counts the retries and their waits too. */
static void
test_deadline_spans_retries (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  double seconds = 0;

  peel_gemini_client_set_timeout (fixture->client, 2);
  peel_gemini_client_set_max_attempts (fixture->client, 10);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_UNAVAILABLE);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_TRICKLE);
  reply = generate (fixture, FALSE, NULL, &seconds, &error);
  g_test_message ("after %.1f s: %s", seconds, error ? error->message : "(no error)");

  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT);
  g_assert_cmpfloat (seconds, <, 4);
  g_assert_cmpuint (fixture->n_retrying, ==, 1);
  g_assert_nonnull (strstr (error->message, "(Tried 2 times.)"));
}

/* Cancelling is still silent, and not mistaken for a limit. */
static void
test_cancel_is_not_timeout (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  double seconds = 0;

  peel_gemini_client_set_timeout (fixture->client, 30);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_KEEP_ALIVE);
  g_timeout_add (300, cancel_cb, cancellable);
  reply = generate (fixture, TRUE, cancellable, &seconds, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (seconds, <, 2);

  assert_next_request_works (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Peel/Deadline/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("trickle", test_trickle_deadline);
  ADD ("keep-alive-idle", test_keep_alive_idle);
  ADD ("keep-alive-deadline", test_keep_alive_deadline);
  ADD ("spans-retries", test_deadline_spans_retries);
  ADD ("cancel-is-not-timeout", test_cancel_is_not_timeout);
#undef ADD

  return g_test_run ();
}
