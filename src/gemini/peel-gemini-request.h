/* peel-gemini-request.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "peel-model-catalog.h"
#include "peel-part.h"
#include "peel-gemini-types.h"

G_BEGIN_DECLS

#define PEEL_TYPE_GEMINI_REQUEST (peel_gemini_request_get_type ())

G_DECLARE_FINAL_TYPE (PeelGeminiRequest, peel_gemini_request, PEEL, GEMINI_REQUEST, GObject)

PeelGeminiRequest *peel_gemini_request_new                (const char         *model);
const char        *peel_gemini_request_get_model          (PeelGeminiRequest  *self);
void               peel_gemini_request_set_aspect_ratio   (PeelGeminiRequest  *self,
                                                           const char         *ratio);
void               peel_gemini_request_set_image_size     (PeelGeminiRequest  *self,
                                                           PeelImageSize       size);
void               peel_gemini_request_set_thinking_level (PeelGeminiRequest  *self,
                                                           PeelThinkingLevel   level);
void               peel_gemini_request_set_include_thoughts (PeelGeminiRequest *self,
                                                             gboolean           include_thoughts);
void               peel_gemini_request_set_search         (PeelGeminiRequest  *self,
                                                           gboolean            web_search,
                                                           gboolean            image_search);
void               peel_gemini_request_set_image_only     (PeelGeminiRequest  *self,
                                                           gboolean            image_only);
void               peel_gemini_request_add_turn           (PeelGeminiRequest  *self,
                                                           const char         *role,
                                                           GPtrArray          *parts);
void               peel_gemini_request_set_prompt         (PeelGeminiRequest  *self,
                                                           const char         *prompt);
void               peel_gemini_request_add_image          (PeelGeminiRequest  *self,
                                                           const PeelPart     *image);
gboolean           peel_gemini_request_validate           (PeelGeminiRequest  *self,
                                                           GError            **error);
GBytes            *peel_gemini_request_build              (PeelGeminiRequest  *self,
                                                           gsize               max_bytes,
                                                           GError            **error);
guint              peel_gemini_request_get_dropped_turns  (PeelGeminiRequest  *self);
char              *peel_gemini_request_dup_summary        (PeelGeminiRequest  *self);

G_END_DECLS
