/* test-client.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"

#define KEY "test-key-5f2c9a"

typedef struct
{
  PeelDemoServer   *server;
  PeelProvider     *provider;
  PeelGeminiClient *client;

  GPtrArray        *parts;        /* PeelPart, as received */
  guint             n_retrying;
  guint             last_attempt;
  double            last_delay;
  int               last_retry_code;
  guint             n_progress;
  guint64           last_received;
  guint64           last_expected;
  GCancellable     *cancel_on_retry;
} Fixture;

static void
part_received_cb (PeelGeminiClient *client,
                  const PeelPart   *part,
                  Fixture          *fixture)
{
  g_ptr_array_add (fixture->parts, peel_part_copy (part));
}

static void
retrying_cb (PeelGeminiClient *client,
             guint             attempt,
             double            delay,
             const GError     *error,
             Fixture          *fixture)
{
  fixture->n_retrying++;
  /* The next attempt counts its bytes from zero. */
  fixture->last_received = 0;
  fixture->last_attempt = attempt;
  fixture->last_delay = delay;
  fixture->last_retry_code = error->code;
  g_assert_true (error->domain == PEEL_GEMINI_ERROR);
  if (fixture->cancel_on_retry != NULL)
    g_cancellable_cancel (fixture->cancel_on_retry);
}

static void
progress_cb (PeelGeminiClient *client,
             guint64           received,
             guint64           expected,
             Fixture          *fixture)
{
  g_assert_cmpuint (received, >=, fixture->last_received);
  fixture->n_progress++;
  fixture->last_received = received;
  fixture->last_expected = expected;
}

static PeelGeminiClient *
make_client (Fixture       *fixture,
             PeelProvider  *provider,
             const char    *key)
{
  PeelGeminiClient *client = peel_gemini_client_new (provider, key);

  /* Small waits so the retry tests take milliseconds, not a minute. */
  peel_gemini_client_set_backoff (client, 0.01, 0.2);
  peel_gemini_client_set_max_attempts (client, 3);
  g_signal_connect (client, "part-received", G_CALLBACK (part_received_cb), fixture);
  g_signal_connect (client, "backing-off", G_CALLBACK (retrying_cb), fixture);
  g_signal_connect (client, "progress", G_CALLBACK (progress_cb), fixture);
  return client;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = peel_demo_server_new ();
  peel_demo_server_set_api_key (fixture->server, KEY);
  peel_demo_server_set_retry_delay (fixture->server, 0.02);
  peel_demo_server_start (fixture->server, 0, &error);
  g_assert_no_error (error);

  fixture->provider = peel_provider_new ("Demo", peel_demo_server_get_base_url (fixture->server),
                                         GPOINTER_TO_INT (data), &error);
  g_assert_no_error (error);

  fixture->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  fixture->client = make_client (fixture, fixture->provider, KEY);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->provider);
  peel_demo_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->parts, g_ptr_array_unref);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static PeelGeminiReply *
