/* peel-board-input.c
 *
 * The board under the pointer and the keyboard. Dragging a card moves it (all the selected
 * cards, when it is one of them) and saves where it was dropped; dragging empty space pans,
 * and with Shift or Ctrl held draws a rubber band that selects what it touches. A click
 * selects a card (Ctrl+click adds or removes it), a double-click opens it on the canvas.
 * Ctrl+scroll and pinching zoom about the pointer, plain scrolling pans, + and − zoom, 0 shows
 * everything. With a card focused the arrow keys move between cards along the tree, Space
 * selects and Enter opens; with the board itself focused they pan.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "peel-board-private.h"

enum {
  DRAG_NONE,
  DRAG_CARDS,
  DRAG_PAN,
  DRAG_BAND,
};

/* Less movement than this is a click. */
#define CLICK_SLOP   4.0
#define ZOOM_STEP    1.25
#define PAN_STEP     60.0
#define SCROLL_STEP  48.0

static PeelBoardItem *
focused_item (PeelBoard *self)
{
  PeelBoardItem *item;
  GtkWidget *focus;

  focus = gtk_widget_get_focus_child (GTK_WIDGET (self));
  if (focus == NULL || !PEEL_IS_BOARD_CARD (focus))
    return NULL;
  item = peel_board_find_item (self, peel_board_card_get_node (PEEL_BOARD_CARD (focus)));
  return item;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PeelBoard      *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (gesture));
  PeelBoardItem *item = peel_board_item_at_point (self, x, y);
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_offset_x = self->offset_x;
  self->drag_offset_y = self->offset_y;
  g_array_set_size (self->drag_items, 0);
  g_array_set_size (self->drag_origins, 0);
  graphene_rect_init (&self->band, 0, 0, 0, 0);

  if (button == GDK_BUTTON_MIDDLE)
    self->drag_kind = DRAG_PAN;
  else if (item != NULL)
    {
      gboolean selected = peel_board_card_get_selected (item->card);

      self->drag_kind = DRAG_CARDS;
      for (guint i = 0; i < self->items->len; i++)
        {
          PeelBoardItem *other = &g_array_index (self->items, PeelBoardItem, i);
          int index = i;

          /* A selected card takes the others along; an unselected one goes alone. */
          if (other == item || (selected && peel_board_card_get_selected (other->card)))
            {
              g_array_append_val (self->drag_items, index);
              g_array_append_val (self->drag_origins, GRAPHENE_POINT_INIT (other->x, other->y));
            }
        }
    }
  else if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))
    self->drag_kind = DRAG_BAND;
  else
    self->drag_kind = DRAG_PAN;

  gtk_widget_grab_focus (item ? GTK_WIDGET (item->card) : GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PeelBoard      *self)
{
  if (hypot (dx, dy) >= CLICK_SLOP)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  switch (self->drag_kind)
    {
    case DRAG_CARDS:
      if (hypot (dx, dy) < CLICK_SLOP)
        return;
      for (guint i = 0; i < self->drag_items->len; i++)
        {
          PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem,
                                                g_array_index (self->drag_items, int, i));
          graphene_point_t *origin = &g_array_index (self->drag_origins, graphene_point_t, i);

          item->x = origin->x + dx / self->zoom;
          item->y = origin->y + dy / self->zoom;
        }
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      break;

    case DRAG_PAN:
      self->offset_x = self->drag_offset_x - dx / self->zoom;
      self->offset_y = self->drag_offset_y - dy / self->zoom;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      break;

    case DRAG_BAND:
      graphene_rect_init (&self->band, MIN (self->drag_start_x, self->drag_start_x + dx),
                          MIN (self->drag_start_y, self->drag_start_y + dy), fabs (dx), fabs (dy));
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    default:
      break;
    }
}

