/* peel-store.c
 *
 * A session on disk: one folder holding session.json (a compacted snapshot), journal.jsonl
 * (one line per change since the snapshot), meta.json (what the sessions list shows) and
 * blobs/ (each image exactly as received, named by its SHA-256). Saving a change appends one
 * line, so it costs the same in a session of 500 turns as in one of 5; the snapshot is
 * rewritten only every few hundred lines and on close. See docs/session-format.md.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-node-private.h"
#include "peel-session-private.h"
#include "peel-store-private.h"

#define DEFAULT_COMPACT_THRESHOLD 256

typedef struct
{
  PeelNode *node;        /* a node record to write, or */
  char     *line;        /* a session line (JSON object without "seq") */
  gboolean  durable;
} Pending;

G_DEFINE_FINAL_TYPE (PeelStore, peel_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (peel-store-error-quark, peel_store_error)

static void
pending_free (Pending *p)
{
  g_clear_object (&p->node);
  g_free (p->line);
  g_free (p);
}

static void
peel_store_finalize (GObject *object)
{
  PeelStore *self = (PeelStore *)object;

  g_clear_pointer (&self->compactor, g_thread_join);
  if (self->journal_fd >= 0)
    close (self->journal_fd);
  g_queue_clear_full (&self->pending, (GDestroyNotify) pending_free);
  g_weak_ref_clear (&self->session);
  g_free (self->path);
  g_free (self->blob_dir);
  g_free (self->thumb_dir);
  g_free (self->journal_path);
  g_free (self->old_journal_path);
  g_free (self->snapshot_path);
  g_free (self->meta_path);

  G_OBJECT_CLASS (peel_store_parent_class)->finalize (object);
}

static void
peel_store_class_init (PeelStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = peel_store_finalize;
}

static void
peel_store_init (PeelStore *self)
{
  self->journal_fd = -1;
  self->compact_threshold = DEFAULT_COMPACT_THRESHOLD;
  g_weak_ref_init (&self->session, NULL);
  g_queue_init (&self->pending);
}

PeelStore *
_peel_store_new (const char *path)
{
  PeelStore *self = g_object_new (PEEL_TYPE_STORE, NULL);

  self->path = g_canonicalize_filename (path, NULL);
  self->blob_dir = g_build_filename (self->path, "blobs", NULL);
  self->thumb_dir = g_build_filename (self->path, "thumbs", NULL);
  self->journal_path = g_build_filename (self->path, "journal.jsonl", NULL);
  self->old_journal_path = g_build_filename (self->path, "journal.old.jsonl", NULL);
  self->snapshot_path = g_build_filename (self->path, "session.json", NULL);
  self->meta_path = g_build_filename (self->path, "meta.json", NULL);
  return self;
}

/**
 * peel_store_get_default_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/peel/sessions`
 */
char *
peel_store_get_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "peel", "sessions", NULL);
}

const char *
peel_store_get_path (PeelStore *store)
{
  g_return_val_if_fail (PEEL_IS_STORE (store), NULL);
  return store->path;
}

const char *
peel_store_get_blob_dir (PeelStore *store)
{
  g_return_val_if_fail (PEEL_IS_STORE (store), NULL);
  return store->blob_dir;
}

guint
peel_store_get_journal_lines (PeelStore *store)
{
  g_return_val_if_fail (PEEL_IS_STORE (store), 0);
  return store->journal_lines;
}

/**
 * peel_store_set_compact_threshold:
 * @store: a store
 * @lines: journal lines after which the snapshot is rewritten
 */
void
peel_store_set_compact_threshold (PeelStore *store,
                                  guint      lines)
{
  g_return_if_fail (PEEL_IS_STORE (store));
  store->compact_threshold = MAX (lines, 1);
}

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

/* Blobs are immutable and named by content: one that exists is already right, and a crash
 * while writing leaves only a temporary file. */
static gboolean
write_blob (PeelStore   *self,
            const char  *hash,
            const char  *mime_type,
            GBytes      *bytes,
            gboolean    *wrote,
            GError     **error)
{
  g_autofree char *path = _peel_blob_path (self->blob_dir, hash, mime_type);
  g_autofree char *tmp = NULL;
  gsize len;
  const char *data;
  int fd;

  if (g_file_test (path, G_FILE_TEST_EXISTS) && _peel_store_get_io_error () == 0)
    return TRUE;
  if (!_peel_ensure_dir (self->blob_dir, error))
    return FALSE;

  tmp = g_build_filename (self->blob_dir, ".blob-XXXXXX", NULL);
  if (_peel_store_get_io_error () != 0)
    {
      _peel_set_write_error (error, path, _peel_store_get_io_error ());
      return FALSE;
    }
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      _peel_set_write_error (error, path, errno);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &len);
  if (!_peel_write_all (fd, path, data, len, error))
    goto fail;
  if (fsync (fd) < 0)
    {
      _peel_set_write_error (error, path, errno);
      goto fail;
    }
  close (fd);
  fd = -1;
  if (g_rename (tmp, path) < 0)
    {
      _peel_set_write_error (error, path, errno);
      goto fail;
    }
  *wrote = TRUE;
  return TRUE;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return FALSE;
}

