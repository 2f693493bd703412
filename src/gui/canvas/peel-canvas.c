/* peel-canvas.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "peel-canvas-private.h"
#include "peel-text.h"
#include "peel-util.h"

#define DIM_OPACITY 0.35
#define DIM_DURATION_MS 200

enum {
  PROP_0,
  PROP_TEXTURE,
  PROP_ZOOM,
  PROP_SCALE,
  PROP_FIT,
  PROP_ZOOM_LABEL,
  PROP_COMPARE_TEXTURE,
  PROP_COMPARE_MODE,
  PROP_SPLIT_POSITION,
  PROP_DIMMED,
  PROP_DESCRIPTION,
  N_PROPS
};

G_DEFINE_ENUM_TYPE (PeelCanvasCompareMode, peel_canvas_compare_mode,
                    G_DEFINE_ENUM_VALUE (PEEL_CANVAS_COMPARE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (PEEL_CANVAS_COMPARE_SPLIT, "split"),
                    G_DEFINE_ENUM_VALUE (PEEL_CANVAS_COMPARE_SIDE_BY_SIDE, "side-by-side"),
                    G_DEFINE_ENUM_VALUE (PEEL_CANVAS_COMPARE_DIFFERENCE, "difference"))

G_DEFINE_FINAL_TYPE (PeelCanvas, peel_canvas, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
peel_canvas_update_zoom_state (PeelCanvas *self);

/* Geometry */

void
_peel_canvas_viewport_size (PeelCanvas *self,
                            double     *width,
                            double     *height)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->compare_mode == PEEL_CANVAS_COMPARE_SIDE_BY_SIDE && self->compare.texture)
    w = MAX (1, (w - SIDE_BY_SIDE_GAP) / 2);

  *width = w;
  *height = h;
}

static double
peel_canvas_fit_for_widget (PeelCanvas *self)
{
  double vw, vh;

  _peel_canvas_viewport_size (self, &vw, &vh);

  return peel_canvas_fit_scale (_peel_canvas_image_width (&self->image),
                                _peel_canvas_image_height (&self->image), vw, vh);
}

static void
peel_canvas_layout_view (PeelCanvas *self)
{
  double iw = _peel_canvas_image_width (&self->image);
  double ih = _peel_canvas_image_height (&self->image);
  double vw, vh;

  if (self->image.texture == NULL)
    return;

  _peel_canvas_viewport_size (self, &vw, &vh);

  if (self->zoom == 0)
    peel_canvas_view_fit (&self->view, iw, ih, vw, vh);
  else
    {
      self->view.scale = self->zoom;
      peel_canvas_view_clamp (&self->view, iw, ih, vw, vh);
    }
}

gboolean
_peel_canvas_can_pan (PeelCanvas *self)
{
  double vw, vh;

  if (self->image.texture == NULL)
    return FALSE;

  _peel_canvas_viewport_size (self, &vw, &vh);

  return _peel_canvas_image_width (&self->image) * self->view.scale > vw + 0.5
         || _peel_canvas_image_height (&self->image) * self->view.scale > vh + 0.5;
}

static void
peel_canvas_update_zoom_state (PeelCanvas *self)
{
  g_autofree char *label = NULL;
  double fit = peel_canvas_fit_for_widget (self);

  if (self->zoom == 0)
    label = g_strdup (_("Fit"));
  else
    label = peel_canvas_format_zoom (self->zoom);

  if (peel_set_str (&self->zoom_label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_LABEL]);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-in",
                                 self->image.texture != NULL
                                 && self->view.scale < PEEL_CANVAS_ZOOM_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-out",
                                 self->image.texture != NULL && self->zoom != 0
                                 && self->view.scale > fit);
}

/* Sets the zoom (0 = fit) keeping the image point under (px, py) in place. A scale at or below
 * the fitting one becomes "fit", so zooming out always ends at the whole image.
 */
