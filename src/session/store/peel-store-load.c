/* peel-store-load.c
 *
 * Opening a session: the snapshot is indexed (one turn a line; see peel-store-lazy.c) or,
 * when it is not laid out that way, read whole; then the journal lines written since it are
 * replayed.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "peel-node-record.h"
#include "peel-session-backend.h"
#include "peel-store-private.h"
#include "peel-util.h"

void
_peel_load_state_init (PeelLoadState *st)
{
  memset (st, 0, sizeof *st);
  st->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  st->deleted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
_peel_load_state_clear (PeelLoadState *st)
{
  g_clear_pointer (&st->nodes, g_hash_table_unref);
  g_clear_pointer (&st->deleted, g_hash_table_unref);
  g_clear_pointer (&st->lazy, _peel_lazy_tree_free);
  g_free (st->id);
  g_free (st->name);
  g_free (st->current);
}

static void
apply_record (PeelLoadState *st,
              PeelJson  *record)
{
  const char *op = _peel_json_get_string (record, "op");
  PeelJson *v;

  if (g_strcmp0 (op, "node") == 0 && (v = _peel_json_get_typed (record, "node",
                                                                 PEEL_JSON_OBJECT)))
    {
      PeelNode *node = _peel_node_from_json (v, NULL);

      if (node == NULL)
        st->bad_lines++;
      else
        {
          g_hash_table_remove (st->deleted, peel_node_get_id (node));
          g_hash_table_replace (st->nodes, (char *) peel_node_get_id (node), node);
        }
    }
  else if (g_strcmp0 (op, "delete") == 0 && (v = _peel_json_get_typed (record, "ids",
                                                                       PEEL_JSON_ARRAY)))
    {
      for (PeelJson *id = v->child; id != NULL; id = id->next)
        if (id->type == PEEL_JSON_STRING)
          {
            g_hash_table_remove (st->nodes, id->str);
            g_hash_table_add (st->deleted, g_strdup (id->str));
          }
    }
  else if (g_strcmp0 (op, "session") == 0)
    {
      if (_peel_json_get (record, "name"))
        peel_set_str (&st->name, _peel_json_get_string (record, "name"));
      if (_peel_json_get (record, "current"))
        peel_set_str (&st->current, _peel_json_get_string (record, "current"));
    }
  else
    st->bad_lines++;
}

/* Lines the snapshot already holds (seq <= its seq) are skipped; a last line without its
 * newline was torn by a crash and is ignored. */
void
_peel_store_replay_journal (const char    *path,
                            guint64        after_seq,
                            PeelLoadState *st)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
  const char *contents, *p, *end;

  /* An empty file maps to no memory at all: there is nothing to replay. */
  if (mapped == NULL || g_mapped_file_get_length (mapped) == 0)
    return;
  contents = g_mapped_file_get_contents (mapped);
  p = contents;
  end = contents + g_mapped_file_get_length (mapped);
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      g_autoptr(PeelJsonDoc) doc = NULL;
      PeelJson *root;
      gint64 seq;

      if (nl == NULL)
        {
          st->torn = TRUE;
          break;
        }
      st->valid_len = nl + 1 - contents;
      if (nl == p)
        {
          p = nl + 1;
          continue;
        }
      st->lines++;
      doc = _peel_json_parse (p, nl - p, NULL);
      p = nl + 1;
      if (doc == NULL || (root = _peel_json_doc_root (doc))->type != PEEL_JSON_OBJECT)
        {
          st->bad_lines++;
          continue;
        }
      seq = _peel_json_get_int (root, "seq");
      if (seq > 0 && (guint64) seq <= after_seq)
        continue;
      st->seq = MAX (st->seq, (guint64) MAX (seq, 0));
      apply_record (st, root);
    }
}

static void
set_damaged (GError     **error,
             const char  *path)
{
  g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED,
               _("The session file “%s” is damaged (its contents are not a Peel session). It "
                 "was left as it is; Peel can recover the session’s images and recent turns "
                 "into a new session."), path);
}

