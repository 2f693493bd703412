/* peel-window-select.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-canvas-tool-strip.h"
#include "peel-canvas-tools.h"
#include "peel-model-catalog.h"
#include "peel-picker-state.h"
#include "peel-turn-settings.h"
#include "peel-window-private.h"

/* The window's part in selections and marks: the tool strip and its shortcuts, each node's
 * selection and marks kept as the node shown changes, what the prompt bar says of the
 * selection, and what Generate sends of it. */

/* The node whose image the canvas shows: a pending turn shows the image it starts from. */
static PeelNode *
image_node (PeelNode *node)
{
  if (node != NULL && peel_node_get_status (node) == PEEL_NODE_PENDING)
    return peel_node_get_parent (node);
  if (node != NULL && peel_node_get_status (node) != PEEL_NODE_DONE)
    return NULL;
  return node;
}

/**
 * peel_window_update_region_note:
 *
 * Tells the prompt bar what Generate will send of the selection ("Editing the selection ·
 * feather 12 px · sent as 16:9 2K · $0.101"), or why it cannot (an empty selection).
 */
void
peel_window_update_region_note (PeelWindow *self)
{
  const PeelRegionMask *mask = peel_canvas_get_selection (self->canvas);
  PeelTurnSettings *settings = peel_prompt_bar_get_settings (self->prompt_bar);
  PeelModelFamily family = peel_model_family_for_id (peel_turn_settings_get_model (settings));
  g_autoptr(GError) error = NULL;
  g_autofree char *price = NULL;
  g_autofree char *note = NULL;
  PeelRegionPlan plan;

  if (mask == NULL)
    {
      peel_prompt_bar_set_region_note (self->prompt_bar, NULL, FALSE);
      return;
    }
  if (!peel_region_plan (mask, peel_canvas_get_feather (self->canvas), family, &plan, &error))
    {
      if (g_error_matches (error, PEEL_REGION_ERROR, PEEL_REGION_ERROR_EMPTY))
        peel_prompt_bar_set_region_note (self->prompt_bar,
                                         _("The selection is empty. Paint or drag over what to "
                                           "change, or clear the selection (Ctrl+Shift+D)."),
                                         TRUE);
      else
        peel_prompt_bar_set_region_note (self->prompt_bar, error->message, TRUE);
      return;
    }

  price = peel_view_price_text (family, plan.size);
  /* Translators: "feather 12 px · sent as 16:9 2K · $0.101" */
  note = g_strdup_printf (_("Editing the selection · feather %d px · sent as %s %s%s%s"),
                          plan.feather, plan.aspect_ratio, peel_image_size_to_string (plan.size),
                          price ? " · " : "", price ? price : "");
  peel_prompt_bar_set_region_note (self->prompt_bar, note, FALSE);
}

/* The selection and the marks are kept with the node in the session, saved as it is: they are
 * there again after switching nodes and after a restart. */
static void
selection_changed_cb (PeelWindow *self)
{
  const PeelRegionMask *mask = peel_canvas_get_selection (self->canvas);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  peel_window_update_region_note (self);
  if (self->session == NULL || self->edits_node == NULL)
    return;
  if (mask != NULL && (png = peel_region_mask_to_png (mask, &error)) == NULL)
    {
      peel_window_toast_error (self, error);
      return;
    }
  if (!peel_session_set_selection (self->session, self->edits_node, png,
                                   peel_canvas_get_feather (self->canvas), &error))
    peel_window_toast_error (self, error);
}

static void
marks_changed_cb (PeelWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || self->edits_node == NULL)
    return;
  if (!peel_session_set_marks (self->session, self->edits_node,
                               peel_canvas_get_marks (self->canvas), &error))
    peel_window_toast_error (self, error);
}

/**
 * peel_window_select_show_node:
 *
 * Shows the selection and the marks of the node whose image is about to be shown.
 */
void
peel_window_select_show_node (PeelWindow *self,
                              PeelNode   *node)
{
  PeelNode *shown = image_node (node);
  g_autoptr(PeelRegionMask) mask = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  int feather = peel_canvas_get_feather (self->canvas);

  if (shown == self->edits_node)
    return;
  g_set_object (&self->edits_node, shown);
  if (shown != NULL)
    png = peel_node_dup_selection (shown, &feather, &error);
  if (png != NULL)
    mask = peel_region_mask_from_png (png, peel_node_get_final_width (shown),
                                      peel_node_get_final_height (shown), &error);
  if (error != NULL)
    {
      g_prefix_error (&error, _("The selection kept with this image cannot be shown: "));
      peel_window_toast_error (self, error);
    }
  peel_canvas_set_selection (self->canvas, mask);
  if (mask != NULL)
    peel_canvas_set_feather (self->canvas, feather);
  peel_canvas_set_marks (self->canvas, shown ? peel_node_get_marks (shown) : NULL);
  peel_canvas_tool_strip_set_send_marks (self->tool_strip, FALSE);
  peel_canvas_tool_strip_sync_marks (self->tool_strip);
  peel_window_update_region_note (self);
}