void
_peel_canvas_zoom_to (PeelCanvas *self,
                      double      scale,
                      double      px,
                      double      py)
{
  double old_zoom = self->zoom;
  double old_scale = self->view.scale;

  if (self->image.texture == NULL)
    return;

  if (scale > 0)
    {
      double fit = peel_canvas_fit_for_widget (self);

      scale = MIN (scale, PEEL_CANVAS_ZOOM_MAX);
      if (scale <= fit * (1 + 1e-6))
        scale = 0;
    }

  if (scale > 0)
    {
      double vw, vh;

      _peel_canvas_viewport_size (self, &vw, &vh);
      if (self->compare_mode == PEEL_CANVAS_COMPARE_SIDE_BY_SIDE && self->compare.texture
          && px > vw)
        px -= vw + SIDE_BY_SIDE_GAP;
      peel_canvas_view_zoom_around (&self->view, scale, px, py);
    }

  self->zoom = scale;
  peel_canvas_layout_view (self);

  if (self->zoom != old_zoom)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
      if ((old_zoom == 0) != (self->zoom == 0))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
    }
  if (self->view.scale != old_scale)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);

  peel_canvas_update_zoom_state (self);
  _peel_canvas_update_difference (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
peel_canvas_zoom_centered (PeelCanvas *self,
                           double      scale)
{
  double vw, vh;

  _peel_canvas_viewport_size (self, &vw, &vh);
  _peel_canvas_zoom_to (self, scale, vw / 2, vh / 2);
}

void
_peel_canvas_pan_by (PeelCanvas *self,
                     double      dx,
                     double      dy)
{
  PeelCanvasView before = self->view;

  if (self->zoom == 0)
    {
      /* Panning only makes sense zoomed in; fit is centred by definition. */
      return;
    }

  self->view.x += dx;
  self->view.y += dy;
  peel_canvas_layout_view (self);

  if (self->view.x != before.x || self->view.y != before.y)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
peel_canvas_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PeelCanvas *self = PEEL_CANVAS (widget);
  double old_scale = self->view.scale;

  /* Keep the image point in the middle in the middle when the widget changes size. */
  if (self->zoom != 0 && self->last_width > 0)
    {
      self->view.x += (width - self->last_width) / 2.0;
      self->view.y += (height - self->last_height) / 2.0;
    }
  self->last_width = width;
  self->last_height = height;
  _peel_canvas_allocate_divider (self, width, height);

  if (self->zoom != 0 && self->zoom <= peel_canvas_fit_for_widget (self))
    _peel_canvas_zoom_to (self, 0, 0, 0);
  else
    peel_canvas_layout_view (self);

  if (self->view.scale != old_scale)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
      _peel_canvas_update_difference (self);
    }
  peel_canvas_update_zoom_state (self);
}

/* Actions */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PeelCanvas *self = PEEL_CANVAS (widget);

  peel_canvas_zoom_centered (self, peel_canvas_zoom_step (self->view.scale, 1));
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PeelCanvas *self = PEEL_CANVAS (widget);

  if (self->zoom != 0)
    peel_canvas_zoom_centered (self, peel_canvas_zoom_step (self->view.scale, -1));
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  peel_canvas_set_fit (PEEL_CANVAS (widget), TRUE);
}

static void
zoom_100_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  peel_canvas_set_zoom (PEEL_CANVAS (widget), 1.0);
}

/* Arrows show more of the image on their side, a tenth of the view at a time. */
static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PeelCanvas *self = PEEL_CANVAS (widget);
  double dx = 0, dy = 0;

  g_variant_get (parameter, "(dd)", &dx, &dy);
  if (_peel_canvas_can_pan (self))
    _peel_canvas_pan_by (self, -dx * MAX (gtk_widget_get_width (widget) / 10, 16),
                         -dy * MAX (gtk_widget_get_height (widget) / 10, 16));
}

/* The divider takes focus only where there is one to move; its name and the canvas's follow
 * what is compared, so a screen reader says what is on screen. */
static void
peel_canvas_update_compare_access (PeelCanvas *self)
{
  gboolean split = self->compare_mode == PEEL_CANVAS_COMPARE_SPLIT && self->compare.texture;
  const char *a = self->label_a ? self->label_a : C_("compare", "A");
  const char *b = self->label_b ? self->label_b : C_("compare", "B");
  g_autofree char *label = NULL;

  gtk_widget_set_visible (self->divider, split);
  /* Placed at once, so the next frame does not draw it before the canvas lays it out. */
  if (split && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    _peel_canvas_allocate_divider (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                   gtk_widget_get_height (GTK_WIDGET (self)));
  peel_canvas_divider_update (PEEL_CANVAS_DIVIDER (self->divider), self->split_position, a, b);

  if (self->compare_mode != PEEL_CANVAS_COMPARE_NONE && self->compare.texture != NULL)
    {
      /* Translators: the image's name for a screen reader while two images are compared */
      label = g_strdup_printf (_("Comparing %s with %s"), a, b);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
    }
  else if (self->description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->description,
                                    -1);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("No Image"),
                                    -1);
}

