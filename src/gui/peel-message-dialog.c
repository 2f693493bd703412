/* peel-message-dialog.c
 *
 * Message dialogs whose heading wraps as their body does. libadwaita 1.7's own heading is a
 * label that never wraps, and the dialog measures it for widths it does not fit while it sizes
 * itself (GTK 4.18 warns "Trying to measure GtkLabel … for width of 100, but it needs at least
 * 171" for a heading as short as "Restore History?"). So the heading leads the body, in large
 * bold text, and names the dialog for screen readers.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-message-dialog.h"

/**
 * peel_message_dialog_new:
 * @parent: the window the dialog belongs to
 * @heading: (nullable): what happened or what is asked, plain text
 * @body: (nullable): the rest, plain text
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
AdwMessageDialog *
peel_message_dialog_new (GtkWindow  *parent,
                         const char *heading,
                         const char *body)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, NULL, NULL));
  g_autofree char *heading_markup = NULL;
  g_autofree char *body_markup = NULL;
  g_autofree char *markup = NULL;

  if (heading == NULL)
    {
      adw_message_dialog_set_body (dialog, body != NULL ? body : "");
      return dialog;
    }

  heading_markup = g_markup_escape_text (heading, -1);
  if (body != NULL && *body != '\0')
    {
      body_markup = g_markup_escape_text (body, -1);
      markup = g_strdup_printf ("<span size=\"x-large\" weight=\"bold\">%s</span>\n\n%s",
                                heading_markup, body_markup);
    }
  else
    markup = g_strdup_printf ("<span size=\"x-large\" weight=\"bold\">%s</span>",
                              heading_markup);

  adw_message_dialog_set_body_use_markup (dialog, TRUE);
  adw_message_dialog_set_body (dialog, markup);
  gtk_window_set_title (GTK_WINDOW (dialog), heading);
  return dialog;
}
