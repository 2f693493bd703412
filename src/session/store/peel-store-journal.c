/* peel-store-journal.c
 *
 * Saving changes: each is queued and handed to the writer thread (peel-store-writer.c), which
 * appends it to journal.jsonl as one line (its blobs written first); the journal is compacted
 * into session.json now and then.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "peel-node-record.h"
#include "peel-session-backend.h"
#include "peel-store-private.h"

void
_peel_store_pending_free (PeelStorePending *p)
{
  g_clear_object (&p->node);
  g_free (p->line);
  g_free (p);
}

static PeelNode *
meta_image_node (PeelSession *session)
{
  PeelNode *current = peel_session_get_current (session);
  g_autoptr(GPtrArray) all = NULL;
  PeelNode *best = NULL;

  if (current != NULL && peel_node_get_final_blob (current) != NULL)
    return current;
  all = peel_session_dup_nodes (session);
  for (guint i = 0; i < all->len; i++)
    {
      PeelNode *node = g_ptr_array_index (all, i);

      if (peel_node_get_final_blob (node) != NULL &&
          (best == NULL || peel_node_get_created (node) > peel_node_get_created (best)))
        best = node;
    }
  return best;
}

/* meta.json's text; the writer thread writes it. */
char *
_peel_store_meta_text (PeelStore   *self,
                       PeelSession *session)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  PeelNode *current = peel_session_get_current (session);
  PeelNode *image = meta_image_node (session);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, PEEL_STORE_FORMAT_VERSION);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, peel_session_get_id (session));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, peel_session_get_name (session));
  /* When the last change was made, not when the writer got to it: the sessions list sorts
   * by it. */
  json_builder_set_member_name (b, "modified");
  json_builder_add_int_value (b, self->last_change ? self->last_change : g_get_real_time ());
  json_builder_set_member_name (b, "nodes");
  json_builder_add_int_value (b, peel_session_get_n_nodes (session));
  if (current != NULL)
    {
      json_builder_set_member_name (b, "current");
      json_builder_add_string_value (b, peel_node_get_id (current));
    }
  if (image != NULL)
    {
      const PeelPart *part = peel_node_get_final_image (image);
      const char *hash = peel_node_get_final_blob (image);
      g_autofree char *blob = g_strdup_printf ("blobs/%s.%s", hash,
                                               _peel_blob_extension (part->mime_type));
      g_autofree char *thumb = g_strdup_printf ("thumbs/%s.png", hash);

      json_builder_set_member_name (b, "image");
      json_builder_add_string_value (b, blob);
      json_builder_set_member_name (b, "thumbnail");
      json_builder_add_string_value (b, thumb);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

static gboolean
write_meta (PeelStore    *self,
            PeelSession  *session,
            GError      **error)
{
  g_autofree char *text = _peel_store_meta_text (self, session);

  return _peel_write_file_atomic (self->meta_path, text, strlen (text), 0600, error);
}


/* Queues the change and gives it to the writer thread: nothing here waits for the disk. */
static gboolean
enqueue (PeelStore         *self,
         PeelStorePending  *item,
         GError           **error)
{
  g_autoptr(PeelSession) session = g_weak_ref_get (&self->session);

  /* Already waiting, with no deletion after it: its record is made when the batch is, so it
   * will be up to date. */
  for (GList *l = self->pending.tail; item->node != NULL && l != NULL; l = l->prev)
    {
      PeelStorePending *p = l->data;

      if (p->node == NULL && p->line != NULL && g_str_has_prefix (p->line, "{\"op\":\"delete\""))
        break;
      if (p->node == item->node)
        {
          g_clear_pointer (&item, _peel_store_pending_free);
          break;
        }
    }
  if (item != NULL)
    g_queue_push_tail (&self->pending, item);
  self->last_change = g_get_real_time ();

  _peel_store_kick (self, session);
  return TRUE;
}

gboolean
_peel_store_save_node (PeelStore  *store,
                       PeelNode   *node,
                       GError    **error)
{
  PeelStorePending *p = g_new0 (PeelStorePending, 1);

  p->node = g_object_ref (node);
  p->durable = TRUE;
  return enqueue (store, p, error);
}

gboolean
_peel_store_save_delete (PeelStore  *store,
                         GPtrArray  *nodes,
                         GError    **error)
{
  GString *record = g_string_new ("{\"op\":\"delete\",\"ids\":[");
  PeelStorePending *p = g_new0 (PeelStorePending, 1);

  for (guint i = 0; i < nodes->len; i++)
    {
      if (i > 0)
        g_string_append_c (record, ',');
      _peel_json_append_string (record, peel_node_get_id (g_ptr_array_index (nodes, i)));
    }
  g_string_append (record, "]}");
  p->line = g_string_free (record, FALSE);
  p->durable = TRUE;
  return enqueue (store, p, error);
}

gboolean
_peel_store_save_session (PeelStore  *store,
                          gboolean    durable,
                          GError    **error)
{
  g_autoptr(PeelSession) session = g_weak_ref_get (&store->session);
  PeelNode *current;
  GString *record;
  PeelStorePending *p;

  if (session == NULL)
    return TRUE;
  current = peel_session_get_current (session);
  record = g_string_new ("{\"op\":\"session\"");
  _peel_json_append_key (record, "name");
  _peel_json_append_string (record, peel_session_get_name (session));
  _peel_json_append_key (record, "current");
  if (current != NULL)
    _peel_json_append_string (record, peel_node_get_id (current));
  else
    g_string_append (record, "null");
  g_string_append_c (record, '}');

  p = g_new0 (PeelStorePending, 1);
  p->line = g_string_free (record, FALSE);
  p->durable = durable;
  return enqueue (store, p, error);
}

/* The snapshot, and in @index the session.idx that goes with it (NULL if it cannot have one). */
static char *
snapshot_text (PeelStore    *store,
               PeelSession  *session,
               GBytes      **index)
{
  PeelNode *current = peel_session_get_current (session);
  GString *out = g_string_sized_new (1024 + peel_session_get_n_nodes (session) * 700);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (PeelIndexLine));
  guint64 token = ((guint64) g_random_int () << 32) | g_random_int ();

  g_string_append_printf (out, "{\"format\":\"peel-session\",\"version\":%d",
                          PEEL_STORE_FORMAT_VERSION);
  _peel_json_append_key (out, "id");
  _peel_json_append_string (out, peel_session_get_id (session));
  _peel_json_append_key (out, "name");
  _peel_json_append_string (out, peel_session_get_name (session));
  g_string_append_printf (out, ",\"seq\":%" G_GUINT64_FORMAT, store->seq);
  if (current != NULL)
    {
      _peel_json_append_key (out, "current");
      _peel_json_append_string (out, peel_node_get_id (current));
    }
  g_string_append_printf (out, ",\"index\":\"%016" G_GINT64_MODIFIER "x\"", token);
  /* One turn a line, so the next open can index the lines without parsing them. */
  _peel_json_append_key (out, "nodes");
  g_string_append_c (out, '[');
  g_array_set_clear_func (lines, (GDestroyNotify) _peel_index_line_clear);
  _peel_store_append_snapshot_nodes (store, session, out, lines);
  g_string_append (out, "]}\n");
  *index = _peel_store_index_build (lines, token, out->len);
  return g_string_free (out, FALSE);
}

