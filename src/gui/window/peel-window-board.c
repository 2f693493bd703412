/* peel-window-board.c
 *
 * The board in the window: shown instead of the canvas from the header bar's Board button
 * (Ctrl+B), following the session the window shows. A double-click on a card opens its turn on
 * the canvas. "Apply to Each" sends the prompt bar's instruction to each selected turn, one
 * after another through the window's own Generate path, each continuing its own branch;
 * Cancel stops the rest of the batch. "Combine" puts the selected images in the prompt bar as
 * references for the next turn.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-board.h"
#include "peel-gemini-error.h"
#include "peel-reference.h"
#include "peel-window-private.h"

typedef struct
{
  PeelNode     *parent;
  PeelTurnSpec *spec;
} QueuedTurn;

struct _PeelWindowBoard
{
  GtkWidget *board;
  GQueue     queue;         /* QueuedTurn: Apply to Each's turns not started yet */
  guint      next_source;
};

static void
queued_turn_free (QueuedTurn *turn)
{
  g_clear_object (&turn->parent);
  g_clear_pointer (&turn->spec, peel_turn_spec_free);
  g_free (turn);
}

static PeelBoard *
get_board (PeelWindow *self)
{
  return PEEL_BOARD (self->board_state->board);
}

/**
 * peel_window_get_board:
 *
 * Returns: (transfer none): the window's board
 */
GtkWidget *
peel_window_get_board (PeelWindow *self)
{
  g_return_val_if_fail (PEEL_IS_WINDOW (self), NULL);
  return self->board_state->board;
}

static void
show_board (PeelWindow *self,
            gboolean    show)
{
  GtkWidget *board = self->board_state->board;

  if (show)
    peel_board_set_session (get_board (self), self->session);
  gtk_widget_set_visible (board, show);
  /* Not drawn behind the board: the canvas costs a frame of its own. */
  gtk_widget_set_visible (GTK_WIDGET (self->canvas_stack), !show);
  if (show)
    gtk_widget_grab_focus (board);
}

static void
show_board_change_state_cb (GSimpleAction *action,
                            GVariant      *state,
                            PeelWindow    *self)
{
  g_simple_action_set_state (action, state);
  show_board (self, g_variant_get_boolean (state));
}

static void
set_show_board (PeelWindow *self,
                gboolean    show)
{
  g_action_group_change_action_state (G_ACTION_GROUP (self), "show-board",
                                      g_variant_new_boolean (show));
}

static void
node_activated_cb (PeelWindow *self,
                   PeelNode   *node)
{
  if (self->session == NULL)
    return;
  peel_session_set_current (self->session, node);
  set_show_board (self, FALSE);
}

/* A turn continues from its own image; a failed or unfinished one from the image it started
 * from. */
static PeelNode *
parent_with_image (PeelNode *node)
{
  while (node != NULL && (peel_node_get_status (node) != PEEL_NODE_DONE ||
                          !peel_node_get_has_image (node)))
    node = peel_node_get_parent (node);
  return node;
}

static gboolean
start_next_cb (gpointer user_data)
{
  PeelWindow *self = user_data;
  QueuedTurn *turn;

  self->board_state->next_source = 0;
  if (peel_window_get_busy (self))
    return G_SOURCE_REMOVE;
  turn = g_queue_pop_head (&self->board_state->queue);
  if (turn == NULL)
    return G_SOURCE_REMOVE;
  if (!peel_window_start_turn (self, turn->parent, turn->spec))
    g_queue_clear_full (&self->board_state->queue, (GDestroyNotify) queued_turn_free);
  queued_turn_free (turn);
  return G_SOURCE_REMOVE;
}

/**
 * peel_window_board_turn_finished:
 * @error: (nullable): why the turn that just ended failed
 *
 * Called when a turn of the window ends: starts the next of Apply to Each's turns, unless the
 * user cancelled, which stops the whole batch.
 */
void
peel_window_board_turn_finished (PeelWindow   *self,
                                 const GError *error)
{
  PeelWindowBoard *state = self->board_state;
  guint n = g_queue_get_length (&state->queue);

  if (n == 0)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !self->restart_pending)
    {
      g_autofree char *message = NULL;

      g_queue_clear_full (&state->queue, (GDestroyNotify) queued_turn_free);
      message = g_strdup_printf (ngettext ("Cancelled: %u more turn of Apply to Each was not "
                                           "started.",
                                           "Cancelled: %u more turns of Apply to Each were not "
                                           "started.", n), n);
      peel_window_add_toast (self, message, NULL, NULL, PEEL_TOAST_GENERATION, 6);
      return;
    }
  if (state->next_source == 0)
    state->next_source = g_idle_add (start_next_cb, self);
}

