/* peel-gemini-reply.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "peel-data-error.h"
#include "peel-gemini-error.h"
#include "peel-gemini-reply.h"
#include "peel-gemini-reply-private.h"
#include "peel-image-probe.h"

G_DEFINE_FINAL_TYPE (PeelGeminiReply, peel_gemini_reply, G_TYPE_OBJECT)

void
peel_grounding_source_free (PeelGroundingSource *source)
{
  if (source == NULL)
    return;

  g_free (source->title);
  g_free (source->uri);
  g_free (source->domain);
  g_free (source->image_uri);
  g_free (source);
}

static void
peel_gemini_reply_finalize (GObject *object)
{
  PeelGeminiReply *self = (PeelGeminiReply *) object;

  g_clear_pointer (&self->parts, g_ptr_array_unref);
  g_clear_pointer (&self->finish_reason, g_free);
  g_clear_pointer (&self->finish_message, g_free);
  g_clear_pointer (&self->block_reason, g_free);
  g_clear_pointer (&self->block_message, g_free);
  g_clear_pointer (&self->model_version, g_free);
  g_clear_pointer (&self->response_id, g_free);
  g_clear_pointer (&self->search_entry_point, g_free);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->queries, g_ptr_array_unref);
  g_clear_pointer (&self->file_uri, g_free);
  g_clear_pointer (&self->file_uri_signature, g_free);
  g_clear_pointer (&self->display_only, g_hash_table_unref);
  g_clear_pointer (&self->image_url, g_free);
  g_clear_error (&self->stream_error);
  g_clear_pointer (&self->cut_from, g_hash_table_unref);
  g_clear_pointer (&self->originals, g_ptr_array_unref);

  G_OBJECT_CLASS (peel_gemini_reply_parent_class)->finalize (object);
}

static void
peel_gemini_reply_class_init (PeelGeminiReplyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = peel_gemini_reply_finalize;
}

static void
peel_gemini_reply_init (PeelGeminiReply *self)
{
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_grounding_source_free);
  self->queries = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->queries, NULL);
  self->originals = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  self->cut_from = g_hash_table_new (NULL, NULL);
  self->display_only = g_hash_table_new (NULL, NULL);
  self->open_part = NO_PART;
  _peel_gemini_reply_reset_scan (&self->scan);
}

/**
 * peel_gemini_reply_new:
 *
 * Returns: (transfer full): an empty reply, to fill with streamed events through
 *   peel_gemini_reply_add_chunk()
 */
PeelGeminiReply *
peel_gemini_reply_new (void)
{
  return g_object_new (PEEL_TYPE_GEMINI_REPLY, NULL);
}

/* JSON values ------------------------------------------------------------------------ */

