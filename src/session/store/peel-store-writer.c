/* peel-store-writer.c
 *
 * The writer: every fsync of a session happens here, in a thread, so that a change made on
 * the main thread (a star, a rename, a new turn) costs the main loop microseconds rather than
 * the 10–20 ms a few fsyncs take on a real disk.
 *
 * Changes wait in PeelStore.pending. The main thread turns all of them into one batch (their
 * journal lines, the blobs those lines name, meta.json's text) and gives it to a thread that
 * writes the blobs, appends the lines with one write() and one fdatasync(), then replaces
 * meta.json. One batch is in flight at a time, so lines stay in order; what changes while it
 * is written goes into the next batch, so a burst of changes costs one fdatasync and one
 * meta.json. The result comes back to the main thread, which marks nodes saved or unsaved,
 * tells whoever waits for it (peel_session_flush(), peel_session_flush_async()), or else
 * emits PeelSession::save-failed.
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

typedef struct
{
  char   *hash;
  char   *mime_type;
  GBytes *bytes;
} BatchBlob;

typedef struct
{
  PeelStorePending *item;    /* given back to pending if the line is not saved */
  char             *record;  /* a JSON object without "seq" */
  GPtrArray        *blobs;   /* BatchBlob, on disk before the line */
} BatchLine;

/* Made on the main thread, where it only holds a weak reference to the store. */
typedef struct
{
  GWeakRef  store;
  guint64   id;
  GThread  *owner;   /* the thread that started the batch, and only it takes the result in */
} BatchDone;

struct _PeelStoreBatch
{
  guint64    id;
  GPtrArray *lines;          /* BatchLine */
  gboolean   durable;
  char      *meta;           /* nullable */
  guint64    base_seq;       /* the seq this process had seen; the writer may find newer */
  BatchDone *done_notice;
  gboolean   foreign;        /* the writer found lines another process added: take them in */

  /* Set by the writer, read once done is set (both under writer_lock). */
  guint      n_appended;     /* lines now in the journal */
  guint      n_saved;        /* lines that are durable (n_appended, or 0 if the sync failed) */
  gboolean   meta_written;
  GError    *error;
  gboolean   done;
};

static void
batch_blob_free (BatchBlob *blob)
{
  g_free (blob->hash);
  g_free (blob->mime_type);
  g_bytes_unref (blob->bytes);
  g_free (blob);
}

static void
batch_line_free (BatchLine *line)
{
  g_clear_pointer (&line->item, _peel_store_pending_free);
  g_free (line->record);
  g_clear_pointer (&line->blobs, g_ptr_array_unref);
  g_free (line);
}

static void
batch_done_free (BatchDone *notice)
{
  g_weak_ref_clear (&notice->store);
  g_free (notice);
}

static void
batch_free (PeelStoreBatch *batch)
{
  g_ptr_array_unref (batch->lines);
  g_free (batch->meta);
  g_clear_pointer (&batch->done_notice, batch_done_free);
  g_clear_error (&batch->error);
  g_free (batch);
}

/* --- in the writer thread ------------------------------------------------------------- */

