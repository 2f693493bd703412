/* peel-node-replay.c
 *
 * What a node's model turn sends back in a later request. Usually that is its parts without
 * the thoughts. But some proxies put the image in a data URI inside a signed text part; the
 * reply shows that text cut into text and image, and the signature is valid only for the text
 * as received. The node keeps that text as the pieces around the image parts cut from it, so
 * the megabytes of base64 are not held (or saved) twice, and rebuilds it byte for byte when a
 * request needs it.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-node-private.h"

static void
piece_free (PeelReplayPiece *piece)
{
  g_free (piece->text);
  g_free (piece);
}

PeelReplayEntry *
peel_replay_entry_new (int         part,
                       const char *signature)
{
  PeelReplayEntry *entry = g_new0 (PeelReplayEntry, 1);

  entry->part = part;
  entry->pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) piece_free);
  entry->signature = g_strdup (signature);
  return entry;
}

void
peel_replay_entry_free (PeelReplayEntry *entry)
{
  if (entry == NULL)
    return;
  g_ptr_array_unref (entry->pieces);
  g_free (entry->signature);
  g_free (entry);
}

void
peel_replay_entry_add_text (PeelReplayEntry *entry,
                            const char      *text,
                            gsize            len)
{
  PeelReplayPiece *piece;

  if (len == 0)
    return;
  piece = g_new0 (PeelReplayPiece, 1);
  piece->text = g_strndup (text, len);
  piece->image = -1;
  g_ptr_array_add (entry->pieces, piece);
}

void
peel_replay_entry_add_image (PeelReplayEntry *entry,
                             int              image)
{
  PeelReplayPiece *piece = g_new0 (PeelReplayPiece, 1);

  piece->image = image;
  g_ptr_array_add (entry->pieces, piece);
}

static gboolean
same_part (const PeelPart *a,
           const PeelPart *b)
{
  if (a->kind != b->kind || !a->thought != !b->thought ||
      g_strcmp0 (a->text, b->text) != 0 || g_strcmp0 (a->signature, b->signature) != 0 ||
      g_strcmp0 (a->mime_type, b->mime_type) != 0)
    return FALSE;
  if (a->data == b->data)
    return TRUE;
  return a->data != NULL && b->data != NULL && g_bytes_equal (a->data, b->data);
}

static const char *
find (const char *haystack,
      gsize       haystack_len,
      const char *needle,
      gsize       needle_len)
{
  const char *end = haystack + haystack_len;

  if (needle_len == 0 || needle_len > haystack_len)
    return NULL;
  for (const char *p = haystack; (gsize) (end - p) >= needle_len; p++)
    {
      p = memchr (p, needle[0], end - p - needle_len + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, needle_len) == 0)
        return p;
    }
  return NULL;
}

/* The text of @original as literal pieces and the image parts, from @next on, whose standard
 * base64 appears in it in order. A payload written another way (wrapped lines, URL-safe
 * alphabet, no padding, bytes the reply decoded differently) stays literal text: exact first,
 * compact when it can be. */
static PeelReplayEntry *
cut_original (GPtrArray      *parts,
              guint          *next,
              const PeelPart *original)
{
  PeelReplayEntry *entry = peel_replay_entry_new (-1, original->signature);
  const char *text = original->text ? original->text : "";
  gsize len = strlen (text);
  gsize pos = 0;

  for (guint i = *next; i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);
      g_autofree char *b64 = NULL;
      const char *found;
      gsize b64_len;

      /* The images cut from a text share its thought flag. */
      if (part->kind != PEEL_PART_IMAGE || part->data == NULL ||
          !part->thought != !original->thought)
        continue;
      b64 = g_base64_encode (g_bytes_get_data (part->data, NULL), g_bytes_get_size (part->data));
      b64_len = strlen (b64);
      found = find (text + pos, len - pos, b64, b64_len);
      if (found == NULL)
        continue;
      peel_replay_entry_add_text (entry, text + pos, found - (text + pos));
      peel_replay_entry_add_image (entry, (int) i);
      pos = found - text + b64_len;
      *next = i + 1;
    }
  peel_replay_entry_add_text (entry, text + pos, len - pos);
  return entry;
}

/**
 * _peel_node_compact_history:
 * @parts: (element-type PeelPart): the model turn as shown, with the images' bytes
 * @history: (nullable) (element-type PeelPart): the model turn as it must be sent back
 *
 * Returns: (transfer full) (nullable) (element-type PeelReplayEntry): @history in terms of
 *   @parts, or %NULL when it is simply the parts that are not thoughts (or cannot be said in
 *   terms of @parts)
 */