/* The snapshot's own fields; its nodes are read by the caller. */
static gboolean
read_header (PeelJson       *root,
             const char     *path,
             PeelLoadState  *st,
             PeelJson      **nodes,
             GError        **error)
{
  gint64 version;

  if (root->type != PEEL_JSON_OBJECT)
    {
      set_damaged (error, path);
      return FALSE;
    }
  version = _peel_json_get_int (root, "version");
  if (version > PEEL_STORE_FORMAT_VERSION)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_UNKNOWN_VERSION,
                   _("The session file “%s” was written by a newer Peel (format %d; this Peel "
                     "reads format %d). It was left as it is: open it with a newer Peel, or "
                     "recover its images into a new session."),
                   path, (int) version, PEEL_STORE_FORMAT_VERSION);
      return FALSE;
    }
  if (version < 1 || !(*nodes = _peel_json_get_typed (root, "nodes", PEEL_JSON_ARRAY)))
    {
      set_damaged (error, path);
      return FALSE;
    }

  peel_set_str (&st->id, _peel_json_get_string (root, "id"));
  peel_set_str (&st->name, _peel_json_get_string (root, "name"));
  peel_set_str (&st->current, _peel_json_get_string (root, "current"));
  st->seq = (guint64) MAX (_peel_json_get_int (root, "seq"), 0);
  return TRUE;
}

static const char *
expect (const char *p,
        const char *end,
        const char *literal)
{
  gsize n = strlen (literal);

  return (gsize) (end - p) >= n && memcmp (p, literal, n) == 0 ? p + n : NULL;
}

/* A plain id: printable ASCII with no escapes, so the bytes are the string. */
static const char *
take_id (const char  *p,
         const char  *end,
         const char **start,
         gsize       *len)
{
  if (p >= end || *p != '"')
    return NULL;
  *start = ++p;
  while (p < end && *p != '"')
    {
      if (*p == '\\' || *p < 0x20 || *p > 0x7e)
        return NULL;
      p++;
    }
  if (p >= end || p == *start)
    return NULL;
  *len = p - *start;
  return p + 1;
}

static const char *
take_int (const char *p,
          const char *end,
          gint64     *value)
{
  gboolean negative = FALSE;
  guint digits = 0;
  gint64 v = 0;

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  while (p < end && g_ascii_isdigit (*p) && digits < 18)
    {
      v = v * 10 + (*p++ - '0');
      digits++;
    }
  if (digits == 0 || p >= end || g_ascii_isdigit (*p))
    return NULL;
  *value = negative ? -v : v;
  return p;
}

/* One turn's line: {"id":"…","parent":"…","created":N, … } (no "parent" for a root) then
 * a comma unless it is the last. Only the start is read; the rest is parsed when the turn
 * is reached. */
static gboolean
index_line (PeelLazyTree *tree,
            const char   *line,
            const char   *end,
            gboolean     *last)
{
  const char *p, *q, *id, *parent = NULL;
  gsize id_len, parent_len = 0;
  gint64 created;

  if (end > line && end[-1] == ',')
    end--;
  else
    *last = TRUE;
  if (end - line < 2 || end[-1] != '}')
    return FALSE;

  if (!(p = expect (line, end, "{\"id\":")) || !(p = take_id (p, end, &id, &id_len)))
    return FALSE;
  if ((q = expect (p, end, ",\"parent\":")) != NULL &&
      !(p = take_id (q, end, &parent, &parent_len)))
    return FALSE;
  if (!(p = expect (p, end, ",\"created\":")) ||
      !(p = take_int (p, end, &created)) || (*p != ',' && *p != '}'))
    return FALSE;
  _peel_lazy_tree_add_line (tree, line, end - line, id, id_len, parent, parent_len, created);
  return TRUE;
}

/* The layout Peel writes: the snapshot's fields on the first line, ending with
 * "nodes":[ ; one turn a line; "]}" on the last. Anything else is read whole instead. */
