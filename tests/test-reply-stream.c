/* test-reply-stream.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-demo-server.h"
#include "peel-gemini-client.h"
#include "peel-gemini-error.h"
#include "peel-gemini-reply.h"
#include "peel-gemini-request.h"
#include "peel-sse-parser.h"

#include "reply-test-util.h"

/* Streaming ------------------------------------------------------------------------- */

typedef struct
{
  PeelGeminiReply *reply;
  GError          *error;
} StreamState;

static gboolean
event_cb (const char  *data,
          gsize        len,
          gpointer     user_data,
          GError     **error)
{
  StreamState *state = user_data;

  return peel_gemini_reply_add_chunk (state->reply, data, len, error);
}

static PeelGeminiReply *
stream_reply (const char  *stream,
              gsize        len,
              GRand       *rand,
              gsize        max_chunk,
              GError     **error)
{
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_new ();
  StreamState state = { reply, NULL };
  g_autoptr(PeelSseParser) parser = peel_sse_parser_new (0, event_cb, &state);
  gsize pos = 0;

  while (pos < len)
    {
      gsize n = rand != NULL ? (gsize) g_rand_int_range (rand, 1, max_chunk + 1) : max_chunk;

      n = MIN (n, len - pos);
      if (!peel_sse_parser_feed (parser, stream + pos, n, error))
        return NULL;
      pos += n;
    }
  if (!peel_sse_parser_finish (parser, error))
    return NULL;

  return g_steal_pointer (&reply);
}

static void
assert_streamed_fox (PeelGeminiReply *reply)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  const PeelPart *part;

  g_assert_true (peel_gemini_reply_check (reply, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 6);

  assert_text_part (part_at (reply, 0), "**Composing the scene**\n\nPlacing the fox at the left "
                    "third.", TRUE, NULL);
  part = part_at (reply, 1);
  g_assert_true (part->thought);
  assert_decodes (part, 32, 18);
  /* The signed delta stays apart from the unsigned ones that follow it. */
  assert_text_part (part_at (reply, 2), "Here is", FALSE, SIG_TEXT);
  assert_text_part (part_at (reply, 3), " your fox at dawn.", FALSE, NULL);
  /* The empty final text part carries a signature: it is kept. */
  assert_text_part (part_at (reply, 4), "", FALSE, SIG_EMPTY);
  part = part_at (reply, 5);
  g_assert_cmpstr (part->signature, ==, SIG_IMAGE);
  assert_decodes (part, 64, 36);

  history = peel_gemini_reply_dup_history_parts (reply);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_cmpstr (((PeelPart *) g_ptr_array_index (history, 0))->signature, ==, SIG_TEXT);
  g_assert_null (((PeelPart *) g_ptr_array_index (history, 1))->signature);
  g_assert_cmpstr (((PeelPart *) g_ptr_array_index (history, 2))->signature, ==, SIG_EMPTY);
  g_assert_cmpstr (((PeelPart *) g_ptr_array_index (history, 3))->signature, ==, SIG_IMAGE);
}

static void
test_stream_every_split (void)
{
  gsize len;
  g_autofree char *crlf = load_fixture ("stream.sse", &len);
  g_auto(GStrv) lines = g_strsplit (crlf, "\r\n", -1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);

  for (guint framing = 0; framing < 2; framing++)
    {
      g_autofree char *stream = g_strjoinv (framing == 0 ? "\r\n" : "\n", lines);
      gsize n = strlen (stream);
      g_autoptr(GError) error = NULL;
      g_autoptr(PeelGeminiReply) whole = stream_reply (stream, n, NULL, n, &error);
      g_autoptr(PeelGeminiReply) bytes = stream_reply (stream, n, NULL, 1, &error);

      g_assert_no_error (error);
      assert_streamed_fox (whole);
      assert_streamed_fox (bytes);

      for (guint round = 0; round < 40; round++)
        {
          g_autoptr(PeelGeminiReply) reply = stream_reply (stream, n, rand,
                                                           round % 2 ? 9 : 1500, &error);

          g_assert_no_error (error);
          assert_streamed_fox (reply);
          g_assert_true (g_bytes_equal (peel_gemini_reply_get_final_image (reply)->data,
                                        peel_gemini_reply_get_final_image (whole)->data));
        }
    }
}

