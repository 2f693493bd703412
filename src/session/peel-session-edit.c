/* peel-session-edit.c
 *
 * Changes to a session besides new turns: naming, starring and hiding nodes, deleting a
 * branch, and bringing it back for as long as the session is open.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "peel-node-private.h"
#include "peel-session-private.h"

static gboolean
check_live (PeelSession  *self,
            PeelNode     *node,
            GError      **error)
{
  if (_peel_session_is_live (self, node))
    return TRUE;
  g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOT_FOUND,
               _("Turn %s is no longer in this session."), node->id);
  return FALSE;
}

gboolean
peel_session_rename_node (PeelSession  *session,
                          PeelNode     *node,
                          const char   *title,
                          GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_live (session, node, error))
    return FALSE;
  if (g_strcmp0 (node->title, title && *title ? title : NULL) == 0)
    return TRUE;
  _peel_node_set_title (node, title);
  return _peel_session_save_node (session, node, error);
}

/**
 * peel_session_set_marks:
 * @session: a session
 * @node: a node of @session
 * @marks: (nullable) (element-type PeelMark): the marks drawn over @node's image; %NULL or
 *   empty removes them
 * @error: return location for an error
 *
 * Keeps @marks with @node (copied), saved with the session. They are never part of its image.
 */
gboolean
peel_session_set_marks (PeelSession  *session,
                        PeelNode     *node,
                        GPtrArray    *marks,
                        GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_live (session, node, error))
    return FALSE;
  _peel_node_set_marks (node, marks);
  return _peel_session_save_node (session, node, error);
}

/**
 * peel_session_set_selection:
 * @session: a session
 * @node: a node of @session
 * @mask_png: (nullable): the selection, a mask PNG of @node's image's size (white is
 *   selected); %NULL clears it
 * @feather: its feather radius, in pixels
 * @error: return location for an error
 *
 * Keeps the selection with @node, so that it is there again when the node is shown again,
 * after a restart too.
 */
gboolean
peel_session_set_selection (PeelSession  *session,
                            PeelNode     *node,
                            GBytes       *mask_png,
                            int           feather,
                            GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_live (session, node, error))
    return FALSE;
  _peel_node_set_selection (node, mask_png, feather);
  return _peel_session_save_node (session, node, error);
}

gboolean
peel_session_set_starred (PeelSession  *session,
                          PeelNode     *node,
                          gboolean      starred,
                          GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_live (session, node, error))
    return FALSE;
  if (node->starred == !!starred)
    return TRUE;
  _peel_node_set_starred (node, starred);
  return _peel_session_save_node (session, node, error);
}

gboolean
peel_session_set_hidden (PeelSession  *session,
                         PeelNode     *node,
                         gboolean      hidden,
                         GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_live (session, node, error))
    return FALSE;
  if (node->hidden == !!hidden)
    return TRUE;
  _peel_node_set_hidden (node, hidden);
  return _peel_session_save_node (session, node, error);
}

/**
 * peel_session_delete_branch:
 * @session: a session
 * @node: a node of @session
 * @error: return location for an error
 *
 * Removes @node and its descendants. peel_session_undelete() brings them back for as long
 * as @session lives. If the current node was among them, its parent becomes current.
 *
 * Returns: %FALSE if @node is not in @session (the deletion is written in the background)
 */
gboolean
peel_session_delete_branch (PeelSession  *session,
                            PeelNode     *node,
                            GError      **error)
{
  g_autoptr(GPtrArray) subtree = NULL;
  gboolean old_undelete;
  gboolean current_gone = FALSE;
  PeelNode *parent;

  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  if (!check_live (session, node, error))
    return FALSE;

  old_undelete = peel_session_can_undelete (session);
  subtree = g_ptr_array_new_with_free_func (g_object_unref);
  _peel_session_collect_subtree (node, subtree);
  peel_session_get_current (session);   /* made, if it was still a line */
  parent = node->parent;

  for (guint i = 0; i < subtree->len; i++)
    if (g_ptr_array_index (subtree, i) == session->current)
      current_gone = TRUE;

  _peel_session_unlink_node (session, node);
  node->parent = parent;   /* remembered for undelete; the parent may itself be deleted later */
  for (guint i = 0; i < subtree->len; i++)
    g_hash_table_remove (session->nodes, peel_node_get_id (g_ptr_array_index (subtree, i)));

  if (current_gone)
    {
      g_autoptr(GError) nav_error = NULL;

      g_set_object (&session->current, parent);
      _peel_session_rebuild_branch (session);
      _peel_session_notify (session, PEEL_SESSION_PROP_CURRENT);
      if (!_peel_session_save_session (session, FALSE, &nav_error))
        g_debug ("Current node not saved yet: %s", nav_error->message);
    }

  g_ptr_array_add (session->deleted, g_ptr_array_ref (subtree));
  _peel_session_notify (session, PEEL_SESSION_PROP_N_NODES);
  if (old_undelete != peel_session_can_undelete (session))
    _peel_session_notify (session, PEEL_SESSION_PROP_CAN_UNDELETE);

  return session->backend == NULL ||
         session->vtable->save_delete (session->backend, subtree, error);
}