static void
apply_to_each_cb (PeelWindow *self)
{
  g_autoptr(GPtrArray) nodes = peel_board_dup_selection (get_board (self));
  GListModel *references = peel_prompt_bar_get_references (self->prompt_bar);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *prompt = peel_prompt_bar_get_prompt (self->prompt_bar);
  g_autofree char *trimmed = g_strstrip (g_strdup (prompt ? prompt : ""));
  PeelTurnSettings *settings = peel_prompt_bar_get_settings (self->prompt_bar);
  g_autoptr(PeelTurnSpec) base = NULL;
  guint n = 0;

  if (trimmed[0] == '\0')
    {
      peel_window_toast (self, _("Write the instruction in the prompt below, then choose Apply "
                                 "to Each again."));
      peel_prompt_bar_focus_prompt (self->prompt_bar);
      return;
    }
  if (peel_window_get_busy (self) || !g_queue_is_empty (&self->board_state->queue))
    {
      peel_window_toast (self, _("A turn is still being made. Wait for it or cancel it, then "
                                 "choose Apply to Each again."));
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (references); i++)
    {
      g_autoptr(PeelReference) reference = g_list_model_get_item (references, i);
      g_ptr_array_add (parts, (gpointer) peel_reference_get_part (reference));
    }
  base = peel_turn_settings_dup_spec (settings, prompt, parts);

  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *parent = parent_with_image (g_ptr_array_index (nodes, i));
      QueuedTurn *turn;
      PeelTurnSpec spec;

      if (parent == NULL)
        continue;
      /* Each branch keeps its own shape; size, model and options are the prompt bar's. */
      spec = *base;
      if (peel_node_get_aspect_ratio (parent) != NULL)
        spec.aspect_ratio = peel_node_get_aspect_ratio (parent);

      turn = g_new0 (QueuedTurn, 1);
      turn->parent = g_object_ref (parent);
      turn->spec = peel_turn_spec_copy (&spec);
      g_queue_push_tail (&self->board_state->queue, turn);
      n++;
    }

  if (n == 0)
    {
      peel_window_toast (self, _("None of the selected turns has an image to continue from. "
                                 "Select turns with images."));
      return;
    }
  start_next_cb (self);
}

static void
combine_cb (PeelWindow *self)
{
  g_autoptr(GPtrArray) nodes = peel_board_dup_selection (get_board (self));
  guint added = 0;

  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);
      const PeelPart *image = peel_node_get_final_image (node);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PeelPart) part = NULL;
      g_autoptr(GError) error = NULL;

      if (image == NULL)
        continue;
      bytes = peel_node_dup_final_image_bytes (node, &error);
      if (bytes != NULL)
        {
          part = peel_part_new_image (image->mime_type, bytes, FALSE);
          if (peel_prompt_bar_add_reference (self->prompt_bar, part,
                                             peel_node_get_display_title (node), &error))
            {
              added++;
              continue;
            }
        }
      /* Too many references, or an image gone from disk: say so and keep what was added. */
      peel_window_toast_error (self, error);
      break;
    }

  if (added == 0)
    {
      if (nodes->len > 0)
        peel_window_toast (self, _("None of the selected turns has an image to combine."));
      return;
    }
  /* Done with the selection: its bar goes, and the toast is not drawn over it. */
  peel_board_clear_selection (get_board (self));
  peel_prompt_bar_focus_prompt (self->prompt_bar);
  peel_window_toast (self, _("The selected images are references now. Say how to combine "
                             "them and press Generate."));
}

static void
places_failed_cb (PeelWindow   *self,
                  const GError *error)
{
  peel_window_toast_error (self, error);
}

/**
 * peel_window_board_session_changed:
 *
 * The window opened another session: the board follows it if it is shown.
 */
void
peel_window_board_session_changed (PeelWindow *self)
{
  g_queue_clear_full (&self->board_state->queue, (GDestroyNotify) queued_turn_free);
  if (gtk_widget_get_visible (self->board_state->board))
    peel_board_set_session (get_board (self), self->session);
  else
    peel_board_set_session (get_board (self), NULL);
}

void
peel_window_board_init (PeelWindow *self)
{
  PeelWindowBoard *state = g_new0 (PeelWindowBoard, 1);
  GtkWidget *overlay = gtk_widget_get_parent (GTK_WIDGET (self->canvas_stack));
  g_autoptr(GSimpleAction) action =
    g_simple_action_new_stateful ("show-board", NULL, g_variant_new_boolean (FALSE));
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->board_state = state;
  g_queue_init (&state->queue);

  /* Above the canvas and its tool strip, under the progress card and the drop highlight. */
  state->board = peel_board_new ();
  gtk_widget_set_visible (state->board, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), state->board);
  gtk_widget_insert_after (state->board, overlay, GTK_WIDGET (self->tool_strip));

  g_signal_connect_object (state->board, "node-activated", G_CALLBACK (node_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (state->board, "apply-to-each", G_CALLBACK (apply_to_each_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (state->board, "combine", G_CALLBACK (combine_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (state->board, "places-failed", G_CALLBACK (places_failed_cb),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect (action, "change-state", G_CALLBACK (show_board_change_state_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_b,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.show-board")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

void
peel_window_board_dispose (PeelWindow *self)
{
  if (self->board_state == NULL)
    return;
  g_clear_handle_id (&self->board_state->next_source, g_source_remove);
  g_queue_clear_full (&self->board_state->queue, (GDestroyNotify) queued_turn_free);
  g_clear_pointer (&self->board_state, g_free);
}
