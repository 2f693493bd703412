/* peel-ratio-shape.c
 *
 * An aspect ratio drawn to scale as a rounded outline in a fixed square box,
 * so that every ratio in a row of them is comparable at a glance. A %NULL
 * ratio ("match input") is drawn as a dashed square.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "peel-ratio-shape.h"
#include "peel-util.h"
#include "peel-picker-state.h"

struct _PeelRatioShape
{
  GtkWidget  parent_instance;

  char      *ratio;
  int        box_size;
};

enum {
  PROP_0,
  PROP_RATIO,
  PROP_BOX_SIZE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelRatioShape, peel_ratio_shape, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
rounded_rect_path (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
peel_ratio_shape_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PeelRatioShape *self = PEEL_RATIO_SHAPE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double line = self->box_size >= 32 ? 2 : 1.5;
  double box = self->box_size - line;
  double w, h, x, y;
  GdkRGBA color;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  if (!peel_view_ratio_shape_box (self->ratio, box, &w, &h))
    w = h = box;

  /* Keep even the thinnest shape (1:8 in a 16 px box) a visible outline. */
  w = MAX (w, 2 * line);
  h = MAX (h, 2 * line);
  x = round ((width - w) / 2);
  y = round ((height - h) / 2);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  rounded_rect_path (cr, x, y, w, h, self->box_size >= 32 ? 4 : 2.5);

  color.alpha *= 0.15;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_fill_preserve (cr);

  color.alpha /= 0.15;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, line);
  if (self->ratio == NULL)
    {
      double dash = self->box_size >= 32 ? 4 : 2;

      cairo_set_dash (cr, &dash, 1, 0);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
peel_ratio_shape_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PeelRatioShape *self = PEEL_RATIO_SHAPE (widget);

  *minimum = *natural = self->box_size;
}

static void
peel_ratio_shape_finalize (GObject *object)
{
  PeelRatioShape *self = PEEL_RATIO_SHAPE (object);

  g_clear_pointer (&self->ratio, g_free);

  G_OBJECT_CLASS (peel_ratio_shape_parent_class)->finalize (object);
}

static void
peel_ratio_shape_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PeelRatioShape *self = PEEL_RATIO_SHAPE (object);

  switch (prop_id)
    {
    case PROP_RATIO:
      g_value_set_string (value, self->ratio);
      break;
    case PROP_BOX_SIZE:
      g_value_set_int (value, self->box_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_ratio_shape_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PeelRatioShape *self = PEEL_RATIO_SHAPE (object);

  switch (prop_id)
    {
    case PROP_RATIO:
      peel_ratio_shape_set_ratio (self, g_value_get_string (value));
      break;
    case PROP_BOX_SIZE:
      peel_ratio_shape_set_box_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_ratio_shape_class_init (PeelRatioShapeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = peel_ratio_shape_finalize;
  object_class->get_property = peel_ratio_shape_get_property;
  object_class->set_property = peel_ratio_shape_set_property;

  widget_class->snapshot = peel_ratio_shape_snapshot;
  widget_class->measure = peel_ratio_shape_measure;

  properties[PROP_RATIO] =
    g_param_spec_string ("ratio", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BOX_SIZE] =
    g_param_spec_int ("box-size", NULL, NULL,
                      4, 256, 16,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "ratioshape");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
peel_ratio_shape_init (PeelRatioShape *self)
{
  self->box_size = 16;
}

GtkWidget *
peel_ratio_shape_new (const char *ratio,
                      int         box_size)
{
  return g_object_new (PEEL_TYPE_RATIO_SHAPE,
                       "ratio", ratio,
                       "box-size", box_size,
                       NULL);
}

const char *
peel_ratio_shape_get_ratio (PeelRatioShape *self)
{
  g_return_val_if_fail (PEEL_IS_RATIO_SHAPE (self), NULL);

  return self->ratio;
}

void
peel_ratio_shape_set_ratio (PeelRatioShape *self,
                            const char     *ratio)
{
  g_return_if_fail (PEEL_IS_RATIO_SHAPE (self));

  if (peel_set_str (&self->ratio, ratio))
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATIO]);
    }
}

int
peel_ratio_shape_get_box_size (PeelRatioShape *self)
{
  g_return_val_if_fail (PEEL_IS_RATIO_SHAPE (self), 0);

  return self->box_size;
}

void
peel_ratio_shape_set_box_size (PeelRatioShape *self,
                               int             box_size)
{
  g_return_if_fail (PEEL_IS_RATIO_SHAPE (self));

  if (self->box_size != box_size)
    {
      self->box_size = box_size;
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOX_SIZE]);
    }
}
