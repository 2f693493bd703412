/* peel-prompt-bar.c
 *
 * What sits under the canvas: the reference images, the prompt, the ratio,
 * size and option pickers, and Generate, which turns into Cancel while a
 * request runs. The bar only gathers what the next turn asks for; the window
 * reads its properties when `win.generate` fires.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-panels-logic.h"
#include "peel-prompt-bar.h"
#include "peel-ratio-picker.h"
#include "peel-reference-strip.h"
#include "peel-reference.h"
#include "peel-size-picker.h"
#include "peel-util.h"
#include "peel-view-logic.h"

#define MAX_PROMPT_LINES 6
#define THUMBNAIL_PIXELS 128
#define BAR_MARGIN       12
#define BAR_SPACING      12
#define BAR_FOLD_WIDTH   400

struct _PeelPromptBar
{
  GtkWidget           parent_instance;

  char               *prompt;
  char               *aspect_ratio;
  PeelImageSize       image_size;
  char               *model;
  char               *thinking_level;
  gboolean            show_thoughts;
  gboolean            search;
  gboolean            image_search;
  gboolean            busy;
  gboolean            editing;
  gboolean            can_generate;

  GListStore         *references;
  GCancellable       *cancellable;

  /* The shape and size of the image the next edit starts from, when one is shown. */
  gboolean            following;
  char               *image_ratio;
  PeelImageSize       image_image_size;

  PeelReferenceStrip *strip;
  GtkWidget          *prompt_overlay;
  GtkWidget          *controls;
  GtkScrolledWindow  *prompt_scroller;
  GtkTextView        *text_view;
  GtkLabel           *placeholder;
  PeelRatioPicker    *ratio_picker;
  PeelSizePicker     *size_picker;
  GtkMenuButton      *options_button;
  GtkWidget          *change_box;
  GtkLabel           *change_label;
  GtkStack           *action_stack;
  GMenu              *options_menu;
  GMenu              *model_section;
  GPtrArray          *offered;
};

enum {
  PROP_0,
  PROP_PROMPT,
  PROP_ASPECT_RATIO,
  PROP_IMAGE_SIZE,
  PROP_MODEL,
  PROP_THINKING_LEVEL,
  PROP_SHOW_THOUGHTS,
  PROP_SEARCH,
  PROP_IMAGE_SEARCH,
  PROP_BUSY,
  PROP_EDITING,
  PROP_CAN_GENERATE,
  N_PROPS
};

enum {
  FILES_CHOSEN,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (PeelPromptBar, peel_prompt_bar, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (peel-prompt-bar-error-quark, peel_prompt_bar_error)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
set_bool (gboolean *ptr,
          gboolean  value)
{
  value = !!value;
  if (*ptr == value)
    return FALSE;

  *ptr = value;
  return TRUE;
}

static void
peel_prompt_bar_update_can_generate (PeelPromptBar *self)
{
  PeelModelFamily family = peel_model_family_for_id (self->model);
  gboolean can_generate;

  can_generate =
    peel_view_generate_enabled (self->prompt,
                                g_list_model_get_n_items (G_LIST_MODEL (self->references)),
                                peel_model_max_input_images (family),
                                self->busy);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.generate", can_generate);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.cancel", self->busy);

  if (set_bool (&self->can_generate, can_generate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GENERATE]);
}

/* A new model may not make the ratio or size chosen for the old one: move to the nearest it
 * does make, rather than sending a request it will refuse. References over its limit stay (the
 * user chose them) and keep Generate off until some are removed. */
static void
peel_prompt_bar_apply_model (PeelPromptBar *self)
{
  PeelModelFamily family = peel_model_family_for_id (self->model);

  peel_prompt_bar_set_aspect_ratio (self, peel_view_closest_ratio (family, self->aspect_ratio));
  peel_prompt_bar_set_image_size (self, peel_view_closest_size (family, self->image_size));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.thinking-level",
                                 peel_model_supports_thinking_level (family));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.show-thoughts",
                                 peel_view_show_thoughts_enabled (family));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.search",
                                 peel_model_supports_search (family));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.image-search",
                                 peel_model_supports_image_search (family));

  peel_prompt_bar_update_can_generate (self);
}

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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT]);
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

/* Ctrl+Enter is taken before the text view sees it, so it never inserts a newline, even when
 * there is nothing to generate yet. */
