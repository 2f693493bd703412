/* test-reply.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "peel-base64.h"
#include "peel-data-error.h"
#include "peel-gemini-error.h"
#include "peel-gemini-reply.h"
#include "peel-image-probe.h"

#include "reply-test-util.h"

static PeelGeminiReply *
parse_fixture (const char *name)
{
  gsize len;
  g_autofree char *json = load_fixture (name, &len);
  g_autoptr(GError) error = NULL;
  PeelGeminiReply *reply = peel_gemini_reply_parse (json, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

static GError *
check_fixture (const char *name)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture (name);
  GError *error = NULL;

  g_assert_false (peel_gemini_reply_check (reply, &error));
  g_assert_nonnull (error);
  return error;
}

static void
test_plain (void)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture ("plain.json");
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *thoughts = NULL;
  const PeelUsage *usage;
  const PeelPart *part;
  GdkPixbuf *pixbuf;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();

  g_assert_true (peel_gemini_reply_check (reply, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 4);

  assert_text_part (part_at (reply, 0), "**Composing the scene**\n\nI'm placing the fox at the "
                    "left third, facing the low sun.", TRUE, NULL);
  part = part_at (reply, 1);
  g_assert_true (part->thought);
  g_assert_null (part->signature);
  g_assert_cmpstr (part->mime_type, ==, "image/png");
  assert_decodes (part, 32, 18);
  g_assert_true (peel_gemini_reply_get_last_thought_image (reply) == part);

  assert_text_part (part_at (reply, 2), "Here is your fox at dawn.", FALSE, SIG_TEXT);

  part = part_at (reply, 3);
  g_assert_false (part->thought);
  g_assert_cmpstr (part->signature, ==, SIG_IMAGE);
  assert_decodes (part, 64, 36);
  g_assert_true (peel_gemini_reply_get_final_image (reply) == part);
  g_assert_null (peel_gemini_reply_get_image_url (reply));

  /* The pixels are the ones that were sent: the generator drew x*255/w + 40 in red. */
  gdk_pixbuf_loader_write_bytes (loader, part->data, NULL);
  gdk_pixbuf_loader_close (loader, NULL);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_pixels (pixbuf)[0], ==, 40);
  g_assert_cmpint (gdk_pixbuf_get_pixels (pixbuf)[2], ==, 90);

  text = peel_gemini_reply_dup_text (reply);
  thoughts = peel_gemini_reply_dup_thoughts (reply);
  g_assert_cmpstr (text, ==, "Here is your fox at dawn.");
  g_assert_true (g_str_has_prefix (thoughts, "**Composing the scene**"));

  usage = peel_gemini_reply_get_usage (reply);
  g_assert_cmpint (usage->prompt_tokens, ==, 18);
  g_assert_cmpint (usage->output_tokens, ==, 1126);
  g_assert_cmpint (usage->thought_tokens, ==, 310);
  g_assert_cmpint (usage->total_tokens, ==, 1454);
  g_assert_cmpstr (peel_gemini_reply_get_finish_reason (reply), ==, "STOP");
  g_assert_cmpstr (peel_gemini_reply_get_model_version (reply), ==,
                   "gemini-3.1-flash-image-preview");
  g_assert_cmpstr (peel_gemini_reply_get_response_id (reply), ==, "DOd6afWPNZfjjrEPpZ3c0AM");

  /* The next turn echoes the signed text and image, not the thoughts. */
  history = peel_gemini_reply_dup_history_parts (reply);
  g_assert_cmpuint (history->len, ==, 2);
  assert_text_part (g_ptr_array_index (history, 0), "Here is your fox at dawn.", FALSE, SIG_TEXT);
  part = g_ptr_array_index (history, 1);
  g_assert_cmpstr (part->signature, ==, SIG_IMAGE);
  g_assert_true (g_bytes_equal (part->data, peel_gemini_reply_get_final_image (reply)->data));
}

