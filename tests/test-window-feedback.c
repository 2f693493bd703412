/* test-window-feedback.c
 *
 * The real window against the in-process demo server, on what it tells the user and where
 * input goes: an image pasted with the prompt focused, a reply that stalls, toasts that are
 * withdrawn when what they report is over.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "peel-application.h"
#include "peel-demo-server.h"
#include "peel-service.h"
#include "peel-window-private.h"
#include "window-test-util.h"

static PeelApplication *app;

typedef struct
{
  PeelWindow     *window;
  PeelDemoServer *demo;
} Fixture;

#define GENERATION_TIMEOUT_MS 60000

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelService *service;

  g_settings_reset (settings, "last-session");
  g_settings_reset (settings, "aspect-ratio");
  g_settings_reset (settings, "image-size");
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

static GtkShortcut *
find_shortcut (GtkWidget       *widget,
               guint            keyval,
               GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return shortcut;
        }
    }
  return NULL;
}

/* What the key does in @widget when it has the focus: its own binding, as GTK runs it. */
static void
press_key (GtkWidget       *widget,
           guint            keyval,
           GdkModifierType  modifiers)
{
  GtkShortcut *shortcut = find_shortcut (widget, keyval, modifiers);

  g_assert_nonnull (shortcut);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                               gtk_shortcut_get_arguments (shortcut)));
}

static GtkWidget *
find_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *text = find_text (child);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* Ctrl+V as the window sees it on the way down to the focus, before any entry does. */
static gboolean
press_ctrl_v_captured (GtkWidget *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (strstr (trigger, "<Control>v") != NULL)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, window,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* Whether keys typed into @widget's window go to @widget: the window's focus widget. Not
 * gtk_widget_has_focus(), which also needs the window to be the active one: GTK 4.18 activates
 * it only once the X server's FocusIn has come back through the main loop, and any other test
 * showing a window on the same Xvfb takes the focus away. */
static gboolean
is_window_focus (GtkWidget *widget)
{
  return gtk_root_get_focus (gtk_widget_get_root (widget)) == widget;
}

static GdkTexture *
make_texture (int width,
              int height)
{
  gsize stride = (gsize) width * 4;
  guint8 *data = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < stride * height; i++)
    data[i] = (i % 4 == 3) ? 255 : (guint8) (i * 7);
  bytes = g_bytes_new_take (data, stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

typedef struct
{
  PeelPromptBar *bar;
  guint          n;
} ReferenceWait;

static gboolean
has_references (gpointer data)
{
  ReferenceWait *w = data;

  return g_list_model_get_n_items (peel_prompt_bar_get_references (w->bar)) >= w->n;
}

static gboolean
prompt_ends_with_boat (gpointer data)
{
  return g_str_has_suffix (peel_prompt_bar_get_prompt (data), "and a boat");
}

/* Ctrl+V with the cursor in the prompt: an image becomes a reference, text stays text, and
 * PNG bytes offered as text are an image, not "\x89PNG" in the prompt. */
static void
test_paste_in_prompt (Fixture       *f,
                      gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  GtkWidget *text_view = GTK_WIDGET (peel_prompt_bar_get_text_view (bar));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  g_autoptr(GdkTexture) texture = make_texture (256, 192);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autoptr(GdkContentProvider) png_as_text = NULL;
  ReferenceWait w = { bar, 1 };

  peel_prompt_bar_set_prompt (bar, "a lighthouse");
  peel_prompt_bar_focus_prompt (bar);
  g_assert_true (is_window_focus (text_view));

  gdk_clipboard_set_texture (clipboard, texture);
  press_key (text_view, GDK_KEY_v, GDK_CONTROL_MASK);
  g_assert_true (wait_until (has_references, &w, 10000));
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "a lighthouse");

  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_place_cursor (buffer, &end);
  }
  gdk_clipboard_set_text (clipboard, " and a boat");
  press_key (text_view, GDK_KEY_v, GDK_CONTROL_MASK);
  g_assert_true (wait_until (prompt_ends_with_boat, bar, 10000));
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "a lighthouse and a boat");
  g_assert_cmpuint (g_list_model_get_n_items (peel_prompt_bar_get_references (bar)), ==, 1);

  png_as_text = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", png);
  g_assert_true (gdk_clipboard_set_content (clipboard, png_as_text));
  press_key (text_view, GDK_KEY_v, GDK_CONTROL_MASK);
  w.n = 2;
  g_assert_true (wait_until (has_references, &w, 10000));
  spin_for (100);
  g_assert_cmpstr (peel_prompt_bar_get_prompt (bar), ==, "a lighthouse and a boat");

  /* With the history's search entry focused, an image still becomes a reference... */
  {
    GtkWidget *search = find_text (f->window->history_view);

    g_assert_nonnull (search);
    gtk_widget_grab_focus (search);
    g_assert_true (is_window_focus (search));
    gdk_clipboard_set_texture (clipboard, texture);
    g_assert_true (press_ctrl_v_captured (GTK_WIDGET (f->window)));
    w.n = 3;
    g_assert_true (wait_until (has_references, &w, 10000));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");

    /* ...while text goes to the entry as usual. */
    gdk_clipboard_set_text (clipboard, "boat");
    g_assert_false (press_ctrl_v_captured (GTK_WIDGET (f->window)));
  }
}

