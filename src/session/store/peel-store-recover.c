/* peel-store-recover.c
 *
 * When session.json is damaged or too new, save what can be saved into a new session beside
 * it, without touching the original: the turns found in the journal, and every image in
 * blobs/ that none of them holds.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-node-record.h"
#include "peel-png-meta.h"
#include "peel-session-backend.h"
#include "peel-store-private.h"

static void
collect_hashes (GPtrArray  *blobs,
                GHashTable *into)
{
  for (guint i = 0; i < blobs->len; i++)
    if (g_ptr_array_index (blobs, i) != NULL)
      g_hash_table_add (into, g_strdup (g_ptr_array_index (blobs, i)));
}

/* The name meta.json gives the session, if it can be read. */
char *
_peel_store_read_meta_name (PeelStore *store)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (store->meta_path, FALSE, NULL);
  g_autoptr(PeelJsonDoc) doc = NULL;
  const char *name;

  if (mapped == NULL || g_mapped_file_get_length (mapped) == 0 ||
      !(doc = _peel_json_parse (g_mapped_file_get_contents (mapped),
                                g_mapped_file_get_length (mapped), NULL)) ||
      _peel_json_doc_root (doc)->type != PEEL_JSON_OBJECT ||
      !(name = _peel_json_get_string (_peel_json_doc_root (doc), "name")))
    return NULL;
  return g_strdup (name);
}

/* Every turn line of a snapshot written one turn a line that still reads whole, whatever
 * became of the rest of the file; returns the "seq" its first line gives, 0 if unreadable. */
guint64
_peel_store_read_intact_lines (const char    *snapshot_path,
                               PeelLoadState *st)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (snapshot_path, FALSE, NULL);
  const char *data, *end, *p, *nl;
  guint64 seq = 0;
  gboolean first = TRUE;

  if (mapped == NULL || g_mapped_file_get_length (mapped) == 0)
    return 0;
  data = g_mapped_file_get_contents (mapped);
  end = data + g_mapped_file_get_length (mapped);
  for (p = data; p < end; p = nl + 1)
    {
      const char *line_end;
      g_autoptr(PeelJsonDoc) doc = NULL;
      PeelNode *node;

      if ((nl = memchr (p, '\n', end - p)) == NULL)
        nl = end;
      line_end = nl;
      if (first)
        {
          const char *key = g_strstr_len (p, line_end - p, "\"seq\":");

          first = FALSE;
          if (key != NULL)
            seq = g_ascii_strtoull (key + 6, NULL, 10);
          continue;
        }
      if (line_end > p && line_end[-1] == ',')
        line_end--;
      if (line_end - p < 2 || p[0] != '{' || line_end[-1] != '}' ||
          !(doc = _peel_json_parse (p, line_end - p, NULL)) ||
          _peel_json_doc_root (doc)->type != PEEL_JSON_OBJECT ||
          !(node = _peel_node_from_json (_peel_json_doc_root (doc), NULL)))
        continue;
      g_hash_table_replace (st->nodes, (char *) peel_node_get_id (node), node);
    }
  return seq;
}

/* "prompt" (else "Title") from an image's own PNG text chunks, when it has them. */
static char *
prompt_from_image (GBytes *bytes)
{
  g_autoptr(GHashTable) text = peel_png_read_text (bytes, NULL);
  const char *prompt;

  if (text == NULL)
    return NULL;
  prompt = g_hash_table_lookup (text, "prompt");
  if (prompt == NULL)
    prompt = g_hash_table_lookup (text, "Title");
  return g_strdup (prompt);
}

/**
 * _peel_store_add_loose_blobs:
 * @session: a session being rebuilt
 * @used: the hashes its turns name
 * @error: return location for an error
 *
 * Every image of the session's blobs/ that no turn holds becomes a root turn, named by the
 * prompt in its own metadata when it has one, else "Recovered image". Links and files whose
 * bytes do not match their name are left out.
 */
