/* store-test-util.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-session.h"

G_BEGIN_DECLS

GBytes   *store_test_png                (int          width,
                                         int          height,
                                         guint32      color);
void      store_test_complete           (PeelSession *session,
                                         PeelNode    *node,
                                         guint32      color);
PeelNode *store_test_generate_unchecked (PeelSession *session,
                                         PeelNode    *parent,
                                         const char  *prompt,
                                         guint32      color,
                                         GError     **error);
PeelNode *store_test_generate           (PeelSession *session,
                                         PeelNode    *parent,
                                         const char  *prompt,
                                         guint32      color);

G_END_DECLS