static gboolean
generate_shortcut_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  gtk_widget_activate_action (widget, "bar.generate", NULL);
  return TRUE;
}

/* Escape only means "stop" while something runs; otherwise it goes on to whoever wants it. */
static gboolean
cancel_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);

  if (!self->busy)
    return FALSE;

  gtk_widget_activate_action (widget, "bar.cancel", NULL);
  return TRUE;
}

static void
peel_prompt_bar_add_shortcuts (PeelPromptBar *self)
{
  static const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutAction *generate = gtk_callback_action_new (generate_shortcut_cb, NULL, NULL);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);

  for (guint i = 0; i < G_N_ELEMENTS (enter_keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i], GDK_CONTROL_MASK),
                        g_object_ref (generate)));
  g_object_unref (generate);

  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (cancel_shortcut_cb, NULL, NULL)));

  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Layout. Side by side the bar reads references, prompt, pickers and Generate; narrower than
 * BAR_FOLD_WIDTH it folds: the prompt takes the whole width, with the references and the
 * pickers under it.
 */

static int
child_size (GtkWidget      *child,
            GtkOrientation  orientation,
            int             for_size,
            gboolean        natural)
{
  int min = 0, nat = 0;

  if (!gtk_widget_should_layout (child))
    return 0;
  gtk_widget_measure (child, orientation, for_size, &min, &nat, NULL, NULL);
  return natural ? nat : min;
}

/* Folded below BAR_FOLD_WIDTH, and wherever the three would not fit side by side. */
static gboolean
peel_prompt_bar_folds_at (PeelPromptBar *self,
                          int            width)
{
  int side_by_side;

  if (width < 0)
    return FALSE;
  if (width < BAR_FOLD_WIDTH)
    return TRUE;

  side_by_side = 2 * BAR_MARGIN + 2 * BAR_SPACING +
                 child_size (GTK_WIDGET (self->strip), GTK_ORIENTATION_HORIZONTAL, -1, FALSE) +
                 child_size (self->prompt_overlay, GTK_ORIENTATION_HORIZONTAL, -1, FALSE) +
                 child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  return width < side_by_side;
}

/* Widths side by side: the strip and the controls at their natural widths as far as the prompt
 * keeps its minimum, then down to their own minimums. */
static void
side_by_side_widths (PeelPromptBar *self,
                     int            inner,
                     int           *strip_width,
                     int           *controls_width)
{
  GtkWidget *strip = GTK_WIDGET (self->strip);
  int prompt_min = child_size (self->prompt_overlay, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  int spare = inner - prompt_min - 2 * BAR_SPACING;
  int strip_min = child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  int strip_nat = child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, TRUE);
  int controls_min = child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1, FALSE);
  int controls_nat = child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1, TRUE);

  *controls_width = CLAMP (spare - strip_min, controls_min, controls_nat);
  *strip_width = CLAMP (spare - *controls_width, strip_min, strip_nat);
}

static GtkSizeRequestMode
peel_prompt_bar_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
peel_prompt_bar_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);
  GtkWidget *strip = GTK_WIDGET (self->strip);
  GtkWidget *prompt = self->prompt_overlay;
  GtkWidget *controls = self->controls;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At its narrowest the bar is folded; its natural width is side by side. */
      int row = child_size (strip, orientation, -1, FALSE) + BAR_SPACING +
                child_size (controls, orientation, -1, FALSE);

      *minimum = 2 * BAR_MARGIN + MAX (child_size (prompt, orientation, -1, FALSE), row);
      *natural = 2 * BAR_MARGIN + 2 * BAR_SPACING + child_size (strip, orientation, -1, TRUE) +
                 child_size (prompt, orientation, -1, TRUE) +
                 child_size (controls, orientation, -1, TRUE);
      *natural = MAX (*natural, *minimum);
    }
  else if (peel_prompt_bar_folds_at (self, for_size))
    {
      int inner = MAX (0, for_size - 2 * BAR_MARGIN);

      for (int nat = 0; nat < 2; nat++)
        {
          int row = MAX (child_size (strip, orientation, -1, nat),
                         child_size (controls, orientation, -1, nat));
          int height = 2 * BAR_MARGIN + child_size (prompt, orientation, inner, nat) +
                       BAR_SPACING + row;

          *(nat ? natural : minimum) = height;
        }
    }
  else
    {
      int inner = for_size < 0 ? -1 : for_size - 2 * BAR_MARGIN;
      int strip_width = -1, controls_width = -1, prompt_width = -1;

      if (inner >= 0)
        {
          side_by_side_widths (self, inner, &strip_width, &controls_width);
          prompt_width = MAX (0, inner - strip_width - controls_width - 2 * BAR_SPACING);
        }

      for (int nat = 0; nat < 2; nat++)
        {
          int height = MAX (child_size (strip, orientation, strip_width, nat),
                            child_size (prompt, orientation, prompt_width, nat));

          height = MAX (height, child_size (controls, orientation, controls_width, nat));
          *(nat ? natural : minimum) = 2 * BAR_MARGIN + height;
        }
    }
}

