/* peel-history-view.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-session.h"

G_BEGIN_DECLS

#define PEEL_TYPE_HISTORY_VIEW (peel_history_view_get_type ())

G_DECLARE_FINAL_TYPE (PeelHistoryView, peel_history_view, PEEL, HISTORY_VIEW, GtkWidget)

GtkWidget   *peel_history_view_new             (void);
PeelSession *peel_history_view_get_session     (PeelHistoryView *self);
void         peel_history_view_set_session     (PeelHistoryView *self,
                                                PeelSession     *session);
gboolean     peel_history_view_get_show_hidden (PeelHistoryView *self);
void         peel_history_view_set_show_hidden (PeelHistoryView *self,
                                                gboolean         show_hidden);
GListModel  *peel_history_view_get_rows        (PeelHistoryView *self);
void         peel_history_view_set_search_text (PeelHistoryView *self,
                                                const char      *text);
void         peel_history_view_focus_search    (PeelHistoryView *self);

G_END_DECLS
