/* peel-store-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "peel-node-record.h"
#include "peel-store.h"

typedef struct _PeelLazyTree PeelLazyTree;

G_BEGIN_DECLS

#define PEEL_THUMBNAIL_SIZE 256

/* An entry of PeelStore.pending: a change not in the journal yet. */
typedef struct
{
  PeelNode *node;        /* a node record to write, or */
  char     *line;        /* a session line (JSON object without "seq") */
  gboolean  durable;
} PeelStorePending;

/* What the writer thread is given: lines with the blobs they name, meta.json's text. */
typedef struct _PeelStoreBatch PeelStoreBatch;

struct _PeelStore
{
  GObject   parent_instance;

  char     *path;
  char     *blob_dir;
  char     *thumb_dir;
  char     *trash_dir;        /* blobs no turn names, kept 30 days */
  char     *journal_path;
  char     *old_journal_path;
  char     *snapshot_path;
  char     *index_path;       /* session.idx (peel-store-index.c) */
  gint64    last_change;      /* µs, real time of the last change queued; meta.json's "modified" */
  char     *meta_path;
  GWeakRef  session;

  /* Owned by the writer while a batch is in flight, by the main thread otherwise. */
  int       journal_fd;
  gboolean  journal_torn;  /* the last line was cut by a crash: start the next on a new line */
  gboolean  journal_unsynced; /* lines were appended without fdatasync since the last one */

  guint64   seq;           /* of the last line in the journal */
  guint     journal_lines;
  guint     compact_threshold;
  GQueue    pending;       /* PeelStorePending, not given to the writer yet */

  /* The writer (peel-store-writer.c): one batch at a time, in a thread, in order. */
  GThreadPool    *writer;
  GMainContext   *context;       /* where results are taken in */
  GMutex          writer_lock;
  GCond           writer_cond;
  PeelStoreBatch *in_flight;
  guint64         batches;       /* batches started so far; the id of the newest */
  GList          *waiters;       /* flush_async tasks, oldest first */
  guint           sync_waiters;  /* callers blocked in _peel_store_drain() */
  gboolean        flush_requested;
  gboolean        meta_dirty;    /* meta.json could not be written: write it with the next batch */

  /* Compaction in a thread: the journal is renamed to journal.old.jsonl, new lines go to a
   * fresh journal, and the thread writes the snapshot then removes the old journal. */
  GThread  *compactor;
  gint      compacting;    /* atomic: the thread is running */
  gint      compact_failed; /* atomic: it could not finish; the old journal is still there */
  gboolean  old_journal;   /* journal.old.jsonl exists and no snapshot covers it yet */

  /* One writer per session across processes (peel-store-lock.c), and the lines other
   * processes wrote, taken in (peel-store-share.c). */
  int           lock_fd;
  GMutex        lock_mutex;
  GCond         lock_cond;
  gboolean      lock_held;      /* by some thread of this process */
  GFileMonitor *monitor;        /* journal.jsonl, for lines other processes add */
  guint         take_in_source;
  gboolean      load_damaged;   /* a line did not parse when opened: nothing is collected */

  /* Opened lazily (peel-store-lazy.c): the snapshot's turns not made into nodes yet. */
  PeelLazyTree *lazy;
};

/* What a session folder held when read: nodes by id, and the session's own fields. */
typedef struct
{
  GHashTable *nodes;       /* id → PeelNode */
  GHashTable *deleted;     /* ids deleted by the journal, for a lazily read snapshot */
  PeelLazyTree *lazy;      /* the snapshot's lines, when it was indexed rather than read */
  char       *id;
  char       *name;
  char       *current;
  guint64     seq;
  guint       lines;
  guint       bad_lines;
  gboolean    torn;
  gsize       valid_len;
} PeelLoadState;

PeelStore   *_peel_store_new            (const char  *path);
void         _peel_store_replay_journal (const char  *path,
                                         guint64      after_seq,
                                         PeelLoadState *st);
void         _peel_load_state_init      (PeelLoadState   *st);
void         _peel_load_state_clear     (PeelLoadState   *st);
void         _peel_store_prepare_loaded_node (PeelStore *store,
                                              PeelNode  *node);
gboolean     _peel_blob_name_parse      (const char  *name,
                                         char       **hash);
const char  *_peel_blob_mime_for_name   (const char  *name);

void         _peel_store_attach         (PeelStore   *store,
                                         PeelSession *session);

/* peel-store-lazy.c: a session opened without building its tree, and the session's loader. */
PeelLazyTree *_peel_lazy_tree_new               (GMappedFile  *snapshot);
PeelLazyTree *_peel_lazy_tree_new_indexed       (GMappedFile  *snapshot,
                                                 GMappedFile  *index,
                                                 guint         n,
                                                 int           first_root);
