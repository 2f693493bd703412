/* peel-session-backend.h
 *
 * The seam between a session and where it is kept. The session calls its backend on every
 * change (a turn added or finished, the current turn moved, a turn hidden, starred or
 * renamed, a branch deleted) and asks it for the turns it has not made into nodes yet; the
 * backend (the store) owns every file, record format and write. The store is the only
 * caller of the functions below; the session knows nothing of it but this table.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "peel-node.h"
#include "peel-session.h"

G_BEGIN_DECLS

/**
 * PeelSessionBackend:
 * @prepare_node: a node the session just made (a new turn): where its bytes will be kept
 * @save_node: a node changed or was added; queue it to be written
 * @save_delete: a branch was deleted, @nodes from its root down
 * @save_session: the session's own fields changed (name, current turn); @durable asks for
 *   them to be synced, not only written
 * @flush: write everything queued, now, and wait
 * @flush_async: the same without waiting; return through @task
 * @detach: the session is going away; drop what was kept for it
 * @load_children: make the turns under @parent (%NULL: the roots) that are not nodes yet,
 *   in creation order, and add to @has_children (of gboolean) whether each has turns below
 *   it not made yet either. Returns (transfer full) (element-type PeelNode) the new nodes
 * @step_toward: one step on the way to the turn @id: once it is made, its node in @made;
 *   before, the made node whose children are to be made next in @expand (%NULL for the
 *   roots). %FALSE when @id is no live turn the backend holds
 * @n_unloaded: how many live turns are not nodes yet
 * @has_id: whether @id names any turn the backend holds, made or not
 * @newest_unloaded: the id of the newest live turn not made yet, created at @created or
 *   later, or %NULL
 * @match_prefix: ids of live turns not made yet that start with @prefix; up to two
 *
 * What a session calls on the object it is kept by. Every member must be set.
 */
typedef struct
{
  void        (*prepare_node)    (GObject      *backend,
                                  PeelNode     *node);
  gboolean    (*save_node)       (GObject      *backend,
                                  PeelNode     *node,
                                  GError      **error);
  gboolean    (*save_delete)     (GObject      *backend,
                                  GPtrArray    *nodes,
                                  GError      **error);
  gboolean    (*save_session)    (GObject      *backend,
                                  gboolean      durable,
                                  GError      **error);
  gboolean    (*flush)           (GObject      *backend,
                                  PeelSession  *session,
                                  GError      **error);
  void        (*flush_async)     (GObject      *backend,
                                  GTask        *task);
  void        (*detach)          (GObject      *backend);

  GPtrArray  *(*load_children)   (GObject      *backend,
                                  PeelNode     *parent,
                                  GArray       *has_children);
  gboolean    (*step_toward)     (GObject      *backend,
                                  const char   *id,
                                  PeelNode    **made,
                                  PeelNode    **expand);
  guint       (*n_unloaded)      (GObject      *backend);
  gboolean    (*has_id)          (GObject      *backend,
                                  const char   *id);
  const char *(*newest_unloaded) (GObject      *backend,
                                  gint64        created);
  guint       (*match_prefix)    (GObject      *backend,
                                  const char   *prefix,
                                  const char  **match);
} PeelSessionBackend;

PeelSession *peel_session_new_with_id       (const char               *id,
                                             const char               *name);
void         peel_session_set_backend       (PeelSession              *session,
                                             const PeelSessionBackend *vtable,
                                             GObject                  *backend);
void         peel_session_load_nodes        (PeelSession              *session,
                                             GPtrArray                *nodes,
                                             const char               *current_id);
void         peel_session_load_lazily       (PeelSession              *session,
                                             const char               *current_id);
void         peel_session_take_in_node      (PeelSession              *session,
                                             PeelNode                 *node);
void         peel_session_emit_save_failed  (PeelSession              *session,
                                             const GError             *error);
gboolean     peel_session_holds_node        (PeelSession              *session,
                                             PeelNode                 *node);
GPtrArray   *peel_session_dup_made_nodes    (PeelSession              *session);
GPtrArray   *peel_session_dup_deleted_nodes (PeelSession              *session);

G_END_DECLS