generate (Fixture            *fixture,
          PeelGeminiClient   *client,
          PeelGeminiRequest  *request,
          gboolean            stream,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fixture->last_received = 0;
  peel_gemini_client_generate_async (client, request, stream, cancellable, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return peel_gemini_client_generate_finish (client, result, error);
}

static PeelGeminiRequest *
new_request (const char    *prompt,
             const char    *ratio,
             PeelImageSize  size)
{
  PeelGeminiRequest *request = peel_gemini_request_new (NULL);

  peel_gemini_request_set_prompt (request, prompt);
  peel_gemini_request_set_aspect_ratio (request, ratio);
  peel_gemini_request_set_image_size (request, size);
  return request;
}

static void
assert_final_image (PeelGeminiReply *reply,
                    int              width,
                    int              height)
{
  const PeelPart *image = peel_gemini_reply_get_final_image (reply);

  g_assert_nonnull (image);
  g_assert_false (image->thought);
  g_assert_nonnull (image->data);
  g_assert_cmpuint (g_bytes_get_size (image->data), >, 100);
  g_assert_cmpint (image->width, ==, width);
  g_assert_cmpint (image->height, ==, height);
}

static void
test_plain_exact_size (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a lighthouse at dusk", "16:9",
                                                      PEEL_IMAGE_SIZE_1K);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  gboolean matches = FALSE;

  reply = generate (fixture, fixture->client, request, FALSE, NULL, &error);
  g_assert_no_error (error);
  assert_final_image (reply, 1376, 768);

  described = peel_gemini_client_describe_size (PEEL_DEFAULT_MODEL, "16:9", PEEL_IMAGE_SIZE_1K,
                                                reply, &matches);
  g_assert_true (matches);
  g_assert_cmpstr (described, ==, "asked 1376×768 — got 1376×768");

  /* Asked for another size, the same image does not match, and says so. */
  g_clear_pointer (&described, g_free);
  described = peel_gemini_client_describe_size (PEEL_DEFAULT_MODEL, "16:9", PEEL_IMAGE_SIZE_2K,
                                                reply, &matches);
  g_assert_false (matches);
  g_assert_cmpstr (described, ==, "asked 2752×1536, got 1376×768");

  /* The whole body was counted, against the size the server announced. */
  g_assert_cmpuint (fixture->n_progress, >, 0);
  g_assert_cmpuint (fixture->last_expected, >, 0);
  g_assert_cmpuint (fixture->last_received, ==, fixture->last_expected);

  /* A plain reply still reports its parts, the final image among them. */
  g_assert_cmpuint (fixture->parts->len, >=, 1);
  g_assert_cmpuint (fixture->n_retrying, ==, 0);
}

static int
index_of_final_image (GPtrArray *parts)
{
  for (guint i = 0; i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);

      if (part->kind == PEEL_PART_IMAGE && !part->thought)
        return i;
    }
  return -1;
}

static void
test_stream_parts_in_order (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a red fox in snow", "3:2",
                                                      PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  int final_index;
  int first_thought_text = -1;
  int first_thought_image = -1;

  peel_gemini_request_set_thinking_level (request, PEEL_THINKING_HIGH);
  peel_gemini_request_set_include_thoughts (request, TRUE);

  reply = generate (fixture, fixture->client, request, TRUE, NULL, &error);
  g_assert_no_error (error);
  assert_final_image (reply, 632, 424);

  for (guint i = 0; i < fixture->parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (fixture->parts, i);

      if (part->thought && part->kind == PEEL_PART_TEXT && first_thought_text < 0)
        first_thought_text = i;
      if (part->thought && part->kind == PEEL_PART_IMAGE && first_thought_image < 0)
        first_thought_image = i;
    }

  final_index = index_of_final_image (fixture->parts);
  g_assert_cmpint (final_index, >=, 0);
  g_assert_cmpint (first_thought_text, >=, 0);
  g_assert_cmpint (first_thought_image, >=, 0);
  g_assert_cmpint (first_thought_text, <, final_index);
  g_assert_cmpint (first_thought_image, <, final_index);

  /* The signalled final image is the reply's. */
  g_assert_true (g_bytes_equal (((PeelPart *) g_ptr_array_index (fixture->parts,
                                                                 final_index))->data,
                                peel_gemini_reply_get_final_image (reply)->data));
  g_assert_cmpuint (fixture->n_progress, >, 0);
}

static void
test_retry_after_429 (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a bowl of pears", "1:1",
                                                      PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_RATE_LIMIT);

  reply = generate (fixture, fixture->client, request, FALSE, NULL, &error);
  g_assert_no_error (error);
  assert_final_image (reply, 512, 512);

  g_assert_cmpuint (fixture->n_retrying, ==, 1);
  g_assert_cmpuint (fixture->last_attempt, ==, 2);
  g_assert_cmpint (fixture->last_retry_code, ==, PEEL_GEMINI_ERROR_RATE_LIMITED);
  /* The server's RetryInfo (0.02 s) was honoured rather than the client's own backoff. */
  g_assert_cmpfloat_with_epsilon (fixture->last_delay, 0.02, 0.005);
  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 2);
}

