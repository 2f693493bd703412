/* peel-window.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "peel-application.h"

G_BEGIN_DECLS

#define PEEL_TYPE_WINDOW (peel_window_get_type ())

G_DECLARE_FINAL_TYPE (PeelWindow, peel_window, PEEL, WINDOW, AdwApplicationWindow)

PeelWindow *peel_window_new (PeelApplication *application);

G_END_DECLS