static void
test_blocked_prompt (void)
{
  g_autoptr(GError) plain = check_fixture ("blocked-prompt.json");
  g_autoptr(GError) with_message = check_fixture ("blocked-prompt-message.json");

  g_assert_error (plain, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED);
  g_assert_cmpstr (plain->message, ==, "Google blocked the prompt (OTHER). Rephrase the prompt.");
  g_assert_false (peel_gemini_error_is_retryable (plain));

  g_assert_error (with_message, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED);
  g_assert_cmpstr (with_message->message, ==,
                   "Google blocked the prompt (SAFETY): “The prompt could not be submitted. This "
                   "prompt contains words that violate our policies.”. Rephrase the prompt.");
}

static void
test_image_safety (void)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture ("image-safety.json");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 0);
  g_assert_false (peel_gemini_reply_check (reply, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED);
  g_assert_true (g_str_has_prefix (error->message, "Google blocked the answer (IMAGE_SAFETY): "
                                                   "“Unable to show the generated image."));
  g_assert_nonnull (strstr (error->message, "You will not be charged"));
}

static void
test_no_image (void)
{
  g_autoptr(GError) reason = check_fixture ("no-image.json");
  g_autoptr(GError) said = check_fixture ("text-only.json");

  g_assert_error (reason, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE);
  g_assert_nonnull (strstr (reason->message, "(NO_IMAGE)"));

  g_assert_error (said, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE);
  g_assert_cmpstr (said->message, ==,
                   "The model answered without an image: “I can describe a fox, but I cannot "
                   "draw one holding a real brand's logo.”. Try rephrasing the prompt, or ask for "
                   "an image explicitly.");
}

static void
test_truncated (void)
{
  gsize len;
  g_autofree char *json = load_fixture ("truncated.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, len, &error);

  g_assert_null (reply);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "cut short"));

  /* Cut between values, not inside a string. */
  g_clear_error (&error);
  g_assert_null (peel_gemini_reply_parse ("{\"candidates\": [{\"content\": {}}", 32, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "cut short"));

  g_clear_error (&error);
  g_assert_null (peel_gemini_reply_parse ("<html>502</html>", 16, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);

  g_clear_error (&error);
  g_assert_null (peel_gemini_reply_parse ("", 0, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
}

static void
test_snake_case (void)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture ("snake-case.json");
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_gemini_reply_check (reply, &error));
  g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 3);
  assert_text_part (part_at (reply, 0), "Thinking about the light.", TRUE, NULL);
  assert_text_part (part_at (reply, 1), "Done.", FALSE, SIG_TEXT);
  g_assert_cmpstr (part_at (reply, 2)->signature, ==, SIG_IMAGE);
  assert_decodes (peel_gemini_reply_get_final_image (reply), 64, 36);
  g_assert_cmpint (peel_gemini_reply_get_usage (reply)->output_tokens, ==, 1120);
  g_assert_cmpstr (peel_gemini_reply_get_finish_reason (reply), ==, "STOP");
  g_assert_cmpstr (peel_gemini_reply_get_model_version (reply), ==, "gemini-3-pro-image-preview");
  g_assert_cmpstr (peel_gemini_reply_get_response_id (reply), ==, "snake-1");
}

static void
test_jpeg (void)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture ("jpeg.json");
  g_autoptr(GError) error = NULL;
  const PeelPart *image;

  g_assert_true (peel_gemini_reply_check (reply, &error));
  image = peel_gemini_reply_get_final_image (reply);
  g_assert_cmpstr (image->mime_type, ==, "image/jpeg");
  assert_decodes (image, 48, 32);
}

