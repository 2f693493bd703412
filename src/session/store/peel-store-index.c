/* peel-store-index.c
 *
 * session.idx: where each turn's line is in session.json, and the tree's shape, in fixed-size
 * records a loader maps rather than reads. Written with each snapshot (the tree is walked
 * then anyway); opening a session with a matching index then costs the same for 500 turns as
 * for 10. It is only ever a shortcut: a missing, stale or damaged index is ignored, and the
 * snapshot's lines are scanned instead (peel-store-load.c).
 *
 * Layout, little-endian: a 48-byte header ("PEELIDX1", u32 version, u32 n, u64 token, u64
 * the snapshot's size, i32 first root, u64 FNV-1a (by 64-bit words) of all that follows the
 * header, 4 bytes reserved), then n records of 32 bytes (u32 line offset, u32 line length,
 * i64 created, i32 parent, i32 first child, i32 next sibling, u32 id length), then n u32: the
 * records in the order of their ids. The token is also in
 * session.json's first line, so an index only ever describes the snapshot written with it.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-store-private.h"

#define MAGIC "PEELIDX1"
#define VERSION 1
#define HEADER_SIZE 48
#define RECORD_SIZE 32

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &v, 4);
}

static void
put_u64 (GByteArray *out,
         guint64     v)
{
  v = GUINT64_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &v, 8);
}

/* FNV-1a, 64 bits, taken eight bytes at a time: a damaged index is refused rather than
 * trusted, at about 5 µs for the 18 kB of 500 turns. */
