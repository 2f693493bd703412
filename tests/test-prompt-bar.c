/* test-prompt-bar.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "peel-prompt-bar.h"
#include "peel-ratio-picker.h"
#include "peel-reference.h"
#include "peel-reference-strip.h"
#include "peel-resources.h"
#include "peel-size-picker.h"

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(int *) user_data)++;
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static char *
widget_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_text (widget, out);
  return g_string_free (out, FALSE);
}

static void
collect_buttons (GtkWidget *widget,
                 GType      type,
                 GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, type, out);
}

/* The button of type @type under @root whose labels, joined, start with @text. */
static GtkWidget *
find_button (GtkWidget  *root,
             GType       type,
             const char *text)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_buttons (root, type, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      g_autofree char *label = widget_text (buttons->pdata[i]);

      if (g_str_has_prefix (label, text) &&
          (label[strlen (text)] == '\n' || label[strlen (text)] == '\0'))
        return buttons->pdata[i];
    }

  return NULL;
}

/* What a mouse click or Space ends in; gtk_widget_activate () would only start the
 * button's press animation and click later. */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

static PeelPart *
make_png_part (int width,
               int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size;
  g_autoptr(GBytes) bytes = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  bytes = g_bytes_new (buffer, size);

  return peel_part_new_image ("image/png", bytes, FALSE);
}

static void
test_ratio_picker_lists_fourteen (void)
{
  PeelRatioPicker *picker = g_object_ref_sink (PEEL_RATIO_PICKER (peel_ratio_picker_new ()));
  GtkWidget *popover = GTK_WIDGET (peel_ratio_picker_get_popover (picker));
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  static const char *names[] = {
    "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4",
    "9:16", "16:9", "21:9", "1:4", "4:1", "1:8", "8:1",
  };
  GtkWidget *match;
  guint visible = 0;

  collect_buttons (popover, GTK_TYPE_TOGGLE_BUTTON, cells);
  for (guint i = 0; i < cells->len; i++)
    if (gtk_widget_get_visible (cells->pdata[i]))
      visible++;
  g_assert_cmpuint (visible, ==, 14);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *cell = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, names[i]);

      g_assert_nonnull (cell);
      g_assert_true (gtk_widget_get_sensitive (cell));
      g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (cell)), ==, i == 0);
    }

  /* "Match input" only when continuing from an image */
  match = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "Match Input");
  g_assert_nonnull (match);
  g_assert_false (gtk_widget_get_visible (match));
  peel_ratio_picker_set_editing (picker, TRUE);
  g_assert_true (gtk_widget_get_visible (match));

  g_assert_finalize_object (picker);
}

static void
test_ratio_picker_picks (void)
{
  PeelRatioPicker *picker = g_object_ref_sink (PEEL_RATIO_PICKER (peel_ratio_picker_new ()));
  GtkWidget *popover = GTK_WIDGET (peel_ratio_picker_get_popover (picker));
  GtkWidget *wide = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "21:9");
  GtkWidget *square = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "1:1");
  g_autofree char *button_text = NULL;
  int notified = 0;

  g_signal_connect (picker, "notify::aspect-ratio", G_CALLBACK (notify_count_cb), &notified);

  click (wide);
  g_assert_cmpstr (peel_ratio_picker_get_aspect_ratio (picker), ==, "21:9");
  g_assert_cmpint (notified, ==, 1);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (wide)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (square)));

  /* The button shows the choice by name */
  button_text = widget_text (gtk_widget_get_first_child (GTK_WIDGET (picker)));
  g_assert_true (g_str_has_prefix (button_text, "21:9\n"));

  /* Picking it again changes nothing */
  click (wide);
  g_assert_cmpint (notified, ==, 1);

  peel_ratio_picker_set_editing (picker, TRUE);
  click (find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "Match Input"));
  g_assert_null (peel_ratio_picker_get_aspect_ratio (picker));
  g_assert_cmpint (notified, ==, 2);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (wide)));

  g_assert_finalize_object (picker);
}

