/* peel-store-lazy.c
 *
 * Opening a session without building its tree. session.json keeps one turn a line, so
 * opening maps the file and notes each line's id, parent and time: no turn is parsed and no
 * PeelNode is made. A turn becomes a node when the session reaches it, through the roots, a
 * node's children, its id or the current node, and asks its backend (this file's loader);
 * all the children of a node are made together, the first time they are asked for, so a
 * list of children is always whole. Lines nobody reached are copied as they are into the
 * next snapshot, and their blobs are found without parsing them.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "peel-node-record.h"
#include "peel-session-backend.h"
#include "peel-store-private.h"

typedef struct
{
  const char *line;         /* the record in the snapshot; NULL for a turn from the journal */
  gsize       len;
  const char *raw_id;       /* in the line, not NUL-terminated, until ensure_ids() */
  const char *raw_parent;
  guint       raw_id_len;
  guint       raw_parent_len;
  const char *id;           /* in the tree's string chunk, from ensure_ids() on */
  const char *parent_id;    /* NULL for a root */
  gint64      created;
  PeelNode   *node;         /* owned: from the journal, or made; NULL while only a line */
  int         parent;       /* index of the parent entry, -1 for a root */
  int         first_child;
  int         next_sibling;
  guint       filled : 1;   /* its fields are set (from session.idx, when there is one) */
  guint       built : 1;    /* handed to the session (it may have been deleted since) */
  guint       gone : 1;     /* deleted by a journal line, or an older record of the same id */
  guint       damaged : 1;  /* the line does not parse: it is kept as it is */
} LazyEntry;

struct _PeelLazyTree
{
  GMappedFile  *snapshot;
  GStringChunk *strings;
  LazyEntry    *entries;    /* calloc'd: an entry's memory is touched only when it is */
  guint         n_entries;
  guint         entries_size;
  GHashTable   *by_id;      /* id → index + 1, made with the ids on first need */
  guint         n_unbuilt;  /* live entries not handed to the session yet */
  gboolean      indexed;    /* parent, first_child, next_sibling and first_root are set */
  int           first_root;

  /* With a session.idx written with the snapshot, entries are filled from it when touched,
   * lookups are binary searches, and nothing is done per turn at open. */
  GMappedFile  *index;
  guint         n_indexed;
};

#define ENTRY(tree, i) (&(tree)->entries[(i)])

static void
clear_entry (LazyEntry *entry)
{
  g_clear_object (&entry->node);
}

PeelLazyTree *
_peel_lazy_tree_new (GMappedFile *snapshot)
{
  PeelLazyTree *tree = g_new0 (PeelLazyTree, 1);

  tree->snapshot = g_mapped_file_ref (snapshot);
  tree->strings = g_string_chunk_new (4096);
  return tree;
}

/* @index was checked against @snapshot (_peel_store_index_check()). */
PeelLazyTree *
_peel_lazy_tree_new_indexed (GMappedFile *snapshot,
                             GMappedFile *index,
                             guint        n,
                             int          first_root)
{
  PeelLazyTree *tree = _peel_lazy_tree_new (snapshot);

  tree->index = g_mapped_file_ref (index);
  tree->n_indexed = n;
  tree->n_unbuilt = n;
  tree->first_root = first_root;
  tree->indexed = TRUE;
  tree->entries = g_new0 (LazyEntry, MAX (n, 1));
  tree->n_entries = n;
  tree->entries_size = MAX (n, 1);
  return tree;
}

void
_peel_lazy_tree_free (PeelLazyTree *tree)
{
  if (tree == NULL)
    return;
  for (guint i = 0; i < tree->n_entries; i++)
    clear_entry (ENTRY (tree, i));
  g_free (tree->entries);
  g_clear_pointer (&tree->by_id, g_hash_table_unref);
  g_string_chunk_free (tree->strings);
  g_mapped_file_unref (tree->snapshot);
  g_clear_pointer (&tree->index, g_mapped_file_unref);
  g_free (tree);
}

static void
push_entry (PeelLazyTree    *tree,
            const LazyEntry *entry)
{
  if (tree->n_entries == tree->entries_size)
    {
      tree->entries_size = MAX (16, tree->entries_size * 2);
      tree->entries = g_renew (LazyEntry, tree->entries, tree->entries_size);
    }
  tree->entries[tree->n_entries++] = *entry;
}

