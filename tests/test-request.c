/* test-request.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "peel-gemini-error.h"
#include "peel-gemini-request.h"

#define FLASH "gemini-3.1-flash-image"
#define PRO "gemini-3-pro-image"
#define FLASH_2_5 "gemini-2.5-flash-image"

/* Every member name the body may hold: the API's camelCase spelling, nothing else. */
static const char *known_keys[] = {
  "contents", "role", "parts", "text", "thought", "thoughtSignature", "inlineData", "mimeType",
  "data", "generationConfig", "responseModalities", "imageConfig", "aspectRatio", "imageSize",
  "thinkingConfig", "thinkingLevel", "includeThoughts", "tools", "googleSearch", "searchTypes",
  "webSearch", "imageSearch",
};

static JsonNode *
parse_bytes (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
load_golden (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "requests", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
check_keys (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l; l = l->next)
        {
          gboolean known = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (known_keys); i++)
            known |= strcmp (l->data, known_keys[i]) == 0;
          if (!known)
            g_error ("unexpected key “%s” in the body", (const char *) l->data);
          check_keys (json_object_get_member (object, l->data));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_keys (json_array_get_element (array, i));
    }
}

/* Structurally equal, and byte for byte equal to the compact form of the expectation, so
 * key order and spelling are checked too. */
static void
assert_body_equals (GBytes   *body,
                    JsonNode *expected)
{
  g_autoptr(JsonNode) actual = parse_bytes (body);
  g_autofree char *compact = json_to_string (expected, FALSE);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  check_keys (actual);
  g_assert_null (strstr (text, "candidateCount"));
  if (!json_node_equal (actual, expected))
    g_error ("body differs:\n%s\nexpected:\n%s", text, compact);
  g_assert_cmpstr (text, ==, compact);
}

static void
assert_golden (PeelGeminiRequest *request,
               const char        *golden)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = peel_gemini_request_build (request, 0, &error);
  g_autoptr(JsonNode) expected = load_golden (golden);

  g_assert_no_error (error);
  assert_body_equals (body, expected);
}

static GBytes *
build_ok (PeelGeminiRequest *request,
          gsize              max_bytes)
{
  g_autoptr(GError) error = NULL;
  GBytes *body = peel_gemini_request_build (request, max_bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (body);
  if (max_bytes > 0)
    g_assert_cmpuint (g_bytes_get_size (body), <=, max_bytes);
  return body;
}

static void
assert_bad_input (PeelGeminiRequest *request,
                  const char        *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_false (peel_gemini_request_validate (request, &error));
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not say “%s”", error->message, fragment);
  g_clear_error (&error);

  body = peel_gemini_request_build (request, 0, &error);
  g_assert_null (body);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BAD_INPUT);
}

static PeelPart *
image_part (const char *mime_type,
            const char *data,
            gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  return peel_part_new_image (mime_type, bytes, FALSE);
}

static PeelPart *
signed_part (PeelPart   *part,
             const char *signature)
{
  peel_part_set_signature (part, signature);
  return part;
}

static void
test_flash_all_ratios_and_sizes (void)
{
  for (guint r = 0; r < PEEL_N_ASPECT_RATIOS; r++)
    {
      for (guint s = 0; s < PEEL_N_IMAGE_SIZES; s++)
        {
          const char *ratio = peel_aspect_ratio_get_name (r);
          const char *size = peel_image_size_to_string (s);
          g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
          g_autofree char *json = NULL;
          g_autoptr(JsonNode) expected = NULL;
          g_autoptr(GBytes) body = NULL;

          peel_gemini_request_set_prompt (request, "a lighthouse");
          peel_gemini_request_set_aspect_ratio (request, ratio);
          peel_gemini_request_set_image_size (request, s);
          body = build_ok (request, 0);

          json = g_strdup_printf ("{\"contents\":[{\"role\":\"user\",\"parts\":"
                                  "[{\"text\":\"a lighthouse\"}]}],"
                                  "\"generationConfig\":"
                                  "{\"responseModalities\":[\"TEXT\",\"IMAGE\"],"
                                  "\"imageConfig\":{\"aspectRatio\":\"%s\",\"imageSize\":\"%s\"},"
                                  "\"thinkingConfig\":{\"includeThoughts\":false}}}",
                                  ratio, size);
          expected = json_from_string (json, NULL);
          g_assert_nonnull (expected);
          assert_body_equals (body, expected);
        }
    }
}