static void
test_data_uri_in_text (void)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture ("data-uri.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const PeelPart *image;

  g_assert_true (peel_gemini_reply_check (reply, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 3);
  assert_text_part (part_at (reply, 0), "Here is the picture you asked for:\n\n", FALSE, NULL);
  image = part_at (reply, 1);
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  assert_decodes (image, 64, 36);
  g_assert_true (peel_gemini_reply_get_final_image (reply) == image);
  assert_text_part (part_at (reply, 2), "\n\nEnjoy!", FALSE, NULL);

  text = peel_gemini_reply_dup_text (reply);
  g_assert_cmpstr (text, ==, "Here is the picture you asked for:\n\nEnjoy!");
}

/* The URI ends exactly where its base64 does, whatever follows: the words after it are
 * shown, the image holds the bytes sent, and a signed part goes back as it came. */
static void
test_data_uri_end (gconstpointer data)
{
  const DataUriCase *c = data;
  g_autoptr(GBytes) image = data_uri_case_image (c);
  g_autofree char *text = data_uri_case_text (c, image, NULL);
  Shown shown[3];
  guint n_shown = data_uri_case_shown (c, image, shown);

  g_test_message ("%s", text);
  for (guint sign = 0; sign < 2; sign++)
    {
      g_autofree char *json = text_reply_json (text, sign ? SIG_TEXT : NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, strlen (json), &error);
      g_autoptr(GPtrArray) history = NULL;
      const PeelPart *echoed;

      g_assert_no_error (error);
      g_assert_true (peel_gemini_reply_check (reply, &error));
      assert_shown (reply, shown, n_shown);
      if (!sign)
        continue;

      history = peel_gemini_reply_dup_history_parts (reply);
      g_assert_cmpuint (history->len, ==, 1);
      echoed = g_ptr_array_index (history, 0);
      g_assert_cmpmem (echoed->text, strlen (echoed->text), text, strlen (text));
      g_assert_cmpstr (echoed->signature, ==, SIG_TEXT);
    }
}

/* Two URIs in one part, the first with its padding dropped and the second wrapped. */
static void
test_data_uri_two (void)
{
  static const DataUriCase first = { "first", "", TRUE, FALSE, 0, NULL, "" };
  static const DataUriCase second = { "second", "", FALSE, FALSE, 76, "\n", "" };
  g_autoptr(GBytes) tiny = data_uri_case_image (&first);
  g_autoptr(GBytes) wrapped = data_uri_case_image (&second);
  g_autofree char *one = data_uri_case_text (&first, tiny, NULL);
  g_autofree char *two = data_uri_case_text (&second, wrapped, NULL);
  g_autofree char *text = g_strconcat ("A ", one, "\n\nand ", two, "\n\nEnd", NULL);
  g_autofree char *json = text_reply_json (text, SIG_TEXT);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, strlen (json), &error);
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *said = NULL;
  const Shown shown[] = {
    { "A ", NULL }, { NULL, tiny }, { "\n\nand ", NULL }, { NULL, wrapped }, { "\n\nEnd", NULL },
  };

  g_assert_no_error (error);
  g_assert_true (peel_gemini_reply_check (reply, &error));
  assert_shown (reply, shown, G_N_ELEMENTS (shown));
  g_assert_true (peel_gemini_reply_get_final_image (reply) == part_at (reply, 3));
  said = peel_gemini_reply_dup_text (reply);
  g_assert_cmpstr (said, ==, "A\n\nand\n\nEnd");

  history = peel_gemini_reply_dup_history_parts (reply);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (((PeelPart *) g_ptr_array_index (history, 0))->text, ==, text);
}

static void
test_image_url_in_text (void)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture ("image-url.json");
  g_autoptr(GError) error = NULL;

  g_assert_null (peel_gemini_reply_get_final_image (reply));
  g_assert_cmpstr (peel_gemini_reply_get_image_url (reply), ==,
                   "https://cdn.example.com/gen/abc123.png?sig=xyz&exp=1700000000");
  g_assert_true (peel_gemini_reply_check (reply, &error));
  g_assert_no_error (error);
}

