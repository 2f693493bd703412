/* peel-part.c
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-part.h"

G_DEFINE_BOXED_TYPE (PeelPart, peel_part, peel_part_copy, peel_part_free)

PeelPart *
peel_part_new_text (const char *text,
                    gboolean    thought)
{
  PeelPart *part = g_new0 (PeelPart, 1);

  part->kind = PEEL_PART_TEXT;
  part->thought = !!thought;
  part->text = g_strdup (text ? text : "");
  return part;
}

PeelPart *
peel_part_new_image (const char *mime_type,
                     GBytes     *data,
                     gboolean    thought)
{
  PeelPart *part;

  g_return_val_if_fail (mime_type != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  part = g_new0 (PeelPart, 1);
  part->kind = PEEL_PART_IMAGE;
  part->thought = !!thought;
  part->mime_type = g_strdup (mime_type);
  part->data = g_bytes_ref (data);
  return part;
}

PeelPart *
peel_part_copy (const PeelPart *part)
{
  PeelPart *copy;

  g_return_val_if_fail (part != NULL, NULL);

  copy = g_new0 (PeelPart, 1);
  copy->kind = part->kind;
  copy->thought = part->thought;
  copy->text = g_strdup (part->text);
  copy->mime_type = g_strdup (part->mime_type);
  copy->data = part->data ? g_bytes_ref (part->data) : NULL;
  copy->signature = g_strdup (part->signature);
  copy->width = part->width;
  copy->height = part->height;
  return copy;
}

void
peel_part_free (PeelPart *part)
{
  if (part == NULL)
    return;

  g_free (part->text);
  g_free (part->mime_type);
  g_clear_pointer (&part->data, g_bytes_unref);
  g_free (part->signature);
  g_free (part);
}

void
peel_part_set_signature (PeelPart   *part,
                         const char *signature)
{
  g_return_if_fail (part != NULL);

  g_free (part->signature);
  part->signature = g_strdup (signature);
}
