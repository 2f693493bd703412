/* test-a11y.c
 *
 * The real window by keyboard and as a screen reader hears it: the elapsed time while the first
 * answer is retried, focus after Generate, Enter in the rename popover, the shortcuts window
 * against the accelerators the actions really have, and the progress card as a status.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-application.h"
#include "peel-demo-server.h"
#include "peel-preferences-window.h"
#include "peel-resources.h"
#include "peel-service.h"
#include "peel-window-private.h"
#include "window-test-util.h"

#define GENERATION_TIMEOUT_MS 60000

static PeelApplication *app;

typedef struct
{
  PeelWindow     *window;
  PeelDemoServer *demo;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelService *service;

  g_settings_reset (settings, "last-session");
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  f->window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  service = peel_application_get_service (app);
  g_assert_true (peel_service_get_ready (service));
  f->demo = peel_service_get_demo_server (service);
  g_assert_nonnull (f->demo);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_window (&f->window);
}

/* The seconds shown in "Generating… N s". */
static int
shown_seconds (PeelWindow *window)
{
  const char *text = gtk_label_get_text (window->progress_label);
  const char *p = text;

  while (*p != '\0' && !g_ascii_isdigit (*p))
    p++;
  g_assert_true (g_ascii_isdigit (*p));
  return (int) g_ascii_strtoll (p, NULL, 10);
}

/* A first answer of 429 or 503 makes the client wait before it tries again; the counter shows
 * the seconds since Generate all along, from its first frame, not the time since boot. */
static void
test_elapsed_in_retry_wait (Fixture       *f,
                            gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelDemoFault faults[] = { PEEL_DEMO_FAULT_RATE_LIMIT, PEEL_DEMO_FAULT_UNAVAILABLE };

  peel_turn_settings_set_image_size (peel_prompt_bar_get_settings (bar), PEEL_IMAGE_SIZE_512);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      gint64 started;

      peel_demo_server_push_fault (f->demo, faults[i]);
      peel_prompt_bar_set_prompt (bar, "a lighthouse, asked twice");
      started = g_get_monotonic_time ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
      g_assert_true (peel_window_get_busy (f->window));
      g_assert_cmpint (shown_seconds (f->window), <=, 1);

      /* The counter never runs ahead of the time that really passed (on a loaded machine a
       * 1.1 s wait can take several): it once showed 6731 s one second in. */
      spin_for (1100);
      if (peel_window_get_busy (f->window))
        g_assert_cmpint (shown_seconds (f->window), <=,
                         (g_get_monotonic_time () - started) / G_USEC_PER_SEC + 1);
      g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
    }
}

/* What each line of the shortcuts window does: a window or application action, or (for
 * callbacks and signals, which have no action name) the widget or signal that takes the key. */
