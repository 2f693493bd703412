/* peel-part.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PEEL_TYPE_PART (peel_part_get_type ())

typedef enum
{
  PEEL_PART_TEXT,
  PEEL_PART_IMAGE,
} PeelPartKind;

/**
 * PeelPart:
 * @kind: text or image
 * @thought: whether the model marked it as part of its thinking
 * @text: (nullable): the text of a text part (may be empty: a signature can
 *   arrive on an empty final text part)
 * @mime_type: (nullable): the MIME type of an image part, as received
 * @data: (nullable): the decoded bytes of an image part, exactly as received
 * @signature: (nullable): the `thoughtSignature` exactly as received, to be
 *   echoed byte for byte
 * @width: pixel width of an image once known, else 0
 * @height: pixel height of an image once known, else 0
 *
 * One part of a turn, as the model sent it or as the user gave it.
 */
typedef struct
{
  PeelPartKind  kind;
  gboolean      thought;
  char         *text;
  char         *mime_type;
  GBytes       *data;
  char         *signature;
  int           width;
  int           height;
} PeelPart;

GType     peel_part_get_type   (void) G_GNUC_CONST;
PeelPart *peel_part_new_text   (const char     *text,
                                gboolean        thought);
PeelPart *peel_part_new_image  (const char     *mime_type,
                                GBytes         *data,
                                gboolean        thought);
PeelPart *peel_part_copy       (const PeelPart *part);
void      peel_part_free       (PeelPart       *part);
void      peel_part_set_signature (PeelPart   *part,
                                   const char *signature);
char     *peel_parts_join_text (GPtrArray      *parts,
                                gboolean        thought);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelPart, peel_part_free)

G_END_DECLS