static void
allocate_child (GtkWidget *child,
                int        x,
                int        y,
                int        width,
                int        height)
{
  if (gtk_widget_should_layout (child))
    gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, MAX (0, width), MAX (0, height) },
                              -1);
}

static void
peel_prompt_bar_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);
  GtkWidget *strip = GTK_WIDGET (self->strip);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int inner = MAX (0, width - 2 * BAR_MARGIN);
  int strip_width, controls_width, strip_x, controls_x, prompt_x;

  if (peel_prompt_bar_folds_at (self, width))
    {
      int prompt_height = child_size (self->prompt_overlay, GTK_ORIENTATION_VERTICAL, inner,
                                      TRUE);
      int row_y, row_height;

      prompt_height = MIN (prompt_height, height - 2 * BAR_MARGIN - BAR_SPACING -
                           MAX (child_size (strip, GTK_ORIENTATION_VERTICAL, -1, FALSE),
                                child_size (self->controls, GTK_ORIENTATION_VERTICAL, -1, FALSE)));
      row_y = BAR_MARGIN + prompt_height + BAR_SPACING;
      row_height = height - BAR_MARGIN - row_y;
      controls_width = MIN (inner, child_size (self->controls, GTK_ORIENTATION_HORIZONTAL, -1,
                                               TRUE));
      strip_width = CLAMP (inner - controls_width - BAR_SPACING,
                           child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, FALSE),
                           child_size (strip, GTK_ORIENTATION_HORIZONTAL, -1, TRUE));
      strip_x = rtl ? width - BAR_MARGIN - strip_width : BAR_MARGIN;
      controls_x = rtl ? BAR_MARGIN : width - BAR_MARGIN - controls_width;

      allocate_child (self->prompt_overlay, BAR_MARGIN, BAR_MARGIN, inner, prompt_height);
      allocate_child (strip, strip_x, row_y, strip_width,
                      MIN (row_height, child_size (strip, GTK_ORIENTATION_VERTICAL, strip_width,
                                                   TRUE)));
      allocate_child (self->controls, controls_x, row_y, controls_width,
                      MIN (row_height, child_size (self->controls, GTK_ORIENTATION_VERTICAL,
                                                   controls_width, TRUE)));
      return;
    }

  side_by_side_widths (self, inner, &strip_width, &controls_width);
  strip_x = rtl ? width - BAR_MARGIN - strip_width : BAR_MARGIN;
  controls_x = rtl ? BAR_MARGIN : width - BAR_MARGIN - controls_width;
  prompt_x = rtl ? controls_x + controls_width + BAR_SPACING
                 : strip_x + strip_width + BAR_SPACING;

  /* The strip and the controls keep to the top (valign start), the prompt fills the height. */
  allocate_child (strip, strip_x, BAR_MARGIN, strip_width,
                  MIN (height - 2 * BAR_MARGIN,
                       child_size (strip, GTK_ORIENTATION_VERTICAL, strip_width, TRUE)));
  allocate_child (self->prompt_overlay, prompt_x, BAR_MARGIN,
                  inner - strip_width - controls_width - 2 * BAR_SPACING,
                  height - 2 * BAR_MARGIN);
  allocate_child (self->controls, controls_x, BAR_MARGIN, controls_width,
                  MIN (height - 2 * BAR_MARGIN,
                       child_size (self->controls, GTK_ORIENTATION_VERTICAL, controls_width,
                                   TRUE)));
}

