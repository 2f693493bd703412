/* peel-prompt-bar-input.c
 *
 * What goes into the prompt bar from outside it: keyboard shortcuts, reference images, and
 * opening its controls from the window.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-prompt-bar-private.h"
#include "peel-reference.h"
#include "peel-picker-state.h"

#define THUMBNAIL_PIXELS 128

/* Ctrl+Enter is taken before the text view sees it, so it never inserts a newline, even when
 * there is nothing to generate yet. */
static gboolean
generate_shortcut_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  gtk_widget_activate_action (widget, "bar.generate", NULL);
  return TRUE;
}

/* Escape only means "stop" while something runs; otherwise it goes on to whoever wants it. */
static gboolean
cancel_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);

  if (!self->busy)
    return FALSE;

  gtk_widget_activate_action (widget, "bar.cancel", NULL);
  return TRUE;
}

void
peel_prompt_bar_add_shortcuts (PeelPromptBar *self)
{
  static const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutAction *generate = gtk_callback_action_new (generate_shortcut_cb, NULL, NULL);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);

  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i], GDK_CONTROL_MASK),
                        g_object_ref (generate)));
  g_object_unref (generate);

  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (cancel_shortcut_cb, NULL, NULL)));

  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/**
 * peel_prompt_bar_get_references:
 *
 * Returns: (transfer none): a #GListModel of #PeelReference, in the order
 *   they will be sent
 */
GListModel *
peel_prompt_bar_get_references (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return G_LIST_MODEL (self->references);
}

/**
 * peel_prompt_bar_add_reference:
 * @image: an image part; it is copied
 * @name: (nullable): what to call it, such as its file name
 *
 * Adds a reference image for the next turn; its thumbnail is made off the main
 * thread and shows when ready.
 *
 * Returns: %FALSE, with @error set, when the model takes no more references
 */
gboolean
peel_prompt_bar_add_reference (PeelPromptBar   *self,
                               const PeelPart  *image,
                               const char      *name,
                               GError         **error)
{
  PeelModelFamily family;
  g_autoptr(PeelReference) reference = NULL;
  guint n;

  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);
  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (image->kind != PEEL_PART_IMAGE || image->data == NULL)
    {
      g_set_error (error, PEEL_PROMPT_BAR_ERROR, PEEL_PROMPT_BAR_ERROR_NOT_AN_IMAGE,
                   _("Only images can be used as references."));
      return FALSE;
    }

  family = peel_turn_settings_get_family (self->settings);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->references));
  if (!peel_view_can_add_reference (n, peel_model_max_input_images (family)))
    {
      g_autofree char *message = peel_view_reference_limit_message (family);

      g_set_error_literal (error, PEEL_PROMPT_BAR_ERROR,
                           PEEL_PROMPT_BAR_ERROR_TOO_MANY_REFERENCES, message);
      return FALSE;
    }

  reference = peel_reference_new (image, NULL, name);
  peel_reference_load_thumbnail (reference, THUMBNAIL_PIXELS, self->cancellable);
  g_list_store_append (self->references, reference);

  return TRUE;
}

void
peel_prompt_bar_remove_reference (PeelPromptBar *self,
                                  guint          position)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->references)));

  g_list_store_remove (self->references, position);
}

void
peel_prompt_bar_clear_references (PeelPromptBar *self)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  g_list_store_remove_all (self->references);
}

void
peel_prompt_bar_focus_prompt (PeelPromptBar *self)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/**
 * peel_prompt_bar_get_text_view:
 *
 * Returns: (transfer none): where the prompt is typed, for the window's paste
 */
GtkTextView *
peel_prompt_bar_get_text_view (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);
  return self->text_view;
}

/**
 * peel_prompt_bar_open:
 * @self: a #PeelPromptBar
 * @control: which control
 *
 * Opens @control as a click on it would, so that a shortcut reaches it from anywhere in the
 * window.
 */
void
peel_prompt_bar_open (PeelPromptBar        *self,
                      PeelPromptBarControl  control)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  switch (control)
    {
    case PEEL_PROMPT_BAR_RATIO:
      gtk_popover_popup (peel_ratio_picker_get_popover (self->ratio_picker));
      break;
    case PEEL_PROMPT_BAR_SIZE:
      gtk_popover_popup (peel_size_picker_get_popover (self->size_picker));
      break;
    case PEEL_PROMPT_BAR_OPTIONS:
      gtk_menu_button_popup (self->options_button);
      break;
    case PEEL_PROMPT_BAR_REFERENCES:
      peel_reference_strip_choose_files (self->strip);
      break;
    default:
      g_return_if_reached ();
    }
}
