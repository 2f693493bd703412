/* peel-canvas-divider.c
 *
 * The divider of the split compare view as a slider: a strip over the line the canvas draws,
 * which takes focus (and shows it), moves with the arrows, Page Up and Down, Home and End, and
 * tells a screen reader how much of each image is showing. The pointer still drags the line
 * through the canvas, which draws it; this widget draws only its focus.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-canvas.h"
#include "peel-canvas-divider.h"

#define STEP      0.05
#define PAGE_STEP 0.25

struct _PeelCanvasDivider
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (PeelCanvasDivider, peel_canvas_divider, GTK_TYPE_WIDGET)

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  PeelCanvas *canvas;

  if (!PEEL_IS_CANVAS (parent))
    return;

  canvas = PEEL_CANVAS (parent);
  peel_canvas_set_split_position (canvas, peel_canvas_get_split_position (canvas) +
                                          g_variant_get_double (parameter));
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  guint           kp_keyval,
                  double          delta)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, "divider.move", "d", delta);
  gtk_widget_class_add_binding_action (widget_class, kp_keyval, 0, "divider.move", "d", delta);
}

static void
peel_canvas_divider_class_init (PeelCanvasDividerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "divider.move", "d", move_action);
  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, -STEP);
  add_move_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, -STEP);
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, STEP);
  add_move_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, STEP);
  add_move_binding (widget_class, GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, -PAGE_STEP);
  add_move_binding (widget_class, GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, PAGE_STEP);
  /* Clamped by the canvas: all the way to one edge or the other. */
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, -1);
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, 1);

  gtk_widget_class_set_css_name (widget_class, "divider");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
peel_canvas_divider_init (PeelCanvasDivider *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  /* Pointer events go to the canvas, which drags the line. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Compare Divider"),
                                  GTK_ACCESSIBLE_PROPERTY_ORIENTATION,
                                  GTK_ORIENTATION_HORIZONTAL,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 50.0,
                                  -1);
}

GtkWidget *
peel_canvas_divider_new (void)
{
  return g_object_new (PEEL_TYPE_CANVAS_DIVIDER, NULL);
}

/**
 * peel_canvas_divider_update:
 * @position: where the divider is, from 0 (left edge) to 1 (right edge)
 * @label_a: the name of the image on the left
 * @label_b: the name of the image on the right
 *
 * Tells assistive technologies where the divider is, in words as well as a number.
 */
void
peel_canvas_divider_update (PeelCanvasDivider *self,
                            double             position,
                            const char        *label_a,
                            const char        *label_b)
{
  int percent = (int) (position * 100 + 0.5);
  g_autofree char *text = NULL;

  g_return_if_fail (PEEL_IS_CANVAS_DIVIDER (self));

  /* Translators: where the compare divider is; the %s are names of images, such as "A" */
  text = g_strdup_printf (_("%d %% %s, %d %% %s"), percent, label_a, 100 - percent, label_b);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) percent,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}
