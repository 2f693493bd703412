/* reply-test-util.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "peel-gemini-reply.h"

G_BEGIN_DECLS

#define SIG_TEXT "EqYCCqMCAdHtim9xQ7z+/pZq0Q1b2Y3k4Vw=="
#define SIG_IMAGE "Ct4BAdHtim8KkZ/Lm3pQ9r+Xx0a1bC2dE3fG4hI5jK6lM7nO8=="
#define SIG_EMPTY "EmptyPartSig/+=="

char           *load_fixture     (const char *name,
                                  gsize      *len);
GBytes         *make_image       (const char *type,
                                  int         width,
                                  int         height,
                                  gboolean    noise);
void            assert_decodes   (const PeelPart *part,
                                  int             width,
                                  int             height);
const PeelPart *part_at          (PeelGeminiReply *reply,
                                  guint            index);
void            assert_text_part (const PeelPart *part,
                                  const char     *text,
                                  gboolean        thought,
                                  const char     *signature);
char           *image_reply_json (GBytes     *image,
                                  const char *mime_type,
                                  int         wrap);

G_END_DECLS
