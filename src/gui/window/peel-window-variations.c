/* peel-window-variations.c
 *
 * Generate with variations in the window: a count above one runs a PeelBatch from the image
 * on screen, and its siblings arrive side by side in a grid over the canvas. Picking one
 * opens it as the current node; "Show Variations" (Ctrl+G) brings the grid back for any turn
 * of a batch. Cancel stops the whole batch and keeps whatever arrived. The busy state, the
 * elapsed counter and the error toasts are the single turn's (peel-window-generate.c).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-batch.h"
#include "peel-variation-grid.h"
#include "peel-window-private.h"

struct _PeelWindowVariations
{
  GtkWidget    *grid;
  GtkWidget    *show_button;   /* over the canvas when the current node is of a batch */
  PeelBatch    *batch;
  GCancellable *cancellable;
  gint64        started;       /* µs, monotonic */
  guint         ended;
  guint         failed;
  char         *first_error;   /* the first failure's reason, for the closing toast */
};

static PeelVariationGrid *
get_grid (PeelWindow *self)
{
  return PEEL_VARIATION_GRID (self->variations_state->grid);
}

/**
 * peel_window_get_variation_grid:
 *
 * Returns: (transfer none): the grid the window shows variations in
 */
GtkWidget *
peel_window_get_variation_grid (PeelWindow *self)
{
  g_return_val_if_fail (PEEL_IS_WINDOW (self), NULL);
  return self->variations_state->grid;
}

static void
update_show_button (PeelWindow *self)
{
  PeelWindowVariations *state = self->variations_state;
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;
  gboolean of_batch = current != NULL && peel_node_get_batch (current) != NULL;

  /* The session notifies while the window closes it, after the grid is gone. */
  if (state == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-variations", of_batch);
  gtk_widget_set_visible (state->show_button,
                          of_batch && !gtk_widget_get_visible (state->grid) &&
                          gtk_widget_get_visible (GTK_WIDGET (self->canvas_stack)));
}

static void
show_grid (PeelWindow *self,
           gboolean    show)
{
  PeelWindowVariations *state = self->variations_state;

  if (show)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "show-board",
                                        g_variant_new_boolean (FALSE));
  gtk_widget_set_visible (state->grid, show);
  /* Not drawn behind the grid: the canvas costs a frame of its own. */
  gtk_widget_set_visible (GTK_WIDGET (self->canvas_stack), !show);
  if (show)
    gtk_widget_grab_focus (state->grid);
  update_show_button (self);
}

/**
 * peel_window_variations_running:
 *
 * Returns: whether a Generate with variations is under way
 */
gboolean
peel_window_variations_running (PeelWindow *self)
{
  return self->variations_state != NULL && self->variations_state->batch != NULL;
}

/**
 * peel_window_variations_progress:
 *
 * What the progress card says while a batch runs: since when, how much arrived, how many of
 * how many ended.
 *
 * Returns: whether a batch runs
 */
gboolean
peel_window_variations_progress (PeelWindow *self,
                                 gint64     *started,
                                 guint64    *received,
                                 guint      *ended,
                                 guint      *count)
{
  PeelWindowVariations *state = self->variations_state;

  if (!peel_window_variations_running (self))
    return FALSE;
  *started = state->started;
  *ended = state->ended;
  *count = peel_batch_get_count (state->batch);
  *received = 0;
  for (guint i = 0; i < *count; i++)
    {
      PeelGeneration *generation = peel_batch_get_generation (state->batch, i);

      if (generation != NULL)
        *received += peel_generation_get_received_bytes (generation);
    }
  return TRUE;
}

void
peel_window_variations_cancel (PeelWindow *self)
{
  if (self->variations_state != NULL)
    g_cancellable_cancel (self->variations_state->cancellable);
}

static void
item_started_cb (PeelWindow     *self,
                 guint           index,
                 PeelGeneration *generation)
{
  peel_variation_grid_set_item (get_grid (self), index, generation, NULL);
}

static void
item_finished_cb (PeelWindow   *self,
                  guint         index,
                  PeelNode     *node,
                  const GError *error)
{
  PeelWindowVariations *state = self->variations_state;

  state->ended++;
  if (error != NULL)
    {
      state->failed++;
      if (state->first_error == NULL && !g_error_matches (error, G_IO_ERROR,
                                                          G_IO_ERROR_CANCELLED))
        state->first_error = g_strdup (error->message);
    }
  if (node != NULL)
    peel_variation_grid_set_item (get_grid (self), index, NULL, node);
  else if (error != NULL)
    peel_variation_cell_set_unsent (peel_variation_grid_get_cell (get_grid (self), index),
                                    error->message);
  peel_window_update_progress (self);
}

