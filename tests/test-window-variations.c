/* test-window-variations.c
 *
 * The real window against the in-process demo server, with variations: a count of 4 beside
 * Generate and its total price, four siblings in a grid, one picked with the arrow keys and
 * Enter, one starred and the others hidden (never deleted), a blocked sibling that keeps its
 * reason while the others arrive, and Cancel that stops the batch and keeps what came.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-application.h"
#include "peel-demo-server.h"
#include "peel-service.h"
#include "peel-variation-grid.h"
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
  g_settings_reset (settings, "variations-at-once");
  g_settings_set_string (settings, "model", "gemini-3.1-flash-image");
  g_settings_set_string (settings, "aspect-ratio", "1:1");
  g_settings_set_string (settings, "image-size", "512");
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  service = peel_application_get_service (app);
  f->window = peel_window_new (GTK_APPLICATION (app), service);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));

  g_assert_true (peel_service_get_demo (service));
  f->demo = peel_service_get_demo_server (service);
  peel_demo_server_set_latency (f->demo, 0);
  g_assert_nonnull (peel_window_get_session (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  close_window (&f->window);
  g_settings_reset (settings, "variations-at-once");
}

static PeelVariationGrid *
grid_of (Fixture *f)
{
  return PEEL_VARIATION_GRID (peel_window_get_variation_grid (f->window));
}

static GtkWidget *
variations_button (Fixture *f)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  GtkWidget *found = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, bar);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);
      const char *label = GTK_IS_MENU_BUTTON (widget)
                          ? gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) : NULL;

      if (label != NULL && g_str_has_prefix (label, "×"))
        found = widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_nonnull (found);
  return found;
}

/* Each key as GTK runs the grid's own binding for it, with the grid focused. */
static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, 0);

  g_assert_true (gtk_root_get_focus (gtk_widget_get_root (widget)) == widget);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (!gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            continue;
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                       widget,
                                                       gtk_shortcut_get_arguments (shortcut)));
          return;
        }
    }
  g_error ("no binding for %s", gdk_keyval_name (keyval));
}

static gboolean
cells_show_images (gpointer data)
{
  PeelVariationGrid *grid = data;

  for (guint i = 0; i < peel_variation_grid_get_n_cells (grid); i++)
    if (!peel_variation_cell_get_has_texture (peel_variation_grid_get_cell (grid, i)))
      return FALSE;
  return peel_variation_grid_get_n_cells (grid) > 0;
}

static void
generate_variations (Fixture    *f,
                     const char *prompt,
                     guint       count)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "turn.variations", "u", count));
  peel_prompt_bar_set_prompt (bar, prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
}

/* Count 4: the price before sending is the total; Generate makes four siblings in a grid;
 * the arrow keys and Enter open one; S stars it and Hide Others hides the other three. */
