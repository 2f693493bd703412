/* main.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "peel-application.h"
#include "peel-demo-server.h"
#include "peel-memory.h"
#include "peel-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PeelApplication) app = NULL;

  peel_memory_init ();
  peel_renderer_pick ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = peel_application_new ();
  /* The offline demo (--demo, or no key) runs in this process; the GUI library only asks for
   * it through the engine's connection. */
  peel_application_set_demo_start (app, peel_demo_server_new_started);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