/* Changing the shape or size of the image an edit starts from is a choice: the bar says so. */
static void
update_change_note (PeelPromptBar *self)
{
  g_autofree char *note = NULL;

  if (self->following)
    note = peel_panels_picker_note (self->image_ratio, self->image_image_size,
                                    self->aspect_ratio, self->image_size);
  gtk_label_set_label (self->change_label, note ? note : "");
  gtk_widget_set_visible (self->change_box, note != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.keep-image-shape", note != NULL);
}

static void
keep_image_shape_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (widget);

  if (!self->following)
    return;
  if (self->image_ratio != NULL)
    peel_prompt_bar_set_aspect_ratio (self, self->image_ratio);
  peel_prompt_bar_set_image_size (self, self->image_image_size);
}

/**
 * peel_prompt_bar_follow_image:
 * @self: a prompt bar
 * @aspect_ratio: (nullable): the ratio of the image the next edit starts from
 * @image_size: its size
 * @shown: whether there is such an image; %FALSE forgets the last one
 *
 * Sets the pickers to the shown image's ratio and size, so an edit keeps them unless the user
 * picks others, which the bar then points out.
 */
void
peel_prompt_bar_follow_image (PeelPromptBar *self,
                              const char    *aspect_ratio,
                              PeelImageSize  image_size,
                              gboolean       shown)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  self->following = shown && image_size < PEEL_N_IMAGE_SIZES;
  peel_set_str (&self->image_ratio, self->following ? aspect_ratio : NULL);
  self->image_image_size = image_size;
  if (self->following)
    {
      if (aspect_ratio != NULL && peel_aspect_ratio_find (aspect_ratio) >= 0)
        peel_prompt_bar_set_aspect_ratio (self, aspect_ratio);
      peel_prompt_bar_set_image_size (self, image_size);
    }
  update_change_note (self);
}

/**
 * peel_prompt_bar_get_change_note:
 *
 * Returns: (nullable): what the next edit changes of the shown image's shape and size, as the
 *   bar shows it, or %NULL when it keeps them
 */
const char *
peel_prompt_bar_get_change_note (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return gtk_widget_get_visible (self->change_box) ? gtk_label_get_label (self->change_label)
                                                   : NULL;
}

static void
peel_prompt_bar_dispose (GObject *object)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PEEL_TYPE_PROMPT_BAR);
  g_clear_object (&self->references);

  G_OBJECT_CLASS (peel_prompt_bar_parent_class)->dispose (object);
}

