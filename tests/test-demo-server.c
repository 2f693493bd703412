/* test-demo-server.c
 *
 * The demo server driven by a plain SoupSession: the raw HTTP and JSON a client sees.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-painter.h"
#include "peel-model-catalog.h"

#include "demo-test-util.h"

#define SIGNATURE_HELP " Please refer to https://ai.google.dev/gemini-api/docs/" \
                       "thought-signatures#model-behavior for more details."

static void
test_sizes_all_ratios_512 (Fixture       *f,
                           gconstpointer  data)
{
  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *ratio = peel_aspect_ratio_get_name (i);
      g_autofree char *body = simple_body ("a small harbour", ratio, "512", FALSE);
      g_autoptr(Reply) reply = post (f, FLASH, body);
      int w, h;

      g_assert_true (peel_model_pixel_size (PEEL_MODEL_FAMILY_FLASH_3_1, ratio,
                                            PEEL_IMAGE_SIZE_512, &w, &h));
      assert_final_size (reply, w, h);
    }
}

static void
test_sizes_larger (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *model, *ratio, *size; int w, h; } cases[] = {
    { FLASH, "16:9", "1K", 1376, 768 },
    { FLASH, "1:8", "1K", 384, 3072 },
    { FLASH, "2:3", "2K", 1696, 2528 },
    { PRO, "21:9", "2K", 3168, 1344 },
    { NANO, "16:9", NULL, 1344, 768 },
    { NANO, "4:5", NULL, 896, 1152 },
    { FLASH, NULL, NULL, 1024, 1024 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = simple_body ("a quiet street", cases[i].ratio, cases[i].size,
                                           FALSE);
      g_autoptr(Reply) reply = post (f, cases[i].model, body);

      assert_final_size (reply, cases[i].w, cases[i].h);
    }
}

static void
test_sizes_4k (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *body = simple_body ("a wide mountain panorama", "16:9", "4K", FALSE);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(Reply) reply = post (f, FLASH, body);

  g_test_message ("4K 16:9 request served in %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  assert_final_size (reply, 5504, 3072);
}

static void
test_reply_shape (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *body = simple_body ("a red fox in the snow", "4:3", "512", FALSE);
  g_autoptr(Reply) reply = post (f, FLASH, body);
  JsonObject *root = root_object (reply);
  JsonArray *parts = reply_parts (root);
  JsonObject *candidate = json_array_get_object_element (
    json_object_get_array_member (root, "candidates"), 0);
  JsonObject *usage = json_object_get_object_member (root, "usageMetadata");
  JsonObject *text, *image;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  text = json_array_get_object_element (parts, 0);
  image = json_array_get_object_element (parts, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (text, "text"), "Here is"));
  g_assert_true (json_object_has_member (text, "thoughtSignature"));
  g_assert_false (json_object_has_member (text, "thought"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (image,
                                                                                 "inlineData"),
                                                  "mimeType"), ==, "image/png");
  g_assert_true (json_object_has_member (image, "thoughtSignature"));
  g_assert_cmpstr (json_object_get_string_member (candidate, "finishReason"), ==, "STOP");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (candidate,
                                                                                 "content"),
                                                  "role"), ==, "model");
  g_assert_cmpstr (json_object_get_string_member (root, "modelVersion"), ==, FLASH);
  g_assert_true (strlen (json_object_get_string_member (root, "responseId")) > 10);
  g_assert_cmpint (json_object_get_int_member (usage, "promptTokenCount"), >, 0);
  g_assert_cmpint (json_object_get_int_member (usage, "candidatesTokenCount"), >=, 747);
  g_assert_false (json_object_has_member (usage, "thoughtsTokenCount"));
  g_assert_cmpint (json_object_get_int_member (usage, "totalTokenCount"), ==,
                   json_object_get_int_member (usage, "promptTokenCount") +
                   json_object_get_int_member (usage, "candidatesTokenCount"));
  g_assert_false (json_object_has_member (candidate, "groundingMetadata"));
}

static gint64
image_tokens_of (JsonObject *root)
{
  JsonObject *usage = json_object_get_object_member (root, "usageMetadata");
  JsonArray *details = json_object_get_array_member (usage, "candidatesTokensDetails");
  JsonObject *detail = json_array_get_object_element (details, 0);

  g_assert_cmpstr (json_object_get_string_member (detail, "modality"), ==, "IMAGE");
  return json_object_get_int_member (detail, "tokenCount");
}

static void
test_usage_tokens (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *model, *size; gint64 tokens; } cases[] = {
    { FLASH, "512", 747 }, { FLASH, "1K", 1120 }, { FLASH, "2K", 1680 },
    { PRO, "1K", 1120 }, { NANO, NULL, 1290 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = simple_body ("tokens", "1:1", cases[i].size, FALSE);
      g_autoptr(Reply) reply = post (f, cases[i].model, body);

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpint (image_tokens_of (root_object (reply)), ==, cases[i].tokens);
    }
}

/* A prompt's first picture is the same from run to run; sent again (the variations of one
 * Generate), it gives another picture, as a model would. */
