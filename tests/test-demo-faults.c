/* test-demo-faults.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "demo-test-util.h"

static void
test_key_required (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *body = simple_body ("keys", "1:1", "512", FALSE);
  g_autoptr(Reply) none = post_full (f, FLASH, "generateContent", body, NULL, NULL);
  g_autoptr(Reply) empty = post_full (f, FLASH, "generateContent", body, "x-goog-api-key", "");
  g_autoptr(Reply) query = post_full (f, FLASH, "generateContent?key=secret", body, NULL, NULL);
  g_autoptr(Reply) raw = post_full (f, FLASH, "generateContent", body, "Authorization", "secret");
  g_autoptr(Reply) bearer = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) right = NULL;
  g_autoptr(SoupMessageHeaders) seen = NULL;
  JsonArray *details;

  assert_error (none, 403, "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established "
                "identity). Please use API Key or other form of API consumer identity to call "
                "this API.");
  assert_error (empty, 403, "PERMISSION_DENIED", NULL);
  assert_error (query, 400, "INVALID_ARGUMENT",
                "Peel's demo server only accepts the key in a header.");
  assert_error (raw, 401, "UNAUTHENTICATED", NULL);

  peel_demo_server_set_api_key (f->server, "secret");
  wrong = post_full (f, FLASH, "generateContent", body, "x-goog-api-key", "guess");
  assert_error (wrong, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
  details = json_object_get_array_member (json_object_get_object_member (root_object (wrong),
                                                                         "error"), "details");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (details, 0),
                                                  "reason"), ==, "API_KEY_INVALID");

  right = post_full (f, FLASH, "generateContent", body, "x-goog-api-key", "secret");
  g_assert_cmpuint (right->status, ==, 200);
  seen = peel_demo_server_dup_last_request_headers (f->server);
  g_assert_cmpstr (soup_message_headers_get_one (seen, "x-goog-api-key"), ==, "secret");

  bearer = post_full (f, FLASH, "generateContent", body, "Authorization", "Bearer secret");
  g_assert_cmpuint (bearer->status, ==, 200);
  g_assert_cmpuint (peel_demo_server_get_request_count (f->server), ==, 7);
}

static const char *fault_body = "{\"contents\": [{\"parts\": [{\"text\": \"faulty\"}]}], "
                                "\"generationConfig\": {\"imageConfig\": {\"imageSize\": "
                                "\"512\"}, \"thinkingConfig\": {\"includeThoughts\": true}}}";

static void
test_fault_http_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Reply) limited = NULL;
  g_autoptr(Reply) internal = NULL;
  g_autoptr(Reply) overloaded = NULL;
  g_autoptr(Reply) fine = NULL;
  JsonArray *details;
  gboolean retry_info = FALSE, quota = FALSE;

  peel_demo_server_set_retry_delay (f->server, 2.5);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_RATE_LIMIT);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_SERVER_ERROR);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_UNAVAILABLE);

  limited = post (f, FLASH, fault_body);
  assert_error (limited, 429, "RESOURCE_EXHAUSTED", NULL);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (
    json_object_get_object_member (root_object (limited), "error"), "message"),
    "Please retry in 2.5s."));
  details = json_object_get_array_member (json_object_get_object_member (root_object (limited),
                                                                         "error"), "details");
  for (guint i = 0; i < json_array_get_length (details); i++)
    {
      JsonObject *detail = json_array_get_object_element (details, i);
      const char *type = json_object_get_string_member (detail, "@type");

      if (g_strcmp0 (type, "type.googleapis.com/google.rpc.RetryInfo") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (detail, "retryDelay"), ==, "2.500s");
          retry_info = TRUE;
        }
      quota |= g_strcmp0 (type, "type.googleapis.com/google.rpc.QuotaFailure") == 0;
    }
  g_assert_true (retry_info && quota);

  internal = post (f, FLASH, fault_body);
  assert_error (internal, 500, "INTERNAL", NULL);
  overloaded = post (f, FLASH, fault_body);
  assert_error (overloaded, 503, "UNAVAILABLE", "The model is overloaded. Please try again later.");

  /* The queue is empty again: no fault. */
  fine = post (f, FLASH, fault_body);
  g_assert_cmpuint (fine->status, ==, 200);
}