/* Dimming */

static void
dim_animation_cb (double   value,
                  gpointer user_data)
{
  PeelCanvas *self = user_data;

  self->opacity = value;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* GObject */

static void
peel_canvas_dispose (GObject *object)
{
  PeelCanvas *self = PEEL_CANVAS (object);

  _peel_canvas_loads_clear (self);
  _peel_canvas_image_clear (&self->image);
  _peel_canvas_image_clear (&self->compare);
  _peel_canvas_clear_difference (self);
  g_clear_object (&self->dim_animation);
  g_clear_pointer (&self->divider, gtk_widget_unparent);

  G_OBJECT_CLASS (peel_canvas_parent_class)->dispose (object);
}

static void
peel_canvas_finalize (GObject *object)
{
  PeelCanvas *self = PEEL_CANVAS (object);

  g_clear_pointer (&self->zoom_label, g_free);
  g_clear_pointer (&self->label_a, g_free);
  g_clear_pointer (&self->label_b, g_free);
  g_clear_pointer (&self->description, g_free);
  _peel_canvas_tools_finalize (self);

  G_OBJECT_CLASS (peel_canvas_parent_class)->finalize (object);
}

static void
peel_canvas_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PeelCanvas *self = PEEL_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->image.texture);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->view.scale);
      break;
    case PROP_FIT:
      g_value_set_boolean (value, self->zoom == 0);
      break;
    case PROP_ZOOM_LABEL:
      g_value_set_string (value, self->zoom_label);
      break;
    case PROP_COMPARE_TEXTURE:
      g_value_set_object (value, self->compare.texture);
      break;
    case PROP_COMPARE_MODE:
      g_value_set_enum (value, self->compare_mode);
      break;
    case PROP_SPLIT_POSITION:
      g_value_set_double (value, self->split_position);
      break;
    case PROP_DIMMED:
      g_value_set_boolean (value, self->dimmed);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_canvas_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PeelCanvas *self = PEEL_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      peel_canvas_set_texture (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      peel_canvas_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_FIT:
      peel_canvas_set_fit (self, g_value_get_boolean (value));
      break;
    case PROP_COMPARE_TEXTURE:
      peel_canvas_set_compare_texture (self, g_value_get_object (value));
      break;
    case PROP_COMPARE_MODE:
      peel_canvas_set_compare_mode (self, g_value_get_enum (value));
      break;
    case PROP_SPLIT_POSITION:
      peel_canvas_set_split_position (self, g_value_get_double (value));
      break;
    case PROP_DIMMED:
      peel_canvas_set_dimmed (self, g_value_get_boolean (value));
      break;
    case PROP_DESCRIPTION:
      peel_canvas_set_description (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_canvas_add_zoom_bindings (GtkWidgetClass *widget_class,
                               const guint    *keys,
                               guint           n_keys,
                               const char     *action)
{
  for (guint i = 0; i < n_keys; i++)
    gtk_widget_class_add_binding_action (widget_class, keys[i], GDK_CONTROL_MASK, action, NULL);
}

static void
peel_canvas_class_init (PeelCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const guint in_keys[] = { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add };
  static const guint out_keys[] = { GDK_KEY_minus, GDK_KEY_KP_Subtract };
  static const guint fit_keys[] = { GDK_KEY_0, GDK_KEY_KP_0 };
  static const guint one_keys[] = { GDK_KEY_1, GDK_KEY_KP_1 };

  object_class->dispose = peel_canvas_dispose;
  object_class->finalize = peel_canvas_finalize;
  object_class->get_property = peel_canvas_get_property;
  object_class->set_property = peel_canvas_set_property;

  widget_class->snapshot = _peel_canvas_snapshot;
  widget_class->size_allocate = peel_canvas_size_allocate;

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         0, PEEL_CANVAS_ZOOM_MAX, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL,
                         0, PEEL_CANVAS_ZOOM_MAX, 1,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ZOOM_LABEL] =
    g_param_spec_string ("zoom-label", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_COMPARE_TEXTURE] =
    g_param_spec_object ("compare-texture", NULL, NULL,
                         GDK_TYPE_TEXTURE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_COMPARE_MODE] =
    g_param_spec_enum ("compare-mode", NULL, NULL,
                       PEEL_TYPE_CANVAS_COMPARE_MODE, PEEL_CANVAS_COMPARE_NONE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SPLIT_POSITION] =
    g_param_spec_double ("split-position", NULL, NULL,
                         0, 1, 0.5,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DIMMED] =
    g_param_spec_boolean ("dimmed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-100", NULL, zoom_100_action);
  peel_canvas_add_zoom_bindings (widget_class, in_keys, G_N_ELEMENTS (in_keys), "canvas.zoom-in");
  peel_canvas_add_zoom_bindings (widget_class, out_keys, G_N_ELEMENTS (out_keys),
                                 "canvas.zoom-out");
  peel_canvas_add_zoom_bindings (widget_class, fit_keys, G_N_ELEMENTS (fit_keys),
                                 "canvas.zoom-fit");
  peel_canvas_add_zoom_bindings (widget_class, one_keys, G_N_ELEMENTS (one_keys),
                                 "canvas.zoom-100");

  gtk_widget_class_install_action (widget_class, "canvas.pan", "(dd)", pan_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "canvas.pan", "(dd)",
                                       -1.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "canvas.pan", "(dd)",
                                       1.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "canvas.pan", "(dd)",
                                       0.0, -1.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "canvas.pan", "(dd)",
                                       0.0, 1.0);

  gtk_widget_class_set_css_name (widget_class, "peelcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  _peel_canvas_tools_class_init (widget_class);
}

static void
peel_canvas_init (PeelCanvas *self)
{
  self->view.scale = 1;
  self->split_position = 0.5;
  self->opacity = 1;
  self->difference_level = -1;
  self->difference_wanted = -1;
  self->zoom_label = g_strdup (_("Fit"));
  _peel_canvas_loads_init (self);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _peel_canvas_init_input (self);
  _peel_canvas_tools_init (self);

  self->divider = peel_canvas_divider_new ();
  gtk_widget_set_parent (self->divider, GTK_WIDGET (self));
  peel_canvas_update_compare_access (self);

  peel_canvas_update_zoom_state (self);
}

/* Public API */

GtkWidget *
peel_canvas_new (void)
{
  return g_object_new (PEEL_TYPE_CANVAS, NULL);
}

/**
 * peel_canvas_set_texture:
 *
 * Shows @texture, which should be a texture decoded off the main thread (a memory texture:
 * the canvas makes its half-size copies from it in a worker). A texture of the same size as
 * the previous one keeps the zoom and position, so consecutive turns can be compared in
 * place; any other size goes back to fit. A load still under way is not shown after it:
 * peel_canvas_load_async() decodes an image itself.
 */
void
peel_canvas_set_texture (PeelCanvas *self,
                         GdkTexture *texture)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  _peel_canvas_loads_supersede (self, PEEL_CANVAS_IMAGE);
  _peel_canvas_set_prepared (self, PEEL_CANVAS_IMAGE, texture, NULL, NULL);
}

static void
peel_canvas_set_image_prepared (PeelCanvas        *self,
                                GdkTexture        *texture,
                                PeelCanvasMipmaps *mipmaps)
{
  gboolean same_size;

  same_size = texture && self->image.texture
              && gdk_texture_get_width (texture) == gdk_texture_get_width (self->image.texture)
              && gdk_texture_get_height (texture) == gdk_texture_get_height (self->image.texture);

  if (!_peel_canvas_image_set_prepared (self, &self->image, texture, mipmaps))
    return;

  _peel_canvas_clear_difference (self);
  if (!same_size)
    _peel_canvas_zoom_to (self, 0, 0, 0);
  peel_canvas_layout_view (self);
  peel_canvas_update_zoom_state (self);
  _peel_canvas_update_difference (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  self->image_drawn = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

static void
peel_canvas_set_compare_prepared (PeelCanvas        *self,
                                  GdkTexture        *texture,
                                  PeelCanvasMipmaps *mipmaps)
{
  if (!_peel_canvas_image_set_prepared (self, &self->compare, texture, mipmaps))
    return;

  _peel_canvas_clear_difference (self);
  peel_canvas_layout_view (self);
  peel_canvas_update_zoom_state (self);
  _peel_canvas_update_difference (self);
  peel_canvas_update_compare_access (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE_TEXTURE]);
}

/* Shows @texture on @layer, with its smaller copies if they are made (@mipmaps, nullable),
 * remembering the encoded image it came from (@source, nullable). */
void
_peel_canvas_set_prepared (PeelCanvas        *self,
                           PeelCanvasLayer    layer,
                           GdkTexture        *texture,
                           PeelCanvasMipmaps *mipmaps,
                           GBytes            *source)
{
  PeelCanvasImage *image = layer == PEEL_CANVAS_IMAGE ? &self->image : &self->compare;

  if (layer == PEEL_CANVAS_IMAGE)
    peel_canvas_set_image_prepared (self, texture, mipmaps);
  else
    peel_canvas_set_compare_prepared (self, texture, mipmaps);

  if (image->texture == texture && image->source != source)
    {
      g_clear_pointer (&image->source, g_bytes_unref);
      image->source = source ? g_bytes_ref (source) : NULL;
    }
}

GdkTexture *
peel_canvas_get_texture (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), NULL);

  return self->image.texture;
}