static void
test_ratio_picker_pro (void)
{
  PeelRatioPicker *picker = g_object_ref_sink (PEEL_RATIO_PICKER (peel_ratio_picker_new ()));
  GtkWidget *popover = GTK_WIDGET (peel_ratio_picker_get_popover (picker));
  GtkWidget *tall = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "1:8");
  GtkWidget *wide = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "21:9");
  static const char *extremes[] = { "1:4", "4:1", "1:8", "8:1" };
  g_autofree char *tooltip = NULL;

  g_assert_true (gtk_widget_get_sensitive (tall));
  g_assert_null (gtk_widget_get_tooltip_text (tall));

  peel_ratio_picker_set_model (picker, "gemini-3-pro-image-preview");
  for (guint i = 0; i < G_N_ELEMENTS (extremes); i++)
    g_assert_false (gtk_widget_get_sensitive (find_button (popover, GTK_TYPE_TOGGLE_BUTTON,
                                                           extremes[i])));
  g_assert_true (gtk_widget_get_sensitive (wide));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (tall), ==,
                   "Nano Banana Pro does not make 1:8 images");

  peel_ratio_picker_set_model (picker, "gemini-3.1-flash-image-preview");
  g_assert_true (gtk_widget_get_sensitive (tall));

  g_assert_finalize_object (picker);
}

static void
test_size_picker (void)
{
  PeelSizePicker *picker = g_object_ref_sink (PEEL_SIZE_PICKER (peel_size_picker_new ()));
  GtkWidget *popover = GTK_WIDGET (peel_size_picker_get_popover (picker));
  g_autofree char *text = NULL;
  g_autofree char *pro_text = NULL;
  GtkWidget *row_512, *row_2k;
  int notified = 0;

  g_signal_connect (picker, "notify::image-size", G_CALLBACK (notify_count_cb), &notified);

  peel_size_picker_set_aspect_ratio (picker, "21:9");
  row_2k = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "2K");
  row_512 = find_button (popover, GTK_TYPE_TOGGLE_BUTTON, "512");
  g_assert_nonnull (row_2k);
  g_assert_nonnull (row_512);

  click (row_2k);
  g_assert_cmpint (peel_size_picker_get_image_size (picker), ==, PEEL_IMAGE_SIZE_2K);
  g_assert_cmpint (notified, ==, 1);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (row_2k)));

  text = widget_text (row_2k);
  g_assert_cmpstr (text, ==, "2K\n3168 × 1344 · $0.101\n");
  g_assert_true (gtk_widget_get_sensitive (row_512));

  peel_size_picker_set_model (picker, "gemini-3-pro-image");
  g_assert_false (gtk_widget_get_sensitive (row_512));
  pro_text = widget_text (row_512);
  g_assert_cmpstr (pro_text, ==, "512\nNano Banana Pro does not make 512 images\n");

  g_assert_finalize_object (picker);
}

typedef struct
{
  GtkWindow     *window;
  PeelPromptBar *bar;
  int            generated;
  int            cancelled;
} BarFixture;

static void
generate_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ((BarFixture *) user_data)->generated++;
}

static void
cancel_activated_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ((BarFixture *) user_data)->cancelled++;
}

static void
bar_fixture_set_up (BarFixture    *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) generate = g_simple_action_new ("generate", NULL);
  g_autoptr(GSimpleAction) cancel = g_simple_action_new ("cancel", NULL);

  g_signal_connect (generate, "activate", G_CALLBACK (generate_activated_cb), fixture);
  g_signal_connect (cancel, "activate", G_CALLBACK (cancel_activated_cb), fixture);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (generate));
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (cancel));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->bar = g_object_ref (PEEL_PROMPT_BAR (peel_prompt_bar_new ()));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", G_ACTION_GROUP (group));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->bar));
  gtk_window_present (fixture->window);
}