GPtrArray *
_peel_node_compact_history (GPtrArray *parts,
                            GPtrArray *history)
{
  g_autoptr(GPtrArray) entries = NULL;
  gboolean plain = TRUE;
  guint next = 0;

  if (history == NULL || parts == NULL)
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_replay_entry_free);
  for (guint h = 0; h < history->len; h++)
    {
      const PeelPart *wanted = g_ptr_array_index (history, h);
      guint skipped_visible = 0;
      guint i;

      for (i = next; i < parts->len; i++)
        {
          const PeelPart *part = g_ptr_array_index (parts, i);

          if (same_part (part, wanted))
            break;
          if (!part->thought)
            skipped_visible++;
        }

      if (i < parts->len)
        {
          g_ptr_array_add (entries, peel_replay_entry_new ((int) i, NULL));
          plain = plain && skipped_visible == 0 && !wanted->thought;
          next = i + 1;
        }
      else if (wanted->kind == PEEL_PART_TEXT)
        {
          g_ptr_array_add (entries, cut_original (parts, &next, wanted));
          plain = FALSE;
        }
      else
        {
          /* An image that is not among the parts: its bytes would have no blob. */
          g_debug ("The model turn to send back holds an image it does not show.");
          return NULL;
        }
    }

  for (guint i = next; plain && i < parts->len; i++)
    if (!((PeelPart *) g_ptr_array_index (parts, i))->thought)
      plain = FALSE;

  return plain ? NULL : g_steal_pointer (&entries);
}

/* Whether every index in the history names a part that can stand there: read from a file, it
 * may have been damaged. */
gboolean
_peel_node_history_valid (PeelNode *node)
{
  for (guint i = 0; node->history != NULL && i < node->history->len; i++)
    {
      const PeelReplayEntry *entry = g_ptr_array_index (node->history, i);

      if (entry->part >= (int) node->parts->len)
        return FALSE;
      for (guint j = 0; entry->part < 0 && j < entry->pieces->len; j++)
        {
          const PeelReplayPiece *piece = g_ptr_array_index (entry->pieces, j);
          const PeelPart *image;

          if (piece->text != NULL)
            continue;
          if (piece->image < 0 || piece->image >= (int) node->parts->len)
            return FALSE;
          image = g_ptr_array_index (node->parts, piece->image);
          if (image->kind != PEEL_PART_IMAGE)
            return FALSE;
        }
    }
  return TRUE;
}

static PeelPart *
dup_part (PeelNode  *node,
          guint      index,
          GError   **error)
{
  g_autoptr(PeelPart) copy = peel_part_copy (g_ptr_array_index (node->parts, index));

  if (copy->kind == PEEL_PART_IMAGE && copy->data == NULL)
    {
      copy->data = peel_node_dup_part_data (node, index, error);
      if (copy->data == NULL)
        return NULL;
    }
  return g_steal_pointer (&copy);
}

static PeelPart *
rebuild_text (PeelNode               *node,
              const PeelReplayEntry  *entry,
              GError                **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  PeelPart *part;

  for (guint i = 0; i < entry->pieces->len; i++)
    {
      const PeelReplayPiece *piece = g_ptr_array_index (entry->pieces, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *b64 = NULL;

      if (piece->text != NULL)
        {
          g_string_append (text, piece->text);
          continue;
        }
      bytes = peel_node_dup_part_data (node, piece->image, error);
      if (bytes == NULL)
        return NULL;
      b64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_string_append (text, b64);
    }

  part = peel_part_new_text (text->str, FALSE);
  peel_part_set_signature (part, entry->signature);
  return part;
}

/**
 * peel_node_dup_history_parts_full:
 * @node: a node
 * @error: return location for an error
 *
 * The parts to echo as this node's model turn in a later request: every non-thought part,
 * in order, with its signature and its bytes loaded. A signed text part that held a data URI,
 * which peel_node_get_parts() shows as text and image, comes back whole, exactly as received,
 * with its signature.
 *
 * Returns: (transfer full) (element-type PeelPart): the parts, or %NULL on a read error
 */
GPtrArray *
peel_node_dup_history_parts_full (PeelNode  *node,
                                  GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);

  g_return_val_if_fail (PEEL_IS_NODE (node), NULL);

  if (node->history == NULL)
    {
      for (guint i = 0; i < node->parts->len; i++)
        {
          PeelPart *part;

          if (((PeelPart *) g_ptr_array_index (node->parts, i))->thought)
            continue;
          part = dup_part (node, i, error);
          if (part == NULL)
            return NULL;
          g_ptr_array_add (out, part);
        }
      return g_steal_pointer (&out);
    }

  for (guint i = 0; i < node->history->len; i++)
    {
      const PeelReplayEntry *entry = g_ptr_array_index (node->history, i);
      PeelPart *part;

      if (entry->part >= 0)
        part = dup_part (node, entry->part, error);
      else
        part = rebuild_text (node, entry, error);
      if (part == NULL)
        return NULL;
      g_ptr_array_add (out, part);
    }
  return g_steal_pointer (&out);
}

/**
 * peel_node_dup_history_parts:
 * @node: a node
 *
 * Like peel_node_dup_history_parts_full() but logs a read error instead of returning it.
 *
 * Returns: (transfer full) (element-type PeelPart) (nullable): the parts to echo
 */
GPtrArray *
peel_node_dup_history_parts (PeelNode *node)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *parts = peel_node_dup_history_parts_full (node, &error);

  if (parts == NULL)
    g_warning ("%s", error->message);
  return parts;
}