/**
 * peel_canvas_get_zoom:
 *
 * Returns: the zoom the user chose, or 0 while the image is fitted to the widget
 */
double
peel_canvas_get_zoom (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), 0);

  return self->zoom;
}

/**
 * peel_canvas_set_zoom:
 * @zoom: the scale (1 = 100 %), or 0 to fit
 *
 * Zooms around the middle of the widget. A scale at or below the one that fits becomes fit.
 */
void
peel_canvas_set_zoom (PeelCanvas *self,
                      double      zoom)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (zoom >= 0);

  peel_canvas_zoom_centered (self, zoom);
}

/**
 * peel_canvas_get_scale:
 *
 * Returns: the scale the image is drawn at now, in fit mode as well
 */
double
peel_canvas_get_scale (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), 1);

  return self->view.scale;
}

gboolean
peel_canvas_get_fit (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), TRUE);

  return self->zoom == 0;
}

/**
 * peel_canvas_set_fit:
 *
 * Fits the image to the widget, or, with %FALSE, freezes the current scale as the zoom.
 */
void
peel_canvas_set_fit (PeelCanvas *self,
                     gboolean    fit)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  if (fit)
    _peel_canvas_zoom_to (self, 0, 0, 0);
  else if (self->zoom == 0 && self->image.texture)
    {
      self->zoom = self->view.scale;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
      peel_canvas_update_zoom_state (self);
    }
}

