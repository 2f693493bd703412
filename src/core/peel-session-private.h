/* peel-session-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-session.h"

G_BEGIN_DECLS

/* Used by the store while it loads a session, before anyone observes it. */
PeelSession *_peel_session_new_with_id   (const char  *id,
                                          const char  *name);
void         _peel_session_set_store     (PeelSession *session,
                                          PeelStore   *store);
void         _peel_session_load_nodes    (PeelSession *session,
                                          GPtrArray   *nodes,
                                          const char  *current_id);
char        *_peel_session_make_node_id  (PeelSession *session);

G_END_DECLS