static void
test_same_prompt_first_picture (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *body = simple_body ("a green teapot", "1:1", "512", FALSE);
  g_autofree char *other = simple_body ("a blue teapot", "1:1", "512", FALSE);
  g_autoptr(Reply) a = post (f, FLASH, body);
  g_autoptr(Reply) b = post (f, FLASH, body);
  g_autoptr(Reply) c = post (f, FLASH, other);
  g_autoptr(Reply) again = NULL;
  Fixture fresh = { 0 };

  g_assert_cmpstr (final_image_b64 (reply_parts (root_object (a))), !=,
                   final_image_b64 (reply_parts (root_object (b))));
  g_assert_cmpstr (final_image_b64 (reply_parts (root_object (a))), !=,
                   final_image_b64 (reply_parts (root_object (c))));

  fixture_setup (&fresh, NULL);
  again = post (&fresh, FLASH, body);
  g_assert_cmpstr (final_image_b64 (reply_parts (root_object (a))), ==,
                   final_image_b64 (reply_parts (root_object (again))));
  fixture_teardown (&fresh, NULL);
}

static void
test_thoughts_only_when_asked (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *plain = simple_body ("a lighthouse", "16:9", "512", FALSE);
  g_autofree char *thinking = simple_body ("a lighthouse", "16:9", "512", TRUE);
  g_autoptr(Reply) without = post (f, FLASH, plain);
  g_autoptr(Reply) with = post (f, FLASH, thinking);
  JsonArray *parts;
  guint thought_texts = 0, thought_images = 0;

  parts = reply_parts (root_object (without));
  for (guint i = 0; i < json_array_get_length (parts); i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (parts, i),
                                            "thought"));

  parts = reply_parts (root_object (with));
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (!json_object_get_boolean_member_with_default (part, "thought", FALSE))
        continue;

      /* Thoughts come first and are never signed. */
      g_assert_false (json_object_has_member (part, "thoughtSignature"));
      if (json_object_has_member (part, "inlineData"))
        {
          g_autoptr(GdkPixbuf) interim = decode_b64 (json_object_get_string_member (
            json_object_get_object_member (part, "inlineData"), "data"));

          g_assert_cmpint (gdk_pixbuf_get_width (interim), <, 688);
          thought_images++;
        }
      else
        thought_texts++;
      g_assert_cmpuint (i, <, thought_texts + thought_images);
    }
  g_assert_cmpuint (thought_texts, ==, 1);
  g_assert_cmpuint (thought_images, ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     root_object (with), "usageMetadata"), "thoughtsTokenCount"), >, 0);
  assert_final_size (with, 688, 384);
}