/* The bar's three parts (references, prompt, pickers and Generate), laid out at @width. */
static void
bar_layout_at (BarFixture      *fixture,
               int              width,
               graphene_rect_t  parts[3])
{
  GtkWidget *bar = GTK_WIDGET (fixture->bar);
  GtkWidget *child = gtk_widget_get_first_child (bar);
  int min_width, height;

  gtk_widget_measure (bar, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, width);
  gtk_widget_measure (bar, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  gtk_widget_size_allocate (bar, &(GtkAllocation) { 0, 0, width, height }, -1);

  for (int i = 0; i < 3; i++, child = gtk_widget_get_next_sibling (child))
    {
      g_assert_nonnull (child);
      g_assert_true (gtk_widget_compute_bounds (child, bar, &parts[i]));
      /* Nothing sticks out of the bar. */
      g_assert_cmpfloat (parts[i].origin.x, >=, 0);
      g_assert_cmpfloat (parts[i].origin.x + parts[i].size.width, <=, width);
      g_assert_cmpfloat (parts[i].origin.y + parts[i].size.height, <=, height);
    }
}

static void
test_bar_folds (BarFixture    *fixture,
                gconstpointer  data)
{
  graphene_rect_t parts[3];
  enum { STRIP, PROMPT, CONTROLS };

  /* Wide: side by side, the prompt between the references and the pickers. */
  bar_layout_at (fixture, 900, parts);
  g_assert_cmpfloat (parts[STRIP].origin.x + parts[STRIP].size.width, <=, parts[PROMPT].origin.x);
  g_assert_cmpfloat (parts[PROMPT].origin.x + parts[PROMPT].size.width, <=,
                     parts[CONTROLS].origin.x);
  g_assert_cmpfloat (parts[PROMPT].origin.y, ==, parts[CONTROLS].origin.y);

  /* On a phone: the prompt takes the whole width, the rest goes under it. */
  bar_layout_at (fixture, 360, parts);
  g_assert_cmpfloat (parts[PROMPT].size.width, >=, 360 - 2 * 12);
  g_assert_cmpfloat (parts[PROMPT].origin.y + parts[PROMPT].size.height, <=,
                     parts[CONTROLS].origin.y);
  g_assert_cmpfloat (parts[PROMPT].origin.y + parts[PROMPT].size.height, <=,
                     parts[STRIP].origin.y);
  g_assert_cmpfloat (parts[STRIP].origin.x + parts[STRIP].size.width, <=,
                     parts[CONTROLS].origin.x);
}

static void
bar_fixture_tear_down (BarFixture    *fixture,
                       gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->bar);
}

static GtkWidget *
bar_action_button (PeelPromptBar *bar)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  collect_buttons (GTK_WIDGET (bar), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (stacks->pdata[i], "generate") != NULL)
      {
        GtkWidget *child = gtk_stack_get_visible_child (stacks->pdata[i]);

        /* Generate shares its page with the variations button. */
        return GTK_IS_BOX (child) ? gtk_widget_get_first_child (child) : child;
      }

  g_assert_not_reached ();
  return NULL;
}

static void
test_bar_generate_and_cancel (BarFixture    *fixture,
                              gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  GtkWidget *button = bar_action_button (bar);

  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Generate");
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_true (strstr (gtk_widget_get_tooltip_text (button), "Ctrl+Enter") != NULL);

  /* Nothing to say yet */
  g_assert_false (peel_prompt_bar_get_can_generate (bar));
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_widget_activate_action (GTK_WIDGET (bar), "bar.generate", NULL);
  g_assert_cmpint (fixture->generated, ==, 0);

  peel_prompt_bar_set_prompt (bar, "   ");
  g_assert_false (peel_prompt_bar_get_can_generate (bar));

  peel_prompt_bar_set_prompt (bar, "a lighthouse at dusk");
  g_assert_true (peel_prompt_bar_get_can_generate (bar));
  g_assert_true (gtk_widget_get_sensitive (button));
  click (button);
  g_assert_cmpint (fixture->generated, ==, 1);

  /* Busy: Generate becomes Cancel, and activates win.cancel */
  peel_prompt_bar_set_busy (bar, TRUE);
  button = bar_action_button (bar);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Cancel");
  g_assert_true (gtk_widget_has_css_class (button, "destructive-action"));
  g_assert_false (peel_prompt_bar_get_can_generate (bar));
  gtk_widget_activate_action (GTK_WIDGET (bar), "bar.generate", NULL);
  g_assert_cmpint (fixture->generated, ==, 1);
  click (button);
  g_assert_cmpint (fixture->cancelled, ==, 1);

  /* A failure leaves the prompt alone; only the window clears it after success */
  peel_prompt_bar_set_busy (bar, FALSE);
  button = bar_action_button (bar);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Generate");
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "a lighthouse at dusk");
  gtk_widget_activate_action (GTK_WIDGET (bar), "bar.cancel", NULL);
  g_assert_cmpint (fixture->cancelled, ==, 1);
}