static gboolean
open_journal (PeelStore  *self,
              GError    **error)
{
  if (self->journal_fd >= 0)
    return TRUE;
  if (_peel_store_get_io_error () != 0)
    {
      _peel_set_write_error (error, self->journal_path, _peel_store_get_io_error ());
      return FALSE;
    }
  self->journal_fd = g_open (self->journal_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (self->journal_fd < 0)
    {
      _peel_set_write_error (error, self->journal_path, errno);
      return FALSE;
    }
  return TRUE;
}

/* The lines in one write(): after a crash the journal ends between two of them, or with a
 * torn tail that loading ignores. A failed write is cut off again so the next starts clean. */
static gboolean
append_lines (PeelStore       *self,
              PeelStoreBatch  *batch,
              guint            n,
              GError         **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  off_t end;

  if (!open_journal (self, error))
    return FALSE;
  if (self->journal_torn)
    g_string_append_c (text, '\n');
  for (guint i = 0; i < n; i++)
    {
      BatchLine *line = g_ptr_array_index (batch->lines, i);

      /* The record's closing brace makes room for the sequence number. */
      g_string_append_len (text, line->record, strlen (line->record) - 1);
      g_string_append_printf (text, ",\"seq\":%" G_GUINT64_FORMAT "}\n",
                              batch->base_seq + i + 1);
    }

  end = lseek (self->journal_fd, 0, SEEK_END);
  if (!_peel_write_all (self->journal_fd, self->journal_path, text->str, text->len, error))
    {
      if (end >= 0 && ftruncate (self->journal_fd, end) < 0)
        self->journal_torn = TRUE;
      return FALSE;
    }
  self->journal_torn = FALSE;
  return TRUE;
}

static void
run_batch (PeelStore      *self,
           PeelStoreBatch *batch)
{
  g_autoptr(GError) error = NULL;
  gboolean wrote = FALSE;
  gboolean torn = FALSE;
  guint64 disk_seq;
  guint n = 0;

  /* Another process may be writing this session: wait for its turn, then write after what
   * it wrote, numbered after its lines. */
  if (!_peel_store_lock (self, &error))
    {
      batch->error = g_steal_pointer (&error);
      return;
    }
  _peel_store_reopen_journal_if_moved (self);
  disk_seq = _peel_store_disk_seq (self, &torn);
  if (torn)
    self->journal_torn = TRUE;
  if (disk_seq > batch->base_seq)
    {
      batch->foreign = TRUE;
      batch->base_seq = disk_seq;
    }

  /* The bytes first, synced, then the lines that name them: stop at the first line whose
   * blobs cannot be written, keeping the lines before it. */
  for (; n < batch->lines->len; n++)
    {
      BatchLine *line = g_ptr_array_index (batch->lines, n);

      for (guint i = 0; line->blobs != NULL && i < line->blobs->len && error == NULL; i++)
        {
          BatchBlob *blob = g_ptr_array_index (line->blobs, i);

          _peel_store_write_blob (self, blob->hash, blob->mime_type, blob->bytes, &wrote,
                                  &error);
        }
      if (error != NULL)
        break;
    }
  if (wrote && !_peel_fsync_dir (self->blob_dir, error ? NULL : &error))
    n = 0;

  if (n > 0)
    {
      g_autoptr(GError) append_error = NULL;

      if (!append_lines (self, batch, n, &append_error))
        {
          g_clear_error (&error);
          error = g_steal_pointer (&append_error);
          n = 0;
        }
      batch->n_appended = n;
      batch->n_saved = n;
      if (n > 0)
        self->journal_unsynced = TRUE;
    }

  /* Lines written before one whose blobs failed are kept: synced, they are as safe as any. */
  if (batch->durable && self->journal_unsynced)
    {
      if (self->journal_fd >= 0 && fdatasync (self->journal_fd) < 0)
        {
          g_clear_error (&error);
          _peel_set_write_error (&error, self->journal_path, errno);
          batch->n_saved = 0;
        }
      else
        self->journal_unsynced = FALSE;
    }

  /* meta.json counts this process's turns only: another's would be missing from it. */
  if (error == NULL && batch->meta != NULL && !batch->foreign)
    batch->meta_written = _peel_write_file_atomic (self->meta_path, batch->meta,
                                                   strlen (batch->meta), 0600, &error);
  _peel_store_unlock (self);
  batch->error = g_steal_pointer (&error);
}

static gboolean batch_done_cb (gpointer data);

static void
writer_thread (gpointer data,
               gpointer user_data)
{
  PeelStoreBatch *batch = data;
  PeelStore *self = user_data;   /* finalize waits for this thread */
  BatchDone *notice;
  GSource *source;

  run_batch (self, batch);

  /* Once done is set the main thread may free the batch: take what is needed first. */
  notice = g_steal_pointer (&batch->done_notice);
  g_mutex_lock (&self->writer_lock);
  batch->done = TRUE;
  g_cond_broadcast (&self->writer_cond);
  g_mutex_unlock (&self->writer_lock);
  /* Not g_main_context_invoke(): with no main loop running it would call back in this
   * thread, and the result must be taken in where the store lives. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, batch_done_cb, notice, (GDestroyNotify) batch_done_free);
  g_source_set_static_name (source, "[peel] session written");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* --- on the main thread ---------------------------------------------------------------- */

void
_peel_store_writer_init (PeelStore *store)
{
  g_mutex_init (&store->writer_lock);
  g_cond_init (&store->writer_cond);
  store->context = g_main_context_ref_thread_default ();
}

void
_peel_store_writer_clear (PeelStore *store)
{
  if (store->in_flight != NULL)
    {
      g_mutex_lock (&store->writer_lock);
      while (!store->in_flight->done)
        g_cond_wait (&store->writer_cond, &store->writer_lock);
      g_mutex_unlock (&store->writer_lock);
      g_clear_pointer (&store->in_flight, batch_free);
    }
  if (store->writer != NULL)
    g_thread_pool_free (g_steal_pointer (&store->writer), FALSE, TRUE);
  g_warn_if_fail (store->waiters == NULL);
  g_clear_pointer (&store->context, g_main_context_unref);
  g_cond_clear (&store->writer_cond);
  g_mutex_clear (&store->writer_lock);
}

static void
add_blobs (BatchLine *line,
           GPtrArray *parts,
           GPtrArray *hashes)
{
  for (guint i = 0; i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);
      const char *hash = g_ptr_array_index (hashes, i);
      BatchBlob *blob;

      /* Without bytes in memory the blob is on disk already. */
      if (hash == NULL || part->data == NULL)
        continue;
      if (line->blobs == NULL)
        line->blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_blob_free);
      blob = g_new0 (BatchBlob, 1);
      blob->hash = g_strdup (hash);
      blob->mime_type = g_strdup (part->mime_type);
      blob->bytes = g_bytes_ref (part->data);
      g_ptr_array_add (line->blobs, blob);
    }
}