static const struct
{
  const char *title;
  const char *action;
} listed[] = {
  { "Generate", "win.generate" },
  { "Cancel", "callback:PeelPromptBar" },
  { "Go to the Prompt", "win.focus-prompt" },
  { "Insert Emoji", "misc.insert-emoji" },
  { "Paste Image as Reference", "win.paste-image" },
  { "Add Reference Images", "win.add-reference" },
  { "Aspect Ratio", "win.pick-ratio" },
  { "Image Size", "win.pick-size" },
  { "Options", "win.show-options" },
  { "Undo", "win.undo" },
  { "Redo", "win.redo" },
  { "Show History", "win.toggle-history" },
  { "Search History", "win.search-history" },
  { "Show Board", "win.show-board" },
  { "Board: Zoom In, Zoom Out, Show All", "board.zoom" },
  { "Board: Move Between Cards", "board.move" },
  { "Board: Select a Card, Open It", "board.card" },
  { "Show Variations", "win.show-variations" },
  { "Variations: Move Between Images", "callback:PeelVariationGrid" },
  { "Variations: Open the Picked One", "variations.open" },
  { "Variations: Star the Picked One", "callback:PeelVariationGrid" },
  { "Show Details", "win.toggle-details" },
  { "Zoom In", "win.zoom-in" },
  { "Zoom Out", "win.zoom-out" },
  { "Fit to Window", "win.zoom-fit" },
  { "Actual Size", "win.zoom-100" },
  { "Move Around the Image", "canvas.pan" },
  { "Compare", "win.show-compare" },
  { "Move the Compare Divider", "divider.move" },
  { "Copy Image", "win.copy-image" },
  { "Export as PNG", "win.export-png" },
  { "Export Branch", "win.export-branch" },
  { "New Session", "win.new-session" },
  { "Sessions", "win.show-sessions" },
  { "Rename Session", "win.rename-session-popup" },
  { "Pan", "win.canvas-tool" },
  { "Select a Rectangle", "win.canvas-tool" },
  { "Select an Ellipse", "win.canvas-tool" },
  { "Select Freehand", "win.canvas-tool" },
  { "Paint the Selection", "win.canvas-tool" },
  { "Draw Marks", "win.canvas-tool" },
  { "Smaller Brush", "win.brush-smaller" },
  { "Larger Brush", "win.brush-larger" },
  { "Invert the Selection", "win.invert-selection" },
  { "Clear the Selection", "win.clear-selection" },
  { "Undo a Mark (Marks Tool, on the Canvas)", "callback:PeelCanvas" },
  { "Delete the Picked Mark", "callback:PeelCanvas" },
  { "Main Menu", "callback:PeelWindow" },
  { "Preferences", "app.preferences" },
  { "Show Shortcuts", "win.show-help-overlay" },
  { "Quit", "app.quit" },
};

typedef struct
{
  char           *action;
  guint           keyval;
  GdkModifierType mods;
} Binding;

static void
binding_free (Binding *binding)
{
  g_free (binding->action);
  g_free (binding);
}

static void
add_binding (GPtrArray  *bindings,
             const char *action,
             guint       keyval,
             GdkModifierType mods)
{
  Binding *binding = g_new0 (Binding, 1);

  binding->action = g_strdup (action);
  binding->keyval = gdk_keyval_to_lower (keyval);
  binding->mods = mods;
  /* <Control><Shift>Z and <Control><Shift>z are the same keys pressed. */
  if (keyval != binding->keyval)
    binding->mods |= GDK_SHIFT_MASK;
  g_ptr_array_add (bindings, binding);
}

static void
add_trigger (GPtrArray         *bindings,
             const char        *action,
             GtkShortcutTrigger *trigger)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    add_binding (bindings, action, gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                 gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger (bindings, action,
                   gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)));
      add_trigger (bindings, action,
                   gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)));
    }
}

/* Every key the window and the widgets in it (including its internal children, such as the
 * text view's emoji key) answer, with what it does. */
static void
collect_widget_bindings (GtkWidget *widget,
                         GPtrArray *bindings)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *name = NULL;

          if (GTK_IS_NAMED_ACTION (action))
            name = g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
          else if (GTK_IS_SIGNAL_ACTION (action))
            name = g_strconcat ("signal:",
                                gtk_signal_action_get_signal_name (GTK_SIGNAL_ACTION (action)),
                                NULL);
          else if (GTK_IS_CALLBACK_ACTION (action))
            name = g_strconcat ("callback:", G_OBJECT_TYPE_NAME (widget), NULL);
          else if (GTK_IS_ACTIVATE_ACTION (action))
            name = g_strdup ("signal:activate");
          else
            continue;
          add_trigger (bindings, name, gtk_shortcut_get_trigger (shortcut));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget_bindings (child, bindings);
}

static GPtrArray *
collect_bindings (PeelWindow *window)
{
  GPtrArray *bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                     actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &mods));
          add_binding (bindings, actions[i], keyval, mods);
        }
    }
  collect_widget_bindings (GTK_WIDGET (window), bindings);
  return bindings;
}

static gboolean
has_binding (GPtrArray       *bindings,
             const char      *action,
             guint            keyval,
             GdkModifierType  mods)
{
  guint lower = gdk_keyval_to_lower (keyval);

  if (lower != keyval)
    mods |= GDK_SHIFT_MASK;
  for (guint i = 0; i < bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (bindings, i);

      if (g_str_equal (binding->action, action) && binding->keyval == lower &&
          binding->mods == mods)
        return TRUE;
    }
  return FALSE;
}