/* The count beside Generate: one image unless chosen, and with several the price shown before
 * sending is the total, saying how it adds up. */
static void
test_bar_variations (BarFixture    *fixture,
                     gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  PeelTurnSettings *settings = peel_prompt_bar_get_settings (bar);
  GtkWidget *generate = bar_action_button (bar);
  GtkWidget *count = gtk_widget_get_next_sibling (generate);
  g_autofree char *name = NULL;

  g_assert_true (GTK_IS_MENU_BUTTON (count));
  g_assert_true (gtk_widget_get_focusable (count) ||
                 gtk_widget_get_focusable (gtk_widget_get_first_child (count)));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (count)), ==, "×1");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (count), "one image"));
  g_assert_null (peel_prompt_bar_get_price_note (bar));

  peel_turn_settings_set_image_size (settings, PEEL_IMAGE_SIZE_1K);
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.variations", "u", 4);
  g_assert_cmpuint (peel_turn_settings_get_variations (settings), ==, 4);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (count)), ==, "×4");
  g_assert_cmpstr (peel_prompt_bar_get_price_note (bar), ==, "4 × $0.067 = $0.268");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (count), "4 × $0.067 = $0.268"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (generate), "Generate 4 Variations"));

  /* The total follows the size. */
  peel_turn_settings_set_image_size (settings, PEEL_IMAGE_SIZE_4K);
  g_assert_cmpstr (peel_prompt_bar_get_price_note (bar), ==, "4 × $0.151 = $0.604");

  peel_turn_settings_set_variations (settings, 1);
  g_assert_null (peel_prompt_bar_get_price_note (bar));
  g_object_get (count, "label", &name, NULL);
  g_assert_cmpstr (name, ==, "×1");
}

static void
test_bar_prompt_two_way (BarFixture    *fixture,
                         gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  GtkTextBuffer *buffer;
  int notified = 0;

  collect_buttons (GTK_WIDGET (bar), GTK_TYPE_TEXT_VIEW, views);
  g_assert_cmpuint (views->len, ==, 1);
  buffer = gtk_text_view_get_buffer (views->pdata[0]);

  g_signal_connect (bar, "notify::prompt", G_CALLBACK (notify_count_cb), &notified);

  gtk_text_buffer_set_text (buffer, "a red boat", -1);
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "a red boat");
  g_assert_cmpint (notified, ==, 1);

  g_object_set (bar, "prompt", "make it blue", NULL);
  g_assert_cmpint (notified, ==, 2);
  g_object_set (bar, "prompt", "make it blue", NULL);
  g_assert_cmpint (notified, ==, 2);

  peel_prompt_bar_clear_prompt (bar);
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "");
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  g_assert_cmpint (notified, ==, 3);
}