void          _peel_lazy_tree_free              (PeelLazyTree *tree);
void          _peel_lazy_tree_add_line          (PeelLazyTree *tree,
                                                 const char   *line,
                                                 gsize         len,
                                                 const char   *id,
                                                 gsize         id_len,
                                                 const char   *parent_id,
                                                 gsize         parent_len,
                                                 gint64        created);
void          _peel_lazy_tree_apply_journal     (PeelLazyTree *tree,
                                                 GHashTable   *nodes,
                                                 GHashTable   *deleted);
guint         _peel_lazy_tree_get_n_unbuilt     (PeelLazyTree *tree);
GPtrArray    *_peel_store_load_children         (PeelStore    *store,
                                                 PeelNode     *parent,
                                                 GArray       *has_children);
gboolean      _peel_store_step_toward           (PeelStore    *store,
                                                 const char   *id,
                                                 PeelNode    **made,
                                                 PeelNode    **expand);
gboolean      _peel_store_opened_from_index     (PeelStore    *store);
gboolean      _peel_store_lazy_has_id           (PeelStore    *store,
                                                 const char   *id);
guint         _peel_store_lazy_n_unbuilt        (PeelStore    *store);
const char   *_peel_store_lazy_newest           (PeelStore    *store,
                                                 gint64        created);
guint         _peel_store_lazy_match_prefix     (PeelStore    *store,
                                                 const char   *prefix,
                                                 const char  **match);
void          _peel_store_append_snapshot_nodes (PeelStore    *store,
                                                 PeelSession  *session,
                                                 GString      *out,
                                                 GArray       *lines);
gboolean      _peel_store_lazy_add_blobs        (PeelStore    *store,
                                                 GHashTable   *used,
                                                 void        (*add_node) (GHashTable *used,
                                                                          PeelNode   *node));

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelLazyTree, _peel_lazy_tree_free)

/* What the session calls on every change. Each queues the change and hands it to the writer
 * thread; they return %TRUE (write errors come later, see docs/session-format.md). */
gboolean   _peel_store_save_node     (PeelStore   *store,
                                      PeelNode    *node,
                                      GError     **error);
gboolean   _peel_store_save_delete   (PeelStore   *store,
                                      GPtrArray   *nodes,
                                      GError     **error);
gboolean   _peel_store_save_session  (PeelStore   *store,
                                      gboolean     durable,
                                      GError     **error);
void       _peel_store_pending_free  (PeelStorePending *p);
char      *_peel_store_meta_text     (PeelStore   *store,
                                      PeelSession *session);
void       _peel_store_compact_soon  (PeelStore   *store,
                                      PeelSession *session);
typedef void (*PeelStoreThen) (PeelStore   *store,
                               PeelSession *session);
gboolean   _peel_store_compact_then  (PeelStore     *store,
                                      PeelStoreThen  then,
                                      GError       **error);
gboolean   _peel_store_compact_locked (PeelStore   *store,
                                       PeelSession *session,
                                       GError     **error);

/* peel-store-writer.c: the writer thread. @session may be %NULL once it is gone. */
void       _peel_store_writer_init   (PeelStore   *store);
void       _peel_store_writer_clear  (PeelStore   *store);
void       _peel_store_kick          (PeelStore   *store,
                                      PeelSession *session);
gboolean   _peel_store_drain         (PeelStore   *store,
                                      PeelSession *session,
                                      GError     **error);
void       _peel_store_flush_async   (PeelStore   *store,
                                      GTask       *task);

/* peel-store-recover.c */
char      *_peel_store_read_meta_name    (PeelStore     *store);
guint64    _peel_store_read_intact_lines (const char    *snapshot_path,
                                          PeelLoadState *st);
gboolean   _peel_store_add_loose_blobs   (PeelSession   *session,
                                          GHashTable    *used,
                                          GError       **error);

/* peel-store-lock.c: one writer per session, across processes. */
void       _peel_store_set_lock_timeout (guint ms);
void       _peel_store_lock_init       (PeelStore   *store);
void       _peel_store_lock_clear      (PeelStore   *store);
gboolean   _peel_store_lock            (PeelStore   *store,
                                        GError     **error);
gboolean   _peel_store_try_lock        (PeelStore   *store);
void       _peel_store_unlock          (PeelStore   *store);
guint64    _peel_store_snapshot_seq    (PeelStore   *store);
guint64    _peel_store_disk_seq        (PeelStore   *store,
                                        gboolean    *torn);
void       _peel_store_reopen_journal_if_moved (PeelStore *store);

/* peel-store-share.c: what other processes wrote, taken in. */
void       _peel_store_take_in_locked  (PeelStore   *store,
                                        PeelSession *session);
void       _peel_store_take_in_soon    (PeelStore   *store);
void       _peel_store_watch           (PeelStore   *store);
void       _peel_store_share_clear     (PeelStore   *store);
gboolean   _peel_store_is_busy_node    (PeelStore   *store,
                                        const char  *id);