static void
test_stream_framing (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *body = simple_body ("a paper boat", "3:2", "512", TRUE);
  g_autoptr(Reply) reply = post_stream (f, FLASH, body);
  g_autoptr(Stream) stream = NULL;
  guint n, thought_text_events = 0, image_events = 0;
  JsonObject *last;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "text/event-stream");
  stream = parse_stream (reply->body);
  g_assert_null (strstr (stream->raw->str, "[DONE]"));
  n = stream->events->len;
  g_assert_cmpuint (n, >=, 6);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (stream->events, i));
      JsonArray *parts = reply_parts (event);
      JsonObject *part;
      JsonObject *candidate = json_array_get_object_element (
        json_object_get_array_member (event, "candidates"), 0);

      g_assert_true (json_object_has_member (event, "usageMetadata"));
      g_assert_cmpstr (json_object_get_string_member (event, "modelVersion"), ==, FLASH);
      g_assert_cmpuint (json_array_get_length (parts), ==, 1);
      g_assert_cmpint (json_object_has_member (candidate, "finishReason"), ==, i == n - 1);
      part = json_array_get_object_element (parts, 0);

      if (json_object_get_boolean_member_with_default (part, "thought", FALSE))
        {
          /* All thoughts come before the answer. */
          g_assert_cmpuint (i, <, n - 2);
          if (json_object_has_member (part, "inlineData"))
            image_events++;
          else
            thought_text_events++;
        }
      else if (i == n - 2)
        {
          g_assert_true (g_str_has_prefix (json_object_get_string_member (part, "text"),
                                           "Here is"));
          g_assert_true (json_object_has_member (part, "thoughtSignature"));
        }
      else
        {
          g_assert_cmpuint (i, ==, n - 1);
          g_assert_true (json_object_has_member (part, "inlineData"));
          g_assert_true (json_object_has_member (part, "thoughtSignature"));
          g_assert_cmpstr (json_object_get_string_member (candidate, "finishReason"), ==,
                           "STOP");
        }
    }
  g_assert_cmpuint (thought_text_events, >=, 3);
  g_assert_cmpuint (image_events, ==, 2);

  last = json_node_get_object (g_ptr_array_index (stream->events, n - 1));
  {
    g_autoptr(GdkPixbuf) image = decode_b64 (final_image_b64 (reply_parts (last)));

    g_assert_cmpint (gdk_pixbuf_get_width (image), ==, 632);
    g_assert_cmpint (gdk_pixbuf_get_height (image), ==, 424);
  }
}

static void
test_stream_without_thoughts (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *body = simple_body ("a paper boat", "3:2", "512", FALSE);
  g_autoptr(Reply) reply = post_stream (f, FLASH, body);
  g_autoptr(Stream) stream = parse_stream (reply->body);

  g_assert_cmpuint (stream->events->len, ==, 2);
  g_assert_null (strstr (stream->raw->str, "\"thought\""));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data);

static void
read_more (Reader *reader)
{
  g_input_stream_read_bytes_async (reader->input, 65536, G_PRIORITY_DEFAULT, NULL, read_cb,
                                   reader);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &reader->error);
  gsize before = reader->data->len;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      reader->done = TRUE;
      return;
    }

  g_string_append_len (reader->data, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  for (gsize i = before > 3 ? before - 3 : 0; i + 4 <= reader->data->len; i++)
    if (memcmp (reader->data->str + i, "\r\n\r\n", 4) == 0)
      {
        gint64 now = g_get_monotonic_time ();

        g_array_append_val (reader->times, now);
      }
  read_more (reader);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;

  reader->input = soup_session_send_finish (SOUP_SESSION (object), result, &reader->error);
  reader->done = TRUE;
}