static void
test_bar_model_clamps (BarFixture    *fixture,
                       gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  PeelTurnSettings *turn = peel_prompt_bar_get_settings (bar);

  peel_turn_settings_set_aspect_ratio (turn, "1:8");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_512);
  peel_turn_settings_set_thinking_level (turn, PEEL_THINKING_HIGH);
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.search", NULL);
  g_assert_true (peel_turn_settings_get_search (turn));

  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.model", "s", "gemini-3-pro-image-preview");
  g_assert_cmpstr (peel_turn_settings_get_model (turn), ==, "gemini-3-pro-image-preview");
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "9:16");
  g_assert_cmpint (peel_turn_settings_get_image_size (turn), ==, PEEL_IMAGE_SIZE_1K);

  /* Pro takes no thinking level and no image search, but does search the web */
  /* (gtk_widget_activate_action () returns TRUE for a disabled action too: it only says the
   * widget has actions) */
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.thinking-level", "s", "minimal");
  g_assert_cmpint (peel_turn_settings_get_thinking_level (turn), ==, PEEL_THINKING_HIGH);
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.image-search", NULL);
  g_assert_false (peel_turn_settings_get_image_search (turn));
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.search", NULL);
  g_assert_false (peel_turn_settings_get_search (turn));

  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.model", "s", "gemini-2.5-flash-image");
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.search", NULL);
  g_assert_false (peel_turn_settings_get_search (turn));
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.show-thoughts", NULL);
  g_assert_false (peel_turn_settings_get_show_thoughts (turn));

  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.model", "s",
                              "gemini-3.1-flash-image-preview");
  gtk_widget_activate_action (GTK_WIDGET (bar), "turn.thinking-level", "s", "minimal");
  g_assert_cmpint (peel_turn_settings_get_thinking_level (turn), ==, PEEL_THINKING_MINIMAL);

  /* "Match input" makes no sense without an image to match */
  peel_turn_settings_set_editing (turn, TRUE);
  peel_turn_settings_set_aspect_ratio (turn, NULL);
  g_assert_null (peel_turn_settings_get_aspect_ratio (turn));
  peel_turn_settings_set_editing (turn, FALSE);
  g_assert_cmpstr (peel_turn_settings_get_aspect_ratio (turn), ==, "1:1");
}

static gboolean
thumbnail_ready (GListModel *references)
{
  g_autoptr(PeelReference) first = g_list_model_get_item (references, 0);

  return peel_reference_get_thumbnail (first) != NULL;
}

static void
test_bar_references (BarFixture    *fixture,
                     gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  GListModel *references = peel_prompt_bar_get_references (bar);
  g_autoptr(PeelPart) part = make_png_part (400, 100);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeelReference) first = NULL;
  g_autofree char *text = NULL;
  g_autofree char *over = NULL;
  gint64 deadline;

  for (guint i = 0; i < 14; i++)
    {
      g_autofree char *name = g_strdup_printf ("ref-%u.png", i);

      g_assert_true (peel_prompt_bar_add_reference (bar, part, name, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 14);

  /* References alone are enough to generate from */
  g_assert_true (peel_prompt_bar_get_can_generate (bar));

  g_assert_false (peel_prompt_bar_add_reference (bar, part, "ref-15.png", &error));
  g_assert_error (error, PEEL_PROMPT_BAR_ERROR, PEEL_PROMPT_BAR_ERROR_TOO_MANY_REFERENCES);
  g_assert_cmpstr (error->message, ==,
                   "Nano Banana 2 takes at most 14 reference images. Remove one to add another.");
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 14);

  text = widget_text (GTK_WIDGET (bar));
  g_assert_true (strstr (text, "14 / 14\n") != NULL);

  first = g_list_model_get_item (references, 0);
  g_assert_cmpstr (peel_reference_get_name (first), ==, "ref-0.png");
  g_assert_true (g_bytes_equal (peel_reference_get_part (first)->data, part->data));

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!thumbnail_ready (references) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* A square from the middle; an image smaller than the thumbnail is not enlarged */
  g_assert_cmpint (gdk_texture_get_height (peel_reference_get_thumbnail (first)), ==, 100);
  g_assert_cmpint (gdk_texture_get_width (peel_reference_get_thumbnail (first)), ==, 100);

  /* A smaller model keeps them all, but will not generate until some go */
  peel_prompt_bar_set_prompt (bar, "combine these");
  peel_turn_settings_set_model (peel_prompt_bar_get_settings (bar), "gemini-2.5-flash-image");
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 14);
  g_assert_false (peel_prompt_bar_get_can_generate (bar));
  over = widget_text (GTK_WIDGET (bar));
  g_assert_true (strstr (over, "14 / 3\n") != NULL);

  for (guint i = 0; i < 11; i++)
    peel_prompt_bar_remove_reference (bar, 0);
  g_assert_true (peel_prompt_bar_get_can_generate (bar));

  peel_prompt_bar_clear_references (bar);
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 0);
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "combine these");
}

