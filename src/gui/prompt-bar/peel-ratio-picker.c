/* peel-ratio-picker.c
 *
 * A button showing the chosen aspect ratio as a small shape and its name; its
 * popover lays out all 14 ratios to scale, the ones the model cannot make
 * insensitive with the reason as their tooltip.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-model-catalog.h"
#include "peel-ratio-picker.h"
#include "peel-ratio-shape.h"
#include "peel-util.h"
#include "peel-picker-state.h"

#define CELL_BOX_SIZE 40
#define N_COLUMNS 7

struct _PeelRatioPicker
{
  GtkWidget        parent_instance;

  char            *aspect_ratio;
  char            *model;
  gboolean         editing;

  GtkMenuButton   *button;
  PeelRatioShape  *button_shape;
  GtkLabel        *button_label;
  GtkPopover      *popover;
  GtkGrid         *grid;
  GtkToggleButton *match_button;
  GtkToggleButton *cells[PEEL_N_ASPECT_RATIOS];
};

enum {
  PROP_0,
  PROP_ASPECT_RATIO,
  PROP_MODEL,
  PROP_EDITING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelRatioPicker, peel_ratio_picker, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
peel_ratio_picker_update_button (PeelRatioPicker *self)
{
  g_autofree char *a11y = peel_view_ratio_accessible_label (self->aspect_ratio);
  g_autofree char *tooltip = NULL;

  peel_ratio_shape_set_ratio (self->button_shape, self->aspect_ratio);
  gtk_label_set_label (self->button_label,
                       self->aspect_ratio ? self->aspect_ratio : _("Match Input"));

  /* Translators: tooltip of the aspect ratio button; %s is "16:9, landscape" */
  tooltip = g_strdup_printf (_("Aspect ratio: %s"), a11y);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

static void
peel_ratio_picker_update_cells (PeelRatioPicker *self)
{
  PeelModelFamily family = peel_model_family_for_id (self->model);
  int current = peel_aspect_ratio_find (self->aspect_ratio);

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      const char *ratio = peel_aspect_ratio_get_name (i);
      g_autofree char *reason = peel_view_ratio_disabled_reason (family, ratio);
      GtkWidget *cell = GTK_WIDGET (self->cells[i]);

      gtk_widget_set_sensitive (cell, reason == NULL);
      gtk_widget_set_tooltip_text (cell, reason);
      if (reason != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (cell),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_toggle_button_set_active (self->cells[i], (int) i == current);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->match_button), self->editing);
  gtk_toggle_button_set_active (self->match_button, self->aspect_ratio == NULL);
}

static void
cell_clicked_cb (PeelRatioPicker *self,
                 GtkButton       *cell)
{
  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      if (cell == GTK_BUTTON (self->cells[i]))
        {
          peel_ratio_picker_set_aspect_ratio (self, peel_aspect_ratio_get_name (i));
          break;
        }
    }

  gtk_popover_popdown (self->popover);
}

static void
match_clicked_cb (PeelRatioPicker *self,
                  GtkButton       *button)
{
  peel_ratio_picker_set_aspect_ratio (self, NULL);
  gtk_popover_popdown (self->popover);
}

/* Start keyboard navigation on the ratio in use, not on the first one. */
static void
popover_show_cb (PeelRatioPicker *self,
                 GtkPopover      *popover)
{
  int current = peel_aspect_ratio_find (self->aspect_ratio);

  if (current >= 0 && gtk_widget_get_sensitive (GTK_WIDGET (self->cells[current])))
    gtk_widget_grab_focus (GTK_WIDGET (self->cells[current]));
  else if (self->aspect_ratio == NULL && self->editing)
    gtk_widget_grab_focus (GTK_WIDGET (self->match_button));
}

static GtkToggleButton *
peel_ratio_picker_create_cell (PeelRatioPicker *self,
                               const char      *ratio)
{
  g_autofree char *a11y = peel_view_ratio_accessible_label (ratio);
  GtkWidget *cell, *box, *label;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), peel_ratio_shape_new (ratio, CELL_BOX_SIZE));
  label = gtk_label_new (ratio);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);

  cell = gtk_toggle_button_new ();
  gtk_button_set_child (GTK_BUTTON (cell), box);
  gtk_widget_add_css_class (cell, "card");
  gtk_widget_add_css_class (cell, "ratio-cell");
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  -1);
  g_signal_connect_object (cell, "clicked", G_CALLBACK (cell_clicked_cb), self,
                           G_CONNECT_SWAPPED);

  return GTK_TOGGLE_BUTTON (cell);
}

static void
peel_ratio_picker_dispose (GObject *object)
{
  PeelRatioPicker *self = PEEL_RATIO_PICKER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_RATIO_PICKER);

  G_OBJECT_CLASS (peel_ratio_picker_parent_class)->dispose (object);
}

static void
peel_ratio_picker_finalize (GObject *object)
{
  PeelRatioPicker *self = PEEL_RATIO_PICKER (object);

  g_clear_pointer (&self->aspect_ratio, g_free);
  g_clear_pointer (&self->model, g_free);

  G_OBJECT_CLASS (peel_ratio_picker_parent_class)->finalize (object);
}

