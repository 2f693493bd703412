/* peel-session-types.h
 *
 * The session's types (the tree and its store), so that its headers need not include
 * each other.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PeelNode           PeelNode;
typedef struct _PeelSession        PeelSession;
typedef struct _PeelStore          PeelStore;

G_END_DECLS