/* session.idx only ever saves a scan: when it cannot be written, the stale one is removed
 * (it would not match anyway) and the next open scans the lines. */
static void
write_index (PeelStore *store,
             GBytes    *index)
{
  g_autoptr(GError) error = NULL;

  if (index == NULL ||
      !_peel_write_file_atomic (store->index_path, g_bytes_get_data (index, NULL),
                                g_bytes_get_size (index), 0600, &error))
    {
      if (error != NULL)
        g_debug ("session.idx not written: %s", error->message);
      g_unlink (store->index_path);
    }
}

static void
wait_compactor (PeelStore *store)
{
  g_clear_pointer (&store->compactor, g_thread_join);
  if (g_atomic_int_get (&store->compact_failed))
    {
      store->old_journal = TRUE;
      g_atomic_int_set (&store->compact_failed, FALSE);
    }
}

/* With the lock held: takes in what other processes wrote, then writes the snapshot of the
 * whole tree and an empty journal. */
gboolean
_peel_store_compact_locked (PeelStore    *store,
                            PeelSession  *session,
                            GError      **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) index = NULL;

  _peel_store_reopen_journal_if_moved (store);
  _peel_store_take_in_locked (store, session);

  text = snapshot_text (store, session, &index);
  if (!_peel_write_file_atomic (store->snapshot_path, text, strlen (text), 0600, error))
    return FALSE;
  write_index (store, index);

  /* The snapshot holds everything now; an empty journal replaces the old one atomically. */
  if (!_peel_write_atomic (store->journal_path, NULL, "", 0, 0600, FALSE, error))
    return FALSE;
  if (store->journal_fd >= 0)
    close (store->journal_fd);
  store->journal_fd = -1;
  store->journal_lines = 0;
  store->journal_torn = FALSE;
  store->journal_unsynced = FALSE;
  g_unlink (store->old_journal_path);
  store->old_journal = FALSE;
  if (!_peel_fsync_dir (store->path, error))
    return FALSE;
  return write_meta (store, session, error);
}