/* @line is one record of the snapshot, without its comma; @id and @parent_id point into it
 * and are not NUL-terminated. Nothing is copied or hashed yet: opening only notes where
 * each turn is. */
void
_peel_lazy_tree_add_line (PeelLazyTree *tree,
                          const char   *line,
                          gsize         len,
                          const char   *id,
                          gsize         id_len,
                          const char   *parent_id,
                          gsize         parent_len,
                          gint64        created)
{
  LazyEntry entry = { 0 };

  entry.line = line;
  entry.len = len;
  entry.raw_id = id;
  entry.raw_id_len = id_len;
  entry.raw_parent = parent_id;
  entry.raw_parent_len = parent_len;
  entry.created = created;
  entry.filled = TRUE;
  push_entry (tree, &entry);
  tree->n_unbuilt++;
}

static gboolean
in_range (PeelLazyTree *tree,
          int           i,
          guint         self)
{
  return i >= -1 && i < (int) tree->n_indexed && i != (int) self;
}

/* Record @i's line, if it lies in the snapshot; @id_ok says whether it starts with the id the
 * record names (when not, the line is damaged, but still copied as it is). */
static const char *
indexed_line (PeelLazyTree    *tree,
              guint            i,
              PeelIndexRecord *record,
              gboolean        *id_ok)
{
  const char *data = g_mapped_file_get_contents (tree->snapshot);
  gsize size = g_mapped_file_get_length (tree->snapshot);
  const char *line;

  _peel_store_index_record (tree->index, i, record);
  *id_ok = FALSE;
  if ((gsize) record->offset + record->length > size || record->length == 0)
    return NULL;
  line = data + record->offset;
  *id_ok = record->id_length > 0 && record->length > 7 + record->id_length &&
           memcmp (line, "{\"id\":\"", 7) == 0 && line[7 + record->id_length] == '"';
  return line;
}

static void
fill_entry (PeelLazyTree *tree,
            guint         i,
            LazyEntry    *entry)
{
  PeelIndexRecord record, parent;
  const char *line, *parent_line;
  gboolean id_ok, parent_ok;

  entry->filled = TRUE;
  line = indexed_line (tree, i, &record, &id_ok);
  entry->created = record.created;
  entry->parent = in_range (tree, record.parent, i) ? record.parent : -1;
  entry->first_child = in_range (tree, record.first_child, i) ? record.first_child : -1;
  entry->next_sibling = in_range (tree, record.next_sibling, i) ? record.next_sibling : -1;
  entry->line = line;
  entry->len = line ? record.length : 0;
  if (id_ok)
    entry->id = g_string_chunk_insert_len (tree->strings, line + 7, record.id_length);
  else
    {
      /* Not what the index says: the turn shows as damaged, under a name of its own. */
      g_autofree char *name = g_strdup_printf ("unreadable-%u", i);

      entry->id = g_string_chunk_insert (tree->strings, name);
      entry->damaged = TRUE;
    }
  if (entry->parent >= 0 &&
      (parent_line = indexed_line (tree, entry->parent, &parent, &parent_ok)) != NULL &&
      parent_ok)
    entry->parent_id = g_string_chunk_insert_len (tree->strings, parent_line + 7,
                                                  parent.id_length);
  else
    entry->parent = -1;
}

/* Every access to an entry goes through here: from session.idx, fields are read when first
 * needed. */
static LazyEntry *
get_entry (PeelLazyTree *tree,
           guint         i)
{
  LazyEntry *entry = ENTRY (tree, i);

  if (!entry->filled && tree->index != NULL && i < tree->n_indexed)
    fill_entry (tree, i, entry);
  return entry;
}

static void
add_to_index (PeelLazyTree *tree,
              guint         index)
{
  LazyEntry *entry = get_entry (tree, index);
  gpointer old;

  /* A later record of the same id wins, as when the snapshot was read whole. */
  if ((old = g_hash_table_lookup (tree->by_id, entry->id)) != NULL &&
      !get_entry (tree, GPOINTER_TO_UINT (old) - 1)->gone)
    {
      get_entry (tree, GPOINTER_TO_UINT (old) - 1)->gone = TRUE;
      tree->n_unbuilt--;
    }
  g_hash_table_insert (tree->by_id, (char *) entry->id, GUINT_TO_POINTER (index + 1));
}

