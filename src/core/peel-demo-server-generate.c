/* peel-demo-server-generate.c
 *
 * The demo server's worker: reads one generateContent request as strictly as Google does
 * (field names, roles, ratios, sizes, input limits, thought signatures), paints the
 * answer and writes it as one JSON reply or as SSE events. Runs in a worker thread and
 * hands what it makes to the main thread through the job's queue.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "peel-demo-painter.h"
#include "peel-demo-server-private.h"
#include "peel-model.h"

#define IMAGE_PLACEHOLDER "PEEL-DEMO-IMAGE-"

typedef struct
{
  PeelDemoJob     *job;
  JsonParser      *parser;
  const char      *model;
  PeelModelFamily  family;
  gboolean         signs;

  guint            fail_code;
  GBytes          *fail_body;

  const char      *ratio;
  PeelImageSize    size;
  gboolean         want_text;
  gboolean         want_image;
  gboolean         include_thoughts;
  gboolean         thinking_high;
  gboolean         search;
  gboolean         image_search;

  GString         *prompt;
  GPtrArray       *inputs;       /* GdkPixbuf, the last user turn's images */
  GBytes          *previous;     /* the last image the model made, to edit */
  gint64           prompt_tokens;
  guint8           hash[32];
  char            *response_id;
} Gen;

typedef struct
{
  gboolean  thought;
  char     *text;
  char     *b64;
  char     *signature;
} OutPart;

static void
out_part_free (gpointer data)
{
  OutPart *part = data;

  g_free (part->text);
  g_free (part->b64);
  g_free (part->signature);
  g_free (part);
}

static void
gen_clear (Gen *g)
{
  g_clear_object (&g->parser);
  g_clear_pointer (&g->fail_body, g_bytes_unref);
  if (g->prompt != NULL)
    g_string_free (g->prompt, TRUE);
  g_clear_pointer (&g->inputs, g_ptr_array_unref);
  g_clear_pointer (&g->previous, g_bytes_unref);
  g_clear_pointer (&g->response_id, g_free);
}

static gboolean G_GNUC_PRINTF (2, 3)
bad (Gen        *g,
     const char *format,
     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (g->fail_body == NULL)
    {
      g->fail_code = 400;
      g->fail_body = peel_demo_error_body (400, "INVALID_ARGUMENT", message, NULL);
    }

  return FALSE;
}

/* Proto-JSON takes lowerCamelCase and snake_case alike: "inlineData" or "inline_data". */
static gboolean
key_matches (const char *key,
             const char *camel)
{
  if (strcmp (key, camel) == 0)
    return TRUE;

  for (; *camel != '\0'; camel++)
    {
      if (g_ascii_isupper (*camel))
        {
          if (*key++ != '_')
            return FALSE;
          if (*key++ != g_ascii_tolower (*camel))
            return FALSE;
        }
      else if (*key++ != *camel)
        return FALSE;
    }

  return *key == '\0';
}

static JsonNode *
member (JsonObject *object,
        const char *camel)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    if (key_matches (key, camel))
      return node;

  return NULL;
}

static gboolean
check_fields (Gen                *g,
              JsonObject         *object,
              const char         *where,
              const char * const *allowed)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    {
      gboolean known = FALSE;

      for (guint i = 0; allowed[i] != NULL && !known; i++)
        known = key_matches (key, allowed[i]);

      if (!known && where != NULL)
        return bad (g, "Invalid JSON payload received. Unknown name \"%s\" at '%s': "
                       "Cannot find field.", key, where);
      if (!known)
        return bad (g, "Invalid JSON payload received. Unknown name \"%s\": Cannot find field.",
                    key);
    }

  return TRUE;
}

static JsonObject *
object_member (Gen        *g,
               JsonObject *object,
               const char *camel,
               const char *where)
{
  JsonNode *node = member (object, camel);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad (g, "Invalid JSON payload received. Unknown name \"%s\" at '%s': "
              "Proto field is not repeating, cannot start list.", camel, where);
      return NULL;
    }

  return json_node_get_object (node);
}

static const char *
string_member (Gen        *g,
               JsonObject *object,
               const char *camel,
               const char *where)
{
  JsonNode *node = member (object, camel);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      bad (g, "Invalid value at '%s.%s' (TYPE_STRING), expected a string.", where, camel);
      return NULL;
    }

  return json_node_get_string (node);
}

static gboolean
bool_member (JsonObject *object,
             const char *camel)
{
  JsonNode *node = member (object, camel);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gboolean
is_base64 (const char *s)
{
  gsize n = 0;

  for (const char *p = s; *p != '\0'; p++, n++)
    {
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=' &&
          *p != '-' && *p != '_')
        return FALSE;
      if (*p == '=' && p[1] != '\0' && p[1] != '=')
        return FALSE;
    }

  return n % 4 == 0;
}