static JsonNode *
get_member (JsonObject *object,
            const char *camel,
            const char *snake)
{
  JsonNode *node = json_object_get_member (object, camel);

  if (node == NULL && snake != NULL)
    node = json_object_get_member (object, snake);
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/* The string as json-glib holds it: a placeholder if it was a long string, and not necessarily
 * valid UTF-8 (a lone surrogate such as \ud800 decodes to bytes that are not). Only for
 * dup_string() and for base64 that is decoded, never shown. */
static const char *
get_raw_string (JsonObject *object,
                const char *camel,
                const char *snake)
{
  JsonNode *node = get_member (object, camel, snake);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A string member's value, looking through the placeholders of long strings, made valid
 * UTF-8: every string the reply keeps is read out of the JSON here. */
static char *
dup_string (PeelJsonDocument *doc,
            JsonObject       *object,
            const char       *camel,
            const char       *snake)
{
  return peel_json_document_dup_string (doc, get_raw_string (object, camel, snake));
}

static JsonObject *
get_object (JsonObject *object,
            const char *camel,
            const char *snake)
{
  JsonNode *node = get_member (object, camel, snake);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *camel,
           const char *snake)
{
  JsonNode *node = get_member (object, camel, snake);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
get_boolean (JsonObject *object,
             const char *name)
{
  JsonNode *node = get_member (object, name, NULL);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gboolean
get_int (JsonObject *object,
         const char *camel,
         const char *snake,
         gint64     *value)
{
  JsonNode *node = get_member (object, camel, snake);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      *value = (gint64) json_node_get_double (node);
      return TRUE;

    default:
      return FALSE;
    }
}

/* A later event's value replaces an earlier one; an event without it keeps it. */
static void
take_string (char **field,
             char  *value)
{
  if (value != NULL)
    {
      g_free (*field);
      *field = value;
    }
}

/* Parts ------------------------------------------------------------------------------ */

static gboolean
read_part (PeelGeminiReply  *self,
           PeelJsonDocument *doc,
           JsonObject       *object,
           gboolean          merge,
           GError          **error)
{
  gboolean thought = get_boolean (object, "thought");
  g_autofree char *signature = dup_string (doc, object, "thoughtSignature", "thought_signature");
  JsonObject *inline_data = get_object (object, "inlineData", "inline_data");
  JsonObject *file_data = get_object (object, "fileData", "file_data");
  PeelPart *part = NULL;

  if (inline_data != NULL)
    {
      g_autofree char *mime_type = dup_string (doc, inline_data, "mimeType", "mime_type");
      const char *data = get_raw_string (inline_data, "data", NULL);
      g_autoptr(GBytes) bytes = _peel_gemini_reply_decode_base64 (doc, data, error);

      if (bytes == NULL)
        return FALSE;

      if (mime_type != NULL && !g_str_has_prefix (mime_type, "image/") &&
          !peel_image_probe (bytes, NULL, NULL, NULL, NULL))
        {
          g_debug ("Skipping an inline part of type %s", mime_type);
          return TRUE;
        }

      part = _peel_gemini_reply_new_image_part (mime_type, bytes, thought, error);
      if (part == NULL)
        return FALSE;
    }
  else if (file_data == NULL || get_member (object, "text", NULL) != NULL)
    {
      g_autofree char *text = NULL;

      /* A part with neither, but a signature, is an empty text that must be echoed. */
      if (get_member (object, "text", NULL) == NULL && signature == NULL)
        return TRUE;
      text = dup_string (doc, object, "text", NULL);
      part = peel_part_new_text (text, thought);
    }
  else
    {
      g_autofree char *mime_type = NULL;
      g_autofree char *uri = NULL;

      /* A link is not a part: its image, once fetched, is, and takes the link's signature
       * (_peel_gemini_reply_add_linked_image()). */
      mime_type = dup_string (doc, file_data, "mimeType", "mime_type");
      uri = dup_string (doc, file_data, "fileUri", "file_uri");
      if (uri != NULL && !thought && (mime_type == NULL || g_str_has_prefix (mime_type, "image/")))
        {
          take_string (&self->file_uri, g_steal_pointer (&uri));
          take_string (&self->file_uri_signature, g_steal_pointer (&signature));
        }
      return TRUE;
    }

  peel_part_set_signature (part, signature);
  return _peel_gemini_reply_append_part (self, part, merge, error);
}

/* Grounding -------------------------------------------------------------------------- */

static void
add_query (PeelGeminiReply *self,
           const char      *query)
{
  if (query == NULL || query[0] == '\0')
    return;

  for (guint i = 0; i + 1 < self->queries->len; i++)
    if (strcmp (g_ptr_array_index (self->queries, i), query) == 0)
      return;

  g_ptr_array_insert (self->queries, self->queries->len - 1, g_strdup (query));
}

static void
add_source (PeelGeminiReply *self,
            const char      *uri,
            const char      *title,
            const char      *domain,
            const char      *image_uri)
{
  PeelGroundingSource *source;

  if (uri == NULL || uri[0] == '\0')
    return;

  for (guint i = 0; i < self->sources->len; i++)
    {
      PeelGroundingSource *known = g_ptr_array_index (self->sources, i);

      if (g_strcmp0 (known->uri, uri) == 0 && g_strcmp0 (known->image_uri, image_uri) == 0)
        return;
    }

  source = g_new0 (PeelGroundingSource, 1);
  source->uri = g_strdup (uri);
  source->title = g_strdup (title);
  source->domain = g_strdup (domain);
  source->image_uri = g_strdup (image_uri);
  g_ptr_array_add (self->sources, source);
}

static void
read_queries (PeelGeminiReply  *self,
              PeelJsonDocument *doc,
              JsonArray        *array)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *query = peel_json_document_dup_string (doc, json_node_get_string (node));

          add_query (self, query);
        }
    }
}