static gboolean
write_part_blobs (PeelStore  *self,
                  GPtrArray  *parts,
                  GPtrArray  *blobs,
                  gboolean   *wrote,
                  GError    **error)
{
  for (guint i = 0; i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);
      const char *hash = g_ptr_array_index (blobs, i);

      if (hash != NULL && part->data != NULL &&
          !write_blob (self, hash, part->mime_type, part->data, wrote, error))
        return FALSE;
    }
  return TRUE;
}

static void
prepare_parts_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PeelStore *self = source_object;
  GPtrArray *parts = task_data;
  GError *error = NULL;
  gboolean wrote = FALSE;

  for (guint i = 0; i < parts->len; i++)
    {
      const PeelPart *part = g_ptr_array_index (parts, i);
      g_autofree char *hash = NULL;

      if (part->kind != PEEL_PART_IMAGE || part->data == NULL)
        continue;
      if (g_task_return_error_if_cancelled (task))
        return;
      hash = _peel_blob_hash (part->data);
      if (!write_blob (self, hash, part->mime_type, part->data, &wrote, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      _peel_blob_hash_remember (part->data, hash);
    }
  if (wrote && !_peel_fsync_dir (self->blob_dir, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * peel_store_prepare_parts_async:
 * @store: a store
 * @parts: (element-type PeelPart): the parts of an answer about to be recorded
 * @cancellable: (nullable): a cancellable
 * @callback: called when the images are on disk
 * @user_data: data for @callback
 *
 * Writes and syncs the image blobs of @parts in a thread, so that the
 * peel_session_complete_turn() that follows only appends its journal line: a 4K image takes
 * a tenth of a second or more to reach the disk, which the main loop should not wait for.
 * Calling it is optional; complete_turn writes whatever blob is still missing.
 */
void
peel_store_prepare_parts_async (PeelStore           *store,
                                GPtrArray           *parts,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *copy;

  g_return_if_fail (PEEL_IS_STORE (store));
  g_return_if_fail (parts != NULL);

  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) peel_part_free);
  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (copy, peel_part_copy (g_ptr_array_index (parts, i)));
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_store_prepare_parts_async);
  g_task_set_task_data (task, copy, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, prepare_parts_thread);
}

gboolean
peel_store_prepare_parts_finish (PeelStore     *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (PEEL_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* One line, one write(): after a crash the journal ends either before the line or after it,
 * or with a torn tail that loading ignores. A failed write is cut off again so the next line
 * starts clean. */
static gboolean
append_line (PeelStore   *self,
             const char  *record,
             gboolean     durable,
             GError     **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  off_t end;

  if (!open_journal (self, error))
    return FALSE;

  /* @record is an object: its closing brace makes room for the sequence number. */
  if (self->journal_torn)
    g_string_append_c (line, '\n');
  g_string_append_len (line, record, strlen (record) - 1);
  g_string_append_printf (line, ",\"seq\":%" G_GUINT64_FORMAT "}\n", self->seq + 1);

  end = lseek (self->journal_fd, 0, SEEK_END);
  if (!_peel_write_all (self->journal_fd, self->journal_path, line->str, line->len, error))
    {
      if (end >= 0 && ftruncate (self->journal_fd, end) < 0)
        self->journal_torn = TRUE;
      return FALSE;
    }
  if (durable && fdatasync (self->journal_fd) < 0)
    {
      _peel_set_write_error (error, self->journal_path, errno);
      return FALSE;
    }
  self->journal_torn = FALSE;
  self->seq++;
  self->journal_lines++;
  return TRUE;
}

static gboolean
flush_node (PeelStore  *self,
            PeelNode   *node,
            GError    **error)
{
  g_autoptr(GString) record = g_string_new ("{\"op\":\"node\",\"node\":");
  gboolean wrote = FALSE;

  /* The bytes first, synced, then the line that names them. */
  if (!write_part_blobs (self, node->references, node->reference_blobs, &wrote, error) ||
      !write_part_blobs (self, node->parts, node->part_blobs, &wrote, error))
    return FALSE;
  if (wrote && !_peel_fsync_dir (self->blob_dir, error))
    return FALSE;

  _peel_node_write_json (node, record);
  g_string_append_c (record, '}');
  if (!append_line (self, record->str, TRUE, error))
    return FALSE;

  _peel_node_set_blob_dir (node, self->blob_dir);
  _peel_node_drop_saved_bytes (node);
  return TRUE;
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
          (best == NULL || node->created > best->created))
        best = node;
    }
  return best;
}

static gboolean
write_meta (PeelStore    *self,
            PeelSession  *session,
            GError      **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  PeelNode *current = peel_session_get_current (session);
  PeelNode *image = meta_image_node (session);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, PEEL_STORE_FORMAT_VERSION);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, peel_session_get_id (session));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, peel_session_get_name (session));
  json_builder_set_member_name (b, "modified");
  json_builder_add_int_value (b, g_get_real_time ());
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
  text = json_generator_to_data (gen, NULL);
  return _peel_write_file_atomic (self->meta_path, text, strlen (text), 0600, error);
}