static gboolean
mime_accepted (const char *mime)
{
  static const char *accepted[] = {
    "image/png", "image/jpeg", "image/webp", "image/heic", "image/heif",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    if (g_ascii_strcasecmp (mime, accepted[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
is_dummy_signature (const char *signature)
{
  /* Google documents these for history that did not come from the model. */
  return strcmp (signature, "context_engineering_is_the_way_to_go") == 0 ||
         strcmp (signature, "skip_thought_signature_validator") == 0;
}

static gboolean
signature_valid (const char    *signature,
                 char           kind,
                 gconstpointer  data,
                 gsize          len)
{
  g_autofree char *expected = NULL;

  if (is_dummy_signature (signature))
    return TRUE;

  expected = peel_demo_sign (kind, data, len);
  return strcmp (expected, signature) == 0;
}

static const char * const part_fields[] = {
  "text", "inlineData", "fileData", "thought", "thoughtSignature", "functionCall",
  "functionResponse", "executableCode", "codeExecutionResult", "videoMetadata", NULL,
};

static gboolean
read_part (Gen        *g,
           JsonNode   *node,
           guint       ci,
           guint       pi,
           gboolean    model,
           gboolean    last,
           gboolean   *seen_first)
{
  g_autofree char *where = g_strdup_printf ("contents[%u].parts[%u]", ci, pi);
  JsonObject *part;
  JsonObject *inline_data;
  const char *text, *signature;
  gboolean thought;
  g_autoptr(GBytes) image = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (g, "Invalid value at '%s' (type.googleapis.com/google.ai.generativelanguage."
                   "v1beta.Part), expected an object.", where);

  part = json_node_get_object (node);
  if (!check_fields (g, part, where, part_fields))
    return FALSE;

  if (member (part, "fileData") != NULL)
    return bad (g, "Peel's demo server does not fetch fileData; send the image as inlineData "
                   "(contents[%u].parts[%u]).", ci, pi);

  text = string_member (g, part, "text", where);
  signature = string_member (g, part, "thoughtSignature", where);
  inline_data = object_member (g, part, "inlineData", where);
  if (g->fail_body != NULL)
    return FALSE;
  thought = bool_member (part, "thought");

  if (inline_data != NULL)
    {
      g_autofree char *inline_where = g_strconcat (where, ".inline_data", NULL);
      static const char * const inline_fields[] = { "mimeType", "data", NULL };
      const char *mime, *data;
      guchar *raw;
      gsize len;

      if (!check_fields (g, inline_data, inline_where, inline_fields))
        return FALSE;
      mime = string_member (g, inline_data, "mimeType", inline_where);
      data = string_member (g, inline_data, "data", inline_where);
      if (g->fail_body != NULL)
        return FALSE;
      if (mime == NULL || data == NULL || *data == '\0')
        return bad (g, "* GenerateContentRequest.%s.data: inline_data.data and "
                       "inline_data.mime_type must be set\n", inline_where);
      if (!mime_accepted (mime))
        return bad (g, "Unsupported MIME type: %s", mime);
      if (!is_base64 (data))
        return bad (g, "Invalid value at '%s.data' (TYPE_BYTES), Base64 decoding failed for "
                       "\"%.24s…\"", inline_where, data);

      raw = g_base64_decode (data, &len);
      image = g_bytes_new_take (raw, len);
    }
  else if (text == NULL && g->fail_body == NULL)
    {
      return bad (g, "* GenerateContentRequest.%s.data: required oneof field 'data' must have "
                     "one initialized field\n", where);
    }

  if (model && g->signs && !thought)
    {
      gboolean required = !*seen_first || image != NULL;

      *seen_first = TRUE;
      if (signature == NULL && required)
        return bad (g, "%s part is missing a thought_signature in content position %u, part "
                       "position %u. Please refer to https://ai.google.dev/gemini-api/docs/"
                       "thought-signatures#model-behavior for more details.",
                    image != NULL ? "Image" : "Text", ci + 1, pi + 1);

      if (signature != NULL &&
          !(image != NULL
            ? signature_valid (signature, 'I', g_bytes_get_data (image, NULL),
                               g_bytes_get_size (image))
            : signature_valid (signature, 'T', text, strlen (text))))
        return bad (g, "Unable to submit request because it has an invalid thought signature "
                       "in content position %u, part position %u. Echo each thoughtSignature "
                       "exactly as it was received.", ci + 1, pi + 1);
    }

  if (image != NULL)
    {
      g->prompt_tokens += g->family == PEEL_MODEL_FAMILY_FLASH_2_5 ? 258 : 560;

      if (model && !thought)
        {
          g_clear_pointer (&g->previous, g_bytes_unref);
          g->previous = g_bytes_ref (image);
        }
      else if (!model && last)
        {
          g_autoptr(GError) error = NULL;
          GdkPixbuf *pixbuf = peel_demo_painter_decode (image, &error);

          if (pixbuf == NULL)
            return bad (g, "Unable to process input image. Please retry or report in "
                           "https://developers.generativeai.google/guide/troubleshooting");
          g_ptr_array_add (g->inputs, pixbuf);
        }
    }
  else if (text != NULL)
    {
      g->prompt_tokens += strlen (text) / 4 + 1;
      if (!model && last)
        {
          if (g->prompt->len > 0)
            g_string_append_c (g->prompt, ' ');
          g_string_append (g->prompt, text);
        }
    }

  return TRUE;
}

static gboolean
read_contents (Gen        *g,
               JsonObject *root)
{
  JsonNode *node = member (root, "contents");
  JsonArray *contents;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) == 0)
    return bad (g, "* GenerateContentRequest.contents: contents is not specified\n");

  contents = json_node_get_array (node);
  n = json_array_get_length (contents);

  for (guint i = 0; i < n; i++)
    {
      static const char * const content_fields[] = { "role", "parts", NULL };
      g_autofree char *where = g_strdup_printf ("contents[%u]", i);
      JsonNode *item = json_array_get_element (contents, i);
      JsonObject *content;
      JsonNode *parts_node;
      JsonArray *parts;
      const char *role;
      gboolean model, seen_first = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return bad (g, "Invalid value at '%s' (type.googleapis.com/google.ai."
                       "generativelanguage.v1beta.Content), expected an object.", where);
      content = json_node_get_object (item);
      if (!check_fields (g, content, where, content_fields))
        return FALSE;

      role = string_member (g, content, "role", where);
      if (g->fail_body != NULL)
        return FALSE;
      if (role != NULL && *role != '\0' && strcmp (role, "user") != 0 &&
          strcmp (role, "model") != 0)
        return bad (g, "Please use a valid role: user, model.");
      model = role != NULL && strcmp (role, "model") == 0;

      if (model != (i % 2 == 1))
        return bad (g, "Please ensure that multiturn requests alternate between user and "
                       "model.");

      parts_node = member (content, "parts");
      if (parts_node == NULL || !JSON_NODE_HOLDS_ARRAY (parts_node) ||
          json_array_get_length (json_node_get_array (parts_node)) == 0)
        return bad (g, "* GenerateContentRequest.contents[%u].parts: contents.parts must not "
                       "be empty.\n", i);
      parts = json_node_get_array (parts_node);

      for (guint j = 0; j < json_array_get_length (parts); j++)
        if (!read_part (g, json_array_get_element (parts, j), i, j, model, i + 1 == n,
                        &seen_first))
          return FALSE;

      if (i + 1 == n && model)
        return bad (g, "Please ensure that multiturn requests end with a user role or the role "
                       "field is empty.");
    }

  return TRUE;
}

static char *
supported_ratios (PeelModelFamily family)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);

      if (!peel_model_supports_ratio (family, name))
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, name);
    }

  return g_string_free (list, FALSE);
}