static void
test_fault_reset (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) next = NULL;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_RESET);
  reply = post (f, FLASH, fault_body);
  g_assert_nonnull (reply->error);
  g_test_message ("reset gave: %s", reply->error->message);

  next = post (f, FLASH, fault_body);
  g_assert_cmpuint (next->status, ==, 200);
}

static void
test_fault_truncated_stream (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Stream) stream = NULL;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_TRUNCATED_STREAM);
  reply = post_stream (f, FLASH, fault_body);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  stream = parse_stream (reply->body);
  g_assert_cmpuint (stream->events->len, >=, 3);
  g_assert_null (strstr (stream->raw->str, "finishReason"));
  for (guint i = 0; i < stream->events->len; i++)
    {
      JsonArray *parts = reply_parts (json_node_get_object (g_ptr_array_index (stream->events,
                                                                               i)));

      g_assert_null (final_image_b64 (parts));
    }
}

static void
test_fault_malformed_json (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_MALFORMED_JSON);
  reply = post (f, FLASH, fault_body);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (reply->body), >, 10);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                              g_bytes_get_size (reply->body), NULL));
}

static void
test_fault_blocked (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Reply) blocked = NULL;
  g_autoptr(Reply) safety = NULL;
  JsonObject *root, *candidate;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_BLOCKED_PROMPT);
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_IMAGE_SAFETY);

  blocked = post (f, FLASH, fault_body);
  g_assert_cmpuint (blocked->status, ==, 200);
  root = root_object (blocked);
  g_assert_false (json_object_has_member (root, "candidates"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     root, "promptFeedback"), "blockReason"), ==, "OTHER");

  safety = post (f, FLASH, fault_body);
  g_assert_cmpuint (safety->status, ==, 200);
  root = root_object (safety);
  candidate = json_array_get_object_element (json_object_get_array_member (root, "candidates"),
                                             0);
  g_assert_cmpstr (json_object_get_string_member (candidate, "finishReason"), ==,
                   "IMAGE_SAFETY");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (candidate, "finishMessage"),
                                   "Unable to show the generated image."));
  g_assert_null (final_image_b64 (reply_parts (root)));
}

static void
test_fault_data_uri (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GdkPixbuf) image = NULL;
  JsonArray *parts;
  const char *text = NULL, *uri;
  g_autofree char *b64 = NULL;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_DATA_URI);
  reply = post (f, FLASH, fault_body);
  g_assert_cmpuint (reply->status, ==, 200);
  parts = reply_parts (root_object (reply));
  g_assert_null (final_image_b64 (parts));
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      g_assert_false (json_object_has_member (part, "inlineData") &&
                      !json_object_get_boolean_member_with_default (part, "thought", FALSE));
      if (!json_object_get_boolean_member_with_default (part, "thought", FALSE))
        text = json_object_get_string_member (part, "text");
    }
  g_assert_nonnull (text);
  uri = strstr (text, "![image](data:image/png;base64,");
  g_assert_nonnull (uri);
  uri += strlen ("![image](data:image/png;base64,");
  g_assert_true (g_str_has_suffix (uri, ")"));
  b64 = g_strndup (uri, strlen (uri) - 1);
  image = decode_b64 (b64);
  g_assert_cmpint (gdk_pixbuf_get_width (image), ==, 512);
}

static void
headers_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Reader *reader = user_data;

  reader->input = soup_session_send_finish (SOUP_SESSION (object), result, &reader->error);
  reader->done = TRUE;
}