gboolean
peel_session_can_undelete (PeelSession *session)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  return session->deleted->len > 0;
}

/**
 * peel_session_undelete:
 * @session: a session
 * @error: return location for an error
 *
 * Brings back the branch deleted last. If its parent was deleted since, it comes back as a
 * root.
 *
 * Returns: (transfer none) (nullable): the root of the restored branch, %NULL if there was
 *   nothing to undelete
 */
PeelNode *
peel_session_undelete (PeelSession  *session,
                       GError      **error)
{
  g_autoptr(GPtrArray) subtree = NULL;
  PeelNode *root;
  gboolean ok = TRUE;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  if (session->deleted->len == 0)
    {
      g_set_error (error, PEEL_SESSION_ERROR, PEEL_SESSION_ERROR_NOTHING_TO_UNDELETE,
                   _("Nothing was deleted."));
      return NULL;
    }

  subtree = g_ptr_array_steal_index (session->deleted, session->deleted->len - 1);
  root = g_ptr_array_index (subtree, 0);
  if (root->parent_id != NULL && !g_hash_table_contains (session->nodes, root->parent_id))
    g_clear_pointer (&root->parent_id, g_free);

  for (guint i = 0; i < subtree->len; i++)
    {
      PeelNode *node = g_ptr_array_index (subtree, i);

      g_hash_table_insert (session->nodes, node->id, g_object_ref (node));
    }
  _peel_session_link_node (session, root);

  /* Each restored node is written again in full: the journal has no "undelete" line. */
  for (guint i = 0; i < subtree->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!_peel_session_save_node (session, g_ptr_array_index (subtree, i), &local_error))
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }

  _peel_session_notify (session, PEEL_SESSION_PROP_N_NODES);
  if (!peel_session_can_undelete (session))
    _peel_session_notify (session, PEEL_SESSION_PROP_CAN_UNDELETE);
  return root;
}

/**
 * peel_session_flush:
 * @session: a session
 * @error: return location for an error
 *
 * Waits until every change made so far is on disk (synced, navigation included), writing
 * whatever a failed write left pending (after a full disk was cleared, say). It blocks on
 * the disk: the main loop should use peel_session_flush_async().
 *
 * Returns: %TRUE when everything is on disk
 */
gboolean
peel_session_flush (PeelSession  *session,
                    GError      **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  return session->backend == NULL || session->vtable->flush (session->backend, session, error);
}

/**
 * peel_session_flush_async:
 * @session: a session
 * @cancellable: (nullable): a cancellable; cancelling stops the wait, not the writing
 * @callback: called when the changes made so far are on disk, or could not be written
 * @user_data: data for @callback
 *
 * The same as peel_session_flush() without blocking: a change is reported saved (a turn
 * "done", say) once this completes. A write error goes to @callback, not to
 * PeelSession::save-failed.
 */
void
peel_session_flush_async (PeelSession         *session,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PEEL_IS_SESSION (session));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, peel_session_flush_async);
  g_task_set_return_on_cancel (task, TRUE);
  if (session->backend == NULL)
    g_task_return_boolean (task, TRUE);
  else
    session->vtable->flush_async (session->backend, task);
}

gboolean
peel_session_flush_finish (PeelSession   *session,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * peel_session_take_in_node:
 * @session: a session
 * @node: a turn another process wrote to the session's folder (its blob folder set)
 *
 * A turn this session has already is updated in place (a pending turn another process
 * finished, say); a new one joins the tree under its parent, in creation order. A turn
 * deleted here and still undeletable is left alone. Nothing is saved: the turn is on disk.
 */
void
peel_session_take_in_node (PeelSession *session,
                           PeelNode    *node)
{
  PeelNode *have = peel_session_get_node (session, node->id);
  PeelNode *parent = NULL;

  if (have != NULL)
    {
      /* A turn waiting for its answer here, which another process read from disk while it
       * was pending and wrote back as interrupted: it is not, and its answer will come. */
      if (have->status == PEEL_NODE_PENDING &&
          g_strcmp0 (node->error_code, "INTERRUPTED") == 0)
        return;
      if (have != node)
        _peel_node_take_record (have, node);
      return;
    }
  if (_peel_session_is_deleted_id (session, node->id))
    return;
  if (node->parent_id != NULL && !(parent = peel_session_get_node (session, node->parent_id)))
    g_clear_pointer (&node->parent_id, g_free);   /* its parent is gone: keep it as a root */
  /* The parent's children are made whole first, so the new turn is not made twice. */
  if (parent != NULL)
    peel_node_get_children (parent);
  else
    peel_session_get_roots (session);
  g_hash_table_insert (session->nodes, node->id, g_object_ref (node));
  _peel_session_link_node (session, node);
  _peel_session_notify (session, PEEL_SESSION_PROP_N_NODES);
}
