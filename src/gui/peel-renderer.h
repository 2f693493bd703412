/* peel-renderer.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

const char *peel_renderer_pick       (void);
void        peel_renderer_launch_uri (GtkWidget  *widget,
                                      const char *uri);

G_END_DECLS
