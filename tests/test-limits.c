/* test-limits.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Limits that hold against a hostile server, end to end through PeelGeminiClient over HTTP:
 * a body past the client's cap (the demo server's huge-body fault), one SSE event past it,
 * an image whose header claims more pixels than Peel decodes, JSON nested past the depth
 * limit, and more parts than a reply may hold. Each ends in a clear typed error, and the very
 * next normal request on the same client succeeds. The parsers' own tests (test-reply.c,
 * test-sse.c) check the limits at their edges; this checks that nothing else is disturbed. */

#include <string.h>

#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-model-catalog.h"
#include "peel-image-probe.h"

#define MODEL PEEL_DEFAULT_MODEL

/* A one-shot HTTP server: each connection reads one request and gets the next queued answer
 * (or the normal reply when none is queued), then the connection closes. */
typedef struct
{
  GSocketService *service;
  char           *base_url;
  GAsyncQueue    *answers;   /* GBytes: whole HTTP responses */
  GBytes         *normal;
} RawServer;

static RawServer raw;

static GBytes *
http_response (const char *content_type,
               const char *body,
               gsize       len)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %"
                          G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n", content_type, len);
  g_string_append_len (out, body, len);
  return g_string_free_to_bytes (out);
}

static gboolean
raw_run_cb (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source,
            gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GBytes) answer = NULL;
  gsize content_length = 0;
  const char *end = NULL;
  char buf[16384];

  while ((end = strstr (request->str, "\r\n\r\n")) == NULL)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buf, n);
    }
  {
    g_autofree char *lower = g_ascii_strdown (request->str, end - request->str);
    const char *cl = strstr (lower, "content-length:");

    if (cl != NULL)
      content_length = g_ascii_strtoull (cl + 15, NULL, 10);
  }
  while (request->len < (gsize) (end - request->str) + 4 + content_length)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buf, n);
      end = strstr (request->str, "\r\n\r\n");
    }

  answer = g_async_queue_try_pop (raw.answers);
  if (answer == NULL)
    answer = g_bytes_ref (raw.normal);
  g_output_stream_write_all (out, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                             NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

typedef struct
{
  PeelGeminiReply *reply;
  GError          *error;
  gboolean         done;
} Wait;

static void
generate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *w = user_data;

  w->reply = peel_gemini_client_generate_finish (PEEL_GEMINI_CLIENT (object), result, &w->error);
  w->done = TRUE;
}

static PeelGeminiReply *
generate (PeelGeminiClient  *client,
          gboolean           stream,
          GError           **error)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (MODEL);
  Wait w = { 0 };

  peel_gemini_request_set_prompt (request, "a lighthouse");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_512);
  peel_gemini_client_generate_async (client, request, stream, NULL, generate_cb, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.reply;
}

static guint
time_scale (void)
{
  const char *scale = g_getenv ("PEEL_TEST_TIME_SCALE");
  guint64 value = 1;

  if (scale != NULL && !g_ascii_string_to_unsigned (scale, 10, 1, 100, &value, NULL))
    value = 1;
  return (guint) value;
}

static PeelGeminiClient *
raw_client (void)
{
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  PeelGeminiClient *client;

  provider = peel_provider_new ("raw", raw.base_url, PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  client = peel_gemini_client_new (provider, "limits-key");
  peel_gemini_client_set_max_attempts (client, 1);
  /* The deadline covers the whole request: room for a slow (sanitizer) build to read a huge
   * answer up to its cap, so that the cap, not the clock, ends it. The sanitizer stage's run
   * with whole leak stacks is slower still, and says by how much (PEEL_TEST_TIME_SCALE). */
  peel_gemini_client_set_timeout (client, 120 * time_scale ());
  return client;
}

/* The answer queued first must fail with @code; the normal answer right after must succeed. */
static void
expect_then_recover (PeelGeminiClient *client,
                     GBytes           *hostile,
                     gboolean          stream,
                     int               code)
{
  g_autoptr(PeelGeminiReply) bad = NULL;
  g_autoptr(PeelGeminiReply) good = NULL;
  g_autoptr(GError) error = NULL;

  g_async_queue_push (raw.answers, g_bytes_ref (hostile));
  bad = generate (client, stream, &error);
  g_assert_null (bad);
  g_assert_error (error, PEEL_GEMINI_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL) && strlen (error->message) > 10);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  good = generate (client, stream, &error);
  g_assert_no_error (error);
  g_assert_nonnull (peel_gemini_reply_get_final_image (good));
}

