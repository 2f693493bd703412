/* test-a11y-tree.c
 *
 * The real window as a screen reader hears it: in each state a user meets (empty, main menu,
 * pickers, options, sessions, a failed turn, generating, two images, details, compare,
 * Preferences), tests/a11y-tree.py walks its accessibility tree over AT-SPI, as Orca does,
 * and fails on an element one can act on that has no name, only a type name, or a mnemonic's
 * underscore in it.
 *
 * GTK 4.8 talks AT-SPI by default; the suite's environment turns it off (GTK_A11Y=none), so
 * this test runs with GTK_A11Y=atspi and needs a session bus (the suite runs under
 * dbus-run-session), on which at-spi2-core's bus launcher starts the accessibility bus.
 * NO_AT_BRIDGE is GTK 3's ATK bridge and makes no difference to GTK 4.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-application.h"
#include "peel-renderer.h"
#include "peel-demo-server.h"
#include "peel-preferences-window.h"
#include "peel-service.h"
#include "peel-window-private.h"
#include "window-test-util.h"

#define GENERATION_TIMEOUT_MS 60000

static PeelApplication *app;
static const char *python;
static const char *walker;
static GString *failures;

typedef struct
{
  gboolean  done;
  char     *output;
  int       status;
} Walk;

static void
walk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Walk *walk = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &walk->output, NULL, &error);
  g_assert_no_error (error);
  walk->status = g_subprocess_get_exit_status (process);
  walk->done = TRUE;
}

static gboolean
walk_done (gpointer data)
{
  return ((Walk *) data)->done;
}

/* Walks the tree while this process keeps answering it, and fails on what has no name, or
 * when the window's busy state (@expect "busy" or "idle") or its status (@status) are not
 * what a screen reader should hear. */
static void
walk_tree_expecting (const char *state,
                     const char *expect,
                     const char *status)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Walk walk = { 0 };

  spin_for (300);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              &error, python, walker, pid, state, expect, status, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, walk_done_cb, &walk);
  if (!wait_until (walk_done, &walk, 120000))
    g_error ("%s: the walk did not end within two minutes", state);

  g_test_message ("%s", walk.output);
  if (walk.status == 77)
    {
      g_test_skip ("the window is not on the accessibility bus");
      g_free (walk.output);
      return;
    }
  if (walk.status != 0)
    g_string_append_printf (failures, "%s:\n%s", state, walk.output);
  g_free (walk.output);
}

static void
walk_tree (const char *state)
{
  walk_tree_expecting (state, "", NULL);
}

static gboolean
popover_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
walk_menu_button (const char    *state,
                  GtkMenuButton *button)
{
  gtk_menu_button_popup (button);
  g_assert_true (wait_until (popover_shown, gtk_menu_button_get_popover (button), 5000));
  walk_tree (state);
  gtk_menu_button_popdown (button);
}