static void
collect_toasts (GtkWidget *widget,
                GPtrArray *toasts)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), "toast") == 0 &&
      gtk_widget_get_visible (widget))
    g_ptr_array_add (toasts, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_toasts (child, toasts);
}

/* The toasts on screen, as the user sees them: the widgets, not what the code remembers. */
static GPtrArray *
toasts_shown (PeelWindow *window)
{
  GPtrArray *toasts = g_ptr_array_new ();

  collect_toasts (GTK_WIDGET (window), toasts);
  return toasts;
}

static gboolean
has_toast (gpointer data)
{
  g_autoptr(GPtrArray) toasts = toasts_shown (data);

  return toasts->len > 0;
}

static gboolean
has_no_toast (gpointer data)
{
  return !has_toast (data);
}

static GtkLabel *
find_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label (child);

      if (label != NULL)
        return label;
    }
  return NULL;
}

static GtkButton *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return GTK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *button = find_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

static PeelNode *
generate_failing (Fixture    *f,
                  const char *prompt)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelTurnSettings *turn = peel_prompt_bar_get_settings (bar);
  PeelNode *node;

  peel_turn_settings_set_aspect_ratio (turn, "1:1");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_512);
  peel_demo_server_push_fault (f->demo, PEEL_DEMO_FAULT_BLOCKED_PROMPT);
  peel_prompt_bar_set_prompt (bar, prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  node = peel_session_get_current (peel_window_get_session (f->window));
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_FAILED);
  return node;
}

/* A condition: one toast is shown, and it is not over the prompt bar. */
static gboolean
toast_clear_of_bar (gpointer data)
{
  PeelWindow *window = data;
  g_autoptr(GPtrArray) toasts = toasts_shown (window);
  graphene_rect_t toast_bounds, bar_bounds;

  return toasts->len == 1 &&
         gtk_widget_compute_bounds (g_ptr_array_index (toasts, 0), GTK_WIDGET (window),
                                    &toast_bounds) &&
         gtk_widget_compute_bounds (GTK_WIDGET (peel_window_get_prompt_bar (window)),
                                    GTK_WIDGET (window), &bar_bounds) &&
         !graphene_rect_intersection (&toast_bounds, &bar_bounds, NULL);
}

/* An error toast is over once Try Again has worked, and belongs to its session; toasts sit
 * above the prompt bar, never over Generate. */
