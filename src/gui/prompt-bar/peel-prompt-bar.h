/* peel-prompt-bar.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-model-catalog.h"
#include "peel-part.h"
#include "peel-turn-settings.h"

G_BEGIN_DECLS

#define PEEL_TYPE_PROMPT_BAR (peel_prompt_bar_get_type ())
#define PEEL_PROMPT_BAR_ERROR (peel_prompt_bar_error_quark ())

typedef enum
{
  PEEL_PROMPT_BAR_ERROR_TOO_MANY_REFERENCES,
  PEEL_PROMPT_BAR_ERROR_NOT_AN_IMAGE,
} PeelPromptBarError;

/**
 * PeelPromptBarControl:
 * @PEEL_PROMPT_BAR_RATIO: the aspect ratio picker
 * @PEEL_PROMPT_BAR_SIZE: the size picker
 * @PEEL_PROMPT_BAR_OPTIONS: the options menu
 * @PEEL_PROMPT_BAR_REFERENCES: the file chooser for reference images
 *
 * The controls of the bar that the window's shortcuts open.
 */
typedef enum
{
  PEEL_PROMPT_BAR_RATIO,
  PEEL_PROMPT_BAR_SIZE,
  PEEL_PROMPT_BAR_OPTIONS,
  PEEL_PROMPT_BAR_REFERENCES,
} PeelPromptBarControl;

G_DECLARE_FINAL_TYPE (PeelPromptBar, peel_prompt_bar, PEEL, PROMPT_BAR, GtkWidget)

GQuark            peel_prompt_bar_error_quark         (void);

GtkWidget        *peel_prompt_bar_new                 (void);
const char       *peel_prompt_bar_get_prompt          (PeelPromptBar  *self);
void              peel_prompt_bar_set_prompt          (PeelPromptBar  *self,
                                                       const char     *prompt);
void              peel_prompt_bar_clear_prompt        (PeelPromptBar  *self);
PeelTurnSettings *peel_prompt_bar_get_settings        (PeelPromptBar  *self);
void              peel_prompt_bar_set_offered_models  (PeelPromptBar  *self,
                                                       GPtrArray      *ids);
gboolean          peel_prompt_bar_get_busy            (PeelPromptBar  *self);
void              peel_prompt_bar_set_busy            (PeelPromptBar  *self,
                                                       gboolean        busy);
gboolean          peel_prompt_bar_get_can_generate    (PeelPromptBar  *self);

GListModel       *peel_prompt_bar_get_references      (PeelPromptBar  *self);
gboolean          peel_prompt_bar_add_reference       (PeelPromptBar  *self,
                                                       const PeelPart *image,
                                                       const char     *name,
                                                       GError        **error);
void              peel_prompt_bar_remove_reference    (PeelPromptBar  *self,
                                                       guint           position);
void              peel_prompt_bar_clear_references    (PeelPromptBar  *self);
void              peel_prompt_bar_focus_prompt        (PeelPromptBar  *self);
GtkTextView      *peel_prompt_bar_get_text_view       (PeelPromptBar  *self);
void              peel_prompt_bar_open                (PeelPromptBar        *self,
                                                       PeelPromptBarControl  control);

void              peel_prompt_bar_follow_image        (PeelPromptBar  *self,
                                                       const char     *aspect_ratio,
                                                       PeelImageSize   image_size,
                                                       gboolean        shown);
const char       *peel_prompt_bar_get_change_note     (PeelPromptBar  *self);
const char       *peel_prompt_bar_get_price_note      (PeelPromptBar  *self);

void           peel_prompt_bar_set_region_note  (PeelPromptBar  *self,
                                                 const char     *note,
                                                 gboolean        blocked);
const char    *peel_prompt_bar_get_region_note  (PeelPromptBar  *self);

G_END_DECLS