/**
 * peel_store_compact:
 * @store: a store
 * @error: return location for an error
 *
 * Rewrites session.json with the whole tree and starts an empty journal, now (a background
 * compaction in progress is waited for first). A crash in between is harmless: lines the
 * snapshot already holds are skipped by their sequence number. Turns other processes added
 * are taken in first, under the session's lock.
 *
 * Returns: %FALSE on error
 */
gboolean
peel_store_compact (PeelStore  *store,
                    GError    **error)
{
  g_return_val_if_fail (PEEL_IS_STORE (store), FALSE);

  return _peel_store_compact_then (store, NULL, error);
}

/* peel_store_compact(), then @then, with the lock still held. */
gboolean
_peel_store_compact_then (PeelStore     *store,
                          PeelStoreThen  then,
                          GError       **error)
{
  g_autoptr(PeelSession) session = g_weak_ref_get (&store->session);
  gboolean ok;

  wait_compactor (store);
  if (session == NULL)
    return TRUE;
  /* Unsaved nodes must reach the journal first: the snapshot must not name blobs that
   * were never written. The writer is idle after this, so its journal is ours. */
  if (!_peel_store_drain (store, session, error))
    return FALSE;
  wait_compactor (store);
  if (!_peel_store_lock (store, error))
    return FALSE;
  ok = _peel_store_compact_locked (store, session, error);
  if (ok && then != NULL)
    then (store, session);
  _peel_store_unlock (store);
  return ok;
}

typedef struct
{
  PeelStore *store;        /* not a reference: finalize joins the thread first */
  char      *text;
  GBytes    *index;
} CompactJob;

static gpointer
compact_thread (gpointer data)
{
  CompactJob *job = data;
  PeelStore *store = job->store;
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = _peel_write_file_atomic (store->snapshot_path, job->text, strlen (job->text), 0600,
                                  &error);
  if (done)
    write_index (store, job->index);
  if (!done || g_unlink (store->old_journal_path) < 0 || !_peel_fsync_dir (store->path, &error))
    {
      /* Nothing is lost: the old journal stays and the next compaction is done in full. */
      g_debug ("Background compaction of %s did not finish: %s", store->path,
               error ? error->message : g_strerror (errno));
      g_atomic_int_set (&store->compact_failed, TRUE);
    }
  g_free (job->text);
  g_clear_pointer (&job->index, g_bytes_unref);
  g_free (job);
  _peel_store_unlock (store);
  g_atomic_int_set (&store->compacting, FALSE);
  return NULL;
}

/* Serializing 500 turns and syncing the snapshot takes tens of milliseconds: the main thread
 * only builds the text and switches to a new journal; a thread writes the snapshot. Called
 * when the writer is idle and nothing is pending, so the tree in memory is all on disk. */
static void
compact_in_background (PeelStore   *store,
                       PeelSession *session)
{
  CompactJob *job;

  if (g_atomic_int_get (&store->compacting))
    return;
  wait_compactor (store);
  /* Another process writing now: compact another time rather than wait for it here. */
  if (!_peel_store_try_lock (store))
    return;
  _peel_store_reopen_journal_if_moved (store);
  _peel_store_take_in_locked (store, session);

  job = g_new0 (CompactJob, 1);
  job->store = store;
  job->text = snapshot_text (store, session, &job->index);
  if (store->old_journal)
    {
      /* journal.old.jsonl is still there and must not be replaced: the snapshot makes it and
       * the current journal's lines redundant (by seq), and the thread removes it. The
       * current journal is switched by the next compaction. */
      store->old_journal = FALSE;
      g_atomic_int_set (&store->compacting, TRUE);
      store->compactor = g_thread_new ("peel-compact", compact_thread, job);
      return;
    }
  if (store->journal_fd >= 0)
    close (store->journal_fd);
  store->journal_fd = -1;
  if (g_rename (store->journal_path, store->old_journal_path) < 0)
    {
      g_free (job->text);
      g_clear_pointer (&job->index, g_bytes_unref);
      g_free (job);
      _peel_store_unlock (store);
      return;
    }
  store->journal_lines = 0;
  store->journal_torn = FALSE;
  store->journal_unsynced = FALSE;
  g_atomic_int_set (&store->compacting, TRUE);
  store->compactor = g_thread_new ("peel-compact", compact_thread, job);
}

void
_peel_store_compact_soon (PeelStore   *store,
                          PeelSession *session)
{
  compact_in_background (store, session);
}
