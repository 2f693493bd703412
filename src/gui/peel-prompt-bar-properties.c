/* peel-prompt-bar-properties.c
 *
 * The prompt bar's properties: the prompt, and whether the next turn can be asked for.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-prompt-bar-private.h"
#include "peel-util.h"
#include "peel-picker-state.h"

static gboolean
set_bool (gboolean *ptr,
          gboolean  value)
{
  value = !!value;
  if (*ptr == value)
    return FALSE;

  *ptr = value;
  return TRUE;
}

void
peel_prompt_bar_update_can_generate (PeelPromptBar *self)
{
  PeelModelFamily family = peel_turn_settings_get_family (self->settings);
  gboolean can_generate;

  can_generate =
    peel_view_generate_enabled (self->prompt,
                                g_list_model_get_n_items (G_LIST_MODEL (self->references)),
                                peel_model_max_input_images (family),
                                self->busy)
    && !self->region_blocked;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.generate", can_generate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.cancel", self->busy);

  if (set_bool (&self->can_generate, can_generate))
    g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_CAN_GENERATE]);
}

const char *
peel_prompt_bar_get_prompt (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->prompt;
}

void
peel_prompt_bar_set_prompt (PeelPromptBar *self,
                            const char    *prompt)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (prompt == NULL)
    prompt = "";

  /* The buffer's ::changed handler stores it and notifies. */
  if (g_strcmp0 (self->prompt, prompt) != 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), prompt, -1);
}

/**
 * peel_prompt_bar_clear_prompt:
 *
 * Empties the prompt, for after a turn succeeded. Failures leave it as it was
 * so the user can retry or change it.
 */
void
peel_prompt_bar_clear_prompt (PeelPromptBar *self)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  peel_prompt_bar_set_prompt (self, "");
}

gboolean
peel_prompt_bar_get_busy (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->busy;
}

/**
 * peel_prompt_bar_set_busy:
 *
 * While busy, Generate is Cancel (and Escape cancels).
 */
void
peel_prompt_bar_set_busy (PeelPromptBar *self,
                          gboolean       busy)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->busy, busy))
    {
      gtk_stack_set_visible_child_name (self->action_stack, busy ? "cancel" : "generate");
      peel_prompt_bar_update_can_generate (self);
      g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_BUSY]);
    }
}

gboolean
peel_prompt_bar_get_can_generate (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->can_generate;
}
