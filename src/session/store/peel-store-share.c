/* peel-store-share.c
 *
 * A session written by several processes at once (the window and `peel-cli generate`, or
 * several CLIs): each one, while it holds the session's lock (peel-store-lock.c), first
 * takes in the lines the others appended since it last looked, then writes its own after
 * them. A snapshot is only ever written by a process that has taken in everything, so no
 * stale copy of the tree in one process overwrites turns another one added.
 *
 * An open window also watches journal.jsonl and takes in what a CLI adds while it sits idle,
 * so the turn appears in its history at once.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "peel-node-record.h"
#include "peel-session-backend.h"
#include "peel-store-private.h"

/* Every turn of a snapshot another process wrote, whatever its layout. */
static void
read_snapshot_nodes (PeelStore     *store,
                     PeelLoadState *st)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (store->snapshot_path, FALSE, NULL);
  g_autoptr(PeelJsonDoc) doc = NULL;
  PeelJson *nodes;

  if (mapped == NULL || g_mapped_file_get_length (mapped) == 0)
    return;
  doc = _peel_json_parse (g_mapped_file_get_contents (mapped),
                          g_mapped_file_get_length (mapped), NULL);
  if (doc == NULL || _peel_json_doc_root (doc)->type != PEEL_JSON_OBJECT ||
      !(nodes = _peel_json_get_typed (_peel_json_doc_root (doc), "nodes", PEEL_JSON_ARRAY)))
    return;
  for (PeelJson *item = nodes->child; item != NULL; item = item->next)
    {
      PeelNode *node;

      if (item->type == PEEL_JSON_OBJECT && (node = _peel_node_from_json (item, NULL)))
        g_hash_table_replace (st->nodes, (char *) peel_node_get_id (node), node);
    }
}

static gint
compare_created (gconstpointer a,
                 gconstpointer b)
{
  gint64 ca = peel_node_get_created (*(PeelNode * const *) a);
  gint64 cb = peel_node_get_created (*(PeelNode * const *) b);

  return (ca > cb) - (ca < cb);
}

/**
 * _peel_store_take_in_locked:
 * @store: a store, locked
 * @session: (nullable): its session
 *
 * Takes in every line written since store->seq by another process: new turns join the tree,
 * turns it changed (a pending turn it finished, a star) are updated in place. Changes of this
 * process still waiting to be written win, as they will be written after. Deletions made
 * elsewhere are not applied: the branch stays here (nothing is lost) until it is deleted here
 * too.
 */
void
_peel_store_take_in_locked (PeelStore   *store,
                            PeelSession *session)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean torn = FALSE;
  guint64 disk_seq = _peel_store_disk_seq (store, &torn);
  guint64 snapshot_seq, after = store->seq;
  PeelLoadState st;
  GHashTableIter iter;
  gpointer value;

  if (disk_seq <= store->seq)
    return;
  _peel_load_state_init (&st);
  /* A snapshot newer than what was seen holds lines no journal has any more. */
  snapshot_seq = _peel_store_snapshot_seq (store);
  if (snapshot_seq > after)
    {
      read_snapshot_nodes (store, &st);
      after = snapshot_seq;
    }
  _peel_store_replay_journal (store->old_journal_path, after, &st);
  st.torn = FALSE;
  _peel_store_replay_journal (store->journal_path, after, &st);
  store->seq = MAX (disk_seq, MAX (st.seq, snapshot_seq));

  if (session != NULL)
    {
      g_hash_table_iter_init (&iter, st.nodes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (!_peel_store_is_busy_node (store, peel_node_get_id (value)))
          g_ptr_array_add (nodes, g_object_ref (value));
      /* Parents before children. */
      g_ptr_array_sort (nodes, compare_created);
      for (guint i = 0; i < nodes->len; i++)
        {
          PeelNode *node = g_ptr_array_index (nodes, i);

          _peel_store_give_blob_reader (store, node);
          peel_session_take_in_node (session, node);
        }
    }
  /* meta.json counts the turns: bring it up to date with the next write. */
  if (nodes->len > 0)
    store->meta_dirty = TRUE;
  _peel_load_state_clear (&st);
}

static gboolean
take_in_cb (gpointer data)
{
  PeelStore *store = data;
  g_autoptr(PeelSession) session = g_weak_ref_get (&store->session);

  /* The writer's result comes first: it takes in what it found itself. */
  if (store->in_flight != NULL || store->compactor != NULL)
    return G_SOURCE_CONTINUE;
  if (!_peel_store_try_lock (store))
    return G_SOURCE_CONTINUE;
  _peel_store_reopen_journal_if_moved (store);
  _peel_store_take_in_locked (store, session);
  _peel_store_unlock (store);
  store->take_in_source = 0;
  return G_SOURCE_REMOVE;
}

/**
 * _peel_store_take_in_soon:
 * @store: a store
 *
 * Takes in other processes' lines from the store's main context, as soon as this process is
 * not writing and no other one holds the lock.
 */
void
_peel_store_take_in_soon (PeelStore *store)
{
  GSource *source;

  if (store->take_in_source != 0)
    return;
  source = g_timeout_source_new (50);
  g_source_set_callback (source, take_in_cb, store, NULL);
  g_source_set_static_name (source, "[peel] take in other writers' turns");
  store->take_in_source = g_source_attach (source, store->context);
  g_source_unref (source);
}

static void
journal_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || event == G_FILE_MONITOR_EVENT_CHANGED ||
      event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_RENAMED ||
      event == G_FILE_MONITOR_EVENT_MOVED_IN)
    _peel_store_take_in_soon (user_data);
}

/**
 * _peel_store_watch:
 * @store: a store whose session stays open (the window's)
 *
 * Watches journal.jsonl: turns another process adds are taken in while this one is idle.
 */
void
_peel_store_watch (PeelStore *store)
{
  g_autoptr(GFile) journal = NULL;

  if (store->monitor != NULL)
    return;
  /* Only where the store lives: a session opened in a worker thread (a rename or duplicate
   * in the sessions list) must not be called back from the main loop while it goes away. */
  if (!g_main_context_acquire (store->context))
    return;
  g_main_context_release (store->context);
  journal = g_file_new_for_path (store->journal_path);
  store->monitor = g_file_monitor_file (journal, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (store->monitor != NULL)
    g_signal_connect (store->monitor, "changed", G_CALLBACK (journal_changed_cb), store);
}

void
_peel_store_share_clear (PeelStore *store)
{
  if (store->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (store->monitor, store);
      g_file_monitor_cancel (store->monitor);
      g_clear_object (&store->monitor);
    }
  if (store->take_in_source != 0)
    {
      GSource *source = g_main_context_find_source_by_id (store->context,
                                                          store->take_in_source);

      if (source != NULL)
        g_source_destroy (source);
      store->take_in_source = 0;
    }
}