static void
test_grounding (void)
{
  g_autoptr(PeelGeminiReply) reply = parse_fixture ("grounding.json");
  const char *const *queries = peel_gemini_reply_get_search_queries (reply);
  GPtrArray *sources = peel_gemini_reply_get_sources (reply);
  PeelGroundingSource *source;

  g_assert_true (peel_gemini_reply_check (reply, NULL));
  g_assert_cmpuint (sources->len, ==, 4);

  source = g_ptr_array_index (sources, 0);
  g_assert_cmpstr (source->uri, ==,
                   "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AUZIYQ1");
  g_assert_cmpstr (source->title, ==, "knmi.nl");
  g_assert_cmpstr (source->domain, ==, "knmi.nl");
  g_assert_null (source->image_uri);

  source = g_ptr_array_index (sources, 1);
  g_assert_cmpstr (source->title, ==, "weather.com");
  g_assert_null (source->domain);

  source = g_ptr_array_index (sources, 2);
  g_assert_cmpstr (source->uri, ==, "https://example.org/amsterdam-canals");
  g_assert_cmpstr (source->image_uri, ==, "https://example.org/img/canal.jpg");
  g_assert_cmpstr (source->title, ==, "Canals");

  source = g_ptr_array_index (sources, 3);
  g_assert_cmpstr (source->uri, ==, "https://example.net/page");
  g_assert_cmpstr (source->image_uri, ==, "https://example.net/pic.webp");

  g_assert_cmpuint (g_strv_length ((char **) queries), ==, 2);
  g_assert_cmpstr (queries[0], ==, "amsterdam weather tomorrow");
  g_assert_cmpstr (queries[1], ==, "amsterdam canals photo");
  g_assert_true (g_str_has_prefix (peel_gemini_reply_get_search_entry_point (reply), "<style>"));
}

static void
test_base64_with_breaks (void)
{
  g_autoptr(GBytes) small = make_image ("png", 20, 20, FALSE);
  g_autoptr(GBytes) large = make_image ("png", 200, 200, TRUE);
  GBytes *images[] = { small, large };

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autofree char *json = image_reply_json (images[i], "image/png", 76);
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, strlen (json), &error);

      g_assert_no_error (error);
      g_assert_true (peel_gemini_reply_check (reply, &error));
      g_assert_true (g_bytes_equal (peel_gemini_reply_get_final_image (reply)->data, images[i]));
    }
}

/* Text long enough to be lifted out of the JSON reads exactly as json-glib reads it. */
static void
test_long_text (void)
{
  g_autoptr(GString) json = g_string_new ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  const char *expected;

  for (guint i = 0; i < 3000; i++)
    g_string_append (json, "Line \\\"quoted\\\" caf\\u00e9 \\ud83e\\udd8a tab\\t back\\\\slash\\/\\n");
  g_string_append (json, "\",\"thoughtSignature\":\"S\"}]},\"finishReason\":\"STOP\"}]}");

  reply = peel_gemini_reply_parse (json->str, json->len, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, json->str, json->len, NULL));
  node = json_parser_get_root (parser);
  expected = json_object_get_string_member (
    json_array_get_object_element (
      json_object_get_array_member (
        json_object_get_object_member (
          json_array_get_object_element (
            json_object_get_array_member (json_node_get_object (node), "candidates"), 0),
          "content"),
        "parts"),
      0),
    "text");

  g_assert_cmpuint (strlen (expected), >, 64 * 1024);
  assert_text_part (part_at (reply, 0), expected, FALSE, "S");
}

static void
test_error_body_at_200 (void)
{
  static const char json[] =
    "{\"error\":{\"code\":429,\"message\":\"Quota exceeded.\",\"status\":\"RESOURCE_EXHAUSTED\","
    "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"7s\"}]}}";
  g_autoptr(GError) error = NULL;

  g_assert_null (peel_gemini_reply_parse (json, strlen (json), &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "wait 7 s"));
}

static void
test_empty_signed_final_text (void)
{
  g_autoptr(GBytes) png = make_image ("png", 8, 8, FALSE);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autofree char *json = g_strdup_printf (
    "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
    "\"data\":\"%s\"},\"thoughtSignature\":\"A\"},{\"text\":\"\",\"thoughtSignature\":\"B\"}]},"
    "\"finishReason\":\"STOP\"}]}", base64);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, strlen (json), &error);
  g_autoptr(GPtrArray) history = NULL;

  g_assert_no_error (error);
  g_assert_true (peel_gemini_reply_check (reply, &error));
  history = peel_gemini_reply_dup_history_parts (reply);
  g_assert_cmpuint (history->len, ==, 2);
  assert_text_part (g_ptr_array_index (history, 1), "", FALSE, "B");
}