static void
peel_prompt_bar_finalize (GObject *object)
{
  PeelPromptBar *self = PEEL_PROMPT_BAR (object);

  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->aspect_ratio, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_object (&self->model_section);
  g_clear_pointer (&self->offered, g_ptr_array_unref);
  g_clear_pointer (&self->thinking_level, g_free);
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
    case PROP_ASPECT_RATIO:
      g_value_set_string (value, self->aspect_ratio);
      break;
    case PROP_IMAGE_SIZE:
      g_value_set_int (value, self->image_size);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_THINKING_LEVEL:
      g_value_set_string (value, self->thinking_level);
      break;
    case PROP_SHOW_THOUGHTS:
      g_value_set_boolean (value, self->show_thoughts);
      break;
    case PROP_SEARCH:
      g_value_set_boolean (value, self->search);
      break;
    case PROP_IMAGE_SEARCH:
      g_value_set_boolean (value, self->image_search);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
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
    case PROP_ASPECT_RATIO:
      peel_prompt_bar_set_aspect_ratio (self, g_value_get_string (value));
      break;
    case PROP_IMAGE_SIZE:
      peel_prompt_bar_set_image_size (self, g_value_get_int (value));
      break;
    case PROP_MODEL:
      peel_prompt_bar_set_model (self, g_value_get_string (value));
      break;
    case PROP_THINKING_LEVEL:
      peel_prompt_bar_set_thinking_level (self, g_value_get_string (value));
      break;
    case PROP_SHOW_THOUGHTS:
      peel_prompt_bar_set_show_thoughts (self, g_value_get_boolean (value));
      break;
    case PROP_SEARCH:
      peel_prompt_bar_set_search (self, g_value_get_boolean (value));
      break;
    case PROP_IMAGE_SEARCH:
      peel_prompt_bar_set_image_search (self, g_value_get_boolean (value));
      break;
    case PROP_BUSY:
      peel_prompt_bar_set_busy (self, g_value_get_boolean (value));
      break;
    case PROP_EDITING:
      peel_prompt_bar_set_editing (self, g_value_get_boolean (value));
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

  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, "", rw);
  /**
   * PeelPromptBar:aspect-ratio: (nullable)
   *
   * One of the 14 ratios, or %NULL to keep the shape of the input image.
   */
  properties[PROP_ASPECT_RATIO] =
    g_param_spec_string ("aspect-ratio", NULL, NULL, "1:1", rw);
  /**
   * PeelPromptBar:image-size:
   *
   * A #PeelImageSize.
   */
  properties[PROP_IMAGE_SIZE] =
    g_param_spec_int ("image-size", NULL, NULL,
                      0, PEEL_N_IMAGE_SIZES - 1, PEEL_IMAGE_SIZE_1K, rw);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, PEEL_DEFAULT_MODEL, rw);
  /**
   * PeelPromptBar:thinking-level:
   *
   * "minimal" or "high", as peel_thinking_level_from_string() reads them.
   */
  properties[PROP_THINKING_LEVEL] =
    g_param_spec_string ("thinking-level", NULL, NULL, "minimal", rw);
  properties[PROP_SHOW_THOUGHTS] =
    g_param_spec_boolean ("show-thoughts", NULL, NULL, FALSE, rw);
  properties[PROP_SEARCH] =
    g_param_spec_boolean ("search", NULL, NULL, FALSE, rw);
  properties[PROP_IMAGE_SEARCH] =
    g_param_spec_boolean ("image-search", NULL, NULL, FALSE, rw);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, rw);
  /**
   * PeelPromptBar:editing:
   *
   * Whether the next turn continues from an image, which makes "Match input"
   * a ratio one can pick.
   */
  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL, FALSE, rw);
  properties[PROP_CAN_GENERATE] =
    g_param_spec_boolean ("can-generate", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, change_box);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, change_label);
  gtk_widget_class_install_action (widget_class, "bar.keep-image-shape", NULL,
                                   keep_image_shape_action);
  gtk_widget_class_bind_template_child (widget_class, PeelPromptBar, options_menu);
  gtk_widget_class_bind_template_callback (widget_class, text_view_map_cb);
  gtk_widget_class_bind_template_callback (widget_class, strip_files_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, strip_remove_reference_cb);

  gtk_widget_class_install_action (widget_class, "bar.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "bar.cancel", NULL, cancel_action);
  gtk_widget_class_install_property_action (widget_class, "bar.thinking-level", "thinking-level");
  gtk_widget_class_install_property_action (widget_class, "bar.show-thoughts", "show-thoughts");
  gtk_widget_class_install_property_action (widget_class, "bar.search", "search");
  gtk_widget_class_install_property_action (widget_class, "bar.image-search", "image-search");
  gtk_widget_class_install_property_action (widget_class, "bar.model", "model");

  widget_class->get_request_mode = peel_prompt_bar_get_request_mode;
  widget_class->measure = peel_prompt_bar_measure;
  widget_class->size_allocate = peel_prompt_bar_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "promptbar");
}

static void
peel_prompt_bar_init (PeelPromptBar *self)
{
  self->prompt = g_strdup ("");
  self->aspect_ratio = g_strdup ("1:1");
  self->image_size = PEEL_IMAGE_SIZE_1K;
  self->model = g_strdup (PEEL_DEFAULT_MODEL);
  self->thinking_level = g_strdup ("minimal");
  self->references = g_list_store_new (PEEL_TYPE_REFERENCE);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->references, "items-changed",
                           G_CALLBACK (references_changed_cb), self, G_CONNECT_SWAPPED);
  peel_reference_strip_set_references (self->strip, G_LIST_MODEL (self->references));

  g_object_bind_property (self, "aspect-ratio", self->ratio_picker, "aspect-ratio",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "aspect-ratio", self->size_picker, "aspect-ratio",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "image-size", self->size_picker, "image-size",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "editing", self->ratio_picker, "editing",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "model", self->ratio_picker, "model", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "model", self->size_picker, "model", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "model", self->strip, "model", G_BINDING_SYNC_CREATE);

  g_signal_connect (self, "notify::aspect-ratio", G_CALLBACK (update_change_note), NULL);
  g_signal_connect (self, "notify::image-size", G_CALLBACK (update_change_note), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bar.keep-image-shape", FALSE);
  self->model_section = g_menu_new ();
  g_menu_append_section (self->options_menu, _("Model"), G_MENU_MODEL (self->model_section));
  peel_prompt_bar_set_offered_models (self, NULL);

  peel_prompt_bar_add_shortcuts (self);
  peel_prompt_bar_apply_model (self);
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

      g_menu_item_set_action_and_target (item, "bar.model", "s", id);
      g_menu_append_item (self->model_section, item);
      has_current |= g_strcmp0 (id, self->model) == 0;
    }

  if (!has_current && self->model != NULL)
    {
      g_autofree char *label = peel_model_dup_display_name (self->model);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "bar.model", "s", self->model);
      g_menu_append_item (self->model_section, item);
    }
}

