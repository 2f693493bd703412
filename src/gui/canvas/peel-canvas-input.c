/* peel-canvas-input.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-canvas-private.h"

#define DIVIDER_GRAB_DISTANCE 12

static double
peel_canvas_divider_x (PeelCanvas *self)
{
  return self->split_position * gtk_widget_get_width (GTK_WIDGET (self));
}

static gboolean
peel_canvas_near_divider (PeelCanvas *self,
                          double      x)
{
  return self->compare_mode == PEEL_CANVAS_COMPARE_SPLIT && self->compare.texture != NULL
         && fabs (x - peel_canvas_divider_x (self)) <= DIVIDER_GRAB_DISTANCE;
}

static void
peel_canvas_update_cursor (PeelCanvas *self,
                           double      x,
                           gboolean    dragging)
{
  const char *name = NULL;

  if (self->tool != PEEL_CANVAS_TOOL_PAN && self->compare_mode == PEEL_CANVAS_COMPARE_NONE)
    name = self->tool == PEEL_CANVAS_TOOL_BRUSH ? "none" : "crosshair";
  else if (self->dragging_divider || peel_canvas_near_divider (self, x))
    name = "col-resize";
  else if (_peel_canvas_can_pan (self))
    name = dragging ? "grabbing" : "grab";

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
motion_cb (PeelCanvas               *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  peel_canvas_update_cursor (self, x, FALSE);
  if (self->tool == PEEL_CANVAS_TOOL_BRUSH)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (PeelCanvas               *self,
          GtkEventControllerMotion *motion)
{
  self->pointer_inside = FALSE;
}

static gboolean
scroll_cb (PeelCanvas               *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GtkEventController *controller = GTK_EVENT_CONTROLLER (scroll);
  GdkModifierType state = gtk_event_controller_get_current_event_state (controller);
  gboolean wheel = gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL;

  if (self->image.texture == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      double factor = wheel ? pow (1.25, -dy) : exp (-dy / 200.0);
      double px = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      double py = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

      if (dy == 0)
        return FALSE;

      if (self->pointer_inside)
        {
          px = self->pointer_x;
          py = self->pointer_y;
        }

      _peel_canvas_zoom_to (self, self->view.scale * factor, px, py);
      return TRUE;
    }

  if (!_peel_canvas_can_pan (self))
    return FALSE;

  if ((state & GDK_SHIFT_MASK) && dx == 0)
    {
      dx = dy;
      dy = 0;
    }

  if (wheel)
    {
      dx *= 64;
      dy *= 64;
    }

  _peel_canvas_pan_by (self, -dx, -dy);

  return TRUE;
}

static void
drag_begin_cb (PeelCanvas     *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  if (!gtk_widget_has_focus (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));

  if (_peel_canvas_tools_drag_begin (self, gesture, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  if (peel_canvas_near_divider (self, x))
    {
      self->dragging_divider = TRUE;
      self->drag_start_x = x;
    }
  else if (_peel_canvas_can_pan (self))
    {
      self->drag_start_x = self->view.x;
      self->drag_start_y = self->view.y;
    }
  else
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  peel_canvas_update_cursor (self, x, TRUE);
}

static void
drag_update_cb (PeelCanvas     *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *gesture)
{
  if (_peel_canvas_tools_drag_update (self, gesture, offset_x, offset_y))
    return;

  if (self->dragging_divider)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self));

      if (width > 0)
        peel_canvas_set_split_position (self, (self->drag_start_x + offset_x) / width);
      return;
    }

  _peel_canvas_pan_by (self,
                      self->drag_start_x + offset_x - self->view.x,
                      self->drag_start_y + offset_y - self->view.y);
}

static void
drag_end_cb (PeelCanvas     *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *gesture)
{
  double x = 0, y = 0;

  if (_peel_canvas_tools_drag_end (self, gesture))
    return;

  self->dragging_divider = FALSE;
  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  peel_canvas_update_cursor (self, x + offset_x, FALSE);
}

static void
zoom_begin_cb (PeelCanvas *self,
               GdkEventSequence *sequence,
               GtkGesture *gesture)
{
  self->pinch_start_scale = self->view.scale;
}

static void
zoom_scale_changed_cb (PeelCanvas     *self,
                       double          scale,
                       GtkGestureZoom *gesture)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }

  _peel_canvas_zoom_to (self, self->pinch_start_scale * scale, x, y);
}

void
_peel_canvas_init_input (PeelCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

/* A strip as wide as the handle, over the whole line, so that its focus ring frames it. */
void
_peel_canvas_allocate_divider (PeelCanvas *self,
                               int         width,
                               int         height)
{
  int x = (int) (peel_canvas_divider_x (self) + 0.5);

  if (self->divider == NULL || !gtk_widget_get_visible (self->divider))
    return;

  gtk_widget_size_allocate (self->divider,
                            &(GtkAllocation) { CLAMP (x - DIVIDER_GRAB_DISTANCE - 4, 0,
                                                      MAX (width - 2 * DIVIDER_GRAB_DISTANCE - 8, 0)),
                                               0, 2 * DIVIDER_GRAB_DISTANCE + 8, height },
                            -1);
}
