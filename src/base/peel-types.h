/* peel-types.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PeelDemoServer     PeelDemoServer;
typedef struct _PeelGeminiClient   PeelGeminiClient;
typedef struct _PeelGeminiReply    PeelGeminiReply;
typedef struct _PeelGeminiRequest  PeelGeminiRequest;
typedef struct _PeelNode           PeelNode;
typedef struct _PeelProvider       PeelProvider;
typedef struct _PeelSession        PeelSession;
typedef struct _PeelSseParser      PeelSseParser;
typedef struct _PeelStore          PeelStore;

G_END_DECLS
