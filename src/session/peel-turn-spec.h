/* peel-turn-spec.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "peel-model-catalog.h"
#include "peel-session-types.h"

G_BEGIN_DECLS

/**
 * PeelTurnOptions:
 * @thinking_level: how hard the model should think
 * @include_thoughts: whether to ask for the model's thoughts
 * @search: Google Search grounding
 * @image_search: image search grounding
 *
 * The options of a user turn besides prompt, images, ratio, size and model.
 */
typedef struct
{
  PeelThinkingLevel thinking_level;
  gboolean          include_thoughts;
  gboolean          search;
  gboolean          image_search;
} PeelTurnOptions;

/**
 * PeelTurnSpec:
 * @prompt: what the user asked for
 * @references: (nullable) (element-type PeelPart): prepared input images
 * @aspect_ratio: (nullable): the ratio, or %NULL to let the model match the input
 * @size: the image size
 * @model: (nullable): the model id; the session takes %NULL as the default model
 * @options: thinking, thoughts and search
 * @draft_of: (nullable): the id of the node this turn renders larger (docs/render-larger.md)
 * @batch: (nullable): the batch id when the turn is one of the siblings of a Generate with
 *   variations (see docs/variations.md), else %NULL
 *
 * What the user asks for in one new turn. A spec filled in on the stack borrows its strings
 * and references; one made by peel_turn_spec_copy() owns them and is freed with
 * peel_turn_spec_free().
 */
typedef struct
{
  const char      *prompt;
  GPtrArray       *references;
  const char      *aspect_ratio;
  PeelImageSize    size;
  const char      *model;
  PeelTurnOptions  options;
  const char      *draft_of;
  const char      *batch;
} PeelTurnSpec;

#define PEEL_TYPE_TURN_SPEC (peel_turn_spec_get_type ())

GType         peel_turn_spec_get_type (void) G_GNUC_CONST;
PeelTurnSpec *peel_turn_spec_copy     (const PeelTurnSpec *spec);
void          peel_turn_spec_free     (PeelTurnSpec       *spec);
PeelTurnSpec *peel_turn_spec_new_from_node (PeelNode     *node,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelTurnSpec, peel_turn_spec_free)

G_END_DECLS