gboolean
_peel_store_add_loose_blobs (PeelSession  *session,
                             GHashTable   *used,
                             GError      **error)
{
  PeelStore *store = peel_session_get_store (session);
  g_autoptr(GDir) dir = g_dir_open (store->blob_dir, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *hash = NULL;
      g_autofree char *prompt = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(PeelPart) part = NULL;

      if (!_peel_blob_name_parse (entry, &hash) || g_hash_table_contains (used, hash))
        continue;
      /* A link, or bytes that are not what the name says, are not an image of this session. */
      if (!(bytes = _peel_blob_read (store->blob_dir, entry, NULL)))
        continue;
      prompt = prompt_from_image (bytes);
      part = peel_part_new_image (_peel_blob_mime_for_name (entry), bytes, FALSE);
      if (peel_session_add_image (session, NULL, prompt ? prompt : _("Recovered image"), NULL,
                                  NULL, PEEL_IMAGE_SIZE_1K, part, error) == NULL)
        return FALSE;
      if (error != NULL && *error != NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * peel_store_recover_session:
 * @path: the folder of a session that failed to open
 * @error: return location for an error
 *
 * Saves what can be saved of a session whose session.json is damaged or too new, into a new
 * session beside it, leaving @path untouched: the turns in its journal, and every image no
 * recovered turn holds, each as a root named "Recovered image".
 *
 * Returns: (transfer full): the new session, or %NULL
 */
PeelSession *
peel_store_recover_session (const char  *path,
                            GError     **error)
{
  g_autoptr(PeelStore) old = _peel_store_new (path);
  g_autofree char *parent_dir = g_path_get_dirname (old->path);
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDir) dir = NULL;
  PeelLoadState st = { 0 };
  PeelStore *store;
  GHashTableIter iter;
  gpointer value;
  const char *entry;

  guint64 seq;

  _peel_load_state_init (&st);
  /* The turns whose lines are intact, then what the journal holds since. */
  seq = _peel_store_read_intact_lines (old->snapshot_path, &st);
  _peel_store_replay_journal (old->old_journal_path, seq, &st);
  _peel_store_replay_journal (old->journal_path, seq, &st);
  if (st.name == NULL)
    st.name = _peel_store_read_meta_name (old);
  folder = g_path_get_basename (path);
  /* Translators: the name of a session rebuilt from a damaged one */
  name = g_strdup_printf (_("%s (recovered)"), st.name ? st.name : folder);
  session = peel_store_create_session (parent_dir, name, error);
  if (session == NULL)
    {
      _peel_load_state_clear (&st);
      return NULL;
    }
  store = peel_session_get_store (session);

  /* Blobs never change, so the new session can share them by hard link. */
  dir = g_dir_open (old->blob_dir, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *hash = NULL;
      g_autofree char *from = g_build_filename (old->blob_dir, entry, NULL);
      g_autofree char *to = g_build_filename (store->blob_dir, entry, NULL);
      struct stat file_st;

      /* A link (to any file of the user's) is not an image of this session. */
      if (!_peel_blob_name_parse (entry, &hash) || lstat (from, &file_st) < 0 ||
          !S_ISREG (file_st.st_mode))
        continue;
      if (link (from, to) < 0)
        {
          g_autoptr(GFile) src = g_file_new_for_path (from);
          g_autoptr(GFile) dst = g_file_new_for_path (to);

          if (!g_file_copy (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL))
            continue;
        }
    }
  if (!_peel_fsync_dir (store->blob_dir, error))
    {
      _peel_load_state_clear (&st);
      return NULL;
    }

  g_hash_table_iter_init (&iter, st.nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PeelNode *node = value;
      PeelNodeRecord record;

      peel_node_get_record (node, &record);
      collect_hashes (record.part_blobs, used);
      collect_hashes (record.reference_blobs, used);
      collect_hashes (record.extra_blobs, used);
      peel_node_mark_interrupted (node, _("Peel was closed before the answer arrived."));
      _peel_store_give_blob_reader (store, node);
      g_ptr_array_add (nodes, g_object_ref (node));
    }
  peel_session_load_nodes (session, nodes, st.current);
  _peel_load_state_clear (&st);
  for (guint i = 0; i < nodes->len; i++)
    if (!_peel_store_save_node (store, g_ptr_array_index (nodes, i), error))
      return NULL;

  if (!_peel_store_add_loose_blobs (session, used, error))
    return NULL;

  if (!peel_store_compact (store, error))
    return NULL;
  return g_steal_pointer (&session);
}