static void
read_source (PeelGeminiReply  *self,
             PeelJsonDocument *doc,
             JsonObject       *object,
             gboolean          image)
{
  g_autofree char *uri = NULL;
  g_autofree char *title = dup_string (doc, object, "title", NULL);
  g_autofree char *domain = dup_string (doc, object, "domain", NULL);
  g_autofree char *image_uri = NULL;

  if (image)
    {
      uri = dup_string (doc, object, "sourceUri", "source_uri");
      if (uri == NULL)
        uri = dup_string (doc, object, "uri", NULL);
      image_uri = dup_string (doc, object, "imageUri", "image_uri");
    }
  else
    {
      uri = dup_string (doc, object, "uri", NULL);
    }

  add_source (self, uri, title, domain, image_uri);
}

static void
read_grounding (PeelGeminiReply  *self,
                PeelJsonDocument *doc,
                JsonObject       *grounding)
{
  JsonArray *chunks = get_array (grounding, "groundingChunks", "grounding_chunks");
  JsonObject *entry = get_object (grounding, "searchEntryPoint", "search_entry_point");

  for (guint i = 0; chunks != NULL && i < json_array_get_length (chunks); i++)
    {
      JsonNode *node = json_array_get_element (chunks, i);
      JsonObject *chunk;
      JsonObject *web;
      JsonObject *image;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      chunk = json_node_get_object (node);

      if ((web = get_object (chunk, "web", NULL)) != NULL)
        read_source (self, doc, web, FALSE);
      if ((image = get_object (chunk, "image", NULL)) != NULL)
        read_source (self, doc, image, TRUE);
    }

  read_queries (self, doc, get_array (grounding, "webSearchQueries", "web_search_queries"));
  read_queries (self, doc, get_array (grounding, "imageSearchQueries", "image_search_queries"));

  if (entry != NULL)
    take_string (&self->search_entry_point,
                 dup_string (doc, entry, "renderedContent", "rendered_content"));
}

/* One GenerateContentResponse ------------------------------------------------------- */

static gboolean
read_response (PeelGeminiReply  *self,
               PeelJsonDocument *doc,
               JsonObject       *root,
               gboolean          merge,
               GError          **error)
{
  JsonObject *error_object = get_object (root, "error", NULL);
  JsonObject *feedback;
  JsonObject *usage;
  JsonArray *candidates;

  if (error_object != NULL)
    {
      GError *mapped = NULL;

      peel_gemini_error_set_from_object (&mapped, 0, error_object, self->model_version, NULL);
      g_clear_error (&self->stream_error);
      self->stream_error = g_error_copy (mapped);
      g_propagate_error (error, mapped);
      return FALSE;
    }

  if ((feedback = get_object (root, "promptFeedback", "prompt_feedback")) != NULL)
    {
      take_string (&self->block_reason,
                   dup_string (doc, feedback, "blockReason", "block_reason"));
      take_string (&self->block_message,
                   dup_string (doc, feedback, "blockReasonMessage", "block_reason_message"));
    }

  if ((usage = get_object (root, "usageMetadata", "usage_metadata")) != NULL)
    {
      get_int (usage, "promptTokenCount", "prompt_token_count", &self->usage.prompt_tokens);
      get_int (usage, "candidatesTokenCount", "candidates_token_count",
               &self->usage.output_tokens);
      get_int (usage, "thoughtsTokenCount", "thoughts_token_count", &self->usage.thought_tokens);
      get_int (usage, "totalTokenCount", "total_token_count", &self->usage.total_tokens);
    }

  take_string (&self->model_version, dup_string (doc, root, "modelVersion", "model_version"));
  take_string (&self->response_id, dup_string (doc, root, "responseId", "response_id"));

  candidates = get_array (root, "candidates", NULL);
  if (candidates != NULL && json_array_get_length (candidates) > 0)
    {
      JsonNode *node = json_array_get_element (candidates, 0);
      JsonObject *candidate;
      JsonObject *content;
      JsonObject *grounding;
      JsonArray *parts = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto malformed;
      candidate = json_node_get_object (node);

      if ((content = get_object (candidate, "content", NULL)) != NULL)
        parts = get_array (content, "parts", NULL);

      if (parts != NULL && json_array_get_length (parts) > MAX_PARTS)
        {
          g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_TOO_LARGE,
                       _("The reply has more than %d parts, which no real reply has. Peel did "
                         "not read it."), MAX_PARTS);
          return FALSE;
        }

      for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
        {
          JsonNode *part = json_array_get_element (parts, i);

          if (!JSON_NODE_HOLDS_OBJECT (part))
            goto malformed;
          if (!read_part (self, doc, json_node_get_object (part), merge, error))
            return FALSE;
        }

      take_string (&self->finish_reason,
                   dup_string (doc, candidate, "finishReason", "finish_reason"));
      take_string (&self->finish_message,
                   dup_string (doc, candidate, "finishMessage", "finish_message"));

      if ((grounding = get_object (candidate, "groundingMetadata", "grounding_metadata")) != NULL)
        read_grounding (self, doc, grounding);
    }

  return TRUE;