static void
batch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PeelWindow) self = user_data;
  PeelBatch *batch = PEEL_BATCH (object);
  PeelWindowVariations *state = self->variations_state;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean cancelled;
  guint ready;

  nodes = peel_batch_run_finish (batch, result, &error);
  if (state == NULL || state->batch != batch)
    return;

  cancelled = g_cancellable_is_cancelled (state->cancellable);
  g_signal_handlers_disconnect_by_data (batch, self);
  g_clear_object (&state->batch);
  g_clear_object (&state->cancellable);
  peel_variation_grid_set_running (get_grid (self), FALSE);
  peel_window_set_busy (self, FALSE);
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  if (nodes == NULL)
    {
      /* Not one sibling could be made: the prompt stays, the toast says why. */
      g_clear_pointer (&state->first_error, g_free);
      show_grid (self, FALSE);
      peel_window_generation_failed (self, error, NULL);
      return;
    }

  ready = state->ended - state->failed;
  if (cancelled)
    message = g_strdup_printf (ngettext ("Variations cancelled. The %u that arrived is kept.",
                                         "Variations cancelled. The %u that arrived are kept.",
                                         ready), ready);
  else if (state->failed == 0)
    message = g_strdup_printf (ngettext ("%u variation is ready to pick",
                                         "%u variations are ready to pick",
                                         ready), ready);
  else
    /* Translators: "3 of 4 variations are ready; 1 failed: " and the first reason */
    message = g_strdup_printf (ngettext ("%u of %u variations are ready; %u failed: %s",
                                         "%u of %u variations are ready; %u failed: %s",
                                         state->ended), ready, state->ended, state->failed,
                               state->first_error ? state->first_error
                                                  : _("no reason was given."));
  g_clear_pointer (&state->first_error, g_free);

  if (ready > 0)
    {
      /* Something arrived: the next turn starts afresh. */
      peel_prompt_bar_clear_prompt (self->prompt_bar);
      peel_prompt_bar_clear_references (self->prompt_bar);
    }
  peel_window_announce (self, message);
  peel_window_add_toast (self, message, NULL, NULL,
                         PEEL_TOAST_SESSION | PEEL_TOAST_GENERATION,
                         state->failed == 0 || cancelled ? 6 : 0);
  peel_window_update_editing (self);
  update_show_button (self);
}

/**
 * peel_window_start_variations:
 * @parent: (nullable): the image every sibling continues
 * @spec: what each asks for
 * @count: how many siblings
 *
 * Runs @count siblings of one turn at once, as many in flight as the "variations-at-once"
 * setting allows, and shows them in the grid as they arrive.
 */
void
peel_window_start_variations (PeelWindow         *self,
                              PeelNode           *parent,
                              const PeelTurnSpec *spec,
                              guint               count)
{
  PeelWindowVariations *state = self->variations_state;
  PeelGeminiClient *client = peel_service_get_client (self->service);
  guint concurrency = g_settings_get_uint (self->settings, "variations-at-once");

  if (peel_window_get_busy (self) || self->session == NULL)
    return;
  if (client == NULL)
    {
      peel_window_toast (self, _("Peel is still looking for your API key. Try again in a moment."));
      return;
    }

  peel_window_begin_turn (self, spec->prompt);
  state->batch = peel_batch_new (self->session, client, count, CLAMP (concurrency, 1, count));
  state->cancellable = g_cancellable_new ();
  state->started = g_get_monotonic_time ();
  state->ended = 0;
  state->failed = 0;
  g_signal_connect_object (state->batch, "item-started", G_CALLBACK (item_started_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state->batch, "item-finished", G_CALLBACK (item_finished_cb), self,
                           G_CONNECT_SWAPPED);

  peel_variation_grid_reset (get_grid (self), count);
  peel_variation_grid_set_running (get_grid (self), TRUE);
  show_grid (self, TRUE);
  peel_window_set_busy (self, TRUE);
  peel_batch_run_async (state->batch, parent, spec, TRUE, state->cancellable, batch_cb,
                        g_object_ref (self));
  peel_window_update_progress (self);
}

/* The siblings of @node's batch, in the order they were made. */
static GPtrArray *
dup_batch_siblings (PeelWindow *self,
                    PeelNode   *node)
{
  const char *batch = peel_node_get_batch (node);
  PeelNode *parent = peel_node_get_parent (node);
  GListModel *children = parent ? peel_node_get_children (parent)
                                : peel_session_get_roots (self->session);
  GPtrArray *siblings = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(PeelNode) child = g_list_model_get_item (children, i);

      if (g_strcmp0 (peel_node_get_batch (child), batch) == 0)
        g_ptr_array_add (siblings, g_object_ref (child));
    }
  return siblings;
}

