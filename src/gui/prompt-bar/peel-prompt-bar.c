/* peel-prompt-bar.c
 *
 * What sits under the canvas: the reference images, the prompt, the ratio,
 * size and option pickers, and Generate, which turns into Cancel while a
 * request runs. The pickers and the options menu show the bar's turn settings
 * (PeelTurnSettings) through bindings; the window reads the prompt, the
 * references and those settings when `win.generate` fires.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-prompt-bar-private.h"
#include "peel-reference.h"
#include "peel-util.h"
#include "peel-picker-state.h"

#define MAX_PROMPT_LINES 6

enum {
  FILES_CHOSEN,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (PeelPromptBar, peel_prompt_bar, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (peel-prompt-bar-error-quark, peel_prompt_bar_error)

GParamSpec *peel_prompt_bar_properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
buffer_changed_cb (PeelPromptBar *self,
                   GtkTextBuffer *buffer)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), text[0] == '\0');

  if (peel_set_str (&self->prompt, text))
    {
      peel_prompt_bar_update_can_generate (self);
      g_object_notify_by_pspec (G_OBJECT (self), peel_prompt_bar_properties[PROP_PROMPT]);
    }
}

/* The prompt grows with its text up to a few lines, then scrolls. */
static void
text_view_map_cb (PeelPromptBar *self,
                  GtkWidget     *text_view)
{
  PangoContext *context = gtk_widget_get_pango_context (text_view);
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int line = PANGO_PIXELS_CEIL (pango_font_metrics_get_height (metrics));
  int margins = gtk_text_view_get_top_margin (self->text_view) +
                gtk_text_view_get_bottom_margin (self->text_view);

  pango_font_metrics_unref (metrics);
  if (line <= 0)
    return;

  gtk_scrolled_window_set_max_content_height (self->prompt_scroller,
                                              MAX_PROMPT_LINES * line + margins);
}

static void
references_changed_cb (PeelPromptBar *self,
                       guint          position,
                       guint          removed,
                       guint          added,
                       GListModel    *model)
{
  peel_prompt_bar_update_can_generate (self);
}

static void
strip_files_chosen_cb (PeelPromptBar      *self,
                       GListModel         *files,
                       PeelReferenceStrip *strip)
{
  g_signal_emit (self, signals[FILES_CHOSEN], 0, files);
}

static void
strip_remove_reference_cb (PeelPromptBar      *self,
                           PeelReference      *reference,
                           PeelReferenceStrip *strip)
{
  guint position;

  if (g_list_store_find (self->references, reference, &position))
    peel_prompt_bar_remove_reference (self, position);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);

  if (self->can_generate)
    gtk_widget_activate_action (widget, "win.generate", NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);

  if (self->busy)
    gtk_widget_activate_action (widget, "win.cancel", NULL);
}

/* A model set from Preferences or a node may not be in the menu yet; a model that takes fewer
 * references may stop Generate. */
static void
model_changed_cb (PeelPromptBar *self)
{
  const char *model = peel_turn_settings_get_model (self->settings);

  if (self->offered != NULL &&
      !g_ptr_array_find_with_equal_func (self->offered, model, g_str_equal, NULL))
    {
      g_autoptr(GPtrArray) offered = g_ptr_array_ref (self->offered);

      peel_prompt_bar_set_offered_models (self, offered);
    }
  peel_prompt_bar_update_can_generate (self);
}

/* The pickers and the options menu show the turn settings, and change them. */
static void
peel_prompt_bar_bind_settings (PeelPromptBar *self)
{
  PeelTurnSettings *settings = self->settings;
  const GBindingFlags both = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  g_object_bind_property (settings, "aspect-ratio", self->ratio_picker, "aspect-ratio", both);
  g_object_bind_property (settings, "model", self->ratio_picker, "model", G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "editing", self->ratio_picker, "editing",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "image-size", self->size_picker, "image-size", both);
  g_object_bind_property (settings, "model", self->size_picker, "model", G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "aspect-ratio", self->size_picker, "aspect-ratio",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "model", self->strip, "model", G_BINDING_SYNC_CREATE);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "turn",
                                  peel_turn_settings_get_actions (settings));

  g_signal_connect_object (settings, "notify::model", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::aspect-ratio", G_CALLBACK (peel_prompt_bar_update_change_note),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::image-size", G_CALLBACK (peel_prompt_bar_update_change_note),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::variations",
                           G_CALLBACK (peel_prompt_bar_update_variations), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::image-size",
                           G_CALLBACK (peel_prompt_bar_update_variations), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::model",
                           G_CALLBACK (peel_prompt_bar_update_variations), self, G_CONNECT_SWAPPED);
  peel_prompt_bar_update_variations (self);
}

/**
 * peel_prompt_bar_set_region_note:
 * @note: (nullable): what Generate does with the selection, or %NULL without one
 * @blocked: whether the selection keeps Generate off (then @note says why)
 *
 * With a selection the bar says the turn edits it, and the prompt asks what to change there.
 */
void
peel_prompt_bar_set_region_note (PeelPromptBar *self,
                                 const char    *note,
                                 gboolean       blocked)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  gtk_label_set_label (self->region_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->region_label), note != NULL);
  if (blocked)
    gtk_widget_add_css_class (GTK_WIDGET (self->region_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->region_label), "warning");
  gtk_label_set_label (self->placeholder, note != NULL ? _("Change the selection…")
                                                       : _("Describe an image, or what to change…"));
  self->region_blocked = note != NULL && blocked;
  peel_prompt_bar_update_can_generate (self);
}