static GtkMenuButton *
find_menu_button (GtkWidget  *widget,
                  const char *tooltip)
{
  if (GTK_IS_MENU_BUTTON (widget) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return GTK_MENU_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_menu_button (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
generate (PeelWindow *window,
          const char *prompt)
{
  PeelPromptBar *bar = peel_window_get_prompt_bar (window);

  peel_prompt_bar_set_prompt (bar, prompt);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL));
  g_assert_true (wait_until (window_idle, window, GENERATION_TIMEOUT_MS));
}

static void
test_tree (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelService *service = peel_application_get_service (app);
  PeelDemoServer *demo = peel_service_get_demo_server (service);
  PeelWindow *window;
  PeelPromptBar *bar;
  PeelPreferencesWindow *prefs;
  PeelNode *first;

  g_settings_set (settings, "window-size", "(ii)", 1100, 700);
  window = peel_window_new (GTK_APPLICATION (app), peel_application_get_service (app));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  bar = peel_window_get_prompt_bar (window);
  peel_turn_settings_set_image_size (peel_prompt_bar_get_settings (bar), PEEL_IMAGE_SIZE_512);
  adw_flap_set_reveal_flap (window->history_flap, TRUE);

  failures = g_string_new (NULL);
  walk_tree ("empty");
  walk_menu_button ("main menu", window->primary_menu_button);
  walk_menu_button ("sessions", window->sessions_button);
  walk_menu_button ("options", find_menu_button (GTK_WIDGET (bar), "Options"));
  peel_prompt_bar_open (bar, PEEL_PROMPT_BAR_RATIO);
  spin_for (300);
  walk_tree ("ratio popover");
  peel_prompt_bar_open (bar, PEEL_PROMPT_BAR_RATIO);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-prompt", NULL);

  /* A failed turn, with its reason and Retry. */
  peel_demo_server_push_fault (demo, PEEL_DEMO_FAULT_BLOCKED_PROMPT);
  generate (window, "a lighthouse the demo server refuses");
  walk_tree_expecting ("failed turn", "idle", NULL);

  /* Generating: the server answers nothing until cancelled. */
  peel_demo_server_push_fault (demo, PEEL_DEMO_FAULT_STALL);
  peel_prompt_bar_set_prompt (bar, "a lighthouse that takes its time");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL));
  walk_tree_expecting ("generating", "busy", "Generating an image");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_true (wait_until (window_idle, window, 10000));

  /* Two images, the details panel, and one compared with the other. */
  generate (window, "a lighthouse at dusk");
  first = peel_session_get_current (peel_window_get_session (window));
  generate (window, "make the sky stormy");
  adw_flap_set_reveal_flap (window->details_flap, TRUE);
  walk_tree_expecting ("two images, details", "idle", "The image is ready");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-with", "s",
                                             peel_node_get_id (first)));
  walk_tree ("compare");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-mode", "s",
                                             "none"));
  peel_prompt_bar_open (bar, PEEL_PROMPT_BAR_SIZE);
  spin_for (300);
  walk_tree ("size popover");
  peel_prompt_bar_open (bar, PEEL_PROMPT_BAR_SIZE);

  prefs = peel_preferences_window_new (settings, FALSE);
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
  walk_tree ("preferences");
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (wait_until (is_null, &prefs, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (wait_until (is_null, &window, 10000));

  if (failures->len > 0)
    g_error ("elements without a usable name:\n%s", failures->str);
  g_string_free (failures, TRUE);
}

static void
test_skipped (void)
{
  g_test_skip ("needs python3-pyatspi (build-aux/install-deps --test) and a session bus");
}

/* The Python that has pyatspi: Debian's, which a virtual environment in PATH may hide. */
static const char *
find_python (void)
{
  static const char *candidates[] = { "/usr/bin/python3", "python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autoptr(GSubprocess) process = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL,
                                  candidates[i], "-c", "import pyatspi", NULL);
      if (process != NULL && g_subprocess_wait_check (process, NULL, NULL))
        return candidates[i];
    }
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status;

  g_setenv ("GTK_A11Y", "atspi", TRUE);
  /* As the app does without a GPU: GL on the CPU redraws the whole window for every frame of
   * the spinners, which starved the walker for minutes while a turn was generating. */
  peel_renderer_pick ();
  window_test_init (&argc, &argv);
  g_unsetenv ("GEMINI_API_KEY");

  python = find_python ();
  walker = argc > 1 ? argv[1] : NULL;

  /* The application reads the sessions before the isolated folders of g_test_run() exist:
   * give it an empty one, or the walk goes through every session of the user running it. */
  data_home = g_dir_make_tmp ("peel-a11y-tree-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  app = peel_application_new_for_test (TRUE);
  peel_application_set_demo_start (app, peel_demo_server_new_started);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  if (python != NULL && walker != NULL && g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    g_test_add_func ("/Peel/A11yTree/walk", test_tree);
  else
    g_test_add_func ("/Peel/A11yTree/walk", test_skipped);

  status = g_test_run ();
  g_clear_object (&app);
  {
    const char *rm[] = { "rm", "-rf", data_home, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
  return status;
}