static void
read_cancel_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &reader->error);

  reader->done = TRUE;
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_fault_stall (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = make_message (f, FLASH, "generateContent", fault_body,
                                             "x-goog-api-key", "k");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Reader reader = { 0 };
  gint64 start;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_STALL);
  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, headers_cb, &reader);
  while (!reader.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reader.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  /* The body never comes; the client gives up after 300 ms. */
  reader.done = FALSE;
  start = g_get_monotonic_time ();
  g_timeout_add (300, cancel_cb, cancellable);
  g_input_stream_read_bytes_async (reader.input, 4096, G_PRIORITY_DEFAULT, cancellable,
                                   read_cancel_cb, &reader);
  while (!reader.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (reader.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 290 * 1000);
  g_clear_error (&reader.error);
  g_clear_object (&reader.input);

  /* Another stall, left hanging: stopping the server does not wait for it. */
  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_STALL);
  {
    g_autoptr(SoupMessage) second = make_message (f, FLASH, "generateContent", fault_body,
                                                  "x-goog-api-key", "k");

    reader.done = FALSE;
    soup_session_send_async (f->session, second, G_PRIORITY_DEFAULT, NULL, headers_cb, &reader);
    while (!reader.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (reader.error);
    start = g_get_monotonic_time ();
    peel_demo_server_stop (f->server);
    /* Generous, for loaded and sanitized runs: a stall left open would hold it far longer. */
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
    g_clear_object (&reader.input);
  }
}

static gint64
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

typedef struct
{
  GInputStream *input;
  GError       *error;
  gsize         total;
  gsize         want;
  gboolean      done;
} Drain;

static void
drain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Drain *drain = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &drain->error);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0 || drain->total >= drain->want)
    {
      drain->done = TRUE;
      return;
    }
  drain->total += g_bytes_get_size (bytes);
  g_input_stream_read_bytes_async (drain->input, 1 << 20, G_PRIORITY_DEFAULT, NULL, drain_cb,
                                   drain);
}

static void
test_fault_huge_body (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = make_message (f, FLASH, "generateContent", fault_body,
                                             "x-goog-api-key", "k");
  Reader reader = { 0 };
  Drain drain = { 0 };
  gint64 rss_before, rss_after;
  char head[32] = { 0 };
  gsize got = 0;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_HUGE_BODY);
  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, headers_cb, &reader);
  while (!reader.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reader.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (
                     soup_message_get_response_headers (msg)),
                   ==, PEEL_DEMO_SERVER_HUGE_BODY_BYTES);

  g_assert_true (g_input_stream_read_all (reader.input, head, 15, &got, NULL, NULL));
  g_assert_cmpstr (head, ==, "{\"candidates\":[");

  /* 200 MiB through the server and the client in one process: if the server held what it
   * sent, the resident size would grow by as much. */
  rss_before = resident_kib ();
  drain.input = reader.input;
  drain.want = 200 << 20;
  g_input_stream_read_bytes_async (drain.input, 1 << 20, G_PRIORITY_DEFAULT, NULL, drain_cb,
                                   &drain);
  while (!drain.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (drain.error);
  rss_after = resident_kib ();
  g_test_message ("read %" G_GSIZE_FORMAT " bytes; resident size %" G_GINT64_FORMAT
                  " → %" G_GINT64_FORMAT " KiB", drain.total, rss_before, rss_after);
  g_assert_cmpuint (drain.total, >=, 200 << 20);
#ifndef __SANITIZE_ADDRESS__
  /* (AddressSanitizer keeps freed memory in quarantine, so there the size says nothing.) */
  g_assert_cmpint (rss_after - rss_before, <, 64 * 1024);
#endif
  g_clear_object (&reader.input);
}

static void
test_random_faults (Fixture       *f,
                    gconstpointer  data)
{
  guint failures = 0;

  peel_demo_server_set_random_faults (f->server, 1.0, 42);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(Reply) reply = post (f, NANO, "{\"contents\": [{\"parts\": [{\"text\": \"r\"}]}]}");
      JsonObject *root = reply->json && JSON_NODE_HOLDS_OBJECT (reply->json)
                         ? json_node_get_object (reply->json) : NULL;
      JsonObject *candidate = root != NULL && json_object_has_member (root, "candidates")
                              ? json_array_get_object_element (
                                  json_object_get_array_member (root, "candidates"), 0)
                              : NULL;
      gboolean ok = reply->error == NULL && reply->status == 200 && candidate != NULL &&
                    json_object_has_member (candidate, "content") &&
                    final_image_b64 (reply_parts (root)) != NULL;

      failures += !ok;
    }
  /* data-uri and truncated-stream still answer 200 but never with an inline image. */
  g_assert_cmpuint (failures, ==, 6);

  peel_demo_server_set_random_faults (f->server, 0.0, 42);
  {
    g_autoptr(Reply) reply = post (f, NANO, "{\"contents\": [{\"parts\": [{\"text\": \"r\"}]}]}");

    assert_final_size (reply, 1024, 1024);
  }
}

typedef struct
{
  GString *got;
  gboolean pending;
  gboolean done;
} Slow;

