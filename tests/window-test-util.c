/* window-test-util.c: waiting on the main loop in the window tests
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-window.h"
#include "window-test-util.h"

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until @condition holds or @timeout_ms pass. */
gboolean
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