static void
test_golden_16x9_2k_search (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);

  peel_gemini_request_set_prompt (request, "A photorealistic red fox in a snowy birch forest at "
                                           "dawn, 85mm lens");
  peel_gemini_request_set_aspect_ratio (request, "16:9");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_2K);
  peel_gemini_request_set_thinking_level (request, PEEL_THINKING_HIGH);
  peel_gemini_request_set_include_thoughts (request, TRUE);
  peel_gemini_request_set_search (request, TRUE, TRUE);
  assert_golden (request, "flash-16x9-2k-high-thoughts-image-search.json");
}

static void
test_golden_1x8_512 (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);

  peel_gemini_request_set_prompt (request, "a tall banner of climbing roses");
  peel_gemini_request_set_aspect_ratio (request, "1:8");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_512);
  assert_golden (request, "flash-1x8-512.json");
}

static void
test_golden_21x9_4k (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);

  peel_gemini_request_set_prompt (request, "a wide desert road at noon");
  peel_gemini_request_set_aspect_ratio (request, "21:9");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_4K);
  peel_gemini_request_set_thinking_level (request, PEEL_THINKING_MINIMAL);
  peel_gemini_request_set_image_only (request, TRUE);
  peel_gemini_request_set_search (request, TRUE, FALSE);
  assert_golden (request, "flash-21x9-4k.json");
}

static void
test_search_variants (void)
{
  static const struct {
    gboolean    web;
    gboolean    image;
    const char *tools;
  } cases[] = {
    { FALSE, FALSE, NULL },
    { TRUE, FALSE, "[{\"googleSearch\":{}}]" },
    { FALSE, TRUE, "[{\"googleSearch\":{\"searchTypes\":{\"imageSearch\":{}}}}]" },
    { TRUE, TRUE, "[{\"googleSearch\":{\"searchTypes\":{\"webSearch\":{},\"imageSearch\":{}}}}]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;

      peel_gemini_request_set_prompt (request, "x");
      peel_gemini_request_set_search (request, cases[i].web, cases[i].image);
      body = build_ok (request, 0);
      root = parse_bytes (body);
      object = json_node_get_object (root);

      if (cases[i].tools == NULL)
        {
          g_assert_false (json_object_has_member (object, "tools"));
        }
      else
        {
          g_autoptr(JsonNode) expected = json_from_string (cases[i].tools, NULL);

          g_assert_true (json_node_equal (json_object_get_member (object, "tools"), expected));
        }
    }
}

static void
test_match_input_ratio (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
  g_autoptr(PeelPart) image = image_part ("image/png", "abc", 3);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *image_config;

  peel_gemini_request_set_aspect_ratio (request, NULL);
  peel_gemini_request_add_image (request, image);
  body = build_ok (request, 0);
  root = parse_bytes (body);
  image_config = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (root), "generationConfig"), "imageConfig");
  g_assert_false (json_object_has_member (image_config, "aspectRatio"));
  g_assert_cmpstr (json_object_get_string_member (image_config, "imageSize"), ==, "1K");
}

