/* peel-gemini-reply.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "peel-part.h"
#include "peel-gemini-types.h"

G_BEGIN_DECLS

#define PEEL_TYPE_GEMINI_REPLY (peel_gemini_reply_get_type ())

G_DECLARE_FINAL_TYPE (PeelGeminiReply, peel_gemini_reply, PEEL, GEMINI_REPLY, GObject)

/**
 * PeelGroundingSource:
 * @title: (nullable): the page title
 * @uri: the link to the page that must be shown
 * @domain: (nullable): the site
 * @image_uri: (nullable): for image-search results, the image itself
 */
typedef struct
{
  char *title;
  char *uri;
  char *domain;
  char *image_uri;
} PeelGroundingSource;

typedef struct
{
  gint64 prompt_tokens;
  gint64 output_tokens;    /* candidatesTokenCount */
  gint64 thought_tokens;
  gint64 total_tokens;
} PeelUsage;

PeelGeminiReply   *peel_gemini_reply_new                (void);
PeelGeminiReply   *peel_gemini_reply_parse              (const char       *json,
                                                         gsize             len,
                                                         GError          **error);
gboolean           peel_gemini_reply_add_chunk          (PeelGeminiReply  *self,
                                                         const char       *json,
                                                         gsize             len,
                                                         GError          **error);
gboolean           peel_gemini_reply_check              (PeelGeminiReply  *self,
                                                         GError          **error);
GPtrArray         *peel_gemini_reply_get_parts          (PeelGeminiReply  *self);
GPtrArray         *peel_gemini_reply_dup_history_parts  (PeelGeminiReply  *self);
const PeelPart    *peel_gemini_reply_get_final_image    (PeelGeminiReply  *self);
const PeelPart    *peel_gemini_reply_get_last_thought_image (PeelGeminiReply *self);
const char        *peel_gemini_reply_get_image_url      (PeelGeminiReply  *self);
char              *peel_gemini_reply_dup_text           (PeelGeminiReply  *self);
char              *peel_gemini_reply_dup_thoughts       (PeelGeminiReply  *self);
const char        *peel_gemini_reply_get_finish_reason  (PeelGeminiReply  *self);
const char        *peel_gemini_reply_get_finish_message (PeelGeminiReply  *self);
const char        *peel_gemini_reply_get_block_reason   (PeelGeminiReply  *self);
const char        *peel_gemini_reply_get_block_message  (PeelGeminiReply  *self);
const char        *peel_gemini_reply_get_model_version  (PeelGeminiReply  *self);
const char        *peel_gemini_reply_get_response_id    (PeelGeminiReply  *self);
const PeelUsage   *peel_gemini_reply_get_usage          (PeelGeminiReply  *self);
GPtrArray         *peel_gemini_reply_get_sources        (PeelGeminiReply  *self);
const char *const *peel_gemini_reply_get_search_queries (PeelGeminiReply  *self);
const char        *peel_gemini_reply_get_search_entry_point (PeelGeminiReply *self);

void               peel_grounding_source_free           (PeelGroundingSource *source);

G_END_DECLS
