/* peel-details-panel.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-session.h"

G_BEGIN_DECLS

#define PEEL_TYPE_DETAILS_PANEL (peel_details_panel_get_type ())

G_DECLARE_FINAL_TYPE (PeelDetailsPanel, peel_details_panel, PEEL, DETAILS_PANEL, GtkWidget)

GtkWidget   *peel_details_panel_new         (void);
PeelNode    *peel_details_panel_get_node    (PeelDetailsPanel *self);
void         peel_details_panel_set_node    (PeelDetailsPanel *self,
                                             PeelNode         *node);
PeelSession *peel_details_panel_get_session (PeelDetailsPanel *self);
void         peel_details_panel_set_session (PeelDetailsPanel *self,
                                             PeelSession      *session);

G_END_DECLS