malformed:
  g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                       _("The reply does not have the shape of a Gemini answer. Check the "
                         "provider in Preferences."));
  return FALSE;
}

static gboolean
load (PeelGeminiReply  *self,
      const char       *json,
      gsize             len,
      gboolean          merge,
      GError          **error)
{
  g_autoptr(PeelJsonDocument) doc = _peel_gemini_reply_open_json (json, len, error);
  JsonNode *root;

  if (doc == NULL)
    return FALSE;

  root = peel_json_document_get_root (doc);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return read_response (self, doc, json_node_get_object (root), merge, error);

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      /* The `alt=json` stream: an array of responses, each a delta. */
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_OBJECT (node))
            break;
          if (!read_response (self, doc, json_node_get_object (node), TRUE, error))
            return FALSE;
        }
      return TRUE;
    }

  g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                       _("The reply does not have the shape of a Gemini answer. Check the "
                         "provider in Preferences."));
  return FALSE;
}

/**
 * peel_gemini_reply_parse:
 * @json: a whole `generateContent` response body
 * @len: its length
 * @error: return location for an error
 *
 * Parses a reply. Fails for what cannot be read at all: JSON that is broken or
 * hostile (deeper than 64 levels, more than 1000 parts, an image of absurd size,
 * bad base64), or an error object. Whether the reply holds an image is for
 * peel_gemini_reply_check() to say.
 *
 * Returns: (transfer full): the reply, or %NULL
 */
