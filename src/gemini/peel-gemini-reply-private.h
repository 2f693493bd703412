/* peel-gemini-reply-private.h
 *
 * What the reply's files share: the reply itself, and the steps of reading one that
 * peel-gemini-reply-json.c and peel-gemini-reply-text.c do for peel-gemini-reply.c.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-gemini-reply.h"
#include "peel-json-document.h"

G_BEGIN_DECLS

#define MAX_PARTS          1000
#define NO_PART            G_MAXUINT

/* Where the search for `data:image/…;base64,` stands in the open text part, so that text
 * arriving in many deltas is never searched twice. */
typedef struct
{
  gsize    pos;             /* no URI starts before this */
  gsize    uri_start;       /* G_MAXSIZE when not inside one */
  gsize    payload_start;
  gsize    payload_pos;     /* the payload has been read up to here */
  gsize    line_start;      /* where its current line starts */
  gsize    line_break;      /* the break before that line while it may not belong, or G_MAXSIZE */
  gsize    width;           /* the length of its wrapped lines; 0 before the first break */
  guint    padding;         /* '=' read */
} UriScan;

struct _PeelGeminiReply
{
  GObject      parent_instance;

  GPtrArray   *parts;

  /* The last part, while it is text that may still grow or hide a data URI. */
  guint        open_part;
  gsize        open_len;
  gsize        open_cap;
  gboolean     open_is_tail;  /* it is the text after a data URI */
  UriScan      scan;

  char        *finish_reason;
  char        *finish_message;
  char        *block_reason;
  char        *block_message;
  char        *model_version;
  char        *response_id;
  char        *search_entry_point;
  PeelUsage    usage;
  GPtrArray   *sources;
  GPtrArray   *queries;      /* NULL-terminated */
  char        *file_uri;
  char        *file_uri_signature;   /* of the fileData part that gave @file_uri */
  char        *image_url;
  GError      *stream_error;
  gboolean     streamed;

  /* A signed text part that held a data URI, as received, for the history; the parts cut
   * from it (text, image, text) stand for it in @parts, for display, and are found here. */
  GPtrArray   *originals;
  GHashTable  *cut_from;     /* PeelPart in @parts → PeelPart in @originals */
  GHashTable  *display_only; /* PeelPart in @parts the model did not send: left out of history */
};

/* peel-gemini-reply.c */
gboolean        _peel_gemini_reply_add_linked_image (PeelGeminiReply *self,
                                                     const char      *mime_type,
                                                     GBytes          *bytes,
                                                     GError         **error);
const PeelPart *_peel_gemini_reply_last_image      (PeelGeminiReply  *self,
                                                    gboolean          thought);

/* peel-gemini-reply-json.c */
PeelJsonDocument *_peel_gemini_reply_open_json     (const char        *json,
                                                    gsize              len,
                                                    GError           **error);
GBytes         *_peel_gemini_reply_decode_base64   (PeelJsonDocument *document,
                                                    const char       *data,
                                                    GError          **error);

/* peel-gemini-reply-text.c */
void            _peel_gemini_reply_reset_scan      (UriScan          *scan);
PeelPart       *_peel_gemini_reply_new_image_part  (const char       *mime_type,
                                                    GBytes           *bytes,
                                                    gboolean          thought,
                                                    GError          **error);
gboolean        _peel_gemini_reply_close_open_part (PeelGeminiReply  *self,
                                                    GError          **error);
gboolean        _peel_gemini_reply_append_part     (PeelGeminiReply  *self,
                                                    PeelPart         *part,
                                                    gboolean          merge,
                                                    GError          **error);
char           *_peel_gemini_reply_join_text       (PeelGeminiReply  *self,
                                                    gboolean          thought);

G_END_DECLS
