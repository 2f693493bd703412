/* window-test-util.c: waiting on the main loop in the window tests
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "peel-window.h"
#include "window-test-util.h"

static char *test_home;

/* Removes @path and, if it is a folder, what is in it; symlinks are removed, not followed. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) &&
      (dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
      }
  g_remove (path);
}

static void
remove_test_home (void)
{
  remove_tree (test_home);
  g_clear_pointer (&test_home, g_free);
}

/**
 * window_test_init:
 *
 * gtk_test_init(), with the user's data, settings, cache and state folders in a folder of the
 * test's own, removed at exit. gtk_test_init() passes no options on to g_test_init() (its
 * "..." is documented as unused), so the G_TEST_OPTION_ISOLATE_DIRS the window tests gave it
 * was dropped: they saved their sessions in the real ~/.local/share/peel/sessions, and after a
 * few hundred runs of the suite the sessions list took minutes to fill (window-flow ran into
 * its timeout). GLib's own isolation would also empty XDG_DATA_DIRS, where GTK finds the MIME
 * database and the icon themes, so only the user's folders move here.
 */
void
window_test_init (int    *argc,
                  char ***argv)
{
  static const char *const vars[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
  };
  g_autoptr(GError) error = NULL;

  test_home = g_dir_make_tmp ("peel-gui-test-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (remove_test_home);
  for (gsize i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (test_home, vars[i][1], NULL);

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      g_setenv (vars[i][0], dir, TRUE);
    }
  gtk_test_init (argc, argv, NULL);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* How much longer than usual a wait may take: PEEL_TEST_TIME_SCALE, set by the sanitizer
 * stage, whose builds run 3 to 30 times slower (as meson's --timeout-multiplier does for the
 * whole test). */
guint
test_time_scale (void)
{
  const char *scale = g_getenv ("PEEL_TEST_TIME_SCALE");
  guint64 value = 1;

  if (scale != NULL && !g_ascii_string_to_unsigned (scale, 10, 1, 100, &value, NULL))
    value = 1;
  return (guint) value;
}

/* Spins the main loop until @condition holds or @timeout_ms (times test_time_scale()) pass. */
gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms * test_time_scale (), timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

/* Spins the main loop for @ms, whatever happens. */
void
spin_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* A condition: the window (a PeelWindow) has no turn running. */
gboolean
window_idle (gpointer window)
{
  return !peel_window_get_busy (PEEL_WINDOW (window));
}

/* A condition: the pointer at @pointer_location has been cleared (a weak pointer). */
gboolean
is_null (gpointer pointer_location)
{
  return *(gpointer *) pointer_location == NULL;
}

/* Destroys *@window, if still open, and waits until it is finalized (it clears the weak
 * pointer at @window): threads decoding images hold it until they come back to the main loop. */
void
close_window (PeelWindow **window)
{
  if (*window == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (*window));
  g_assert_true (wait_until (is_null, window, 10000));
}