PeelGeminiReply *
peel_gemini_reply_parse (const char  *json,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(PeelGeminiReply) self = NULL;

  g_return_val_if_fail (json != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = peel_gemini_reply_new ();
  if (!load (self, json, len, FALSE, error) || !_peel_gemini_reply_close_open_part (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * peel_gemini_reply_add_chunk:
 * @self: a #PeelGeminiReply
 * @json: one streamed event's data: a GenerateContentResponse holding deltas
 * @len: its length
 * @error: return location for an error
 *
 * Merges one event into the reply. Unsigned text continues the previous text
 * part; signed parts and images stay separate. An `{"error": …}` event fails
 * with that error, mapped as for an HTTP refusal.
 *
 * Returns: %FALSE when the stream cannot go on
 */
gboolean
peel_gemini_reply_add_chunk (PeelGeminiReply  *self,
                             const char       *json,
                             gsize             len,
                             GError          **error)
{
  gsize start = 0;
  gsize end = len;

  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), FALSE);
  g_return_val_if_fail (json != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->streamed = TRUE;

  while (start < end && g_ascii_isspace (json[start]))
    start++;
  while (end > start && g_ascii_isspace (json[end - 1]))
    end--;
  /* Keep-alives, and the sentinel some OpenAI-style proxies add. */
  if (start == end || (end - start == 6 && memcmp (json + start, "[DONE]", 6) == 0))
    return TRUE;

  return load (self, json, len, TRUE, error);
}

/* Reading ---------------------------------------------------------------------------- */

GPtrArray *
peel_gemini_reply_get_parts (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->parts;
}

/* The image fetched from the link a reply gave in its place (peel_gemini_reply_get_image_url()).
 * From a fileData part, it is that part: it takes its signature and is sent back, as inline
 * data, in the history. From a link in the text, the model's turn is that text, sent back as
 * received; the image is shown, not sent back. */
gboolean
_peel_gemini_reply_add_linked_image (PeelGeminiReply  *self,
                                     const char       *mime_type,
                                     GBytes           *bytes,
                                     GError          **error)
{
  const char *url = peel_gemini_reply_get_image_url (self);
  gboolean from_file_data = url != NULL && g_strcmp0 (url, self->file_uri) == 0;
  PeelPart *part = _peel_gemini_reply_new_image_part (mime_type, bytes, FALSE, error);

  if (part == NULL)
    return FALSE;
  if (from_file_data)
    peel_part_set_signature (part, self->file_uri_signature);
  else
    g_hash_table_add (self->display_only, part);
  return _peel_gemini_reply_append_part (self, part, FALSE, error);
}

/**
 * peel_gemini_reply_dup_history_parts:
 * @self: a #PeelGeminiReply
 *
 * The model's turn as it must be sent back next time: every part that is not a
 * thought, in order, each with its signature exactly as received. A signed text
 * part holding a data URI, which peel_gemini_reply_get_parts() shows as text and
 * image without the signature, is sent back whole, as received: the signature
 * is only valid for that text.
 *
 * Returns: (transfer full) (element-type PeelPart): the parts
 */
GPtrArray *
peel_gemini_reply_dup_history_parts (PeelGeminiReply *self)
{
  GPtrArray *parts;
  const PeelPart *last_original = NULL;

  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  parts = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  for (guint i = 0; i < self->parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (self->parts, i);
      const PeelPart *original = g_hash_table_lookup (self->cut_from, part);

      if (part->thought || g_hash_table_contains (self->display_only, part))
        continue;

      /* The pieces of one part are next to each other: it goes out once, for the first. */
      if (original != NULL)
        {
          if (original != last_original)
            g_ptr_array_add (parts, peel_part_copy (original));
          last_original = original;
          continue;
        }

      last_original = NULL;
      g_ptr_array_add (parts, peel_part_copy (part));
    }

  return parts;
}

const PeelPart *
_peel_gemini_reply_last_image (PeelGeminiReply *self,
                               gboolean         thought)
{
  for (guint i = self->parts->len; i > 0; i--)
    {
      const PeelPart *part = g_ptr_array_index (self->parts, i - 1);

      if (part->kind == PEEL_PART_IMAGE && part->thought == thought)
        return part;
    }

  return NULL;
}

/**
 * peel_gemini_reply_get_final_image:
 * @self: a #PeelGeminiReply
 *
 * Returns: (nullable): the last image that is not a thought: the answer
 */
const PeelPart *
peel_gemini_reply_get_final_image (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return _peel_gemini_reply_last_image (self, FALSE);
}

/**
 * peel_gemini_reply_get_last_thought_image:
 * @self: a #PeelGeminiReply
 *
 * Returns: (nullable): the latest interim image the model drew while thinking
 */
const PeelPart *
peel_gemini_reply_get_last_thought_image (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return _peel_gemini_reply_last_image (self, TRUE);
}

const char *
peel_gemini_reply_get_finish_reason (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->finish_reason;
}

const char *
peel_gemini_reply_get_finish_message (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->finish_message;
}

const char *
peel_gemini_reply_get_block_reason (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->block_reason;
}

const char *
peel_gemini_reply_get_block_message (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->block_message;
}

const char *
peel_gemini_reply_get_model_version (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->model_version;
}

const char *
peel_gemini_reply_get_response_id (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->response_id;
}

const PeelUsage *
peel_gemini_reply_get_usage (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return &self->usage;
}

/**
 * peel_gemini_reply_get_sources:
 * @self: a #PeelGeminiReply
 *
 * Returns: (transfer none) (element-type PeelGroundingSource): the pages (and
 *   images) that grounded the answer, to be linked
 */
GPtrArray *
peel_gemini_reply_get_sources (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->sources;
}

/**
 * peel_gemini_reply_get_search_queries:
 * @self: a #PeelGeminiReply
 *
 * Returns: (transfer none): the web and image search queries the model ran,
 *   %NULL-terminated, possibly empty
 */
const char *const *
peel_gemini_reply_get_search_queries (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return (const char *const *) self->queries->pdata;
}

/**
 * peel_gemini_reply_get_search_entry_point:
 * @self: a #PeelGeminiReply
 *
 * Returns: (nullable): the HTML of Google's search suggestions, which its terms
 *   ask to show with a grounded answer
 */
const char *
peel_gemini_reply_get_search_entry_point (PeelGeminiReply *self)
{
  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), NULL);

  return self->search_entry_point;
}

/* Judging ---------------------------------------------------------------------------- */

static gboolean
is_block_reason (const char *reason)
{
  static const char *blocked[] = {
    "SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT",
    "RECITATION", "IMAGE_RECITATION", "BLOCKLIST", "SPII",
  };

  for (guint i = 0; reason != NULL && i < G_N_ELEMENTS (blocked); i++)
    if (strcmp (reason, blocked[i]) == 0)
      return TRUE;

  return FALSE;
}

static char *
quote (const char *text)
{
  return peel_gemini_error_sanitize (text, -1, 300);
}

static gboolean
set_blocked (PeelGeminiReply  *self,
             GError          **error)
{
  g_autofree char *message = NULL;
  g_autofree char *reason = NULL;

  if (self->block_reason != NULL)
    {
      reason = quote (self->block_reason);
      message = self->block_message != NULL ? quote (self->block_message) : NULL;
      if (message != NULL && message[0] != '\0')
        g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED,
                     /* Translators: the first %s is a code such as SAFETY, the second
                      * Google's explanation */
                     _("Google blocked the prompt (%s): “%s”. Rephrase the prompt."),
                     reason, message);
      else
        g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED,
                     _("Google blocked the prompt (%s). Rephrase the prompt."), reason);
      return FALSE;
    }

  reason = quote (self->finish_reason);
  message = self->finish_message != NULL ? quote (self->finish_message) : NULL;
  if (message != NULL && message[0] != '\0')
    g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED,
                 /* Translators: the first %s is a code such as IMAGE_SAFETY, the second the
                  * model's own explanation */
                 _("Google blocked the answer (%s): “%s”. Change the prompt and try again."),
                 reason, message);
  else if (g_str_has_suffix (self->finish_reason, "RECITATION"))
    g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED,
                 _("Google blocked the answer (%s) because it came too close to existing "
                   "work. Change the prompt and try again."), reason);
  else
    g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_BLOCKED,
                 _("Google blocked the answer (%s) under its content policy. Change the "
                   "prompt and try again."), reason);
  return FALSE;
}

