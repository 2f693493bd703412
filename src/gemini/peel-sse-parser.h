/* peel-sse-parser.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "peel-gemini-types.h"

G_BEGIN_DECLS

/**
 * PeelSseEventFunc:
 * @data: the event's data (the `data:` lines joined with "\n"), not NUL-terminated
 * @len: its length
 * @user_data: closure
 * @error: set it and return %FALSE to stop parsing
 *
 * Called once for each complete event, in order.
 */
typedef gboolean (*PeelSseEventFunc) (const char  *data,
                                      gsize        len,
                                      gpointer     user_data,
                                      GError     **error);

PeelSseParser *peel_sse_parser_new    (gsize              max_total_bytes,
                                       PeelSseEventFunc   func,
                                       gpointer           user_data);
void           peel_sse_parser_free   (PeelSseParser     *self);
gboolean       peel_sse_parser_feed   (PeelSseParser     *self,
                                       const char        *data,
                                       gsize              len,
                                       GError           **error);
gboolean       peel_sse_parser_finish (PeelSseParser     *self,
                                       GError           **error);
gsize          peel_sse_parser_get_total_bytes (PeelSseParser *self);
guint          peel_sse_parser_get_comments    (PeelSseParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelSseParser, peel_sse_parser_free)

G_END_DECLS
