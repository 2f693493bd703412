/* peel-panel-text.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "peel-model-catalog.h"
#include "peel-node.h"

G_BEGIN_DECLS

/**
 * PeelDetailsInput:
 *
 * The values of one node (and its session) that the details panel shows. Nothing is owned.
 */
typedef struct
{
  PeelNodeStatus  status;
  const char     *model;
  const char     *aspect_ratio;
  PeelImageSize   size;
  int             got_width;
  int             got_height;
  gint64          prompt_tokens;
  gint64          output_tokens;
  gint64          thought_tokens;
  double          cost;
  double          session_cost;
  const char     *error_code;
  const char     *error_message;
  const char     *finish_message;
  const char     *context_note;
  gboolean        context_rebuilt;
  gint64          created;
  gint64          now;
} PeelDetailsInput;

/**
 * PeelDetailsState:
 *
 * What the details panel shows, computed from a #PeelDetailsInput; every string may be %NULL
 * for a row that is hidden.
 */
typedef struct
{
  char     *status_text;
  char     *error_text;
  gboolean  show_retry;
  char     *size_text;
  gboolean  size_mismatch;
  char     *settings_text;
  char     *usage_text;
  char     *cost_text;
} PeelDetailsState;

PeelDetailsState *peel_details_state_new        (const PeelDetailsInput *input);
void              peel_details_state_free       (PeelDetailsState       *state);

char             *peel_panels_size_text         (int                     asked_width,
                                                 int                     asked_height,
                                                 int                     got_width,
                                                 int                     got_height,
                                                 gboolean               *mismatch);
char             *peel_panels_usage_text        (gint64                  prompt_tokens,
                                                 gint64                  output_tokens,
                                                 gint64                  thought_tokens);
char             *peel_panels_cost_text         (double                  node_cost,
                                                 double                  session_cost);
double            peel_panels_sum_costs         (const double           *costs,
                                                 guint                   n_costs);
char             *peel_panels_elapsed_text      (gint64                  started,
                                                 gint64                  now);
char             *peel_panels_relative_time     (gint64                  then,
                                                 gint64                  now);
char             *peel_panels_session_caption   (gint64                  modified,
                                                 gint64                  now,
                                                 guint                   n_nodes);
char             *peel_panels_history_caption   (PeelNodeStatus          status,
                                                 int                     width,
                                                 int                     height,
                                                 const char             *error_code,
                                                 const char             *error_message);
gboolean          peel_panels_can_retry         (const char             *error_code);
char             *peel_panels_toast_title       (const char             *message,
                                                 guint                   max_chars);
char             *peel_panels_session_name_from_prompt (const char      *prompt);
const char       *peel_panels_ratio_for_pixels  (int                     width,
                                                 int                     height);
char             *peel_panels_picker_note       (const char             *image_ratio,
                                                 PeelImageSize           image_size,
                                                 const char             *ratio,
                                                 PeelImageSize           size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelDetailsState, peel_details_state_free)

char             *peel_panels_region_text       (const PeelRegionInfo   *info);
char             *peel_panels_render_text       (const char             *draft_title,
                                                 const char             *draft_size,
                                                 const char * const     *final_titles,
                                                 const char * const     *final_sizes);

G_END_DECLS