/**
 * peel_gemini_reply_check:
 * @self: a finished #PeelGeminiReply
 * @error: return location for an error
 *
 * Says whether a finished reply is a success: it holds a final image that is
 * complete (or, from a proxy, an image link; see
 * peel_gemini_reply_get_image_url()). Otherwise the error says why:
 * %PEEL_GEMINI_ERROR_BLOCKED for a blocked prompt or answer,
 * %PEEL_GEMINI_ERROR_NO_IMAGE quoting what the model said instead,
 * %PEEL_GEMINI_ERROR_MALFORMED for a stream cut short or an image that is.
 *
 * Returns: %TRUE if there is an image to show
 */
gboolean
peel_gemini_reply_check (PeelGeminiReply  *self,
                         GError          **error)
{
  const PeelPart *image;
  g_autofree char *text = NULL;

  g_return_val_if_fail (PEEL_IS_GEMINI_REPLY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->stream_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->stream_error));
      return FALSE;
    }

  if (!_peel_gemini_reply_close_open_part (self, error))
    return FALSE;

  image = _peel_gemini_reply_last_image (self, FALSE);
  if (image != NULL)
    {
      g_autoptr(GError) probe_error = NULL;

      if (peel_image_probe (image->data, NULL, NULL, NULL, &probe_error))
        return TRUE;

      if (g_error_matches (probe_error, PEEL_DATA_ERROR, PEEL_DATA_ERROR_UNSUPPORTED))
        g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                             _("The reply holds an image Peel cannot read: its data is not "
                               "an image format Peel knows. Try again."));
      else
        peel_gemini_error_propagate_data (error, g_steal_pointer (&probe_error));
      return FALSE;
    }

  if (self->block_reason != NULL || is_block_reason (self->finish_reason))
    return set_blocked (self, error);

  if (peel_gemini_reply_get_image_url (self) != NULL)
    return TRUE;

  if (self->finish_reason == NULL)
    {
      if (self->streamed)
        g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                             _("The reply was cut short before the image arrived. Try again."));
      else
        g_set_error_literal (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_MALFORMED,
                             _("The reply holds no answer: neither an image nor a reason for "
                               "its absence. Try again."));
      return FALSE;
    }

  text = _peel_gemini_reply_join_text (self, FALSE);
  if (text == NULL && self->finish_message != NULL)
    text = g_strdup (self->finish_message);

  if (text != NULL)
    {
      g_autofree char *said = quote (text);

      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE,
                   /* Translators: %s is what the model wrote */
                   _("The model answered without an image: “%s”. Try rephrasing the prompt, "
                     "or ask for an image explicitly."), said);
    }
  else
    {
      g_autofree char *reason = quote (self->finish_reason);

      g_set_error (error, PEEL_GEMINI_ERROR, PEEL_GEMINI_ERROR_NO_IMAGE,
                   /* Translators: %s is a code such as NO_IMAGE */
                   _("The model finished without an image (%s). Try rephrasing the prompt, "
                     "or ask for an image explicitly."), reason);
    }

  return FALSE;
}
