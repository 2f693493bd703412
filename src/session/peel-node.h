/* peel-node.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-model-catalog.h"
#include "peel-part.h"
#include "peel-session-types.h"
#include "peel-turn-spec.h"

G_BEGIN_DECLS

#define PEEL_TYPE_NODE (peel_node_get_type ())

G_DECLARE_FINAL_TYPE (PeelNode, peel_node, PEEL, NODE, GObject)

typedef enum
{
  PEEL_NODE_PENDING,
  PEEL_NODE_DONE,
  PEEL_NODE_FAILED,
} PeelNodeStatus;

/**
 * PeelSource:
 * @title: (nullable): the page title
 * @uri: the page address
 *
 * One grounding source the model cited.
 */
typedef struct
{
  char *title;
  char *uri;
} PeelSource;

/**
 * PeelRegionInfo:
 * @x: the selection's bounds in the parent's image
 * @y: see @x
 * @width: see @x
 * @height: see @x
 * @feather: the feather radius, in pixels
 * @fitted: the model's answer had another shape than was asked, and was fitted
 *
 * What a region edit records besides its mask and the model's raw answer.
 */
typedef struct
{
  int      x;
  int      y;
  int      width;
  int      height;
  int      feather;
  gboolean fitted;
} PeelRegionInfo;

/* The roles of a node's extra images (peel_node_dup_extra()). */
#define PEEL_EXTRA_REGION_MASK   "regionMask"
#define PEEL_EXTRA_REGION_ANSWER "regionAnswer"
#define PEEL_EXTRA_SELECTION     "selection"

/**
 * PeelTurnResult:
 * @prompt_tokens: `usageMetadata.promptTokenCount`
 * @output_tokens: `usageMetadata.candidatesTokenCount`
 * @thought_tokens: `usageMetadata.thoughtsTokenCount`
 * @cost: US dollars; negative to have it computed from the model's prices
 * @finish_reason: (nullable): e.g. "STOP", "IMAGE_SAFETY"
 * @finish_message: (nullable): the `finishMessage` shown to the user
 * @sources: (nullable) (element-type PeelSource): grounding sources
 * @search_queries: (nullable): the web and image search queries the model ran
 * @history: (nullable) (element-type PeelPart): the model turn as it must be sent back
 *   (peel_gemini_reply_dup_history_parts()), when that may differ from the parts that are
 *   not thoughts: a signed text part holding a data URI, shown cut into text and image
 * @context_note: (nullable): what of the branch the request left out, and why
 *
 * @issuer: (nullable): the service that issued the turn (peel_provider_get_issuer()); its
 *   signatures are only ever sent back there, with the same model
 * @context_rebuilt: the branch before it was sent as the user's own images, without the
 *   model's signatures
 * @region: (nullable): set when the turn is a region edit: its bounds, feather and fit
 * @region_mask: (nullable): the region edit's mask, a PNG of the image's size
 * @region_answer: (nullable): the model's image as received, before it was composited
 *
 * What came with the parts of a model turn. Everything is copied; the node keeps @history
 * in terms of the parts, so an image is never held twice.
 */
typedef struct
{
  gint64              prompt_tokens;
  gint64              output_tokens;
  gint64              thought_tokens;
  double              cost;
  const char         *finish_reason;
  const char         *finish_message;
  GPtrArray          *sources;
  const char * const *search_queries;
  GPtrArray          *history;
  const char         *context_note;
  const char         *issuer;
  gboolean            context_rebuilt;
  const PeelRegionInfo *region;
  const PeelPart     *region_mask;
  const PeelPart     *region_answer;
} PeelTurnResult;

PeelSource     *peel_source_new                  (const char *title,
                                                  const char *uri);
void            peel_source_free                 (PeelSource *source);

const char     *peel_node_status_to_string       (PeelNodeStatus status);