static char *
supported_sizes (PeelModelFamily family)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < PEEL_N_IMAGE_SIZES; i++)
    {
      if (!peel_model_supports_size (family, i))
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, peel_image_size_to_string (i));
    }

  return g_string_free (list, FALSE);
}

static gboolean
read_image_config (Gen        *g,
                   JsonObject *config)
{
  static const char * const fields[] = { "aspectRatio", "imageSize", NULL };
  const char *where = "generation_config.image_config";
  const char *ratio, *size;

  if (!check_fields (g, config, where, fields))
    return FALSE;

  ratio = string_member (g, config, "aspectRatio", where);
  size = string_member (g, config, "imageSize", where);
  if (g->fail_body != NULL)
    return FALSE;

  if (ratio != NULL && !peel_model_supports_ratio (g->family, ratio))
    {
      g_autofree char *list = supported_ratios (g->family);

      return bad (g, "Unsupported aspect ratio \"%s\" for models/%s. Supported values are: %s.",
                  ratio, g->model, list);
    }
  g->ratio = ratio;

  if (size != NULL)
    {
      g_autofree char *list = supported_sizes (g->family);

      if (!peel_model_sends_image_size (g->family))
        return bad (g, "Image size is not supported for models/%s.", g->model);
      if (!peel_image_size_from_string (size, &g->size) ||
          !peel_model_supports_size (g->family, g->size))
        return bad (g, "Unsupported image size \"%s\" for models/%s. Supported values are: %s.",
                    size, g->model, list);
    }

  return TRUE;
}