/* Everything pending becomes one batch. A node's record is made now, so it is up to date. */
static void
start_batch (PeelStore   *self,
             PeelSession *session)
{
  g_autoptr(GError) error = NULL;
  PeelStoreBatch *batch = g_new0 (PeelStoreBatch, 1);
  PeelStorePending *p;

  g_assert (self->in_flight == NULL);

  batch->id = ++self->batches;
  batch->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_line_free);
  batch->base_seq = self->seq;
  batch->durable = self->flush_requested;
  self->flush_requested = FALSE;
  while ((p = g_queue_pop_head (&self->pending)) != NULL)
    {
      BatchLine *line = g_new0 (BatchLine, 1);

      line->item = p;
      if (p->node != NULL)
        {
          GString *record = g_string_new ("{\"op\":\"node\",\"node\":");
          PeelNodeRecord view;

          _peel_node_write_json (p->node, record);
          g_string_append_c (record, '}');
          line->record = g_string_free (record, FALSE);
          peel_node_get_record (p->node, &view);
          add_blobs (line, view.references, view.reference_blobs);
          add_blobs (line, view.parts, view.part_blobs);
          add_blobs (line, view.extras, view.extra_blobs);
        }
      else
        line->record = g_strdup (p->line);
      batch->durable |= p->durable;
      g_ptr_array_add (batch->lines, line);
    }
  if (session != NULL && (batch->durable || self->meta_dirty))
    batch->meta = _peel_store_meta_text (self, session);

  batch->done_notice = g_new0 (BatchDone, 1);
  g_weak_ref_init (&batch->done_notice->store, self);
  batch->done_notice->id = batch->id;
  batch->done_notice->owner = g_thread_self ();

  if (self->writer == NULL)
    self->writer = g_thread_pool_new (writer_thread, self, 1, FALSE, &error);
  if (self->writer == NULL)
    g_error ("Could not start the session writer: %s", error->message);
  self->in_flight = batch;
  g_thread_pool_push (self->writer, batch, NULL);
}

/**
 * _peel_store_is_busy_node:
 * @store: a store
 * @id: a node id
 *
 * Returns: whether a change of that node waits to be written, or is being written
 */
