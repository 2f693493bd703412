/* peel-reference-strip.c
 *
 * The reference images of the next turn as 64 px thumbnails, each with a
 * remove button that shows on hover or focus, a "+" button that asks for image
 * files, and how many there are out of how many the model takes. It shows a
 * list model it does not own: removing and adding are signals the prompt bar
 * acts on.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-model-catalog.h"
#include "peel-reference.h"
#include "peel-reference-strip.h"
#include "peel-picker-state.h"

#define THUMBNAIL_SIZE 64

struct _PeelReferenceStrip
{
  GtkWidget             parent_instance;

  GListModel           *references;
  char                 *model;
  GtkFileChooserNative *chooser;

  GtkWidget            *layout;
  GtkScrolledWindow    *scroller;
  GtkBox               *thumbs;
  GtkButton            *add_button;
  GtkLabel             *count_label;
};

enum {
  PROP_0,
  PROP_REFERENCES,
  PROP_MODEL,
  N_PROPS
};

enum {
  FILES_CHOSEN,
  REMOVE_REFERENCE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (PeelReferenceStrip, peel_reference_strip, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
peel_reference_strip_update_count (PeelReferenceStrip *self)
{
  PeelModelFamily family = peel_model_family_for_id (self->model);
  guint max = peel_model_max_input_images (family);
  guint n = self->references ? g_list_model_get_n_items (self->references) : 0;
  g_autofree char *count = peel_view_reference_count_text (n, max);
  g_autofree char *limit = NULL;
  gboolean can_add = peel_view_can_add_reference (n, max);

  gtk_label_set_label (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), n > 0);

  /* More than the model takes happens after switching to a smaller model. */
  if (n > max)
    gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "error");

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), can_add);
  if (!can_add)
    limit = peel_view_reference_limit_message (family);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_button),
                               limit ? limit : _("Add Reference Images…"));
}

static void
remove_clicked_cb (GtkButton          *button,
                   PeelReferenceStrip *self)
{
  PeelReference *reference = g_object_get_data (G_OBJECT (button), "peel-reference");

  g_signal_emit (self, signals[REMOVE_REFERENCE], 0, reference);
}

static GtkWidget *
peel_reference_strip_create_thumb (PeelReferenceStrip *self,
                                   PeelReference      *reference)
{
  const char *name = peel_reference_get_name (reference);
  g_autofree char *remove_label = NULL;
  GtkWidget *overlay, *picture, *remove;

  /* The thumbnail is square, so an image at a fixed pixel size shows it whole. */
  picture = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (picture), THUMBNAIL_SIZE);
  gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_bind_property (reference, "thumbnail", picture, "paintable", G_BINDING_SYNC_CREATE);

  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_add_css_class (remove, "osd");
  gtk_widget_add_css_class (remove, "reference-remove");
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  /* Translators: accessible name of the button that removes a reference image; %s is its name */
  remove_label = g_strdup_printf (_("Remove reference %s"), name ? name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  g_object_set_data_full (G_OBJECT (remove), "peel-reference",
                          g_object_ref (reference), g_object_unref);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);

  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), remove);
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_valign (overlay, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (overlay, "reference");
  gtk_widget_set_tooltip_text (overlay, name);

  return overlay;
}

static GtkWidget *
nth_child (GtkWidget *parent,
           guint      position)
{
  GtkWidget *child = gtk_widget_get_first_child (parent);

  while (child != NULL && position-- > 0)
    child = gtk_widget_get_next_sibling (child);

  return child;
}

static void
references_changed_cb (PeelReferenceStrip *self,
                       guint               position,
                       guint               removed,
                       guint               added,
                       GListModel         *model)
{
  gboolean had_focus = FALSE;
  GtkWidget *after;

  for (guint i = 0; i < removed; i++)
    {
      GtkWidget *thumb = nth_child (GTK_WIDGET (self->thumbs), position);

      had_focus |= gtk_widget_get_focus_child (thumb) != NULL;
      gtk_box_remove (self->thumbs, thumb);
    }

  after = position > 0 ? nth_child (GTK_WIDGET (self->thumbs), position - 1) : NULL;
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(PeelReference) reference = g_list_model_get_item (model, position + i);
      GtkWidget *thumb = peel_reference_strip_create_thumb (self, reference);

      gtk_box_insert_child_after (self->thumbs, thumb, after);
      after = thumb;
    }

  peel_reference_strip_update_count (self);

  /* Removing with the keyboard keeps the focus in the strip: on the next remove button, the
   * previous one after the last, or "+" when none is left. */
  if (had_focus)
    {
      GtkWidget *next = nth_child (GTK_WIDGET (self->thumbs), position);

      if (next == NULL && position > 0)
        next = nth_child (GTK_WIDGET (self->thumbs), position - 1);

      if (next != NULL)
        gtk_widget_grab_focus (gtk_widget_get_last_child (next));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->add_button));
    }
}

static void
chooser_response_cb (PeelReferenceStrip   *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      if (g_list_model_get_n_items (files) > 0)
        g_signal_emit (self, signals[FILES_CHOSEN], 0, files);
    }

  g_clear_object (&self->chooser);
}

