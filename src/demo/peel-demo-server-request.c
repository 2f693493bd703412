/* peel-demo-server-request.c
 *
 * The demo server reads a generateContent request as strictly as Google does: field names
 * (camelCase or snake_case, nothing unknown), roles that alternate and end with the user,
 * ratios and sizes the model takes, input limits, and the thought signatures it issued on
 * every model turn. Runs in a worker thread.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "peel-demo-painter.h"
#include "peel-demo-server-private.h"
#include "peel-json-reader.h"

void
peel_demo_request_clear (PeelDemoRequest *g)
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
bad (PeelDemoRequest        *g,
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
check_fields (PeelDemoRequest                *g,
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
object_member (PeelDemoRequest        *g,
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
string_member (PeelDemoRequest        *g,
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
read_part (PeelDemoRequest        *g,
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
      if (!model)
        g->user_images++;

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
read_contents (PeelDemoRequest        *g,
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
read_image_config (PeelDemoRequest        *g,
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
read_generation_config (PeelDemoRequest        *g,
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
read_tools (PeelDemoRequest        *g,
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

gboolean
peel_demo_request_read (PeelDemoRequest *g)
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
  /* The bounded reader's depth check first: the size was capped when the body was read. */
  if (len > 0 && !peel_json_reader_scan (data, len, G_MAXSIZE, 0, NULL, NULL, &error))
    return bad (g, "Invalid JSON payload received. %s", error->message);
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

  /* Like the service, every image of every user turn counts, not just the new turn's. */
  if (g->user_images > peel_model_max_input_images (g->family))
    return bad (g, "Too many input images: %u. models/%s takes at most %u images in a prompt.",
                g->user_images, g->model, peel_model_max_input_images (g->family));

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
