/* peel-types.h
 *
 * The opaque types of base, so that headers need not include each other. Each library
 * above declares its own (peel-gemini-types.h, peel-session-types.h).
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PeelJsonDocument PeelJsonDocument;

G_END_DECLS
