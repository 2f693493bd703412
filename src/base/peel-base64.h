/* peel-base64.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *peel_base64_decode (const char  *text,
                            gsize        len,
                            gboolean     json_escapes,
                            GError     **error);

G_END_DECLS
