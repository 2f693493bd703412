/* test-window-render.c
 *
 * Render Larger in the real window against the in-process demo server, under Xvfb: a 512
 * draft rendered at 4K from `win.render-larger` (what the history row's menu and the details
 * panel's Render Larger button activate) becomes its sibling at 4K, and compare opens with the
 * final beside its draft; the menu shows each size's price before sending; the details say
 * which is the draft of which; a size not larger is refused with a message and sends nothing.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-application.h"
#include "peel-canvas-private.h"
#include "peel-demo-server.h"
#include "peel-history-row.h"
#include "peel-render-menu.h"
#include "peel-service.h"
#include "peel-turn-settings.h"
#include "peel-window-private.h"
#include "window-test-util.h"

#define GENERATION_TIMEOUT_MS 90000

static PeelApplication *app;

typedef struct
{
  PeelWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelTurnSettings *turn;

  g_settings_reset (settings, "last-session");
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  f->window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  turn = peel_prompt_bar_get_settings (f->window->prompt_bar);
  peel_turn_settings_set_aspect_ratio (turn, "16:9");
  peel_turn_settings_set_image_size (turn, PEEL_IMAGE_SIZE_512);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_window (&f->window);
}

typedef struct
{
  PeelCanvas *canvas;
  PeelNode   *node;
  PeelNode   *other;
} Shown;

static gboolean
canvas_shows_node (gpointer data)
{
  Shown *shown = data;
  GdkTexture *texture = peel_canvas_get_texture (shown->canvas);

  return texture != NULL && !peel_canvas_get_dimmed (shown->canvas) &&
         gdk_texture_get_width (texture) == peel_node_get_final_width (shown->node) &&
         gdk_texture_get_height (texture) == peel_node_get_final_height (shown->node);
}

static gboolean
canvas_compares (gpointer data)
{
  Shown *shown = data;
  GdkTexture *texture = peel_canvas_get_compare_texture (shown->canvas);

  return canvas_shows_node (data) &&
         peel_canvas_get_compare_mode (shown->canvas) != PEEL_CANVAS_COMPARE_NONE &&
         texture != NULL &&
         gdk_texture_get_width (texture) == peel_node_get_final_width (shown->other) &&
         gdk_texture_get_height (texture) == peel_node_get_final_height (shown->other);
}

static PeelNode *
generate (Fixture    *f,
          const char *prompt)
{
  PeelSession *session = peel_window_get_session (f->window);
  Shown shown = { f->window->canvas, NULL, NULL };

  g_assert_true (wait_until ((Condition) peel_service_get_client,
                             peel_application_get_service (app), 10000));
  peel_prompt_bar_set_prompt (f->window->prompt_bar, prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
  shown.node = peel_session_get_current (session);
  g_assert_cmpint (peel_node_get_status (shown.node), ==, PEEL_NODE_DONE);
  g_assert_true (wait_until (canvas_shows_node, &shown, 20000));
  return shown.node;
}

static gboolean
has_toast (PeelWindow *window,
           const char *words)
{
  for (guint i = 0; window->toasts != NULL && i < window->toasts->len; i++)
    if (strstr (adw_toast_get_title (g_ptr_array_index (window->toasts, i)), words) != NULL)
      return TRUE;
  return FALSE;
}

/* The label of the details panel that starts with @prefix, as a user reads it. */
static const char *
find_label (GtkWidget  *widget,
            const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return gtk_label_get_label (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = find_label (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static PeelHistoryRow *
find_row (GtkWidget *widget,
          PeelNode  *node)
{
  if (PEEL_IS_HISTORY_ROW (widget) &&
      peel_history_row_get_node (PEEL_HISTORY_ROW (widget)) == node)
    return PEEL_HISTORY_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PeelHistoryRow *found = find_row (child, node);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_popover_menu (GtkWidget *widget)
{
  if (GTK_IS_POPOVER_MENU (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_popover_menu (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What a user picks: the history row's menu, Render Larger, the item whose label starts with
 * @size; its action is activated as the menu would. */
static void
pick_from_row_menu (Fixture    *f,
                    PeelNode   *node,
                    const char *size)
{
  PeelHistoryRow *row = find_row (f->window->history_view, node);
  GMenuModel *model, *render = NULL;
  GtkWidget *popover;

  g_assert_nonnull (row);
  peel_history_row_open_menu (row, -1, -1);
  popover = find_popover_menu (GTK_WIDGET (row));
  g_assert_nonnull (popover);
  model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  for (int s = 0; render == NULL && s < g_menu_model_get_n_items (model); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *label = NULL;

          if (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) &&
              g_str_equal (label, "Render _Larger"))
            render = g_menu_model_get_item_link (section, i, G_MENU_LINK_SUBMENU);
        }
    }
  g_assert_nonnull (render);
  for (int i = 0; i < g_menu_model_get_n_items (render); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_menu_model_get_item_attribute (render, i, G_MENU_ATTRIBUTE_LABEL, "s",
                                                      &label));
      if (!g_str_has_prefix (label, size))
        continue;
      g_assert_true (g_menu_model_get_item_attribute (render, i, G_MENU_ATTRIBUTE_ACTION, "s",
                                                      &action));
      target = g_menu_model_get_item_attribute_value (render, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      gtk_popover_popdown (GTK_POPOVER (popover));
      g_object_unref (render);
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->window), action,
                                                         target));
      return;
    }
  g_error ("no %s in the Render Larger menu", size);
}

static void
test_render_4k (Fixture       *f,
                gconstpointer  data)
{
  PeelSession *session = peel_window_get_session (f->window);
  g_autoptr(GMenuModel) menu = NULL;
  g_autofree char *label = NULL;
  PeelNode *root, *draft, *final;
  Shown shown = { f->window->canvas, NULL, NULL };
  guint n_nodes;
  const char *text;

  root = generate (f, "a lighthouse at dusk");
  draft = generate (f, "add a red boat");
  g_assert_true (peel_node_get_parent (draft) == root);
  g_assert_cmpint (peel_node_get_size (draft), ==, PEEL_IMAGE_SIZE_512);

  /* The menu offers the larger sizes with their price before anything is sent. */
  menu = peel_render_menu_new (draft);
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 3);
  g_assert_true (g_menu_model_get_item_attribute (menu, 2, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "4K · 5504 × 3072 · $0.151");

  /* A size that is not larger: refused with a message, nothing sent. */
  n_nodes = peel_session_get_n_nodes (session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.render-larger",
                                             "(ss)", peel_node_get_id (draft), "512"));
  g_assert_false (peel_window_get_busy (f->window));
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, n_nodes);
  g_assert_true (has_toast (f->window, "not larger"));

  pick_from_row_menu (f, draft, "4K");
  g_assert_true (peel_window_get_busy (f->window));
  g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));

  final = peel_session_get_current (session);
  g_assert_true (final != draft);
  g_assert_cmpint (peel_node_get_status (final), ==, PEEL_NODE_DONE);
  g_assert_true (peel_node_get_parent (final) == root);
  g_assert_cmpstr (peel_node_get_draft_of (final), ==, peel_node_get_id (draft));
  g_assert_cmpstr (peel_node_get_prompt (final), ==, "add a red boat");
  g_assert_cmpstr (peel_node_get_aspect_ratio (final), ==, "16:9");
  g_assert_cmpint (peel_node_get_size (final), ==, PEEL_IMAGE_SIZE_4K);
  g_assert_cmpint (peel_node_get_final_width (final), ==, 5504);
  g_assert_cmpint (peel_node_get_final_height (final), ==, 3072);

  /* Compare opened on the pair: the final shown, its draft beside it. */
  shown.node = final;
  shown.other = draft;
  g_assert_true (wait_until (canvas_compares, &shown, 20000));
  g_assert_true (f->window->compare_node == draft);
  spin_for (300);
  g_assert_cmpstr (f->window->canvas->label_a, ==, "Final · 4K");
  g_assert_cmpstr (f->window->canvas->label_b, ==, "Draft · 512");

  /* The details link the two. */
  text = find_label (f->window->details_panel, "Rendered larger from");
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "(512)"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-to", "s",
                                             peel_node_get_id (draft)));
  spin_for (100);
  text = find_label (f->window->details_panel, "Draft of");
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "(4K)"));

  /* Nothing is larger than 4K: the final's menu says why instead of offering a size. */
  g_clear_object (&menu);
  menu = peel_render_menu_new (final);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
  n_nodes = peel_session_get_n_nodes (session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.render-larger",
                                             "(ss)", peel_node_get_id (final), ""));
  g_assert_cmpuint (peel_session_get_n_nodes (session), ==, n_nodes);
  g_assert_true (has_toast (f->window, "no larger size"));
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

  g_test_add ("/Peel/WindowRender/render-4k", Fixture, NULL,
              fixture_set_up, test_render_4k, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
