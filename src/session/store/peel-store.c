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
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "peel-node-record.h"
#include "peel-session-backend.h"
#include "peel-store-private.h"

#define DEFAULT_COMPACT_THRESHOLD 256

G_DEFINE_FINAL_TYPE (PeelStore, peel_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (peel-store-error-quark, peel_store_error)

static void
peel_store_finalize (GObject *object)
{
  PeelStore *self = (PeelStore *)object;

  _peel_store_share_clear (self);
  _peel_store_writer_clear (self);
  g_clear_pointer (&self->compactor, g_thread_join);
  _peel_store_lock_clear (self);
  if (self->journal_fd >= 0)
    close (self->journal_fd);
  g_queue_clear_full (&self->pending, (GDestroyNotify) _peel_store_pending_free);
  g_clear_pointer (&self->lazy, _peel_lazy_tree_free);
  g_weak_ref_clear (&self->session);
  g_free (self->path);
  g_free (self->blob_dir);
  g_free (self->thumb_dir);
  g_free (self->trash_dir);
  g_free (self->journal_path);
  g_free (self->old_journal_path);
  g_free (self->snapshot_path);
  g_free (self->index_path);
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
  _peel_store_writer_init (self);
  _peel_store_lock_init (self);
}

PeelStore *
_peel_store_new (const char *path)
{
  PeelStore *self = g_object_new (PEEL_TYPE_STORE, NULL);

  self->path = g_canonicalize_filename (path, NULL);
  self->blob_dir = g_build_filename (self->path, "blobs", NULL);
  self->thumb_dir = g_build_filename (self->path, "thumbs", NULL);
  self->trash_dir = g_build_filename (self->path, "trash", NULL);
  self->journal_path = g_build_filename (self->path, "journal.jsonl", NULL);
  self->old_journal_path = g_build_filename (self->path, "journal.old.jsonl", NULL);
  self->snapshot_path = g_build_filename (self->path, "session.json", NULL);
  self->index_path = g_build_filename (self->path, "session.idx", NULL);
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

/* The store as the session's backend (peel-session-backend.h). */
static void
prepare_node (GObject  *backend,
              PeelNode *node)
{
  _peel_store_give_blob_reader (PEEL_STORE (backend), node);
}

static gboolean
save_node (GObject   *backend,
           PeelNode  *node,
           GError   **error)
{
  return _peel_store_save_node (PEEL_STORE (backend), node, error);
}

static gboolean
save_delete (GObject    *backend,
             GPtrArray  *nodes,
             GError    **error)
{
  return _peel_store_save_delete (PEEL_STORE (backend), nodes, error);
}

static gboolean
save_session (GObject   *backend,
              gboolean   durable,
              GError   **error)
{
  return _peel_store_save_session (PEEL_STORE (backend), durable, error);
}

static gboolean
flush (GObject      *backend,
       PeelSession  *session,
       GError      **error)
{
  return _peel_store_drain (PEEL_STORE (backend), session, error);
}

static void
flush_async (GObject *backend,
             GTask   *task)
{
  _peel_store_flush_async (PEEL_STORE (backend), task);
}

/* The session is going: the lines it did not reach are not needed any more. */
static void
detach (GObject *backend)
{
  g_clear_pointer (&PEEL_STORE (backend)->lazy, _peel_lazy_tree_free);
}

static GPtrArray *
load_children (GObject  *backend,
               PeelNode *parent,
               GArray   *has_children)
{
  return _peel_store_load_children (PEEL_STORE (backend), parent, has_children);
}

static gboolean
step_toward (GObject     *backend,
             const char  *id,
             PeelNode   **made,
             PeelNode   **expand)
{
  return _peel_store_step_toward (PEEL_STORE (backend), id, made, expand);
}

static guint
n_unloaded (GObject *backend)
{
  return _peel_store_lazy_n_unbuilt (PEEL_STORE (backend));
}

static gboolean
has_id (GObject    *backend,
        const char *id)
{
  return _peel_store_lazy_has_id (PEEL_STORE (backend), id);
}

static const char *
newest_unloaded (GObject *backend,
                 gint64   created)
{
  return _peel_store_lazy_newest (PEEL_STORE (backend), created);
}

static guint
match_prefix (GObject     *backend,
              const char  *prefix,
              const char **match)
{
  return _peel_store_lazy_match_prefix (PEEL_STORE (backend), prefix, match);
}

static const PeelSessionBackend store_backend = {
  .prepare_node = prepare_node,
  .save_node = save_node,
  .save_delete = save_delete,
  .save_session = save_session,
  .flush = flush,
  .flush_async = flush_async,
  .detach = detach,
  .load_children = load_children,
  .step_toward = step_toward,
  .n_unloaded = n_unloaded,
  .has_id = has_id,
  .newest_unloaded = newest_unloaded,
  .match_prefix = match_prefix,
};

void
_peel_store_attach (PeelStore   *store,
                    PeelSession *session)
{
  g_weak_ref_set (&store->session, session);
  peel_session_set_backend (session, &store_backend, G_OBJECT (store));
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

  session = peel_session_new_with_id (NULL, name);
  path = g_build_filename (sessions_dir, peel_session_get_id (session), NULL);
  if (g_mkdir (path, 0700) < 0)
    {
      _peel_set_write_error (error, path, errno);
      return NULL;
    }
  store = _peel_store_new (path);
  if (!_peel_ensure_dir (store->blob_dir, error))
    return NULL;
  _peel_store_attach (store, session);
  if (!peel_store_compact (store, error))
    return NULL;
  _peel_store_watch (store);
  return g_steal_pointer (&session);
}

static void
add_hashes (GHashTable *set,
            PeelNode   *node)
{
  PeelNodeRecord record;

  peel_node_get_record (node, &record);
  for (guint i = 0; i < record.part_blobs->len; i++)
    if (g_ptr_array_index (record.part_blobs, i) != NULL)
      g_hash_table_add (set, g_ptr_array_index (record.part_blobs, i));
  for (guint i = 0; i < record.reference_blobs->len; i++)
    if (g_ptr_array_index (record.reference_blobs, i) != NULL)
      g_hash_table_add (set, g_ptr_array_index (record.reference_blobs, i));
  for (guint i = 0; i < record.extra_blobs->len; i++)
    if (g_ptr_array_index (record.extra_blobs, i) != NULL)
      g_hash_table_add (set, g_ptr_array_index (record.extra_blobs, i));
}

/* Temporary files a crash in the middle of a write left (a ".XXXXXX" name made by
 * g_mkstemp or, in blobs/, a ".blob-" file). Only old ones: a young one may be another
 * process's blob being written right now, outside the lock. */
#define TEMPORARY_AGE ((gint64) G_USEC_PER_SEC * 60 * 60)

static void
remove_temporary_files (const char *dir_path,
                        gboolean    blobs)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  gint64 now = g_get_real_time ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      const char *dot = strrchr (name, '.');
      gboolean temporary = blobs ? g_str_has_prefix (name, ".blob-")
                                 : (dot != NULL && strlen (dot) == 7 &&
                                    (g_str_has_prefix (name, "session.json.") ||
                                     g_str_has_prefix (name, "meta.json.") ||
                                     g_str_has_prefix (name, "journal.jsonl.")));
      g_autofree char *path = NULL;
      struct stat st;

      if (!temporary)
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (lstat (path, &st) == 0 && S_ISREG (st.st_mode) &&
          now - (gint64) st.st_mtime * G_USEC_PER_SEC > TEMPORARY_AGE)
        g_unlink (path);
    }
}

