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

#include "peel-application.h"
#include "peel-demo-server.h"
#include "peel-resources.h"
#include "peel-service.h"
#include "peel-window-private.h"

#define GENERATION_TIMEOUT_MS 60000

static PeelApplication *app;

typedef struct
{
  PeelWindow     *window;
  PeelDemoServer *demo;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static void
spin_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
window_idle (gpointer data)
{
  return !peel_window_get_busy (PEEL_WINDOW (data));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PeelService *service;

  g_settings_reset (settings, "last-session");
  g_settings_set (settings, "window-size", "(ii)", 1100, 700);

  f->window = peel_window_new (app);
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
  if (f->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->window));
      g_assert_true (wait_until (is_null, &f->window, 10000));
    }
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

  peel_prompt_bar_set_image_size (bar, PEEL_IMAGE_SIZE_512);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      peel_demo_server_push_fault (f->demo, faults[i]);
      peel_prompt_bar_set_prompt (bar, "a lighthouse, asked twice");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.generate", NULL));
      g_assert_true (peel_window_get_busy (f->window));
      g_assert_cmpint (shown_seconds (f->window), <=, 1);

      spin_for (1100);
      if (peel_window_get_busy (f->window))
        g_assert_cmpint (shown_seconds (f->window), <=, 3);
      g_assert_true (wait_until (window_idle, f->window, GENERATION_TIMEOUT_MS));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_unsetenv ("GEMINI_API_KEY");

  app = peel_application_new_for_test (TRUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/Peel/A11y/elapsed-in-retry-wait", test_elapsed_in_retry_wait);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
