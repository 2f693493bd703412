/* window-test-util.h: waiting on the main loop in the window tests
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "peel-window.h"

G_BEGIN_DECLS

typedef gboolean (*Condition) (gpointer data);

void     window_test_init (int    *argc,
                           char ***argv);

guint    test_time_scale (void);
gboolean wait_until      (Condition condition,
                          gpointer  data,
                          guint     timeout_ms);
void     spin_for        (guint     ms);
gboolean window_idle     (gpointer  window);
gboolean is_null         (gpointer  pointer_location);

void     close_window (PeelWindow **window);

G_END_DECLS