static void
slow_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Slow *slow = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              NULL);

  slow->pending = FALSE;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    slow->done = TRUE;
  else
    g_string_append_len (slow->got, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Reads what @input sends for @ms milliseconds. */
static char *
read_for (GInputStream *input,
          guint         ms)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Slow slow = { g_string_new (NULL), FALSE, FALSE };
  guint timer = g_timeout_add (ms, cancel_cb, cancellable);

  while (!slow.done && !g_cancellable_is_cancelled (cancellable))
    {
      slow.pending = TRUE;
      g_input_stream_read_bytes_async (input, 4096, G_PRIORITY_DEFAULT, cancellable,
                                       slow_read_cb, &slow);
      while (slow.pending)
        g_main_context_iteration (NULL, TRUE);
    }
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (timer);

  return g_string_free (slow.got, FALSE);
}

/* One byte a second, from the status line on, until the server stops. */
static void
test_fault_trickle (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (peel_demo_server_get_base_url (f->server), G_URI_FLAGS_NONE,
                                     NULL);
  g_autofree char *request = NULL;
  g_autofree char *got = NULL;
  g_autofree char *after = NULL;
  gint64 start;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_TRICKLE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                                &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("POST /v1beta/models/%s:generateContent HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\nx-goog-api-key: k\r\n"
                             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                             FLASH, strlen (fault_body), fault_body);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* In 2.5 s: the first byte at once, then one a second. */
  got = read_for (g_io_stream_get_input_stream (G_IO_STREAM (connection)), 2500);
  g_assert_cmpuint (strlen (got), >=, 2);
  g_assert_cmpuint (strlen (got), <=, 4);
  g_assert_true (g_str_has_prefix ("HTTP/1.1 200 OK", got));

  /* Stopping the server ends it: the connection closes, soon. */
  start = g_get_monotonic_time ();
  peel_demo_server_stop (f->server);
  after = read_for (g_io_stream_get_input_stream (G_IO_STREAM (connection)), 3000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (strlen (after), <=, 1);
}

/* A 200 event stream of comments, and never an event. */
static void
test_fault_keep_alive (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = make_message (f, FLASH, "streamGenerateContent?alt=sse",
                                             fault_body, "x-goog-api-key", "k");
  g_autofree char *got = NULL;
  g_auto(GStrv) lines = NULL;
  Reader reader = { 0 };
  guint comments = 0;

  peel_demo_server_push_fault (f->server, PEEL_DEMO_FAULT_KEEP_ALIVE);
  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, headers_cb, &reader);
  while (!reader.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reader.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                          NULL), ==, "text/event-stream");

  got = read_for (reader.input, 1200);
  lines = g_strsplit (got, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      g_assert_cmpstr (lines[i], ==, ": keep-alive");
      comments++;
    }
  /* One every 250 ms: a client that takes them for progress waits forever. */
  g_assert_cmpuint (comments, >=, 3);
  g_clear_object (&reader.input);
}

static void
test_fault_names (void)
{
  PeelDemoFault fault;

  for (guint i = 0; i < PEEL_DEMO_N_FAULTS; i++)
    {
      g_assert_true (peel_demo_fault_from_string (peel_demo_fault_to_string (i), &fault));
      g_assert_cmpint (fault, ==, i);
    }
  g_assert_true (peel_demo_fault_from_string ("RATE_LIMIT", &fault));
  g_assert_cmpint (fault, ==, PEEL_DEMO_FAULT_RATE_LIMIT);
  g_assert_false (peel_demo_fault_from_string ("ratelimit", &fault));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Peel/DemoServer/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("auth/key-required", test_key_required);
  ADD ("faults/http-errors", test_fault_http_errors);
  ADD ("faults/reset", test_fault_reset);
  ADD ("faults/truncated-stream", test_fault_truncated_stream);
  ADD ("faults/malformed-json", test_fault_malformed_json);
  ADD ("faults/blocked", test_fault_blocked);
  ADD ("faults/data-uri", test_fault_data_uri);
  ADD ("faults/stall", test_fault_stall);
  ADD ("faults/huge-body", test_fault_huge_body);
  ADD ("faults/trickle", test_fault_trickle);
  ADD ("faults/keep-alive", test_fault_keep_alive);
  ADD ("faults/random", test_random_faults);
#undef ADD

  g_test_add_func ("/Peel/DemoServer/faults/names", test_fault_names);

  return g_test_run ();
}