gboolean
_peel_store_is_busy_node (PeelStore  *store,
                          const char *id)
{
  for (GList *l = store->pending.head; l != NULL; l = l->next)
    {
      PeelStorePending *p = l->data;

      if (p->node != NULL && g_str_equal (peel_node_get_id (p->node), id))
        return TRUE;
    }
  for (guint i = 0; store->in_flight != NULL && i < store->in_flight->lines->len; i++)
    {
      BatchLine *line = g_ptr_array_index (store->in_flight->lines, i);

      if (line->item != NULL && line->item->node != NULL &&
          g_str_equal (peel_node_get_id (line->item->node), id))
        return TRUE;
    }
  return FALSE;
}

static gboolean
pending_has_node (PeelStore *self,
                  PeelNode  *node)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    if (((PeelStorePending *) l->data)->node == node)
      return TRUE;
  return FALSE;
}

/* Takes in the result of the batch in flight (its writer is done). Nodes written are saved;
 * what was not written goes back in front of pending, marked unsaved, and waits for the next
 * change or flush. Returns %FALSE with the write error if there was one. */
static gboolean
finish_batch (PeelStore    *self,
              PeelSession  *session,
              GError      **error)
{
  PeelStoreBatch *batch = self->in_flight;
  g_autoptr(GList) done_waiters = NULL;
  gboolean ok = batch->error == NULL;

  /* Lines of another process came before this batch's: take them in (this batch's own
   * lines win, being later), or soon if someone holds the lock now. Until then seq stays
   * where it was, and those lines, with this batch's, are read again then. */
  if (batch->foreign)
    {
      if (_peel_store_try_lock (self))
        {
          _peel_store_take_in_locked (self, session);
          _peel_store_unlock (self);
        }
      else
        _peel_store_take_in_soon (self);
      if (batch->meta != NULL)
        self->meta_dirty = TRUE;
    }
  else
    self->seq += batch->n_appended;
  self->in_flight = NULL;
  self->journal_lines += batch->n_appended;

  /* Back in front of pending, in order, for the next try. */
  for (guint i = batch->lines->len; i > batch->n_saved; i--)
    {
      BatchLine *line = g_ptr_array_index (batch->lines, i - 1);

      g_queue_push_head (&self->pending, g_steal_pointer (&line->item));
    }
  for (guint i = 0; i < batch->n_saved; i++)
    {
      BatchLine *line = g_ptr_array_index (batch->lines, i);
      PeelNode *node = line->item->node;

      /* A node changed again since keeps its bytes until that change is written too. */
      if (node != NULL && !pending_has_node (self, node))
        {
          peel_node_set_saved (node, TRUE);
        }
    }
  for (GList *l = self->pending.head; !ok && l != NULL; l = l->next)
    {
      PeelStorePending *p = l->data;

      if (p->node != NULL)
        peel_node_set_saved (p->node, FALSE);
    }
  if (batch->meta != NULL && !batch->foreign)
    self->meta_dirty = !batch->meta_written;

  /* Waiters are told in order; after a failure all of them, as nothing is retried until
   * asked. */
  while (self->waiters != NULL)
    {
      GTask *task = self->waiters->data;
      guint64 target = GPOINTER_TO_SIZE (g_task_get_task_data (task));

      if (ok && target > batch->id)
        break;
      done_waiters = g_list_append (done_waiters, task);
      self->waiters = g_list_delete_link (self->waiters, self->waiters);
    }

  if (ok && (!g_queue_is_empty (&self->pending) || self->flush_requested))
    start_batch (self, session);
  /* Not while a caller drains the queue on its thread: peel_store_compact() does, and a
   * background compaction started under it would race its own (session.json and
   * session.idx of two different snapshots). */
  else if (ok && session != NULL && self->journal_lines >= self->compact_threshold &&
           self->sync_waiters == 0)
    _peel_store_compact_soon (self, session);

  for (GList *l = done_waiters; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      if (ok)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (batch->error));
    }
  /* Nobody waits to hear about it: the session tells whoever shows errors. */
  if (!ok && done_waiters == NULL && self->sync_waiters == 0 && session != NULL)
    peel_session_emit_save_failed (session, batch->error);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&batch->error));
  batch_free (batch);
  return ok;
}

