/* peel-store-load.c
 *
 * Opening a session: the snapshot is read, then the journal lines written since it are
 * replayed.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "peel-node-private.h"
#include "peel-session-private.h"
#include "peel-store-private.h"

void
_peel_load_state_clear (PeelLoadState *st)
{
  g_clear_pointer (&st->nodes, g_hash_table_unref);
  g_free (st->id);
  g_free (st->name);
  g_free (st->current);
}

static void
set_str (char       **dst,
         const char  *src)
{
  g_free (*dst);
  *dst = g_strdup (src);
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
        g_hash_table_replace (st->nodes, node->id, node);
    }
  else if (g_strcmp0 (op, "delete") == 0 && (v = _peel_json_get_typed (record, "ids",
                                                                       PEEL_JSON_ARRAY)))
    {
      for (PeelJson *id = v->child; id != NULL; id = id->next)
        if (id->type == PEEL_JSON_STRING)
          g_hash_table_remove (st->nodes, id->str);
    }
  else if (g_strcmp0 (op, "session") == 0)
    {
      if (_peel_json_get (record, "name"))
        set_str (&st->name, _peel_json_get_string (record, "name"));
      if (_peel_json_get (record, "current"))
        set_str (&st->current, _peel_json_get_string (record, "current"));
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

static gboolean
load_snapshot (const char  *path,
               const char  *dir,
               PeelLoadState   *st,
               GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(PeelJsonDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  PeelJson *root, *nodes;
  gint64 version;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped != NULL)
    doc = _peel_json_parse (g_mapped_file_get_contents (mapped),
                            g_mapped_file_get_length (mapped), &local_error);
  if (doc == NULL)
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED,
                   _("The session file “%s” is damaged (%s). It was left as it is; Peel can "
                     "recover the session’s images and recent turns into a new session."),
                   path, local_error->message);
      return FALSE;
    }
  root = _peel_json_doc_root (doc);
  if (root->type != PEEL_JSON_OBJECT)
    goto damaged;
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
  if (version < 1 || !(nodes = _peel_json_get_typed (root, "nodes", PEEL_JSON_ARRAY)))
    goto damaged;

  set_str (&st->id, _peel_json_get_string (root, "id"));
  set_str (&st->name, _peel_json_get_string (root, "name"));
  set_str (&st->current, _peel_json_get_string (root, "current"));
  st->seq = (guint64) MAX (_peel_json_get_int (root, "seq"), 0);

  for (PeelJson *item = nodes->child; item != NULL; item = item->next)
    {
      PeelNode *node;

      if (item->type != PEEL_JSON_OBJECT || !(node = _peel_node_from_json (item, NULL)))
        goto damaged;
      g_hash_table_replace (st->nodes, node->id, node);
    }
  return TRUE;

damaged:
  g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_DAMAGED,
               _("The session file “%s” is damaged (its contents are not a Peel session). It "
                 "was left as it is; Peel can recover the session’s images and recent turns "
                 "into a new session."), path);
  return FALSE;
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
  session = _peel_session_new_with_id (fallback_id, st->name);
  g_hash_table_iter_init (&iter, st->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PeelNode *node = value;

      _peel_node_set_blob_dir (node, store->blob_dir);
      /* Peel was stopped while waiting for this answer: say so, so it can be retried. */
      if (node->status == PEEL_NODE_PENDING)
        _peel_node_fail (node, "INTERRUPTED", _("Peel was closed before the answer arrived."));
      g_ptr_array_add (nodes, g_object_ref (node));
    }
  _peel_session_load_nodes (session, nodes, st->current);
  _peel_store_attach (store, session);
  return session;
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
  PeelLoadState st = { 0 };
  PeelSession *session;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || !is_session_dir (path))
    {
      g_set_error (error, PEEL_STORE_ERROR, PEEL_STORE_ERROR_NOT_A_SESSION,
                   _("“%s” is not a Peel session folder."), path);
      return NULL;
    }

  store = _peel_store_new (path);
  st.nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  if (g_file_test (store->snapshot_path, G_FILE_TEST_EXISTS) &&
      !load_snapshot (store->snapshot_path, store->path, &st, error))
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
    g_warning ("%u damaged lines skipped in %s", st.bad_lines, store->journal_path);

  store->seq = st.seq;
  store->journal_lines = st.lines;
  if (st.torn)
    {
      /* Cut the torn tail so the next line starts clean; if that fails, start on a new line. */
      if (_peel_store_get_io_error () != 0 || truncate (store->journal_path, st.valid_len) < 0)
        store->journal_torn = TRUE;
    }
  session = session_from_state (store, &st);
  _peel_load_state_clear (&st);
  return session;
}
