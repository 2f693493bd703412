/* peel-text.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  peel_text_is_control           (gunichar    c);
gboolean  peel_text_is_clean             (const char *text,
                                          gssize      len);
char     *peel_text_escape_for_terminal  (const char *text,
                                          gssize      len);
char     *peel_text_strip_for_label      (const char *text,
                                          gssize      len);

G_END_DECLS