static GtkWidget *
find_scroller (GtkWidget *widget)
{
  GtkPolicyType vertical = GTK_POLICY_AUTOMATIC;

  /* The strip's scroller: the prompt's scrolls the other way. */
  if (GTK_IS_SCROLLED_WINDOW (widget))
    gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (widget), NULL, &vertical);
  if (GTK_IS_SCROLLED_WINDOW (widget) && vertical == GTK_POLICY_NEVER)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Five thumbnails where four fit: "5 / 14" comes with a scrollbar that is there to see, not
 * an overlay one that hides until hovered. */
static void
test_bar_references_scroll_visibly (BarFixture    *fixture,
                                    gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  g_autoptr(PeelPart) part = make_png_part (100, 100);
  g_autofree char *text = NULL;
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  gint64 deadline;

  gtk_window_set_default_size (fixture->window, 1000, 200);
  for (guint i = 0; i < 5; i++)
    g_assert_true (peel_prompt_bar_add_reference (bar, part, "ref.png", NULL));

  scroller = find_scroller (GTK_WIDGET (bar));
  g_assert_nonnull (scroller);
  adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  /* Not all five fit... */
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     gtk_adjustment_get_page_size (adjustment));
  text = widget_text (GTK_WIDGET (bar));
  g_assert_true (strstr (text, "5 / 14\n") != NULL);
  /* ...and the scrollbar that says so takes its own room under them. */
  g_assert_false (gtk_scrolled_window_get_overlay_scrolling (GTK_SCROLLED_WINDOW (scroller)));
  g_assert_true (gtk_widget_get_mapped (gtk_scrolled_window_get_hscrollbar (
    GTK_SCROLLED_WINDOW (scroller))));
  g_assert_cmpint (gtk_widget_get_height (scroller), >,
                   gtk_widget_get_height (gtk_scrolled_window_get_child (
                     GTK_SCROLLED_WINDOW (scroller))));
}

static void
test_bar_big_thumbnail (BarFixture    *fixture,
                        gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  GListModel *references = peel_prompt_bar_get_references (bar);
  g_autoptr(PeelPart) part = make_png_part (2000, 1000);
  g_autoptr(PeelReference) reference = NULL;
  gint64 deadline;

  g_assert_true (peel_prompt_bar_add_reference (bar, part, "big.png", NULL));
  reference = g_list_model_get_item (references, 0);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (peel_reference_get_thumbnail (reference) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  /* Twice the 64 px it is shown at, for high-density screens */
  g_assert_cmpint (gdk_texture_get_width (peel_reference_get_thumbnail (reference)), ==, 128);
  g_assert_cmpint (gdk_texture_get_height (peel_reference_get_thumbnail (reference)), ==, 128);
  /* The part sent is the original, never the thumbnail */
  g_assert_true (g_bytes_equal (peel_reference_get_part (reference)->data, part->data));
}

static GtkWidget *
remove_button (PeelPromptBar *bar,
               const char    *name)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_buttons (GTK_WIDGET (bar), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_has_css_class (buttons->pdata[i], "reference-remove") &&
        g_strcmp0 (gtk_widget_get_tooltip_text (gtk_widget_get_parent (buttons->pdata[i])),
                   name) == 0)
      return buttons->pdata[i];

  return NULL;
}