static void
select_band (PeelBoard *self,
             gboolean   add)
{
  graphene_rect_t band = GRAPHENE_RECT_INIT (self->offset_x + self->band.origin.x / self->zoom,
                                             self->offset_y + self->band.origin.y / self->zoom,
                                             self->band.size.width / self->zoom,
                                             self->band.size.height / self->zoom);

  if (!add)
    peel_board_clear_selection (self);
  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem, i);
      graphene_rect_t card = GRAPHENE_RECT_INIT (item->x, item->y, PEEL_BOARD_CARD_WIDTH,
                                                 PEEL_BOARD_CARD_HEIGHT);

      if (graphene_rect_intersection (&band, &card, NULL) &&
          !peel_board_card_get_selected (item->card))
        peel_board_select (self, item->node, TRUE);
    }
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             PeelBoard      *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (gesture));
  gboolean add = (state & GDK_CONTROL_MASK) != 0;
  gboolean click = hypot (dx, dy) < CLICK_SLOP;

  switch (self->drag_kind)
    {
    case DRAG_CARDS:
      {
        PeelBoardItem *first = &g_array_index (self->items, PeelBoardItem,
                                               g_array_index (self->drag_items, int, 0));

        if (click)
          {
            peel_board_select (self, first->node, add);
            peel_board_set_focus_item (self, first, TRUE);
            break;
          }
        for (guint i = 0; i < self->drag_items->len; i++)
          {
            PeelBoardItem *item = &g_array_index (self->items, PeelBoardItem,
                                                  g_array_index (self->drag_items, int, i));
            peel_board_move_card (self, item->node, item->x, item->y, NULL);
          }
      }
      break;

    case DRAG_PAN:
      if (click && !add)
        peel_board_clear_selection (self);
      break;

    case DRAG_BAND:
      select_band (self, add || (state & GDK_SHIFT_MASK));
      graphene_rect_init (&self->band, 0, 0, 0, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    default:
      break;
    }
  self->drag_kind = DRAG_NONE;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            PeelBoard       *self)
{
  PeelBoardItem *item;

  if (n_press != 2)
    return;
  item = peel_board_item_at_point (self, x, y);
  if (item != NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      peel_board_activate_item (self, item);
    }
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           PeelBoard                *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PeelBoard                *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (controller));
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  gboolean discrete = event != NULL &&
                      gdk_scroll_event_get_direction (event) != GDK_SCROLL_SMOOTH;

  if (state & GDK_CONTROL_MASK)
    {
      peel_board_zoom_at (self, self->zoom * pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return GDK_EVENT_STOP;
    }
  if (state & GDK_SHIFT_MASK && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  peel_board_pan (self, dx * (discrete ? SCROLL_STEP : 1), dy * (discrete ? SCROLL_STEP : 1));
  return GDK_EVENT_STOP;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               PeelBoard        *self)
{
  self->zoom_start = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       PeelBoard      *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  peel_board_zoom_at (self, self->zoom_start * scale, x, y);
}

/* "in", "out" or "fit" */
static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelBoard *self = PEEL_BOARD (widget);
  const char *how = g_variant_get_string (parameter, NULL);

  if (g_str_equal (how, "in"))
    peel_board_set_zoom (self, self->zoom * ZOOM_STEP);
  else if (g_str_equal (how, "out"))
    peel_board_set_zoom (self, self->zoom / ZOOM_STEP);
  else
    peel_board_zoom_fit (self);
}

/* "left", "right", "up" or "down", "shift-" first to select on the way. With a card focused
 * the focus moves along the tree; with the board itself focused the view pans. */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelBoard *self = PEEL_BOARD (widget);
  const char *where = g_variant_get_string (parameter, NULL);
  gboolean extend = g_str_has_prefix (where, "shift-");
  PeelBoardItem *item = focused_item (self);
  PeelBoardItem *next;
  guint keyval;

  if (extend)
    where += strlen ("shift-");
  keyval = g_str_equal (where, "left") ? GDK_KEY_Left
         : g_str_equal (where, "right") ? GDK_KEY_Right
         : g_str_equal (where, "up") ? GDK_KEY_Up : GDK_KEY_Down;

  if (item == NULL)
    {
      gboolean horizontal = keyval == GDK_KEY_Left || keyval == GDK_KEY_Right;
      double step = keyval == GDK_KEY_Left || keyval == GDK_KEY_Up ? -PAN_STEP : PAN_STEP;

      peel_board_pan (self, horizontal ? step : 0, horizontal ? 0 : step);
      return;
    }
  next = peel_board_item_next_to (self, item, keyval);
  if (next == NULL)
    return;
  peel_board_set_focus_item (self, next, TRUE);
  if (extend && !peel_board_card_get_selected (next->card))
    peel_board_select (self, next->node, TRUE);
}