static void
test_stream_latency (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *body = simple_body ("slow clouds", "1:1", "512", TRUE);
  g_autoptr(SoupMessage) msg = make_message (f, FLASH, "streamGenerateContent?alt=sse", body,
                                             "x-goog-api-key", "k");
  Reader reader = { 0 };
  gint64 start = g_get_monotonic_time ();
  guint n;

  peel_demo_server_set_latency (f->server, 150);
  reader.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  reader.data = g_string_new (NULL);
  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &reader);
  while (!reader.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reader.error);
  reader.done = FALSE;
  read_more (&reader);
  while (!reader.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reader.error);

  /* Each event goes out on its own, the latency after the one before: event i cannot have
   * arrived before (i + 1) latencies passed. (Measured from the start, not from the event
   * before: a reader that got one event late sees the next one sooner, 139 ms apart under a
   * sanitizer.) */
  n = reader.times->len;
  g_assert_cmpuint (n, >=, 6);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (reader.times, gint64, i) - start, >=,
                     (gint64) (i + 1) * 140 * 1000);

  g_object_unref (reader.input);
  g_array_unref (reader.times);
  g_string_free (reader.data, TRUE);
}

static void
test_stream_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *body = simple_body ("cancel me", "1:1", "512", TRUE);
  g_autoptr(SoupMessage) msg = make_message (f, FLASH, "streamGenerateContent?alt=sse", body,
                                             "x-goog-api-key", "k");
  g_autoptr(Reply) after = NULL;
  Reader reader = { 0 };

  peel_demo_server_set_latency (f->server, 300);
  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &reader);
  while (!reader.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reader.error);

  /* The client walks away after the first event; the server carries on serving others. */
  g_input_stream_close (reader.input, NULL, NULL);
  g_clear_object (&reader.input);
  peel_demo_server_set_latency (f->server, 0);
  g_free (body);
  body = simple_body ("next", "1:1", "512", FALSE);
  after = post (f, FLASH, body);
  assert_final_size (after, 512, 512);
}