/* The ids as strings, and the table from id to entry: made the first time a turn is looked
 * up, counted or reached. */
static void
ensure_ids (PeelLazyTree *tree)
{
  if (tree->by_id != NULL)
    return;
  tree->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < tree->n_entries; i++)
    {
      LazyEntry *entry = get_entry (tree, i);

      if (entry->id == NULL)
        entry->id = g_string_chunk_insert_len (tree->strings, entry->raw_id, entry->raw_id_len);
      if (entry->parent_id == NULL && entry->raw_parent != NULL)
        entry->parent_id = g_string_chunk_insert_len (tree->strings, entry->raw_parent,
                                                      entry->raw_parent_len);
      add_to_index (tree, i);
    }
}

/* A turn only the journal has. */
static LazyEntry *
append_entry (PeelLazyTree *tree,
              PeelNode     *node)
{
  const char *parent_id = peel_node_get_parent_id (node);
  LazyEntry entry = { 0 };

  entry.id = g_string_chunk_insert (tree->strings, peel_node_get_id (node));
  entry.parent_id = parent_id ? g_string_chunk_insert (tree->strings, parent_id) : NULL;
  entry.created = peel_node_get_created (node);
  entry.filled = TRUE;
  push_entry (tree, &entry);
  tree->n_unbuilt++;
  add_to_index (tree, tree->n_entries - 1);
  return get_entry (tree, tree->n_entries - 1);
}

/* The journal's word is the last: turns it deleted are gone, turns it wrote replace the
 * snapshot's lines or come in addition to them. */
void
_peel_lazy_tree_apply_journal (PeelLazyTree *tree,
                               GHashTable   *nodes,
                               GHashTable   *deleted)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (nodes) == 0 && g_hash_table_size (deleted) == 0)
    return;
  /* The journal changes the tree the index describes: from here on, as if scanned. */
  if (tree->index != NULL)
    {
      for (guint i = 0; i < tree->n_entries; i++)
        get_entry (tree, i);
      g_clear_pointer (&tree->index, g_mapped_file_unref);
      tree->n_indexed = 0;
      tree->indexed = FALSE;
    }
  ensure_ids (tree);
  g_hash_table_iter_init (&iter, deleted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (tree->by_id, key));

      if (index > 0 && !get_entry (tree, index - 1)->gone)
        {
          get_entry (tree, index - 1)->gone = TRUE;
          tree->n_unbuilt--;
        }
    }

  g_hash_table_iter_init (&iter, nodes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PeelNode *node = value;
      const char *parent_id = peel_node_get_parent_id (node);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (tree->by_id, peel_node_get_id (node)));
      LazyEntry *entry;

      if (index > 0 && !get_entry (tree, index - 1)->gone)
        {
          entry = get_entry (tree, index - 1);
          entry->parent_id = parent_id ? g_string_chunk_insert (tree->strings, parent_id) : NULL;
          entry->created = peel_node_get_created (node);
        }
      else
        entry = append_entry (tree, node);
      g_set_object (&entry->node, node);
    }
}

/* Exact: an id written twice (a damaged file) counts once. */
guint
_peel_lazy_tree_get_n_unbuilt (PeelLazyTree *tree)
{
  if (tree == NULL)
    return 0;
  if (tree->index == NULL)
    ensure_ids (tree);
  return tree->n_unbuilt;
}

static int
lookup (PeelLazyTree *tree,
        const char   *id)
{
  if (tree->index != NULL)
    {
      guint lo = 0, hi = tree->n_indexed;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          guint i = _peel_store_index_by_id (tree->index, tree->n_indexed, mid);
          int cmp;

          if (i >= tree->n_indexed)
            return -1;
          cmp = strcmp (get_entry (tree, i)->id, id);
          if (cmp == 0)
            return (int) i;
          if (cmp < 0)
            lo = mid + 1;
          else
            hi = mid;
        }
      return -1;
    }
  ensure_ids (tree);
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (tree->by_id, id)) - 1;
}