static gboolean
read_generation_config (Gen        *g,
                        JsonObject *root)
{
  static const char * const fields[] = {
    "responseModalities", "imageConfig", "thinkingConfig", "candidateCount", "temperature",
    "topP", "topK", "seed", "maxOutputTokens", "stopSequences", "presencePenalty",
    "frequencyPenalty", "responseMimeType", "mediaResolution", NULL,
  };
  const char *where = "generation_config";
  JsonObject *config = object_member (g, root, "generationConfig", where);
  JsonObject *image_config, *thinking;
  JsonNode *node;

  if (config == NULL)
    return g->fail_body == NULL;
  if (!check_fields (g, config, where, fields))
    return FALSE;

  node = member (config, "candidateCount");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_int (node) > 1)
    return bad (g, "Multiple candidates is not enabled for models/%s", g->model);

  node = member (config, "responseModalities");
  if (node != NULL)
    {
      JsonArray *modalities;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return bad (g, "Invalid value at 'generation_config.response_modalities', expected a "
                       "list.");
      modalities = json_node_get_array (node);
      g->want_text = g->want_image = FALSE;
      for (guint i = 0; i < json_array_get_length (modalities); i++)
        {
          const char *value = json_array_get_string_element (modalities, i);

          if (value != NULL && g_ascii_strcasecmp (value, "TEXT") == 0)
            g->want_text = TRUE;
          else if (value != NULL && g_ascii_strcasecmp (value, "IMAGE") == 0)
            g->want_image = TRUE;
          else
            return bad (g, "Invalid value at 'generation_config.response_modalities[%u]' "
                           "(type.googleapis.com/google.ai.generativelanguage.v1beta."
                           "GenerationConfig.Modality), \"%s\"", i, value ? value : "");
        }
      if (!g->want_text && !g->want_image)
        g->want_text = g->want_image = TRUE;
    }

  image_config = object_member (g, config, "imageConfig", where);
  if (image_config != NULL && !read_image_config (g, image_config))
    return FALSE;

  thinking = object_member (g, config, "thinkingConfig", where);
  if (thinking != NULL)
    {
      static const char * const thinking_fields[] = {
        "thinkingLevel", "includeThoughts", "thinkingBudget", NULL,
      };
      const char *twhere = "generation_config.thinking_config";
      const char *level;

      if (!check_fields (g, thinking, twhere, thinking_fields))
        return FALSE;
      level = string_member (g, thinking, "thinkingLevel", twhere);
      if (g->fail_body != NULL)
        return FALSE;
      g->include_thoughts = bool_member (thinking, "includeThoughts");

      if (level != NULL && peel_model_supports_thinking_level (g->family))
        {
          PeelThinkingLevel parsed;

          if (!peel_thinking_level_from_string (level, &parsed))
            return bad (g, "Thinking level \"%s\" is not supported for models/%s. Supported "
                           "values are: minimal, high.", level, g->model);
          g->thinking_high = parsed == PEEL_THINKING_HIGH;
        }
    }

  return g->fail_body == NULL;
}

static gboolean
read_tools (Gen        *g,
            JsonObject *root)
{
  JsonNode *node = member (root, "tools");
  JsonArray *tools;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return bad (g, "Invalid value at 'tools', expected a list.");

  tools = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      JsonNode *tool = json_array_get_element (tools, i);
      JsonObject *search, *types;

      if (!JSON_NODE_HOLDS_OBJECT (tool))
        return bad (g, "Invalid value at 'tools[%u]', expected an object.", i);
      search = object_member (g, json_node_get_object (tool), "googleSearch", "tools");
      if (g->fail_body != NULL)
        return FALSE;
      if (search == NULL || !peel_model_supports_search (g->family))
        continue;

      g->search = TRUE;
      types = object_member (g, search, "searchTypes", "tools.google_search");
      if (types != NULL && member (types, "imageSearch") != NULL &&
          peel_model_supports_image_search (g->family))
        g->image_search = TRUE;
    }

  return g->fail_body == NULL;
}

static const char *
nearest_ratio (PeelModelFamily family,
               int             width,
               int             height)
{
  const char *best = "1:1";
  double best_distance = G_MAXDOUBLE;
  double want = log ((double) width / height);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *name = peel_aspect_ratio_get_name (i);
      int w, h;
      double distance;

      if (!peel_model_supports_ratio (family, name) || !peel_aspect_ratio_get_shape (name, &w, &h))
        continue;
      distance = fabs (log ((double) w / h) - want);
      if (distance < best_distance)
        {
          best = name;
          best_distance = distance;
        }
    }

  return best;
}