static void
test_pro (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (PRO);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) expected = NULL;

  peel_gemini_request_set_prompt (request, "a lighthouse");
  peel_gemini_request_set_aspect_ratio (request, "4:5");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_4K);
  peel_gemini_request_set_thinking_level (request, PEEL_THINKING_HIGH);
  peel_gemini_request_set_include_thoughts (request, TRUE);
  peel_gemini_request_set_search (request, TRUE, FALSE);
  body = build_ok (request, 0);
  expected = json_from_string ("{\"contents\":[{\"role\":\"user\",\"parts\":"
                               "[{\"text\":\"a lighthouse\"}]}],"
                               "\"generationConfig\":{\"responseModalities\":[\"TEXT\",\"IMAGE\"],"
                               "\"imageConfig\":{\"aspectRatio\":\"4:5\",\"imageSize\":\"4K\"}},"
                               "\"tools\":[{\"googleSearch\":{}}]}", NULL);
  assert_body_equals (body, expected);

  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_512);
  assert_bad_input (request, "Nano Banana Pro does not make images at size 512. Pick 1K, 2K, 4K.");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_1K);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *ratio = peel_aspect_ratio_get_name (i);
      g_autofree char *message = g_strdup_printf ("Nano Banana Pro does not make %s images. "
                                                  "Pick one of 1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, "
                                                  "9:16, 16:9, 21:9.", ratio);

      peel_gemini_request_set_aspect_ratio (request, ratio);
      if (peel_model_supports_ratio (PEEL_MODEL_FAMILY_PRO_3, ratio))
        g_assert_true (peel_gemini_request_validate (request, NULL));
      else
        assert_bad_input (request, message);
    }

  peel_gemini_request_set_aspect_ratio (request, "1:1");
  peel_gemini_request_set_search (request, TRUE, TRUE);
  assert_bad_input (request, "Nano Banana Pro cannot search for images");
}

static void
test_flash_2_5 (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH_2_5);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(PeelPart) image = image_part ("image/jpeg", "\xff\xd8\xff", 3);

  peel_gemini_request_set_prompt (request, "a lighthouse");
  peel_gemini_request_set_aspect_ratio (request, "9:16");
  peel_gemini_request_set_thinking_level (request, PEEL_THINKING_HIGH);
  body = build_ok (request, 0);
  expected = json_from_string ("{\"contents\":[{\"role\":\"user\",\"parts\":"
                               "[{\"text\":\"a lighthouse\"}]}],"
                               "\"generationConfig\":{\"responseModalities\":[\"TEXT\",\"IMAGE\"],"
                               "\"imageConfig\":{\"aspectRatio\":\"9:16\"}}}", NULL);
  assert_body_equals (body, expected);

  peel_gemini_request_set_search (request, TRUE, FALSE);
  assert_bad_input (request, "Nano Banana cannot search the web. Turn off web search");
  peel_gemini_request_set_search (request, FALSE, FALSE);

  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_2K);
  assert_bad_input (request, "Nano Banana does not make images at size 2K. Pick 1K.");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_1K);

  for (guint i = 0; i < 3; i++)
    peel_gemini_request_add_image (request, image);
  g_assert_true (peel_gemini_request_validate (request, NULL));
  peel_gemini_request_add_image (request, image);
  assert_bad_input (request, "Nano Banana takes at most 3 reference images, and this turn has 4.");
}