static void compact_in_background (PeelStore   *store,
                                   PeelSession *session);

static gboolean
flush (PeelStore  *self,
       GError    **error)
{
  g_autoptr(PeelSession) session = g_weak_ref_get (&self->session);
  gboolean durable = FALSE;

  while (!g_queue_is_empty (&self->pending))
    {
      Pending *p = g_queue_peek_head (&self->pending);

      if (p->node != NULL)
        {
          if (!flush_node (self, p->node, error))
            return FALSE;
          _peel_node_set_unsaved (p->node, FALSE);
        }
      else if (!append_line (self, p->line, p->durable, error))
        return FALSE;
      durable |= p->durable;
      pending_free (g_queue_pop_head (&self->pending));
    }

  if (session == NULL || !durable)
    return TRUE;
  if (!write_meta (self, session, error))
    return FALSE;
  if (self->journal_lines >= self->compact_threshold)
    compact_in_background (self, session);
  return TRUE;
}

static void
mark_pending_unsaved (PeelStore *self)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      Pending *p = l->data;

      if (p->node != NULL)
        _peel_node_set_unsaved (p->node, TRUE);
    }
}

static gboolean
enqueue (PeelStore  *self,
         Pending    *item,
         GError    **error)
{
  if (item->node != NULL)
    for (GList *l = self->pending.head; l != NULL; l = l->next)
      {
        Pending *p = l->data;

        /* Already waiting: its record is made when written, so it will be up to date. */
        if (p->node == item->node)
          {
            pending_free (item);
            item = NULL;
            break;
          }
      }
  if (item != NULL)
    g_queue_push_tail (&self->pending, item);

  if (!flush (self, error))
    {
      mark_pending_unsaved (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
_peel_store_save_node (PeelStore  *store,
                       PeelNode   *node,
                       GError    **error)
{
  Pending *p = g_new0 (Pending, 1);

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
  Pending *p = g_new0 (Pending, 1);

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
  Pending *p;

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

  p = g_new0 (Pending, 1);
  p->line = g_string_free (record, FALSE);
  p->durable = durable;
  return enqueue (store, p, error);
}

static char *
snapshot_text (PeelStore   *store,
               PeelSession *session)
{
  g_autoptr(GPtrArray) nodes = peel_session_dup_nodes (session);
  PeelNode *current = peel_session_get_current (session);
  GString *out = g_string_sized_new (1024 + nodes->len * 700);

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
  _peel_json_append_key (out, "nodes");
  g_string_append_c (out, '[');
  for (guint i = 0; i < nodes->len; i++)
    _peel_node_write_json (g_ptr_array_index (nodes, i), out);
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
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

/**
 * peel_store_compact:
 * @store: a store
 * @error: return location for an error
 *
 * Rewrites session.json with the whole tree and starts an empty journal, now (a background
 * compaction in progress is waited for first). A crash in between is harmless: lines the
 * snapshot already holds are skipped by their sequence number.
 *
 * Returns: %FALSE on error
 */
gboolean
peel_store_compact (PeelStore  *store,
                    GError    **error)
{
  g_autoptr(PeelSession) session = g_weak_ref_get (&store->session);
  g_autofree char *text = NULL;
  g_autofree char *tmp = NULL;
  int fd;

  g_return_val_if_fail (PEEL_IS_STORE (store), FALSE);

  wait_compactor (store);
  if (session == NULL)
    return TRUE;
  if (!g_queue_is_empty (&store->pending))
    {
      /* Unsaved nodes must reach the journal first: the snapshot must not name blobs that
       * were never written. */
      if (!flush (store, error))
        return FALSE;
    }

  text = snapshot_text (store, session);
  if (!_peel_write_file_atomic (store->snapshot_path, text, strlen (text), 0600, error))
    return FALSE;

  /* The snapshot holds everything now; an empty journal replaces the old one atomically. */
  tmp = g_strconcat (store->journal_path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 || fsync (fd) < 0 || g_rename (tmp, store->journal_path) < 0)
    {
      _peel_set_write_error (error, store->journal_path, errno);
      if (fd >= 0)
        close (fd);
      g_unlink (tmp);
      return FALSE;
    }
  close (fd);
  if (store->journal_fd >= 0)
    close (store->journal_fd);
  store->journal_fd = -1;
  store->journal_lines = 0;
  store->journal_torn = FALSE;
  g_unlink (store->old_journal_path);
  store->old_journal = FALSE;
  if (!_peel_fsync_dir (store->path, error))
    return FALSE;
  return write_meta (store, session, error);
}

typedef struct
{
  PeelStore *store;        /* not a reference: finalize joins the thread first */
  char      *text;
} CompactJob;

static gpointer
compact_thread (gpointer data)
{
  CompactJob *job = data;
  PeelStore *store = job->store;
  g_autoptr(GError) error = NULL;

  if (!_peel_write_file_atomic (store->snapshot_path, job->text, strlen (job->text), 0600,
                                &error) ||
      g_unlink (store->old_journal_path) < 0 ||
      !_peel_fsync_dir (store->path, &error))
    {
      /* Nothing is lost: the old journal stays and the next compaction is done in full. */
      g_debug ("Background compaction of %s did not finish: %s", store->path,
               error ? error->message : g_strerror (errno));
      g_atomic_int_set (&store->compact_failed, TRUE);
    }
  g_free (job->text);
  g_free (job);
  g_atomic_int_set (&store->compacting, FALSE);
  return NULL;
}

/* Serializing 500 turns and syncing the snapshot takes tens of milliseconds: the main thread
 * only builds the text and switches to a new journal; a thread writes the snapshot. */
static void
compact_in_background (PeelStore   *store,
                       PeelSession *session)
{
  g_autoptr(GError) error = NULL;
  CompactJob *job;

  if (g_atomic_int_get (&store->compacting))
    return;
  wait_compactor (store);
  if (store->old_journal || _peel_store_get_io_error () != 0)
    {
      if (!peel_store_compact (store, &error))
        g_debug ("Compaction of %s postponed: %s", store->path, error->message);
      return;
    }

  job = g_new0 (CompactJob, 1);
  job->store = store;
  job->text = snapshot_text (store, session);
  if (store->journal_fd >= 0)
    close (store->journal_fd);
  store->journal_fd = -1;
  if (g_rename (store->journal_path, store->old_journal_path) < 0)
    {
      g_free (job->text);
      g_free (job);
      return;
    }
  store->journal_lines = 0;
  store->journal_torn = FALSE;
  g_atomic_int_set (&store->compacting, TRUE);
  store->compactor = g_thread_new ("peel-compact", compact_thread, job);
}

static void
attach (PeelStore   *store,
        PeelSession *session)
{
  g_weak_ref_set (&store->session, session);
  _peel_session_set_store (session, store);
}

/**
 * peel_store_create_session:
 * @sessions_dir: (nullable): where sessions live, %NULL for peel_store_get_default_dir()
 * @name: (nullable): the session's name
 * @error: return location for an error
 *
 * Returns: (transfer full): a new, empty session saved in a folder of its own (0700)
 */
PeelSession *
peel_store_create_session (const char  *sessions_dir,
                           const char  *name,
                           GError     **error)
{
  g_autofree char *default_dir = NULL;
  g_autoptr(PeelSession) session = NULL;
  g_autoptr(PeelStore) store = NULL;
  g_autofree char *path = NULL;

  if (sessions_dir == NULL)
    sessions_dir = default_dir = peel_store_get_default_dir ();
  if (!_peel_ensure_dir (sessions_dir, error))
    return NULL;

  session = _peel_session_new_with_id (NULL, name);
  path = g_build_filename (sessions_dir, peel_session_get_id (session), NULL);
  if (g_mkdir (path, 0700) < 0)
    {
      _peel_set_write_error (error, path, errno);
      return NULL;
    }
  store = _peel_store_new (path);
  if (!_peel_ensure_dir (store->blob_dir, error))
    return NULL;
  attach (store, session);
  if (!peel_store_compact (store, error))
    return NULL;
  return g_steal_pointer (&session);
}

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

  if (mapped == NULL)
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
  attach (store, session);
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

static void
add_hashes (GHashTable *set,
            PeelNode   *node)
{
  for (guint i = 0; i < node->part_blobs->len; i++)
    if (g_ptr_array_index (node->part_blobs, i) != NULL)
      g_hash_table_add (set, g_ptr_array_index (node->part_blobs, i));
  for (guint i = 0; i < node->reference_blobs->len; i++)
    if (g_ptr_array_index (node->reference_blobs, i) != NULL)
      g_hash_table_add (set, g_ptr_array_index (node->reference_blobs, i));
}

/* Left behind by a crash in the middle of a write: a temporary name (".XXXXXX" made
 * by g_mkstemp) or, in blobs/, a ".blob-" file. */
static void
remove_temporary_files (const char *dir_path,
                        gboolean    blobs)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      const char *dot = strrchr (name, '.');
      gboolean temporary = blobs ? g_str_has_prefix (name, ".blob-")
                                 : (dot != NULL && strlen (dot) == 7 &&
                                    (g_str_has_prefix (name, "session.json.") ||
                                     g_str_has_prefix (name, "meta.json.") ||
                                     g_str_has_prefix (name, "journal.jsonl.")));

      if (temporary)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);

          g_unlink (path);
        }
    }
}

