/* peel-turn-settings.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-model-catalog.h"
#include "peel-turn-spec.h"

G_BEGIN_DECLS

#define PEEL_TYPE_IMAGE_SIZE (peel_image_size_get_type ())
#define PEEL_TYPE_THINKING_LEVEL (peel_thinking_level_get_type ())
#define PEEL_TYPE_TURN_SETTINGS (peel_turn_settings_get_type ())

GType peel_image_size_get_type     (void) G_GNUC_CONST;
GType peel_thinking_level_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (PeelTurnSettings, peel_turn_settings, PEEL, TURN_SETTINGS, GObject)

PeelTurnSettings  *peel_turn_settings_new                (void);
void               peel_turn_settings_bind               (PeelTurnSettings  *self,
                                                          GSettings         *settings);
GActionGroup      *peel_turn_settings_get_actions        (PeelTurnSettings  *self);

const char        *peel_turn_settings_get_model          (PeelTurnSettings  *self);
void               peel_turn_settings_set_model          (PeelTurnSettings  *self,
                                                          const char        *model);
PeelModelFamily    peel_turn_settings_get_family         (PeelTurnSettings  *self);
const char        *peel_turn_settings_get_aspect_ratio   (PeelTurnSettings  *self);
void               peel_turn_settings_set_aspect_ratio   (PeelTurnSettings  *self,
                                                          const char        *aspect_ratio);
PeelImageSize      peel_turn_settings_get_image_size     (PeelTurnSettings  *self);
void               peel_turn_settings_set_image_size     (PeelTurnSettings  *self,
                                                          PeelImageSize      image_size);
PeelThinkingLevel  peel_turn_settings_get_thinking_level (PeelTurnSettings  *self);
void               peel_turn_settings_set_thinking_level (PeelTurnSettings  *self,
                                                          PeelThinkingLevel  thinking_level);
gboolean           peel_turn_settings_get_show_thoughts  (PeelTurnSettings  *self);
void               peel_turn_settings_set_show_thoughts  (PeelTurnSettings  *self,
                                                          gboolean           show_thoughts);
gboolean           peel_turn_settings_get_search         (PeelTurnSettings  *self);
void               peel_turn_settings_set_search         (PeelTurnSettings  *self,
                                                          gboolean           search);
gboolean           peel_turn_settings_get_image_search   (PeelTurnSettings  *self);
void               peel_turn_settings_set_image_search   (PeelTurnSettings  *self,
                                                          gboolean           image_search);
gboolean           peel_turn_settings_get_editing        (PeelTurnSettings  *self);
void               peel_turn_settings_set_editing        (PeelTurnSettings  *self,
                                                          gboolean           editing);
guint              peel_turn_settings_get_variations     (PeelTurnSettings  *self);
void               peel_turn_settings_set_variations     (PeelTurnSettings  *self,
                                                          guint              variations);
PeelTurnSpec      *peel_turn_settings_dup_spec           (PeelTurnSettings  *self,
                                                          const char        *prompt,
                                                          GPtrArray         *references);

G_END_DECLS