static void
test_invalid_requests (Fixture       *f,
                       gconstpointer  data)
{
  static const struct { const char *model, *body, *message; } cases[] = {
    { FLASH, "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"x\"}]}], "
             "\"generationConfig\": {\"imageConfig\": {\"aspectRatio\": \"7:3\"}}}",
      "Unsupported aspect ratio \"7:3\" for models/" FLASH ". Supported values are: 1:1, 2:3, "
      "3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9, 1:4, 4:1, 1:8, 8:1." },
    { PRO, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
           "\"generationConfig\": {\"imageConfig\": {\"aspectRatio\": \"1:8\"}}}",
      "Unsupported aspect ratio \"1:8\" for models/" PRO ". Supported values are: 1:1, 2:3, "
      "3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9." },
    { FLASH, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
             "\"generationConfig\": {\"imageConfig\": {\"imageSize\": \"1k\"}}}",
      "Unsupported image size \"1k\" for models/" FLASH ". Supported values are: 512, 1K, 2K, "
      "4K." },
    { FLASH, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
             "\"generationConfig\": {\"imageConfig\": {\"imageSize\": \"0.5K\"}}}",
      "Unsupported image size \"0.5K\" for models/" FLASH ". Supported values are: 512, 1K, "
      "2K, 4K." },
    { FLASH, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
             "\"generationConfig\": {\"imageConfig\": {\"imageSize\": \"512px\"}}}",
      "Unsupported image size \"512px\" for models/" FLASH ". Supported values are: 512, 1K, "
      "2K, 4K." },
    { PRO, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
           "\"generationConfig\": {\"imageConfig\": {\"imageSize\": \"512\"}}}",
      "Unsupported image size \"512\" for models/" PRO ". Supported values are: 1K, 2K, 4K." },
    { NANO, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
            "\"generationConfig\": {\"imageConfig\": {\"imageSize\": \"1K\"}}}",
      "Image size is not supported for models/" NANO "." },
    { FLASH, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
             "\"generationConfig\": {\"candidateCount\": 2}}",
      "Multiple candidates is not enabled for models/" FLASH },
    { FLASH, "{\"contents\": [{\"parts\": [{\"text\": \"x\"", NULL },
    { FLASH, "{\"contents\": []}",
      "* GenerateContentRequest.contents: contents is not specified\n" },
    { FLASH, "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"a\"}]}, "
             "{\"role\": \"user\", \"parts\": [{\"text\": \"b\"}]}]}",
      "Please ensure that multiturn requests alternate between user and model." },
    { FLASH, "{\"contents\": [{\"role\": \"model\", \"parts\": [{\"text\": \"a\"}]}]}",
      "Please ensure that multiturn requests alternate between user and model." },
    { NANO, "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"a\"}]}, "
            "{\"role\": \"model\", \"parts\": [{\"text\": \"b\"}]}]}",
      "Please ensure that multiturn requests end with a user role or the role field is "
      "empty." },
    { FLASH, "{\"contents\": [{\"role\": \"assistant\", \"parts\": [{\"text\": \"a\"}]}]}",
      "Please use a valid role: user, model." },
    { FLASH, "{\"contents\": [{\"parts\": []}]}",
      "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n" },
    { FLASH, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], "
             "\"generationConfig\": {\"imageconfig\": {}}}",
      "Invalid JSON payload received. Unknown name \"imageconfig\" at 'generation_config': "
      "Cannot find field." },
    { FLASH, "{\"contents\": [{\"parts\": [{\"text\": \"x\"}]}], \"generation_config\": "
             "{\"image_config\": {\"aspect_ratio\": \"16:9\", \"output_mime_type\": \"x\"}}}",
      "Invalid JSON payload received. Unknown name \"output_mime_type\" at "
      "'generation_config.image_config': Cannot find field." },
    { FLASH, "{\"contents\": [{\"parts\": [{\"inlineData\": {\"mimeType\": \"image/gif\", "
             "\"data\": \"R0lGODlh\"}}]}]}",
      "Unsupported MIME type: image/gif" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = post (f, cases[i].model, cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      assert_error (reply, 400, "INVALID_ARGUMENT", cases[i].message);
      if (cases[i].message == NULL)
        g_assert_true (g_str_has_prefix (json_object_get_string_member (
                         json_object_get_object_member (root_object (reply), "error"),
                         "message"), "Invalid JSON payload received."));
    }

  /* Nested 100 000 levels deep: a 400, not a crash of the server's json-glib. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"contents\": ");
    g_autoptr(Reply) reply = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, ']');
    g_string_append_c (deep, '}');
    reply = post (f, FLASH, deep->str);
    assert_error (reply, 400, "INVALID_ARGUMENT", NULL);
  }
}

static char *
png_b64 (int width,
         int height,
         const char *prompt)
{
  PeelDemoPaintSpec spec = { .prompt = prompt, .width = width, .height = height };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = peel_demo_painter_paint (&spec, &error);

  g_assert_no_error (error);
  return g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

static void
test_input_image_limit (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *image = png_b64 (32, 32, "ref");
  GString *body = g_string_new ("{\"contents\": [{\"parts\": [{\"text\": \"combine\"}");
  g_autoptr(Reply) reply = NULL;

  for (guint i = 0; i < 4; i++)
    g_string_append_printf (body, ", {\"inlineData\": {\"mimeType\": \"image/png\", "
                                  "\"data\": \"%s\"}}", image);
  g_string_append (body, "]}]}");

  reply = post (f, NANO, body->str);
  assert_error (reply, 400, "INVALID_ARGUMENT",
                "Too many input images: 4. models/" NANO " takes at most 3 images in a prompt.");
  g_clear_pointer (&reply, reply_free);

  reply = post (f, FLASH, body->str);
  g_assert_cmpuint (reply->status, ==, 200);
  g_string_free (body, TRUE);
}

static void
test_payload_limit (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *padding = g_strnfill (3000, 'a');
  g_autofree char *body = simple_body (padding, "1:1", "512", FALSE);
  g_autoptr(Reply) reply = NULL;

  peel_demo_server_set_max_request_bytes (f->server, 2000);
  reply = post (f, FLASH, body);
  assert_error (reply, 400, "INVALID_ARGUMENT",
                "Request payload size exceeds the limit: 2000 bytes.");
}

static void
test_unknown_model (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *body = simple_body ("models", "1:1", NULL, FALSE);
  g_autoptr(Reply) imagen = post (f, "imagen-4.0-generate-001", body);
  g_autoptr(Reply) ga = post (f, "gemini-3.1-flash-image", body);
  g_autoptr(GBytes) last = NULL;

  assert_error (imagen, 404, "NOT_FOUND",
                "models/imagen-4.0-generate-001 is not found for API version v1beta, or is not "
                "supported for generateContent. Call ListModels to see the list of available "
                "models and their supported methods.");
  assert_final_size (ga, 1024, 1024);
  last = peel_demo_server_dup_last_request_body (f->server);
  g_assert_cmpmem (g_bytes_get_data (last, NULL), g_bytes_get_size (last), body, strlen (body));
}

/* Builds turn two: turn one's prompt, the model's parts as received (minus thoughts unless
 * asked), then a new user turn. @edit_part: -1 to echo as is, else the part to tamper with. */
static char *
second_turn (const char *first_prompt,
             JsonArray  *model_parts,
             gboolean    keep_thoughts,
             int         edit_part,
             gboolean    drop)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  int kept = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "contents");
  json_builder_begin_array (b);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "user");
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, first_prompt);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "model");
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (model_parts); i++)
    {
      JsonObject *part = json_array_get_object_element (model_parts, i);
      g_autoptr(JsonNode) copy = NULL;

      if (!keep_thoughts && json_object_get_boolean_member_with_default (part, "thought", FALSE))
        continue;
      /* json_node_copy() shares the object; tampering must not reach the next case. */
      {
        g_autofree char *text = json_to_string (json_array_get_element (model_parts, i), FALSE);

        copy = json_from_string (text, NULL);
      }
      if (kept++ == edit_part)
        {
          JsonObject *object = json_node_get_object (copy);

          if (drop)
            json_object_remove_member (object, "thoughtSignature");
          else
            {
              g_autofree char *altered = g_strdup (json_object_get_string_member (
                object, "thoughtSignature"));

              altered[8] = altered[8] == 'A' ? 'B' : 'A';
              json_object_set_string_member (object, "thoughtSignature", altered);
            }
        }
      json_builder_add_value (b, g_steal_pointer (&copy));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "user");
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, "make it stormy");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "generationConfig");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "imageConfig");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "aspectRatio");
  json_builder_add_string_value (b, "16:9");
  json_builder_set_member_name (b, "imageSize");
  json_builder_add_string_value (b, "512");
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static double
mean_difference (GdkPixbuf *a,
                 GdkPixbuf *b)
{
  int w = gdk_pixbuf_get_width (a), h = gdk_pixbuf_get_height (a);
  int na = gdk_pixbuf_get_n_channels (a), nb = gdk_pixbuf_get_n_channels (b);
  const guint8 *pa = gdk_pixbuf_read_pixels (a), *pb = gdk_pixbuf_read_pixels (b);
  double sum = 0;

  g_assert_cmpint (gdk_pixbuf_get_width (b), ==, w);
  g_assert_cmpint (gdk_pixbuf_get_height (b), ==, h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 3; c++)
        sum += ABS ((int) pa[y * gdk_pixbuf_get_rowstride (a) + x * na + c] -
                    (int) pb[y * gdk_pixbuf_get_rowstride (b) + x * nb + c]);

  return sum / (w * h * 3.0);
}