/* Parents by index, with lost parents and cycles (a damaged file) made roots, then each
 * entry's children as a list. Done once, the first time the tree is walked. */
static void
index_children (PeelLazyTree *tree)
{
  guint n = tree->n_entries;
  g_autofree guint8 *color = NULL;
  g_autofree int *path = NULL;

  if (tree->indexed)
    return;
  tree->indexed = TRUE;
  ensure_ids (tree);

  for (guint i = 0; i < n; i++)
    {
      LazyEntry *e = get_entry (tree, i);
      int p = e->parent_id ? lookup (tree, e->parent_id) : -1;

      e->parent = (p >= 0 && (guint) p != i && !get_entry (tree, p)->gone) ? p : -1;
      e->first_child = e->next_sibling = -1;
    }

  color = g_new0 (guint8, n);   /* 0 not seen, 1 on the current walk, 2 done */
  path = g_new (int, n);
  for (guint i = 0; i < n; i++)
    {
      guint len = 0;
      int j = i;

      while (j >= 0 && color[j] == 0)
        {
          color[j] = 1;
          path[len++] = j;
          j = get_entry (tree, j)->parent;
        }
      if (j >= 0 && color[j] == 1)
        get_entry (tree, j)->parent = -1;
      for (guint k = 0; k < len; k++)
        color[path[k]] = 2;
    }

  tree->first_root = -1;
  for (guint i = n; i > 0; i--)
    {
      LazyEntry *e = get_entry (tree, i - 1);

      if (e->gone)
        continue;
      if (e->parent < 0)
        {
          e->next_sibling = tree->first_root;
          tree->first_root = i - 1;
          continue;
        }
      e->next_sibling = get_entry (tree, e->parent)->first_child;
      get_entry (tree, e->parent)->first_child = i - 1;
    }
}

static PeelNode *
damaged_node (LazyEntry *entry)
{
  PeelNode *node = peel_node_new_damaged (entry->id, entry->parent_id, entry->created,
                                          "DAMAGED",
                                          _("This turn could not be read from the session file. "
                                            "The file was left as it is; the other turns are "
                                            "not affected."));

  entry->damaged = TRUE;
  return node;
}

static PeelNode *
node_from_line (LazyEntry *entry)
{
  g_autoptr(PeelJsonDoc) doc = NULL;
  PeelJson *root;
  PeelNode *node;

  if (entry->line == NULL)
    return damaged_node (entry);
  doc = _peel_json_parse (entry->line, entry->len, NULL);

  if (doc == NULL || (root = _peel_json_doc_root (doc))->type != PEEL_JSON_OBJECT ||
      (node = _peel_node_from_json (root, NULL)) == NULL)
    return damaged_node (entry);
  /* A record whose later members contradict its first ones is damaged too. */
  if (!g_str_equal (peel_node_get_id (node), entry->id) ||
      g_strcmp0 (peel_node_get_parent_id (node), entry->parent_id) != 0)
    {
      g_object_unref (node);
      return damaged_node (entry);
    }
  return node;
}

static gint
compare_created (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  PeelLazyTree *tree = user_data;
  int ia = *(const int *) a, ib = *(const int *) b;
  gint64 ca = get_entry (tree, ia)->created, cb = get_entry (tree, ib)->created;

  if (ca != cb)
    return ca < cb ? -1 : 1;
  return (ia > ib) - (ia < ib);
}

/* The loader the session calls (PeelSessionBackend): @parent was made from @store's tree,
 * or is %NULL for the roots. */