GtkWidget *
peel_prompt_bar_new (void)
{
  return g_object_new (PEEL_TYPE_PROMPT_BAR, NULL);
}

const char *
peel_prompt_bar_get_prompt (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->prompt;
}

void
peel_prompt_bar_set_prompt (PeelPromptBar *self,
                            const char    *prompt)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (prompt == NULL)
    prompt = "";

  /* The buffer's ::changed handler stores it and notifies. */
  if (g_strcmp0 (self->prompt, prompt) != 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), prompt, -1);
}

/**
 * peel_prompt_bar_clear_prompt:
 *
 * Empties the prompt, for after a turn succeeded. Failures leave it as it was
 * so the user can retry or change it.
 */
void
peel_prompt_bar_clear_prompt (PeelPromptBar *self)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  peel_prompt_bar_set_prompt (self, "");
}

const char *
peel_prompt_bar_get_aspect_ratio (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->aspect_ratio;
}

/**
 * peel_prompt_bar_set_aspect_ratio:
 * @aspect_ratio: (nullable): one of the 14 ratios, or %NULL for "match input"
 */
void
peel_prompt_bar_set_aspect_ratio (PeelPromptBar *self,
                                  const char    *aspect_ratio)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (aspect_ratio == NULL || peel_aspect_ratio_find (aspect_ratio) >= 0);

  if (peel_set_str (&self->aspect_ratio, aspect_ratio))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASPECT_RATIO]);
}

PeelImageSize
peel_prompt_bar_get_image_size (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), PEEL_IMAGE_SIZE_1K);

  return self->image_size;
}

void
peel_prompt_bar_set_image_size (PeelPromptBar *self,
                                PeelImageSize  image_size)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (image_size < PEEL_N_IMAGE_SIZES);

  if (self->image_size != image_size)
    {
      self->image_size = image_size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_SIZE]);
    }
}

const char *
peel_prompt_bar_get_model (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->model;
}

void
peel_prompt_bar_set_model (PeelPromptBar *self,
                           const char    *model)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (model != NULL);

  if (peel_set_str (&self->model, model))
    {
      guint index;

      /* A model set from Preferences or a node may not be in the menu yet. */
      if (self->offered != NULL &&
          !g_ptr_array_find_with_equal_func (self->offered, model, g_str_equal, &index))
        {
          g_autoptr(GPtrArray) offered = g_ptr_array_ref (self->offered);

          peel_prompt_bar_set_offered_models (self, offered);
        }
      peel_prompt_bar_apply_model (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
    }
}

const char *
peel_prompt_bar_get_thinking_level (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return self->thinking_level;
}

void
peel_prompt_bar_set_thinking_level (PeelPromptBar *self,
                                    const char    *thinking_level)
{
  PeelThinkingLevel level;

  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (peel_thinking_level_from_string (thinking_level, &level));

  if (peel_set_str (&self->thinking_level, peel_thinking_level_to_string (level)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THINKING_LEVEL]);
}

gboolean
peel_prompt_bar_get_show_thoughts (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->show_thoughts;
}

void
peel_prompt_bar_set_show_thoughts (PeelPromptBar *self,
                                   gboolean       show_thoughts)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->show_thoughts, show_thoughts))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_THOUGHTS]);
}

gboolean
peel_prompt_bar_get_search (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->search;
}

void
peel_prompt_bar_set_search (PeelPromptBar *self,
                            gboolean       search)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->search, search))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

gboolean
peel_prompt_bar_get_image_search (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->image_search;
}

void
peel_prompt_bar_set_image_search (PeelPromptBar *self,
                                  gboolean       image_search)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->image_search, image_search))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_SEARCH]);
}

gboolean
peel_prompt_bar_get_busy (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->busy;
}

/**
 * peel_prompt_bar_set_busy:
 *
 * While busy, Generate is Cancel (and Escape cancels).
 */
