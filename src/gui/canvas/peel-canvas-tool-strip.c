/* peel-canvas-tool-strip.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-canvas-tool-strip.h"
#include "peel-canvas-tools.h"
#include "peel-util.h"

/* The canvas's tools in its corner: pan, the four ways of selecting, marks; the selection's
 * feather, brush size, invert and clear; the marks' shape, colour and note; and "Send with
 * Marks" while the image shown has marks. */

struct _PeelCanvasToolStrip
{
  GtkWidget      parent_instance;

  PeelCanvas    *canvas;
  char          *tool;
  char          *mark_kind;
  char          *mark_color;
  gboolean       send_marks;

  GtkWidget     *box;
  GtkAdjustment *feather_adjustment;
  GtkAdjustment *brush_adjustment;
  GtkWidget     *send_marks_button;
  GtkEntry      *note_entry;
};

G_DEFINE_FINAL_TYPE (PeelCanvasToolStrip, peel_canvas_tool_strip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CANVAS,
  PROP_TOOL,
  PROP_MARK_KIND,
  PROP_MARK_COLOR,
  PROP_SEND_MARKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const kind_names[] = { "arrow", "rectangle", "ellipse", "stroke", "text" };

static void
peel_canvas_tool_strip_sync (PeelCanvasToolStrip *self)
{
  gboolean has_marks;

  if (self->canvas == NULL)
    return;
  gtk_adjustment_set_value (self->feather_adjustment, peel_canvas_get_feather (self->canvas));
  gtk_adjustment_set_value (self->brush_adjustment, peel_canvas_get_brush_size (self->canvas));
  has_marks = peel_canvas_get_marks (self->canvas)->len > 0;
  gtk_widget_set_visible (self->send_marks_button, has_marks);
  if (!has_marks)
    peel_canvas_tool_strip_set_send_marks (self, FALSE);
}

/* The window calls this after it shows another node's marks. */
void
peel_canvas_tool_strip_sync_marks (PeelCanvasToolStrip *self)
{
  peel_canvas_tool_strip_sync (self);
}

static void
canvas_tool_changed_cb (PeelCanvasToolStrip *self,
                        PeelCanvas          *canvas)
{
  peel_canvas_tool_strip_set_tool (self,
                                   peel_canvas_tool_to_string (peel_canvas_get_tool (canvas)));
}

static void
feather_changed_cb (PeelCanvasToolStrip *self,
                    GtkSpinButton       *spin)
{
  if (self->canvas != NULL)
    peel_canvas_set_feather (self->canvas, gtk_spin_button_get_value_as_int (spin));
}

static void
brush_changed_cb (PeelCanvasToolStrip *self,
                  GtkSpinButton       *spin)
{
  if (self->canvas != NULL)
    peel_canvas_set_brush_size (self->canvas, gtk_spin_button_get_value (spin));
}

static void
note_changed_cb (PeelCanvasToolStrip *self,
                 GtkEditable         *entry)
{
  if (self->canvas == NULL)
    return;
  peel_canvas_set_note_text (self->canvas, gtk_editable_get_text (entry));
  if (*gtk_editable_get_text (entry) != '\0')
    {
      peel_canvas_set_mark_kind (self->canvas, PEEL_MARK_TEXT);
      peel_canvas_set_tool (self->canvas, PEEL_CANVAS_TOOL_MARKS);
      if (peel_set_str (&self->mark_kind, "text"))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARK_KIND]);
    }
}

PeelCanvas *
peel_canvas_tool_strip_get_canvas (PeelCanvasToolStrip *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS_TOOL_STRIP (self), NULL);

  return self->canvas;
}

void
peel_canvas_tool_strip_set_canvas (PeelCanvasToolStrip *self,
                                   PeelCanvas          *canvas)
{
  g_return_if_fail (PEEL_IS_CANVAS_TOOL_STRIP (self));

  if (self->canvas == canvas)
    return;
  if (self->canvas != NULL)
    g_signal_handlers_disconnect_by_data (self->canvas, self);
  g_set_object (&self->canvas, canvas);
  if (canvas != NULL)
    {
      g_signal_connect_object (canvas, "tool-changed", G_CALLBACK (canvas_tool_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (canvas, "brush-size-changed",
                               G_CALLBACK (peel_canvas_tool_strip_sync), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (canvas, "marks-changed", G_CALLBACK (peel_canvas_tool_strip_sync),
                               self, G_CONNECT_SWAPPED);
      canvas_tool_changed_cb (self, canvas);
      peel_canvas_tool_strip_sync (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANVAS]);
}

/* Also called by the window when it shows another node's marks. */
const char *
peel_canvas_tool_strip_get_tool (PeelCanvasToolStrip *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS_TOOL_STRIP (self), NULL);

  return self->tool;
}

void
peel_canvas_tool_strip_set_tool (PeelCanvasToolStrip *self,
                                 const char          *tool)
{
  PeelCanvasTool value;

  g_return_if_fail (PEEL_IS_CANVAS_TOOL_STRIP (self));

  if (!peel_canvas_tool_from_string (tool, &value))
    return;
  if (self->canvas != NULL)
    peel_canvas_set_tool (self->canvas, value);
  if (peel_set_str (&self->tool, tool))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

gboolean
peel_canvas_tool_strip_get_send_marks (PeelCanvasToolStrip *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS_TOOL_STRIP (self), FALSE);

  return self->send_marks;
}

void
peel_canvas_tool_strip_set_send_marks (PeelCanvasToolStrip *self,
                                       gboolean             send_marks)
{
  g_return_if_fail (PEEL_IS_CANVAS_TOOL_STRIP (self));

  send_marks = !!send_marks;
  if (self->send_marks == send_marks)
    return;
  self->send_marks = send_marks;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEND_MARKS]);
}