static void
test_validate (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
  g_autoptr(PeelPart) png = image_part ("image/png", "png", 3);
  g_autoptr(PeelPart) gif = image_part ("image/gif", "GIF89a", 6);
  g_autoptr(PeelGeminiRequest) lite = peel_gemini_request_new ("gemini-3.1-flash-lite-image");
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  assert_bad_input (request, "Write a prompt or add an image");
  peel_gemini_request_set_prompt (request, "");
  assert_bad_input (request, "Write a prompt or add an image");

  /* An image alone is enough. */
  peel_gemini_request_add_image (request, png);
  g_assert_true (peel_gemini_request_validate (request, NULL));

  for (guint i = 1; i < PEEL_MAX_INPUT_IMAGES; i++)
    peel_gemini_request_add_image (request, png);
  g_assert_true (peel_gemini_request_validate (request, NULL));
  peel_gemini_request_add_image (request, png);
  assert_bad_input (request,
                    "Nano Banana 2 takes at most 14 reference images, and this turn has 15.");

  /* Images of earlier turns do not count against the new turn. */
  g_clear_object (&request);
  request = peel_gemini_request_new (FLASH);
  g_ptr_array_add (history, peel_part_new_text ("twenty images", FALSE));
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (history, peel_part_copy (png));
  peel_gemini_request_add_turn (request, "user", history);
  peel_gemini_request_set_prompt (request, "x");
  g_assert_true (peel_gemini_request_validate (request, NULL));

  peel_gemini_request_add_image (request, gif);
  assert_bad_input (request, "image/gif");

  peel_gemini_request_set_prompt (lite, "x");
  peel_gemini_request_set_search (lite, TRUE, FALSE);
  assert_bad_input (lite, "Nano Banana 2 Lite cannot search the web");
  peel_gemini_request_set_search (lite, FALSE, FALSE);
  peel_gemini_request_set_image_size (lite, PEEL_IMAGE_SIZE_2K);
  assert_bad_input (lite, "Nano Banana 2 Lite does not make images at size 2K. Pick 1K.");
  peel_gemini_request_set_image_size (lite, PEEL_IMAGE_SIZE_1K);
  peel_gemini_request_set_aspect_ratio (lite, "7:5");
  assert_bad_input (lite, "does not make 7:5 images");
}

/* History parts as the reply parser stores them: thoughts, an interim image, signed parts and
 * a signed empty text part at the end (where a stream puts the last signature). */
static void
add_edit_history (PeelGeminiRequest *request)
{
  g_autoptr(GPtrArray) user1 = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GPtrArray) model1 = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GPtrArray) user2 = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GPtrArray) model2 = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) interim = g_bytes_new_static ("interim", 7);

  g_ptr_array_add (user1, peel_part_new_text ("a red fox in the snow", FALSE));
  g_ptr_array_add (model1, peel_part_new_text ("**Composing**\n\nplacing the fox", TRUE));
  g_ptr_array_add (model1, peel_part_new_image ("image/png", interim, TRUE));
  g_ptr_array_add (model1, signed_part (peel_part_new_text ("Here is your fox.", FALSE),
                                        "EqYCCqMCAdHtim9x+/Q=="));
  g_ptr_array_add (model1, signed_part (image_part ("image/png", "\x89PNG first fox", 14),
                                        "Ct4BAdHtim8KkZ=="));
  g_ptr_array_add (model1, signed_part (peel_part_new_text ("", FALSE), "c2lnbmVkIGVtcHR5"));
  g_ptr_array_add (user2, peel_part_new_text ("make it dusk", FALSE));
  g_ptr_array_add (model2, peel_part_new_text ("thinking about dusk", TRUE));
  g_ptr_array_add (model2, signed_part (image_part ("image/png", "\x89PNG dusk fox!", 14),
                                        "RHVzaw_-sig"));
  g_ptr_array_add (model2, peel_part_new_text ("It is dusk now.", FALSE));
  g_ptr_array_add (model2, peel_part_new_text ("", FALSE));

  peel_gemini_request_add_turn (request, "user", user1);
  peel_gemini_request_add_turn (request, "model", model1);
  peel_gemini_request_add_turn (request, "user", user2);
  peel_gemini_request_add_turn (request, "model", model2);
}

static void
test_edit_signatures (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
  g_autoptr(PeelPart) reference = image_part ("image/jpeg", "\xff\xd8\xff ref", 7);

  add_edit_history (request);
  peel_gemini_request_set_prompt (request, "add a second fox");
  peel_gemini_request_add_image (request, reference);
  peel_gemini_request_set_aspect_ratio (request, "16:9");
  peel_gemini_request_set_image_size (request, PEEL_IMAGE_SIZE_2K);
  peel_gemini_request_set_thinking_level (request, PEEL_THINKING_HIGH);
  peel_gemini_request_set_include_thoughts (request, TRUE);
  assert_golden (request, "edit-two-turns-signatures.json");
  g_assert_cmpuint (peel_gemini_request_get_dropped_turns (request), ==, 0);
  g_assert_null (peel_gemini_request_dup_summary (request));
}