static gboolean
batch_done_cb (gpointer data)
{
  BatchDone *notice = data;
  g_autoptr(PeelStore) self = NULL;
  g_autoptr(PeelSession) session = NULL;

  /* A store used from a thread without a main context of its own (a duplicate, a rename
   * in the sessions list) lands here on the main context: its thread takes the result in at
   * its next change or flush instead. */
  if (notice->owner != g_thread_self ())
    return G_SOURCE_REMOVE;
  /* Taken in already by a caller that waited for it? */
  self = g_weak_ref_get (&notice->store);
  if (self == NULL || self->in_flight == NULL || self->in_flight->id != notice->id)
    return G_SOURCE_REMOVE;
  session = g_weak_ref_get (&self->session);
  finish_batch (self, session, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
in_flight_done (PeelStore *self)
{
  gboolean done;

  g_mutex_lock (&self->writer_lock);
  done = self->in_flight->done;
  g_mutex_unlock (&self->writer_lock);
  return done;
}

static void
wait_in_flight (PeelStore *self)
{
  g_mutex_lock (&self->writer_lock);
  while (!self->in_flight->done)
    g_cond_wait (&self->writer_cond, &self->writer_lock);
  g_mutex_unlock (&self->writer_lock);
}

/**
 * _peel_store_kick:
 * @store: a store
 * @session: (nullable): its session
 *
 * Gives what is pending to the writer, unless a batch is being written: then it goes when
 * that one is done. A result not taken in yet (no main loop ran) is taken in first.
 */
void
_peel_store_kick (PeelStore   *store,
                  PeelSession *session)
{
  if (store->in_flight != NULL && in_flight_done (store))
    finish_batch (store, session, NULL);
  if (store->in_flight == NULL && !g_queue_is_empty (&store->pending))
    start_batch (store, session);
}

/**
 * _peel_store_drain:
 * @store: a store
 * @session: (nullable): its session, which may be in dispose
 * @error: return location for the write error
 *
 * Blocks until every change queued so far is on disk and synced, and meta.json written.
 * Changes a failed write left pending are tried again once.
 *
 * Returns: %FALSE if something could not be written (it stays pending and unsaved)
 */
gboolean
_peel_store_drain (PeelStore    *store,
                   PeelSession  *session,
                   GError      **error)
{
  gboolean ok = TRUE;

  store->sync_waiters++;
  /* A batch started before: its failure is retried below. */
  if (store->in_flight != NULL)
    {
      wait_in_flight (store);
      finish_batch (store, session, NULL);
    }
  for (;;)
    {
      if (store->in_flight == NULL)
        {
          if (g_queue_is_empty (&store->pending) && !store->journal_unsynced &&
              !(store->meta_dirty && session != NULL))
            break;
          store->flush_requested = TRUE;
          start_batch (store, session);
        }
      wait_in_flight (store);
      if (!finish_batch (store, session, error))
        {
          ok = FALSE;
          break;
        }
    }
  store->sync_waiters--;
  return ok;
}

/* @task's data becomes the id of the batch it waits for. */
void
_peel_store_flush_async (PeelStore *store,
                         GTask     *task)
{
  g_autoptr(PeelSession) session = g_weak_ref_get (&store->session);
  guint64 target;

  _peel_store_kick (store, session);
  if (store->in_flight == NULL)
    {
      if (g_queue_is_empty (&store->pending) && !store->journal_unsynced && !store->meta_dirty)
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      /* Left over from a failed write, or lines not synced yet: write them now. */
      store->flush_requested = TRUE;
      start_batch (store, session);
      target = store->in_flight->id;
    }
  else if (g_queue_is_empty (&store->pending) && store->in_flight->durable)
    target = store->in_flight->id;
  else
    {
      store->flush_requested = TRUE;
      target = store->in_flight->id + 1;
    }
  g_task_set_task_data (task, GSIZE_TO_POINTER (target), NULL);
  store->waiters = g_list_append (store->waiters, g_object_ref (task));
}
