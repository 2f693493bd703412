/* peel-session-private.h
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "peel-session.h"

typedef struct _PeelLazyTree PeelLazyTree;

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

  GHashTable *last_child;       /* PeelNode → its child visited last, where redo goes */
  GPtrArray  *deleted;          /* GPtrArray of PeelNode: each a deleted subtree, root first */

  /* Opened lazily (peel-session-lazy.c): turns still only lines of the snapshot. */
  PeelLazyTree *lazy;
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
void         _peel_session_emit_save_failed (PeelSession  *session,
                                             const GError *error);
gboolean     _peel_session_is_deleted_id   (PeelSession *session,
                                            const char  *id);
void         _peel_session_take_in_node    (PeelSession *session,
                                            PeelNode    *node);

/* Used by the store while it loads a session, before anyone observes it. */
PeelSession *_peel_session_new_with_id   (const char  *id,
                                          const char  *name);
void         _peel_session_set_store     (PeelSession *session,
                                          PeelStore   *store);
void         _peel_session_load_nodes    (PeelSession *session,
                                          GPtrArray   *nodes,
                                          const char  *current_id);
char        *_peel_session_make_node_id  (PeelSession *session);
void         _peel_session_load_lazy     (PeelSession  *session,
                                          PeelLazyTree *tree,
                                          const char   *current_id);

/* peel-session-lazy.c */
PeelLazyTree *_peel_lazy_tree_new                 (GMappedFile  *snapshot);
void          _peel_lazy_tree_free                (PeelLazyTree *tree);
void          _peel_lazy_tree_add_line            (PeelLazyTree *tree,
                                                   const char   *line,
                                                   gsize         len,
                                                   const char   *id,
                                                   gsize         id_len,
                                                   const char   *parent_id,
                                                   gsize         parent_len,
                                                   gint64        created);
void          _peel_lazy_tree_apply_journal       (PeelLazyTree *tree,
                                                   GHashTable   *nodes,
                                                   GHashTable   *deleted);
guint         _peel_lazy_tree_get_n_unbuilt       (PeelLazyTree *tree);
void          _peel_session_expand                (PeelSession  *session,
                                                   PeelNode     *parent);
PeelNode     *_peel_session_lazy_get              (PeelSession  *session,
                                                   const char   *id);
gboolean      _peel_session_opened_from_index     (PeelSession  *session);
gboolean      _peel_session_lazy_has_id           (PeelSession  *session,
                                                   const char   *id);
const char   *_peel_session_lazy_newest           (PeelSession  *session,
                                                   gint64        created);
guint         _peel_session_lazy_match_prefix     (PeelSession  *session,
                                                   const char   *prefix,
                                                   const char  **match);
void          _peel_session_append_snapshot_nodes (PeelSession  *session,
                                                   GString      *out,
                                                   GArray       *lines);
PeelLazyTree *_peel_lazy_tree_new_indexed         (GMappedFile  *snapshot,
                                                   GMappedFile  *index,
                                                   guint         n,
                                                   int           first_root);
gboolean      _peel_session_lazy_add_blobs        (PeelSession  *session,
                                                   GHashTable   *used,
                                                   void        (*add_node) (GHashTable *used,
                                                                            PeelNode   *node));

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeelLazyTree, _peel_lazy_tree_free)

void         _peel_session_resolve_current (PeelSession *session);

G_END_DECLS
