/* test-gemini-error.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-gemini-error.h"
#include "peel-model-catalog.h"

static GError *
error_for (guint       status,
           const char *fixture,
           const char *retry_after,
           double     *delay)
{
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  gsize len = 0;
  GError *error = NULL;

  if (fixture != NULL)
    {
      path = g_test_build_filename (G_TEST_DIST, "data", "replies", fixture, NULL);
      g_assert_true (g_file_get_contents (path, &body, &len, NULL));
    }

  peel_gemini_error_set_from_http (&error, status, body, len, retry_after, delay);
  g_assert_nonnull (error);
  g_assert_true (error->domain == PEEL_GEMINI_ERROR);
  g_assert_nonnull (strstr (error->message, ".")); /* a sentence, not a code */
  return error;
}

static void
test_invalid_key (void)
{
  g_autoptr(GError) error = error_for (400, "error-400-key.json", NULL, NULL);
  g_autoptr(GError) unauthorized = error_for (401, NULL, NULL, NULL);

  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY);
  g_assert_cmpstr (error->message, ==,
                   "The API key was refused: “API key not valid. Please pass a valid API key.”. "
                   "Check it in Preferences.");
  g_assert_false (peel_gemini_error_is_retryable (error));

  g_assert_error (unauthorized, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_KEY);
  g_assert_nonnull (strstr (unauthorized->message, "HTTP 401 Unauthorized"));
  g_assert_nonnull (strstr (unauthorized->message, "Preferences"));
}

static void
test_permission (void)
{
  g_autoptr(GError) error = error_for (403, "error-403.json", NULL, NULL);

  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "“Your API key was reported as leaked."));
  g_assert_false (peel_gemini_error_is_retryable (error));
}

static void
test_not_found (void)
{
  g_autoptr(GError) error = error_for (404, "error-404.json", NULL, NULL);
  g_autoptr(GError) named = NULL;
  g_autoptr(GError) bare = error_for (404, NULL, NULL, NULL);

  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The model “gemini-9-flash-image” was not found: "));
  g_assert_nonnull (strstr (error->message, "model name"));

  peel_gemini_error_set_from_http_for_model (&named, 404, "Not Found", 9, NULL,
                                             "gemini-9-pro-image", NULL);
  g_assert_error (named, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (named->message, "“gemini-9-pro-image”"));

  g_assert_error (bare, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (bare->message, "HTTP 404 Not Found"));
}

/* A shut-down model's 404 says what to use instead, and names its id. */
static void
test_not_found_shut_down (void)
{
  for (guint i = 0; i < peel_model_catalogue_get_n (); i++)
    {
      const PeelModelInfo *info = peel_model_catalogue_get (i);
      g_autoptr(GError) error = NULL;
      g_autofree char *body = g_strdup_printf ("{\"error\": {\"code\": 404, \"message\": "
                                               "\"models/%s is not found for API version v1beta, "
                                               "or is not supported for generateContent. Call "
                                               "ListModels to see the list of available models "
                                               "and their supported methods.\", \"status\": "
                                               "\"NOT_FOUND\"}}", info->id);
      const PeelModelInfo *next;

      if (info->shut_down_year == 0)
        continue;

      peel_gemini_error_set_from_http_for_model (&error, 404, body, strlen (body), NULL,
                                                 info->id, NULL);
      g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NOT_FOUND);
      next = peel_model_lookup (peel_model_get_replacement (info->id));
      g_assert_nonnull (next);
      g_assert_true (g_str_has_prefix (error->message, info->display_name));
      g_assert_nonnull (strstr (error->message, " was shut down on "));
      g_assert_nonnull (strstr (error->message, next->id));
    }

  {
    g_autoptr(GError) error = NULL;
    const char *preview = peel_model_catalogue_get (3)->id;

    peel_gemini_error_set_from_http_for_model (&error, 404, NULL, 0, NULL, preview, NULL);
    g_assert_true (g_str_has_prefix (error->message, "Nano Banana 2 preview was shut down on 25 "
                                                     "June 2026. Use Nano Banana 2. "));
  }
}