const char *
peel_prompt_bar_get_region_note (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->region_label))
         ? gtk_label_get_label (self->region_label) : NULL;
}

static void
peel_prompt_bar_dispose (GObject *object)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_PROMPT_BAR);
  g_clear_object (&self->references);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (peel_prompt_bar_parent_class)->dispose (object);
}

static void
peel_prompt_bar_finalize (GObject *object)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (object);

  g_clear_pointer (&self->prompt, g_free);
  g_clear_object (&self->model_section);
  g_clear_pointer (&self->offered, g_ptr_array_unref);
  g_clear_pointer (&self->image_ratio, g_free);

  G_OBJECT_CLASS (peel_prompt_bar_parent_class)->finalize (object);
}

static void
peel_prompt_bar_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (object);

  switch (prop_id)
    {
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_CAN_GENERATE:
      g_value_set_boolean (value, self->can_generate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_prompt_bar_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (object);

  switch (prop_id)
    {
    case PROP_PROMPT:
      peel_prompt_bar_set_prompt (self, g_value_get_string (value));
      break;
    case PROP_BUSY:
      peel_prompt_bar_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
peel_prompt_bar_class_init (PeelPromptBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  object_class->dispose = peel_prompt_bar_dispose;
  object_class->finalize = peel_prompt_bar_finalize;
  object_class->get_property = peel_prompt_bar_get_property;
  object_class->set_property = peel_prompt_bar_set_property;

  peel_prompt_bar_properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, "", rw);
  peel_prompt_bar_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, rw);
  peel_prompt_bar_properties[PROP_CAN_GENERATE] =
    g_param_spec_boolean ("can-generate", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, peel_prompt_bar_properties);

  /**
   * PeelPromptBar::files-chosen:
   * @files: a #GListModel of #GFile
   *
   * The user picked image files to add as references; load them and call
   * peel_prompt_bar_add_reference().
   */
  signals[FILES_CHOSEN] =
    g_signal_new ("files-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_LIST_MODEL);

  g_type_ensure (PEEL_TYPE_RATIO_PICKER);
  g_type_ensure (PEEL_TYPE_REFERENCE_STRIP);
  g_type_ensure (PEEL_TYPE_SIZE_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/peelapp/Peel/peel-prompt-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, strip);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, prompt_overlay);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, controls);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, prompt_scroller);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, text_view);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, placeholder);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, ratio_picker);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, size_picker);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, options_button);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, action_stack);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, generate_button);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, variations_button);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, price_label);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, change_box);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, change_label);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, region_label);
  gtk_widget_class_install_action (widget_class, "bar.keep-image-shape", NULL,
                                   peel_prompt_bar_keep_shape_action);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, options_menu);
  gtk_widget_class_bind_template_callback (widget_class, text_view_map_cb);
  gtk_widget_class_bind_template_callback (widget_class, strip_files_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, strip_remove_reference_cb);

  gtk_widget_class_install_action (widget_class, "bar.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "bar.cancel", NULL, cancel_action);

  widget_class->get_request_mode = peel_prompt_bar_get_request_mode;
  widget_class->measure = peel_prompt_bar_measure;
  widget_class->size_allocate = peel_prompt_bar_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "promptbar");
}

static void
peel_prompt_bar_init (PeelPromptBar *self)
{
  self->prompt = g_strdup ("");
  self->settings = peel_turn_settings_new ();
  self->references = g_list_store_new (PEEL_TYPE_REFERENCE);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->references, "items-changed",
                           G_CALLBACK (references_changed_cb), self, G_CONNECT_SWAPPED);
  peel_reference_strip_set_references (self->strip, G_LIST_MODEL (self->references));

  peel_prompt_bar_bind_settings (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.keep-image-shape", FALSE);
  self->model_section = g_menu_new ();
  g_menu_append_section (self->options_menu, _("Model"), G_MENU_MODEL (self->model_section));
  peel_prompt_bar_set_offered_models (self, NULL);

  peel_prompt_bar_add_shortcuts (self);
  peel_prompt_bar_update_can_generate (self);
}

/**
 * peel_prompt_bar_set_offered_models:
 * @ids: (nullable) (element-type utf8): the image models the service offers, from its model
 *   list; %NULL for the catalogue's
 *
 * Fills the options menu's Model section. The model in use stays in it even when the list
 * does not name it, so the menu always shows what the next turn is sent to.
 */
void
peel_prompt_bar_set_offered_models (PeelPromptBar *self,
                                    GPtrArray     *ids)
{
  const char *model = peel_turn_settings_get_model (self->settings);
  gboolean has_current = FALSE;

  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (ids == NULL || ids->len == 0)
    ids = peel_model_dup_offered_ids ();
  else
    ids = g_ptr_array_ref (ids);
  g_clear_pointer (&self->offered, g_ptr_array_unref);
  self->offered = ids;

  g_menu_remove_all (self->model_section);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autofree char *label = peel_model_dup_display_name (id);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "turn.model", "s", id);
      g_menu_append_item (self->model_section, item);
      has_current |= g_strcmp0 (id, model) == 0;
    }

  if (!has_current)
    {
      g_autofree char *label = peel_model_dup_display_name (model);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "turn.model", "s", model);
      g_menu_append_item (self->model_section, item);
    }
}

GtkWidget *
peel_prompt_bar_new (void)
{
  return g_object_new (PEEL_TYPE_PROMPT_BAR, NULL);
}

/**
 * peel_prompt_bar_get_settings:
 *
 * Returns: (transfer none): what the next turn asks for besides the prompt and the
 *   references, as the pickers and the options menu show it
 */
PeelTurnSettings *
peel_prompt_bar_get_settings (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->settings;
}