static void
test_toasts_withdrawn (Fixture       *f,
                       gconstpointer  data)
{
  PeelSession *first = peel_window_get_session (f->window);
  g_autoptr(GPtrArray) toasts = NULL;
  graphene_rect_t toast_bounds, bar_bounds;

  generate_failing (f, "a lighthouse that the demo server refuses");
  g_assert_true (wait_until (has_toast, f->window, 5000));
  /* Where it comes to rest: it slides in from below, over the bar, for as long as its
   * animation takes (more than half a second under the sanitizers' whole-stack run). */
  g_assert_true (wait_until (toast_clear_of_bar, f->window, 5000));

  toasts = toasts_shown (f->window);
  g_assert_cmpuint (toasts->len, ==, 1);
  g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (toasts, 0),
                                            GTK_WIDGET (f->window), &toast_bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (peel_window_get_prompt_bar (f->window)),
                                            GTK_WIDGET (f->window), &bar_bounds));
  g_assert_cmpfloat (toast_bounds.size.height, >, 0);
  g_assert_false (graphene_rect_intersection (&toast_bounds, &bar_bounds, NULL));

  /* Try Again (the failed page's button) succeeds: the error is over. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.retry-current", NULL));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  g_assert_cmpint (peel_node_get_status (peel_session_get_current (first)), ==, PEEL_NODE_DONE);
  g_assert_true (wait_until (has_no_toast, f->window, 5000));

  /* An error in one session is not shown in the next. */
  generate_failing (f, "another refused lighthouse");
  g_assert_true (wait_until (has_toast, f->window, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-session", NULL));
  g_assert_true (peel_window_get_session (f->window) != first);
  g_assert_true (wait_until (has_no_toast, f->window, 5000));
}

static gboolean
stall_shown (gpointer data)
{
  return gtk_widget_get_visible (PEEL_WINDOW (data)->stall_box);
}

static gboolean
request_count_above (gpointer data)
{
  Fixture *f = data;

  return peel_demo_server_get_request_count (f->demo) > GPOINTER_TO_UINT (
    g_object_get_data (G_OBJECT (f->window), "test-requests"));
}

/* A reply that stalls after a failed turn: the window shows the waiting turn, not the failed
 * one's page; after a while says nothing is arriving, and Retry starts the turn again. */
static void
test_stalled_reply (Fixture       *f,
                    gconstpointer  data)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelSession *session = peel_window_get_session (f->window);
  const char *prompt = "a lighthouse on a slow line";
  PeelNode *stalled, *node;

  generate_failing (f, "a lighthouse that the demo server refuses");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->canvas_stack), ==, "failed");

  f->window->stall_seconds = 2;
  g_object_set_data (G_OBJECT (f->window), "test-requests",
                     GUINT_TO_POINTER (peel_demo_server_get_request_count (f->demo)));
  peel_demo_server_push_fault (f->demo, PEEL_DEMO_FAULT_STALL);
  peel_prompt_bar_set_prompt (bar, prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (wait_until (request_count_above, f, 10000));

  stalled = peel_session_get_current (session);
  g_assert_cmpint (peel_node_get_status (stalled), ==, PEEL_NODE_PENDING);
  g_assert_cmpstr (peel_node_get_prompt (stalled), ==, prompt);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->canvas_stack), ==, "canvas");
  g_assert_false (gtk_widget_get_visible (f->window->stall_box));

  g_assert_true (wait_until (stall_shown, f->window, 10000));
  g_assert_true (peel_window_get_busy (f->window));
  g_assert_nonnull (strstr (gtk_label_get_label (f->window->stall_label), "Nothing has arrived"));
  g_assert_true (gtk_widget_get_child_visible (f->window->stall_retry_button) ||
                 gtk_widget_get_visible (f->window->stall_retry_button));

  /* Retry: the stalled attempt is cancelled and kept, the same turn goes out again. */
  g_signal_emit_by_name (f->window->stall_retry_button, "clicked");
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  node = peel_session_get_current (session);
  g_assert_true (node != stalled);
  g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_DONE);
  g_assert_cmpstr (peel_node_get_prompt (node), ==, prompt);
  g_assert_cmpint (peel_node_get_status (stalled), ==, PEEL_NODE_FAILED);
  g_assert_false (gtk_widget_get_visible (f->window->stall_box));
}

static GtkWindow *
find_dialog (PeelWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog (data) != NULL;
}

/* A long message is never cut off: the toast says its first sentence, Details the rest. */
static void
test_toast_long_message (Fixture       *f,
                         gconstpointer  data)
{
  const char *message = "“huge.png” cannot be opened. The image says it is 20000 × 20000 "
                        "pixels, more than Peel opens safely (at most 16384 pixels a side and "
                        "200 million pixels in all).";
  g_autoptr(GPtrArray) toasts = NULL;
  GtkLabel *title;
  GtkButton *details;
  GtkWindow *dialog;

  peel_window_toast (f->window, message);
  g_assert_true (wait_until (has_toast, f->window, 5000));
  spin_for (300);
  toasts = toasts_shown (f->window);
  title = find_label (g_ptr_array_index (toasts, 0));
  g_assert_nonnull (title);
  g_assert_cmpstr (gtk_label_get_label (title), ==, "“huge.png” cannot be opened.");
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (title)));

  details = find_button (g_ptr_array_index (toasts, 0));
  g_assert_nonnull (details);
  g_assert_cmpstr (gtk_button_get_label (details), ==, "_Details");
  g_signal_emit_by_name (details, "clicked");
  g_assert_true (wait_until (has_dialog, f->window, 5000));
  dialog = find_dialog (f->window);
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==, message);
  gtk_window_destroy (dialog);
}

/* A file name is shown as it is, not read as markup (where "&" would blank the toast). */
static void
test_toast_plain_text (Fixture       *f,
                       gconstpointer  data)
{
  const char *message = "“Tom & Jerry <1>.png” is not an image.";
  g_autoptr(GPtrArray) toasts = NULL;
  GtkLabel *title;

  peel_window_toast (f->window, message);
  g_assert_true (wait_until (has_toast, f->window, 5000));
  spin_for (300);
  toasts = toasts_shown (f->window);
  title = find_label (g_ptr_array_index (toasts, 0));
  g_assert_nonnull (title);
  g_assert_cmpstr (gtk_label_get_text (title), ==, message);
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
  ADD ("/Peel/Window/paste-in-prompt", test_paste_in_prompt);
  ADD ("/Peel/Window/toasts-withdrawn", test_toasts_withdrawn);
  ADD ("/Peel/Window/toast-long-message", test_toast_long_message);
  ADD ("/Peel/Window/stalled-reply", test_stalled_reply);
  ADD ("/Peel/Window/toast-plain-text", test_toast_plain_text);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
