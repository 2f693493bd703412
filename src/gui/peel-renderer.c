/* peel-renderer.c
 *
 * Which GSK renderer Peel runs with, and opening links without passing that choice on.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-renderer.h"

static gboolean renderer_picked;   /* GSK_RENDERER was set by Peel, not by the user */

/**
 * peel_renderer_pick:
 *
 * Without a GPU, GTK's GL renderer runs on the CPU (Mesa's llvmpipe) and redraws the whole
 * window on every frame: 50–65 ms a frame at 1280×800 while an image is shown or a spinner
 * turns, against 1–19 ms for the cairo renderer, which redraws only what changed
 * (tests/bench/window-bench). So, unless the user named a renderer in `GSK_RENDERER`, Peel
 * takes cairo when the system offers no render node to reach a GPU through. Call it before
 * GTK is initialized.
 *
 * Returns: (nullable): the renderer chosen, or %NULL when GTK's own choice stands
 */
const char *
peel_renderer_pick (void)
{
  g_autoptr(GDir) dri = NULL;
  const char *name;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return NULL;
  dri = g_dir_open ("/dev/dri", 0, NULL);
  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return NULL;
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  renderer_picked = TRUE;
  return "cairo";
}

/**
 * peel_renderer_launch_uri:
 * @widget: the widget the link was activated in
 * @uri: what to open
 *
 * Opens @uri in the user's default application. When Peel picked the renderer for itself
 * (peel_renderer_pick()), the choice is not passed on to what it starts.
 */
void
peel_renderer_launch_uri (GtkWidget  *widget,
                          const char *uri)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (uri != NULL);

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  if (renderer_picked)
    g_app_launch_context_unsetenv (G_APP_LAUNCH_CONTEXT (context), "GSK_RENDERER");
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, NULL,
                                           NULL);
}