static guint64
fnv1a (const guint8 *p,
       gsize         len)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 word;

      memcpy (&word, p + i, 8);
      h ^= GUINT64_FROM_LE (word);
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  for (; i < len; i++)
    {
      h ^= p[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

static guint32
get_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
get_u64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

static gint
compare_created (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GArray *lines = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  gint64 ca = g_array_index (lines, PeelIndexLine, ia).created;
  gint64 cb = g_array_index (lines, PeelIndexLine, ib).created;

  if (ca != cb)
    return ca < cb ? -1 : 1;
  return (ia > ib) - (ia < ib);
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  GArray *lines = user_data;

  return strcmp (g_array_index (lines, PeelIndexLine, *(const guint *) a).id,
                 g_array_index (lines, PeelIndexLine, *(const guint *) b).id);
}

/**
 * _peel_store_index_build:
 * @lines: (element-type PeelIndexLine): each turn's line in the snapshot, in file order
 * @token: the token written in the snapshot's first line
 * @snapshot_size: the snapshot's length in bytes
 *
 * Returns: (nullable): the index, or %NULL when these lines cannot have one (an id written
 *   twice or too long): the loader then scans the lines
 */
GBytes *
_peel_store_index_build (GArray     *lines,
                         guint64     token,
                         gsize       snapshot_size)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GByteArray) out = NULL;
  g_autofree int *parent = NULL;
  g_autofree int *first_child = NULL;
  g_autofree int *next_sibling = NULL;
  g_autofree guint *order = NULL;
  guint n = lines->len;
  int first_root = -1;

  if (snapshot_size > G_MAXUINT32)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      const PeelIndexLine *line = &g_array_index (lines, PeelIndexLine, i);

      if (strlen (line->id) > 255 || !g_hash_table_insert (by_id, line->id, GUINT_TO_POINTER (i)))
        return NULL;
    }

  parent = g_new (int, n);
  first_child = g_new (int, n);
  next_sibling = g_new (int, n);
  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      const PeelIndexLine *line = &g_array_index (lines, PeelIndexLine, i);
      gpointer p;

      parent[i] = line->parent_id && g_hash_table_lookup_extended (by_id, line->parent_id, NULL, &p)
                ? (int) GPOINTER_TO_UINT (p) : -1;
      first_child[i] = next_sibling[i] = -1;
      order[i] = i;
    }

  /* Children, and roots, oldest first: linked newest first so each lands at the front. */
  g_qsort_with_data (order, n, sizeof (guint), compare_created, lines);
  for (guint k = n; k > 0; k--)
    {
      guint i = order[k - 1];
      int *head = parent[i] >= 0 ? &first_child[parent[i]] : &first_root;

      next_sibling[i] = *head;
      *head = (int) i;
    }

  out = g_byte_array_sized_new (HEADER_SIZE + n * (RECORD_SIZE + 4));
  g_byte_array_append (out, (const guint8 *) MAGIC, 8);
  put_u32 (out, VERSION);
  put_u32 (out, n);
  put_u64 (out, token);
  put_u64 (out, snapshot_size);
  put_u32 (out, (guint32) first_root);
  put_u64 (out, 0);   /* the checksum, set below */
  put_u32 (out, 0);

  for (guint i = 0; i < n; i++)
    {
      const PeelIndexLine *line = &g_array_index (lines, PeelIndexLine, i);

      put_u32 (out, (guint32) line->offset);
      put_u32 (out, (guint32) line->length);
      put_u64 (out, (guint64) line->created);
      put_u32 (out, (guint32) parent[i]);
      put_u32 (out, (guint32) first_child[i]);
      put_u32 (out, (guint32) next_sibling[i]);
      put_u32 (out, (guint32) strlen (line->id));
    }

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), compare_ids, lines);
  for (guint i = 0; i < n; i++)
    put_u32 (out, order[i]);

  {
    guint64 sum = GUINT64_TO_LE (fnv1a (out->data + HEADER_SIZE, out->len - HEADER_SIZE));

    memcpy (out->data + 36, &sum, 8);
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

void
_peel_index_line_clear (PeelIndexLine *line)
{
  g_free (line->id);
  g_free (line->parent_id);
}

/**
 * _peel_store_index_check:
 * @index: a mapped session.idx
 * @token: the token in the snapshot's first line
 * @snapshot_size: the snapshot's size
 * @n: (out): how many turns it holds
 * @first_root: (out): the oldest root, -1 if none
 *
 * Whether @index was written with this snapshot and is whole.
 */
gboolean
_peel_store_index_check (GMappedFile *index,
                         guint64      token,
                         gsize        snapshot_size,
                         guint       *n,
                         int         *first_root)
{
  const guint8 *p = (const guint8 *) g_mapped_file_get_contents (index);
  gsize size = g_mapped_file_get_length (index);
  guint32 count;

  if (size < HEADER_SIZE || memcmp (p, MAGIC, 8) != 0 || get_u32 (p + 8) != VERSION)
    return FALSE;
  count = get_u32 (p + 12);
  if (get_u64 (p + 16) != token || get_u64 (p + 24) != snapshot_size ||
      count > (size - HEADER_SIZE) / (RECORD_SIZE + 4) ||
      size != HEADER_SIZE + (gsize) count * (RECORD_SIZE + 4))
    return FALSE;
  if (get_u64 (p + 36) != fnv1a (p + HEADER_SIZE, size - HEADER_SIZE))
    return FALSE;
  *n = count;
  *first_root = (int) get_u32 (p + 32);
  return *first_root >= -1 && *first_root < (int) count;
}

/* Record @i of a checked index; fields out of range are the caller's to refuse. */
void
_peel_store_index_record (GMappedFile     *index,
                          guint            i,
                          PeelIndexRecord *record)
{
  const guint8 *p = (const guint8 *) g_mapped_file_get_contents (index) + HEADER_SIZE +
                    (gsize) i * RECORD_SIZE;

  record->offset = get_u32 (p);
  record->length = get_u32 (p + 4);
  record->created = (gint64) get_u64 (p + 8);
  record->parent = (int) get_u32 (p + 16);
  record->first_child = (int) get_u32 (p + 20);
  record->next_sibling = (int) get_u32 (p + 24);
  record->id_length = get_u32 (p + 28);
}

/* The record that comes @k-th in the order of ids. */
guint
_peel_store_index_by_id (GMappedFile *index,
                         guint        n,
                         guint        k)
{
  const guint8 *p = (const guint8 *) g_mapped_file_get_contents (index) + HEADER_SIZE +
                    (gsize) n * RECORD_SIZE;

  return get_u32 (p + (gsize) k * 4);
}
