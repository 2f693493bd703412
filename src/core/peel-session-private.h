/* peel-session-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-session.h"

G_BEGIN_DECLS

struct _PeelSession
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  PeelStore  *store;

  GHashTable *nodes;            /* id → PeelNode, the live tree */
  GListStore *roots;
  GListStore *branch;           /* root → current */
  PeelNode   *current;

  GPtrArray  *back;             /* PeelNode, visited before current */
  GPtrArray  *forward;          /* PeelNode, undone visits */
  GPtrArray  *deleted;          /* GPtrArray of PeelNode: each a deleted subtree, root first */
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
void         _peel_session_emit_save_failed (PeelSession  *session,
                                             const GError *error);

/* Used by the store while it loads a session, before anyone observes it. */
PeelSession *_peel_session_new_with_id   (const char  *id,
                                          const char  *name);
void         _peel_session_set_store     (PeelSession *session,
                                          PeelStore   *store);
void         _peel_session_load_nodes    (PeelSession *session,
                                          GPtrArray   *nodes,
                                          const char  *current_id);
char        *_peel_session_make_node_id  (PeelSession *session);

G_END_DECLS