/* Limits ------------------------------------------------------------------------------ */

static void
test_limit_depth (void)
{
  g_autoptr(GString) ok = g_string_new ("{\"x\":");
  g_autoptr(GString) deep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiReply) reply = NULL;
  g_autofree char *bomb = g_malloc (1000000);

  for (guint i = 0; i < 63; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < 63; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, '}');
  reply = peel_gemini_reply_parse (ok->str, ok->len, &error);
  g_assert_no_error (error);

  deep = g_string_new ("{\"x\":");
  for (guint i = 0; i < 64; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 64; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_null (peel_gemini_reply_parse (deep->str, deep->len, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "64 levels"));
  g_clear_error (&error);

  /* Deep enough to overflow a recursive parser's stack. */
  memset (bomb, '[', 1000000);
  g_assert_null (peel_gemini_reply_parse (bomb, 1000000, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
}

static void
test_limit_parts (void)
{
  g_autoptr(GError) error = NULL;

  for (guint n = 1000; n <= 1001; n++)
    {
      g_autoptr(GString) json = g_string_new ("{\"candidates\":[{\"content\":{\"parts\":[");
      g_autoptr(PeelGeminiReply) reply = NULL;
      g_autoptr(PeelGeminiReply) streamed = peel_gemini_reply_new ();
      gboolean ok = TRUE;

      for (guint i = 0; i < n; i++)
        g_string_append_printf (json, "%s{\"text\":\"p\",\"thoughtSignature\":\"s%u\"}",
                                i > 0 ? "," : "", i);
      g_string_append (json, "]}}]}");

      reply = peel_gemini_reply_parse (json->str, json->len, &error);
      if (n == 1000)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 1000);
        }
      else
        {
          g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
          g_assert_nonnull (strstr (error->message, "1000 parts"));
          g_clear_error (&error);
        }

      /* The same parts one event at a time. */
      for (guint i = 0; i < n && ok; i++)
        {
          g_autofree char *event = g_strdup_printf ("{\"candidates\":[{\"content\":{\"parts\":"
                                                    "[{\"text\":\"p\",\"thoughtSignature\":"
                                                    "\"s%u\"}]}}]}", i);

          ok = peel_gemini_reply_add_chunk (streamed, event, strlen (event), &error);
        }
      g_assert_true (ok == (n == 1000));
      if (!ok)
        g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
      g_clear_error (&error);
    }
}

/* A PNG that is only a header: what a decompression bomb looks like before decoding. */
static GBytes *
png_header (guint32 width,
            guint32 height)
{
  guint8 png[8 + 25 + 12] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R',
  };
  static const guint8 iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  guint32 crc = 0;

  png[16] = width >> 24; png[17] = width >> 16; png[18] = width >> 8; png[19] = width;
  png[20] = height >> 24; png[21] = height >> 16; png[22] = height >> 8; png[23] = height;
  png[24] = 8;
  png[25] = 2;
  memcpy (png + 29, &crc, 4);
  memcpy (png + 33, iend, sizeof iend);

  return g_bytes_new (png, sizeof png);
}

static void
test_limit_image_size (void)
{
  struct { guint32 width; guint32 height; gboolean ok; } sizes[] = {
    { 12288, 1536, TRUE },     /* the widest real output, 8:1 at 4K */
    { 16384, 100, TRUE },
    { 16385, 100, FALSE },
    { 100, 20000, FALSE },
    { 16384, 16384, FALSE },   /* 268 megapixels */
    { 14000, 14000, TRUE },    /* 196 megapixels */
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) png = png_header (sizes[i].width, sizes[i].height);
      g_autofree char *json = image_reply_json (png, "image/png", 0);
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, strlen (json), &error);

      if (sizes[i].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpint (peel_gemini_reply_get_final_image (reply)->width, ==, sizes[i].width);
        }
      else
        {
          g_assert_null (reply);
          g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
          g_assert_nonnull (strstr (error->message, "megapixels"));
        }
    }
}