static const char *
listed_action (const char *title)
{
  for (guint i = 0; i < G_N_ELEMENTS (listed); i++)
    if (g_str_equal (listed[i].title, title))
      return listed[i].action;
  return NULL;
}

static void
collect_shortcuts (GtkWidget  *widget,
                   GHashTable *shortcuts)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accelerator, NULL);
      g_hash_table_insert (shortcuts, g_steal_pointer (&title), g_steal_pointer (&accelerator));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, shortcuts);
}

/* Each line of the shortcuts window is a key that really does what the line says, and each
 * action that has a key anywhere in the window is in the shortcuts window. */
static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/peelapp/Peel/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GHashTable) shortcuts = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                           g_free, g_free);
  g_autoptr(GPtrArray) bindings = NULL;
  GHashTableIter iter;
  gpointer key, value;

  /* The canvas answers arrows, and the divider exists, in split compare mode. */
  peel_canvas_set_compare_mode (peel_window_get_canvas (f->window), PEEL_CANVAS_COMPARE_SPLIT);
  bindings = collect_bindings (f->window);
  collect_shortcuts (overlay, shortcuts);
  g_assert_cmpuint (g_hash_table_size (shortcuts), ==, G_N_ELEMENTS (listed));

  g_hash_table_iter_init (&iter, shortcuts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *action = listed_action (key);
      g_auto(GStrv) accels = g_strsplit (value, " ", -1);

      if (action == NULL)
        g_error ("the shortcuts window lists “%s”, which this test does not know", (char *) key);
      for (guint i = 0; accels[i] != NULL; i++)
        {
          guint keyval;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accels[i], &keyval, &mods));
          if (!has_binding (bindings, action, keyval, mods))
            g_error ("the shortcuts window says %s is %s, but that key is not bound to %s",
                     (char *) key, accels[i], action);
        }
    }

  /* The other way round: whatever the window's own actions answer is listed. */
  for (guint i = 0; i < bindings->len; i++)
    {
      Binding *binding = g_ptr_array_index (bindings, i);
      gboolean found = FALSE;

      if (!g_str_has_prefix (binding->action, "win.") && !g_str_has_prefix (binding->action, "app."))
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (listed) && !found; j++)
        found = g_str_equal (listed[j].action, binding->action);
      if (!found)
        g_error ("%s has a shortcut (%s) that the shortcuts window does not list",
                 binding->action, gtk_accelerator_name (binding->keyval, binding->mods));
    }

  /* As in every GNOME app. */
  g_assert_true (has_binding (bindings, "win.new-session", GDK_KEY_n, GDK_CONTROL_MASK));
  g_assert_true (has_binding (bindings, "app.preferences", GDK_KEY_comma, GDK_CONTROL_MASK));
  g_assert_cmpstr (g_hash_table_lookup (shortcuts, "Preferences"), ==, "<Control>comma");

  gtk_window_destroy (GTK_WINDOW (overlay));
}

static gboolean
popover_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

/* Enter in the rename popover renames, as the Rename button does. */
static void
test_rename_enter (Fixture       *f,
                   gconstpointer  data)
{
  PeelSession *session = peel_window_get_session (f->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.rename-session-popup",
                                             NULL));
  spin_for (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->rename_popover)));
  gtk_editable_set_text (GTK_EDITABLE (f->window->rename_entry), "Lighthouse study");
  g_signal_emit_by_name (f->window->rename_entry, "activate");
  g_assert_true (wait_until (popover_hidden, f->window->rename_popover, 5000));
  g_assert_cmpstr (peel_session_get_name (session), ==, "Lighthouse study");
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
find_row_by_title (GtkWidget  *widget,
                   const char *title,
                   GtkWidget **row)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    {
      *row = widget;
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_row_by_title (child, title, row))
      return TRUE;
  return FALSE;
}

