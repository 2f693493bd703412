/* peel-prompt-bar-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-prompt-bar.h"
#include "peel-ratio-picker.h"
#include "peel-reference-strip.h"
#include "peel-size-picker.h"
#include "peel-turn-settings.h"

G_BEGIN_DECLS

struct _PeelPromptBar
{
  GtkWidget           parent_instance;

  char               *prompt;
  gboolean            busy;
  gboolean            can_generate;

  /* What the next turn asks for besides the prompt and the references. */
  PeelTurnSettings   *settings;

  GListStore         *references;
  GCancellable       *cancellable;

  /* The shape and size of the image the next edit starts from, when one is shown. */
  gboolean            following;
  char               *image_ratio;
  PeelImageSize       image_image_size;

  PeelReferenceStrip *strip;
  GtkWidget          *prompt_overlay;
  GtkWidget          *controls;
  GtkScrolledWindow  *prompt_scroller;
  GtkTextView        *text_view;
  GtkLabel           *placeholder;
  PeelRatioPicker    *ratio_picker;
  PeelSizePicker     *size_picker;
  GtkMenuButton      *options_button;
  GtkWidget          *change_box;
  GtkLabel           *change_label;
  GtkLabel           *region_label;
  gboolean            region_blocked;
  GtkStack           *action_stack;
  GtkWidget          *generate_button;
  GtkMenuButton      *variations_button;
  GtkLabel           *price_label;
  GMenu              *options_menu;
  GMenu              *model_section;
  GPtrArray          *offered;
};

enum {
  PROP_0,
  PROP_PROMPT,
  PROP_BUSY,
  PROP_CAN_GENERATE,
  N_PROPS
};

extern GParamSpec *peel_prompt_bar_properties[N_PROPS];

/* peel-prompt-bar-properties.c */
void               peel_prompt_bar_update_can_generate (PeelPromptBar  *self);
void               peel_prompt_bar_update_change_note  (PeelPromptBar  *self);
void               peel_prompt_bar_update_variations   (PeelPromptBar  *self);
void               peel_prompt_bar_keep_shape_action   (GtkWidget      *widget,
                                                        const char     *action_name,
                                                        GVariant       *parameter);

/* peel-prompt-bar-layout.c */
GtkSizeRequestMode peel_prompt_bar_get_request_mode    (GtkWidget      *widget);
void               peel_prompt_bar_measure             (GtkWidget      *widget,
                                                        GtkOrientation  orientation,
                                                        int             for_size,
                                                        int            *minimum,
                                                        int            *natural,
                                                        int            *minimum_baseline,
                                                        int            *natural_baseline);
void               peel_prompt_bar_size_allocate       (GtkWidget      *widget,
                                                        int             width,
                                                        int             height,
                                                        int             baseline);

/* peel-prompt-bar-input.c */
void               peel_prompt_bar_add_shortcuts       (PeelPromptBar  *self);

G_END_DECLS
