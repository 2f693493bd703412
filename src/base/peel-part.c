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

/**
 * peel_parts_join_text:
 * @parts: (element-type PeelPart): the parts of a turn
 * @thought: join the thought parts rather than the visible ones
 *
 * Text parts next to each other are pieces of one text (streamed deltas, or a text cut where a
 * signature arrived) and are joined as they are; text on either side of an image, and separate
 * thoughts, are separate paragraphs.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when there is none
 */
char *
peel_parts_join_text (GPtrArray *parts,
                      gboolean   thought)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean separated = FALSE;

  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);

      if (!part->thought != !thought)
        continue;
      if (part->kind != PEEL_PART_TEXT)
        {
          separated = TRUE;
          continue;
        }
      if (part->text == NULL || part->text[0] == '\0')
        continue;

      if (out->len > 0 && (separated || thought))
        {
          const char *text = part->text;

          while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
            g_string_truncate (out, out->len - 1);
          while (g_ascii_isspace (*text))
            text++;
          g_string_append (out, "\n\n");
          g_string_append (out, text);
        }
      else
        {
          g_string_append (out, part->text);
        }
      separated = FALSE;
    }

  for (gsize i = 0; i < out->len; i++)
    if (!g_ascii_isspace (out->str[i]))
      return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));

  return NULL;
}