/* "select" adds the focused card to the selection or takes it out; "open" shows it. */
static void
card_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PeelBoard *self = PEEL_BOARD (widget);
  PeelBoardItem *item = focused_item (self);

  if (item == NULL)
    return;
  if (g_str_equal (g_variant_get_string (parameter, NULL), "open"))
    peel_board_activate_item (self, item);
  else
    peel_board_select (self, item->node, TRUE);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PeelBoard *self = PEEL_BOARD (widget);

  for (guint i = 0; i < self->items->len; i++)
    {
      PeelBoardItem *each = &g_array_index (self->items, PeelBoardItem, i);

      if (!peel_board_card_get_selected (each->card))
        peel_board_select (self, each->node, TRUE);
    }
}

/* Tab onto a card brings it into view, as the arrow keys do. */
static void
peel_board_set_focus_child (GtkWidget *widget,
                            GtkWidget *child)
{
  PeelBoard *self = PEEL_BOARD (widget);

  GTK_WIDGET_CLASS (g_type_class_peek_parent (G_OBJECT_GET_CLASS (widget)))->set_focus_child (
    widget, child);
  if (child != NULL && PEEL_IS_BOARD_CARD (child))
    {
      PeelBoardItem *item = peel_board_find_item (self,
                                                  peel_board_card_get_node (PEEL_BOARD_CARD (child)));

      if (item != NULL && (self->focus_id == NULL ||
                           !g_str_equal (self->focus_id, peel_node_get_id (item->node))))
        peel_board_set_focus_item (self, item, FALSE);
    }
}

void
peel_board_input_init (PeelBoard *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

static void
bind_move (GtkWidgetClass *widget_class,
           guint           keyval,
           guint           keypad,
           const char     *where)
{
  g_autofree char *extend = g_strconcat ("shift-", where, NULL);

  gtk_widget_class_add_binding_action (widget_class, keyval, 0, "board.move", "s", where);
  gtk_widget_class_add_binding_action (widget_class, keypad, 0, "board.move", "s", where);
  gtk_widget_class_add_binding_action (widget_class, keyval, GDK_SHIFT_MASK, "board.move", "s",
                                       extend);
}

void
peel_board_input_class_init (GtkWidgetClass *widget_class)
{
  widget_class->set_focus_child = peel_board_set_focus_child;

  gtk_widget_class_install_action (widget_class, "board.zoom", "s", zoom_action);
  gtk_widget_class_install_action (widget_class, "board.move", "s", move_action);
  gtk_widget_class_install_action (widget_class, "board.card", "s", card_action);
  gtk_widget_class_install_action (widget_class, "board.select-all", NULL, select_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "board.zoom", "s", "in");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "board.zoom", "s", "in");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "board.zoom", "s", "in");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "board.zoom",
                                       "s", "in");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "board.zoom", "s", "in");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "board.zoom", "s", "out");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "board.zoom", "s",
                                       "out");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "board.zoom", "s", "out");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "board.zoom", "s", "fit");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "board.zoom",
                                       "s", "fit");

  bind_move (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "left");
  bind_move (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "right");
  bind_move (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, "up");
  bind_move (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, "down");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "board.card", "s",
                                       "select");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "board.card", "s", "open");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "board.card", "s",
                                       "open");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "board.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "board.clear-selection",
                                       NULL);
}