/**
 * peel_window_select_prepare_generation:
 * @parent: the image the turn starts from
 *
 * With a selection on @parent's image, the turn edits only the selection; with "Send with
 * Marks" on, it carries the clean image and a copy with the marks drawn on it.
 */
void
peel_window_select_prepare_generation (PeelWindow     *self,
                                       PeelNode       *parent,
                                       PeelGeneration *generation)
{
  const PeelRegionMask *mask = peel_canvas_get_selection (self->canvas);
  GPtrArray *marks = peel_canvas_get_marks (self->canvas);

  if (parent == NULL || parent != self->edits_node)
    return;
  if (mask != NULL && !peel_canvas_selection_is_empty (self->canvas))
    peel_generation_set_region (generation, peel_region_mask_copy (mask),
                                peel_canvas_get_feather (self->canvas));
  if (peel_canvas_tool_strip_get_send_marks (self->tool_strip) && marks->len > 0)
    peel_generation_set_marks (generation, marks);
}

/**
 * peel_window_select_has_edits:
 * @parent: the image the turn starts from
 *
 * Returns: whether a turn from @parent would edit a selection or send marks
 */
gboolean
peel_window_select_has_edits (PeelWindow *self,
                              PeelNode   *parent)
{
  const PeelRegionMask *mask = peel_canvas_get_selection (self->canvas);
  GPtrArray *marks = peel_canvas_get_marks (self->canvas);

  if (parent == NULL || parent != self->edits_node)
    return FALSE;
  return (mask != NULL && !peel_canvas_selection_is_empty (self->canvas)) ||
         (peel_canvas_tool_strip_get_send_marks (self->tool_strip) && marks->len > 0);
}

static void
canvas_tool_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  peel_canvas_tool_strip_set_tool (self->tool_strip, g_variant_get_string (parameter, NULL));
}

static void
selection_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (g_str_equal (action_name, "win.invert-selection"))
    peel_canvas_invert_selection (self->canvas);
  else if (g_str_equal (action_name, "win.clear-selection"))
    peel_canvas_clear_selection (self->canvas);
  else if (g_str_equal (action_name, "win.brush-larger"))
    peel_canvas_set_brush_size (self->canvas, peel_canvas_get_brush_size (self->canvas) * 1.25);
  else if (g_str_equal (action_name, "win.brush-smaller"))
    peel_canvas_set_brush_size (self->canvas, peel_canvas_get_brush_size (self->canvas) / 1.25);
}

static void
mark_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelWindow *self = PEEL_WINDOW (widget);

  if (g_str_equal (action_name, "win.undo-mark"))
    peel_canvas_undo_marks (self->canvas);
  else
    peel_canvas_delete_selected_mark (self->canvas);
}

static void
canvas_page_changed_cb (PeelWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->canvas_stack);

  gtk_widget_set_visible (GTK_WIDGET (self->tool_strip), g_strcmp0 (page, "canvas") == 0);
}

void
peel_window_select_init (PeelWindow *self)
{
  peel_canvas_tool_strip_set_canvas (self->tool_strip, self->canvas);
  g_signal_connect_object (self->canvas, "selection-changed", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "marks-changed", G_CALLBACK (marks_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (peel_prompt_bar_get_settings (self->prompt_bar), "notify::model",
                           G_CALLBACK (peel_window_update_region_note), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas_stack, "notify::visible-child-name",
                           G_CALLBACK (canvas_page_changed_cb), self, G_CONNECT_SWAPPED);
  canvas_page_changed_cb (self);
}

void
peel_window_select_dispose (PeelWindow *self)
{
  g_clear_object (&self->edits_node);
}

void
peel_window_select_class_init (GtkWidgetClass *widget_class)
{
  static const struct
  {
    guint       key;
    const char *tool;
  } tool_keys[] = {
    { GDK_KEY_v, "pan" },
    { GDK_KEY_r, "rectangle" },
    { GDK_KEY_e, "ellipse" },
    { GDK_KEY_l, "lasso" },
    { GDK_KEY_b, "brush" },
    { GDK_KEY_m, "marks" },
  };

  g_type_ensure (PEEL_TYPE_CANVAS_TOOL_STRIP);
  gtk_widget_class_bind_template_child (widget_class, PeelWindow, tool_strip);

  gtk_widget_class_install_action (widget_class, "win.canvas-tool", "s", canvas_tool_action);
  gtk_widget_class_install_action (widget_class, "win.invert-selection", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.clear-selection", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.brush-larger", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.brush-smaller", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.undo-mark", NULL, mark_action);
  gtk_widget_class_install_action (widget_class, "win.delete-mark", NULL, mark_action);

  /* Single keys reach the window only when no text field takes them. */
  for (guint i = 0; i < G_N_ELEMENTS (tool_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, tool_keys[i].key, 0, "win.canvas-tool",
                                         "s", tool_keys[i].tool);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, 0,
                                       "win.brush-larger", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, 0,
                                       "win.brush-smaller", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.invert-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_I, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.invert-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.clear-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_D, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.clear-selection", NULL);
}
