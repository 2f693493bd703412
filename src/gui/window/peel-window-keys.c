/* peel-window-keys.c
 *
 * The window by keyboard: shortcuts that reach every control from anywhere (the prompt, the
 * history search, the pickers, options, references, sessions and compare), each listed in the
 * shortcuts window, and focus kept where the next keystroke is expected.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-history-view.h"
#include "peel-window-private.h"

static void
focus_prompt_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  peel_prompt_bar_focus_prompt (self->prompt_bar);
}

static void
search_history_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  adw_flap_set_reveal_flap (self->history_flap, TRUE);
  peel_history_view_focus_search (PEEL_HISTORY_VIEW (self->history_view));
}

static void
open_control_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelPromptBarControl control = PEEL_PROMPT_BAR_RATIO;

  if (g_str_equal (action_name, "win.pick-size"))
    control = PEEL_PROMPT_BAR_SIZE;
  else if (g_str_equal (action_name, "win.show-options"))
    control = PEEL_PROMPT_BAR_OPTIONS;
  else if (g_str_equal (action_name, "win.add-reference"))
    control = PEEL_PROMPT_BAR_REFERENCES;

  peel_prompt_bar_open (self->prompt_bar, control);
}

/* A header bar button may be folded into the main menu when the window is narrow: then the
 * main menu opens, where its items are. */
static void
popup_header_menu (PeelWindow    *self,
                   GtkMenuButton *button)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (button)))
    gtk_menu_button_popup (button);
  else
    gtk_menu_button_popup (self->primary_menu_button);
}

static void
show_sessions_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  popup_header_menu (self, self->sessions_button);
}

static void
show_compare_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  popup_header_menu (self, self->compare_button);
}

void
peel_window_keys_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.focus-prompt", NULL, focus_prompt_action);
  gtk_widget_class_install_action (widget_class, "win.search-history", NULL,
                                   search_history_action);
  gtk_widget_class_install_action (widget_class, "win.pick-ratio", NULL, open_control_action);
  gtk_widget_class_install_action (widget_class, "win.pick-size", NULL, open_control_action);
  gtk_widget_class_install_action (widget_class, "win.show-options", NULL, open_control_action);
  gtk_widget_class_install_action (widget_class, "win.add-reference", NULL, open_control_action);
  gtk_widget_class_install_action (widget_class, "win.show-sessions", NULL, show_sessions_action);
  gtk_widget_class_install_action (widget_class, "win.show-compare", NULL, show_compare_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-prompt", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.pick-ratio", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.pick-size", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-options", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-reference", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.show-sessions", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.show-compare", NULL);
}