/* peel-store-blob-read.c: image bytes read back, checked against their name. */
const char *_peel_blob_extension         (const char  *mime_type);
char       *_peel_blob_path              (const char  *blob_dir,
                                          const char  *hash,
                                          const char  *mime_type);
GBytes     *_peel_blob_read              (const char  *blob_dir,
                                          const char  *name,
                                          GError     **error);
GBytes     *_peel_store_read_blob        (const char  *blob_dir,
                                          const char  *hash,
                                          const char  *mime_type,
                                          GError     **error);
void        _peel_store_give_blob_reader (PeelStore   *store,
                                          PeelNode    *node);

/* peel-store-blobs.c: image bytes, written before the journal line that names them. */
gboolean   _peel_store_write_blob       (PeelStore  *store,
                                         const char *hash,
                                         const char *mime_type,
                                         GBytes     *bytes,
                                         gboolean   *wrote,
                                         GError    **error);

/* peel-store-json-parse.c: a fast reader for session files (values live in one arena). */
typedef enum
{
  PEEL_JSON_NULL,
  PEEL_JSON_BOOL,
  PEEL_JSON_NUMBER,
  PEEL_JSON_STRING,
  PEEL_JSON_ARRAY,
  PEEL_JSON_OBJECT,
} PeelJsonType;

typedef struct _PeelJson PeelJson;
typedef struct _PeelJsonDoc PeelJsonDoc;

struct _PeelJson
{
  PeelJsonType  type;
  const char   *key;       /* for a member of an object */
  const char   *str;
  double        num;
  gint64        inum;
  gboolean      boolean;
  PeelJson     *child;     /* first element or member */
  PeelJson     *next;
};

PeelJsonDoc *_peel_json_parse          (const char   *data,
                                        gsize         len,
                                        GError      **error);
PeelJson    *_peel_json_doc_root       (PeelJsonDoc  *doc);
void         _peel_json_doc_free       (PeelJsonDoc  *doc);
PeelJson    *_peel_json_get            (PeelJson     *object,
                                        const char   *key);
PeelJson    *_peel_json_get_typed      (PeelJson     *object,
                                        const char   *key,
                                        PeelJsonType  type);
const char  *_peel_json_get_string     (PeelJson     *object,
                                        const char   *key);
gint64       _peel_json_get_int        (PeelJson     *object,
                                        const char   *key);
double       _peel_json_get_double     (PeelJson     *object,
                                        const char   *key);
gboolean     _peel_json_get_bool       (PeelJson     *object,
                                        const char   *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelJsonDoc, _peel_json_doc_free)

/* peel-store-record.c: nodes to and from their JSON records. */
void       _peel_node_write_json     (PeelNode    *node,
                                      GString     *out);
void       _peel_json_append_string  (GString     *out,
                                      const char  *value);
void       _peel_json_append_key     (GString     *out,
                                      const char  *key);
PeelNode  *_peel_node_from_json      (PeelJson    *object,
                                      GError     **error);

/* peel-store-io.c: durable writes. */
gboolean   _peel_write_atomic        (const char  *path,
                                      const char  *tmp_template,
                                      const void  *data,
                                      gsize        len,
                                      int          mode,
                                      gboolean     sync_dir,
                                      GError     **error);
gboolean   _peel_write_file_atomic   (const char  *path,
                                      const char  *data,
                                      gsize        len,
                                      int          mode,
                                      GError     **error);
gboolean   _peel_fsync_dir           (const char  *dir,
                                      GError     **error);
gboolean   _peel_ensure_dir          (const char  *path,
                                      GError     **error);
gboolean   _peel_write_all           (int          fd,
                                      const char  *path,
                                      const void  *data,
                                      gsize        len,
                                      GError     **error);
void       _peel_set_write_error     (GError     **error,
                                      const char  *path,
                                      int          saved_errno);
void       _peel_store_set_io_error  (int          errno_value);
int        _peel_store_get_io_error  (void);

/* peel-store-index.c: session.idx, where each turn's line is (see the file's comment). */
typedef struct
{
  char   *id;
  char   *parent_id;
  gint64  created;
  gsize   offset;
  gsize   length;
} PeelIndexLine;

typedef struct
{
  guint32 offset;
  guint32 length;
  gint64  created;
  int     parent;
  int     first_child;
  int     next_sibling;
  guint32 id_length;
} PeelIndexRecord;

GBytes     *_peel_store_index_build   (GArray          *lines,
                                       guint64          token,
                                       gsize            snapshot_size);
void        _peel_index_line_clear    (PeelIndexLine   *line);
gboolean    _peel_store_index_check   (GMappedFile     *index,
                                       guint64          token,
                                       gsize            snapshot_size,
                                       guint           *n,
                                       int             *first_root);
void        _peel_store_index_record  (GMappedFile     *index,
                                       guint            i,
                                       PeelIndexRecord *record);
guint       _peel_store_index_by_id   (GMappedFile     *index,
                                       guint            n,
                                       guint            k);

G_END_DECLS