static void
peel_canvas_tool_strip_set_mark_kind (PeelCanvasToolStrip *self,
                                      const char          *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind != NULL && g_str_equal (kind, kind_names[i]))
      {
        if (self->canvas != NULL)
          {
            peel_canvas_set_mark_kind (self->canvas, (PeelMarkKind) i);
            peel_canvas_set_tool (self->canvas, PEEL_CANVAS_TOOL_MARKS);
          }
        if (peel_set_str (&self->mark_kind, kind))
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARK_KIND]);
        if (i == PEEL_MARK_TEXT)
          gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
      }
}

static void
peel_canvas_tool_strip_set_mark_color (PeelCanvasToolStrip *self,
                                       const char          *color)
{
  if (color == NULL || !g_strv_contains (peel_marks_palette (), color))
    return;
  if (self->canvas != NULL)
    peel_canvas_set_mark_color (self->canvas, color);
  if (peel_set_str (&self->mark_color, color))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARK_COLOR]);
}

static void
peel_canvas_tool_strip_dispose (GObject *object)
{
  PeelCanvasToolStrip *self = PEEL_CANVAS_TOOL_STRIP (object);

  g_clear_object (&self->canvas);
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_CANVAS_TOOL_STRIP);

  G_OBJECT_CLASS (peel_canvas_tool_strip_parent_class)->dispose (object);
}

static void
peel_canvas_tool_strip_finalize (GObject *object)
{
  PeelCanvasToolStrip *self = PEEL_CANVAS_TOOL_STRIP (object);

  g_free (self->tool);
  g_free (self->mark_kind);
  g_free (self->mark_color);

  G_OBJECT_CLASS (peel_canvas_tool_strip_parent_class)->finalize (object);
}

static void
peel_canvas_tool_strip_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PeelCanvasToolStrip *self = PEEL_CANVAS_TOOL_STRIP (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      g_value_set_object (value, self->canvas);
      break;
    case PROP_TOOL:
      g_value_set_string (value, self->tool);
      break;
    case PROP_MARK_KIND:
      g_value_set_string (value, self->mark_kind);
      break;
    case PROP_MARK_COLOR:
      g_value_set_string (value, self->mark_color);
      break;
    case PROP_SEND_MARKS:
      g_value_set_boolean (value, self->send_marks);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_canvas_tool_strip_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PeelCanvasToolStrip *self = PEEL_CANVAS_TOOL_STRIP (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      peel_canvas_tool_strip_set_canvas (self, g_value_get_object (value));
      break;
    case PROP_TOOL:
      peel_canvas_tool_strip_set_tool (self, g_value_get_string (value));
      break;
    case PROP_MARK_KIND:
      peel_canvas_tool_strip_set_mark_kind (self, g_value_get_string (value));
      break;
    case PROP_MARK_COLOR:
      peel_canvas_tool_strip_set_mark_color (self, g_value_get_string (value));
      break;
    case PROP_SEND_MARKS:
      peel_canvas_tool_strip_set_send_marks (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_canvas_tool_strip_class_init (PeelCanvasToolStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = peel_canvas_tool_strip_dispose;
  object_class->finalize = peel_canvas_tool_strip_finalize;
  object_class->get_property = peel_canvas_tool_strip_get_property;
  object_class->set_property = peel_canvas_tool_strip_set_property;

  properties[PROP_CANVAS] = g_param_spec_object ("canvas", NULL, NULL, PEEL_TYPE_CANVAS, rw);
  properties[PROP_TOOL] = g_param_spec_string ("tool", NULL, NULL, "pan", rw);
  properties[PROP_MARK_KIND] = g_param_spec_string ("mark-kind", NULL, NULL, "arrow", rw);
  properties[PROP_MARK_COLOR] = g_param_spec_string ("mark-color", NULL, NULL, "#e01b24", rw);
  properties[PROP_SEND_MARKS] = g_param_spec_boolean ("send-marks", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-canvas-tool-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelCanvasToolStrip, box);
  gtk_widget_class_bind_template_child (widget_class, PeelCanvasToolStrip, feather_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PeelCanvasToolStrip, brush_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PeelCanvasToolStrip, send_marks_button);
  gtk_widget_class_bind_template_child (widget_class, PeelCanvasToolStrip, note_entry);
  gtk_widget_class_bind_template_callback (widget_class, feather_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, brush_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_changed_cb);

  gtk_widget_class_install_property_action (widget_class, "tools.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "tools.mark-kind", "mark-kind");
  gtk_widget_class_install_property_action (widget_class, "tools.mark-color", "mark-color");
  gtk_widget_class_install_property_action (widget_class, "tools.send-marks", "send-marks");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "peel-tool-strip");
}

static void
peel_canvas_tool_strip_init (PeelCanvasToolStrip *self)
{
  self->tool = g_strdup ("pan");
  self->mark_kind = g_strdup ("arrow");
  self->mark_color = g_strdup ("#e01b24");
  gtk_widget_init_template (GTK_WIDGET (self));
}