/* Images only deleted turns held go once the snapshot no longer names them; a branch
 * deleted but still undeletable in this session keeps its images. */
static void
collect_garbage (PeelStore   *store,
                 PeelSession *session)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) nodes = peel_session_dup_nodes (session);
  g_autoptr(GDir) dir = g_dir_open (store->blob_dir, 0, NULL);
  const char *name;

  for (guint i = 0; i < nodes->len; i++)
    add_hashes (used, g_ptr_array_index (nodes, i));
  for (guint i = 0; i < session->deleted->len; i++)
    {
      GPtrArray *subtree = g_ptr_array_index (session->deleted, i);

      for (guint j = 0; j < subtree->len; j++)
        add_hashes (used, g_ptr_array_index (subtree, j));
    }
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *hash = NULL;
      g_autofree char *path = NULL;
      g_autofree char *thumb_name = NULL;
      g_autofree char *thumb = NULL;

      if (!_peel_blob_name_parse (name, &hash) || g_hash_table_contains (used, hash))
        continue;
      path = g_build_filename (store->blob_dir, name, NULL);
      thumb_name = g_strconcat (hash, ".png", NULL);
      thumb = g_build_filename (store->thumb_dir, thumb_name, NULL);
      g_unlink (path);
      g_unlink (thumb);
    }
  remove_temporary_files (store->path, FALSE);
  remove_temporary_files (store->blob_dir, TRUE);
}

