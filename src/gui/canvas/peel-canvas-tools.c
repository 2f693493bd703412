/* peel-canvas-tools.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-canvas-tools-private.h"

/* What a drag does on the canvas: pan (the canvas's own input), select, or draw marks. The
 * selection and the marks are drawn over the image in widget space, above it and below the
 * compare views, which show neither. */

static const char *const tool_names[] = {
  "pan", "rectangle", "ellipse", "lasso", "brush", "marks",
};

const char *
peel_canvas_tool_to_string (PeelCanvasTool tool)
{
  g_return_val_if_fail (tool < G_N_ELEMENTS (tool_names), "pan");

  return tool_names[tool];
}

gboolean
peel_canvas_tool_from_string (const char     *name,
                              PeelCanvasTool *tool)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (tool_names); i++)
    if (g_str_equal (name, tool_names[i]))
      {
        *tool = i;
        return TRUE;
      }
  return FALSE;
}

PeelCanvasTool
peel_canvas_get_tool (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), PEEL_CANVAS_TOOL_PAN);

  return self->tool;
}

void
peel_canvas_set_tool (PeelCanvas     *self,
                      PeelCanvasTool  tool)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (tool < G_N_ELEMENTS (tool_names));

  if (self->tool == tool)
    return;
  self->tool = tool;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   tool == PEEL_CANVAS_TOOL_PAN ? NULL
                                   : tool == PEEL_CANVAS_TOOL_BRUSH ? "none" : "crosshair");
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit_by_name (self, "tool-changed");
}

void
peel_canvas_widget_to_image (PeelCanvas *self,
                             double      x,
                             double      y,
                             double     *u,
                             double     *v)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  *u = (x - self->view.x) / self->view.scale;
  *v = (y - self->view.y) / self->view.scale;
}

static PeelCanvasSelectMode
peel_canvas_tools_mode (GtkGestureDrag *gesture)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (state & GDK_CONTROL_MASK)
    return PEEL_CANVAS_SELECT_SUBTRACT;
  if (state & GDK_SHIFT_MASK)
    return PEEL_CANVAS_SELECT_ADD;
  return PEEL_CANVAS_SELECT_REPLACE;
}

