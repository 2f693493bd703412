/* peel-window.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "peel-canvas.h"
#include "peel-prompt-bar.h"
#include "peel-service.h"
#include "peel-session.h"

G_BEGIN_DECLS

#define PEEL_TYPE_WINDOW (peel_window_get_type ())

G_DECLARE_FINAL_TYPE (PeelWindow, peel_window, PEEL, WINDOW, AdwApplicationWindow)

PeelWindow    *peel_window_new            (GtkApplication  *application,
                                           PeelService     *service);
PeelSession   *peel_window_get_session    (PeelWindow      *self);
PeelCanvas    *peel_window_get_canvas     (PeelWindow      *self);
PeelPromptBar *peel_window_get_prompt_bar (PeelWindow      *self);
gboolean       peel_window_get_busy       (PeelWindow      *self);

GtkWidget     *peel_window_get_board      (PeelWindow      *self);
GtkWidget     *peel_window_get_variation_grid (PeelWindow    *self);

G_END_DECLS