/* Shortened text ends at a word: the service's long message, and so Peel's sentence around
 * it, is never cut in the middle of a word. */
static void
test_shortened_at_word (void)
{
  const char *words = "models/gemini-3.1-flash-image-preview is not found for API version "
                      "v1beta, or is not supported for generateContent. Call ListModels to see "
                      "the list of available models and their supported methods.";

  for (gsize max = 40; max < strlen (words); max++)
    {
      g_autofree char *cut = peel_gemini_error_sanitize (words, -1, max);
      g_autofree char *head = NULL;
      gsize head_len;

      g_assert_true (g_str_has_suffix (cut, "…"));
      g_assert_cmpint (g_utf8_strlen (cut, -1), <=, (glong) max);
      head_len = strlen (cut) - strlen ("…");
      head = g_strndup (cut, head_len);
      /* What is kept is the start of the text, ending where a word ends. */
      g_assert_true (g_str_has_prefix (words, head));
      g_assert_true (words[head_len] == ' ' || words[head_len] == ',');
    }
}

static void
test_timeout (void)
{
  g_autoptr(GError) gateway = error_for (504, "error-504.json", NULL, NULL);
  g_autoptr(GError) request = error_for (408, NULL, NULL, NULL);

  g_assert_error (gateway, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (gateway->message, "“The request timed out. Please try again.”"));
  g_assert_nonnull (strstr (gateway->message, "504"));
  g_assert_true (peel_gemini_error_is_retryable (gateway));

  g_assert_error (request, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (request->message, "HTTP 408"));
}

static void
test_rate_limited (void)
{
  double delay = 0;
  g_autoptr(GError) error = error_for (429, "error-429.json", "30", &delay);
  g_autoptr(GError) header_only = NULL;
  g_autoptr(GError) nothing = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *date = NULL;
  static const char text_only[] =
    "{\"error\":{\"code\":429,\"message\":\"Slow down. Please retry in 623.5ms.\","
    "\"status\":\"RESOURCE_EXHAUSTED\"}}";

  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED);
  /* RetryInfo says 12s: it wins over the message's 12.59s and the header's 30. */
  g_assert_cmpfloat_with_epsilon (delay, 12.0, 0.001);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Google asks to wait 12 s (rate limit or quota): “You exceeded "
                                   "your current quota. Please retry in 12.595337758s.”"));
  g_assert_true (peel_gemini_error_is_retryable (error));

  /* Only the message's own words. */
  peel_gemini_error_set_from_http (&nothing, 429, text_only, strlen (text_only), NULL, &delay);
  g_assert_cmpfloat_with_epsilon (delay, 0.6235, 0.0001);
  g_assert_true (g_str_has_prefix (nothing->message, "Google asks to wait 1 s"));
  g_clear_error (&nothing);

  /* Only the header, as an HTTP date two minutes ahead. */
  later = g_date_time_add_seconds (now, 125);
  date = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
  peel_gemini_error_set_from_http (&header_only, 429, NULL, 0, date, &delay);
  g_assert_error (header_only, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED);
  g_assert_cmpfloat (delay, >, 115);
  g_assert_cmpfloat (delay, <=, 125);
  g_assert_nonnull (strstr (header_only->message, "wait 2 min"));

  /* Nothing said: no delay, and a message that does not invent one. */
  peel_gemini_error_set_from_http (&nothing, 429, NULL, 0, NULL, &delay);
  g_assert_cmpfloat (delay, <, 0);
  g_assert_null (strstr (nothing->message, "asks to wait"));
  g_assert_nonnull (strstr (nothing->message, "quota"));
}

