/* peel-history-row.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-session.h"

G_BEGIN_DECLS

#define PEEL_TYPE_HISTORY_ROW (peel_history_row_get_type ())

G_DECLARE_FINAL_TYPE (PeelHistoryRow, peel_history_row, PEEL, HISTORY_ROW, GtkWidget)

GtkWidget      *peel_history_row_new           (void);
GtkTreeListRow *peel_history_row_get_list_row  (PeelHistoryRow *self);
void            peel_history_row_set_list_row  (PeelHistoryRow *self,
                                                GtkTreeListRow *list_row);
PeelSession    *peel_history_row_get_session   (PeelHistoryRow *self);
void            peel_history_row_set_session   (PeelHistoryRow *self,
                                                PeelSession    *session);
PeelNode       *peel_history_row_get_node      (PeelHistoryRow *self);
void            peel_history_row_open_menu     (PeelHistoryRow *self,
                                                double          x,
                                                double          y);

G_END_DECLS