GPtrArray *
_peel_store_load_children (PeelStore *store,
                           PeelNode  *parent,
                           GArray    *has_children)
{
  PeelLazyTree *tree = store->lazy;
  g_autoptr(GArray) kids = NULL;
  GPtrArray *nodes = g_ptr_array_new_with_free_func (g_object_unref);
  int head;

  if (tree == NULL)
    return nodes;

  index_children (tree);
  kids = g_array_new (FALSE, FALSE, sizeof (int));
  head = tree->first_root;
  if (parent != NULL)
    {
      int p = lookup (tree, peel_node_get_id (parent));

      if (p < 0 || get_entry (tree, p)->node != parent)
        return nodes;
      head = get_entry (tree, p)->first_child;
    }
  /* At most every entry once: a damaged index cannot make this loop. */
  for (int c = head; c >= 0 && kids->len < tree->n_entries; c = get_entry (tree, c)->next_sibling)
    g_array_append_val (kids, c);
  g_array_sort_with_data (kids, compare_created, tree);

  for (guint k = 0; k < kids->len; k++)
    {
      LazyEntry *entry = get_entry (tree, g_array_index (kids, int, k));
      gboolean more;

      if (entry->gone || entry->built)
        continue;
      if (entry->node == NULL)
        entry->node = node_from_line (entry);
      entry->built = TRUE;
      tree->n_unbuilt--;

      _peel_store_prepare_loaded_node (store, entry->node);
      more = entry->first_child >= 0;
      g_array_append_val (has_children, more);
      g_ptr_array_add (nodes, g_object_ref (entry->node));
    }
  return nodes;
}

/* The way to a turn not made yet, one step at a time: the made node whose children are to
 * be made next (%NULL for the roots) in @expand, or, once it is made, the node in @made. */
gboolean
_peel_store_step_toward (PeelStore   *store,
                         const char  *id,
                         PeelNode   **made,
                         PeelNode   **expand)
{
  PeelLazyTree *tree = store->lazy;
  int index, top = -1;
  guint steps = 0;

  *made = *expand = NULL;
  if (tree == NULL || (index = lookup (tree, id)) < 0 || get_entry (tree, index)->gone)
    return FALSE;
  if (get_entry (tree, index)->built)
    {
      *made = get_entry (tree, index)->node;
      return TRUE;
    }
  index_children (tree);
  for (int j = index; j >= 0 && !get_entry (tree, j)->built && steps <= tree->n_entries;
       j = get_entry (tree, j)->parent, steps++)
    top = j;
  if (get_entry (tree, top)->parent >= 0)
    *expand = get_entry (tree, get_entry (tree, top)->parent)->node;
  return TRUE;
}

/* Whether @store was opened from a session.idx (for tests: the shortcut is really taken). */
gboolean
_peel_store_opened_from_index (PeelStore *store)
{
  return store->lazy != NULL && store->lazy->index != NULL;
}

gboolean
_peel_store_lazy_has_id (PeelStore  *store,
                         const char *id)
{
  return store->lazy != NULL && lookup (store->lazy, id) >= 0;
}

guint
_peel_store_lazy_n_unbuilt (PeelStore *store)
{
  return _peel_lazy_tree_get_n_unbuilt (store->lazy);
}

/* The id of the newest live turn not made yet (at @newer than @created), or %NULL. */
const char *
_peel_store_lazy_newest (PeelStore *store,
                         gint64     created)
{
  PeelLazyTree *tree = store->lazy;
  const char *newest = NULL;

  if (tree == NULL)
    return NULL;
  ensure_ids (tree);
  for (guint i = 0; i < tree->n_entries; i++)
    {
      LazyEntry *entry = get_entry (tree, i);

      if (!entry->gone && !entry->built && entry->created >= created)
        {
          newest = entry->id;
          created = entry->created;
        }
    }
  return newest;
}

/* Ids of live turns not made yet that start with @prefix: up to two are enough to tell. */
guint
_peel_store_lazy_match_prefix (PeelStore   *store,
                               const char  *prefix,
                               const char **match)
{
  PeelLazyTree *tree = store->lazy;
  guint found = 0;

  if (tree != NULL)
    ensure_ids (tree);
  for (guint i = 0; tree != NULL && i < tree->n_entries && found < 2; i++)
    {
      LazyEntry *entry = get_entry (tree, i);

      if (!entry->gone && !entry->built && g_str_has_prefix (entry->id, prefix))
        {
          *match = entry->id;
          found++;
        }
    }
  return found;
}

/* Notes where a line of the snapshot is, for session.idx. */
static void
note_line (GArray     *lines,
           const char *id,
           const char *parent_id,
           gint64      created,
           gsize       start,
           gsize       end)
{
  PeelIndexLine line = { g_strdup (id), g_strdup (parent_id), created, start, end - start };

  if (lines != NULL)
    g_array_append_val (lines, line);
}