static void
test_server_errors_give_up (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a bowl of pears", "1:1",
                                                      PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_SERVER_ERROR);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_UNAVAILABLE);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_UNAVAILABLE);

  reply = generate (fixture, fixture->client, request, FALSE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_cmpuint (fixture->n_retrying, ==, 2);
  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 3);

  /* Once the faults are spent, the next request succeeds. */
  g_clear_error (&error);
  reply = generate (fixture, fixture->client, request, TRUE, NULL, &error);
  g_assert_no_error (error);
}

static void
test_reset_retried (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "4:3", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  for (guint stream = 0; stream < 2; stream++)
    {
      fixture->n_retrying = 0;
      peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_RESET);

      g_clear_object (&reply);
      reply = generate (fixture, fixture->client, request, stream, NULL, &error);
      g_assert_no_error (error);
      assert_final_image (reply, 600, 448);
      g_assert_cmpuint (fixture->n_retrying, ==, 1);
      g_assert_cmpint (fixture->last_retry_code, ==, PEEL_GEMINI_ERROR_NETWORK);
    }
}

static void
test_truncated_stream_not_retried (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_TRUNCATED_STREAM);

  reply = generate (fixture, fixture->client, request, TRUE, NULL, &error);
  g_assert_null (reply);
  g_assert_true (g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED) ||
                 g_error_matches (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK));
  g_assert_cmpuint (fixture->n_retrying, ==, 0);
  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 1);
}

static void
test_malformed_not_retried (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_MALFORMED_JSON);

  reply = generate (fixture, fixture->client, request, FALSE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
  g_assert_cmpuint (fixture->n_retrying, ==, 0);
  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 1);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_stall_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start;
  double elapsed;

  for (guint stream = 0; stream < 2; stream++)
    {
      g_cancellable_reset (cancellable);
      g_clear_error (&error);
      peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_STALL);
      g_timeout_add (300, cancel_cb, cancellable);

      start = g_get_monotonic_time ();
      reply = generate (fixture, fixture->client, request, stream, cancellable, &error);
      elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

      g_assert_null (reply);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpfloat (elapsed, >=, 0.29);
      /* Generous, for loaded and sanitized runs: the stall itself would last minutes. */
      g_assert_cmpfloat (elapsed, <, 10.0);
      g_assert_cmpuint (fixture->n_retrying, ==, 0);
    }
}

static void
test_cancel_during_retry_wait (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* A long wait, cancelled as soon as it starts. */
  peel_gemini_client_set_backoff (fixture->client, 30, 60);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_SERVER_ERROR);
  fixture->cancel_on_retry = cancellable;

  start = g_get_monotonic_time ();
  reply = generate (fixture, fixture->client, request, FALSE, cancellable, &error);
  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->n_retrying, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 1);
}

static void
test_blocked (Fixture       *fixture,
              gconstpointer  data)
{
  static const PeelDemoFault faults[] = {
    PEEL_DEMO_FAULT_BLOCKED_PROMPT, PEEL_DEMO_FAULT_IMAGE_SAFETY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    for (guint stream = 0; stream < 2; stream++)
      {
        g_autoptr(PeelGeminiRequest) request = new_request ("something not allowed", "1:1",
                                                            PEEL_IMAGE_SIZE_512);
        g_autoptr(PeelGeminiReply) reply = NULL;
        g_autoptr(GError) error = NULL;
        guint before = peel_demo_server_get_request_count (fixture->server);

        peel_demo_server_push_fault (fixture->server, faults[i]);
        reply = generate (fixture, fixture->client, request, stream, NULL, &error);
        g_assert_null (reply);
        g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED);
        g_assert_cmpuint (strlen (error->message), >, 10);
        /* Billed answers are never retried. */
        g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, before + 1);

        /* The model's own words reach the user. */
        if (faults[i] == PEEL_DEMO_FAULT_IMAGE_SAFETY)
          g_assert_nonnull (strstr (error->message, "Prohibited Use policy"));
      }

  g_assert_cmpuint (fixture->n_retrying, ==, 0);
}

