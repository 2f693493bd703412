/* peel-session-backend.c
 *
 * What the session asks of where it is kept (peel-session-backend.h), and what the backend
 * may ask of the session. Turns the backend has not made into nodes yet are made when they
 * are reached: the roots when they are listed, a node's children when they are asked for
 * (through the node's load_children, which points here, never into the backend), a turn by
 * its id when it is looked up, the way down to it made first.
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "peel-node-private.h"
#include "peel-session-private.h"

/**
 * peel_session_set_backend:
 * @session: a session with no backend yet
 * @vtable: (not nullable): what the session calls; it must outlive @session
 * @backend: the object @vtable is called on; the session keeps a reference
 *
 * For the backend (the store): from now on every change of @session goes to @backend.
 */
void
peel_session_set_backend (PeelSession              *session,
                          const PeelSessionBackend *vtable,
                          GObject                  *backend)
{
  g_return_if_fail (PEEL_IS_SESSION (session));
  g_return_if_fail (session->backend == NULL);
  g_return_if_fail (vtable != NULL && G_IS_OBJECT (backend));

  session->vtable = vtable;
  session->backend = g_object_ref (backend);
}

static void
forget_loader (PeelNode *node)
{
  node->load_children = NULL;
  node->load_data = NULL;
  node->children_pending = FALSE;
}

/* The session is going: nodes that outlive it must not call back into it. */
void
_peel_session_drop_backend (PeelSession *session)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, session->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    forget_loader (value);
  for (guint i = 0; i < session->deleted->len; i++)
    {
      GPtrArray *subtree = g_ptr_array_index (session->deleted, i);

      for (guint j = 0; j < subtree->len; j++)
        forget_loader (g_ptr_array_index (subtree, j));
    }
  if (session->backend != NULL)
    session->vtable->detach (session->backend);
  g_clear_object (&session->backend);
}

static void
load_children_cb (PeelNode *node,
                  gpointer  data)
{
  _peel_session_expand (data, node);
}

/**
 * _peel_session_expand:
 * @session: the session that loaded @parent lazily
 * @parent: (nullable): a node, or %NULL for the roots
 *
 * Has the backend make every child of @parent not made yet, in creation order, and puts
 * them in @parent's children (or the roots) at once.
 */
void
_peel_session_expand (PeelSession *session,
                      PeelNode    *parent)
{
  g_autoptr(GArray) has_children = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  GListStore *list;

  if (parent != NULL)
    parent->children_pending = FALSE;
  else
    session->roots_pending = FALSE;
  if (session->backend == NULL)
    return;

  has_children = g_array_new (FALSE, FALSE, sizeof (gboolean));
  nodes = session->vtable->load_children (session->backend, parent, has_children);
  g_return_if_fail (has_children->len == nodes->len);
  for (guint i = 0; i < nodes->len; i++)
    {
      PeelNode *node = g_ptr_array_index (nodes, i);

      node->parent = parent;
      if (parent == NULL && node->parent_id != NULL)
        g_clear_pointer (&node->parent_id, g_free);   /* its parent was lost: a root */
      node->load_children = load_children_cb;
      node->load_data = session;
      node->children_pending = g_array_index (has_children, gboolean, i);
      g_hash_table_insert (session->nodes, node->id, g_object_ref (node));
    }

  list = parent ? parent->children : session->roots;
  g_list_store_splice (list, g_list_model_get_n_items (G_LIST_MODEL (list)), 0,
                       nodes->pdata, nodes->len);
}

/* A node the session has not made yet: its ancestors are made first, from the top. */
PeelNode *
_peel_session_lazy_get (PeelSession *session,
                        const char  *id)
{
  if (session->backend == NULL)
    return NULL;

  for (guint step = 0;; step++)
    {
      PeelNode *made = NULL, *expand = NULL;
      guint before = _peel_session_n_unloaded (session);

      if (!session->vtable->step_toward (session->backend, id, &made, &expand))
        return NULL;
      if (made != NULL)
        return step > 0 ? made : NULL;   /* made before and not here: deleted */
      if (expand != NULL && !expand->children_pending)
        return NULL;   /* under a deleted branch */
      _peel_session_expand (session, expand);
      if (_peel_session_n_unloaded (session) == before)
        return NULL;   /* nothing was made: the backend cannot reach it */
    }
}

guint
_peel_session_n_unloaded (PeelSession *session)
{
  return session->backend ? session->vtable->n_unloaded (session->backend) : 0;
}

gboolean
_peel_session_backend_has_id (PeelSession *session,
                              const char  *id)
{
  return session->backend != NULL && session->vtable->has_id (session->backend, id);
}

const char *
_peel_session_lazy_newest (PeelSession *session,
                           gint64       created)
{
  if (session->backend == NULL)
    return NULL;
  return session->vtable->newest_unloaded (session->backend, created);
}

guint
_peel_session_lazy_match_prefix (PeelSession  *session,
                                 const char   *prefix,
                                 const char  **match)
{
  if (session->backend == NULL)
    return 0;
  return session->vtable->match_prefix (session->backend, prefix, match);
}

/**
 * peel_session_holds_node:
 * @session: a session
 * @node: a node
 *
 * Returns: whether @node is a live turn of @session (made, and not deleted)
 */
gboolean
peel_session_holds_node (PeelSession *session,
                         PeelNode    *node)
{
  g_return_val_if_fail (PEEL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (PEEL_IS_NODE (node), FALSE);

  return _peel_session_is_live (session, node);
}

/**
 * peel_session_dup_made_nodes:
 * @session: a session
 *
 * Returns: (transfer container) (element-type PeelNode): the live turns made into nodes so
 *   far, in no order; none is made for this
 */
GPtrArray *
peel_session_dup_made_nodes (PeelSession *session)
{
  GPtrArray *out;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  out = g_ptr_array_new_full (g_hash_table_size (session->nodes), g_object_unref);
  g_hash_table_iter_init (&iter, session->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, g_object_ref (value));
  return out;
}

/**
 * peel_session_dup_deleted_nodes:
 * @session: a session
 *
 * Returns: (transfer container) (element-type PeelNode): the turns of every deleted branch
 *   that can still be brought back
 */
GPtrArray *
peel_session_dup_deleted_nodes (PeelSession *session)
{
  GPtrArray *out;

  g_return_val_if_fail (PEEL_IS_SESSION (session), NULL);

  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < session->deleted->len; i++)
    {
      GPtrArray *subtree = g_ptr_array_index (session->deleted, i);

      for (guint j = 0; j < subtree->len; j++)
        g_ptr_array_add (out, g_object_ref (g_ptr_array_index (subtree, j)));
    }
  return out;
}