gboolean
_peel_canvas_tools_drag_begin (PeelCanvas     *self,
                               GtkGestureDrag *gesture,
                               double          x,
                               double          y)
{
  PeelCanvasSelect *select = self->select;
  PeelMarkPoint point;

  self->tool_dragging = FALSE;
  if (self->tool == PEEL_CANVAS_TOOL_PAN || self->image.texture == NULL
      || self->compare_mode != PEEL_CANVAS_COMPARE_NONE)
    return FALSE;

  self->tool_dragging = TRUE;
  self->drag_start_x = x;
  self->drag_start_y = y;
  peel_canvas_widget_to_image (self, x, y, &point.x, &point.y);
  switch (self->tool)
    {
    case PEEL_CANVAS_TOOL_RECTANGLE:
    case PEEL_CANVAS_TOOL_ELLIPSE:
    case PEEL_CANVAS_TOOL_LASSO:
      select->shaping = TRUE;
      select->mode = peel_canvas_tools_mode (gesture);
      g_array_set_size (select->shape, 0);
      g_array_append_val (select->shape, point);
      if (self->tool != PEEL_CANVAS_TOOL_LASSO)
        g_array_append_val (select->shape, point);
      break;

    case PEEL_CANVAS_TOOL_BRUSH:
      select->painting = TRUE;
      select->erasing = peel_canvas_tools_mode (gesture) == PEEL_CANVAS_SELECT_SUBTRACT;
      _peel_canvas_select_brush_to (self, select->erasing, point.x, point.y, TRUE);
      break;

    case PEEL_CANVAS_TOOL_MARKS:
      _peel_canvas_marks_drag_begin (self, point.x, point.y);
      break;

    case PEEL_CANVAS_TOOL_PAN:
    default:
      g_assert_not_reached ();
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

gboolean
_peel_canvas_tools_drag_update (PeelCanvas     *self,
                                GtkGestureDrag *gesture,
                                double          offset_x,
                                double          offset_y)
{
  PeelCanvasSelect *select = self->select;
  double x = self->drag_start_x + offset_x;
  double y = self->drag_start_y + offset_y;
  PeelMarkPoint point;

  if (!self->tool_dragging)
    return FALSE;

  self->pointer_x = x;
  self->pointer_y = y;
  peel_canvas_widget_to_image (self, x, y, &point.x, &point.y);
  if (select->shaping)
    {
      if (self->tool == PEEL_CANVAS_TOOL_LASSO)
        g_array_append_val (select->shape, point);
      else
        g_array_index (select->shape, PeelMarkPoint, 1) = point;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (select->painting)
    _peel_canvas_select_brush_to (self, select->erasing, point.x, point.y, FALSE);
  else if (self->tool == PEEL_CANVAS_TOOL_MARKS)
    _peel_canvas_marks_drag_update (self, point.x, point.y);
  return TRUE;
}

gboolean
_peel_canvas_tools_drag_end (PeelCanvas     *self,
                             GtkGestureDrag *gesture)
{
  PeelCanvasSelect *select = self->select;

  if (!self->tool_dragging)
    return FALSE;

  self->tool_dragging = FALSE;
  if (select->shaping)
    {
      const PeelMarkPoint *p = (const PeelMarkPoint *) select->shape->data;

      select->shaping = FALSE;
      if (self->tool == PEEL_CANVAS_TOOL_LASSO)
        peel_canvas_select_polygon (self, select->mode, p, select->shape->len);
      else
        peel_canvas_select_rect (self, self->tool, select->mode, p[0].x, p[0].y, p[1].x, p[1].y);
      g_array_set_size (select->shape, 0);
    }
  else if (select->painting)
    {
      select->painting = FALSE;
      g_signal_emit_by_name (self, "selection-changed");
    }
  else if (self->tool == PEEL_CANVAS_TOOL_MARKS)
    _peel_canvas_marks_drag_end (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

void
_peel_canvas_tools_snapshot (PeelCanvas  *self,
                             GtkSnapshot *snapshot,
                             int          width,
                             int          height)
{
  _peel_canvas_select_snapshot (self, snapshot, width, height);
  _peel_canvas_marks_snapshot (self, snapshot, width, height);
}

static gboolean
peel_canvas_undo_mark_cb (GtkWidget *widget,
                          GVariant  *args,
                          gpointer   user_data)
{
  PeelCanvas *self = PEEL_CANVAS (widget);

  /* Otherwise the window's own undo (the tree's) takes the key. */
  if (self->tool != PEEL_CANVAS_TOOL_MARKS)
    return FALSE;
  return peel_canvas_undo_marks (self);
}

static gboolean
peel_canvas_delete_mark_cb (GtkWidget *widget,
                            GVariant  *args,
                            gpointer   user_data)
{
  return peel_canvas_delete_selected_mark (PEEL_CANVAS (widget));
}

void
_peel_canvas_tools_class_init (GtkWidgetClass *widget_class)
{
  GType type = G_TYPE_FROM_CLASS (widget_class);

  /**
   * PeelCanvas::selection-changed:
   *
   * The user changed the selection or its feather (not emitted by
   * peel_canvas_set_selection()).
   */
  g_signal_new ("selection-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
  /**
   * PeelCanvas::marks-changed:
   *
   * The user added, moved, deleted or undid a mark (not emitted by peel_canvas_set_marks()).
   */
  g_signal_new ("marks-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
  g_signal_new ("tool-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
  g_signal_new ("brush-size-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                peel_canvas_undo_mark_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0,
                                peel_canvas_delete_mark_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_BackSpace, 0,
                                peel_canvas_delete_mark_cb, NULL);
}

void
_peel_canvas_tools_init (PeelCanvas *self)
{
  self->select = _peel_canvas_select_new ();
  self->marks = _peel_canvas_marks_new ();
}

void
_peel_canvas_tools_finalize (PeelCanvas *self)
{
  g_clear_pointer (&self->select, _peel_canvas_select_free);
  g_clear_pointer (&self->marks, _peel_canvas_marks_free);
}