/* Enter in Preferences' Base URL row applies the address, as its apply button does. */
static void
test_base_url_enter (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *base_url = NULL;
  PeelPreferencesWindow *prefs;
  GtkWidget *row = NULL;
  GtkWidget *text;

  g_settings_set_string (settings, "provider", "custom");
  g_settings_set_string (settings, "custom-base-url", "");
  prefs = peel_preferences_window_new (settings, FALSE);
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  spin_for (200);

  g_assert_true (find_row_by_title (GTK_WIDGET (prefs), "Base URL", &row));
  text = find_descendant (row, GTK_TYPE_TEXT);
  g_assert_nonnull (text);
  gtk_widget_grab_focus (text);
  gtk_editable_set_text (GTK_EDITABLE (row), "https://gemini.example.com/v1beta");
  g_signal_emit_by_name (text, "activate");
  spin_for (100);
  base_url = g_settings_get_string (settings, "custom-base-url");
  g_assert_cmpstr (base_url, ==, "https://gemini.example.com/v1beta");

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (wait_until (is_null, &prefs, 5000));
  g_settings_reset (settings, "provider");
  g_settings_reset (settings, "custom-base-url");
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
window_busy (gpointer data)
{
  return peel_window_get_busy (PEEL_WINDOW (data));
}

static gboolean
prompt_has_focus (gpointer data)
{
  PeelWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *text_view = GTK_WIDGET (peel_prompt_bar_get_text_view (window->prompt_bar));

  return focus == text_view;
}

/* Tab to Generate and press it: the prompt has the focus afterwards, for the next turn, while
 * the button it was on turns into Cancel and when the image has come. */
static void
test_focus_after_generate (Fixture       *f,
                           gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  GtkWidget *generate = find_button (GTK_WIDGET (bar), "bar.generate");

  g_assert_nonnull (generate);
  peel_turn_settings_set_image_size (peel_prompt_bar_get_settings (bar), PEEL_IMAGE_SIZE_512);
  peel_prompt_bar_set_prompt (bar, "a lighthouse, by keyboard");
  spin_for (100);
  g_assert_true (gtk_widget_grab_focus (generate));
  /* As Enter or Space on it: the button shows itself pressed, then is clicked. */
  g_assert_true (gtk_widget_activate (generate));
  g_assert_true (wait_until (window_busy, f->window, 2000));
  spin_for (100);
  g_assert_true (prompt_has_focus (f->window));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  spin_for (100);
  g_assert_true (prompt_has_focus (f->window));
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

/* Split on the first turn has nothing to compare with: a toast says how to pick a second
 * image, rather than nothing happening. */
static void
test_compare_first_turn (Fixture       *f,
                         gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelCanvas *canvas = peel_window_get_canvas (f->window);

  peel_turn_settings_set_image_size (peel_prompt_bar_get_settings (bar), PEEL_IMAGE_SIZE_512);
  peel_prompt_bar_set_prompt (bar, "a lighthouse, alone");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.compare-mode", "s",
                                             "split"));
  spin_for (200);
  if (!find_label (GTK_WIDGET (f->window->toast_overlay), "no earlier image"))
    g_error ("Split on the first turn changed nothing and said nothing");

  /* The image is described by what it is, not its prompt alone. */
  g_assert_true (g_str_has_prefix (peel_canvas_get_description (canvas), "a lighthouse, alone, "));
  g_assert_nonnull (strstr (peel_canvas_get_description (canvas), "×"));
  g_assert_nonnull (strstr (peel_canvas_get_description (canvas), "demo"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  window_test_init (&argc, &argv);
  g_unsetenv ("GEMINI_API_KEY");

  app = peel_application_new_for_test (TRUE);
  peel_application_set_demo_start (app, peel_demo_server_new_started);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/Peel/A11y/elapsed-in-retry-wait", test_elapsed_in_retry_wait);
  ADD ("/Peel/A11y/shortcuts-window", test_shortcuts_window);
  ADD ("/Peel/A11y/rename-enter", test_rename_enter);
  ADD ("/Peel/A11y/base-url-enter", test_base_url_enter);
  ADD ("/Peel/A11y/focus-after-generate", test_focus_after_generate);
  ADD ("/Peel/A11y/compare-first-turn", test_compare_first_turn);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