static void
test_pick_star_hide (Fixture       *f,
                     gconstpointer  data)
{
  PeelSession *session = peel_window_get_session (f->window);
  PeelPromptBar *bar = peel_window_get_prompt_bar (f->window);
  PeelVariationGrid *grid = grid_of (f);
  GtkWidget *count = variations_button (f);
  g_autoptr(GPtrArray) nodes = NULL;
  PeelNode *picked;
  const char *batch;
  guint starred = 0, hidden = 0;

  g_assert_true (gtk_widget_get_visible (count));
  g_assert_null (peel_prompt_bar_get_price_note (bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "turn.variations", "u", 4));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (count)), ==, "×4");
  /* 512 on Nano Banana 2 is $0.045 an image. */
  g_assert_cmpstr (peel_prompt_bar_get_price_note (bar), ==, "4 × $0.045 = $0.18");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (count), "4 × $0.045 = $0.18"));

  generate_variations (f, "a lighthouse at dusk", 4);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (grid)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->canvas_stack)));
  g_assert_cmpuint (peel_variation_grid_get_n_cells (grid), ==, 4);
  g_assert_true (peel_window_get_busy (f->window));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  g_assert_true (wait_until (cells_show_images, grid, GENERATION_TIMEOUT_MS));
  g_assert_cmpstr (peel_variation_grid_get_summary (grid), ==, "4 of 4 ready");

  /* Four siblings of one turn, all of one batch. */
  nodes = peel_session_dup_nodes (session);
  g_assert_cmpuint (nodes->len, ==, 4);
  batch = peel_node_get_batch (g_ptr_array_index (nodes, 0));
  g_assert_nonnull (batch);
  for (guint i = 0; i < 4; i++)
    {
      PeelNode *node = peel_variation_cell_get_node (peel_variation_grid_get_cell (grid, i));

      g_assert_nonnull (node);
      g_assert_cmpint (peel_node_get_status (node), ==, PEEL_NODE_DONE);
      g_assert_cmpstr (peel_node_get_batch (node), ==, batch);
      g_assert_null (peel_node_get_parent (node));
      g_assert_cmpstr (peel_variation_cell_get_state_text (peel_variation_grid_get_cell (grid,
                                                                                         i)),
                       ==, "ready");
    }

  /* Two by two: Right then Down reaches the fourth; Enter opens it. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (grid));
  g_assert_cmpuint (peel_variation_grid_get_selected (grid), ==, 0);
  press_key (GTK_WIDGET (grid), GDK_KEY_Right);
  press_key (GTK_WIDGET (grid), GDK_KEY_Down);
  g_assert_cmpuint (peel_variation_grid_get_selected (grid), ==, 3);
  press_key (GTK_WIDGET (grid), GDK_KEY_Left);
  g_assert_cmpuint (peel_variation_grid_get_selected (grid), ==, 2);
  picked = peel_variation_cell_get_node (peel_variation_grid_get_cell (grid, 2));
  press_key (GTK_WIDGET (grid), GDK_KEY_Return);
  g_assert_true (peel_session_get_current (session) == picked);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (grid)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->canvas_stack)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->canvas_stack), ==, "canvas");

  /* The grid comes back for a turn of a batch, on the one shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-variations",
                                             NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (grid)));
  g_assert_cmpuint (peel_variation_grid_get_selected (grid), ==, 2);
  gtk_widget_grab_focus (GTK_WIDGET (grid));

  /* Star the keeper, hide the others in one step. */
  press_key (GTK_WIDGET (grid), GDK_KEY_s);
  g_assert_true (peel_node_get_starred (picked));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (grid), "variations.hide-others",
                                             NULL));
  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);

      starred += peel_node_get_starred (node);
      hidden += peel_node_get_hidden (node);
    }
  g_assert_cmpuint (starred, ==, 1);
  g_assert_cmpuint (hidden, ==, 3);
  g_assert_false (peel_node_get_hidden (picked));
  g_assert_cmpstr (peel_variation_grid_get_summary (grid), ==,
                   "4 of 4 ready · 1 starred · 3 hidden");
  g_clear_pointer (&nodes, g_ptr_array_unref);
  nodes = peel_session_dup_nodes (session);
  g_assert_cmpuint (nodes->len, ==, 4);
}

