/* peel-render-menu.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-node.h"

G_BEGIN_DECLS

GMenuModel *peel_render_menu_new (PeelNode *node);

G_END_DECLS