static void
show_variations_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);
  PeelWindowVariations *state = self->variations_state;
  PeelNode *current = self->session ? peel_session_get_current (self->session) : NULL;
  g_autoptr(GPtrArray) siblings = NULL;
  guint index = 0;

  if (gtk_widget_get_visible (state->grid))
    {
      show_grid (self, FALSE);
      return;
    }
  if (current == NULL || peel_node_get_batch (current) == NULL)
    return;

  /* The running batch's grid is already filled and follows it; it shows that one until
   * the batch ends. */
  if (!peel_window_variations_running (self) &&
      !peel_variation_grid_contains (get_grid (self), current))
    {
      siblings = dup_batch_siblings (self, current);
      peel_variation_grid_show_nodes (get_grid (self), siblings);
    }
  for (guint i = 0; i < peel_variation_grid_get_n_cells (get_grid (self)); i++)
    if (peel_variation_cell_get_node (peel_variation_grid_get_cell (get_grid (self), i)) ==
        current)
      index = i;
  peel_variation_grid_set_selected (get_grid (self), index);
  show_grid (self, TRUE);
}

static void
node_activated_cb (PeelWindow *self,
                   PeelNode   *node)
{
  if (self->session == NULL)
    return;
  show_grid (self, FALSE);
  peel_session_set_current (self->session, node);
  /* Already current (the last sibling to start is): the canvas still shows it afresh. */
  peel_window_show_node (self, node);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
grid_closed_cb (PeelWindow *self)
{
  show_grid (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* A failed sibling's Retry: a turn like any other's, shown on the canvas as it comes. While
 * the others still run it waits, as any turn waits for the one before. */
static void
grid_retry_cb (PeelWindow *self,
               PeelNode   *node)
{
  if (peel_window_get_busy (self))
    {
      peel_window_toast (self, _("The other variations are still being made. Wait for them "
                                 "or cancel them, then choose Retry again."));
      return;
    }
  show_grid (self, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.retry", "s", peel_node_get_id (node));
}

static void
grid_failed_cb (PeelWindow   *self,
                const GError *error)
{
  peel_window_toast_error (self, error);
}

static void
hidden_cb (PeelWindow *self)
{
  update_show_button (self);
}

/**
 * peel_window_variations_session_changed:
 *
 * The window opened another session: the grid empties and hides.
 */
void
peel_window_variations_session_changed (PeelWindow *self)
{
  peel_variation_grid_set_session (get_grid (self), self->session);
  show_grid (self, FALSE);
  if (self->session != NULL)
    g_signal_connect_object (self->session, "notify::current", G_CALLBACK (hidden_cb), self,
                             G_CONNECT_SWAPPED);
}

void
peel_window_variations_init (PeelWindow *self)
{
  PeelWindowVariations *state = g_new0 (PeelWindowVariations, 1);
  GtkWidget *overlay = gtk_widget_get_parent (GTK_WIDGET (self->canvas_stack));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->variations_state = state;

  /* Above the canvas, its tool strip and the board; under the progress card. */
  state->grid = peel_variation_grid_new ();
  gtk_widget_set_visible (state->grid, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), state->grid);
  gtk_widget_insert_after (state->grid, overlay, peel_window_get_board (self));

  gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("view-grid-symbolic"));
  gtk_box_append (GTK_BOX (content), gtk_label_new_with_mnemonic (_("_Variations")));
  state->show_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (state->show_button), content);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (state->show_button), "win.show-variations");
  gtk_widget_set_tooltip_text (state->show_button, _("Show the Variations of This Turn (Ctrl+G)"));
  gtk_widget_set_halign (state->show_button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (state->show_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (state->show_button, 12);
  gtk_widget_add_css_class (state->show_button, "osd");
  gtk_widget_add_css_class (state->show_button, "pill");
  gtk_widget_set_visible (state->show_button, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), state->show_button);
  gtk_widget_insert_after (state->show_button, overlay, state->grid);

  g_signal_connect_object (state->grid, "node-activated", G_CALLBACK (node_activated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state->grid, "closed", G_CALLBACK (grid_closed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state->grid, "failed", G_CALLBACK (grid_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state->grid, "retry", G_CALLBACK (grid_retry_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas_stack, "notify::visible", G_CALLBACK (hidden_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-variations", FALSE);
}

void
peel_window_variations_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-variations", NULL,
                                   show_variations_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
                                       "win.show-variations", NULL);
}

void
peel_window_variations_dispose (PeelWindow *self)
{
  PeelWindowVariations *state = self->variations_state;

  if (state == NULL)
    return;
  g_cancellable_cancel (state->cancellable);
  g_clear_object (&state->cancellable);
  if (state->batch != NULL)
    g_signal_handlers_disconnect_by_data (state->batch, self);
  g_clear_object (&state->batch);
  g_clear_pointer (&state->first_error, g_free);
  g_clear_pointer (&self->variations_state, g_free);
}