static void
test_data_uri_fallback (Fixture       *fixture,
                        gconstpointer  data)
{
  for (guint stream = 0; stream < 2; stream++)
    {
      g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "9:16", PEEL_IMAGE_SIZE_512);
      g_autoptr(PeelGeminiReply) reply = NULL;
      g_autoptr(GError) error = NULL;

      peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_DATA_URI);
      reply = generate (fixture, fixture->client, request, stream, NULL, &error);
      g_assert_no_error (error);
      assert_final_image (reply, 384, 688);
    }
}

static void
test_huge_body (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* 600 MiB announced against the default 256 MiB cap: refused before reading it. */
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_HUGE_BODY);
  reply = generate (fixture, fixture->client, request, FALSE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->last_received, <, 64 * 1024 * 1024);
  g_assert_cmpuint (fixture->n_retrying, ==, 0);
}

static void
test_huge_body_small_cap (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* Streamed, with a small cap: stopped once the bytes read pass it. */
  peel_gemini_client_set_max_reply_bytes (fixture->client, 4 * 1024 * 1024);
  peel_demo_server_push_fault (fixture->server, PEEL_DEMO_FAULT_HUGE_BODY);
  reply = generate (fixture, fixture->client, request, TRUE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  g_assert_cmpuint (fixture->last_received, <=, 4 * 1024 * 1024 + 64 * 1024);
}

static void
test_invalid_key (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiClient) client = make_client (fixture, fixture->provider, "wrong-key-77");
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = generate (fixture, client, request, FALSE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY);
  g_assert_null (strstr (error->message, "wrong-key-77"));
  g_assert_cmpuint (fixture->n_retrying, ==, 0);
  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 1);
}

static void
test_key_only_in_header (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body_text = NULL;
  PeelAuthStyle style = GPOINTER_TO_INT (data);

  reply = generate (fixture, fixture->client, request, TRUE, NULL, &error);
  g_assert_no_error (error);

  headers = peel_demo_server_dup_last_request_headers (fixture->server);
  path = peel_demo_server_dup_last_request_path (fixture->server);
  body = peel_demo_server_dup_last_request_body (fixture->server);
  body_text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  if (style == PEEL_AUTH_STYLE_BEARER)
    {
      g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==,
                       "Bearer " KEY);
      g_assert_null (soup_message_headers_get_one (headers, "x-goog-api-key"));
    }
  else
    {
      g_assert_cmpstr (soup_message_headers_get_one (headers, "x-goog-api-key"), ==, KEY);
      g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
    }

  g_assert_true (g_str_has_prefix (path, "/v1beta/models/" PEEL_DEFAULT_MODEL));
  g_assert_null (strstr (path, KEY));
  g_assert_null (strstr (path, "key="));
  g_assert_null (strstr (body_text, KEY));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (headers, "User-Agent"),
                                   "Peel/"));
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(PeelGeminiRequest) request = new_request ("a kite", "1:1", PEEL_IMAGE_SIZE_512);
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { 0 };
  guint16 port;

  /* A port that was free a moment ago: nothing listens there now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  provider = peel_provider_new (NULL, url, PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);

  fixture.parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  client = make_client (&fixture, provider, KEY);
  peel_gemini_client_set_max_attempts (client, 2);

  reply = generate (&fixture, client, request, FALSE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpuint (fixture.n_retrying, ==, 1);
  g_ptr_array_unref (fixture.parts);
}

static void
test_insecure_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelProvider) provider = NULL;

  provider = peel_provider_new (NULL, "http://example.com:8080", PEEL_AUTH_STYLE_GOOG_API_KEY,
                                &error);
  g_assert_null (provider);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INSECURE);
}

/* A caller that keeps its results (a history does) must not keep connections busy with them:
 * the session allows two per host, so a third request would wait for ever. */
static void
test_back_to_back_results_kept (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(PeelGeminiRequest) request = new_request ("a pear", "1:1", PEEL_IMAGE_SIZE_512);
      g_autoptr(PeelGeminiReply) reply = NULL;
      g_autoptr(GError) error = NULL;
      GAsyncResult *result = NULL;

      fixture->last_received = 0;
      peel_gemini_client_generate_async (fixture->client, request, i % 2 == 1, NULL, result_cb,
                                         &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);

      g_ptr_array_add (results, result);
      reply = peel_gemini_client_generate_finish (fixture->client, result, &error);
      g_assert_no_error (error);
      assert_final_image (reply, 512, 512);
    }

  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 4);
}

