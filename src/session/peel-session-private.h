/* peel-session-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-session-backend.h"
#include "peel-session.h"

G_BEGIN_DECLS

struct _PeelSession
{
  GObject     parent_instance;

  char       *id;
  char       *name;

  /* Where the session is kept (the store), told of every change; NULL in memory only. */
  GObject                  *backend;
  const PeelSessionBackend *vtable;

  GHashTable *nodes;            /* id → PeelNode, the live tree */
  GListStore *roots;
  GListStore *branch;           /* root → current */
  PeelNode   *current;

  GHashTable *last_child;       /* PeelNode → its child visited last, where redo goes */
  GPtrArray  *deleted;          /* GPtrArray of PeelNode: each a deleted subtree, root first */

  /* Opened lazily (peel-session-load.c): turns the backend has not made into nodes yet. */
  gboolean      roots_pending;  /* the roots are not made yet */
  char         *lazy_current;   /* the current node's id, until someone asks for it */
  char         *missing_current; /* the file's current turn, which it does not hold */
};

enum
{
  PEEL_SESSION_PROP_0,
  PEEL_SESSION_PROP_ID,
  PEEL_SESSION_PROP_NAME,
  PEEL_SESSION_PROP_CURRENT,
  PEEL_SESSION_PROP_CAN_UNDO,
  PEEL_SESSION_PROP_CAN_REDO,
  PEEL_SESSION_PROP_CAN_UNDELETE,
  PEEL_SESSION_PROP_N_NODES,
  PEEL_SESSION_N_PROPS
};

/* Shared by peel-session.c (the tree, navigation, turns) and peel-session-edit.c. */
void         _peel_session_notify          (PeelSession *session,
                                            guint        prop_id);
gboolean     _peel_session_is_live         (PeelSession *session,
                                            PeelNode    *node);
gboolean     _peel_session_save_node       (PeelSession *session,
                                            PeelNode    *node,
                                            GError     **error);
gboolean     _peel_session_save_session    (PeelSession *session,
                                            gboolean     durable,
                                            GError     **error);
void         _peel_session_collect_subtree (PeelNode    *node,
                                            GPtrArray   *out);
void         _peel_session_link_node       (PeelSession *session,
                                            PeelNode    *node);
void         _peel_session_unlink_node     (PeelSession *session,
                                            PeelNode    *node);
void         _peel_session_rebuild_branch  (PeelSession *session);
gboolean     _peel_session_is_deleted_id   (PeelSession *session,
                                            const char  *id);

char        *_peel_session_make_node_id  (PeelSession *session);

/* peel-session-load.c: turns the backend makes into nodes when they are reached. */
void          _peel_session_expand                (PeelSession  *session,
                                                   PeelNode     *parent);
PeelNode     *_peel_session_lazy_get              (PeelSession  *session,
                                                   const char   *id);
guint         _peel_session_n_unloaded            (PeelSession  *session);
gboolean      _peel_session_backend_has_id        (PeelSession  *session,
                                                   const char   *id);
const char   *_peel_session_lazy_newest           (PeelSession  *session,
                                                   gint64        created);
guint         _peel_session_lazy_match_prefix     (PeelSession  *session,
                                                   const char   *prefix,
                                                   const char  **match);
void          _peel_session_drop_backend          (PeelSession  *session);

void         _peel_session_resolve_current (PeelSession *session);

G_END_DECLS
