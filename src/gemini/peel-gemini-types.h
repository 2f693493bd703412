/* peel-gemini-types.h
 *
 * The protocol's types, so that its headers need not include each other.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PeelGeminiClient   PeelGeminiClient;
typedef struct _PeelGeminiReply    PeelGeminiReply;
typedef struct _PeelGeminiRequest  PeelGeminiRequest;
typedef struct _PeelProvider       PeelProvider;
typedef struct _PeelSseParser      PeelSseParser;

G_END_DECLS