static void
test_signatures (Fixture       *f,
                 gconstpointer  data)
{
  const char *prompt = "a lighthouse at dawn";
  g_autofree char *body = simple_body (prompt, "16:9", "512", TRUE);
  g_autoptr(Reply) first = post (f, FLASH, body);
  JsonArray *parts = reply_parts (root_object (first));
  g_autoptr(GdkPixbuf) before = decode_b64 (final_image_b64 (parts));
  struct { gboolean thoughts; int part; gboolean drop; const char *message; } cases[] = {
    { FALSE, -1, FALSE, NULL },
    { TRUE, -1, FALSE, NULL },
    { FALSE, 1, TRUE, "Image part is missing a thought_signature in content position 2, part "
                      "position 2." SIGNATURE_HELP },
    { FALSE, 0, TRUE, "Text part is missing a thought_signature in content position 2, part "
                      "position 1." SIGNATURE_HELP },
    { TRUE, 4, TRUE, "Image part is missing a thought_signature in content position 2, part "
                     "position 5." SIGNATURE_HELP },
    { FALSE, 1, FALSE, "Unable to submit request because it has an invalid thought signature "
                       "in content position 2, part position 2. Echo each thoughtSignature "
                       "exactly as it was received." },
    { FALSE, 0, FALSE, "Unable to submit request because it has an invalid thought signature "
                       "in content position 2, part position 1. Echo each thoughtSignature "
                       "exactly as it was received." },
  };

  g_assert_cmpuint (json_array_get_length (parts), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *turn = second_turn (prompt, parts, cases[i].thoughts, cases[i].part,
                                           cases[i].drop);
      g_autoptr(Reply) reply = post (f, FLASH, turn);

      g_test_message ("case %u", i);
      if (cases[i].message == NULL)
        {
          g_autoptr(GdkPixbuf) after = NULL;

          g_assert_cmpuint (reply->status, ==, 200);
          after = decode_b64 (final_image_b64 (reply_parts (root_object (reply))));
          /* The edit visibly changes the picture it was given. */
          g_assert_cmpfloat (mean_difference (before, after), >, 10.0);
        }
      else
        assert_error (reply, 400, "INVALID_ARGUMENT", cases[i].message);
    }
}