static void
test_server (void)
{
  g_autoptr(GError) internal = error_for (500, "error-500.json", NULL, NULL);
  g_autoptr(GError) overloaded = error_for (503, "error-503.json", NULL, NULL);
  g_autoptr(GError) gateway = error_for (502, "error-502.html", NULL, NULL);

  g_assert_error (internal, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_nonnull (strstr (internal->message, "An internal error has occurred."));

  g_assert_error (overloaded, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_cmpstr (overloaded->message, ==,
                   "The service had a problem (HTTP 503: “The model is overloaded. Please try "
                   "again later.”). Try again in a moment.");
  g_assert_true (peel_gemini_error_is_retryable (overloaded));

  /* A proxy's HTML page: the status and its phrase, none of the page. */
  g_assert_error (gateway, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_nonnull (strstr (gateway->message, "HTTP 502 Bad Gateway"));
  g_assert_null (strchr (gateway->message, '<'));
  g_assert_null (strstr (gateway->message, "nginx"));
}

static void
test_invalid_request (void)
{
  g_autoptr(GError) signature = error_for (400, "error-400-signature.json", NULL, NULL);
  g_autoptr(GError) too_large = error_for (413, NULL, NULL, NULL);
  g_autoptr(GError) precondition = NULL;
  static const char body[] =
    "{\"error\":{\"code\":400,\"message\":\"User location is not supported for the API use.\","
    "\"status\":\"FAILED_PRECONDITION\"}}";

  g_assert_error (signature, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (signature->message, "Image part is missing a thought_signature in "
                                                "content position 2, part position 1."));
  g_assert_nonnull (strstr (signature->message, "signatures"));
  g_assert_false (peel_gemini_error_is_retryable (signature));

  g_assert_error (too_large, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);

  peel_gemini_error_set_from_http (&precondition, 400, body, strlen (body), NULL, NULL);
  g_assert_error (precondition, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (precondition->message, "User location is not supported"));
  g_assert_nonnull (strstr (precondition->message, "billing"));
}

static void
test_plain_text_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) longer = g_string_new (NULL);
  g_autoptr(GError) long_error = NULL;
  static const char body[] =
    "upstream connect error or disconnect/reset before headers. reset reason: overflow\n"
    "second line that must not show\n";

  peel_gemini_error_set_from_http (&error, 503, body, strlen (body), NULL, NULL);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "“upstream connect error or disconnect/reset before "
                                            "headers. reset reason: overflow”"));
  g_assert_null (strstr (error->message, "second line"));

  for (guint i = 0; i < 100; i++)
    g_string_append (longer, "0123456789");
  peel_gemini_error_set_from_http (&long_error, 500, longer->str, longer->len, NULL, NULL);
  g_assert_nonnull (strstr (long_error->message, "…”"));
  g_assert_cmpint (g_utf8_strlen (long_error->message, -1), <, 200 + 100);
}

static void
test_no_secrets (void)
{
  g_autoptr(GError) error = NULL;
  static const char body[] =
    "{\"error\":{\"code\":400,\"message\":\"Bad request to https://generativelanguage.googleapis"
    ".com/v1beta/models/m:generateContent?key=AIzaSyA-1234567890abcdefghijklmnopqrstu&alt=sse "
    "with key AIzaSyB-abcdefghijklmnopqrstuvwxyz0123456 and Bearer sk-abcdefghijklmnopqrstuvwx "
    "token=1\",\"status\":\"INVALID_ARGUMENT\"}}";
  g_autofree char *clean = NULL;

  peel_gemini_error_set_from_http (&error, 400, body, strlen (body), NULL, NULL);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST);
  g_assert_null (strstr (error->message, "AIza"));
  g_assert_null (strstr (error->message, "sk-abc"));
  g_assert_null (strstr (error->message, "?key"));
  g_assert_null (strstr (error->message, "alt=sse"));
  g_assert_nonnull (strstr (error->message, "https://generativelanguage.googleapis.com/v1beta/"
                                            "models/m:generateContent"));

  clean = peel_gemini_error_sanitize ("a\n\tb  key=secret&x=1 c", -1, 0);
  g_assert_cmpstr (clean, ==, "a b key=[hidden]&x=1 c");
}

