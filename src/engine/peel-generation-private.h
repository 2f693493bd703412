/* peel-generation-private.h
 *
 * What peel-generation.c shares with peel-generation-save.c.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-generation.h"

G_BEGIN_DECLS

gboolean _peel_generation_check_writable (PeelSession     *session,
                                          GError         **error);

char    *_peel_generation_budget_images  (GPtrArray          *users,
                                          const guint        *turns,
                                          const char * const *prompts,
                                          guint               n_new,
                                          const char         *model);

G_END_DECLS