static void
add_clicked_cb (PeelReferenceStrip *self,
                GtkButton          *button)
{
  static const char *mime_types[] = {
    "image/png", "image/jpeg", "image/webp", "image/gif", "image/heic", "image/heif",
  };
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;

  gtk_file_filter_set_name (filter, _("Images"));
  for (guint i = 0; i < G_N_ELEMENTS (mime_types); i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);

  self->chooser = gtk_file_chooser_native_new (_("Add Reference Images"),
                                               GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
peel_reference_strip_dispose (GObject *object)
{
  PeelReferenceStrip *self = PEEL_REFERENCE_STRIP (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  peel_reference_strip_set_references (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_REFERENCE_STRIP);

  G_OBJECT_CLASS (peel_reference_strip_parent_class)->dispose (object);
}

static void
peel_reference_strip_finalize (GObject *object)
{
  PeelReferenceStrip *self = PEEL_REFERENCE_STRIP (object);

  g_clear_pointer (&self->model, g_free);

  G_OBJECT_CLASS (peel_reference_strip_parent_class)->finalize (object);
}

static void
peel_reference_strip_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PeelReferenceStrip *self = PEEL_REFERENCE_STRIP (object);

  switch (prop_id)
    {
    case PROP_REFERENCES:
      g_value_set_object (value, self->references);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_reference_strip_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PeelReferenceStrip *self = PEEL_REFERENCE_STRIP (object);

  switch (prop_id)
    {
    case PROP_REFERENCES:
      peel_reference_strip_set_references (self, g_value_get_object (value));
      break;
    case PROP_MODEL:
      peel_reference_strip_set_model (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_reference_strip_class_init (PeelReferenceStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = peel_reference_strip_dispose;
  object_class->finalize = peel_reference_strip_finalize;
  object_class->get_property = peel_reference_strip_get_property;
  object_class->set_property = peel_reference_strip_set_property;

  properties[PROP_REFERENCES] =
    g_param_spec_object ("references", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         PEEL_DEFAULT_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PeelReferenceStrip::files-chosen:
   * @files: a #GListModel of #GFile
   *
   * The user picked image files to add as references.
   */
  signals[FILES_CHOSEN] =
    g_signal_new ("files-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_LIST_MODEL);

  /**
   * PeelReferenceStrip::remove-reference:
   * @reference: the #PeelReference to remove
   */
  signals[REMOVE_REFERENCE] =
    g_signal_new ("remove-reference",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PEEL_TYPE_REFERENCE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-reference-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelReferenceStrip, layout);
  gtk_widget_class_bind_template_child (widget_class, PeelReferenceStrip, scroller);
  gtk_widget_class_bind_template_child (widget_class, PeelReferenceStrip, thumbs);
  gtk_widget_class_bind_template_child (widget_class, PeelReferenceStrip, add_button);
  gtk_widget_class_bind_template_child (widget_class, PeelReferenceStrip, count_label);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "referencestrip");
}

static void
peel_reference_strip_init (PeelReferenceStrip *self)
{
  self->model = g_strdup (PEEL_DEFAULT_MODEL);

  gtk_widget_init_template (GTK_WIDGET (self));
  peel_reference_strip_update_count (self);
}

GtkWidget *
peel_reference_strip_new (void)
{
  return g_object_new (PEEL_TYPE_REFERENCE_STRIP, NULL);
}

GListModel *
peel_reference_strip_get_references (PeelReferenceStrip *self)
{
  g_return_val_if_fail (PEEL_IS_REFERENCE_STRIP (self), NULL);

  return self->references;
}

/**
 * peel_reference_strip_set_references:
 * @references: (nullable): a #GListModel of #PeelReference
 */
void
peel_reference_strip_set_references (PeelReferenceStrip *self,
                                     GListModel         *references)
{
  guint old_n, new_n;

  g_return_if_fail (PEEL_IS_REFERENCE_STRIP (self));
  g_return_if_fail (references == NULL || G_IS_LIST_MODEL (references));

  if (self->references == references)
    return;

  old_n = self->references ? g_list_model_get_n_items (self->references) : 0;
  if (self->references != NULL)
    g_signal_handlers_disconnect_by_func (self->references, references_changed_cb, self);

  g_set_object (&self->references, references);

  if (self->references != NULL)
    g_signal_connect_object (self->references, "items-changed",
                             G_CALLBACK (references_changed_cb), self, G_CONNECT_SWAPPED);

  new_n = self->references ? g_list_model_get_n_items (self->references) : 0;
  references_changed_cb (self, 0, old_n, new_n, self->references);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFERENCES]);
}

const char *
peel_reference_strip_get_model (PeelReferenceStrip *self)
{
  g_return_val_if_fail (PEEL_IS_REFERENCE_STRIP (self), NULL);

  return self->model;
}

void
peel_reference_strip_set_model (PeelReferenceStrip *self,
                                const char         *model)
{
  g_return_if_fail (PEEL_IS_REFERENCE_STRIP (self));

  if (g_strcmp0 (self->model, model) == 0)
    return;

  g_free (self->model);
  self->model = g_strdup (model);
  peel_reference_strip_update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * peel_reference_strip_choose_files:
 * @self: a #PeelReferenceStrip
 *
 * Opens the file chooser, as the Add button does, unless no more references fit.
 */
void
peel_reference_strip_choose_files (PeelReferenceStrip *self)
{
  g_return_if_fail (PEEL_IS_REFERENCE_STRIP (self));

  if (gtk_widget_is_sensitive (GTK_WIDGET (self->add_button)))
    add_clicked_cb (self, self->add_button);
}