static gboolean
index_snapshot (GMappedFile    *mapped,
                const char     *path,
                const char     *index_path,
                PeelLoadState  *st,
                gboolean       *indexed,
                GError        **error)
{
  static const char open_nodes[] = "\"nodes\":[";
  const char *data = g_mapped_file_get_contents (mapped);
  gsize size = g_mapped_file_get_length (mapped);
  const char *end = data + size;
  const char *nl, *p;
  g_autoptr(GString) header = NULL;
  g_autoptr(PeelJsonDoc) doc = NULL;
  g_autoptr(PeelLazyTree) tree = NULL;
  g_autoptr(GMappedFile) index = NULL;
  const char *token;
  PeelJson *nodes;
  gboolean last = FALSE;
  guint n;
  int first_root;

  *indexed = FALSE;
  if (size == 0 || (nl = memchr (data, '\n', size)) == NULL ||
      (gsize) (nl - data) < sizeof open_nodes ||
      memcmp (nl - (sizeof open_nodes - 1), open_nodes, sizeof open_nodes - 1) != 0)
    return TRUE;

  /* The first line, closed, is a snapshot with no turns. */
  header = g_string_new_len (data, nl - data);
  g_string_append (header, "]}");
  doc = _peel_json_parse (header->str, header->len, NULL);
  if (doc == NULL)
    return TRUE;
  if (!read_header (_peel_json_doc_root (doc), path, st, &nodes, error))
    return FALSE;

  /* With the session.idx written with this snapshot, nothing more is read now. */
  token = _peel_json_get_string (_peel_json_doc_root (doc), "index");
  if (token != NULL && strlen (token) == 16 && size >= 3 && memcmp (end - 3, "]}\n", 3) == 0 &&
      (index = g_mapped_file_new (index_path, FALSE, NULL)) != NULL &&
      _peel_store_index_check (index, g_ascii_strtoull (token, NULL, 16), size, &n,
                               &first_root))
    {
      st->lazy = _peel_lazy_tree_new_indexed (mapped, index, n, first_root);
      *indexed = TRUE;
      return TRUE;
    }

  tree = _peel_lazy_tree_new (mapped);
  for (p = nl + 1; p < end; p = nl + 1)
    {
      if ((nl = memchr (p, '\n', end - p)) == NULL)
        return TRUE;
      if (last || (nl - p == 2 && p[0] == ']' && p[1] == '}'))
        break;
      if (!index_line (tree, p, nl, &last))
        return TRUE;
    }
  /* The "]}" line ends the file, and no turn line ended without its comma before it. */
  if (p >= end || nl - p != 2 || memcmp (p, "]}", 2) != 0 || nl + 1 != end ||
      (!last && _peel_lazy_tree_get_n_unbuilt (tree) > 0))
    return TRUE;

  st->lazy = g_steal_pointer (&tree);
  *indexed = TRUE;
  return TRUE;
}

static gboolean
load_snapshot (const char     *path,
               const char     *index_path,
               PeelLoadState  *st,
               GError        **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(PeelJsonDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  PeelJson *nodes;
  gboolean indexed;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped != NULL)
    {
      if (!index_snapshot (mapped, path, index_path, st, &indexed, error))
        return FALSE;
      if (indexed)
        return TRUE;
      doc = _peel_json_parse (g_mapped_file_get_contents (mapped),
                              g_mapped_file_get_length (mapped), &local_error);
    }
  if (doc == NULL)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED,
                   _("The session file “%s” is damaged (%s). It was left as it is; Peel can "
                     "recover the session’s images and recent turns into a new session."),
                   path, local_error->message);
      return FALSE;
    }
  if (!read_header (_peel_json_doc_root (doc), path, st, &nodes, error))
    return FALSE;

  for (PeelJson *item = nodes->child; item != NULL; item = item->next)
    {
      PeelNode *node;

      if (item->type != PEEL_JSON_OBJECT || !(node = _peel_node_from_json (item, NULL)))
        {
          set_damaged (error, path);
          return FALSE;
        }
      g_hash_table_replace (st->nodes, (char *) peel_node_get_id (node), node);
    }
  return TRUE;
}

/* What every node read from disk gets: where its bytes are, and the word that Peel stopped
 * while it waited for the answer, so it can be retried. */
void
_peel_store_prepare_loaded_node (PeelStore *store,
                                 PeelNode  *node)
{
  _peel_store_give_blob_reader (store, node);
  peel_node_mark_interrupted (node, _("Peel was closed before the answer arrived."));
}

static PeelSession *
session_from_state (PeelStore *store,
                    PeelLoadState *st)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *fallback_id = g_path_get_basename (store->path);
  PeelSession *session;
  GHashTableIter iter;
  gpointer value;

  /* The folder name is the id, so a copied or imported folder is a session of its own. */
  session = peel_session_new_with_id (fallback_id, st->name);
  if (st->lazy != NULL)
    {
      _peel_lazy_tree_apply_journal (st->lazy, st->nodes, st->deleted);
      store->lazy = g_steal_pointer (&st->lazy);
      _peel_store_attach (store, session);
      peel_session_load_lazily (session, st->current);
      return session;
    }
  g_hash_table_iter_init (&iter, st->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PeelNode *node = value;

      _peel_store_prepare_loaded_node (store, node);
      g_ptr_array_add (nodes, g_object_ref (node));
    }
  peel_session_load_nodes (session, nodes, st->current);
  _peel_store_attach (store, session);
  return session;
}