static void
peel_ratio_picker_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PeelRatioPicker *self = PEEL_RATIO_PICKER (object);

  switch (prop_id)
    {
    case PROP_ASPECT_RATIO:
      g_value_set_string (value, self->aspect_ratio);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_ratio_picker_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PeelRatioPicker *self = PEEL_RATIO_PICKER (object);

  switch (prop_id)
    {
    case PROP_ASPECT_RATIO:
      peel_ratio_picker_set_aspect_ratio (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      peel_ratio_picker_set_model (self, g_value_get_string (value));
      break;
    case PROP_EDITING:
      peel_ratio_picker_set_editing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_ratio_picker_class_init (PeelRatioPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_ratio_picker_dispose;
  object_class->finalize = peel_ratio_picker_finalize;
  object_class->get_property = peel_ratio_picker_get_property;
  object_class->set_property = peel_ratio_picker_set_property;

  /**
   * PeelRatioPicker:aspect-ratio: (nullable)
   *
   * One of the 14 ratios, or %NULL to keep the shape of the input image.
   */
  properties[PROP_ASPECT_RATIO] =
    g_param_spec_string ("aspect-ratio", NULL, NULL,
                         "1:1",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         PEEL_DEFAULT_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PEEL_TYPE_RATIO_SHAPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-ratio-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelRatioPicker, button);
  gtk_widget_class_bind_template_child (widget_class, PeelRatioPicker, button_shape);
  gtk_widget_class_bind_template_child (widget_class, PeelRatioPicker, button_label);
  gtk_widget_class_bind_template_child (widget_class, PeelRatioPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, PeelRatioPicker, grid);
  gtk_widget_class_bind_template_child (widget_class, PeelRatioPicker, match_button);
  gtk_widget_class_bind_template_callback (widget_class, match_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ratiopicker");
}

static void
peel_ratio_picker_init (PeelRatioPicker *self)
{
  self->aspect_ratio = g_strdup ("1:1");
  self->model = g_strdup (PEEL_DEFAULT_MODEL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < PEEL_N_ASPECT_RATIOS; i++)
    {
      self->cells[i] = peel_ratio_picker_create_cell (self, peel_aspect_ratio_get_name (i));
      if (i > 0)
        gtk_toggle_button_set_group (self->cells[i], self->cells[0]);
      gtk_grid_attach (self->grid, GTK_WIDGET (self->cells[i]),
                       i % N_COLUMNS, i / N_COLUMNS, 1, 1);
    }
  gtk_toggle_button_set_group (self->match_button, self->cells[0]);

  peel_ratio_picker_update_button (self);
  peel_ratio_picker_update_cells (self);
}

GtkWidget *
peel_ratio_picker_new (void)
{
  return g_object_new (PEEL_TYPE_RATIO_PICKER, NULL);
}

const char *
peel_ratio_picker_get_aspect_ratio (PeelRatioPicker *self)
{
  g_return_val_if_fail (PEEL_IS_RATIO_PICKER (self), NULL);

  return self->aspect_ratio;
}

/**
 * peel_ratio_picker_set_aspect_ratio:
 * @aspect_ratio: (nullable): one of the 14 ratios, or %NULL for "match input"
 */
void
peel_ratio_picker_set_aspect_ratio (PeelRatioPicker *self,
                                    const char      *aspect_ratio)
{
  g_return_if_fail (PEEL_IS_RATIO_PICKER (self));
  g_return_if_fail (aspect_ratio == NULL || peel_aspect_ratio_find (aspect_ratio) >= 0);

  if (peel_set_str (&self->aspect_ratio, aspect_ratio))
    {
      peel_ratio_picker_update_button (self);
      peel_ratio_picker_update_cells (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT_RATIO]);
    }
}

const char *
peel_ratio_picker_get_model (PeelRatioPicker *self)
{
  g_return_val_if_fail (PEEL_IS_RATIO_PICKER (self), NULL);

  return self->model;
}

void
peel_ratio_picker_set_model (PeelRatioPicker *self,
                             const char      *model)
{
  g_return_if_fail (PEEL_IS_RATIO_PICKER (self));

  if (peel_set_str (&self->model, model))
    {
      peel_ratio_picker_update_cells (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
    }
}

gboolean
peel_ratio_picker_get_editing (PeelRatioPicker *self)
{
  g_return_val_if_fail (PEEL_IS_RATIO_PICKER (self), FALSE);

  return self->editing;
}

void
peel_ratio_picker_set_editing (PeelRatioPicker *self,
                               gboolean         editing)
{
  g_return_if_fail (PEEL_IS_RATIO_PICKER (self));

  editing = !!editing;
  if (self->editing != editing)
    {
      self->editing = editing;
      peel_ratio_picker_update_cells (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
    }
}

GtkPopover *
peel_ratio_picker_get_popover (PeelRatioPicker *self)
{
  g_return_val_if_fail (PEEL_IS_RATIO_PICKER (self), NULL);

  return self->popover;
}