static void
test_limit_base64 (void)
{
  static const char *bad[] = {
    "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
    "\"data\":\"iVBORw0K!!!!\"}}]}}]}",
    "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
    "\"data\":\"iVBORw0KG\"}}]}}]}",
    "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
    "\"data\":\"iVBO=Rw0K\"}}]}}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (peel_gemini_reply_parse (bad[i], strlen (bad[i]), &error));
      g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "base64"));
    }
}

static void
test_truncated_image (void)
{
  g_autoptr(GBytes) png = make_image ("png", 64, 64, TRUE);
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 64, 64, TRUE);
  GBytes *images[] = { png, jpeg };
  const char *types[] = { "image/png", "image/jpeg" };

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (images[i], 0,
                                                      g_bytes_get_size (images[i]) - 100);
      g_autofree char *json = image_reply_json (cut, types[i], 0);
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, strlen (json), &error);

      g_assert_no_error (error);
      g_assert_nonnull (peel_gemini_reply_get_final_image (reply));
      g_assert_false (peel_gemini_reply_check (reply, &error));
      g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "incomplete"));
    }
}

/* Image probe ---------------------------------------------------------------------------- */

static void
test_probe_formats (void)
{
  const char *savers[] = { "png", "jpeg", "bmp" };
  const char *types[] = { "image/png", "image/jpeg", "image/bmp" };
  /* VP8L: 0x2f, then 14 bits of width-1 and 14 of height-1. */
  static const guint8 webp[] = {
    'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L',
    14, 0, 0, 0, 0x2f, (300 - 1) & 0xff, ((300 - 1) >> 8) | (((200 - 1) & 0x3) << 6),
    ((200 - 1) >> 2) & 0xff, ((200 - 1) >> 10), 0, 0, 0, 0, 0, 0, 0, 0, 0,
  };
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 10, 0, 5, 0, 0, 0, 0, ',', 0, 0, 0, 0, 10, 0, 5, 0, 0,
    2, 2, 'D', 1, 0, ';',
  };
  struct { const guint8 *data; gsize len; int width; int height; const char *type; } made[] = {
    { webp, sizeof webp, 300, 200, "image/webp" },
    { gif, sizeof gif, 10, 5, "image/gif" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (savers); i++)
    {
      g_autoptr(GBytes) bytes = make_image (savers[i], 33, 21, FALSE);
      g_autoptr(GError) error = NULL;
      g_autofree char *mime_type = NULL;
      int width = 0;
      int height = 0;

      g_assert_true (peel_image_probe (bytes, &width, &height, &mime_type, &error));
      g_assert_no_error (error);
      g_assert_cmpint (width, ==, 33);
      g_assert_cmpint (height, ==, 21);
      g_assert_cmpstr (mime_type, ==, types[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (made); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (made[i].data, made[i].len);
      g_autoptr(GError) error = NULL;
      g_autofree char *mime_type = NULL;
      int width = 0;
      int height = 0;

      g_assert_true (peel_image_probe (bytes, &width, &height, &mime_type, &error));
      g_assert_no_error (error);
      g_assert_cmpint (width, ==, made[i].width);
      g_assert_cmpint (height, ==, made[i].height);
      g_assert_cmpstr (mime_type, ==, made[i].type);
    }
}

static void
test_probe_refusals (void)
{
  g_autoptr(GBytes) png = make_image ("png", 40, 30, FALSE);
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 40, 30, FALSE);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, not an image", 19);
  g_autoptr(GBytes) header_only = g_bytes_new_from_bytes (png, 0, 20);
  g_autoptr(GBytes) jpeg_cut = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) - 2);
  g_autoptr(GBytes) webp_cut = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 webp[] = {
    'R', 'I', 'F', 'F', 200, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X',
    10, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 9, 0, 0,
  };

  g_assert_false (peel_image_probe (text, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_false (peel_image_probe (header_only, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_false (peel_image_probe (jpeg_cut, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "incomplete"));
  g_clear_error (&error);

  webp_cut = g_bytes_new_static (webp, sizeof webp);
  g_assert_false (peel_image_probe (webp_cut, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED);
  g_clear_error (&error);
}

/* A BMP header: 14 bytes of file header, 40 of info header, then @pixels bytes. */
static GBytes *
make_bmp (gint32  width,
          gint32  height,
          guint32 offset,
          guint32 header_size,
          gsize   pixels)
{
  gsize len = 54 + pixels;
  guint8 *bmp = g_malloc0 (len);
  guint32 fields[] = { (guint32) len, 0, offset, header_size, (guint32) width,
                       (guint32) height };

  bmp[0] = 'B';
  bmp[1] = 'M';
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    for (guint b = 0; b < 4; b++)
      bmp[2 + 4 * i + b] = (fields[i] >> (8 * b)) & 0xff;
  bmp[26] = 1;    /* planes */
  bmp[28] = 24;   /* bits per pixel */

  return g_bytes_new_take (bmp, len);
}

/* BMP sizes come from the header, checked before gdk-pixbuf's loader could allocate what a
 * hostile header asks for; formats Peel does not read headers of are refused. */
static void
test_probe_bmp_and_others (void)
{
  g_autoptr(GBytes) ok = make_bmp (3, 2, 54, 40, 2 * 12);
  g_autoptr(GBytes) top_down = make_bmp (3, -2, 54, 40, 2 * 12);
  g_autoptr(GBytes) cut = make_bmp (3, 2, 54, 40, 12);
  g_autoptr(GBytes) huge = make_bmp (100000, 100000, 54, 40, 0);
  g_autoptr(GBytes) huge_header = make_bmp (3, 2, 54, 0xd0307030, 24);
  g_autoptr(GBytes) huge_offset = make_bmp (3, 2, 0xd0307030, 40, 24);
  g_autoptr(GBytes) tiff = make_image ("tiff", 8, 8, FALSE);
  g_autoptr(GBytes) ico = make_image ("ico", 16, 16, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *mime_type = NULL;
  int width = 0;
  int height = 0;

  g_assert_true (peel_image_probe (ok, &width, &height, &mime_type, &error));
  g_assert_no_error (error);
  g_assert_cmpint (width, ==, 3);
  g_assert_cmpint (height, ==, 2);
  g_assert_cmpstr (mime_type, ==, "image/bmp");

  g_assert_true (peel_image_probe (top_down, &width, &height, NULL, &error));
  g_assert_cmpint (height, ==, 2);

  g_assert_false (peel_image_probe (cut, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "incomplete"));
  g_clear_error (&error);

  g_assert_false (peel_image_probe (huge, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "100000 × 100000"));
  g_clear_error (&error);

  g_assert_false (peel_image_probe (huge_header, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_false (peel_image_probe (huge_offset, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_false (peel_image_probe (tiff, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_false (peel_image_probe (ico, NULL, NULL, NULL, &error));
  g_assert_error (error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_UNSUPPORTED);
  g_clear_error (&error);
}

/* Every string a reply exposes is valid UTF-8, whatever the JSON escaped into it. */
static void
test_lone_surrogates (void)
{
  static const char json[] =
    "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi \\ud800x\"}]},"
    "\"finishReason\":\"NO_IMAGE\\ud800x\",\"finishMessage\":\"m \\udfffx\","
    "\"groundingMetadata\":{\"groundingChunks\":[{\"web\":{\"uri\":\"https://a/\\ud800x\","
    "\"title\":\"T\\ud800x\"}}],\"webSearchQueries\":[\"q\\ud800x\"]}}],"
    "\"promptFeedback\":{\"blockReason\":\"OTHER\\ud800x\",\"blockReasonMessage\":\"b\\ud800x\"},"
    "\"modelVersion\":\"gemini\\ud800x\",\"responseId\":\"id\\ud800x\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_parse (json, strlen (json), &error);
  const PeelGroundingSource *source;
  const char *strings[6];

  /* json-glib 1.10 (Debian 13) refuses a lone surrogate outright, 1.6 (Debian 12) reads it:
   * either way what comes out is valid UTF-8, and a refusal is a clear MALFORMED error. */
  if (reply == NULL)
    {
      g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  g_assert_no_error (error);
  strings[0] = peel_gemini_reply_get_model_version (reply);
  strings[1] = peel_gemini_reply_get_response_id (reply);
  strings[2] = peel_gemini_reply_get_finish_reason (reply);
  strings[3] = peel_gemini_reply_get_finish_message (reply);
  strings[4] = peel_gemini_reply_get_block_reason (reply);
  strings[5] = peel_gemini_reply_get_block_message (reply);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_assert_nonnull (strings[i]);
      g_assert_true (g_utf8_validate (strings[i], -1, NULL));
    }
  /* The bad bytes are replaced, the rest is kept. */
  g_assert_true (g_str_has_prefix (strings[0], "gemini\uFFFD"));

  source = g_ptr_array_index (peel_gemini_reply_get_sources (reply), 0);
  g_assert_true (g_utf8_validate (source->uri, -1, NULL));
  g_assert_true (g_utf8_validate (source->title, -1, NULL));
  g_assert_true (g_utf8_validate (peel_gemini_reply_get_search_queries (reply)[0], -1, NULL));

  g_assert_false (peel_gemini_reply_check (reply, &error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Reply/plain", test_plain);
  g_test_add_func ("/Peel/Reply/blocked-prompt", test_blocked_prompt);
  g_test_add_func ("/Peel/Reply/image-safety", test_image_safety);
  g_test_add_func ("/Peel/Reply/no-image", test_no_image);
  g_test_add_func ("/Peel/Reply/truncated", test_truncated);
  g_test_add_func ("/Peel/Reply/snake-case", test_snake_case);
  g_test_add_func ("/Peel/Reply/jpeg", test_jpeg);
  g_test_add_func ("/Peel/Reply/data-uri-in-text", test_data_uri_in_text);
  for (guint i = 0; i < n_data_uri_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("/Peel/Reply/data-uri-end/%s", data_uri_cases[i].name);

      g_test_add_data_func (path, &data_uri_cases[i], test_data_uri_end);
    }
  g_test_add_func ("/Peel/Reply/data-uri-two", test_data_uri_two);
  g_test_add_func ("/Peel/Reply/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/Peel/Reply/image-url-in-text", test_image_url_in_text);
  g_test_add_func ("/Peel/Reply/grounding", test_grounding);
  g_test_add_func ("/Peel/Reply/error-body-at-200", test_error_body_at_200);
  g_test_add_func ("/Peel/Reply/empty-signed-final-text", test_empty_signed_final_text);
  g_test_add_func ("/Peel/Reply/long-text", test_long_text);
  g_test_add_func ("/Peel/Reply/base64-with-breaks", test_base64_with_breaks);
  g_test_add_func ("/Peel/Reply/truncated-image", test_truncated_image);
  g_test_add_func ("/Peel/Reply/limit/depth", test_limit_depth);
  g_test_add_func ("/Peel/Reply/limit/parts", test_limit_parts);
  g_test_add_func ("/Peel/Reply/limit/image-size", test_limit_image_size);
  g_test_add_func ("/Peel/Reply/limit/base64", test_limit_base64);
  g_test_add_func ("/Peel/ImageProbe/formats", test_probe_formats);
  g_test_add_func ("/Peel/ImageProbe/refusals", test_probe_refusals);
  g_test_add_func ("/Peel/ImageProbe/bmp-and-others", test_probe_bmp_and_others);

  return g_test_run ();
}