/* Files in trash/ older than this are gone for good. */
#define TRASH_AGE ((gint64) G_USEC_PER_SEC * 60 * 60 * 24 * 30)

static void
empty_trash (PeelStore *store)
{
  g_autoptr(GDir) dir = g_dir_open (store->trash_dir, 0, NULL);
  gint64 now = g_get_real_time ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (store->trash_dir, name, NULL);
      struct stat st;

      /* The time it was moved there (trash_blob sets it). */
      if (lstat (path, &st) == 0 && !S_ISDIR (st.st_mode) &&
          now - (gint64) st.st_mtime * G_USEC_PER_SEC > TRASH_AGE)
        g_unlink (path);
    }
}

static void
trash_blob (PeelStore  *store,
            const char *name)
{
  g_autofree char *from = g_build_filename (store->blob_dir, name, NULL);
  g_autofree char *to = g_build_filename (store->trash_dir, name, NULL);

  if (!_peel_ensure_dir (store->trash_dir, NULL) || g_rename (from, to) < 0)
    return;
  /* Kept 30 days from now, not from when the image was made. */
  utimensat (AT_FDCWD, to, NULL, AT_SYMLINK_NOFOLLOW);
}

/* Images no turn names any more go to trash/, and only when every line of the session was
 * read whole: a turn that could not be read may name any of them. A branch deleted but still
 * undeletable in this session keeps its images. Thumbnails are a cache and simply go. Called
 * with the lock held, after every other process's turns were taken in. */
static void
collect_garbage (PeelStore   *store,
                 PeelSession *session)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) made = peel_session_dup_made_nodes (session);
  g_autoptr(GPtrArray) deleted = peel_session_dup_deleted_nodes (session);
  const char *name;
  gboolean clean = !store->load_damaged;

  /* The turns made, and the lines of a lazily opened session nobody reached. */
  for (guint i = 0; i < made->len; i++)
    {
      PeelNode *node = g_ptr_array_index (made, i);

      add_hashes (used, node);
      if (g_strcmp0 (peel_node_get_error_code (node), "DAMAGED") == 0)
        clean = FALSE;
    }
  clean &= _peel_store_lazy_add_blobs (store, used, add_hashes);
  /* A branch deleted but still undeletable keeps its images. */
  for (guint i = 0; i < deleted->len; i++)
    add_hashes (used, g_ptr_array_index (deleted, i));
  if (!clean)
    g_debug ("%s has damaged turns: no image is collected", store->path);

  dir = clean ? g_dir_open (store->blob_dir, 0, NULL) : NULL;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *hash = NULL;
      g_autofree char *thumb_name = NULL;
      g_autofree char *thumb = NULL;

      if (!_peel_blob_name_parse (name, &hash) || g_hash_table_contains (used, hash))
        continue;
      thumb_name = g_strconcat (hash, ".png", NULL);
      thumb = g_build_filename (store->thumb_dir, thumb_name, NULL);
      trash_blob (store, name);
      g_unlink (thumb);
    }
  empty_trash (store);
  remove_temporary_files (store->path, FALSE);
  remove_temporary_files (store->blob_dir, TRUE);
}

/**
 * peel_store_close_session:
 * @session: a session with a store
 * @error: return location for an error
 *
 * Waits for the writer to write what is pending, writes a fresh snapshot, then removes the
 * images that only deleted turns held. Everything is on disk when it returns %TRUE.
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
  /* What is pending first (the writer takes the lock for it), then, locked, the snapshot
   * and the garbage, both knowing every turn any process added. */
  if (!_peel_store_compact_then (store, collect_garbage, error))
    return FALSE;
  _peel_store_share_clear (store);
  if (store->journal_fd >= 0)
    close (store->journal_fd);
  store->journal_fd = -1;
  return TRUE;
}