/* The remove buttons remove their own reference and leave the focus in the strip. */
static void
test_bar_remove_buttons (BarFixture    *fixture,
                         gconstpointer  data)
{
  PeelPromptBar *bar = fixture->bar;
  GListModel *references = peel_prompt_bar_get_references (bar);
  g_autoptr(PeelPart) part = make_png_part (8, 8);
  g_autoptr(PeelReference) left = NULL;
  GtkWidget *button;

  g_assert_true (peel_prompt_bar_add_reference (bar, part, "a.png", NULL));
  g_assert_true (peel_prompt_bar_add_reference (bar, part, "b.png", NULL));
  g_assert_true (peel_prompt_bar_add_reference (bar, part, "c.png", NULL));

  button = remove_button (bar, "b.png");
  g_assert_nonnull (button);
  gtk_widget_grab_focus (button);
  click (button);

  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 2);
  left = g_list_model_get_item (references, 1);
  g_assert_cmpstr (peel_reference_get_name (left), ==, "c.png");
  g_assert_null (remove_button (bar, "b.png"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == remove_button (bar, "c.png"));

  click (remove_button (bar, "c.png"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == remove_button (bar, "a.png"));
  click (remove_button (bar, "a.png"));
  g_assert_cmpuint (g_list_model_get_n_items (references), ==, 0);
  button = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "list-add-symbolic");
}

static void
files_chosen_cb (PeelPromptBar *bar,
                 GListModel    *files,
                 gpointer       user_data)
{
  g_autoptr(GFile) file = g_list_model_get_item (files, 0);

  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
  *(char **) user_data = g_file_get_basename (file);
}

/* Files picked in the strip's chooser reach whoever loads them, through the bar. */
static void
test_bar_files_chosen (BarFixture    *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) strips = g_ptr_array_new ();
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/lighthouse.png");
  g_autofree char *chosen = NULL;

  collect_buttons (GTK_WIDGET (fixture->bar), PEEL_TYPE_REFERENCE_STRIP, strips);
  g_assert_cmpuint (strips->len, ==, 1);

  g_signal_connect (fixture->bar, "files-chosen", G_CALLBACK (files_chosen_cb), &chosen);
  g_list_store_append (files, file);
  g_signal_emit_by_name (strips->pdata[0], "files-chosen", files);

  g_assert_cmpstr (chosen, ==, "lighthouse.png");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  peel_register_resource ();

  g_test_add_func ("/Peel/PromptBar/ratio-picker-lists-fourteen", test_ratio_picker_lists_fourteen);
  g_test_add_func ("/Peel/PromptBar/ratio-picker-picks", test_ratio_picker_picks);
  g_test_add_func ("/Peel/PromptBar/ratio-picker-pro", test_ratio_picker_pro);
  g_test_add_func ("/Peel/PromptBar/size-picker", test_size_picker);
  g_test_add ("/Peel/PromptBar/generate-and-cancel", BarFixture, NULL,
              bar_fixture_set_up, test_bar_generate_and_cancel, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/variations", BarFixture, NULL,
              bar_fixture_set_up, test_bar_variations, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/prompt-two-way", BarFixture, NULL,
              bar_fixture_set_up, test_bar_prompt_two_way, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/model-clamps", BarFixture, NULL,
              bar_fixture_set_up, test_bar_model_clamps, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/references", BarFixture, NULL,
              bar_fixture_set_up, test_bar_references, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/remove-buttons", BarFixture, NULL,
              bar_fixture_set_up, test_bar_remove_buttons, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/files-chosen", BarFixture, NULL,
              bar_fixture_set_up, test_bar_files_chosen, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/references-scroll-visibly", BarFixture, NULL,
              bar_fixture_set_up, test_bar_references_scroll_visibly, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/big-thumbnail", BarFixture, NULL,
              bar_fixture_set_up, test_bar_big_thumbnail, bar_fixture_tear_down);
  g_test_add ("/Peel/PromptBar/folds", BarFixture, NULL,
              bar_fixture_set_up, test_bar_folds, bar_fixture_tear_down);

  return g_test_run ();
}
