/* peel-preferences-window.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PEEL_TYPE_PREFERENCES_WINDOW (peel_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PeelPreferencesWindow, peel_preferences_window, PEEL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

PeelPreferencesWindow *peel_preferences_window_new          (GSettings             *settings,
                                                             gboolean               use_keyring);
GSettings             *peel_preferences_window_get_settings (PeelPreferencesWindow *self);
void                   peel_preferences_window_add_toast    (PeelPreferencesWindow *self,
                                                             AdwToast              *toast);

G_END_DECLS