static void
test_huge_body (void)
{
  g_autoptr(PeelDemoServer) server = peel_demo_server_new ();
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_demo_server_start (server, 0, &error));
  provider = peel_provider_new ("demo", peel_demo_server_get_base_url (server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  /* The default cap (256 MiB) against a 600 MiB body. */
  client = peel_gemini_client_new (provider, "limits-key");
  peel_gemini_client_set_max_attempts (client, 1);
  peel_demo_server_push_fault (server, PEEL_DEMO_FAULT_HUGE_BODY);
  reply = generate (client, FALSE, &error);
  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  reply = generate (client, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (peel_gemini_reply_get_final_image (reply));
  peel_demo_server_stop (server);
}

static void
test_large_event (void)
{
  g_autoptr(PeelGeminiClient) client = raw_client ();
  g_autoptr(GString) sse = g_string_new ("data: {\"candidates\":[{\"content\":{\"parts\":"
                                         "[{\"text\":\"");
  g_autoptr(GBytes) answer = NULL;

  /* One event of 5 MiB against a 4 MiB cap; the normal reply is far below it. */
  peel_gemini_client_set_max_reply_bytes (client, 4 * 1024 * 1024);
  while (sse->len < 5 * 1024 * 1024)
    g_string_append (sse, "a lighthouse at dusk ");
  g_string_append (sse, "\"}]}}]}\n\n");
  answer = http_response ("text/event-stream", sse->str, sse->len);
  expect_then_recover (client, answer, TRUE, PEEL_GEMINI_ERROR_TOO_LARGE);
}

static GBytes *
png_claiming (guint32 width,
              guint32 height)
{
  static const guint8 header[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
  };
  guint8 png[33 + 12];
  guint32 w = GUINT32_TO_BE (width), h = GUINT32_TO_BE (height);
  guint32 crc;

  memset (png, 0, sizeof png);
  memcpy (png, header, sizeof header);
  memcpy (png + 16, &w, 4);
  memcpy (png + 20, &h, 4);
  png[24] = 8;
  png[25] = 6;
  crc = GUINT32_TO_BE (0);
  memcpy (png + 29, &crc, 4);
  memcpy (png + 33, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
  return g_bytes_new (png, sizeof png);
}

static void
test_image_dimensions (void)
{
  g_autoptr(PeelGeminiClient) client = raw_client ();
  g_autoptr(GBytes) png = png_claiming (PEEL_IMAGE_MAX_SIDE * 2, PEEL_IMAGE_MAX_SIDE * 2);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autofree char *json = g_strdup_printf ("{\"candidates\":[{\"content\":{\"role\":\"model\","
                                           "\"parts\":[{\"inlineData\":{\"mimeType\":"
                                           "\"image/png\",\"data\":\"%s\"}}]},"
                                           "\"finishReason\":\"STOP\"}]}", b64);
  g_autoptr(GBytes) answer = http_response ("application/json", json, strlen (json));

  expect_then_recover (client, answer, FALSE, PEEL_GEMINI_ERROR_TOO_LARGE);
}

static void
test_nesting (void)
{
  g_autoptr(PeelGeminiClient) client = raw_client ();
  g_autoptr(GString) json = g_string_new ("{\"candidates\":[{\"content\":{\"parts\":[],"
                                          "\"x\":");
  g_autoptr(GBytes) answer = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (json, ']');
  g_string_append (json, "}}]}");
  answer = http_response ("application/json", json->str, json->len);
  expect_then_recover (client, answer, FALSE, PEEL_GEMINI_ERROR_MALFORMED);
}

static void
test_parts (void)
{
  g_autoptr(PeelGeminiClient) client = raw_client ();
  g_autoptr(GString) sse = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new ("{\"candidates\":[{\"content\":{\"parts\":[");
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) streamed = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (json, "%s{\"text\":\"%u\",\"thought\":%s}", i ? "," : "", i,
                            i % 2 ? "true" : "false");
  g_string_append (json, "]}}]}");
  plain = http_response ("application/json", json->str, json->len);
  expect_then_recover (client, plain, FALSE, PEEL_GEMINI_ERROR_TOO_LARGE);

  /* Streamed, one part per event, alternating kinds so that nothing merges. */
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (sse, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                            "\"%u\",\"thought\":%s}]}}]}\n\n", i, i % 2 ? "true" : "false");
  streamed = http_response ("text/event-stream", sse->str, sse->len);
  expect_then_recover (client, streamed, TRUE, PEEL_GEMINI_ERROR_TOO_LARGE);
}

typedef struct
{
  GPtrArray *models;
  GError    *error;
  gboolean   done;
} ListWait;

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ListWait *w = user_data;

  w->models = peel_gemini_client_list_models_finish (PEEL_GEMINI_CLIENT (object), result,
                                                     &w->error);
  w->done = TRUE;
}

/* A model list nested 100 000 levels deep crashed json-glib; the bounded reader refuses it. */
static void
test_deep_model_list (void)
{
  g_autoptr(PeelGeminiClient) client = raw_client ();
  g_autoptr(GString) body = g_string_new ("{\"models\": ");
  g_autoptr(GBytes) hostile = NULL;
  ListWait w = { 0 };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');
  hostile = http_response ("application/json", body->str, body->len);
  g_async_queue_push (raw.answers, g_bytes_ref (hostile));

  peel_gemini_client_list_models_async (client, NULL, list_cb, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (w.models);
  g_assert_error (w.error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
  g_test_message ("%s", w.error->message);
  g_clear_error (&w.error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain_path = g_build_filename (TEST_DATA_DIR, "replies", "plain.json", NULL);
  g_autofree char *plain = NULL;
  gsize plain_len = 0;
  guint16 port;

  g_test_init (&argc, &argv, NULL);

  g_assert_true (g_file_get_contents (plain_path, &plain, &plain_len, &error));
  raw.normal = http_response ("application/json", plain, plain_len);
  raw.answers = g_async_queue_new_full ((GDestroyNotify) g_bytes_unref);
  raw.service = g_threaded_socket_service_new (4);
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;

    g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (raw.service), address,
                                                  G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                  NULL, &bound, &error));
    g_assert_no_error (error);
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  raw.base_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_signal_connect (raw.service, "run", G_CALLBACK (raw_run_cb), NULL);
  g_socket_service_start (raw.service);

  g_test_add_func ("/Peel/Limits/huge-body", test_huge_body);
  g_test_add_func ("/Peel/Limits/large-event", test_large_event);
  g_test_add_func ("/Peel/Limits/image-dimensions", test_image_dimensions);
  g_test_add_func ("/Peel/Limits/nesting", test_nesting);
  g_test_add_func ("/Peel/Limits/parts", test_parts);
  g_test_add_func ("/Peel/Limits/deep-model-list", test_deep_model_list);
  return g_test_run ();
}