/**
 * peel_store_close_session:
 * @session: a session with a store
 * @error: return location for an error
 *
 * Writes what is pending and a fresh snapshot, then removes the images that only deleted
 * turns held.
 *
 * Returns: %FALSE on error; nothing is lost from memory
 */
gboolean
peel_store_close_session (PeelSession  *session,
                          GError      **error)
{
  PeelStore *store = peel_session_get_store (session);

  if (store == NULL)
    return TRUE;
  if (!peel_store_compact (store, error))
    return FALSE;
  collect_garbage (store, session);
  if (store->journal_fd >= 0)
    close (store->journal_fd);
  store->journal_fd = -1;
  return TRUE;
}

gboolean
_peel_blob_name_parse (const char *name,
              char      **hash)
{
  const char *dot = strchr (name, '.');

  if (dot == NULL || dot - name != 64)
    return FALSE;
  for (const char *c = name; c < dot; c++)
    if (!g_ascii_isxdigit (*c) || g_ascii_isupper (*c))
      return FALSE;
  *hash = g_strndup (name, 64);
  return TRUE;
}

const char *
_peel_blob_mime_for_name (const char *name)
{
  if (g_str_has_suffix (name, ".png"))
    return "image/png";
  if (g_str_has_suffix (name, ".jpg"))
    return "image/jpeg";
  if (g_str_has_suffix (name, ".webp"))
    return "image/webp";
  if (g_str_has_suffix (name, ".gif"))
    return "image/gif";
  return "application/octet-stream";
}
