/* peel-size-picker.c
 *
 * A drop-down of the four output sizes, each with the pixel size it gives at
 * the chosen ratio and what one image costs; sizes the model lacks are
 * insensitive and say why.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-size-picker.h"
#include "peel-turn-settings.h"
#include "peel-util.h"
#include "peel-picker-state.h"

struct _PeelSizePicker
{
  GtkWidget        parent_instance;

  PeelImageSize    image_size;
  char            *model;
  char            *aspect_ratio;

  GtkMenuButton   *button;
  GtkPopover      *popover;
  GtkBox          *rows;
  GtkToggleButton *row_buttons[PEEL_N_IMAGE_SIZES];
  GtkLabel        *row_details[PEEL_N_IMAGE_SIZES];
};

enum {
  PROP_0,
  PROP_IMAGE_SIZE,
  PROP_MODEL,
  PROP_ASPECT_RATIO,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PeelSizePicker, peel_size_picker, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
peel_size_picker_update (PeelSizePicker *self)
{
  PeelModelFamily family = peel_model_family_for_id (self->model);
  g_autofree char *current = NULL;
  g_autofree char *tooltip = NULL;

  for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
    {
      g_autofree char *detail = peel_view_size_detail_text (family, self->aspect_ratio, s);
      g_autofree char *a11y = NULL;
      gboolean enabled = peel_view_size_enabled (family, s);
      GtkWidget *row = GTK_WIDGET (self->row_buttons[s]);

      gtk_label_set_label (self->row_details[s], detail);
      gtk_widget_set_sensitive (row, enabled);
      gtk_toggle_button_set_active (self->row_buttons[s], s == self->image_size);

      /* Translators: what a screen reader says for a size, "2K, 2752 × 1536 · $0.101" */
      a11y = g_strdup_printf (_("%s, %s"), peel_image_size_to_string (s), detail);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                      -1);
    }

  current = peel_view_size_detail_text (family, self->aspect_ratio, self->image_size);
  gtk_menu_button_set_label (self->button, peel_image_size_to_string (self->image_size));
  /* Translators: tooltip of the size button, "Image size: 2752 × 1536 · $0.101" */
  tooltip = g_strdup_printf (_("Image size: %s"), current);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

static void
row_clicked_cb (PeelSizePicker *self,
                GtkButton      *row)
{
  for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
    {
      if (row == GTK_BUTTON (self->row_buttons[s]))
        {
          peel_size_picker_set_image_size (self, s);
          break;
        }
    }

  gtk_popover_popdown (self->popover);
}

static void
popover_show_cb (PeelSizePicker *self,
                 GtkPopover     *popover)
{
  GtkWidget *row = GTK_WIDGET (self->row_buttons[self->image_size]);

  if (gtk_widget_get_sensitive (row))
    gtk_widget_grab_focus (row);
}

static void
peel_size_picker_create_row (PeelSizePicker *self,
                             PeelImageSize   size)
{
  GtkWidget *row, *box, *name, *detail;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  name = gtk_label_new (peel_image_size_to_string (size));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_width_chars (GTK_LABEL (name), 4);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (box), name);

  detail = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (detail), 1);
  gtk_widget_set_hexpand (detail, TRUE);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "numeric");
  gtk_box_append (GTK_BOX (box), detail);

  row = gtk_toggle_button_new ();
  gtk_button_set_child (GTK_BUTTON (row), box);
  gtk_widget_add_css_class (row, "flat");
  gtk_widget_add_css_class (row, "size-row");
  g_signal_connect_object (row, "clicked", G_CALLBACK (row_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  if (size > 0)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (row), self->row_buttons[0]);
  gtk_box_append (self->rows, row);

  self->row_buttons[size] = GTK_TOGGLE_BUTTON (row);
  self->row_details[size] = GTK_LABEL (detail);
}

static void
peel_size_picker_dispose (GObject *object)
{
  PeelSizePicker *self = PEEL_SIZE_PICKER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_SIZE_PICKER);

  G_OBJECT_CLASS (peel_size_picker_parent_class)->dispose (object);
}

static void
peel_size_picker_finalize (GObject *object)
{
  PeelSizePicker *self = PEEL_SIZE_PICKER (object);

  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->aspect_ratio, g_free);

  G_OBJECT_CLASS (peel_size_picker_parent_class)->finalize (object);
}