/* A sibling the service blocks stays as a failed cell with its reason; the others arrive. */
static void
test_one_blocked (Fixture       *f,
                  gconstpointer  data)
{
  PeelVariationGrid *grid = grid_of (f);
  g_autoptr(GPtrArray) nodes = NULL;
  PeelNode *blocked = NULL;
  PeelNode *retried;
  guint failed = 0, ready = 0;

  peel_demo_server_push_fault (f->demo, PEEL_DEMO_FAULT_BLOCKED_PROMPT);
  generate_variations (f, "a harbour in the rain", 3);
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));

  g_assert_cmpuint (peel_variation_grid_get_n_cells (grid), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      PeelVariationCell *cell = peel_variation_grid_get_cell (grid, i);
      PeelNode *node = peel_variation_cell_get_node (cell);

      g_assert_nonnull (node);
      if (peel_node_get_status (node) == PEEL_NODE_FAILED)
        {
          failed++;
          blocked = node;
          g_assert_true (g_str_has_prefix (peel_variation_cell_get_state_text (cell),
                                           "failed: "));
          g_assert_cmpstr (peel_variation_cell_get_state_text (cell) + strlen ("failed: "), ==,
                           peel_node_get_error_message (node));
        }
      else
        ready++;
    }
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (ready, ==, 2);
  g_assert_cmpstr (peel_variation_grid_get_summary (grid), ==, "2 of 3 ready · 1 failed");
  /* The prompt stays for the next try only when nothing arrived; here two did. */
  g_assert_cmpstr (peel_prompt_bar_get_prompt (peel_window_get_prompt_bar (f->window)), ==, "");

  /* Nothing runs: Escape closes the grid, back to the image. */
  gtk_widget_grab_focus (GTK_WIDGET (grid));
  press_key (GTK_WIDGET (grid), GDK_KEY_Escape);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (grid)));

  /* The failed sibling's Retry makes the same turn again beside it; nothing is replaced. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-variations",
                                             NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (grid)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (grid), "variations.retry", "s",
                                             peel_node_get_id (blocked)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (grid)));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  retried = peel_session_get_current (peel_window_get_session (f->window));
  g_assert_true (retried != blocked);
  g_assert_cmpint (peel_node_get_status (retried), ==, PEEL_NODE_DONE);
  g_assert_cmpstr (peel_node_get_prompt (retried), ==, "a harbour in the rain");
  g_assert_true (peel_node_get_parent (retried) == peel_node_get_parent (blocked));
  g_assert_cmpint (peel_node_get_status (blocked), ==, PEEL_NODE_FAILED);
  nodes = peel_session_dup_nodes (peel_window_get_session (f->window));
  g_assert_cmpuint (nodes->len, ==, 4);
}

static gboolean
first_started (gpointer data)
{
  PeelVariationGrid *grid = data;

  return peel_variation_cell_get_node (peel_variation_grid_get_cell (grid, 0)) != NULL;
}

/* One at a time and cancelled while the first runs: the batch stops, the first is kept as a
 * cancelled turn, the queued ones say they were never sent, and the window is idle again. */
static void
test_cancel_keeps_what_came (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelVariationGrid *grid = grid_of (f);
  g_autoptr(GPtrArray) nodes = NULL;

  g_settings_set_uint (settings, "variations-at-once", 1);
  peel_demo_server_set_latency (f->demo, 3000);
  generate_variations (f, "a windmill at noon", 3);
  g_assert_true (wait_until (first_started, grid, GENERATION_TIMEOUT_MS));
  g_assert_null (peel_variation_cell_get_node (peel_variation_grid_get_cell (grid, 1)));
  g_assert_cmpstr (peel_variation_cell_get_state_text (peel_variation_grid_get_cell (grid, 1)),
                   ==, "waiting its turn");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", NULL));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  peel_demo_server_set_latency (f->demo, 0);

  nodes = peel_session_dup_nodes (peel_window_get_session (f->window));
  g_assert_cmpuint (nodes->len, ==, 1);
  g_assert_cmpint (peel_node_get_status (g_ptr_array_index (nodes, 0)), !=, PEEL_NODE_PENDING);
  for (guint i = 1; i < 3; i++)
    g_assert_true (g_str_has_prefix (peel_variation_cell_get_state_text (
                                       peel_variation_grid_get_cell (grid, i)), "not sent: "));
  g_assert_false (peel_prompt_bar_get_busy (peel_window_get_prompt_bar (f->window)));
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
  ADD ("/Peel/WindowVariations/pick-star-hide", test_pick_star_hide);
  ADD ("/Peel/WindowVariations/one-blocked", test_one_blocked);
  ADD ("/Peel/WindowVariations/cancel-keeps-what-came", test_cancel_keeps_what_came);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