void
peel_prompt_bar_set_busy (PeelPromptBar *self,
                          gboolean       busy)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (set_bool (&self->busy, busy))
    {
      gtk_stack_set_visible_child_name (self->action_stack, busy ? "cancel" : "generate");
      peel_prompt_bar_update_can_generate (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

gboolean
peel_prompt_bar_get_editing (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->editing;
}

void
peel_prompt_bar_set_editing (PeelPromptBar *self,
                             gboolean       editing)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  if (!set_bool (&self->editing, editing))
    return;

  /* With no image to match, "match input" would silently mean the model's default. */
  if (!self->editing && self->aspect_ratio == NULL)
    peel_prompt_bar_set_aspect_ratio (self, "1:1");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
}

gboolean
peel_prompt_bar_get_can_generate (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);

  return self->can_generate;
}

/**
 * peel_prompt_bar_get_references:
 *
 * Returns: (transfer none): a #GListModel of #PeelReference, in the order
 *   they will be sent
 */
GListModel *
peel_prompt_bar_get_references (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);

  return G_LIST_MODEL (self->references);
}

/**
 * peel_prompt_bar_add_reference:
 * @image: an image part; it is copied
 * @name: (nullable): what to call it, such as its file name
 *
 * Adds a reference image for the next turn; its thumbnail is made off the main
 * thread and shows when ready.
 *
 * Returns: %FALSE, with @error set, when the model takes no more references
 */
gboolean
peel_prompt_bar_add_reference (PeelPromptBar   *self,
                               const PeelPart  *image,
                               const char      *name,
                               GError         **error)
{
  PeelModelFamily family;
  g_autoptr(PeelReference) reference = NULL;
  guint n;

  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), FALSE);
  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (image->kind != PEEL_PART_IMAGE || image->data == NULL)
    {
      g_set_error (error, PEEL_PROMPT_BAR_ERROR, PEEL_PROMPT_BAR_ERROR_NOT_AN_IMAGE,
                   _("Only images can be used as references."));
      return FALSE;
    }

  family = peel_model_family_for_id (self->model);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->references));
  if (!peel_view_can_add_reference (n, peel_model_max_input_images (family)))
    {
      g_autofree char *message = peel_view_reference_limit_message (family);

      g_set_error_literal (error, PEEL_PROMPT_BAR_ERROR,
                           PEEL_PROMPT_BAR_ERROR_TOO_MANY_REFERENCES, message);
      return FALSE;
    }

  reference = peel_reference_new (image, NULL, name);
  peel_reference_load_thumbnail (reference, THUMBNAIL_PIXELS, self->cancellable);
  g_list_store_append (self->references, reference);

  return TRUE;
}

void
peel_prompt_bar_remove_reference (PeelPromptBar *self,
                                  guint          position)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->references)));

  g_list_store_remove (self->references, position);
}

void
peel_prompt_bar_clear_references (PeelPromptBar *self)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  g_list_store_remove_all (self->references);
}

void
peel_prompt_bar_focus_prompt (PeelPromptBar *self)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/**
 * peel_prompt_bar_get_text_view:
 *
 * Returns: (transfer none): where the prompt is typed, for the window's paste
 */
GtkTextView *
peel_prompt_bar_get_text_view (PeelPromptBar *self)
{
  g_return_val_if_fail (PEEL_IS_PROMPT_BAR (self), NULL);
  return self->text_view;
}

/**
 * peel_prompt_bar_open:
 * @self: a #PeelPromptBar
 * @control: which control
 *
 * Opens @control as a click on it would, so that a shortcut reaches it from anywhere in the
 * window.
 */
void
peel_prompt_bar_open (PeelPromptBar        *self,
                      PeelPromptBarControl  control)
{
  g_return_if_fail (PEEL_IS_PROMPT_BAR (self));

  switch (control)
    {
    case PEEL_PROMPT_BAR_RATIO:
      gtk_popover_popup (peel_ratio_picker_get_popover (self->ratio_picker));
      break;
    case PEEL_PROMPT_BAR_SIZE:
      gtk_popover_popup (peel_size_picker_get_popover (self->size_picker));
      break;
    case PEEL_PROMPT_BAR_OPTIONS:
      gtk_menu_button_popup (self->options_button);
      break;
    case PEEL_PROMPT_BAR_REFERENCES:
      peel_reference_strip_choose_files (self->strip);
      break;
    default:
      g_return_if_reached ();
    }
}