static GPtrArray *
text_parts (const char *text)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  g_ptr_array_add (parts, peel_part_new_text (text, FALSE));
  return parts;
}

/* Three turns, each sent with the whole history so far and the model's signed parts echoed
 * back; the demo server checks every signature the way Google does. */
static void
test_three_turn_edit (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *prompts[] = {
    "a lighthouse on a cliff", "make the sky stormy", "add a small boat",
  };
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint turn = 0; turn < G_N_ELEMENTS (prompts); turn++)
    {
      g_autoptr(PeelGeminiRequest) request = new_request (prompts[turn], "16:9",
                                                          PEEL_IMAGE_SIZE_512);
      g_autoptr(GError) error = NULL;
      PeelGeminiReply *reply;

      for (guint i = 0; i < history->len; i++)
        {
          g_autoptr(GPtrArray) user = text_parts (prompts[i]);
          g_autoptr(GPtrArray) model = peel_gemini_reply_dup_history_parts (g_ptr_array_index (history, i));

          peel_gemini_request_add_turn (request, "user", user);
          peel_gemini_request_add_turn (request, "model", model);
        }

      reply = generate (fixture, fixture->client, request, turn == 1, NULL, &error);
      g_assert_no_error (error);
      assert_final_image (reply, 688, 384);
      g_ptr_array_add (history, reply);
    }

  g_assert_cmpuint (peel_demo_server_get_request_count (fixture->server), ==, 3);

  /* The same history with the signatures stripped is refused: the check above was real. */
  {
    g_autoptr(PeelGeminiRequest) request = new_request ("one more", "16:9", PEEL_IMAGE_SIZE_512);
    g_autoptr(GPtrArray) user = text_parts (prompts[0]);
    g_autoptr(GPtrArray) model = peel_gemini_reply_dup_history_parts (g_ptr_array_index (history, 0));
    g_autoptr(PeelGeminiReply) reply = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < model->len; i++)
      peel_part_set_signature (g_ptr_array_index (model, i), NULL);

    peel_gemini_request_add_turn (request, "user", user);
    peel_gemini_request_add_turn (request, "model", model);
    reply = generate (fixture, fixture->client, request, FALSE, NULL, &error);
    g_assert_null (reply);
    g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Peel/Client/" path, Fixture, GINT_TO_POINTER (PEEL_AUTH_STYLE_GOOG_API_KEY), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("plain-exact-size", test_plain_exact_size);
  ADD ("stream-parts-in-order", test_stream_parts_in_order);
  ADD ("retry-after-429", test_retry_after_429);
  ADD ("server-errors-give-up", test_server_errors_give_up);
  ADD ("reset-retried", test_reset_retried);
  ADD ("truncated-stream-not-retried", test_truncated_stream_not_retried);
  ADD ("malformed-not-retried", test_malformed_not_retried);
  ADD ("stall-cancelled", test_stall_cancelled);
  ADD ("cancel-during-retry-wait", test_cancel_during_retry_wait);
  ADD ("blocked", test_blocked);
  ADD ("data-uri-fallback", test_data_uri_fallback);
  ADD ("huge-body", test_huge_body);
  ADD ("huge-body-small-cap", test_huge_body_small_cap);
  ADD ("invalid-key", test_invalid_key);
  ADD ("key-only-in-header", test_key_only_in_header);
  ADD ("three-turn-edit", test_three_turn_edit);
  ADD ("back-to-back-results-kept", test_back_to_back_results_kept);
  g_test_add ("/Peel/Client/key-only-in-header-bearer", Fixture,
              GINT_TO_POINTER (PEEL_AUTH_STYLE_BEARER), fixture_set_up,
              test_key_only_in_header, fixture_tear_down);
  g_test_add_func ("/Peel/Client/connection-refused", test_connection_refused);
  g_test_add_func ("/Peel/Client/insecure-refused", test_insecure_refused);

#undef ADD

  return g_test_run ();
}