const char     *peel_node_get_id                 (PeelNode   *node);
const char     *peel_node_get_parent_id          (PeelNode   *node);
PeelNode       *peel_node_get_parent             (PeelNode   *node);
GListModel     *peel_node_get_children           (PeelNode   *node);
guint           peel_node_get_depth              (PeelNode   *node);
PeelNodeStatus  peel_node_get_status             (PeelNode   *node);
gint64          peel_node_get_created            (PeelNode   *node);
const char     *peel_node_get_title              (PeelNode   *node);
const char     *peel_node_get_display_title      (PeelNode   *node);
gboolean        peel_node_get_starred            (PeelNode   *node);
gboolean        peel_node_get_hidden             (PeelNode   *node);
gboolean        peel_node_get_imported           (PeelNode   *node);
const char     *peel_node_get_issuer             (PeelNode   *node);
gboolean        peel_node_get_context_rebuilt    (PeelNode   *node);
gboolean        peel_node_get_unsaved            (PeelNode   *node);

const char     *peel_node_get_prompt             (PeelNode   *node);
GPtrArray      *peel_node_get_references         (PeelNode   *node);
GPtrArray      *peel_node_dup_references         (PeelNode   *node,
                                                  GError    **error);
const char     *peel_node_get_aspect_ratio       (PeelNode   *node);
PeelImageSize   peel_node_get_size               (PeelNode   *node);
const char     *peel_node_get_model              (PeelNode   *node);
const char     *peel_node_get_batch              (PeelNode   *node);
void            peel_node_get_options            (PeelNode        *node,
                                                  PeelTurnOptions *options);
const char     *peel_node_get_draft_of           (PeelNode        *node);

GPtrArray      *peel_node_get_parts              (PeelNode   *node);
const char     *peel_node_get_part_blob          (PeelNode   *node,
                                                  guint       index);
GBytes         *peel_node_dup_part_data          (PeelNode   *node,
                                                  guint       index,
                                                  GError    **error);
GPtrArray      *peel_node_dup_history_parts      (PeelNode   *node);
GPtrArray      *peel_node_dup_history_parts_full (PeelNode   *node,
                                                  GError    **error);
char           *peel_node_dup_text               (PeelNode   *node);
char           *peel_node_dup_thoughts           (PeelNode   *node);
void            peel_node_get_usage              (PeelNode   *node,
                                                  gint64     *prompt_tokens,
                                                  gint64     *output_tokens,
                                                  gint64     *thought_tokens);
double          peel_node_get_cost               (PeelNode   *node);
const char     *peel_node_get_finish_reason      (PeelNode   *node);
const char     *peel_node_get_finish_message     (PeelNode   *node);
const char     *peel_node_get_context_note       (PeelNode   *node);
GPtrArray      *peel_node_get_sources            (PeelNode   *node);
const char * const *peel_node_get_search_queries (PeelNode   *node);
const char     *peel_node_get_error_code         (PeelNode   *node);
const char     *peel_node_get_error_message      (PeelNode   *node);

gboolean        peel_node_get_has_image          (PeelNode   *node);
const PeelPart *peel_node_get_final_image        (PeelNode   *node);
int             peel_node_get_final_image_index  (PeelNode   *node);
GBytes         *peel_node_dup_final_image_bytes  (PeelNode   *node,
                                                  GError    **error);
int             peel_node_get_final_width        (PeelNode   *node);
int             peel_node_get_final_height       (PeelNode   *node);
const char     *peel_node_get_final_blob         (PeelNode   *node);

gboolean        peel_node_get_region             (PeelNode        *node,
                                                  PeelRegionInfo  *info);
GBytes         *peel_node_dup_extra              (PeelNode        *node,
                                                  const char      *role,
                                                  GError         **error);
GBytes         *peel_node_dup_selection          (PeelNode        *node,
                                                  int             *feather,
                                                  GError         **error);
GPtrArray      *peel_node_get_marks              (PeelNode        *node);

gboolean        peel_image_bytes_get_size        (GBytes     *bytes,
                                                  const char *mime_type,
                                                  int        *width,
                                                  int        *height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelSource, peel_source_free)

G_END_DECLS