static void
test_stream_error_object (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wrapped = NULL;
  double delay = 0;
  static const char array_body[] =
    "[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
    "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc."
    "RetryInfo\",\"retryDelay\":\"2.500s\"}]}}]";

  /* Inside a stream there is no HTTP status: the object's status names the kind. */
  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"message\":\"Overloaded\",\"status\":\"UNAVAILABLE\"}",
                                             -1, NULL));
  peel_gemini_error_set_from_object (&error, 0, json_node_get_object (json_parser_get_root (parser)),
                                     NULL, &delay);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
  g_assert_cmpfloat (delay, <, 0);

  /* The `alt=json` stream's array. */
  peel_gemini_error_set_from_http (&wrapped, 429, array_body, strlen (array_body), NULL, &delay);
  g_assert_error (wrapped, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_RATE_LIMITED);
  g_assert_cmpfloat_with_epsilon (delay, 2.5, 0.0001);
  g_assert_nonnull (strstr (wrapped->message, "wait 3 s"));
}

static void
test_retry_after (void)
{
  g_assert_cmpfloat (peel_gemini_error_parse_retry_after ("120"), ==, 120);
  g_assert_cmpfloat (peel_gemini_error_parse_retry_after (" 5 "), ==, 5);
  g_assert_cmpfloat (peel_gemini_error_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT"), ==, 0);
  g_assert_cmpfloat (peel_gemini_error_parse_retry_after ("soon"), <, 0);
  g_assert_cmpfloat (peel_gemini_error_parse_retry_after ("12s"), <, 0);
  g_assert_cmpfloat (peel_gemini_error_parse_retry_after (NULL), <, 0);
}

/* Issue 11: a 400 whose details nest 100 000 arrays crashed json-glib (SIGSEGV); the depth
 * guard covered replies only. Now it is read as a page, its status still decides. */
static void
test_deep_details (void)
{
  const guint levels = 100000;
  g_autoptr(GString) body = g_string_new ("{\"error\": {\"code\": 400, \"message\": \"bad\", "
                                          "\"status\": \"INVALID_ARGUMENT\", \"details\": ");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) stream_error = NULL;
  g_autofree char *wrapped = NULL;
  double delay = 0;

  for (guint i = 0; i < levels; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (body, ']');
  g_string_append (body, "}}");

  peel_gemini_error_set_from_http (&error, 400, body->str, body->len, NULL, &delay);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (strlen (error->message), <, 1000);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));

  /* The alt=json stream wraps it in one more array. */
  wrapped = g_strdup_printf ("[%s]", body->str);
  peel_gemini_error_set_from_http (&stream_error, 503, wrapped, strlen (wrapped), NULL, &delay);
  g_assert_error (stream_error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_SERVER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/GeminiError/invalid-key", test_invalid_key);
  g_test_add_func ("/Peel/GeminiError/permission", test_permission);
  g_test_add_func ("/Peel/GeminiError/not-found-shut-down", test_not_found_shut_down);
  g_test_add_func ("/Peel/GeminiError/shortened-at-word", test_shortened_at_word);
  g_test_add_func ("/Peel/GeminiError/not-found", test_not_found);
  g_test_add_func ("/Peel/GeminiError/timeout", test_timeout);
  g_test_add_func ("/Peel/GeminiError/rate-limited", test_rate_limited);
  g_test_add_func ("/Peel/GeminiError/server", test_server);
  g_test_add_func ("/Peel/GeminiError/invalid-request", test_invalid_request);
  g_test_add_func ("/Peel/GeminiError/plain-text-body", test_plain_text_body);
  g_test_add_func ("/Peel/GeminiError/no-secrets", test_no_secrets);
  g_test_add_func ("/Peel/GeminiError/stream-error-object", test_stream_error_object);
  g_test_add_func ("/Peel/GeminiError/retry-after", test_retry_after);
  g_test_add_func ("/Peel/GeminiError/deep-details", test_deep_details);

  return g_test_run ();
}
