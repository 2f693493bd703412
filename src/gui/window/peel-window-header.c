/* peel-window-header.c
 *
 * The header bar at every width: narrower than the history beside the canvas, its extras move
 * into the main menu.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-window-private.h"

/* The main menu of a narrow window: first what the header bar has no room for, then the
 * usual items. */
static GMenuModel *
build_narrow_menu (PeelWindow *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenuItem) details = g_menu_item_new (_("_Details"), "win.show-details");

  g_menu_append_submenu (section, _("_Zoom"), self->zoom_menu);
  g_menu_append_submenu (section, _("C_ompare"), self->compare_menu);
  g_menu_append (section, _("E_xport as PNG…"), "win.export-png");
  g_menu_append_item (section, details);
  g_menu_append (section, _("_Board"), "win.show-board");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

  for (int i = 0; i < g_menu_model_get_n_items (self->primary_menu); i++)
    {
      g_autoptr(GMenuModel) link =
        g_menu_model_get_item_link (self->primary_menu, i, G_MENU_LINK_SECTION);

      if (link != NULL)
        g_menu_append_section (menu, NULL, link);
    }

  return G_MENU_MODEL (menu);
}

/* When the window is too narrow for the history beside the canvas, it is narrow for the header
 * bar's extras too: zoom, compare, export and details move into the main menu (and keep their
 * shortcuts), and the session's name, cut short, is what opens the rename popover. At 360 px
 * the header bar then holds the history and sessions buttons, the name, the main menu and the
 * window's own buttons. */
static void
set_narrow (PeelWindow *self,
            gboolean    narrow)
{
  if (self->narrow == narrow)
    return;

  self->narrow = narrow;
  gtk_widget_set_visible (GTK_WIDGET (self->zoom_button), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->compare_button), !narrow);
  gtk_widget_set_visible (self->export_button, !narrow);
  gtk_widget_set_visible (self->details_button, !narrow);
  gtk_widget_set_visible (self->rename_icon, !narrow);
  gtk_menu_button_set_menu_model (self->primary_menu_button,
                                  narrow ? self->narrow_menu : self->primary_menu);
}

/**
 * peel_window_header_allocate:
 * @width: the width the window's content is about to be allocated
 *
 * Called before the window's children are allocated: decides with the rule the history's
 * flap folds by (a width below the minimum widths of its flap and its content). The flap folds
 * only while it is being allocated, after the header bar above it, and changing the header bar
 * then left it without an allocation for a frame; nor would the window's minimum width drop
 * below the wide header bar's until the next frame.
 */
void
peel_window_header_allocate (PeelWindow *self,
                             int         width)
{
  int flap_min, content_min, board;

  gtk_widget_measure (GTK_WIDGET (self->history_box), GTK_ORIENTATION_HORIZONTAL, -1,
                      &flap_min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->details_flap), GTK_ORIENTATION_HORIZONTAL, -1,
                      &content_min, NULL, NULL, NULL);
  set_narrow (self, width < flap_min + content_min);
  /* The board's button goes first, a little wider than the fold, so the wide header bar is
   * never wider than the window the fold allows (the board stays on Ctrl+B and, folded, in
   * the main menu). */
  gtk_widget_measure (self->board_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &board, NULL,
                      NULL);
  gtk_widget_set_visible (self->board_button, width >= flap_min + content_min + board + 6);
}

void
peel_window_header_init (PeelWindow *self)
{
  g_autoptr(GPropertyAction) show_details =
    g_property_action_new ("show-details", self->details_flap, "reveal-flap");

  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_details));
  self->narrow_menu = build_narrow_menu (self);
}