static gboolean
read_request (Gen *g)
{
  static const char * const top_fields[] = {
    "contents", "generationConfig", "tools", "toolConfig", "safetySettings",
    "systemInstruction", "cachedContent", NULL,
  };
  g_autoptr(GError) error = NULL;
  gconstpointer data;
  gsize len;
  JsonNode *root;
  JsonObject *object;

  data = g_bytes_get_data (g->job->body, &len);
  g->parser = json_parser_new_immutable ();
  if (len == 0 || !json_parser_load_from_data (g->parser, data, len, &error))
    return bad (g, "Invalid JSON payload received. %s",
                error != NULL ? error->message : "Empty request body.");

  root = json_parser_get_root (g->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bad (g, "Invalid JSON payload received. Expected an object.");
  object = json_node_get_object (root);

  if (!check_fields (g, object, NULL, top_fields) ||
      !read_generation_config (g, object) ||
      !read_tools (g, object) ||
      !read_contents (g, object))
    return FALSE;

  if (g->inputs->len > peel_model_max_input_images (g->family))
    return bad (g, "Too many input images: %u. models/%s takes at most %u images in a prompt.",
                g->inputs->len, g->model, peel_model_max_input_images (g->family));

  if (g->ratio == NULL)
    {
      GdkPixbuf *first = g->inputs->len > 0 ? g_ptr_array_index (g->inputs, 0) : NULL;

      g->ratio = "1:1";
      if (first != NULL)
        g->ratio = nearest_ratio (g->family, gdk_pixbuf_get_width (first),
                                  gdk_pixbuf_get_height (first));
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */

static guint
image_tokens (Gen *g)
{
  static const guint flash[] = { 747, 1120, 1680, 2520 };
  static const guint pro[] = { 1120, 1120, 1120, 2000 };

  switch (g->family)
    {
    case PEEL_MODEL_FAMILY_FLASH_3_1:
      return flash[g->size];
    case PEEL_MODEL_FAMILY_PRO_3:
      return pro[g->size];
    case PEEL_MODEL_FAMILY_FLASH_2_5:
      return 1290;
    case PEEL_MODEL_FAMILY_FLASH_LITE_3_1:
    default:
      return 1120;
    }
}

static gboolean
thinks (Gen *g)
{
  return g->family != PEEL_MODEL_FAMILY_FLASH_2_5 &&
         (g->include_thoughts || g->thinking_high || g->family == PEEL_MODEL_FAMILY_PRO_3);
}

static gboolean
shows_thoughts (Gen *g)
{
  return g->family != PEEL_MODEL_FAMILY_FLASH_2_5 && g->include_thoughts;
}

static void
add_usage (Gen         *g,
           JsonBuilder *b,
           gboolean     with_output,
           gsize        text_len)
{
  gint64 image = with_output && g->want_image ? image_tokens (g) : 0;
  gint64 text = with_output && g->want_text ? (gint64) text_len / 4 + 1 : 0;
  gint64 thoughts = with_output && thinks (g) ? 180 + g->hash[5] * 3 : 0;

  json_builder_set_member_name (b, "usageMetadata");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "promptTokenCount");
  json_builder_add_int_value (b, g->prompt_tokens);
  if (with_output)
    {
      json_builder_set_member_name (b, "candidatesTokenCount");
      json_builder_add_int_value (b, image + text);
    }
  json_builder_set_member_name (b, "totalTokenCount");
  json_builder_add_int_value (b, g->prompt_tokens + image + text + thoughts);
  if (thoughts > 0)
    {
      json_builder_set_member_name (b, "thoughtsTokenCount");
      json_builder_add_int_value (b, thoughts);
    }
  json_builder_set_member_name (b, "promptTokensDetails");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "modality");
  json_builder_add_string_value (b, "TEXT");
  json_builder_set_member_name (b, "tokenCount");
  json_builder_add_int_value (b, g->prompt_tokens);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (image > 0)
    {
      json_builder_set_member_name (b, "candidatesTokensDetails");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "modality");
      json_builder_add_string_value (b, "IMAGE");
      json_builder_set_member_name (b, "tokenCount");
      json_builder_add_int_value (b, image);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static char *
short_prompt (Gen   *g,
              guint  max_chars)
{
  const char *text = g->prompt->len > 0 ? g->prompt->str : "an empty prompt";
  g_autofree char *head = NULL;

  if (g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);

  head = g_utf8_substring (text, 0, max_chars - 1);
  return g_strconcat (head, "…", NULL);
}

static void
add_grounding (Gen         *g,
               JsonBuilder *b)
{
  g_autofree char *topic = short_prompt (g, 60);
  g_autofree char *slug = NULL;
  GString *s = g_string_new (NULL);

  for (const char *p = topic; *p != '\0' && s->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, g_ascii_tolower (*p));
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  slug = g_string_free (s, FALSE);
  if (*slug == '\0')
    {
      g_free (slug);
      slug = g_strdup ("picture");
    }

  json_builder_set_member_name (b, "groundingMetadata");
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "searchEntryPoint");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "renderedContent");
  {
    g_autofree char *escaped = g_markup_escape_text (topic, -1);
    g_autofree char *html = g_strdup_printf ("<div class=\"peel-demo-search\">Demo search "
                                             "(no real search was made): %s</div>", escaped);
    json_builder_add_string_value (b, html);
  }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "groundingChunks");
  json_builder_begin_array (b);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *uri = g_strdup_printf ("https://example.com/peel-demo/%s/source-%u",
                                              slug, i);
      g_autofree char *title = g_strdup_printf ("Demo source %u about %s", i, topic);
      gboolean image = g->image_search && i == 3;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, image ? "image" : "web");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, image ? "sourceUri" : "uri");
      json_builder_add_string_value (b, uri);
      if (image)
        {
          g_autofree char *image_uri = g_strconcat (uri, "/image.png", NULL);

          json_builder_set_member_name (b, "imageUri");
          json_builder_add_string_value (b, image_uri);
        }
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, title);
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, "example.com");
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "webSearchQueries");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, topic);
  {
    g_autofree char *second = g_strconcat (topic, " reference", NULL);
    json_builder_add_string_value (b, second);
  }
  json_builder_end_array (b);

  if (g->image_search)
    {
      g_autofree char *query = g_strconcat (topic, " photo", NULL);

      json_builder_set_member_name (b, "imageSearchQueries");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, query);
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
}

