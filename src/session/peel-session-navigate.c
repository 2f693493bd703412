/* peel-session-navigate.c
 *
 * Moving through a session's tree: the current node, undo up to the parent, redo down to the
 * child visited last.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-node-private.h"
#include "peel-session-private.h"

/**
 * peel_session_get_current:
 * @session: a session
 *
 * Returns: (transfer none) (nullable): the node shown and continued from
 */
PeelNode *
peel_session_get_current (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  _peel_session_resolve_current (session);
  return session->current;
}

gboolean
_peel_session_is_live (PeelSession *self,
                       PeelNode    *node)
{
  return g_hash_table_lookup (self->nodes, node->id) == node;
}

static PeelNode *
undo_target (PeelSession *self)
{
  PeelNode *current = peel_session_get_current (self);

  return current ? peel_node_get_parent (current) : NULL;
}

/* The child visited last, else the newest one: a live child of the current node. */
static PeelNode *
redo_target (PeelSession *self)
{
  PeelNode *current = peel_session_get_current (self);
  GListModel *children;
  PeelNode *child;
  guint n;

  if (current == NULL)
    return NULL;

  child = g_hash_table_lookup (self->last_child, current);
  if (child != NULL && _peel_session_is_live (self, child) && child->parent == current)
    return child;

  children = peel_node_get_children (current);
  n = g_list_model_get_n_items (children);
  if (n == 0)
    return NULL;
  child = g_list_model_get_item (children, n - 1);
  g_object_unref (child);         /* the tree keeps it */
  return child;
}

gboolean
peel_session_can_undo (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  return undo_target (session) != NULL;
}

gboolean
peel_session_can_redo (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  return redo_target (session) != NULL;
}

static void
notify_navigation (PeelSession *self,
                   gboolean     old_undo,
                   gboolean     old_redo)
{
  if (old_undo != peel_session_can_undo (self))
    _peel_session_notify (self, PEEL_SESSION_PROP_CAN_UNDO);
  if (old_redo != peel_session_can_redo (self))
    _peel_session_notify (self, PEEL_SESSION_PROP_CAN_REDO);
}

/* Navigation is cheap to lose in a crash, so it is written without waiting for the disk. Every
 * turn on the way down to @node remembers it as the way redo goes. */
static void
move_to (PeelSession *self,
         PeelNode    *node)
{
  g_autoptr(GError) error = NULL;
  gboolean old_undo = peel_session_can_undo (self);
  gboolean old_redo = peel_session_can_redo (self);

  if (!g_set_object (&self->current, node))
    return;
  for (PeelNode *n = node; n != NULL && n->parent != NULL; n = n->parent)
    g_hash_table_insert (self->last_child, g_object_ref (n->parent), g_object_ref (n));
  _peel_session_rebuild_branch (self);
  _peel_session_notify (self, PEEL_SESSION_PROP_CURRENT);
  notify_navigation (self, old_undo, old_redo);
  if (!_peel_session_save_session (self, FALSE, &error))
    g_debug ("Current node not saved yet: %s", error->message);
}

/**
 * peel_session_set_current:
 * @session: a session
 * @node: (nullable): a node of @session
 *
 * Goes to @node; redo from any of its ancestors comes back down to it.
 */
void
peel_session_set_current (PeelSession *session,
                          PeelNode    *node)
{
  g_return_if_fail (PEEL_IS_SESSION (session));
  g_return_if_fail (node == NULL || PEEL_IS_NODE (node));

  _peel_session_resolve_current (session);
  if (node == session->current)
    return;
  if (node != NULL && g_hash_table_lookup (session->nodes, node->id) != node)
    return;

  move_to (session, node);
}

/**
 * peel_session_undo:
 * @session: a session
 *
 * Goes up the tree, to the current node's parent.
 *
 * Returns: whether there was one
 */
gboolean
peel_session_undo (PeelSession *session)
{
  PeelNode *parent;

  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);

  parent = undo_target (session);
  if (parent == NULL)
    return FALSE;
  move_to (session, parent);
  return TRUE;
}

/**
 * peel_session_redo:
 * @session: a session
 *
 * Goes down the tree, to the child of the current node visited last (or, when none was, its
 * newest child).
 *
 * Returns: whether there was one
 */
gboolean
peel_session_redo (PeelSession *session)
{
  PeelNode *child;

  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);

  child = redo_target (session);
  if (child == NULL)
    return FALSE;
  move_to (session, child);
  return TRUE;
}