static void
test_stream_cut_short (void)
{
  gsize len;
  g_autofree char *stream = load_fixture ("stream.sse", &len);
  const char *last = g_strrstr (stream, "data: ");
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiReply) cut = NULL;
  g_autoptr(PeelGeminiReply) unterminated = NULL;

  /* The connection dropped before the final image. */
  cut = stream_reply (stream, last - stream, NULL, 100, &error);
  g_assert_no_error (error);
  g_assert_nonnull (peel_gemini_reply_get_last_thought_image (cut));
  g_assert_false (peel_gemini_reply_check (cut, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "cut short"));
  g_clear_error (&error);

  /* The last event lacks its blank line but is whole: it counts. */
  unterminated = stream_reply (stream, len - 4, NULL, 100, &error);
  g_assert_no_error (error);
  assert_streamed_fox (unterminated);

  /* The last event itself is cut: a parse error. */
  g_assert_null (stream_reply (stream, len - 200, NULL, 100, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED);
}

static void
test_stream_error_chunk (void)
{
  gsize len;
  g_autofree char *stream = load_fixture ("stream-error.sse", &len);
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_new ();
  StreamState state = { reply, NULL };
  g_autoptr(PeelSseParser) parser = peel_sse_parser_new (0, event_cb, &state);
  g_autoptr(GError) error = NULL;

  g_assert_false (peel_sse_parser_feed (parser, stream, len, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "“The model is overloaded. Please try again later.”"));
  g_clear_error (&error);

  /* What came before the error is still there, and the reply stays failed. */
  g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 1);
  g_assert_false (peel_gemini_reply_check (reply, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
}

static void
add (PeelGeminiReply *reply,
     const char      *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (peel_gemini_reply_add_chunk (reply, json, strlen (json), &error));
  g_assert_no_error (error);
}

static void
test_stream_merge_rules (void)
{
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_new ();

#define PARTS(p) "{\"candidates\":[{\"content\":{\"parts\":[" p "]}}]}"
  add (reply, PARTS ("{\"text\":\"a\",\"thought\":true}"));
  add (reply, PARTS ("{\"text\":\"b\",\"thought\":true}"));
  add (reply, PARTS ("{\"text\":\"c\"}"));                              /* other kind */
  add (reply, PARTS ("{\"text\":\"d\"}"));
  add (reply, PARTS ("{\"text\":\"e\",\"thoughtSignature\":\"S1\"}"));  /* signed delta */
  add (reply, PARTS ("{\"text\":\"f\"}"));
  add (reply, PARTS ("{\"text\":\"g\"},{\"text\":\"h\"}"));
  add (reply, PARTS ("{\"thoughtSignature\":\"S2\"}"));                 /* signature alone */
  add (reply, PARTS ("{\"text\":\"i\"}"));
  add (reply, "");
  add (reply, " [DONE] ");
#undef PARTS

  g_assert_cmpuint (peel_gemini_reply_get_parts (reply)->len, ==, 6);
  assert_text_part (part_at (reply, 0), "ab", TRUE, NULL);
  assert_text_part (part_at (reply, 1), "cd", FALSE, NULL);
  assert_text_part (part_at (reply, 2), "e", FALSE, "S1");
  assert_text_part (part_at (reply, 3), "fgh", FALSE, NULL);
  assert_text_part (part_at (reply, 4), "", FALSE, "S2");
  assert_text_part (part_at (reply, 5), "i", FALSE, NULL);
}

/* An image bigger than one 8 MB event, through the SSE parser, whole and byte-exact. */
static void
test_large_event (void)
{
  g_autoptr(GBytes) png = make_image ("png", 1700, 1700, TRUE);
  g_autofree char *json = image_reply_json (png, "image/png", 0);
  g_autofree char *stream = g_strdup_printf ("data: %s\r\n\r\n", json);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelGeminiReply) reply = NULL;
  const PeelPart *image;

  g_assert_cmpuint (strlen (stream), >, 8 * 1024 * 1024);
  reply = stream_reply (stream, strlen (stream), NULL, 16 * 1024, &error);
  g_assert_no_error (error);
  g_assert_true (peel_gemini_reply_check (reply, &error));

  image = peel_gemini_reply_get_final_image (reply);
  g_assert_cmpint (image->width, ==, 1700);
  g_assert_cmpint (image->height, ==, 1700);
  g_assert_cmpstr (image->signature, ==, SIG_IMAGE);
  g_assert_true (g_bytes_equal (image->data, png));
}