/* Writes the reply with json-glib, then splices the base64 images in where their
 * placeholders are: escaping tens of megabytes character by character would be slow. */
static GBytes *
finish_json (JsonBuilder *b,
             GPtrArray   *images,
             gboolean     sse)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;
  gsize extra = 0;
  GString *out;
  const char *p;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  for (guint i = 0; i < images->len; i++)
    extra += strlen (g_ptr_array_index (images, i));

  out = g_string_sized_new (strlen (text) + extra + 16);
  if (sse)
    g_string_append (out, "data: ");

  p = text;
  for (guint i = 0; i < images->len; i++)
    {
      g_autofree char *needle = g_strdup_printf ("\"" IMAGE_PLACEHOLDER "%u\"", i);
      const char *at = strstr (p, needle);

      g_assert (at != NULL);
      g_string_append_len (out, p, at - p + 1);
      g_string_append (out, g_ptr_array_index (images, i));
      p = at + strlen (needle) - 1;
    }
  g_string_append (out, p);
  if (sse)
    g_string_append (out, "\r\n\r\n");

  return g_string_free_to_bytes (out);
}

typedef enum
{
  FINISH_NONE,
  FINISH_STOP,
  FINISH_IMAGE_SAFETY,
} Finish;

static GBytes *
response (Gen      *g,
          GPtrArray *parts,
          Finish     finish,
          gboolean   sse)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  gsize text_len = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  json_builder_begin_object (b);

  if (parts->len > 0)
    {
      json_builder_set_member_name (b, "content");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, "model");
      json_builder_set_member_name (b, "parts");
      json_builder_begin_array (b);
      for (guint i = 0; i < parts->len; i++)
        {
          OutPart *part = g_ptr_array_index (parts, i);

          json_builder_begin_object (b);
          if (part->b64 != NULL)
            {
              g_autofree char *placeholder = g_strdup_printf (IMAGE_PLACEHOLDER "%u",
                                                              images->len);

              json_builder_set_member_name (b, "inlineData");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "mimeType");
              json_builder_add_string_value (b, "image/png");
              json_builder_set_member_name (b, "data");
              json_builder_add_string_value (b, placeholder);
              json_builder_end_object (b);
              g_ptr_array_add (images, part->b64);
            }
          else
            {
              json_builder_set_member_name (b, "text");
              json_builder_add_string_value (b, part->text);
              if (!part->thought)
                text_len += strlen (part->text);
            }
          if (part->thought)
            {
              json_builder_set_member_name (b, "thought");
              json_builder_add_boolean_value (b, TRUE);
            }
          if (part->signature != NULL)
            {
              json_builder_set_member_name (b, "thoughtSignature");
              json_builder_add_string_value (b, part->signature);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  if (finish == FINISH_STOP)
    {
      json_builder_set_member_name (b, "finishReason");
      json_builder_add_string_value (b, "STOP");
      if (g->search)
        add_grounding (g, b);
    }
  else if (finish == FINISH_IMAGE_SAFETY)
    {
      json_builder_set_member_name (b, "finishReason");
      json_builder_add_string_value (b, "IMAGE_SAFETY");
      json_builder_set_member_name (b, "finishMessage");
      json_builder_add_string_value (b, "Unable to show the generated image. The image was "
                                        "filtered out because it violated Google's Generative "
                                        "AI Prohibited Use policy. You will not be charged for "
                                        "blocked images. Try rephrasing the prompt. If you "
                                        "think this was an error, send feedback.");
    }
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_end_object (b);
  json_builder_end_array (b);

  add_usage (g, b, TRUE, text_len > 0 ? text_len : 24);
  json_builder_set_member_name (b, "modelVersion");
  json_builder_add_string_value (b, g->model);
  json_builder_set_member_name (b, "responseId");
  json_builder_add_string_value (b, g->response_id);
  json_builder_end_object (b);

  return finish_json (b, images, sse);
}

static GBytes *
blocked_response (Gen      *g,
                  gboolean  sse)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) images = g_ptr_array_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "promptFeedback");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "blockReason");
  json_builder_add_string_value (b, "OTHER");
  json_builder_end_object (b);
  add_usage (g, b, FALSE, 0);
  json_builder_set_member_name (b, "modelVersion");
  json_builder_add_string_value (b, g->model);
  json_builder_set_member_name (b, "responseId");
  json_builder_add_string_value (b, g->response_id);
  json_builder_end_object (b);

  return finish_json (b, images, sse);
}