static void
test_signatures_not_checked_for_nano (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *image = png_b64 (64, 64, "elsewhere");
  g_autofree char *body = g_strdup_printf (
    "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"a\"}]},"
    " {\"role\": \"model\", \"parts\": [{\"inlineData\": {\"mimeType\": \"image/png\", "
    "\"data\": \"%s\"}}]},"
    " {\"role\": \"user\", \"parts\": [{\"text\": \"b\"}]}]}", image);
  g_autoptr(Reply) nano = post (f, NANO, body);
  g_autoptr(Reply) flash = post (f, FLASH, body);

  g_assert_cmpuint (nano->status, ==, 200);
  assert_error (flash, 400, "INVALID_ARGUMENT",
                "Image part is missing a thought_signature in content position 2, part "
                "position 1." SIGNATURE_HELP);
}

static void
test_edit_with_input_images (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *image = png_b64 (1600, 900, "a reference photo");
  g_autofree char *body = g_strdup_printf (
    "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"put a hat on it\"},"
    " {\"inlineData\": {\"mimeType\": \"image/png\", \"data\": \"%s\"}}]}],"
    " \"generationConfig\": {\"imageConfig\": {\"imageSize\": \"1K\"}}}", image);
  g_autoptr(Reply) reply = post (f, FLASH, body);
  g_autoptr(GdkPixbuf) input = decode_b64 (image);
  g_autoptr(GdkPixbuf) output = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;

  /* No aspectRatio: the model follows the input image, 16:9 here. */
  assert_final_size (reply, 1376, 768);
  output = decode_b64 (final_image_b64 (reply_parts (root_object (reply))));
  scaled = gdk_pixbuf_scale_simple (input, 1376, 768, GDK_INTERP_BILINEAR);
  g_assert_cmpfloat (mean_difference (scaled, output), >, 10.0);
}