/* A thought that carries a signature is the one thought that must go back. */
static void
test_signed_thought_kept (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
  g_autoptr(GPtrArray) user = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GPtrArray) model = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *parts;

  g_ptr_array_add (user, peel_part_new_text ("x", FALSE));
  g_ptr_array_add (model, peel_part_new_text ("unsigned thought", TRUE));
  g_ptr_array_add (model, signed_part (peel_part_new_text ("signed thought", TRUE), "S1"));
  g_ptr_array_add (model, signed_part (image_part ("image/png", "p", 1), "S2"));
  peel_gemini_request_add_turn (request, "user", user);
  peel_gemini_request_add_turn (request, "model", model);
  peel_gemini_request_set_prompt (request, "y");
  body = build_ok (request, 0);
  root = parse_bytes (body);
  parts = json_object_get_array_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (root), "contents"), 1), "parts");

  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 0),
                                                  "text"), ==, "signed thought");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 0),
                                                  "thoughtSignature"), ==, "S1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 1),
                                                  "thoughtSignature"), ==, "S2");
}

/* A reply cut short left only thoughts: that model turn goes, as an empty one is refused. */
static void
test_empty_model_turn_left_out (void)
{
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
  g_autoptr(GPtrArray) user = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GPtrArray) model = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) expected = NULL;

  g_ptr_array_add (user, peel_part_new_text ("x", FALSE));
  g_ptr_array_add (model, peel_part_new_text ("thinking", TRUE));
  g_ptr_array_add (model, peel_part_new_text ("", FALSE));
  peel_gemini_request_add_turn (request, "user", user);
  peel_gemini_request_add_turn (request, "model", model);
  peel_gemini_request_set_prompt (request, "y");
  peel_gemini_request_set_aspect_ratio (request, NULL);
  body = build_ok (request, 0);
  expected = json_from_string ("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]},"
                               "{\"role\":\"user\",\"parts\":[{\"text\":\"y\"}]}],"
                               "\"generationConfig\":{\"responseModalities\":[\"TEXT\",\"IMAGE\"],"
                               "\"imageConfig\":{\"imageSize\":\"1K\"},"
                               "\"thinkingConfig\":{\"includeThoughts\":false}}}", NULL);
  assert_body_equals (body, expected);
}

static void
test_base64_round_trip (void)
{
  /* Lengths 0 to 6 cover every padding case, and 300 KB the long path. */
  for (gsize len = 0; len <= 7; len++)
    {
      gsize n = len == 7 ? 300 * 1024 + 1 : len;
      g_autofree guchar *data = g_malloc (n + 1);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PeelPart) image = NULL;
      g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree guchar *decoded = NULL;
      const char *b64;
      JsonArray *parts;
      gsize decoded_len;

      for (gsize i = 0; i < n; i++)
        data[i] = (guchar) (i * 7 + 3);
      bytes = g_bytes_new (data, n);
      image = peel_part_new_image ("image/png", bytes, FALSE);
      peel_gemini_request_set_prompt (request, "x");
      peel_gemini_request_add_image (request, image);
      body = build_ok (request, 0);
      root = parse_bytes (body);
      parts = json_object_get_array_member (
        json_array_get_object_element (
          json_object_get_array_member (json_node_get_object (root), "contents"), 0), "parts");
      b64 = json_object_get_string_member (
        json_object_get_object_member (json_array_get_object_element (parts, 1), "inlineData"),
        "data");

      g_assert_cmpuint (strlen (b64), ==, 4 * ((n + 2) / 3));
      decoded = g_base64_decode (b64, &decoded_len);
      g_assert_cmpmem (decoded, decoded_len, data, n);
    }
}