static OutPart *
text_part (const char *text,
           gboolean    thought)
{
  OutPart *part = g_new0 (OutPart, 1);

  part->text = g_strdup (text);
  part->thought = thought;
  return part;
}

static GPtrArray *
thought_texts (Gen *g)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *topic = short_prompt (g, 80);
  gboolean edit = g->previous != NULL || g->inputs->len > 0;
  static const char *palettes[] = { "dawn", "sea-glass", "orchard", "dusk", "citrus", "slate" };

  g_ptr_array_add (texts, g_strdup (edit ? "**Planning the edit**\n\n"
                                         : "**Composing the scene**\n\n"));
  g_ptr_array_add (texts, g_strdup_printf ("I'm reading the request: “%s”. ", topic));
  if (edit)
    g_ptr_array_add (texts, g_strdup_printf ("I'll keep the %s and lay the change over it "
                                             "with a %s tint, ",
                                             g->previous != NULL ? "previous picture"
                                                                 : "reference images",
                                             palettes[g->hash[3] % G_N_ELEMENTS (palettes)]));
  else
    g_ptr_array_add (texts, g_strdup_printf ("I'll try a soft %s palette with %s, ",
                                             palettes[g->hash[3] % G_N_ELEMENTS (palettes)],
                                             (g->hash[31] & 1) ? "rolling hills under a low sun"
                                                               : "overlapping round shapes"));
  g_ptr_array_add (texts, g_strdup_printf ("then check the framing at %s before the final "
                                           "render.", g->ratio));

  return texts;
}

static char *
paint_b64 (Gen        *g,
           int         width,
           int         height,
           guint       draft,
           GdkPixbuf  *base,
           GBytes    **png_out,
           GError    **error)
{
  PeelDemoPaintSpec spec = {
    .prompt = g->prompt->str,
    .width = width,
    .height = height,
    .ratio = g->ratio,
    .size_label = peel_model_sends_image_size (g->family)
                  ? peel_image_size_to_string (g->size) : NULL,
    .base = base,
    .inputs = g->inputs,
    .draft = draft,
  };
  g_autoptr(GBytes) png = peel_demo_painter_paint (&spec, error);
  char *b64;

  if (png == NULL)
    return NULL;

  b64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  if (png_out != NULL)
    *png_out = g_steal_pointer (&png);

  return b64;
}

static void
push_event (Gen       *g,
            GPtrArray *parts,
            Finish     finish)
{
  peel_demo_job_push (g->job, PEEL_DEMO_ITEM_EVENT, 200, response (g, parts, finish, TRUE));
}

