/* peel-prompt-bar-properties.c
 *
 * The prompt bar's state: the prompt, whether the next turn can be asked for, and the image the
 * next edit starts from, whose shape and size the pickers follow.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-panel-text.h"
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

/* With several variations Generate sends several paid requests: the button, its tooltip and
 * the note under Generate say how many and what they cost together before anything is sent. */
void
peel_prompt_bar_update_variations (PeelPromptBar *self)
{
  guint count = peel_turn_settings_get_variations (self->settings);
  g_autofree char *label = NULL;
  g_autofree char *price = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *generate_tooltip = NULL;

  price = peel_view_total_price_text (peel_turn_settings_get_family (self->settings),
                                      peel_turn_settings_get_image_size (self->settings),
                                      count);
  /* Translators: the variations button, "×4": how many images Generate makes */
  label = g_strdup_printf (_("×%u"), count);
  gtk_menu_button_set_label (self->variations_button, label);

  if (count == 1)
    {
      tooltip = g_strdup (_("Variations: one image per Generate"));
      generate_tooltip = g_strdup (_("Generate (Ctrl+Enter)"));
    }
  else
    {
      /* Translators: tooltip of the variations button */
      tooltip = g_strdup_printf (ngettext ("Variations: %u image per Generate, side by side",
                                           "Variations: %u images per Generate, side by side",
                                           count), count);
      /* Translators: tooltip of Generate with several variations */
      generate_tooltip = g_strdup_printf (ngettext ("Generate %u Variation (Ctrl+Enter)",
                                                    "Generate %u Variations (Ctrl+Enter)",
                                                    count), count);
    }
  if (price != NULL)
    {
      g_autofree char *with_price = g_strdup_printf ("%s · %s", tooltip, price);

      g_free (tooltip);
      tooltip = g_steal_pointer (&with_price);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->variations_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->variations_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);
  gtk_widget_set_tooltip_text (self->generate_button, generate_tooltip);

  gtk_label_set_label (self->price_label, price != NULL ? price : "");
  gtk_widget_set_visible (GTK_WIDGET (self->price_label), count > 1 && price != NULL);
}

/**
 * peel_prompt_bar_get_price_note:
 *
 * Returns: (nullable): what Generate with several variations costs, "4 × $0.067 = $0.268",
 *   as the bar shows it under Generate, or %NULL when it makes one image
 */
const char *
peel_prompt_bar_get_price_note (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->price_label))
         ? gtk_label_get_label (self->price_label) : NULL;
}

/* Changing the shape or size of the image an edit starts from is a choice: the bar says so. */
void
peel_prompt_bar_update_change_note (PeelPromptBar *self)
{
  g_autofree char *note = NULL;

  if (self->following)
    note = peel_panels_picker_note (self->image_ratio, self->image_image_size,
                                    peel_turn_settings_get_aspect_ratio (self->settings),
                                    peel_turn_settings_get_image_size (self->settings));
  gtk_label_set_label (self->change_label, note ? note : "");
  gtk_widget_set_visible (self->change_box, note != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.keep-image-shape", note != NULL);
}

void
peel_prompt_bar_keep_shape_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);

  if (!self->following)
    return;
  if (self->image_ratio != NULL)
    peel_turn_settings_set_aspect_ratio (self->settings, self->image_ratio);
  peel_turn_settings_set_image_size (self->settings, self->image_image_size);
}

/**
 * peel_prompt_bar_follow_image:
 * @self: a prompt bar
 * @aspect_ratio: (nullable): the ratio of the image the next edit starts from
 * @image_size: its size
 * @shown: whether there is such an image; %FALSE forgets the last one
 *
 * Sets the pickers to the shown image's ratio and size, so an edit keeps them unless the user
 * picks others, which the bar then points out.
 */
void
peel_prompt_bar_follow_image (PeelPromptBar *self,
                              const char    *aspect_ratio,
                              PeelImageSize  image_size,
                              gboolean       shown)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  self->following = shown && image_size < PEEL_N_IMAGE_SIZES;
  peel_set_str (&self->image_ratio, self->following ? aspect_ratio : NULL);
  self->image_image_size = image_size;
  if (self->following)
    {
      if (aspect_ratio != NULL && peel_aspect_ratio_find (aspect_ratio) >= 0)
        peel_turn_settings_set_aspect_ratio (self->settings, aspect_ratio);
      peel_turn_settings_set_image_size (self->settings, image_size);
    }
  peel_prompt_bar_update_change_note (self);
}

/**
 * peel_prompt_bar_get_change_note:
 *
 * Returns: (nullable): what the next edit changes of the shown image's shape and size, as the
 *   bar shows it, or %NULL when it keeps them
 */
const char *
peel_prompt_bar_get_change_note (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return gtk_widget_get_visible (self->change_box) ? gtk_label_get_label (self->change_label)
                                                   : NULL;
}