const char *
peel_canvas_get_zoom_label (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), NULL);

  return self->zoom_label;
}

GdkTexture *
peel_canvas_get_compare_texture (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), NULL);

  return self->compare.texture;
}

/**
 * peel_canvas_set_compare_texture:
 *
 * Sets the second image ("B") for the compare modes. It is drawn in the first image's frame,
 * stretched if its size differs.
 */
void
peel_canvas_set_compare_texture (PeelCanvas *self,
                                 GdkTexture *texture)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  _peel_canvas_loads_supersede (self, PEEL_CANVAS_COMPARE_IMAGE);
  _peel_canvas_set_prepared (self, PEEL_CANVAS_COMPARE_IMAGE, texture, NULL, NULL);
}

PeelCanvasCompareMode
peel_canvas_get_compare_mode (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), PEEL_CANVAS_COMPARE_NONE);

  return self->compare_mode;
}

void
peel_canvas_set_compare_mode (PeelCanvas            *self,
                              PeelCanvasCompareMode  mode)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));
  g_return_if_fail (mode <= PEEL_CANVAS_COMPARE_DIFFERENCE);

  if (self->compare_mode == mode)
    return;

  self->compare_mode = mode;

  /* Side by side halves the viewport, so the fitting scale changes. */
  if (self->zoom != 0 && self->zoom <= peel_canvas_fit_for_widget (self))
    _peel_canvas_zoom_to (self, 0, 0, 0);
  peel_canvas_layout_view (self);
  peel_canvas_update_zoom_state (self);
  if (mode != PEEL_CANVAS_COMPARE_DIFFERENCE)
    _peel_canvas_clear_difference (self);
  _peel_canvas_update_difference (self);
  peel_canvas_update_compare_access (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE_MODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

/**
 * peel_canvas_set_compare_labels:
 * @label_a: (nullable): the name shown on the first image, "A" when %NULL
 * @label_b: (nullable): the name shown on the second image, "B" when %NULL
 */
void
peel_canvas_set_compare_labels (PeelCanvas *self,
                                const char *label_a,
                                const char *label_b)
{
  g_autofree char *safe_a = peel_text_strip_for_label (label_a, -1);
  g_autofree char *safe_b = peel_text_strip_for_label (label_b, -1);

  g_return_if_fail (PEEL_IS_CANVAS (self));

  /* Prompts drawn on the image: no controls or BiDi overrides. */
  if (peel_set_str (&self->label_a, safe_a) | peel_set_str (&self->label_b, safe_b))
    {
      peel_canvas_update_compare_access (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

double
peel_canvas_get_split_position (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), 0.5);

  return self->split_position;
}

/**
 * peel_canvas_set_split_position:
 * @position: where the divider of the split view is, from 0 (left edge) to 1 (right edge)
 */
void
peel_canvas_set_split_position (PeelCanvas *self,
                                double      position)
{
  g_return_if_fail (PEEL_IS_CANVAS (self));

  position = CLAMP (position, 0, 1);
  if (self->split_position == position)
    return;

  self->split_position = position;
  peel_canvas_update_compare_access (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPLIT_POSITION]);
}

gboolean
peel_canvas_get_dimmed (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), FALSE);

  return self->dimmed;
}