/* A proxy that streams a data URI in many small text deltas: one image, in linear time. */
static void
test_data_uri_streamed (void)
{
  g_autoptr(GBytes) png = make_image ("png", 300, 300, TRUE);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autofree char *text = g_strdup_printf ("Sure! ![image](data:image/png;base64,%s) Done.", base64);
  g_autoptr(PeelGeminiReply) reply = peel_gemini_reply_new ();
  g_autoptr(GError) error = NULL;
  gsize len = strlen (text);
  gint64 start = g_get_monotonic_time ();
  g_autofree char *said = NULL;

  for (gsize pos = 0; pos < len; pos += 500)
    {
      g_autofree char *piece = g_strndup (text + pos, 500);
      g_autofree char *json = g_strdup_printf ("{\"candidates\":[{\"content\":{\"parts\":"
                                               "[{\"text\":\"%s\"}]}}]}", piece);

      g_assert_true (peel_gemini_reply_add_chunk (reply, json, strlen (json), &error));
    }
  add (reply, "{\"candidates\":[{\"finishReason\":\"STOP\"}]}");
  g_test_message ("%zu KiB data URI in 500-byte deltas: %.1f ms", len / 1024,
                  (g_get_monotonic_time () - start) / 1000.0);

  g_assert_true (peel_gemini_reply_check (reply, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (peel_gemini_reply_get_final_image (reply)->data, png));
  said = peel_gemini_reply_dup_text (reply);
  g_assert_cmpstr (said, ==, "Sure!\n\nDone.");
}

/* @text in deltas cut at @cuts (increasing), then the end of the reply. */
static PeelGeminiReply *
stream_text (const char  *text,
             const gsize *cuts,
             guint        n_cuts)
{
  PeelGeminiReply *reply = peel_gemini_reply_new ();
  gsize len = strlen (text);
  gsize from = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize to = i < n_cuts ? cuts[i] : len;
      g_autofree char *piece = g_strndup (text + from, to - from);
      g_autofree char *json = text_reply_json (piece, NULL);

      add (reply, json);
      from = to;
    }
  add (reply, "{\"candidates\":[{\"finishReason\":\"STOP\"}]}");
  g_assert_true (peel_gemini_reply_check (reply, NULL));

  return reply;
}

/* Streamed, the URI ends where it does in one piece, wherever the deltas are cut: the scan
 * never decides the end of the payload before it has seen what follows. */
static void
test_data_uri_end_streamed (gconstpointer data)
{
  const DataUriCase *c = data;
  g_autoptr(GBytes) image = data_uri_case_image (c);
  gsize payload_end;
  g_autofree char *text = data_uri_case_text (c, image, &payload_end);
  gsize len = strlen (text);
  g_autofree gsize *bytes = g_new (gsize, len);
  Shown shown[3];
  guint n_shown = data_uri_case_shown (c, image, shown);

  g_test_message ("%s", text);

  /* One cut at each byte from the last wrapped line to the end of the text. */
  for (gsize cut = payload_end > 90 ? payload_end - 90 : 1; cut < len; cut++)
    {
      g_autoptr(PeelGeminiReply) reply = stream_text (text, &cut, 1);

      assert_shown (reply, shown, n_shown);
    }

  /* And a byte a delta, which cuts it everywhere. */
  for (gsize b = 0; b + 1 < len; b++)
    bytes[b] = b + 1;
  {
    g_autoptr(PeelGeminiReply) reply = stream_text (text, bytes, len - 1);

    assert_shown (reply, shown, n_shown);
  }
}

/* Loopback ------------------------------------------------------------------------------ */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static PeelGeminiReply *
generate (PeelGeminiClient   *client,
          PeelGeminiRequest  *request,
          gboolean            stream,
          GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  peel_gemini_client_generate_async (client, request, stream, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return peel_gemini_client_generate_finish (client, result, error);
}

static PeelGeminiRequest *
new_request (const char *prompt)
{
  PeelGeminiRequest *request = peel_gemini_request_new (NULL);

  peel_gemini_request_set_prompt (request, prompt);
  peel_gemini_request_set_aspect_ratio (request, "1:1");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_512);
  return request;
}

/* A proxy that puts the image in a data URI inside a signed text part: the reply shows text
 * and image, and the history sends the part back as it came, which is the only text its
 * signature is valid for. The demo server checks signatures the way Google does. */
