/* peel-sessions-popover.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "peel-session.h"
#include "peel-store.h"

G_BEGIN_DECLS

#define PEEL_TYPE_SESSION_ITEM (peel_session_item_get_type ())

G_DECLARE_FINAL_TYPE (PeelSessionItem, peel_session_item, PEEL, SESSION_ITEM, GObject)

const PeelSessionInfo *peel_session_item_get_info (PeelSessionItem *self);

#define PEEL_TYPE_SESSIONS_POPOVER (peel_sessions_popover_get_type ())

G_DECLARE_FINAL_TYPE (PeelSessionsPopover, peel_sessions_popover, PEEL, SESSIONS_POPOVER,
                      GtkPopover)

GtkWidget  *peel_sessions_popover_new              (void);
const char *peel_sessions_popover_get_sessions_dir (PeelSessionsPopover *self);
void        peel_sessions_popover_set_sessions_dir (PeelSessionsPopover *self,
                                                    const char          *sessions_dir);
const char *peel_sessions_popover_get_current_path (PeelSessionsPopover *self);
void        peel_sessions_popover_set_current_path (PeelSessionsPopover *self,
                                                    const char          *path);
void        peel_sessions_popover_set_current_session (PeelSessionsPopover *self,
                                                       PeelSession         *session);
gboolean    peel_sessions_popover_get_loading      (PeelSessionsPopover *self);
GListModel *peel_sessions_popover_get_sessions     (PeelSessionsPopover *self);
void        peel_sessions_popover_reload           (PeelSessionsPopover *self);

G_END_DECLS