static void
append_node_line (GString  *out,
                  GString  *scratch,
                  PeelNode *node,
                  GArray   *lines)
{
  gsize start = out->len;

  g_string_truncate (scratch, 0);
  _peel_node_write_json (node, scratch);
  g_string_append_len (out, scratch->str, scratch->len);
  note_line (lines, peel_node_get_id (node), peel_node_get_parent_id (node),
             peel_node_get_created (node), start, out->len);
}

/**
 * _peel_store_append_snapshot_nodes:
 * @store: the store of @session
 * @session: a session
 * @out: where the snapshot is being written, just after `"nodes":[`
 * @lines: (nullable) (element-type PeelIndexLine): where each line went, for session.idx
 *
 * Every live turn, one a line: made nodes as they are now, and the lines nobody reached
 * copied byte for byte (a damaged one too, so nothing is lost by rewriting the file).
 */
void
_peel_store_append_snapshot_nodes (PeelStore   *store,
                                   PeelSession *session,
                                   GString     *out,
                                   GArray      *lines)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  PeelLazyTree *tree = store->lazy;
  gboolean first = TRUE;

#define NEXT_LINE() G_STMT_START { g_string_append (out, first ? "\n" : ",\n"); first = FALSE; } G_STMT_END

  if (tree == NULL)
    {
      g_autoptr(GPtrArray) nodes = peel_session_dup_nodes (session);

      for (guint i = 0; i < nodes->len; i++)
        {
          NEXT_LINE ();
          append_node_line (out, scratch, g_ptr_array_index (nodes, i), lines);
        }
    }
  else
    {
      g_autoptr(GPtrArray) made = peel_session_dup_made_nodes (session);

      for (guint i = 0; i < tree->n_entries; i++)
        {
          LazyEntry *entry = get_entry (tree, i);
          gsize start;

          if (entry->gone)
            continue;
          if (entry->built && !peel_session_holds_node (session, entry->node))
            continue;
          if (entry->node != NULL && !entry->damaged)
            {
              NEXT_LINE ();
              append_node_line (out, scratch, entry->node, lines);
              continue;
            }
          if (entry->line == NULL)
            {
              g_warning ("A turn session.idx misplaced is left out of the new snapshot");
              continue;
            }
          NEXT_LINE ();
          start = out->len;
          g_string_append_len (out, entry->line, entry->len);
          note_line (lines, entry->id, entry->parent_id, entry->created, start, out->len);
        }
      /* Turns added since the session was opened. */
      for (guint i = 0; i < made->len; i++)
        {
          PeelNode *node = g_ptr_array_index (made, i);
          int index = lookup (tree, peel_node_get_id (node));

          if (index >= 0 && get_entry (tree, index)->node == node)
            continue;
          NEXT_LINE ();
          append_node_line (out, scratch, node, lines);
        }
    }
  g_string_append_c (out, '\n');

#undef NEXT_LINE
}

/* The blobs named by lines nobody reached, for the clean-up on close. */
/* Returns %FALSE if a line could not be read whole: its turn may name any blob. */
gboolean
_peel_store_lazy_add_blobs (PeelStore  *store,
                            GHashTable *used,
                            void      (*add_node) (GHashTable *used,
                                                   PeelNode   *node))
{
  static const char key[] = "\"blob\":\"";
  PeelLazyTree *tree = store->lazy;
  gboolean clean = TRUE;

  for (guint i = 0; tree != NULL && i < tree->n_entries; i++)
    {
      LazyEntry *entry = get_entry (tree, i);
      const char *p, *end;

      if (entry->damaged)
        clean = FALSE;
      if (entry->gone || entry->built)
        continue;
      if (entry->node != NULL && !entry->damaged)
        {
          add_node (used, entry->node);
          continue;
        }
      if (entry->line == NULL)
        {
          clean = FALSE;
          continue;
        }
      if (clean)
        {
          g_autoptr(PeelNode) node = node_from_line (entry);

          clean = !entry->damaged;
        }
      p = entry->line;
      end = entry->line + entry->len;
      while ((p = g_strstr_len (p, end - p, key)) != NULL)
        {
          p += sizeof key - 1;
          if (end - p > 64 && p[64] == '"')
            g_hash_table_add (used, g_string_chunk_insert_len (tree->strings, p, 64));
        }
    }
  return clean;
}
