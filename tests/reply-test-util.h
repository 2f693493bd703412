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

/* A text part as shown: @text, or an image holding exactly @image. */
typedef struct
{
  const char *text;
  GBytes     *image;
} Shown;

char           *data_uri_payload (GBytes     *image,
                                  gboolean    padded,
                                  int         wrap,
                                  const char *eol);
char           *text_reply_json  (const char *text,
                                  const char *signature);
void            assert_shown     (PeelGeminiReply *reply,
                                  const Shown     *shown,
                                  guint            n_shown);

/* Text around a data URI, as proxies write it: the URI must end exactly where its base64 does. */
typedef struct
{
  const char *name;
  const char *before;
  gboolean    markdown;     /* `![image](data:…)`, or the bare URI */
  gboolean    padded;
  int         wrap;         /* 0 for one line */
  const char *eol;
  const char *after;
} DataUriCase;

extern const DataUriCase data_uri_cases[];
extern const guint       n_data_uri_cases;

GBytes         *data_uri_case_image (const DataUriCase *c);
char           *data_uri_case_text  (const DataUriCase *c,
                                     GBytes            *image,
                                     gsize             *payload_end);
guint           data_uri_case_shown (const DataUriCase *c,
                                     GBytes            *image,
                                     Shown             *shown);

G_END_DECLS