static void
generate (Gen *g)
{
  PeelDemoJob *job = g->job;
  gboolean sse = job->stream;
  PeelDemoFault fault = job->fault;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (out_part_free);
  g_autoptr(GdkPixbuf) base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *final_b64 = NULL;
  g_autofree char *topic = short_prompt (g, 80);
  int width, height;

  if (fault == PEEL_DEMO_FAULT_BLOCKED_PROMPT)
    {
      peel_demo_job_push (job, sse ? PEEL_DEMO_ITEM_EVENT : PEEL_DEMO_ITEM_REPLY, 200,
                          blocked_response (g, sse));
      if (sse)
        peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
      return;
    }

  if (!peel_model_pixel_size (g->family, g->ratio, g->size, &width, &height))
    {
      peel_demo_job_push (job, PEEL_DEMO_ITEM_ERROR, 400,
                          peel_demo_error_printf (400, "INVALID_ARGUMENT",
                                                  "Unsupported aspect ratio \"%s\".", g->ratio));
      return;
    }

  if (g->previous != NULL)
    {
      base = peel_demo_painter_decode (g->previous, NULL);
      /* An image that does not decode is still edited: painted over a fresh picture. */
    }

  if (shows_thoughts (g))
    {
      g_autoptr(GPtrArray) texts = thought_texts (g);
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; i < texts->len; i++)
        {
          const char *text = g_ptr_array_index (texts, i);

          g_string_append (joined, text);
          if (sse)
            {
              g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func (out_part_free);

              g_ptr_array_add (one, text_part (text, TRUE));
              push_event (g, one, FINISH_NONE);
            }
        }
      g_ptr_array_add (all, text_part (joined->str, TRUE));

      for (guint draft = 1; draft <= 2 && g->want_image; draft++)
        {
          double scale = MIN (0.5, 1024.0 / MAX (width, height));
          OutPart *part = g_new0 (OutPart, 1);

          if (g_cancellable_is_cancelled (job->cancellable))
            {
              out_part_free (part);
              return;
            }
          part->thought = TRUE;
          part->b64 = paint_b64 (g, MAX (16, (int) (width * scale)),
                                 MAX (16, (int) (height * scale)), draft, base, NULL, &error);
          if (part->b64 == NULL)
            {
              out_part_free (part);
              break;
            }
          g_ptr_array_add (all, part);
          if (sse)
            {
              g_autoptr(GPtrArray) one = g_ptr_array_new ();

              g_ptr_array_add (one, part);
              push_event (g, one, FINISH_NONE);
            }
        }
    }

  if (fault == PEEL_DEMO_FAULT_IMAGE_SAFETY)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      if (sse)
        push_event (g, none, FINISH_IMAGE_SAFETY);
      else
        peel_demo_job_push (job, PEEL_DEMO_ITEM_REPLY, 200,
                            response (g, all, FINISH_IMAGE_SAFETY, FALSE));
      if (sse)
        peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
      return;
    }

  if (g_cancellable_is_cancelled (job->cancellable))
    return;

  if (g->want_image)
    {
      final_b64 = paint_b64 (g, width, height, 0, base, &png, &error);
      if (final_b64 == NULL)
        {
          peel_demo_job_push (job, PEEL_DEMO_ITEM_ERROR, 500,
                              peel_demo_error_printf (500, "INTERNAL", "The demo painter failed: "
                                                      "%s", error->message));
          return;
        }
    }

  if (g->want_text || fault == PEEL_DEMO_FAULT_DATA_URI)
    {
      g_autofree char *text = NULL;
      OutPart *part;

      if (g->previous != NULL || g->inputs->len > 0)
        text = g_strdup_printf ("Here is the picture with your change: “%s”.", topic);
      else
        text = g_strdup_printf ("Here is your picture of “%s”.", topic);

      if (fault == PEEL_DEMO_FAULT_DATA_URI && final_b64 != NULL)
        {
          g_autofree char *with_uri = g_strdup_printf ("%s\n\n![image](data:image/png;base64,%s)",
                                                       text, final_b64);
          g_free (text);
          text = g_steal_pointer (&with_uri);
          g_clear_pointer (&final_b64, g_free);
        }

      part = text_part (text, FALSE);
      if (g->signs)
        part->signature = peel_demo_sign ('T', text, strlen (text));
      g_ptr_array_add (all, part);
      if (sse)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, part);
          push_event (g, one, final_b64 == NULL && fault != PEEL_DEMO_FAULT_TRUNCATED_STREAM
                              ? FINISH_STOP : FINISH_NONE);
        }
    }

  if (fault == PEEL_DEMO_FAULT_TRUNCATED_STREAM)
    {
      if (sse)
        peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
      else
        peel_demo_job_push (job, PEEL_DEMO_ITEM_REPLY, 200,
                            response (g, all, FINISH_NONE, FALSE));
      return;
    }

  if (final_b64 != NULL)
    {
      OutPart *part = g_new0 (OutPart, 1);

      part->b64 = g_steal_pointer (&final_b64);
      if (g->signs)
        part->signature = peel_demo_sign ('I', g_bytes_get_data (png, NULL),
                                          g_bytes_get_size (png));
      g_ptr_array_add (all, part);
      if (sse)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, part);
          push_event (g, one, FINISH_STOP);
        }
    }

  if (sse)
    peel_demo_job_push (job, PEEL_DEMO_ITEM_END, 200, NULL);
  else
    peel_demo_job_push (job, PEEL_DEMO_ITEM_REPLY, 200, response (g, all, FINISH_STOP, FALSE));
}

static char *
make_response_id (Gen *g)
{
  guint8 raw[16];
  char *id;

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = g_random_int_range (0, 256);
  id = g_base64_encode (raw, sizeof raw);
  g_strdelimit (id, "+", '-');
  g_strdelimit (id, "/", '_');
  g_strdelimit (id, "=", '\0');

  return id;
}

/**
 * peel_demo_generate:
 * @job: the request to answer
 *
 * Validates @job's request and pushes its answer into the job's queue. Runs in a worker
 * thread; stops early once the job's cancellable is cancelled.
 */
void
peel_demo_generate (PeelDemoJob *job)
{
  Gen g = { 0 };
  gsize len = sizeof g.hash;

  g.job = job;
  g.model = job->model;
  g.family = peel_model_family_for_id (job->model);
  g.signs = g.family != PEEL_MODEL_FAMILY_FLASH_2_5;
  g.size = peel_model_default_size (g.family);
  g.want_text = g.want_image = TRUE;
  g.prompt = g_string_new (NULL);
  g.inputs = g_ptr_array_new_with_free_func (g_object_unref);

  if (!read_request (&g))
    {
      peel_demo_job_push (job, PEEL_DEMO_ITEM_ERROR, g.fail_code, g_steal_pointer (&g.fail_body));
      gen_clear (&g);
      return;
    }

  {
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

    g_checksum_update (sum, (const guchar *) g.prompt->str, g.prompt->len);
    g_checksum_get_digest (sum, g.hash, &len);
  }
  g.response_id = make_response_id (&g);

  generate (&g);
  gen_clear (&g);
}
