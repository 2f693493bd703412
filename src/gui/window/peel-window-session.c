/* peel-window-session.c
 *
 * The session the window shows: opening one, new, renaming, undo and redo, and the actions
 * on a turn of its history.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-details-panel.h"
#include "peel-history-view.h"
#include "peel-panel-text.h"
#include "peel-sessions-popover.h"
#include "peel-store.h"
#include "peel-text.h"
#include "peel-util.h"
#include "peel-window-private.h"

/* An edit starts from the shown image's shape and size (from the image a failed attempt
 * started from); the pickers say so until the user picks others. */
static void
follow_shown_image (PeelWindow *self,
                    PeelNode   *node)
{
  const char *ratio;

  /* A turn under way was asked with the pickers' values: they stay. */
  if (node != NULL && peel_node_get_status (node) == PEEL_NODE_PENDING)
    {
      peel_prompt_bar_follow_image (self->prompt_bar, peel_node_get_aspect_ratio (node),
                                    peel_node_get_size (node), TRUE);
      return;
    }
  while (node != NULL && peel_node_get_status (node) != PEEL_NODE_DONE)
    node = peel_node_get_parent (node);
  if (node == NULL || !peel_node_get_has_image (node))
    {
      peel_prompt_bar_follow_image (self->prompt_bar, NULL, PEEL_IMAGE_SIZE_1K, FALSE);
      return;
    }
  ratio = peel_node_get_aspect_ratio (node);
  if (ratio == NULL)
    ratio = peel_panels_ratio_for_pixels (peel_node_get_final_width (node),
                                          peel_node_get_final_height (node));
  peel_prompt_bar_follow_image (self->prompt_bar, ratio, peel_node_get_size (node), TRUE);
}

static void
current_changed_cb (PeelWindow *self)
{
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;

  peel_window_show_node (self, current);
  peel_window_update_editing (self);
  follow_shown_image (self, current);
  peel_details_panel_set_node (PEEL_DETAILS_PANEL (self->details_panel), current);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 self->session && peel_session_can_undo (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 self->session && peel_session_can_redo (self->session));
}

static void
session_name_changed_cb (PeelWindow *self)
{
  g_autofree char *name = peel_text_strip_for_label (peel_session_get_name (self->session), -1);

  adw_window_title_set_title (self->window_title, name);
}

/**
 * peel_window_open_session:
 *
 * Makes @session the window's session, closing the previous one (which waits for its writer:
 * every change is on disk when it returns).
 */
void
peel_window_open_session (PeelWindow  *self,
                          PeelSession *session)
{
  g_autoptr(GError) error = NULL;

  if (self->session == session)
    return;

  /* What was said about the previous session is over. */
  peel_window_withdraw_toasts (self, PEEL_TOAST_SESSION | PEEL_TOAST_GENERATION);

  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->current_handler, self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
      if (!peel_store_close_session (self->session, &error))
        peel_window_toast_error (self, error);
      g_clear_object (&self->session);
    }

  self->session = g_object_ref (session);
  self->compare_node = NULL;
  self->current_handler =
    g_signal_connect_object (session, "notify::current", G_CALLBACK (current_changed_cb),
                             self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::name", G_CALLBACK (session_name_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Changes are written in the background: a full disk is told when the write fails. */
  g_signal_connect_object (session, "save-failed", G_CALLBACK (peel_window_toast_error),
                           self, G_CONNECT_SWAPPED);

  peel_history_view_set_session (PEEL_HISTORY_VIEW (self->history_view), session);
  peel_details_panel_set_session (PEEL_DETAILS_PANEL (self->details_panel), session);
  peel_window_board_session_changed (self);
  peel_window_variations_session_changed (self);

  g_settings_set_string (self->settings, "last-session",
                         peel_store_get_path (peel_session_get_store (session)));
  peel_sessions_popover_set_current_session (PEEL_SESSIONS_POPOVER (self->sessions_popover),
                                             session);

  session_name_changed_cb (self);
  current_changed_cb (self);
}

static void
new_session_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autofree char *dir = peel_store_get_default_dir ();
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = peel_store_create_session (dir, _("Untitled Session"), &error);
  if (session == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }

  peel_window_open_session (self, session);
  peel_prompt_bar_focus_prompt (self->prompt_bar);
}

static void
rename_popover_show_cb (PeelWindow *self)
{
  if (self->session != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->rename_entry),
                           peel_session_get_name (self->session));
}

static void
rename_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->rename_entry));

  gtk_popover_popdown (self->rename_popover);
  if (self->session == NULL || name[0] == '\0')
    return;

  if (!peel_session_set_name (self->session, name, &error))
    peel_window_toast_error (self, error);
}

/* The popover has no default widget for the entry to activate: Enter renames here. */
static void
rename_entry_activate_cb (PeelWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.rename-session", NULL);
}

static void
rename_popup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  gtk_popover_popup (self->rename_popover);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (self->session != NULL)
    peel_session_undo (self->session);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (self->session != NULL)
    peel_session_redo (self->session);
}

static PeelNode *
node_from_parameter (PeelWindow *self,
                     GVariant   *parameter)
{
  if (self->session == NULL || parameter == NULL)
    return NULL;

  return peel_session_find_node (self->session, g_variant_get_string (parameter, NULL));
}

static void
go_to_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelNode *node = node_from_parameter (self, parameter);

  if (node != NULL)
    peel_session_set_current (self->session, node);
}

static void
continue_from_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  go_to_action (widget, action_name, parameter);
  peel_prompt_bar_focus_prompt (self->prompt_bar);
}

static void
delete_branch_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelNode *node = node_from_parameter (self, parameter);
  g_autoptr(GError) error = NULL;

  if (node == NULL)
    return;

  if (!peel_session_delete_branch (self->session, node, &error))
    {
      peel_window_toast_error (self, error);
      return;
    }

  peel_window_add_toast (self, _("Branch deleted"), _("_Undo"), "win.undelete",
                         PEEL_TOAST_SESSION, 5);
}

static void
undelete_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->session != NULL && peel_session_can_undelete (self->session) &&
      peel_session_undelete (self->session, &error) == NULL)
    peel_window_toast_error (self, error);
}

static void
compare_with_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  self->compare_node = node_from_parameter (self, parameter);
  if (peel_canvas_get_compare_mode (self->canvas) == PEEL_CANVAS_COMPARE_NONE)
    peel_canvas_set_compare_mode (self->canvas, PEEL_CANVAS_COMPARE_SPLIT);
  set_compare_texture (self);
}

void
peel_window_session_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-session", NULL, new_session_action);
  gtk_widget_class_install_action (widget_class, "win.rename-session", NULL,
                                   rename_session_action);
  gtk_widget_class_install_action (widget_class, "win.rename-session-popup", NULL,
                                   rename_popup_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.go-to", "s", go_to_action);
  gtk_widget_class_install_action (widget_class, "win.continue-from", "s",
                                   continue_from_action);
  gtk_widget_class_install_action (widget_class, "win.delete-branch", "s",
                                   delete_branch_action);
  gtk_widget_class_install_action (widget_class, "win.undelete", NULL, undelete_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", "s", compare_with_action);
}

void
peel_window_session_init (PeelWindow *self)
{
  g_signal_connect_object (self->rename_popover, "show", G_CALLBACK (rename_popover_show_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rename_entry, "activate", G_CALLBACK (rename_entry_activate_cb),
                           self, G_CONNECT_SWAPPED);
}