static gboolean
has_blobs (PeelStore *store)
{
  g_autoptr(GDir) dir = g_dir_open (store->blob_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *hash = NULL;

      if (_peel_blob_name_parse (name, &hash))
        return TRUE;
    }
  return FALSE;
}

static void
add_blob_names (GHashTable *used,
                GPtrArray  *blobs)
{
  for (guint i = 0; i < blobs->len; i++)
    if (g_ptr_array_index (blobs, i) != NULL)
      g_hash_table_add (used, g_ptr_array_index (blobs, i));
}

/* session.json is gone but images are there: rather than an empty session whose next close
 * would collect every image, the turns of the journal stay, each image no turn holds becomes
 * a turn of its own (named by its own metadata when it has some), and a new snapshot is
 * written. Nothing is collected while the session stays open. */
static void
rebuild_snapshot (PeelStore   *store,
                  PeelSession *session)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) made = peel_session_dup_made_nodes (session);

  store->load_damaged = TRUE;
  for (guint i = 0; i < made->len; i++)
    {
      PeelNodeRecord record;

      peel_node_get_record (g_ptr_array_index (made, i), &record);
      add_blob_names (used, record.part_blobs);
      add_blob_names (used, record.reference_blobs);
      add_blob_names (used, record.extra_blobs);
    }
  if (!_peel_store_add_loose_blobs (session, used, &error) ||
      !peel_store_compact (store, &error))
    g_message ("%s: session.json was missing and could not be rebuilt yet: %s", store->path,
               error->message);
  else
    g_message ("%s: session.json was missing; rebuilt from the journal and the images",
               store->path);
}

static gboolean
is_session_dir (const char *path)
{
  const char *names[] = { "session.json", "journal.jsonl", "meta.json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (path, names[i], NULL);

      if (g_file_test (p, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  return FALSE;
}

/**
 * peel_store_open_session:
 * @path: a session's folder
 * @error: return location for an error
 *
 * Loads the snapshot and replays the journal. No image is read: bytes are mapped when
 * needed. A damaged or unknown-version session.json is reported (%PEEL_STORE_ERROR_DAMAGED,
 * %PEEL_STORE_ERROR_UNKNOWN_VERSION) and never touched; peel_store_recover_session() then
 * saves what can be saved.
 *
 * Returns: (transfer full): the session, or %NULL
 */
PeelSession *
peel_store_open_session (const char  *path,
                         GError     **error)
{
  g_autoptr(PeelStore) store = NULL;
  PeelLoadState st;
  PeelSession *session;
  gboolean snapshot_missing;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || !is_session_dir (path))
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION,
                   _("“%s” is not a Peel session folder."), path);
      return NULL;
    }

  store = _peel_store_new (path);
  _peel_load_state_init (&st);
  snapshot_missing = !g_file_test (store->snapshot_path, G_FILE_TEST_EXISTS);
  if (!snapshot_missing &&
      !load_snapshot (store->snapshot_path, store->index_path, &st, error))
    {
      _peel_load_state_clear (&st);
      return NULL;
    }
  /* A compaction was cut short: its old journal comes first, then the current one. */
  if (g_file_test (store->old_journal_path, G_FILE_TEST_EXISTS))
    {
      store->old_journal = TRUE;
      _peel_store_replay_journal (store->old_journal_path, st.seq, &st);
      st.torn = FALSE;
      st.valid_len = 0;
    }
  _peel_store_replay_journal (store->journal_path, st.seq, &st);
  if (st.bad_lines > 0)
    {
      g_warning ("%u damaged lines skipped in %s", st.bad_lines, store->journal_path);
      store->load_damaged = TRUE;
    }

  store->seq = st.seq;
  store->journal_lines = st.lines;
  if (st.torn)
    {
      /* Cut the torn tail so the next line starts clean; if that fails, start on a new line. */
      if (_peel_store_get_io_error () != 0 || truncate (store->journal_path, st.valid_len) < 0)
        store->journal_torn = TRUE;
    }
  if (snapshot_missing && st.name == NULL)
    st.name = _peel_store_read_meta_name (store);
  session = session_from_state (store, &st);
  _peel_load_state_clear (&st);
  if (snapshot_missing && has_blobs (store))
    rebuild_snapshot (store, session);
  /* Turns another process adds while this one has the session open come in. */
  _peel_store_watch (store);
  return session;
}