static void
test_grounding (Fixture       *f,
                gconstpointer  data)
{
  const char *web = "{\"contents\": [{\"parts\": [{\"text\": \"the Eiffel tower\"}]}], "
                    "\"tools\": [{\"googleSearch\": {}}]}";
  const char *image = "{\"contents\": [{\"parts\": [{\"text\": \"the Eiffel tower\"}]}], "
                      "\"tools\": [{\"google_search\": {\"searchTypes\": {\"webSearch\": {}, "
                      "\"imageSearch\": {}}}}]}";
  g_autoptr(Reply) a = post (f, FLASH, web);
  g_autoptr(Reply) b = post (f, FLASH, image);
  JsonObject *candidate, *grounding;
  JsonArray *chunks;

  candidate = json_array_get_object_element (json_object_get_array_member (root_object (a),
                                                                           "candidates"), 0);
  grounding = json_object_get_object_member (candidate, "groundingMetadata");
  chunks = json_object_get_array_member (grounding, "groundingChunks");
  g_assert_cmpuint (json_array_get_length (chunks), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *source = json_object_get_object_member (json_array_get_object_element (chunks,
                                                                                         i),
                                                          "web");

      g_assert_true (g_str_has_prefix (json_object_get_string_member (source, "uri"),
                                       "https://example.com/"));
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (grounding,
                                                                         "webSearchQueries")),
                    >=, 1);
  g_assert_false (json_object_has_member (grounding, "imageSearchQueries"));

  candidate = json_array_get_object_element (json_object_get_array_member (root_object (b),
                                                                           "candidates"), 0);
  grounding = json_object_get_object_member (candidate, "groundingMetadata");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (grounding,
                                                                         "imageSearchQueries")),
                    >=, 1);
}

/* Prints how long painting and encoding take (run with --verbose to see it), and checks
 * that the largest pictures the models make, 4096 wide or 12288 long, come out whole. */
static void
test_painter_timing (void)
{
  static const struct { const char *label; int w, h; } sizes[] = {
    { "1K 1:1", 1024, 1024 }, { "2K 1:1", 2048, 2048 }, { "4K 1:1", 4096, 4096 },
    { "4K 8:1", 12288, 1536 }, { "4K 21:9", 6336, 2688 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      PeelDemoPaintSpec spec = {
        .prompt = "a harbour at night with boats and a long pier under the moon",
        .width = sizes[i].w, .height = sizes[i].h, .ratio = "demo", .size_label = "4K",
      };
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) png = peel_demo_painter_paint (&spec, &error);
      g_autoptr(GdkPixbuf) back = NULL;

      g_assert_no_error (error);
      g_test_message ("%s (%d x %d): painted and encoded in %.0f ms, %.1f MB", sizes[i].label,
                      sizes[i].w, sizes[i].h, (g_get_monotonic_time () - start) / 1000.0,
                      g_bytes_get_size (png) / 1e6);
      back = peel_demo_painter_decode (png, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (back), ==, sizes[i].w);
      g_assert_cmpint (gdk_pixbuf_get_height (back), ==, sizes[i].h);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Peel/DemoServer/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("sizes/all-ratios-512", test_sizes_all_ratios_512);
  ADD ("sizes/larger", test_sizes_larger);
  ADD ("sizes/4k", test_sizes_4k);
  ADD ("reply/shape", test_reply_shape);
  ADD ("reply/usage-tokens", test_usage_tokens);
  ADD ("reply/same-prompt-first-picture", test_same_prompt_first_picture);
  ADD ("reply/grounding", test_grounding);
  ADD ("thoughts/only-when-asked", test_thoughts_only_when_asked);
  ADD ("stream/framing", test_stream_framing);
  ADD ("stream/without-thoughts", test_stream_without_thoughts);
  ADD ("stream/latency", test_stream_latency);
  ADD ("stream/cancel", test_stream_cancel);
  ADD ("invalid/requests", test_invalid_requests);
  ADD ("invalid/input-image-limit", test_input_image_limit);
  ADD ("invalid/payload-limit", test_payload_limit);
  ADD ("model/unknown", test_unknown_model);
  ADD ("signatures/echo", test_signatures);
  ADD ("signatures/nano", test_signatures_not_checked_for_nano);
  ADD ("edit/input-images", test_edit_with_input_images);
#undef ADD

  g_test_add_func ("/Peel/DemoPainter/timing", test_painter_timing);

  return g_test_run ();
}