static void
test_text_escaping (void)
{
  static const char prompt[] = "say \"hi\" \\ now\nnext\tline\r\x01\x1f\x7f end 🦊 é "
                               "bad \xff\xfe byte";
  g_autoptr(PeelGeminiRequest) request = peel_gemini_request_new (FLASH);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *parsed;

  peel_gemini_request_set_prompt (request, prompt);
  body = build_ok (request, 0);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "say \\\"hi\\\" \\\\ now\\nnext\\tline\\r\\u0001\\u001f"));
  g_assert_nonnull (strstr (text, "🦊 é"));

  root = parse_bytes (body);
  parsed = json_object_get_string_member (
    json_array_get_object_element (
      json_object_get_array_member (
        json_array_get_object_element (
          json_object_get_array_member (json_node_get_object (root), "contents"), 0),
        "parts"), 0), "text");
  g_assert_cmpstr (parsed, ==, "say \"hi\" \\ now\nnext\tline\r\x01\x1f\x7f end 🦊 é "
                               "bad \xef\xbf\xbd\xef\xbf\xbd byte");

  for (const char *p = text; *p; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
}

static PeelGeminiRequest *
budget_request (guint pairs,
                gsize image_size)
{
  PeelGeminiRequest *request = peel_gemini_request_new (FLASH);
  g_autoptr(GBytes) pixels = g_bytes_new_take (g_malloc0 (image_size), image_size);
  g_autoptr(PeelPart) reference = image_part ("image/jpeg", "\xff\xd8\xff", 3);

  for (guint i = 0; i < pairs; i++)
    {
      g_autoptr(GPtrArray) user = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
      g_autoptr(GPtrArray) model = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
      g_autofree char *prompt = g_strdup_printf ("prompt %u", i);
      g_autofree char *sig = g_strdup_printf ("sig-%u", i);

      g_ptr_array_add (user, peel_part_new_text (prompt, FALSE));
      g_ptr_array_add (model, signed_part (peel_part_new_image ("image/png", pixels, FALSE), sig));
      peel_gemini_request_add_turn (request, "user", user);
      peel_gemini_request_add_turn (request, "model", model);
    }

  peel_gemini_request_set_prompt (request, "the new turn");
  peel_gemini_request_add_image (request, reference);
  return request;
}

/* Each pair holds 30 000 bytes of image, 40 000 of base64: the whole body is about 120 kB. */
static void
test_budget_drops_oldest (void)
{
  g_autoptr(PeelGeminiRequest) request = budget_request (3, 30000);
  g_autoptr(GBytes) full = build_ok (request, 0);
  gsize full_size = g_bytes_get_size (full);
  g_autoptr(GBytes) same = build_ok (request, full_size);
  g_autoptr(GBytes) one_pair_less = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *summary = NULL;
  JsonArray *contents;
  JsonObject *last_model;

  /* Exactly at the limit, everything goes. */
  g_assert_cmpuint (full_size, >, 120000);
  g_assert_cmpuint (full_size, <, 122000);
  g_assert_cmpuint (peel_gemini_request_get_dropped_turns (request), ==, 0);
  g_assert_true (g_bytes_equal (full, same));

  /* One byte less: the oldest pair goes, a whole pair so the contents start with a user. */
  one_pair_less = build_ok (request, full_size - 1);
  g_assert_cmpuint (peel_gemini_request_get_dropped_turns (request), ==, 2);
  g_assert_cmpuint (g_bytes_get_size (one_pair_less), <, full_size - 40000);

  /* Room for the new turn and one pair only: two pairs go, the last model image stays. */
  body = build_ok (request, 50000);
  g_assert_cmpuint (peel_gemini_request_get_dropped_turns (request), ==, 4);
  root = parse_bytes (body);
  contents = json_object_get_array_member (json_node_get_object (root), "contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 0),
                                                  "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (json_array_get_object_element (contents, 0),
                                                     "parts"), 0), "text"), ==, "prompt 2");
  last_model = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (contents, 1), "parts"), 0);
  g_assert_cmpstr (json_object_get_string_member (last_model, "thoughtSignature"), ==, "sig-2");
  g_assert_true (json_object_has_member (last_model, "inlineData"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 1),
                                                  "role"), ==, "model");

  summary = peel_gemini_request_dup_summary (request);
  g_assert_cmpstr (summary, ==, "4 earlier turns were left out to stay under the "
                                "provider’s 50.0\u00a0kB limit.");
}

