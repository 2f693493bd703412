/* peel-prompt-bar-properties.c
 *
 * The prompt bar's properties: what the next turn asks for, and whether it can be asked.
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
  PeelModelFamily family = peel_model_family_for_id (self->model);
  gboolean can_generate;

  can_generate =
    peel_view_generate_enabled (self->prompt,
                                g_list_model_get_n_items (G_LIST_MODEL (self->references)),
                                peel_model_max_input_images (family),
                                self->busy);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.generate", can_generate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.cancel", self->busy);

  if (set_bool (&self->can_generate, can_generate))
    g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_CAN_GENERATE]);
}

/* A new model may not make the ratio or size chosen for the old one: move to the nearest it
 * does make, rather than sending a request it will refuse. References over its limit stay (the
 * user chose them) and keep Generate off until some are removed. */
void
peel_prompt_bar_apply_model (PeelPromptBar *self)
{
  PeelModelFamily family = peel_model_family_for_id (self->model);

  peel_prompt_bar_set_aspect_ratio (self, peel_view_closest_ratio (family, self->aspect_ratio));
  peel_prompt_bar_set_image_size (self, peel_view_closest_size (family, self->image_size));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.thinking-level",
                                 peel_model_supports_thinking_level (family));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.show-thoughts",
                                 peel_view_show_thoughts_enabled (family));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.search",
                                 peel_model_supports_search (family));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.image-search",
                                 peel_model_supports_image_search (family));

  peel_prompt_bar_update_can_generate (self);
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

const char *
peel_prompt_bar_get_aspect_ratio (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->aspect_ratio;
}

/**
 * peel_prompt_bar_set_aspect_ratio:
 * @aspect_ratio: (nullable): one of the 14 ratios, or %NULL for "match input"
 */
void
peel_prompt_bar_set_aspect_ratio (PeelPromptBar *self,
                                  const char    *aspect_ratio)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (aspect_ratio == NULL || peel_aspect_ratio_find (aspect_ratio) >= 0);

  if (peel_set_str (&self->aspect_ratio, aspect_ratio))
    g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_ASPECT_RATIO]);
}

PeelImageSize
peel_prompt_bar_get_image_size (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), PEEL_IMAGE_SIZE_1K);

  return self->image_size;
}

void
peel_prompt_bar_set_image_size (PeelPromptBar *self,
                                PeelImageSize  image_size)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (image_size < PEEL_N_IMAGE_SIZES);

  if (self->image_size != image_size)
    {
      self->image_size = image_size;
      g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_IMAGE_SIZE]);
    }
}

const char *
peel_prompt_bar_get_model (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->model;
}

void
peel_prompt_bar_set_model (PeelPromptBar *self,
                           const char    *model)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (model != NULL);

  if (peel_set_str (&self->model, model))
    {
      guint index;

      /* A model set from Preferences or a node may not be in the menu yet. */
      if (self->offered != NULL &&
          !g_ptr_array_find_with_equal_func (self->offered, model, g_str_equal, &index))
        {
          g_autoptr(GPtrArray) offered = g_ptr_array_ref (self->offered);

          peel_prompt_bar_set_offered_models (self, offered);
        }
      peel_prompt_bar_apply_model (self);
      g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_MODEL]);
    }
}

const char *
peel_prompt_bar_get_thinking_level (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->thinking_level;
}

void
peel_prompt_bar_set_thinking_level (PeelPromptBar *self,
                                    const char    *thinking_level)
{
  PeelThinkingLevel level;

  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (peel_thinking_level_from_string (thinking_level, &level));

  if (peel_set_str (&self->thinking_level, peel_thinking_level_to_string (level)))
    g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_THINKING_LEVEL]);
}

gboolean
peel_prompt_bar_get_show_thoughts (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->show_thoughts;
}

void
peel_prompt_bar_set_show_thoughts (PeelPromptBar *self,
                                   gboolean       show_thoughts)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->show_thoughts, show_thoughts))
    g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_SHOW_THOUGHTS]);
}

gboolean
peel_prompt_bar_get_search (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->search;
}

void
peel_prompt_bar_set_search (PeelPromptBar *self,
                            gboolean       search)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->search, search))
    g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_SEARCH]);
}

gboolean
peel_prompt_bar_get_image_search (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->image_search;
}

void
peel_prompt_bar_set_image_search (PeelPromptBar *self,
                                  gboolean       image_search)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->image_search, image_search))
    g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_IMAGE_SEARCH]);
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
peel_prompt_bar_get_editing (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->editing;
}

void
peel_prompt_bar_set_editing (PeelPromptBar *self,
                             gboolean       editing)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (!set_bool (&self->editing, editing))
    return;

  /* With no image to match, "match input" would silently mean the model's default. */
  if (!self->editing && self->aspect_ratio == NULL)
    peel_prompt_bar_set_aspect_ratio (self, "1:1");

  g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_EDITING]);
}

gboolean
peel_prompt_bar_get_can_generate (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->can_generate;
}