static void
test_data_uri_continued (void)
{
  g_autoptr(PeelDemoServer) server = peel_demo_server_new ();
  g_autoptr(PeelProvider) provider = NULL;
  g_autoptr(PeelGeminiClient) client = NULL;
  g_autoptr(GError) error = NULL;

  peel_demo_server_set_api_key (server, "test-key-data-uri");
  peel_demo_server_start (server, 0, &error);
  g_assert_no_error (error);
  provider = peel_provider_new ("Demo", peel_demo_server_get_base_url (server),
                                PEEL_AUTH_STYLE_GOOG_API_KEY, &error);
  g_assert_no_error (error);
  client = peel_gemini_client_new (provider, "test-key-data-uri");
  peel_gemini_client_set_max_attempts (client, 1);

  for (guint stream = 0; stream < 2; stream++)
    {
      g_autoptr(PeelGeminiRequest) first = new_request ("a kite");
      g_autoptr(PeelGeminiRequest) second = new_request ("make it red");
      g_autoptr(PeelGeminiRequest) shown_echoed = new_request ("make it blue");
      g_autoptr(PeelGeminiReply) reply = NULL;
      g_autoptr(PeelGeminiReply) next = NULL;
      g_autoptr(PeelGeminiReply) refused = NULL;
      g_autoptr(GPtrArray) user = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
      g_autoptr(GPtrArray) history = NULL;
      g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
      GPtrArray *parts;
      const PeelPart *image;
      const PeelPart *echoed;

      peel_demo_server_push_fault (server, PEEL_DEMO_FAULT_DATA_URI);
      reply = generate (client, first, stream, &error);
      g_assert_no_error (error);

      /* Shown: the text, then the image, neither with a signature made for other bytes. */
      image = peel_gemini_reply_get_final_image (reply);
      g_assert_nonnull (image);
      g_assert_cmpint (image->width, ==, 512);
      g_assert_null (image->signature);
      parts = peel_gemini_reply_get_parts (reply);
      g_assert_cmpuint (parts->len, ==, 2);
      g_assert_cmpint (((PeelPart *) g_ptr_array_index (parts, 0))->kind, ==, PEEL_PART_TEXT);
      g_assert_null (((PeelPart *) g_ptr_array_index (parts, 0))->signature);

      /* Sent back: the one part as received, data URI and signature. */
      history = peel_gemini_reply_dup_history_parts (reply);
      g_assert_cmpuint (history->len, ==, 1);
      echoed = g_ptr_array_index (history, 0);
      g_assert_cmpint (echoed->kind, ==, PEEL_PART_TEXT);
      g_assert_nonnull (echoed->signature);
      g_assert_true (g_str_has_prefix (echoed->text, "Here is your picture of"));
      g_assert_nonnull (strstr (echoed->text, "](data:image/png;base64,"));

      g_ptr_array_add (user, peel_part_new_text ("a kite", FALSE));
      peel_gemini_request_add_turn (second, "user", user);
      peel_gemini_request_add_turn (second, "model", history);
      next = generate (client, second, stream, &error);
      g_assert_no_error (error);
      g_assert_nonnull (peel_gemini_reply_get_final_image (next));

      /* The parts as shown are not what was signed: echoed instead, they are refused. */
      for (guint i = 0; i < parts->len; i++)
        g_ptr_array_add (shown, peel_part_copy (g_ptr_array_index (parts, i)));
      peel_gemini_request_add_turn (shown_echoed, "user", user);
      peel_gemini_request_add_turn (shown_echoed, "model", shown);
      refused = generate (client, shown_echoed, stream, &error);
      g_assert_null (refused);
      g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST);
      g_clear_error (&error);
    }

  peel_demo_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Reply/data-uri-streamed", test_data_uri_streamed);
  g_test_add_func ("/Peel/Reply/data-uri-continued", test_data_uri_continued);
  for (guint i = 0; i < n_data_uri_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("/Peel/Reply/data-uri-end-streamed/%s", data_uri_cases[i].name);

      g_test_add_data_func (path, &data_uri_cases[i], test_data_uri_end_streamed);
    }
  g_test_add_func ("/Peel/Reply/stream/every-split", test_stream_every_split);
  g_test_add_func ("/Peel/Reply/stream/cut-short", test_stream_cut_short);
  g_test_add_func ("/Peel/Reply/stream/error-chunk", test_stream_error_chunk);
  g_test_add_func ("/Peel/Reply/stream/merge-rules", test_stream_merge_rules);
  g_test_add_func ("/Peel/Reply/stream/large-event", test_large_event);

  return g_test_run ();
}