static void
peel_size_picker_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PeelSizePicker *self = PEEL_SIZE_PICKER (object);

  switch (prop_id)
    {
    case PROP_IMAGE_SIZE:
      g_value_set_enum (value, self->image_size);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_ASPECT_RATIO:
      g_value_set_string (value, self->aspect_ratio);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_size_picker_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PeelSizePicker *self = PEEL_SIZE_PICKER (object);

  switch (prop_id)
    {
    case PROP_IMAGE_SIZE:
      peel_size_picker_set_image_size (self, g_value_get_enum (value));
      break;
    case PROP_MODEL:
      peel_size_picker_set_model (self, g_value_get_string (value));
      break;
    case PROP_ASPECT_RATIO:
      peel_size_picker_set_aspect_ratio (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_size_picker_class_init (PeelSizePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_size_picker_dispose;
  object_class->finalize = peel_size_picker_finalize;
  object_class->get_property = peel_size_picker_get_property;
  object_class->set_property = peel_size_picker_set_property;

  properties[PROP_IMAGE_SIZE] =
    g_param_spec_enum ("image-size", NULL, NULL,
                       PEEL_TYPE_IMAGE_SIZE, PEEL_IMAGE_SIZE_1K,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         PEEL_DEFAULT_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ASPECT_RATIO] =
    g_param_spec_string ("aspect-ratio", NULL, NULL,
                         "1:1",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-size-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelSizePicker, button);
  gtk_widget_class_bind_template_child (widget_class, PeelSizePicker, popover);
  gtk_widget_class_bind_template_child (widget_class, PeelSizePicker, rows);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sizepicker");
}

static void
peel_size_picker_init (PeelSizePicker *self)
{
  self->image_size = PEEL_IMAGE_SIZE_1K;
  self->model = g_strdup (PEEL_DEFAULT_MODEL);
  self->aspect_ratio = g_strdup ("1:1");

  gtk_widget_init_template (GTK_WIDGET (self));

  for (PeelImageSize s = 0; s < PEEL_N_IMAGE_SIZES; s++)
    peel_size_picker_create_row (self, s);

  peel_size_picker_update (self);
}

GtkWidget *
peel_size_picker_new (void)
{
  return g_object_new (PEEL_TYPE_SIZE_PICKER, NULL);
}

PeelImageSize
peel_size_picker_get_image_size (PeelSizePicker *self)
{
  g_return_val_if_fail (PEEL_IS_SIZE_PICKER (self), PEEL_IMAGE_SIZE_1K);

  return self->image_size;
}

void
peel_size_picker_set_image_size (PeelSizePicker *self,
                                 PeelImageSize   image_size)
{
  g_return_if_fail (PEEL_IS_SIZE_PICKER (self));
  g_return_if_fail (image_size < PEEL_N_IMAGE_SIZES);

  if (self->image_size != image_size)
    {
      self->image_size = image_size;
      peel_size_picker_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_SIZE]);
    }
}

const char *
peel_size_picker_get_model (PeelSizePicker *self)
{
  g_return_val_if_fail (PEEL_IS_SIZE_PICKER (self), NULL);

  return self->model;
}

void
peel_size_picker_set_model (PeelSizePicker *self,
                            const char     *model)
{
  g_return_if_fail (PEEL_IS_SIZE_PICKER (self));

  if (peel_set_str (&self->model, model))
    {
      peel_size_picker_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
    }
}

const char *
peel_size_picker_get_aspect_ratio (PeelSizePicker *self)
{
  g_return_val_if_fail (PEEL_IS_SIZE_PICKER (self), NULL);

  return self->aspect_ratio;
}

/**
 * peel_size_picker_set_aspect_ratio:
 * @aspect_ratio: (nullable): the ratio the pixel sizes are shown for; %NULL
 *   when the output keeps the input's shape
 */
void
peel_size_picker_set_aspect_ratio (PeelSizePicker *self,
                                   const char     *aspect_ratio)
{
  g_return_if_fail (PEEL_IS_SIZE_PICKER (self));

  if (peel_set_str (&self->aspect_ratio, aspect_ratio))
    {
      peel_size_picker_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT_RATIO]);
    }
}

GtkPopover *
peel_size_picker_get_popover (PeelSizePicker *self)
{
  g_return_val_if_fail (PEEL_IS_SIZE_PICKER (self), NULL);

  return self->popover;
}