/* The figure a user meets: three 6 MB images in the history against a 20 MB provider. */
static void
test_budget_20_mb (void)
{
  g_autoptr(PeelGeminiRequest) request = budget_request (3, 6 * 1000 * 1000);
  g_autoptr(GBytes) body = build_ok (request, 20 * 1000 * 1000);
  g_autofree char *summary = peel_gemini_request_dup_summary (request);

  g_assert_cmpuint (peel_gemini_request_get_dropped_turns (request), ==, 2);
  g_assert_cmpuint (g_bytes_get_size (body), >, 16 * 1000 * 1000);
  g_assert_cmpstr (summary, ==, "2 earlier turns were left out to stay under the "
                                "provider’s 20 MB limit.");
}

static void
test_too_large (void)
{
  g_autoptr(PeelGeminiRequest) request = budget_request (2, 30000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(PeelGeminiRequest) big = peel_gemini_request_new (FLASH);
  g_autoptr(GBytes) huge = g_bytes_new_take (g_malloc0 (16 * 1000 * 1000), 16 * 1000 * 1000);
  g_autoptr(PeelPart) image = peel_part_new_image ("image/png", huge, FALSE);

  /* The last pair and the new turn must stay, and 40 kB do not hold them. */
  body = peel_gemini_request_build (request, 40000, &error);
  g_assert_null (body);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  g_assert_cmpuint (peel_gemini_request_get_dropped_turns (request), ==, 0);
  g_clear_error (&error);

  /* 16 MB of image is 21.3 MB of base64: over a 20 MiB limit with no history at all. */
  peel_gemini_request_set_prompt (big, "x");
  peel_gemini_request_add_image (big, image);
  body = peel_gemini_request_build (big, 20 * 1024 * 1024, &error);
  g_assert_null (body);
  g_assert_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "21.3\u00a0MB"));
  g_assert_nonnull (strstr (error->message, "20 MB limit"));
  g_assert_nonnull (strstr (error->message, "fewer or smaller reference images"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Peel/Request/flash-all-ratios-and-sizes", test_flash_all_ratios_and_sizes);
  g_test_add_func ("/Peel/Request/golden-16x9-2k-search", test_golden_16x9_2k_search);
  g_test_add_func ("/Peel/Request/golden-1x8-512", test_golden_1x8_512);
  g_test_add_func ("/Peel/Request/golden-21x9-4k", test_golden_21x9_4k);
  g_test_add_func ("/Peel/Request/search-variants", test_search_variants);
  g_test_add_func ("/Peel/Request/match-input-ratio", test_match_input_ratio);
  g_test_add_func ("/Peel/Request/pro", test_pro);
  g_test_add_func ("/Peel/Request/flash-2-5", test_flash_2_5);
  g_test_add_func ("/Peel/Request/validate", test_validate);
  g_test_add_func ("/Peel/Request/edit-signatures", test_edit_signatures);
  g_test_add_func ("/Peel/Request/signed-thought-kept", test_signed_thought_kept);
  g_test_add_func ("/Peel/Request/empty-model-turn", test_empty_model_turn_left_out);
  g_test_add_func ("/Peel/Request/base64-round-trip", test_base64_round_trip);
  g_test_add_func ("/Peel/Request/text-escaping", test_text_escaping);
  g_test_add_func ("/Peel/Request/budget-drops-oldest", test_budget_drops_oldest);
  g_test_add_func ("/Peel/Request/budget-20-mb", test_budget_20_mb);
  g_test_add_func ("/Peel/Request/too-large", test_too_large);

  return g_test_run ();
}