/**
 * peel_canvas_set_dimmed:
 *
 * Fades the image (while a new one is being made), with a short animation where frames are
 * cheap. Each frame of the fade redraws the whole canvas: with GL the whole window is drawn on
 * every frame anyway, but the cairo renderer (no GPU) draws only what changed, and there the
 * fade cost 7–10 ms of the main thread per frame for a fifth of a second (window-bench), so
 * the image is dimmed at once. An image that has not been drawn yet (the one that was being
 * made, just arrived) is shown at once too: the new image appearing is change enough to see.
 */
void
peel_canvas_set_dimmed (PeelCanvas *self,
                        gboolean    dimmed)
{
  AdwAnimationTarget *target;

  g_return_if_fail (PEEL_IS_CANVAS (self));

  dimmed = !!dimmed;
  if (self->dimmed == dimmed)
    return;

  self->dimmed = dimmed;

  if (self->dim_animation)
    adw_animation_skip (self->dim_animation);
  g_clear_object (&self->dim_animation);

  if ((!dimmed && !self->image_drawn) || _peel_canvas_wants_pixels (self))
    {
      self->opacity = dimmed ? DIM_OPACITY : 1.0;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    {
      target = adw_callback_animation_target_new (dim_animation_cb, self, NULL);
      self->dim_animation = adw_timed_animation_new (GTK_WIDGET (self), self->opacity,
                                                     dimmed ? DIM_OPACITY : 1.0,
                                                     DIM_DURATION_MS, target);
      adw_animation_play (self->dim_animation);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIMMED]);
}

const char *
peel_canvas_get_description (PeelCanvas *self)
{
  g_return_val_if_fail (PEEL_IS_CANVAS (self), NULL);

  return self->description;
}

/**
 * peel_canvas_set_description:
 *
 * Sets what assistive technologies say about the image, such as its prompt.
 */
void
peel_canvas_set_description (PeelCanvas *self,
                             const char *description)
{
  g_autofree char *safe = peel_text_strip_for_label (description, -1);

  g_return_if_fail (PEEL_IS_CANVAS (self));

  if (!peel_set_str (&self->description, safe))
    return;

  peel_canvas_update_compare_access (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

/* For tests */

guint
_peel_canvas_get_n_mipmaps (PeelCanvas *self)
{
  return self->image.mipmaps ? self->image.mipmaps->len : 0;
}

void
_peel_canvas_get_view (PeelCanvas     *self,
                       PeelCanvasView *view)
{
  *view = self->view;
}

void
_peel_canvas_get_load_times (PeelCanvas          *self,
                             PeelCanvasLoadTimes *times)
{
  *times = self->load_times;
}
